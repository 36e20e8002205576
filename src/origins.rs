//! Zero third parties: finds every resource a finished page would load
//! from another website (scripts, style sheets, images, fonts, frames,
//! media, prefetches), which the build refuses unless the site allows
//! that origin, and marks every link to another website
//! `rel="noopener noreferrer"`.

use lol_html::{RewriteStrSettings, element, rewrite_str};
use std::cell::RefCell;

/// `rel` values that make a browser fetch the `href` by itself.
const FETCHING_RELS: &[&str] = &[
    "stylesheet",
    "icon",
    "apple-touch-icon",
    "mask-icon",
    "preload",
    "prefetch",
    "modulepreload",
    "manifest",
    "dns-prefetch",
    "preconnect",
    "prerender",
];

/// Which origins a page may load from.
#[derive(Debug, Clone)]
pub struct Origins {
    /// The site's own origin, e.g. `https://example.org`.
    own: String,
    /// Origins allowed in `glimmer.toml` (`allow_origins`).
    allowed: Vec<String>,
}

/// A resource from another website, found in a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Foreign {
    /// What loads it: `img src`, `link rel=stylesheet`, `style url()`.
    pub by: String,
    /// The address as written.
    pub url: String,
}

impl Origins {
    /// The policy for a site at `base_url`, allowing `allowed` too.
    pub fn new(base_url: &str, allowed: &[String]) -> Origins {
        Origins {
            own: origin(base_url).unwrap_or_default(),
            allowed: allowed
                .iter()
                .map(|a| a.trim_end_matches('/').to_string())
                .collect(),
        }
    }

    /// True when loading `url` would contact another website that is not
    /// allowed.
    pub fn is_foreign(&self, url: &str) -> bool {
        match origin(url) {
            Some(o) => o != self.own && !self.allowed.contains(&o),
            None => false,
        }
    }

    /// True for a link that leaves the site.
    fn is_outgoing(&self, url: &str) -> bool {
        origin(url).is_some_and(|o| o != self.own)
    }
}

/// `https://host[:port]` of an absolute or protocol-relative URL; `None`
/// for relative URLs and for `data:`, `mailto:`, `tel:` and the like.
fn origin(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = if let Some(rest) = url.strip_prefix("//") {
        ("https", rest)
    } else {
        let (scheme, rest) = url.split_once("://")?;
        let scheme = scheme.to_ascii_lowercase();
        if !["http", "https", "ftp", "ws", "wss"].contains(&scheme.as_str()) {
            return None;
        }
        (if scheme == "http" { "http" } else { "https" }, rest)
    };
    let host = rest.split(['/', '?', '#']).next()?.rsplit('@').next()?;
    Some(format!("{scheme}://{}", host.to_ascii_lowercase()))
}

/// Marks outgoing links in `html` and returns every foreign resource it
/// would load.
pub fn check_page(html: &str, origins: &Origins) -> (String, Vec<Foreign>) {
    let found = RefCell::new(Vec::new());
    let note = |by: String, url: &str| {
        if origins.is_foreign(url) {
            found.borrow_mut().push(Foreign {
                by,
                url: url.to_string(),
            });
        }
    };
    let handlers = vec![
        element!("a[href], area[href]", |el| {
            if el
                .get_attribute("href")
                .is_some_and(|h| origins.is_outgoing(&h))
            {
                let mut rel: Vec<String> = el
                    .get_attribute("rel")
                    .unwrap_or_default()
                    .split_whitespace()
                    .map(str::to_string)
                    .collect();
                for needed in ["noopener", "noreferrer"] {
                    if !rel.iter().any(|r| r.eq_ignore_ascii_case(needed)) {
                        rel.push(needed.to_string());
                    }
                }
                el.set_attribute("rel", &rel.join(" "))?;
            }
            Ok(())
        }),
        element!("[src]", |el| {
            let src = el.get_attribute("src").unwrap_or_default();
            note(format!("{} src", el.tag_name()), &src);
            Ok(())
        }),
        element!("[srcset]", |el| {
            for candidate in el.get_attribute("srcset").unwrap_or_default().split(',') {
                let url = candidate.split_whitespace().next().unwrap_or_default();
                note(format!("{} srcset", el.tag_name()), url);
            }
            Ok(())
        }),
        element!("[poster], object[data], image[href], use[href]", |el| {
            for attr in ["poster", "data", "href"] {
                if let Some(url) = el.get_attribute(attr) {
                    note(format!("{} {attr}", el.tag_name()), &url);
                }
            }
            Ok(())
        }),
        element!("link[href][rel]", |el| {
            let rel = el
                .get_attribute("rel")
                .unwrap_or_default()
                .to_ascii_lowercase();
            if rel.split_whitespace().any(|r| FETCHING_RELS.contains(&r)) {
                note(
                    format!("link rel={rel}"),
                    &el.get_attribute("href").unwrap_or_default(),
                );
            }
            Ok(())
        }),
        element!("[style]", |el| {
            for url in css_urls(&el.get_attribute("style").unwrap_or_default()) {
                note("style attribute url()".into(), &url);
            }
            Ok(())
        }),
    ];
    let settings = handlers
        .into_iter()
        .fold(RewriteStrSettings::new(), |s, h| {
            s.append_element_content_handler(h)
        });
    // A page that cannot be parsed cannot be checked: refuse it rather
    // than let it through.
    let rewritten = match rewrite_str(html, settings) {
        Ok(out) => out,
        Err(e) => {
            let cannot = Foreign {
                by: "the page".into(),
                url: format!("(cannot be checked: {e})"),
            };
            return (html.to_string(), vec![cannot]);
        }
    };
    let mut found = found.into_inner();
    for url in style_elements(&rewritten).flat_map(css_urls) {
        if origins.is_foreign(&url) {
            found.push(Foreign {
                by: "style url() or @import".into(),
                url,
            });
        }
    }
    (rewritten, found)
}

