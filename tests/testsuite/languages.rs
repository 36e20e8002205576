//! Languages: `lang` and `dir`, hreflang alternates, the language switcher
//! and dates in the page language.

use crate::support::SiteTest;

#[test]
fn dari_and_pashto_pages_are_right_to_left() {
    let site = SiteTest::fixture("rtl").build();
    for (file, lang, dir) in [
        ("fa-AF/index.html", "fa-AF", "rtl"),
        ("fa-AF/about/index.html", "fa-AF", "rtl"),
        ("ps/index.html", "ps", "rtl"),
        ("ps/about/index.html", "ps", "rtl"),
        ("en/index.html", "en", "ltr"),
        ("en/about/index.html", "en", "ltr"),
    ] {
        let html = site.tag(file, "html");
        assert_eq!(html["lang"], lang, "{file}: {html:?}");
        assert_eq!(html["dir"], dir, "{file}: {html:?}");
    }
}

#[test]
fn direction_comes_from_the_code_and_cannot_be_configured() {
    // The fixture never says which way a language is written.
    let test = SiteTest::fixture("rtl");
    let config = std::fs::read_to_string(test.root().join("glimmer.toml")).unwrap();
    assert!(!config.contains("dir"), "{config}");
    // And a `dir` key is refused rather than silently obeyed.
    test.edit(
        "glimmer.toml",
        "code = \"ps\"",
        "code = \"ps\"\ndir = \"ltr\"",
    );
    let err = test.build_err();
    assert!(err.contains("unknown key `dir`"), "{err}");
    assert!(err.contains("glimmer.toml:"), "{err}");
}

#[test]
fn the_chooser_and_switcher_mark_each_language_with_its_direction() {
    let site = SiteTest::fixture("rtl").build();
    let items = site.tags("index.html", "li");
    let dir_of = |code: &str| {
        items
            .iter()
            .find(|li| li.get("lang").map(String::as_str) == Some(code))
            .unwrap_or_else(|| panic!("no chooser entry for {code}: {items:?}"))["dir"]
            .clone()
    };
    assert_eq!(dir_of("en"), "ltr");
    assert_eq!(dir_of("fa-AF"), "rtl");
    assert_eq!(dir_of("ps"), "rtl");
    let switcher = site.tags("en/about/index.html", "a");
    let ps = switcher
        .iter()
        .find(|a| a.get("hreflang").map(String::as_str) == Some("ps"))
        .unwrap();
    assert_eq!((ps["dir"].as_str(), ps["lang"].as_str()), ("rtl", "ps"));
}

#[test]
fn a_pashto_reader_of_a_dari_fallback_gets_dari_text_right_to_left() {
    let site = SiteTest::fixture("rtl").build();
    let article = site.tag("ps/about/index.html", "article");
    assert_eq!(article["lang"], "fa-AF", "{article:?}");
    assert_eq!(article["dir"], "rtl", "{article:?}");
    site.assert_contains("ps/about/index.html", "درباره ما");
    // Dari quotes are guillemets.
    site.assert_contains("fa-AF/about/index.html", "«ما اینجا هستیم»");
}

#[test]
fn pages_list_hreflang_alternates_and_x_default() {
    let site = SiteTest::fixture("basic").build();
    for lang in ["en", "ru", "ky"] {
        let file = format!("{lang}/stories/alpha/index.html");
        let alternates: Vec<(String, String)> = site
            .tags(&file, "link")
            .into_iter()
            .filter(|l| l.get("rel").map(String::as_str) == Some("alternate"))
            .filter_map(|l| Some((l.get("hreflang")?.clone(), l["href"].clone())))
            .collect();
        assert_eq!(
            alternates,
            [
                ("en", "https://example.org/en/stories/alpha/"),
                ("ru", "https://example.org/ru/stories/alpha/"),
                ("ky", "https://example.org/ky/stories/alpha/"),
                ("x-default", "https://example.org/en/stories/alpha/"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string())),
            "{file}"
        );
        let canonical = site
            .tags(&file, "link")
            .into_iter()
            .find(|l| l.get("rel").map(String::as_str) == Some("canonical"))
            .unwrap();
        assert_eq!(
            canonical["href"],
            format!("https://example.org/{lang}/stories/alpha/")
        );
    }
}

