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
use crate::model::Entry;
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
    /// The last render, when it succeeded: where a change of entries in place starts from.
    last: Option<LastRender>,
}

/// What a successful render made besides its files' bytes (which the memo keeps).
struct LastRender {
    indexes: index::Indexes,
    data: render::memo::EntryData,
    /// Every file, sorted by path.
    files: Vec<OutputFile>,
    /// The paths of the HTML pages, sorted.
    page_paths: Vec<String>,
    partners: usize,
    /// Warnings of the steps after loading (colliding files, aliases).
    warnings: Vec<Diagnostic>,
}

/// How far [`Session::update_in_place`] got.
enum InPlace {
    /// It rendered (or failed to render) the site.
    Done(Result<Rendered, Failure>),
    /// The content is loaded and kept, but the indexes need making again.
    Loaded,
    /// The change is not one of entries in place.
    No,
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
    /// The entries left out of the build.
    pub held_back: content::HeldBack,
    /// How long each step took, for `--timings`.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// Whether only entries had changed, each in a way that kept every page there was, so
    /// that the indexes were kept or updated from the last render's, and the redirects kept
    /// (see [`Session::update`]).
    pub in_place: bool,
    /// Whether, more than that, every card was what it was, so that only the entries' pages,
    /// the feeds and the exports were made again.
    pub same_cards: bool,
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
    ///
    /// The common cases while writing take shorter ways ([`Rendered::in_place`]). A save that
    /// changes an entry's text but not the lists it is in leaves the indexes, the sitemap and
    /// the redirects as they were; only its page, its neighbours' pages, the lists that show
    /// its card, the feeds and the exports are made again. A new date may move the entry: the
    /// indexes are put in the new order, and the pages of the entries whose neighbours changed
    /// and the sitemap are made too. Another kind, other registered partners, or other topics
    /// the site has, move it from some lists to others: the partner or topic index is updated
    /// for those, whose pages and the sitemap are made too. None of these may add or remove a
    /// page; a new URL, alias, publication, unregistered partner or topic goes the whole way.
    /// A new entry file that takes nothing from the others (no alias, only registered partners
    /// and topics the site has, no entry linking to it) is put in its place and added to its
    /// lists, whose new pages join the sitemap (see [`content::load_in_place`]).
    /// A save below the first paragraph, with the front matter byte for byte what it was,
    /// leaves the cards too ([`Rendered::same_cards`]): only the entry's page, the feeds and
    /// the exports are made.
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
        let mut others = false;
        for path in relative {
            // Templates and the strings they show are loaded together.
            if path.starts_with("templates")
                || path.starts_with("themes")
                || path.starts_with("i18n")
            {
                self.kept.templates = None;
                others = true;
            } else if let Ok(rel) = path.strip_prefix("content") {
                let rel: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                content_paths.push(rel.join("/"));
            } else {
                others = true;
            }
        }
        if !others && !content_paths.is_empty() {
            match self.update_in_place(&content_paths) {
                InPlace::Done(result) => return result,
                InPlace::Loaded => return self.render_kept(),
                InPlace::No => {}
            }
        }
        self.kept.content.forget(&self.config, &content_paths);
        self.render_kept()
    }

    /// [`Session::update`] after entries changed in place (see [`content::load_in_place`]):
    /// renders the changed entries' pages, the feeds and the exports, and, when a card
    /// changed, the neighbours' pages and the lists (which the memo takes from the last render
    /// where they do not show it), and, when dates, kinds, partners or topics changed, the
    /// sitemap; takes every other file from the last render.
    fn update_in_place(&mut self, rels: &[String]) -> InPlace {
        if self.options.check_only {
            return InPlace::No;
        }
        let (Some(mut last), Some(templates)) =
            (self.kept.last.take(), self.kept.templates.clone())
        else {
            return InPlace::No;
        };
        let config = &self.config;
        let mut clock = Clock::start();
        let load_options = self.load_options();
        let Some(content::InPlace {
            content,
            problems: diagnostics,
            replaced,
            moved,
            relisted,
            retopiced,
            rekinded,
            added,
        }) = content::load_in_place(config, &load_options, &mut self.kept.content, rels)
        else {
            self.kept.last = Some(last);
            return InPlace::No;
        };
        clock.lap("load content");
        // From here on, a failure or a change of what lists count leaves `kept.last` empty:
        // the next change goes the whole way.
        let mut diagnostics = match self.check_loaded(diagnostics, &content) {
            Ok(diagnostics) => diagnostics,
            Err(failure) => return InPlace::Done(Err(failure)),
        };
        // An entry whose dates changed may have moved, and one that names other partners or
        // topics, or is of another kind, left some lists for others; one added joined some:
        // the lists are made again from the last render's, but must keep their pages.
        let reshaped = moved.is_some() || relisted || retopiced || rekinded || !added.is_empty();
        if rekinded && !kinds_keep_their_pages(config, &content, &replaced) {
            return InPlace::Loaded;
        }
        // (Entries added may give lists more pages, which are added below.)
        let pages_before =
            (reshaped && added.is_empty()).then(|| list_pages(config, &content, &last.indexes));
        let mut indexes = match &moved {
            _ if !added.is_empty() => last.indexes.with_added(&content, &added),
            Some(order) => last.indexes.reordered(&content, order),
            None => last.indexes,
        };
        let changed: Vec<(usize, Option<&Entry>)> = (replaced.iter())
            .map(|(at, old)| (*at, Some(&**old)))
            .collect();
        if relisted {
            indexes.partners = index::partners::relisted(
                std::mem::take(&mut indexes.partners),
                &content,
                &changed,
            );
        }
        if retopiced {
            indexes.topics =
                index::topics::relisted(std::mem::take(&mut indexes.topics), &content, &changed);
        }
        if pages_before.is_some_and(|before| before != list_pages(config, &content, &indexes)) {
            return InPlace::Loaded;
        }
        // The pages of entries added, and the lists' new pages, where no file and no folder
        // of the last render is.
        let mut page_paths = std::mem::take(&mut last.page_paths);
        if !added.is_empty() {
            let mut new_pages: Vec<String> = added
                .iter()
                .map(|&i| render::output_path(config, &content.entries[i].url))
                .collect();
            render::sitemap::list_pages(config, &content, &indexes, |path, _| {
                if page_paths
                    .binary_search_by(|p| p.as_str().cmp(path))
                    .is_err()
                {
                    new_pages.push(path.to_string());
                }
            });
            for path in new_pages {
                match page_paths.binary_search(&path) {
                    Err(at) if fits(&last.files, &path) => page_paths.insert(at, path),
                    _ => return InPlace::Loaded,
                }
            }
        }
        clock.lap("indexes");
        let Some((data, same_cards)) = self.kept.memo.begin_in_place(
            config,
            &content,
            &last.data,
            (&replaced, &added),
            moved.as_deref(),
            reshaped,
        ) else {
            return InPlace::Loaded;
        };
        clock.lap("entry data");
        let changed_positions: Vec<usize> = (replaced.iter().map(|(at, _)| *at))
            .chain(added.iter().copied())
            .collect();
        let positions = entry_pages_to_render(
            content.entries.len(),
            &changed_positions,
            moved.as_deref(),
            same_cards,
        );
        let made = Mutex::new(Vec::new());
        let put = |file: OutputFile| -> Result<(), render::RenderError> {
            if let Ok(mut made) = made.lock() {
                made.push(file);
            }
            Ok(())
        };
        let memo = &self.kept.memo;
        let renderer =
            match render::Renderer::with_memo(config, &templates, &content, &indexes, memo, data) {
                Ok(renderer) => renderer,
                Err(error) => return InPlace::Done(Err(Failure::Content(vec![*error]))),
            };
        let (pages, others) = rayon::join(
            || {
                // Lists first: where both fail, a fresh render reports the list's error.
                if !same_cards {
                    renderer.list_pages(&put)?;
                }
                renderer.entry_pages(&positions, &put)
            },
            || {
                render::feeds::feeds_into(
                    config,
                    &content,
                    &indexes,
                    load_options.now,
                    renderer.reuse(),
                    &put,
                )?;
                let (sitemap, exports) = rayon::join(
                    || {
                        if !reshaped {
                            return Vec::new();
                        }
                        // The dates the sitemap gives the lists' pages changed.
                        let pages = page_paths.iter().map(String::as_str);
                        let pages = render::sitemap::lastmods(config, &content, &indexes, pages);
                        render::sitemap::sitemap(config, &pages)
                    },
                    || renderer.exports(load_options.now),
                );
                sitemap.into_iter().chain(exports).try_for_each(put)
            },
        );
        if let Err(error) = pages.and(others) {
            return InPlace::Done(Err(Failure::Content(vec![*error])));
        }
        clock.lap("render pages, feeds and exports");
        let data = renderer.into_entry_data();
        let mut files = last.files;
        for file in made.into_inner().unwrap_or_default() {
            match files.binary_search_by(|f| f.path.cmp(&file.path)) {
                Ok(at) => files[at] = file,
                Err(at) => files.insert(at, file),
            }
        }

        diagnostics.extend(last.warnings.iter().cloned());
        // Links from the site's root, against the files as they are now (a fresh render
        // checks them after its collisions and redirects, whose warnings come before).
        let broken =
            render::root_links::check(config, &content, files.iter().map(|f| f.path.as_str()));
        if !broken.is_empty() {
            diagnostics.extend(broken);
            crate::diagnostic::sort(&mut diagnostics);
            return InPlace::Done(Err(Failure::Content(diagnostics)));
        }
        self.kept.memo.commit_some();
        let pages = page_paths.len();
        let rendered = Rendered {
            files: files.clone(),
            pages,
            entries: content.entries.len(),
            partners: last.partners,
            topics: content.topics.len(),
            warnings: diagnostics,
            held_back: content.held_back.clone(),
            timings: Vec::new(),
            in_place: true,
            same_cards,
        };
        clock.lap("collect files");
        self.kept.last = Some(LastRender {
            indexes,
            data,
            files,
            page_paths,
            ..last
        });
        InPlace::Done(Ok(Rendered {
            timings: clock.laps,
            ..rendered
        }))
    }

    fn load_options(&self) -> content::LoadOptions {
        content::LoadOptions {
            drafts: self.options.drafts,
            future: self.options.future,
            now: self.options.now.unwrap_or_else(jiff::Timestamp::now),
        }
    }

    /// The diagnostics of loading, with those of the configuration (and `check`'s); an error
    /// among them (or, with `--strict`, a warning) fails the build.
    fn check_loaded(
        &self,
        mut diagnostics: Vec<Diagnostic>,
        content: &content::Content,
    ) -> Result<Vec<Diagnostic>, Failure> {
        let config = &self.config;
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
        if self.options.check_only {
            diagnostics.extend(crate::check_extras(content));
        }
        self.judged(diagnostics)
    }

    /// `diagnostics` in the order they are read (causes first: [`crate::diagnostic::sort`]),
    /// warnings made errors with `--strict`; an error among them fails the build. Run again
    /// when the render adds its own (collisions, redirects, links from the site's root).
    fn judged(&self, mut diagnostics: Vec<Diagnostic>) -> Result<Vec<Diagnostic>, Failure> {
        if self.options.strict {
            for d in &mut diagnostics {
                d.severity = Severity::Error;
            }
        }
        crate::diagnostic::sort(&mut diagnostics);
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Err(Failure::Content(diagnostics));
        }
        Ok(diagnostics)
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
        } else {
            kept.last = None;
        }
        self.kept = kept;
        let mut rendered = rendered?;
        let mut files = files.into_inner().unwrap_or_default();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        if let Some(last) = &mut self.kept.last {
            last.files = files.clone();
        }
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
        let mut clock = Clock::start();
        let load_options = self.load_options();
        let (content, diagnostics) = match kept.as_deref_mut() {
            Some(kept) => content::load_cached(config, &load_options, &mut kept.content),
            None => content::load(config, &load_options),
        };
        clock.lap("load content");
        // The site's other trees are read before anything is judged, so that one run reports
        // the links refused in every tree ([`crate::tree`]) along with the content's problems.
        let (static_files, refused) = crate::static_files(config, &content);
        let mut diagnostics = diagnostics;
        diagnostics.extend(refused);
        let templates = match kept.as_deref_mut() {
            Some(Kept {
                templates: Some(templates),
                ..
            }) => Ok(templates.clone()),
            _ => render::templates::load(config).map(|templates| {
                let templates = std::sync::Arc::new(templates);
                if let Some(kept) = kept.as_deref_mut() {
                    kept.templates = Some(templates.clone());
                }
                templates
            }),
        };
        let templates = match templates {
            Ok(templates) => {
                diagnostics.extend(templates.warnings().iter().cloned());
                templates
            }
            Err(problems) => {
                diagnostics.extend(problems);
                return Err(match self.check_loaded(diagnostics, &content) {
                    Err(failure) => failure,
                    Ok(diagnostics) => Failure::Content(diagnostics),
                });
            }
        };
        let mut diagnostics = self.check_loaded(diagnostics, &content)?;
        clock.lap("templates");
        let indexes = index::build(&content);
        clock.lap("indexes");
        let written: Mutex<Vec<render::FileRef>> = Mutex::new(Vec::new());
        let put = |file: OutputFile| -> Result<(), render::RenderError> {
            if let Ok(mut written) = written.lock() {
                written.push(render::FileRef::from(&file));
            }
            sink(file)
        };
        let failed = |d: render::RenderError| Failure::Content(vec![*d]);
        let memo = kept.as_deref_mut().map(|kept| {
            let data = kept.memo.begin(config, &content);
            (&kept.memo, data)
        });
        let renderer = match memo {
            Some((memo, data)) => {
                render::Renderer::with_memo(config, &templates, &content, &indexes, memo, data)
            }
            None => render::Renderer::new(config, &templates, &content, &indexes),
        }
        .map_err(failed)?;
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
        put_all(static_files).map_err(failed)?;
        clock.lap("sitemap and files");
        let mut written = written
            .lock()
            .map(|mut w| std::mem::take(&mut *w))
            .unwrap_or_default();
        written.sort_by(|a, b| a.path.cmp(&b.path));
        let mut warnings = crate::check_collisions(&written);
        warnings.extend(crate::add_redirects(&renderer, &written, &put).map_err(failed)?);
        clock.lap("collisions and redirects");
        diagnostics.extend(warnings.iter().cloned());
        diagnostics.extend(render::root_links::check(
            config,
            &content,
            written.iter().map(|f| f.path.as_str()),
        ));
        let diagnostics = self.judged(diagnostics)?;
        let partners = indexes
            .partners
            .iter()
            .filter(|s| !s.entries.is_empty() || content.partners[s.partner].registered)
            .count();
        let data = renderer.into_entry_data();
        let (entries, topics) = (content.entries.len(), content.topics.len());
        let held_back = content.held_back.clone();
        match kept {
            Some(kept) => {
                let last = kept.last.replace(LastRender {
                    indexes,
                    data,
                    files: Vec::new(),
                    page_paths,
                    partners,
                    warnings,
                });
                crate::drop_aside((last, content, written));
            }
            None => crate::drop_aside((content, indexes, data, written, page_paths)),
        }
        Ok(Rendered {
            pages,
            entries,
            partners,
            topics,
            files: Vec::new(),
            warnings: diagnostics,
            held_back,
            timings: clock.laps,
            in_place: false,
            same_cards: false,
        })
    }
}

