//! `glimmer translate content/stories/x.md --to ky`: starts the Kyrgyz
//! version of a page as `x.ky.md` beside it: the source's front matter and
//! text to translate, marked as a draft (readers keep seeing the source
//! until the translator removes the mark) and stamped with `source_hash`,
//! the hash of the source file it was made from, so that a later change
//! of the source shows the translation is out of date.

use crate::config::{self, BuildOptions};
use crate::diagnostics::{Diagnostic, Diagnostics};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What to translate.
pub struct Request<'a> {
    /// The site folder.
    pub root: &'a Path,
    /// The page to translate, relative to the root (or absolute).
    pub source: &'a Path,
    /// The language code to translate into.
    pub to: &'a str,
}

/// The translation file written.
#[derive(Debug)]
pub struct Made {
    /// The new file, relative to the site root.
    pub file: PathBuf,
    /// The file it was made from, relative to the site root.
    pub source: PathBuf,
}

/// The hash `source_hash` records: 16 hex digits of SHA-256 over the
/// source file's bytes.
pub fn source_hash(bytes: &[u8]) -> String {
    Sha256::digest(bytes)[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes the translation file, or says why not.
pub fn translate(request: &Request) -> Result<Made, Vec<Diagnostic>> {
    let options = BuildOptions {
        root: request.root.to_path_buf(),
        ..Default::default()
    };
    let settings = config::load(&options).map_err(Diagnostics::sorted)?;
    let source = relative(request.root, request.source);
    let codes: Vec<&str> = settings.languages.iter().map(|l| l.code.as_str()).collect();
    let Some(to) = settings.languages.iter().find(|l| l.code == request.to) else {
        return Err(vec![
            Diagnostic::error(format!("the site has no language `{}`", request.to))
                .in_file(config::CONFIG_FILE)
                .hint(format!("use one of: {}", codes.join(", "))),
        ]);
    };
    let (base, from_lang) = split_name(&source, &codes).ok_or_else(|| vec![not_a_page(&source)])?;
    if from_lang == Some(to.code.as_str()) || (from_lang.is_none() && to.index == 0) {
        return Err(vec![
            Diagnostic::error(format!("this page is already in `{}`", to.code))
                .in_file(&source)
                .hint("name the language to translate into: --to ru"),
        ]);
    }
    let text = std::fs::read_to_string(request.root.join(&source)).map_err(|e| {
        vec![Diagnostic::error(format!("cannot read the page: {e}")).in_file(&source)]
    })?;
    let parsed = crate::content::front_matter::parse(&text, &source)?;
    if parsed.meta.service.is_some() {
        return Err(vec![
            Diagnostic::error(
                "a service listing is translated by hand: its translation holds only its texts",
            )
            .in_file(&source)
            .hint("see \"The service directory\" in the README for the keys a translation may set"),
        ]);
    }
    let suffix = if to.index == 0 {
        String::new()
    } else {
        format!(".{}", to.code)
    };
    let file = PathBuf::from(format!("{base}{suffix}.md"));
    let new_text = translation_text(
        &text,
        parsed.body_start,
        &source_hash(text.as_bytes()),
        &source,
    );
    let exists = Diagnostic::error("this translation exists already")
        .hint("edit it, or delete it first to start again from the source");
    crate::new::write_new(&request.root.join(&file), &new_text, exists)
        .map_err(|d| vec![d.in_file(&file)])?;
    Ok(Made { file, source })
}

/// The source's text with `source_hash` and `draft = true` at the top of
/// its front matter (before any table, so they stay top-level keys), its
/// own `draft` line dropped.
fn translation_text(text: &str, body_start: usize, hash: &str, source: &Path) -> String {
    let front = &text[..body_start];
    let body = &text[body_start..];
    let mut lines = front.split_inclusive('\n');
    let mut out = String::with_capacity(text.len() + 200);
    out.push_str(lines.next().unwrap_or("+++\n"));
    out.push_str(&format!(
        "# Translated from {}; remove the next line when the translation is done.\ndraft = true\nsource_hash = \"{hash}\"\n",
        crate::slash_path(source)
    ));
    let mut in_table = false;
    for line in lines {
        in_table |= line.trim_start().starts_with('[');
        let key = line.split('=').next().unwrap_or("").trim();
        if !in_table && key == "draft" {
            continue;
        }
        out.push_str(line);
    }
    out.push_str(body);
    out
}

/// `content/stories/x` and the language suffix of `content/stories/x.ru.md`
/// (`None` for the default language); `None` when it is no Markdown file
/// of `content/`.
fn split_name<'a>(source: &Path, codes: &[&'a str]) -> Option<(String, Option<&'a str>)> {
    let text = crate::slash_path(source);
    if !text.starts_with("content/") {
        return None;
    }
    let stem = text.strip_suffix(".md")?;
    let name_start = stem.rfind('/').map_or(0, |i| i + 1);
    match stem[name_start..].rsplit_once('.') {
        Some((_, suffix)) => {
            let code = codes.iter().find(|c| **c == suffix)?;
            Some((
                stem[..stem.len() - suffix.len() - 1].to_string(),
                Some(*code),
            ))
        }
        None => Some((stem.to_string(), None)),
    }
}

/// `path` relative to `root` when it is inside it.
fn relative(root: &Path, path: &Path) -> PathBuf {
    let abs_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map_or(path.to_path_buf(), |d| d.join(path))
    };
    let abs = abs.canonicalize().unwrap_or(abs);
    abs.strip_prefix(&abs_root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

fn not_a_page(source: &Path) -> Diagnostic {
    Diagnostic::error("this is not a page of the site")
        .in_file(source)
        .hint("name a Markdown file under content/, e.g. glimmer translate content/stories/kaniet.md --to ky")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_marks_go_before_any_table_and_replace_the_draft_line() {
        let text = "+++\ntitle = \"Kaniet\"\ndraft = false\n[extra]\ndraft = \"kept\"\n+++\nBody\n";
        let body_start = text.find("Body").unwrap();
        let out = translation_text(text, body_start, "0123", Path::new("content/k.md"));
        assert_eq!(
            out,
            "+++\n# Translated from content/k.md; remove the next line when the translation is done.\n\
             draft = true\nsource_hash = \"0123\"\ntitle = \"Kaniet\"\n[extra]\ndraft = \"kept\"\n+++\nBody\n"
        );
        let parsed: toml::Table = toml::from_str(&out[4..out.find("+++\nBody").unwrap()]).unwrap();
        assert_eq!(parsed["draft"].as_bool(), Some(true));
    }

    #[test]
    fn names_split_into_base_and_language() {
        let codes = ["en", "ru", "fa-AF"];
        assert_eq!(
            split_name(Path::new("content/stories/x.md"), &codes),
            Some(("content/stories/x".into(), None))
        );
        assert_eq!(
            split_name(Path::new("content/stories/x.fa-AF.md"), &codes),
            Some(("content/stories/x".into(), Some("fa-AF")))
        );
        assert_eq!(split_name(Path::new("content/x.de.md"), &codes), None);
        assert_eq!(split_name(Path::new("static/x.md"), &codes), None);
        assert_eq!(split_name(Path::new("content/x.txt"), &codes), None);
    }

    #[test]
    fn the_hash_is_short_and_follows_the_bytes() {
        assert_eq!(source_hash(b"a").len(), 16);
        assert_ne!(source_hash(b"a"), source_hash(b"b"));
    }
}
