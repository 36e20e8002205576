//! Output: minifies HTML, then writes the site. Only this module writes
//! under the output folder, and it refuses any folder it did not create.
//!
//! A first build writes into a fresh staging folder beside the output and
//! renames it into place. A rebuild writes into the existing output only
//! the files whose bytes changed and removes files the site no longer has,
//! which avoids deleting and recreating thousands of unchanged files.
//! Either way nothing is written until every page has rendered, so a build
//! with errors leaves the previous output exactly as it was.

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;
use rayon::prelude::*;
use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};

/// Marker file that tells glimmer it created the folder.
pub const MARKER: &str = ".glimmer-output";

const MARKER_TEXT: &str =
    "This folder is written by `glimmer build`. Its contents are replaced on every build.\n";

/// Minifies every HTML file in place (in parallel).
pub fn minify(files: &mut [OutputFile]) {
    let cfg = minify_html::Cfg {
        minify_css: true,
        minify_js: false,
        keep_html_and_head_opening_tags: true,
        ..Default::default()
    };
    files
        .par_iter_mut()
        .filter(|f| f.path.ends_with(".html"))
        .for_each(|f| f.bytes = minify_html::minify(&f.bytes, &cfg));
}

/// Why an output folder was refused.
pub fn check_output_folder(output: &Path, root: &Path) -> Result<(), Diagnostic> {
    let refuse = |why: &str| {
        Err(Diagnostic::error(format!(
            "refusing to write the site into {}: {why}",
            output.display()
        ))
        .hint("choose an empty or new folder with --output, e.g. --output public"))
    };
    let out = absolute(output);
    let root = absolute(root);
    if out.parent().is_none() {
        return refuse("it is the root of the file system");
    }
    if root.starts_with(&out) {
        return refuse("it contains the site itself");
    }
    for name in ["content", "static", "themes", "locales", "src", ".git"] {
        if out.starts_with(root.join(name)) {
            return refuse(&format!("it is inside the site's {name}/ folder"));
        }
    }
    if let Some(home) = std::env::var_os("HOME").map(PathBuf::from)
        && absolute(&home).starts_with(&out)
    {
        return refuse("it is a home folder or contains one");
    }
    if out.exists() {
        if !out.is_dir() {
            return refuse("it is a file, not a folder");
        }
        let empty = std::fs::read_dir(&out)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty && !out.join(MARKER).is_file() {
            return refuse("it already holds files that glimmer did not write");
        }
    }
    Ok(())
}

/// An absolute, lexically normalised path (no `..`), without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// How much a write changed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WriteStats {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

/// Writes `files` as the whole content of `output` (see the module docs).
pub fn write(output: &Path, files: &[OutputFile]) -> Result<WriteStats, Diagnostic> {
    let io_err = |what: &str, path: &Path, e: io::Error| {
        Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
            .hint("check that the disk has room and that you may write there")
    };
    if output.is_dir() && output.join(MARKER).is_file() {
        return update_in_place(output, files).map_err(|(p, e)| io_err("write", &p, e));
    }
    let staging = staging_path(output);
    if staging.join(MARKER).is_file() {
        std::fs::remove_dir_all(&staging).map_err(|e| io_err("remove", &staging, e))?;
    }
    std::fs::create_dir_all(&staging).map_err(|e| io_err("create", &staging, e))?;
    let stats = write_all(&staging, files.iter()).map_err(|(p, e)| io_err("write", &p, e))?;
    if output.is_dir() {
        std::fs::remove_dir(output).map_err(|e| io_err("replace", output, e))?;
    }
    std::fs::rename(&staging, output).map_err(|e| io_err("move the new site into", output, e))?;
    Ok(stats)
}

/// `.public.glimmer-new` beside `public`.
fn staging_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.glimmer-new"))
}

type IoFail = (PathBuf, io::Error);

