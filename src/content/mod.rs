//! Reading the site: `content/`, `partners.yaml` and the files beside entries.
//!
//! This is the only module that reads content from disk. It turns files into the plain data of
//! [`crate::model`], collecting every problem as a [`Diagnostic`] instead of stopping at the
//! first. Everything after it is a pure function of [`Content`].

pub mod frontmatter;
pub mod partners;
pub mod plain;

use std::collections::BTreeMap;

use ahash::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, display_path};
use crate::markdown;
use crate::model::{Entry, Partner, PartnerRef, Place, Source, Topic, TopicRef, Update, When};
use crate::slug;
use frontmatter::FrontMatter;
use partners::Registry;

/// What decides which entries are published.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    pub future: bool,
    /// The moment embargoes are judged against.
    pub now: jiff::Timestamp,
}

/// A file beside the entries, copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub source: PathBuf,
    /// Output-relative path with `/` separators, e.g. `engagements/map.png`.
    pub path: String,
}

/// Everything the site is made of, published entries only.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Newest first; ties broken by URL. Shared, so that a rebuild reuses unchanged entries.
    pub entries: Vec<Arc<Entry>>,
    /// Registered partners, then unregistered ones that published entries name.
    pub partners: Vec<Partner>,
    pub topics: Vec<Topic>,
    pub assets: Vec<Asset>,
    /// The entries left out of the build, for the summary. A change of entries in place
    /// (`serve`, [`load_in_place`]) keeps the last whole load's.
    pub held_back: HeldBack,
}

/// The entries left out of a build: drafts (without `--drafts`) and embargoed entries
/// (without `--future`). A draft under embargo counts as a draft: it waits for its author.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldBack {
    pub drafts: usize,
    pub embargoed: usize,
    /// The first embargo to lift after the moment judged against, and the entry it holds
    /// back (of several at that moment, the first by path), when one is not also a draft.
    pub next_embargo: Option<(jiff::Timestamp, PathBuf)>,
}

/// First URL segments the site itself uses; an entry may not take them.
pub const RESERVED: &[&str] = &[
    "timeline",
    "partners",
    "topics",
    "search",
    "data",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "search-index.json",
    "search-index.js",
    "page",
];

/// Reads and checks everything under `content/`.
pub fn load(config: &Config, options: &LoadOptions) -> (Content, Vec<Diagnostic>) {
    let mut cache = Cache::default();
    let loaded = load_cached(config, options, &mut cache);
    crate::drop_aside(cache);
    loaded
}

/// What one load keeps for the next: the list of files, the partner registry, every file's
/// parsed front matter and every entry's rendered body. [`Cache::forget`] drops what a change
/// may have made stale; what is left is reused as it is.
///
/// Valid only for one configuration: a changed `site.yaml` needs a new cache.
#[derive(Default)]
pub struct Cache {
    walk: Option<Walked>,
    registry: Option<(Arc<Registry>, Vec<Diagnostic>)>,
    /// By content-relative path: the typed entry, or why it could not be read.
    typed: HashMap<String, TypedOrProblems>,
    /// By content-relative path: the finished entry and what it depended on.
    finished: HashMap<String, Finished>,
    /// What the last load made, for [`load_in_place`].
    last: Option<Last>,
}

/// What the last load made and looked things up in, so that a change of entries in place
/// ([`load_in_place`]) types and renders those entries again and changes nothing else.
struct Last {
    content: Content,
    /// Its problems that do not come from bodies (the files, the registry, front matter, URLs,
    /// partner and topic names), in the order [`load_cached`] finds them.
    problems: Vec<Diagnostic>,
    /// The problems of each published entry's body, by position in `typed`, where there are any.
    body_problems: BTreeMap<usize, Vec<Diagnostic>>,
    typed: Vec<Arc<Typed>>,
    names: Names,
    /// What links are resolved against: published entries' URLs, unpublished entries, files.
    urls: HashMap<String, String>,
    hidden: HashSet<String>,
    /// Entries whose front matter has errors: links to them are not reported.
    failed: HashSet<String>,
    files: HashSet<String>,
    /// The files that unpublished entries link to ([`held_back`]).
    held: HashSet<String>,
    /// The digests of `names.partner_refs` and `names.topic_refs`.
    partner_digests: Vec<u64>,
    topic_digests: Vec<u64>,
    /// The moment embargoes were judged against, and the first embargo still ahead of it:
    /// until then, the same entries are published.
    now: jiff::Timestamp,
    next_embargo: Option<jiff::Timestamp>,
}

/// The digest of what the entry at `position` in the typed entries is made from besides its
/// file: its partners and topics, and what its links (to `targets`) point at.
fn depends(
    names: &Names,
    partner_digests: &[u64],
    topic_digests: &[u64],
    links: &LinkTargets,
    position: usize,
    targets: &[String],
) -> u64 {
    let mut hasher = std::hash::DefaultHasher::new();
    for &i in &names.partners_of[position] {
        partner_digests[i].hash(&mut hasher);
    }
    0u8.hash(&mut hasher);
    for &i in &names.topics_of[position] {
        topic_digests[i].hash(&mut hasher);
    }
    for target in targets {
        (
            target,
            links.urls.get(target),
            links.hidden.contains(target),
            links.failed.contains(target),
            links.files.contains(target),
        )
            .hash(&mut hasher);
    }
    hasher.finish()
}

/// What an entry's links are looked up in.
#[derive(Clone, Copy)]
struct LinkTargets<'a> {
    /// Published entries' URLs, by content-relative path.
    urls: &'a HashMap<String, String>,
    /// Entries left out of the build.
    hidden: &'a HashSet<String>,
    /// Entries that could not be read.
    failed: &'a HashSet<String>,
    /// The other files under `content/`.
    files: &'a HashSet<String>,
}

impl Last {
    fn links(&self) -> LinkTargets<'_> {
        LinkTargets {
            urls: &self.urls,
            hidden: &self.hidden,
            failed: &self.failed,
            files: &self.files,
        }
    }
}

/// The files under `content/`.
struct Walked {
    /// In the walk's order: by name within each folder, which is not the order of the paths
    /// as strings (`news-2.md` sorts before `news/a.md`).
    sources: Vec<String>,
    /// The sources reached through a symbolic link (the file's own or a folder's): a change
    /// is reported at the path of what it points to, so no change of theirs can be placed.
    linked: Vec<String>,
    /// Whether the walk went through a symbolic link (to a file or a folder, with sources or
    /// not).
    links: bool,
    assets: Vec<Asset>,
    problems: Vec<Diagnostic>,
}

impl Walked {
    /// Adds the new Markdown file at `rel` (in `dir`, whose `metadata` is given) to the
    /// walk, or takes out the one that is gone, when a new walk would see only that: a plain
    /// file in plain folders, none of them ignored, no link on the way. False when only a new
    /// walk can tell: a folder, a link, another file, a walk that had problems or went
    /// through a link (the file may be reached that way too).
    fn patch(
        &mut self,
        dir: &Path,
        rel: &str,
        metadata: &std::io::Result<std::fs::Metadata>,
    ) -> bool {
        match (metadata, self.place(rel)) {
            (Ok(metadata), Some(Err(at))) if metadata.is_file() && plain_folders(dir, rel) => {
                self.sources.insert(at, rel.to_string());
                true
            }
            (Err(error), Some(Ok(at))) if error.kind() == std::io::ErrorKind::NotFound => {
                self.sources.remove(at);
                true
            }
            _ => false,
        }
    }

    /// Where the Markdown file at `rel` is in the walk's order (`Ok`) or would go (`Err`), as
    /// [`slice::binary_search`] says; `None` when only a new walk can tell what a change there
    /// does: not a Markdown file, an ignored name on the way, a walk that had problems or went
    /// through a link.
    fn place(&self, rel: &str) -> Option<Result<usize, usize>> {
        if !rel.ends_with(".md")
            || !self.problems.is_empty()
            || rel
                .split('/')
                .any(|name| name.is_empty() || is_ignored(name))
            || self.links
        {
            return None;
        }
        // The walk's order: by name within each folder, a folder's files right after it.
        Some(
            self.sources
                .binary_search_by(|source| Path::new(source).cmp(Path::new(rel))),
        )
    }
}

/// Whether every folder on the way to `rel` (below `dir`) is a plain folder, not a link.
fn plain_folders(dir: &Path, rel: &str) -> bool {
    let mut folder = dir.to_path_buf();
    let mut names: Vec<&str> = rel.split('/').collect();
    names.pop();
    names.into_iter().all(|name| {
        folder.push(name);
        std::fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir())
    })
}

/// An entry with its body rendered, and a digest of everything it was made from besides its
/// own file: its partners and topics as resolved, and what its links pointed at.
struct Finished {
    key: u64,
    entry: Arc<Entry>,
    problems: Vec<Diagnostic>,
    /// What its links were looked up at (see [`markdown::Rendered::targets`]).
    targets: Vec<String>,
}

