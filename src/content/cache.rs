//! The load, with what it keeps for the next one ([`Cache`]): `serve` reuses the walk, the
//! registry, every file's typed entry and every entry's rendered body that a change did not
//! make stale.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use ahash::{HashMap, HashSet};
use rayon::prelude::*;

use super::body::{BUDDHIST_ERA_FROM, LinkTargets, RenderedEntry, buddhist_era, render_body};
use super::entry::{Typed, TypedOrProblems, check_urls, is_published, location, read_entry};
use super::held_back::{linked_files, published_files, without_held_back};
use super::names::{Names, resolve_names};
use super::partners::{self, Registry};
use super::photos::{self, Photos};
use super::walk::{Walked, walk};
use super::{Content, HeldBack, LoadOptions, newest_first};
use crate::attachments::{self, Attachment};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::markdown;
use crate::model::{Entry, Partner, Topic};

/// What one load keeps for the next: the list of files, the partner registry, every file's
/// parsed front matter and every entry's rendered body. [`Cache::forget`] drops what a change
/// may have made stale; what is left is reused as it is.
///
/// Valid only for one configuration: a changed `site.yaml` needs a new cache.
#[derive(Default)]
pub struct Cache {
    pub(super) walk: Option<Walked>,
    pub(super) registry: Option<(Arc<Registry>, Vec<Diagnostic>)>,
    /// By content-relative path: the typed entry, or why it could not be read.
    pub(super) typed: HashMap<String, TypedOrProblems>,
    /// By content-relative path: the rendered entry and what it depended on.
    pub(super) rendered: HashMap<String, RenderedEntry>,
    /// What the last load made, for [`load_in_place`].
    pub(super) last: Option<LastLoad>,
}

/// What the last load made and looked things up in, so that a change of entries in place
/// ([`load_in_place`]) types and renders those entries again and changes nothing else.
pub(super) struct LastLoad {
    pub(super) content: Content,
    /// Its problems that do not come from bodies (the files, the registry, front matter, URLs,
    /// partner and topic names), in the order [`load_cached`] finds them.
    pub(super) problems: Vec<Diagnostic>,
    /// The problems of each published entry's body, by position in `typed`, where there are any.
    pub(super) body_problems: BTreeMap<usize, Vec<Diagnostic>>,
    pub(super) typed: Vec<Arc<Typed>>,
    pub(super) names: Names,
    /// What links are resolved against, and the files that unpublished entries link to.
    pub(super) targets: Targets,
    /// The digests of `names.partner_refs` and `names.topic_refs`.
    pub(super) partner_digests: Vec<u64>,
    pub(super) topic_digests: Vec<u64>,
    /// The moment embargoes were judged against, and the first embargo still ahead of it:
    /// until then, the same entries are published.
    pub(super) now: jiff::Timestamp,
    pub(super) next_embargo: Option<jiff::Timestamp>,
}

/// The digest of what the entry at `position` in the typed entries is made from besides its
/// file: its partners and topics, and what its links (to `targets`) point at.
pub(super) fn inputs_digest(
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
            links.photos.get(target).map(|photo| &photo.key),
        )
            .hash(&mut hasher);
    }
    hasher.finish()
}

impl LastLoad {
    /// Every problem of the load: the others, then each body's, sorted.
    pub(super) fn all_problems(&self) -> Vec<Diagnostic> {
        let mut problems = self.problems.clone();
        problems.extend(self.body_problems.values().flatten().cloned());
        diagnostic::sort(&mut problems);
        problems
    }
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
                    self.rendered.remove(rel);
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
            self.rendered.remove(rel);
            if !is_file {
                // A folder: everything below it.
                let folder = format!("{rel}/");
                self.typed.retain(|key, _| !key.starts_with(&folder));
                self.rendered.retain(|key, _| !key.starts_with(&folder));
            }
        }
    }
}

