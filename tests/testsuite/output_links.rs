//! Every internal reference of a built site resolves: links, stylesheets,
//! images and scripts to files of the output, `#anchors` to elements of
//! their page, and the sitemap, feeds and robots.txt to real pages. The
//! checker is in `linkcheck.rs`; nothing is fetched from the network.

use crate::linkcheck::{self, Finding};
use crate::support::{SiteTest, fixtures_dir};
use glimmer::config::BuildOptions;
use std::path::Path;

/// The `base_url` a site is configured with.
fn base_url(root: &Path) -> String {
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..Default::default()
    };
    glimmer::config::load(&options)
        .unwrap_or_else(|d| panic!("cannot load the config of {}: {d:?}", root.display()))
        .base_url
}

/// The fixture sites that build: every folder of `tests/fixtures/` with a
/// `glimmer.toml`, except the broken ones.
fn working_fixtures() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap())
        .filter(|e| e.path().join("glimmer.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.len() >= 5,
        "expected the working fixtures, found {names:?}"
    );
    names
}

#[test]
fn the_example_site_has_no_broken_references() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let tmp = tempfile::tempdir().unwrap();
    let output = tmp.path().join("public");
    let options = BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.clone()),
        drafts: false,
        ..Default::default()
    };
    if let Err(diags) = glimmer::build(&options) {
        panic!(
            "the example site does not build:\n{}",
            crate::support::render(&diags)
        );
    }
    let report = linkcheck::check(&output, &base_url(root));
    report.assert_clean("the example site");
    // Every page, feed and the sitemap were read, not just a few.
    assert!(
        report.scanned > 50 && report.internal > 500,
        "only {} files and {} references checked",
        report.scanned,
        report.internal
    );
}

/// Builds fixture `name` (with and without drafts, and under a sub-path
/// base URL) and asserts that none of its references is broken.
fn check_fixture(name: &str) {
    let mut failures = Vec::new();
    for (drafts, base) in [
        (false, None),
        (true, None),
        (false, Some("https://ngo.github.io/campaign/")),
    ] {
        let mut test = SiteTest::fixture(name);
        if drafts {
            test = test.drafts();
        }
        if let Some(base) = base {
            test.edit(
                "glimmer.toml",
                "base_url = \"https://example.org/\"",
                &format!("base_url = \"{base}\""),
            );
        }
        let site = test.build();
        let base = base_url(test.root());
        let report = linkcheck::check(site.output(), &base);
        assert!(report.internal > 0, "{name}: no internal references seen");
        let how = format!("drafts: {drafts}, base_url: {base}");
        failures.extend(report.broken.iter().map(|f| format!("({how}) {f}")));
    }
    assert!(
        failures.is_empty(),
        "broken references in fixture {name}:\n{}",
        failures.join("\n")
    );
}

/// The fixtures checked one by one below.
const CHECKED_FIXTURES: &[&str] = &[
    "basic",
    "i18n-fallback",
    "images",
    "markdown",
    "rtl",
    "services",
    "ui-strings",
];

#[test]
fn every_working_fixture_has_a_link_check_below() {
    assert_eq!(working_fixtures(), CHECKED_FIXTURES);
}

#[test]
fn fixture_basic_has_no_broken_references() {
    check_fixture("basic");
}

#[test]
fn fixture_images_has_no_broken_references() {
    check_fixture("images");
}

#[test]
fn fixture_i18n_fallback_has_no_broken_references() {
    check_fixture("i18n-fallback");
}

#[test]
fn fixture_markdown_has_no_broken_references() {
    check_fixture("markdown");
}

#[test]
fn fixture_rtl_has_no_broken_references() {
    check_fixture("rtl");
}

#[test]
fn fixture_services_has_no_broken_references() {
    check_fixture("services");
}

#[test]
fn fixture_ui_strings_has_no_broken_references() {
    check_fixture("ui-strings");
}

#[test]
fn the_checker_looks_at_the_base_path() {
    let test = SiteTest::fixture("rtl");
    test.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://ngo.github.io/campaign\"",
    );
    let site = test.build();
    linkcheck::check(site.output(), "https://ngo.github.io/campaign/")
        .assert_clean("rtl under /campaign/");
    // The same output read as a site at the host's root is broken.
    let wrong = linkcheck::check(site.output(), "https://ngo.github.io/");
    assert!(
        wrong
            .broken
            .iter()
            .any(|f| f.problem.contains("no file campaign/")),
        "{:?}",
        wrong.broken
    );
}

