//! Checks a `[service]` table and turns it into a [`Listing`] (main file)
//! or [`Texts`] (translation). Every problem is reported with the file,
//! line and column of the value, and all of a file's problems together.

use super::fields::{ServiceFields, TEXT_KEYS};
use super::settings::ServiceSettings;
use super::{Address, Listing, Part, PhoneLine, Texts, date::Day, hours, phone, taxonomy};
use crate::diagnostics::Diagnostic;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use toml::Spanned;

/// Where a `[service]` table sits, for locations in messages.
pub struct Place<'a> {
    /// The whole file.
    pub source: &'a str,
    /// Byte offset of the front matter's TOML in the file.
    pub toml_start: usize,
    /// The file, relative to the site root.
    pub file: &'a Path,
}

/// A file's findings: errors stop the listing, warnings do not.
#[derive(Debug, Default)]
pub struct Findings {
    /// Errors.
    pub errors: Vec<Diagnostic>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

impl Place<'_> {
    /// An error at `span` of the front matter's TOML.
    pub(super) fn at(
        &self,
        span: Range<usize>,
        message: String,
        hint: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::error(message)
            .in_file(self.file)
            .at(self.source, self.toml_start + span.start, span.len().max(1))
            .hint(hint)
    }

    /// The `[service]` header line, for problems of the table as a whole.
    fn table(&self, message: String, hint: impl Into<String>) -> Diagnostic {
        let toml = &self.source[self.toml_start..];
        let start = toml.find("[service]").unwrap_or(0);
        self.at(start..start + 9, message, hint)
    }
}

/// Checks `fields`. A table with a `country` is a main file; one without
/// is a translation and may only set texts.
pub fn check(
    fields: &ServiceFields,
    place: &Place,
    settings: &ServiceSettings,
) -> (Option<Part>, Findings) {
    let mut found = Findings::default();
    if fields.country.is_none() {
        let part = texts(fields, place, &mut found);
        return (Some(Part::Texts(part)), found);
    }
    let listing = listing(fields, place, settings, &mut found);
    let part = if found.errors.is_empty() {
        Some(Part::Listing(Arc::new(listing)))
    } else {
        None
    };
    (part, found)
}

fn texts(fields: &ServiceFields, place: &Place, found: &mut Findings) -> Texts {
    let structured = fields.structured_keys();
    if !structured.is_empty() {
        found.errors.push(place.table(
            format!(
                "this listing has no `country`, so it is read as a translation, but it sets {}",
                structured.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ),
            format!(
                "in the listing's main file, add `country = \"KG\"` (its ISO code); in a translation, \
                 set only texts ({}) and leave the rest to the main file",
                TEXT_KEYS.join(", ")
            ),
        ));
    }
    Texts {
        organisation: fields.organisation.as_ref().map(|o| o.get_ref().clone()),
        region: fields.region.clone(),
        city: fields.city.clone(),
        address: fields.address.clone(),
        labels: fields.labels.clone(),
    }
}

