//! `glimmer build --portable`: a copy of the site that works opened from a
//! folder (`file://`), beside the output, and its ZIP.
//!
//! Every reference of the copy must resolve to a file on disk relative to
//! its page, the way a browser resolves it from `file://` (no server turns
//! a folder into its `index.html`); the ZIP must hold the same files with
//! the same bytes, and the same bytes on every build; a failed build must
//! leave the previous copy as it was.

use crate::linkcheck::{self, decode_entities, percent_decode};
use crate::support::{SiteTest, all_tags, snapshot};
use glimmer::BuildReport;
use glimmer::config::BuildOptions;
use glimmer::diagnostics::Diagnostic;
use glimmer::output::MARKER;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Builds `test` with `--portable` through the library.
fn try_build(test: &SiteTest) -> Result<BuildReport, Vec<Diagnostic>> {
    glimmer::build(&BuildOptions {
        portable: true,
        ..test.options()
    })
}

fn build(test: &SiteTest) -> BuildReport {
    try_build(test).unwrap_or_else(|d| panic!("the build failed:\n{}", crate::support::render(&d)))
}

fn folder(test: &SiteTest) -> PathBuf {
    test.output().with_file_name("public-portable")
}

fn zip_path(test: &SiteTest) -> PathBuf {
    test.output().with_file_name("public-portable.zip")
}

/// The example site (the repository itself), built with `--portable` into
/// a temporary folder.
fn example() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let output = tmp.path().join("public");
    let options = BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(output.clone()),
        portable: true,
        ..Default::default()
    };
    if let Err(d) = glimmer::build(&options) {
        panic!(
            "the example does not build:\n{}",
            crate::support::render(&d)
        );
    }
    (tmp, output.with_file_name("public-portable"))
}

/// What a file:// check of a folder found.
#[derive(Default)]
struct FileCheck {
    problems: Vec<String>,
    checked: usize,
}

/// Elements whose URL attributes a reader's browser follows or loads.
const ELEMENTS: &[&str] = &[
    "a", "area", "link", "script", "img", "source", "iframe", "form", "video", "audio", "object",
];

/// Checks every reference of every page and style sheet of `dir` as a
/// browser resolves it from `file://`: the site's own references must be
/// relative and name an existing file (not a folder), with their
/// `#fragment` an `id` of the target page; only `<link rel=canonical>` and
/// `<link rel=alternate hreflang>` may name the published site.
fn check_from_disk(dir: &Path, host: &str) -> FileCheck {
    let mut check = FileCheck::default();
    let files = snapshot(dir);
    for (rel, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        let mut urls = Vec::new();
        if rel.ends_with(".html") {
            urls = html_urls(&text);
        } else if rel.ends_with(".css") {
            urls = css_urls(&text).into_iter().map(|u| (u, false)).collect();
        }
        for (url, absolute_ok) in urls {
            if let Some(problem) = file_problem(dir, rel, &url, host, absolute_ok, &files) {
                check.problems.push(format!("{rel}: {url} ({problem})"));
            }
            check.checked += 1;
        }
    }
    check
}

/// The URLs of a page, each with whether it may stay absolute.
fn html_urls(html: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    for tag in ELEMENTS {
        for attrs in all_tags(html, tag) {
            let rel = attrs.get("rel").map(String::as_str).unwrap_or_default();
            let names_published = *tag == "link"
                && (rel.contains("canonical")
                    || (rel.contains("alternate") && attrs.contains_key("hreflang")));
            for name in ["href", "src", "action", "poster", "data"] {
                if let Some(v) = attrs.get(name) {
                    out.push((decode_entities(v), names_published));
                }
            }
            if let Some(set) = attrs.get("srcset") {
                for candidate in decode_entities(set).split(", ") {
                    let url = candidate.split_whitespace().next().unwrap_or_default();
                    out.push((url.to_string(), false));
                }
            }
        }
    }
    for css in html.split("<style>").skip(1) {
        let css = css.split("</style>").next().unwrap_or_default();
        out.extend(css_urls(css).into_iter().map(|u| (u, false)));
    }
    out
}

fn css_urls(css: &str) -> Vec<String> {
    css.split("url(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|u| u.trim().trim_matches(['"', '\'']).to_string())
        .collect()
}

