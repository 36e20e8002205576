//! Rendering: turns the loaded site into output files in memory: every
//! page, section list (paginated) and home page in every language, the
//! language chooser at `/`, and `404.html`. Nothing here touches the disk.

pub mod directory;
pub mod pager;
pub mod safety;
pub mod service_data;
pub mod service_view;
pub mod views;

use crate::config::Settings;
use crate::content::{Content, Entry, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::i18n::{DateFormats, Locales};
use crate::markdown;
use crate::origins::{Foreign, Origins};
use crate::output::{self, Sink};
use crate::templates::{self, Theme};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use tera::{Context, Tera};
use views::{Item, Views};

/// A file of the built site, still in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Path under the output folder, with `/` separators.
    pub path: String,
    /// Contents.
    pub bytes: Vec<u8>,
}

/// Pages per language, for the build summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LangStats {
    /// Pages and sections published in the language.
    pub pages: usize,
    /// How many of them are shown from another language.
    pub fallbacks: usize,
}

/// Everything the renderer reads.
pub struct Inputs<'a> {
    /// Settings.
    pub settings: &'a Settings,
    /// Content tree.
    pub content: &'a Content,
    /// UI strings.
    pub locales: &'a Locales,
    /// Date formatters.
    pub dates: &'a DateFormats,
    /// Compiled templates.
    pub tera: &'a Tera,
    /// The theme (for error locations).
    pub theme: &'a Theme,
    /// The service directory.
    pub directory: &'a crate::services::Directory,
    /// The pictures pages show.
    pub images: &'a crate::images::Images,
}

/// A menu entry.
#[derive(Debug, Clone, Serialize)]
struct MenuItem {
    title: String,
    url: String,
    key: String,
}

/// Work done once and read by every page job.
struct Shared {
    /// Sorted list items per entry (sections only) and language.
    lists: Vec<Vec<Vec<Item>>>,
    /// Context every page of a language starts from.
    base: Vec<Context>,
    /// The directory's service cards.
    cards: directory::Prepared,
}

/// A finished job: the path it wrote and its warnings, or its errors.
type JobResult = Result<(String, Body), Vec<Diagnostic>>;

/// What a page job learnt from its Markdown body, for checks across pages.
#[derive(Default)]
struct Body {
    /// Warnings of the body.
    warnings: Vec<Diagnostic>,
    /// `(entry, lang)` and the heading ids, for the first page of an entry.
    anchors: Option<((usize, usize), Vec<String>)>,
    /// Links to headings, in the job's language.
    /// Links to headings: reader language, whether the text is in that
    /// language (not a fallback), and the link.
    anchor_links: Vec<(usize, bool, markdown::AnchorLink)>,
}

/// What one output page is.
enum Job {
    Entry {
        entry: usize,
        lang: usize,
        page: usize,
    },
    Directory {
        lang: usize,
        page: directory::DirPage,
        number: usize,
    },
    Safety {
        lang: usize,
    },
    Chooser,
    NotFound,
}

