//! Markdown to HTML with pulldown-cmark: tables, footnotes, strikethrough,
//! heading ids, internal links by source path (`@/stories/x.md#part`), and
//! the quotation marks and dashes of the text's language. Raw HTML is shown
//! as text with a warning, and `javascript:` links are refused, so content
//! can never run a script.

use crate::content::Text;
use crate::diagnostics::Diagnostic;
use crate::typography;
use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

/// What rendering one Markdown body needs to know.
pub struct Input<'a> {
    /// The file being rendered, for diagnostics.
    pub file: &'a Path,
    /// Its text.
    pub text: &'a Text,
    /// Language code of the text, for its typography.
    pub lang: &'a str,
    /// Maps a source key (`stories/x.md`) to its URL in the reader's
    /// language, or `None` when there is no such file.
    pub resolve: &'a dyn Fn(&str) -> Option<String>,
    /// Pictures of the site, made for slow networks; `None` leaves
    /// `<img>` as pulldown-cmark writes it.
    pub images: Option<&'a crate::images::Images>,
    /// A picture without a description is an error, not a warning.
    pub strict: bool,
}

/// A rendered body.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Every heading id, in order (for anchor checks).
    pub anchors: Vec<String>,
    /// Warnings, such as raw HTML shown as text.
    pub warnings: Vec<Diagnostic>,
    /// Internal links to a heading (`@/x.md#part`), checked once every
    /// page is rendered.
    pub anchor_links: Vec<AnchorLink>,
}

/// A link to a heading on another (or the same) page.
#[derive(Debug, Clone)]
pub struct AnchorLink {
    /// Source key of the target page, e.g. `stories/x.md`.
    pub key: String,
    /// The heading id.
    pub anchor: String,
    /// The error to report if the target has no such heading.
    pub error: Diagnostic,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders the body of `input.text`; every broken internal link is an
/// error naming its line and column.
pub fn render(input: &Input) -> Result<Rendered, Vec<Diagnostic>> {
    let body = input.text.body();
    let mut errors = Vec::new();
    let mut events: Vec<(Event, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .collect();
    typography::apply(&mut events, input.lang);
    let anchors = assign_heading_ids(&mut events);
    let mut footnotes = Footnotes::new(events.iter().map(|(e, _)| e));
    let mut out: Vec<(Event, Range<usize>)> = Vec::with_capacity(events.len());
    let mut skip_link_end = 0usize;
    let mut warnings = Vec::new();
    let mut anchor_links = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => match link_target(&dest_url, input, body, &range, &mut anchor_links) {
                Ok(dest) => out.push((
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: dest.map_or(dest_url, CowStr::from),
                        title,
                        id,
                    }),
                    range,
                )),
                Err(d) => {
                    errors.push(d);
                    skip_link_end += 1;
                }
            },
            Event::End(TagEnd::Link) if skip_link_end > 0 => skip_link_end -= 1,
            Event::Start(Tag::Image { ref dest_url, .. }) => {
                if let Some((message, hint)) = refused_image(dest_url) {
                    let start = input.text.body_start + range.start;
                    errors.push(
                        Diagnostic::error(message)
                            .in_file(input.file)
                            .at(&input.text.text, start, range.len())
                            .hint(hint),
                    );
                }
                out.push((event, range));
            }
            Event::FootnoteReference(name) => {
                out.push((Event::Html(footnotes.reference(&name).into()), range))
            }
            Event::Start(Tag::FootnoteDefinition(name)) => {
                out.push((Event::Html(footnotes.definition_start(&name).into()), range))
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                out.push((Event::Html("</div>".into()), range))
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                warnings.push(raw_html_warning(input, &range));
                out.push((Event::Text(html), range));
            }
            other => out.push((other, range)),
        }
    }
    let out = pictures(out, input, &mut errors, &mut warnings);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, out.into_iter().map(|(e, _)| e));
    Ok(Rendered {
        html,
        anchors,
        warnings,
        anchor_links,
    })
}