fn file_problem(
    dir: &Path,
    page: &str,
    url: &str,
    host: &str,
    absolute_ok: bool,
    files: &BTreeMap<String, Vec<u8>>,
) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    let on_site = lower.contains(&format!("//{host}/")) || lower.ends_with(&format!("//{host}"));
    if lower.starts_with("//") || lower.contains("://") || lower.starts_with("mailto:") {
        return (on_site && !absolute_ok).then(|| "an address of the published site".into());
    }
    if ["tel:", "sms:", "data:"]
        .iter()
        .any(|s| lower.starts_with(s))
    {
        return None;
    }
    if url.starts_with('/') {
        return Some("root-relative: file:// reads it from the disk's root".into());
    }
    let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
    let path = path.split('?').next().unwrap_or_default();
    let target = if path.is_empty() {
        page.to_string()
    } else {
        let folder = page.rfind('/').map_or("", |i| &page[..=i]);
        match normalise(&format!("{folder}{}", percent_decode(path))) {
            Some(t) => t,
            None => return Some("climbs out of the copy".into()),
        }
    };
    if target.is_empty() || target.ends_with('/') || dir.join(&target).is_dir() {
        return Some("a folder: file:// shows a listing, not its index.html".into());
    }
    let Some(bytes) = files.get(&target) else {
        return Some(format!("no file {target}"));
    };
    if !fragment.is_empty() && target.ends_with(".html") {
        let html = String::from_utf8_lossy(bytes);
        let id = percent_decode(fragment);
        let found = [
            format!(" id={id}>"),
            format!(" id={id} "),
            format!(" id=\"{id}\""),
        ]
        .iter()
        .any(|needle| html.contains(needle.as_str()));
        if !found {
            return Some(format!("{target} has no id {id}"));
        }
    }
    None
}

/// `a/b/../c` → `a/c`; `None` when `..` climbs above the folder.
fn normalise(path: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." => {}
            ".." => {
                out.pop()?;
            }
            p => out.push(p),
        }
    }
    Some(out.join("/"))
}

/// Reads a ZIP as glimmer writes it (no ZIP64): every file by name, with
/// its bytes, after checking its CRC.
fn read_zip(zip: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes(zip[i..i + 4].try_into().unwrap()) as usize;
    let end = (0..=zip.len() - 22)
        .rev()
        .find(|&i| zip[i..i + 4] == [0x50, 0x4b, 0x05, 0x06])
        .expect("an end record");
    let mut at = u32_at(end + 16);
    let mut files = BTreeMap::new();
    for _ in 0..u16_at(end + 10) {
        assert_eq!(u32_at(at), 0x0201_4b50, "no central header at {at}");
        let (method, crc, size) = (u16_at(at + 10), u32_at(at + 16), u32_at(at + 20));
        let (name_len, extra, comment) = (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let name = String::from_utf8(zip[at + 46..at + 46 + name_len].to_vec()).unwrap();
        let local = u32_at(at + 42);
        let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        let data = &zip[data..data + size];
        let bytes = match method {
            0 => data.to_vec(),
            8 => {
                let mut out = Vec::new();
                flate2::read::DeflateDecoder::new(data)
                    .read_to_end(&mut out)
                    .unwrap();
                out
            }
            m => panic!("{name}: unknown method {m}"),
        };
        let mut sum = flate2::Crc::new();
        sum.update(&bytes);
        assert_eq!(sum.sum() as usize, crc, "{name}: CRC");
        files.insert(name, bytes);
        at += 46 + name_len + extra + comment;
    }
    files
}

/// The folder's files as the ZIP must hold them: all but the marker.
fn zip_expected(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = snapshot(dir);
    files.remove(MARKER);
    files
}

#[test]
fn every_reference_of_the_example_copy_opens_from_disk() {
    let (_tmp, copy) = example();
    let check = check_from_disk(&copy, "example.org");
    assert!(
        check.problems.is_empty(),
        "{} reference(s) would not work from file://:\n{}",
        check.problems.len(),
        check.problems.join("\n")
    );
    assert!(
        check.checked > 1000,
        "only {} references checked",
        check.checked
    );
    // And the ordinary link check agrees (it also reads feeds and the sitemap).
    linkcheck::check(&copy, "https://example.org/").assert_clean("the portable copy");
}

#[test]
fn the_file_check_finds_what_would_not_open() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("en/x")).unwrap();
    std::fs::write(tmp.path().join("en/x/index.html"), "<p id=here>").unwrap();
    let page = "<a href=x/>folder</a><a href=x>folder</a><a href=/en/x/index.html>root</a>\
        <a href=https://ngo.github.io/campaign/en/>site</a><a href=missing.html>missing</a>\
        <a href=x/index.html#nope>anchor</a><a href=x/index.html#here>fine</a>\
        <a href=https://ngo.github.io/campaign/ rel=canonical>fine</a>\
        <link href=https://ngo.github.io/campaign/ rel=canonical><a href=tel:112>fine</a>";
    std::fs::write(tmp.path().join("en/index.html"), page).unwrap();
    let check = check_from_disk(tmp.path(), "ngo.github.io");
    let problems = check.problems.join("\n");
    for kind in [
        "x/ (a folder",
        "x (a folder",
        "root-relative",
        "/campaign/en/ (an address of the published site",
        "/campaign/ (an address of the published site",
        "no file en/missing.html",
        "has no id nope",
    ] {
        assert!(
            problems.contains(kind),
            "{kind:?} not found in:\n{problems}"
        );
    }
    assert_eq!(check.problems.len(), 7, "{problems}");
}

