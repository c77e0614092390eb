//! The partners and topics entries name, resolved once for all entries ([`Names`]): each
//! reference made once, entries holding positions into them.

use std::collections::BTreeMap;
use std::sync::Arc;

use ahash::{HashMap, HashSet};

use super::entry::{Typed, location};
use super::frontmatter::Spanned;
use super::in_place::Change;
use super::partners::{self, Registry};
use crate::config::Config;
use crate::diagnostic::{Diagnostic, display_path};
use crate::model::{Partner, PartnerRef, Topic, TopicRef};
use crate::slug;

/// Partners and topics named by entries, resolved to ids and slugs.
///
/// The same few partners and topics are named by thousands of entries: each reference is made
/// once, and entries hold positions in `partner_refs` and `topic_refs`.
#[derive(Clone)]
pub(super) struct Names {
    /// Per entry (by position in the list resolved): its partners and topics.
    pub(super) partners_of: Vec<Vec<usize>>,
    pub(super) topics_of: Vec<Vec<usize>>,
    pub(super) partner_refs: Vec<PartnerRef>,
    pub(super) topic_refs: Vec<TopicRef>,
    pub(super) unregistered: BTreeMap<String, Partner>,
    pub(super) topics: BTreeMap<String, Topic>,
    /// The topics written more than one way (`Forced labour`, `forced labour`): each is
    /// shown as its first entry writes it, so which entry names it first matters.
    pub(super) mixed_topics: HashSet<String>,
}

impl Names {
    pub(super) fn partners(&self, position: usize) -> Vec<PartnerRef> {
        self.partners_of[position]
            .iter()
            .map(|&i| self.partner_refs[i].clone())
            .collect()
    }

    /// Resolves again the names of the entry at `position`, `typed` now, after its registered
    /// partners or its topics changed as `change` says (see [`standing`]). A partner not named
    /// before is added after the others, with its digest in `partner_digests`. `None` when a
    /// name is not a registered partner or a topic there is.
    pub(super) fn resolve_again(
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

    pub(super) fn topics(&self, position: usize) -> Vec<TopicRef> {
        self.topics_of[position]
            .iter()
            .map(|&i| self.topic_refs[i].clone())
            .collect()
    }
}

/// A topic as written, its runs of white space made one space, and its slug.
pub(super) fn topic_form(value: &str) -> (String, String) {
    let written = partners::plain_name(value)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let id = slug::slugify(&written);
    (written, id)
}

/// How an entry names a registered partner.
pub(super) fn partner_ref(config: &Config, partner: &Partner) -> PartnerRef {
    PartnerRef {
        id: partner.id.clone(),
        name: partner.name.clone(),
        url: config.url(&format!("partners/{}/", partner.id)),
    }
}

/// The partners and topics the entries name, and the problems with them. Unregistered partners
/// are warned about only when the registry was `read` without errors.
pub(super) fn resolve_names(
    config: &Config,
    registry: &Registry,
    read: bool,
    typed: &[Arc<Typed>],
) -> (Names, Vec<Diagnostic>) {
    let mut resolver = Resolver {
        config,
        registry,
        read,
        names: Names {
            partners_of: Vec::with_capacity(typed.len()),
            topics_of: Vec::with_capacity(typed.len()),
            partner_refs: Vec::new(),
            topic_refs: Vec::new(),
            unregistered: BTreeMap::new(),
            topics: BTreeMap::new(),
            mixed_topics: HashSet::default(),
        },
        problems: Vec::new(),
        partner_index: HashMap::default(),
        topic_index: HashMap::default(),
        partner_slugs: (registry.partners.iter())
            .map(|p| {
                let place = partners::FILE.to_string();
                let first = (partners::normalise(&p.id), p.name.clone(), place);
                (p.id.clone(), first)
            })
            .collect(),
        topic_slugs: HashMap::default(),
        registered: HashMap::default(),
        topic_forms: HashMap::default(),
    };
    for entry in typed {
        let mut refs: Vec<usize> = Vec::new();
        for name in &entry.parsed.front.partners {
            if let Some(reference) = resolver.partner(entry, name)
                && !refs.contains(&reference)
            {
                refs.push(reference);
            }
        }
        resolver.names.partners_of.push(refs);
        let mut refs: Vec<usize> = Vec::new();
        for topic in &entry.parsed.front.topics {
            if let Some(reference) = resolver.topic(entry, topic)
                && !refs.contains(&reference)
            {
                refs.push(reference);
            }
        }
        resolver.names.topics_of.push(refs);
    }
    (resolver.names, resolver.problems)
}

/// The first of the names that make one slug: its normalised form, as written, and where.
type FirstNamed = (String, String, String);

/// What [`resolve_names`] has found so far.
struct Resolver<'a> {
    config: &'a Config,
    registry: &'a Registry,
    /// Whether the registry was read without errors.
    read: bool,
    names: Names,
    problems: Vec<Diagnostic>,
    /// Partner id or topic slug → position of its reference.
    partner_index: HashMap<String, usize>,
    topic_index: HashMap<String, usize>,
    /// Slug → the first name that made it.
    partner_slugs: HashMap<String, FirstNamed>,
    topic_slugs: HashMap<String, FirstNamed>,
    /// The same few names are written in thousands of entries: each is looked up once.
    registered: HashMap<&'a str, Option<usize>>,
    topic_forms: HashMap<&'a str, FirstNamed>,
}

