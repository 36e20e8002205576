//! Page-weight budgets, checked at build. [`Scale`] is a sink in front of
//! the one that writes: it weighs every finished file on its way out and
//! keeps only sizes and, per page, the paths of what the page loads (never
//! the pages themselves). [`Scale::finish`] then adds up each page's first
//! visit and reports pages over `[budgets] page_kb` and images over
//! `image_kb`: warnings, or errors with `glimmer build --strict`.
//!
//! A page weighs what a host sends on a first visit: its HTML
//! gzip-compressed plus each same-origin script, style sheet, icon and
//! preload it loads, compressed the same way when they are text (CSS,
//! JavaScript, SVG) and as they are otherwise. Images are weighed apart,
//! each against `image_kb`. When a file's `.gz` copy (level 9) passes
//! first (`[output] precompress`), its length is taken; otherwise the file
//! is compressed at level 6, as servers compressing on the fly do by
//! default (Apache's mod_deflate), which takes far less time than 9.

mod book;
pub mod refs;

use crate::config::Settings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Sink;
use crate::render::OutputFile;
use book::{Book, Page};
use flate2::{Compress, Compression, FlushCompress, Status};
use refs::{Kind, Origin};
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

/// How many of the heaviest pages the summary names.
pub const HEAVIEST: usize = 5;

/// Bytes in a KB, as budgets count them.
const KB: f64 = 1000.0;

/// A page and what its first visit transfers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageWeight {
    /// Its address on the site: `/en/stories/x/`.
    pub url: String,
    /// Bytes, compressed as a host sends them: the HTML and what it loads,
    /// images apart.
    pub bytes: u64,
}

/// One part of a page's weight, for messages.
struct Part {
    label: String,
    bytes: u64,
}

/// Weighs every file put into it, then passes the file on to `sink`.
pub struct Scale<'a> {
    sink: &'a dyn Sink,
    settings: &'a Settings,
    /// Files of the site's `static/` or the theme's, by output path, with
    /// the path to name in a message.
    sources: BTreeMap<String, PathBuf>,
    /// Output paths of the files glimmer made from pictures.
    made: HashSet<String>,
    book: Mutex<Book>,
    /// Bytes each file other than a page transfers, by output path.
    files: Mutex<HashMap<String, u64>>,
    /// Lengths of `.gz` copies that passed before their original.
    gzipped: Mutex<HashMap<String, u64>>,
}

