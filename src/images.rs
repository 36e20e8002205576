//! Pictures for slow networks. A picture shown by Markdown
//! (`![alt](march.jpg)`, beside the page, or `/images/march.jpg` from
//! `static/`) or by a template (`{{ image(src="/logo.png", alt="…") }}`)
//! is planned from its header while pages render (`plan.rs`), and written
//! as a `<picture>` (`markup.rs`); after rendering, `publish` makes its
//! files in parallel (`encode.rs`): each width of `[images]` as WebP plus
//! a JPEG or PNG fallback, named by a hash of the picture and the settings
//! so hosts may cache them for a year. A file the previous build already
//! wrote under the same name is taken from the output folder instead of
//! being made again: the output folder is the cache.

pub mod encode;
pub mod gps;
pub mod markup;
pub mod plan;
pub mod settings;

use crate::config::Settings;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{MARKER, Sink};
use crate::render::OutputFile;
use crate::templates::Theme;
use plan::{Plan, Request, Source, Treatment};
use rayon::prelude::*;
use settings::ImageSettings;
use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// Why a picture cannot be shown, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// A picture's plan, made once however many pages show it.
type Cell = Arc<OnceLock<Result<Plan, Failure>>>;

/// Every picture the site shows, planned on first use.
pub struct Images {
    settings: ImageSettings,
    root: PathBuf,
    base_path: String,
    theme: BTreeMap<String, (PathBuf, Arc<Vec<u8>>)>,
    previous: Option<PathBuf>,
    plans: Mutex<BTreeMap<PathBuf, Cell>>,
}

/// A picture found on disk or in the theme.
struct Found {
    source: Source,
    shown: PathBuf,
    static_path: Option<String>,
}

impl Images {
    /// The pictures of the site at `settings.root` with the theme's static
    /// files; the previous build in the output folder serves as cache.
    pub fn new(settings: &Settings, theme: &Theme) -> Images {
        let previous = settings
            .output
            .join(MARKER)
            .is_file()
            .then(|| settings.output.clone());
        Images {
            settings: settings.images.clone(),
            root: settings.root.clone(),
            base_path: settings.base_path.clone(),
            theme: theme
                .static_files
                .iter()
                .filter(|(path, _)| is_picture(path))
                .map(|(path, f)| (path.clone(), (f.origin.clone(), Arc::new(f.bytes.clone()))))
                .collect(),
            previous,
            plans: Mutex::default(),
        }
    }

    /// The markup showing `dest` with `alt`, or `None` when `dest` is not
    /// a file of the site (a web address or `data:`), to leave as it is.
    /// `from` is the Markdown file showing it (relative to the site root),
    /// against whose folder a relative `dest` is found; from a template,
    /// every `dest` is a path under `static/`.
    pub fn markup(
        &self,
        dest: &str,
        alt: &str,
        title: &str,
        from: Option<&Path>,
    ) -> Result<Option<String>, Failure> {
        let Some(found) = self.find(dest, from)? else {
            return Ok(None);
        };
        let plan = self.plan(found)?;
        let text = markup::Text {
            alt,
            title,
            sizes: &self.settings.sizes,
            base_path: &self.base_path,
        };
        Ok(Some(markup::html(&plan, &text)))
    }

    /// Makes and hands to `sink` the files of every picture shown.
    pub fn publish(&self, sink: &dyn Sink, diags: &mut Diagnostics) {
        let plans: Vec<Plan> = {
            let plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
            plans
                .values()
                .filter_map(|cell| cell.get()?.as_ref().ok().cloned())
                .collect()
        };
        let errors: Vec<Diagnostic> = plans
            .par_iter()
            .flat_map_iter(|plan| match self.files(plan) {
                Ok(files) => files
                    .into_iter()
                    .filter_map(|f| sink.put(f).err())
                    .collect(),
                Err(message) => vec![
                    Diagnostic::error(format!("cannot make the picture's files: {message}"))
                        .in_file(&plan.shown)
                        .hint("open the picture and save it again as JPEG or PNG"),
                ],
            })
            .collect();
        diags.extend(errors);
    }

