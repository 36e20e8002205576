//! The service directory's pages: its home (emergency numbers, countries,
//! kinds of help, every service), a page per country and per category, a
//! printable list per country, and the service pages' extra context. Each
//! exists in every language the directory's home is shown in.

use super::pager::{self, Pager};
use super::service_view::{Named, ServiceView, ServiceViews};
use super::views::{Alternate, PageView, Views};
use crate::services::taxonomy;
use serde::Serialize;
use tera::Context;

/// A generated directory page.
#[derive(Debug, Clone)]
pub enum DirPage {
    /// Services in a country.
    Country(String),
    /// Services of a category.
    Category(&'static str),
    /// The printable list of a country.
    Print(String),
}

impl DirPage {
    /// Its path under the directory's home: `country/kg/`.
    pub fn suffix(&self) -> String {
        match self {
            DirPage::Country(code) => format!("country/{}/", code.to_lowercase()),
            DirPage::Print(code) => format!("country/{}/print/", code.to_lowercase()),
            DirPage::Category(code) => format!("category/{code}/"),
        }
    }
}

/// Cards of every service per language, sorted, made once per build.
pub struct Prepared {
    /// `[lang]` → cards, by country, 24/7 first, then by name.
    pub cards: Vec<Vec<ServiceView>>,
}

/// A country's emergency numbers, as shown.
#[derive(Debug, Serialize)]
struct EmergencyView {
    country: Named,
    numbers: Vec<NumberView>,
}

#[derive(Debug, Serialize)]
struct NumberView {
    name: String,
    display: String,
    href: String,
}

/// A category with its number of services.
#[derive(Debug, Serialize)]
struct Counted {
    #[serde(flatten)]
    named: Named,
    count: usize,
}

/// A country's services on the directory's home.
#[derive(Debug, Serialize)]
struct Group<'a> {
    country: Named,
    print_url: String,
    count: usize,
    /// Empty when the directory is too long to show every service.
    services: Vec<&'a ServiceView>,
}

/// A sector with the categories under it that have services.
#[derive(Debug, Serialize)]
struct SectorView {
    name: String,
    categories: Vec<Counted>,
}

/// The cards of every language.
pub fn prepare(views: &Views) -> Prepared {
    let sv = ServiceViews::new(views);
    let cards = views
        .settings
        .languages
        .iter()
        .map(|lang| {
            let mut cards: Vec<ServiceView> = views
                .directory
                .services
                .iter()
                .filter(|s| views.content.entries[s.entry].shown[lang.index].is_some())
                .map(|s| sv.service(s, lang.index))
                .collect();
            cards.sort_by_cached_key(|c| {
                (c.country.code.clone(), !c.open_24_7, c.name.to_lowercase())
            });
            cards
        })
        .collect();
    Prepared { cards }
}

/// The generated pages of every language.
pub fn jobs(views: &Views) -> Vec<(usize, DirPage)> {
    let Some(home) = views.directory.home else {
        return Vec::new();
    };
    let mut jobs = Vec::new();
    for lang in &views.settings.languages {
        if views.content.entries[home].shown[lang.index].is_none() {
            continue;
        }
        for c in &views.directory.countries {
            jobs.push((lang.index, DirPage::Country(c.clone())));
            jobs.push((lang.index, DirPage::Print(c.clone())));
        }
        for c in &views.directory.categories {
            jobs.push((lang.index, DirPage::Category(c)));
        }
    }
    jobs
}

