//! What a page loads on a first visit: the `src` and `href` of its
//! scripts, style sheets, icons, preloads and images, read from the HTML
//! with a small scanner (no DOM), and resolved to paths in the output.
//!
//! The scanner skips comments and the text of `<script>`, `<style>`,
//! `<noscript>`, `<template>`, `<textarea>` and `<title>`, so that markup
//! quoted there is not taken for a tag.

use crate::csp::decode;

/// What kind of resource a reference loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `<script src>`.
    Script,
    /// `<link rel=stylesheet>`.
    Style,
    /// `<link rel=icon>`.
    Icon,
    /// `<link rel=preload>` or `modulepreload` (fonts, mostly).
    Preload,
    /// `<img>`: its `src`, its `srcset` candidates and those of the
    /// `<source>` elements of its `<picture>`.
    Image,
}

impl Kind {
    /// The word for it in messages.
    pub fn word(self) -> &'static str {
        match self {
            Kind::Script => "script",
            Kind::Style => "style sheet",
            Kind::Icon => "icon",
            Kind::Preload => "preload",
            Kind::Image => "image",
        }
    }
}

/// One resource a page loads, as written in the HTML. An image has one
/// URL per variant; everything else has one URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// What it is.
    pub kind: Kind,
    /// The URLs, with character references decoded.
    pub urls: Vec<String>,
}

/// The elements the scanner looks at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tag {
    Script,
    /// Elements whose content is text, not markup.
    RawText,
    Link,
    Picture,
    Source,
    Img,
    Other,
}

fn tag(name: &[u8]) -> Tag {
    let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
    if is("script") {
        Tag::Script
    } else if ["style", "noscript", "template", "textarea", "title"]
        .iter()
        .any(|n| is(n))
    {
        Tag::RawText
    } else if is("link") {
        Tag::Link
    } else if is("picture") {
        Tag::Picture
    } else if is("source") {
        Tag::Source
    } else if is("img") {
        Tag::Img
    } else {
        Tag::Other
    }
}

/// Every resource `html` loads, in document order.
pub fn scan(html: &[u8]) -> Vec<Ref> {
    let mut refs = Vec::new();
    let mut sources = Vec::new();
    let mut i = 0;
    while let Some(at) = find_byte(html, b'<', i) {
        i = at + 1;
        if html[i..].starts_with(b"!--") {
            i = find(html, b"-->", i + 3).map_or(html.len(), |e| e + 3);
            continue;
        }
        let closing = html.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let name_end = html[start..]
            .iter()
            .position(|b| !b.is_ascii_alphanumeric())
            .map_or(html.len(), |n| start + n);
        if name_end == start {
            continue;
        }
        let name = &html[start..name_end];
        let kind = tag(name);
        let keep = !closing && matches!(kind, Tag::Script | Tag::Link | Tag::Source | Tag::Img);
        let (attrs, end) = attributes(html, name_end, keep);
        i = end;
        match (closing, kind) {
            (true, Tag::Picture) | (false, Tag::Picture) => sources.clear(),
            (true, _) => {}
            (false, Tag::Script) => {
                refs.extend(value(&attrs, "src").map(|src| one(Kind::Script, src)));
                i = skip_text(html, i, name);
            }
            (false, Tag::RawText) => i = skip_text(html, i, name),
            (false, Tag::Link) => refs.extend(link(&attrs)),
            (false, Tag::Source) => {
                sources.extend(value(&attrs, "srcset").map(srcset).unwrap_or_default())
            }
            (false, Tag::Img) => refs.extend(image(&attrs, std::mem::take(&mut sources))),
            (false, Tag::Other) => {}
        }
    }
    refs
}

/// An `<img>` with every variant: the `<source>` candidates of its
/// `<picture>`, its `src` and its `srcset`.
fn image(attrs: &[(String, String)], mut urls: Vec<String>) -> Option<Ref> {
    urls.extend(value(attrs, "src").map(str::to_string));
    urls.extend(value(attrs, "srcset").map(srcset).unwrap_or_default());
    urls.retain(|u| !u.trim().is_empty());
    (!urls.is_empty()).then_some(Ref {
        kind: Kind::Image,
        urls,
    })
}

fn one(kind: Kind, url: &str) -> Ref {
    Ref {
        kind,
        urls: vec![url.to_string()],
    }
}

/// What a `<link>` loads, if anything: style sheets (not alternate
/// ones), icons and preloads.
fn link(attrs: &[(String, String)]) -> Option<Ref> {
    let rel = value(attrs, "rel")?.to_ascii_lowercase();
    let href = value(attrs, "href")?;
    let has = |token: &str| rel.split_ascii_whitespace().any(|t| t == token);
    let kind = if has("stylesheet") && !has("alternate") {
        Kind::Style
    } else if has("icon") {
        Kind::Icon
    } else if has("preload") || has("modulepreload") {
        Kind::Preload
    } else {
        return None;
    };
    Some(one(kind, href))
}