fn listing(
    f: &ServiceFields,
    place: &Place,
    settings: &ServiceSettings,
    found: &mut Findings,
) -> Listing {
    let errors = &mut found.errors;
    let organisation = match &f.organisation {
        Some(o) if !o.get_ref().trim().is_empty() => o.get_ref().trim().to_string(),
        _ => {
            errors.push(place.table(
                "this listing does not say which organisation runs the service".into(),
                "add `organisation = \"…\"` under [service]",
            ));
            String::new()
        }
    };
    let country = f.country.as_ref().map_or_else(String::new, |c| {
        let code = c.get_ref().trim();
        if !taxonomy::is_country(code) {
            let hint = if taxonomy::is_country(&code.to_uppercase()) {
                format!("write it in capitals: country = \"{}\"", code.to_uppercase())
            } else {
                "use the two-letter ISO 3166-1 code, e.g. \"KG\" for Kyrgyzstan, \"AF\" for Afghanistan".into()
            };
            errors.push(place.at(c.span(), format!("unknown country code `{code}`"), hint));
        }
        code.to_string()
    });
    let categories = categories(f, place, errors);
    let phones = phones(f, place, &country, errors);
    let channels = f
        .channels
        .as_ref()
        .map(|c| super::channels::check(c.get_ref(), place, errors))
        .unwrap_or_default();
    let hours = service_hours(f, place, errors);
    let languages = codes(
        &f.languages,
        place,
        errors,
        "language",
        taxonomy::is_language,
        "use ISO 639-1 codes such as \"ru\", \"ky\", \"uz\", \"fa-AF\" (Dari), \"ps\"",
    );
    let audience = audience(f, place, errors);
    check_ages(f, place, errors);
    let website = f
        .website
        .as_ref()
        .and_then(|w| super::channels::web_address(w, place, errors));
    let address = match f.address.as_deref().map(str::trim) {
        None | Some("") => Address::None,
        Some(a) if a.eq_ignore_ascii_case("withheld") => Address::Withheld,
        Some(a) => Address::Given(a.to_string()),
    };
    if phones.is_empty() && channels.is_empty() && !f.in_person && website.is_none() {
        errors.push(place.table(
            "this listing gives no way to reach the service".into(),
            "add a phone ([[service.phones]] with number = \"+…\"), a channel under \
             [service.channels], a website, or in_person = true",
        ));
    }
    if !f.labels.is_empty() {
        errors.push(place.table(
            "`labels` is for translations".into(),
            "in the main file, give each phone its own `label = \"…\"` under [[service.phones]]",
        ));
    }
    let (verified, stale) = verified(f, place, settings, found);
    Listing {
        organisation,
        categories,
        country,
        region: f.region.clone().filter(|r| !r.trim().is_empty()),
        city: f.city.clone().filter(|c| !c.trim().is_empty()),
        address,
        in_person: f.in_person,
        phones,
        channels,
        hours,
        free: f.free,
        confidential: f.confidential,
        anonymous: f.anonymous,
        languages,
        audience,
        age_min: f.age_min.as_ref().map(|a| *a.get_ref()),
        age_max: f.age_max.as_ref().map(|a| *a.get_ref()),
        website,
        verified,
        stale,
        example: f.example,
    }
}

fn categories(f: &ServiceFields, place: &Place, errors: &mut Vec<Diagnostic>) -> Vec<&'static str> {
    let known: Vec<&str> = taxonomy::CATEGORIES.iter().map(|c| c.code).collect();
    let Some(list) = f.categories.as_ref().filter(|l| !l.get_ref().is_empty()) else {
        errors.push(place.table(
            "this listing has no category".into(),
            format!(
                "add e.g. categories = [\"hotline\"]; categories: {}",
                known.join(", ")
            ),
        ));
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in list.get_ref() {
        match taxonomy::category(c.get_ref().trim()) {
            Some(cat) if !out.contains(&cat.code) => out.push(cat.code),
            Some(_) => {}
            None => {
                let hint = match crate::diagnostics::did_you_mean(c.get_ref(), &known) {
                    Some(near) => {
                        format!("did you mean \"{near}\"? Categories: {}", known.join(", "))
                    }
                    None => format!("use one of: {}", known.join(", ")),
                };
                errors.push(place.at(
                    c.span(),
                    format!("unknown category `{}`", c.get_ref()),
                    hint,
                ));
            }
        }
    }
    out
}

fn phones(
    f: &ServiceFields,
    place: &Place,
    country: &str,
    errors: &mut Vec<Diagnostic>,
) -> Vec<PhoneLine> {
    let mut out = Vec::new();
    for p in &f.phones {
        let number = p.number.get_ref();
        let checked = match phone::international(number) {
            Ok(checked) => checked,
            Err(why) => {
                errors.push(place.at(
                    p.number.span(),
                    format!("`{number}` is not a phone number in international form: {why}"),
                    "write + and the country code, then the number, e.g. \"+996 312 000 000\"",
                ));
                continue;
            }
        };
        if let Some(code) = taxonomy::calling_code(country)
            && !phone::has_calling_code(&checked.dial, code)
        {
            errors.push(place.at(
                p.number.span(),
                format!("`{number}` does not start with +{code}, the calling code of {country}"),
                format!("check the number; numbers in {country} start with +{code}"),
            ));
        }
        let hours = p.hours.as_ref().and_then(|h| parse_hours(h, place, errors));
        out.push(PhoneLine {
            phone: checked,
            label: p.label.clone().filter(|l| !l.trim().is_empty()),
            hours,
        });
    }
    out
}

