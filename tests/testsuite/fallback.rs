//! Fallback: a page missing in a language is published there anyway, from
//! the first language of its fallback chain that has it (ky → ru → en).

use crate::support::{Built, SiteTest};

fn site() -> Built {
    SiteTest::fixture("i18n-fallback").build()
}

fn canonical(site: &Built, file: &str) -> String {
    site.tags(file, "link")
        .into_iter()
        .find(|l| l.get("rel").map(String::as_str) == Some("canonical"))
        .unwrap_or_else(|| panic!("no rel=canonical in {file}"))["href"]
        .clone()
}

fn notice(site: &Built, file: &str) -> String {
    let html = site.file(file);
    let start = html
        .find("class=\"notice fallback\"")
        .unwrap_or_else(|| panic!("no fallback notice in {file}:\n{html}"));
    let text = &html[start..];
    let text = &text[text.find('>').unwrap() + 1..];
    text[..text.find("</p>").unwrap()].to_string()
}

#[test]
fn a_page_missing_in_kyrgyz_is_shown_from_russian() {
    let site = site();
    let file = "ky/stories/shelter/index.html";
    site.assert_contains(file, "Безопасное место.")
        .assert_contains(file, "<h1>Убежище</h1>")
        .assert_not_contains(file, "A safe place.");
    assert_eq!(site.tag(file, "html")["lang"], "ky");
    let article = site.tag(file, "article");
    assert_eq!(article["lang"], "ru", "{article:?}");
    assert_eq!(article["dir"], "ltr", "{article:?}");
    assert_eq!(
        canonical(&site, file),
        "https://example.org/ru/stories/shelter/"
    );
}

#[test]
fn the_fallback_notice_is_in_kyrgyz_and_names_the_text_language() {
    let site = site();
    let text = notice(&site, "ky/stories/shelter/index.html");
    assert!(text.contains("Бул бет азырынча которула элек"), "{text}");
    assert!(text.contains("орус тили"), "{text}");
    // Translated pages carry no notice.
    site.assert_not_contains("ru/stories/shelter/index.html", "notice fallback")
        .assert_not_contains("en/stories/shelter/index.html", "notice fallback");
}

#[test]
fn a_page_missing_in_kyrgyz_and_russian_falls_back_to_english_not_kazakh() {
    let site = site();
    let file = "ky/stories/hotline/index.html";
    site.assert_contains(file, "Open day and night.")
        .assert_not_contains(file, "Күндіз-түні");
    assert_eq!(site.tag(file, "article")["lang"], "en");
    assert_eq!(
        canonical(&site, file),
        "https://example.org/en/stories/hotline/"
    );
    assert!(notice(&site, file).contains("англис тили"));
    // Russian readers see English too; Kazakh readers their own version.
    site.assert_contains("ru/stories/hotline/index.html", "Open day and night.")
        .assert_contains("kk/stories/hotline/index.html", "Күндіз-түні")
        .assert_not_contains("kk/stories/hotline/index.html", "notice fallback");
}

#[test]
fn a_page_only_in_the_default_language_is_published_in_every_language() {
    let site = site();
    for lang in ["ru", "kk", "ky"] {
        let file = format!("{lang}/stories/only-english/index.html");
        site.assert_contains(&file, "Nobody translated this one yet.");
        assert_eq!(site.tag(&file, "html")["lang"], lang);
        assert_eq!(site.tag(&file, "article")["lang"], "en");
        assert_eq!(
            canonical(&site, &file),
            "https://example.org/en/stories/only-english/"
        );
    }
    assert!(notice(&site, "ru/stories/only-english/index.html").contains("английский"));
    assert!(notice(&site, "kk/stories/only-english/index.html").contains("Бұл бет"));
}

#[test]
fn fallback_copies_are_not_offered_as_hreflang_alternates() {
    let site = site();
    let hreflangs: Vec<String> = site
        .tags("ky/stories/shelter/index.html", "link")
        .into_iter()
        .filter_map(|l| l.get("hreflang").cloned())
        .collect();
    assert_eq!(hreflangs, ["en", "ru", "x-default"]);
}

#[test]
fn lists_mark_fallback_items_with_their_language() {
    let site = site();
    let file = "ky/stories/index.html";
    // The title and summary of a fallback item carry its language; the
    // meta line stays in the reader's language and names the text's one.
    let titles: Vec<Option<String>> = site
        .tags(file, "h2")
        .into_iter()
        .map(|h| h.get("lang").cloned())
        .collect();
    // Newest first: only-english (en), hotline (en), shelter (ru).
    assert_eq!(
        titles,
        [Some("en".into()), Some("en".into()), Some("ru".into())]
    );
    let badges: Vec<Option<String>> = site
        .tags(file, "span")
        .into_iter()
        .filter(|s| s.get("class").map(String::as_str) == Some("badge"))
        .map(|s| s.get("lang").cloned())
        .collect();
    assert_eq!(
        badges,
        [Some("en".into()), Some("en".into()), Some("ru".into())]
    );
    site.assert_contains(file, "Русский</span>");
}

#[test]
fn a_section_missing_in_kazakh_shows_the_russian_section_with_a_notice() {
    let site = site();
    let file = "kk/stories/index.html";
    site.assert_contains(file, "Истории");
    let text = notice(&site, file);
    assert!(
        text.contains("Бұл бет") && text.contains("орыс тілі"),
        "{text}"
    );
    assert_eq!(canonical(&site, file), "https://example.org/ru/stories/");
}