#[test]
fn a_site_under_a_sub_path_gets_relative_links_too() {
    let test = SiteTest::fixture("basic");
    test.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://ngo.github.io/campaign/\"",
    )
    .write(
        "static/css/print.css",
        "a{background:url(/campaign/files/leaflet.txt)}",
    );
    build(&test);
    let copy = folder(&test);
    let check = check_from_disk(&copy, "ngo.github.io");
    assert!(check.problems.is_empty(), "{}", check.problems.join("\n"));
    assert!(
        check.checked > 50,
        "only {} references checked",
        check.checked
    );
    // The site itself, made for a server, would not work from file://.
    let served = check_from_disk(test.output(), "ngo.github.io").problems;
    assert!(served.iter().any(|p| p.contains("root-relative")));
    let css = std::fs::read_to_string(copy.join("css/print.css")).unwrap();
    assert_eq!(css, "a{background:url(../files/leaflet.txt)}");
    let story = std::fs::read_to_string(copy.join("ru/stories/alpha/index.html")).unwrap();
    assert!(story.contains("href=\"../index.html\""), "{story}");
    // Canonical and alternate links keep naming the published pages.
    assert!(
        story.contains(
            "<link rel=\"canonical\" href=\"https://ngo.github.io/campaign/ru/stories/alpha/\">"
        ),
        "{story}"
    );
}

#[test]
fn the_copy_is_beside_the_output_and_leaves_the_site_alone() {
    let plain = SiteTest::fixture("basic");
    plain.build();
    let test = SiteTest::fixture("basic");
    let report = build(&test);
    let portable = report.portable.expect("a portable report");
    assert_eq!(portable.places.folder, folder(&test));
    assert_eq!(portable.places.zip, zip_path(&test));
    crate::support::assert_same_tree(&snapshot(plain.output()), &snapshot(test.output()));
    let copy = folder(&test);
    assert!(copy.join("index.html").is_file());
    assert!(copy.join(MARKER).is_file());
    assert!(!copy.join("404.html").exists(), "no server, no 404 page");
    assert!(!copy.join("robots.txt").exists());
    // What only servers read stays with the site.
    for file in crate::support::snapshot(&copy).keys() {
        let for_servers = file.ends_with(".gz")
            || file.ends_with(".br")
            || file == "_headers"
            || file == ".htaccess";
        assert!(!for_servers, "{file} is in the portable copy");
    }
    let readme = std::fs::read_to_string(copy.join("README.txt")).unwrap();
    for needle in [
        "Open index.html",
        "English, Русский, Кыргызча",
        "Basic Campaign",
        "\r\n",
    ] {
        assert!(
            readme.contains(needle),
            "README.txt lacks {needle:?}:\n{readme}"
        );
    }
    assert_eq!(portable.files, zip_expected(&copy).len());
}

