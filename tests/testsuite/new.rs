//! `glimmer new`: a story or page with its front matter filled in, named
//! by a slug from the title (Cyrillic transliterated), as a draft; never
//! overwriting; the site builds with it (and shows it with --drafts).

use crate::support::SiteTest;
use glimmer::config::BuildOptions;
use std::path::Path;

/// 2026-11-27, the third day of the campaign.
const DAY_3: &str = "1795737600";

fn new(test: &SiteTest, args: &[&str]) -> crate::support::Run {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    test.run_with(&all, &[("SOURCE_DATE_EPOCH", Path::new(DAY_3))])
}

#[test]
fn a_new_story_is_a_dated_draft_named_from_its_title() {
    let test = SiteTest::fixture("basic");
    let run = new(
        &test,
        &["story", "Новая горячая линия в Оше", "--lang", "ru"],
    );
    run.assert_success();
    let file = "content/stories/novaya-goryachaya-liniya-v-oshe.ru.md";
    assert!(
        run.stdout().contains(file)
            && run
                .stdout()
                .contains("/ru/stories/novaya-goryachaya-liniya-v-oshe/"),
        "{}",
        run.stdout()
    );
    let text = std::fs::read_to_string(test.root().join(file)).unwrap();
    assert!(
        text.starts_with(
            "+++\ntitle = \"Новая горячая линия в Оше\"\ndate = 2026-11-27\nday = 3\n"
        ),
        "{text}"
    );
    assert!(text.contains("\ndraft = true\n+++\n"), "{text}");
    // A draft is not published, until asked.
    test.build()
        .assert_missing("ru/stories/novaya-goryachaya-liniya-v-oshe/index.html");
    glimmer::build(&BuildOptions {
        drafts: true,
        ..test.options()
    })
    .unwrap_or_else(|d| panic!("{}", crate::support::render(&d)));
    let page = test
        .output()
        .join("ru/stories/novaya-goryachaya-liniya-v-oshe/index.html");
    let html = std::fs::read_to_string(page).unwrap();
    assert!(html.contains("Новая горячая линия в Оше"), "{html}");
}

#[test]
fn a_page_in_the_default_language_and_titles_without_latin_letters() {
    let test = SiteTest::fixture("basic");
    new(&test, &["page", "Contact \"us\""]).assert_success();
    let text = std::fs::read_to_string(test.root().join("content/contact-us.md")).unwrap();
    assert!(
        text.starts_with("+++\ntitle = \"Contact \\\"us\\\"\"\n"),
        "{text}"
    );
    assert!(!text.contains("date ="), "a page has no date: {text}");
    // A title in Arabic script has no Latin slug: the date stands in.
    let run = new(&test, &["story", "کمک", "--slug", "help-now"]);
    run.assert_success();
    assert!(test.root().join("content/stories/help-now.md").is_file());
    let run = new(&test, &["story", "کمک"]);
    run.assert_success();
    assert!(
        test.root()
            .join("content/stories/story-2026-11-27.md")
            .is_file()
    );
    assert!(run.stdout().contains("--slug"), "{}", run.stdout());
    test.build();
}

#[test]
fn nothing_is_overwritten_and_mistakes_are_explained() {
    let test = SiteTest::fixture("basic");
    new(&test, &["story", "Hotline opens"]).assert_success();
    let before = std::fs::read(test.root().join("content/stories/hotline-opens.md")).unwrap();
    let err = new(&test, &["story", "Hotline opens"])
        .assert_failure()
        .stderr();
    assert!(
        err.contains("error: this file exists already\n --> content/stories/hotline-opens.md")
            && err.contains("--slug"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(test.root().join("content/stories/hotline-opens.md")).unwrap(),
        before
    );
    let err = new(&test, &["story", "X", "--lang", "de"])
        .assert_failure()
        .stderr();
    assert!(
        err.contains("the site has no language `de`") && err.contains("use one of: en"),
        "{err}"
    );
    let err = new(&test, &["story", "X", "--section", "news"])
        .assert_failure()
        .stderr();
    assert!(err.contains("content/news/ is not a section"), "{err}");
    let err = new(&test, &["story", "X", "--slug", "Why?"])
        .assert_failure()
        .stderr();
    assert!(err.contains("`Why?` cannot be an address"), "{err}");
}
