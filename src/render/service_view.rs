//! What templates see of a service listing, for one reader language: the
//! translated texts, category and country names, phone numbers in the
//! reader's digits (with dialable ASCII links), hours, badges.

use super::directory::DirPage;
use super::views::{TextLang, Views};
use crate::services::directory::Service;
use crate::services::hours::{self, Hours};
use crate::services::{Address, taxonomy};
use serde::Serialize;

/// A service, as cards and service pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct ServiceView {
    /// Source key, e.g. `services/ak-zhurok.md`.
    pub key: String,
    /// The service's name.
    pub name: String,
    /// One-sentence description.
    pub summary: String,
    /// URL of its page.
    pub url: String,
    /// The language its texts are in.
    pub text_lang: TextLang,
    /// True when the texts are in another language than the reader's.
    pub is_fallback: bool,
    /// Who runs it.
    pub organisation: String,
    /// Its categories.
    pub categories: Vec<Named>,
    /// Its country.
    pub country: Named,
    /// City and region, joined.
    pub place: String,
    /// The street address, or empty.
    pub address: String,
    /// True when the address is kept secret.
    pub address_withheld: bool,
    /// Readers can come in person.
    pub in_person: bool,
    /// Phone numbers.
    pub phones: Vec<PhoneView>,
    /// Other channels.
    pub channels: Vec<ChannelView>,
    /// Opening hours, a line per group of days.
    pub hours: Vec<HoursLine>,
    /// Open day and night.
    pub open_24_7: bool,
    /// Free of charge.
    pub free: bool,
    /// Confidential.
    pub confidential: bool,
    /// Anonymous.
    pub anonymous: bool,
    /// Example data.
    pub example: bool,
    /// Languages spoken, named in the reader's language.
    pub languages: Vec<String>,
    /// Who it is for, with ages, in the reader's language (may be empty).
    pub audience: String,
    /// Website, or empty.
    pub website: String,
    /// Last checked, `2026-11-02`.
    pub verified: String,
    /// Last checked, in the reader's language.
    pub verified_display: String,
    /// The notice shown when the listing is stale, or empty.
    pub stale_notice: String,
}

/// A category or country: code, name and the URL of its page.
#[derive(Debug, Clone, Serialize)]
pub struct Named {
    /// `hotline`, `KG`.
    pub code: String,
    /// Name in the reader's language.
    pub name: String,
    /// URL of its directory page.
    pub url: String,
}

/// A phone number as shown.
#[derive(Debug, Clone, Serialize)]
pub struct PhoneView {
    /// The number in the reader's digits: `+۹۹۶ ۰۰۰ ۰۰۰ ۰۰۱`.
    pub display: String,
    /// Dialable link: `tel:+996000000001`.
    pub href: String,
    /// What it is for, or empty.
    pub label: String,
    /// When it answers, if its own hours are given.
    pub hours: Vec<HoursLine>,
    /// Answers day and night.
    pub open_24_7: bool,
}

/// A channel as shown.
#[derive(Debug, Clone, Serialize)]
pub struct ChannelView {
    /// `sms`, `whatsapp`, …
    pub kind: &'static str,
    /// Its name in the reader's language.
    pub name: String,
    /// What readers see (in the reader's digits for numbers).
    pub display: String,
    /// The link.
    pub href: String,
}

/// Days and the times they are open.
#[derive(Debug, Clone, Serialize)]
pub struct HoursLine {
    /// `Mon–Fri`, `Every day`.
    pub days: String,
    /// `09:00–12:00, 13:00–17:00`, in the reader's digits.
    pub times: String,
}

/// Builds views of services; one per site, shared by every page job.
pub struct ServiceViews<'a> {
    views: &'a Views<'a>,
}

impl<'a> ServiceViews<'a> {
    /// Helpers over the shared views.
    pub fn new(views: &'a Views<'a>) -> Self {
        ServiceViews { views }
    }

