//! Checking a row's listing with the build's own checks, and naming the
//! column each problem comes from.

use super::columns::Field;
use super::row::Draft;
use crate::content::front_matter;
use crate::diagnostics::Diagnostic;
use crate::services::check::Place;
use crate::services::{ServiceSettings, taxonomy};
use std::path::{Path, PathBuf};

impl Draft<'_> {
    /// Checks the listing text with the build's own checks.
    pub(super) fn validate(&mut self, settings: &ServiceSettings, folder: &str) {
        let Some(slug) = &self.slug else { return };
        let file = PathBuf::from(format!("{folder}/{slug}.md"));
        for d in build_checks(&self.front.text, &file, settings) {
            self.add(d);
        }
    }

    /// Adds a diagnostic of the build's checks, named by its column.
    fn add(&mut self, d: Diagnostic) {
        let line = d.location.as_ref().map(|l| l.line);
        if let Some(i) = line.and_then(|l| self.front.column_at(l)) {
            let name = self.columns.names[i].clone();
            self.problem(d.severity, Some(name), d.message, d.hint);
            return;
        }
        let (field, hint) = table_hint(&d.message);
        let column = field.map(|f| self.columns.name(f));
        // A cell already reported explains this problem: say it once.
        let unreachable = d.message.contains("no way to reach");
        let reported =
            self.problems
                .iter()
                .filter(|p| p.is_error())
                .any(|p| match (&column, &p.column) {
                    (Some(c), Some(other)) => c == other,
                    (None, Some(other)) => unreachable && self.is_contact(other),
                    _ => false,
                });
        if !(d.is_error() && reported) {
            self.problem(d.severity, column, d.message, hint.or(d.hint));
        }
    }

    /// True for the column of a phone, channel or website.
    fn is_contact(&self, column: &str) -> bool {
        let i = self.columns.names.iter().position(|n| n == column);
        let field = i.and_then(|i| self.columns.fields[i]);
        matches!(
            field,
            Some(Field::Phone(_) | Field::Channel(_) | Field::Website)
        )
    }
}

/// The errors and warnings that `glimmer build` finds in `source`, the
/// text of listing file `file`.
fn build_checks(source: &str, file: &Path, settings: &ServiceSettings) -> Vec<Diagnostic> {
    match front_matter::parse(source, file) {
        Err(ds) => ds,
        Ok(parsed) => match &parsed.meta.service {
            None => Vec::new(),
            Some(fields) => {
                let place = Place {
                    source,
                    toml_start: front_matter::toml_start(source),
                    file,
                };
                let (_, found) = crate::services::check(fields, &place, settings);
                found.errors.into_iter().chain(found.warnings).collect()
            }
        },
    }
}

/// For a problem of the listing as a whole: the column it concerns and a
/// hint in spreadsheet terms.
fn table_hint(message: &str) -> (Option<Field>, Option<String>) {
    let categories: Vec<&str> = taxonomy::CATEGORIES.iter().map(|c| c.code).collect();
    if message.contains("which organisation") {
        (
            Some(Field::Organisation),
            Some("fill in who runs the service".into()),
        )
    } else if message.contains("no category") {
        (
            Some(Field::Categories),
            Some(format!("fill in one or more of: {}", categories.join(", "))),
        )
    } else if message.contains("no way to reach") {
        let hint = "fill in at least one of phone, sms, whatsapp, telegram, signal, email, webchat or website, \
                    or write yes in in_person";
        (None, Some(hint.into()))
    } else if message.contains("when it was last checked") {
        let hint =
            "call the service, check every detail, then fill in the day you did, e.g. 2026-11-25";
        (Some(Field::Verified), Some(hint.into()))
    } else if message.contains("read as a translation") {
        (Some(Field::Country), None)
    } else {
        (None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::csv;
    use crate::services::date::Day;
    use crate::services::import::columns::Columns;

    #[test]
    fn checks_of_the_build_are_mapped_back_to_columns() {
        let csv = "name,country,categories,phone,hours,verified\n\
                   X,KG,hotlne,0312 000,mon-fri 25:00-18:00,2026-01-01\n";
        let table = csv::read(csv.as_bytes(), Path::new("t.csv")).unwrap();
        let (columns, _) = Columns::read(&table, Path::new("t.csv"), "t.csv").unwrap();
        let mut d = Draft::new(&table.records[0], &columns, "t.csv");
        let today = Day {
            year: 2026,
            month: 11,
            day: 25,
        };
        let settings = ServiceSettings {
            today,
            stale_before: today.months_before(6),
            ..ServiceSettings::default()
        };
        d.validate(&settings, "content/services");
        let text: Vec<String> = d.problems.iter().map(ToString::to_string).collect();
        let expect = [
            "error: t.csv: row 2: column `categories`: unknown category `hotlne`",
            "did you mean \"hotline\"",
            "error: t.csv: row 2: column `phone`: `0312 000` is not a phone number in international form",
            "error: t.csv: row 2: column `hours`: these opening hours cannot be read",
            "error: t.csv: row 2: column `organisation`: this listing does not say which organisation",
            "= hint: fill in who runs the service",
            "warning: t.csv: row 2: column `verified`: this listing was last checked on 2026-01-01",
        ];
        for e in expect {
            assert!(text.iter().any(|t| t.contains(e)), "{e} not in {text:#?}");
        }
        // The bad phone was the only way to reach the service: said once.
        assert!(
            !text.iter().any(|t| t.contains("no way to reach")),
            "{text:#?}"
        );
    }
}
