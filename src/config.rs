//! The site config, `glimmer.toml`: the raw file as serde reads it, and the
//! resolved [`Settings`] that the rest of the build takes.

use crate::diagnostics::{Diagnostic, Diagnostics, from_toml_error};
use crate::lang::{self, Direction};
use icu_locale::Locale;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Name of the config file at the root of every site.
pub const CONFIG_FILE: &str = "glimmer.toml";

/// `glimmer.toml` as written by the site's maintainer.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Full address the site is published at, e.g. `https://example.org/campaign/`.
    pub base_url: String,
    /// Theme folder name under `themes/`; `default` is built in.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// Show the "example content" notice on every page.
    #[serde(default)]
    pub example_notice: bool,
    /// Items per page in section lists, unless a section sets its own.
    #[serde(default = "default_paginate_by")]
    pub paginate_by: usize,
    /// Minify HTML output.
    #[serde(default = "yes")]
    pub minify: bool,
    /// Entries of the main menu, as source paths: `@/stories/_index.md`.
    #[serde(default)]
    pub menu: Vec<String>,
    /// How many entries each language's Atom feed holds.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Page-weight budgets.
    #[serde(default)]
    pub budgets: Budgets,
    /// Where the quick-exit control leads: a neutral page (weather,
    /// news). Each language may set its own.
    #[serde(default = "default_quick_exit")]
    pub quick_exit: String,
    /// Neutral titles and link previews on every page (see `discreet` in
    /// front matter for single pages).
    #[serde(default)]
    pub discreet: bool,
    /// Other websites pages may load resources from (`https://host`).
    /// Empty by default: every such request tells that site who reads.
    #[serde(default)]
    pub allow_origins: Vec<String>,
    /// The service directory.
    #[serde(default)]
    pub services: crate::services::settings::RawServices,
    /// `[output]`: host files and pre-compressed copies.
    #[serde(default)]
    pub output: crate::publish::OutputSettings,
    /// `[images]`: the widths and qualities pictures are made in.
    #[serde(default)]
    pub images: crate::images::settings::ImageSettings,
    /// The site's languages; the first is the default language.
    pub languages: Vec<RawLanguage>,
}

/// `[budgets]`: how much a first visit to a page may transfer.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Budgets {
    /// A page: its HTML plus the scripts, style sheets, icons and
    /// preloads it loads, gzip-compressed, in KB (1,000 bytes); images
    /// are weighed apart. 14 KB is what the first TCP round trip delivers.
    #[serde(default = "default_page_kb")]
    pub page_kb: f64,
    /// An image, in KB, as it is (the smallest of its sizes when it has
    /// several).
    #[serde(default = "default_image_kb")]
    pub image_kb: f64,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            page_kb: default_page_kb(),
            image_kb: default_image_kb(),
        }
    }
}

fn default_page_kb() -> f64 {
    14.0
}

fn default_image_kb() -> f64 {
    30.0
}

/// One `[[languages]]` entry.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLanguage {
    /// BCP 47 code: `en`, `ru`, `fa-AF`. Also the URL prefix and file suffix.
    pub code: String,
    /// The language's own name (endonym): `Русский`, `دری`.
    pub name: String,
    /// Site title in this language.
    pub title: String,
    /// One-sentence site description in this language.
    #[serde(default)]
    pub description: String,
    /// Languages to show, in order, when a page is missing in this one.
    /// The default language always ends the chain.
    #[serde(default)]
    pub fallback: Vec<String>,
    /// `gregorian`, or `locale` for the calendar CLDR gives the language
    /// (Solar Hijri for Dari and Pashto).
    #[serde(default)]
    pub calendar: Option<String>,
    /// Quick-exit destination for readers of this language.
    #[serde(default)]
    pub quick_exit: Option<String>,
}

const CONFIG_KEYS: &[&str] = &[
    "base_url",
    "theme",
    "example_notice",
    "paginate_by",
    "minify",
    "menu",
    "feed_limit",
    "budgets",
    "quick_exit",
    "discreet",
    "allow_origins",
    "services",
    "output",
    "images",
    "languages",
];
const LANGUAGE_KEYS: &[&str] = &[
    "code",
    "name",
    "title",
    "description",
    "fallback",
    "calendar",
    "quick_exit",
];

