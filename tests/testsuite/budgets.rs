//! `[budgets]` at build: a page whose first visit (HTML and what it loads,
//! gzip-compressed) is over `page_kb` is a warning naming it, an error
//! with `--strict`; the summary names the heaviest pages.

use crate::support::{SiteTest, noise_png, snapshot};
use glimmer::config::BuildOptions;
use std::path::PathBuf;

/// Text that hardly compresses: `words` words of letters in no order.
fn noise(words: usize) -> String {
    let mut x: u32 = 88172645;
    let mut text = String::new();
    for i in 0..words {
        for _ in 0..(3 + i % 6) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            text.push(char::from(b'a' + (x % 26) as u8));
        }
        text.push(if i % 12 == 11 { '\n' } else { ' ' });
    }
    text
}

/// The basic fixture with a long story (about 12 KB compressed, in
/// English only, so also shown in ru and ky) and a budget of 7 KB that
/// every other page keeps.
fn long_story() -> SiteTest {
    let test = SiteTest::fixture("basic");
    test.write(
        "content/stories/long.md",
        &format!(
            "+++\ntitle = \"A long story\"\ndate = 2026-11-30\nsummary = \"Long.\"\n+++\n\n{}",
            noise(2500)
        ),
    );
    let config = std::fs::read_to_string(test.root().join("glimmer.toml")).unwrap();
    test.write(
        "glimmer.toml",
        &format!("{config}\n[budgets]\npage_kb = 7\n"),
    );
    test
}

#[test]
fn a_page_over_budget_is_a_warning_naming_it() {
    let site = long_story().build();
    let warnings = site.warnings();
    for lang in ["en", "ru", "ky"] {
        assert!(
            warnings.contains(&format!("warning: /{lang}/stories/long/ weighs 1")),
            "{warnings}"
        );
    }
    assert!(
        warnings.contains("on a first visit, over the page budget of 7 KB: HTML 1"),
        "{warnings}"
    );
    assert!(
        warnings.contains(", script /quick-exit.js 0."),
        "{warnings}"
    );
    assert!(
        warnings.contains("--> public/en/stories/long/index.html"),
        "{warnings}"
    );
    assert!(
        warnings.contains("raise `page_kb` under [budgets]"),
        "{warnings}"
    );
    assert_eq!(
        warnings.matches("over the page budget").count(),
        3,
        "{warnings}"
    );
    // The page is published all the same.
    site.assert_exists("en/stories/long/index.html");
}

#[test]
fn strict_fails_and_leaves_the_output_as_it_was() {
    let test = long_story();
    test.run(&["build"]).assert_success();
    let before = snapshot(test.output());
    test.write(
        "content/stories/gamma.md",
        "+++\ntitle = \"Changed\"\n+++\n\nNew.\n",
    );
    let run = test.run(&["build", "--strict"]);
    run.assert_failure();
    let stderr = run.stderr();
    assert!(
        stderr.contains("error: /en/stories/long/ weighs 1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("Build failed: 3 error(s); the output folder was not changed."),
        "{stderr}"
    );
    assert!(
        snapshot(test.output()) == before,
        "--strict changed the output"
    );
    // Within budget, --strict builds.
    test.remove("content/stories/long.md");
    test.run(&["build", "--strict"]).assert_success();
}

#[test]
fn the_summary_names_the_heaviest_pages() {
    let test = long_story();
    let run = test.run(&["build"]);
    run.assert_success();
    let stdout = run.stdout();
    let lines: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.contains("heaviest pages"))
        .collect();
    assert_eq!(
        lines[0], "  heaviest pages (first visit, gzip):",
        "{stdout}"
    );
    assert!(lines.len() > 5, "{stdout}");
    for line in &lines[1..4] {
        assert!(
            line.trim_start().starts_with("1")
                && line.contains(" KB  /")
                && line.ends_with("/stories/long/"),
            "{stdout}"
        );
    }
    let site = test.build();
    let heaviest = &site.report.summary.heaviest;
    assert_eq!(heaviest.len(), glimmer::budget::HEAVIEST);
    let mut top: Vec<&str> = heaviest[..3].iter().map(|p| p.url.as_str()).collect();
    top.sort();
    assert_eq!(
        top,
        [
            "/en/stories/long/",
            "/ky/stories/long/",
            "/ru/stories/long/"
        ]
    );
    assert!(heaviest.windows(2).all(|w| w[0].bytes >= w[1].bytes));
}

#[test]
fn a_same_origin_script_counts() {
    let test = SiteTest::fixture("basic");
    test.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<h1>{{ page.title }}</h1>\
         <script src=\"{{ base_path }}js/extra.js\" defer></script>{% endblock main %}",
    );
    test.write("static/js/extra.js", &format!("// {}", noise(3000)));
    let site = test.build();
    // Every story loads the script: the heaviest page is one of them.
    let heaviest = &site.report.summary.heaviest[0];
    let page = format!("{}index.html", heaviest.url.trim_start_matches('/'));
    assert!(page.contains("/stories/"), "{heaviest:?}");
    // With compressed copies on (the default), their lengths are taken.
    let gz = |rel: &str| {
        std::fs::metadata(site.output().join(format!("{rel}.gz")))
            .unwrap()
            .len()
    };
    let expected = gz(&page) + gz("quick-exit.js") + gz("js/extra.js");
    assert_eq!(heaviest.bytes, expected);
    let warnings = site.warnings();
    assert!(
        warnings.contains("/en/stories/gamma/ weighs")
            && warnings.contains("script /js/extra.js 1"),
        "{warnings}"
    );
}

#[test]
fn an_image_over_its_budget_is_a_warning() {
    let test = SiteTest::fixture("basic");
    test.write_bytes("static/img/photo.png", &noise_png(400, 400));
    test.edit(
        "content/stories/gamma.md",
        "in English only.",
        "in English only.\n\n![A photo](/img/photo.png)\n",
    );
    let warnings = test.build().warnings();
    assert!(
        warnings.contains("warning: image /img/photo-360.")
            && warnings.contains("over the image budget of 30 KB; shown on "),
        "{warnings}"
    );
    assert!(warnings.contains("--> static/img/photo.png"), "{warnings}");
}

#[test]
fn budgets_must_be_positive() {
    let test = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(test.root().join("glimmer.toml")).unwrap();
    test.write(
        "glimmer.toml",
        &format!("{config}\n[budgets]\nimage_kb = 0\n"),
    );
    let err = test.build_err();
    assert!(
        err.contains("image_kb under [budgets] must be a positive number of KB, not 0"),
        "{err}"
    );
}

#[test]
fn every_page_of_the_example_site_is_within_14_kb() {
    let tmp = tempfile::tempdir().unwrap();
    let report = glimmer::build(&BuildOptions {
        root: PathBuf::from(env!("CARGO_MANIFEST_DIR")),
        output: Some(tmp.path().join("public")),
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{}", crate::support::render(&d)));
    let budget = report
        .summary
        .warnings
        .iter()
        .filter(|w| w.message.contains("budget"))
        .map(|w| w.to_string())
        .collect::<String>();
    assert_eq!(budget, "", "the example site is over a budget");
    let heaviest = &report.summary.heaviest[0];
    assert!(heaviest.bytes <= 14_000, "{heaviest:?}");
}