fn value<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The URLs of a `srcset`: each candidate is a URL, then optional
/// descriptors (`480w`, `2x`), separated by commas. A URL ends at white
/// space, so `data:` URLs with commas stay whole.
fn srcset(text: &str) -> Vec<String> {
    let mut urls = Vec::new();
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == ',');
        if rest.is_empty() {
            return urls;
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let url = &rest[..end];
        rest = &rest[end..];
        if url.ends_with(',') {
            urls.push(url.trim_end_matches(',').to_string());
        } else {
            urls.push(url.to_string());
            rest = rest.find(',').map_or("", |c| &rest[c + 1..]);
        }
    }
}

/// Reads the attributes of a tag from `i` (just after its name) to its
/// `>`. Returns them, when `keep` (names in lower case, values decoded),
/// and the position after the `>`.
fn attributes(html: &[u8], mut i: usize, keep: bool) -> (Vec<(String, String)>, usize) {
    let mut attrs = Vec::new();
    loop {
        while i < html.len() && (html[i].is_ascii_whitespace() || html[i] == b'/') {
            i += 1;
        }
        if i >= html.len() || html[i] == b'>' {
            return (attrs, (i + 1).min(html.len()));
        }
        let start = i;
        while i < html.len() && !matches!(html[i], b'=' | b'>' | b'/') {
            if html[i].is_ascii_whitespace() {
                break;
            }
            i += 1;
        }
        let name = &html[start..i];
        while i < html.len() && html[i].is_ascii_whitespace() {
            i += 1;
        }
        let mut raw: &[u8] = &[];
        if html.get(i) == Some(&b'=') {
            i += 1;
            while i < html.len() && html[i].is_ascii_whitespace() {
                i += 1;
            }
            let (v, next) = attribute_value(html, i);
            raw = v;
            i = next;
        }
        if keep {
            let name = String::from_utf8_lossy(name).to_ascii_lowercase();
            attrs.push((name, decode(&String::from_utf8_lossy(raw))));
        }
    }
}

/// A quoted or unquoted attribute value at `i`, and the position after it.
fn attribute_value(html: &[u8], i: usize) -> (&[u8], usize) {
    match html.get(i) {
        Some(&q) if q == b'"' || q == b'\'' => {
            let end = find_byte(html, q, i + 1).unwrap_or(html.len());
            (&html[i + 1..end], (end + 1).min(html.len()))
        }
        _ => {
            let end = html[i..]
                .iter()
                .position(|b| b.is_ascii_whitespace() || *b == b'>')
                .map_or(html.len(), |n| i + n);
            (&html[i..end], end)
        }
    }
}

/// The position after the end tag of the raw-text element `name` that
/// starts at `i`.
fn skip_text(html: &[u8], mut i: usize, name: &[u8]) -> usize {
    while let Some(at) = find_byte(html, b'<', i) {
        let tag = &html[at + 1..];
        if tag.first() == Some(&b'/')
            && tag.len() > name.len()
            && tag[1..=name.len()].eq_ignore_ascii_case(name)
        {
            return find_byte(html, b'>', at).map_or(html.len(), |e| e + 1);
        }
        i = at + 1;
    }
    html.len()
}

fn find_byte(html: &[u8], byte: u8, from: usize) -> Option<usize> {
    html.get(from..)?
        .iter()
        .position(|&b| b == byte)
        .map(|n| from + n)
}

fn find(html: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    html.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|n| from + n)
}

/// Where the site lives, for telling its own URLs from others.
pub struct Origin<'a> {
    /// The base URL, ending in `/`: `https://example.org/campaign/`.
    pub base_url: &'a str,
    /// Its path, starting and ending in `/`: `/campaign/`.
    pub base_path: &'a str,
}

impl Origin<'_> {
    /// The output path `url` points to when written in the page at output
    /// path `page`, or `None` for another site, a `data:` URL, or a path
    /// outside the site.
    pub fn resolve(&self, page: &str, url: &str) -> Option<String> {
        let url = url.trim();
        let url = url.split(['#', '?']).next().unwrap_or_default();
        let path = if let Some(rest) = url.strip_prefix("//") {
            self.own(&format!("https://{rest}"))?
        } else if has_scheme(url) {
            self.own(url)?
        } else if url.starts_with('/') {
            url.strip_prefix(self.base_path)
                .or_else(|| (url.len() + 1 == self.base_path.len()).then_some(""))?
                .to_string()
        } else {
            let dir = page.rfind('/').map_or("", |i| &page[..=i]);
            format!("{dir}{url}")
        };
        normalise(&percent_decode(&path))
    }

    /// The part of an absolute URL after the base URL, if it has it (with
    /// `http:` or `https:`).
    fn own(&self, url: &str) -> Option<String> {
        let host_and_path = |u: &str| {
            u.strip_prefix("https://")
                .or_else(|| u.strip_prefix("http://"))
                .map(str::to_string)
        };
        let base = host_and_path(self.base_url)?;
        let url = host_and_path(url)?;
        url.strip_prefix(&base)
            .map(str::to_string)
            .or_else(|| (format!("{url}/") == base).then(String::new))
    }
}