impl Cache {
    /// Drops what a change of the paths in `changed` (content-relative, `/`-separated: files
    /// or folders, created, changed or removed) may have made stale. A change of
    /// `partners.yaml` drops the registry; one that adds, removes or renames a file (or
    /// touches a folder) drops the list of files, unless it is a Markdown file that can be
    /// added to the list or taken out of it as it is (`Walked::patch`).
    pub fn forget(&mut self, config: &Config, changed: &[String]) {
        if !changed.is_empty() {
            if let Some(last) = self.last.take() {
                crate::drop_aside(last);
            }
            // Any change may be one of theirs.
            if let Some(walk) = &self.walk {
                for rel in &walk.linked {
                    self.typed.remove(rel);
                    self.finished.remove(rel);
                }
            }
        }
        for rel in changed {
            if rel == partners::FILE.trim_start_matches("content/") {
                self.registry = None;
                continue;
            }
            let known = self.walk.as_ref().is_some_and(|w| {
                w.sources.contains(rel) || w.assets.iter().any(|a| &a.path == rel)
            });
            let dir = config.content_dir();
            let metadata = std::fs::symlink_metadata(dir.join(rel));
            let is_file = metadata.as_ref().is_ok_and(|m| m.is_file());
            // A file changed in place leaves the list of files as it was; one added or
            // removed changes it, in the walk as it is where that can be told.
            let kept = (known && is_file)
                || self
                    .walk
                    .as_mut()
                    .is_some_and(|walk| walk.patch(&dir, rel, &metadata));
            if !kept {
                self.walk = None;
            }
            self.typed.remove(rel);
            self.finished.remove(rel);
            if !is_file {
                // A folder: everything below it.
                let folder = format!("{rel}/");
                self.typed.retain(|key, _| !key.starts_with(&folder));
                self.finished.retain(|key, _| !key.starts_with(&folder));
            }
        }
    }
}

/// [`load`], reusing what `cache` kept from the previous load and keeping this one's.
pub fn load_cached(
    config: &Config,
    options: &LoadOptions,
    cache: &mut Cache,
) -> (Content, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let walked = cache.walk.get_or_insert_with(|| walk(config));
    problems.extend(walked.problems.iter().cloned());
    let assets = walked.assets.clone();
    let sources = &walked.sources;
    let (registry, registry_problems) = cache.registry.get_or_insert_with(|| {
        let (registry, problems) = partners::load(&config.root, |text| describe(text, config));
        (Arc::new(registry), problems)
    });
    let registry = registry.clone();
    problems.extend(registry_problems.iter().cloned());

    let missing: Vec<&String> = sources
        .iter()
        .filter(|rel| !cache.typed.contains_key(*rel))
        .collect();
    let parsed: Vec<(String, TypedOrProblems)> = missing
        .into_par_iter()
        .map(|rel| {
            let typed = read_entry(config, rel).map(Arc::new);
            (rel.clone(), typed)
        })
        .collect();
    cache.typed.extend(parsed);
    let mut typed: Vec<Arc<Typed>> = Vec::with_capacity(sources.len());
    for rel in sources {
        match cache.typed.get(rel) {
            Some(Ok(entry)) => typed.push(entry.clone()),
            Some(Err(file_problems)) => problems.extend(file_problems.iter().cloned()),
            None => {}
        }
    }
    // Files that are gone: forget them.
    if cache.typed.len() > sources.len() {
        let present: HashSet<&String> = sources.iter().collect();
        cache.typed.retain(|rel, _| present.contains(rel));
        cache.finished.retain(|rel, _| present.contains(rel));
    }
    problems.extend(check_urls(&typed));
    // A registry that could not be read holds no names: every partner would be reported as
    // unregistered, above the one error that matters.
    let registry_read = !registry_problems.iter().any(Diagnostic::is_error);
    let (names, name_problems) = resolve_names(config, &registry, registry_read, &typed);
    problems.extend(name_problems);

    let (published, unpublished): (Vec<usize>, Vec<usize>) =
        (0..typed.len()).partition(|&i| is_published(&typed[i], options));
    // An embargo in the Buddhist era would hold an entry back for 543 years.
    for entry in &typed {
        if let (Some(at), Some(written)) = (entry.publish_at, &entry.parsed.front.publish_at) {
            let year = at.to_zoned_datetime(config.timezone.clone()).year();
            if year >= BUDDHIST_ERA_FROM {
                let (line, column) = location(&written.referenced);
                problems.push(buddhist_era(&entry.parsed, year, line, column));
            }
        }
    }
    let urls: HashMap<String, String> = published
        .iter()
        .map(|&i| (typed[i].rel.clone(), typed[i].url.clone()))
        .collect();
    let hidden: HashSet<String> = unpublished.iter().map(|&i| typed[i].rel.clone()).collect();
    let failed: HashSet<String> = (sources.iter())
        .filter(|rel| matches!(cache.typed.get(*rel), Some(Err(_))))
        .cloned()
        .collect();
    let files: HashSet<String> = assets.iter().map(|a| a.path.clone()).collect();
    let held: HashSet<String> = unpublished
        .par_iter()
        .flat_map_iter(|&i| linked_files(config, &typed[i]))
        .filter(|file| files.contains(file))
        .collect();
    // What an entry is made from besides its file: its partners and topics, and what its
    // links point at.
    let partner_digests: Vec<u64> = names.partner_refs.iter().map(crate::digest::of).collect();
    let topic_digests: Vec<u64> = names.topic_refs.iter().map(crate::digest::of).collect();
    let depends = |position: usize, targets: &[String]| {
        depends(
            &names,
            &partner_digests,
            &topic_digests,
            &LinkTargets {
                urls: &urls,
                hidden: &hidden,
                failed: &failed,
                files: &files,
            },
            position,
            targets,
        )
    };
    let finished = &cache.finished;
    let links = LinkTargets {
        urls: &urls,
        hidden: &hidden,
        failed: &failed,
        files: &files,
    };
    // An entry with errors is made again each time: a "did you mean" in them depends on
    // every entry there is, not only on what its links point at.
    let fresh: Vec<(String, Result<Finished, Diagnostic>)> = published
        .par_iter()
        .filter(|&&i| {
            finished.get(&typed[i].rel).is_none_or(|f| {
                f.key != depends(i, &f.targets) || f.problems.iter().any(Diagnostic::is_error)
            })
        })
        .map(|&i| {
            let t = &typed[i];
            let finished =
                finish(config, t, i, &names, links).map(|(entry, problems, targets)| Finished {
                    key: depends(i, &targets),
                    entry: Arc::new(entry),
                    problems,
                    targets,
                });
            (t.rel.clone(), finished)
        })
        .collect();
    for (rel, finished) in fresh {
        match finished {
            Ok(finished) => {
                cache.finished.insert(rel, finished);
            }
            Err(problem) => {
                cache.finished.remove(&rel);
                problems.push(problem);
            }
        }
    }
    let base_problems = problems.clone();
    let mut body_problems = BTreeMap::new();
    let mut entries = Vec::with_capacity(published.len());
    // The partners and topics the entries name, by position in `names`: cheaper to gather
    // here than by walking the entries, spread through memory, afterwards.
    let mut named_partners = vec![false; names.partner_refs.len()];
    let mut named_topics = vec![false; names.topic_refs.len()];
    for &i in &published {
        if let Some(finished) = cache.finished.get(&typed[i].rel) {
            if !finished.problems.is_empty() {
                problems.extend(finished.problems.iter().cloned());
                body_problems.insert(i, finished.problems.clone());
            }
            entries.push(finished.entry.clone());
            for &p in &names.partners_of[i] {
                named_partners[p] = true;
            }
            for &t in &names.topics_of[i] {
                named_topics[t] = true;
            }
        }
    }
    entries.sort_by(|a, b| newest_first(a, b));

    let used_partners: HashSet<&str> = names
        .partner_refs
        .iter()
        .zip(&named_partners)
        .filter(|(_, named)| **named)
        .map(|(p, _)| p.id.as_str())
        .collect();
    let mut partners: Vec<Partner> = registry.partners.clone();
    for partner in &mut partners {
        partner.url = config.url(&format!("partners/{}/", partner.id));
    }
    partners.extend(
        names
            .unregistered
            .values()
            .filter(|p| used_partners.contains(p.id.as_str()))
            .cloned(),
    );
    let used_topics: HashSet<&str> = names
        .topic_refs
        .iter()
        .zip(&named_topics)
        .filter(|(_, named)| **named)
        .map(|(t, _)| t.slug.as_str())
        .collect();
    let topics = names
        .topics
        .values()
        .filter(|t| used_topics.contains(t.slug.as_str()))
        .cloned()
        .collect();
    diagnostic::sort(&mut problems);
    let content = Content {
        entries,
        partners,
        topics,
        assets: held_back(
            assets,
            &held,
            &published_files(config, cache, &typed, &published, &held),
        ),
        held_back: HeldBack::default(),
    };
    let waiting: Vec<(jiff::Timestamp, usize)> = unpublished
        .iter()
        .filter(|&&i| options.drafts || !typed[i].parsed.front.draft)
        .filter_map(|&i| Some((typed[i].publish_at?, i)))
        .filter(|&(at, _)| at > options.now)
        .collect();
    let next = waiting
        .iter()
        .min_by(|a, b| (a.0, &typed[a.1].parsed.file).cmp(&(b.0, &typed[b.1].parsed.file)));
    let next_embargo = next.map(|&(at, _)| at);
    let held_back = HeldBack {
        drafts: unpublished.len() - waiting.len(),
        embargoed: waiting.len(),
        next_embargo: next.map(|&(at, i)| (at, typed[i].parsed.file.clone())),
    };
    let content = Content {
        held_back,
        ..content
    };
    cache.last = Some(Last {
        content: content.clone(),
        problems: base_problems,
        body_problems,
        typed,
        names,
        urls,
        hidden,
        failed,
        files,
        held,
        partner_digests,
        topic_digests,
        now: options.now,
        next_embargo,
    });
    (content, problems)
}

