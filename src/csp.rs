//! The Content-Security-Policy: what a page may load and run. Pages load
//! nothing from other sites (but those `allow_origins` names) and run only
//! same-origin script files; inline styles are allowed by their SHA-256
//! hashes, inline scripts not at all (JSON-LD is data, not a script).
//!
//! Every HTML page gets the policy in a `<meta http-equiv>` tag, which
//! works on every host (GitHub Pages included). The theme says where:
//! `<meta name="glimmer-csp">` in `<head>`, right after `<meta charset>`
//! and before any `<style>` or `<script>` (a policy only governs what comes
//! after it). [`Policy::protect`] replaces that placeholder, after
//! minification, with the policy and the hashes of that page's own styles.
//! A page without the placeholder is left as it is: no policy in the page.
//!
//! The header form ([`Policy::header`]) is for `_headers` and `.htaccess`:
//! it adds `frame-ancestors 'none'` (ignored in a meta tag) and allows the
//! inline styles of the whole site, since one header serves every page.
//! A browser enforces both, so each page still gets only its own styles.

use sha2::{Digest, Sha256};
use std::collections::BTreeSet;
use std::ops::Range;

/// The `name` of the placeholder `<meta>` tag in a theme's templates.
pub const PLACEHOLDER: &str = "glimmer-csp";

/// More inline styles than this in the whole site, and the header policy
/// allows any inline style (`'unsafe-inline'`): the hashes would not fit
/// in a header line (Cloudflare Pages reads at most 2,000 characters).
/// Each page's meta tag still allows only its own styles.
pub const MAX_HEADER_HASHES: usize = 24;

/// The directives, in the order written: name, sources, and whether the
/// origins of `allow_origins` are added (in place of `'none'`).
/// `style-src` gets its sources from the styles of the page.
const DIRECTIVES: &[(&str, &str, bool)] = &[
    ("default-src", "'self'", true),
    ("script-src", "'self'", true),
    ("style-src", "", true),
    ("img-src", "'self' data:", true),
    ("font-src", "'self'", true),
    ("connect-src", "'self'", true),
    ("manifest-src", "'self'", false),
    ("worker-src", "'none'", false),
    ("frame-src", "'none'", true),
    ("object-src", "'none'", false),
    ("base-uri", "'none'", false),
    ("form-action", "'self'", false),
];

/// The policy of a site: its own origin, and the other websites its
/// `allow_origins` names.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    allowed: Vec<String>,
}

impl Policy {
    /// The policy allowing the origins in `allowed` (`https://host`) too.
    pub fn new(allowed: &[String]) -> Policy {
        Policy {
            allowed: allowed
                .iter()
                .map(|o| o.trim_end_matches('/').to_string())
                .collect(),
        }
    }

    /// The policy of one page with these inline styles, for its `<meta>`
    /// tag.
    pub fn meta(&self, styles: &Styles) -> String {
        self.write(&styles.sources(), false)
    }

    /// The policy for an HTTP header, serving every page of a site whose
    /// inline styles are `site`.
    pub fn header(&self, site: &Styles) -> String {
        let styles = if site.len() > MAX_HEADER_HASHES {
            "'self' 'unsafe-inline'".to_string()
        } else {
            site.sources()
        };
        self.write(&styles, true)
    }

    fn write(&self, styles: &str, header: bool) -> String {
        let mut all: Vec<String> = DIRECTIVES
            .iter()
            .map(|&(name, sources, extend)| {
                let sources = if name == "style-src" { styles } else { sources };
                let mut d = format!("{name} {sources}");
                if extend && !self.allowed.is_empty() {
                    d = d.replace(" 'none'", "");
                    for origin in &self.allowed {
                        d.push(' ');
                        d.push_str(origin);
                    }
                }
                d
            })
            .collect();
        if header {
            all.push("frame-ancestors 'none'".into());
        }
        all.join("; ")
    }

