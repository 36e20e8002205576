//! Errors and warnings for people, not programmers: every diagnostic names a
//! file, and where it can, the line and column, shows the offending line, and
//! gives a hint that says how to fix it. A build collects them all and fails
//! once.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The build cannot produce a correct site.
    Error,
    /// The site is built, but something deserves attention.
    Warning,
}

/// A place in a file: 1-based line and column (in characters).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    /// Line number, starting at 1.
    pub line: usize,
    /// Column number in characters, starting at 1.
    pub column: usize,
    /// The text of the line, without its line break.
    pub text: String,
    /// How many characters to underline.
    pub width: usize,
}

/// One error or warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// The file concerned, relative to the site root where possible.
    pub file: Option<PathBuf>,
    /// Where in the file.
    pub location: Option<Box<Location>>,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error with a message and nothing else yet.
    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    /// A warning with a message and nothing else yet.
    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    fn new(severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            message: message.into(),
            file: None,
            location: None,
            hint: None,
        }
    }

    /// Names the file concerned.
    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    /// Points at byte `offset` of `source` (the whole file), underlining
    /// `len` bytes.
    pub fn at(mut self, source: &str, offset: usize, len: usize) -> Self {
        self.location = Some(Box::new(locate(source, offset, len)));
        self
    }

    /// Points at a 1-based line and column of `source`.
    pub fn at_line(mut self, source: &str, line: usize, column: usize, width: usize) -> Self {
        let text = source.lines().nth(line.saturating_sub(1)).unwrap_or("");
        self.location = Some(Box::new(Location {
            line,
            column,
            text: text.to_string(),
            width: width.max(1),
        }));
        self
    }

    /// Adds a hint that tells the reader how to fix the problem.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Finds the line and column of byte `offset` in `source`.
pub fn locate(source: &str, offset: usize, len: usize) -> Location {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let line_start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    let text = source[line_start..line_end].trim_end_matches('\r');
    let column = source[line_start..offset].chars().count() + 1;
    let end = floor_char_boundary(source, (offset + len).min(line_end));
    let width = source[offset..end].chars().count().max(1);
    Location {
        line: source[..line_start].matches('\n').count() + 1,
        column,
        text: text.to_string(),
        width,
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let gutter = self
            .location
            .as_ref()
            .map_or(1, |l| l.line.to_string().len());
        let pad = " ".repeat(gutter);
        if let Some(file) = &self.file {
            let file = crate::slash_path(file);
            match &self.location {
                Some(l) => writeln!(f, "{pad}--> {file}:{}:{}", l.line, l.column)?,
                None => writeln!(f, "{pad}--> {file}")?,
            }
        }
        if let Some(l) = &self.location {
            let marker: String = l
                .text
                .chars()
                .take(l.column - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {}", l.line, l.text)?;
            writeln!(f, "{pad} | {marker}{}", "^".repeat(l.width))?;
        }
        if let Some(hint) = &self.hint {
            writeln!(f, "{pad} = hint: {hint}")?;
        }
        Ok(())
    }
}

/// The diagnostics of one build, in the order they were found.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    /// Adds many diagnostics.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    /// True when at least one diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// All diagnostics, errors first, then by file and line, so that output
    /// does not depend on the order of parallel work.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (
                a.severity,
                &a.file,
                a.location.as_ref().map(|l| (l.line, l.column)),
                &a.message,
            )
                .cmp(&(
                    b.severity,
                    &b.file,
                    b.location.as_ref().map(|l| (l.line, l.column)),
                    &b.message,
                ))
        });
        self.items.dedup();
        self.items
    }

    /// The diagnostics as they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }

    /// Number of diagnostics.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// Turns a TOML parse error into a diagnostic. `offset` is where the TOML
/// text starts inside `source` (front matter sits after a `+++` line), and
/// `keys` are the keys the table accepts, for a "did you mean" hint.
pub fn from_toml_error(
    err: &toml::de::Error,
    file: &Path,
    source: &str,
    offset: usize,
    keys: &[&str],
) -> Diagnostic {
    let message = err.message().trim().to_string();
    let mut d = Diagnostic::error(toml_message(&message)).in_file(file);
    if let Some(span) = err.span() {
        d = d.at(
            source,
            offset + span.start,
            span.end.saturating_sub(span.start),
        );
    }
    if let Some(unknown) = unknown_field(&message) {
        d.message = format!("unknown key `{unknown}`");
        let expected = expected_fields(&message);
        let keys = if expected.is_empty() { keys } else { &expected };
        let hint = match did_you_mean(unknown, keys) {
            Some(near) => format!("did you mean `{near}`? Known keys: {}", keys.join(", ")),
            None => format!("remove it, or use one of: {}", keys.join(", ")),
        };
        return d.hint(hint);
    }
    d.hint(toml_hint(&message))
}

fn toml_message(message: &str) -> String {
    let first = message.lines().next().unwrap_or(message);
    format!("invalid TOML: {first}")
}

fn toml_hint(message: &str) -> String {
    if message.contains("missing field") {
        "add the missing key; see the README for every key and its meaning".into()
    } else if message.contains("invalid type") {
        "check the value's type: text goes in \"quotes\", lists in [brackets], dates as 2026-11-25"
            .into()
    } else if message.contains("unknown variant") {
        "use one of the values the message names".into()
    } else if message.contains(" must be ") {
        "change the value as the message says".into()
    } else {
        "check the line for a missing quote, bracket or `=`; text values go in \"double quotes\""
            .into()
    }
}

/// The keys serde lists after "expected one of" (or "expected"), which name
/// the table the unknown key was found in.
fn expected_fields(message: &str) -> Vec<&str> {
    let Some((_, list)) = message.split_once(", expected ") else {
        return Vec::new();
    };
    let list = list.strip_prefix("one of ").unwrap_or(list);
    list.split('`').skip(1).step_by(2).collect()
}

fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.strip_prefix("unknown field `")?;
    rest.split('`').next()
}

/// The known word closest to `word`, if it is close enough to be a typo.
pub fn did_you_mean<'a>(word: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = if ca == *cb {
                prev
            } else {
                1 + prev.min(row[j]).min(cur)
            };
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_line_and_column_in_characters() {
        let src = "первая\nвторая строка\n";
        let offset = src.find("строка").unwrap();
        let l = locate(src, offset, "строка".len());
        assert_eq!((l.line, l.column, l.width), (2, 8, 6));
        assert_eq!(l.text, "вторая строка");
    }

    #[test]
    fn renders_file_line_snippet_and_hint() {
        let src = "title = 1\n";
        let d = Diagnostic::error("bad")
            .in_file("content/a.md")
            .at(src, 8, 1)
            .hint("fix it");
        let text = d.to_string();
        assert!(text.contains("--> content/a.md:1:9"), "{text}");
        assert!(text.contains("1 | title = 1"), "{text}");
        assert!(text.contains("  |         ^\n"), "{text}");
        assert!(text.contains("= hint: fix it"), "{text}");
    }

    #[test]
    fn suggests_near_keys_only() {
        assert_eq!(did_you_mean("titel", &["title", "date"]), Some("title"));
        assert_eq!(did_you_mean("colour", &["title", "date"]), None);
    }
}
