//! What a build produces: pages in every language, the language chooser,
//! 404, sitemap, feeds, robots.txt, static files and pagination.

use crate::support::{SiteTest, check_xml, first_tag, snapshot};

const LANGS: [&str; 3] = ["en", "ru", "ky"];

#[test]
fn every_page_is_published_in_every_language() {
    let site = SiteTest::fixture("basic").build();
    for lang in LANGS {
        for page in [
            "",
            "about/",
            "stories/",
            "stories/page/2/",
            "stories/alpha/",
            "stories/beta/",
            "stories/gamma/",
        ] {
            site.assert_exists(&format!("{lang}/{page}index.html"));
        }
        let html = site.file(&format!("{lang}/stories/alpha/index.html"));
        assert_eq!(first_tag(&html, "html").unwrap()["lang"], lang);
    }
    for top in ["index.html", "404.html", "sitemap.xml", "robots.txt"] {
        site.assert_exists(top);
    }
    // Nothing else: no page outside a language folder, no draft.
    let unexpected: Vec<String> = site
        .files()
        .into_iter()
        .filter(|f| {
            // Compressed copies (`x.gz`, `x.br`) are expected beside the
            // files expected.
            let f = f
                .strip_suffix(".gz")
                .or_else(|| f.strip_suffix(".br"))
                .unwrap_or(f);
            !LANGS.iter().any(|l| f.starts_with(&format!("{l}/")))
                && ![
                    "index.html",
                    "404.html",
                    "sitemap.xml",
                    "robots.txt",
                    "files/leaflet.txt",
                    "quick-exit.js",
                    "_headers",
                    ".htaccess",
                    ".glimmer-output",
                ]
                .contains(&f)
        })
        .collect();
    assert!(unexpected.is_empty(), "unexpected files: {unexpected:?}");
}

#[test]
fn build_report_counts_pages_and_fallbacks_per_language() {
    let site = SiteTest::fixture("basic").build();
    let stats = site.stats();
    // home, about, stories, alpha, beta, gamma; ru lacks gamma; ky has only
    // home and alpha of its own.
    assert_eq!(
        stats,
        [
            ("en".to_string(), 6, 0),
            ("ru".to_string(), 6, 1),
            ("ky".to_string(), 6, 4),
        ]
    );
    assert_eq!(site.write_stats().written, site.file_count());
}

#[test]
fn language_chooser_links_every_language_by_its_own_name() {
    let site = SiteTest::fixture("basic").build();
    let html = site.file("index.html");
    for (code, endonym) in [("en", "English"), ("ru", "Русский"), ("ky", "Кыргызча")]
    {
        let link = site
            .tags("index.html", "a")
            .into_iter()
            .find(|a| a.get("hreflang").map(String::as_str) == Some(code))
            .unwrap_or_else(|| panic!("no link to {code} on the chooser:\n{html}"));
        assert_eq!(link["href"], format!("/{code}/"));
        assert!(html.contains(endonym), "chooser lacks {endonym}:\n{html}");
    }
    let alternates: Vec<String> = site
        .tags("index.html", "link")
        .into_iter()
        .filter_map(|l| l.get("hreflang").cloned())
        .collect();
    assert_eq!(alternates, ["en", "ru", "ky", "x-default"]);
}

#[test]
fn not_found_page_speaks_every_language_and_is_not_indexed() {
    let site = SiteTest::fixture("basic").build();
    site.assert_contains("404.html", "Page not found")
        .assert_contains("404.html", "Страница не найдена")
        .assert_contains("404.html", "Бет табылган жок")
        .assert_contains("404.html", "href=\"/ky/\"");
    let robots = site
        .tags("404.html", "meta")
        .into_iter()
        .find(|m| m.get("name").map(String::as_str) == Some("robots"));
    assert_eq!(robots.unwrap()["content"], "noindex");
}

