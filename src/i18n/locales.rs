//! UI strings: `locales/LANG.toml` per language, from the site's `locales/`
//! over the embedded defaults, key by key. A missing key falls back along
//! the language's fallback chain and is reported as a warning; plural forms
//! follow CLDR's categories through ICU4X.

use crate::config::{Language, Settings};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::embedded;
use icu_decimal::DecimalFormatter;
use icu_plurals::{PluralCategory, PluralRuleType, PluralRules};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// One UI string: plain text, or one text per plural category.
#[derive(Debug, Clone)]
pub enum Message {
    /// The same text whatever the number.
    Text(String),
    /// Texts by CLDR category name (`one`, `few`, `many`, `other`…).
    Plural(BTreeMap<String, String>),
}

/// The UI strings of one language.
struct Strings {
    messages: BTreeMap<String, Message>,
    language_names: BTreeMap<String, String>,
    plurals: Option<PluralRules>,
    /// Prints numbers with the language's digits (۱۲ in Dari and Pashto).
    numbers: Option<DecimalFormatter>,
}

/// UI strings of every language of the site.
pub struct Locales {
    langs: Vec<Strings>,
    chains: Vec<Vec<usize>>,
    endonyms: Vec<(String, String)>,
}

const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

impl Locales {
    /// Loads the strings of every configured language, reporting problems.
    pub fn load(settings: &Settings, diags: &mut Diagnostics) -> Locales {
        let langs = settings
            .languages
            .iter()
            .map(|l| load_language(settings, l, diags))
            .collect::<Vec<_>>();
        let locales = Locales {
            chains: settings
                .languages
                .iter()
                .map(|l| l.chain().collect())
                .collect(),
            endonyms: settings
                .languages
                .iter()
                .map(|l| (l.code.clone(), l.name.clone()))
                .collect(),
            langs,
        };
        locales.report_missing(settings, diags);
        locales
    }

    fn report_missing(&self, settings: &Settings, diags: &mut Diagnostics) {
        let all: BTreeSet<&String> = self.langs.iter().flat_map(|s| s.messages.keys()).collect();
        for (i, lang) in settings.languages.iter().enumerate() {
            let missing: Vec<&str> = all
                .iter()
                .filter(|k| !self.langs[i].messages.contains_key(**k))
                .map(|k| k.as_str())
                .collect();
            // A language with no strings at all has its own warning.
            if missing.is_empty() || self.langs[i].messages.is_empty() {
                continue;
            }
            let used = self.chains[i][1..]
                .first()
                .map_or("nothing".to_string(), |&f| {
                    settings.languages[f].code.clone()
                });
            diags.push(
                Diagnostic::warning(format!(
                    "{} UI string(s) missing for `{}`: {}",
                    missing.len(),
                    lang.code,
                    missing.join(", ")
                ))
                .in_file(format!("locales/{}.toml", lang.code))
                .hint(format!(
                    "readers see these in the fallback language ({used} first); add the keys to translate them"
                )),
            );
        }
    }

    /// The UI string `key` for language `lang`, with `{n}` and the other
    /// `args` filled in. `None` when no language in the chain has it.
    pub fn get(
        &self,
        lang: usize,
        key: &str,
        n: Option<f64>,
        args: &[(&str, String)],
    ) -> Option<String> {
        let (found_in, message) = self.chains[lang]
            .iter()
            .find_map(|&l| self.langs[l].messages.get(key).map(|m| (l, m)))?;
        let template = match message {
            Message::Text(t) => t.as_str(),
            Message::Plural(forms) => {
                let category = n.map_or("other", |n| self.category(found_in, n));
                forms.get(category).or_else(|| forms.get("other"))?.as_str()
            }
        };
        let mut text = template.to_string();
        if let Some(n) = n {
            text = text.replace("{n}", &self.number(lang, n));
        }
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        Some(text)
    }

    fn category(&self, lang: usize, n: f64) -> &'static str {
        let Some(rules) = &self.langs[lang].plurals else {
            return "other";
        };
        let category = if n.fract() == 0.0 && n.abs() < 1e15 {
            rules.category_for(n as i64)
        } else {
            match n.to_string().parse::<fixed_decimal::Decimal>() {
                Ok(d) => rules.category_for(&d),
                Err(_) => PluralCategory::Other,
            }
        };
        category_name(category)
    }

    /// The name of language `code` in the UI language `lang` ("русский" in
    /// Russian UI), falling back to the language's own name.
    pub fn language_name(&self, lang: usize, code: &str) -> String {
        self.chains[lang]
            .iter()
            .find_map(|&l| self.langs[l].language_names.get(code))
            .cloned()
            .or_else(|| {
                self.endonyms
                    .iter()
                    .find(|(c, _)| c == code)
                    .map(|(_, n)| n.clone())
            })
            .unwrap_or_else(|| code.to_string())
    }
}

