//! Output: minifies HTML, then writes the site. Only this module writes
//! under the output folder, and it refuses any folder it did not create.
//!
//! Files are written into a staging folder beside the output as they are
//! rendered, so the whole site never has to sit in memory. A first build
//! then renames the staging folder into place; a rebuild stages only the
//! files whose bytes changed, moves them in, and removes files the site no
//! longer has, which avoids deleting and recreating thousands of unchanged
//! files. Nothing in the output changes until every page has rendered
//! without error, so a failed build leaves it exactly as it was.

use crate::diagnostics::Diagnostic;
use crate::render::OutputFile;
use std::collections::HashSet;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

/// Marker file that tells glimmer it created the folder.
pub const MARKER: &str = ".glimmer-output";

const MARKER_TEXT: &str =
    "This folder is written by `glimmer build`. Its contents are replaced on every build.\n";

/// Minifies an HTML file; other files are left alone.
pub fn minify(file: &mut OutputFile) {
    if !file.path.ends_with(".html") {
        return;
    }
    // The theme's style sheets were minified once, when the theme was
    // loaded (`minify_css`): parsing the same CSS again on every page
    // would take a third of the build.
    let cfg = minify_html::Cfg {
        minify_css: false,
        minify_js: false,
        keep_html_and_head_opening_tags: true,
        ..Default::default()
    };
    file.bytes = minify_html::minify(&file.bytes, &cfg);
}

/// Minifies a style sheet (as inside a `<style>` element).
pub fn minify_css(css: &str) -> String {
    let cfg = minify_html::Cfg {
        minify_css: true,
        ..Default::default()
    };
    let html = format!("<style>{css}</style>");
    let out = String::from_utf8_lossy(&minify_html::minify(html.as_bytes(), &cfg)).into_owned();
    out.strip_prefix("<style>")
        .and_then(|o| o.strip_suffix("</style>"))
        .map_or_else(|| css.to_string(), str::to_string)
}

/// Where rendered files go, from many threads at once.
pub trait Sink: Sync {
    /// Takes one finished file.
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic>;
}

/// Drops every file: for rendering only to find errors.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: OutputFile) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// Keeps the files in memory: for tests, and for serving without a disk.
#[derive(Default)]
pub struct Memory {
    files: Mutex<Vec<OutputFile>>,
}

impl Memory {
    /// The files, sorted by path.
    pub fn into_files(self) -> Vec<OutputFile> {
        let mut files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        files.sort_by(|a, b| a.path.cmp(&b.path));
        files
    }
}

impl Sink for Memory {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(file);
        Ok(())
    }
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

/// Writes a build to disk. Files go into a staging folder beside the
/// output as they are rendered; unchanged files of an earlier build are
/// only compared. Nothing in the output changes before [`Staging::commit`],
/// and [`Staging::abort`] leaves it exactly as it was.
pub struct Staging {
    output: PathBuf,
    staging: PathBuf,
    update: bool,
    paths: Mutex<Vec<String>>,
    staged: Mutex<Vec<String>>,
}

impl Staging {
    /// Prepares an empty staging folder for `output`. `note` is added to
    /// the marker file, for the next build to read (see
    /// [`previous_note`]).
    pub fn begin(output: &Path, note: &str) -> Result<Staging, Diagnostic> {
        let staging = staging_path(output);
        if staging.exists() {
            if !staging.join(MARKER).is_file() {
                return Err(Diagnostic::error(format!(
                    "{} is in the way of the build and was not made by glimmer",
                    staging.display()
                ))
                .hint("move or delete that folder"));
            }
            std::fs::remove_dir_all(&staging).map_err(|e| io_error("remove", &staging, e))?;
        }
        std::fs::create_dir_all(&staging).map_err(|e| io_error("create", &staging, e))?;
        let marker = staging.join(MARKER);
        std::fs::write(&marker, format!("{MARKER_TEXT}{note}"))
            .map_err(|e| io_error("write", &marker, e))?;
        Ok(Staging {
            update: output.join(MARKER).is_file(),
            output: output.to_path_buf(),
            staging,
            paths: Mutex::default(),
            staged: Mutex::default(),
        })
    }

