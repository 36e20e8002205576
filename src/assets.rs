//! Static files: the theme's `static/` folder, then the site's `static/`,
//! copied as they are. A site file wins over a theme file of the same path,
//! and over a generated feed, sitemap or `robots.txt`; a static file in the
//! place of a generated page is an error.

use crate::config::Settings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{MARKER, Sink};
use crate::render::OutputFile;
use crate::templates::Theme;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

/// Where a static file comes from.
pub enum Origin {
    /// A theme file, already in memory.
    Theme(Vec<u8>),
    /// A file of the site, read when copied.
    Site(PathBuf),
}

/// Every static file by output path.
pub fn find(settings: &Settings, theme: &Theme) -> BTreeMap<String, Origin> {
    let mut files: BTreeMap<String, Origin> = theme
        .static_files
        .iter()
        .map(|(path, f)| (path.clone(), Origin::Theme(f.bytes.clone())))
        .collect();
    let dir = settings.root.join("static");
    for entry in walkdir::WalkDir::new(&dir).into_iter().flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let rel = crate::slash_path(rel);
        if !is_private(&rel) {
            files.insert(rel, Origin::Site(entry.path().to_path_buf()));
        }
    }
    files
}

/// Files that belong to the author's tools, not to the site: version
/// control files, folder thumbnails, and glimmer's own marker. (`.htaccess`
/// and `.well-known/` are published.)
fn is_private(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name == MARKER
        || name.starts_with(".git")
        || name == ".DS_Store"
        || name.eq_ignore_ascii_case("Thumbs.db")
        || name.eq_ignore_ascii_case("desktop.ini")
}

/// The file to name in a message about each static file, by output path.
pub fn sources(settings: &Settings, files: &BTreeMap<String, Origin>) -> BTreeMap<String, PathBuf> {
    files
        .iter()
        .map(|(path, origin)| (path.clone(), shown(settings, path, origin)))
        .collect()
}

/// The site's file, relative to the site, or the theme's.
fn shown(settings: &Settings, path: &str, origin: &Origin) -> PathBuf {
    match origin {
        Origin::Site(p) => p.strip_prefix(&settings.root).unwrap_or(p).to_path_buf(),
        Origin::Theme(_) => PathBuf::from(format!("themes/{}/static/{path}", settings.theme)),
    }
}

/// Copies the static files into `sink`, refusing any that would replace a
/// generated page.
pub fn copy(
    settings: &Settings,
    files: BTreeMap<String, Origin>,
    pages: &HashSet<String>,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) {
    for (path, origin) in files {
        let shown = shown(settings, &path, &origin);
        if pages.contains(&path) {
            diags.push(
                Diagnostic::error(format!(
                    "this file would replace the generated page /{path}"
                ))
                .in_file(&shown)
                .hint("rename or move it; pages come from content/"),
            );
            continue;
        }
        let site_file = matches!(origin, Origin::Site(_));
        let bytes = match origin {
            Origin::Theme(bytes) => Ok(bytes),
            Origin::Site(p) => std::fs::read(&p),
        };
        if site_file
            && let Ok(bytes) = &bytes
            && crate::images::gps::has_location(bytes)
        {
            diags.push(located_photo(&shown));
        }
        let result = bytes
            .map_err(|e| Diagnostic::error(format!("cannot read this file: {e}")).in_file(&shown))
            .and_then(|bytes| sink.put(OutputFile { path, bytes }));
        if let Err(d) = result {
            diags.push(d);
        }
    }
}

/// A photo in `static/` that tells where it was taken.
fn located_photo(shown: &std::path::Path) -> Diagnostic {
    Diagnostic::warning(
        "this photo holds the GPS position where it was taken, and files in static/ are published as they are",
    )
    .in_file(shown)
    .hint(
        "move it beside the story that shows it (content/stories/…): glimmer then publishes copies without \
         any metadata; or remove the location with your photo app before adding it",
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn tool_files_stay_out_of_the_site() {
        for private in [".gitkeep", "img/.gitignore", ".DS_Store", "x/Thumbs.db"] {
            assert!(super::is_private(private), "{private}");
        }
        for public in [".htaccess", ".well-known/security.txt", "img/logo.png"] {
            assert!(!super::is_private(public), "{public}");
        }
    }
}
