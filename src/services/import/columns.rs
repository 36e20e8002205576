//! The header row: which column stands for which field, with warnings for
//! columns glimmer does not know.

use super::Problem;
use crate::diagnostics::{Diagnostic, Severity, did_you_mean};
use crate::services::csv::Table;
use std::path::Path;

/// What a column stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Field {
    Name,
    Summary,
    Organisation,
    Categories,
    Country,
    Region,
    City,
    Address,
    InPerson,
    Phone(usize),
    PhoneLabel(usize),
    PhoneHours(usize),
    Channel(&'static str),
    Website,
    Hours,
    Open247,
    Free,
    Confidential,
    Anonymous,
    Languages,
    For,
    AgeMin,
    AgeMax,
    Verified,
    HowToGetHelp,
    Example,
    Slug,
}

/// Column names (as [`normalise`] leaves them) and what they stand for.
/// Phone columns are read by [`phone_field`].
const COLUMNS: &[(&str, Field)] = &[
    ("name", Field::Name),
    ("summary", Field::Summary),
    ("organisation", Field::Organisation),
    ("organization", Field::Organisation),
    ("categories", Field::Categories),
    ("country", Field::Country),
    ("region", Field::Region),
    ("city", Field::City),
    ("address", Field::Address),
    ("in_person", Field::InPerson),
    ("sms", Field::Channel("sms")),
    ("whatsapp", Field::Channel("whatsapp")),
    ("telegram", Field::Channel("telegram")),
    ("signal", Field::Channel("signal")),
    ("email", Field::Channel("email")),
    ("webchat", Field::Channel("webchat")),
    ("website", Field::Website),
    ("hours", Field::Hours),
    ("open_24_7", Field::Open247),
    ("24_7", Field::Open247),
    ("free", Field::Free),
    ("confidential", Field::Confidential),
    ("anonymous", Field::Anonymous),
    ("languages", Field::Languages),
    ("for", Field::For),
    ("age_min", Field::AgeMin),
    ("age_max", Field::AgeMax),
    ("verified", Field::Verified),
    ("how_to_get_help", Field::HowToGetHelp),
    ("example", Field::Example),
    ("slug", Field::Slug),
];

/// Every column name, for "did you mean" hints.
fn column_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = COLUMNS
        .iter()
        .map(|(n, _)| *n)
        .filter(|n| *n != "24_7")
        .collect();
    names.extend(["phone", "phone_label", "phone_hours"]);
    names
}

/// A header as compared: lowercase, with one `_` for every run of spaces,
/// hyphens, underscores and slashes.
fn normalise(header: &str) -> String {
    let lower = header.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split([' ', '-', '_', '/', '\u{a0}'])
        .filter(|w| !w.is_empty())
        .collect();
    words.join("_")
}

/// `phone`, `phone1`, `phone2_label`, `phone_2_hours`, …
fn phone_field(name: &str) -> Option<Field> {
    let rest = name.strip_prefix("phone")?.trim_start_matches('_');
    let digits = rest.chars().take_while(char::is_ascii_digit).count();
    let n = if digits == 0 {
        1
    } else {
        rest[..digits].parse().ok()?
    };
    if n == 0 {
        return None;
    }
    match rest[digits..].trim_start_matches('_') {
        "" | "number" => Some(Field::Phone(n)),
        "label" => Some(Field::PhoneLabel(n)),
        "hours" => Some(Field::PhoneHours(n)),
        _ => None,
    }
}

/// The field a column name (as [`normalise`] leaves it) stands for.
fn field(name: &str) -> Option<Field> {
    COLUMNS
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| *f)
        .or_else(|| phone_field(name))
}

/// The name of a field's column in messages when the file has no such column.
fn canonical(field: Field) -> String {
    let phone = |n: usize, suffix: &str| {
        let n = if n == 1 { String::new() } else { n.to_string() };
        format!("phone{n}{suffix}")
    };
    match field {
        Field::Phone(n) => phone(n, ""),
        Field::PhoneLabel(n) => phone(n, "_label"),
        Field::PhoneHours(n) => phone(n, "_hours"),
        other => COLUMNS
            .iter()
            .find(|(_, f)| *f == other)
            .map_or_else(String::new, |(n, _)| n.to_string()),
    }
}

