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
    /// Build, serve on 127.0.0.1, rebuild on every change and reload open pages.
    Serve(ServeArgs),
    /// Write a new site with the default theme and sample content.
    Init(InitArgs),
    /// Write a new entry with its front matter.
    New(NewArgs),
}

impl Command {
    pub fn run(self) -> ExitCode {
        match self {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::New(args) => args.run(),
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
    /// Print how long each step of the build took.
    #[arg(long)]
    timings: bool,
}

fn parse_now(text: &str) -> Result<jiff::Timestamp, String> {
    text.parse().map_err(|_| {
        // Written right, but a moment the calendar arithmetic cannot hold.
        if jiff::fmt::temporal::Pieces::parse(text).is_ok_and(|p| p.offset().is_some()) {
            format!(
                "`{text}` is out of range: the moments gazette can judge end at {}",
                jiff::Timestamp::MAX.strftime("%Y-%m-%dT%H:%M:%SZ")
            )
        } else {
            format!("`{text}` is not an RFC 3339 date-time such as 2026-01-31T09:00:00Z")
        }
    })
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
        let timings = self.timings;
        let previous = gazette::has_output(&self.site, &options);
        report(
            Run::Build { previous },
            gazette::build(&self.site, &options),
            |s| {
                if timings {
                    for (step, took) in &s.timings {
                        eprintln!("{step:>24}: {:8.1} ms", took.as_secs_f64() * 1000.0);
                    }
                }
                let warnings = match s.warnings.len() {
                    0 => String::new(),
                    n => format!(", {}", count(n, "warning", "warnings")),
                };
                format!(
                    "Built {}{}, {}, {} in {:.2} s{warnings}",
                    count(s.entries, "entry", "entries"),
                    held_back(&s.held_back),
                    count(s.partners, "partner", "partners"),
                    count(s.pages, "page", "pages"),
                    s.elapsed.as_secs_f64()
                )
            },
        )
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
    /// The moment embargoes and reviews are judged against (RFC 3339), for repeatable checks.
    #[arg(long, value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
}

impl CheckArgs {
    fn run(self) -> ExitCode {
        let options = BuildOptions {
            strict: self.strict,
            check_only: true,
            now: self.now,
            ..BuildOptions::default()
        };
        report(Run::Check, gazette::build(&self.site, &options), |s| {
            let mut line = format!(
                "Checked {}{}, {}, {}: {}",
                count(s.entries, "entry", "entries"),
                held_back(&s.held_back),
                count(s.partners, "partner", "partners"),
                count(s.pages, "page", "pages"),
                count(s.warnings.len(), "warning", "warnings")
            );
            if let Some((at, file)) = &s.held_back.next_embargo {
                line.push('\n');
                line.push_str(&next_embargo(*at, &s.timezone, file));
            }
            line
        })
    }
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    site: PathBuf,
    /// Address to listen on; anything but a loopback address lets other machines in.
    #[arg(long, default_value = "127.0.0.1")]
    bind: std::net::IpAddr,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8000)]
    port: u16,
    /// Include entries marked `draft: true`.
    #[arg(long)]
    drafts: bool,
    /// Include entries whose `publish_at` is still to come.
    #[arg(long)]
    future: bool,
    /// Open the site in the default browser.
    #[arg(long)]
    open: bool,
    /// The moment embargoes are judged against (RFC 3339), for repeatable previews.
    #[arg(long, value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
    /// A host name to answer besides localhost and IP addresses (repeatable), for a preview
    /// opened under a name of this machine.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,
    /// Seconds a connection may stay without traffic before it is closed.
    #[arg(long, default_value_t = 30, hide = true)]
    idle_timeout: u64,
}

impl ServeArgs {
    fn run(self) -> ExitCode {
        let options = gazette::serve::ServeOptions {
            site: self.site.clone(),
            bind: self.bind,
            port: self.port,
            build: BuildOptions {
                drafts: self.drafts,
                future: self.future,
                now: self.now,
                ..BuildOptions::default()
            },
            allowed_hosts: self.allow_host,
            idle: std::time::Duration::from_secs(self.idle_timeout.max(1)),
        };
        let printer = ServePrinter {
            site: self.site,
            open: self.open,
            warnings: std::sync::Mutex::new(Vec::new()),
        };
        let result = gazette::serve::run(&options, move |event| printer.print(event));
        match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(error) => {
                print_error(&error);
                ExitCode::from(1)
            }
        }
    }
}

