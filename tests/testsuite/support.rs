//! Helpers shared by the integration tests: copy a fixture site into a
//! temporary folder, build it (through the library or the real binary) and
//! look at what came out.

use glimmer::BuildReport;
use glimmer::config::BuildOptions;
use glimmer::diagnostics::Diagnostic;
use glimmer::output::{MARKER, WriteStats};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::rc::Rc;
use std::time::{Duration, SystemTime};
use tempfile::TempDir;

/// Folder of the fixture sites.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A fixture site copied into a fresh temporary folder.
pub struct SiteTest {
    tmp: Rc<TempDir>,
    root: PathBuf,
    output: PathBuf,
    drafts: bool,
}

impl SiteTest {
    /// Copies `tests/fixtures/NAME` (e.g. `basic`, `broken/unknown-key`) to
    /// `TMP/site`; the site is built into `TMP/site/public`.
    pub fn fixture(name: &str) -> SiteTest {
        let src = fixtures_dir().join(name);
        assert!(
            src.join("glimmer.toml").is_file(),
            "no fixture site at {}",
            src.display()
        );
        let tmp = tempfile::tempdir().expect("temp dir");
        let root = tmp.path().join("site");
        copy_dir(&src, &root);
        SiteTest {
            output: root.join("public"),
            root,
            tmp: Rc::new(tmp),
            drafts: false,
        }
    }

    /// Publishes drafts too.
    pub fn drafts(mut self) -> SiteTest {
        self.drafts = true;
        self
    }

    /// Builds into `path` instead of `site/public`.
    pub fn output_to(mut self, path: impl Into<PathBuf>) -> SiteTest {
        self.output = path.into();
        self
    }

    /// The site folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The output folder.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// The temporary folder holding the site (for extra folders beside it).
    pub fn tmp(&self) -> &Path {
        self.tmp.path()
    }

    /// Writes (or overwrites) a file of the site.
    pub fn write(&self, rel: &str, text: &str) -> &SiteTest {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        self
    }

    /// Writes (or overwrites) a binary file of the site.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &SiteTest {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        self
    }

    /// Replaces `from` by `to` in a file of the site; `from` must occur.
    pub fn edit(&self, rel: &str, from: &str, to: &str) -> &SiteTest {
        let path = self.root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} does not contain {from:?}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
        self
    }

    /// Removes a file of the site.
    pub fn remove(&self, rel: &str) -> &SiteTest {
        std::fs::remove_file(self.root.join(rel)).unwrap();
        self
    }

    /// The library's build options for this site.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: Some(self.output.clone()),
            drafts: self.drafts,
            ..Default::default()
        }
    }

    /// Builds through the library; whatever happens.
    pub fn try_build(&self) -> Result<BuildReport, Vec<Diagnostic>> {
        glimmer::build(&self.options())
    }

    /// Builds through the library and panics, showing every diagnostic,
    /// when the build fails.
    pub fn build(&self) -> Built {
        match self.try_build() {
            Ok(report) => Built {
                _tmp: self.tmp.clone(),
                output: self.output.clone(),
                report,
            },
            Err(diags) => panic!("the build failed:\n{}", render(&diags)),
        }
    }

    /// Builds through the library, expects it to fail, and returns every
    /// diagnostic as the command line prints it.
    pub fn build_err(&self) -> String {
        match self.try_build() {
            Ok(report) => panic!(
                "the build succeeded, with these warnings:\n{}",
                render(&report.summary.warnings)
            ),
            Err(diags) => {
                assert!(
                    diags.iter().any(Diagnostic::is_error),
                    "a failed build reported no error:\n{}",
                    render(&diags)
                );
                render(&diags)
            }
        }
    }

    /// Runs the real `glimmer` binary with `args` in the site folder, with
    /// `HOME` set to the temporary folder.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(args, &[])
    }

    /// Like [`SiteTest::run`] with extra environment variables.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &Path)]) -> Run {
        let mut cmd = glimmer_command(&self.root);
        cmd.env("HOME", self.tmp.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        Run(cmd.args(args).output().expect("run glimmer"))
    }
}

/// A `glimmer` command in folder `dir`.
pub fn glimmer_command(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_glimmer"));
    cmd.current_dir(dir).env_remove("GLIMMER_LOG");
    cmd
}

/// What a run of the binary did.
pub struct Run(pub Output);