#[test]
fn the_zip_holds_the_folder_byte_for_byte() {
    let test = SiteTest::fixture("basic");
    build(&test);
    let zip = std::fs::read(zip_path(&test)).unwrap();
    let files = read_zip(&zip);
    assert_eq!(
        files.keys().collect::<Vec<_>>(),
        zip_expected(&folder(&test)).keys().collect::<Vec<_>>()
    );
    crate::support::assert_same_tree(&files, &zip_expected(&folder(&test)));
    // Sorted entries, so that the same files give the same ZIP.
    let names: Vec<&String> = files.keys().collect();
    assert!(names.windows(2).all(|w| w[0] < w[1]));
    if let Ok(out) = std::process::Command::new("unzip")
        .arg("-tq")
        .arg(zip_path(&test))
        .output()
    {
        assert!(
            out.status.success(),
            "unzip -t: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}

#[test]
fn rebuilds_give_the_same_zip() {
    let test = SiteTest::fixture("basic");
    build(&test);
    let first = std::fs::read(zip_path(&test)).unwrap();
    let report = build(&test);
    let second = std::fs::read(zip_path(&test)).unwrap();
    assert!(first == second, "a rebuild changed the ZIP");
    assert_eq!(report.portable.unwrap().write.written, 0);
    // Elsewhere, later, into a new folder: still the same bytes.
    let other = SiteTest::fixture("basic");
    build(&other);
    assert!(std::fs::read(zip_path(&other)).unwrap() == first);
}

#[test]
fn a_failed_build_leaves_the_previous_copy_untouched() {
    let test = SiteTest::fixture("basic");
    build(&test);
    let before = snapshot(&folder(&test));
    let zip = std::fs::read(zip_path(&test)).unwrap();
    test.write("content/stories/alpha.md", "+++\ntitle = \n+++\nbroken");
    assert!(try_build(&test).is_err(), "the broken site built");
    crate::support::assert_same_tree(&before, &snapshot(&folder(&test)));
    assert!(std::fs::read(zip_path(&test)).unwrap() == zip);
    let leftovers: Vec<String> = std::fs::read_dir(test.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("glimmer-new"))
        .collect();
    assert!(leftovers.is_empty(), "left behind: {leftovers:?}");
}

#[test]
fn a_stale_page_leaves_the_copy_and_its_zip() {
    let test = SiteTest::fixture("basic");
    build(&test);
    assert!(folder(&test).join("en/stories/gamma/index.html").is_file());
    test.remove("content/stories/gamma.md");
    build(&test);
    assert!(!folder(&test).join("en/stories/gamma/index.html").exists());
    let files = read_zip(&std::fs::read(zip_path(&test)).unwrap());
    assert!(!files.contains_key("en/stories/gamma/index.html"));
}

#[test]
fn folders_and_zips_glimmer_did_not_write_are_refused() {
    let test = SiteTest::fixture("basic");
    std::fs::create_dir_all(folder(&test)).unwrap();
    std::fs::write(folder(&test).join("notes.txt"), "mine").unwrap();
    let err = crate::support::render(&try_build(&test).err().expect("refused"));
    assert!(err.contains("public-portable"), "{err}");
    assert!(err.contains("glimmer did not write"), "{err}");
    assert!(!test.output().exists(), "the site was written anyway");
    assert_eq!(
        std::fs::read_to_string(folder(&test).join("notes.txt")).unwrap(),
        "mine"
    );

    let test = SiteTest::fixture("basic");
    std::fs::write(zip_path(&test), "someone's ZIP").unwrap();
    let err = crate::support::render(&try_build(&test).err().expect("refused"));
    assert!(err.contains("public-portable.zip"), "{err}");
    assert_eq!(
        std::fs::read_to_string(zip_path(&test)).unwrap(),
        "someone's ZIP"
    );
}

#[test]
fn the_command_line_says_where_the_copy_is() {
    let test = SiteTest::fixture("basic");
    let run = test.run(&["build", "--portable"]);
    run.assert_success();
    let out = run.stdout();
    assert!(out.contains("Portable copy:"), "{out}");
    assert!(out.contains("public-portable.zip"), "{out}");
    assert!(out.contains("open index.html"), "{out}");
    assert!(test.root().join("public-portable/index.html").is_file());
}
