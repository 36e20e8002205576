//! `[services]` in `glimmer.toml`: where the directory lives, how old a
//! listing may get, and each country's emergency numbers.

use super::date::Day;
use super::phone::{self, Phone};
use super::taxonomy;
use crate::diagnostics::Diagnostic;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `[services]` as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServices {
    /// Folder under `content/` that holds the listings.
    #[serde(default = "default_section")]
    pub section: String,
    /// A listing last verified longer ago than this is reported.
    #[serde(default = "default_max_age")]
    pub max_age_months: u32,
    /// `[services.emergency.KG]`: kind = "number".
    #[serde(default)]
    pub emergency: BTreeMap<String, BTreeMap<String, String>>,
}

impl Default for RawServices {
    fn default() -> Self {
        RawServices {
            section: default_section(),
            max_age_months: default_max_age(),
            emergency: BTreeMap::new(),
        }
    }
}

fn default_section() -> String {
    "services".into()
}
fn default_max_age() -> u32 {
    6
}

/// The directory's settings, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceSettings {
    /// Folder under `content/`, without slashes.
    pub section: String,
    /// Maximum age of a listing's last check, in months.
    pub max_age_months: u32,
    /// Listings verified before this day are stale.
    pub stale_before: Day,
    /// Today, as the build sees it.
    pub today: Day,
    /// Emergency numbers per country, countries in code order.
    pub emergency: Vec<Emergency>,
}

/// A country's emergency numbers.
#[derive(Debug, Clone, PartialEq)]
pub struct Emergency {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Kind (`police`, …) and number, in [`taxonomy::EMERGENCY_KINDS`] order.
    pub numbers: Vec<(&'static str, Phone)>,
}

/// Checks `[services]`; `source` is the config text, for locations.
pub fn resolve(raw: RawServices, source: &str) -> Result<ServiceSettings, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let at = |needle: &str| source.find(needle).unwrap_or(0);
    let err = |msg: String, needle: &str, hint: String| {
        Diagnostic::error(msg)
            .in_file(crate::config::CONFIG_FILE)
            .at(source, at(needle), needle.len().max(1))
            .hint(hint)
    };
    let section = raw.section.trim_matches('/').to_string();
    if section.is_empty() || section.contains(['\\', '.']) {
        errors.push(err(
            format!("`{}` cannot be the directory's folder", raw.section),
            "section",
            "name a folder under content/, e.g. section = \"services\"".into(),
        ));
    }
    if raw.max_age_months == 0 {
        errors.push(err(
            "max_age_months must be at least 1".into(),
            "max_age_months",
            "set max_age_months = 6, or remove it to use 6".into(),
        ));
    }
    let mut emergency = Vec::new();
    for (country, numbers) in raw.emergency {
        if !taxonomy::is_country(&country) {
            errors.push(err(
                format!("unknown country code `{country}`"),
                &country,
                "use the two-letter ISO 3166-1 code in capitals, e.g. [services.emergency.KG]"
                    .into(),
            ));
            continue;
        }
        let mut checked = Vec::new();
        for kind in taxonomy::EMERGENCY_KINDS {
            if let Some(number) = numbers.get(*kind) {
                match phone::emergency(number) {
                    Ok(p) => checked.push((*kind, p)),
                    Err(why) => errors.push(err(
                        format!("`{number}` is not a phone number: {why}"),
                        number,
                        "write the short national number (112) or +, the country code and the number".into(),
                    )),
                }
            }
        }
        for kind in numbers
            .keys()
            .filter(|k| !taxonomy::EMERGENCY_KINDS.contains(&k.as_str()))
        {
            errors.push(err(
                format!("unknown kind of emergency number `{kind}`"),
                kind,
                format!("use one of: {}", taxonomy::EMERGENCY_KINDS.join(", ")),
            ));
        }
        emergency.push(Emergency {
            country,
            numbers: checked,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let today = Day::today();
    Ok(ServiceSettings {
        section,
        max_age_months: raw.max_age_months,
        stale_before: today.months_before(raw.max_age_months),
        today,
        emergency,
    })
}

impl Default for ServiceSettings {
    fn default() -> Self {
        resolve(RawServices::default(), "").expect("the defaults are valid")
    }
}