fn parse_hours(
    h: &Spanned<String>,
    place: &Place,
    errors: &mut Vec<Diagnostic>,
) -> Option<hours::Hours> {
    hours::parse(h.get_ref())
        .map_err(|why| {
            errors.push(place.at(
                h.span(),
                format!("these opening hours cannot be read: {why}"),
                "write days and times like \"mon-fri 09:00-18:00; sat 10:00-14:00\", or \"24/7\"",
            ))
        })
        .ok()
}

fn service_hours(
    f: &ServiceFields,
    place: &Place,
    errors: &mut Vec<Diagnostic>,
) -> Option<hours::Hours> {
    let parsed = f.hours.as_ref().and_then(|h| parse_hours(h, place, errors));
    match (f.open_24_7, parsed) {
        (true, Some(h)) if !h.always => {
            let span = f.hours.as_ref().map_or(0..0, |h| h.span());
            errors.push(place.at(
                span,
                "this listing is open 24/7 and also gives opening hours".into(),
                "remove `hours`, or remove `open_24_7 = true` if it is not open day and night",
            ));
            None
        }
        (true, _) => Some(hours::Hours {
            always: true,
            groups: Vec::new(),
        }),
        (false, parsed) => parsed,
    }
}

fn codes(
    list: &Option<Spanned<Vec<Spanned<String>>>>,
    place: &Place,
    errors: &mut Vec<Diagnostic>,
    what: &str,
    known: fn(&str) -> bool,
    hint: &str,
) -> Vec<String> {
    let mut out = Vec::new();
    for code in list.iter().flat_map(|l| l.get_ref()) {
        let c = code.get_ref().trim();
        if known(c) {
            if !out.iter().any(|o| o == c) {
                out.push(c.to_string());
            }
        } else {
            errors.push(place.at(code.span(), format!("unknown {what} code `{c}`"), hint));
        }
    }
    out
}

fn audience(f: &ServiceFields, place: &Place, errors: &mut Vec<Diagnostic>) -> Vec<&'static str> {
    let mut out = Vec::new();
    for a in f.audience.iter().flat_map(|l| l.get_ref()) {
        match taxonomy::AUDIENCES
            .iter()
            .find(|k| **k == a.get_ref().trim())
        {
            Some(k) if !out.contains(k) => out.push(*k),
            Some(_) => {}
            None => errors.push(place.at(
                a.span(),
                format!("unknown group `{}` in `for`", a.get_ref()),
                format!(
                    "use some of: {}; leave `for` out if the service is for everyone",
                    taxonomy::AUDIENCES.join(", ")
                ),
            )),
        }
    }
    out
}

fn check_ages(f: &ServiceFields, place: &Place, errors: &mut Vec<Diagnostic>) {
    for age in [&f.age_min, &f.age_max].into_iter().flatten() {
        if !(0..=120).contains(age.get_ref()) {
            errors.push(place.at(
                age.span(),
                format!("{} is not an age", age.get_ref()),
                "write an age in years, 0 to 120",
            ));
        }
    }
    if let (Some(min), Some(max)) = (&f.age_min, &f.age_max)
        && min.get_ref() > max.get_ref()
    {
        errors.push(place.at(
            max.span(),
            format!(
                "age_max ({}) is below age_min ({})",
                max.get_ref(),
                min.get_ref()
            ),
            "swap the two ages, or remove one",
        ));
    }
}

