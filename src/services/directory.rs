//! The directory: the listings found in the content tree, each with its
//! main file's data and every translation's texts, and the countries and
//! categories they cover.

use super::{Listing, Part, ServiceSettings, Texts};
use crate::content::{Content, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

/// A service in the directory.
#[derive(Debug, Clone)]
pub struct Service {
    /// Its entry in the content tree.
    pub entry: usize,
    /// Data from the main file.
    pub listing: Arc<Listing>,
    /// Per language version (index = language): that file's texts.
    pub texts: Vec<Texts>,
}

/// Every listing of the site.
#[derive(Debug, Clone, Default)]
pub struct Directory {
    /// The directory's home: the section entry (`services/_index.md`).
    pub home: Option<usize>,
    /// Listings, in content order.
    pub services: Vec<Service>,
    /// Country codes that have listings, sorted.
    pub countries: Vec<String>,
    /// Category codes that have listings, in taxonomy order.
    pub categories: Vec<&'static str>,
    /// Index into `services` by content entry.
    by_entry: HashMap<usize, usize>,
}

impl Directory {
    /// Finds the listings under the directory's section and checks that
    /// each has exactly one main file.
    pub fn build(
        content: &Content,
        settings: &ServiceSettings,
        diags: &mut Diagnostics,
    ) -> Directory {
        let prefix = format!("{}/", settings.section);
        let home = content.by_key.get(&format!("{prefix}_index.md")).copied();
        let mut dir = Directory {
            home,
            ..Directory::default()
        };
        for (i, entry) in content.entries.iter().enumerate() {
            let inside = entry.key.starts_with(&prefix);
            let parts: Vec<(&std::path::Path, &Part)> = entry
                .versions
                .iter()
                .flatten()
                .filter_map(|s| s.service.as_ref().map(|p| (s.file.as_path(), p)))
                .collect();
            let first_file = entry
                .versions
                .iter()
                .flatten()
                .next()
                .map(|s| s.file.clone());
            if entry.kind == Kind::Section {
                if let Some((file, _)) = parts.first() {
                    diags.push(
                        Diagnostic::error("a section's _index.md cannot be a service listing")
                            .in_file(file)
                            .hint("move the [service] table into its own file, e.g. content/services/NAME.md"),
                    );
                }
                continue;
            }
            if !inside {
                if let Some((file, _)) = parts.first() {
                    diags.push(
                        Diagnostic::error(format!(
                            "a service listing outside content/{}/",
                            settings.section
                        ))
                        .in_file(file)
                        .hint(format!(
                            "move this file into content/{}/, where the directory is",
                            settings.section
                        )),
                    );
                }
                continue;
            }
            let mains: Vec<_> = parts
                .iter()
                .filter_map(|(f, p)| match p {
                    Part::Listing(l) => Some((*f, l.clone())),
                    Part::Texts(_) => None,
                })
                .collect();
            let Some((_, listing)) = mains.first().cloned() else {
                let file = first_file.unwrap_or_default();
                diags.push(
                    Diagnostic::error(format!(
                        "every page in content/{}/ is a service listing, but no file of this one has its data",
                        settings.section
                    ))
                    .in_file(&file)
                    .hint("in the listing's main file, add a [service] table with organisation, categories, country, phones and verified; or move the page out of the folder"),
                );
                continue;
            };
            for (file, _) in mains.iter().skip(1) {
                diags.push(
                    Diagnostic::error(format!("this listing's data is also given in {}", mains[0].0.display()))
                        .in_file(file)
                        .hint("keep `country`, phones and the other data in one file; translations set only texts (organisation, region, city, address, labels)"),
                );
            }
            let texts = entry
                .versions
                .iter()
                .map(|v| match v.as_ref().and_then(|s| s.service.as_ref()) {
                    Some(Part::Texts(t)) => t.clone(),
                    _ => Texts::default(),
                })
                .collect::<Vec<_>>();
            for (v, t) in entry.versions.iter().zip(&texts) {
                if let Some(s) = v
                    && t.labels.len() > listing.phones.len()
                {
                    diags.push(
                        Diagnostic::error(format!(
                            "{} phone labels for {} phone numbers",
                            t.labels.len(),
                            listing.phones.len()
                        ))
                        .in_file(&s.file)
                        .hint("give one label per phone of the main file, in the same order"),
                    );
                }
            }
            dir.services.push(Service {
                entry: i,
                listing,
                texts,
            });
        }
        if dir.home.is_none()
            && let Some(s) = dir.services.first()
        {
            let file = content.entries[s.entry]
                .versions
                .iter()
                .flatten()
                .next()
                .map(|s| s.file.clone());
            diags.push(
                Diagnostic::error(format!(
                    "the directory has listings but no home page content/{}/_index.md",
                    settings.section
                ))
                .in_file(file.unwrap_or_default())
                .hint(format!(
                    "create content/{}/_index.md with a title, e.g. title = \"Get help\"",
                    settings.section
                )),
            );
        }
        let countries: BTreeSet<String> = dir
            .services
            .iter()
            .map(|s| s.listing.country.clone())
            .collect();
        dir.countries = countries.into_iter().collect();
        dir.by_entry = dir
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.entry, i))
            .collect();
        dir.categories = super::taxonomy::CATEGORIES
            .iter()
            .map(|c| c.code)
            .filter(|c| {
                dir.services
                    .iter()
                    .any(|s| s.listing.categories.contains(c))
            })
            .collect();
        dir
    }

    /// The service shown by content entry `entry`, if it is a listing.
    pub fn service(&self, entry: usize) -> Option<&Service> {
        self.by_entry.get(&entry).map(|&i| &self.services[i])
    }
}