impl Run {
    /// Standard output as text.
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }

    /// Standard error as text.
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }

    /// Panics unless the command succeeded.
    pub fn assert_success(&self) -> &Run {
        assert!(
            self.0.status.success(),
            "glimmer failed with {}\nstdout:\n{}\nstderr:\n{}",
            self.0.status,
            self.stdout(),
            self.stderr()
        );
        self
    }

    /// Panics unless the command failed with exit status 1.
    pub fn assert_failure(&self) -> &Run {
        assert_eq!(
            self.0.status.code(),
            Some(1),
            "expected exit status 1\nstdout:\n{}\nstderr:\n{}",
            self.stdout(),
            self.stderr()
        );
        self
    }
}

/// Every diagnostic as the command line prints it.
pub fn render(diags: &[Diagnostic]) -> String {
    diags
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// A successful build and its output folder.
pub struct Built {
    _tmp: Rc<TempDir>,
    output: PathBuf,
    /// What the library returned.
    pub report: BuildReport,
}

impl Built {
    /// The output folder.
    pub fn output(&self) -> &Path {
        &self.output
    }

    /// True when the output has this file.
    pub fn exists(&self, rel: &str) -> bool {
        self.output.join(rel).is_file()
    }

    /// The text of an output file; panics (listing the output) if missing.
    pub fn file(&self, rel: &str) -> String {
        match std::fs::read_to_string(self.output.join(rel)) {
            Ok(text) => text,
            Err(e) => panic!(
                "cannot read {rel} ({e}); the output has:\n{}",
                self.files().join("\n")
            ),
        }
    }

    /// Panics unless `rel` contains `needle`.
    pub fn assert_contains(&self, rel: &str, needle: &str) -> &Built {
        let text = self.file(rel);
        assert!(
            text.contains(needle),
            "{rel} does not contain {needle:?}:\n{text}"
        );
        self
    }

    /// Panics if `rel` contains `needle`.
    pub fn assert_not_contains(&self, rel: &str, needle: &str) -> &Built {
        let text = self.file(rel);
        assert!(!text.contains(needle), "{rel} contains {needle:?}:\n{text}");
        self
    }

    /// Panics unless the output has this file.
    pub fn assert_exists(&self, rel: &str) -> &Built {
        assert!(
            self.exists(rel),
            "{rel} is missing; the output has:\n{}",
            self.files().join("\n")
        );
        self
    }

    /// Panics if the output has this file.
    pub fn assert_missing(&self, rel: &str) -> &Built {
        assert!(!self.exists(rel), "{rel} should not have been written");
        self
    }

    /// Every file of the output, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.output).into_keys().collect()
    }

    /// The warnings, as the command line prints them.
    pub fn warnings(&self) -> String {
        render(&self.report.summary.warnings)
    }

    /// Pages and fallback pages per language: (code, pages, fallbacks).
    pub fn stats(&self) -> Vec<(String, usize, usize)> {
        self.report
            .summary
            .stats
            .iter()
            .map(|(code, s)| (code.clone(), s.pages, s.fallbacks))
            .collect()
    }

    /// What writing the output changed.
    pub fn write_stats(&self) -> WriteStats {
        self.report.write
    }

    /// How many files the site has (the output folder without its marker).
    pub fn file_count(&self) -> usize {
        self.files().iter().filter(|f| *f != MARKER).count()
    }

    /// The attributes of the first `<tag …>` of an output HTML file.
    pub fn tag(&self, rel: &str, tag: &str) -> Attrs {
        let html = self.file(rel);
        first_tag(&html, tag).unwrap_or_else(|| panic!("no <{tag}> in {rel}:\n{html}"))
    }

    /// The attributes of every `<tag …>` of an output HTML file.
    pub fn tags(&self, rel: &str, tag: &str) -> Vec<Attrs> {
        all_tags(&self.file(rel), tag)
    }
}

/// Attributes of one HTML start tag, quoted or not (minified output drops
/// quotes and reorders attributes).
pub type Attrs = BTreeMap<String, String>;

/// Every `<tag …>` in `html`, with its attributes.
pub fn all_tags(html: &str, tag: &str) -> Vec<Attrs> {
    let open = format!("<{tag}");
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let boundary = after.chars().next();
        if matches!(boundary, Some(c) if c.is_whitespace() || c == '>' || c == '/') {
            let (attrs, used) = parse_attrs(after);
            out.push(attrs);
            rest = &after[used..];
        } else {
            rest = after;
        }
    }
    out
}

/// The first `<tag …>` in `html`.
pub fn first_tag(html: &str, tag: &str) -> Option<Attrs> {
    all_tags(html, tag).into_iter().next()
}