    /// Moves the new files into place and removes stale ones.
    pub fn commit(self) -> Result<WriteStats, Diagnostic> {
        let paths = self.paths.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut staged = self.staged.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut stats = WriteStats {
            written: staged.len(),
            unchanged: paths.len() - staged.len(),
            removed: 0,
        };
        if !self.update {
            if self.output.is_dir() {
                std::fs::remove_dir(&self.output)
                    .map_err(|e| io_error("replace", &self.output, e))?;
            }
            std::fs::rename(&self.staging, &self.output)
                .map_err(|e| io_error("move the new site into", &self.output, e))?;
            return Ok(stats);
        }
        staged.sort();
        for path in &staged {
            let to = self.output.join(path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
            }
            std::fs::rename(self.staging.join(path), &to).map_err(|e| io_error("write", &to, e))?;
        }
        let keep: HashSet<PathBuf> = paths.iter().map(|p| self.output.join(p)).collect();
        stats.removed =
            remove_stale(&self.output, &keep).map_err(|(p, e)| io_error("remove", &p, e))?;
        std::fs::remove_dir_all(&self.staging).map_err(|e| io_error("remove", &self.staging, e))?;
        Ok(stats)
    }

    /// Throws the staged files away; the output stays as it was.
    pub fn abort(self) {
        let _ = std::fs::remove_dir_all(&self.staging);
    }
}

impl Sink for Staging {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let unchanged = self.update && same_bytes(&self.output.join(&file.path), &file.bytes);
        if !unchanged {
            let to = self.staging.join(&file.path);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent).map_err(|e| io_error("create", parent, e))?;
            }
            std::fs::write(&to, &file.bytes).map_err(|e| io_error("write", &to, e))?;
            lock(&self.staged).push(file.path.clone());
        }
        lock(&self.paths).push(file.path);
        Ok(())
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

fn io_error(what: &str, path: &Path, e: io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
        .hint("check that the disk has room and that you may write there")
}

/// `.public.glimmer-new` beside `public`.
fn staging_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map_or("public".into(), |n| n.to_string_lossy().into_owned());
    output.with_file_name(format!(".{name}.glimmer-new"))
}

/// What the build that wrote `output` noted in its marker file, or `None`
/// when glimmer did not write it.
pub fn previous_note(output: &Path) -> Option<String> {
    let text = std::fs::read_to_string(output.join(MARKER)).ok()?;
    Some(text.strip_prefix(MARKER_TEXT).unwrap_or("").to_string())
}

/// True when the file at `path` holds exactly `bytes`.
pub fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    match std::fs::metadata(path) {
        Ok(m) if m.is_file() && m.len() == bytes.len() as u64 => {
            std::fs::read(path).is_ok_and(|old| old == bytes)
        }
        _ => false,
    }
}

/// Removes files under `output` that are not in `keep` (except the
/// marker), then folders left empty. Returns how many files went.
fn remove_stale(output: &Path, keep: &HashSet<PathBuf>) -> Result<usize, (PathBuf, io::Error)> {
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

    fn write(out: &Path, files: &[OutputFile]) -> WriteStats {
        let staging = Staging::begin(out, "").unwrap();
        for f in files {
            staging.put(f.clone()).unwrap();
        }
        staging.commit().unwrap()
    }

    #[test]
    fn rebuild_writes_only_changes_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let first = write(
            &out,
            &[file("a/index.html", "A"), file("b/index.html", "B")],
        );
        assert_eq!(first.written, 2);
        assert!(out.join(MARKER).is_file());
        let second = write(&out, &[file("a/index.html", "A"), file("c.xml", "C")]);
        assert_eq!(
            (second.written, second.unchanged, second.removed),
            (1, 1, 1)
        );
        assert!(!out.join("b").exists());
        assert_eq!(std::fs::read_to_string(out.join("c.xml")).unwrap(), "C");
        assert!(!staging_path(&out).exists());
    }

    #[test]
    fn abort_leaves_the_output_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write(&out, &[file("a/index.html", "A")]);
        let staging = Staging::begin(&out, "").unwrap();
        staging.put(file("a/index.html", "changed")).unwrap();
        staging.abort();
        assert_eq!(
            std::fs::read_to_string(out.join("a/index.html")).unwrap(),
            "A"
        );
        assert!(!staging_path(&out).exists());
    }

    #[test]
    fn minified_html_keeps_lang_and_dir() {
        let mut f = file(
            "x.html",
            "<!DOCTYPE html>\n<html lang=\"ps\" dir=\"rtl\">\n<head>\n<title>x</title>\n</head>\n<body>\n<p>  a  </p>\n</body>\n</html>\n",
        );
        minify(&mut f);
        let html = String::from_utf8(f.bytes).unwrap();
        assert_eq!(
            html,
            "<!doctype html><html dir=rtl lang=ps><head><title>x</title><body><p>a"
        );
    }
}
