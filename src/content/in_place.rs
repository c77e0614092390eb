//! `serve`'s shorter way for a change of entries in place ([`load_in_place`]): when the
//! changed entries' standing among the others allows it, only they are typed and rendered
//! again, and everything else the last load made is kept.

use std::sync::Arc;

use ahash::HashSet;
use rayon::prelude::*;

use super::body::{RenderedEntry, render_body};
use super::cache::{Cache, LastLoad, inputs_digest};
use super::entry::{Typed, is_published, location, read_entry};
use super::frontmatter;
use super::held_back::{linked_files, links_to_any};
use super::names::{Names, topic_form};
use super::partners::Registry;
use super::walk::plain_folders;
use super::{Content, LoadOptions, newest_first};
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Topic};

/// A changed entry's position in `entries`, and the entry it replaces there.
pub type Replaced = (usize, Arc<Entry>);

/// What [`load_in_place`] gives.
pub struct InPlace {
    /// What [`super::load_cached`] would give.
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

/// [`super::load_cached`] after the files in `changed` (content-relative paths) changed in place:
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
    // A standing page may be in the navigation of every page: the whole way.
    if changed
        .iter()
        .any(|rel| rel == super::pages::FOLDER || rel.starts_with("pages/"))
    {
        return None;
    }
    // An entry reached through a link may have changed unseen.
    if !walked.linked.is_empty() {
        return None;
    }
    let mut changed: Vec<&String> = changed.iter().collect();
    changed.sort();
    changed.dedup();
    if let [rel] = changed[..]
        && !walked.sources.contains(rel)
    {
        return load_added(config, options, cache, rel);
    }
    // Everything is read and checked before anything kept is changed.
    let read = read_changed(config, options, cache, &changed)?;
    let rendered = render_changed(config, last, &read)?;
    // A published entry that links to a held-back file, or did, publishes it or leaves it
    // held back: the whole way tells which.
    if !last.targets.held.is_empty() {
        for (changed, new) in read.entries.iter().zip(&rendered) {
            let old = cache.rendered.get(&changed.rel);
            if [old, new.as_ref()]
                .into_iter()
                .flatten()
                .any(|rendered| links_to_any(config, &changed.rel, rendered, &last.targets.held))
            {
                return None;
            }
        }
    }
    apply(options, cache, read, rendered)
}

/// A changed entry read again.
struct Changed {
    rel: String,
    /// Its position in the last load's typed entries.
    at: usize,
    /// Its position in the last load's entries, when it is published.
    position: Option<usize>,
    typed: Arc<Typed>,
}

/// The changed entries read and checked, with what their changes amount to.
struct ReadChanges {
    entries: Vec<Changed>,
    moved: bool,
    /// The names as they are now, when an entry names other partners or topics.
    renamed: Option<(Names, Vec<u64>)>,
    relisted: bool,
    retopiced: bool,
    rekinded: bool,
}

/// Reads the files in `changed` again: `None` when one is not an entry the last load read
/// whose change [`load_in_place`] can take in.
fn read_changed(
    config: &Config,
    options: &LoadOptions,
    cache: &Cache,
    changed: &[&String],
) -> Option<ReadChanges> {
    let last = cache.last.as_ref()?;
    let sources = &cache.walk.as_ref()?.sources;
    let (registry, _) = cache.registry.as_ref()?;
    let mut read = ReadChanges {
        entries: Vec::with_capacity(changed.len()),
        moved: false,
        renamed: None,
        relisted: false,
        retopiced: false,
        rekinded: false,
    };
    for &rel in changed {
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
            read.moved |= change.dates;
            read.rekinded |= change.kind;
            if change.partners || change.topics {
                read.relisted |= change.partners;
                read.retopiced |= change.topics;
                let (names, digests) = (read.renamed)
                    .get_or_insert_with(|| (last.names.clone(), last.partner_digests.clone()));
                names.resolve_again(config, registry, digests, at, &typed, change)?;
            }
        }
        // An unpublished entry may hold back files, or stop holding them back: the whole way
        // tells which.
        if !is_published(&typed, options)
            && (!last.targets.held.is_empty()
                || (linked_files(config, &typed).iter())
                    .any(|file| last.targets.files.contains(file)))
        {
            return None;
        }
        let position = if is_published(&typed, options) {
            let rendered = cache.rendered.get(rel)?;
            let entries = &last.content.entries;
            Some(
                entries
                    .iter()
                    .position(|e| Arc::ptr_eq(e, &rendered.entry))?,
            )
        } else {
            None
        };
        read.entries.push(Changed {
            rel: rel.clone(),
            at,
            position,
            typed,
        });
    }
    Some(read)
}

