//! A site held in memory between builds: what `build` runs once and `serve` runs on every change.
//!
//! [`Session::render`] goes from the site's files to the complete list of output files without
//! writing anything; the caller decides where they go (`output::write` for `build`, memory and
//! the output folder for `serve`).

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use std::sync::Arc;

use crate::build::{self, Clock, Kept, KeptRender};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::Entry;
use crate::plan::{List, Plan, What};
use crate::render::templates::Templates;
use crate::render::{self, OutputFile};
use crate::{BuildOptions, Failure, content, index};

pub use crate::build::Rendered;

/// A site and the options it is built with.
pub struct Session {
    site: PathBuf,
    options: BuildOptions,
    config: Config,
    /// What [`Session::render`] keeps for [`Session::update`]; a build keeps nothing.
    kept: Kept,
}

/// What [`Session::load_in_place`] hands on: the last render, the templates, the entries
/// loaded in place and the problems of loading, judged.
struct LoadedInPlace {
    last: KeptRender,
    templates: Arc<Templates>,
    loaded: content::InPlace,
    diagnostics: Vec<Diagnostic>,
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

impl Session {
    /// Reads `site.yaml` and checks the output location.
    pub fn open(site: &Path, options: &BuildOptions) -> Result<Session, Failure> {
        let config = build::load_config(site, options)?;
        build::check_output_location(&config)?;
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
        self.config = build::load_config(&self.site, &self.options)?;
        build::check_output_location(&self.config)?;
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
        let mut clock = Clock::start();
        let LoadedInPlace {
            mut last,
            templates,
            loaded,
            diagnostics,
        } = match self.load_in_place(rels) {
            Ok(loaded) => loaded,
            Err(way) => return *way,
        };
        clock.lap("load content");
        let (config, now) = (&self.config, build::load_options(&self.options).now);
        // An entry whose dates changed may have moved, and one that names other partners or
        // topics, or is of another kind, left some lists for others; one added joined some:
        // the lists are made again from the last render's, but must keep their pages.
        let reshaped = loaded.moved.is_some()
            || loaded.relisted
            || loaded.retopiced
            || loaded.rekinded
            || !loaded.added.is_empty();
        // Whether each entry stays in the lists it was in (but its year's, when it moved).
        let same_lists = !(loaded.relisted || loaded.retopiced || loaded.rekinded);
        let indexes = reshaped_indexes(last.indexes, &loaded);
        let content::InPlace {
            content,
            replaced,
            moved,
            added,
            ..
        } = loaded;
        let plan = match reshaped {
            true => {
                let plan = Plan::new(config, &content, &indexes, templates.has("data.html"));
                if !keeps_pages(&last.plan, &plan, &added, &last.files) {
                    return InPlace::Loaded;
                }
                plan
            }
            // The same lists, in the same order.
            false => std::mem::take(&mut last.plan),
        };
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
        let mut changed: Vec<usize> = (replaced.iter().map(|(at, _)| *at))
            .chain(added.iter().copied())
            .collect();
        changed.sort_unstable();
        let positions = entry_pages_to_render(
            content.entries.len(),
            &changed,
            moved.as_deref(),
            same_cards,
        );
        let sources = render::Sources::new(config, &templates, &content, &indexes, &plan);
        let shape = (same_cards, reshaped, same_lists);
        let lists = list_pages_to_render(shape, sources, changed, &replaced);
        let memo = (&self.kept.memo, data);
        let pages = (positions.as_slice(), &lists);
        let (data, made) = match render_changed(sources, memo, pages, reshaped, now) {
            Ok(made) => made,
            Err(error) => return InPlace::Done(Err(Failure::Content(vec![*error]))),
        };
        clock.lap("render pages, feeds and exports");
        let next = KeptRender {
            indexes,
            data,
            files: merged(last.files, made),
            plan,
            ..last
        };
        self.kept_in_place(next, &content, diagnostics, clock, same_cards)
    }

    /// The last step of [`Session::update_in_place`], with the render to keep (`next`): checks
    /// the links from the site's root against its files as they are now (a fresh render
    /// checks them after its collisions and redirects, whose warnings come before), and keeps
    /// it for the next update.
    fn kept_in_place(
        &mut self,
        next: KeptRender,
        content: &content::Content,
        mut diagnostics: Vec<Diagnostic>,
        clock: Clock,
        same_cards: bool,
    ) -> InPlace {
        diagnostics.extend(next.warnings.iter().cloned());
        let paths = next.files.iter().map(|f| f.path.as_str());
        let broken = render::root_links::check(&self.config, content, paths);
        if !broken.is_empty() {
            diagnostics.extend(broken);
            crate::diagnostic::sort(&mut diagnostics);
            return InPlace::Done(Err(Failure::Content(diagnostics)));
        }
        self.kept.memo.commit_some();
        let rendered = Rendered {
            files: next.files.clone(),
            timings: clock.laps,
            in_place: true,
            same_cards,
            ..Rendered::of(content, &next.plan, diagnostics)
        };
        self.kept.last = Some(next);
        InPlace::Done(Ok(rendered))
    }

