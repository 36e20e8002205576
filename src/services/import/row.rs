//! One row on its way to a listing file: its cells become the listing's
//! front matter and body, each line remembering its column.

use super::cells::{
    day, hours_text, language_code, lowercase_code, one_line, scientific_number, split_list, yes_no,
};
use super::columns::{Columns, Field};
use super::front::Front;
use super::{Problem, Skipped};
use crate::diagnostics::Severity;
use crate::services::csv::Record;
use toml::Value;

/// One row on its way to a listing file.
pub(super) struct Draft<'a> {
    record: &'a Record,
    /// The file's columns.
    pub(super) columns: &'a Columns,
    /// The CSV file, as named on the command line.
    file: String,
    /// The listing file's text.
    pub(super) front: Front,
    /// The listing's file name without `.md`; None when there is none.
    pub(super) slug: Option<String>,
    /// Errors and warnings about this row.
    pub(super) problems: Vec<Problem>,
}

impl<'a> Draft<'a> {
    /// Turns `record` into a listing's text; the problems of its cells are
    /// in `problems`.
    pub(super) fn new(record: &'a Record, columns: &'a Columns, file: &str) -> Draft<'a> {
        let mut d = Draft {
            record,
            columns,
            file: file.to_string(),
            front: Front::new(),
            slug: None,
            problems: Vec::new(),
        };
        d.texts();
        d.front.push("[service]", None);
        d.service();
        d.phones();
        d.channels();
        d.front.push("+++", None);
        if let Some((_, body)) = d.cell(Field::HowToGetHelp) {
            d.front.text.push_str(body);
            d.front.text.push('\n');
        }
        d.slug = d.make_slug();
        d
    }

    /// The row's number in the file.
    pub(super) fn row(&self) -> usize {
        self.record.row
    }

    /// True while no error is found.
    pub(super) fn is_good(&self) -> bool {
        !self.problems.iter().any(Problem::is_error)
    }

    /// The trimmed cell of `field`, unless empty, with its column.
    pub(super) fn cell(&self, field: Field) -> Option<(usize, &'a str)> {
        let i = self.columns.find(field)?;
        let cell = self.record.cells.get(i)?.trim();
        (!cell.is_empty()).then_some((i, cell))
    }

    /// Adds a problem about this row.
    pub(super) fn problem(
        &mut self,
        severity: Severity,
        column: Option<String>,
        message: String,
        hint: Option<String>,
    ) {
        let (file, row) = (self.file.clone(), Some(self.row()));
        self.problems.push(Problem {
            severity,
            file,
            row,
            column,
            message,
            hint,
        });
    }

    /// Adds an error about this row.
    pub(super) fn error(&mut self, column: Option<String>, message: String, hint: Option<String>) {
        self.problem(Severity::Error, column, message, hint);
    }

    /// Adds an error about the cell in `column`.
    pub(super) fn cell_error(&mut self, column: usize, message: String, hint: &str) {
        let name = self.columns.names[column].clone();
        self.error(Some(name), message, Some(hint.into()));
    }

    /// The title and summary.
    fn texts(&mut self) {
        match self.cell(Field::Name) {
            Some((i, name)) => self.front.set("title", Value::String(one_line(name)), i),
            None => self.error(
                Some(self.columns.name(Field::Name)),
                "this row has no name".into(),
                Some("fill in the service's name as readers should see it".into()),
            ),
        }
        self.text("summary", Field::Summary, one_line);
    }

    /// The `[service]` table's single values.
    fn service(&mut self) {
        self.text("organisation", Field::Organisation, one_line);
        self.list("categories", Field::Categories, lowercase_code);
        match self.cell(Field::Country) {
            Some((i, c)) => self
                .front
                .set("country", Value::String(c.to_uppercase()), i),
            None => self.error(
                Some(self.columns.name(Field::Country)),
                "this row has no country".into(),
                Some(
                    "fill in the two-letter ISO 3166-1 code of the country, e.g. KG for Kyrgyzstan"
                        .into(),
                ),
            ),
        }
        self.text("region", Field::Region, one_line);
        self.text("city", Field::City, one_line);
        self.text("address", Field::Address, str::to_string);
        self.flag("in_person", Field::InPerson);
        self.flag("open_24_7", Field::Open247);
        self.text("hours", Field::Hours, hours_text);
        self.flag("free", Field::Free);
        self.flag("confidential", Field::Confidential);
        self.flag("anonymous", Field::Anonymous);
        self.list("languages", Field::Languages, language_code);
        self.list("for", Field::For, lowercase_code);
        self.age("age_min", Field::AgeMin);
        self.age("age_max", Field::AgeMax);
        self.text("website", Field::Website, str::to_string);
        self.date("verified", Field::Verified);
        self.flag("example", Field::Example);
    }

    /// One `[[service.phones]]` table per phone number.
    fn phones(&mut self) {
        for n in self.columns.phone_numbers() {
            let Some((i, number)) = self.cell(Field::Phone(n)) else {
                self.no_number(n);
                continue;
            };
            if !self.number_survived(i, number) {
                continue;
            }
            self.front.push("[[service.phones]]", Some(i));
            self.front.set("number", Value::String(number.into()), i);
            self.text("label", Field::PhoneLabel(n), one_line);
            self.text("hours", Field::PhoneHours(n), hours_text);
        }
    }

    /// Errors for the label and hours of phone `n` when its number is empty.
    fn no_number(&mut self, n: usize) {
        for f in [Field::PhoneLabel(n), Field::PhoneHours(n)] {
            if let Some((j, _)) = self.cell(f) {
                let message = format!(
                    "this is filled in but `{}` is empty",
                    self.columns.name(Field::Phone(n))
                );
                self.cell_error(
                    j,
                    message,
                    "fill in the phone number too, or empty this cell",
                );
            }
        }
    }

    /// The `[service.channels]` table, if any channel is filled in.
    fn channels(&mut self) {
        let kinds = ["sms", "whatsapp", "telegram", "signal", "email", "webchat"];
        let cells: Vec<(&str, usize, &str)> = kinds
            .iter()
            .filter_map(|k| self.cell(Field::Channel(k)).map(|(i, v)| (*k, i, v)))
            .collect();
        if cells.is_empty() {
            return;
        }
        self.front.push("[service.channels]", None);
        for (kind, i, value) in cells {
            if self.number_survived(i, value) {
                self.front.set(kind, Value::String(value.into()), i);
            }
        }
    }

    /// False (with an error) when a spreadsheet turned a phone number into
    /// a number in scientific notation, such as `9.96312E+11`.
    fn number_survived(&mut self, column: usize, cell: &str) -> bool {
        let mangled = scientific_number(cell);
        if mangled {
            self.cell_error(
                column,
                format!("`{cell}` is a phone number that the spreadsheet turned into a calculation number"),
                "format the column as Text and type the number again, starting with + and the country code",
            );
        }
        !mangled
    }

    /// Sets `key` to the text of `field`'s cell, cleaned.
    fn text(&mut self, key: &str, field: Field, clean: fn(&str) -> String) {
        if let Some((i, v)) = self.cell(field) {
            self.front.set(key, Value::String(clean(v)), i);
        }
    }

    /// Sets `key` to the list in `field`'s cell, each item cleaned.
    fn list(&mut self, key: &str, field: Field, clean: fn(&str) -> String) {
        if let Some((i, v)) = self.cell(field) {
            let items = split_list(v)
                .into_iter()
                .map(|item| Value::String(clean(item)))
                .collect();
            self.front.set(key, Value::Array(items), i);
        }
    }

    /// Sets `key` to true when `field`'s cell says yes.
    fn flag(&mut self, key: &str, field: Field) {
        let Some((i, v)) = self.cell(field) else {
            return;
        };
        match yes_no(v) {
            Some(true) => self.front.set(key, Value::Boolean(true), i),
            Some(false) => {}
            None => self.cell_error(
                i,
                format!("`{v}` is not yes or no"),
                "write yes or no (or y/n, true/false, 1/0, x for yes, да/нет); an empty cell means no",
            ),
        }
    }

    /// Sets `key` to the whole number in `field`'s cell.
    fn age(&mut self, key: &str, field: Field) {
        let Some((i, v)) = self.cell(field) else {
            return;
        };
        match v.parse::<i64>() {
            Ok(age) => self.front.set(key, Value::Integer(age), i),
            Err(_) => self.cell_error(
                i,
                format!("`{v}` is not a whole number"),
                "write the age in years, e.g. 18",
            ),
        }
    }

    /// Sets `key` to the day in `field`'s cell.
    fn date(&mut self, key: &str, field: Field) {
        let Some((i, v)) = self.cell(field) else {
            return;
        };
        match day(v).and_then(|iso| iso.parse::<toml::value::Datetime>().ok()) {
            Some(date) => self.front.set(key, Value::Datetime(date), i),
            None => self.cell_error(
                i,
                format!("`{v}` is not a date"),
                "write the day as 2026-11-25, 25.11.2026 or 25/11/2026 (day first)",
            ),
        }
    }

    /// The row as listed among the skipped ones.
    pub(super) fn skipped(&self) -> Skipped {
        let mut columns: Vec<String> = Vec::new();
        for p in self.problems.iter().filter(|p| p.is_error()) {
            if let Some(c) = &p.column
                && !columns.contains(c)
            {
                columns.push(c.clone());
            }
        }
        let name = self
            .cell(Field::Name)
            .map_or_else(String::new, |(_, n)| one_line(n));
        Skipped {
            row: self.row(),
            name,
            columns,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter;
    use crate::services::csv;
    use crate::services::fields::ServiceFields;
    use std::path::Path;

    /// The listing text and problems of the one row of `csv`.
    fn draft(csv: &str) -> (String, Vec<Problem>) {
        let table = csv::read(csv.as_bytes(), Path::new("t.csv")).unwrap();
        let (columns, _) = Columns::read(&table, Path::new("t.csv"), "t.csv").unwrap();
        let d = Draft::new(&table.records[0], &columns, "t.csv");
        (d.front.text.clone(), d.problems.clone())
    }

    fn service(text: &str) -> ServiceFields {
        front_matter::parse(text, Path::new("x.md"))
            .unwrap()
            .meta
            .service
            .unwrap()
    }

    #[test]
    fn quotes_backslashes_and_line_breaks_survive_the_toml() {
        let csv = "name,organisation,address,how_to_get_help,country\n\
                   \"Say \"\"help\"\" \\ now\",\"C:\\x '''\"\"\"\"\"\" org\",\"Line 1\nLine \"\"2\"\" \\\",\"Body\n+++\ntext\",KG\n";
        let (text, problems) = draft(csv);
        assert!(problems.is_empty(), "{problems:?}");
        let parsed = front_matter::parse(&text, Path::new("x.md")).unwrap();
        assert_eq!(parsed.meta.title.as_deref(), Some("Say \"help\" \\ now"));
        let s = service(&text);
        assert_eq!(s.organisation.unwrap().into_inner(), "C:\\x '''\"\"\" org");
        assert_eq!(s.address.as_deref(), Some("Line 1\nLine \"2\" \\"));
        assert_eq!(&text[parsed.body_start..], "Body\n+++\ntext\n");
    }

    #[test]
    fn cells_become_typed_values() {
        let csv = "Name;Country;Categories;Languages;For;Free;Open 24/7;Age min;Verified;Phone;Phone label;Phone2;WhatsApp\n\
                   \" Line \";kg;\"Hotline, Legal aid\";\"KY|fa-af\nuz-cyrl\";women;да;x;14;02.11.2026;+996 312 000 001;Hotline;+996 312 000 002;+996 555 000 003\n";
        let (text, problems) = draft(csv);
        assert!(problems.is_empty(), "{problems:?}");
        let s = service(&text);
        assert_eq!(s.country.unwrap().into_inner(), "KG");
        let strings = |l: Option<toml::Spanned<Vec<toml::Spanned<String>>>>| {
            l.unwrap()
                .into_inner()
                .into_iter()
                .map(|s| s.into_inner())
                .collect::<Vec<_>>()
        };
        assert_eq!(strings(s.categories), ["hotline", "legal-aid"]);
        assert_eq!(strings(s.languages), ["ky", "fa-AF", "uz-Cyrl"]);
        assert_eq!(strings(s.audience), ["women"]);
        assert!(s.free && s.open_24_7 && !s.confidential);
        assert_eq!(*s.age_min.unwrap().get_ref(), 14);
        assert_eq!(s.verified.unwrap().get_ref().to_string(), "2026-11-02");
        assert_eq!(s.phones.len(), 2);
        assert_eq!(s.phones[0].label.as_deref(), Some("Hotline"));
        assert_eq!(
            s.channels
                .unwrap()
                .into_inner()
                .whatsapp
                .unwrap()
                .into_inner(),
            "+996 555 000 003"
        );
        assert!(
            text.starts_with("+++\ntitle = \"Line\"\n[service]\n"),
            "{text}"
        );
    }

    #[test]
    fn bad_cells_are_errors_naming_their_column() {
        let csv = "name,free,age_max,verified,phone,phone2_label,sms\nX,maybe,18+,31.02.2026,9.96312E+11,Extra,\"9,96E+11\"\n";
        let (_, problems) = draft(csv);
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        let expect = [
            "row 2: column `free`: `maybe` is not yes or no",
            "row 2: column `age_max`: `18+` is not a whole number",
            "row 2: column `verified`: `31.02.2026` is not a date",
            "row 2: column `phone`: `9.96312E+11` is a phone number that the spreadsheet turned",
            "row 2: column `sms`: `9,96E+11` is a phone number",
            "row 2: column `phone2_label`: this is filled in but `phone2` is empty",
        ];
        for e in expect {
            assert!(text.iter().any(|t| t.contains(e)), "{e} not in {text:#?}");
        }
    }
}