/// Prints what `serve` reports; warnings only when they differ from the last build's.
struct ServePrinter {
    site: PathBuf,
    open: bool,
    warnings: std::sync::Mutex<Vec<Diagnostic>>,
}

impl ServePrinter {
    fn print(&self, event: gazette::serve::Event<'_>) {
        use gazette::serve::Event;
        let site = self.site.as_path();
        let open = self.open;
        match event {
            Event::Listening { url, loopback } => {
                if !loopback {
                    eprintln!(
                        "warning: serving on a non-loopback address: other machines can read the site, drafts included\nhint: use `--bind 127.0.0.1` to keep it to this machine"
                    );
                }
                println!("Serving `{}` at {url} (Ctrl-C to stop)", site.display());
                if open && let Err(error) = gazette::serve::open_in_browser(url) {
                    eprintln!("warning: cannot open a browser: {error}");
                }
            }
            Event::Built(built) => {
                let mut last = self.warnings.lock().unwrap_or_else(|e| e.into_inner());
                if *last != built.warnings {
                    print_diagnostics(built.warnings);
                    *last = built.warnings.to_vec();
                }
                let took = built.elapsed.as_secs_f64();
                if built.changed.is_empty() {
                    println!(
                        "Built {} entries, {} files in {took:.2} s",
                        thousands(built.entries),
                        thousands(built.files)
                    );
                } else {
                    let first = built.changed[0]
                        .strip_prefix(site)
                        .unwrap_or(&built.changed[0]);
                    let more = match built.changed.len() - 1 {
                        0 => String::new(),
                        n => format!(" and {n} more"),
                    };
                    println!(
                        "Rebuilt after `{}`{more} changed: {} written, {} removed in {took:.2} s",
                        gazette::diagnostic::display_path(first),
                        thousands(built.written),
                        thousands(built.removed)
                    );
                }
            }
            Event::Failed { failure, last_good } => {
                match failure {
                    Failure::Content(diagnostics) => print_diagnostics(diagnostics),
                    Failure::Other(error) | Failure::Usage(error) => print_error(error),
                }
                if last_good {
                    eprintln!("error: the build failed; still serving the last good site");
                } else {
                    eprintln!(
                        "error: the build failed and no earlier build succeeded: there is no site to serve yet; pages show these errors until it builds"
                    );
                }
                self.warnings
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .clear();
            }
            Event::Stopping => println!("Stopping."),
        }
    }
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder of the new site; it must not exist or be empty.
    dir: PathBuf,
}