    /// A warning for each picture under `content/` that no page of this
    /// build shows, and which is therefore not published.
    pub fn unused(&self) -> Vec<Diagnostic> {
        let plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        walkdir::WalkDir::new(self.root.join("content"))
            .sort_by_file_name()
            .into_iter()
            .flatten()
            .filter(|e| e.file_type().is_file())
            .filter_map(|e| {
                let shown = e.path().strip_prefix(&self.root).ok()?.to_path_buf();
                (is_picture(&shown.to_string_lossy()) && !plans.contains_key(&shown))
                    .then_some(shown)
            })
            .map(|shown| {
                Diagnostic::warning(
                    "no page shows this picture, so it is not published",
                )
                    .in_file(&shown)
                    .hint(format!(
                        "show it in a page: ![what it shows]({}), or delete it (a picture only drafts show is published with --drafts)",
                        shown.file_name().unwrap_or_default().to_string_lossy()
                    ))
            })
            .collect()
    }

    /// The picture each made file comes from, by output path.
    pub fn sources(&self) -> BTreeMap<String, PathBuf> {
        let plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
        let mut out = BTreeMap::new();
        for plan in plans.values().filter_map(|cell| cell.get()?.as_ref().ok()) {
            for v in &plan.variants {
                out.insert(v.webp.clone(), plan.shown.clone());
                out.insert(v.fallback.clone(), plan.shown.clone());
            }
            if let Treatment::AsIs { path, .. } = &plan.treatment {
                out.insert(path.clone(), plan.shown.clone());
            }
        }
        out
    }

    /// Every output file of `plan`.
    fn files(&self, plan: &Plan) -> Result<Vec<OutputFile>, String> {
        let cached = |path: &str| {
            let previous = self.previous.as_ref()?;
            std::fs::read(previous.join(path))
                .ok()
                .filter(|b| !b.is_empty())
        };
        let mut files = encode::files(plan, &self.settings, &cached)?;
        if let Treatment::AsIs { path, copy: true } = &plan.treatment {
            files.push(OutputFile {
                path: path.clone(),
                bytes: plan.source.read().map_err(|e| e.to_string())?.into_owned(),
            });
        }
        Ok(files)
    }

    /// The plan of a found picture, made on first use.
    fn plan(&self, found: Found) -> Result<Plan, Failure> {
        let cell = {
            let mut plans = self.plans.lock().unwrap_or_else(|e| e.into_inner());
            plans.entry(found.shown.clone()).or_default().clone()
        };
        cell.get_or_init(|| self.make_plan(found)).clone()
    }

    fn make_plan(&self, found: Found) -> Result<Plan, Failure> {
        let unreadable = |why: String| {
            Failure {
            message: format!("cannot read the picture {}: {why}", found.shown.display()),
            hint: "save it as JPEG (photographs) or PNG (drawings); SVG and GIF are published as they are"
                .into(),
        }
        };
        let bytes = found.source.read().map_err(|e| unreadable(e.to_string()))?;
        let name = found
            .shown
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let request = Request {
            bytes: &bytes,
            source: found.source.clone(),
            shown: found.shown.clone(),
            name: &name,
            static_path: found.static_path.clone(),
        };
        plan::plan(request, &self.settings).map_err(unreadable)
    }

    /// Where `dest` is: `None` for web addresses and `data:`.
    fn find(&self, dest: &str, from: Option<&Path>) -> Result<Option<Found>, Failure> {
        if has_scheme(dest) || dest.starts_with("//") || dest.starts_with('#') {
            return Ok(None);
        }
        let path =
            crate::budget::refs::percent_decode(dest.split(['?', '#']).next().unwrap_or(dest));
        if !is_picture(&path) {
            return Err(Failure {
                message: format!("`{dest}` is not a picture glimmer can show"),
                hint: "show JPEG, PNG, WebP, GIF or SVG files; link to other files with [text](/files/name.pdf)"
                    .into(),
            });
        }
        match (path.strip_prefix('/'), from) {
            (Some(abs), _) => self.find_static(abs.strip_prefix(self.base_prefix()).unwrap_or(abs)),
            (None, None) => self.find_static(&path),
            (None, Some(from)) => self.find_beside(&path, from),
        }
    }

