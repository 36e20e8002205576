//! What the built site tells browsers and hosts: the Content-Security-Policy
//! in every page, `_headers` and `.htaccess`, and the pre-compressed copies.

use crate::support::{SiteTest, all_tags, assert_same_tree, snapshot};
use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::io::Read;

/// Every HTML file of a built site, with its text.
fn pages(site: &crate::support::Built) -> Vec<(String, String)> {
    site.files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .map(|f| {
            let text = site.file(&f);
            (f, text)
        })
        .collect()
}

/// The texts of the `<style>` elements of `html`.
fn style_texts(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<style") {
        let open_end = i + rest[i..].find('>').unwrap() + 1;
        let close = open_end + rest[open_end..].find("</style>").unwrap();
        out.push(&rest[open_end..close]);
        rest = &rest[close..];
    }
    out
}

/// `'sha256-…'` of `text`, computed here, independently of glimmer.
fn csp_hash(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digest = Sha256::digest(text.as_bytes());
    let mut bits = String::new();
    for byte in digest {
        bits.push_str(&format!("{byte:08b}"));
    }
    while !bits.len().is_multiple_of(6) {
        bits.push('0');
    }
    let mut b64: String = bits
        .as_bytes()
        .chunks(6)
        .map(|c| {
            ALPHABET[usize::from_str_radix(std::str::from_utf8(c).unwrap(), 2).unwrap()] as char
        })
        .collect();
    while !b64.len().is_multiple_of(4) {
        b64.push('=');
    }
    format!("'sha256-{b64}'")
}

/// The policy of the page's `<meta http-equiv>` tags.
fn meta_policies(html: &str) -> Vec<String> {
    all_tags(html, "meta")
        .into_iter()
        .filter(|m| {
            m.get("http-equiv")
                .is_some_and(|v| v.eq_ignore_ascii_case("Content-Security-Policy"))
        })
        .map(|m| m["content"].clone())
        .collect()
}

/// The sources of one directive of a policy.
fn directive<'a>(policy: &'a str, name: &str) -> Vec<&'a str> {
    policy
        .split(';')
        .map(str::trim)
        .find_map(|d| d.strip_prefix(name).filter(|s| s.starts_with(' ')))
        .map(|s| s.split_whitespace().collect())
        .unwrap_or_else(|| panic!("no {name} in {policy}"))
}

/// Adds an `[output]` table to the site's config; returns the line
/// number of its first key.
fn set_output(test: &SiteTest, keys: &str) -> usize {
    let path = test.root().join("glimmer.toml");
    let text = std::fs::read_to_string(&path).unwrap() + "\n[output]\n";
    let line = text.lines().count() + 1;
    test.write("glimmer.toml", &(text + keys));
    line
}