impl<'a> Scale<'a> {
    /// Weighs the files on their way into `sink`. `sources` names, by
    /// output path, the file each static file comes from.
    pub fn new(
        sink: &'a dyn Sink,
        settings: &'a Settings,
        sources: BTreeMap<String, PathBuf>,
    ) -> Scale<'a> {
        Scale {
            sink,
            settings,
            sources,
            made: HashSet::new(),
            book: Mutex::default(),
            files: Mutex::default(),
            gzipped: Mutex::default(),
        }
    }

    /// Checks every page and image against its budget, adding a warning
    /// (an error with `--strict`) for each one over it, and returns the
    /// heaviest pages, heaviest first. `made` names, by output path, the
    /// picture each made file (`images`) comes from.
    pub fn finish(
        mut self,
        diags: &mut Diagnostics,
        made: BTreeMap<String, PathBuf>,
    ) -> Vec<PageWeight> {
        self.made = made.keys().cloned().collect();
        self.sources.extend(made);
        let files = self.files.into_inner().unwrap_or_else(|e| e.into_inner());
        let book = self.book.into_inner().unwrap_or_else(|e| e.into_inner());
        let check = Check {
            settings: self.settings,
            sources: &self.sources,
            made: &self.made,
            files: &files,
        };
        let pages = book.pages();
        let mut weights = Vec::with_capacity(pages.len());
        for page in &pages {
            let parts = check.parts(page);
            let bytes = parts.iter().map(|p| p.bytes).sum();
            if bytes as f64 > self.settings.budgets.page_kb * KB {
                diags.push(check.page_over(page, bytes, parts));
            }
            weights.push((bytes, page.path));
        }
        diags.extend(check.images(&pages));
        weights.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        weights
            .into_iter()
            .take(HEAVIEST)
            .map(|(bytes, path)| PageWeight {
                url: url(&self.settings.base_path, path),
                bytes,
            })
            .collect()
    }

    /// The compressed length of `file`: its `.gz` copy's, when one passed.
    fn gzip_length(&self, file: &OutputFile) -> u64 {
        let copy = lock(&self.gzipped).remove(&file.path);
        copy.unwrap_or_else(|| gzip_length(&file.bytes))
    }

    fn weigh_page(&self, file: &OutputFile) {
        let html = self.gzip_length(file);
        let origin = Origin {
            base_url: &self.settings.base_url,
            base_path: &self.settings.base_path,
        };
        let loads: Vec<(Kind, Vec<String>)> = refs::scan(&file.bytes)
            .into_iter()
            .filter_map(|r| {
                let mut paths: Vec<String> = Vec::new();
                for u in &r.urls {
                    match origin.resolve(&file.path, u) {
                        Some(p) if !paths.contains(&p) => paths.push(p),
                        _ => {}
                    }
                }
                (!paths.is_empty()).then_some((r.kind, paths))
            })
            .collect();
        lock(&self.book).add(&file.path, html, &loads);
    }

    fn weigh_file(&self, file: &OutputFile) {
        let bytes = if is_text(&file.path) {
            self.gzip_length(file)
        } else {
            let copy = lock(&self.gzipped).remove(&file.path);
            copy.unwrap_or(file.bytes.len() as u64)
        };
        lock(&self.files).insert(file.path.clone(), bytes);
    }
}

impl Sink for Scale<'_> {
    fn put(&self, file: OutputFile) -> Result<(), Diagnostic> {
        if let Some(original) = file.path.strip_suffix(".gz") {
            lock(&self.gzipped).insert(original.to_string(), file.bytes.len() as u64);
        } else if is_page(&file.path) {
            self.weigh_page(&file);
        } else if !file.path.ends_with(".br") {
            self.weigh_file(&file);
        }
        self.sink.put(file)
    }
}

/// What the checks at the end read.
struct Check<'a> {
    settings: &'a Settings,
    sources: &'a BTreeMap<String, PathBuf>,
    made: &'a HashSet<String>,
    files: &'a HashMap<String, u64>,
}