/// Adds the directory home's context: emergency numbers, countries, kinds
/// of help and every service.
pub fn home_context(views: &Views, prepared: &Prepared, lang: usize, c: &mut Context) {
    let sv = ServiceViews::new(views);
    let cards = &prepared.cards[lang];
    let sectors: Vec<SectorView> = taxonomy::SECTORS
        .iter()
        .map(|sector| SectorView {
            name: sv.text(lang, &taxonomy::sector_key(sector), sector),
            categories: views
                .directory
                .categories
                .iter()
                .filter(|code| taxonomy::category(code).is_some_and(|k| k.sector == *sector))
                .map(|code| Counted {
                    named: sv.category(lang, code),
                    count: cards
                        .iter()
                        .filter(|s| s.categories.iter().any(|k| k.code == *code))
                        .count(),
                })
                .collect(),
        })
        .filter(|s| !s.categories.is_empty())
        .collect();
    c.insert("emergency", &emergency(views, lang, None));
    c.insert("sectors", &sectors);
    // A long directory lists its services on the country pages only, so
    // that the first page stays small.
    let show_all = cards.len() <= per_page(views);
    let groups: Vec<Group> = views
        .directory
        .countries
        .iter()
        .map(|code| {
            let services: Vec<&ServiceView> =
                cards.iter().filter(|s| &s.country.code == code).collect();
            Group {
                country: sv.country(lang, code),
                print_url: sv.page_url(lang, &DirPage::Print(code.clone()).suffix()),
                count: services.len(),
                services: if show_all { services } else { Vec::new() },
            }
        })
        .filter(|g| g.count > 0)
        .collect();
    c.insert("groups", &groups);
    c.insert("show_all", &show_all);
    let home = sv.home_path(lang).unwrap_or_default();
    c.insert("json_url", &views.url(&format!("{home}services.json")));
}

fn emergency(views: &Views, lang: usize, only: Option<&str>) -> Vec<EmergencyView> {
    let sv = ServiceViews::new(views);
    views
        .settings
        .services
        .emergency
        .iter()
        .filter(|e| only.is_none_or(|o| o == e.country))
        .map(|e| EmergencyView {
            country: sv.country(lang, &e.country),
            numbers: e
                .numbers
                .iter()
                .map(|(kind, phone)| NumberView {
                    name: sv.text(lang, &taxonomy::emergency_key(kind), kind),
                    display: sv.digits(lang, &phone.display),
                    href: format!("tel:{}", phone.dial),
                })
                .collect(),
        })
        .collect()
}

/// The services a generated page lists, in `cards` order.
fn members<'a>(cards: &'a [ServiceView], page: &DirPage) -> Vec<&'a ServiceView> {
    match page {
        DirPage::Country(code) | DirPage::Print(code) => {
            cards.iter().filter(|s| &s.country.code == code).collect()
        }
        DirPage::Category(code) => cards
            .iter()
            .filter(|s| s.categories.iter().any(|k| k.code == *code))
            .collect(),
    }
}

/// Services per page on the directory's pages: the directory's
/// `paginate_by`, or the site's.
fn per_page(views: &Views) -> usize {
    views
        .directory
        .home
        .map_or(views.settings.paginate_by, |home| {
            super::paginate_by(views, &views.content.entries[home])
        })
}

/// How many pages `page` takes in `lang`; printable lists are never split.
pub fn page_total(views: &Views, prepared: &Prepared, lang: usize, page: &DirPage) -> usize {
    match page {
        DirPage::Print(_) => 1,
        _ => pager::page_count(members(&prepared.cards[lang], page).len(), per_page(views)),
    }
}