    /// Fills the page's placeholder with its policy. Returns the page's
    /// inline styles, whether or not it had a placeholder (the header
    /// policy needs them all). A page that is not UTF-8 is left alone.
    pub fn protect(&self, html: &mut Vec<u8>) -> Styles {
        let Ok(text) = std::str::from_utf8(html) else {
            return Styles::default();
        };
        let scan = scan(text);
        if scan.placeholders.is_empty() {
            return scan.styles;
        }
        let tag = format!(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">",
            self.meta(&scan.styles)
        );
        let mut out = Vec::with_capacity(html.len() + tag.len());
        let mut from = 0;
        for range in &scan.placeholders {
            out.extend_from_slice(&html[from..range.start]);
            out.extend_from_slice(tag.as_bytes());
            from = range.end;
        }
        out.extend_from_slice(&html[from..]);
        *html = out;
        scan.styles
    }
}

/// The inline styles of a page (or of a whole site), as CSP hash sources
/// (`'sha256-…'`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Styles {
    /// Hashes of the text of `<style>` elements.
    pub elements: BTreeSet<String>,
    /// Hashes of `style="…"` attribute values (Markdown tables with
    /// aligned columns have them).
    pub attributes: BTreeSet<String>,
}

impl Styles {
    /// Adds the styles of another page.
    pub fn extend(&mut self, other: Styles) {
        self.elements.extend(other.elements);
        self.attributes.extend(other.attributes);
    }

    /// How many different hashes there are.
    pub fn len(&self) -> usize {
        self.elements.len() + self.attributes.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `style-src` sources allowing exactly these inline styles, and
    /// same-origin style sheets.
    fn sources(&self) -> String {
        let mut d = String::from("'self'");
        for hash in &self.elements {
            d.push(' ');
            d.push_str(hash);
        }
        if !self.attributes.is_empty() {
            // Needed for hashes to match attributes (CSP Level 3).
            d.push_str(" 'unsafe-hashes'");
            for hash in &self.attributes {
                d.push(' ');
                d.push_str(hash);
            }
        }
        d
    }
}

/// The inline styles of a page.
pub fn styles(html: &str) -> Styles {
    scan(html).styles
}

/// The CSP hash source of a style text: `'sha256-BASE64'` of its UTF-8
/// bytes, after the line-break normalisation every HTML parser applies.
pub fn hash(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let digest = Sha256::digest(text.as_bytes());
    format!("'sha256-{}'", base64(&digest))
}

/// What [`scan`] found in a page.
struct Scan {
    styles: Styles,
    /// Byte ranges of the placeholder tags.
    placeholders: Vec<Range<usize>>,
}

/// Walks the tags of `html`: the text of `<style>` elements, `style`
/// attributes and placeholder tags. The text of `<script>`, `<style>`,
/// `<textarea>` and `<title>` is skipped, as a browser reads it, so that
/// a `<style>` inside JSON-LD is not taken for an element.
fn scan(html: &str) -> Scan {
    let mut found = Scan {
        styles: Styles::default(),
        placeholders: Vec::new(),
    };
    let mut at = 0;
    while let Some(offset) = html[at..].find('<') {
        let start = at + offset;
        let rest = &html[start..];
        at = if rest.starts_with("<!--") {
            rest.find("-->").map_or(html.len(), |i| start + i + 3)
        } else if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            let tag = Tag::read(html, start);
            found.note(&tag);
            match tag.raw_text(html) {
                Some(text) if tag.name == "style" => {
                    found.styles.elements.insert(hash(&html[text.clone()]));
                    text.end
                }
                Some(text) => text.end,
                None => tag.end,
            }
        } else {
            start + 1
        };
    }
    found
}

impl Scan {
    fn note(&mut self, tag: &Tag) {
        if let Some(style) = tag.attr("style") {
            self.styles.attributes.insert(hash(&decode(style)));
        }
        if tag.name == "meta" && tag.attr("name").is_some_and(|n| n.trim() == PLACEHOLDER) {
            self.placeholders.push(tag.start..tag.end);
        }
    }
}

/// A start tag: its lower-case name, attributes (names in lower case,
/// values as written) and byte range.
struct Tag<'a> {
    name: String,
    attrs: Vec<(String, &'a str)>,
    start: usize,
    end: usize,
}

