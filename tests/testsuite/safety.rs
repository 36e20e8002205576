//! Safety on every page: the quick-exit control (first after the skip
//! link, a plain link that works without JavaScript, its destination per
//! language), the "Staying safe online" page in every language, and
//! discreet titles and link previews.

use crate::support::{SiteTest, all_tags};

/// The links of a page, in document order.
fn links(html: &str) -> Vec<crate::support::Attrs> {
    all_tags(html, "a")
}

#[test]
fn every_page_offers_quick_exit_right_after_the_skip_link() {
    let site = SiteTest::fixture("rtl");
    site.edit(
        "glimmer.toml",
        "name = \"دری\"",
        "name = \"دری\"\nquick_exit = \"https://www.bbc.com/persian\"",
    );
    let built = site.build();
    let mut pages = 0;
    for file in built.files().iter().filter(|f| f.ends_with(".html")) {
        let html = built.file(file);
        let links = links(&html);
        assert_eq!(
            links[0]["href"], "#main",
            "{file}: the skip link comes first"
        );
        let exit = &links[1];
        assert_eq!(exit["id"], "quick-exit", "{file}: exit is the second link");
        assert!(
            exit["rel"].contains("nofollow") && exit["rel"].contains("noreferrer"),
            "{file}"
        );
        let expected = if file.starts_with("fa-AF/") {
            "https://www.bbc.com/persian"
        } else {
            "https://www.google.com/"
        };
        assert_eq!(exit["href"], expected, "{file}");
        assert!(
            html.contains("<script defer src=/quick-exit.js></script>"),
            "{file}"
        );
        pages += 1;
    }
    assert!(pages >= 10, "{pages}");
    built.assert_exists("quick-exit.js");
}

#[test]
fn the_exit_script_path_follows_the_base_path() {
    let site = SiteTest::fixture("rtl");
    site.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://ngo.github.io/campaign/\"",
    );
    let built = site.build();
    built.assert_contains("fa-AF/index.html", "src=/campaign/quick-exit.js");
    built.assert_contains("fa-AF/index.html", "href=/campaign/fa-AF/safety/");
}

#[test]
fn a_quick_exit_address_must_leave_the_site() {
    for bad in ["/", "http://example.org/", "weather", "https://"] {
        let site = SiteTest::fixture("rtl");
        site.edit(
            "glimmer.toml",
            "base_url = \"https://example.org/\"",
            &format!("base_url = \"https://example.org/\"\nquick_exit = \"{bad}\""),
        );
        let err = site.build_err();
        assert!(err.contains("is not a quick-exit address"), "{bad}: {err}");
        assert!(err.contains("--> glimmer.toml:3:14"), "{bad}: {err}");
    }
}

#[test]
fn staying_safe_online_exists_in_every_language_and_is_linked() {
    let built = SiteTest::fixture("rtl").build();
    for lang in ["en", "fa-AF", "ps"] {
        let page = format!("{lang}/safety/index.html");
        let html = built.file(&page);
        assert!(
            html.contains(&format!(
                "<html dir={} lang={lang}>",
                if lang == "en" { "ltr" } else { "rtl" }
            )),
            "{html}"
        );
        assert!(html.contains("<h1>"), "{page}");
        built.assert_contains(
            &format!("{lang}/index.html"),
            &format!("class=safety href=/{lang}/safety/>"),
        );
    }
    let en = built.file("en/safety/index.html");
    assert!(en.contains("does not delete your browsing history"), "{en}");
}

#[test]
fn a_sites_own_safety_page_replaces_the_built_in_one() {
    let site = SiteTest::fixture("rtl");
    site.write(
        "content/safety.md",
        "+++\ntitle = \"Our advice\"\n+++\nCall us first.\n",
    );
    let built = site.build();
    built.assert_contains("en/safety/index.html", "Call us first.");
    built.assert_contains("ps/safety/index.html", "Call us first.");
    built.assert_contains("en/index.html", "class=safety href=/en/safety/>");
}

#[test]
fn discreet_pages_have_neutral_titles_and_previews() {
    let site = SiteTest::fixture("rtl");
    site.edit("content/about.md", "+++\n", "+++\ndiscreet = true\n");
    let built = site.build();
    let about = built.file("en/about/index.html");
    assert!(about.contains("<title>Information</title>"), "{about}");
    assert!(
        about.contains("<meta content=Information property=og:title>"),
        "{about}"
    );
    assert!(
        about.contains("<meta content=\"Useful information.\" property=og:description>"),
        "{about}"
    );
    let home = built.file("en/index.html");
    assert!(
        !home.contains("<title>Information</title>"),
        "only the discreet page"
    );
    assert!(home.contains("property=og:title"), "{home}");
    // The whole site, with one page opting out.
    let site = SiteTest::fixture("rtl");
    site.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/\"\ndiscreet = true",
    );
    site.edit("content/about.md", "+++\n", "+++\ndiscreet = false\n");
    let built = site.build();
    built.assert_contains("en/index.html", "<title>Information</title>");
    built.assert_not_contains("en/about/index.html", "<title>Information</title>");
}