/// [`super::load`], reusing what `cache` kept from the previous load and keeping this one's.
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
    let page_rels = walked.pages.clone();
    let (registry, registry_problems) = cache.registry.get_or_insert_with(|| {
        let (registry, problems) =
            partners::load(&config.root, |text| partner_description(text, config));
        (Arc::new(registry), problems)
    });
    let registry = registry.clone();
    problems.extend(registry_problems.iter().cloned());
    let typed = type_all(config, sources, &mut cache.typed, &mut cache.rendered);
    for rel in sources {
        if let Some(Err(file_problems)) = cache.typed.get(rel) {
            problems.extend(file_problems.iter().cloned());
        }
    }
    problems.extend(check_urls(&typed));
    // A registry that could not be read holds no names: every partner would be reported as
    // unregistered, above the one error that matters.
    let registry_read = !registry_problems.iter().any(Diagnostic::is_error);
    let (names, name_problems) = resolve_names(config, &registry, registry_read, &typed);
    problems.extend(name_problems);
    let (published, unpublished): (Vec<usize>, Vec<usize>) =
        (0..typed.len()).partition(|&i| is_published(&typed[i], options));
    problems.extend(embargoes_in_buddhist_era(config, &typed));
    let failed: HashSet<String> = (sources.iter())
        .filter(|rel| matches!(cache.typed.get(*rel), Some(Err(_))))
        .cloned()
        .collect();
    let typed_pages = super::pages::type_pages(config, options, &page_rels);
    let pages = typed_pages.pages;
    problems.extend(typed_pages.problems);
    problems.extend(super::pages::taken_by_entries(
        &pages,
        (published.iter()).map(|&i| (typed[i].url.as_str(), typed[i].parsed.file.as_path())),
    ));
    let mut targets = Targets::new(config, &typed, &published, &unpublished, failed, &assets);
    targets.urls.extend(super::pages::urls(&pages));
    targets.failed.extend(typed_pages.failed);
    targets.hidden.extend(typed_pages.hidden);
    problems.extend(targets.photos.problems.iter().cloned());
    let digests = Digests {
        partners: names.partner_refs.iter().map(crate::digest::of).collect(),
        topics: names.topic_refs.iter().map(crate::digest::of).collect(),
    };
    let stale = Stale {
        typed: &typed,
        published: &published,
        names: &names,
        targets: &targets,
        digests: &digests,
    };
    problems.extend(render_stale(config, &mut cache.rendered, stale));
    let (pages, page_problems) = super::pages::render_pages(config, pages, targets.links());
    problems.extend(page_problems);
    let base_problems = problems.clone();
    let gathered = gather(&cache.rendered, &typed, &published, &names);
    problems.extend(gathered.body_problems.values().flatten().cloned());
    diagnostic::sort(&mut problems);
    let (counted, next_embargo) = held_back_count(options, &typed, &unpublished);
    let assets = without_held_back(
        assets,
        &targets.held,
        &published_files(config, cache, &typed, &published, &targets.held),
    );
    let content = Content {
        entries: gathered.entries,
        partners: partners_named(config, &registry, &names, &gathered.named_partners),
        topics: topics_named(&names, &gathered.named_topics),
        media: targets.photos.media_of(&assets),
        assets: without_photos(assets, &targets.photos),
        pages,
        held_back: counted,
    };
    cache.last = Some(LastLoad {
        content: content.clone(),
        problems: base_problems,
        body_problems: gathered.body_problems,
        typed,
        names,
        targets,
        partner_digests: digests.partners,
        topic_digests: digests.topics,
        now: options.now,
        next_embargo,
    });
    (content, problems)
}

/// Every file in `sources` typed, in their order, reading those the cache does not hold and
/// forgetting those that are gone; the files that could not be typed are left out (their
/// problems are kept in the cache).
fn type_all(
    config: &Config,
    sources: &[String],
    kept: &mut HashMap<String, TypedOrProblems>,
    rendered: &mut HashMap<String, RenderedEntry>,
) -> Vec<Arc<Typed>> {
    let missing: Vec<&String> = sources
        .iter()
        .filter(|rel| !kept.contains_key(*rel))
        .collect();
    let parsed: Vec<(String, TypedOrProblems)> = missing
        .into_par_iter()
        .map(|rel| {
            let typed = read_entry(config, rel).map(Arc::new);
            (rel.clone(), typed)
        })
        .collect();
    kept.extend(parsed);
    let typed: Vec<Arc<Typed>> = (sources.iter())
        .filter_map(|rel| kept.get(rel)?.as_ref().ok().cloned())
        .collect();
    // Files that are gone: forget them.
    if kept.len() > sources.len() {
        let present: HashSet<&String> = sources.iter().collect();
        kept.retain(|rel, _| present.contains(rel));
        rendered.retain(|rel, _| present.contains(rel));
    }
    typed
}

/// A warning for each embargo that looks written in the Buddhist era: it would hold an entry
/// back for 543 years.
fn embargoes_in_buddhist_era(config: &Config, typed: &[Arc<Typed>]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for entry in typed {
        if let (Some(at), Some(written)) = (entry.publish_at, &entry.parsed.front.publish_at) {
            let year = at.to_zoned_datetime(config.timezone.clone()).year();
            if year >= BUDDHIST_ERA_FROM {
                let (line, column) = location(&written.referenced);
                problems.push(buddhist_era(&entry.parsed, year, line, column));
            }
        }
    }
    problems
}