/// A changed entry's position in `entries`, and the entry it replaces there.
pub type Replaced = (usize, Arc<Entry>);

/// What [`load_in_place`] gives.
pub struct InPlace {
    /// What [`load_cached`] would give.
    pub content: Content,
    pub problems: Vec<Diagnostic>,
    /// The positions in `content.entries` of the changed published entries, each with the
    /// entry it replaces.
    pub replaced: Vec<Replaced>,
    /// When a changed entry's date or the dates of its updates changed (so that it may have
    /// moved among the others): for each position in `content.entries`, the position the
    /// entry there had in the last load.
    pub moved: Option<Vec<usize>>,
    /// Whether a changed entry names other partners (all of them registered, as were those
    /// it named before): it left some partners' lists and joined others'.
    pub relisted: bool,
    /// Whether a changed entry names other topics (each one the site has, written the way
    /// every entry writes it): it left some topics' lists and joined others'.
    pub retopiced: bool,
    /// Whether a changed entry is of another kind: it left one kind's list for another's.
    pub rekinded: bool,
    /// The positions in `content.entries` of the entries added (in which case no other entry
    /// changed).
    pub added: Vec<usize>,
}

/// [`load_cached`] after the files in `changed` (content-relative paths) changed in place:
/// when each is an entry the last load read whose standing among the others changed at most
/// in its dates, kind, registered partners or topics (`standing`; a front matter byte for
/// byte what it was does), and no embargo ended since, only those entries are typed and
/// rendered again, their names resolved against the last load's. A single new file may be
/// added the same way (see `load_added`). `None` (and the cache as it was, or without its
/// last load) when that does not hold.
pub fn load_in_place(
    config: &Config,
    options: &LoadOptions,
    cache: &mut Cache,
    changed: &[String],
) -> Option<InPlace> {
    let last = cache.last.as_ref()?;
    if options.now < last.now || last.next_embargo.is_some_and(|at| at <= options.now) {
        return None;
    }
    let walked = cache.walk.as_ref()?;
    // An entry reached through a link may have changed unseen.
    if !walked.linked.is_empty() {
        return None;
    }
    let (registry, _) = cache.registry.as_ref()?;
    let sources = &walked.sources;
    let mut changed: Vec<&String> = changed.iter().collect();
    changed.sort();
    changed.dedup();
    if let [rel] = changed[..]
        && !sources.contains(rel)
    {
        return load_added(config, options, cache, rel);
    }
    // Everything is read and checked before anything kept is changed.
    let mut bodies = Vec::with_capacity(changed.len());
    let mut moved = false;
    // The names as they are now, when an entry names other partners or topics.
    let mut renamed: Option<(Names, Vec<u64>)> = None;
    let (mut relisted, mut retopiced, mut rekinded) = (false, false, false);
    for rel in changed {
        // A file the last walk listed, and still a plain file (not, say, a link out of the
        // site now): the walk's checks hold for it.
        let plain = std::fs::symlink_metadata(config.content_dir().join(rel));
        if !sources.contains(rel) || !plain.is_ok_and(|m| m.is_file()) {
            return None;
        }
        let Some(Ok(old)) = cache.typed.get(rel) else {
            return None;
        };
        let typed = Arc::new(read_entry(config, rel).ok()?);
        let at = last.typed.iter().position(|t| Arc::ptr_eq(t, old))?;
        if typed.parsed.text != old.parsed.text {
            let change = standing(old, &typed, registry, &last.names, &last.content.topics)?;
            moved |= change.dates;
            rekinded |= change.kind;
            if change.partners || change.topics {
                relisted |= change.partners;
                retopiced |= change.topics;
                let (names, digests) = renamed
                    .get_or_insert_with(|| (last.names.clone(), last.partner_digests.clone()));
                names.rename(config, registry, digests, at, &typed, change)?;
            }
        }
        // An unpublished entry may hold back files, or stop holding them back: the whole way
        // tells which.
        if !is_published(&typed, options)
            && (!last.held.is_empty()
                || (linked_files(config, &typed).iter()).any(|file| last.files.contains(file)))
        {
            return None;
        }
        let position = if is_published(&typed, options) {
            let finished = cache.finished.get(rel)?;
            let entries = &last.content.entries;
            Some(
                entries
                    .iter()
                    .position(|e| Arc::ptr_eq(e, &finished.entry))?,
            )
        } else {
            None
        };
        bodies.push((rel.clone(), at, position, typed));
    }
    let (names, partner_digests) = match &renamed {
        Some((names, digests)) => (names, digests),
        None => (&last.names, &last.partner_digests),
    };
    let finished: Vec<Option<Finished>> = bodies
        .par_iter()
        .map(|(_, at, position, typed)| {
            position
                .map(|_| {
                    let links = last.links();
                    let (entry, problems, targets) = finish(config, typed, *at, names, links)?;
                    Ok(Finished {
                        key: depends(
                            names,
                            partner_digests,
                            &last.topic_digests,
                            &links,
                            *at,
                            &targets,
                        ),
                        entry: Arc::new(entry),
                        problems,
                        targets,
                    })
                })
                .transpose()
        })
        .collect::<Result<_, Diagnostic>>()
        .ok()?;
    // A published entry that links to a held-back file, or did, publishes it or leaves it
    // held back: the whole way tells which.
    if !last.held.is_empty() {
        for ((rel, ..), new) in bodies.iter().zip(&finished) {
            let old = cache.finished.get(rel);
            if [old, new.as_ref()]
                .into_iter()
                .flatten()
                .any(|finished| links_to_any(config, rel, finished, &last.held))
            {
                return None;
            }
        }
    }
    let last = cache.last.as_mut()?;
    if let Some((names, digests)) = renamed {
        last.names = names;
        last.partner_digests = digests;
    }
    let mut replaced = Vec::new();
    for ((rel, at, position, typed), finished) in bodies.into_iter().zip(finished) {
        last.typed[at] = typed.clone();
        cache.typed.insert(rel.clone(), Ok(typed));
        if let (Some(position), Some(finished)) = (position, finished) {
            let old =
                std::mem::replace(&mut last.content.entries[position], finished.entry.clone());
            if finished.problems.is_empty() {
                last.body_problems.remove(&at);
            } else {
                last.body_problems.insert(at, finished.problems.clone());
            }
            cache.finished.insert(rel, finished);
            replaced.push((position, old));
        } else {
            // Unpublished: its body was not rendered, so what was kept of it is stale.
            cache.finished.remove(&rel);
        }
    }
    last.now = options.now;
    let mut problems = last.problems.clone();
    problems.extend(last.body_problems.values().flatten().cloned());
    diagnostic::sort(&mut problems);
    let moved = moved.then(|| {
        let order = reorder(&mut last.content.entries, &replaced);
        let mut new_of_old = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old] = new;
        }
        for (position, _) in &mut replaced {
            *position = new_of_old[*position];
        }
        order
    });
    replaced.sort_unstable_by_key(|(position, _)| *position);
    Some(InPlace {
        content: last.content.clone(),
        problems,
        replaced,
        moved,
        relisted,
        retopiced,
        rekinded,
        added: Vec::new(),
    })
}

