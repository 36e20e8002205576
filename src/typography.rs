//! The quotation marks and dashes of each language. pulldown-cmark's smart
//! punctuation writes English curly quotes; here they become the text
//! language's own: «ёлочки» and „лапки“ in Russian, Kazakh, Kyrgyz and
//! Tajik, «» in Dari and Pashto. In those languages a spaced dash is an
//! em dash tied to the word before it by a no-break space.

use crate::lang;
use pulldown_cmark::{CowStr, Event};
use std::ops::Range;

/// Rewrites the smart-punctuation events of `events` for language `code`.
pub fn apply(events: &mut [(Event, Range<usize>)], code: &str) {
    let quotes = lang::quotes(code);
    let spaced_em_dash = uses_spaced_em_dash(code);
    let mut inner_open = 0usize;
    for i in 0..events.len() {
        let Event::Text(text) = &events[i].0 else {
            inner_open = if matches!(events[i].0, Event::End(pulldown_cmark::TagEnd::Paragraph)) {
                0
            } else {
                inner_open
            };
            continue;
        };
        let replacement = match text.as_ref() {
            "“" => Some(quotes.outer.0),
            "”" => Some(quotes.outer.1),
            "‘" => {
                inner_open += 1;
                Some(quotes.inner.0)
            }
            "’" if inner_open > 0 && !next_starts_with_letter(events, i) => {
                inner_open -= 1;
                Some(quotes.inner.1)
            }
            "–" if spaced_em_dash && prev_ends_with_space(events, i) => {
                tie_previous_space(events, i);
                Some('—')
            }
            _ => None,
        };
        if let Some(c) = replacement {
            events[i].0 = Event::Text(CowStr::from(c.to_string()));
        }
    }
}

fn uses_spaced_em_dash(code: &str) -> bool {
    let primary = code.split(['-', '_']).next().unwrap_or("");
    matches!(primary, "ru" | "kk" | "ky" | "tg" | "uz" | "uk" | "be")
}

fn next_starts_with_letter(events: &[(Event, Range<usize>)], i: usize) -> bool {
    match events.get(i + 1) {
        Some((Event::Text(t), _)) => t.chars().next().is_some_and(char::is_alphanumeric),
        _ => false,
    }
}

fn prev_ends_with_space(events: &[(Event, Range<usize>)], i: usize) -> bool {
    match i.checked_sub(1).and_then(|p| events.get(p)) {
        Some((Event::Text(t), _)) => t.ends_with(' '),
        _ => false,
    }
}

fn tie_previous_space(events: &mut [(Event, Range<usize>)], i: usize) {
    if let Some((Event::Text(t), _)) = events.get_mut(i - 1) {
        let tied = format!("{}\u{a0}", t.trim_end_matches(' '));
        *t = CowStr::from(tied);
    }
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Options, Parser};

    fn render(md: &str, code: &str) -> String {
        let mut events: Vec<_> = Parser::new_ext(md, Options::ENABLE_SMART_PUNCTUATION)
            .into_offset_iter()
            .collect();
        super::apply(&mut events, code);
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
        html
    }

    #[test]
    fn russian_uses_guillemets_and_inner_lapki() {
        assert_eq!(
            render("Он сказал \"это 'наш' дом\" -- и ушёл.", "ru"),
            "<p>Он сказал «это „наш“ дом»\u{a0}— и ушёл.</p>\n"
        );
    }

    #[test]
    fn english_keeps_curly_quotes_and_apostrophes() {
        assert_eq!(
            render("She said \"it's 'ours'\" -- then left.", "en"),
            "<p>She said “it’s ‘ours’” – then left.</p>\n"
        );
    }

    #[test]
    fn kazakh_kyrgyz_tajik_and_dari_quotes() {
        for code in ["kk", "ky", "tg", "fa-AF", "ps"] {
            let html = render("\"x\"", code);
            assert_eq!(html, "<p>«x»</p>\n", "{code}");
        }
    }
}