/// How many pages each year of the timeline, each partner and each topic has: what
/// [`Session::update_in_place`] needs unchanged to keep the last render's list of pages. A
/// list without entries has one page, but for an unregistered partner's or a topic's, which
/// have none (a fresh load would not know them at all).
fn list_pages(
    config: &Config,
    content: &content::Content,
    indexes: &index::Indexes,
) -> [Vec<(i64, usize)>; 3] {
    let per_page = config.per_page.max(1);
    let pages = |entries: &[usize], kept: bool| match entries.len() {
        0 if !kept => 0,
        n => n.div_ceil(per_page).max(1),
    };
    [
        (indexes.timeline.years.iter())
            .map(|y| (i64::from(y.year), pages(&y.entries, false)))
            .collect(),
        (indexes.partners.iter())
            .map(|p| {
                let registered = content
                    .partners
                    .get(p.partner)
                    .is_some_and(|p| p.registered);
                (p.partner as i64, pages(&p.entries, registered))
            })
            .collect(),
        (indexes.topics.iter())
            .map(|t| (t.topic as i64, pages(&t.entries, false)))
            .collect(),
    ]
}

/// Whether every kind's list has as many pages as before the entries `replaced` (at their
/// positions in `content.entries`, each with the entry that was there) changed their kinds.
/// (A kind without entries has no page.)
fn kinds_keep_their_pages(
    config: &Config,
    content: &content::Content,
    replaced: &[content::Replaced],
) -> bool {
    // Kind → entries it gained (less those it lost).
    let mut gained: std::collections::BTreeMap<&str, isize> = Default::default();
    for (at, old) in replaced {
        *gained.entry(&content.entries[*at].kind).or_default() += 1;
        *gained.entry(&old.kind).or_default() -= 1;
    }
    let per_page = config.per_page.max(1);
    let pages = |entries: usize| entries.div_ceil(per_page);
    gained
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .all(|(kind, n)| {
            let now = content.entries.iter().filter(|e| e.kind == kind).count();
            pages(now) == pages(now.saturating_add_signed(-n))
        })
}

