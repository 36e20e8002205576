//! `glimmer import services FILE.csv`: turns a spreadsheet of services,
//! saved as CSV, into listing files in the directory's folder
//! (`content/services/` unless `[services] section` says otherwise), one
//! file per row.
//!
//! The first row names the columns. Case does not matter, and spaces,
//! hyphens and underscores are the same (`Phone Label`, `phone-label` and
//! `phone_label` are one column). Only `name` is required. A column not
//! listed here is reported and ignored.
//!
//! | column | meaning | example |
//! |---|---|---|
//! | `name` | the service's name, the listing's title (required) | `Crisis line` |
//! | `summary` | one sentence about the service | `Free help by phone, day and night.` |
//! | `organisation` (or `organization`) | who runs the service | `Ak-Zhurok` |
//! | `categories` | one or more of: hotline, crisis-centre, shelter, psychological-support, legal-aid, medical-care, police, social-support, children | `hotline, legal-aid` |
//! | `country` | ISO 3166-1 two-letter code, in any case | `KG` |
//! | `region` | region, province or oblast | `Chuy` |
//! | `city` | city or town | `Bishkek` |
//! | `address` | street address, or `withheld` for places that keep it secret | `withheld` |
//! | `in_person` | readers can come in person (yes/no) | `yes` |
//! | `phone` | phone number with + and the country code | `+996 312 000 001` |
//! | `phone_label` | what the number is for | `Hotline` |
//! | `phone_hours` | when the number answers, if not the service's hours | `24/7` |
//! | `phone2`, `phone2_label`, `phone2_hours`, … | more numbers, as many as needed | `+996 555 000 002` |
//! | `sms` | a number that takes text messages | `+996 555 000 003` |
//! | `whatsapp` | a WhatsApp number | `+996 555 000 003` |
//! | `telegram` | a Telegram user name or `https://t.me/…` link | `@akzhurok_help` |
//! | `signal` | a Signal number | `+996 555 000 003` |
//! | `email` | an e-mail address | `help@example.org` |
//! | `webchat` | a web chat address | `https://example.org/chat` |
//! | `website` | the service's own website | `https://example.org` |
//! | `hours` | opening hours: days and times, `;` or a line break between groups | `mon-fri 09:00-18:00; sat 10:00-14:00` |
//! | `open_24_7` (or `24/7`) | open day and night, every day (yes/no) | `yes` |
//! | `free` | free of charge (yes/no) | `yes` |
//! | `confidential` | confidential (yes/no) | `yes` |
//! | `anonymous` | can be used without giving a name (yes/no) | `no` |
//! | `languages` | languages spoken, as ISO 639-1 codes | `ky, ru` |
//! | `for` | who it is for: women, girls, children, young-people, men, families (empty: everyone) | `women, girls` |
//! | `age_min` | youngest age served, in years | `14` |
//! | `age_max` | oldest age served, in years | `25` |
//! | `verified` | the day someone last checked every detail | `2026-11-25` |
//! | `how_to_get_help` | what to do to get help: the listing's text (Markdown) | `Call the hotline and say "I need help".` |
//! | `example` | example data, not a real service (yes/no) | `no` |
//! | `slug` | the file name, if not made from `name` | `crisis-line-bishkek` |
//!
//! Cells are trimmed. Lists split on `,` `;` `|` or line breaks. Yes/no
//! cells take yes/no, y/n, true/false, 1/0, `x` for yes, and да/нет; an
//! empty cell means no. Dates are written 2026-11-25, 25.11.2026 or
//! 25/11/2026 (day first).
//!
//! Each row becomes the text of a listing file, which is checked by the
//! same code as `glimmer build`. A row with an error is reported with its
//! row number and column and skipped; the other rows are written to
//! `content/services/SLUG.md`, where the slug is the `slug` column or the
//! name in lowercase Latin letters (Cyrillic is transliterated), or
//! `service-ROW` when nothing is left. A file that already holds the row's
//! listing is left as it is and counted as unchanged, so importing the
//! same spreadsheet again changes nothing; a file with other text is only
//! replaced with `--force`.
//!
//! The work is shared out: `columns` reads the header, `row` turns a row
//! into a listing's text (kept in a `front`) from cells read by `cells`,
//! `validate` checks it as the build would, `file_name` chooses the
//! listing's file, and `write` writes it.

