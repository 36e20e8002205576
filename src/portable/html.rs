//! A page of the portable copy: the finished page with every reference to
//! the site's own files made relative (see [`links`]), by a streaming HTML
//! rewriter (lol_html), so that markup, scripts and text are never touched.
//!
//! Rewritten: `href`, `src`, `action`, `formaction`, `poster`, `<object
//! data>`, every URL of a `srcset`, and `url(…)` in `<style>` elements and
//! `style` attributes. Kept as they are: `<link rel=canonical>` and
//! `<link rel=alternate hreflang>`, which name the published pages for
//! search engines and are never followed by a reader.
//!
//! The page's Content-Security-Policy allows its inline styles by their
//! hashes: when a style changed, [`renew_policy`] writes the policy again
//! for the new styles.

use super::links::{self, SiteAddress};
use crate::csp::{self, Policy};
use lol_html::html_content::{ContentType, Element};
use lol_html::{HtmlRewriter, Settings, element, text};
use std::borrow::Cow;
use std::cell::Cell;

/// A page of the portable copy.
pub struct Page {
    /// The rewritten page.
    pub bytes: Vec<u8>,
    /// True when an inline style changed (its hash in the page's policy
    /// no longer matches).
    pub styles_changed: bool,
}

/// Attributes that hold one URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "action", "formaction", "poster"];

/// Elements that carry one of [`URL_ATTRIBUTES`] (or `<object data>`).
const HAS_URL: &str = "[href], [src], [action], [formaction], [poster], object[data]";