#[test]
fn a_link_to_a_missing_heading_is_reported() {
    let test = SiteTest::fixture("markdown");
    test.write(
        "content/a.md",
        "+++\ntitle = \"A\"\n+++\n\nSee [b](@/b.md#nowhere).\n",
    )
    .write("content/b.md", "+++\ntitle = \"B\"\n+++\n\nNo headings.\n");
    let diags = match test.try_build() {
        Ok(report) => report.summary.warnings,
        Err(diags) => diags,
    };
    let text = crate::support::render(&diags);
    assert!(
        diags.iter().any(|d| {
            d.file.as_deref() == Some(Path::new("content/a.md")) && d.message.contains("nowhere")
        }),
        "no diagnostic names content/a.md and #nowhere:\n{text}"
    );
}

/// Writes `files` into a fresh folder.
fn folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    tmp
}

#[test]
fn the_checker_reports_a_broken_link_a_missing_anchor_and_a_broken_sitemap_entry() {
    // Minified like glimmer's output: unquoted and reordered attributes,
    // character references, and markup-looking text in places where it is
    // not markup. Everything is fine except three references.
    let home = concat!(
        "<!doctype html><html dir=ltr lang=en><head><meta charset=utf-8>",
        "<title>a <a href=/title-is-text/> b</title>",
        "<link href=https://example.org/en/about/ rel=canonical>",
        "<link href=https://example.org/ru/%D0%BE-%D0%BD%D0%B0%D1%81/ hreflang=ru rel=alternate>",
        "<link title=\"Feed\" href=/en/atom.xml rel=alternate type=application/atom+xml>",
        "<style>a::after{content:\"<a href=/in-css/>\"}</style>",
        "<script>document.write('<a href=/in-script/>')</script>",
        "</head><body><!-- <a href=/commented-out/> -->",
        "<a class=skip href=#main>Skip</a><main id=main>",
        "<a href=/en/about/#team>Team</a> ",
        "<a href='about/'>relative</a> ",
        "<a href=\"../en/about/index.html?x=1&amp;y=2#team\">dotted</a> ",
        "<a href=/ru/%D0%BE-%D0%BD%D0%B0%D1%81/#%D0%BA%D1%82%D0%BE-%D0%BC%D1%8B>cyrillic</a> ",
        "<a href=/en/missing/>broken</a> ",
        "<a href=/en/about/#nowhere>missing anchor</a> ",
        "<a href=#main>top</a> <a href=#>empty</a> <a href=\"\">self</a> ",
        "<a href=https://other.example/x>out</a> <a href=mailto:help@example.org>mail</a> ",
        "<a href=tel:+996312000000>call</a> <a href=sms:1414>text</a> ",
        "<img alt=\"\" src=/files/a.png srcset=\"/files/a.png 1x, /files/b,c.png 2x\">",
        "<picture><source srcset=/files/a.png></picture>",
        "</main></body></html>",
    );
    let about = concat!(
        "<!doctype html><html lang=en><body><h2 id=team>Team</h2>",
        "<a href=../ title=\"home\">home</a></body></html>",
    );
    let ru_about = "<!doctype html><html lang=ru><body><h2 id=кто-мы>Кто мы</h2></body></html>";
    let sitemap = concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
        "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        "<url><loc>https://example.org/</loc></url>\n",
        "<url><loc>https://example.org/en/about/</loc>",
        "<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/en/about/\"/></url>\n",
        "<url><loc>https://example.org/ru/gone/</loc></url>\n",
        "</urlset>\n",
    );
    let feed = concat!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
        "<link rel=\"self\" href=\"https://example.org/en/atom.xml\"/>\n",
        "<entry><link rel=\"alternate\" href=\"https://example.org/en/about/\"/></entry>\n</feed>\n",
    );
    let tmp = folder(&[
        ("en/index.html", home),
        ("en/about/index.html", about),
        ("ru/о-нас/index.html", ru_about),
        ("en/atom.xml", feed),
        ("files/a.png", "png"),
        ("files/b,c.png", "png"),
        ("sitemap.xml", sitemap),
        (
            "robots.txt",
            "User-agent: *\nSitemap: https://example.org/sitemap.xml\n",
        ),
        ("index.html", "<!doctype html><a href=en/>English</a>"),
    ]);
    let report = linkcheck::check(tmp.path(), "https://example.org/");
    let found: Vec<(&str, &str)> = report
        .broken
        .iter()
        .map(|f| (f.page.as_str(), f.reference.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("en/index.html", "/en/about/#nowhere"),
            ("en/index.html", "/en/missing/"),
            ("sitemap.xml", "https://example.org/ru/gone/"),
        ],
        "{:#?}",
        report.broken
    );
    assert_eq!(
        report.broken[0].problem,
        "no element with id `nowhere` in en/about/index.html"
    );
    assert_eq!(
        report.broken[1].problem,
        "no file en/missing/index.html in the output"
    );
    assert_eq!(
        report.broken[2].problem,
        "no file ru/gone/index.html in the output"
    );
    let external: Vec<&str> = report.external.iter().map(String::as_str).collect();
    assert_eq!(
        external,
        [
            "https://other.example/x",
            "mailto:help@example.org",
            "sms:1414",
            "tel:+996312000000"
        ]
    );
    // Every finding reads as page, reference and problem on one line.
    let shown = report.broken[1].to_string();
    assert_eq!(
        shown,
        "en/index.html: /en/missing/ (no file en/missing/index.html in the output)"
    );
    let panic = std::panic::catch_unwind(|| report.assert_clean("the hand-made site"))
        .expect_err("assert_clean must fail");
    let message = panic.downcast_ref::<String>().unwrap();
    assert!(
        message.contains("3 broken reference(s)") && message.contains("sitemap.xml"),
        "{message}"
    );
}