impl Check<'_> {
    /// The parts of a page's weight, heaviest first: its HTML and each
    /// resource it loads once, images left out.
    fn parts(&self, page: &Page) -> Vec<Part> {
        let mut seen = HashSet::new();
        let mut parts = vec![Part {
            label: "HTML".into(),
            bytes: page.html,
        }];
        for (kind, paths) in &page.loads {
            let path = paths[0];
            if *kind == Kind::Image || !seen.insert(path) {
                continue;
            }
            if let Some(&bytes) = self.files.get(path) {
                let label = format!("{} {}", kind.word(), url(&self.settings.base_path, path));
                parts.push(Part { label, bytes });
            }
        }
        parts.sort_by_key(|p| std::cmp::Reverse(p.bytes));
        parts
    }

    fn page_over(&self, page: &Page, bytes: u64, parts: Vec<Part>) -> Diagnostic {
        let budget = self.settings.budgets.page_kb;
        let shown: Vec<String> = parts
            .iter()
            .take(3)
            .map(|p| format!("{} {}", p.label, kb(p.bytes)))
            .collect();
        let more = match parts.len().saturating_sub(3) {
            0 => String::new(),
            n => format!(" and {n} more"),
        };
        self.diagnostic(format!(
            "{} weighs {} on a first visit, over the page budget of {budget} KB: {}{more}",
            url(&self.settings.base_path, page.path),
            kb(bytes),
            shown.join(", "),
        ))
        .in_file(self.shown(page.path))
        .hint(
            "shorten the page or split it (fewer items per list page with `paginate_by`), \
             leave out scripts and style sheets it does not need, \
             or raise `page_kb` under [budgets] in glimmer.toml; \
             14 KB, gzip-compressed, is what arrives in the first round trip of a connection",
        )
    }

    /// One diagnostic per image file over `image_kb`, judged by the
    /// smallest size of each `<img>`.
    fn images(&self, pages: &[Page]) -> Vec<Diagnostic> {
        let limit = self.settings.budgets.image_kb * KB;
        // Smallest size → (its bytes, sizes, first page, pages).
        let mut over: BTreeMap<&str, (u64, usize, &str, usize)> = BTreeMap::new();
        for page in pages {
            let mut seen = HashSet::new();
            for (kind, paths) in &page.loads {
                let Some((bytes, path)) = self.smallest(*kind, paths) else {
                    continue;
                };
                if bytes as f64 > limit && seen.insert(path) {
                    let entry = over
                        .entry(path)
                        .or_insert((bytes, paths.len(), page.path, 0));
                    entry.3 += 1;
                }
            }
        }
        over.into_iter()
            .map(|(path, (bytes, sizes, first, count))| {
                self.image_over(path, bytes, sizes, first, count)
            })
            .collect()
    }

    /// The smallest size of an image that exists, with its bytes.
    fn smallest<'p>(&self, kind: Kind, paths: &[&'p str]) -> Option<(u64, &'p str)> {
        if kind != Kind::Image {
            return None;
        }
        paths
            .iter()
            .filter_map(|&p| self.files.get(p).map(|&b| (b, p)))
            .min()
    }

    fn image_over(
        &self,
        path: &str,
        bytes: u64,
        sizes: usize,
        first: &str,
        pages: usize,
    ) -> Diagnostic {
        let budget = self.settings.budgets.image_kb;
        let which = if sizes > 1 {
            format!(" (the smallest of its {sizes} sizes)")
        } else {
            String::new()
        };
        let first = url(&self.settings.base_path, first);
        let on = match pages {
            1 => format!("shown on {first}"),
            n => format!("shown on {n} pages, e.g. {first}"),
        };
        self.diagnostic(format!(
            "image {} weighs {}{which}, over the image budget of {budget} KB; {on}",
            url(&self.settings.base_path, path),
            kb(bytes),
        ))
        .in_file(self.shown(path))
        .hint(if self.made.contains(path) {
            "it holds much fine detail even at its smallest width: crop it to what matters, \
             lower `quality` and `fallback_quality` under [images], \
             or raise `image_kb` under [budgets] in glimmer.toml"
        } else {
            "make it smaller: about 800 pixels wide, saved as WebP or JPEG at quality 70 to 80; \
             or raise `image_kb` under [budgets] in glimmer.toml"
        })
    }

    /// A warning, or an error with `--strict`.
    fn diagnostic(&self, message: String) -> Diagnostic {
        if self.settings.strict {
            Diagnostic::error(message)
        } else {
            Diagnostic::warning(message)
        }
    }

    /// The file to name for an output path: the static file it comes
    /// from, or the file in the output folder.
    fn shown(&self, path: &str) -> PathBuf {
        if let Some(source) = self.sources.get(path) {
            return source.clone();
        }
        let output = &self.settings.output;
        let output = output.strip_prefix(&self.settings.root).unwrap_or(output);
        output.join(path)
    }
}

