//! Internationalisation: UI strings with CLDR plurals and fallback
//! ([`locales`]), and dates with month names in each language ([`dates`]).

pub mod dates;
pub mod locales;

pub use dates::DateFormats;
pub use locales::Locales;