/// What links are looked up in, as [`LinkTargets`] borrows it, and the files that unpublished
/// entries link to ([`without_held_back`]).
pub(super) struct Targets {
    /// Published entries' URLs, by content-relative path.
    pub(super) urls: HashMap<String, String>,
    /// Entries left out of the build.
    pub(super) hidden: HashSet<String>,
    /// Entries whose front matter has errors: links to them are not reported.
    pub(super) failed: HashSet<String>,
    /// The other files under `content/`.
    pub(super) files: HashSet<String>,
    /// What is said of the documents among `files` ([`documents`]).
    pub(super) documents: HashMap<String, Attachment>,
    /// The photos among `files`.
    pub(super) photos: Photos,
    /// The files that unpublished entries link to ([`without_held_back`]).
    pub(super) held: HashSet<String>,
}

impl Targets {
    fn new(
        config: &Config,
        typed: &[Arc<Typed>],
        published: &[usize],
        unpublished: &[usize],
        failed: HashSet<String>,
        assets: &[super::Asset],
    ) -> Self {
        let urls: HashMap<String, String> = published
            .iter()
            .map(|&i| (typed[i].rel.clone(), typed[i].url.clone()))
            .collect();
        let hidden: HashSet<String> = unpublished.iter().map(|&i| typed[i].rel.clone()).collect();
        let files: HashSet<String> = assets.iter().map(|a| a.path.clone()).collect();
        let held: HashSet<String> = unpublished
            .par_iter()
            .flat_map_iter(|&i| linked_files(config, &typed[i]))
            .filter(|file| files.contains(file))
            .collect();
        Targets {
            urls,
            hidden,
            failed,
            files,
            documents: documents(assets),
            photos: photos::prepare(config, assets),
            held,
        }
    }

    pub(super) fn links(&self) -> LinkTargets<'_> {
        LinkTargets {
            urls: &self.urls,
            hidden: &self.hidden,
            failed: &self.failed,
            files: &self.files,
            documents: &self.documents,
            photos: &self.photos.by_file,
        }
    }
}

/// `assets` without the photos: their variants are published instead, and the originals,
/// which may carry a camera's metadata and position, are not.
fn without_photos(mut assets: Vec<super::Asset>, photos: &Photos) -> Vec<super::Asset> {
    assets.retain(|asset| !photos.by_file.contains_key(&asset.path));
    assets
}

/// What a link says of each document among `assets` (PDF, Office, CSV, ZIP), read in
/// parallel: its kind, its size, a PDF's pages. A document that cannot be read is left out
/// (its link shows no label; copying it reports the problem).
fn documents(assets: &[super::Asset]) -> HashMap<String, Attachment> {
    assets
        .par_iter()
        .filter(|a| attachments::Kind::of(&a.source).is_some())
        .filter_map(|a| {
            let document = attachments::describe(&a.source).ok().flatten()?;
            Some((a.path.clone(), document))
        })
        .collect()
}

/// The digests of the partner and topic references of [`Names`], by position.
struct Digests {
    partners: Vec<u64>,
    topics: Vec<u64>,
}

/// What [`render_stale`] looks at.
#[derive(Clone, Copy)]
struct Stale<'s> {
    typed: &'s [Arc<Typed>],
    published: &'s [usize],
    names: &'s Names,
    targets: &'s Targets,
    digests: &'s Digests,
}

/// Renders the bodies of the published entries whose rendering `rendered` lacks, or kept
/// from other partners, topics or link targets, and keeps them there; returns the problems
/// of the bodies that could not be read.
fn render_stale(
    config: &Config,
    rendered: &mut HashMap<String, RenderedEntry>,
    stale: Stale,
) -> Vec<Diagnostic> {
    let Stale {
        typed,
        published,
        names,
        targets,
        digests,
    } = stale;
    let links = targets.links();
    let digest = |position: usize, targets: &[String]| {
        inputs_digest(
            names,
            &digests.partners,
            &digests.topics,
            &links,
            position,
            targets,
        )
    };
    let kept = &*rendered;
    // An entry with errors is made again each time: a "did you mean" in them depends on
    // every entry there is, not only on what its links point at.
    let fresh: Vec<(String, Result<RenderedEntry, Diagnostic>)> = published
        .par_iter()
        .filter(|&&i| {
            kept.get(&typed[i].rel).is_none_or(|f| {
                f.key != digest(i, &f.targets) || f.problems.iter().any(Diagnostic::is_error)
            })
        })
        .map(|&i| {
            let t = &typed[i];
            let made = render_body(config, t, i, names, links).map(|(entry, problems, targets)| {
                RenderedEntry {
                    key: digest(i, &targets),
                    entry: Arc::new(entry),
                    problems,
                    targets,
                }
            });
            (t.rel.clone(), made)
        })
        .collect();
    let mut problems = Vec::new();
    for (rel, made) in fresh {
        match made {
            Ok(made) => {
                rendered.insert(rel, made);
            }
            Err(problem) => {
                rendered.remove(&rel);
                problems.push(problem);
            }
        }
    }
    problems
}