/// Template, output path and context of page `number` of a generated page.
pub fn page_context(
    views: &Views,
    prepared: &Prepared,
    (lang, page, number): (usize, &DirPage, usize),
    mut c: Context,
) -> (String, String, Context) {
    let sv = ServiceViews::new(views);
    let list = members(&prepared.cards[lang], page);
    c.insert("style_services", &true);
    c.insert("style_print", &matches!(page, DirPage::Print(_)));
    let (template, title) = match page {
        DirPage::Country(code) | DirPage::Print(code) => {
            let name = sv.country(lang, code).name;
            let title = views
                .locales
                .get(
                    lang,
                    "services_in_country",
                    None,
                    &[("country", name.clone())],
                )
                .unwrap_or(name);
            let print = DirPage::Print(code.clone()).suffix();
            c.insert("emergency", &emergency(views, lang, Some(code)));
            c.insert("country", &sv.country(lang, code));
            c.insert("print_url", &sv.page_url(lang, &print));
            if let DirPage::Print(_) = page {
                c.insert("printed_from", &printed_from(views, lang, &list));
                ("services/print.html", title)
            } else {
                ("services/country.html", title)
            }
        }
        DirPage::Category(code) => {
            let sector = taxonomy::category(code).map_or("", |k| k.sector);
            c.insert(
                "sector",
                &sv.text(lang, &taxonomy::sector_key(sector), sector),
            );
            ("services/category.html", sv.category(lang, code).name)
        }
    };
    let home = views.directory.home.expect("directory pages need a home");
    let home_path = sv.home_path(lang).unwrap_or_default().to_string();
    let first = page.suffix();
    let suffix = match number {
        1 => first.clone(),
        n => format!("{first}page/{n}/"),
    };
    let has_page = |l: usize| page_total(views, prepared, l, page) >= number;
    let view = generated_view(views, home, (lang, &first, &suffix), title, &has_page);
    c.insert("page", &view);
    c.insert("directory_url", &views.url(&home_path));
    let first_url = views.url(&format!("{home_path}{first}"));
    if let DirPage::Print(_) = page {
        c.insert("services", &list);
    } else {
        c.insert(
            "pager",
            &Pager::new(&list, number, per_page(views), &first_url),
        );
    }
    let path = format!("{home_path}{suffix}index.html");
    (template.to_string(), path, c)
}

/// "From example.org. Information checked between … and …", for print.
fn printed_from(views: &Views, lang: usize, services: &[&ServiceView]) -> String {
    let (from, to) = verified_range(services);
    let long = |iso: &str| super::service_view::long_date(views, lang, iso);
    views
        .locales
        .get(
            lang,
            "printed_from",
            None,
            &[
                // Isolated left-to-right (LRI … PDI): an address must not
                // reorder inside a right-to-left sentence.
                (
                    "site",
                    format!("\u{2066}{}\u{2069}", views.settings.base_url),
                ),
                ("from", long(&from)),
                ("to", long(&to)),
            ],
        )
        .unwrap_or_default()
}

fn verified_range(services: &[&ServiceView]) -> (String, String) {
    let mut dates: Vec<&str> = services.iter().map(|s| s.verified.as_str()).collect();
    dates.sort_unstable();
    (
        dates.first().unwrap_or(&"").to_string(),
        dates.last().unwrap_or(&"").to_string(),
    )
}

/// The page view of a generated page: the directory home's, moved to
/// `suffix` under it (page 1 is at `first`), in every language that shows
/// the directory; `has_page` tells which languages have this page number.
fn generated_view(
    views: &Views,
    home: usize,
    (lang, first, suffix): (usize, &str, &str),
    title: String,
    has_page: &dyn Fn(usize) -> bool,
) -> PageView {
    let entry = &views.content.entries[home];
    let mut view = views.page(entry, lang, String::new());
    view.kind = "directory";
    view.key = String::new();
    view.title = title;
    view.summary = String::new();
    view.is_fallback = false;
    view.text_lang = views.text_lang(lang, lang);
    view.url.push_str(suffix);
    view.permalink.push_str(suffix);
    view.canonical = view.permalink.clone();
    let shown = |l: &&crate::config::Language| entry.shown[l.index].is_some();
    view.alternates = views
        .settings
        .languages
        .iter()
        .filter(shown)
        .filter(|l| has_page(l.index))
        .map(|l| Alternate {
            hreflang: l.code.clone(),
            href: format!("{}{suffix}", views.permalink(&entry.paths[l.index])),
        })
        .collect();
    if let Some(first) = view.alternates.first() {
        let href = first.href.clone();
        view.alternates.push(Alternate {
            hreflang: "x-default".into(),
            href,
        });
    }
    for t in &mut view.translations {
        let other = views.settings.language(&t.code).map_or(0, |l| l.index);
        t.url.push_str(if has_page(other) { suffix } else { first });
        t.fallback = false;
    }
    view
}