impl Locales {
    /// `n` written with the digits of UI language `lang`: `12` in English,
    /// `۱۲` in Dari.
    pub fn number(&self, lang: usize, n: f64) -> String {
        let plain = if n.fract() == 0.0 {
            format!("{}", n as i64)
        } else {
            n.to_string()
        };
        match (
            &self.langs[lang].numbers,
            plain.parse::<fixed_decimal::Decimal>(),
        ) {
            (Some(f), Ok(d)) => f.format(&d).to_string(),
            _ => plain,
        }
    }
}

fn category_name(c: PluralCategory) -> &'static str {
    match c {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        PluralCategory::Other => "other",
    }
}

fn load_language(settings: &Settings, lang: &Language, diags: &mut Diagnostics) -> Strings {
    let plurals = PluralRules::try_new((&lang.locale).into(), PluralRuleType::Cardinal.into()).ok();
    let numbers = DecimalFormatter::try_new((&lang.locale).into(), Default::default()).ok();
    let mut strings = Strings {
        messages: BTreeMap::new(),
        language_names: BTreeMap::new(),
        plurals,
        numbers,
    };
    let name = format!("locales/{}.toml", lang.code);
    if let Some(bytes) = embedded::get(&name) {
        let text = String::from_utf8_lossy(bytes);
        merge(
            &mut strings,
            &text,
            PathBuf::from(format!("(built-in) {name}")),
            diags,
        );
    }
    let site_file = settings.root.join(&name);
    if site_file.is_file() {
        match std::fs::read_to_string(&site_file) {
            Ok(text) => merge(&mut strings, &text, PathBuf::from(&name), diags),
            Err(e) => {
                diags.push(Diagnostic::error(format!("cannot read this file: {e}")).in_file(&name))
            }
        }
    }
    if strings.messages.is_empty() && lang.index != 0 {
        diags.push(
            Diagnostic::warning(format!("no UI strings for language `{}`", lang.code))
                .in_file(&name)
                .hint("copy locales/en.toml to this name and translate it"),
        );
    }
    check_plural_forms(&strings, lang, &name, diags);
    strings
}

fn merge(strings: &mut Strings, text: &str, file: PathBuf, diags: &mut Diagnostics) {
    let table: toml::Table = match toml::from_str(text) {
        Ok(t) => t,
        Err(e) => {
            diags.push(crate::diagnostics::from_toml_error(&e, &file, text, 0, &[]));
            return;
        }
    };
    for (key, value) in table {
        let at = text
            .find(&format!("{key} "))
            .or_else(|| text.find(&key))
            .unwrap_or(0);
        let bad = |what: &str| {
            Diagnostic::error(format!("UI string `{key}` {what}"))
                .in_file(&file)
                .at(text, at, key.len())
        };
        match value {
            toml::Value::String(s) => {
                strings.messages.insert(key, Message::Text(s));
            }
            toml::Value::Table(t) if key == "languages" => {
                for (code, name) in t {
                    if let toml::Value::String(name) = name {
                        strings.language_names.insert(code, name);
                    }
                }
            }
            toml::Value::Table(t) => {
                let mut forms = BTreeMap::new();
                for (cat, v) in t {
                    match v {
                        toml::Value::String(s) if CATEGORIES.contains(&cat.as_str()) => {
                            forms.insert(cat, s);
                        }
                        _ => diags.push(bad(&format!("has `{cat}`, which is not a plural category with text")).hint(
                            "plural tables use zero, one, two, few, many and other, each with text in quotes",
                        )),
                    }
                }
                if !forms.contains_key("other") {
                    diags.push(
                        bad("has no `other` form")
                            .hint("add other = \"…\": it is used for any number"),
                    );
                }
                strings.messages.insert(key, Message::Plural(forms));
            }
            _ => diags.push(bad("is neither text nor a plural table").hint("write key = \"text\"")),
        }
    }
}