impl<'a> Tag<'a> {
    /// Reads the start tag at `start` (a `<` followed by a letter), as the
    /// HTML tokenizer does.
    fn read(html: &'a str, start: usize) -> Tag<'a> {
        let bytes = html.as_bytes();
        let mut i = start + 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>') {
            i += 1;
        }
        let name = html[start + 1..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
                i += 1;
            }
            if i >= bytes.len() || bytes[i] == b'>' {
                break;
            }
            let (attr, next) = read_attr(html, i);
            attrs.push(attr);
            i = next;
        }
        Tag {
            name,
            attrs,
            start,
            end: (i + 1).min(html.len()),
        }
    }

    fn attr(&self, name: &str) -> Option<&'a str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// The byte range of the element's text, for elements whose text is
    /// not markup (up to their end tag).
    fn raw_text(&self, html: &str) -> Option<Range<usize>> {
        if !matches!(
            self.name.as_str(),
            "script" | "style" | "textarea" | "title"
        ) {
            return None;
        }
        let close = format!("</{}", self.name);
        let end = find_ignore_case(&html[self.end..], &close).map_or(html.len(), |i| self.end + i);
        Some(self.end..end)
    }
}

/// Reads one attribute at `i`: its lower-case name and raw value, and
/// where the next one may start.
fn read_attr(html: &str, mut i: usize) -> ((String, &str), usize) {
    let bytes = html.as_bytes();
    let name_start = i;
    i += 1; // A first `=` belongs to the name.
    while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
        i += 1;
    }
    let name = html[name_start..i].to_ascii_lowercase();
    while i < bytes.len() && is_space(bytes[i]) {
        i += 1;
    }
    if i >= bytes.len() || bytes[i] != b'=' {
        return ((name, ""), i);
    }
    i += 1;
    while i < bytes.len() && is_space(bytes[i]) {
        i += 1;
    }
    match bytes.get(i) {
        Some(&q) if q == b'"' || q == b'\'' => {
            let end = html[i + 1..]
                .find(q as char)
                .map_or(html.len(), |e| i + 1 + e);
            ((name, &html[i + 1..end]), (end + 1).min(html.len()))
        }
        _ => {
            let start = i;
            while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'>' {
                i += 1;
            }
            ((name, &html[start..i]), i)
        }
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    haystack
        .as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// An attribute value with its character references decoded: the named
/// ones markup tools write (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;`) and
/// numeric ones. Others are left as written. (Also used by the budget
/// check to read URLs.)
pub(crate) fn decode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let decoded = rest.find(';').and_then(|end| {
            let c = reference(&rest[1..end])?;
            Some((c, end + 1))
        });
        match decoded {
            Some((c, used)) => {
                out.push(c);
                rest = &rest[used..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    let number = |digits: &str, radix| {
        u32::from_str_radix(digits, radix)
            .ok()
            .and_then(char::from_u32)
    };
    match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        _ => match name.strip_prefix('#')? {
            hex if hex.starts_with(['x', 'X']) => number(&hex[1..], 16),
            dec => number(dec, 10),
        },
    }
}

/// Standard base64 with padding, as CSP hash sources are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn protected(html: &str) -> (String, Styles) {
        let mut bytes = html.as_bytes().to_vec();
        let styles = Policy::default().protect(&mut bytes);
        (String::from_utf8(bytes).unwrap(), styles)
    }

    #[test]
    fn hashes_are_written_as_browsers_compute_them() {
        // The empty string, and the example of the CSP specification's
        // readers (MDN): alert('Hello, world.');
        assert_eq!(
            hash(""),
            "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
        );
        assert_eq!(
            hash("alert('Hello, world.');"),
            "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"
        );
        // The parser turns CR LF and CR into LF before anything sees the text.
        assert_eq!(hash("a{}\r\nb{}\r"), hash("a{}\nb{}\n"));
    }

    #[test]
    fn base64_pads_short_endings() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(&[0xfb, 0xff]), "+/8=");
    }

    #[test]
    fn the_placeholder_gets_the_hash_of_the_pages_own_style() {
        let html = "<!doctype html><html><head><meta charset=utf-8><meta name=glimmer-csp>\
                    <title>x</title><style>body{color:red}</style></head><body></body></html>";
        let (out, styles) = protected(html);
        let expected = format!(
            "<meta charset=utf-8><meta http-equiv=\"Content-Security-Policy\" content=\"{}\"><title>",
            Policy::default().meta(&styles)
        );
        assert!(out.contains(&expected), "{out}");
        assert!(out.contains(&hash("body{color:red}")), "{out}");
        assert!(!out.contains("glimmer-csp"), "{out}");
        assert!(
            !out.contains("frame-ancestors"),
            "not allowed in a meta tag: {out}"
        );
        assert_eq!(styles.elements.len(), 1);
    }

    #[test]
    fn a_page_without_the_placeholder_is_left_alone() {
        let html = "<html><head><style>p{}</style></head></html>";
        let (out, styles) = protected(html);
        assert_eq!(out, html);
        assert_eq!(styles.elements, BTreeSet::from([hash("p{}")]));
    }

    #[test]
    fn every_style_element_and_attribute_counts() {
        let html = "<head><meta content=\"\" name=\"glimmer-csp\"><STYLE media=print>a{}</STYLE>\
                    <style>b{}</style></head><body><table><tr><th style=\"text-align: center\">x\
                    <td style='content:&quot;&#x41;&quot;'>y</table><svg><style>c{}</style></svg>";
        let (out, styles) = protected(html);
        assert_eq!(
            styles.elements,
            BTreeSet::from([hash("a{}"), hash("b{}"), hash("c{}")])
        );
        assert_eq!(
            styles.attributes,
            BTreeSet::from([hash("text-align: center"), hash("content:\"A\"")])
        );
        let policy = Policy::default().meta(&styles);
        assert!(policy.contains("'unsafe-hashes'"), "{policy}");
        assert!(out.contains(&policy));
    }

    #[test]
    fn text_that_is_not_markup_is_not_read_as_tags() {
        let html = "<head><meta name=glimmer-csp><title>&lt;style></title>\
                    <script type=application/ld+json>{\"x\":\"<style>evil{}</style>\"}</script>\
                    <!-- <style>old{}</style> --><style>real{}</style></head>";
        let styles = styles(html);
        assert_eq!(styles.elements, BTreeSet::from([hash("real{}")]));
    }

    #[test]
    fn the_policy_allows_only_same_origin_files() {
        let policy = Policy::default().meta(&Styles::default());
        for directive in [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-src 'none'",
            "worker-src 'none'",
            "form-action 'self'",
        ] {
            assert!(
                policy.contains(directive),
                "{directive} missing in {policy}"
            );
        }
        assert!(!policy.contains("unsafe"), "{policy}");
    }

    #[test]
    fn the_header_policy_carries_the_site_styles_while_they_fit() {
        let mut site = Styles::default();
        site.elements.insert(hash("a{}"));
        let policy = Policy::default().header(&site);
        assert!(policy.contains(&format!("style-src 'self' {}", hash("a{}"))));
        assert!(policy.ends_with("frame-ancestors 'none'"), "{policy}");
        for i in 0..MAX_HEADER_HASHES {
            site.elements.insert(hash(&format!("p{i}{{}}")));
        }
        let policy = Policy::default().header(&site);
        assert!(
            policy.contains("style-src 'self' 'unsafe-inline';"),
            "{policy}"
        );
        assert!(policy.len() < 2000);
    }

    #[test]
    fn allowed_origins_join_the_directives_that_load() {
        let policy = Policy::new(&["https://cdn.example.org/".into()]).meta(&Styles::default());
        for directive in [
            "default-src 'self' https://cdn.example.org;",
            "img-src 'self' data: https://cdn.example.org;",
            "frame-src https://cdn.example.org;",
            "style-src 'self' https://cdn.example.org;",
            "object-src 'none';",
            "base-uri 'none';",
        ] {
            assert!(
                policy.contains(directive),
                "{directive} missing in {policy}"
            );
        }
    }
}
