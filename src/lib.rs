//! gazette turns a folder of Markdown entries (engagements, press releases) into a static site:
//! a page per entry, a timeline, a partner index with a page per partner, and topic pages.
//!
//! [`build`] is the whole pipeline, one named step per line:
//! `config::load` → `content::load` → `index::build` → `render` → `output::write`.
//! Only `content` and `config` read the site; only `output` writes. The binary in `main.rs`
//! parses the command line, calls [`build`] and prints what it returns.

pub mod attachments;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod digest;
pub mod index;
pub mod markdown;
pub mod model;
pub mod output;
pub mod photos;
pub mod progress;
pub mod render;
pub mod scaffold;
pub mod scan;
pub mod serve;
pub mod session;
pub mod slug;
pub mod theme;
pub mod tree;
pub mod yaml;

use ahash::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diagnostic::Diagnostic;
use render::{Contents, OutputFile};

/// mimalloc rather than the system's allocator, for the binary and for everything that
/// measures or tests it. A build allocates and frees many small values on every thread, and
/// a `serve` rebuild frees much of what the last one made: glibc's allocator spent an eighth
/// of such a rebuild's CPU consolidating freed chunks (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Stops Linux from backing this process's memory with transparent huge pages; the binary
/// calls it first thing. mimalloc asks for them where it can, and the kernel then backs a
/// few kilobytes in use with 2 MiB: at 10,000 entries a build's peak was a fifth higher
/// with them, and no faster (docs/performance.md).
pub fn without_transparent_huge_pages() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: the call only sets a flag of this process; a refusal (an old kernel) leaves
    // the pages as they were.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// What a build is asked to do beyond `site.yaml`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder instead of `output_dir`.
    pub output: Option<PathBuf>,
    /// `base_url` instead of the one in `site.yaml`.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// The moment embargoes are judged against; the clock when `None`.
    pub now: Option<jiff::Timestamp>,
    /// Only check: render everything but write nothing, and report `check`'s extra warnings.
    pub check_only: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub entries: usize,
    pub partners: usize,
    pub topics: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output, pages included.
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub warnings: Vec<Diagnostic>,
    /// The entries left out: drafts, embargoed entries and the next embargo to lift.
    pub held_back: content::HeldBack,
    /// The site's time zone (`timezone` of `site.yaml`).
    pub timezone: jiff::tz::TimeZone,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the site's files, every one of them (warnings included).
    Content(Vec<Diagnostic>),
    /// A problem that is not tied to a line of content: the output folder, IO.
    Other(anyhow::Error),
    /// The command line names something that is not there (exit code 2).
    Usage(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::Other(error)
    }
}

/// Frees `value` on a thread of its own. A large site's entries, pages and indexes are
/// millions of small allocations; the build need not wait while they are given back, and
/// when the process ends first there is nothing left to give back.
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    // Should the thread not start, the closure and `value` are dropped here instead.
    let _ = std::thread::Builder::new()
        .name("drop".to_string())
        .spawn(move || drop(value));
}

/// Builds the site in `site` (or only checks it), all or nothing.
pub fn build(site: &Path, options: &BuildOptions) -> Result<Summary, Failure> {
    let started = Instant::now();
    let mut session = session::Session::open(site, options)?;
    let (rendered, report) = if options.check_only {
        let rendered = session.render_to(&|_| Ok(()))?;
        (rendered, output::Report::default())
    } else {
        let staging = output::Staging::begin(&session.config().output_dir)?;
        let rendered = session.render_to(&|file| {
            staging.put(&file).map_err(|error| {
                Box::new(
                    Diagnostic::error(&file.path, format!("cannot write the file: {error:#}"))
                        .with_hint("check the output folder's permissions and free space"),
                )
            })
        })?;
        let writing = Instant::now();
        let report = staging.commit()?;
        let mut rendered = rendered;
        rendered.timings.push(("swap output", writing.elapsed()));
        (rendered, report)
    };
    let mut warnings = rendered.warnings;
    warnings.extend(report.leftovers.iter().map(|(folder, error)| {
        let folder = folder.strip_prefix(".").unwrap_or(folder);
        Diagnostic::warning(
            folder,
            format!("the previous output could not be removed: {error}"),
        )
        .with_hint(format!(
            "the new site is in place; remove `{}` by hand, as the user who made it",
            folder.display()
        ))
    }));
    Ok(Summary {
        entries: rendered.entries,
        partners: rendered.partners,
        topics: rendered.topics,
        pages: rendered.pages,
        files: rendered.files.len(),
        written: report.written,
        unchanged: report.unchanged,
        warnings,
        held_back: rendered.held_back,
        timezone: session.config().timezone.clone(),
        output: session.config().output_dir.clone(),
        elapsed: started.elapsed(),
        timings: rendered.timings,
    })
}

