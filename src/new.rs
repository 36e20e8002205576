//! `glimmer new story "Title"` (and `page`): a new Markdown file with its
//! front matter filled in, named by a slug made from the title (`slug.rs`),
//! written as a draft so that nothing is published before the author says
//! so. Nothing is ever overwritten.

use crate::config::{self, BuildOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::services::date::Day;
use std::path::{Path, PathBuf};

/// The kinds of content `glimmer new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A story in a section (`content/stories/` by default).
    Story,
    /// A page of its own at the top of the site (`content/about.md`).
    Page,
}

/// What to make.
pub struct Request<'a> {
    /// The site folder.
    pub root: &'a Path,
    /// Story or page.
    pub kind: Kind,
    /// The title, in the language it is written in.
    pub title: &'a str,
    /// Language code; the site's default language when `None`.
    pub lang: Option<&'a str>,
    /// The address part; made from the title when `None`.
    pub slug: Option<&'a str>,
    /// The section folder under `content/` for a story (`stories`).
    pub section: &'a str,
}

/// What `glimmer new` made.
#[derive(Debug)]
pub struct Made {
    /// The new file, relative to the site root.
    pub file: PathBuf,
    /// Its address once published, with the base path.
    pub url: String,
    /// True when the slug could not be made from the title (a title in
    /// Arabic script, say) and was made from the date.
    pub slug_from_date: bool,
}

/// Writes the new file, or says why not.
pub fn new(request: &Request) -> Result<Made, Vec<Diagnostic>> {
    let options = BuildOptions {
        root: request.root.to_path_buf(),
        ..Default::default()
    };
    let settings = config::load(&options).map_err(Diagnostics::sorted)?;
    let lang = match request.lang {
        None => &settings.languages[0],
        Some(code) => settings
            .languages
            .iter()
            .find(|l| l.code == code)
            .ok_or_else(|| vec![unknown_language(code, &settings)])?,
    };
    let folder = match request.kind {
        Kind::Story => {
            let folder = Path::new("content").join(request.section);
            if !request.root.join(&folder).join("_index.md").is_file() {
                return Err(vec![no_section(request.section)]);
            }
            folder
        }
        Kind::Page => PathBuf::from("content"),
    };
    let today = Day::today();
    let (slug, slug_from_date) = match request.slug {
        Some(s) => (s.to_string(), false),
        None => match crate::slug::slug(request.title) {
            s if s.is_empty() => (format!("{}-{}", kind_word(request.kind), today.iso()), true),
            s => (s, false),
        },
    };
    if crate::slug::slug(&slug) != slug {
        return Err(vec![bad_slug(&slug)]);
    }
    let suffix = if lang.index == 0 {
        String::new()
    } else {
        format!(".{}", lang.code)
    };
    let file = folder.join(format!("{slug}{suffix}.md"));
    let text = front_matter(request, today);
    let exists = Diagnostic::error("this file exists already")
        .hint("choose another title, or give the address yourself: --slug another-name");
    write_new(&request.root.join(&file), &text, exists).map_err(|d| vec![d.in_file(&file)])?;
    let mut url = format!("{}{}/", settings.base_path, lang.code);
    if request.kind == Kind::Story {
        url.push_str(&format!(
            "{}/",
            crate::slash_path(Path::new(request.section))
        ));
    }
    url.push_str(&format!("{slug}/"));
    Ok(Made {
        file,
        url,
        slug_from_date,
    })
}

/// The campaign day of `today` (1 on 25 November to 16 on 10 December).
pub fn campaign_day(today: Day) -> Option<u8> {
    match (today.month, today.day) {
        (11, d) if d >= 25 => Some(d - 24),
        (12, d) if d <= 10 => Some(d + 6),
        _ => None,
    }
}

/// The new file's text: front matter with comments that teach, then a
/// line to replace.
fn front_matter(request: &Request, today: Day) -> String {
    let mut text = String::from("+++\n");
    text.push_str(&format!("title = {}\n", toml_string(request.title)));
    if request.kind == Kind::Story {
        text.push_str(&format!("date = {}\n", today.iso()));
        if let Some(day) = campaign_day(today) {
            text.push_str(&format!("day = {day}\n"));
        }
        text.push_str("# summary = \"One or two sentences for lists and link previews.\"\n");
        text.push_str("# tags = [\"hotline\", \"kyrgyzstan\"]\n");
    }
    text.push_str("# Remove the next line to publish the page.\n");
    text.push_str("draft = true\n+++\n\n");
    text.push_str(match request.kind {
        Kind::Story => "Write the story here.\n",
        Kind::Page => "Write the page here.\n",
    });
    text
}

/// `"text"` as a TOML basic string.
fn toml_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn kind_word(kind: Kind) -> &'static str {
    match kind {
        Kind::Story => "story",
        Kind::Page => "page",
    }
}

/// Creates `path` with `text`; an existing file is never replaced.
/// `exists` is the error to give when it is there already.
pub(crate) fn write_new(path: &Path, text: &str, exists: Diagnostic) -> Result<(), Diagnostic> {
    use std::io::Write;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => exists,
            _ => Diagnostic::error(format!("cannot create the file: {e}"))
                .hint("check that the folder exists and that you may write there"),
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write the file: {e}")))
}

fn unknown_language(code: &str, settings: &config::Settings) -> Diagnostic {
    let codes: Vec<&str> = settings.languages.iter().map(|l| l.code.as_str()).collect();
    Diagnostic::error(format!("the site has no language `{code}`"))
        .in_file(config::CONFIG_FILE)
        .hint(format!(
            "use one of: {}; or add the language to glimmer.toml",
            codes.join(", ")
        ))
}

fn no_section(section: &str) -> Diagnostic {
    Diagnostic::error(format!("content/{section}/ is not a section"))
        .in_file(Path::new("content").join(section))
        .hint(format!(
            "create content/{section}/_index.md with a title, or choose a section with --section NAME"
        ))
}

fn bad_slug(slug: &str) -> Diagnostic {
    Diagnostic::error(format!("`{slug}` cannot be an address"))
        .hint("write lower-case Latin letters, digits and hyphens, e.g. --slug hotline-opens")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(month: u8, d: u8) -> Day {
        Day {
            year: 2026,
            month,
            day: d,
        }
    }

    #[test]
    fn campaign_days_run_from_25_november_to_10_december() {
        assert_eq!(campaign_day(day(11, 24)), None);
        assert_eq!(campaign_day(day(11, 25)), Some(1));
        assert_eq!(campaign_day(day(11, 30)), Some(6));
        assert_eq!(campaign_day(day(12, 1)), Some(7));
        assert_eq!(campaign_day(day(12, 10)), Some(16));
        assert_eq!(campaign_day(day(12, 11)), None);
    }

    #[test]
    fn titles_become_valid_toml_strings() {
        assert_eq!(
            toml_string("Say \"no\" \\ now"),
            "\"Say \\\"no\\\" \\\\ now\""
        );
        let parsed: toml::Table =
            toml::from_str(&format!("t = {}", toml_string("a\tb \"c\""))).unwrap();
        assert_eq!(parsed["t"].as_str(), Some("a\tb \"c\""));
    }
}
