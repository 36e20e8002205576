//! The service directory: listings of who helps, where and how to reach
//! them. A listing is a Markdown page under the directory's section
//! (`content/services/` by default) whose front matter has a `[service]`
//! table; its translations carry only texts and inherit the rest.
//!
//! This module owns the data: the schema ([`fields`]), the vocabularies
//! ([`taxonomy`]), checking ([`check`]) and the directory built from the
//! content tree ([`directory`]). Pages, JSON-LD and the JSON export are
//! made in `render::directory`; `glimmer import services` lives in
//! [`import`].

mod channels;
pub mod check;
pub mod csv;
pub mod date;
pub mod directory;
pub mod fields;
pub mod hours;
pub mod import;
pub mod phone;
pub mod settings;
pub mod taxonomy;

pub use check::check;
pub use directory::Directory;
pub use settings::ServiceSettings;

use hours::Hours;
use phone::Phone;
use std::sync::Arc;

/// A checked listing, from the main file of a service.
#[derive(Debug, Clone, PartialEq)]
pub struct Listing {
    /// Who runs the service.
    pub organisation: String,
    /// Category codes, in the order written.
    pub categories: Vec<&'static str>,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// Region, if given.
    pub region: Option<String>,
    /// City, if given.
    pub city: Option<String>,
    /// Street address, withheld, or not given.
    pub address: Address,
    /// Readers can come in person.
    pub in_person: bool,
    /// Phone numbers.
    pub phones: Vec<PhoneLine>,
    /// Other channels: SMS, messengers, e-mail, web chat.
    pub channels: Vec<Channel>,
    /// Opening hours, if given (`always` for 24/7).
    pub hours: Option<Hours>,
    /// Free of charge.
    pub free: bool,
    /// Confidential.
    pub confidential: bool,
    /// Anonymous.
    pub anonymous: bool,
    /// Language codes spoken.
    pub languages: Vec<String>,
    /// Audience codes.
    pub audience: Vec<&'static str>,
    /// Age limits.
    pub age_min: Option<i64>,
    /// Age limits.
    pub age_max: Option<i64>,
    /// Website.
    pub website: Option<String>,
    /// Last checked, `YYYY-MM-DD`.
    pub verified: String,
    /// Last checked longer ago than the site allows.
    pub stale: bool,
    /// Example data, not a real service.
    pub example: bool,
}

impl Listing {
    /// Open day and night.
    pub fn open_24_7(&self) -> bool {
        self.hours.as_ref().is_some_and(|h| h.always)
    }
}

/// A listing's address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// Not given.
    None,
    /// Kept secret (shelters).
    Withheld,
    /// Published.
    Given(String),
}

/// A phone number with what it is for and when it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct PhoneLine {
    /// The number.
    pub phone: Phone,
    /// Label in the main file's language.
    pub label: Option<String>,
    /// When it answers, if it differs from the service's hours.
    pub hours: Option<Hours>,
}

/// Another way to reach a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Channel {
    /// `sms`, `whatsapp`, `telegram`, `signal`, `email` or `webchat`.
    pub kind: &'static str,
    /// What readers see: a number, `@name`, an address.
    pub display: String,
    /// The link.
    pub href: String,
    /// Shown left-to-right in every language (numbers, addresses, URLs).
    pub ltr: bool,
}

/// The texts a translation gives for a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Texts {
    /// Organisation name.
    pub organisation: Option<String>,
    /// Region.
    pub region: Option<String>,
    /// City.
    pub city: Option<String>,
    /// Address (ignored when the main file withholds it).
    pub address: Option<String>,
    /// Phone labels, in the order of the main file's phones.
    pub labels: Vec<String>,
}

/// What a file contributes to a listing.
#[derive(Debug, Clone, PartialEq)]
pub enum Part {
    /// The main file: every structured field.
    Listing(Arc<Listing>),
    /// A translation: texts only.
    Texts(Texts),
}
