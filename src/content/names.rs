//! The partners and topics entries name, resolved once for all entries ([`Names`]): each
//! reference made once, entries holding positions into them.

use std::collections::BTreeMap;
use std::sync::Arc;

use ahash::{HashMap, HashSet};

use super::entry::{Typed, location};
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
    pub(super) fn rename(
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