fn check_plural_forms(strings: &Strings, lang: &Language, file: &str, diags: &mut Diagnostics) {
    let Some(rules) = &strings.plurals else {
        return;
    };
    let needed: Vec<&str> = rules.categories().map(category_name).collect();
    for (key, message) in &strings.messages {
        if let Message::Plural(forms) = message {
            let missing: Vec<&str> = needed
                .iter()
                .copied()
                .filter(|c| !forms.contains_key(*c))
                .collect();
            if !missing.is_empty() {
                diags.push(
                    Diagnostic::warning(format!(
                        "UI string `{key}` lacks the plural form(s) {} that {} uses",
                        missing.join(", "),
                        lang.code
                    ))
                    .in_file(file)
                    .hint("add them, or numbers in those categories use the `other` form"),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{BuildOptions, RawConfig};

    fn settings(codes: &[(&str, &[&str])]) -> Settings {
        let mut toml = String::from("base_url = \"https://x.org\"\n");
        for (code, fallback) in codes {
            toml.push_str(&format!(
                "[[languages]]\ncode = \"{code}\"\nname = \"{code}\"\ntitle = \"t\"\nfallback = {fallback:?}\n"
            ));
        }
        let _: RawConfig = toml::from_str(&toml).unwrap();
        let dir = tempfile::tempdir().unwrap().keep();
        std::fs::write(dir.join("glimmer.toml"), &toml).unwrap();
        crate::config::load(&BuildOptions {
            root: dir,
            ..Default::default()
        })
        .unwrap()
    }

    #[test]
    fn russian_plurals_pick_cldr_categories() {
        let s = settings(&[("en", &[]), ("ru", &[])]);
        let mut d = Diagnostics::new();
        let l = Locales::load(&s, &mut d);
        let forms: Vec<String> = [1.0, 2.0, 5.0, 11.0, 21.0, 1.5]
            .iter()
            .map(|&n| l.get(1, "stories_count", Some(n), &[]).unwrap())
            .collect();
        assert_eq!(
            forms,
            [
                "1 история",
                "2 истории",
                "5 историй",
                "11 историй",
                "21 история",
                "1,5 истории"
            ]
        );
        assert_eq!(
            l.get(0, "stories_count", Some(1.0), &[]).unwrap(),
            "1 story"
        );
    }

    #[test]
    fn numbers_use_the_language_digits() {
        let s = settings(&[("en", &[]), ("fa-AF", &[]), ("ps", &[])]);
        let l = Locales::load(&s, &mut Diagnostics::new());
        assert_eq!(
            l.get(0, "stories_count", Some(12.0), &[]).unwrap(),
            "12 stories"
        );
        assert!(
            l.get(1, "stories_count", Some(12.0), &[])
                .unwrap()
                .contains("۱۲")
        );
        assert!(
            l.get(2, "stories_count", Some(12.0), &[])
                .unwrap()
                .contains("۱۲")
        );
    }

    #[test]
    fn missing_language_falls_back_with_a_warning() {
        let s = settings(&[("en", &[]), ("ru", &[]), ("tk", &["ru"])]);
        let mut d = Diagnostics::new();
        let l = Locales::load(&s, &mut d);
        assert_eq!(l.get(2, "home", None, &[]), l.get(1, "home", None, &[]));
        let text: String = d.iter().map(|d| d.to_string()).collect();
        assert!(text.contains("no UI strings for language `tk`"), "{text}");
        assert!(!text.contains("missing for `tk`"), "{text}");
    }

    #[test]
    fn every_campaign_locale_resolves_to_real_plural_data() {
        let codes = ["en", "ru", "kk", "ky", "tg", "uz", "fa-AF", "ps"];
        for code in codes {
            let locale: icu_locale::Locale = code.parse().unwrap();
            let rules =
                PluralRules::try_new((&locale).into(), PluralRuleType::Cardinal.into()).unwrap();
            assert!(
                rules.categories().count() >= 2,
                "{code} fell back to root plural data"
            );
        }
    }

    #[test]
    fn shipped_locales_are_complete_and_clean() {
        let codes: Vec<(&str, &[&str])> = ["en", "ru", "kk", "ky", "tg", "uz", "fa-AF", "ps"]
            .iter()
            .map(|c| (*c, &[] as &[&str]))
            .collect();
        let s = settings(&codes);
        let mut d = Diagnostics::new();
        let l = Locales::load(&s, &mut d);
        let text: String = d.iter().map(|d| d.to_string()).collect();
        assert!(d.is_empty(), "{text}");
        for i in 0..codes.len() {
            for (code, _) in &codes {
                assert_ne!(
                    l.language_name(i, code),
                    *code,
                    "{} lacks a name for {code}",
                    codes[i].0
                );
            }
        }
    }
}
