//! Zero third parties: a page that would load anything from another
//! website fails the build (unless the site allows that origin), named at
//! the line that asks for it; links to other websites carry
//! `rel="noopener noreferrer"`.

use crate::support::SiteTest;

#[test]
fn an_image_from_another_website_is_an_error_at_its_line() {
    let site = SiteTest::fixture("rtl");
    site.write(
        "content/contact.md",
        "+++\ntitle = \"Contact\"\n+++\n\nWrite to us.\n\n![Our office](https://images.example.com/office.jpg)\n",
    );
    let err = site.build_err();
    for part in [
        "would load https://images.example.com/office.jpg (img src) from another website",
        "--> content/contact.md:7:15",
        "copy the file into static/",
        "allow_origins",
    ] {
        assert!(err.contains(part), "missing {part:?} in:\n{err}");
    }
}

#[test]
fn a_theme_that_loads_from_another_website_is_named() {
    let site = SiteTest::fixture("rtl");
    site.write(
        "themes/default/templates/page.html",
        "{% extends \"base.html\" %}{% block main %}<link rel=\"stylesheet\" href=\"https://fonts.example.com/css\">\
         {{ page.content | safe }}{% endblock main %}",
    );
    let err = site.build_err();
    assert!(
        err.contains("would load https://fonts.example.com/css (link rel=stylesheet)"),
        "{err}"
    );
    assert!(err.contains("--> themes/default/templates/"), "{err}");
}

#[test]
fn allowed_origins_may_be_used() {
    let site = SiteTest::fixture("rtl");
    site.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/\"\nallow_origins = [\"https://images.example.com\"]",
    );
    site.write(
        "content/contact.md",
        "+++\ntitle = \"Contact\"\n+++\n\n![Office](https://images.example.com/office.jpg)\n",
    );
    site.build().assert_contains(
        "en/contact/index.html",
        "src=https://images.example.com/office.jpg",
    );
}

#[test]
fn an_allowed_origin_must_be_only_scheme_and_host() {
    let site = SiteTest::fixture("rtl");
    site.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://example.org/\"\nallow_origins = [\"images.example.com/x\"]",
    );
    let err = site.build_err();
    assert!(
        err.contains("`images.example.com/x` is not an origin"),
        "{err}"
    );
    assert!(err.contains("--> glimmer.toml:3:"), "{err}");
}

#[test]
fn links_to_other_websites_do_not_pass_on_the_page() {
    let site = SiteTest::fixture("rtl");
    site.write(
        "content/contact.md",
        "+++\ntitle = \"Contact\"\n+++\n\nSee [UN Women](https://www.unwomen.org/) and [home](/en/).\n",
    );
    let built = site.build();
    let html = built.file("en/contact/index.html");
    assert!(
        html.contains("<a href=https://www.unwomen.org/ rel=\"noopener noreferrer\">UN Women</a>"),
        "{html}"
    );
    assert!(html.contains("<a href=/en/>home</a>"), "{html}");
    // The quick-exit link keeps its own rel and gains noopener.
    assert!(
        html.contains("rel=\"nofollow noreferrer noopener\""),
        "{html}"
    );
}