mod cells;
mod columns;
mod file_name;
mod front;
mod row;
mod validate;
mod write;

use super::csv::{self, Table};
use crate::config::{self, BuildOptions, Settings};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use columns::Columns;
use row::Draft;
use std::fmt;
use std::path::{Path, PathBuf};

/// What `glimmer import services` is asked to do.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder, holding `glimmer.toml`.
    pub root: PathBuf,
    /// The CSV file.
    pub file: PathBuf,
    /// Replace listing files that exist already with other text.
    pub force: bool,
}

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// The CSV file, as named on the command line.
    pub file: String,
    /// Where listings go, relative to the site root: `content/services`.
    pub folder: String,
    /// Rows read below the header, blank rows left out.
    pub rows: usize,
    /// Listing files written that did not exist before.
    pub written: Vec<String>,
    /// Listing files written over existing ones (`--force`).
    pub replaced: Vec<String>,
    /// Listing files left as they were: they already held the row's text.
    pub unchanged: Vec<String>,
    /// Rows not written because of an error.
    pub skipped: Vec<Skipped>,
    /// Every error and warning, in row order.
    pub problems: Vec<Problem>,
}

/// A row that was not written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// Its row number.
    pub row: usize,
    /// Its `name` cell.
    pub name: String,
    /// The columns with errors.
    pub columns: Vec<String>,
}

/// An error or warning about the file, a row, or a cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Error (the row is skipped) or warning.
    pub severity: Severity,
    /// The CSV file, as named on the command line.
    pub file: String,
    /// The row, unless the problem is the file's.
    pub row: Option<usize>,
    /// The column, as its header is written.
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Problem {
    fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}: ", self.file)?;
        if let Some(row) = self.row {
            write!(f, "row {row}: ")?;
        }
        if let Some(column) = &self.column {
            write!(f, "column `{column}`: ")?;
        }
        writeln!(f, "{}", self.message)?;
        if let Some(hint) = &self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

impl Skipped {
    /// The row's line in the summary: number, name and bad columns.
    fn line(&self) -> String {
        let name = if self.name.is_empty() {
            "(no name)"
        } else {
            &self.name
        };
        let columns: Vec<String> = self.columns.iter().map(|c| format!("`{c}`")).collect();
        let columns = if columns.is_empty() {
            String::new()
        } else {
            format!(": {}", columns.join(", "))
        };
        format!("  row {:<4} {name}{columns}\n", self.row)
    }
}

impl Report {
    /// True when every row was written or its file already held it.
    pub fn succeeded(&self) -> bool {
        self.skipped.is_empty()
    }

    /// What was written, left unchanged and skipped, for the end of the
    /// command's output.
    pub fn summary(&self) -> String {
        let mut out = format!("Read {} row(s) from {}.\n", self.rows, self.file);
        out.push_str(&self.wrote());
        for f in &self.written {
            out.push_str(&format!("  new       {f}\n"));
        }
        for f in &self.replaced {
            out.push_str(&format!("  replaced  {f}\n"));
        }
        if !self.unchanged.is_empty() {
            out.push_str(&format!(
                "Left {} listing(s) unchanged, as their files already match the spreadsheet.\n",
                self.unchanged.len()
            ));
        }
        if !self.skipped.is_empty() {
            out.push_str(&format!(
                "Skipped {} row(s), see the errors above; fix them in the spreadsheet and import again:\n",
                self.skipped.len()
            ));
        }
        for s in &self.skipped {
            out.push_str(&s.line());
        }
        out
    }

