//! gazette turns a folder of Markdown entries (engagements, press releases) into a static site:
//! a page per entry, a timeline, a partner index with a page per partner, and topic pages.
//!
//! [`build`] is the whole pipeline, one named step per line:
//! `config::load` → `content::load` → `index::build` → `render` → `output::write`.
//! Only `content` and `config` read the site; only `output` writes. The binary in `main.rs`
//! parses the command line, calls [`build`] and prints what it returns.

mod aside;
pub mod attachments;
pub mod build;
pub mod config;
pub mod content;
pub mod diagnostic;
pub mod digest;
pub mod files;
pub mod i18n;
pub mod index;
pub mod markdown;
pub mod model;
pub mod output;
pub mod photos;
pub mod plan;
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

use std::path::Path;
use std::time::Instant;

pub(crate) use aside::drop_aside;
pub use build::{BuildOptions, Failure, Summary};
use diagnostic::Diagnostic;

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
        build::load_config(site, options)
            .map(|config| config.output_dir)
            .unwrap_or_else(|_| site.join("output"))
    });
    output.join(output::MARKER).is_file()
}