/// Renders every page of the site into `sink`, in parallel. Returns the
/// page counts per language and the paths of all pages, or `None` when an
/// error was reported.
pub fn render(
    inputs: &Inputs,
    sink: &dyn Sink,
    diags: &mut Diagnostics,
) -> Option<(Vec<LangStats>, HashSet<String>)> {
    let views = Views {
        settings: inputs.settings,
        content: inputs.content,
        locales: inputs.locales,
        dates: inputs.dates,
        directory: inputs.directory,
        images: inputs.images,
    };
    let menus = menus(&views, diags);
    let lists = lists(&views);
    let base = (0..inputs.settings.languages.len())
        .map(|lang| base_context(&views, &menus, lang))
        .collect();
    let cards = directory::prepare(&views);
    let shared = Shared { lists, base, cards };
    let jobs = jobs(&views, &shared);
    let origins = Origins::new(&inputs.settings.base_url, &inputs.settings.allow_origins);
    let results: Vec<JobResult> = jobs
        .par_iter()
        .map(|job| {
            let (mut file, body) = render_job(inputs, &views, &shared, job)?;
            if inputs.settings.minify {
                output::minify(&mut file);
            }
            keep_to_own_origin(&views, job, &mut file, &origins)?;
            let path = file.path.clone();
            sink.put(file).map_err(|d| vec![d])?;
            Ok((path, body))
        })
        .collect();
    let mut paths = HashSet::with_capacity(results.len());
    let mut anchors = HashMap::new();
    let mut anchor_links = Vec::new();
    for r in results {
        match r {
            Ok((path, body)) => {
                paths.insert(path);
                diags.extend(body.warnings);
                anchors.extend(body.anchors);
                anchor_links.extend(body.anchor_links);
            }
            Err(ds) => diags.extend(ds),
        }
    }
    for file in service_data::exports(&views, &shared.cards.cards) {
        paths.insert(file.path.clone());
        if let Err(d) = sink.put(file) {
            diags.push(d);
        }
    }
    check_anchor_links(views.content, &anchors, anchor_links, diags);
    if diags.has_errors() {
        return None;
    }
    Some((stats(&views), paths))
}

/// Renders every Markdown body only to report its errors (used when the
/// templates are broken, so that content errors are not hidden).
pub fn check_bodies(views: &Views, diags: &mut Diagnostics) {
    let errors: Vec<Diagnostic> = views
        .content
        .entries
        .par_iter()
        .flat_map_iter(|entry| {
            views
                .settings
                .languages
                .iter()
                .flat_map(|l| match body(views, entry, l.index) {
                    Ok(r) => r.warnings,
                    Err(errors) => errors,
                })
                .collect::<Vec<_>>()
        })
        .collect();
    diags.extend(errors);
}

/// The rendered Markdown body of `entry` for readers of `lang`, with
/// internal links pointing into `lang`.
fn body(views: &Views, entry: &Entry, lang: usize) -> Result<markdown::Rendered, Vec<Diagnostic>> {
    let Some(source) = entry.shown_source(lang) else {
        return Ok(markdown::Rendered::default());
    };
    let text = source.read(&views.settings.root).map_err(|d| vec![d])?;
    let content = views.content;
    let resolve = |key: &str| {
        content
            .get(key)
            .and_then(|e| e.shown[lang].map(|_| views.url(&e.paths[lang])))
    };
    let input = markdown::Input {
        file: &source.file,
        text: &text,
        lang: &views.settings.languages[source.lang].code,
        resolve: &resolve,
        images: Some(views.images),
        strict: views.settings.strict,
    };
    markdown::render(&input)
}

fn menus(views: &Views, diags: &mut Diagnostics) -> Vec<Vec<MenuItem>> {
    let mut unknown = Vec::new();
    let menus = views
        .settings
        .languages
        .iter()
        .map(|lang| {
            views
                .settings
                .menu
                .iter()
                .filter_map(|key| {
                    let Some(entry) = views.content.get(key) else {
                        unknown.push(key.clone());
                        return None;
                    };
                    entry.shown[lang.index]?;
                    Some(MenuItem {
                        title: views.title(entry, lang.index),
                        url: views.url(&entry.paths[lang.index]),
                        key: key.clone(),
                    })
                })
                .collect()
        })
        .collect();
    unknown.sort();
    unknown.dedup();
    for key in unknown {
        diags.push(
            Diagnostic::error(format!("the menu links to a missing file: @/{key}"))
                .in_file("glimmer.toml")
                .hint("menu entries name files under content/, e.g. \"@/stories/_index.md\""),
        );
    }
    menus
}

fn lists(views: &Views) -> Vec<Vec<Vec<Item>>> {
    views
        .content
        .entries
        .par_iter()
        .map(|entry| {
            views
                .settings
                .languages
                .iter()
                .map(|lang| match entry.kind {
                    Kind::Section if entry.shown[lang.index].is_some() => {
                        section_items(views, entry, lang.index)
                    }
                    _ => Vec::new(),
                })
                .collect()
        })
        .collect()
}

