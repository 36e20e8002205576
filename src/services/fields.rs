//! The `[service]` table of a listing's front matter, as serde reads it.
//! Values that can be wrong keep their place in the file ([`Spanned`]), so
//! that errors point at the line to fix. [`super::check`] turns these raw
//! fields into a checked [`super::Listing`].

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

/// `[service]`: everything about one service except its name (`title`),
/// short description (`summary`) and "how to get help" text (the body).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceFields {
    /// Who runs the service.
    pub organisation: Option<Spanned<String>>,
    /// Categories from the taxonomy, e.g. `["hotline", "legal-aid"]`.
    pub categories: Option<Spanned<Vec<Spanned<String>>>>,
    /// ISO 3166-1 alpha-2 code, e.g. `KG`.
    pub country: Option<Spanned<String>>,
    /// Region, province or oblast.
    pub region: Option<String>,
    /// City or town.
    pub city: Option<String>,
    /// Street address, or `"withheld"` for places that keep it secret.
    pub address: Option<String>,
    /// Readers can come in person (at the address, or by appointment).
    #[serde(default)]
    pub in_person: bool,
    /// Phone numbers in international form.
    #[serde(default)]
    pub phones: Vec<PhoneFields>,
    /// Messenger, e-mail and web links.
    pub channels: Option<Spanned<ChannelFields>>,
    /// Opening hours, e.g. `"mon-fri 09:00-18:00; sat 10:00-14:00"`.
    pub hours: Option<Spanned<String>>,
    /// Open day and night, every day.
    #[serde(default)]
    pub open_24_7: bool,
    /// Free of charge.
    #[serde(default)]
    pub free: bool,
    /// Confidential.
    #[serde(default)]
    pub confidential: bool,
    /// Can be used without giving a name.
    #[serde(default)]
    pub anonymous: bool,
    /// Languages spoken, as codes: `["ky", "ru"]`.
    pub languages: Option<Spanned<Vec<Spanned<String>>>>,
    /// Who it is for: `women`, `girls`, `children`, … (empty: everyone).
    #[serde(rename = "for")]
    pub audience: Option<Spanned<Vec<Spanned<String>>>>,
    /// Youngest age served.
    pub age_min: Option<Spanned<i64>>,
    /// Oldest age served.
    pub age_max: Option<Spanned<i64>>,
    /// The service's own website.
    pub website: Option<Spanned<String>>,
    /// When someone last checked that the listing is right.
    pub verified: Option<Spanned<Datetime>>,
    /// Example data: shown with a warning not to call.
    #[serde(default)]
    pub example: bool,
    /// In translations: the phone labels in this language, in order.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// Keys of `[service]`, for "did you mean" hints.
pub const SERVICE_KEYS: &[&str] = &[
    "organisation",
    "categories",
    "country",
    "region",
    "city",
    "address",
    "in_person",
    "phones",
    "channels",
    "hours",
    "open_24_7",
    "free",
    "confidential",
    "anonymous",
    "languages",
    "for",
    "age_min",
    "age_max",
    "website",
    "verified",
    "example",
    "labels",
];

/// The keys a translation may set: the texts. Everything else comes from
/// the listing's main file.
pub const TEXT_KEYS: &[&str] = &["organisation", "region", "city", "address", "labels"];

/// One `[[service.phones]]` entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneFields {
    /// The number, with country code: `+996 312 000 000`.
    pub number: Spanned<String>,
    /// What the number is for, e.g. "Hotline".
    pub label: Option<String>,
    /// When it answers, in the same form as `hours`, or `"24/7"`.
    pub hours: Option<Spanned<String>>,
}

/// Keys of a phone entry.
pub const PHONE_KEYS: &[&str] = &["number", "label", "hours"];

/// `[service.channels]`: other ways to reach the service.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelFields {
    /// A number that takes text messages.
    pub sms: Option<Spanned<String>>,
    /// A WhatsApp number.
    pub whatsapp: Option<Spanned<String>>,
    /// A Telegram user name (`@name`) or `https://t.me/…` link.
    pub telegram: Option<Spanned<String>>,
    /// A Signal number.
    pub signal: Option<Spanned<String>>,
    /// An e-mail address.
    pub email: Option<Spanned<String>>,
    /// A web chat address (`https://…`).
    pub webchat: Option<Spanned<String>>,
}

/// Keys of `[service.channels]`.
pub const CHANNEL_KEYS: &[&str] = &["sms", "whatsapp", "telegram", "signal", "email", "webchat"];

impl ServiceFields {
    /// The keys set that a translation may not set (structured fields).
    pub fn structured_keys(&self) -> Vec<&'static str> {
        let mut keys = Vec::new();
        let mut add = |set: bool, key| {
            if set {
                keys.push(key);
            }
        };
        add(self.categories.is_some(), "categories");
        add(self.country.is_some(), "country");
        add(self.in_person, "in_person");
        add(!self.phones.is_empty(), "phones");
        add(self.channels.is_some(), "channels");
        add(self.hours.is_some(), "hours");
        add(self.open_24_7, "open_24_7");
        add(self.free, "free");
        add(self.confidential, "confidential");
        add(self.anonymous, "anonymous");
        add(self.languages.is_some(), "languages");
        add(self.audience.is_some(), "for");
        add(self.age_min.is_some(), "age_min");
        add(self.age_max.is_some(), "age_max");
        add(self.website.is_some(), "website");
        add(self.verified.is_some(), "verified");
        add(self.example, "example");
        keys
    }
}