fn default_theme() -> String {
    "default".into()
}
fn default_paginate_by() -> usize {
    10
}
fn default_quick_exit() -> String {
    "https://www.google.com/".into()
}
fn default_feed_limit() -> usize {
    20
}
fn yes() -> bool {
    true
}

/// A language of the site, resolved.
#[derive(Debug, Clone)]
pub struct Language {
    /// Position in [`Settings::languages`].
    pub index: usize,
    /// BCP 47 code as configured.
    pub code: String,
    /// Endonym.
    pub name: String,
    /// Site title in this language.
    pub title: String,
    /// Site description in this language.
    pub description: String,
    /// Writing direction, from the code.
    pub dir: Direction,
    /// Languages to try after this one, as indices; ends with the default.
    pub fallback: Vec<usize>,
    /// ICU locale for plurals and dates (with `-u-ca-gregory` when asked).
    pub locale: Locale,
    /// Where the quick-exit control leads.
    pub quick_exit: String,
}

impl Language {
    /// This language followed by its fallback chain.
    pub fn chain(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.index).chain(self.fallback.iter().copied())
    }
}

/// What a build needs to know, resolved from the config and the command line.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Site root folder.
    pub root: PathBuf,
    /// Output folder.
    pub output: PathBuf,
    /// Base URL, always ending in `/`.
    pub base_url: String,
    /// Path part of the base URL, always starting and ending in `/`.
    pub base_path: String,
    /// Theme name.
    pub theme: String,
    /// Show the example-content notice.
    pub example_notice: bool,
    /// Default list page size.
    pub paginate_by: usize,
    /// Minify HTML.
    pub minify: bool,
    /// Menu entries as source paths (without `@/`).
    pub menu: Vec<String>,
    /// Atom feed length.
    pub feed_limit: usize,
    /// Page-weight budgets.
    pub budgets: Budgets,
    /// Languages; index 0 is the default.
    pub languages: Vec<Language>,
    /// Publish drafts too.
    pub drafts: bool,
    /// A page or image over its budget is an error, not a warning.
    pub strict: bool,
    /// The service directory's settings.
    pub services: crate::services::ServiceSettings,
    /// Neutral titles and link previews on every page.
    pub discreet: bool,
    /// Other websites pages may load resources from.
    pub allow_origins: Vec<String>,
    /// `[output]`: host files and pre-compressed copies.
    pub publish: crate::publish::OutputSettings,
    /// `[images]`: the widths and qualities pictures are made in.
    pub images: crate::images::settings::ImageSettings,
}

impl Settings {
    /// The default language.
    pub fn default_language(&self) -> &Language {
        &self.languages[0]
    }

    /// The language with this code, if the site has it.
    pub fn language(&self, code: &str) -> Option<&Language> {
        self.languages.iter().find(|l| l.code == code)
    }
}

/// Checks a quick-exit destination: it must be a full `https://` address
/// on another site, so that leaving never shows one of our pages again.
fn quick_exit(
    url: &str,
    err: &dyn Fn(String, &str, &str) -> Diagnostic,
    diags: &mut Diagnostics,
) -> String {
    let host = url.strip_prefix("https://").unwrap_or_default();
    if host.is_empty() || host.starts_with('/') || url.contains(char::is_whitespace) {
        diags.push(err(
            format!("`{url}` is not a quick-exit address"),
            &format!("\"{url}\""),
            "write the full address of a neutral page on another site, e.g. quick_exit = \"https://www.google.com/search?q=weather\"",
        ));
    }
    url.to_string()
}

/// Options given on the command line.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Site root (default: current folder).
    pub root: PathBuf,
    /// Output folder (default: `public` under the root).
    pub output: Option<PathBuf>,
    /// Publish drafts.
    pub drafts: bool,
    /// Also write the portable copy (`OUTPUT-portable/` and its ZIP).
    pub portable: bool,
    /// Fail the build when a page or image is over its budget.
    pub strict: bool,
}

