//! A site held in memory between builds: what `build` runs once and `serve` runs on every change.
//!
//! [`Session::render`] goes from the site's files to the complete list of output files without
//! writing anything; the caller decides where they go (`output::write` for `build`, memory and
//! the output folder for `serve`).

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{Diagnostic, Severity};
use crate::render::{self, OutputFile};
use crate::{BuildOptions, Failure, content, index};

/// A site and the options it is built with.
pub struct Session {
    site: PathBuf,
    options: BuildOptions,
    config: Config,
}

/// The result of rendering: every output file and the counts for the summary.
#[derive(Debug)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// Of `files`, how many are HTML pages.
    pub pages: usize,
    pub entries: usize,
    pub partners: usize,
    pub topics: usize,
    /// Warnings of a successful build.
    pub warnings: Vec<Diagnostic>,
    /// How long each step took, for `--timings`.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

impl Session {
    /// Reads `site.yaml` and checks the output location.
    pub fn open(site: &Path, options: &BuildOptions) -> Result<Session, Failure> {
        let config = crate::load_config(site, options)?;
        crate::check_output_location(&config)?;
        Ok(Session {
            site: site.to_path_buf(),
            options: options.clone(),
            config,
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Re-reads `site.yaml` (after it changed).
    pub fn reload_config(&mut self) -> Result<(), Failure> {
        self.config = crate::load_config(&self.site, &self.options)?;
        crate::check_output_location(&self.config)?;
        Ok(())
    }

    /// Renders the site again after the files in `changed` (paths inside the site folder)
    /// were created, changed, deleted or renamed. The result is the same as a fresh
    /// [`Session::render`] of the files as they are now.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Rendered, Failure> {
        if changed
            .iter()
            .any(|p| p.file_name().is_some_and(|n| n == "site.yaml"))
        {
            self.reload_config()?;
        }
        self.render()
    }

    /// Loads, checks and renders the whole site into memory.
    pub fn render(&mut self) -> Result<Rendered, Failure> {
        let files = Mutex::new(Vec::new());
        let mut rendered = self.render_to(&|file| {
            if let Ok(mut files) = files.lock() {
                files.push(file);
            }
            Ok(())
        })?;
        let mut files = files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        rendered.files = files;
        Ok(rendered)
    }

    /// Loads, checks and renders the whole site, handing each file to `sink` as soon as it
    /// is made (so a build never holds the whole site in memory). `Rendered::files` is empty.
    pub fn render_to(&mut self, sink: render::Sink) -> Result<Rendered, Failure> {
        let config = &self.config;
        let options = &self.options;
        let mut clock = Clock::start();
        let load_options = content::LoadOptions {
            drafts: options.drafts,
            future: options.future,
            now: options.now.unwrap_or_else(jiff::Timestamp::now),
        };
        let (content, mut diagnostics) = content::load(config, &load_options);
        clock.lap("load content");
        if !config.has_absolute_base_url() {
            diagnostics.push(
                Diagnostic::warning(
                    "site.yaml",
                    format!("`base_url` `{}` is not absolute", config.base_url),
                )
                .with_hint(
                    "canonical links need the full address, e.g. `base_url: https://example.org/`",
                ),
            );
        }
        if options.check_only {
            diagnostics.extend(crate::check_extras(&content));
        }
        if options.strict {
            for d in &mut diagnostics {
                d.severity = Severity::Error;
            }
        }
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Failure::Content(diagnostics));
        }
        let templates = render::templates::load(config).map_err(|d| Failure::Content(vec![d]))?;
        let indexes = index::build(&content);
        clock.lap("templates and indexes");
        let written: Mutex<Vec<render::FileRef>> = Mutex::new(Vec::new());
        let put = |file: OutputFile| -> Result<(), render::RenderError> {
            if let Ok(mut written) = written.lock() {
                written.push(render::FileRef::from(&file));
            }
            sink(file)
        };
        let failed = |d: render::RenderError| Failure::Content(vec![*d]);
        let renderer = render::Renderer::new(config, &templates, &content, &indexes);
        let page_paths = renderer.pages(&put).map_err(failed)?;
        let pages = page_paths.len();
        clock.lap("render pages");
        let page_list = render::sitemap::lastmods(
            config,
            &content,
            &indexes,
            page_paths.iter().map(String::as_str),
        );
        render::feeds::feeds_into(config, &content, &indexes, load_options.now, &put)
            .map_err(failed)?;
        let put_all = |files: Vec<OutputFile>| files.into_par_iter().try_for_each(put);
        put_all(render::data::render(config, &content, load_options.now)).map_err(failed)?;
        put_all(render::sitemap::sitemap(config, &page_list)).map_err(failed)?;
        put_all(render::search::files(config, &content)).map_err(failed)?;
        put_all(crate::static_files(config, &content)?).map_err(failed)?;
        clock.lap("feeds, data and files");
        let mut written = written
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        written.sort_by(|a, b| a.path.cmp(&b.path));
        diagnostics.extend(crate::check_collisions(&written));
        diagnostics.extend(crate::add_redirects(&renderer, &written, &put).map_err(failed)?);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Failure::Content(diagnostics));
        }
        Ok(Rendered {
            pages,
            entries: content.entries.len(),
            partners: indexes
                .partners
                .iter()
                .filter(|s| !s.entries.is_empty() || content.partners[s.partner].registered)
                .count(),
            topics: content.topics.len(),
            files: Vec::new(),
            warnings: diagnostics,
            timings: clock.laps,
        })
    }
}

/// Times the steps of a build.
struct Clock {
    last: std::time::Instant,
    laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    fn start() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}
