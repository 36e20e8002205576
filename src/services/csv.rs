//! A small CSV reader for spreadsheet exports (RFC 4180): cells in double
//! quotes may hold the delimiter, line breaks and `""` for a quote; lines
//! end in CRLF, LF or CR; a UTF-8 byte order mark is dropped. The
//! delimiter is found in the header line: a comma, a semicolon (Excel in
//! many European and Central Asian locales) or a tab; an Excel `sep=;`
//! first line is honoured too.
//!
//! Every record carries the row number a spreadsheet shows for it: the
//! header is row 1 and each record is one row, however many lines its
//! quoted cells span. A blank line is an empty row in a spreadsheet, so it
//! counts, but it is not returned.

use crate::diagnostics::Diagnostic;
use std::path::Path;

/// One record: its cells and its row number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The row number a spreadsheet shows: the header is row 1.
    pub row: usize,
    /// The cells as written, without quotes; `""` is read as `"` and line
    /// breaks inside cells as `\n`.
    pub cells: Vec<String>,
}

/// A whole file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The delimiter found: `,`, `;` or a tab.
    pub delimiter: char,
    /// The first record that is not blank.
    pub header: Record,
    /// The records after the header, blank ones left out.
    pub records: Vec<Record>,
}

/// The cell delimiters recognised, in order of preference on a tie.
const DELIMITERS: [char; 3] = [',', ';', '\t'];

/// Reads a CSV file's bytes. `file` is used in messages only.
pub fn read(bytes: &[u8], file: &Path) -> Result<Table, Diagnostic> {
    let text = std::str::from_utf8(bytes).map_err(|e| not_utf8(bytes, e.valid_up_to(), file))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (delimiter, records) = parse(text).map_err(|(row, offset)| {
        Diagnostic::error(format!("row {row}: a quoted cell is never closed"))
            .in_file(file)
            .at(text, offset, 1)
            .hint("a cell that starts with \" must end with \"; write a quote inside a cell as \"\" (save the file from the spreadsheet again rather than editing it by hand)")
    })?;
    let mut records = records.into_iter().filter(|r| !is_blank(r));
    let header = records.next().ok_or_else(|| {
        Diagnostic::error("this file has no rows")
            .in_file(file)
            .hint("the first row names the columns (name, organisation, country, …); each row after it is one service")
    })?;
    Ok(Table {
        delimiter,
        header,
        records: records.collect(),
    })
}

/// True for a record whose cells are all empty or spaces.
fn is_blank(record: &Record) -> bool {
    record.cells.iter().all(|c| c.trim().is_empty())
}

fn not_utf8(bytes: &[u8], valid_up_to: usize, file: &Path) -> Diagnostic {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Diagnostic::error("this file is saved as UTF-16 (\"Unicode text\"), not as UTF-8")
            .in_file(file)
            .hint(SAVE_AS_UTF8);
    }
    // Everything before the bad byte is text: count the rows in it.
    let before = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or_default();
    let before = before.strip_prefix('\u{feff}').unwrap_or(before);
    let row = row_at_end(before);
    Diagnostic::error(format!(
        "this file is not UTF-8 text: byte {valid_up_to} (in row {row}) is not valid UTF-8"
    ))
    .in_file(file)
    .hint(SAVE_AS_UTF8)
}

const SAVE_AS_UTF8: &str = "the spreadsheet was saved in another encoding (such as Windows-1251); \
     in Excel use File > Save As > \"CSV UTF-8 (Comma delimited)\", in LibreOffice Calc choose \
     the character set \"Unicode (UTF-8)\" when saving as CSV; Google Sheets downloads are UTF-8 already";

/// The row that the end of `text` lies in.
fn row_at_end(text: &str) -> usize {
    match parse(&format!("{text}x")) {
        Ok((_, records)) => records.last().map_or(1, |r| r.row),
        Err((row, _)) => row,
    }
}