/// Pages are HTML files.
fn is_page(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// Resources a host compresses: style sheets, scripts, SVG.
fn is_text(path: &str) -> bool {
    let ext = path.rsplit_once('.').map_or("", |(_, e)| e);
    ["css", "js", "mjs", "svg"]
        .iter()
        .any(|t| ext.eq_ignore_ascii_case(t))
}

/// The gzip header (10 bytes, no name) and trailer (CRC-32 and length).
const GZIP_FRAME: u64 = 18;

thread_local! {
    /// One compressor and output buffer per thread, reset between files:
    /// a compressor is a few hundred KB, and allocating one per
    /// page scatters the heap.
    static DEFLATE: RefCell<(Compress, Vec<u8>)> =
        RefCell::new((Compress::new(Compression::new(6), false), vec![0; 32 * 1024]));
}

/// The length of `bytes` gzip-compressed at level 6; nothing is kept.
pub fn gzip_length(bytes: &[u8]) -> u64 {
    DEFLATE.with_borrow_mut(|(deflate, out)| {
        deflate.reset();
        loop {
            let read = deflate.total_in() as usize;
            // Compressing into memory cannot fail.
            let status = deflate
                .compress(&bytes[read..], out, FlushCompress::Finish)
                .expect("deflate into memory");
            if status == Status::StreamEnd {
                return deflate.total_out() + GZIP_FRAME;
            }
        }
    })
}

/// The address of an output path: `/en/x/` for `en/x/index.html`.
fn url(base_path: &str, path: &str) -> String {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    format!("{base_path}{path}")
}

/// Bytes in KB with one decimal: `12.3 KB`.
pub fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / KB)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::BuildOptions;
    use crate::output::Memory;
    use std::io::Write;

    fn settings(budgets: &str, strict: bool) -> Settings {
        let dir = tempfile::tempdir().unwrap().keep();
        let toml = format!(
            "base_url = \"https://x.org/site/\"\n[budgets]\n{budgets}\n\
             [[languages]]\ncode = \"en\"\nname = \"English\"\ntitle = \"t\"\n"
        );
        std::fs::write(dir.join("glimmer.toml"), toml).unwrap();
        crate::config::load(&BuildOptions {
            root: dir,
            strict,
            ..Default::default()
        })
        .unwrap()
    }

    fn file(path: &str, bytes: impl Into<Vec<u8>>) -> OutputFile {
        OutputFile {
            path: path.into(),
            bytes: bytes.into(),
        }
    }

    /// Text that does not compress: `n` bytes of letters in no order.
    fn noise(n: usize) -> String {
        let mut x: u32 = 2463534242;
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 17;
                x ^= x << 5;
                char::from(b'a' + (x % 26) as u8)
            })
            .collect()
    }

    /// Puts `files` through a scale and returns the heaviest pages and
    /// the diagnostics as printed.
    fn weigh(settings: &Settings, files: Vec<OutputFile>) -> (Vec<PageWeight>, String) {
        let memory = Memory::default();
        let scale = Scale::new(&memory, settings, BTreeMap::new());
        let count = files.len();
        for f in files {
            scale.put(f).unwrap();
        }
        let mut diags = Diagnostics::new();
        let heaviest = scale.finish(&mut diags, BTreeMap::new());
        assert_eq!(memory.into_files().len(), count, "every file passes on");
        let text = diags.sorted().iter().map(|d| d.to_string()).collect();
        (heaviest, text)
    }

    #[test]
    fn a_page_weighs_its_html_and_what_it_loads() {
        let s = settings("", false);
        let html = "<!doctype html><link rel=icon href=data:,>\
            <script src=/site/app.js></script><script src=app.js></script>\
            <link rel=stylesheet href=https://x.org/site/a.css>\
            <script src=https://cdn.example/x.js></script><img src=/site/big.png>";
        let js = noise(3000);
        let (heaviest, warnings) = weigh(
            &s,
            vec![
                file("en/index.html", html),
                file("app.js", js.as_str()),
                file("a.css", "body{color:red}"),
                file("big.png", noise(50_000)),
            ],
        );
        let expected = gzip_length(html.as_bytes())
            + gzip_length(js.as_bytes())
            + gzip_length(b"body{color:red}");
        assert_eq!(
            heaviest,
            vec![PageWeight {
                url: "/site/en/".into(),
                bytes: expected
            }]
        );
        assert!(
            warnings.contains("image /site/big.png weighs 50.0 KB"),
            "{warnings}"
        );
    }

    #[test]
    fn a_gz_copy_that_passes_first_gives_the_length() {
        let s = settings("", false);
        let (heaviest, _) = weigh(
            &s,
            vec![
                file("a/index.html.gz", vec![0; 7]),
                file("a/index.html", noise(900)),
            ],
        );
        assert_eq!(heaviest[0].bytes, 7);
    }

    #[test]
    fn a_page_over_budget_is_a_warning_naming_its_parts() {
        let s = settings("page_kb = 1", false);
        let html = format!("<p>{}</p><script src=/site/app.js></script>", noise(1500));
        let (_, text) = weigh(
            &s,
            vec![
                file("en/big/index.html", html),
                file("en/small/index.html", "<p>hello</p>"),
                file("app.js", noise(400)),
            ],
        );
        assert!(
            text.starts_with("warning: /site/en/big/ weighs 1.2 KB on a first visit"),
            "{text}"
        );
        assert!(
            text.contains("over the page budget of 1 KB: HTML 1.0 KB"),
            "{text}"
        );
        assert!(text.contains(", script /site/app.js 0."), "{text}");
        assert!(text.contains("--> public/en/big/index.html"), "{text}");
        assert!(!text.contains("/en/small/"), "{text}");
    }

    #[test]
    fn strict_makes_budgets_errors() {
        let s = settings("page_kb = 0.5\nimage_kb = 1", true);
        let html = format!("<p>{}</p><img src=/site/i.jpg>", noise(1000));
        let (_, text) = weigh(
            &s,
            vec![file("index.html", html), file("i.jpg", noise(2000))],
        );
        assert_eq!(text.matches("error: ").count(), 2, "{text}");
    }

    #[test]
    fn an_image_is_judged_by_its_smallest_size() {
        let s = settings("image_kb = 1", false);
        let page = |n| {
            format!(
                "<img src=/site/a.jpg srcset=\"/site/a-s.jpg 400w, /site/a.jpg 800w\"><img src=/site/ok.png><p>{n}"
            )
        };
        let files = |small: usize| {
            vec![
                file("x/index.html", page(1)),
                file("y/index.html", page(2)),
                file("a.jpg", noise(5000)),
                file("a-s.jpg", noise(small)),
                file("ok.png", noise(900)),
            ]
        };
        let (_, text) = weigh(&s, files(800));
        assert_eq!(text, "");
        let (_, text) = weigh(&s, files(1200));
        assert_eq!(text.matches("warning:").count(), 1, "{text}");
        assert!(
            text.contains("image /site/a-s.jpg weighs 1.2 KB (the smallest of its 2 sizes)"),
            "{text}"
        );
        assert!(text.contains("shown on 2 pages, e.g. /site/x/"), "{text}");
    }

    #[test]
    fn the_heaviest_pages_come_first_then_by_path() {
        let s = settings("", false);
        let files = ["d", "b", "a", "c", "e", "f"]
            .iter()
            .enumerate()
            .map(|(i, p)| file(&format!("{p}.html"), noise(100 * (i / 2 + 1))))
            .collect();
        let (heaviest, _) = weigh(&s, files);
        let urls: Vec<&str> = heaviest.iter().map(|p| p.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "/site/e.html",
                "/site/f.html",
                "/site/a.html",
                "/site/c.html",
                "/site/b.html"
            ]
        );
    }

    #[test]
    fn lengths_and_kb() {
        let text = "hello hello hello hello hello";
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(text.as_bytes()).unwrap();
        assert_eq!(
            gzip_length(text.as_bytes()),
            gz.finish().unwrap().len() as u64
        );
        assert_eq!(kb(14_049), "14.0 KB");
        assert_eq!(url("/", "en/index.html"), "/en/");
        assert_eq!(url("/c/", "404.html"), "/c/404.html");
    }
}