/// Each image replaced by the `<picture>` of its files (`images`), and
/// checked for a description: `![description](photo.jpg)`.
fn pictures<'e>(
    events: Vec<(Event<'e>, Range<usize>)>,
    input: &Input,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<(Event<'e>, Range<usize>)> {
    let mut out = Vec::with_capacity(events.len());
    let mut events = events.into_iter();
    while let Some((event, range)) = events.next() {
        let Event::Start(Tag::Image {
            ref dest_url,
            ref title,
            ..
        }) = event
        else {
            out.push((event, range));
            continue;
        };
        let (dest, title) = (dest_url.to_string(), title.to_string());
        let inner = image_events(&mut events);
        let alt = plain_text(&inner);
        let body = input.text.body();
        let at = input.text.body_start
            + range.start
            + body[range.clone()].rfind(dest.as_str()).unwrap_or(0);
        let place = |d: Diagnostic| {
            d.in_file(input.file)
                .at(&input.text.text, at, dest.len().max(1))
        };
        if alt.trim().is_empty() {
            let message = "this picture has no description for readers who cannot see it";
            let hint = format!(
                "describe what it shows between the brackets: ![Women marching in Bishkek]({dest})"
            );
            if input.strict {
                errors.push(place(Diagnostic::error(message)).hint(hint));
            } else {
                warnings.push(place(Diagnostic::warning(message)).hint(hint));
            }
        }
        let made = input
            .images
            .map(|images| images.markup(&dest, &alt, &title, Some(input.file)));
        match made {
            Some(Ok(Some(html))) => out.push((Event::InlineHtml(html.into()), range)),
            Some(Err(f)) => errors.push(place(Diagnostic::error(f.message)).hint(f.hint)),
            _ => {
                out.push((event, range.clone()));
                out.extend(inner);
            }
        }
    }
    out
}

/// The events of an image's description up to and with its end.
fn image_events<'e>(
    events: &mut impl Iterator<Item = (Event<'e>, Range<usize>)>,
) -> Vec<(Event<'e>, Range<usize>)> {
    let mut inner = Vec::new();
    let mut depth = 1;
    for (event, range) in events.by_ref() {
        match &event {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => depth -= 1,
            _ => {}
        }
        inner.push((event, range));
        if depth == 0 {
            break;
        }
    }
    inner
}

/// The text of events, as an `alt` attribute holds it.
fn plain_text(events: &[(Event, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Raw HTML in Markdown is shown as text, never run: it could carry
/// scripts, and Markdown covers what a story needs.
fn raw_html_warning(input: &Input, range: &Range<usize>) -> Diagnostic {
    let start = input.text.body_start + range.start;
    let line_end = input.text.text[start..]
        .find('\n')
        .map_or(range.len(), |i| i.min(range.len()));
    Diagnostic::warning("raw HTML is shown as text, not as HTML")
        .in_file(input.file)
        .at(&input.text.text, start, line_end)
        .hint("write it in Markdown instead: **bold**, [link](https://…), lists, tables")
}

/// The rewritten destination of a link: `Some(url)` for `@/` links,
/// `None` to keep it, an error for a missing file or a script URL.
fn link_target(
    dest: &str,
    input: &Input,
    body: &str,
    range: &Range<usize>,
    anchor_links: &mut Vec<AnchorLink>,
) -> Result<Option<String>, Diagnostic> {
    let text = input.text;
    let offset = |needle: &str| {
        text.body_start + range.start + body[range.clone()].find(needle).unwrap_or(0)
    };
    if runs_script(dest, false) {
        return Err(Diagnostic::error("a link may not run a script")
            .in_file(input.file)
            .at(&text.text, offset(dest), dest.len())
            .hint("link to a web address (https://…) or to a page of the site (@/stories/x.md)"));
    }
    let Some(path) = dest.strip_prefix("@/") else {
        return Ok(None);
    };
    let (key, anchor) = match path.split_once('#') {
        Some((k, a)) => (k, Some(a)),
        None => (path, None),
    };
    match (input.resolve)(key) {
        Some(url) => Ok(Some(match anchor {
            Some(a) => {
                anchor_links.push(AnchorLink {
                    key: key.to_string(),
                    anchor: a.to_string(),
                    error: Diagnostic::error(format!("link to a missing heading: {dest}"))
                        .in_file(input.file)
                        .at(&text.text, offset(dest), dest.len())
                        .hint(format!(
                            "content/{key} has no heading with the id `{a}` in this language; link to an existing heading, or give one an id: ## Title {{#{a}}}"
                        )),
                });
                format!("{url}#{a}")
            }
            None => url,
        })),
        None => Err(Diagnostic::error(format!("link to a missing file: {dest}"))
            .in_file(input.file)
            .at(&text.text, offset(dest), dest.len())
            .hint(format!(
                "internal links name a file under content/, e.g. @/stories/story.md; check that content/{key} exists (for a section, link to its _index.md)"
            ))),
    }
}

/// Why an image address is refused, with a hint, or `None` if it is fine.
fn refused_image(dest: &str) -> Option<(&'static str, &'static str)> {
    if dest.starts_with("@/") {
        Some((
            "images are not linked with @/",
            "put the image in static/ and write its address: ![description](/images/photo.jpg)",
        ))
    } else if runs_script(dest, true) {
        Some((
            "an image may not run a script",
            "point the image at a file in static/ or a web address (https://…)",
        ))
    } else {
        None
    }
}

/// True for URLs a browser would run as code: `javascript:`, `vbscript:`,
/// and `data:` (except `data:image/…` for images), however they are spelt
/// (browsers ignore case, tabs and line breaks in the scheme).
fn runs_script(dest: &str, image: bool) -> bool {
    let scheme: String = dest
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    scheme.starts_with("javascript:")
        || scheme.starts_with("vbscript:")
        || (scheme.starts_with("data:") && !(image && scheme.starts_with("data:image/")))
}

/// Gives every heading without an explicit `{#id}` an id made from its
/// text, unique within the page; explicit ids are kept as written and are
/// never taken by a generated one. Returns all ids in order.
fn assign_heading_ids(events: &mut [(Event, Range<usize>)]) -> Vec<String> {
    let mut used: HashMap<String, usize> = events
        .iter()
        .filter_map(|(e, _)| match e {
            Event::Start(Tag::Heading { id: Some(id), .. }) => Some((id.to_string(), 1)),
            _ => None,
        })
        .collect();
    let mut anchors = Vec::new();
    let mut i = 0;
    while i < events.len() {
        if let Event::Start(Tag::Heading { id, .. }) = &events[i].0 {
            let explicit = id.as_ref().map(|s| s.to_string());
            let mut text = String::new();
            let mut j = i + 1;
            while j < events.len() && !matches!(events[j].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[j].0 {
                    text.push_str(t);
                }
                j += 1;
            }
            let id = explicit.unwrap_or_else(|| unique(&slugify_heading(&text), &mut used));
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[i].0 {
                *slot = Some(CowStr::from(id.clone()));
            }
            anchors.push(id);
            i = j;
        }
        i += 1;
    }
    anchors
}

/// `base`, or `base-1`, `base-2`… whichever is not used yet.
fn unique(base: &str, used: &mut HashMap<String, usize>) -> String {
    let mut n = used.get(base).copied().unwrap_or(0);
    let mut id = base.to_string();
    while used.contains_key(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    used.insert(base.to_string(), n.max(1));
    used.insert(id.clone(), 1);
    id
}

/// `Who we are?` → `who-we-are`; letters of every script are kept.
pub fn slugify_heading(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() {
            slug.extend(c.to_lowercase());
        } else if (c.is_whitespace() || c == '-' || c == '_') && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "section".into()
    } else {
        slug
    }
}

/// Numbers footnotes by first reference and gives them page-unique ids;
/// a definition links back to its first reference, if it has one.
#[derive(Default)]
struct Footnotes {
    numbers: HashMap<String, usize>,
    /// How often each footnote was referenced so far.
    uses: HashMap<String, usize>,
    /// Names referenced anywhere in the text.
    referenced: std::collections::HashSet<String>,
}

impl Footnotes {
    fn new<'a>(events: impl Iterator<Item = &'a Event<'a>>) -> Self {
        let referenced = events
            .filter_map(|e| match e {
                Event::FootnoteReference(name) => Some(name.to_string()),
                _ => None,
            })
            .collect();
        Footnotes {
            referenced,
            ..Default::default()
        }
    }

    fn number(&mut self, name: &str) -> usize {
        let next = self.numbers.len() + 1;
        *self.numbers.entry(name.to_string()).or_insert(next)
    }

    fn reference(&mut self, name: &str) -> String {
        let n = self.number(name);
        let uses = self.uses.entry(name.to_string()).or_insert(0);
        *uses += 1;
        let id = match *uses {
            1 => format!("fnref-{n}"),
            k => format!("fnref-{n}-{k}"),
        };
        format!("<sup class=\"fn-ref\"><a href=\"#fn-{n}\" id=\"{id}\">{n}</a></sup>")
    }

    fn definition_start(&mut self, name: &str) -> String {
        let n = self.number(name);
        if self.referenced.contains(name) {
            format!(
                "<div class=\"footnote\" id=\"fn-{n}\"><a class=\"fn-back\" href=\"#fnref-{n}\">{n}.</a>"
            )
        } else {
            format!("<div class=\"footnote\" id=\"fn-{n}\"><span class=\"fn-back\">{n}.</span>")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn html(body: &str, lang: &str) -> Result<Rendered, Vec<Diagnostic>> {
        let text = format!("+++\ntitle = \"t\"\n+++\n{body}");
        let text = Text {
            body_start: text.len() - body.len(),
            text,
        };
        let resolve = |k: &str| (k == "stories/x.md").then(|| "/ru/stories/x/".to_string());
        let file = PathBuf::from("content/a.md");
        render(&Input {
            file: &file,
            text: &text,
            lang,
            resolve: &resolve,
            images: None,
            strict: false,
        })
    }

    #[test]
    fn internal_links_resolve_in_the_reader_language() {
        let r = html("See [x](@/stories/x.md#part).", "ru").unwrap();
        assert!(
            r.html.contains("href=\"/ru/stories/x/#part\""),
            "{}",
            r.html
        );
    }

    #[test]
    fn missing_link_target_names_line_and_column() {
        let e = html("Line one.\n\nSee [y](@/stories/y.md).", "en").unwrap_err();
        let text = e[0].to_string();
        assert!(text.contains("content/a.md:6:9"), "{text}");
        assert!(
            text.contains("link to a missing file: @/stories/y.md"),
            "{text}"
        );
    }

    #[test]
    fn raw_html_is_shown_as_text_with_a_warning() {
        let r = html(
            "Hi <script>alert(1)</script> <b onclick=\"x()\">b</b>\n\n<div>block</div>\n",
            "en",
        )
        .unwrap();
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("<b "), "{}", r.html);
        assert!(!r.html.contains("<div>"), "{}", r.html);
        assert!(r.html.contains("&lt;script&gt;"), "{}", r.html);
        assert!(!r.warnings.is_empty());
        assert!(
            r.warnings[0].to_string().contains("content/a.md:4:"),
            "{}",
            r.warnings[0]
        );
    }

    #[test]
    fn footnote_ids_stay_unique_and_back_links_resolve() {
        let r = html("a[^x] b[^x]\n\n[^x]: one\n\n[^y]: never used\n", "en").unwrap();
        assert!(
            r.html.contains("id=\"fnref-1\"") && r.html.contains("id=\"fnref-1-2\""),
            "{}",
            r.html
        );
        assert!(!r.html.contains("href=\"#fnref-2\""), "{}", r.html);
    }

    #[test]
    fn script_urls_are_refused_however_spelt() {
        for md in [
            "[x](JavaScript:alert(1))",
            "[x](<java\tscript:alert(1)>)",
            "[x](data:text/html,<script>alert(1)</script>)",
            "![x](javascript:alert(1))",
            "![x](data:text/html,x)",
        ] {
            let e = html(md, "en").unwrap_err();
            assert!(e[0].to_string().contains("may not run a script"), "{md}");
        }
        assert!(html("![x](data:image/png;base64,AAAA)", "en").is_ok());
    }

    #[test]
    fn script_links_are_refused() {
        let e = html("[x](javascript:alert(1))", "en").unwrap_err();
        assert!(e[0].to_string().contains("may not run a script"));
    }

    #[test]
    fn tables_footnotes_strikethrough_and_heading_ids() {
        let r = html("# Кто мы\n\n## Who {#custom}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^n]\n\n[^n]: A note.\n\n# Кто мы\n", "en").unwrap();
        assert!(r.html.contains("<h1 id=\"кто-мы\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"custom\">"), "{}", r.html);
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"), "{}", r.html);
        assert!(r.html.contains("href=\"#fn-1\""), "{}", r.html);
        assert!(r.html.contains("id=\"fn-1\""), "{}", r.html);
        assert_eq!(r.anchors, ["кто-мы", "custom", "кто-мы-1"]);
    }
}
