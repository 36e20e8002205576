//! The service directory: listings become a directory home, country,
//! category, printable and service pages in every language, with
//! dialable phone links, bidi-safe numbers, JSON-LD and an HSDS-shaped
//! export; broken listings are reported with file, line and column.

use crate::support::{SiteTest, all_tags};

const LANGS: [&str; 4] = ["en", "ru", "fa-AF", "ps"];

fn built() -> crate::support::Built {
    SiteTest::fixture("services").build()
}

#[test]
fn directory_pages_exist_in_every_language() {
    let site = built();
    for lang in LANGS {
        for page in [
            "services/index.html",
            "services/hotline/index.html",
            "services/legal/index.html",
            "services/country/kg/index.html",
            "services/country/tj/index.html",
            "services/country/kg/print/index.html",
            "services/country/tj/print/index.html",
            "services/category/hotline/index.html",
            "services/category/legal-aid/index.html",
            "services/services.json",
        ] {
            site.assert_exists(&format!("{lang}/{page}"));
        }
        // Only categories and countries that have services get pages.
        site.assert_missing(&format!("{lang}/services/category/police/index.html"));
        site.assert_missing(&format!("{lang}/services/country/kz/index.html"));
    }
    assert_eq!(
        site.warnings(),
        "",
        "a clean directory builds without warnings"
    );
}

#[test]
fn every_page_has_the_get_help_link_to_its_languages_directory() {
    let site = built();
    let mut checked = 0;
    for file in site.files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.file(file);
        let lang = match file.split_once('/') {
            Some((lang, _)) if LANGS.contains(&lang) => lang,
            _ => "en",
        };
        let help = html
            .split("<p class=help>")
            .nth(1)
            .unwrap_or_else(|| panic!("{file} has no help link"));
        let links = all_tags(help, "a");
        assert_eq!(links[0]["href"], format!("/{lang}/services/"), "{file}");
        if !file.contains('/') {
            // The chooser and the 404 page speak every language.
            let hrefs: Vec<&str> = links.iter().take(4).map(|a| a["href"].as_str()).collect();
            assert_eq!(hrefs, LANGS.map(|l| format!("/{l}/services/")), "{file}");
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} pages checked");
}

#[test]
fn phone_links_dial_ascii_digits_whatever_the_page_shows() {
    let site = built();
    let mut tel_links = 0;
    for file in site.files().iter().filter(|f| f.ends_with(".html")) {
        for a in site.tags(file, "a") {
            let Some(href) = a
                .get("href")
                .filter(|h| h.starts_with("tel:") || h.starts_with("sms:"))
            else {
                continue;
            };
            let number = &href[4..];
            assert!(
                number
                    .trim_start_matches('+')
                    .chars()
                    .all(|c| c.is_ascii_digit()),
                "{file}: {href}"
            );
            tel_links += 1;
        }
    }
    assert!(tel_links > 50, "{tel_links}");
    let dari = site.file("fa-AF/services/hotline/index.html");
    assert!(
        dari.contains("<a class=call href=tel:+996000000001>"),
        "{dari}"
    );
    assert!(
        dari.contains("<bdi class=num dir=ltr>+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۱</bdi>"),
        "Dari pages show Persian digits, isolated left-to-right:\n{dari}"
    );
    let english = site.file("en/services/hotline/index.html");
    assert!(english.contains("<bdi class=num dir=ltr>+996 000 000 001</bdi>"));
}

#[test]
fn numbers_emails_and_links_are_isolated_left_to_right() {
    let site = built();
    for lang in ["fa-AF", "ps"] {
        let html = site.file(&format!("{lang}/services/hotline/index.html"));
        for needle in [
            "dir=ltr>help@example.org</bdi>",
            "dir=ltr>@safe_home_help</bdi>",
            "href=https://wa.me/996000000003",
            "href=https://t.me/safe_home_help",
            "href=mailto:help@example.org",
        ] {
            assert!(html.contains(needle), "{lang}: {needle}");
        }
        let legal = site.file(&format!("{lang}/services/legal/index.html"));
        assert!(
            legal.contains("<bdi dir=ltr>https://rights.example.net/</bdi>"),
            "{legal}"
        );
    }
}

