//! The portable copy (`glimmer build --portable`): the site once more,
//! made to be opened from a USB stick or an unzipped folder (`file://`),
//! where no server turns `/en/` into `en/index.html`, and a ZIP of it.
//!
//! Both go beside the output folder, never inside it (a host would publish
//! the copy with the site): `public/` gets `public-portable/` and
//! `public-portable.zip`. The folder follows the output folder's rules: it
//! is guarded and marked the same way ([`output::check_output_folder`]),
//! staged and only committed when the whole build succeeded. The ZIP is
//! written beside under a temporary name and renamed into place, and an
//! existing ZIP is only replaced when glimmer wrote it (its comment).
//!
//! Every finished file passes through [`Tee`], inside the page's parallel
//! job: the site gets it as it is, the copy gets it with the site's own
//! references made relative ([`html`], [`links`]). What only a server or a
//! search engine reads is left out: the 404 page, `robots.txt`, the host
//! files and the `.gz`/`.br` copies. A `README.txt` says how to open the
//! copy. Pages keep their Content-Security-Policy (Chromium matches
//! `'self'` against `file://` files), renewed where an inline style
//! changed. The ZIP is made from the committed folder, files sorted,
//! compressed in parallel a batch at a time ([`zip`]); the copy is
//! committed before the site, so that when it fails the site is unchanged.

pub mod html;
pub mod links;
pub mod zip;

use crate::config::Settings;
use crate::csp::Policy;
use crate::diagnostics::Diagnostic;
use crate::output::{self, MARKER, Sink, Staging, WriteStats};
use crate::render::OutputFile;
use links::SiteAddress;
use rayon::prelude::*;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The comment of every portable ZIP: what to do with it (unzip tools show
/// it), and how glimmer knows a ZIP it may replace.
pub const ZIP_COMMENT: &str =
    "A website to read offline: unzip it, then open index.html in a web browser.";

/// Files only a web server or a search engine uses, left out of the copy.
const SERVER_ONLY: &[&str] = &["404.html", "robots.txt", "_headers", ".htaccess"];

/// How many files are compressed at once, in parallel, for the ZIP.
const ZIP_BATCH: usize = 64;

/// Where the portable copy of a site goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    /// The folder: `public-portable` beside `public`.
    pub folder: PathBuf,
    /// The ZIP of the folder: `public-portable.zip` beside `public`.
    pub zip: PathBuf,
}

impl Places {
    /// The places for a site built into `output`.
    pub fn beside(output: &Path) -> Result<Places, Diagnostic> {
        let Some(name) = output.file_name() else {
            return Err(Diagnostic::error(format!(
                "cannot name the portable copy of {}",
                output.display()
            ))
            .hint("give the output folder a name, e.g. --output public"));
        };
        let name = format!("{}-portable", name.to_string_lossy());
        Ok(Places {
            folder: output.with_file_name(&name),
            zip: output.with_file_name(format!("{name}.zip")),
        })
    }
}

/// What writing the portable copy did.
#[derive(Debug, Clone)]
pub struct PortableReport {
    /// Where it went.
    pub places: Places,
    /// What writing the folder changed.
    pub write: WriteStats,
    /// Files in the ZIP.
    pub files: usize,
    /// Size of the ZIP in bytes.
    pub zip_bytes: u64,
}

/// The portable copy being written: a staging folder beside the output.
pub struct Portable {
    places: Places,
    staging: Staging,
    site: SiteAddress,
    policy: Policy,
    readme: OutputFile,
    /// The site has a `README.txt` of its own, which is kept.
    own_readme: AtomicBool,
}

impl Portable {
    /// Checks the places for the copy of the site built by `settings` and
    /// prepares an empty staging folder.
    pub fn begin(settings: &Settings) -> Result<Portable, Diagnostic> {
        let places = Places::beside(&settings.output)?;
        check_places(&places, &settings.root)?;
        Ok(Portable {
            staging: Staging::begin(&places.folder, "")?,
            site: SiteAddress::new(&settings.base_url, &settings.base_path),
            policy: Policy::new(&settings.allow_origins),
            readme: readme(settings),
            own_readme: AtomicBool::new(false),
            places,
        })
    }

