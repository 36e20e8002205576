//! The `glimmer` command line: parses arguments, calls the library, prints
//! diagnostics and the summary, and chooses the exit status.

use clap::{Parser, Subcommand};
use glimmer::config::BuildOptions;
use glimmer::diagnostics::Diagnostic;
use glimmer::services::import::{self, Options};
use std::path::PathBuf;
use std::process::ExitCode;

/// A static-site generator for multilingual campaigns against gender-based
/// violence: Markdown stories in, a small, fast, safe site in every
/// language out.
#[derive(Parser, Debug)]
#[command(name = "glimmer", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Build the site into the output folder (public/ by default).
    Build {
        /// The site folder (holding glimmer.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: public/ inside the site).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Publish drafts too.
        #[arg(long)]
        drafts: bool,
        /// Also write a copy to open from a USB stick or an unzipped
        /// folder, without internet: OUTPUT-portable/ and
        /// OUTPUT-portable.zip, beside the output folder.
        #[arg(long)]
        portable: bool,
        /// Fail when a page or image is over its budget ([budgets] in
        /// glimmer.toml) instead of warning.
        #[arg(long)]
        strict: bool,
    },
    /// Create a new site in DIR from the built-in starter files.
    Init {
        /// Folder to create; must be new or empty.
        dir: PathBuf,
    },
    /// Start a new story or page: a draft with its front matter filled in.
    ///
    /// The file name (and the page's address) is made from the title:
    /// lower-case Latin letters, digits and hyphens, Cyrillic letters
    /// transliterated (Новая линия → novaya-liniya). Prints the file and
    /// the address it will have. An existing file is never replaced.
    New {
        /// What to make: `story` (in content/stories/) or `page` (at the
        /// top of the site, like content/about.md).
        #[arg(value_enum)]
        kind: NewKind,
        /// The title, in the language of the text.
        title: String,
        /// The language of the text (a code from glimmer.toml); the
        /// site's first language when left out.
        #[arg(long)]
        lang: Option<String>,
        /// The address part instead of one made from the title.
        #[arg(long)]
        slug: Option<String>,
        /// The section folder under content/ for a story.
        #[arg(long, default_value = "stories")]
        section: String,
        /// The site folder (holding glimmer.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Start the translation of a page into another language.
    ///
    /// Writes NAME.LANG.md beside the page: its front matter and text, to
    /// translate in place. It starts as a draft, so readers keep seeing
    /// the page in its language until you remove `draft = true`; it records
    /// which version of the page it was made from (`source_hash`). An
    /// existing translation is never replaced.
    Translate {
        /// The page to translate, e.g. content/stories/kaniet.md.
        page: PathBuf,
        /// The language to translate into (a code from glimmer.toml).
        #[arg(long)]
        to: String,
        /// The site folder (holding glimmer.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Turn data from other programs into content files.
    Import {
        #[command(subcommand)]
        what: ImportWhat,
    },
}

/// What `glimmer new` makes.
#[derive(clap::ValueEnum, Clone, Copy, Debug)]
enum NewKind {
    /// A story in a section.
    Story,
    /// A page of its own.
    Page,
}

#[derive(Subcommand, Debug)]
enum ImportWhat {
    /// Turn a spreadsheet of services, saved as CSV, into listing files.
    ///
    /// The first row names the columns (name, organisation, categories,
    /// country, phone, verified, …); each row after it is one service.
    /// Every row is checked as `glimmer build` checks a listing: rows with
    /// errors are reported by row number and column and skipped, the
    /// others are written to content/services/NAME.md. A file that already
    /// holds the row's listing is left unchanged; a file with other text is
    /// kept unless --force is given. The exit status is 1 when a row was
    /// skipped.
    ///
    /// Every column is explained in the README, section "Importing
    /// listings from a spreadsheet".
    Services {
        /// The spreadsheet, saved as "CSV UTF-8"; cells separated by
        /// commas, semicolons or tabs.
        file: PathBuf,
        /// The site folder (holding glimmer.toml).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Replace listing files that exist already with other text.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            output,
            drafts,
            portable,
            strict,
        } => build(BuildOptions {
            root,
            output,
            drafts,
            portable,
            strict,
        }),
        Command::Init { dir } => match glimmer::init::init(&dir) {
            Ok(files) => {
                println!("Created a new site in {}:", dir.display());
                for f in files {
                    println!("  {f}");
                }
                println!("\nNext: cd {} && glimmer build", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(&[d], "glimmer init failed", "nothing was created"),
        },
        Command::New {
            kind,
            title,
            lang,
            slug,
            section,
            root,
        } => new_content(&glimmer::new::Request {
            root: &root,
            kind: match kind {
                NewKind::Story => glimmer::new::Kind::Story,
                NewKind::Page => glimmer::new::Kind::Page,
            },
            title: &title,
            lang: lang.as_deref(),
            slug: slug.as_deref(),
            section: &section,
        }),
        Command::Translate { page, to, root } => {
            match glimmer::translate::translate(&glimmer::translate::Request {
                root: &root,
                source: &page,
                to: &to,
            }) {
                Ok(made) => {
                    println!(
                        "Created {} from {}",
                        made.file.display(),
                        made.source.display()
                    );
                    println!(
                        "  Translate the title and the text in place, then remove `draft = true` to publish it."
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(&diags, "glimmer translate failed", "nothing was created"),
            }
        }
        Command::Import {
            what: ImportWhat::Services { file, root, force },
        } => import_services(Options { root, file, force }),
    }
}

fn new_content(request: &glimmer::new::Request) -> ExitCode {
    match glimmer::new::new(request) {
        Ok(made) => {
            println!("Created {}", made.file.display());
            println!("  address once published: {}", made.url);
            if made.slug_from_date {
                println!(
                    "  (the title has no Latin or Cyrillic letters to make an address from; \
                     choose one with --slug next time, or rename the file)"
                );
            }
            println!(
                "  It is a draft: `glimmer build --drafts` shows it; remove `draft = true` to publish it."
            );
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags, "glimmer new failed", "nothing was created"),
    }
}

fn import_services(options: Options) -> ExitCode {
    match import::services(&options) {
        Ok(report) => {
            for p in &report.problems {
                eprintln!("{p}");
            }
            print!("{}", report.summary());
            if report.succeeded() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(diags) => fail(&diags, "Import failed", "no listing was written"),
    }
}

fn build(options: BuildOptions) -> ExitCode {
    match glimmer::build(&options) {
        Ok(report) => {
            for w in &report.summary.warnings {
                eprint!("{w}");
            }
            let w = report.write;
            println!(
                "Built {} files in {:.2?}",
                w.written + w.unchanged,
                report.elapsed
            );
            for (code, s) in &report.summary.stats {
                println!(
                    "  {code:<6} {:>6} pages, {:>6} shown from another language",
                    s.pages, s.fallbacks
                );
            }
            println!(
                "  wrote {} files, kept {} unchanged, removed {}",
                w.written, w.unchanged, w.removed
            );
            print_heaviest(&report.summary.heaviest);
            if !report.summary.warnings.is_empty() {
                println!("  {} warning(s): see above", report.summary.warnings.len());
            }
            if let Some(p) = &report.portable {
                print_portable(p);
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags, "Build failed", "the output folder was not changed"),
    }
}

/// The heaviest pages: what their first visit transfers, compressed.
fn print_heaviest(pages: &[glimmer::budget::PageWeight]) {
    if pages.is_empty() {
        return;
    }
    println!("  heaviest pages (first visit, gzip):");
    for p in pages {
        println!("  {:>10}  {}", glimmer::budget::kb(p.bytes), p.url);
    }
}

/// Says where the portable copy went and how to open it.
fn print_portable(p: &glimmer::portable::PortableReport) {
    println!(
        "Portable copy: {} (open index.html), {} files; to share: {} ({:.1} MB)",
        p.places.folder.display(),
        p.files,
        p.places.zip.display(),
        p.zip_bytes as f64 / 1e6
    );
}

/// Prints every diagnostic, then a closing line with the error count.
fn fail(diags: &[Diagnostic], what: &str, outcome: &str) -> ExitCode {
    for d in diags {
        eprintln!("{d}");
    }
    let errors = diags.iter().filter(|d| d.is_error()).count();
    eprintln!("{what}: {errors} error(s); {outcome}.");
    ExitCode::FAILURE
}

/// mimalloc instead of the system allocator: glibc's kept hundreds of
/// megabytes after the per-file buffers of compression on large sites.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