    /// The summary's line on the files written.
    fn wrote(&self) -> String {
        let total = self.written.len() + self.replaced.len();
        if total == 0 {
            return "Wrote no listings.\n".into();
        }
        format!(
            "Wrote {total} listing(s) in {}/: {} new, {} replaced.\n",
            self.folder,
            self.written.len(),
            self.replaced.len()
        )
    }
}

/// Imports the listings of `options.file` into the site at `options.root`.
/// Problems with rows are in the report; an error for the whole file (it
/// cannot be read, has no `name` column, the site's config is wrong) is
/// returned instead, and then nothing is written.
pub fn services(options: &Options) -> Result<Report, Vec<Diagnostic>> {
    let settings = config::load(&BuildOptions {
        root: options.root.clone(),
        ..BuildOptions::default()
    })
    .map_err(Diagnostics::sorted)?;
    let shown = crate::slash_path(&options.file);
    let table = read_table(&options.file, &shown)?;
    let (columns, warnings) = Columns::read(&table, &options.file, &shown).map_err(|d| vec![d])?;
    let folder = format!("content/{}", settings.services.section);
    let mut report = Report {
        file: shown.clone(),
        folder: folder.clone(),
        rows: table.records.len(),
        problems: warnings,
        ..Report::default()
    };
    check_home(&settings, &folder, &mut report);
    let mut drafts: Vec<Draft> = table
        .records
        .iter()
        .map(|r| Draft::new(r, &columns, &shown))
        .collect();
    file_name::same_slugs(&mut drafts, &columns, &folder);
    for d in &mut drafts {
        d.validate(&settings.services, &folder);
        d.check_existing(&settings.root, &folder, options.force);
    }
    write::write_all(drafts, &settings.root, &folder, options.force, &mut report)?;
    Ok(report)
}

/// The CSV file's rows, or the error that stops the import.
fn read_table(file: &Path, shown: &str) -> Result<Table, Vec<Diagnostic>> {
    let bytes = std::fs::read(file).map_err(|e| {
        vec![
            Diagnostic::error(format!("cannot read {shown}: {e}"))
                .hint("check the file's name and folder; it is looked for from the current folder, not from --root"),
        ]
    })?;
    csv::read(&bytes, file).map_err(|d| vec![d])
}

/// Warns when the directory has no home page, which the build requires.
fn check_home(settings: &Settings, folder: &str, report: &mut Report) {
    if !settings.root.join(folder).join("_index.md").is_file() {
        report.problems.push(Problem {
            severity: Severity::Warning,
            file: report.file.clone(),
            row: None,
            column: None,
            message: format!("{folder}/_index.md does not exist, and the site will not build without it"),
            hint: Some(format!(
                "create {folder}/_index.md with three lines: +++, then title = \"Get help\", then +++"
            )),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_counts_files_left_unchanged() {
        let mut r = Report {
            file: "t.csv".into(),
            folder: "content/services".into(),
            rows: 4,
            ..Report::default()
        };
        r.unchanged = vec![
            "content/services/a.md".into(),
            "content/services/b.md".into(),
        ];
        r.written = vec!["content/services/c.md".into()];
        r.skipped = vec![Skipped {
            row: 5,
            name: String::new(),
            columns: vec!["Name".into()],
        }];
        let text = r.summary();
        assert_eq!(
            text,
            "Read 4 row(s) from t.csv.\n\
             Wrote 1 listing(s) in content/services/: 1 new, 0 replaced.\n  \
             new       content/services/c.md\n\
             Left 2 listing(s) unchanged, as their files already match the spreadsheet.\n\
             Skipped 1 row(s), see the errors above; fix them in the spreadsheet and import again:\n  \
             row 5    (no name): `Name`\n"
        );
        assert!(!r.succeeded());
        r.skipped.clear();
        assert!(r.succeeded(), "unchanged files are no failure");
    }
}
