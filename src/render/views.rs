//! What templates see: plain serialisable views of languages, pages and
//! list items, built from the content tree for one reader language.

use crate::config::{Language, Settings};
use crate::content::{Content, Entry, Kind, Source};
use crate::i18n::{DateFormats, Locales, dates};
use serde::Serialize;

/// A language, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct LangView {
    /// Position in the site's languages.
    pub index: usize,
    /// BCP 47 code.
    pub code: String,
    /// Endonym.
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
    /// URL of this language's home page.
    pub home_url: String,
    /// URL of this language's Atom feed.
    pub feed_url: String,
    /// Where the quick-exit control leads.
    pub quick_exit: String,
}

/// The language a text is written in, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct TextLang {
    /// BCP 47 code.
    pub code: String,
    /// Endonym.
    pub name: String,
    /// The language's name in the reader's UI language.
    pub ui_name: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
}

/// A link to the same page in another language.
#[derive(Debug, Clone, Serialize)]
pub struct Translation {
    /// BCP 47 code.
    pub code: String,
    /// Endonym.
    pub name: String,
    /// `ltr` or `rtl`.
    pub dir: &'static str,
    /// URL of the page in that language.
    pub url: String,
    /// True for the language being read.
    pub current: bool,
    /// True when that language shows a fallback.
    pub fallback: bool,
}

/// An `hreflang` alternate.
#[derive(Debug, Clone, Serialize)]
pub struct Alternate {
    /// BCP 47 code or `x-default`.
    pub hreflang: String,
    /// Absolute URL.
    pub href: String,
}

/// A page or section, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// `home`, `section` or `page`.
    pub kind: &'static str,
    /// Source key, e.g. `stories/x.md`.
    pub key: String,
    /// Title.
    pub title: String,
    /// Summary from the front matter (may be empty).
    pub summary: String,
    /// Rendered Markdown body.
    pub content: String,
    /// URL path (with the base path).
    pub url: String,
    /// Absolute URL.
    pub permalink: String,
    /// Canonical URL: the original when this is a fallback.
    pub canonical: String,
    /// `2026-11-25`, or empty.
    pub date: String,
    /// The date in the reader's language, or empty.
    pub date_display: String,
    /// `2026-11-26`, or empty.
    pub updated: String,
    /// The update date in the reader's language, or empty.
    pub updated_display: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Campaign day (1–16) or 0.
    pub day: i64,
    /// Free-form values from `[extra]`.
    pub extra: toml::Table,
    /// The language the text is written in.
    pub text_lang: TextLang,
    /// True when the text is in another language than the reader's.
    pub is_fallback: bool,
    /// `hreflang` alternates of the real language versions, and `x-default`.
    pub alternates: Vec<Alternate>,
    /// The page in every language that has it.
    pub translations: Vec<Translation>,
    /// Neutral title and link preview (site setting or the page's own).
    pub discreet: bool,
}

/// A page in a list, as templates see it.
#[derive(Debug, Clone, Serialize)]
pub struct Item {
    /// Title.
    pub title: String,
    /// Summary (may be empty).
    pub summary: String,
    /// URL path.
    pub url: String,
    /// `2026-11-25`, or empty.
    pub date: String,
    /// The date in the reader's language, or empty.
    pub date_display: String,
    /// Campaign day or 0.
    pub day: i64,
    /// Tags.
    pub tags: Vec<String>,
    /// Free-form values from `[extra]`.
    pub extra: toml::Table,
    /// The language the text is written in.
    pub text_lang: TextLang,
    /// True when shown from another language.
    pub is_fallback: bool,
}

/// Shared helpers for building views.
pub struct Views<'a> {
    /// Settings.
    pub settings: &'a Settings,
    /// Content.
    pub content: &'a Content,
    /// UI strings.
    pub locales: &'a Locales,
    /// Date formatters.
    pub dates: &'a DateFormats,
    /// The service directory.
    pub directory: &'a crate::services::Directory,
    /// The pictures pages show.
    pub images: &'a crate::images::Images,
}

