//! Drafts are published only with `--drafts`.

use crate::support::SiteTest;

#[test]
fn a_draft_is_not_published() {
    let site = SiteTest::fixture("basic").build();
    for lang in ["en", "ru", "ky"] {
        site.assert_missing(&format!("{lang}/stories/draft/index.html"))
            .assert_not_contains(&format!("{lang}/stories/index.html"), "Draft story")
            .assert_not_contains(&format!("{lang}/atom.xml"), "Draft story");
    }
    site.assert_not_contains("sitemap.xml", "/stories/draft/");
}

#[test]
fn drafts_are_published_with_the_drafts_option() {
    let site = SiteTest::fixture("basic").drafts().build();
    for lang in ["en", "ru", "ky"] {
        site.assert_contains(
            &format!("{lang}/stories/draft/index.html"),
            "Not ready yet.",
        )
        .assert_contains(&format!("{lang}/stories/index.html"), "Draft story");
    }
    site.assert_contains("en/atom.xml", "Draft story");
}

#[test]
fn the_binary_publishes_drafts_with_dash_dash_drafts() {
    let test = SiteTest::fixture("basic");
    test.run(&["build"]).assert_success();
    assert!(!test.output().join("en/stories/draft/index.html").exists());
    test.run(&["build", "--drafts"]).assert_success();
    assert!(test.output().join("en/stories/draft/index.html").is_file());
}

#[test]
fn a_draft_translation_falls_back_to_the_published_version() {
    let test = SiteTest::fixture("basic");
    test.edit(
        "content/stories/alpha.ky.md",
        "day = 1\n",
        "day = 1\ndraft = true\n",
    );
    let site = test.build();
    let file = "ky/stories/alpha/index.html";
    site.assert_contains(file, "История Альфа")
        .assert_not_contains(file, "Альфа окуясы");
    assert_eq!(site.tag(file, "article")["lang"], "ru");
}