#[test]
fn emergency_numbers_head_the_directory_and_country_pages() {
    let site = built();
    let home = site.file("en/services/index.html");
    let emergency = home.find("class=emergency").expect("emergency block");
    let first_service = home.find("/en/services/hotline/").expect("a service");
    assert!(emergency < first_service, "emergency numbers come first");
    assert!(home.contains("href=tel:112>"));
    let tj = site.file("en/services/country/tj/index.html");
    assert!(
        tj.contains("href=tel:102>") && !tj.contains("href=tel:112>"),
        "only Tajikistan's numbers:\n{tj}"
    );
}

#[test]
fn translations_inherit_the_data_and_bring_their_own_texts() {
    let site = built();
    let dari = site.file("fa-AF/services/hotline/index.html");
    for needle in [
        "خط شبانه",
        "خانهٔ امن",
        "خط کمک",
        "دفتر",
        "href=tel:+996000000002",
    ] {
        assert!(dari.contains(needle), "fa-AF: {needle}");
    }
    let russian = site.file("ru/services/legal/index.html");
    assert!(russian.contains("Худжанд") && russian.contains("href=tel:+992000000001"));
    // Pashto has no translation: it shows the Dari text, marked as such.
    let pashto = site.file("ps/services/hotline/index.html");
    assert!(
        pashto.contains("class=\"notice fallback\"") || pashto.contains("class=notice fallback"),
        "{pashto}"
    );
    assert!(pashto.contains("lang=fa-AF") && pashto.contains("خانهٔ امن"));
}

#[test]
fn hours_are_shown_in_the_readers_language_and_digits() {
    let site = built();
    let en = site.file("en/services/legal/index.html");
    assert!(
        en.contains("Mon–Fri <bdi dir=ltr>09:00–12:00, 13:00–17:00</bdi>"),
        "{en}"
    );
    assert!(en.contains("Sat <bdi dir=ltr>10:00–14:00</bdi>"));
    let hotline = site.file("en/services/hotline/index.html");
    assert!(hotline.contains("24/7"));
    // Right-to-left pages keep times in their own direction, so that the
    // opening time is read first, from the right.
    let dari = site.file("fa-AF/services/legal/index.html");
    assert!(
        dari.contains("<bdi dir=rtl>۰۹:۰۰–۱۲:۰۰, ۱۳:۰۰–۱۷:۰۰</bdi>"),
        "{dari}"
    );
}

fn json_ld(html: &str) -> serde_json::Value {
    let start = html
        .find("<script type=application/ld+json>")
        .expect("JSON-LD")
        + 33;
    let end = start + html[start..].find("</script>").unwrap();
    serde_json::from_str(&html[start..end]).expect("valid JSON")
}

#[test]
fn service_pages_carry_schema_org_json_ld_without_withheld_addresses() {
    let site = built();
    let hotline = json_ld(&site.file("en/services/hotline/index.html"));
    assert_eq!(hotline["@type"], "Service");
    assert_eq!(hotline["provider"]["name"], "Safe Home");
    let contact = &hotline["provider"]["contactPoint"][0];
    assert_eq!(contact["telephone"], "+996000000001");
    assert_eq!(contact["hoursAvailable"][0]["opens"], "00:00");
    assert_eq!(hotline["availableLanguage"][2], "fa-AF");
    assert!(
        hotline["provider"].get("address").is_none(),
        "withheld address leaked: {hotline}"
    );
    let html = site.file("en/services/hotline/index.html");
    assert!(html.contains("Address kept secret for safety"));
    let legal = json_ld(&site.file("en/services/legal/index.html"));
    assert_eq!(
        legal["provider"]["address"]["streetAddress"],
        "1 Example Street"
    );
    assert_eq!(legal["areaServed"]["name"], "Khujand");
    let office = &legal["provider"]["contactPoint"][0]["hoursAvailable"];
    assert_eq!(office.as_array().unwrap().len(), 3, "{office}");
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = SiteTest::fixture("services");
    site.edit(
        "content/services/legal.md",
        "Lawyers who explain your rights.",
        "</script><script>alert(1)</script>",
    );
    let built = site.build();
    let html = built.file("en/services/legal/index.html");
    // The element ends at the first `</script>`: if the text could close
    // it early, what is left would not parse as JSON.
    let data = json_ld(&html);
    assert!(
        data["description"].as_str().unwrap().contains("</script>"),
        "{data}"
    );
}