/// Reads and checks `glimmer.toml`, returning resolved settings or every
/// problem found.
pub fn load(options: &BuildOptions) -> Result<Settings, Diagnostics> {
    let path = options.root.join(CONFIG_FILE);
    let shown = Path::new(CONFIG_FILE);
    let mut diags = Diagnostics::new();
    let source = match std::fs::read_to_string(&path) {
        Ok(s) => s,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            diags.push(
                Diagnostic::error(format!("there is no {CONFIG_FILE} in {}", options.root.display())).hint(
                    "run glimmer in a site folder, pass --root DIR, or create a site with `glimmer init DIR`",
                ),
            );
            return Err(diags);
        }
        Err(e) => {
            let hint = if e.kind() == std::io::ErrorKind::InvalidData {
                "save the file as UTF-8 text"
            } else {
                "check that the file can be read"
            };
            diags.push(
                Diagnostic::error(format!("cannot read this file: {e}"))
                    .in_file(shown)
                    .hint(hint),
            );
            return Err(diags);
        }
    };
    let raw: RawConfig = match toml::from_str(&source) {
        Ok(raw) => raw,
        Err(e) => {
            let keys = if e.message().contains("unknown field")
                && LANGUAGE_KEYS.iter().any(|k| e.message().contains(k))
            {
                LANGUAGE_KEYS
            } else {
                CONFIG_KEYS
            };
            diags.push(from_toml_error(&e, shown, &source, 0, keys));
            return Err(diags);
        }
    };
    resolve(raw, options, &source, &mut diags).ok_or(diags)
}

fn resolve(
    raw: RawConfig,
    options: &BuildOptions,
    source: &str,
    diags: &mut Diagnostics,
) -> Option<Settings> {
    let at = |needle: &str| source.find(needle).unwrap_or(0);
    let err = |msg: String, needle: &str, hint: &str| {
        Diagnostic::error(msg)
            .in_file(CONFIG_FILE)
            .at(source, at(needle), needle.len())
            .hint(hint)
    };
    if raw.languages.is_empty() {
        diags.push(err(
            "no languages configured".into(),
            "",
            "add at least one [[languages]] table with code, name and title",
        ));
        return None;
    }
    let mut languages: Vec<Language> = Vec::new();
    for (index, l) in raw.languages.iter().enumerate() {
        let quoted = format!("\"{}\"", l.code);
        let Ok(mut locale) = l.code.parse::<Locale>() else {
            diags.push(err(
                format!("`{}` is not a valid language code", l.code),
                &quoted,
                "use a BCP 47 code such as en, ru, kk, ky, tg, uz, fa-AF or ps",
            ));
            continue;
        };
        if languages.iter().any(|o| o.code == l.code) {
            diags.push(err(
                format!("language `{}` is configured twice", l.code),
                &quoted,
                "keep one [[languages]] table per language",
            ));
        }
        match l.calendar.as_deref() {
            None | Some("locale") => {}
            Some("gregorian") => {
                locale.extensions.unicode.keywords.set(
                    "ca".parse().expect("valid key"),
                    "gregory".parse().expect("valid value"),
                );
            }
            Some(other) => diags.push(err(
                format!("unknown calendar `{other}` for language `{}`", l.code),
                other,
                "use calendar = \"gregorian\" or calendar = \"locale\"",
            )),
        }
        languages.push(Language {
            index,
            code: l.code.clone(),
            name: l.name.clone(),
            title: l.title.clone(),
            description: l.description.clone(),
            dir: lang::direction(&l.code),
            fallback: Vec::new(),
            locale,
            quick_exit: quick_exit(
                l.quick_exit.as_ref().unwrap_or(&raw.quick_exit),
                &err,
                diags,
            ),
        });
    }
    for (index, l) in raw.languages.iter().enumerate() {
        let mut chain = Vec::new();
        for code in &l.fallback {
            match raw.languages.iter().position(|o| &o.code == code) {
                Some(i) if i != index && !chain.contains(&i) => chain.push(i),
                Some(_) => {}
                None => diags.push(err(
                    format!(
                        "language `{}` falls back to `{code}`, which is not configured",
                        l.code
                    ),
                    &format!("\"{code}\""),
                    "add that language to [[languages]] or remove it from `fallback`",
                )),
            }
        }
        if index != 0 && !chain.contains(&0) {
            chain.push(0);
        }
        if let Some(lang) = languages.get_mut(index) {
            lang.fallback = chain;
        }
    }
    let (base_url, base_path) = match split_base_url(&raw.base_url) {
        Some(parts) => parts,
        None => {
            diags.push(err(
                format!("base_url `{}` is not a full web address", raw.base_url),
                &raw.base_url,
                "write the address the site is published at, e.g. base_url = \"https://example.org/\"",
            ));
            return None;
        }
    };
    if raw.paginate_by == 0 {
        diags.push(err(
            "paginate_by must be at least 1".into(),
            "paginate_by",
            "set paginate_by = 10",
        ));
    }
    let budgets = [
        ("page_kb", raw.budgets.page_kb, 14),
        ("image_kb", raw.budgets.image_kb, 30),
    ];
    for (key, kb, default) in budgets {
        if !(kb.is_finite() && kb > 0.0) {
            diags.push(err(
                format!("{key} under [budgets] must be a positive number of KB, not {kb}"),
                key,
                &format!("set {key} = {default}, or remove the line for that default"),
            ));
        }
    }
    for (key, message, hint) in raw.images.problems() {
        diags.push(err(message, key, &hint));
    }
    for o in &raw.allow_origins {
        let host = o.strip_prefix("https://").unwrap_or_default();
        if host.is_empty() || host.contains(['/', '?', '#', ' ']) {
            diags.push(err(
                format!("`{o}` is not an origin"),
                &format!("\"{o}\""),
                "write only the scheme and host, e.g. allow_origins = [\"https://cdn.example.org\"]",
            ));
        }
    }
    let services = crate::services::settings::resolve(raw.services, source)
        .map_err(|errors| diags.extend(errors))
        .ok();
    if diags.has_errors() {
        return None;
    }
    let services = services?;
    let root = options.root.clone();
    Some(Settings {
        output: options
            .output
            .clone()
            .unwrap_or_else(|| root.join("public")),
        root,
        base_url,
        base_path,
        theme: raw.theme,
        example_notice: raw.example_notice,
        paginate_by: raw.paginate_by,
        minify: raw.minify,
        menu: raw
            .menu
            .iter()
            .map(|m| m.trim_start_matches("@/").to_string())
            .collect(),
        feed_limit: raw.feed_limit,
        budgets: raw.budgets,
        languages,
        drafts: options.drafts,
        strict: options.strict,
        services,
        discreet: raw.discreet,
        publish: raw.output,
        allow_origins: raw.allow_origins,
        images: raw.images,
    })
}