    /// The first step of [`Session::update_in_place`]: the last render, the templates, the
    /// entries loaded in place and the problems of loading, judged. Fails with the way the
    /// update goes instead: not in place, or failed.
    fn load_in_place(&mut self, rels: &[String]) -> Result<LoadedInPlace, Box<InPlace>> {
        if self.options.check_only {
            return Err(Box::new(InPlace::No));
        }
        let (Some(last), Some(templates)) = (self.kept.last.take(), self.kept.templates.clone())
        else {
            return Err(Box::new(InPlace::No));
        };
        let load_options = build::load_options(&self.options);
        let cache = &mut self.kept.content;
        let Some(mut loaded) = content::load_in_place(&self.config, &load_options, cache, rels)
        else {
            self.kept.last = Some(last);
            return Err(Box::new(InPlace::No));
        };
        // From here on, a failure or a change of what lists count leaves `kept.last` empty:
        // the next change goes the whole way.
        let problems = std::mem::take(&mut loaded.problems);
        let options = (&self.config, &self.options);
        match build::check_loaded(options, problems, &loaded.content) {
            Ok(diagnostics) => Ok(LoadedInPlace {
                last,
                templates,
                loaded,
                diagnostics,
            }),
            Err(failure) => Err(Box::new(InPlace::Done(Err(failure)))),
        }
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
        let rendered = build::render(
            (&self.config, &self.options),
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
        build::render((&self.config, &self.options), sink, None)
    }
}

/// The last render's `indexes` for the content `loaded` in place: after the entries it
/// replaced changed and those it added joined, in the new order when entries moved, and the
/// partner and topic lists updated when entries named other partners or topics.
fn reshaped_indexes(indexes: index::Indexes, loaded: &content::InPlace) -> index::Indexes {
    let content::InPlace {
        content,
        replaced,
        added,
        relisted: partners,
        retopiced: topics,
        ..
    } = loaded;
    let (partners, topics) = (*partners, *topics);
    let moved = loaded.moved.as_deref();
    let mut indexes = match moved {
        _ if !added.is_empty() => indexes.with_added(content, added),
        Some(order) => indexes.reordered(content, order),
        None => indexes,
    };
    let changed: Vec<(usize, Option<&Entry>)> = (replaced.iter())
        .map(|(at, old)| (*at, Some(&**old)))
        .collect();
    if partners {
        let stats = std::mem::take(&mut indexes.partners);
        indexes.partners = index::partners::relisted(stats, content, &changed);
    }
    if topics {
        let stats = std::mem::take(&mut indexes.topics);
        indexes.topics = index::topics::relisted(stats, content, &changed);
    }
    indexes
}

/// Which list pages an update in place makes again (the others hold what they held, and are
/// neither made nor digested); every page that is not of a list goes through the memo.
enum ListPages {
    /// None: every card is what it was.
    None,
    /// Those that show a card of the entries at these positions (sorted): every list keeps
    /// its members, in order, and its pages.
    Showing(Vec<usize>),
    /// Every page of these lists ([`lists_holding`]).
    Of(HashSet<List>),
    All,
}

/// Which list pages an update in place makes again: none when every card is what it was
/// (`same_cards`); those that show a card of the entries at `changed` (sorted; `replaced`
/// holds what each was) when the lists were not `reshaped`; when they were but each entry
/// stays in the lists it was in (`same_lists`, but its year's), those of [`lists_holding`];
/// else all of them.
fn list_pages_to_render(
    (same_cards, reshaped, same_lists): (bool, bool, bool),
    sources: render::Sources,
    changed: Vec<usize>,
    replaced: &[content::Replaced],
) -> ListPages {
    let render::Sources {
        content,
        plan,
        indexes,
        ..
    } = sources;
    match (same_cards, reshaped, same_lists) {
        (true, _, _) => ListPages::None,
        (false, false, _) => ListPages::Showing(changed),
        (false, true, true) => {
            ListPages::Of(lists_holding(content, plan, indexes, &changed, replaced))
        }
        (false, true, false) => ListPages::All,
    }
}

/// The lists whose pages may have changed after the entries at `changed` (sorted) moved
/// among the others or were added, each staying in (or joining) the lists of its kind,
/// partners and topics (`replaced` holds what each changed entry was). A list that holds none
/// of them keeps its members, in order, and what its pages say of them (their cards, dates,
/// counts and co-partners); so does a year, unless an entry was added or changed year: a
/// year's pages show every year's count, and then every year is listed.
fn lists_holding(
    content: &content::Content,
    plan: &Plan,
    indexes: &index::Indexes,
    changed: &[usize],
    replaced: &[content::Replaced],
) -> HashSet<List> {
    let years_changed = replaced.len() < changed.len()
        || (replaced.iter()).any(|(at, old)| content.entries[*at].date.year != old.date.year);
    let holds = |list: List| {
        (plan.entries_of(indexes, list).iter()).any(|i| changed.binary_search(i).is_ok())
    };
    (plan.other_pages().iter())
        .filter_map(|page| match page.what {
            What::List(list, _) => Some(list),
            _ => None,
        })
        .collect::<HashSet<List>>()
        .into_iter()
        .filter(|&list| (years_changed && matches!(list, List::Year(_))) || holds(list))
        .collect()
}

/// Renders what an update in place makes again, with the memo and the entries' `data`
/// (which it hands back with the files made): the pages of the entries at `positions`, the
/// list pages `lists`, the feeds, the exports, and the sitemap when the lists were
/// `reshaped`.
fn render_changed(
    sources: render::Sources,
    (memo, data): (&render::memo::Memo, render::memo::EntryData),
    (positions, lists): (&[usize], &ListPages),
    reshaped: bool,
    now: jiff::Timestamp,
) -> Result<(render::memo::EntryData, Vec<OutputFile>), render::RenderError> {
    let made = Mutex::new(Vec::new());
    let put = &|file: OutputFile| -> Result<(), render::RenderError> {
        if let Ok(mut made) = made.lock() {
            made.push(file);
        }
        Ok(())
    };
    let renderer = render::Renderer::with_memo(sources, memo, data)?;
    let render::Sources {
        config,
        content,
        indexes,
        plan,
        ..
    } = sources;
    let (pages, others) = rayon::join(
        || {
            // Lists first: where both fail, a fresh render reports the list's error.
            match lists {
                ListPages::None => {}
                ListPages::Showing(changed) => renderer.list_pages_showing(changed, put)?,
                ListPages::Of(lists) => renderer.list_pages_of(|l| lists.contains(&l), put)?,
                ListPages::All => renderer.list_pages(put)?,
            }
            renderer.entry_pages(positions, put)
        },
        || {
            let reuse = renderer.reuse();
            render::feeds::feeds_into(config, content, (indexes, plan), now, reuse, put)?;
            let (sitemap, exports) = rayon::join(
                || {
                    if !reshaped {
                        return Vec::new();
                    }
                    // The dates the sitemap gives the lists' pages changed.
                    let pages = render::sitemap::lastmods(content, indexes, plan);
                    render::sitemap::sitemap(config, &pages)
                },
                || renderer.exports(now),
            );
            sitemap.into_iter().chain(exports).try_for_each(put)
        },
    );
    pages.and(others)?;
    let data = renderer.into_entry_data();
    Ok((data, made.into_inner().unwrap_or_default()))
}

/// `files` (sorted by path) with each of `made` in place of the file at its path, or added.
fn merged(mut files: Vec<OutputFile>, made: Vec<OutputFile>) -> Vec<OutputFile> {
    for file in made {
        match files.binary_search_by(|f| f.path.cmp(&file.path)) {
            Ok(at) => files[at] = file,
            Err(at) => files.insert(at, file),
        }
    }
    files
}

/// Whether `plan` keeps every page of `last` (the plan of the last render, whose files are
/// `files`, sorted by path), as an update in place needs: the same pages, or, with the
/// entries at `added`, more, each where no file and no folder of the last render is, and no
/// two at one path. (Every other entry keeps its URL, and so its page.)
fn keeps_pages(last: &Plan, plan: &Plan, added: &[usize], files: &[OutputFile]) -> bool {
    let (mut before, mut after) = (list_paths(last), list_paths(plan));
    before.sort_unstable();
    after.extend(added.iter().map(|&i| plan.entry_pages()[i].path.as_str()));
    after.sort_unstable();
    if added.is_empty() {
        return before == after;
    }
    let new: Vec<&str> = (after.iter().copied())
        .filter(|path| before.binary_search(path).is_err())
        .collect();
    after.len() == before.len() + new.len()
        && new.windows(2).all(|pair| pair[0] != pair[1])
        && new.iter().all(|path| fits(files, path))
}

/// The paths of the pages of `plan` but the entries'.
fn list_paths(plan: &Plan) -> Vec<&str> {
    plan.other_pages().iter().map(|p| p.path.as_str()).collect()
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
    let neighbours = |i: usize| crate::plan::neighbours(entries, i);
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
        && build::folders_of(path).all(|folder| find(folder).is_err())
}
