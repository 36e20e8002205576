//! Machine-readable service data: schema.org JSON-LD for each service
//! page, and `services.json` per language in the shape of the Open
//! Referral Human Services Data Specification (HSDS 3), so partners and
//! other directories can reuse the listings.

use super::service_view::{ServiceView, ServiceViews};
use super::views::Views;
use crate::render::OutputFile;
use crate::services::directory::Service;
use crate::services::hours::{self, Hours};
use crate::services::{Address, Listing, taxonomy};
use serde_json::{Value, json};

/// RFC 5545 day codes, Monday first, as HSDS schedules use them.
const BYDAY: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
/// schema.org day names, Monday first.
const SCHEMA_DAYS: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// JSON-LD (schema.org `Service` with its provider, contact points, hours,
/// languages and area) for a service page, safe to put inside
/// `<script type="application/ld+json">`. No address when it is withheld.
pub fn json_ld(view: &ServiceView, listing: &Listing, permalink: &str) -> String {
    let contact: Vec<Value> = listing
        .phones
        .iter()
        .zip(&view.phones)
        .map(|(p, v)| {
            let mut c = json!({
                "@type": "ContactPoint",
                "telephone": p.phone.dial,
                "availableLanguage": listing.languages,
                "areaServed": listing.country,
            });
            if !v.label.is_empty() {
                c["contactType"] = json!(v.label);
            }
            if listing.free {
                c["contactOption"] = json!("https://schema.org/TollFree");
            }
            if let Some(h) = p.hours.as_ref().or(listing.hours.as_ref()) {
                c["hoursAvailable"] = json!(opening_hours(h));
            }
            c
        })
        .collect();
    let mut provider = json!({"@type": "Organization", "name": view.organisation});
    if !contact.is_empty() {
        provider["contactPoint"] = json!(contact);
    }
    if let Address::Given(_) = listing.address {
        provider["address"] = json!({
            "@type": "PostalAddress",
            "streetAddress": view.address,
            "addressLocality": listing.city,
            "addressRegion": listing.region,
            "addressCountry": listing.country,
        });
    }
    if !view.website.is_empty() {
        provider["url"] = json!(view.website);
    }
    let mut area = json!({"@type": "Country", "name": listing.country});
    if let Some(city) = &listing.city {
        area = json!({"@type": "City", "name": city, "containedInPlace": area});
    }
    let data = json!({
        "@context": "https://schema.org",
        "@type": "Service",
        "name": view.name,
        "description": view.summary,
        "url": permalink,
        "inLanguage": view.text_lang.code,
        "serviceType": view.categories.iter().map(|c| c.name.clone()).collect::<Vec<_>>(),
        "provider": provider,
        "areaServed": area,
        "availableLanguage": listing.languages,
        "isAccessibleForFree": listing.free,
    });
    script_safe(&data.to_string())
}

/// `<` and `>` escaped, so that no text can close the script element.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c").replace('>', "\\u003e")
}

fn opening_hours(h: &Hours) -> Vec<Value> {
    if h.always {
        return vec![json!({
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": SCHEMA_DAYS,
            "opens": "00:00",
            "closes": "23:59",
        })];
    }
    h.groups
        .iter()
        .flat_map(|g| {
            g.times.iter().map(|(a, b)| {
                json!({
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": g.days.iter().map(|&d| SCHEMA_DAYS[d]).collect::<Vec<_>>(),
                    "opens": hours::clock(*a),
                    "closes": hours::clock(*b),
                })
            })
        })
        .collect()
}

/// `services.json` of every language that shows the directory.
pub fn exports(views: &Views, cards: &[Vec<ServiceView>]) -> Vec<OutputFile> {
    let sv = ServiceViews::new(views);
    views
        .settings
        .languages
        .iter()
        .filter_map(|lang| {
            let home = sv.home_path(lang.index)?;
            views.content.entries[views.directory.home?].shown[lang.index]?;
            let data = export(views, &sv, lang.index, &cards[lang.index]);
            let mut bytes = serde_json::to_vec_pretty(&data).unwrap_or_default();
            bytes.push(b'\n');
            Some(OutputFile {
                path: format!("{home}services.json"),
                bytes,
            })
        })
        .collect()
}