    /// UI string `key` in `lang`, or `fallback` when no language has it.
    pub fn text(&self, lang: usize, key: &str, fallback: &str) -> String {
        self.views
            .locales
            .get(lang, key, None, &[])
            .unwrap_or_else(|| fallback.to_string())
    }

    fn fill(&self, lang: usize, key: &str, args: &[(&str, String)]) -> String {
        self.views
            .locales
            .get(lang, key, None, args)
            .unwrap_or_default()
    }

    /// URL path of the directory's home in `lang`, e.g. `ru/services/`.
    pub fn home_path(&self, lang: usize) -> Option<&str> {
        let home = self.views.directory.home?;
        Some(self.views.content.entries[home].paths[lang].as_str())
    }

    /// A country's name and page.
    pub fn country(&self, lang: usize, code: &str) -> Named {
        Named {
            code: code.to_string(),
            name: self.text(lang, &taxonomy::country_key(code), code),
            url: self.page_url(lang, &DirPage::Country(code.to_string()).suffix()),
        }
    }

    /// A category's name and page.
    pub fn category(&self, lang: usize, code: &str) -> Named {
        Named {
            code: code.to_string(),
            name: self.text(lang, &taxonomy::category_key(code), code),
            url: match taxonomy::category(code) {
                Some(c) => self.page_url(lang, &DirPage::Category(c.code).suffix()),
                None => String::new(),
            },
        }
    }

    /// URL of a directory page (`country/kg/`) in `lang`.
    pub fn page_url(&self, lang: usize, suffix: &str) -> String {
        let home = self.home_path(lang).unwrap_or_default();
        self.views.url(&format!("{home}{suffix}"))
    }