/// Whether the site in `site` has an output folder from an earlier build.
pub fn has_output(site: &Path, options: &BuildOptions) -> bool {
    let output = options.output.clone().unwrap_or_else(|| {
        load_config(site, options)
            .map(|config| config.output_dir)
            .unwrap_or_else(|_| site.join("output"))
    });
    output.join(output::MARKER).is_file()
}

pub(crate) fn load_config(site: &Path, options: &BuildOptions) -> Result<config::Config, Failure> {
    if site.exists() && !site.is_dir() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "`{}` is a file, not a site folder\nhint: pass the folder that holds `site.yaml` and `content/` with `--site DIR`",
            site.display()
        )));
    }
    if !site.is_dir() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "the site folder `{}` does not exist\nhint: run gazette in a site folder or pass `--site DIR`",
            site.display()
        )));
    }
    let mut config = config::load(site).map_err(Failure::Content)?;
    if let Some(output) = &options.output {
        config.output_dir = output.clone();
    }
    if let Some(base_url) = &options.base_url {
        let url = config::site_address(base_url).map_err(|message| {
            Failure::Usage(anyhow::anyhow!(
                "{}\nhint: {}",
                message.replacen("`base_url`", "`--base-url`", 1),
                config::BASE_URL_HINT
            ))
        })?;
        config.base_path = config::base_path(&url);
        config.base_url = url;
    }
    Ok(config)
}