    /// The copy of one finished file, or `None` when the copy leaves it out.
    fn copy_of(&self, file: &OutputFile) -> Result<Option<OutputFile>, Diagnostic> {
        if SERVER_ONLY.contains(&file.path.as_str()) || is_compressed_copy(&file.path) {
            return Ok(None);
        }
        if file.path == self.readme.path {
            self.own_readme.store(true, Ordering::Relaxed);
        }
        let bytes = if file.path.ends_with(".html") {
            self.page(file).map_err(|e| {
                Diagnostic::error(format!(
                    "cannot make the portable copy of {}: {e}",
                    file.path
                ))
                .hint("build without --portable, and report this page")
            })?
        } else if file.path.ends_with(".css")
            && let Ok(text) = std::str::from_utf8(&file.bytes)
            && let Some(css) = links::css(text, &file.path, &self.site)
        {
            css.into_bytes()
        } else {
            file.bytes.clone()
        };
        Ok(Some(OutputFile {
            path: file.path.clone(),
            bytes,
        }))
    }

    /// A page of the copy, with its policy renewed when its styles changed.
    fn page(&self, file: &OutputFile) -> Result<Vec<u8>, String> {
        let page = html::page(&file.bytes, &file.path, &self.site)?;
        if page.styles_changed {
            return html::renew_policy(&page.bytes, &self.policy);
        }
        Ok(page.bytes)
    }

    /// Moves the copy into place, then writes its ZIP.
    pub fn commit(self) -> Result<PortableReport, Diagnostic> {
        if !self.own_readme.load(Ordering::Relaxed) {
            self.staging.put(self.readme)?;
        }
        let write = self.staging.commit()?;
        let (files, zip_bytes) = write_zip(&self.places)?;
        Ok(PortableReport {
            places: self.places,
            write,
            files,
            zip_bytes,
        })
    }

    /// Throws the staged copy away; the previous copy stays as it was.
    pub fn abort(self) {
        self.staging.abort();
    }
}

/// Hands every file to the site and, when there is one, a copy of it to
/// the portable copy.
pub struct Tee<'a> {
    /// Where the site goes.
    pub site: &'a dyn Sink,
    /// The portable copy, when asked for.
    pub portable: Option<&'a Portable>,
}

impl Sink for Tee<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        let copy = match self.portable {
            Some(p) => p.copy_of(&file)?.map(|c| (p, c)),
            None => None,
        };
        self.site.put(file)?;
        if let Some((portable, copy)) = copy {
            portable.staging.put(copy)?;
        }
        Ok(())
    }
}

/// True for the `.gz` and `.br` copies of text files that the output gets
/// for servers (`[output] precompress`): a browser opening files never
/// reads them.
fn is_compressed_copy(path: &str) -> bool {
    [".gz", ".br"].iter().any(|suffix| {
        path.strip_suffix(suffix)
            .is_some_and(crate::compress::is_compressible)
    })
}

/// The folder follows the output folder's rules; an existing ZIP is only
/// replaced when glimmer wrote it.
fn check_places(places: &Places, root: &Path) -> Result<(), Diagnostic> {
    let moved = "the portable copy goes beside the output folder: move that away, or choose another --output";
    output::check_output_folder(&places.folder, root).map_err(|d| d.hint(moved))?;
    let zip = &places.zip;
    if zip.exists() && !(zip.is_file() && is_our_zip(zip)) {
        return Err(Diagnostic::error(format!(
            "refusing to replace {}: glimmer did not write it",
            zip.display()
        ))
        .hint(moved));
    }
    Ok(())
}

/// True when the file ends with the end record of a ZIP glimmer wrote.
fn is_our_zip(path: &Path) -> bool {
    let tail_len = 22 + ZIP_COMMENT.len() as u64;
    let read_tail = || -> std::io::Result<Vec<u8>> {
        let mut file = std::fs::File::open(path)?;
        file.seek(SeekFrom::End(-(tail_len as i64)))?;
        let mut tail = Vec::new();
        file.read_to_end(&mut tail)?;
        Ok(tail)
    };
    read_tail().is_ok_and(|tail| {
        tail.starts_with(&[0x50, 0x4b, 0x05, 0x06]) && tail.ends_with(ZIP_COMMENT.as_bytes())
    })
}

/// Writes the ZIP of the committed folder under a temporary name, then
/// renames it into place. Returns the number of files and the ZIP's size.
fn write_zip(places: &Places) -> Result<(usize, u64), Diagnostic> {
    let files = folder_files(&places.folder)?;
    let name = places.zip.file_name().unwrap_or_default().to_string_lossy();
    let temporary = places.zip.with_file_name(format!(".{name}.glimmer-new"));
    let written = write_zip_to(&places.folder, &files, &temporary).and_then(|size| {
        std::fs::rename(&temporary, &places.zip)
            .map(|()| size)
            .map_err(|e| io_error("write", &places.zip, e))
    });
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    Ok((files.len(), written?))
}