fn write_all<'a>(
    dir: &Path,
    files: impl Iterator<Item = &'a OutputFile>,
) -> Result<WriteStats, IoFail> {
    let files: Vec<&OutputFile> = files.collect();
    create_parents(dir, &files)?;
    files.par_iter().try_for_each(|f| {
        let path = dir.join(&f.path);
        std::fs::write(&path, &f.bytes).map_err(|e| (path, e))
    })?;
    let marker = dir.join(MARKER);
    std::fs::write(&marker, MARKER_TEXT).map_err(|e| (marker, e))?;
    Ok(WriteStats {
        written: files.len(),
        ..Default::default()
    })
}

fn create_parents(dir: &Path, files: &[&OutputFile]) -> Result<(), IoFail> {
    let mut parents: Vec<PathBuf> = files
        .iter()
        .filter_map(|f| Path::new(&f.path).parent().map(|p| dir.join(p)))
        .collect();
    parents.sort();
    parents.dedup();
    for p in parents {
        std::fs::create_dir_all(&p).map_err(|e| (p, e))?;
    }
    Ok(())
}

fn update_in_place(output: &Path, files: &[OutputFile]) -> Result<WriteStats, IoFail> {
    let changed: Vec<&OutputFile> = files
        .par_iter()
        .filter(|f| !same_bytes(&output.join(&f.path), &f.bytes))
        .collect();
    let mut stats = write_all(output, changed.iter().copied())?;
    stats.unchanged = files.len() - changed.len();
    let keep: HashSet<PathBuf> = files.iter().map(|f| output.join(&f.path)).collect();
    stats.removed = remove_stale(output, &keep)?;
    Ok(stats)
}

fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Removes files under `output` that are not in `keep` (except the
/// marker), then folders left empty. Returns how many files went.
fn remove_stale(output: &Path, keep: &HashSet<PathBuf>) -> Result<usize, IoFail> {
    let mut removed = 0;
    let mut dirs = Vec::new();
    for entry in walkdir::WalkDir::new(output)
        .min_depth(1)
        .into_iter()
        .flatten()
    {
        let path = entry.path();
        if entry.file_type().is_dir() {
            dirs.push(path.to_path_buf());
        } else if !keep.contains(path) && path != output.join(MARKER) {
            std::fs::remove_file(path).map_err(|e| (path.to_path_buf(), e))?;
            removed += 1;
        }
    }
    for dir in dirs.iter().rev() {
        let _ = std::fs::remove_dir(dir);
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: text.as_bytes().to_vec(),
        }
    }

    #[test]
    fn refuses_dangerous_folders() {
        let root = std::env::temp_dir().join("glimmer-guard-site");
        std::fs::create_dir_all(root.join("content")).unwrap();
        assert!(check_output_folder(Path::new("/"), &root).is_err());
        assert!(check_output_folder(&root, &root).is_err());
        assert!(check_output_folder(&root.join("content"), &root).is_err());
        assert!(check_output_folder(&root.join("content/x/.."), &root).is_err());
        assert!(check_output_folder(root.parent().unwrap(), &root).is_err());
        assert!(check_output_folder(&root.join("public"), &root).is_ok());
    }

    #[test]
    fn rebuild_writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &out,
            &[file("a/index.html", "A"), file("b/index.html", "B")],
        )
        .unwrap();
        assert_eq!(first.written, 2);
        let second = write(&out, &[file("a/index.html", "A"), file("c.xml", "C")]).unwrap();
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert!(!out.join("b").exists());
        assert_eq!(std::fs::read_to_string(out.join("c.xml")).unwrap(), "C");
        assert!(!staging_path(&out).exists());
    }

    #[test]
    fn minified_html_keeps_lang_and_dir() {
        let mut files = [file(
            "x.html",
            "<!DOCTYPE html>\n<html lang=\"ps\" dir=\"rtl\">\n<head>\n<title>x</title>\n</head>\n<body>\n<p>  a  </p>\n</body>\n</html>\n",
        )];
        minify(&mut files);
        let html = String::from_utf8(files[0].bytes.clone()).unwrap();
        assert!(
            html.starts_with("<!doctype html><html dir=rtl lang=ps>") || html.contains("lang=ps"),
            "{html}"
        );
        assert!(html.len() < 100, "{html}");
    }
}