    /// Text in the reader's digits.
    pub fn digits(&self, lang: usize, text: &str) -> String {
        text.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) if c.is_ascii_digit() => self.views.locales.number(lang, f64::from(d)),
                _ => c.to_string(),
            })
            .collect()
    }

    /// The view of `service` for readers of `lang`.
    pub fn service(&self, service: &Service, lang: usize) -> ServiceView {
        let views = self.views;
        let entry = &views.content.entries[service.entry];
        let shown = entry.shown[lang].unwrap_or(0);
        let source = entry.shown_source(lang);
        let texts = &service.texts[shown];
        let l = &service.listing;
        let pick = |t: &Option<String>, base: &Option<String>| {
            t.clone().or_else(|| base.clone()).unwrap_or_default()
        };
        let place = [pick(&texts.city, &l.city), pick(&texts.region, &l.region)]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ");
        let address = match &l.address {
            Address::Given(a) => texts.address.clone().unwrap_or_else(|| a.clone()),
            _ => String::new(),
        };
        let verified_display = long_date(views, lang, &l.verified);
        let stale_notice = if l.stale {
            let n = views.settings.services.max_age_months;
            views
                .locales
                .get(
                    lang,
                    "stale_notice",
                    Some(f64::from(n)),
                    &[("date", verified_display.clone())],
                )
                .unwrap_or_default()
        } else {
            String::new()
        };
        ServiceView {
            key: entry.key.clone(),
            name: views.title(entry, lang),
            summary: source
                .and_then(|s| s.meta.summary.clone())
                .unwrap_or_default(),
            url: views.url(&entry.paths[lang]),
            text_lang: views.text_lang(source.map_or(0, |s| s.lang), lang),
            is_fallback: entry.is_fallback(lang),
            organisation: texts
                .organisation
                .clone()
                .unwrap_or_else(|| l.organisation.clone()),
            categories: l
                .categories
                .iter()
                .map(|c| self.category(lang, c))
                .collect(),
            country: self.country(lang, &l.country),
            place,
            address,
            address_withheld: l.address == Address::Withheld,
            in_person: l.in_person,
            phones: l
                .phones
                .iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        i,
                        p,
                        p.hours.as_ref().filter(|h| Some(*h) != l.hours.as_ref()),
                    )
                })
                .map(|(i, p, own_hours)| PhoneView {
                    display: self.digits(lang, &p.phone.display),
                    href: format!("tel:{}", p.phone.dial),
                    label: texts
                        .labels
                        .get(i)
                        .cloned()
                        .or_else(|| p.label.clone())
                        .unwrap_or_default(),
                    // Only hours that differ from the service's own.
                    hours: own_hours.map(|h| self.hours(lang, h)).unwrap_or_default(),
                    open_24_7: own_hours.is_some_and(|h| h.always),
                })
                .collect(),
            channels: l
                .channels
                .iter()
                .map(|c| ChannelView {
                    kind: c.kind,
                    name: self.text(lang, &format!("channel_{}", c.kind), c.kind),
                    display: match c.kind {
                        "sms" | "whatsapp" | "signal" => self.digits(lang, &c.display),
                        _ => c.display.clone(),
                    },
                    href: c.href.clone(),
                })
                .collect(),
            hours: l
                .hours
                .as_ref()
                .map(|h| self.hours(lang, h))
                .unwrap_or_default(),
            open_24_7: l.open_24_7(),
            free: l.free,
            confidential: l.confidential,
            anonymous: l.anonymous,
            example: l.example,
            languages: l
                .languages
                .iter()
                .map(|c| views.locales.language_name(lang, c))
                .collect(),
            audience: self.audience(lang, l),
            website: l.website.clone().unwrap_or_default(),
            verified: l.verified.clone(),
            verified_display,
            stale_notice,
        }
    }

    fn audience(&self, lang: usize, l: &crate::services::Listing) -> String {
        let mut parts: Vec<String> = l
            .audience
            .iter()
            .map(|a| self.text(lang, &taxonomy::audience_key(a), a))
            .collect();
        let n = |v: i64| self.views.locales.number(lang, v as f64);
        let ages = match (l.age_min, l.age_max) {
            (Some(a), Some(b)) => self.fill(lang, "ages_between", &[("min", n(a)), ("max", n(b))]),
            (Some(a), None) => self.fill(lang, "ages_from", &[("min", n(a))]),
            (None, Some(b)) => self.fill(lang, "ages_up_to", &[("max", n(b))]),
            (None, None) => String::new(),
        };
        if !ages.is_empty() {
            parts.push(ages);
        }
        parts.join(", ")
    }

    /// Opening hours as lines in the reader's language.
    pub fn hours(&self, lang: usize, h: &Hours) -> Vec<HoursLine> {
        if h.always {
            return Vec::new();
        }
        h.groups
            .iter()
            .map(|g| HoursLine {
                days: self.days(lang, &g.days),
                times: g
                    .times
                    .iter()
                    .map(|(a, b)| {
                        self.digits(lang, &format!("{}–{}", hours::clock(*a), hours::clock(*b)))
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            })
            .collect()
    }

    fn days(&self, lang: usize, days: &[usize]) -> String {
        let name = |d: usize| self.text(lang, &format!("day_{}", hours::DAYS[d]), hours::DAYS[d]);
        let mut sorted = days.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        if sorted.len() == 7 {
            return self.text(lang, "every_day", "daily");
        }
        let consecutive = days.windows(2).all(|w| w[1] == (w[0] + 1) % 7);
        if days.len() >= 3 && consecutive {
            return format!("{}–{}", name(days[0]), name(days[days.len() - 1]));
        }
        days.iter().map(|&d| name(d)).collect::<Vec<_>>().join(", ")
    }
}

/// Dates in the reader's language for an ISO day string.
pub fn long_date(views: &Views, lang: usize, iso: &str) -> String {
    iso.parse::<toml::value::Datetime>()
        .map(|d| views.dates.long(lang, &d))
        .unwrap_or_else(|_| iso.to_string())
}