fn read(site: &crate::support::Built, rel: &str) -> Vec<u8> {
    std::fs::read(site.output().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .unwrap();
    out
}

fn unbrotli(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    brotli::Decompressor::new(bytes, 4096)
        .read_to_end(&mut out)
        .unwrap();
    out
}

#[test]
fn every_page_allows_exactly_its_own_styles() {
    // `basic` is not minified, `services` is (and has JSON-LD).
    for fixture in ["basic", "services"] {
        let site = SiteTest::fixture(fixture).build();
        let pages = pages(&site);
        assert!(pages.len() > 5, "{fixture}");
        for (path, html) in &pages {
            let policies = meta_policies(html);
            assert_eq!(policies.len(), 1, "{fixture} {path}: one policy");
            let policy = &policies[0];
            let mut expected: BTreeSet<String> =
                style_texts(html).into_iter().map(csp_hash).collect();
            assert!(!expected.is_empty(), "{fixture} {path} has no style");
            expected.insert("'self'".into());
            let allowed: BTreeSet<String> = directive(policy, "style-src")
                .into_iter()
                .map(String::from)
                .collect();
            assert_eq!(allowed, expected, "{fixture} {path}");
            assert_eq!(directive(policy, "script-src"), ["'self'"], "{path}");
            assert_eq!(directive(policy, "default-src"), ["'self'"], "{path}");
            assert_eq!(directive(policy, "object-src"), ["'none'"], "{path}");
            assert_eq!(directive(policy, "base-uri"), ["'none'"], "{path}");
            assert!(
                !policy.contains("frame-ancestors"),
                "{path}: not allowed in meta"
            );
            // Before anything it governs.
            let meta = html.find("Content-Security-Policy").unwrap();
            for tag in ["<style", "<script", "<link"] {
                if let Some(at) = html.find(tag) {
                    assert!(meta < at, "{fixture} {path}: the policy comes after {tag}");
                }
            }
            assert!(!html.contains("glimmer-csp"), "{path}: placeholder left");
        }
    }
}

#[test]
fn host_files_carry_the_security_headers_and_every_style() {
    let site = SiteTest::fixture("services").build();
    let headers = site.file("_headers");
    let htaccess = site.file(".htaccess");
    let line = headers
        .lines()
        .find_map(|l| l.trim().strip_prefix("Content-Security-Policy: "))
        .expect("a policy in _headers");
    assert!(line.ends_with("frame-ancestors 'none'"), "{line}");
    assert!(htaccess.contains(&format!(
        "Header always set Content-Security-Policy \"{line}\""
    )));
    let allowed = directive(line, "style-src");
    for (path, html) in pages(&site) {
        for text in style_texts(&html) {
            assert!(
                allowed.contains(&csp_hash(text).as_str()),
                "{path}: style not in the header"
            );
        }
    }
    for header in [
        "Referrer-Policy: no-referrer",
        "X-Content-Type-Options: nosniff",
        "X-Frame-Options: DENY",
        "Cross-Origin-Opener-Policy: same-origin",
        "Cache-Control: max-age=300",
    ] {
        assert!(headers.contains(header), "{header} missing:\n{headers}");
        let (name, value) = header.split_once(": ").unwrap();
        assert!(
            htaccess.contains(&format!("Header always set {name} \"{value}\""))
                || htaccess.contains(&format!("Header set {name} \"{value}\"")),
            "{header} missing:\n{htaccess}"
        );
    }
    let permissions = headers
        .lines()
        .find_map(|l| l.trim().strip_prefix("Permissions-Policy: "))
        .unwrap();
    for feature in [
        "camera",
        "microphone",
        "geolocation",
        "browsing-topics",
        "payment",
        "usb",
    ] {
        assert!(
            permissions.contains(&format!("{feature}=()")),
            "{permissions}"
        );
    }
    assert!(headers.starts_with("# "));
    assert!(
        htaccess.contains("\nErrorDocument 404 /404.html\n"),
        "{htaccess}"
    );
}

#[test]
fn host_files_respect_the_base_path() {
    let test = SiteTest::fixture("basic");
    test.edit(
        "glimmer.toml",
        "base_url = \"https://example.org/\"",
        "base_url = \"https://ngo.github.io/campaign/\"",
    );
    let site = test.build();
    let headers = site.file("_headers");
    let rules: Vec<&str> = headers.lines().filter(|l| l.starts_with('/')).collect();
    assert!(!rules.is_empty());
    for rule in rules {
        assert!(rule.starts_with("/campaign/"), "{rule}");
    }
    site.assert_contains(".htaccess", "\nErrorDocument 404 /campaign/404.html\n");
}

#[test]
fn compressed_copies_decompress_to_the_files() {
    let site = SiteTest::fixture("services").build();
    let mut checked = 0;
    for file in site.files() {
        let Some(original) = file.strip_suffix(".gz") else {
            continue;
        };
        let bytes = read(&site, original);
        assert_eq!(gunzip(&read(&site, &file)), bytes, "{file}");
        assert_eq!(
            unbrotli(&read(&site, &format!("{original}.br"))),
            bytes,
            "{original}.br"
        );
        checked += 1;
    }
    for copied in [
        "en/index.html",
        "404.html",
        "sitemap.xml",
        "en/atom.xml",
        "quick-exit.js",
    ] {
        site.assert_exists(&format!("{copied}.gz"));
        site.assert_exists(&format!("{copied}.br"));
    }
    assert!(checked > 10, "{checked}");
    for never in ["_headers.gz", ".htaccess.gz", "index.html.gz.gz"] {
        site.assert_missing(never);
    }
}

#[test]
fn a_rebuild_gives_the_same_bytes() {
    let test = SiteTest::fixture("services");
    let first = test.build();
    let before = snapshot(first.output());
    let again = SiteTest::fixture("services").build();
    assert_same_tree(&before, &snapshot(again.output()));
    // Over its own output: the copies are compared and kept like pages.
    let second = test.build();
    assert_eq!(second.write_stats().written, 0);
    assert_same_tree(&before, &snapshot(second.output()));
}

#[test]
fn a_rebuild_reuses_the_copies_of_unchanged_files_made_the_same_way() {
    let test = SiteTest::fixture("basic");
    let first = test.build();
    // Mark two copies: a build that took them from the output folder
    // keeps the marks; one that compressed again would not.
    let mark = b"made by the previous build".to_vec();
    std::fs::write(first.output().join("en/index.html.br"), &mark).unwrap();
    std::fs::write(first.output().join("en/about/index.html.gz"), &mark).unwrap();
    let second = test.build();
    assert_eq!(read(&second, "en/index.html.br"), mark);
    assert_eq!(read(&second, "en/about/index.html.gz"), mark);
    // A changed page is compressed again.
    test.edit("content/about.md", "+++\n\n", "+++\n\nChanged. ");
    let third = test.build();
    assert_ne!(read(&third, "en/about/index.html.gz"), mark);
    assert_eq!(
        gunzip(&read(&third, "en/about/index.html.gz")),
        read(&third, "en/about/index.html")
    );
    assert_eq!(read(&third, "en/index.html.br"), mark);
    // Another brotli quality makes every copy again.
    set_output(&test, "brotli_quality = 6\n");
    let fourth = test.build();
    assert_eq!(
        unbrotli(&read(&fourth, "en/index.html.br")),
        read(&fourth, "en/index.html")
    );
}

#[test]
fn turning_copies_off_removes_them_from_the_output() {
    let test = SiteTest::fixture("basic");
    let first = test.build();
    let copies = first
        .files()
        .iter()
        .filter(|f| f.ends_with(".gz") || f.ends_with(".br"))
        .count();
    assert!(copies > 20, "{copies}");
    set_output(&test, "precompress = []\n");
    let site = test.build();
    assert_eq!(site.write_stats().removed, copies);
    assert!(
        site.files()
            .iter()
            .all(|f| !f.ends_with(".gz") && !f.ends_with(".br"))
    );
    // Without copies, Apache is not asked to look for them.
    site.assert_not_contains(".htaccess", "RewriteRule");
}

#[test]
fn only_gzip_when_asked_and_no_host_files_when_turned_off() {
    let test = SiteTest::fixture("basic");
    set_output(
        &test,
        "headers = false\nprecompress = [\"gzip\"]\nbrotli_quality = 11\n",
    );
    let site = test.build();
    site.assert_exists("en/index.html.gz")
        .assert_missing("en/index.html.br")
        .assert_missing("_headers")
        .assert_missing(".htaccess");
    // The pages keep their own policy.
    assert_eq!(meta_policies(&site.file("en/index.html")).len(), 1);
}

#[test]
fn a_sites_own_host_files_are_kept_with_a_warning() {
    let test = SiteTest::fixture("basic");
    test.write("static/_headers", "/*\n  X-Custom: ours\n");
    let site = test.build();
    assert_eq!(site.file("_headers"), "/*\n  X-Custom: ours\n");
    site.assert_contains(".htaccess", "Content-Security-Policy");
    let warnings = site.warnings();
    assert!(warnings.contains("static/_headers"), "{warnings}");
    assert!(warnings.contains("is not written"), "{warnings}");
    site.assert_missing("_headers.gz");
}

#[test]
fn a_theme_without_the_placeholder_gets_no_policy_in_its_pages() {
    let test = SiteTest::fixture("basic");
    let base = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates/base.html"),
    )
    .unwrap();
    let without: String = base
        .lines()
        .filter(|l| !l.contains("glimmer-csp"))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_ne!(without, base);
    test.write("themes/default/templates/base.html", &without);
    let site = test.build();
    let html = site.file("en/index.html");
    assert!(meta_policies(&html).is_empty(), "{html}");
    // The header policy still allows the styles of those pages.
    let style = csp_hash(style_texts(&html)[0]);
    site.assert_contains("_headers", &style);
}

