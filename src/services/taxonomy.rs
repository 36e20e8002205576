//! The fixed vocabularies of the directory: categories and the sectors
//! above them, who a service is for, emergency-number kinds, and the code
//! lists listings are checked against (ISO 3166-1 countries, ISO 639-1
//! languages). Names readers see live in the locale files, under keys made
//! here (`category_hotline`, `country_KG`, …), so each language can
//! translate them.

/// The sectors of the UN Essential Services Package, in display order.
pub const SECTORS: &[&str] = &["health", "justice", "social", "coordination"];

/// A category readers look for, and the sector it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Category {
    /// Code used in listings and URLs.
    pub code: &'static str,
    /// Its sector.
    pub sector: &'static str,
}

/// Every category, in display order.
pub const CATEGORIES: &[Category] = &[
    Category {
        code: "hotline",
        sector: "social",
    },
    Category {
        code: "crisis-centre",
        sector: "coordination",
    },
    Category {
        code: "shelter",
        sector: "social",
    },
    Category {
        code: "psychological-support",
        sector: "social",
    },
    Category {
        code: "legal-aid",
        sector: "justice",
    },
    Category {
        code: "medical-care",
        sector: "health",
    },
    Category {
        code: "police",
        sector: "justice",
    },
    Category {
        code: "social-support",
        sector: "social",
    },
    Category {
        code: "children",
        sector: "social",
    },
];

/// The category with this code.
pub fn category(code: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.code == code)
}

/// Who a service is for.
pub const AUDIENCES: &[&str] = &[
    "women",
    "girls",
    "children",
    "young-people",
    "men",
    "families",
];

/// Kinds of national emergency number, in display order.
pub const EMERGENCY_KINDS: &[&str] = &[
    "emergency",
    "police",
    "ambulance",
    "fire",
    "women",
    "children",
];

/// The locale key naming a category.
pub fn category_key(code: &str) -> String {
    format!("category_{}", code.replace('-', "_"))
}

/// The locale key naming a sector.
pub fn sector_key(code: &str) -> String {
    format!("sector_{code}")
}

/// The locale key naming an audience.
pub fn audience_key(code: &str) -> String {
    format!("for_{}", code.replace('-', "_"))
}

/// The locale key naming a country.
pub fn country_key(code: &str) -> String {
    format!("country_{code}")
}

/// The locale key naming an emergency-number kind.
pub fn emergency_key(code: &str) -> String {
    format!("emergency_{code}")
}

/// ISO 3166-1 alpha-2 codes of every country and territory.
const COUNTRIES: &str = "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ \
BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK \
DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW \
GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB \
LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC \
NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC \
SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ \
UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

/// True for an ISO 3166-1 alpha-2 code (upper case).
pub fn is_country(code: &str) -> bool {
    code.len() == 2 && COUNTRIES.split(' ').any(|c| c == code)
}

/// ISO 639-1 codes of every language.
const LANGUAGES: &str = "aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co \
cr cs cu cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr \
ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg \
li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi \
pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl \
tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu";

/// True for a language code a listing may name: an ISO 639-1 code,
/// optionally with a script or region (`uz-Cyrl`, `fa-AF`), or the sign
/// language code `sgn`.
pub fn is_language(code: &str) -> bool {
    let mut parts = code.split('-');
    let base = parts.next().unwrap_or_default();
    let known = base == "sgn" || (base.len() == 2 && LANGUAGES.split(' ').any(|l| l == base));
    known
        && parts.all(|p| {
            (p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()))
                || (p.len() == 4
                    && p.starts_with(|c: char| c.is_ascii_uppercase())
                    && p[1..].chars().all(|c| c.is_ascii_lowercase()))
        })
}

/// International calling codes of the countries glimmer's campaigns work
/// in and their neighbours, to catch a number typed with the wrong code.
const CALLING_CODES: &[(&str, &str)] = &[
    ("AF", "93"),
    ("CN", "86"),
    ("IR", "98"),
    ("KG", "996"),
    ("KZ", "7"),
    ("PK", "92"),
    ("RU", "7"),
    ("TJ", "992"),
    ("TM", "993"),
    ("UZ", "998"),
];

/// The calling code of `country`, when known.
pub fn calling_code(country: &str) -> Option<&'static str> {
    CALLING_CODES
        .iter()
        .find(|(c, _)| *c == country)
        .map(|(_, code)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_lists_are_complete_and_strict() {
        assert_eq!(COUNTRIES.split(' ').count(), 249);
        assert_eq!(LANGUAGES.split(' ').count(), 183);
        assert!(is_country("KG") && is_country("AF") && !is_country("kg") && !is_country("XX"));
        for ok in ["ru", "fa-AF", "uz-Cyrl", "sgn", "ky"] {
            assert!(is_language(ok), "{ok}");
        }
        for bad in ["prs", "russian", "RU", "uz-cyrl", "fa-af", ""] {
            assert!(!is_language(bad), "{bad}");
        }
    }

    #[test]
    fn every_category_has_a_known_sector() {
        for c in CATEGORIES {
            assert!(SECTORS.contains(&c.sector), "{}", c.code);
        }
        assert_eq!(category("legal-aid").unwrap().sector, "justice");
        assert_eq!(category_key("legal-aid"), "category_legal_aid");
    }
}
