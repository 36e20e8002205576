//! Content: the Markdown files under `content/`, grouped into entries (one
//! per page or section, with a version per language), and the choice of
//! which version each language shows.

pub mod front_matter;
mod load;
mod tree;

pub use front_matter::FrontMatter;
pub use load::load;

use std::collections::HashMap;
use std::path::PathBuf;

/// One language version of a page or section: a Markdown file. Only the
/// front matter is kept in memory; the body is read again when the page is
/// rendered, so that memory stays small on sites of thousands of pages.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path relative to the site root, e.g. `content/stories/x.ru.md`.
    pub file: PathBuf,
    /// Its front matter.
    pub meta: FrontMatter,
    /// The language it is written in (index into the site's languages).
    pub lang: usize,
    /// For service listings: the checked `[service]` table.
    pub service: Option<crate::services::Part>,
}

/// A source file's text, read for rendering.
#[derive(Debug, Clone)]
pub struct Text {
    /// The whole file.
    pub text: String,
    /// Byte offset of the Markdown body.
    pub body_start: usize,
}

impl Text {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }
}

impl Source {
    /// Reads the file again and finds its body.
    pub fn read(&self, root: &std::path::Path) -> Result<Text, crate::diagnostics::Diagnostic> {
        let text = std::fs::read_to_string(root.join(&self.file)).map_err(|e| {
            crate::diagnostics::Diagnostic::error(format!("cannot read this file: {e}"))
                .in_file(&self.file)
                .hint("the file changed or vanished during the build; build again")
        })?;
        let body_start = front_matter::body_start(&text).unwrap_or(text.len());
        Ok(Text { text, body_start })
    }
}

/// Whether an entry is a list of pages or a single page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A folder's `_index.md`; the root one is the home page.
    Section,
    /// Any other Markdown file.
    Page,
}

/// A page or section with all its language versions.
#[derive(Debug, Clone)]
pub struct Entry {
    /// Source path without language suffix, relative to `content/`:
    /// `stories/x.md`, `stories/_index.md`, `_index.md`.
    pub key: String,
    /// Section or page.
    pub kind: Kind,
    /// The section it belongs to (index into [`Content::entries`]).
    pub parent: Option<usize>,
    /// Versions per language (index = language); `None` when missing.
    pub versions: Vec<Option<Source>>,
    /// Per language: which version that language shows, after fallback;
    /// `None` when no language in its chain has the entry.
    pub shown: Vec<Option<usize>>,
    /// Per language: URL path under the base, e.g. `ru/stories/x/`.
    pub paths: Vec<String>,
    /// For sections: the pages directly in it, in file order.
    pub pages: Vec<usize>,
    /// For sections: the sections directly below it.
    pub subsections: Vec<usize>,
}

impl Entry {
    /// The version shown to readers of language `lang`, if any.
    pub fn shown_source(&self, lang: usize) -> Option<&Source> {
        self.shown[lang].and_then(|l| self.versions[l].as_ref())
    }

    /// True when readers of `lang` see another language's version.
    pub fn is_fallback(&self, lang: usize) -> bool {
        self.shown[lang].is_some_and(|l| l != lang)
    }

    /// True for the root section.
    pub fn is_home(&self) -> bool {
        self.key == "_index.md"
    }
}

/// All content of the site.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Entries sorted by key.
    pub entries: Vec<Entry>,
    /// Entry index by key.
    pub by_key: HashMap<String, usize>,
}

impl Content {
    /// The entry with this source key (`stories/x.md`).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.by_key.get(key).map(|&i| &self.entries[i])
    }

    /// The home section, if `content/_index.md` exists in some language.
    pub fn home(&self) -> Option<&Entry> {
        self.get("_index.md")
    }
}
