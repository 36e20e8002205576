//! Reading cells: lists, yes/no, dates, codes, opening hours and file
//! names (with Cyrillic transliterated to Latin letters).

/// Joins the lines of a cell that should be one line.
pub(super) fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Opening hours on one line: groups written on separate lines are joined
/// with `; `, which reads the same.
pub(super) fn hours_text(text: &str) -> String {
    let groups: Vec<&str> = text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .collect();
    groups.join("; ")
}

/// Splits a list cell on `,` `;` `|` and line breaks.
pub(super) fn split_list(text: &str) -> Vec<&str> {
    text.split([',', ';', '|', '\n'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A category or audience code as written in listings: `Legal aid` → `legal-aid`.
pub(super) fn lowercase_code(text: &str) -> String {
    text.to_lowercase()
        .split([' ', '_'])
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A language code in its usual case: `RU` → `ru`, `fa-af` → `fa-AF`,
/// `uz-cyrl` → `uz-Cyrl`.
pub(super) fn language_code(text: &str) -> String {
    let parts = text
        .split('-')
        .enumerate()
        .map(|(i, p)| match (i, p.len()) {
            (0, _) => p.to_lowercase(),
            (_, 2) => p.to_uppercase(),
            (_, 4) => p[..1].to_uppercase() + &p[1..].to_lowercase(),
            _ => p.to_string(),
        });
    parts.collect::<Vec<_>>().join("-")
}

/// Reads a yes/no cell; None when it is neither.
pub(super) fn yes_no(text: &str) -> Option<bool> {
    match text.trim().to_lowercase().as_str() {
        "" | "no" | "n" | "false" | "0" | "нет" | "ложь" => Some(false),
        "yes" | "y" | "true" | "1" | "x" | "да" | "истина" => Some(true),
        _ => None,
    }
}

/// `2026-11-25`, `25.11.2026` or `25/11/2026` as `2026-11-25`; None when it
/// is not a day of the calendar.
pub(super) fn day(text: &str) -> Option<String> {
    let number = |s: &str| {
        s.parse::<u32>()
            .ok()
            .filter(|_| !s.is_empty() && s.len() <= 4)
    };
    let parts: Vec<&str> = text.split(['-', '.', '/']).collect();
    let [a, b, c] = parts[..] else { return None };
    let iso = text.contains('-');
    if iso != (a.len() == 4) || (iso && text.contains(['.', '/'])) || (!iso && c.len() != 4) {
        return None;
    }
    let (year, month, day) = if iso {
        (number(a)?, number(b)?, number(c)?)
    } else {
        (number(c)?, number(b)?, number(a)?)
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        1..=12 => 31,
        _ => return None,
    };
    (year >= 1000 && (1..=days).contains(&day)).then(|| format!("{year:04}-{month:02}-{day:02}"))
}

/// True when a spreadsheet turned a phone number into a number in
/// scientific notation, such as `9.96312E+11`.
pub(super) fn scientific_number(cell: &str) -> bool {
    let upper = cell.to_uppercase();
    upper.split_once("E+").is_some_and(|(a, b)| {
        !a.is_empty()
            && a.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            && !b.is_empty()
            && b.chars().all(|c| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn booleans_take_many_spellings_and_refuse_others() {
        for yes in ["yes", "Y", "TRUE", "1", "x", "X", "да", "Да", "ИСТИНА"] {
            assert_eq!(yes_no(yes), Some(true), "{yes}");
        }
        for no in ["", "no", "N", "false", "0", "нет", "НЕТ"] {
            assert_eq!(yes_no(no), Some(false), "{no}");
        }
        for bad in ["maybe", "2", "oui", "yes!"] {
            assert_eq!(yes_no(bad), None, "{bad}");
        }
    }

    #[test]
    fn dates_are_read_day_first_and_checked_against_the_calendar() {
        assert_eq!(day("2026-11-25").as_deref(), Some("2026-11-25"));
        assert_eq!(day("25.11.2026").as_deref(), Some("2026-11-25"));
        assert_eq!(day("25/11/2026").as_deref(), Some("2026-11-25"));
        assert_eq!(day("1.2.2026").as_deref(), Some("2026-02-01"));
        assert_eq!(day("29.02.2028").as_deref(), Some("2028-02-29"));
        for bad in [
            "29.02.2026",
            "31/04/2026",
            "2026-13-01",
            "25.11.26",
            "11/25",
            "2026-11-25 10:00",
            "25-11-2026",
            "2026.11.25",
            "x",
            "",
            "0.1.2026",
        ] {
            assert_eq!(day(bad), None, "{bad}");
        }
    }
}