#[test]
fn sitemap_lists_real_pages_with_hreflang_alternates() {
    let site = SiteTest::fixture("basic").build();
    let xml = site.file("sitemap.xml");
    let names = check_xml(&xml);
    assert_eq!(names[0], "urlset");
    assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
    let url = |loc: &str| {
        xml.lines()
            .find(|l| l.contains(&format!("<loc>{loc}</loc>")))
            .unwrap_or_else(|| panic!("no <url> for {loc} in:\n{xml}"))
            .to_string()
    };
    let alpha_ru = url("https://example.org/ru/stories/alpha/");
    for (lang, href) in [
        ("en", "https://example.org/en/stories/alpha/"),
        ("ru", "https://example.org/ru/stories/alpha/"),
        ("ky", "https://example.org/ky/stories/alpha/"),
        ("x-default", "https://example.org/en/stories/alpha/"),
    ] {
        let link = format!("<xhtml:link rel=\"alternate\" hreflang=\"{lang}\" href=\"{href}\"/>");
        assert!(alpha_ru.contains(&link), "missing {link} in {alpha_ru}");
    }
    assert!(
        alpha_ru.contains("<lastmod>2026-11-25</lastmod>"),
        "{alpha_ru}"
    );
    // Beta exists in en and ru only: no ky alternate, and the ky copy,
    // which is a fallback with rel=canonical, is not listed.
    let beta = url("https://example.org/en/stories/beta/");
    assert!(beta.contains("hreflang=\"ru\""), "{beta}");
    assert!(!beta.contains("hreflang=\"ky\""), "{beta}");
    assert!(!xml.contains("<loc>https://example.org/ky/stories/beta/</loc>"));
    assert!(!xml.contains("draft"), "{xml}");
}

#[test]
fn atom_feeds_are_well_formed_with_one_entry_per_dated_page() {
    let site = SiteTest::fixture("basic").build();
    for lang in LANGS {
        let path = format!("{lang}/atom.xml");
        let xml = site.file(&path);
        let names = check_xml(&xml);
        assert_eq!(names[0], "feed", "{path}");
        assert!(
            xml.contains(&format!("xml:lang=\"{lang}\"")),
            "{path}:\n{xml}"
        );
        assert_eq!(
            names.iter().filter(|n| *n == "entry").count(),
            3,
            "{path}:\n{xml}"
        );
        // Newest first.
        let order: Vec<usize> = ["gamma", "beta", "alpha"]
            .iter()
            .map(|s| {
                xml.find(&format!("<id>https://example.org/{lang}/stories/{s}/</id>"))
                    .unwrap_or_else(|| panic!("no entry for {s} in {path}:\n{xml}"))
            })
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{path}:\n{xml}");
        assert!(
            xml.contains(&format!(
                "<link rel=\"self\" href=\"https://example.org/{lang}/atom.xml\"/>"
            )),
            "{path}"
        );
    }
    // A fallback entry says which language its text is in.
    let ky = site.file("ky/atom.xml");
    let entry_lang = |title: &str| {
        ky.split("<entry")
            .find(|e| e.contains(&format!("<title>{title}</title>")))
            .and_then(|e| e.split('"').nth(1))
            .map(str::to_string)
    };
    assert_eq!(entry_lang("История Бета").as_deref(), Some("ru"), "{ky}");
    assert_eq!(entry_lang("Альфа окуясы").as_deref(), Some("ky"), "{ky}");
    assert_eq!(entry_lang("Gamma story").as_deref(), Some("en"), "{ky}");
    site.assert_contains("en/atom.xml", "<published>2026-11-25T00:00:00Z</published>")
        .assert_contains("en/atom.xml", "<summary>The first story.</summary>");
}

#[test]
fn pages_are_minified_self_contained_and_script_free() {
    // The rtl fixture keeps the default `minify = true`.
    let site = SiteTest::fixture("rtl").build();
    // The only script is the optional quick exit, from the site itself.
    const QUICK_EXIT: &str = "<script defer src=/quick-exit.js></script>";
    for file in site.files().iter().filter(|f| f.ends_with(".html")) {
        let html = site.file(file).replacen(QUICK_EXIT, "", 1);
        assert!(!html.contains("<script"), "{file} has a script");
        assert!(html.contains("<style>"), "{file} has no inline CSS");
        assert!(!html.contains(">\n<"), "{file} is not minified");
        let external = site
            .tags(file, "link")
            .into_iter()
            .any(|l| l.get("rel").map(String::as_str) == Some("stylesheet"));
        assert!(!external, "{file} loads a stylesheet");
        assert!(!html.contains(" src="), "{file} loads something");
    }
}

#[test]
fn the_example_notice_is_off_by_default() {
    let site = SiteTest::fixture("basic").build();
    site.assert_not_contains("en/index.html", "notice example");
    let test = SiteTest::fixture("basic");
    test.edit(
        "glimmer.toml",
        "minify = false",
        "minify = false\nexample_notice = true",
    );
    test.build()
        .assert_contains("en/index.html", "class=\"notice example\"");
}