/// True for `https:`, `data:`, `mailto:` and the like.
fn has_scheme(url: &str) -> bool {
    url.find(':').is_some_and(|colon| {
        let scheme = &url[..colon];
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    })
}

/// Resolves `.` and `..` and gives a folder its `index.html`. `None` when
/// `..` climbs out of the site.
fn normalise(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    if path.is_empty() || path.ends_with('/') || path.ends_with("/.") || path.ends_with("/..") {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

/// Decodes `%20` and the like; invalid escapes are kept as they are.
pub(crate) fn percent_decode(text: &str) -> String {
    if !text.contains('%') {
        return text.to_string();
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn urls(html: &str) -> Vec<(Kind, Vec<String>)> {
        scan(html.as_bytes())
            .into_iter()
            .map(|r| (r.kind, r.urls))
            .collect()
    }

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn finds_what_a_minified_page_loads() {
        let html = "<!doctype html><html lang=en><head><link rel=icon href=data:,>\
            <script defer src=/quick-exit.js></script><link href=/a.css rel=stylesheet>\
            <link rel=\"alternate stylesheet\" href=/b.css><link rel=canonical href=/x/>\
            <link rel=preload as=font href=/f.woff2><body><img alt=\"\" src=\"/i.png\">";
        assert_eq!(
            urls(html),
            vec![
                (Kind::Icon, v(&["data:,"])),
                (Kind::Script, v(&["/quick-exit.js"])),
                (Kind::Style, v(&["/a.css"])),
                (Kind::Preload, v(&["/f.woff2"])),
                (Kind::Image, v(&["/i.png"])),
            ]
        );
    }

    #[test]
    fn markup_inside_scripts_styles_and_comments_is_not_a_tag() {
        let html = "<script>var s = '<img src=/no1.png>';</script>\
            <style>a::after{content:'<img src=/no2.png>'}</style>\
            <!-- <script src=/no3.js></script> --><noscript><img src=/no4.png></noscript>\
            <title>&lt;img src=/no5.png></title><SCRIPT SRC='/yes.js'></SCRIPT>";
        assert_eq!(urls(html), vec![(Kind::Script, v(&["/yes.js"]))]);
    }

    #[test]
    fn an_image_has_every_variant_of_its_picture() {
        let html = "<picture><source srcset=\"/a.webp 1x, /a2.webp 2x\" type=image/webp>\
            <img src=/a.jpg srcset=\"/a-400.jpg 400w,/a-800.jpg 800w\"></picture>\
            <img src=/b.png>";
        assert_eq!(
            urls(html),
            vec![
                (
                    Kind::Image,
                    v(&["/a.webp", "/a2.webp", "/a.jpg", "/a-400.jpg", "/a-800.jpg"])
                ),
                (Kind::Image, v(&["/b.png"])),
            ]
        );
        assert_eq!(
            srcset("data:image/png;base64,AAA= 1x,/b.png"),
            v(&["data:image/png;base64,AAA=", "/b.png"])
        );
    }

    #[test]
    fn attribute_values_are_decoded() {
        assert_eq!(decode("/a.js?x=1&amp;y=2&#38;z&#x3D;"), "/a.js?x=1&y=2&z=");
        assert_eq!(decode("AT&T &bogus;"), "AT&T &bogus;");
    }

    #[test]
    fn urls_resolve_to_output_paths() {
        let site = Origin {
            base_url: "https://ngo.example/campaign/",
            base_path: "/campaign/",
        };
        let page = "en/stories/x/index.html";
        let r = |url| site.resolve(page, url);
        assert_eq!(
            r("/campaign/quick-exit.js").as_deref(),
            Some("quick-exit.js")
        );
        assert_eq!(
            r("/campaign/css/a%20b.css?v=2#x").as_deref(),
            Some("css/a b.css")
        );
        assert_eq!(r("pic.png").as_deref(), Some("en/stories/x/pic.png"));
        assert_eq!(r("../../../i.png").as_deref(), Some("i.png"));
        assert_eq!(r("../../../../i.png"), None);
        assert_eq!(
            r("https://ngo.example/campaign/a.js").as_deref(),
            Some("a.js")
        );
        assert_eq!(r("//ngo.example/campaign/a.js").as_deref(), Some("a.js"));
        assert_eq!(r("/campaign/").as_deref(), Some("index.html"));
        assert_eq!(r("/other/a.js"), None);
        assert_eq!(r("https://cdn.example/a.js"), None);
        assert_eq!(r("data:,"), None);
    }
}