impl Views<'_> {
    /// URL path with the base path: `/campaign/ru/stories/x/`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_path)
    }

    /// Absolute URL.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}{path}", self.settings.base_url)
    }

    /// Every language, as templates see it.
    pub fn languages(&self) -> Vec<LangView> {
        self.settings
            .languages
            .iter()
            .map(|l| self.lang_view(l))
            .collect()
    }

    fn lang_view(&self, l: &Language) -> LangView {
        LangView {
            index: l.index,
            code: l.code.clone(),
            name: l.name.clone(),
            dir: l.dir.as_str(),
            title: l.title.clone(),
            description: l.description.clone(),
            home_url: self.url(&format!("{}/", l.code)),
            feed_url: self.url(&format!("{}/atom.xml", l.code)),
            quick_exit: l.quick_exit.clone(),
        }
    }

    /// The language of text `source`, named for readers of `reader`.
    pub fn text_lang(&self, source_lang: usize, reader: usize) -> TextLang {
        let l = &self.settings.languages[source_lang];
        TextLang {
            code: l.code.clone(),
            name: l.name.clone(),
            ui_name: self.locales.language_name(reader, &l.code),
            dir: l.dir.as_str(),
        }
    }

    /// Title of an entry for readers of `lang`; sections without a title
    /// fall back to the site title.
    pub fn title(&self, entry: &Entry, lang: usize) -> String {
        entry
            .shown_source(lang)
            .and_then(|s| s.meta.title.clone())
            .unwrap_or_else(|| self.settings.languages[lang].title.clone())
    }

    /// A list item for `entry` read in `lang`.
    pub fn item(&self, entry: &Entry, lang: usize) -> Option<Item> {
        let source = entry.shown_source(lang)?;
        Some(Item {
            title: self.title(entry, lang),
            summary: source.meta.summary.clone().unwrap_or_default(),
            url: self.url(&entry.paths[lang]),
            date: source
                .meta
                .date
                .as_ref()
                .map(dates::iso_date)
                .unwrap_or_default(),
            date_display: source
                .meta
                .date
                .as_ref()
                .map(|d| self.dates.long(lang, d))
                .unwrap_or_default(),
            day: source.meta.day.unwrap_or(0),
            tags: source.meta.tags.clone(),
            extra: source.meta.extra.clone(),
            text_lang: self.text_lang(source.lang, lang),
            is_fallback: entry.is_fallback(lang),
        })
    }

    /// The full view of `entry` read in `lang`, with its rendered body.
    pub fn page(&self, entry: &Entry, lang: usize, content: String) -> PageView {
        let source: &Source = entry
            .shown_source(lang)
            .expect("only shown entries are rendered");
        let meta = &source.meta;
        let path = &entry.paths[lang];
        let original = &entry.paths[source.lang];
        PageView {
            kind: match entry.kind {
                Kind::Section if entry.is_home() => "home",
                Kind::Section => "section",
                Kind::Page => "page",
            },
            key: entry.key.clone(),
            title: self.title(entry, lang),
            summary: meta.summary.clone().unwrap_or_default(),
            content,
            url: self.url(path),
            permalink: self.permalink(path),
            canonical: self.permalink(original),
            date: meta.date.as_ref().map(dates::iso_date).unwrap_or_default(),
            date_display: meta
                .date
                .as_ref()
                .map(|d| self.dates.long(lang, d))
                .unwrap_or_default(),
            updated: meta
                .updated
                .as_ref()
                .map(dates::iso_date)
                .unwrap_or_default(),
            updated_display: meta
                .updated
                .as_ref()
                .map(|d| self.dates.long(lang, d))
                .unwrap_or_default(),
            tags: meta.tags.clone(),
            day: meta.day.unwrap_or(0),
            extra: meta.extra.clone(),
            text_lang: self.text_lang(source.lang, lang),
            is_fallback: entry.is_fallback(lang),
            alternates: self.alternates(entry),
            translations: self.translations(entry, lang),
            discreet: meta.discreet.unwrap_or(self.settings.discreet),
        }
    }

    /// A page glimmer makes itself in every language, at `{code}/{path}`
    /// (e.g. `safety/`), titled `title`.
    pub fn built_in_page(&self, lang: usize, path: &str, title: String) -> PageView {
        let at = |l: &Language| format!("{}/{path}", l.code);
        let languages = &self.settings.languages;
        let mut alternates: Vec<Alternate> = languages
            .iter()
            .map(|l| Alternate {
                hreflang: l.code.clone(),
                href: self.permalink(&at(l)),
            })
            .collect();
        alternates.push(Alternate {
            hreflang: "x-default".into(),
            href: self.permalink(&at(&languages[0])),
        });
        let own = at(&languages[lang]);
        PageView {
            kind: "page",
            key: String::new(),
            title,
            summary: String::new(),
            content: String::new(),
            url: self.url(&own),
            permalink: self.permalink(&own),
            canonical: self.permalink(&own),
            date: String::new(),
            date_display: String::new(),
            updated: String::new(),
            updated_display: String::new(),
            tags: Vec::new(),
            day: 0,
            extra: toml::Table::new(),
            text_lang: self.text_lang(lang, lang),
            is_fallback: false,
            alternates,
            translations: languages
                .iter()
                .map(|l| Translation {
                    code: l.code.clone(),
                    name: l.name.clone(),
                    dir: l.dir.as_str(),
                    url: self.url(&at(l)),
                    current: l.index == lang,
                    fallback: false,
                })
                .collect(),
            discreet: self.settings.discreet,
        }
    }

    /// `hreflang` links for the real versions of an entry, plus `x-default`.
    pub fn alternates(&self, entry: &Entry) -> Vec<Alternate> {
        let mut out: Vec<Alternate> = self
            .settings
            .languages
            .iter()
            .filter(|l| entry.versions[l.index].is_some())
            .map(|l| Alternate {
                hreflang: l.code.clone(),
                href: self.permalink(&entry.paths[l.index]),
            })
            .collect();
        if let Some(first) = out.first() {
            let default = match entry.shown[0] {
                Some(_) => self.permalink(&entry.paths[0]),
                None => first.href.clone(),
            };
            out.push(Alternate {
                hreflang: "x-default".into(),
                href: default,
            });
        }
        out
    }

    /// The language switcher of an entry read in `lang`.
    pub fn translations(&self, entry: &Entry, lang: usize) -> Vec<Translation> {
        self.settings
            .languages
            .iter()
            .filter(|l| entry.shown[l.index].is_some())
            .map(|l| Translation {
                code: l.code.clone(),
                name: l.name.clone(),
                dir: l.dir.as_str(),
                url: self.url(&entry.paths[l.index]),
                current: l.index == lang,
                fallback: entry.is_fallback(l.index),
            })
            .collect()
    }
}
