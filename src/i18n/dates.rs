//! Dates printed the way each language prints them, with month names, by
//! ICU4X's CLDR data.

use crate::config::Language;
use icu_calendar::Date;
use icu_datetime::DateTimeFormatter;
use icu_datetime::fieldsets::YMD;
use toml::value::Datetime;

/// One long-date formatter per language.
pub struct DateFormats {
    formatters: Vec<Option<DateTimeFormatter<YMD>>>,
}

impl DateFormats {
    /// Prepares a formatter for every language; a language CLDR lacks gets
    /// ISO dates.
    pub fn new(languages: &[Language]) -> Self {
        let formatters = languages
            .iter()
            .map(|l| DateTimeFormatter::try_new((&l.locale).into(), YMD::long()).ok())
            .collect();
        DateFormats { formatters }
    }

    /// `25 ноября 2026 г.` for Russian, `November 25, 2026` for English.
    pub fn long(&self, lang: usize, date: &Datetime) -> String {
        let Some(d) = date.date else {
            return String::new();
        };
        let iso = Date::try_new_iso(i32::from(d.year), d.month, d.day);
        match (&self.formatters[lang], iso) {
            (Some(f), Ok(iso)) => f.format(&iso).to_string(),
            _ => iso_date(date),
        }
    }
}

/// `2026-11-25`, the machine-readable form for `<time datetime>`.
pub fn iso_date(date: &Datetime) -> String {
    match date.date {
        Some(d) => format!("{:04}-{:02}-{:02}", d.year, d.month, d.day),
        None => String::new(),
    }
}

/// RFC 3339 date-time for feeds; a bare date is taken as midnight UTC.
pub fn rfc3339(date: &Datetime) -> String {
    let Some(d) = date.date else {
        return String::new();
    };
    let (h, m, s) = date
        .time
        .map_or((0, 0, 0), |t| (t.hour, t.minute, t.second.unwrap_or(0)));
    let offset = match date.offset {
        Some(toml::value::Offset::Custom { minutes }) => {
            let sign = if minutes < 0 { '-' } else { '+' };
            let m = minutes.unsigned_abs();
            format!("{sign}{:02}:{:02}", m / 60, m % 60)
        }
        _ => "Z".to_string(),
    };
    format!(
        "{:04}-{:02}-{:02}T{h:02}:{m:02}:{s:02}{offset}",
        d.year, d.month, d.day
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang;

    fn language(code: &str) -> Language {
        Language {
            index: 0,
            code: code.into(),
            name: code.into(),
            title: String::new(),
            description: String::new(),
            dir: lang::direction(code),
            fallback: vec![],
            locale: code.parse().unwrap(),
            quick_exit: String::new(),
        }
    }

    fn long(code: &str) -> String {
        let date: Datetime = "2026-11-25".parse().unwrap();
        DateFormats::new(&[language(code)]).long(0, &date)
    }

    #[test]
    fn month_names_in_every_campaign_language() {
        assert_eq!(long("en"), "November 25, 2026");
        assert_eq!(long("ru"), "25 ноября 2026\u{202f}г.");
        assert!(long("kk").contains("қараша"), "{}", long("kk"));
        assert!(long("ky").contains("ноябрь"), "{}", long("ky"));
        assert!(long("tg").contains("Ноябр"), "{}", long("tg"));
        assert!(long("uz").contains("noyabr"), "{}", long("uz"));
        assert!(long("fa-AF").contains("قوس"), "{}", long("fa-AF"));
        assert!(
            long("fa-AF-u-ca-gregory").contains("نومبر"),
            "{}",
            long("fa-AF-u-ca-gregory")
        );
        assert!(
            long("ps-u-ca-gregory").contains("نومبر"),
            "{}",
            long("ps-u-ca-gregory")
        );
    }

    #[test]
    fn feed_dates_are_rfc3339() {
        let d: Datetime = "2026-11-25".parse().unwrap();
        assert_eq!(rfc3339(&d), "2026-11-25T00:00:00Z");
        let d: Datetime = "2026-11-25T10:30:00+05:00".parse().unwrap();
        assert_eq!(rfc3339(&d), "2026-11-25T10:30:00+05:00");
    }
}