/// The bodies of the changed entries that are published, rendered against the last load's
/// link targets and the names as they are now; `None` when one cannot be read.
fn render_changed(
    config: &Config,
    last: &LastLoad,
    read: &ReadChanges,
) -> Option<Vec<Option<RenderedEntry>>> {
    let (names, partner_digests) = match &read.renamed {
        Some((names, digests)) => (names, digests),
        None => (&last.names, &last.partner_digests),
    };
    read.entries
        .par_iter()
        .map(|changed| {
            let at = changed.at;
            changed
                .position
                .map(|_| render_against(config, last, &changed.typed, at, names, partner_digests))
                .transpose()
        })
        .collect::<Result<_, Diagnostic>>()
        .ok()
}

/// The body of `typed`, at `at` in the typed entries, rendered against the links of `last`
/// and the names as they are now (`names`, with the digests of their partners).
fn render_against(
    config: &Config,
    last: &LastLoad,
    typed: &Typed,
    at: usize,
    names: &Names,
    partner_digests: &[u64],
) -> Result<RenderedEntry, Diagnostic> {
    let links = last.targets.links();
    let (entry, problems, targets) = render_body(config, typed, at, names, links)?;
    let topic_digests = &last.topic_digests;
    Ok(RenderedEntry {
        key: inputs_digest(names, partner_digests, topic_digests, &links, at, &targets),
        entry: Arc::new(entry),
        problems,
        targets,
    })
}

/// Puts the changed entries, `rendered` where published, in the place of the old ones.
fn apply(
    options: &LoadOptions,
    cache: &mut Cache,
    read: ReadChanges,
    rendered: Vec<Option<RenderedEntry>>,
) -> Option<InPlace> {
    let last = cache.last.as_mut()?;
    if let Some((names, digests)) = read.renamed {
        last.names = names;
        last.partner_digests = digests;
    }
    let mut replaced = Vec::new();
    for (changed, rendered) in read.entries.into_iter().zip(rendered) {
        let Changed {
            rel,
            at,
            position,
            typed,
        } = changed;
        last.typed[at] = typed.clone();
        cache.typed.insert(rel.clone(), Ok(typed));
        if let (Some(position), Some(rendered)) = (position, rendered) {
            let old =
                std::mem::replace(&mut last.content.entries[position], rendered.entry.clone());
            if rendered.problems.is_empty() {
                last.body_problems.remove(&at);
            } else {
                last.body_problems.insert(at, rendered.problems.clone());
            }
            cache.rendered.insert(rel, rendered);
            replaced.push((position, old));
        } else {
            // Unpublished: its body was not rendered, so what was kept of it is stale.
            cache.rendered.remove(&rel);
        }
    }
    last.now = options.now;
    let problems = last.all_problems();
    let moved = (read.moved).then(|| reorder_replaced(&mut last.content.entries, &mut replaced));
    replaced.sort_unstable_by_key(|(position, _)| *position);
    Some(InPlace {
        content: last.content.clone(),
        problems,
        replaced,
        moved,
        relisted: read.relisted,
        retopiced: read.retopiced,
        rekinded: read.rekinded,
        added: Vec::new(),
    })
}

/// [`reorder`], with the positions in `replaced` made new positions.
fn reorder_replaced(entries: &mut Vec<Arc<Entry>>, replaced: &mut [Replaced]) -> Vec<usize> {
    let order = reorder(entries, replaced);
    let mut new_of_old = vec![0; order.len()];
    for (new, &old) in order.iter().enumerate() {
        new_of_old[old] = new;
    }
    for (position, _) in replaced {
        *position = new_of_old[*position];
    }
    order
}