#[test]
fn the_checker_reads_unusual_but_valid_references() {
    let page = concat!(
        "<!DOCTYPE html><HTML><BODY>",
        "<A HREF = \"/docs/#Sect\" >upper case</A>",
        "<a href=/docs/ title=x/>slash after value</a>",
        "<a href=//example.org/docs/>scheme-relative</a>",
        "<a href=HTTPS://EXAMPLE.ORG/docs/#top>top of page</a>",
        "<a href=/docs>folder without slash</a>",
        "<a href=\"/docs/#&#x53;ect\">numeric reference</a>",
        "<img src=\"data:image/png;base64,AAAA\" alt=\"\">",
        "<a name=old-anchor></a><a href=#old-anchor>name anchor</a>",
        "</BODY></HTML>",
    );
    let tmp = folder(&[
        ("index.html", page),
        ("docs/index.html", "<h1 id=Sect>Docs</h1>"),
    ]);
    let report = linkcheck::check(tmp.path(), "https://example.org/");
    assert_eq!(report.broken, Vec::<Finding>::new());
    assert_eq!(report.internal, 7);
    // `<base href>` moves relative references, as in a browser.
    let tmp = folder(&[
        (
            "a/index.html",
            "<base href=/docs/><a href=guide/>guide</a><a href=#Sect>here</a>",
        ),
        ("docs/index.html", "<h1 id=Sect>Docs</h1>"),
        ("docs/guide/index.html", "Guide"),
    ]);
    let report = linkcheck::check(tmp.path(), "https://example.org/");
    assert_eq!((report.broken.len(), report.internal), (0, 2), "{report:?}");
    // …and flags what cannot work on any host.
    let tmp = folder(&[(
        "a/index.html",
        "<a href=../../../x>above</a><a href=javascript:void(0)>js</a><a href=http:foo>half</a>",
    )]);
    let report = linkcheck::check(tmp.path(), "https://example.org/");
    let problems: Vec<&str> = report.broken.iter().map(|f| f.problem.as_str()).collect();
    assert_eq!(
        problems,
        [
            "goes above the root of the site",
            "not a full web address",
            "a link that runs a script"
        ],
        "{:#?}",
        report.broken
    );
}

#[test]
fn a_missing_heading_seen_only_through_a_fallback_is_a_warning() {
    // beta.ru.md links alpha.md#help; Kyrgyz readers see beta in Russian
    // and alpha in Kyrgyz, which has no such heading.
    let test = SiteTest::fixture("basic");
    test.write(
        "content/stories/alpha.ky.md",
        "+++\ntitle = \"Альфа\"\ndate = 2026-11-25\nday = 1\n+++\n\nБиринчи окуя.\n",
    );
    let site = test.build();
    let warnings = site.warnings();
    assert!(
        warnings.contains("link to a missing heading: @/stories/alpha.md#help (in a page shown in another language)"),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/stories/beta.ru.md:"),
        "{warnings}"
    );
}
