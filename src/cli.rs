//! The command line: one args struct per subcommand, each with `run()`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use gazette::diagnostic::Diagnostic;
use gazette::{BuildOptions, Failure, Summary};

#[derive(Debug, Parser)]
#[command(
    name = "gazette",
    version,
    about = "Static sites of engagements and press releases"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder.
    Build(BuildArgs),
    /// Check everything a build would, and more; write nothing.
    Check(CheckArgs),
}

impl Command {
    pub fn run(self) -> ExitCode {
        match self {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
        }
    }
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    site: PathBuf,
    /// Output folder (default: `output_dir` of site.yaml, `output`).
    #[arg(long)]
    output: Option<PathBuf>,
    /// Absolute URL the site is published at, instead of site.yaml's `base_url`.
    #[arg(long)]
    base_url: Option<String>,
    /// Include entries marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include entries whose `publish_at` is still to come.
    #[arg(long)]
    future: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
    /// The moment embargoes are judged against (RFC 3339), for repeatable builds.
    #[arg(long, value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
}

fn parse_now(text: &str) -> Result<jiff::Timestamp, String> {
    text.parse()
        .map_err(|_| format!("`{text}` is not an RFC 3339 date-time such as 2026-01-31T09:00:00Z"))
}

impl BuildArgs {
    fn run(self) -> ExitCode {
        let options = BuildOptions {
            output: self.output,
            base_url: self.base_url,
            drafts: self.drafts,
            future: self.future,
            strict: self.strict,
            now: self.now,
            check_only: false,
        };
        report(gazette::build(&self.site, &options), |s| {
            format!(
                "Built {} entries, {} partners, {} pages in {:.2} s",
                thousands(s.entries),
                thousands(s.partners),
                thousands(s.pages),
                s.elapsed.as_secs_f64()
            )
        })
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    site: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

impl CheckArgs {
    fn run(self) -> ExitCode {
        let options = BuildOptions {
            strict: self.strict,
            check_only: true,
            ..BuildOptions::default()
        };
        report(gazette::build(&self.site, &options), |s| {
            format!(
                "Checked {} entries, {} partners, {} pages: {} warnings",
                thousands(s.entries),
                thousands(s.partners),
                thousands(s.pages),
                s.warnings.len()
            )
        })
    }
}

/// Prints diagnostics and the summary; content problems exit 1.
fn report(result: Result<Summary, Failure>, summary: impl Fn(&Summary) -> String) -> ExitCode {
    match result {
        Ok(s) => {
            print_diagnostics(&s.warnings);
            println!("{}", summary(&s));
            ExitCode::SUCCESS
        }
        Err(Failure::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!(
                "error: the build failed with {} error{}; the previous output is untouched",
                errors,
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::from(1)
        }
        Err(Failure::Other(error)) => {
            eprintln!("error: {error:#}");
            ExitCode::from(1)
        }
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}\n");
    }
}

/// `1234` → `1,234`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
