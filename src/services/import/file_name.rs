//! The listing's file name: from the `slug` column or the name; two rows
//! with one file name; a file that exists already.

use super::columns::{Columns, Field};
use super::row::Draft;
use super::write::{OnDisk, on_disk};
use crate::slug::slug;
use std::path::Path;

impl Draft<'_> {
    /// The file name without `.md`: from the `slug` column, else from the
    /// name, else `service-ROW`. None when the row has no name.
    pub(super) fn make_slug(&mut self) -> Option<String> {
        if let Some((i, v)) = self.cell(Field::Slug) {
            let s = slug(v);
            if s.is_empty() {
                self.cell_error(
                    i,
                    format!("`{v}` leaves nothing for a file name"),
                    "use Latin letters, digits and hyphens",
                );
                return None;
            }
            return Some(s);
        }
        let (_, name) = self.cell(Field::Name)?;
        let s = slug(name);
        Some(if s.is_empty() {
            format!("service-{}", self.row())
        } else {
            s
        })
    }

    /// An error when the listing's file exists with other text, unless
    /// `force` allows replacing it. A file that holds this very text is
    /// fine: it is left as it is.
    pub(super) fn check_existing(&mut self, root: &Path, folder: &str, force: bool) {
        if let Some(slug) = &self.slug
            && !force
            && on_disk(
                &root.join(folder).join(format!("{slug}.md")),
                &self.front.text,
            ) == OnDisk::Other
        {
            self.error(
                None,
                format!("{folder}/{slug}.md exists; use --force to replace it"),
                None,
            );
        }
    }
}

/// Two rows with the same file name: the later one is an error.
pub(super) fn same_slugs(drafts: &mut [Draft], columns: &Columns, folder: &str) {
    let column = columns.name(if columns.find(Field::Slug).is_some() {
        Field::Slug
    } else {
        Field::Name
    });
    for i in 1..drafts.len() {
        let Some(slug) = drafts[i].slug.clone() else {
            continue;
        };
        if let Some(first) = drafts[..i].iter().find(|d| d.slug.as_ref() == Some(&slug)) {
            let message = format!(
                "row {} gives the same file name, {folder}/{slug}.md",
                first.row()
            );
            let hint = "give the two services different names, or fill in the slug column to choose file names";
            drafts[i].error(Some(column.clone()), message, Some(hint.into()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::csv;
    use crate::services::import::Problem;

    /// The file name and problems of the one row of `csv`.
    fn slug_of(csv: &str) -> (Option<String>, Vec<Problem>) {
        let table = csv::read(csv.as_bytes(), Path::new("t.csv")).unwrap();
        let (columns, _) = Columns::read(&table, Path::new("t.csv"), "t.csv").unwrap();
        let d = Draft::new(&table.records[0], &columns, "t.csv");
        (d.slug.clone(), d.problems.clone())
    }

    #[test]
    fn arabic_script_names_fall_back_to_the_row_number() {
        let (slug, problems) = slug_of("name,country\nمرکز حمایت,AF\n");
        assert!(problems.is_empty());
        assert_eq!(slug.as_deref(), Some("service-2"));
        let (slug, _) = slug_of("name\n\nمرکز\n");
        assert_eq!(slug.as_deref(), Some("service-3"));
    }

    #[test]
    fn an_existing_file_is_an_error_only_when_its_text_differs() {
        let root = tempfile::tempdir().unwrap();
        let folder = "content/services";
        std::fs::create_dir_all(root.path().join(folder)).unwrap();
        let table = csv::read(b"name,country\nLine,KG\n", Path::new("t.csv")).unwrap();
        let (columns, _) = Columns::read(&table, Path::new("t.csv"), "t.csv").unwrap();
        let errors = |file: Option<&str>, force: bool| {
            let path = root.path().join(folder).join("line.md");
            let _ = std::fs::remove_file(&path);
            let mut d = Draft::new(&table.records[0], &columns, "t.csv");
            if let Some(text) = file {
                let text = text.replace("SAME", &d.front.text);
                std::fs::write(&path, text).unwrap();
            }
            d.check_existing(root.path(), folder, force);
            d.problems
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
        };
        assert!(errors(None, false).is_empty());
        assert!(errors(Some("SAME"), false).is_empty());
        assert!(errors(Some("SAME"), true).is_empty());
        assert!(errors(Some("edited SAME"), true).is_empty());
        let e = errors(Some("edited SAME"), false);
        assert_eq!(e.len(), 1, "{e:?}");
        assert!(
            e[0].contains("row 2: content/services/line.md exists; use --force to replace it"),
            "{e:?}"
        );
    }
}