/// Splits `text` into records; on an unclosed quote, returns its row and
/// byte offset.
fn parse(text: &str) -> Result<(char, Vec<Record>), (usize, usize)> {
    let (delimiter, start) = match sep_line(text) {
        Some((d, len)) => (d, len),
        None => (detect(text), 0),
    };
    let mut reader = Reader::new(delimiter);
    let mut chars = text[start..].char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let next = chars.peek().map(|&(_, n)| n);
        if reader.take(c, next, start + i) {
            chars.next();
        }
    }
    reader.finish().map(|records| (delimiter, records))
}

/// Excel's optional first line `sep=;`: the delimiter and the line's length.
fn sep_line(text: &str) -> Option<(char, usize)> {
    let line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let line = text[..line_end].trim_end_matches(['\r', '\n']);
    let rest = line
        .get(..4)?
        .eq_ignore_ascii_case("sep=")
        .then(|| &line[4..])?;
    let mut chars = rest.chars();
    match (chars.next(), chars.next()) {
        (Some(d), None) => Some((d, line_end)),
        _ => None,
    }
}

/// The delimiter used most in the first line, outside quotes.
fn detect(text: &str) -> char {
    let mut counts = [0usize; DELIMITERS.len()];
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            '\n' | '\r' if !quoted => break,
            _ if !quoted => {
                if let Some(i) = DELIMITERS.iter().position(|d| *d == c) {
                    counts[i] += 1;
                }
            }
            _ => {}
        }
    }
    let best = (0..DELIMITERS.len())
        .rev()
        .max_by_key(|&i| counts[i])
        .unwrap_or(0);
    DELIMITERS[best]
}

/// The state of reading: the record and cell being read.
struct Reader {
    delimiter: char,
    records: Vec<Record>,
    cells: Vec<String>,
    cell: String,
    /// Inside a quoted cell, and where its quote opened.
    quoted: Option<usize>,
    /// No character of the current cell has been read yet.
    cell_start: bool,
    /// No character of the current record has been read yet.
    record_start: bool,
}

impl Reader {
    fn new(delimiter: char) -> Reader {
        Reader {
            delimiter,
            records: Vec::new(),
            cells: Vec::new(),
            cell: String::new(),
            quoted: None,
            cell_start: true,
            record_start: true,
        }
    }

    /// Reads `c` at byte `offset`, `next` being the character after it.
    /// Returns true when `next` was used too and must be skipped.
    fn take(&mut self, c: char, next: Option<char>, offset: usize) -> bool {
        self.record_start = false;
        if self.quoted.is_some() {
            return self.take_quoted(c, next);
        }
        match c {
            '"' if self.cell_start => {
                self.quoted = Some(offset);
                self.cell_start = false;
            }
            '\r' | '\n' => {
                self.end_record();
                return c == '\r' && next == Some('\n');
            }
            _ if c == self.delimiter => self.end_cell(),
            _ => {
                self.cell.push(c);
                self.cell_start = false;
            }
        }
        false
    }

    fn take_quoted(&mut self, c: char, next: Option<char>) -> bool {
        match c {
            '"' if next == Some('"') => {
                self.cell.push('"');
                return true;
            }
            // Text after the closing quote is kept, as spreadsheets do.
            '"' => self.quoted = None,
            '\r' => {
                self.cell.push('\n');
                return next == Some('\n');
            }
            _ => self.cell.push(c),
        }
        false
    }

    fn end_cell(&mut self) {
        self.cells.push(std::mem::take(&mut self.cell));
        self.cell_start = true;
    }

    fn end_record(&mut self) {
        self.end_cell();
        let row = self.records.len() + 1;
        let cells = std::mem::take(&mut self.cells);
        self.records.push(Record { row, cells });
        self.record_start = true;
    }