/// [`load_in_place`] after one Markdown file was added at `rel`: when it is a published entry
/// that takes nothing from the others, and the others nothing from it, it is typed, rendered
/// and put in its place; nothing else is read or resolved again. That is an entry with a URL
/// of its own, no aliases, only registered partners and only topics the site has (written
/// the way every entry writes them), that no entry links to, in a walk that sees the new file
/// and nothing else (see [`Walked::patch`]).
fn load_added(
    config: &Config,
    options: &LoadOptions,
    cache: &mut Cache,
    rel: &str,
) -> Option<InPlace> {
    let last = cache.last.as_ref()?;
    let walked = cache.walk.as_ref()?;
    let (registry, _) = cache.registry.as_ref()?;
    let dir = config.content_dir();
    // Every file was typed, so that positions in the walk are positions in `typed`.
    if last.typed.len() != walked.sources.len()
        || !std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.is_file())
        || !plain_folders(&dir, rel)
    {
        return None;
    }
    let Some(Err(at)) = walked.place(rel) else {
        return None;
    };
    // A broken link's "did you mean" may now name the new file.
    if (last.body_problems.values().flatten()).any(Diagnostic::is_error) {
        return None;
    }
    let typed = Arc::new(read_entry(config, rel).ok()?);
    let front = &typed.parsed.front;
    let registered = all_registered(&front.partners, registry);
    let known = all_known(&front.topics, &last.names, &last.content.topics);
    let taken = last.typed.iter().any(|t| t.url == typed.url);
    let linked = (cache.finished.values()).any(|f| f.targets.iter().any(|t| t == rel));
    if !is_published(&typed, options)
        || !typed.aliases.is_empty()
        || !registered
        || !known
        || taken
        || linked
    {
        return None;
    }
    // From here on, a failure leaves no last load: the next one is a whole one.
    let mut kept = cache.last.take()?;
    kept.names.partners_of.insert(at, Vec::new());
    kept.names.topics_of.insert(at, Vec::new());
    let change = Change {
        partners: true,
        topics: true,
        ..Change::default()
    };
    kept.names.rename(
        config,
        registry,
        &mut kept.partner_digests,
        at,
        &typed,
        change,
    )?;
    kept.urls.insert(typed.rel.clone(), typed.url.clone());
    let links = kept.links();
    let (entry, problems, targets) = finish(config, &typed, at, &kept.names, links).ok()?;
    let finished = Finished {
        key: depends(
            &kept.names,
            &kept.partner_digests,
            &kept.topic_digests,
            &links,
            at,
            &targets,
        ),
        entry: Arc::new(entry),
        problems,
        targets,
    };
    // It would publish a held-back file.
    if links_to_any(config, rel, &finished, &kept.held) {
        return None;
    }
    // Every position from `at` on moves one down.
    kept.body_problems = std::mem::take(&mut kept.body_problems)
        .into_iter()
        .map(|(i, problems)| (if i >= at { i + 1 } else { i }, problems))
        .collect();
    if !finished.problems.is_empty() {
        kept.body_problems.insert(at, finished.problems.clone());
    }
    kept.typed.insert(at, typed.clone());
    let entries = &mut kept.content.entries;
    let position = entries.partition_point(|e| newest_first(e, &finished.entry).is_lt());
    entries.insert(position, finished.entry.clone());
    kept.now = options.now;
    let mut problems = kept.problems.clone();
    problems.extend(kept.body_problems.values().flatten().cloned());
    diagnostic::sort(&mut problems);
    let content = kept.content.clone();
    cache.last = Some(kept);
    cache.typed.insert(rel.to_string(), Ok(typed));
    cache.finished.insert(rel.to_string(), finished);
    if let Some(walked) = &mut cache.walk {
        walked.sources.insert(at, rel.to_string());
    }
    Some(InPlace {
        content,
        problems,
        replaced: Vec::new(),
        moved: None,
        relisted: false,
        retopiced: false,
        rekinded: false,
        added: vec![position],
    })
}

/// The order of entries: newest first (see [`When::newest_first`]), ties broken by URL.
pub(crate) fn newest_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    a.date.newest_first(&b.date).then_with(|| a.url.cmp(&b.url))
}

/// Puts the entries at the positions in `replaced` (the others being in order) where they
/// belong; returns, for each new position, the old one.
fn reorder(entries: &mut Vec<Arc<Entry>>, replaced: &[Replaced]) -> Vec<usize> {
    let moving: HashSet<usize> = replaced.iter().map(|(position, _)| *position).collect();
    let mut order: Vec<usize> = (0..entries.len()).filter(|i| !moving.contains(i)).collect();
    let mut moving: Vec<usize> = moving.into_iter().collect();
    moving.sort_unstable();
    for m in moving {
        let at = order.partition_point(|&i| newest_first(&entries[i], &entries[m]).is_lt());
        order.insert(at, m);
    }
    *entries = order.iter().map(|&i| entries[i].clone()).collect();
    order
}

/// What changed of an entry's standing among the others (see [`standing`]).
#[derive(Debug, Default, Clone, Copy)]
struct Change {
    /// Its date or the dates of its updates: it may take another place on the timeline and
    /// in its lists, and the sitemap's dates change, but it stays in the same lists.
    dates: bool,
    /// The partners it names, every one registered before and after: it leaves some
    /// partners' lists and joins others'.
    partners: bool,
    /// The topics it names, every one (before and after) a topic of the site that every entry
    /// writes the same way: it leaves some topics' lists and joins others'.
    topics: bool,
    /// Its kind: it leaves one kind's list for another's.
    kind: bool,
}

/// Whether every partner `named` is in the registry.
fn all_registered(named: &[frontmatter::Spanned<String>], registry: &Registry) -> bool {
    named.iter().all(|s| {
        let written = s.value.trim();
        !written.is_empty() && registry.find(written).is_some()
    })
}

/// Whether every topic `named` is one of the site's `topics` (as `names` resolved them),
/// written the one way every entry writes it.
fn all_known(named: &[frontmatter::Spanned<String>], names: &Names, topics: &[Topic]) -> bool {
    named.iter().all(|s| {
        let (written, id) = topic_form(&s.value);
        !written.is_empty()
            && !names.mixed_topics.contains(&id)
            && topics.iter().any(|t| t.slug == id && t.name == written)
    })
}

/// How an entry whose front matter changed from `old` to `new` stands among the others:
/// `None` when it changed in a way only a whole load takes in (its URL, publication or
/// aliases, an unregistered partner's name or line, or a topic the site's `topics` lack or
/// write otherwise). Otherwise what changed beyond what shows only in its own page, its
/// cards, the feeds and the exports (title, summary, location, source, notes, `extra`): its
/// dates, its kind, its registered partners, its topics.
///
/// With those kept, the other entries and every problem found in front matter stay as they
/// were: a registered partner and a topic are never warned about (only errors quote their
/// lines, and a build with an error keeps nothing), while the warning about an unregistered
/// partner quotes its line, so such a name must be written the same on the same line. A
/// topic is shown as the first entry to name it writes it, so only topics every entry
/// writes one way may come and go. (Where an alias is written shows only in the error of a
/// clash.)
fn standing(
    old: &Typed,
    new: &Typed,
    registry: &Registry,
    names: &Names,
    topics: &[Topic],
) -> Option<Change> {
    let (a, b) = (&old.parsed.front, &new.parsed.front);
    type Written = [frontmatter::Spanned<String>];
    fn values(x: &Written) -> impl Iterator<Item = &str> {
        x.iter().map(|s| s.value.as_str())
    }
    // Written the same on the same line and column, that line unchanged.
    let same_lines = |x: &Written, y: &Written| {
        x.len() == y.len()
            && x.iter().zip(y).all(|(s, t)| {
                let line = location(&s.referenced).0 - 1;
                s.value == t.value
                    && location(&s.referenced) == location(&t.referenced)
                    && location(&s.defined) == location(&t.defined)
                    && old.parsed.text.lines().nth(line) == new.parsed.text.lines().nth(line)
            })
    };
    let registered = |x: &Written| all_registered(x, registry);
    let known = |x: &Written| all_known(x, names, topics);
    let kept = old.url == new.url
        && a.draft == b.draft
        && old.publish_at == new.publish_at
        && old.aliases == new.aliases;
    if !kept {
        return None;
    }
    let topics = if values(&a.topics).eq(values(&b.topics)) {
        false
    } else if known(&a.topics) && known(&b.topics) {
        true
    } else {
        return None;
    };
    let partners = if same_lines(&a.partners, &b.partners) {
        false
    } else if registered(&a.partners) && registered(&b.partners) {
        !values(&a.partners).eq(values(&b.partners))
    } else {
        return None;
    };
    let dates = old.date != new.date
        || !(old.updates.iter().map(|u| &u.date)).eq(new.updates.iter().map(|u| &u.date));
    Some(Change {
        dates,
        partners,
        topics,
        kind: old.kind != new.kind,
    })
}

fn describe(text: &str, config: &Config) -> String {
    let empty = HashMap::default();
    let none = HashSet::default();
    markdown::render(
        text,
        &markdown::Links {
            entries: &empty,
            unpublished: &none,
            failed: &none,
            assets: &none,
            folder: "",
            base_path: &config.base_path,
            allow_raw_html: config.allow_raw_html,
        },
    )
    .html
}

/// Whether a file name is an editor's temporary file or hidden.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The extension of a file name that other tools read as Markdown, when it is not `.md` (the
/// only one gazette reads as an entry): `.MD`, `.markdown`, `.mdown` and the like.
fn markdown_like(name: &str) -> Option<&str> {
    let at = name.rfind('.')?;
    let extension = &name[at..];
    let markdown = [
        ".md",
        ".markdown",
        ".mdown",
        ".mkd",
        ".mkdn",
        ".mdwn",
        ".mdtxt",
    ]
    .iter()
    .any(|known| extension.eq_ignore_ascii_case(known));
    (markdown && extension != ".md").then_some(extension)
}

/// Lists the Markdown files and other files under `content/`, sorted, following the links
/// [`crate::tree`] allows.
fn walk(config: &Config) -> Walked {
    let fence = crate::tree::Fence::new(&config.root, Some(&config.output_dir));
    let tree = crate::tree::walk(&fence, &config.content_dir());
    let mut walked = Walked {
        sources: Vec::new(),
        linked: Vec::new(),
        links: tree.links,
        assets: Vec::new(),
        problems: tree.problems,
    };
    for found in tree.files {
        let rel = found.rel;
        if rel == "partners.yaml" {
            continue;
        }
        if rel.ends_with(".md") {
            if found.linked {
                walked.linked.push(rel.clone());
            }
            walked.sources.push(rel);
        } else if let Some(extension) = markdown_like(&rel) {
            // Copied as it is, its text would be published, front matter, drafts and all.
            let stem = &rel[rel.rfind('/').map_or(0, |at| at + 1)..rel.len() - extension.len()];
            walked.problems.push(
                Diagnostic::error(
                    PathBuf::from("content").join(&rel),
                    format!(
                        "a Markdown file ending in `{extension}`: only files ending in `.md` are entries, and any other file is published as it is"
                    ),
                )
                .with_hint(format!(
                    "rename it to `{stem}.md`; to publish the text as a download, give it another extension, such as `.txt`"
                )),
            );
        } else {
            walked.assets.push(Asset {
                source: found.path,
                path: rel,
            });
        }
    }
    walked
}

