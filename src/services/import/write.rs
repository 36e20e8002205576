//! Writing the listings of the good rows, each file whole or not at all;
//! a file that already holds its listing is left as it is.

use super::Report;
use super::row::Draft;
use crate::diagnostics::Diagnostic;
use std::io::Write;
use std::path::Path;

/// Writes the good rows and fills in the report.
pub(super) fn write_all(
    drafts: Vec<Draft>,
    root: &Path,
    folder: &str,
    force: bool,
    report: &mut Report,
) -> Result<(), Vec<Diagnostic>> {
    let dir = root.join(folder);
    if drafts.iter().any(Draft::is_good) {
        std::fs::create_dir_all(&dir).map_err(|e| {
            vec![
                Diagnostic::error(format!("cannot create {folder}/: {e}"))
                    .hint("check that the site folder can be written to"),
            ]
        })?;
    }
    for mut d in drafts {
        if d.is_good() {
            write_listing(&mut d, &dir, folder, force, report);
        }
        if !d.is_good() {
            report.skipped.push(d.skipped());
        }
        report.problems.append(&mut d.problems);
    }
    Ok(())
}

/// Writes the listing of a good row into `dir`, unless its file already
/// holds that text, or holds other text and `force` is off.
fn write_listing(d: &mut Draft, dir: &Path, folder: &str, force: bool, report: &mut Report) {
    let Some(slug) = d.slug.clone() else { return };
    let rel = format!("{folder}/{slug}.md");
    let path = dir.join(format!("{slug}.md"));
    let found = on_disk(&path, &d.front.text);
    if found == OnDisk::Same {
        report.unchanged.push(rel);
    } else if found == OnDisk::Other && !force {
        d.error(
            None,
            format!("{rel} exists; use --force to replace it"),
            None,
        );
    } else if let Err(e) = write_atomically(&path, &d.front.text) {
        d.error(
            None,
            format!("cannot write {rel}: {e}"),
            Some("check that the folder can be written to".into()),
        );
    } else if found == OnDisk::Other {
        report.replaced.push(rel);
    } else {
        report.written.push(rel);
    }
}

/// What a listing's file holds before the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum OnDisk {
    /// There is no such file.
    Missing,
    /// Exactly the listing's text.
    Same,
    /// Something else.
    Other,
}

/// What the file at `path` holds, compared with `text`.
pub(super) fn on_disk(path: &Path, text: &str) -> OnDisk {
    if !path.exists() {
        OnDisk::Missing
    } else if std::fs::read(path).is_ok_and(|bytes| bytes == text.as_bytes()) {
        OnDisk::Same
    } else {
        OnDisk::Other
    }
}

/// Writes `text` to a hidden file beside `path`, then renames it, so that
/// `path` holds either the old text or the whole new one.
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = path.with_file_name(format!(".{name}.import-tmp"));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(text.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_the_same_only_when_every_byte_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.md");
        assert_eq!(on_disk(&path, "text\n"), OnDisk::Missing);
        std::fs::write(&path, "text\n").unwrap();
        assert_eq!(on_disk(&path, "text\n"), OnDisk::Same);
        assert_eq!(on_disk(&path, "text"), OnDisk::Other);
        std::fs::write(&path, "text\r\n").unwrap();
        assert_eq!(on_disk(&path, "text\n"), OnDisk::Other);
    }
}