#[test]
fn robots_txt_allows_all_and_names_the_sitemap() {
    let site = SiteTest::fixture("basic").build();
    let robots = site.file("robots.txt");
    assert!(robots.contains("User-agent: *"), "{robots}");
    assert!(
        robots.contains("Sitemap: https://example.org/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn static_files_are_copied_unchanged() {
    let test = SiteTest::fixture("basic");
    let site = test.build();
    let original = std::fs::read(test.root().join("static/files/leaflet.txt")).unwrap();
    assert_eq!(
        std::fs::read(site.output().join("files/leaflet.txt")).unwrap(),
        original
    );
}

#[test]
fn section_lists_are_paginated_with_prev_and_next_links() {
    let site = SiteTest::fixture("basic").build();
    let rel_link = |file: &str, rel: &str| {
        site.tags(file, "a")
            .into_iter()
            .find(|a| a.get("rel").map(String::as_str) == Some(rel))
            .map(|a| a["href"].clone())
    };
    for lang in LANGS {
        let first = format!("{lang}/stories/index.html");
        let second = format!("{lang}/stories/page/2/index.html");
        assert_eq!(
            rel_link(&first, "next").as_deref(),
            Some(format!("/{lang}/stories/page/2/").as_str()),
            "{first}"
        );
        assert_eq!(rel_link(&first, "prev"), None, "{first}");
        assert_eq!(
            rel_link(&second, "prev").as_deref(),
            Some(format!("/{lang}/stories/").as_str()),
            "{second}"
        );
        assert_eq!(rel_link(&second, "next"), None, "{second}");
        site.assert_missing(&format!("{lang}/stories/page/3/index.html"));
        site.assert_missing(&format!("{lang}/stories/page/1/index.html"));
    }
    // paginate_by = 2, newest first: gamma and beta, then alpha.
    let first = site.file("en/stories/index.html");
    let second = site.file("en/stories/page/2/index.html");
    assert!(first.contains("href=\"/en/stories/gamma/\""), "{first}");
    assert!(first.contains("href=\"/en/stories/beta/\""), "{first}");
    assert!(!first.contains("href=\"/en/stories/alpha/\""), "{first}");
    assert!(second.contains("href=\"/en/stories/alpha/\""), "{second}");
    assert!(
        first.find("/en/stories/gamma/").unwrap() < first.find("/en/stories/beta/").unwrap(),
        "newest first:\n{first}"
    );
}

#[test]
fn paginated_list_pages_are_their_own_canonical() {
    let site = SiteTest::fixture("basic").build();
    let canonical = site
        .tags("en/stories/page/2/index.html", "link")
        .into_iter()
        .find(|l| l.get("rel").map(String::as_str) == Some("canonical"))
        .unwrap();
    assert_eq!(canonical["href"], "https://example.org/en/stories/page/2/");
}

#[test]
fn a_base_url_with_a_path_prefixes_every_internal_link() {
    let test = SiteTest::fixture("basic");
    test.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://ngo.example.org/campaign\"",
    );
    let site = test.build();
    site.assert_contains(
        "ru/stories/alpha/index.html",
        "href=\"/campaign/ru/stories/beta/#contacts\"",
    )
    .assert_contains("index.html", "href=\"/campaign/ky/\"")
    .assert_contains(
        "en/stories/index.html",
        "href=\"/campaign/en/stories/page/2/\"",
    )
    .assert_contains(
        "ky/stories/beta/index.html",
        "rel=\"canonical\" href=\"https://ngo.example.org/campaign/ru/stories/beta/\"",
    )
    .assert_contains(
        "robots.txt",
        "Sitemap: https://ngo.example.org/campaign/sitemap.xml",
    )
    .assert_contains(
        "sitemap.xml",
        "<loc>https://ngo.example.org/campaign/en/stories/alpha/</loc>",
    );
    // Files still land at the top of the output folder.
    site.assert_exists("en/stories/alpha/index.html");
}

#[test]
fn the_example_site_of_the_repository_builds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().unwrap();
    let output = out.path().join("public");
    glimmer::build(&glimmer::config::BuildOptions {
        root: root.to_path_buf(),
        output: Some(output.clone()),
        drafts: false,
        ..Default::default()
    })
    .unwrap_or_else(|d| panic!("{}", crate::support::render(&d)));
    let files = snapshot(&output);
    assert!(files.contains_key("index.html"));
    assert!(files.contains_key("en/index.html"));
    assert!(files.contains_key("ps/index.html"));
}

#[test]
fn tool_files_in_static_are_not_published() {
    let test = SiteTest::fixture("basic");
    test.write("static/.gitkeep", "");
    test.write("static/.htaccess", "ErrorDocument 404 /404.html\n");
    let site = test.build();
    site.assert_missing(".gitkeep").assert_exists(".htaccess");
}