#[test]
fn a_brotli_quality_out_of_range_is_an_error_in_the_config() {
    let test = SiteTest::fixture("basic");
    let line = set_output(&test, "brotli_quality = 12\n");
    let err = test.build_err();
    assert!(err.contains(&format!("glimmer.toml:{line}:")), "{err}");
    assert!(err.contains("from 0 to 11"), "{err}");
}

#[test]
fn aligned_table_columns_keep_their_style_attributes() {
    let test = SiteTest::fixture("services");
    test.write(
        "content/table.md",
        "+++\ntitle = \"Table\"\n+++\n\n| Day | Hours |\n|:---:|------:|\n| Mon | 9–17 |\n",
    );
    let site = test.build();
    let html = site.file("en/table/index.html");
    let mut attributes: BTreeSet<String> = BTreeSet::new();
    for tag in ["th", "td"] {
        for attrs in all_tags(&html, tag) {
            attributes.insert(csp_hash(&attrs["style"]));
        }
    }
    assert_eq!(attributes.len(), 2, "center and right: {html}");
    let policy = &meta_policies(&html)[0];
    let allowed = directive(policy, "style-src");
    let hashes = allowed.iter().position(|s| *s == "'unsafe-hashes'");
    let hashes = hashes.unwrap_or_else(|| panic!("no 'unsafe-hashes' in {policy}"));
    let listed: BTreeSet<String> = allowed[hashes + 1..]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(listed, attributes, "{policy}");
}