/// Parses attributes up to the closing `>`; returns them and the bytes read.
fn parse_attrs(s: &str) -> (Attrs, usize) {
    let bytes = s.as_bytes();
    let mut attrs = Attrs::new();
    let mut i = 0;
    loop {
        while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() || bytes[i] == b'>' {
            return (attrs, (i + 1).min(bytes.len()));
        }
        let start = i;
        while i < bytes.len() && !matches!(bytes[i], b'=' | b'>' | b' ' | b'\n' | b'\t' | b'/') {
            i += 1;
        }
        let name = s[start..i].to_ascii_lowercase();
        let mut value = String::new();
        if i < bytes.len() && bytes[i] == b'=' {
            i += 1;
            if i < bytes.len() && (bytes[i] == b'"' || bytes[i] == b'\'') {
                let q = bytes[i];
                let vstart = i + 1;
                i = vstart;
                while i < bytes.len() && bytes[i] != q {
                    i += 1;
                }
                value = s[vstart..i].to_string();
                i += 1;
            } else {
                let vstart = i;
                while i < bytes.len() && !bytes[i].is_ascii_whitespace() && bytes[i] != b'>' {
                    i += 1;
                }
                value = s[vstart..i].to_string();
            }
        }
        attrs.insert(name, value);
    }
}

/// Checks that `xml` is well-formed enough for a feed reader: one root,
/// every start tag closed in order, no stray `&`. Returns the element
/// names in document order.
pub fn check_xml(xml: &str) -> Vec<String> {
    let body = xml
        .strip_prefix("<?xml version=\"1.0\" encoding=\"utf-8\"?>")
        .unwrap_or_else(|| panic!("no XML declaration:\n{xml}"));
    let mut stack: Vec<String> = Vec::new();
    let mut names = Vec::new();
    let mut roots = 0;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt], xml);
        let gt = rest[lt..]
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag in:\n{xml}"))
            + lt;
        let tag = &rest[lt + 1..gt];
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name.trim(), "mismatched tags in:\n{xml}");
        } else {
            let name: String = tag
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '/')
                .collect();
            if stack.is_empty() {
                roots += 1;
            }
            let attrs = &tag[name.len()..];
            names.push(name.clone());
            if !tag.ends_with('/') {
                stack.push(name);
            }
            assert_eq!(
                attrs.matches('"').count() % 2,
                0,
                "unbalanced quotes in <{tag}>"
            );
            check_text(attrs, xml);
        }
        rest = &rest[gt + 1..];
    }
    check_text(rest, xml);
    assert!(stack.is_empty(), "unclosed elements {stack:?} in:\n{xml}");
    assert_eq!(roots, 1, "an XML document has exactly one root:\n{xml}");
    names
}

fn check_text(text: &str, xml: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "unescaped & in {:?} of:\n{xml}",
            &text[i..(i + 10).min(text.len())]
        );
    }
}

/// Every file under `dir` with its bytes, keyed by relative path.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    collect(dir, dir, &mut out);
    out
}

fn collect(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(base, &path, out);
        } else {
            let rel = path.strip_prefix(base).unwrap();
            let rel = rel.to_string_lossy().replace('\\', "/");
            out.insert(rel, std::fs::read(&path).unwrap());
        }
    }
}

/// Panics, naming the first differing files, unless both trees hold the
/// same files with the same bytes.
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let only_a: Vec<&String> = a.keys().filter(|k| !b.contains_key(*k)).collect();
    let only_b: Vec<&String> = b.keys().filter(|k| !a.contains_key(*k)).collect();
    assert!(
        only_a.is_empty() && only_b.is_empty(),
        "files differ: only before {only_a:?}, only after {only_b:?}"
    );
    let changed: Vec<&String> = a.keys().filter(|k| a[*k] != b[*k]).collect();
    assert!(changed.is_empty(), "bytes differ in {changed:?}");
    assert!(!a.is_empty(), "compared two empty folders");
}

/// Sets a file's modification time to a fixed moment in the past, so that a
/// later rewrite is visible whatever the file system's clock resolution.
pub fn age(path: &Path) -> SystemTime {
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    std::fs::File::options()
        .write(true)
        .open(path)
        .unwrap()
        .set_modified(old)
        .unwrap();
    old
}

/// A file's modification time.
pub fn mtime(path: &Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A `w`×`h` picture of coloured noise, which hardly compresses, as PNG.
pub fn noise_png(w: u32, h: u32) -> Vec<u8> {
    let mut x: u32 = 2463534242;
    let img = image::RgbImage::from_fn(w, h, |_, _| {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        image::Rgb([x as u8, (x >> 8) as u8, (x >> 16) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}