fn jobs(views: &Views, shared: &Shared) -> Vec<Job> {
    let mut jobs = vec![Job::Chooser, Job::NotFound];
    for (i, entry) in views.content.entries.iter().enumerate() {
        for lang in &views.settings.languages {
            if entry.shown[lang.index].is_none() {
                continue;
            }
            let pages = match entry.kind {
                Kind::Section if !entry.is_home() => {
                    let n = shared.lists[i][lang.index].len();
                    pager::page_count(n, paginate_by(views, entry))
                }
                _ => 1,
            };
            for page in 1..=pages {
                jobs.push(Job::Entry {
                    entry: i,
                    lang: lang.index,
                    page,
                });
            }
        }
    }
    if safety::site_page(views).is_none() {
        jobs.extend((0..views.settings.languages.len()).map(|lang| Job::Safety { lang }));
    }
    for (lang, page) in directory::jobs(views) {
        for number in 1..=directory::page_total(views, &shared.cards, lang, &page) {
            jobs.push(Job::Directory {
                lang,
                page: page.clone(),
                number,
            });
        }
    }
    jobs
}

/// Items per list page for section `entry`: its own `paginate_by`, or the
/// site's.
pub(crate) fn paginate_by(views: &Views, entry: &Entry) -> usize {
    entry
        .versions
        .iter()
        .flatten()
        .find_map(|s| s.meta.paginate_by)
        .unwrap_or(views.settings.paginate_by)
}

fn render_job(
    inputs: &Inputs,
    views: &Views,
    shared: &Shared,
    job: &Job,
) -> Result<(OutputFile, Body), Vec<Diagnostic>> {
    let mut found = Body::default();
    let (template, path, context) = match *job {
        Job::Chooser => (
            "languages.html".to_string(),
            "index.html".to_string(),
            chooser_context(views, shared),
        ),
        Job::NotFound => (
            "404.html".to_string(),
            "404.html".to_string(),
            not_found_context(views, shared),
        ),
        Job::Safety { lang } => safety::context(views, lang, shared.base[lang].clone()),
        Job::Directory {
            lang,
            ref page,
            number,
        } => directory::page_context(
            views,
            &shared.cards,
            (lang, page, number),
            shared.base[lang].clone(),
        ),
        Job::Entry { entry, lang, page } => {
            let body = body(views, &views.content.entries[entry], lang)?;
            found.warnings = body.warnings;
            if page == 1 {
                found.anchors = Some(((entry, lang), body.anchors));
                let own = !views.content.entries[entry].is_fallback(lang);
                found.anchor_links = body
                    .anchor_links
                    .into_iter()
                    .map(|l| (lang, own, l))
                    .collect();
            }
            entry_context(views, shared, entry, lang, page, body.html)
        }
    };
    if !inputs.tera.contains_template(&template) {
        return Err(vec![missing_template(inputs, views, job, &template)]);
    }
    let mut bytes = Vec::with_capacity(16 * 1024);
    inputs
        .tera
        .render_to(&template, &context, &mut bytes)
        .map_err(|e| {
            let d = templates::to_diagnostic(&e, inputs.theme);
            vec![match chosen_by(views, job) {
                Some(file) => blame_page(d, file, &template),
                None => d,
            }]
        })?;
    Ok((OutputFile { path, bytes }, found))
}

/// Reports every `@/x.md#part` link whose target page, in the reader's
/// language, has no heading `part`: an error when the link's own text is in
/// that language, a warning when the text is a fallback (its author could
/// not know the other translation's headings).
fn check_anchor_links(
    content: &crate::content::Content,
    anchors: &HashMap<(usize, usize), Vec<String>>,
    links: Vec<(usize, bool, markdown::AnchorLink)>,
    diags: &mut Diagnostics,
) {
    for (lang, own, link) in links {
        let Some(&target) = content.by_key.get(&link.key) else {
            continue;
        };
        let known = anchors
            .get(&(target, lang))
            .is_some_and(|ids| ids.contains(&link.anchor));
        if !known && own {
            diags.push(link.error);
        } else if !known {
            let mut warning = link.error;
            warning.severity = crate::diagnostics::Severity::Warning;
            warning
                .message
                .push_str(" (in a page shown in another language)");
            diags.push(warning);
        }
    }
}