/// Splits `https://host/path` into the URL with a trailing slash and the
/// path part (`/path/`).
fn split_base_url(url: &str) -> Option<(String, String)> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    if rest.is_empty() || rest.starts_with('/') {
        return None;
    }
    let path = rest.find('/').map_or("/", |i| &rest[i..]);
    let path = format!("/{}", path.trim_matches('/'));
    let path = if path == "/" { path } else { path + "/" };
    let url = format!("{}/", url.trim_end_matches('/'));
    Some((url, path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_keeps_its_path() {
        assert_eq!(
            split_base_url("https://ngo.github.io/campaign"),
            Some((
                "https://ngo.github.io/campaign/".into(),
                "/campaign/".into()
            ))
        );
        assert_eq!(
            split_base_url("https://example.org"),
            Some(("https://example.org/".into(), "/".into()))
        );
        assert_eq!(split_base_url("example.org"), None);
    }

    fn settings(toml: &str) -> Result<Settings, Diagnostics> {
        let raw: RawConfig = toml::from_str(toml).unwrap();
        let mut diags = Diagnostics::new();
        resolve(raw, &BuildOptions::default(), toml, &mut diags).ok_or(diags)
    }

    #[test]
    fn fallback_chain_ends_with_default() {
        let s = settings(
            r#"base_url = "https://x.org"
[[languages]]
code = "en"
name = "English"
title = "T"
[[languages]]
code = "ru"
name = "Русский"
title = "T"
[[languages]]
code = "ky"
name = "Кыргызча"
title = "T"
fallback = ["ru"]
"#,
        )
        .unwrap();
        assert_eq!(s.languages[2].chain().collect::<Vec<_>>(), vec![2, 1, 0]);
        assert_eq!(s.languages[1].chain().collect::<Vec<_>>(), vec![1, 0]);
        assert_eq!(s.languages[0].chain().collect::<Vec<_>>(), vec![0]);
    }

    #[test]
    fn unknown_fallback_is_an_error_with_location() {
        let e = settings(
            r#"base_url = "https://x.org"
[[languages]]
code = "en"
name = "English"
title = "T"
fallback = ["xx"]
"#,
        )
        .unwrap_err();
        let text = e.iter().map(|d| d.to_string()).collect::<String>();
        assert!(text.contains("glimmer.toml:6:"), "{text}");
        assert!(text.contains("`xx`"), "{text}");
    }
}