impl InitArgs {
    fn run(self) -> ExitCode {
        match gazette::scaffold::init(&self.dir) {
            Ok(files) => {
                println!(
                    "Created a new site in `{}` ({} files)",
                    self.dir.display(),
                    files.len()
                );
                println!(
                    "Next: `gazette serve --site {0}` to preview it, `gazette new --site {0} \"Title\"` to write an entry",
                    self.dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(error) => {
                print_error(&error);
                ExitCode::from(1)
            }
        }
    }
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The site folder.
    #[arg(long, default_value = ".")]
    site: PathBuf,
    /// The title of the entry.
    title: String,
    /// The date: YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339 (default: today in the site's time zone).
    #[arg(long)]
    date: Option<String>,
    /// The kind of entry, one of `kinds` in site.yaml (default: the first).
    #[arg(long)]
    kind: Option<String>,
    /// A partner, by registered name, alias or id; repeat for several.
    #[arg(long = "partner", value_name = "PARTNER")]
    partners: Vec<String>,
    /// The slug of the file's name and the entry's address (default: made from the title;
    /// required for a title not in the Latin alphabet).
    #[arg(long)]
    slug: Option<String>,
}

impl NewArgs {
    fn run(self) -> ExitCode {
        use gazette::scaffold::NewError;
        let options = gazette::scaffold::NewOptions {
            site: self.site,
            title: self.title,
            date: self.date,
            kind: self.kind,
            partners: self.partners,
            slug: self.slug,
        };
        match gazette::scaffold::new_entry(&options) {
            Ok(created) => {
                print_diagnostics(&created.warnings);
                println!("{}", created.path.display());
                ExitCode::SUCCESS
            }
            Err(NewError::Usage(message)) => {
                print_error(&anyhow::anyhow!(message));
                ExitCode::from(2)
            }
            Err(NewError::Config(diagnostics)) => {
                print_diagnostics(&diagnostics);
                eprintln!("error: site.yaml has errors; nothing was written");
                ExitCode::from(1)
            }
            Err(NewError::Other(error)) => {
                print_error(&error);
                ExitCode::from(1)
            }
        }
    }
}

/// What a run that found errors in the site says after them: `build` tells that the output
/// was left as it was, `check` that it wrote nothing anyway.
#[derive(Clone, Copy)]
enum Run {
    /// Whether there was an output before the build.
    Build {
        previous: bool,
    },
    Check,
}

/// Prints diagnostics and the summary; content problems exit 1.
fn report(
    run: Run,
    result: Result<Summary, Failure>,
    summary: impl Fn(&Summary) -> String,
) -> ExitCode {
    match result {
        Ok(s) => {
            print_diagnostics(&s.warnings);
            println!("{}", summary(&s));
            ExitCode::SUCCESS
        }
        Err(Failure::Content(diagnostics)) => {
            print_diagnostics(&diagnostics);
            let errors = diagnostics.iter().filter(|d| d.is_error()).count();
            let errors = format!("{errors} error{}", if errors == 1 { "" } else { "s" });
            match run {
                Run::Build { previous: true } => eprintln!(
                    "error: the build failed with {errors}; the previous output is untouched"
                ),
                Run::Build { previous: false } => {
                    eprintln!("error: the build failed with {errors}; nothing was written")
                }
                Run::Check => eprintln!("error: the check found {errors}"),
            }
            ExitCode::from(1)
        }
        Err(Failure::Other(error)) => {
            print_error(&error);
            ExitCode::from(1)
        }
        Err(Failure::Usage(error)) => {
            print_error(&error);
            ExitCode::from(2)
        }
    }
}

/// `error: message` and, when the message carries one, ` = hint: …` as diagnostics show it.
fn print_error(error: &anyhow::Error) {
    let text = format!("{error:#}");
    match text.split_once("\nhint: ") {
        Some((message, hint)) => eprintln!("error: {message}\n = hint: {hint}"),
        None => eprintln!("error: {text}"),
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}\n");
    }
}

/// ` (2 held back: 1 draft, 1 embargoed)` after the count of entries; nothing when no entry
/// was left out.
fn held_back(held: &gazette::content::HeldBack) -> String {
    let mut kinds = Vec::new();
    if held.drafts > 0 {
        kinds.push(count(held.drafts, "draft", "drafts"));
    }
    if held.embargoed > 0 {
        kinds.push(format!("{} embargoed", thousands(held.embargoed)));
    }
    match held.drafts + held.embargoed {
        0 => String::new(),
        n => format!(" ({} held back: {})", thousands(n), kinds.join(", ")),
    }
}

/// When the next embargo lifts, in the site's time zone and in UTC, so that a rebuild can be
/// scheduled for it.
fn next_embargo(at: jiff::Timestamp, zone: &jiff::tz::TimeZone, file: &std::path::Path) -> String {
    let local = at.to_zoned_datetime(zone.clone());
    let name = zone.iana_name().unwrap_or("UTC");
    format!(
        "Next embargo lifts at {} {name} ({}): `{}`; build again then to publish it",
        local.strftime("%Y-%m-%d %H:%M:%S %:z"),
        at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        gazette::diagnostic::display_path(file)
    )
}

/// `1 entry`, `1,234 entries`.
fn count(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", thousands(n), if n == 1 { one } else { many })
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