impl<'a> Resolver<'a> {
    /// The position of the reference to the partner `name` of `entry`; `None` (and a
    /// problem) when the name is empty or makes the slug of another.
    fn partner(&mut self, entry: &Typed, name: &'a Spanned<String>) -> Option<usize> {
        let (line, column) = location(&name.referenced);
        let written = name.value.trim();
        if written.is_empty() {
            let hint = "remove the empty item from `partners`";
            self.problems.push(error(
                entry,
                line,
                column,
                "empty partner name".into(),
                hint,
            ));
            return None;
        }
        let found = *self.registered.entry(written).or_insert_with(|| {
            self.registry.find(written).map(|partner| {
                *self
                    .partner_index
                    .entry(partner.id.clone())
                    .or_insert_with(|| {
                        (self.names.partner_refs).push(partner_ref(self.config, partner));
                        self.names.partner_refs.len() - 1
                    })
            })
        });
        found.or_else(|| self.unregistered(entry, line, column, written))
    }

    /// The position of the reference to the unregistered partner `written` at `line` and
    /// `column` of `entry`, warned about when the registry was read; `None` (and an error)
    /// when its slug is another name's.
    fn unregistered(
        &mut self,
        entry: &Typed,
        line: usize,
        column: usize,
        written: &str,
    ) -> Option<usize> {
        let file = &entry.parsed.file;
        if self.read {
            let hint = match self.registry.suggest(written) {
                Some(near) => format!(
                    "did you mean `{near}`? Otherwise add it to {}",
                    partners::FILE
                ),
                None => format!(
                    "add it to {} to give it a type and a description",
                    partners::FILE
                ),
            };
            self.problems.push(
                Diagnostic::warning(file, format!("partner `{written}` is not in the registry"))
                    .at(&entry.parsed.text, line, column)
                    .with_hint(hint),
            );
        }
        let normal = partners::normalise(written);
        let id = slug::slugify(written);
        let place = || format!("{}:{line}", display_path(file));
        let claimed = claim(&mut self.partner_slugs, &id, &normal, written, place);
        if let Err((other_name, other_place)) = claimed {
            let message = format!(
                "partner names `{other_name}` ({other_place}) and `{written}` both make the slug `{id}`"
            );
            let hint = "use the registered name, or register the partner with its own id";
            self.problems
                .push(error(entry, line, column, message, hint));
            return None;
        }
        let url = self.config.url(&format!("partners/{id}/"));
        let names = &mut self.names;
        let partner = names
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
        let name = partner.name.clone();
        Some(*self.partner_index.entry(id.clone()).or_insert_with(|| {
            names.partner_refs.push(PartnerRef { id, name, url });
            names.partner_refs.len() - 1
        }))
    }

    /// The position of the reference to the topic `topic` of `entry`; `None` (and a problem)
    /// when it is empty or makes the slug of another.
    fn topic(&mut self, entry: &Typed, topic: &'a Spanned<String>) -> Option<usize> {
        let (line, column) = location(&topic.referenced);
        let Resolver {
            config,
            names,
            problems,
            topic_index,
            topic_slugs,
            topic_forms,
            ..
        } = self;
        let (written, normal, id) =
            &*topic_forms.entry(topic.value.as_str()).or_insert_with(|| {
                let (written, id) = topic_form(&topic.value);
                let normal = written.to_lowercase();
                (written, normal, id)
            });
        if written.is_empty() {
            let hint = "remove the empty item from `topics`";
            problems.push(error(entry, line, column, "empty topic".into(), hint));
            return None;
        }
        let place = || format!("{}:{line}", display_path(&entry.parsed.file));
        if let Err((other_name, other_place)) = claim(topic_slugs, id, normal, written, place) {
            let message = format!(
                "topics `{other_name}` ({other_place}) and `{written}` both make the slug `{id}`"
            );
            let hint = "write the topic the same way everywhere";
            problems.push(error(entry, line, column, message, hint));
            return None;
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
        Some(reference)
    }
}

/// An error at `line` and `column` of `entry`'s front matter.
fn error(entry: &Typed, line: usize, column: usize, message: String, hint: &str) -> Diagnostic {
    Diagnostic::error(&entry.parsed.file, message)
        .at(&entry.parsed.text, line, column)
        .with_hint(hint)
}

/// Records `written` (`normal` once normalised) at `place` as the first name to make the slug
/// `id`, unless a name written otherwise made it first: then that name, and where it is.
fn claim(
    slugs: &mut HashMap<String, FirstNamed>,
    id: &str,
    normal: &str,
    written: &str,
    place: impl FnOnce() -> String,
) -> Result<(), (String, String)> {
    match slugs.get(id) {
        Some((other_normal, other_name, other_place)) if other_normal != normal => {
            Err((other_name.clone(), other_place.clone()))
        }
        Some(_) => Ok(()),
        None => {
            slugs.insert(
                id.to_string(),
                (normal.to_string(), written.to_string(), place()),
            );
            Ok(())
        }
    }
}