/// Marks the page's outgoing links and refuses it when it would load
/// anything from another website that the site does not allow.
fn keep_to_own_origin(
    views: &Views,
    job: &Job,
    file: &mut OutputFile,
    origins: &Origins,
) -> Result<(), Vec<Diagnostic>> {
    if !file.path.ends_with(".html") {
        return Ok(());
    }
    let html = String::from_utf8_lossy(&file.bytes);
    let (marked, foreign) = crate::origins::check_page(&html, origins);
    if !foreign.is_empty() {
        let source = match *job {
            Job::Entry { entry, lang, .. } => views.content.entries[entry].shown_source(lang),
            _ => None,
        };
        return Err(foreign
            .iter()
            .map(|f| foreign_error(views, source, &file.path, f))
            .collect());
    }
    file.bytes = marked.into_bytes();
    Ok(())
}

/// "This page would load … from another website", at the place in the
/// source file that names it when there is one, else naming the page.
fn foreign_error(
    views: &Views,
    source: Option<&crate::content::Source>,
    page: &str,
    f: &Foreign,
) -> Diagnostic {
    let mut d = Diagnostic::error(format!(
        "{page} would load {} ({}) from another website",
        f.url, f.by
    ))
    .hint(
        "each request to another website tells it who reads this page: copy the file into static/ \
         and link it from there, or, if that is acceptable, add its origin to allow_origins in glimmer.toml",
    );
    let in_text = source.and_then(|s| {
        let text = s.read(&views.settings.root).ok()?;
        let at = text.text.find(&f.url)?;
        Some((s, text, at))
    });
    d = match in_text {
        Some((s, text, at)) => d.in_file(&s.file).at(&text.text, at, f.url.len()),
        // Not written in the content: the theme's templates put it there.
        None => d.in_file(format!("themes/{}/templates/", views.settings.theme)),
    };
    d
}

/// The page file whose front matter chose the template of `job`, if any.
fn chosen_by<'a>(views: &'a Views, job: &Job) -> Option<&'a std::path::Path> {
    let Job::Entry { entry, lang, .. } = *job else {
        return None;
    };
    let source = views.content.entries[entry].shown_source(lang)?;
    source.meta.template.as_ref().map(|_| source.file.as_path())
}

/// A template the page chose itself failed: the page is where to fix it.
fn blame_page(d: Diagnostic, page: &std::path::Path, template: &str) -> Diagnostic {
    let origin = d
        .file
        .as_ref()
        .map(|f| format!(" ({})", crate::slash_path(f)))
        .unwrap_or_default();
    Diagnostic::error(format!("template `{template}` cannot render this page: {}{origin}", d.message))
        .in_file(page)
        .hint("this template is made for another kind of page: remove `template`, or choose one made for pages")
}

/// A `template = "…"` that the theme does not have, named at the page.
fn missing_template(inputs: &Inputs, views: &Views, job: &Job, template: &str) -> Diagnostic {
    let mut names: Vec<&str> = inputs
        .tera
        .get_template_names()
        .filter(|n| !n.starts_with("partials/"))
        .collect();
    names.sort_unstable();
    let mut d = Diagnostic::error(format!("the theme has no template `{template}`"));
    if let Job::Entry { entry, lang, .. } = *job
        && let Some(source) = views.content.entries[entry].shown_source(lang)
    {
        d = d.in_file(&source.file);
    }
    d.hint(format!(
        "use one of: {}, or remove `template`",
        names.join(", ")
    ))
}

