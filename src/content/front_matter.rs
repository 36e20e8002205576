//! Front matter: the TOML between `+++` lines at the top of a Markdown file.

use crate::diagnostics::{Diagnostic, from_toml_error};
use serde::Deserialize;
use std::path::Path;
use toml::value::Datetime;

/// The keys a page's or section's front matter may carry.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Title shown on the page, in lists and in link previews.
    pub title: Option<String>,
    /// Publication date (`2026-11-25` or a full date-time).
    pub date: Option<Datetime>,
    /// Date of the last real change.
    pub updated: Option<Datetime>,
    /// One or two sentences for lists, feeds and link previews.
    pub summary: Option<String>,
    /// A draft is not published (unless `--drafts`).
    #[serde(default)]
    pub draft: bool,
    /// Tags, as short lowercase words.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Campaign day, 1 to 16.
    pub day: Option<i64>,
    /// Last part of the URL; defaults to the file name.
    pub slug: Option<String>,
    /// Order in menus and in sections sorted by weight.
    pub weight: Option<i64>,
    /// Template to render with, instead of the default for its kind.
    pub template: Option<String>,
    /// Sections: `date` (newest first), `weight` or `title`.
    pub sort_by: Option<String>,
    /// Sections: items per list page.
    pub paginate_by: Option<usize>,
    /// Free-form values for templates.
    #[serde(default)]
    pub extra: toml::Table,
    /// A service listing's data (see the `services` module).
    pub service: Option<crate::services::fields::ServiceFields>,
    /// Neutral title and link preview for this page, whatever the site's
    /// setting (`false` turns the site's `discreet` off for the page).
    pub discreet: Option<bool>,
    /// A translation: the hash of the source file it was made from
    /// (written by `glimmer translate`), to tell when it is out of date.
    pub source_hash: Option<String>,
}

/// Every key [`FrontMatter`] accepts, for "did you mean" hints.
pub const KEYS: &[&str] = &[
    "title",
    "date",
    "updated",
    "summary",
    "draft",
    "tags",
    "day",
    "slug",
    "weight",
    "template",
    "sort_by",
    "paginate_by",
    "extra",
    "service",
    "discreet",
    "source_hash",
];

/// A parsed file: its front matter and where the Markdown body starts.
#[derive(Debug, Clone)]
pub struct Parsed {
    /// The front matter.
    pub meta: FrontMatter,
    /// Byte offset of the body in the file.
    pub body_start: usize,
}

/// Splits `source` into front matter and body and checks the front matter.
/// `file` is used in diagnostics only.
pub fn parse(source: &str, file: &Path) -> Result<Parsed, Vec<Diagnostic>> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &source[bom..];
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text[..first_line_end].trim_end() != "+++" {
        return Err(vec![
            Diagnostic::error("this file does not start with front matter")
                .in_file(file)
                .at(source, bom, first_line_end.saturating_sub(1).max(1))
                .hint("put a line with just `+++` first, then `title = \"…\"`, then another `+++` line, then the text"),
        ]);
    }
    let toml_start = bom + first_line_end;
    let Some((toml_end, body_start)) = closing_fence(source, toml_start) else {
        return Err(vec![
            Diagnostic::error("the front matter is never closed")
                .in_file(file)
                .at(source, bom, 3)
                .hint("add a line with just `+++` after the last front matter line"),
        ]);
    };
    let toml_text = &source[toml_start..toml_end];
    let meta: FrontMatter = toml::from_str(toml_text)
        .map_err(|e| vec![from_toml_error(&e, file, source, toml_start, KEYS)])?;
    check(&meta, source, toml_start, file)?;
    Ok(Parsed { meta, body_start })
}

/// Where the TOML of a file's front matter starts (after the first `+++`).
pub fn toml_start(source: &str) -> usize {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    source[bom..]
        .find('\n')
        .map_or(source.len(), |i| bom + i + 1)
}

/// Where the body of an already checked file starts.
pub fn body_start(source: &str) -> Option<usize> {
    let bom = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let first = source[bom..].find('\n')? + 1 + bom;
    closing_fence(source, first).map(|(_, body)| body)
}

/// A slug must make one safe URL and folder name on every host: no
/// separators, URL syntax, control characters or leading dot, and short
/// enough for any file system.
fn usable_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.chars().count() <= 100
        && !slug.starts_with('.')
        && !slug
            .chars()
            .any(|c| c.is_control() || c.is_whitespace() || "/\\?#%&<>\"':*|".contains(c))
}

/// Finds the closing `+++` line: returns where the TOML ends and the body
/// starts.
fn closing_fence(source: &str, from: usize) -> Option<(usize, usize)> {
    let mut pos = from;
    for line in source[from..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((pos, pos + line.len()));
        }
        pos += line.len();
    }
    None
}

