//! The theme: Tera templates from the site's `themes/NAME/` over the
//! embedded default theme, file by file, and the functions templates call
//! (`t` for UI strings). Template errors become diagnostics naming the
//! template file, line and column.

use crate::config::Settings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::embedded;
use crate::i18n::Locales;
use crate::images::Images;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use tera::{Kwargs, State, Tera, TeraResult};

/// A theme file and where it came from.
#[derive(Debug, Clone)]
pub struct ThemeFile {
    /// Contents.
    pub bytes: Vec<u8>,
    /// Path shown in messages: the site file, or `(built-in) …`.
    pub origin: PathBuf,
}

/// The theme's templates and static files.
#[derive(Debug, Clone, Default)]
pub struct Theme {
    /// Templates by name (`page.html`, `partials/head.html`).
    pub templates: BTreeMap<String, ThemeFile>,
    /// Static files by path under the theme's `static/`.
    pub static_files: BTreeMap<String, ThemeFile>,
}

impl Theme {
    /// Loads the theme named in the settings.
    pub fn load(settings: &Settings, diags: &mut Diagnostics) -> Theme {
        let mut theme = Theme::default();
        for (path, bytes) in embedded::under("themes/default") {
            let origin = PathBuf::from(format!("(built-in) themes/default/{path}"));
            theme.insert(path, bytes.to_vec(), origin);
        }
        let dir = settings.root.join("themes").join(&settings.theme);
        if !dir.is_dir() {
            if settings.theme != "default" {
                diags.push(
                    Diagnostic::error(format!("theme `{}` not found", settings.theme))
                        .in_file("glimmer.toml")
                        .hint(format!(
                            "create themes/{}/ or set theme = \"default\"",
                            settings.theme
                        )),
                );
            }
            return theme;
        }
        for entry in walkdir::WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .flatten()
        {
            if !entry.file_type().is_file() {
                continue;
            }
            let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
            let rel = crate::slash_path(rel);
            let origin = entry
                .path()
                .strip_prefix(&settings.root)
                .unwrap_or(entry.path())
                .to_path_buf();
            match std::fs::read(entry.path()) {
                Ok(bytes) => theme.insert(&rel, bytes, origin),
                Err(e) => diags
                    .push(Diagnostic::error(format!("cannot read this file: {e}")).in_file(origin)),
            }
        }
        theme
    }

    fn insert(&mut self, path: &str, bytes: Vec<u8>, origin: PathBuf) {
        let file = ThemeFile { bytes, origin };
        if let Some(name) = path.strip_prefix("templates/") {
            self.templates.insert(name.to_string(), file);
        } else if let Some(name) = path.strip_prefix("static/") {
            self.static_files.insert(name.to_string(), file);
        }
    }
}

/// Compiles the theme's templates, with the `t` function bound to the
/// site's UI strings.
/// Style sheets (`*.css` templates without Tera tags) are minified here,
/// once, when `minify` is on.
pub fn compile(
    theme: &Theme,
    locales: Arc<Locales>,
    images: Arc<Images>,
    minify: bool,
) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let l = locales.clone();
    tera.register_function("t", move |kwargs: Kwargs, state: &State| {
        translate(&l, &kwargs, state)
    });
    tera.register_function("image", ImageFunction(images));
    let sources: Vec<(String, String)> = theme
        .templates
        .iter()
        .map(|(name, f)| {
            let text = String::from_utf8_lossy(&f.bytes).into_owned();
            let plain_css = name.ends_with(".css") && !text.contains("{{") && !text.contains("{%");
            let text = if minify && plain_css {
                crate::output::minify_css(&text)
            } else {
                text
            };
            (name.clone(), text)
        })
        .collect();
    tera.add_raw_templates(sources.iter().map(|(n, s)| (n.as_str(), s.as_str())))
        .map_err(|e| to_diagnostic(&e, theme))?;
    Ok(tera)
}

/// `{{ t(key="campaign_day", n=3) }}`: the UI string in the page's
/// language (`lang_index` in the context), with placeholders filled.
fn translate(locales: &Locales, kwargs: &Kwargs, state: &State) -> TeraResult<String> {
    let key: String = kwargs.must_get("key")?;
    let lang: usize = state.get("lang_index")?.unwrap_or(0);
    let n: Option<f64> = kwargs.get("n")?;
    let mut args = Vec::new();
    for (name, value) in kwargs.iter() {
        let name = name.to_string();
        if name != "key" && name != "n" {
            args.push((name, value.to_string()));
        }
    }
    let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    locales.get(lang, &key, n, &args).ok_or_else(|| {
        tera::Error::message(format!(
            "no UI string `{key}` in any language of the chain; add it to locales/en.toml (and the other languages)"
        ))
    })
}

/// `{{ image(src="/images/logo.png", alt="…") }}`: a picture of the
/// site's or the theme's `static/` folder, made for slow networks like
/// those of Markdown (`title` is optional).
struct ImageFunction(Arc<Images>);

impl tera::Function<TeraResult<String>> for ImageFunction {
    fn call(&self, kwargs: Kwargs, _state: &State) -> TeraResult<String> {
        let src: String = kwargs.must_get("src")?;
        let alt: String = kwargs.must_get("alt")?;
        let title: Option<String> = kwargs.get("title")?;
        match self
            .0
            .markup(&src, &alt, title.as_deref().unwrap_or(""), None)
        {
            Ok(Some(html)) => Ok(html),
            Ok(None) => Err(tera::Error::message(format!(
                "image(src=\"{src}\"): only pictures of the site are made for slow networks; put it in static/"
            ))),
            Err(f) => Err(tera::Error::message(format!("{}; {}", f.message, f.hint))),
        }
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// Turns a Tera error into a diagnostic that names the template file,
/// line and column, and shows the line.
pub fn to_diagnostic(err: &tera::Error, theme: &Theme) -> Diagnostic {
    let mut current: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = current {
        if let Some(te) = e.downcast_ref::<tera::Error>()
            && let tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) = te.kind()
        {
            return located(r, theme);
        }
        current = e.source();
    }
    Diagnostic::error(format!("template error: {err}"))
        .hint("check the template named in the message; see the Tera documentation for its syntax")
}

fn located(r: &tera::ReportError, theme: &Theme) -> Diagnostic {
    let file = theme.templates.get(r.filename());
    let span = r.span();
    let mut d = Diagnostic::error(format!("template error: {}", r.message()));
    if let Some(f) = file {
        let text = String::from_utf8_lossy(&f.bytes);
        let width = if span.end_line == span.start_line {
            span.end_col.saturating_sub(span.start_col)
        } else {
            1
        };
        d = d
            .in_file(&f.origin)
            .at_line(&text, span.start_line, span.start_col + 1, width);
    } else {
        d = d.in_file(format!("templates/{}", r.filename()));
    }
    d.hint(template_hint(r.message()))
}

fn template_hint(message: &str) -> String {
    if message.contains("not found in context") || message.contains("undefined") {
        "the template uses a value that this page does not have; guard it with `{% if x is defined %}`".into()
    } else {
        "fix the template at this line; compare with the default theme's template of the same name"
            .into()
    }
}