    /// The base path without its slashes (`campaign/`), which a `/`
    /// address may start with.
    fn base_prefix(&self) -> &str {
        self.base_path.trim_start_matches('/')
    }

    /// A picture under `static/` (the site's, then the theme's).
    fn find_static(&self, rel: &str) -> Result<Option<Found>, Failure> {
        let rel = rel.trim_start_matches('/');
        let file = self.root.join("static").join(rel);
        if inside(&file, &self.root.join("static")) && file.is_file() {
            return Ok(Some(Found {
                source: Source::File(file),
                shown: Path::new("static").join(rel),
                static_path: Some(rel.to_string()),
            }));
        }
        if let Some((origin, bytes)) = self.theme.get(rel) {
            return Ok(Some(Found {
                source: Source::Bytes(bytes.clone()),
                shown: origin.clone(),
                static_path: Some(rel.to_string()),
            }));
        }
        Err(Failure {
            message: format!("picture not found: static/{rel}"),
            hint: format!(
                "put the file at static/{rel}, or put it beside the Markdown file and write its name: ![description]({})",
                rel.rsplit('/').next().unwrap_or(rel)
            ),
        })
    }

    /// A picture beside the Markdown file `from` (or below it).
    fn find_beside(&self, rel: &str, from: &Path) -> Result<Option<Found>, Failure> {
        let folder = from.parent().unwrap_or(Path::new(""));
        let shown = normalize(&folder.join(rel));
        let file = self.root.join(&shown);
        if shown.starts_with("..") || !inside(&file, &self.root) {
            return Err(Failure {
                message: format!("`{rel}` is outside the site"),
                hint: "copy the picture beside the Markdown file, or into static/".into(),
            });
        }
        if !file.is_file() {
            return Err(Failure {
                message: format!("picture not found: {}", crate::slash_path(&shown)),
                hint: format!(
                    "put the picture at {}, or in static/ and write its address from the site root: ![description](/images/{})",
                    crate::slash_path(&shown),
                    shown
                        .file_name()
                        .map(|n| n.to_string_lossy())
                        .unwrap_or_default()
                ),
            });
        }
        Ok(Some(Found {
            source: Source::File(file),
            shown,
            static_path: None,
        }))
    }
}

/// True for the picture formats glimmer publishes, by extension.
pub fn is_picture(path: &str) -> bool {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    matches!(
        ext.as_deref(),
        Some("jpg" | "jpeg" | "png" | "webp" | "gif" | "svg")
    )
}

/// True when `dest` starts with a URL scheme (`https:`, `data:`).
fn has_scheme(dest: &str) -> bool {
    let Some((scheme, _)) = dest.split_once(':') else {
        return false;
    };
    scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// `a/./b/../c` as `a/c`; leading `..` are kept.
fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.last(), Some(Component::Normal(_))) => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out.iter().collect()
}

/// True when `path` stays inside `folder` once links are followed.
fn inside(path: &Path, folder: &Path) -> bool {
    match (path.canonicalize(), folder.canonicalize()) {
        (Ok(p), Ok(f)) => p.starts_with(f),
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_with_a_scheme_are_left_alone() {
        assert!(has_scheme("https://example.org/a.jpg"));
        assert!(has_scheme("data:image/png;base64,AA"));
        assert!(!has_scheme("march.jpg"));
        assert!(!has_scheme("/images/a:b.jpg"));
    }

    #[test]
    fn escapes_and_dots_are_resolved() {
        assert_eq!(
            crate::budget::refs::percent_decode("my%20photo.jpg"),
            "my photo.jpg"
        );
        assert_eq!(crate::budget::refs::percent_decode("100%.jpg"), "100%.jpg");
        assert_eq!(
            normalize(Path::new("content/a/../b/./c.jpg")),
            Path::new("content/b/c.jpg")
        );
        assert_eq!(
            normalize(Path::new("content/../../x.jpg")),
            Path::new("../x.jpg")
        );
    }

    #[test]
    fn pictures_are_known_by_extension() {
        assert!(is_picture("a/B.JPG"));
        assert!(is_picture("logo.svg"));
        assert!(!is_picture("report.pdf"));
        assert!(!is_picture("jpg"));
    }
}