/// The spreadsheet's name of column `i`: A, B, …, Z, AA, …
fn letter(mut i: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The file's columns: what each stands for and its header as written.
pub(super) struct Columns {
    /// The field of each column; None for a column glimmer does not use.
    pub(super) fields: Vec<Option<Field>>,
    /// Each column's header, trimmed.
    pub(super) names: Vec<String>,
}

impl Columns {
    /// Reads the header; warns about columns that are not used.
    pub(super) fn read(
        table: &Table,
        path: &Path,
        shown: &str,
    ) -> Result<(Columns, Vec<Problem>), Diagnostic> {
        let mut columns = Columns {
            fields: Vec::new(),
            names: Vec::new(),
        };
        let mut warnings = Vec::new();
        for i in 0..width(table) {
            let written = table.header.cells.get(i).map_or("", |h| h.trim());
            let found = field(&normalise(written));
            if let Some(f) = found
                && let Some(j) = columns.find(f)
            {
                return Err(columns.twice(f, j, i, written).in_file(path));
            }
            if found.is_none()
                && let Some(warning) = unused(table, i, written, shown)
            {
                warnings.push(warning);
            }
            columns.fields.push(found);
            columns.names.push(written.to_string());
        }
        if columns.find(Field::Name).is_none() {
            return Err(no_name(table).in_file(path));
        }
        Ok((columns, warnings))
    }

    /// The error for column `i`, headed `written`, which stands for `field`
    /// like column `j` before it.
    fn twice(&self, field: Field, j: usize, i: usize, written: &str) -> Diagnostic {
        Diagnostic::error(format!(
            "columns {} (`{}`) and {} (`{written}`) are both `{}`",
            letter(j),
            self.names[j],
            letter(i),
            canonical(field)
        ))
        .hint("remove or rename one of them")
    }

    /// The column of `field`, if the file has it.
    pub(super) fn find(&self, field: Field) -> Option<usize> {
        self.fields.iter().position(|f| *f == Some(field))
    }

    /// The name of `field`'s column in messages.
    pub(super) fn name(&self, field: Field) -> String {
        self.find(field)
            .map_or_else(|| canonical(field), |i| self.names[i].clone())
    }

    /// The phone numbers the columns give: 1, 2, …
    pub(super) fn phone_numbers(&self) -> Vec<usize> {
        let mut numbers: Vec<usize> = self
            .fields
            .iter()
            .filter_map(|f| match f {
                Some(Field::Phone(n) | Field::PhoneLabel(n) | Field::PhoneHours(n)) => Some(*n),
                _ => None,
            })
            .collect();
        numbers.sort_unstable();
        numbers.dedup();
        numbers
    }
}

/// The number of columns: the longest of the header and the rows.
fn width(table: &Table) -> usize {
    table
        .records
        .iter()
        .map(|r| r.cells.len())
        .chain([table.header.cells.len()])
        .max()
        .unwrap_or(0)
}

/// The warning for column `i`, headed `written`, which stands for no field:
/// a header glimmer does not know, or no header above cells filled in.
fn unused(table: &Table, i: usize, written: &str, shown: &str) -> Option<Problem> {
    let (column, message, hint) = if written.is_empty() {
        if !has_data(table, i) {
            return None;
        }
        let message = format!(
            "column {} has no name in the first row, so it is ignored",
            letter(i)
        );
        (
            None,
            message,
            "name it in the first row, or delete it".into(),
        )
    } else {
        let known = column_names();
        let hint = match did_you_mean(&normalise(written), &known) {
            Some(near) => format!("did you mean `{near}`? Rename the column to use it"),
            None => format!("the columns are: {}", known.join(", ")),
        };
        let message = "not a column glimmer knows; it is ignored".to_string();
        (Some(written.to_string()), message, hint)
    };
    Some(Problem {
        severity: Severity::Warning,
        file: shown.to_string(),
        row: None,
        column,
        message,
        hint: Some(hint),
    })
}

/// The error for a file without a `name` column.
fn no_name(table: &Table) -> Diagnostic {
    Diagnostic::error("there is no `name` column").hint(format!(
        "the first row names the columns and one of them must be `name`; this file's first row is: {}",
        table.header.cells.join(&table.delimiter.to_string())
    ))
}

/// True when some row has text in `column`.
fn has_data(table: &Table, column: usize) -> bool {
    table
        .records
        .iter()
        .any(|r| r.cells.get(column).is_some_and(|c| !c.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::csv;

    fn columns(header: &str) -> (Table, Columns) {
        let table = csv::read(format!("{header}\nx\n").as_bytes(), Path::new("t.csv")).unwrap();
        let (columns, _) = Columns::read(&table, Path::new("t.csv"), "t.csv").unwrap();
        (table, columns)
    }

    #[test]
    fn headers_match_whatever_their_case_and_separators() {
        let (_, c) = columns(
            "Name;Phone Label;open-24/7;24/7 x;E_mail;ORGANIZATION;Phone 2;phone3_hours;How to get help",
        );
        assert_eq!(c.fields[0], Some(Field::Name));
        assert_eq!(c.fields[1], Some(Field::PhoneLabel(1)));
        assert_eq!(c.fields[2], Some(Field::Open247));
        assert_eq!(c.fields[3], None);
        assert_eq!(c.fields[4], None);
        assert_eq!(c.fields[5], Some(Field::Organisation));
        assert_eq!(c.fields[6], Some(Field::Phone(2)));
        assert_eq!(c.fields[7], Some(Field::PhoneHours(3)));
        assert_eq!(c.fields[8], Some(Field::HowToGetHelp));
        assert_eq!(c.phone_numbers(), [1, 2, 3]);
    }

    #[test]
    fn unknown_columns_are_warned_about_with_a_near_name() {
        let table = csv::read(b"name,Webiste,Notes,,\nx,,,,y\n", Path::new("t.csv")).unwrap();
        let (_, warnings) = Columns::read(&table, Path::new("t.csv"), "t.csv").unwrap();
        let text: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert_eq!(text.len(), 3, "{text:?}");
        assert!(
            text[0].contains("column `Webiste`") && text[0].contains("did you mean `website`?"),
            "{}",
            text[0]
        );
        assert!(
            text[1].contains("column `Notes`") && text[1].contains("the columns are"),
            "{}",
            text[1]
        );
        assert!(text[2].contains("column E has no name"), "{}", text[2]);
    }

    #[test]
    fn a_file_without_a_name_column_or_with_a_column_twice_is_refused() {
        let table = csv::read(b"title,city\nx,y\n", Path::new("t.csv")).unwrap();
        let e = Columns::read(&table, Path::new("t.csv"), "t.csv")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("no `name` column") && e.contains("title,city"),
            "{e}"
        );
        let table = csv::read(
            b"name,Organisation,organization\nx,y,z\n",
            Path::new("t.csv"),
        )
        .unwrap();
        let e = Columns::read(&table, Path::new("t.csv"), "t.csv")
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("columns B (`Organisation`) and C (`organization`)"),
            "{e}"
        );
    }
}