fn write_zip_to(folder: &Path, files: &[String], to: &Path) -> Result<u64, Diagnostic> {
    let file = std::fs::File::create(to).map_err(|e| io_error("create", to, e))?;
    let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(file));
    for batch in files.chunks(ZIP_BATCH) {
        let entries: Vec<zip::Entry> = batch
            .par_iter()
            .map(|rel| {
                let path = folder.join(rel);
                let bytes = std::fs::read(&path).map_err(|e| io_error("read", &path, e))?;
                zip::Entry::new(rel.clone(), &bytes).map_err(|e| io_error("compress", &path, e))
            })
            .collect::<Result<_, _>>()?;
        for entry in entries {
            zip.add(entry).map_err(|e| io_error("write", to, e))?;
        }
    }
    let mut out = zip
        .finish(ZIP_COMMENT)
        .map_err(|e| io_error("write", to, e))?;
    out.flush().map_err(|e| io_error("write", to, e))?;
    let size = out
        .get_ref()
        .metadata()
        .map_err(|e| io_error("write", to, e))?;
    Ok(size.len())
}

/// Every file of the folder but the marker, relative with `/`, sorted.
fn folder_files(folder: &Path) -> Result<Vec<String>, Diagnostic> {
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(folder).min_depth(1) {
        let entry = entry.map_err(|e| {
            Diagnostic::error(format!("cannot read {}: {e}", folder.display()))
                .hint("check that you may read that folder")
        })?;
        if entry.file_type().is_dir() {
            continue;
        }
        let rel = entry.path().strip_prefix(folder).unwrap_or(entry.path());
        let rel = crate::slash_path(rel);
        if rel != MARKER {
            files.push(rel);
        }
    }
    files.sort();
    Ok(files)
}

fn io_error(what: &str, path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(format!("cannot {what} {}: {e}", path.display()))
        .hint("check that the disk has room and that you may write there")
}

/// `README.txt`: how to open the copy, in plain English (the language
/// chooser it points to speaks every language). UTF-8 with a byte-order
/// mark and CRLF line ends, so that old Windows Notepad shows the
/// languages' names.
fn readme(settings: &Settings) -> OutputFile {
    let names: Vec<&str> = settings.languages.iter().map(|l| l.name.as_str()).collect();
    let mut text = String::from("\u{feff}");
    if !settings.discreet {
        for l in &settings.languages {
            text.push_str(&format!("{}\n", l.title));
        }
        text.push('\n');
    }
    text.push_str(&format!(
        "How to read this website without internet\n\
         \n\
         1. If it came as a ZIP file, unzip it first (Windows: right-click,\n   \
         \"Extract All\"). Pages opened inside the ZIP do not work.\n\
         2. Open index.html, in this folder, in a web browser (double-click it).\n\
         3. Choose your language: {}.\n\
         \n\
         Links between its pages work without internet; links to other\n\
         websites need it. The \"Exit this page\" button leaves at once,\n\
         with or without internet.\n\
         \n\
         As with any website, the browser keeps the pages you open in its\n\
         history. The page \"Staying safe online\" says how to remove them.\n",
        names.join(", ")
    ));
    if !settings.discreet {
        text.push_str(&format!("\nOn the internet: {}\n", settings.base_url));
    }
    OutputFile {
        path: "README.txt".into(),
        bytes: text.replace('\n', "\r\n").into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_copy_goes_beside_the_output() {
        let places = Places::beside(Path::new("site/public")).unwrap();
        assert_eq!(places.folder, Path::new("site/public-portable"));
        assert_eq!(places.zip, Path::new("site/public-portable.zip"));
        let places = Places::beside(Path::new("/tmp/out/")).unwrap();
        assert_eq!(places.folder, Path::new("/tmp/out-portable"));
        assert!(Places::beside(Path::new("/")).is_err());
    }

    #[test]
    fn copies_for_servers_are_left_out() {
        assert!(is_compressed_copy("en/index.html.gz"));
        assert!(is_compressed_copy("quick-exit.js.br"));
        assert!(!is_compressed_copy("files/data.tar.gz"));
        assert!(!is_compressed_copy("en/index.html"));
    }

    #[test]
    fn only_zips_glimmer_wrote_are_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let ours = dir.path().join("ours.zip");
        let bytes = zip::ZipWriter::new(Vec::new()).finish(ZIP_COMMENT).unwrap();
        std::fs::write(&ours, bytes).unwrap();
        assert!(is_our_zip(&ours));
        let theirs = dir.path().join("theirs.zip");
        let bytes = zip::ZipWriter::new(Vec::new()).finish("").unwrap();
        std::fs::write(&theirs, bytes).unwrap();
        assert!(!is_our_zip(&theirs));
        std::fs::write(&theirs, "tiny").unwrap();
        assert!(!is_our_zip(&theirs));
    }
}
