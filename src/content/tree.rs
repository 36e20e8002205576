//! Links entries into a tree of sections, picks the version each language
//! shows (following its fallback chain) and gives every entry its URL path
//! in every language.

use super::{Content, Entry, Kind};
use crate::config::Settings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::{HashMap, HashSet};

/// Builds the content tree from entries sorted by key.
pub fn build(mut entries: Vec<Entry>, settings: &Settings, diags: &mut Diagnostics) -> Content {
    let by_key: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.key.clone(), i))
        .collect();
    for i in 0..entries.len() {
        let parent = parent_section(&entries[i].key, &by_key);
        entries[i].parent = parent;
        if let Some(p) = parent {
            match entries[i].kind {
                Kind::Page => entries[p].pages.push(i),
                Kind::Section => entries[p].subsections.push(i),
            }
        }
        for lang in &settings.languages {
            entries[i].shown[lang.index] = lang.chain().find(|&l| entries[i].versions[l].is_some());
        }
        for lang in &settings.languages {
            entries[i].paths[lang.index] = url_path(&entries[i], lang.index, &lang.code);
        }
    }
    check_names(&entries, settings, diags);
    check_collisions(&entries, settings, diags);
    check_reserved(&entries, settings, diags);
    check_home(&entries, &by_key, settings, diags);
    Content { entries, by_key }
}

/// The nearest folder above `key` that has an `_index.md`.
fn parent_section(key: &str, by_key: &HashMap<String, usize>) -> Option<usize> {
    if key == "_index.md" {
        return None;
    }
    let mut dir = key.rsplit_once('/').map_or("", |(d, _)| d);
    if key.ends_with("/_index.md") {
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
    loop {
        let candidate = if dir.is_empty() {
            "_index.md".to_string()
        } else {
            format!("{dir}/_index.md")
        };
        if let Some(&i) = by_key.get(&candidate) {
            return Some(i);
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
    }
}

/// `ru/stories/x/` for page `stories/x.md`, `ru/stories/` for its section.
fn url_path(entry: &Entry, lang: usize, code: &str) -> String {
    let (dir, name) = match entry.key.rsplit_once('/') {
        Some((d, n)) => (d, n),
        None => ("", entry.key.as_str()),
    };
    let mut path = format!("{code}/");
    if !dir.is_empty() {
        path.push_str(dir);
        path.push('/');
    }
    if entry.kind == Kind::Page {
        let stem = name.trim_end_matches(".md");
        let slug = entry
            .shown_source(lang)
            .and_then(|s| s.meta.slug.as_deref())
            .unwrap_or(stem);
        path.push_str(slug);
        path.push('/');
    }
    path
}

/// Every part of an address made from a file or folder name must work as
/// a URL part and as a folder name on every host and on a USB stick (FAT):
/// `why?.md` or `100%.md` would give links that break everywhere. Spaces
/// and other letters are allowed, as browsers escape them. Reported once
/// per file.
fn check_names(entries: &[Entry], settings: &Settings, diags: &mut Diagnostics) {
    for entry in entries {
        let bad = settings.languages.iter().find_map(|lang| {
            let source = entry.shown_source(lang.index)?;
            let part = entry.paths[lang.index]
                .split('/')
                .find(|p| !p.is_empty() && !usable_name(p))?;
            Some((source, part.to_string()))
        });
        if let Some((source, part)) = bad {
            diags.push(
                Diagnostic::error(format!("`{part}` cannot be part of a web address"))
                    .in_file(&source.file)
                    .hint("rename the file or folder with letters, digits and hyphens (e.g. hotline-help.md), or give the page a slug: slug = \"hotline-help\""),
            );
        }
    }
}

/// True when a file or folder name can be an address part: no URL syntax
/// (`?`, `#`, `%`), nothing Windows or FAT refuses, no leading dot.
fn usable_name(name: &str) -> bool {
    !name.starts_with('.')
        && !name
            .chars()
            .any(|c| c.is_control() || "\\?#%<>\"*|:".contains(c))
}

/// Two entries must never share a URL. Each pair is reported once, naming
/// the files that are actually published there.
fn check_collisions(entries: &[Entry], settings: &Settings, diags: &mut Diagnostics) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let mut reported: HashSet<(usize, usize)> = HashSet::new();
    for (i, entry) in entries.iter().enumerate() {
        for lang in &settings.languages {
            let Some(source) = entry.shown_source(lang.index) else {
                continue;
            };
            let Some(other) = seen.insert(&entry.paths[lang.index], i) else {
                continue;
            };
            if other == i || !reported.insert((other, i)) {
                continue;
            }
            let other_file = entries[other]
                .shown_source(lang.index)
                .map(|s| s.file.display().to_string())
                .unwrap_or_default();
            diags.push(
                Diagnostic::error(format!(
                    "two files would be published at the same address /{}",
                    entry.paths[lang.index]
                ))
                .in_file(&source.file)
                .hint(format!(
                    "this file and {other_file} map to one URL; give one of them another `slug` or file name"
                )),
            );
        }
    }
}

/// Every language needs a home page, since every page links to it: the
/// default language's `content/_index.md` guarantees one through the
/// fallback chains.
fn check_home(
    entries: &[Entry],
    by_key: &HashMap<String, usize>,
    settings: &Settings,
    diags: &mut Diagnostics,
) {
    let home = by_key.get("_index.md").map(|&i| &entries[i]);
    if home.is_some_and(|h| h.versions[0].is_some()) {
        return;
    }
    let default = &settings.default_language().code;
    diags.push(
        Diagnostic::error(format!("the site has no home page in its default language ({default})"))
            .in_file("content/_index.md")
            .hint("create content/_index.md with a title and an introduction; every page links to the home page"),
    );
}

/// Pages may not take addresses that glimmer writes itself: the feed
/// `{lang}/atom.xml`, any `index.html`, and the list pages `…/page/N/` of a
/// section.
fn check_reserved(entries: &[Entry], settings: &Settings, diags: &mut Diagnostics) {
    for entry in entries.iter().filter(|e| e.kind == Kind::Page) {
        for lang in &settings.languages {
            let (Some(source), path) = (entry.shown_source(lang.index), &entry.paths[lang.index])
            else {
                continue;
            };
            if entry.is_fallback(lang.index) {
                continue;
            }
            let rest = &path[lang.code.len() + 1..];
            let feed = rest == "atom.xml/"
                || rest.trim_end_matches('/').rsplit('/').next() == Some("index.html");
            let list_page = rest
                .trim_end_matches('/')
                .rsplit_once('/')
                .is_some_and(|(dir, n)| {
                    (dir == "page" || dir.ends_with("/page")) && n.parse::<u32>().is_ok()
                });
            if feed || list_page {
                diags.push(
                    Diagnostic::error(format!("the address /{path} is reserved for a generated page"))
                        .in_file(&source.file)
                        .hint("feeds use atom.xml and list pages use page/N/: give this page another `slug` or file name"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parent_is_nearest_section_with_index() {
        let keys = [
            "_index.md",
            "stories/_index.md",
            "stories/a.md",
            "stories/deep/b.md",
            "about.md",
        ];
        let by_key: HashMap<String, usize> = keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.to_string(), i))
            .collect();
        assert_eq!(parent_section("stories/a.md", &by_key), Some(1));
        assert_eq!(parent_section("stories/deep/b.md", &by_key), Some(1));
        assert_eq!(parent_section("stories/_index.md", &by_key), Some(0));
        assert_eq!(parent_section("about.md", &by_key), Some(0));
        assert_eq!(parent_section("_index.md", &by_key), None);
    }
}
