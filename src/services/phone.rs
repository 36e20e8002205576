//! Phone numbers: international (E.164) numbers for services, and short
//! national numbers (`112`) for emergency lines.

/// A checked phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phone {
    /// As the author grouped it, with single spaces: `+996 312 000 000`.
    pub display: String,
    /// Dialable: `+996312000000` (or `112` for a short number).
    pub dial: String,
}

/// Why a number was refused, for the error message.
pub type PhoneError = &'static str;

/// Checks an international number: `+`, country code, 8 to 15 digits in
/// all, grouped with spaces, hyphens, dots or brackets.
pub fn international(text: &str) -> Result<Phone, PhoneError> {
    let text = text.trim();
    let Some(rest) = text.strip_prefix('+') else {
        return Err("it does not start with + and the country code");
    };
    let digits = dialable(rest)?;
    if digits.starts_with('0') {
        return Err("a country code never starts with 0");
    }
    if !(8..=15).contains(&digits.len()) {
        return Err("an international number has 8 to 15 digits");
    }
    Ok(Phone {
        display: format!("+{}", grouped(rest)),
        dial: format!("+{digits}"),
    })
}

/// Checks an emergency number: a short national number of 2 to 6 digits
/// (`112`, `1313`) or an international number.
pub fn emergency(text: &str) -> Result<Phone, PhoneError> {
    let text = text.trim();
    if text.starts_with('+') {
        return international(text);
    }
    let digits = dialable(text)?;
    if !(2..=6).contains(&digits.len()) {
        return Err(
            "a short number has 2 to 6 digits; write longer ones with + and the country code",
        );
    }
    Ok(Phone {
        display: digits.clone(),
        dial: digits,
    })
}

/// True when `dial` (`+996…`) starts with `code` (`996`).
pub fn has_calling_code(dial: &str, code: &str) -> bool {
    dial.strip_prefix('+').is_some_and(|d| d.starts_with(code))
}

fn dialable(text: &str) -> Result<String, PhoneError> {
    let mut digits = String::new();
    for c in text.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '\u{a0}' | '-' | '.' | '(' | ')' => {}
            c if c.is_numeric() => return Err("write the number with digits 0-9"),
            _ => return Err("a phone number has only digits, spaces and hyphens"),
        }
    }
    if digits.is_empty() {
        return Err("it has no digits");
    }
    Ok(digits)
}

fn grouped(text: &str) -> String {
    text.split([' ', '\u{a0}'])
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn international_numbers_keep_their_grouping_and_dial_plainly() {
        let p = international(" +996  312 000-000 ").unwrap();
        assert_eq!(p.display, "+996 312 000-000");
        assert_eq!(p.dial, "+996312000000");
        assert!(has_calling_code(&p.dial, "996"));
        assert!(!has_calling_code(&p.dial, "7"));
    }

    #[test]
    fn malformed_numbers_are_refused_with_a_reason() {
        assert!(
            international("0312 000 000")
                .unwrap_err()
                .contains("country code")
        );
        assert!(international("+0 312 000 000").is_err());
        assert!(international("+996 312").unwrap_err().contains("8 to 15"));
        assert!(
            international("+996 312 OOO OOO")
                .unwrap_err()
                .contains("only digits")
        );
        assert!(
            international("+۹۹۶ ۳۱۲ ۰۰۰ ۰۰۰")
                .unwrap_err()
                .contains("0-9")
        );
        assert!(international("+1234567890123456").is_err());
    }

    #[test]
    fn emergency_numbers_may_be_short() {
        assert_eq!(emergency("112").unwrap().dial, "112");
        assert_eq!(emergency("+7 700 000 00 00").unwrap().dial, "+77000000000");
        assert!(emergency("1").is_err());
        assert!(emergency("1234567").is_err());
    }
}