fn check(
    meta: &FrontMatter,
    source: &str,
    toml_start: usize,
    file: &Path,
) -> Result<(), Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at_key = |key: &str| {
        let offset = source[toml_start..]
            .split_inclusive('\n')
            .scan(0, |pos, line| {
                let here = *pos;
                *pos += line.len();
                Some((here, line))
            })
            .find(|(_, line)| line.trim_start().starts_with(key))
            .map_or(0, |(here, _)| here);
        toml_start + offset
    };
    if let Some(day) = meta.day
        && !(1..=16).contains(&day)
    {
        errors.push(
            Diagnostic::error(format!("campaign day {day} is outside the 16 days"))
                .in_file(file)
                .at(source, at_key("day"), 3)
                .hint("use a day from 1 (25 November) to 16 (10 December), or remove `day`"),
        );
    }
    if let Some(sort) = &meta.sort_by
        && !["date", "weight", "title"].contains(&sort.as_str())
    {
        errors.push(
            Diagnostic::error(format!("unknown sort order `{sort}`"))
                .in_file(file)
                .at(source, at_key("sort_by"), 7)
                .hint("use sort_by = \"date\", \"weight\" or \"title\""),
        );
    }
    if let Some(slug) = &meta.slug
        && !usable_slug(slug)
    {
        errors.push(
            Diagnostic::error(format!("`{slug}` cannot be used as a slug"))
                .in_file(file)
                .at(source, at_key("slug"), 4)
                .hint("a slug is one URL part of letters, digits and hyphens (at most 100 characters), e.g. slug = \"hotline-help\""),
        );
    }
    if meta.paginate_by == Some(0) {
        errors.push(
            Diagnostic::error("paginate_by must be at least 1")
                .in_file(file)
                .at(source, at_key("paginate_by"), 11)
                .hint("set paginate_by = 10, or remove it to use the site's default"),
        );
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(src: &str) -> String {
        parse(src, Path::new("a.md")).unwrap_err()[0].to_string()
    }

    #[test]
    fn parses_keys_and_finds_the_body() {
        let src = "+++\ntitle = \"Hi\"\ndate = 2026-11-25\nday = 1\n+++\nBody\n";
        let p = parse(src, Path::new("a.md")).unwrap();
        assert_eq!(p.meta.title.as_deref(), Some("Hi"));
        assert_eq!(p.meta.day, Some(1));
        assert_eq!(&src[p.body_start..], "Body\n");
    }

    #[test]
    fn missing_opening_fence_is_explained() {
        let e = err("title = \"x\"\n");
        assert!(e.contains("does not start with front matter"), "{e}");
        assert!(e.contains("a.md:1:1"), "{e}");
    }

    #[test]
    fn unclosed_front_matter_is_explained() {
        assert!(err("+++\ntitle = \"x\"\nBody\n").contains("never closed"));
    }

    #[test]
    fn unknown_key_suggests_the_near_one_on_its_line() {
        let e = err("+++\ntitle = \"x\"\nsumary = \"y\"\n+++\n");
        assert!(e.contains("unknown key `sumary`"), "{e}");
        assert!(e.contains("did you mean `summary`?"), "{e}");
        assert!(e.contains("a.md:3:1"), "{e}");
    }

    #[test]
    fn bad_toml_points_into_the_file() {
        let e = err("+++\ntitle = \"x\nday = 2\n+++\n");
        assert!(e.contains("a.md:2:"), "{e}");
    }

    #[test]
    fn crlf_files_point_at_the_right_line() {
        let e = err("+++\r\ntitle = \"x\"\r\nsort_by = \"size\"\r\n+++\r\n");
        assert!(e.contains("a.md:3:1"), "{e}");
    }

    #[test]
    fn unsafe_slugs_are_refused() {
        for slug in ["a b", "a%20b", "x\\u0000", "../x", "a/b", "a?b"] {
            let e = err(&format!("+++\ntitle = \"x\"\nslug = \"{slug}\"\n+++\n"));
            assert!(e.contains("cannot be used as a slug"), "{slug}: {e}");
        }
        let long = "a".repeat(101);
        let e = err(&format!("+++\ntitle = \"x\"\nslug = \"{long}\"\n+++\n"));
        assert!(e.contains("cannot be used as a slug"), "{e}");
        assert!(
            parse(
                "+++\ntitle = \"x\"\nslug = \"гендер-2026\"\n+++\n",
                Path::new("a.md")
            )
            .is_ok()
        );
    }

    #[test]
    fn day_out_of_range_is_an_error() {
        let e = err("+++\ntitle = \"x\"\nday = 17\n+++\n");
        assert!(
            e.contains("outside the 16 days") && e.contains("a.md:3:"),
            "{e}"
        );
    }
}
