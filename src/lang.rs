//! Facts about languages that come from the language code alone: writing
//! direction and quotation marks. The site config never sets these, so a
//! Pashto page is right-to-left however the site is configured.

use serde::Serialize;

/// Writing direction of a language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Left to right.
    Ltr,
    /// Right to left.
    Rtl,
}

impl Direction {
    /// The value of the HTML `dir` attribute.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ltr => "ltr",
            Direction::Rtl => "rtl",
        }
    }
}

/// Languages written right to left by default (primary subtags).
const RTL_LANGUAGES: &[&str] = &[
    "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks", "ku-Arab", "mzn", "pnb", "prs", "ps", "sd",
    "syr", "ug", "ur", "yi",
];

/// Scripts written right to left (script subtags).
const RTL_SCRIPTS: &[&str] = &["Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"];

/// The writing direction of a BCP 47 language code such as `fa-AF`,
/// `ps`, `uz-Latn` or `ku-Arab`. A script subtag decides when present.
pub fn direction(code: &str) -> Direction {
    let mut parts = code.split(['-', '_']);
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    for part in parts {
        if part.len() == 4 {
            let rtl = RTL_SCRIPTS.iter().any(|s| s.eq_ignore_ascii_case(part));
            return if rtl { Direction::Rtl } else { Direction::Ltr };
        }
    }
    if RTL_LANGUAGES.contains(&primary.as_str()) {
        Direction::Rtl
    } else {
        Direction::Ltr
    }
}

/// Quotation marks of a language: outer pair, then the pair used inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quotes {
    /// Opening and closing outer quotes.
    pub outer: (char, char),
    /// Opening and closing quotes inside a quotation.
    pub inner: (char, char),
}

/// The quotation marks a language uses, after CLDR's delimiters. Russian,
/// Kazakh, Kyrgyz and Tajik write «ёлочки» outside and „лапки“ inside;
/// Dari and Pashto write «» as well; English and Uzbek write “curly” quotes.
pub fn quotes(code: &str) -> Quotes {
    let primary = code.split(['-', '_']).next().unwrap_or("");
    match primary.to_ascii_lowercase().as_str() {
        "ru" | "kk" | "ky" | "tg" | "uk" | "be" | "tt" | "ba" => Quotes {
            outer: ('«', '»'),
            inner: ('„', '“'),
        },
        "fa" | "prs" | "ps" | "ar" | "ur" => Quotes {
            outer: ('«', '»'),
            inner: ('“', '”'),
        },
        "fr" => Quotes {
            outer: ('«', '»'),
            inner: ('“', '”'),
        },
        "de" => Quotes {
            outer: ('„', '“'),
            inner: ('‚', '‘'),
        },
        _ => Quotes {
            outer: ('“', '”'),
            inner: ('‘', '’'),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_comes_from_the_code() {
        for rtl in ["fa", "fa-AF", "ps", "ar", "ur", "he", "prs", "ps-AF"] {
            assert_eq!(direction(rtl), Direction::Rtl, "{rtl}");
        }
        for ltr in ["en", "ru", "kk", "ky", "tg", "uz", "uz-Cyrl", "kk-Latn"] {
            assert_eq!(direction(ltr), Direction::Ltr, "{ltr}");
        }
        assert_eq!(direction("kk-Arab"), Direction::Rtl);
        assert_eq!(direction("fa-Latn"), Direction::Ltr);
    }

    #[test]
    fn russian_family_uses_guillemets() {
        for code in ["ru", "kk", "ky", "tg"] {
            assert_eq!(quotes(code).outer, ('«', '»'), "{code}");
        }
        assert_eq!(quotes("en").outer, ('“', '”'));
        assert_eq!(quotes("fa-AF").outer, ('«', '»'));
    }
}