/// The published entries as [`gather`] finds them rendered.
struct Gathered {
    /// Newest first.
    entries: Vec<Arc<Entry>>,
    /// The problems of each entry's body, by position in the typed entries, where it has any.
    body_problems: BTreeMap<usize, Vec<Diagnostic>>,
    /// The partners and topics the entries name, by position in [`Names`]: cheaper to gather
    /// here than by walking the entries, spread through memory, afterwards.
    named_partners: Vec<bool>,
    named_topics: Vec<bool>,
}

/// The published entries whose bodies could be rendered, with what they name.
fn gather(
    rendered: &HashMap<String, RenderedEntry>,
    typed: &[Arc<Typed>],
    published: &[usize],
    names: &Names,
) -> Gathered {
    let mut gathered = Gathered {
        entries: Vec::with_capacity(published.len()),
        body_problems: BTreeMap::new(),
        named_partners: vec![false; names.partner_refs.len()],
        named_topics: vec![false; names.topic_refs.len()],
    };
    for &i in published {
        if let Some(rendered) = rendered.get(&typed[i].rel) {
            if !rendered.problems.is_empty() {
                gathered.body_problems.insert(i, rendered.problems.clone());
            }
            gathered.entries.push(rendered.entry.clone());
            for &p in &names.partners_of[i] {
                gathered.named_partners[p] = true;
            }
            for &t in &names.topics_of[i] {
                gathered.named_topics[t] = true;
            }
        }
    }
    gathered.entries.sort_by(|a, b| newest_first(a, b));
    gathered
}

/// The registered partners, then the unregistered ones that published entries name.
fn partners_named(
    config: &Config,
    registry: &Registry,
    names: &Names,
    named: &[bool],
) -> Vec<Partner> {
    let used: HashSet<&str> = (names.partner_refs.iter().zip(named))
        .filter(|(_, named)| **named)
        .map(|(p, _)| p.id.as_str())
        .collect();
    let mut partners: Vec<Partner> = registry.partners.clone();
    for partner in &mut partners {
        partner.url = config.url(&format!("partners/{}/", partner.id));
    }
    partners.extend(
        (names.unregistered.values())
            .filter(|p| used.contains(p.id.as_str()))
            .cloned(),
    );
    partners
}

/// The topics that published entries name.
fn topics_named(names: &Names, named: &[bool]) -> Vec<Topic> {
    let used: HashSet<&str> = (names.topic_refs.iter().zip(named))
        .filter(|(_, named)| **named)
        .map(|(t, _)| t.slug.as_str())
        .collect();
    (names.topics.values())
        .filter(|t| used.contains(t.slug.as_str()))
        .cloned()
        .collect()
}

/// How many entries are held back and why, and the first embargo still ahead.
fn held_back_count(
    options: &LoadOptions,
    typed: &[Arc<Typed>],
    unpublished: &[usize],
) -> (HeldBack, Option<jiff::Timestamp>) {
    let waiting: Vec<(jiff::Timestamp, usize)> = unpublished
        .iter()
        .filter(|&&i| options.drafts || !typed[i].parsed.front.draft)
        .filter_map(|&i| Some((typed[i].publish_at?, i)))
        .filter(|&(at, _)| at > options.now)
        .collect();
    let next = waiting
        .iter()
        .min_by(|a, b| (a.0, &typed[a.1].parsed.file).cmp(&(b.0, &typed[b.1].parsed.file)));
    let held_back = HeldBack {
        drafts: unpublished.len() - waiting.len(),
        embargoed: waiting.len(),
        next_embargo: next.map(|&(at, i)| (at, typed[i].parsed.file.clone())),
    };
    (held_back, next.map(|&(at, _)| at))
}

/// A partner's description in `partners.yaml`, rendered: Markdown with no links to look up.
fn partner_description(text: &str, config: &Config) -> String {
    let empty = HashMap::default();
    let none = HashSet::default();
    let empty_documents = HashMap::default();
    markdown::render(
        text,
        &markdown::Links {
            entries: &empty,
            unpublished: &none,
            failed: &none,
            assets: &none,
            documents: &empty_documents,
            photos: &HashMap::default(),
            photo_above: false,
            folder: "",
            base_path: &config.base_path,
            allow_raw_html: config.allow_raw_html,
        },
    )
    .html
}

#[cfg(test)]
mod tests {
    use super::*;

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