#[test]
fn services_json_is_shaped_like_hsds() {
    let site = built();
    let data: serde_json::Value =
        serde_json::from_str(&site.file("en/services/services.json")).unwrap();
    let services = data["services"].as_array().unwrap();
    assert_eq!(services.len(), 2);
    let legal = services
        .iter()
        .find(|s| s["id"] == "services/legal")
        .unwrap();
    assert_eq!(legal["organization"]["name"], "Rights Centre");
    assert_eq!(legal["assured_date"], "2026-10-15");
    assert_eq!(legal["phones"][0]["number"], "+992000000001");
    let schedules = legal["schedules"].as_array().unwrap();
    assert_eq!(schedules.len(), 3);
    assert_eq!(schedules[0]["byday"], "MO,TU,WE,TH,FR");
    assert_eq!(schedules[1]["opens_at"], "13:00");
    assert_eq!(schedules[2]["byday"], "SA");
    let hotline = services
        .iter()
        .find(|s| s["id"] == "services/hotline")
        .unwrap();
    assert!(hotline["locations"][0]["addresses"][0]["address_1"].is_null());
    assert_eq!(hotline["x_open_24_7"], true);
    let terms = data["taxonomy"]["terms"].as_array().unwrap();
    assert!(
        terms
            .iter()
            .any(|t| t["code"] == "legal-aid" && t["parent_id"] == "justice")
    );
    let dari: serde_json::Value =
        serde_json::from_str(&site.file("fa-AF/services/services.json")).unwrap();
    assert_eq!(dari["language"], "fa-AF");
    assert!(
        dari["services"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["name"] == "خط شبانه")
    );
}

#[test]
fn print_pages_are_a4_and_hold_one_country() {
    let site = built();
    let print = site.file("en/services/country/tj/print/index.html");
    assert!(print.contains("@page{size:A4"), "{print}");
    assert!(print.contains("Legal advice") && !print.contains("Night line"));
    assert!(print.contains("href=tel:102>"));
    assert!(print.contains("Information checked between"), "{print}");
    let dari = site.file("fa-AF/services/country/tj/print/index.html");
    assert!(
        dari.contains("\u{2066}https://example.org/\u{2069}"),
        "{dari}"
    );
}

#[test]
fn stale_listings_warn_the_author_and_tell_the_reader() {
    let site = SiteTest::fixture("services");
    site.edit(
        "glimmer.toml",
        "max_age_months = 1200",
        "max_age_months = 6",
    );
    site.edit(
        "content/services/legal.md",
        "verified = 2026-10-15",
        "verified = 2001-01-01",
    );
    let built = site.build();
    let warnings = built.warnings();
    assert!(
        warnings.contains("last checked on 2001-01-01, more than 6 months ago"),
        "{warnings}"
    );
    assert!(
        warnings.contains("content/services/legal.md:15:12"),
        "{warnings}"
    );
    built.assert_contains(
        "en/services/legal/index.html",
        "more than 6 months ago. Numbers or hours may have changed.",
    );
}

