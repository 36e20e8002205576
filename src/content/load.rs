//! Reads `content/`: finds the Markdown files, works out each file's entry
//! and language from its name, and parses the front matter.

use super::{Content, Entry, Kind, Source, front_matter, tree};
use crate::config::Settings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::services;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A file found under `content/`, before parsing.
struct Found {
    /// Path relative to the site root.
    file: PathBuf,
    /// Entry key: path under `content/` without language suffix.
    key: String,
    /// Language index.
    lang: usize,
}

/// Loads all content of the site. Problems in single files are reported
/// and those files skipped, so that one broken story does not hide others.
pub fn load(settings: &Settings, diags: &mut Diagnostics) -> Content {
    let dir = settings.root.join("content");
    if !dir.is_dir() {
        diags.push(
            Diagnostic::warning("there is no content/ folder: the site has no pages")
                .hint("create content/_index.md for the home page"),
        );
        return Content::default();
    }
    let found = find_files(settings, &dir, diags);
    let parsed: Vec<Read> = found.par_iter().map(|f| read_source(settings, f)).collect();
    let mut sources = BTreeMap::<String, Vec<Option<Source>>>::new();
    for (f, (result, warnings)) in found.iter().zip(parsed) {
        diags.extend(warnings);
        match result {
            Ok(source) => {
                if source.meta.draft && !settings.drafts {
                    continue;
                }
                let versions = sources
                    .entry(f.key.clone())
                    .or_insert_with(|| vec![None; settings.languages.len()]);
                if let Some(other) = &versions[f.lang] {
                    diags.push(
                        Diagnostic::error(format!(
                            "two files are the {} version of `{}`",
                            settings.languages[f.lang].code, f.key
                        ))
                        .in_file(&f.file)
                        .hint(format!(
                            "remove or rename this file or {}; a default-language file needs no language suffix",
                            other.file.display()
                        )),
                    );
                    continue;
                }
                versions[f.lang] = Some(source);
            }
            Err(ds) => diags.extend(ds),
        }
    }
    let entries = sources
        .into_iter()
        .map(|(key, versions)| Entry {
            kind: if key.ends_with("_index.md") {
                Kind::Section
            } else {
                Kind::Page
            },
            key,
            parent: None,
            shown: vec![None; versions.len()],
            paths: vec![String::new(); versions.len()],
            versions,
            pages: Vec::new(),
            subsections: Vec::new(),
        })
        .collect();
    tree::build(entries, settings, diags)
}

fn find_files(settings: &Settings, dir: &Path, diags: &mut Diagnostics) -> Vec<Found> {
    let mut found = Vec::new();
    let walker = walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read content/: {e}")));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let rel_root = entry
            .path()
            .strip_prefix(&settings.root)
            .unwrap_or(entry.path())
            .to_path_buf();
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let rel = crate::slash_path(rel);
        let Some(stem) = rel.strip_suffix(".md") else {
            if crate::images::is_picture(&rel) {
                // Published when a page shows it (images.rs).
                continue;
            }
            diags.push(
                Diagnostic::warning(
                    "this file is ignored: only Markdown (.md) files are read from content/",
                )
                .in_file(&rel_root)
                .hint("put downloads in static/ and link them from there; pictures (JPEG, PNG, WebP, GIF, SVG) may stay beside the page that shows them"),
            );
            continue;
        };
        match split_language(stem, settings) {
            Ok((key, lang)) => found.push(Found {
                file: rel_root,
                key: format!("{key}.md"),
                lang,
            }),
            Err(suffix) => {
                let codes: Vec<&str> = settings.languages.iter().map(|l| l.code.as_str()).collect();
                diags.push(
                    Diagnostic::error(format!("unknown language suffix `.{suffix}` in the file name"))
                        .in_file(&rel_root)
                        .hint(format!(
                            "name translations NAME.LANG.md with one of: {}; add the language to glimmer.toml, \
                             or, if the dot is part of the name, use a hyphen instead",
                            codes.join(", ")
                        )),
                );
            }
        }
    }
    found
}

/// Splits `stories/x.ru` into (`stories/x`, index of `ru`). A name without
/// a dot is in the default language. Returns the unknown suffix on error.
fn split_language<'a>(stem: &'a str, settings: &Settings) -> Result<(&'a str, usize), &'a str> {
    let name_start = stem.rfind('/').map_or(0, |i| i + 1);
    match stem[name_start..].rfind('.') {
        None => Ok((stem, 0)),
        Some(dot) => {
            let (key, suffix) = (&stem[..name_start + dot], &stem[name_start + dot + 1..]);
            settings
                .languages
                .iter()
                .position(|l| l.code == suffix)
                .map(|lang| (key, lang))
                .ok_or(suffix)
        }
    }
}

/// A file read and checked: the source or its errors, and its warnings.
type Read = (Result<Source, Vec<Diagnostic>>, Vec<Diagnostic>);

/// Reads and checks one file.
fn read_source(settings: &Settings, f: &Found) -> Read {
    let mut warnings = Vec::new();
    let source = parse_source(settings, f, &mut warnings);
    (source, warnings)
}

fn parse_source(
    settings: &Settings,
    f: &Found,
    warnings: &mut Vec<Diagnostic>,
) -> Result<Source, Vec<Diagnostic>> {
    let path = settings.root.join(&f.file);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        let hint = if e.kind() == std::io::ErrorKind::InvalidData {
            "save the file as UTF-8 text"
        } else {
            "check that the file exists and can be read"
        };
        vec![
            Diagnostic::error(format!("cannot read this file: {e}"))
                .in_file(&f.file)
                .hint(hint),
        ]
    })?;
    let parsed = front_matter::parse(&text, &f.file)?;
    if parsed.meta.title.is_none() && !f.key.ends_with("_index.md") {
        return Err(vec![
            Diagnostic::error("this page has no title")
                .in_file(&f.file)
                .at(&text, 0, 3)
                .hint("add a line `title = \"…\"` to the front matter"),
        ]);
    }
    let service = match &parsed.meta.service {
        Some(fields) => {
            let place = services::check::Place {
                source: &text,
                toml_start: front_matter::toml_start(&text),
                file: &f.file,
            };
            let (part, found) = services::check(fields, &place, &settings.services);
            warnings.extend(found.warnings);
            if !found.errors.is_empty() {
                return Err(found.errors);
            }
            part
        }
        None => None,
    };
    Ok(Source {
        file: f.file.clone(),
        meta: parsed.meta,
        lang: f.lang,
        service,
    })
}
