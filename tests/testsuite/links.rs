//! Internal links by source path: `@/stories/x.md` and `@/stories/x.md#part`
//! point to that page in the reader's language.

use crate::support::SiteTest;

#[test]
fn links_resolve_to_the_same_page_in_the_current_language() {
    let site = SiteTest::fixture("basic").build();
    for lang in ["en", "ru", "ky"] {
        site.assert_contains(
            &format!("{lang}/index.html"),
            &format!("href=\"/{lang}/stories/alpha/\""),
        );
    }
    site.assert_contains(
        "en/stories/alpha/index.html",
        "href=\"/en/stories/beta/#contacts\"",
    )
    .assert_contains(
        "ru/stories/alpha/index.html",
        "href=\"/ru/stories/beta/#contacts\"",
    )
    .assert_not_contains("ru/stories/alpha/index.html", "@/");
    // The anchor exists on the target page.
    site.assert_contains("ru/stories/beta/index.html", "<h2 id=\"contacts\">");
}

#[test]
fn links_in_a_fallback_page_stay_in_the_readers_language() {
    let site = SiteTest::fixture("basic").build();
    // ky/stories/beta is the Russian text, read by a Kyrgyz reader.
    let file = "ky/stories/beta/index.html";
    site.assert_contains(file, "href=\"/ky/stories/alpha/\"")
        .assert_contains(file, "href=\"/ky/stories/alpha/#help\"")
        .assert_not_contains(file, "href=\"/ru/stories/alpha/");
    // Also when the target is itself a fallback in that language.
    let site = SiteTest::fixture("i18n-fallback").build();
    site.assert_contains(
        "ky/stories/shelter/index.html",
        "href=\"/ky/stories/hotline/#numbers\"",
    )
    .assert_contains(
        "ky/stories/shelter/index.html",
        "href=\"/ky/stories/only-english/\"",
    )
    .assert_contains("ky/stories/hotline/index.html", "id=\"numbers\"");
}

#[test]
fn links_to_sections_and_the_home_page_use_their_index_files() {
    let test = SiteTest::fixture("basic");
    test.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n\n[All stories](@/stories/_index.md), [home](@/_index.md), [elsewhere](https://example.com/x).\n",
    );
    let site = test.build();
    site.assert_contains("en/about/index.html", "href=\"/en/stories/\"")
        .assert_contains("en/about/index.html", "href=\"/en/\"")
        .assert_contains("en/about/index.html", "href=\"https://example.com/x\"");
}

#[test]
fn a_link_to_a_missing_file_fails_the_build_with_its_position() {
    let err = SiteTest::fixture("broken/missing-link").build_err();
    assert!(
        err.contains("link to a missing file: @/stories/shelter.md"),
        "{err}"
    );
    assert!(err.contains("content/story.md:7:19"), "{err}");
    assert!(
        err.contains("7 | See [the shelter](@/stories/shelter.md) for help."),
        "{err}"
    );
    assert!(err.contains("hint: "), "{err}");
    assert!(err.contains("content/stories/shelter.md"), "{err}");
}

#[test]
fn a_link_with_an_anchor_to_a_missing_file_fails_too() {
    let test = SiteTest::fixture("basic");
    test.edit(
        "content/stories/beta.ru.md",
        "@/stories/alpha.md#help",
        "@/stories/alfa.md#help",
    );
    let err = test.build_err();
    assert!(
        err.contains("link to a missing file: @/stories/alfa.md#help"),
        "{err}"
    );
    assert!(err.contains("content/stories/beta.ru.md:7:"), "{err}");
}

#[test]
fn script_links_are_refused() {
    let test = SiteTest::fixture("basic");
    test.write(
        "content/about.md",
        "+++\ntitle = \"About\"\n+++\n\n[click](javascript:alert(1))\n",
    );
    let err = test.build_err();
    assert!(err.contains("may not run a script"), "{err}");
    assert!(err.contains("content/about.md:5:"), "{err}");
}
