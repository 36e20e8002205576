//! `glimmer init DIR`: writes a new, working site from built-in starter
//! files. The theme and UI strings stay built in; the new site overrides
//! them only if it adds its own `themes/` or `locales/` files.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// The starter files: (path in the new site, contents).
const FILES: &[(&str, &str)] = &[
    ("glimmer.toml", include_str!("init/glimmer.toml")),
    ("content/_index.md", include_str!("init/_index.md")),
    ("content/_index.ru.md", include_str!("init/_index.ru.md")),
    ("content/about.md", include_str!("init/about.md")),
    (
        "content/stories/_index.md",
        include_str!("init/stories/_index.md"),
    ),
    (
        "content/stories/_index.ru.md",
        include_str!("init/stories/_index.ru.md"),
    ),
    (
        "content/stories/first-story.md",
        include_str!("init/stories/first-story.md"),
    ),
    (
        "content/services/_index.md",
        include_str!("init/services/_index.md"),
    ),
    (
        "content/services/example-hotline.md",
        include_str!("init/services/example-hotline.md"),
    ),
    ("static/.gitkeep", ""),
    (
        ".gitignore",
        "/public/\n/public-portable/\n/public-portable.zip\n",
    ),
];

/// Creates a new site in `dir`, which must be new or empty.
pub fn init(dir: &Path) -> Result<Vec<String>, Diagnostic> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::error(format!(
                "{} already exists and is not empty",
                dir.display()
            ))
            .hint("choose a new folder name, e.g. `glimmer init my-campaign`"));
        }
    }
    let mut written = Vec::new();
    for (path, text) in FILES {
        let target = dir.join(path);
        let result = target
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|_| std::fs::write(&target, fill(text)));
        result.map_err(|e| {
            Diagnostic::error(format!("cannot write {}: {e}", target.display()))
                .hint("check that you may write in that folder")
        })?;
        written.push(path.to_string());
    }
    Ok(written)
}

/// Fills `{today}` in a starter file (a listing's `verified` date).
fn fill(text: &str) -> String {
    text.replace("{today}", &crate::services::date::Day::today().iso())
}
