//! UI strings: site overrides, missing keys and plural forms.

use crate::support::{Built, SiteTest};

fn site() -> Built {
    SiteTest::fixture("ui-strings").build()
}

fn count(site: &Built, file: &str) -> String {
    let html = site.file(file);
    let start = html
        .find("class=\"count\">")
        .unwrap_or_else(|| panic!("no story count in {file}:\n{html}"))
        + "class=\"count\">".len();
    html[start..start + html[start..].find('<').unwrap()].to_string()
}

#[test]
fn a_site_locale_file_overrides_one_key_and_keeps_the_others() {
    let site = site();
    // ru/one/a is the English page read in Russian: Russian UI around it.
    site.assert_contains("ru/one/a/index.html", "Дата публикации:")
        .assert_not_contains("ru/one/a/index.html", "Опубликовано")
        // Other built-in Russian strings are still there.
        .assert_contains("ru/one/a/index.html", "Лента новостей")
        // Other languages keep their built-in text.
        .assert_contains("en/one/a/index.html", "Published:")
        .assert_contains("ky/one/a/index.html", "Жарыяланды:");
}

#[test]
fn a_key_missing_in_a_language_warns_and_shows_the_fallback_text() {
    let site = site();
    site.assert_contains(
        "en/support/index.html",
        "<p class=\"donate\">Support us</p>",
    )
    .assert_contains(
        "ru/support/index.html",
        "<p class=\"donate\">Поддержать нас</p>",
    )
    // ky → ru → en: the Russian text, not the English one.
    .assert_contains(
        "ky/support/index.html",
        "<p class=\"donate\">Поддержать нас</p>",
    );
    let warnings = site.warnings();
    assert!(warnings.contains("warning: "), "{warnings}");
    assert!(warnings.contains("missing for `ky`: donate"), "{warnings}");
    assert!(warnings.contains("locales/ky.toml"), "{warnings}");
    assert!(!warnings.contains("missing for `ru`"), "{warnings}");
    assert!(!warnings.contains("missing for `en`"), "{warnings}");
}

#[test]
fn russian_story_counts_use_the_right_plural_form() {
    let site = site();
    assert_eq!(count(&site, "ru/one/index.html"), "1 история");
    assert_eq!(count(&site, "ru/two/index.html"), "2 истории");
    assert_eq!(count(&site, "ru/five/index.html"), "5 историй");
    assert_eq!(count(&site, "en/one/index.html"), "1 story");
    assert_eq!(count(&site, "en/two/index.html"), "2 stories");
    assert_eq!(count(&site, "en/five/index.html"), "5 stories");
}

#[test]
fn an_invalid_site_locale_file_is_an_error_naming_it() {
    let test = SiteTest::fixture("ui-strings");
    test.write("locales/ru.toml", "published = \"Дата\nfeed = \"x\"\n");
    let err = test.build_err();
    assert!(err.contains("locales/ru.toml:1:"), "{err}");
    assert!(err.contains("invalid TOML"), "{err}");
}