/// The text of every `<style>` element.
fn style_elements(html: &str) -> impl Iterator<Item = &str> {
    html.split("<style").skip(1).filter_map(|rest| {
        let body = &rest[rest.find('>')? + 1..];
        Some(&body[..body.find("</style")?])
    })
}

/// Addresses in CSS: `url(…)` and `@import "…"`.
fn css_urls(css: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for part in css.split("url(").skip(1) {
        let inner = part.split(')').next().unwrap_or_default();
        urls.push(inner.trim().trim_matches(['"', '\'']).to_string());
    }
    for part in css.split("@import").skip(1) {
        let inner = part.trim_start().trim_start_matches("url(");
        let quote = inner.chars().next().filter(|c| *c == '"' || *c == '\'');
        if let Some(q) = quote {
            urls.push(inner[1..].split(q).next().unwrap_or_default().to_string());
        }
    }
    urls
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str) -> (String, Vec<String>) {
        let origins = Origins::new(
            "https://example.org/campaign/",
            &["https://cdn.partner.org".into()],
        );
        let (out, found) = check_page(html, &origins);
        (
            out,
            found
                .into_iter()
                .map(|f| format!("{}: {}", f.by, f.url))
                .collect(),
        )
    }

    #[test]
    fn origins_are_read_from_absolute_and_protocol_relative_urls() {
        assert_eq!(
            origin("https://Example.org:8443/x?y").as_deref(),
            Some("https://example.org:8443")
        );
        assert_eq!(
            origin("//cdn.example.com/a.js").as_deref(),
            Some("https://cdn.example.com")
        );
        assert_eq!(origin("HTTP://a.b/").as_deref(), Some("http://a.b"));
        for local in [
            "/x.css",
            "x.png",
            "#top",
            "data:image/png;base64,AA",
            "mailto:a@b.c",
            "tel:+1",
        ] {
            assert_eq!(origin(local), None, "{local}");
        }
    }

    #[test]
    fn every_kind_of_foreign_resource_is_found() {
        let (_, found) = check(
            "<link rel=stylesheet href=https://fonts.example.com/a.css><link rel=preconnect href=//t.example.net>\
             <link rel=canonical href=https://other.example/><script src=https://cdn.example.com/x.js></script>\
             <img src=/ok.png srcset=\"/a.png 1x, https://img.example.com/b.png 2x\"><video poster=https://v.example/p.jpg></video>\
             <iframe src=https://frame.example/></iframe><div style=\"background:url('https://bg.example/i.png')\"></div>\
             <style>@import \"https://css.example/x.css\";body{background:url(/local.png)}</style>\
             <img src=https://cdn.partner.org/allowed.png><img src=https://example.org/campaign/own.png>",
        );
        assert_eq!(
            found,
            [
                "link rel=stylesheet: https://fonts.example.com/a.css",
                "link rel=preconnect: //t.example.net",
                "script src: https://cdn.example.com/x.js",
                "img srcset: https://img.example.com/b.png",
                "video poster: https://v.example/p.jpg",
                "iframe src: https://frame.example/",
                "style attribute url(): https://bg.example/i.png",
                "style url() or @import: https://css.example/x.css",
            ]
        );
    }

    #[test]
    fn outgoing_links_get_noopener_noreferrer() {
        let (out, found) = check(
            "<a href=https://elsewhere.example/>x</a><a href=/en/>home</a>\
             <a href=https://elsewhere.example/ rel=nofollow>y</a><a href=https://example.org/campaign/x/>own</a>",
        );
        assert!(found.is_empty());
        assert!(
            out.contains("<a href=https://elsewhere.example/ rel=\"noopener noreferrer\">x</a>"),
            "{out}"
        );
        assert!(out.contains("<a href=/en/>home</a>"), "{out}");
        assert!(
            out.contains("rel=\"nofollow noopener noreferrer\">y</a>"),
            "{out}"
        );
        assert!(
            out.contains("<a href=https://example.org/campaign/x/>own</a>"),
            "{out}"
        );
    }
}