/// [`load_in_place`] after one Markdown file was added at `rel`: when it is a published entry
/// that takes nothing from the others, and the others nothing from it, it is typed, rendered
/// and put in its place; nothing else is read or resolved again. That is an entry with a URL
/// of its own, no aliases, only registered partners and only topics the site has (written
/// the way every entry writes them), that no entry links to, in a walk that sees the new file
/// and nothing else (see [`super::walk::Walked::patch`]).
fn load_added(
    config: &Config,
    options: &LoadOptions,
    cache: &mut Cache,
    rel: &str,
) -> Option<InPlace> {
    let (at, typed) = addable(config, options, cache, rel)?;
    let (registry, _) = cache.registry.as_ref()?;
    // From here on, a failure leaves no last load: the next one is a whole one.
    let mut kept = cache.last.take()?;
    kept.names.partners_of.insert(at, Vec::new());
    kept.names.topics_of.insert(at, Vec::new());
    let change = Change {
        partners: true,
        topics: true,
        ..Change::default()
    };
    kept.names.resolve_again(
        config,
        registry,
        &mut kept.partner_digests,
        at,
        &typed,
        change,
    )?;
    kept.targets
        .urls
        .insert(typed.rel.clone(), typed.url.clone());
    let (names, digests) = (&kept.names, &kept.partner_digests);
    let rendered = render_against(config, &kept, &typed, at, names, digests).ok()?;
    // It would publish a held-back file.
    if links_to_any(config, rel, &rendered, &kept.targets.held) {
        return None;
    }
    // Every position from `at` on moves one down.
    kept.body_problems = std::mem::take(&mut kept.body_problems)
        .into_iter()
        .map(|(i, problems)| (if i >= at { i + 1 } else { i }, problems))
        .collect();
    if !rendered.problems.is_empty() {
        kept.body_problems.insert(at, rendered.problems.clone());
    }
    kept.typed.insert(at, typed.clone());
    let entries = &mut kept.content.entries;
    let position = entries.partition_point(|e| newest_first(e, &rendered.entry).is_lt());
    entries.insert(position, rendered.entry.clone());
    kept.now = options.now;
    let problems = kept.all_problems();
    let content = kept.content.clone();
    cache.last = Some(kept);
    cache.typed.insert(rel.to_string(), Ok(typed));
    cache.rendered.insert(rel.to_string(), rendered);
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

/// The new file at `rel` typed, with its place in the walk, when [`load_added`] can add it.
fn addable(
    config: &Config,
    options: &LoadOptions,
    cache: &Cache,
    rel: &str,
) -> Option<(usize, Arc<Typed>)> {
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
    let taken = last.typed.iter().any(|t| t.url == typed.url)
        || (last.content.pages.iter()).any(|p| p.url == typed.url);
    let linked = (cache.rendered.values()).any(|f| f.targets.iter().any(|t| t == rel));
    if !is_published(&typed, options)
        || !typed.aliases.is_empty()
        || !registered
        || !known
        || taken
        || linked
    {
        return None;
    }
    Some((at, typed))
}

/// Puts the entries at the positions in `replaced` (the others being in order) where they
/// belong; returns, for each new position, the old one.
pub(super) fn reorder(entries: &mut Vec<Arc<Entry>>, replaced: &[Replaced]) -> Vec<usize> {
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
pub(super) struct Change {
    /// Its date or the dates of its updates: it may take another place on the timeline and
    /// in its lists, and the sitemap's dates change, but it stays in the same lists.
    pub(super) dates: bool,
    /// The partners it names, every one registered before and after: it leaves some
    /// partners' lists and joins others'.
    pub(super) partners: bool,
    /// The topics it names, every one (before and after) a topic of the site that every entry
    /// writes the same way: it leaves some topics' lists and joins others'.
    pub(super) topics: bool,
    /// Its kind: it leaves one kind's list for another's.
    pub(super) kind: bool,
}

/// Whether every partner `named` is in the registry.
pub(super) fn all_registered(named: &[frontmatter::Spanned<String>], registry: &Registry) -> bool {
    named.iter().all(|s| {
        let written = s.value.trim();
        !written.is_empty() && registry.find(written).is_some()
    })
}

/// Whether every topic `named` is one of the site's `topics` (as `names` resolved them),
/// written the one way every entry writes it.
pub(super) fn all_known(
    named: &[frontmatter::Spanned<String>],
    names: &Names,
    topics: &[Topic],
) -> bool {
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
pub(super) fn standing(
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
        || old.withdrawn.as_ref().map(|w| &w.date) != new.withdrawn.as_ref().map(|w| &w.date)
        || !(old.updates.iter().map(|u| (&u.date, u.minor)))
            .eq(new.updates.iter().map(|u| (&u.date, u.minor)));
    Some(Change {
        dates,
        partners,
        topics,
        kind: old.kind != new.kind,
    })
}