    fn finish(mut self) -> Result<Vec<Record>, (usize, usize)> {
        if let Some(offset) = self.quoted {
            return Err((self.records.len() + 1, offset));
        }
        if !self.record_start {
            self.end_record();
        }
        Ok(self.records)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> Table {
        read(text.as_bytes(), Path::new("t.csv")).unwrap()
    }

    fn rows(t: &Table) -> Vec<(usize, Vec<&str>)> {
        t.records
            .iter()
            .map(|r| (r.row, r.cells.iter().map(String::as_str).collect()))
            .collect()
    }

    #[test]
    fn reads_plain_comma_separated_rows() {
        let t = table("name,city\nA,Bishkek\nB,Osh");
        assert_eq!(t.delimiter, ',');
        assert_eq!(t.header.cells, ["name", "city"]);
        assert_eq!(t.header.row, 1);
        assert_eq!(rows(&t), [(2, vec!["A", "Bishkek"]), (3, vec!["B", "Osh"])]);
    }

    #[test]
    fn quoted_cells_hold_delimiters_quotes_and_line_breaks() {
        let t = table("name,body\n\"A, B\",\"say \"\"help\"\"\nthen wait\"\nC,\"\"\n");
        assert_eq!(
            rows(&t),
            [
                (2, vec!["A, B", "say \"help\"\nthen wait"]),
                (3, vec!["C", ""])
            ]
        );
    }

    #[test]
    fn a_record_spanning_lines_is_one_row() {
        let t = table("name,body\n\"A\",\"one\ntwo\nthree\"\nB,x\n");
        assert_eq!(rows(&t)[1], (3, vec!["B", "x"]));
    }

    #[test]
    fn bom_semicolons_and_crlf_are_handled() {
        let t = table("\u{feff}Name;Phone\r\n\"Центр; один\";+996 312 000 000\r\nB;\"x\r\ny\"\r\n");
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.header.cells, ["Name", "Phone"]);
        assert_eq!(
            rows(&t),
            [
                (2, vec!["Центр; один", "+996 312 000 000"]),
                (3, vec!["B", "x\ny"])
            ]
        );
    }

    #[test]
    fn tabs_are_detected_outside_quotes() {
        let t = table("\"a,b,c\"\tcity\n1\t2\n");
        assert_eq!(t.delimiter, '\t');
        assert_eq!(t.header.cells, ["a,b,c", "city"]);
        assert_eq!(rows(&t), [(2, vec!["1", "2"])]);
    }

    #[test]
    fn excel_sep_line_sets_the_delimiter() {
        let t = table("sep=;\nname;city,town\nA;B,C\n");
        assert_eq!(t.delimiter, ';');
        assert_eq!(t.header.row, 1);
        assert_eq!(rows(&t), [(2, vec!["A", "B,C"])]);
    }

    #[test]
    fn blank_lines_are_skipped_but_keep_their_row() {
        let t = table("name;x\n\nA;1\n ; \n;;\nB;2\n\n");
        assert_eq!(rows(&t), [(3, vec!["A", "1"]), (6, vec!["B", "2"])]);
    }

    #[test]
    fn old_mac_line_ends_and_missing_final_newline() {
        let t = table("name,x\rA,1\rB,2");
        assert_eq!(rows(&t), [(2, vec!["A", "1"]), (3, vec!["B", "2"])]);
    }

    #[test]
    fn quotes_inside_unquoted_cells_and_after_closing_are_kept() {
        let t = table("a,b\nsay \"hi\",\"x\"y\n");
        assert_eq!(rows(&t), [(2, vec!["say \"hi\"", "xy"])]);
    }

    #[test]
    fn an_unclosed_quote_names_its_row_and_line() {
        let e = read(b"name\nA\n\"B\nC\n", Path::new("t.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("row 3: a quoted cell is never closed"), "{e}");
        assert!(e.contains("t.csv:3:1"), "{e}");
    }

    #[test]
    fn non_utf8_names_the_byte_and_row_and_says_how_to_save() {
        let mut bytes = b"name;city\r\n\"A\nB\";x\r\nC;".to_vec();
        bytes.extend([0xcf, 0xf0, b'\r', b'\n']); // "Пр" in Windows-1251
        let e = read(&bytes, Path::new("t.csv")).unwrap_err().to_string();
        assert!(e.contains("byte 22 (in row 3)"), "{e}");
        assert!(e.contains("CSV UTF-8"), "{e}");
        let e = read(&[0xff, 0xfe, b'n', 0], Path::new("t.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("UTF-16"), "{e}");
    }

    #[test]
    fn an_empty_file_has_no_header() {
        let e = read(b"\xef\xbb\xbf\r\n\r\n", Path::new("t.csv"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("no rows"), "{e}");
    }
}
