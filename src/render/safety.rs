//! "Staying safe online": a page in every language, linked next to the
//! quick-exit control, that says how to leave fewer traces (history,
//! private browsing, shared phones) and what the exit control cannot do.
//! Its text comes from the UI strings; a site with its own page at
//! `{lang}/safety/` (e.g. `content/safety.md`) uses that instead.

use super::views::Views;
use tera::Context;

/// Where the page lives under each language.
pub const PATH: &str = "safety/";

/// The site's own safety page, if it has one at `{lang}/safety/`.
pub fn site_page(views: &Views) -> Option<usize> {
    let own = format!("{}/{PATH}", views.settings.languages[0].code);
    views
        .content
        .entries
        .iter()
        .position(|e| e.paths.first() == Some(&own) && e.shown[0].is_some())
}

/// URL of the safety page for readers of `lang`.
pub fn url(views: &Views, lang: usize) -> String {
    views.url(&format!("{}/{PATH}", views.settings.languages[lang].code))
}

/// Template, output path and context of the built-in page in `lang`.
pub fn context(views: &Views, lang: usize, mut c: Context) -> (String, String, Context) {
    let title = views
        .locales
        .get(lang, "safety_title", None, &[])
        .unwrap_or_default();
    let page = views.built_in_page(lang, PATH, title);
    c.insert("page", &page);
    let path = format!("{}/{PATH}index.html", views.settings.languages[lang].code);
    ("safety.html".to_string(), path, c)
}