fn base_context(views: &Views, menus: &[Vec<MenuItem>], lang: usize) -> Context {
    let mut c = Context::new();
    let languages = views.languages();
    c.insert("lang_index", &lang);
    c.insert("lang", &languages[lang]);
    c.insert("languages", &languages);
    c.insert("menu", &menus[lang]);
    c.insert("example_notice", &views.settings.example_notice);
    c.insert("base_url", &views.settings.base_url);
    let help = views
        .directory
        .home
        .map(|home| views.url(&views.content.entries[home].paths[lang]));
    c.insert("help_url", &help);
    c.insert("base_path", &views.settings.base_path);
    c.insert("discreet", &views.settings.discreet);
    let safety_url = match safety::site_page(views) {
        Some(entry) => views.url(&views.content.entries[entry].paths[lang]),
        None => safety::url(views, lang),
    };
    c.insert("safety_url", &safety_url);
    // Style sheets only some pages need, included by base.html.
    c.insert("style_services", &false);
    c.insert("style_print", &false);
    c.insert("json_ld", &"");
    c
}

fn entry_context(
    views: &Views,
    shared: &Shared,
    index: usize,
    lang: usize,
    page: usize,
    body: String,
) -> (String, String, Context) {
    let entry = &views.content.entries[index];
    let mut view = views.page(entry, lang, body);
    let mut c = shared.base[lang].clone();
    let service = views.directory.service(index);
    let default_template = match view.kind {
        "home" => "index.html",
        _ if views.directory.home == Some(index) => "services/directory.html",
        _ if service.is_some() => "services/service.html",
        "section" => "section.html",
        _ => "page.html",
    };
    if views.directory.home == Some(index) {
        directory::home_context(views, &shared.cards, lang, &mut c);
        c.insert("style_services", &true);
    }
    if let Some(service) = service {
        let card = service_view::ServiceViews::new(views).service(service, lang);
        c.insert(
            "json_ld",
            &service_data::json_ld(&card, &service.listing, &view.permalink),
        );
        c.insert("service", &card);
        c.insert("style_services", &true);
    }
    let template = entry
        .shown_source(lang)
        .and_then(|s| s.meta.template.clone())
        .unwrap_or_else(|| default_template.to_string());
    let mut path = entry.paths[lang].clone();
    match entry.kind {
        Kind::Section if entry.is_home() => {
            c.insert("latest", &latest(views, lang, 6));
            c.insert("sections", &subsections(views, entry, lang));
        }
        Kind::Section => {
            let items = &shared.lists[index][lang];
            let per_page = paginate_by(views, entry);
            let pager = pager::Pager::new(items, page, per_page, &view.url);
            if page > 1 {
                path.push_str(&format!("page/{page}/"));
                paginate_view(views, &mut view, &shared.lists[index], per_page, page);
            }
            c.insert("pager", &pager);
            c.insert("sections", &subsections(views, entry, lang));
        }
        Kind::Page => {}
    }
    c.insert("page", &view);
    (template, format!("{path}index.html"), c)
}

/// Makes page `n` (> 1) of a list its own canonical page, with alternates
/// and switcher links to page `n` in the languages whose list is as long.
fn paginate_view(
    views: &Views,
    view: &mut views::PageView,
    lists: &[Vec<Item>],
    per_page: usize,
    n: usize,
) {
    let suffix = format!("page/{n}/");
    let has_page = |code: &str| {
        let lang = match code {
            "x-default" => 0,
            code => views.settings.language(code).map_or(0, |l| l.index),
        };
        lists[lang].len().div_ceil(per_page) >= n
    };
    view.url.push_str(&suffix);
    view.permalink.push_str(&suffix);
    view.canonical = view.permalink.clone();
    view.alternates.retain(|a| has_page(&a.hreflang));
    for a in &mut view.alternates {
        a.href.push_str(&suffix);
    }
    for t in &mut view.translations {
        if has_page(&t.code) {
            t.url.push_str(&suffix);
        }
    }
}

/// Items of a section's pages in `lang`, in the section's order.
fn section_items(views: &Views, section: &Entry, lang: usize) -> Vec<Item> {
    let sort_by = section
        .versions
        .iter()
        .flatten()
        .find_map(|s| s.meta.sort_by.clone())
        .unwrap_or_else(|| "date".into());
    let mut pages: Vec<&Entry> = section
        .pages
        .iter()
        .map(|&i| &views.content.entries[i])
        .filter(|e| e.shown[lang].is_some())
        .collect();
    sort_entries(&mut pages, &sort_by, lang);
    pages.iter().filter_map(|e| views.item(e, lang)).collect()
}