/// The positions of the entries whose pages [`Session::update_in_place`] renders: those of
/// the entries `changed` (or added), and, unless every card is where and what it was, their
/// neighbours and every entry whose neighbours are others than they were (after entries
/// `moved`).
fn entry_pages_to_render(
    entries: usize,
    changed: &[usize],
    moved: Option<&[usize]>,
    same_cards: bool,
) -> Vec<usize> {
    let mut positions = changed.to_vec();
    if same_cards {
        return positions;
    }
    // An entry page shows the entries before and after it.
    let neighbours = |i: usize| (i.checked_sub(1), Some(i + 1).filter(|&j| j < entries));
    positions = positions
        .iter()
        .flat_map(|&i| {
            let (before, after) = neighbours(i);
            [before, Some(i), after]
        })
        .flatten()
        .collect();
    if let Some(order) = moved {
        for (i, &was) in order.iter().enumerate() {
            let (before, after) = neighbours(i);
            let now = (before.map(|j| order[j]), after.map(|j| order[j]));
            if now != neighbours(was) {
                positions.push(i);
            }
        }
    }
    positions.sort_unstable();
    positions.dedup();
    positions
}

/// Whether a page at `path` can join `files` (sorted by path) without a collision: no file is
/// there or below it, and none is where it needs a folder.
fn fits(files: &[OutputFile], path: &str) -> bool {
    let find = |path: &str| files.binary_search_by(|f| f.path.as_str().cmp(path));
    let below = format!("{path}/");
    let first_below = files.partition_point(|f| f.path < below);
    find(path).is_err()
        && !files
            .get(first_below)
            .is_some_and(|f| f.path.starts_with(&below))
        && crate::folders_of(path).all(|folder| find(folder).is_err())
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