fn export(views: &Views, sv: &ServiceViews, lang: usize, cards: &[ServiceView]) -> Value {
    let services: Vec<Value> = cards
        .iter()
        .filter_map(|card| {
            let entry = *views.content.by_key.get(&card.key)?;
            let service = views.directory.service(entry)?;
            Some(hsds_service(views, service, card, lang))
        })
        .collect();
    let terms: Vec<Value> = taxonomy::SECTORS
        .iter()
        .map(|s| json!({"id": s, "code": s, "name": sv.text(lang, &taxonomy::sector_key(s), s), "parent_id": null}))
        .chain(taxonomy::CATEGORIES.iter().map(|c| {
            json!({"id": c.code, "code": c.code, "name": sv.text(lang, &taxonomy::category_key(c.code), c.code), "parent_id": c.sector})
        }))
        .collect();
    json!({
        "about": "Service listings in the shape of the Open Referral Human Services Data Specification (HSDS 3). \
                  Categories follow the UN Essential Services Package sectors. Phone numbers are E.164.",
        "language": views.settings.languages[lang].code,
        "taxonomy": {"id": "essential-services", "name": "UN Essential Services Package (sectors) and service categories", "terms": terms},
        "services": services,
    })
}

fn hsds_service(views: &Views, service: &Service, card: &ServiceView, lang: usize) -> Value {
    let l = &service.listing;
    let entry = &views.content.entries[service.entry];
    let id = entry.key.trim_end_matches(".md").to_string();
    let area = [l.city.clone(), l.region.clone(), Some(l.country.clone())]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    let mut location = json!({
        "location_type": if l.in_person { "physical" } else { "virtual" },
        "addresses": [{
            "address_1": card.address,
            "city": l.city,
            "region": l.region,
            "country": l.country,
            "address_type": if l.address == Address::Withheld { "withheld" } else { "physical" },
        }],
    });
    if l.address == Address::Withheld {
        location["addresses"][0]["address_1"] = Value::Null;
    }
    json!({
        "id": id,
        "name": card.name,
        "description": card.summary,
        "url": views.permalink(&entry.paths[lang]),
        "status": "active",
        "language": card.text_lang.code,
        "organization": {"name": card.organisation, "website": l.website},
        "email": l.channels.iter().find(|c| c.kind == "email").map(|c| c.display.clone()),
        "fees_description": if l.free { Some("free") } else { None },
        "eligibility_description": card.audience,
        "minimum_age": l.age_min,
        "maximum_age": l.age_max,
        "assured_date": l.verified,
        "attributes": l.categories.iter().map(|c| json!({"taxonomy_term_id": c})).collect::<Vec<_>>(),
        "phones": l.phones.iter().zip(&card.phones).map(|(p, v)| json!({
            "number": p.phone.dial,
            "type": "voice",
            "description": v.label,
            "schedules": p.hours.as_ref().map(schedules).unwrap_or_default(),
        })).collect::<Vec<_>>(),
        "schedules": l.hours.as_ref().map(schedules).unwrap_or_default(),
        "languages": l.languages.iter().map(|c| json!({"code": c})).collect::<Vec<_>>(),
        "service_areas": [{"name": area, "extent_type": "text"}],
        "locations": [location],
        "x_channels": l.channels.iter().map(|c| json!({"type": c.kind, "url": c.href})).collect::<Vec<_>>(),
        "x_open_24_7": l.open_24_7(),
        "x_confidential": l.confidential,
        "x_anonymous": l.anonymous,
        "x_example_data": l.example,
    })
}

fn schedules(h: &Hours) -> Vec<Value> {
    if h.always {
        return vec![
            json!({"freq": "WEEKLY", "byday": BYDAY.join(","), "opens_at": "00:00", "closes_at": "23:59", "description": "24/7"}),
        ];
    }
    h.groups
        .iter()
        .flat_map(|g| {
            let byday = g.days.iter().map(|&d| BYDAY[d]).collect::<Vec<_>>().join(",");
            g.times.iter().map(move |(a, b)| {
                json!({"freq": "WEEKLY", "byday": byday, "opens_at": hours::clock(*a), "closes_at": hours::clock(*b)})
            })
        })
        .collect()
}
