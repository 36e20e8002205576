//! Markdown: tables, footnotes, strikethrough, heading ids and the
//! quotation marks of each language.

use crate::support::{Built, SiteTest};

fn site() -> Built {
    SiteTest::fixture("markdown").build()
}

#[test]
fn tables_are_rendered() {
    let site = site();
    let html = site.file("en/notes/index.html");
    assert!(html.contains("<table>"), "{html}");
    assert!(html.contains("<th>Centre</th>"), "{html}");
    assert!(html.contains("<td>Jalal-Abad</td>"), "{html}");
    site.assert_contains("ru/notes/index.html", "<td>Джалал-Абад</td>");
}

#[test]
fn footnotes_link_both_ways() {
    let site = site();
    let html = site.file("en/notes/index.html");
    // Footnotes are numbered by first reference; ids use the number.
    assert!(html.contains("href=\"#fn-1\""), "{html}");
    assert!(html.contains("id=\"fnref-1\""), "{html}");
    assert!(html.contains("id=\"fn-1\""), "{html}");
    assert!(html.contains("href=\"#fnref-1\""), "{html}");
    assert!(html.contains("From 9 to 18."), "{html}");
    assert!(!html.contains("[^hours]"), "{html}");
}

#[test]
fn strikethrough_is_rendered() {
    site()
        .assert_contains("en/notes/index.html", "<del>Closed</del>")
        .assert_contains("ru/notes/index.html", "<del>Закрыто</del>");
}

#[test]
fn headings_get_unique_ids_in_any_script() {
    let site = site();
    site.assert_contains("en/notes/index.html", "<h2 id=\"who-we-are\">")
        .assert_contains("en/notes/index.html", "<h2 id=\"who-we-are-1\">")
        .assert_contains("en/notes/index.html", "<h2 id=\"our-own-id\">")
        .assert_contains("ru/notes/index.html", "<h2 id=\"кто-мы\">");
}

#[test]
fn english_text_gets_curly_quotes_and_apostrophes() {
    let site = site();
    site.assert_contains("en/notes/index.html", "“stay safe”")
        .assert_contains("en/notes/index.html", "‘left’")
        .assert_contains("en/notes/index.html", "It’s ours.")
        .assert_not_contains("en/notes/index.html", "«");
}

#[test]
fn russian_text_gets_guillemets_and_a_tied_em_dash() {
    let site = site();
    site.assert_contains("ru/notes/index.html", "«мы рядом»\u{a0}— и ушла.")
        .assert_not_contains("ru/notes/index.html", "“");
}

#[test]
fn quotes_follow_the_text_language_not_the_readers() {
    // An English page shown to Russian readers keeps English quotes.
    let test = SiteTest::fixture("markdown");
    test.write(
        "content/quote.md",
        "+++\ntitle = \"Quote\"\n+++\n\nThey said \"enough\".\n",
    );
    let site = test.build();
    site.assert_contains("ru/quote/index.html", "“enough”")
        .assert_not_contains("ru/quote/index.html", "«enough»");
}

#[test]
fn an_explicit_heading_id_is_kept_even_if_an_automatic_one_came_first() {
    let test = SiteTest::fixture("markdown");
    test.write(
        "content/help.md",
        "+++\ntitle = \"Help\"\n+++\n\n## Contacts\n\n## Phone numbers {#contacts}\n",
    );
    test.write(
        "content/link.md",
        "+++\ntitle = \"Link\"\n+++\n\n[Call us](@/help.md#contacts)\n",
    );
    let site = test.build();
    // The link written for the explicit id must land on that heading.
    site.assert_contains("en/link/index.html", "href=\"/en/help/#contacts\"")
        .assert_contains(
            "en/help/index.html",
            "<h2 id=\"contacts\">Phone numbers</h2>",
        );
}

#[test]
fn footnotes_with_similar_names_get_distinct_ids() {
    let test = SiteTest::fixture("markdown");
    test.write(
        "content/fn.md",
        "+++\ntitle = \"Fn\"\n+++\n\nOne[^a b] two[^a-b].\n\n[^a b]: First.\n[^a-b]: Second.\n",
    );
    let site = test.build();
    let ids: Vec<String> = site
        .tags("en/fn/index.html", "div")
        .into_iter()
        .filter_map(|d| d.get("id").cloned())
        .collect();
    assert_eq!(ids.len(), 2, "{ids:?}");
    assert_ne!(ids[0], ids[1], "{ids:?}");
}

#[test]
fn raw_html_is_shown_as_text_and_reported() {
    let test = SiteTest::fixture("markdown");
    test.write(
        "content/raw.md",
        "+++\ntitle = \"Raw\"\n+++\n\nHello <img src=x onerror=\"alert(1)\">\n\n<script>alert(2)</script>\n",
    );
    let site = test.build();
    let html = site.file("en/raw/index.html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(2)&lt;/script&gt;"),
        "{html}"
    );
    let warnings = site.warnings();
    assert!(warnings.contains("raw HTML is shown as text"), "{warnings}");
    assert!(warnings.contains("content/raw.md:5:"), "{warnings}");
}