/// The output folder must not be, or contain, the site's own files.
pub(crate) fn check_output_location(config: &config::Config) -> anyhow::Result<()> {
    let out = tree::resolve(&config.output_dir);
    let root = tree::resolve(&config.root);
    let protected = [
        root.clone(),
        root.join("content"),
        root.join("templates"),
        root.join("static"),
        root.join("themes"),
    ];
    for dir in &protected {
        if dir.starts_with(&out) {
            anyhow::bail!(
                "the output folder `{}` would replace `{}`\nhint: choose an output folder of its own, such as `output`",
                config.output_dir.display(),
                dir.display()
            );
        }
        if out.starts_with(dir) && dir != &root {
            anyhow::bail!(
                "the output folder `{}` is inside `{}`, which the build reads\nhint: choose an output folder of its own, such as `output`",
                config.output_dir.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// `check` also reports entries without partners or topics, and partners named once that look
/// like a registered one.
pub(crate) fn check_extras(content: &content::Content) -> Vec<Diagnostic> {
    let mut extras = Vec::new();
    let mut uses: HashMap<&str, usize> = HashMap::default();
    for entry in &content.entries {
        for p in &entry.partners {
            *uses.entry(p.id.as_str()).or_default() += 1;
        }
        if entry.partners.is_empty() {
            extras.push(
                Diagnostic::warning(&entry.file, "the entry names no partners")
                    .with_hint("add `partners:` so it appears on partner pages"),
            );
        }
        if entry.topics.is_empty() {
            extras.push(
                Diagnostic::warning(&entry.file, "the entry has no topics")
                    .with_hint("add `topics:` so it appears on topic pages"),
            );
        }
    }
    for partner in content.partners.iter().filter(|p| !p.registered) {
        if uses.get(partner.id.as_str()) == Some(&1) {
            let registered = content
                .partners
                .iter()
                .filter(|p| p.registered)
                .flat_map(|p| {
                    std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(String::as_str))
                });
            if let Some(near) = diagnostic::suggest(&partner.name, registered) {
                let file = content
                    .entries
                    .iter()
                    .find(|e| e.partners.iter().any(|p| p.id == partner.id))
                    .map(|e| e.file.clone())
                    .unwrap_or_default();
                extras.push(
                    Diagnostic::warning(
                        file,
                        format!(
                            "partner `{}` is named once and resembles `{near}`",
                            partner.name
                        ),
                    )
                    .with_hint(format!("if it is the same partner, write `{near}`")),
                );
            }
        }
    }
    extras
}

/// Adds the redirect pages of entry aliases; an alias that lands on a page or another alias
/// is an error naming the entry.
pub(crate) fn add_redirects(
    renderer: &render::Renderer,
    files: &[render::FileRef],
    sink: render::Sink,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    let mut problems = Vec::new();
    let (redirects, owners) = renderer.redirects();
    if redirects.is_empty() {
        // Most sites have no aliases: no need to list every path and folder.
        return Ok(problems);
    }
    let site: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let folders: HashSet<&str> = files.iter().flat_map(|f| folders_of(&f.path)).collect();
    // The redirects written so far, with the file whose alias each is.
    let mut written: HashMap<String, PathBuf> = HashMap::default();
    for (file, (owner, place)) in redirects.into_iter().zip(owners) {
        let path = file.path.as_str();
        let taken = |p: &str| site.contains(p) || written.contains_key(p);
        let clash = match written.get(path) {
            Some(other) => Some(format!("an alias of `{}`", diagnostic::display_path(other))),
            None => (site.contains(path) || folders.contains(path) || folders_of(path).any(taken))
                .then(|| "a page or file of the site".to_string()),
        };
        match clash {
            Some(what) => {
                problems.push(
                    Diagnostic::error(
                        &owner,
                        format!(
                            "alias `/{}` is already {what}",
                            path.trim_end_matches("index.html")
                        ),
                    )
                    .at_place(&place)
                    .with_hint("remove the alias or point it at a URL nothing else uses"),
                );
            }
            None => {
                written.insert(file.path.clone(), owner);
                sink(file)?;
            }
        }
    }
    Ok(problems)
}

/// The folders a path lies in: `a/b/c.html` → `a`, `a/b`.
pub(crate) fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// The theme's static files, then the site's (which win), then the files beside entries;
/// and the links refused on the way ([`tree::walk`]).
pub(crate) fn static_files(
    config: &config::Config,
    content: &content::Content,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let fence = tree::Fence::new(&config.root, Some(&config.output_dir));
    let mut files: Vec<OutputFile> = Vec::new();
    let mut problems = Vec::new();
    let mut copy_tree = |dir: &Path, files: &mut Vec<OutputFile>| {
        let tree = tree::walk(&fence, dir);
        problems.extend(tree.problems);
        tree.files
            .into_iter()
            .map(|found| OutputFile {
                path: found.rel,
                contents: Contents::Copy(found.path),
            })
            .for_each(|file| {
                files.retain(|f| f.path != file.path);
                files.push(file);
            });
    };
    let theme_static = config.theme_dir().join("static");
    if fence.admit(&config.theme_dir()).is_err() {
        // A link the rule refuses: `templates::load` reports it, and nothing is read
        // through it.
    } else if std::fs::symlink_metadata(&theme_static).is_ok() {
        copy_tree(&theme_static, &mut files);
    } else if std::fs::symlink_metadata(config.theme_dir()).is_err() && config.theme == "default" {
        files.extend(theme::STATIC.iter().map(|(path, text)| OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(text.as_bytes().to_vec().into()),
        }));
    }
    copy_tree(&config.site_static_dir(), &mut files);
    files.extend(content.assets.iter().map(|asset| OutputFile {
        path: asset.path.clone(),
        contents: Contents::Copy(asset.source.clone()),
    }));
    (files, problems)
}

/// A static file or a file beside an entry that lands on a generated page (or on a folder of
/// one) is an error.
pub(crate) fn check_collisions(files: &[render::FileRef]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &render::FileRef> = HashMap::default();
    let mut problems = Vec::new();
    let describe = |f: &render::FileRef| match &f.source {
        Some(source) => format!("`{}`", source.display()),
        None => "a generated page".to_string(),
    };
    let source_of = |f: &render::FileRef| match &f.source {
        Some(source) => source.clone(),
        None => PathBuf::from(&f.path),
    };
    for file in files {
        if let Some(first) = seen.get(file.path.as_str()) {
            problems.push(
                Diagnostic::error(
                    source_of(file),
                    format!(
                        "`/{}` would be written by both {} and {}",
                        file.path,
                        describe(first),
                        describe(file)
                    ),
                )
                .with_hint("rename or move one of them"),
            );
        } else {
            seen.insert(&file.path, file);
        }
    }
    let mut reported = HashSet::default();
    for file in files {
        for folder in folders_of(&file.path) {
            if !reported.insert(folder) {
                continue;
            }
            if let Some(other) = seen.get(folder) {
                problems.push(
                    Diagnostic::error(
                        source_of(other),
                        format!(
                            "`/{folder}` is a file from {}, but {} needs a folder there",
                            describe(other),
                            describe(file)
                        ),
                    )
                    .with_hint("rename or move one of them"),
                );
            }
        }
    }
    problems
}