#[test]
fn broken_listings_are_reported_together_with_lines_and_hints() {
    let err = SiteTest::fixture("broken/service-listing").build_err();
    for part in [
        "`0312 000 000` is not a phone number in international form",
        "--> content/services/bad.md:12:",
        "unknown country code `Kyrgyzstan`",
        "--> content/services/bad.md:7:",
        "unknown category `hotlines`",
        "did you mean \"hotline\"?",
        "these opening hours cannot be read: `25:00` is not a time of day",
        "unknown language code `russian`",
        "`verified` is in the future",
        "does not start with +996, the calling code of KG",
        "unknown key `organization`",
        "did you mean `organisation`?",
        "--> content/services/typo.md:",
        "it sets `phones`",
        "--> content/services/other.ru.md:",
        "this listing does not say when it was last checked",
        "--> content/services/unchecked.md:4:1",
    ] {
        assert!(err.contains(part), "missing {part:?} in:\n{err}");
    }
}

#[test]
fn listings_belong_in_the_directory_and_need_their_data() {
    let site = SiteTest::fixture("services");
    site.write(
        "content/elsewhere.md",
        "+++\ntitle = \"Lost\"\n[service]\norganisation = \"X\"\ncountry = \"KG\"\ncategories = [\"police\"]\nverified = 2026-11-01\nin_person = true\n+++\n",
    );
    site.write(
        "content/services/note.md",
        "+++\ntitle = \"Just a note\"\n+++\nText.\n",
    );
    let err = site.build_err();
    assert!(
        err.contains("a service listing outside content/services/"),
        "{err}"
    );
    assert!(err.contains("--> content/elsewhere.md"), "{err}");
    assert!(err.contains("no file of this one has its data"), "{err}");
    assert!(err.contains("--> content/services/note.md"), "{err}");
}

#[test]
fn the_sitemap_lists_the_directory_pages_but_not_the_print_copies() {
    let site = built();
    let sitemap = site.file("sitemap.xml");
    for url in [
        "<loc>https://example.org/fa-AF/services/country/kg/</loc>",
        "<loc>https://example.org/en/services/category/legal-aid/</loc>",
        "<loc>https://example.org/fa-AF/services/hotline/</loc>",
    ] {
        assert!(sitemap.contains(url), "{url} missing:\n{sitemap}");
    }
    assert!(
        sitemap.contains("hreflang=\"ru\" href=\"https://example.org/ru/services/country/kg/\"")
    );
    assert!(!sitemap.contains("/print/"), "{sitemap}");
}

#[test]
fn long_directories_are_split_into_pages_and_print_whole() {
    let site = SiteTest::fixture("services");
    site.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/\"\npaginate_by = 1",
    );
    site.write(
        "content/services/police.md",
        "+++\ntitle = \"Police unit\"\n[service]\norganisation = \"Police\"\ncategories = [\"police\"]\n\
         country = \"KG\"\nin_person = true\nverified = 2026-11-01\n+++\n",
    );
    let built = site.build();
    // The first page of the directory keeps to links when the list is long.
    let home = built.file("en/services/index.html");
    assert!(!home.contains("class=card"), "{home}");
    assert!(home.contains("href=/en/services/country/kg/>"));
    let first = built.file("en/services/country/kg/index.html");
    assert_eq!(first.matches("<li class=card>").count(), 1, "{first}");
    assert!(
        first.contains("<a href=/en/services/country/kg/page/2/ rel=next>"),
        "{first}"
    );
    let second = built.file("fa-AF/services/country/kg/page/2/index.html");
    assert_eq!(second.matches("<li class=card>").count(), 1);
    assert!(second.contains(
        "<link href=https://example.org/fa-AF/services/country/kg/page/2/ rel=canonical>"
    ));
    assert!(second.contains("<a href=/fa-AF/services/country/kg/ rel=prev>"));
    built.assert_missing("en/services/country/kg/page/3/index.html");
    built.assert_missing("en/services/country/tj/page/2/index.html");
    let print = built.file("en/services/country/kg/print/index.html");
    assert_eq!(
        print.matches("<li class=card>").count(),
        2,
        "print lists every service"
    );
}
