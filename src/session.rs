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
    /// What [`Session::render`] keeps for [`Session::update`]; a build keeps nothing.
    kept: Kept,
}

/// What one render keeps so that the next one redoes only what a change affects: the parsed
/// and rendered entries, the templates, and every generated file with the digest of what it
/// was made from.
#[derive(Default)]
struct Kept {
    content: content::Cache,
    templates: Option<std::sync::Arc<render::templates::Templates>>,
    memo: render::memo::Memo,
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
            kept: Kept::default(),
        })
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Re-reads `site.yaml` (after it changed); everything kept is dropped.
    pub fn reload_config(&mut self) -> Result<(), Failure> {
        self.kept = Kept::default();
        self.config = crate::load_config(&self.site, &self.options)?;
        crate::check_output_location(&self.config)?;
        Ok(())
    }

    /// Renders the site again after the files in `changed` (paths inside the site folder as
    /// given to [`Session::open`]) were created, changed, deleted or renamed. The result is the
    /// same as a fresh [`Session::render`] of the files as they are now, but only the files
    /// that changed are read again, and only the pages they affect are rendered again.
    pub fn update(&mut self, changed: &[PathBuf]) -> Result<Rendered, Failure> {
        let root = self.site.as_path();
        // A path outside the site folder as given cannot be placed: treat it as a change of
        // everything rather than risk serving a stale page.
        let relative: Option<Vec<&Path>> =
            changed.iter().map(|p| p.strip_prefix(root).ok()).collect();
        let relative = relative.unwrap_or_default();
        let everything = relative.len() != changed.len()
            || relative.iter().any(|p| {
                p.as_os_str().is_empty()
                    || *p == Path::new("site.yaml")
                    || *p == Path::new("content")
            });
        if everything {
            self.reload_config()?;
            return self.render_kept();
        }
        let mut content_paths = Vec::new();
        for path in relative {
            if path.starts_with("templates") || path.starts_with("themes") {
                self.kept.templates = None;
            } else if let Ok(rel) = path.strip_prefix("content") {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                content_paths.push(rel.join("/"));
            }
        }
        self.kept.content.forget(&self.config, &content_paths);
        self.render_kept()
    }

    /// Loads, checks and renders the whole site into memory, and keeps what
    /// [`Session::update`] needs to redo only what a change affects.
    pub fn render(&mut self) -> Result<Rendered, Failure> {
        self.kept = Kept::default();
        self.render_kept()
    }

    /// Renders into memory, reusing what the last render kept.
    fn render_kept(&mut self) -> Result<Rendered, Failure> {
        let files = Mutex::new(Vec::new());
        let mut kept = std::mem::take(&mut self.kept);
        let rendered = self.render_into(
            &|file| {
                if let Ok(mut files) = files.lock() {
                    files.push(file);
                }
                Ok(())
            },
            Some(&mut kept),
        );
        if rendered.is_ok() {
            kept.memo.commit();
        }
        self.kept = kept;
        let mut rendered = rendered?;
        let mut files = files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        rendered.files = files;
        Ok(rendered)
    }

    /// Loads, checks and renders the whole site, handing each file to `sink` as soon as it
    /// is made (so a build never holds the whole site in memory). `Rendered::files` is empty.
    pub fn render_to(&mut self, sink: render::Sink) -> Result<Rendered, Failure> {
        self.render_into(sink, None)
    }

    /// [`Session::render_to`], reusing and updating what `kept` holds when there is one.
    fn render_into(
        &self,
        sink: render::Sink,
        mut kept: Option<&mut Kept>,
    ) -> Result<Rendered, Failure> {
        let config = &self.config;
        let options = &self.options;
        let mut clock = Clock::start();
        let load_options = content::LoadOptions {
            drafts: options.drafts,
            future: options.future,
            now: options.now.unwrap_or_else(jiff::Timestamp::now),
        };
        let (content, mut diagnostics) = match kept.as_deref_mut() {
            Some(kept) => content::load_cached(config, &load_options, &mut kept.content),
            None => content::load(config, &load_options),
        };
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
        let templates = match kept.as_deref_mut() {
            Some(Kept {
                templates: Some(templates),
                ..
            }) => templates.clone(),
            _ => {
                let templates = std::sync::Arc::new(
                    render::templates::load(config).map_err(|d| Failure::Content(vec![d]))?,
                );
                if let Some(kept) = kept.as_deref_mut() {
                    kept.templates = Some(templates.clone());
                }
                templates
            }
        };
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
        let memo = kept.map(|kept| {
            let data = kept.memo.begin(config, &content);
            (&mut kept.memo, data)
        });
        let renderer = match memo {
            Some((memo, data)) => {
                render::Renderer::with_memo(config, &templates, &content, &indexes, memo, data)
            }
            None => render::Renderer::new(config, &templates, &content, &indexes),
        };
        // Pages, then the feeds and exports (which need no page). When rendering for `serve`,
        // where a rebuild redoes little, they are made side by side to answer sooner; a build
        // makes them one after the other, to hold less in memory at once.
        let put_all = |files: Vec<OutputFile>| files.into_par_iter().try_for_each(put);
        let pages = || renderer.pages(&put);
        let others = || {
            render::feeds::feeds_into(
                config,
                &content,
                &indexes,
                load_options.now,
                renderer.reuse(),
                &put,
            )?;
            put_all(renderer.exports(load_options.now))
        };
        let (page_paths, others) = if renderer.reuse().is_some() {
            rayon::join(pages, others)
        } else {
            let page_paths = pages();
            (page_paths, others())
        };
        let page_paths = page_paths.map_err(failed)?;
        others.map_err(failed)?;
        let pages = page_paths.len();
        clock.lap("render pages, feeds and exports");
        let page_list = render::sitemap::lastmods(
            config,
            &content,
            &indexes,
            page_paths.iter().map(String::as_str),
        );
        put_all(render::sitemap::sitemap(config, &page_list)).map_err(failed)?;
        put_all(crate::static_files(config, &content)?).map_err(failed)?;
        clock.lap("sitemap and files");
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
