//! The `glimmer` command line: parses arguments, calls the library, prints
//! diagnostics and the summary, and chooses the exit status.

use clap::{Parser, Subcommand};
use glimmer::config::BuildOptions;
use glimmer::diagnostics::Diagnostic;
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
    },
    /// Create a new site in DIR from the built-in starter files.
    Init {
        /// Folder to create; must be new or empty.
        dir: PathBuf,
    },
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build {
            root,
            output,
            drafts,
        } => build(BuildOptions {
            root,
            output,
            drafts,
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
            if !report.summary.warnings.is_empty() {
                println!("  {} warning(s): see above", report.summary.warnings.len());
            }
            ExitCode::SUCCESS
        }
        Err(diags) => fail(&diags, "Build failed", "the output folder was not changed"),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
