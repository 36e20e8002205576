//! The text of a listing file as it is put together, remembering which
//! lines came from which column so that the build's errors can name it.

use toml::Value;

/// A listing file's text, and which lines came from which column.
pub(super) struct Front {
    /// The text so far.
    pub(super) text: String,
    /// The next line's number (1 is the opening `+++`).
    line: usize,
    /// First line, last line, column.
    origins: Vec<(usize, usize, usize)>,
}

impl Front {
    /// A text holding the opening `+++`.
    pub(super) fn new() -> Front {
        let mut front = Front {
            text: String::new(),
            line: 1,
            origins: Vec::new(),
        };
        front.push("+++", None);
        front
    }

    /// Adds `text` (one line, or more for a multi-line string) from `column`.
    pub(super) fn push(&mut self, text: &str, column: Option<usize>) {
        let last = self.line + text.matches('\n').count();
        if let Some(c) = column {
            self.origins.push((self.line, last, c));
        }
        self.text.push_str(text);
        self.text.push('\n');
        self.line = last + 1;
    }

    /// Adds `key = value`, the value written by the TOML library.
    pub(super) fn set(&mut self, key: &str, value: Value, column: usize) {
        self.push(&format!("{key} = {value}"), Some(column));
    }

    /// The column line `line` came from.
    pub(super) fn column_at(&self, line: usize) -> Option<usize> {
        self.origins
            .iter()
            .find(|(first, last, _)| (*first..=*last).contains(&line))
            .map(|o| o.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_remember_their_column() {
        let mut front = Front::new();
        front.set("title", Value::String("x".into()), 0);
        front.set("address", Value::String("a\nb".into()), 3);
        front.push("+++", None);
        let lines: Vec<&str> = front.text.lines().collect();
        assert_eq!(lines.len(), 6, "{}", front.text);
        assert_eq!(lines[2], "address = \"\"\"", "{}", front.text);
        let columns: Vec<Option<usize>> = (1..=6).map(|l| front.column_at(l)).collect();
        assert_eq!(columns, [None, Some(0), Some(3), Some(3), Some(3), None]);
        assert_eq!(front.line, 7);
    }
}
