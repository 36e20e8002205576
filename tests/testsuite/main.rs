//! Integration tests of glimmer: fixture sites under `tests/fixtures/` are
//! copied into temporary folders and built through the library or the
//! `glimmer` binary. See `support.rs` for the helpers.

mod budgets;
mod build;
mod cli;
mod drafts;
mod errors;
mod fallback;
mod hosting;
mod images;
mod import;
mod init;
mod languages;
mod linkcheck;
mod links;
mod markdown;
mod new;
mod origins;
mod output;
mod output_links;
mod portable;
mod robustness;
mod safety;
mod services;
mod support;
mod translate;
mod ui_strings;
