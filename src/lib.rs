//! glimmer: a static-site generator for multilingual campaigns against
//! gender-based violence. The data flows one way:
//! `config → content → i18n → markdown → templates → render → feeds → output`.
//! See ARCHITECTURE.md for the map.

pub mod assets;
pub mod budget;
pub mod compress;
pub mod config;
pub mod content;
pub mod csp;
pub mod diagnostics;
pub mod embedded;
pub mod feeds;
pub mod hosting;
pub mod i18n;
pub mod images;
pub mod init;
pub mod lang;
pub mod markdown;
pub mod new;
pub mod origins;
pub mod output;
pub mod portable;
pub mod publish;
pub mod render;
pub mod services;
pub mod slug;
pub mod templates;
pub mod translate;
pub mod typography;

use config::{BuildOptions, Settings};
use diagnostics::{Diagnostic, Diagnostics};
use output::Sink;
use render::{LangStats, OutputFile};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A relative path as written in URLs and messages: with `/` between
/// folders. Only Windows separators are turned into `/`; on other systems
/// a backslash is an ordinary character of a file name.
pub(crate) fn slash_path(path: &std::path::Path) -> String {
    let text = path.to_string_lossy();
    if cfg!(windows) {
        text.replace('\\', "/")
    } else {
        text.into_owned()
    }
}

/// What a build found, besides its files.
pub struct Summary {
    /// Pages per language, by language code.
    pub stats: Vec<(String, LangStats)>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
    /// The heaviest pages, heaviest first (at most [`budget::HEAVIEST`]).
    pub heaviest: Vec<budget::PageWeight>,
}

/// A site built in memory.
pub struct Site {
    /// Every output file, sorted by path.
    pub files: Vec<OutputFile>,
    /// Pages per language and warnings.
    pub summary: Summary,
}

/// What a successful `glimmer build` did.
pub struct BuildReport {
    /// Pages per language and warnings.
    pub summary: Summary,
    /// What writing changed.
    pub write: output::WriteStats,
    /// The portable copy, when `--portable` asked for one.
    pub portable: Option<portable::PortableReport>,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Builds the site at `options.root` into its output folder. On any error
/// the output folder is left exactly as it was.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    let settings = config::load(options).map_err(Diagnostics::sorted)?;
    output::check_output_folder(&settings.output, &settings.root).map_err(|d| vec![d])?;
    let staging =
        output::Staging::begin(&settings.output, &publish::note(&settings)).map_err(|d| vec![d])?;
    let portable = if options.portable {
        match portable::Portable::begin(&settings) {
            Ok(p) => Some(p),
            Err(d) => {
                staging.abort();
                return Err(vec![d]);
            }
        }
    } else {
        None
    };
    let sink = portable::Tee {
        site: &staging,
        portable: portable.as_ref(),
    };
    match generate(&settings, &sink) {
        Ok(summary) => {
            let mut t = Instant::now();
            // The copy first: should it fail, the site stays as it was.
            let portable = match portable.map(portable::Portable::commit).transpose() {
                Ok(portable) => portable,
                Err(d) => {
                    staging.abort();
                    return Err(vec![d]);
                }
            };
            if portable.is_some() {
                stage("portable", &mut t);
            }
            let write = staging.commit().map_err(|d| vec![d])?;
            stage("commit", &mut t);
            Ok(BuildReport {
                summary,
                write,
                portable,
                elapsed: start.elapsed(),
            })
        }
        Err(diags) => {
            staging.abort();
            if let Some(p) = portable {
                p.abort();
            }
            Err(diags)
        }
    }
}

/// Builds the site into memory, writing nothing: for tests and previews.
pub fn render_site(settings: &Settings) -> Result<Site, Vec<Diagnostic>> {
    let memory = output::Memory::default();
    let summary = generate(settings, &memory)?;
    Ok(Site {
        files: memory.into_files(),
        summary,
    })
}

/// Prints how long a stage took (and the peak memory so far) when the
/// environment variable `GLIMMER_LOG` is `debug`.
fn stage(name: &str, since: &mut Instant) {
    if std::env::var_os("GLIMMER_LOG").is_some_and(|v| v == "debug") {
        let peak = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|s| {
                s.lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .map(|l| l[6..].trim().to_string())
            })
            .unwrap_or_default();
        eprintln!("debug: {name:<10} {:>8.1?}  peak {peak}", since.elapsed());
    }
    *since = Instant::now();
}

/// Loads, checks and renders the whole site into `sink`. All errors found
/// are returned together.
fn generate(settings: &Settings, sink: &dyn Sink) -> Result<Summary, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let mut t = Instant::now();
    let content = content::load(settings, &mut diags);
    let directory = services::Directory::build(&content, &settings.services, &mut diags);
    stage("content", &mut t);
    let locales = Arc::new(i18n::Locales::load(settings, &mut diags));
    let dates = i18n::DateFormats::new(&settings.languages);
    let theme = templates::Theme::load(settings, &mut diags);
    let statics = assets::find(settings, &theme);
    let images = Arc::new(images::Images::new(settings, &theme));
    stage("setup", &mut t);
    let views = render::views::Views {
        settings,
        content: &content,
        locales: &locales,
        dates: &dates,
        directory: &directory,
        images: &images,
    };
    let tera = match templates::compile(&theme, locales.clone(), images.clone(), settings.minify) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let Some(tera) = tera else {
        // Markdown is still checked, so that a template error does not
        // hide broken links in the content.
        render::check_bodies(&views, &mut diags);
        return Err(diags.sorted());
    };
    // After an error nothing will be published, but every page is still
    // rendered (into nothing) so that all errors are reported at once.
    // Otherwise every file is published: HTML gets its security policy,
    // text files their compressed copies (publish.rs).
    // Between publishing and writing, every file is weighed for the
    // budgets (budget.rs).
    let scale = (!diags.has_errors())
        .then(|| budget::Scale::new(sink, settings, assets::sources(settings, &statics)));
    let publish = scale
        .as_ref()
        .map(|scale| publish::Publish::new(scale, settings, &statics));
    let sink: &dyn Sink = match &publish {
        Some(publish) => publish,
        None => &output::Discard,
    };
    let inputs = render::Inputs {
        settings,
        content: &content,
        locales: &locales,
        dates: &dates,
        tera: &tera,
        theme: &theme,
        directory: &directory,
        images: &images,
    };
    let Some((stats, pages)) = render::render(&inputs, sink, &mut diags) else {
        return Err(diags.sorted());
    };
    if !diags.has_errors() {
        images.publish(sink, &mut diags);
    }
    diags.extend(images.unused());
    stage("render", &mut t);
    for feed in feeds::render(&views) {
        if statics.contains_key(&feed.path) {
            continue;
        }
        if let Err(d) = sink.put(feed) {
            diags.push(d);
        }
    }
    assets::copy(settings, statics, &pages, sink, &mut diags);
    if let Some(publish) = publish.filter(|_| !diags.has_errors()) {
        publish.finish(&mut diags);
    }
    stage("feeds+static", &mut t);
    let heaviest = scale.map_or_else(Vec::new, |s| s.finish(&mut diags, images.sources()));
    stage("budgets", &mut t);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    let stats = settings
        .languages
        .iter()
        .map(|l| l.code.clone())
        .zip(stats)
        .collect();
    Ok(Summary {
        stats,
        warnings: diags.sorted(),
        heaviest,
    })
}