/// The page `html`, found at `from` in the site (`en/x/index.html`), with
/// the site's own references relative to it. Fails only when the HTML
/// cannot be parsed at all.
pub fn page(html: &[u8], from: &str, site: &SiteAddress) -> Result<Page, String> {
    let mut out = Vec::with_capacity(html.len() + html.len() / 8);
    let mut style = String::new();
    let styles_changed = Cell::new(false);
    let settings = Settings::new()
        .append_element_content_handler(element!(HAS_URL, |el| {
            rewrite_urls(el, from, site);
            Ok(())
        }))
        .append_element_content_handler(element!("[srcset]", |el| {
            rewrite_with(el, "srcset", |v| links::srcset(v, from, site));
            Ok(())
        }))
        .append_element_content_handler(element!("[style]", |el| {
            if rewrite_with(el, "style", |v| links::css(v, from, site)) {
                styles_changed.set(true);
            }
            Ok(())
        }))
        .append_element_content_handler(text!("style", |chunk| {
            // A style sheet may come in several chunks: gather them, then
            // write it once, rewritten.
            style.push_str(chunk.as_str());
            if chunk.last_in_text_node() {
                let css = std::mem::take(&mut style);
                let css = match links::css(&css, from, site) {
                    Some(new) => {
                        styles_changed.set(true);
                        new
                    }
                    None => css,
                };
                chunk.replace(&css, ContentType::Html);
            } else {
                chunk.remove();
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |bytes: &[u8]| out.extend_from_slice(bytes));
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    Ok(Page {
        bytes: out,
        styles_changed: styles_changed.get(),
    })
}

/// The page with its Content-Security-Policy `<meta>` written again by
/// `policy`, for the inline styles it has now.
pub fn renew_policy(html: &[u8], policy: &Policy) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(html.len());
    let placeholder = format!("<meta name=\"{}\">", csp::PLACEHOLDER);
    let settings =
        Settings::new().append_element_content_handler(element!("meta[http-equiv]", |el| {
            let equiv = el.get_attribute("http-equiv").unwrap_or_default();
            if equiv.trim().eq_ignore_ascii_case("content-security-policy") {
                el.replace(&placeholder, ContentType::Html);
            }
            Ok(())
        }));
    let mut rewriter = HtmlRewriter::new(settings, |bytes: &[u8]| out.extend_from_slice(bytes));
    rewriter.write(html).map_err(|e| e.to_string())?;
    rewriter.end().map_err(|e| e.to_string())?;
    policy.protect(&mut out);
    Ok(out)
}

/// Rewrites the URL attributes of one element, except the addresses that
/// must stay absolute.
fn rewrite_urls(el: &mut Element, from: &str, site: &SiteAddress) {
    if keeps_address(el) {
        return;
    }
    for name in URL_ATTRIBUTES {
        rewrite_with(el, name, |v| links::relative(v, from, site));
    }
    if el.tag_name() == "object" {
        rewrite_with(el, "data", |v| links::relative(v, from, site));
    }
}

/// Sets attribute `name` to what `rewrite` makes of its value, when it
/// makes something; returns whether it did. The value is read with its
/// character references decoded and written back with `&` escaped
/// (lol_html escapes `"`).
fn rewrite_with(el: &mut Element, name: &str, rewrite: impl Fn(&str) -> Option<String>) -> bool {
    let Some(raw) = el.get_attribute(name) else {
        return false;
    };
    let Some(new) = rewrite(&decode_references(&raw)) else {
        return false;
    };
    // The name was read from the element, so it is a valid name.
    el.set_attribute(name, &new.replace('&', "&amp;")).is_ok()
}

/// `<link rel=canonical>` and `<link rel=alternate hreflang=…>`: they name
/// the pages as published, for search engines, and stay absolute.
fn keeps_address(el: &Element) -> bool {
    if el.tag_name() != "link" {
        return false;
    }
    let hreflang = el.has_attribute("hreflang");
    el.get_attribute("rel").is_some_and(|rel| {
        rel.split_ascii_whitespace().any(|r| {
            r.eq_ignore_ascii_case("canonical") || (hreflang && r.eq_ignore_ascii_case("alternate"))
        })
    })
}

/// Decodes the character references that can stand in a URL attribute as
/// glimmer and minify-html write it: `&amp;`, `&lt;`, `&gt;`, `&quot;`,
/// `&apos;` and numeric ones (with or without `;`). Others stay as written.
fn decode_references(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let (decoded, used) = reference(rest).unwrap_or(('&', 1));
        out.push(decoded);
        rest = &rest[used..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character a reference at the start of `s` stands for, and its
/// length; `None` when `s` does not start with a known one.
fn reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    let end = body
        .find(|c: char| !c.is_ascii_alphanumeric() && c != '#')
        .unwrap_or(body.len());
    let name = &body[..end];
    let c = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        n if n.starts_with("#x") || n.starts_with("#X") => {
            char::from_u32(u32::from_str_radix(&n[2..], 16).ok()?)?
        }
        n if n.starts_with('#') => char::from_u32(n[1..].parse().ok()?)?,
        _ => return None,
    };
    let semicolon = usize::from(body[end..].starts_with(';'));
    Some((c, 1 + end + semicolon))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(html: &str, from: &str) -> String {
        let site = SiteAddress::new("https://example.org/campaign/", "/campaign/");
        String::from_utf8(page(html.as_bytes(), from, &site).unwrap().bytes).unwrap()
    }

    #[test]
    fn links_scripts_and_images_become_relative() {
        let html = "<!doctype html><html><head><script defer src=/campaign/quick-exit.js></script></head><body><a href=/campaign/ru/>ru</a><img src=/campaign/a.png srcset=\"/campaign/a.png 1x, /campaign/b.png 2x\" alt=\"\"><form action=/campaign/en/search/></form></body></html>";
        let out = rewrite(html, "en/x/index.html");
        assert!(out.contains("src=\"../../quick-exit.js\""), "{out}");
        assert!(out.contains("href=\"../../ru/index.html\""), "{out}");
        assert!(out.contains("src=\"../../a.png\""), "{out}");
        assert!(
            out.contains("srcset=\"../../a.png 1x, ../../b.png 2x\""),
            "{out}"
        );
        assert!(out.contains("action=\"../search/index.html\""), "{out}");
    }

    #[test]
    fn canonical_and_alternates_stay_absolute() {
        let html = "<link href=https://example.org/campaign/en/ rel=canonical><link href=https://example.org/campaign/ru/ hreflang=ru rel=alternate><link href=/campaign/en/atom.xml rel=alternate type=application/atom+xml><a href=https://example.org/campaign/ru/ hreflang=ru>ru</a>";
        let out = rewrite(html, "en/index.html");
        assert!(
            out.contains("<link href=https://example.org/campaign/en/ rel=canonical>"),
            "{out}"
        );
        assert!(
            out.contains("<link href=https://example.org/campaign/ru/ hreflang=ru rel=alternate>"),
            "{out}"
        );
        assert!(out.contains("href=\"atom.xml\""), "{out}");
        assert!(
            out.contains("<a href=\"../ru/index.html\" hreflang=ru>"),
            "{out}"
        );
    }

    #[test]
    fn untouched_markup_keeps_its_bytes() {
        let html = "<p class=x>a &amp; b<a href=#main>skip</a><a href=https://www.google.com/ rel=nofollow>exit</a><a href=tel:+996000000001>call</a>";
        assert_eq!(rewrite(html, "index.html"), html);
    }

    #[test]
    fn references_are_decoded_then_escaped() {
        let html =
            "<a href=\"/campaign/en/?a=1&amp;b=2#x\">x</a><a href='/campaign/&#101;n/'>y</a>";
        let out = rewrite(html, "index.html");
        assert!(
            out.contains("href=\"en/index.html?a=1&amp;b=2#x\""),
            "{out}"
        );
        assert!(out.contains("href=\"en/index.html\""), "{out}");
    }

    #[test]
    fn a_changed_style_gets_a_policy_with_its_new_hash() {
        let site = SiteAddress::new("https://example.org/", "/");
        let policy = Policy::new(&[]);
        let mut html =
            b"<meta name=glimmer-csp><style>a{background:url(/a.png)}</style><p>".to_vec();
        policy.protect(&mut html);
        let old = csp::hash("a{background:url(/a.png)}");
        assert!(String::from_utf8_lossy(&html).contains(&old));
        let copy = page(&html, "en/index.html", &site).unwrap();
        assert!(copy.styles_changed);
        let renewed = String::from_utf8(renew_policy(&copy.bytes, &policy).unwrap()).unwrap();
        assert!(
            renewed.contains(&csp::hash("a{background:url(../a.png)}")),
            "{renewed}"
        );
        assert!(!renewed.contains(&old), "{renewed}");
        assert_eq!(renewed.matches("Content-Security-Policy").count(), 1);
        let plain = page(b"<style>a{color:red}</style>", "index.html", &site).unwrap();
        assert!(!plain.styles_changed);
    }

    #[test]
    fn style_sheets_in_the_page_are_rewritten() {
        let html = "<style>.a{background:url(/campaign/img/a.png)}</style><p style=\"background:url(&quot;/campaign/b.png&quot;)\">";
        let out = rewrite(html, "en/index.html");
        assert!(
            out.contains("<style>.a{background:url(../img/a.png)}</style>"),
            "{out}"
        );
        assert!(
            out.contains("style=\"background:url(&quot;../b.png&quot;)\""),
            "{out}"
        );
    }
}