/// A file read and its front matter parsed. Only the front matter's text is kept: the body is
/// read again when it is rendered ([`read_body`]), so that loading a large site never holds
/// every file's text at once.
struct Parsed {
    rel: String,
    file: PathBuf,
    /// The file's text up to its body: the front matter and its delimiters.
    text: String,
    body_line: usize,
    front: FrontMatter,
}

/// A file's text: UTF-8, without a byte order mark, with `\n` line ends.
fn read_text(config: &Config, rel: &str, file: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(config.content_dir().join(rel)).map_err(|error| {
        Diagnostic::error(file, format!("cannot read the file: {error}"))
            .with_hint("check that the file exists and is readable")
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            let shown = String::from_utf8_lossy(error.as_bytes()).into_owned();
            return Err(Diagnostic::error(file, "the file is not valid UTF-8")
                .at(&shown, line, column)
                .with_hint("save the file with UTF-8 encoding"));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Reads a file and parses its front matter, as far as it can be read, with every problem
/// found in it and the required fields given a stand-in ([`frontmatter::Read`]).
fn read_and_parse(config: &Config, rel: &str) -> Result<ReadEntry, Vec<Diagnostic>> {
    let file = PathBuf::from("content").join(rel);
    let mut text = read_text(config, rel, &file).map_err(|d| vec![d])?;
    let split = frontmatter::split(&file, &text).map_err(|d| vec![d])?;
    let read = frontmatter::parse_all(&file, &text, &split);
    let Some(front) = read.front else {
        return Err(read.problems);
    };
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    text.truncate(body_start);
    text.shrink_to_fit();
    Ok(ReadEntry {
        parsed: Parsed {
            rel: rel.to_string(),
            file,
            text,
            body_line,
            front,
        },
        problems: read.problems,
        stand_ins: read.stand_ins,
    })
}

/// A typed entry, or every problem of its file.
type TypedOrProblems = Result<Arc<Typed>, Vec<Diagnostic>>;

/// A file as [`read_and_parse`] read it, for [`type_entry`].
struct ReadEntry {
    parsed: Parsed,
    problems: Vec<Diagnostic>,
    stand_ins: Vec<&'static str>,
}

/// [`read_and_parse`], then [`type_entry`]: the typed entry, or every problem of the file.
fn read_entry(config: &Config, rel: &str) -> Result<Typed, Vec<Diagnostic>> {
    let read = read_and_parse(config, rel)?;
    type_entry(config, read.parsed, read.problems, &read.stand_ins)
}

/// The folder of a content-relative path (`engagements` of `engagements/a.md`; `` at the top),
/// which its relative links are resolved against.
fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(folder, _)| folder)
}

/// The files under `content/` that an entry's body links to ([`markdown::linked_files`]);
/// none when its body cannot be read.
fn linked_files(config: &Config, typed: &Typed) -> Vec<String> {
    let Ok(text) = read_body(config, &typed.parsed) else {
        return Vec::new();
    };
    let folder = folder_of(&typed.rel);
    markdown::linked_files(&text[typed.parsed.text.len()..], folder, &config.base_path)
}

/// Of the files in `held`, those that a published entry links to ([`links_of`]).
fn published_files(
    config: &Config,
    cache: &Cache,
    typed: &[Arc<Typed>],
    published: &[usize],
    held: &HashSet<String>,
) -> HashSet<String> {
    if held.is_empty() {
        return HashSet::default();
    }
    (published.par_iter())
        .filter_map(|&i| Some((&typed[i].rel, cache.finished.get(&typed[i].rel)?)))
        .flat_map_iter(|(rel, finished)| {
            links_of(config, rel, finished)
                .filter(|file| held.contains(file))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether the published entry at `rel` links to any of the files in `held`.
fn links_to_any(config: &Config, rel: &str, finished: &Finished, held: &HashSet<String>) -> bool {
    !held.is_empty() && links_of(config, rel, finished).any(|file| held.contains(&file))
}

/// The files under `content/` that the published entry at `rel` links to: by a Markdown link
/// (its `targets`), or anywhere in its page's body (raw HTML, a path from the site's root).
fn links_of<'f>(
    config: &Config,
    rel: &str,
    finished: &'f Finished,
) -> impl Iterator<Item = String> + 'f {
    let folder = folder_of(rel);
    let in_html = markdown::html_references(&finished.entry.body_html, folder, &config.base_path);
    finished.targets.iter().cloned().chain(in_html)
}

/// `assets` without the files in `held` (those that entries left out of the build link to)
/// that no published entry links to (`published`): a draft's or an embargoed release's files
/// are published with it, not before.
fn held_back(
    assets: Vec<Asset>,
    held: &HashSet<String>,
    published: &HashSet<String>,
) -> Vec<Asset> {
    if held.is_empty() {
        return assets;
    }
    (assets.into_iter())
        .filter(|asset| !held.contains(&asset.path) || published.contains(&asset.path))
        .collect()
}

/// The whole text of a parsed file, read again for its body. A file whose front matter is no
/// longer what was parsed changed during the build: an error, rather than a page made of two
/// versions.
fn read_body(config: &Config, parsed: &Parsed) -> Result<String, Diagnostic> {
    let text = read_text(config, &parsed.rel, &parsed.file)?;
    let same_front = text.starts_with(&parsed.text)
        && frontmatter::split(&parsed.file, &text)
            .is_ok_and(|split| text.len() - split.body.len() == parsed.text.len());
    if !same_front {
        return Err(Diagnostic::error(
            &parsed.file,
            "the file changed while the site was being built",
        )
        .with_hint("build again once the file is saved"));
    }
    Ok(text)
}

/// An entry whose fields are typed and whose URL is known; the body is not rendered yet.
struct Typed {
    parsed: Parsed,
    rel: String,
    title: String,
    date: When,
    kind: String,
    slug: String,
    url: String,
    publish_at: Option<jiff::Timestamp>,
    updates: Vec<Update>,
    source: Option<Source>,
    aliases: Vec<String>,
    alias_places: Vec<Place>,
}

/// The most problems reported of one entry's text (links that lead nowhere, say); the rest
/// are counted in one more. 20,000 broken links on one line took 17 s and 15 GB to report,
/// each with the whole line.
pub(crate) const MOST_BODY_PROBLEMS: usize = 100;

/// The most partners, topics and aliases one entry may name. Each partner's page shows the
/// entry with every other partner it names, and each feed it is in lists them all, so the
/// site grows with the square of this: at 1,000 partners it is about 130 MB.
pub const MOST_NAMES: usize = 1000;

fn location(span: &frontmatter::Location) -> (usize, usize) {
    // Front matter starts on the second line of the file.
    (span.line + 1, span.column)
}

/// Types a parsed entry: every problem of its fields, with those `problems` its front matter
/// had already (fields with problems were left out of `parsed.front`; `stand_ins` are the
/// required fields that were given a stand-in and are not checked).
fn type_entry(
    config: &Config,
    parsed: Parsed,
    mut problems: Vec<Diagnostic>,
    stand_ins: &[&str],
) -> Result<Typed, Vec<Diagnostic>> {
    let file = parsed.file.clone();
    // Split once, and only when needed: a thousand aliases on one line are not each a pass
    // over the text.
    let lines = std::cell::OnceCell::new();
    let lines = || lines.get_or_init(|| crate::diagnostic::Lines::new(&parsed.text));
    let mut report = |span: &frontmatter::Location, message: String, hint: &str| {
        // A front matter of thousands of wrong dates is not thousands of reports.
        if problems.len() <= frontmatter::MOST_PROBLEMS {
            let (line, column) = location(span);
            problems.push(
                Diagnostic::error(&file, message)
                    .at_in(lines(), line, column)
                    .with_hint(hint),
            );
        }
    };
    let front = &parsed.front;
    for (names, what, hint) in [
        (
            &front.partners,
            "partners",
            "name the entry's main partners here and the others in its text",
        ),
        (
            &front.topics,
            "topics",
            "keep the topics an entry is filed under to a few",
        ),
        (
            &front.aliases,
            "aliases",
            "redirect whole old folders from the web server instead",
        ),
    ] {
        if let Some(first_too_many) = names.get(MOST_NAMES) {
            report(
                &first_too_many.referenced,
                format!(
                    "the entry lists {} {what}; at most {MOST_NAMES} are allowed",
                    names.len()
                ),
                hint,
            );
        }
    }
    let title = front.title.value.trim().to_string();
    if title.is_empty() && !stand_ins.contains(&"title") {
        report(
            &front.title.referenced,
            "the title is empty".into(),
            "give the entry a title, e.g. `title: Visit to Washington`",
        );
    }
    let mut when = |value: &frontmatter::Spanned<String>| match frontmatter::parse_date(
        &value.value,
        &config.timezone,
    ) {
        Ok((zoned, has_time)) => Some(When::new(&zoned, has_time, &config.timezone)),
        Err(message) => {
            report(
                &value.referenced,
                message,
                &frontmatter::date_hint(&value.value),
            );
            None
        }
    };
    let date = if stand_ins.contains(&"date") {
        None
    } else {
        when(&front.date)
    };
    let publish_at = front.publish_at.as_ref().map(&mut when);
    let mut updates = Vec::new();
    for update in &front.updates {
        if let Some(date) = when(&update.date) {
            updates.push(Update {
                date,
                note: update.note.clone(),
            });
        }
    }
    updates.sort_by_key(|u| u.date.instant);
    let source = front.source.as_ref().map(|raw| Source {
        name: raw.name.clone(),
        url: raw.url.clone(),
        published: raw.published.as_ref().and_then(&mut when),
    });
    let kind = match &front.kind {
        None => config.kinds[0].id.clone(),
        Some(kind) => {
            let value = kind.value.trim();
            if config.kind(value).is_none() {
                let ids: Vec<&str> = config.kinds.iter().map(|k| k.id.as_str()).collect();
                let hint = match diagnostic::suggest(value, ids.iter().copied()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => format!("the kinds of this site are: {}", ids.join(", ")),
                };
                report(&kind.referenced, format!("unknown kind `{value}`"), &hint);
            }
            value.to_string()
        }
    };
    let slug = match &front.slug {
        Some(value) => {
            if let Err(message) = frontmatter::check_slug(&value.value) {
                report(
                    &value.referenced,
                    message,
                    &format!(
                        "a slug uses only lowercase letters, digits and single dashes, e.g. `{}`",
                        slug::slugify(&value.value)
                    ),
                );
            }
            value.value.clone()
        }
        None => slug_from_file_name(&parsed.rel),
    };
    let mut aliases = Vec::new();
    let mut alias_places = Vec::new();
    for alias in &front.aliases {
        let (line, column) = location(&alias.referenced);
        let text = lines().get(line).unwrap_or("");
        let (snippet, snippet_start) = crate::diagnostic::cut_line(text, column);
        alias_places.push(Place {
            line,
            column,
            snippet,
            snippet_start,
        });
        let Some(path) = normalise_alias(&alias.value) else {
            report(
                &alias.referenced,
                format!("alias `{}` is not a URL path", alias.value),
                "write the old path from the site root, e.g. `/news/2022/old-title/`",
            );
            continue;
        };
        if path.split('/').any(|part| part.len() > LONGEST_ALIAS_PART) {
            report(
                &alias.referenced,
                format!(
                    "alias `{}` has a part longer than {LONGEST_ALIAS_PART} bytes",
                    alias.value
                ),
                "each part becomes a folder or file name, which file systems keep to 255 bytes",
            );
            continue;
        }
        aliases.push(path);
    }
    let folder: Vec<String> = parsed
        .rel
        .split('/')
        .rev()
        .skip(1)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .map(slug::slugify)
        .collect();
    let first = folder.first().cloned().unwrap_or_else(|| slug.clone());
    if RESERVED.contains(&first.as_str()) {
        let (line, column) = front
            .slug
            .as_ref()
            .map_or((0, 0), |s| location(&s.referenced));
        problems.push(
            Diagnostic::error(
                &file,
                format!("the entry's URL `/{first}/…` is one the site generates"),
            )
            .at_in(lines(), line, column)
            .with_hint(format!(
                "rename the folder or the slug; these are taken: {}",
                RESERVED.join(", ")
            )),
        );
    }
    let (Some(date), true) = (date, problems.is_empty()) else {
        return Err(problems);
    };
    let publish_at = publish_at.flatten().map(|w| w.instant);
    let mut path = folder.join("/");
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(&slug);
    path.push('/');
    Ok(Typed {
        url: config.url(&path),
        rel: parsed.rel.clone(),
        title,
        date,
        kind,
        slug,
        publish_at,
        updates,
        source,
        aliases,
        alias_places,
        parsed,
    })
}

/// `2022-05-24-thai-us.md` → `thai-us`.
pub fn slug_from_file_name(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && bytes[10] == b'-';
    slug::slugify(if dated { &stem[11..] } else { stem })
}

/// The longest part of an alias between slashes, in bytes: each is written as a folder or
/// file name.
const LONGEST_ALIAS_PART: usize = 200;

/// An alias as a clean absolute path ending in `/` (or a file name), or `None` when it is not
/// a path inside the site.
fn normalise_alias(alias: &str) -> Option<String> {
    let alias = alias.trim();
    if !alias.starts_with('/') || alias.contains("://") || alias.contains('\\') {
        return None;
    }
    let parts: Vec<&str> = alias.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| *p == "." || *p == ".." || p.contains(['?', '#']))
    {
        return None;
    }
    let mut path = parts.join("/");
    if !path.ends_with(".html") {
        path.push('/');
    }
    Some(path)
}

fn check_urls(typed: &[Arc<Typed>]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, &Path> =
        HashMap::with_capacity_and_hasher(typed.len(), Default::default());
    for entry in typed {
        if let Some(other) = seen.get(entry.url.as_str()) {
            problems.push(
                Diagnostic::error(
                    &entry.parsed.file,
                    format!(
                        "the URL `{}` is taken by both `{}` and `{}`",
                        entry.url,
                        display_path(other),
                        display_path(&entry.parsed.file)
                    ),
                )
                .with_hint("give one of them another `slug:` or file name"),
            );
        } else {
            seen.insert(&entry.url, &entry.parsed.file);
        }
    }
    problems
}

fn is_published(entry: &Typed, options: &LoadOptions) -> bool {
    let draft_ok = !entry.parsed.front.draft || options.drafts;
    let embargo_ok = options.future || entry.publish_at.is_none_or(|at| at <= options.now);
    draft_ok && embargo_ok
}

/// Partners and topics named by entries, resolved to ids and slugs.
///
/// The same few partners and topics are named by thousands of entries: each reference is made
/// once, and entries hold positions in `partner_refs` and `topic_refs`.
#[derive(Clone)]
struct Names {
    /// Per entry (by position in the list resolved): its partners and topics.
    partners_of: Vec<Vec<usize>>,
    topics_of: Vec<Vec<usize>>,
    partner_refs: Vec<PartnerRef>,
    topic_refs: Vec<TopicRef>,
    unregistered: BTreeMap<String, Partner>,
    topics: BTreeMap<String, Topic>,
    /// The topics written more than one way (`Forced labour`, `forced labour`): each is
    /// shown as its first entry writes it, so which entry names it first matters.
    mixed_topics: HashSet<String>,
}

impl Names {
    fn partners(&self, position: usize) -> Vec<PartnerRef> {
        self.partners_of[position]
            .iter()
            .map(|&i| self.partner_refs[i].clone())
            .collect()
    }

    /// Resolves again the names of the entry at `position`, `typed` now, after its registered
    /// partners or its topics changed as `change` says (see [`standing`]). A partner not named
    /// before is added after the others, with its digest in `partner_digests`. `None` when a
    /// name is not a registered partner or a topic there is.
    fn rename(
        &mut self,
        config: &Config,
        registry: &Registry,
        partner_digests: &mut Vec<u64>,
        position: usize,
        typed: &Typed,
        change: Change,
    ) -> Option<()> {
        let front = &typed.parsed.front;
        if change.partners {
            let mut refs = Vec::new();
            for name in &front.partners {
                let partner = registry.find(name.value.trim())?;
                let known = self.partner_refs.iter().position(|r| r.id == partner.id);
                let reference = known.unwrap_or_else(|| {
                    let reference = partner_ref(config, partner);
                    partner_digests.push(crate::digest::of(&reference));
                    self.partner_refs.push(reference);
                    self.partner_refs.len() - 1
                });
                if !refs.contains(&reference) {
                    refs.push(reference);
                }
            }
            *self.partners_of.get_mut(position)? = refs;
        }
        if change.topics {
            let mut refs = Vec::new();
            for topic in &front.topics {
                let (_, id) = topic_form(&topic.value);
                let reference = self.topic_refs.iter().position(|r| r.slug == id)?;
                if !refs.contains(&reference) {
                    refs.push(reference);
                }
            }
            *self.topics_of.get_mut(position)? = refs;
        }
        Some(())
    }

    fn topics(&self, position: usize) -> Vec<TopicRef> {
        self.topics_of[position]
            .iter()
            .map(|&i| self.topic_refs[i].clone())
            .collect()
    }
}

/// A topic as written, its runs of white space made one space, and its slug.
fn topic_form(value: &str) -> (String, String) {
    let written = partners::plain_name(value)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let id = slug::slugify(&written);
    (written, id)
}

/// How an entry names a registered partner.
fn partner_ref(config: &Config, partner: &Partner) -> PartnerRef {
    PartnerRef {
        id: partner.id.clone(),
        name: partner.name.clone(),
        url: config.url(&format!("partners/{}/", partner.id)),
    }
}

/// The partners and topics the entries name, and the problems with them. Unregistered partners
/// are warned about only when the registry was `read` without errors.
fn resolve_names(
    config: &Config,
    registry: &Registry,
    read: bool,
    typed: &[Arc<Typed>],
) -> (Names, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut names = Names {
        partners_of: Vec::with_capacity(typed.len()),
        topics_of: Vec::with_capacity(typed.len()),
        partner_refs: Vec::new(),
        topic_refs: Vec::new(),
        unregistered: BTreeMap::new(),
        topics: BTreeMap::new(),
        mixed_topics: HashSet::default(),
    };
    // Partner id or topic slug → position of its reference.
    let mut partner_index: HashMap<String, usize> = HashMap::default();
    let mut topic_index: HashMap<String, usize> = HashMap::default();
    // slug → (normalised name, name as written, where)
    let mut partner_slugs: HashMap<String, (String, String, String)> = registry
        .partners
        .iter()
        .map(|p| {
            (
                p.id.clone(),
                (
                    partners::normalise(&p.id),
                    p.name.clone(),
                    partners::FILE.to_string(),
                ),
            )
        })
        .collect();
    let mut topic_slugs: HashMap<String, (String, String, String)> = HashMap::default();
    // The same few names are written in thousands of entries: each is looked up once.
    let mut registered: HashMap<&str, Option<usize>> = HashMap::default();
    let mut topic_forms: HashMap<&str, (String, String, String)> = HashMap::default();
    for entry in typed {
        let file = &entry.parsed.file;
        let text = &entry.parsed.text;
        let mut refs: Vec<usize> = Vec::new();
        for name in &entry.parsed.front.partners {
            let (line, column) = location(&name.referenced);
            let written = name.value.trim();
            if written.is_empty() {
                problems.push(
                    Diagnostic::error(file, "empty partner name")
                        .at(text, line, column)
                        .with_hint("remove the empty item from `partners`"),
                );
                continue;
            }
            let found = *registered.entry(written).or_insert_with(|| {
                registry.find(written).map(|partner| {
                    *partner_index.entry(partner.id.clone()).or_insert_with(|| {
                        names.partner_refs.push(partner_ref(config, partner));
                        names.partner_refs.len() - 1
                    })
                })
            });
            let reference = if let Some(reference) = found {
                reference
            } else {
                if read {
                    let hint = match registry.suggest(written) {
                        Some(near) => format!(
                            "did you mean `{near}`? Otherwise add it to {}",
                            partners::FILE
                        ),
                        None => format!(
                            "add it to {} to give it a type and a description",
                            partners::FILE
                        ),
                    };
                    problems.push(
                        Diagnostic::warning(
                            file,
                            format!("partner `{written}` is not in the registry"),
                        )
                        .at(text, line, column)
                        .with_hint(hint),
                    );
                }
                let normal = partners::normalise(written);
                let id = slug::slugify(written);
                let place = format!("{}:{line}", display_path(file));
                match partner_slugs.get(&id) {
                    Some((other_normal, other_name, other_place)) if *other_normal != normal => {
                        problems.push(
                            Diagnostic::error(
                                file,
                                format!(
                                    "partner names `{other_name}` ({other_place}) and `{written}` both make the slug `{id}`"
                                ),
                            )
                            .at(text, line, column)
                            .with_hint("use the registered name, or register the partner with its own id"),
                        );
                        continue;
                    }
                    Some(_) => {}
                    None => {
                        partner_slugs.insert(id.clone(), (normal, written.to_string(), place));
                    }
                }
                let url = config.url(&format!("partners/{id}/"));
                names
                    .unregistered
                    .entry(id.clone())
                    .or_insert_with(|| Partner {
                        id: id.clone(),
                        name: partners::plain_name(written).trim().to_string(),
                        aliases: Vec::new(),
                        kind: "other".into(),
                        type_label: "Other".into(),
                        country: None,
                        website: None,
                        description_html: String::new(),
                        url: url.clone(),
                        registered: false,
                    });
                let name = names.unregistered[&id].name.clone();
                *partner_index.entry(id.clone()).or_insert_with(|| {
                    names.partner_refs.push(PartnerRef { id, name, url });
                    names.partner_refs.len() - 1
                })
            };
            if !refs.contains(&reference) {
                refs.push(reference);
            }
        }
        names.partners_of.push(refs);

        let mut topic_refs: Vec<usize> = Vec::new();
        for topic in &entry.parsed.front.topics {
            let (line, column) = location(&topic.referenced);
            let (written, normal, id) =
                &*topic_forms.entry(topic.value.as_str()).or_insert_with(|| {
                    let (written, id) = topic_form(&topic.value);
                    let normal = written.to_lowercase();
                    (written, normal, id)
                });
            if written.is_empty() {
                problems.push(
                    Diagnostic::error(file, "empty topic")
                        .at(text, line, column)
                        .with_hint("remove the empty item from `topics`"),
                );
                continue;
            }
            match topic_slugs.get(id) {
                Some((other_normal, other_name, other_place)) if other_normal != normal => {
                    problems.push(
                        Diagnostic::error(
                            file,
                            format!("topics `{other_name}` ({other_place}) and `{written}` both make the slug `{id}`"),
                        )
                        .at(text, line, column)
                        .with_hint("write the topic the same way everywhere"),
                    );
                    continue;
                }
                Some(_) => {}
                None => {
                    let place = format!("{}:{line}", display_path(file));
                    topic_slugs.insert(id.clone(), (normal.clone(), written.clone(), place));
                }
            }
            let reference = *topic_index.entry(id.clone()).or_insert_with(|| {
                let url = config.url(&format!("topics/{id}/"));
                let topic = names.topics.entry(id.clone()).or_insert_with(|| Topic {
                    slug: id.clone(),
                    name: written.clone(),
                    url: url.clone(),
                });
                names.topic_refs.push(TopicRef {
                    slug: id.clone(),
                    name: topic.name.clone(),
                    url,
                });
                names.topic_refs.len() - 1
            });
            if names.topic_refs[reference].name != *written {
                names.mixed_topics.insert(id.clone());
            }
            if !topic_refs.contains(&reference) {
                topic_refs.push(reference);
            }
        }
        names.topics_of.push(topic_refs);
    }
    (names, problems)
}

/// The first year of `date` or `publish_at` taken for one of the Buddhist era (2400 BE is
/// 1857).
const BUDDHIST_ERA_FROM: i16 = 2400;

/// The warning that `year`, written at `line` and `column` of `parsed`, looks like one of the
/// Buddhist era.
fn buddhist_era(parsed: &Parsed, year: i16, line: usize, column: usize) -> Diagnostic {
    Diagnostic::warning(
        &parsed.file,
        format!("the year {year} looks like one of the Buddhist era"),
    )
    .at(&parsed.text, line, column)
    .with_hint(format!(
        "dates are written in the Common Era: {year} in the Buddhist era is {}",
        i32::from(year) - 543
    ))
}

/// The most distinct paths from the site's root one entry's body may link to and have
/// checked; a body with more is warned about. Each is kept with its place until the site is
/// made (a line of 20,000 links is not 20,000 copies of it).
const MOST_ROOT_LINKS: usize = 1000;

/// The body's links from the site's root (`body` starting at line `body_line` of `text`):
/// the first link to each path, placed at its line and column, at most
/// [`MOST_ROOT_LINKS`] of them; and a warning when there were more.
fn root_links(
    parsed: &Parsed,
    text: &str,
    body: &str,
    links: Vec<(usize, crate::model::RootLink)>,
) -> (Vec<crate::model::RootLink>, Option<Diagnostic>) {
    if links.is_empty() {
        return (Vec::new(), None);
    }
    // Each path once, at its first link, counting the others.
    let mut first: Vec<(usize, crate::model::RootLink)> = Vec::new();
    let mut at_path: HashMap<String, usize> = HashMap::default();
    for (offset, link) in links {
        match at_path.get(&link.path) {
            Some(&index) => first[index].1.more += 1,
            None => {
                at_path.insert(link.path.clone(), first.len());
                first.push((offset, link));
            }
        }
    }
    let unchecked = first.len().saturating_sub(MOST_ROOT_LINKS);
    first.truncate(MOST_ROOT_LINKS);
    first.sort_by_key(|(offset, _)| *offset);
    let lines = crate::diagnostic::Lines::new(text);
    // Lines and columns counted once through the body, not from its start for each link.
    let (mut at, mut line, mut line_start) = (0, parsed.body_line, 0);
    let placed = (first.into_iter())
        .map(|(offset, mut link)| {
            let offset = offset.min(body.len());
            while let Some(newline) = body[at..offset].find('\n') {
                line += 1;
                line_start = at + newline + 1;
                at = line_start;
            }
            at = offset;
            let column = body[line_start..offset].chars().count() + 1;
            let (snippet, snippet_start) =
                crate::diagnostic::cut_line(lines.get(line).unwrap_or(""), column);
            link.place = Place {
                line,
                column,
                snippet,
                snippet_start,
            };
            link
        })
        .collect();
    let warning = (unchecked > 0).then(|| {
        Diagnostic::warning(
            &parsed.file,
            format!(
                "the text links to {} paths from the site's root; the last {unchecked} are not checked",
                MOST_ROOT_LINKS + unchecked
            ),
        )
        .with_hint(format!(
            "at most {MOST_ROOT_LINKS} are looked for in the site; link to fewer pages from one entry"
        ))
    });
    (placed, warning)
}

/// A warning when `body` still holds the placeholder line `gazette new` writes
/// ([`crate::scaffold::PLACEHOLDER_BODY`]), at that line: the entry would go out with it.
fn placeholder_body(parsed: &Parsed, text: &str, body: &str) -> Option<Diagnostic> {
    let placeholder = crate::scaffold::PLACEHOLDER_BODY;
    if !body.contains(placeholder) {
        return None;
    }
    let at = body.lines().position(|line| line.trim() == placeholder)?;
    let line = parsed.body_line + at;
    let column = (body.lines().nth(at))
        .map_or(0, |l| l.chars().take_while(|c| c.is_whitespace()).count())
        + 1;
    Some(
        Diagnostic::warning(
            &parsed.file,
            "the entry still has the placeholder text that `gazette new` wrote",
        )
        .at(text, line, column)
        .with_hint("replace it with the entry's text"),
    )
}

/// Renders the body and assembles the [`Entry`].
fn finish(
    config: &Config,
    typed: &Typed,
    position: usize,
    names: &Names,
    links: LinkTargets,
) -> Result<(Entry, Vec<Diagnostic>, Vec<String>), Diagnostic> {
    let parsed = &typed.parsed;
    let folder = folder_of(&parsed.rel);
    let text = read_body(config, parsed)?;
    let body = &text[parsed.text.len()..];
    let rendered = markdown::render(
        body,
        &markdown::Links {
            entries: links.urls,
            unpublished: links.hidden,
            failed: links.failed,
            assets: links.files,
            folder,
            base_path: &config.base_path,
            allow_raw_html: config.allow_raw_html,
        },
    );
    let shown = rendered.problems.len().min(MOST_BODY_PROBLEMS);
    let line_column = |offset: usize| {
        let before = &body[..offset.min(body.len())];
        let line = parsed.body_line + before.matches('\n').count();
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    };
    let mut problems: Vec<Diagnostic> = rendered.problems[..shown]
        .iter()
        .map(|problem| {
            let (line, column) = line_column(problem.offset);
            let diagnostic = if problem.is_error {
                Diagnostic::error(&parsed.file, problem.message.clone())
            } else {
                Diagnostic::warning(&parsed.file, problem.message.clone())
            };
            diagnostic
                .at(&text, line, column)
                .with_hint(problem.hint.clone())
        })
        .collect();
    // Thai offices count years in the Buddhist era (2565 is 2022): such a year in `date` is
    // almost surely one, and would put the entry five centuries ahead.
    let year = typed.date.year;
    if year >= BUDDHIST_ERA_FROM {
        let (line, column) = location(&parsed.front.date.referenced);
        problems.push(buddhist_era(parsed, year, line, column));
    }
    problems.extend(placeholder_body(parsed, &text, body));
    let rest = &rendered.problems[shown..];
    if !rest.is_empty() {
        let errors = rest.iter().filter(|p| p.is_error).count();
        let message = format!(
            "{} more problems in the text are not shown ({errors} errors, {} warnings)",
            rest.len(),
            rest.len() - errors
        );
        let hint = "fix the ones above and build again";
        problems.push(match errors {
            0 => Diagnostic::warning(&parsed.file, message).with_hint(hint),
            _ => Diagnostic::error(&parsed.file, message).with_hint(hint),
        });
    }
    let (root_links, too_many) = root_links(parsed, &text, body, rendered.root_links);
    problems.extend(too_many);
    let front = &parsed.front;
    let summary = match &front.summary {
        Some(summary) => summary.trim().to_string(),
        None => markdown::truncate_words(&rendered.first_paragraph, 300),
    };
    let updated = typed
        .updates
        .iter()
        .map(|u| &u.date)
        .chain(std::iter::once(&typed.date))
        .max_by_key(|w| w.instant)
        .cloned()
        .unwrap_or_else(|| typed.date.clone());
    let entry = Entry {
        file: parsed.file.clone(),
        kind_label: config
            .kind(&typed.kind)
            .map_or_else(|| typed.kind.clone(), |k| k.label.clone()),
        partners: names.partners(position),
        topics: names.topics(position),
        location: front.location.clone().filter(|l| !l.trim().is_empty()),
        summary,
        summary_from_body: front.summary.is_none(),
        reference: front.reference.clone(),
        language: config.language.clone(),
        extra: front
            .extra
            .clone()
            .unwrap_or(serde_json::Value::Object(Default::default())),
        draft: front.draft,
        body_html: rendered.html,
        toc: rendered.toc,
        root_links,
        title: typed.title.clone(),
        date: typed.date.clone(),
        kind: typed.kind.clone(),
        slug: typed.slug.clone(),
        url: typed.url.clone(),
        updates: typed.updates.clone(),
        updated,
        source: typed.source.clone(),
        aliases: typed.aliases.clone(),
        alias_places: typed.alias_places.clone(),
    };
    Ok((entry, problems, rendered.targets))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_read_again_and_a_changed_front_matter_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = crate::render::feeds::tests::config("https://example.org/");
        config.root = dir.path().to_path_buf();
        std::fs::create_dir_all(config.content_dir()).unwrap();
        let file = config.content_dir().join("a.md");
        std::fs::write(&file, "---\ntitle: A\ndate: 2024-01-01\n---\nFirst body.\n").unwrap();
        let parsed = read_and_parse(&config, "a.md").unwrap().parsed;
        assert_eq!(parsed.text, "---\ntitle: A\ndate: 2024-01-01\n---\n");
        std::fs::write(
            &file,
            "---\ntitle: A\ndate: 2024-01-01\n---\nSecond body.\n",
        )
        .unwrap();
        let text = read_body(&config, &parsed).unwrap();
        assert_eq!(&text[parsed.text.len()..], "Second body.\n");
        std::fs::write(
            &file,
            "---\ntitle: B\ndate: 2024-01-01\n---\nSecond body.\n",
        )
        .unwrap();
        let error = read_body(&config, &parsed).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: the file changed while the site was being built\n --> content/a.md\n  = hint: build again once the file is saved"
        );
    }

    #[test]
    fn slugs_from_file_names() {
        assert_eq!(slug_from_file_name("a/2022-05-24-thai-us.md"), "thai-us");
        assert_eq!(slug_from_file_name("Visit Report.md"), "visit-report");
        assert_eq!(slug_from_file_name("2022-05-24.md"), "2022-05-24");
    }

    #[test]
    fn aliases_stay_inside_the_site() {
        assert_eq!(normalise_alias("/old/path"), Some("old/path/".into()));
        assert_eq!(normalise_alias("/old.html"), Some("old.html".into()));
        assert_eq!(normalise_alias("/../etc/"), None);
        assert_eq!(normalise_alias("old/"), None);
        assert_eq!(normalise_alias("https://x.org/a/"), None);
    }
    /// After each change, the walk `forget` keeps (patched or not) is the walk a new one gives.
    #[test]
    fn a_walk_patched_for_a_new_or_removed_file_is_a_new_walk() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = crate::render::feeds::tests::config("https://example.org/");
        config.root = dir.path().to_path_buf();
        let content = config.content_dir();
        let write = |rel: &str| {
            let path = content.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\ntitle: T\ndate: 2024-01-01\n---\n").unwrap();
        };
        for rel in ["news.md", "news/a.md", "news-2.md", "z/b.md", "map.png"] {
            write(rel);
        }
        let listed = |walked: &Walked| {
            let assets: Vec<&String> = walked.assets.iter().map(|a| &a.path).collect();
            format!("{:?} {:?} {assets:?}", walked.sources, walked.linked)
        };
        let mut cache = Cache {
            walk: Some(walk(&config)),
            ..Cache::default()
        };
        let patched = std::cell::Cell::new(0);
        let check = |cache: &mut Cache, rel: &str| {
            cache.forget(&config, &[rel.to_string()]);
            match &cache.walk {
                Some(kept) => {
                    patched.set(patched.get() + 1);
                    assert_eq!(listed(kept), listed(&walk(&config)), "after {rel}");
                }
                None => cache.walk = Some(walk(&config)),
            }
        };
        // New files in the walk's order, which is not the paths' as strings.
        for rel in ["news/0.md", "news-1.md", "a.md", "z/a/c.md", "news/b.md"] {
            write(rel);
            check(&mut cache, rel);
        }
        // Ignored names, and a file in a new folder, are seen by a new walk.
        for rel in [
            ".hidden.md",
            "news/.draft.md",
            "x~",
            "new/c.md",
            "notes.txt",
        ] {
            write(rel);
            check(&mut cache, rel);
        }
        for rel in ["news-1.md", "news/a.md", "z/a/c.md"] {
            std::fs::remove_file(content.join(rel)).unwrap();
            check(&mut cache, rel);
        }
        // Kept: the five new files, the one in a new folder, the three removed.
        assert_eq!(patched.get(), 9);
        // Once a link leads into a folder, its files may be reached two ways, even when it
        // had no sources then.
        #[cfg(unix)]
        {
            write("pictures/p.png");
            std::os::unix::fs::symlink(content.join("pictures"), content.join("linked")).unwrap();
            check(&mut cache, "linked");
            write("pictures/e.md");
            check(&mut cache, "pictures/e.md");
            std::fs::remove_file(content.join("linked")).unwrap();
            std::os::unix::fs::symlink(content.join("z"), content.join("linked")).unwrap();
            check(&mut cache, "linked");
            write("z/d.md");
            check(&mut cache, "z/d.md");
            std::fs::remove_file(content.join("z/b.md")).unwrap();
            check(&mut cache, "z/b.md");
            assert_eq!(patched.get(), 9);
        }
    }
}