/// Sorts pages for a list: newest first by date (undated last), by weight,
/// or by title; ties by source path, so that output never depends on
/// file-system order.
fn sort_entries(pages: &mut Vec<&Entry>, sort_by: &str, lang: usize) {
    fn meta(e: &Entry, lang: usize) -> Option<&crate::content::FrontMatter> {
        e.shown_source(lang).map(|s| &s.meta)
    }
    match sort_by {
        "weight" => pages.sort_by_cached_key(|e| {
            (
                meta(e, lang).and_then(|m| m.weight).unwrap_or(i64::MAX),
                e.key.clone(),
            )
        }),
        "title" => pages.sort_by_cached_key(|e| {
            (
                meta(e, lang)
                    .and_then(|m| m.title.as_ref())
                    .map(|t| t.to_lowercase()),
                e.key.clone(),
            )
        }),
        _ => pages.sort_by_cached_key(|e| {
            let date = meta(e, lang)
                .and_then(|m| m.date.as_ref())
                .map(|d| d.to_string());
            (std::cmp::Reverse(date), e.key.clone())
        }),
    }
}

fn latest(views: &Views, lang: usize, n: usize) -> Vec<Item> {
    let mut pages: Vec<&Entry> = views
        .content
        .entries
        .iter()
        .filter(|e| {
            e.kind == Kind::Page && e.shown_source(lang).is_some_and(|s| s.meta.date.is_some())
        })
        .collect();
    sort_entries(&mut pages, "date", lang);
    pages
        .iter()
        .take(n)
        .filter_map(|e| views.item(e, lang))
        .collect()
}

fn subsections(views: &Views, entry: &Entry, lang: usize) -> Vec<Item> {
    entry
        .subsections
        .iter()
        .map(|&i| &views.content.entries[i])
        .filter_map(|e| views.item(e, lang))
        .collect()
}

/// One language's entry on the chooser and the 404 page.
#[derive(Debug, Serialize)]
struct Choice {
    code: String,
    name: String,
    dir: &'static str,
    title: String,
    description: String,
    url: String,
    prompt: String,
    not_found_title: String,
    not_found_text: String,
    go_home: String,
    get_help: String,
    help_url: Option<String>,
}

fn choices(views: &Views) -> Vec<Choice> {
    let t = |lang: usize, key: &str| views.locales.get(lang, key, None, &[]).unwrap_or_default();
    views
        .languages()
        .into_iter()
        .map(|l| Choice {
            prompt: t(l.index, "choose_language"),
            not_found_title: t(l.index, "not_found_title"),
            not_found_text: t(l.index, "not_found_text"),
            go_home: t(l.index, "go_home"),
            get_help: t(l.index, "get_help"),
            help_url: views
                .directory
                .home
                .map(|home| views.url(&views.content.entries[home].paths[l.index])),
            code: l.code,
            name: l.name,
            dir: l.dir,
            title: l.title,
            description: l.description,
            url: l.home_url,
        })
        .collect()
}

fn chooser_context(views: &Views, shared: &Shared) -> Context {
    let mut c = shared.base[0].clone();
    c.insert("choices", &choices(views));
    c.insert("permalink", &views.settings.base_url);
    c
}

fn not_found_context(views: &Views, shared: &Shared) -> Context {
    let mut c = shared.base[0].clone();
    c.insert("choices", &choices(views));
    c
}

fn stats(views: &Views) -> Vec<LangStats> {
    views
        .settings
        .languages
        .iter()
        .map(|l| {
            let mut s = LangStats::default();
            for e in &views.content.entries {
                if e.shown[l.index].is_some() {
                    s.pages += 1;
                    s.fallbacks += usize::from(e.is_fallback(l.index));
                }
            }
            s
        })
        .collect()
}