fn verified(
    f: &ServiceFields,
    place: &Place,
    settings: &ServiceSettings,
    found: &mut Findings,
) -> (String, bool) {
    let Some(v) = &f.verified else {
        found.errors.push(place.table(
            "this listing does not say when it was last checked".into(),
            "call the service, check every detail, then add `verified = 2026-11-25` (the day you checked)",
        ));
        return (String::new(), false);
    };
    let Some(date) = v.get_ref().date.as_ref() else {
        found.errors.push(place.at(
            v.span(),
            "`verified` needs a date".into(),
            "write it as verified = 2026-11-25",
        ));
        return (String::new(), false);
    };
    let day = Day::from(date);
    if day > settings.today {
        found.errors.push(place.at(
            v.span(),
            format!("`verified` is in the future ({})", day.iso()),
            "write the day the listing was actually checked",
        ));
    }
    let stale = day < settings.stale_before;
    if stale {
        let mut w = place.at(
            v.span(),
            format!(
                "this listing was last checked on {}, more than {} months ago",
                day.iso(),
                settings.max_age_months
            ),
            "call the service to check its numbers and hours, then update `verified`; readers see a notice until then",
        );
        w.severity = crate::diagnostics::Severity::Warning;
        found.warnings.push(w);
    }
    (day.iso(), stale)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::fields::ServiceFields;

    fn run(service: &str) -> (Option<Part>, Findings) {
        let source = format!("+++\ntitle = \"x\"\n[service]\n{service}\n+++\n");
        #[derive(serde::Deserialize)]
        struct Front {
            service: ServiceFields,
        }
        let toml_start = 4;
        let front: Front = toml::from_str(&source[toml_start..source.len() - 4]).unwrap();
        let place = Place {
            source: &source,
            toml_start,
            file: Path::new("s.md"),
        };
        check(&front.service, &place, &ServiceSettings::default())
    }

    fn listing(service: &str) -> Arc<Listing> {
        let base = "organisation = \"O\"\ncategories = [\"hotline\"]\ncountry = \"KG\"\nverified = 2020-01-01\n";
        match run(&format!("{base}{service}")) {
            (Some(Part::Listing(l)), f) if f.errors.is_empty() => l,
            (_, f) => panic!(
                "{:?}",
                f.errors.iter().map(|e| e.to_string()).collect::<Vec<_>>()
            ),
        }
    }

    fn errors(service: &str) -> String {
        run(service)
            .1
            .errors
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn channels_become_links_and_readable_names() {
        let l = listing(
            "[service.channels]\ntelegram = \"https://t.me/help_line\"\nsms = \"+996 000 000 009\"\n\
             signal = \"+996000000008\"\nwebchat = \"https://chat.example.org/x\"\nemail = \"a@b.org\"",
        );
        let links: Vec<(&str, &str, &str)> = l
            .channels
            .iter()
            .map(|c| (c.kind, c.display.as_str(), c.href.as_str()))
            .collect();
        assert_eq!(
            links,
            [
                ("sms", "+996 000 000 009", "sms:+996000000009"),
                ("telegram", "@help_line", "https://t.me/help_line"),
                (
                    "signal",
                    "+996000000008",
                    "https://signal.me/#p/+996000000008"
                ),
                ("email", "a@b.org", "mailto:a@b.org"),
                (
                    "webchat",
                    "https://chat.example.org/x",
                    "https://chat.example.org/x"
                ),
            ]
        );
        assert!(l.stale, "2020 is more than 6 months ago");
    }

    #[test]
    fn bad_channels_and_fields_are_refused() {
        let e = errors(
            "organisation = \"O\"\ncategories = [\"hotline\"]\ncountry = \"kg\"\nverified = 2026-01-01\n\
             website = \"example.org\"\nage_min = 18\nage_max = 12\nfor = [\"woman\"]\nlabels = [\"x\"]\n\
             [service.channels]\ntelegram = \"@a b\"\nemail = \"not-an-address\"",
        );
        for part in [
            "write it in capitals: country = \"KG\"",
            "`example.org` is not a web address",
            "age_max (12) is below age_min (18)",
            "unknown group `woman`",
            "`labels` is for translations",
            "is not a Telegram user name",
            "`not-an-address` is not an e-mail address",
        ] {
            assert!(e.contains(part), "missing {part:?} in\n{e}");
        }
    }

    #[test]
    fn a_table_without_country_is_a_translation() {
        let (part, found) = run("organisation = \"Ӯ\"\nlabels = [\"Телефон\"]");
        assert!(found.errors.is_empty());
        let Some(Part::Texts(t)) = part else {
            panic!("{part:?}")
        };
        assert_eq!(t.organisation.as_deref(), Some("Ӯ"));
        assert_eq!(t.labels, ["Телефон"]);
    }

    #[test]
    fn open_24_7_and_hours_together_are_a_contradiction() {
        let e = errors(
            "organisation = \"O\"\ncategories = [\"hotline\"]\ncountry = \"KG\"\nverified = 2026-01-01\n\
             in_person = true\nopen_24_7 = true\nhours = \"mon 09:00-10:00\"",
        );
        assert!(e.contains("open 24/7 and also gives opening hours"), "{e}");
        assert!(e.contains("s.md:10:"), "{e}");
    }
}