#[test]
fn the_language_switcher_links_the_same_page_in_the_other_languages() {
    let site = SiteTest::fixture("basic").build();
    let links: Vec<_> = site
        .tags("ru/stories/alpha/index.html", "a")
        .into_iter()
        .filter(|a| a.contains_key("hreflang"))
        .collect();
    let found: Vec<(String, String, bool)> = links
        .iter()
        .map(|a| {
            (
                a["hreflang"].clone(),
                a["href"].clone(),
                a.get("aria-current").map(String::as_str) == Some("page"),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("en", "/en/stories/alpha/", false),
            ("ru", "/ru/stories/alpha/", true),
            ("ky", "/ky/stories/alpha/", false),
        ]
        .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
    );
    // Endonyms, whatever the reader's language.
    site.assert_contains("ru/stories/alpha/index.html", ">English</a>")
        .assert_contains("ru/stories/alpha/index.html", ">Кыргызча</a>");
}

#[test]
fn dates_are_written_with_month_names_of_the_page_language() {
    let site = SiteTest::fixture("basic").build();
    site.assert_contains("ru/stories/alpha/index.html", "25 ноября 2026")
        .assert_contains("en/stories/alpha/index.html", "November 25, 2026")
        .assert_contains("ky/stories/alpha/index.html", "ноябрь")
        .assert_contains(
            "ru/stories/alpha/index.html",
            "<time datetime=\"2026-11-25\">",
        );
    // A fallback page prints its date for its reader: Russian text, Kyrgyz date.
    site.assert_contains("ky/stories/beta/index.html", "27-ноябрь")
        .assert_not_contains("ky/stories/beta/index.html", "27 ноября");
    // And so do the list items.
    site.assert_contains("ru/stories/index.html", "29 ноября 2026");
}

#[test]
fn english_text_in_a_right_to_left_page_is_marked_left_to_right() {
    let site = SiteTest::fixture("rtl").build();
    let file = "ps/contact/index.html";
    assert_eq!(site.tag(file, "html")["dir"], "rtl");
    let article = site.tag(file, "article");
    assert_eq!(
        (article["lang"].as_str(), article["dir"].as_str()),
        ("en", "ltr")
    );
    // The notice is in Pashto and names English in Pashto.
    site.assert_contains(file, "دا پاڼه تر اوسه نه ده ژباړل شوې")
        .assert_contains(file, "انګلیسي");
}

#[test]
fn the_not_found_page_marks_each_language_with_its_direction() {
    let site = SiteTest::fixture("rtl").build();
    let sections = site.tags("404.html", "section");
    let dirs: Vec<(&str, &str)> = sections
        .iter()
        .map(|s| (s["lang"].as_str(), s["dir"].as_str()))
        .collect();
    assert_eq!(dirs, [("en", "ltr"), ("fa-AF", "rtl"), ("ps", "rtl")]);
}

#[test]
fn dari_dates_use_the_solar_hijri_calendar_unless_told_otherwise() {
    let site = SiteTest::fixture("rtl").build();
    // 25 November 2026 is 4 Qaws 1405.
    site.assert_contains("fa-AF/about/index.html", "۴ قوس ۱۴۰۵")
        .assert_contains("fa-AF/about/index.html", "datetime=2026-11-25");
    let test = SiteTest::fixture("rtl");
    test.edit(
        "glimmer.toml",
        "title = \"کارزار\"",
        "title = \"کارزار\"\ncalendar = \"gregorian\"",
    );
    let site = test.build();
    site.assert_contains("fa-AF/about/index.html", "نومبر")
        .assert_not_contains("fa-AF/about/index.html", "قوس");
}

#[test]
fn a_language_without_any_ui_strings_uses_its_fallback_chain_and_warns() {
    let test = SiteTest::fixture("basic");
    let config = std::fs::read_to_string(test.root().join("glimmer.toml")).unwrap();
    test.write(
        "glimmer.toml",
        &format!(
            "{config}\n[[languages]]\ncode = \"tk\"\nname = \"Türkmençe\"\ntitle = \"Kampaniýa\"\nfallback = [\"ru\"]\n"
        ),
    );
    let site = test.build();
    let file = "tk/stories/beta/index.html";
    assert_eq!(site.tag(file, "html")["lang"], "tk");
    // Russian interface texts, Russian text.
    site.assert_contains(file, "Эта страница ещё не переведена")
        .assert_contains(file, "История Бета");
    let warnings = site.warnings();
    assert!(warnings.contains("`tk`"), "{warnings}");
    assert!(warnings.contains("locales/tk.toml"), "{warnings}");
}
