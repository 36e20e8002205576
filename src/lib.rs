//! glimmer: a static-site generator for multilingual campaigns against
//! gender-based violence. The data flows one way:
//! `config → content → i18n → markdown → templates → render → feeds → output`.
//! See ARCHITECTURE.md for the map.

pub mod config;
pub mod content;
pub mod diagnostics;
pub mod embedded;
pub mod feeds;
pub mod i18n;
pub mod init;
pub mod lang;
pub mod markdown;
pub mod output;
pub mod render;
pub mod templates;
pub mod typography;

use config::{BuildOptions, Settings};
use diagnostics::{Diagnostic, Diagnostics};
use render::{LangStats, OutputFile};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A finished site, in memory.
pub struct Site {
    /// Every output file, sorted by path.
    pub files: Vec<OutputFile>,
    /// Pages per language.
    pub stats: Vec<(String, LangStats)>,
    /// Warnings found on the way.
    pub warnings: Vec<Diagnostic>,
}

/// What a successful `glimmer build` did.
pub struct BuildReport {
    /// The site that was written.
    pub site: Site,
    /// What writing changed.
    pub write: output::WriteStats,
    /// Wall time of the whole build.
    pub elapsed: Duration,
}

/// Builds the site at `options.root` into its output folder.
pub fn build(options: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    let start = Instant::now();
    let settings = config::load(options).map_err(Diagnostics::sorted)?;
    output::check_output_folder(&settings.output, &settings.root).map_err(|d| vec![d])?;
    let site = render_site(&settings)?;
    let write = output::write(&settings.output, &site.files).map_err(|d| vec![d])?;
    Ok(BuildReport {
        site,
        write,
        elapsed: start.elapsed(),
    })
}

/// Loads, checks and renders the whole site into memory, without writing
/// anything. All errors found are returned together.
pub fn render_site(settings: &Settings) -> Result<Site, Vec<Diagnostic>> {
    let mut diags = Diagnostics::new();
    let content = content::load(settings, &mut diags);
    let locales = Arc::new(i18n::Locales::load(settings, &mut diags));
    let dates = i18n::DateFormats::new(&settings.languages);
    let theme = templates::Theme::load(settings, &mut diags);
    let tera = match templates::compile(&theme, locales.clone()) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let views = render::views::Views {
        settings,
        content: &content,
        locales: &locales,
        dates: &dates,
    };
    let (Some(tera), false) = (tera, diags.has_errors()) else {
        // Markdown is still checked, so that a template error does not
        // hide broken links in the content.
        render::check_bodies(&views, &mut diags);
        return Err(diags.sorted());
    };
    let inputs = render::Inputs {
        settings,
        content: &content,
        locales: &locales,
        dates: &dates,
        tera: &tera,
        theme: &theme,
    };
    let Some((mut files, stats)) = render::render(&inputs, &mut diags) else {
        return Err(diags.sorted());
    };
    files.extend(feeds::render(&views));
    if settings.minify {
        output::minify(&mut files);
    }
    add_static_files(settings, &theme, &mut files, &mut diags);
    if diags.has_errors() {
        return Err(diags.sorted());
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let stats = settings
        .languages
        .iter()
        .map(|l| l.code.clone())
        .zip(stats)
        .collect();
    Ok(Site {
        files,
        stats,
        warnings: diags.sorted(),
    })
}

/// Adds the theme's `static/` files, then the site's `static/` files, which
/// win over theme files and over generated files of the same path.
fn add_static_files(
    settings: &Settings,
    theme: &templates::Theme,
    files: &mut Vec<OutputFile>,
    diags: &mut Diagnostics,
) {
    let mut extra: Vec<OutputFile> = theme
        .static_files
        .iter()
        .map(|(path, f)| OutputFile {
            path: path.clone(),
            bytes: f.bytes.clone(),
        })
        .collect();
    let dir = settings.root.join("static");
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel == output::MARKER {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                extra.retain(|f| f.path != rel);
                extra.push(OutputFile { path: rel, bytes });
            }
            Err(e) => diags.push(
                Diagnostic::error(format!("cannot read this file: {e}")).in_file(
                    entry
                        .path()
                        .strip_prefix(&settings.root)
                        .unwrap_or(entry.path()),
                ),
            ),
        }
    }
    for f in extra {
        if let Some(existing) = files.iter_mut().find(|g| g.path == f.path) {
            diags.push(
                Diagnostic::warning(format!(
                    "static/{} replaces the generated file of the same name",
                    f.path
                ))
                .in_file(format!("static/{}", f.path))
                .hint("rename it if this is not what you want"),
            );
            *existing = f;
        } else {
            files.push(f);
        }
    }
}
