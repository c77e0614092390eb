//! Per topic: its entries, newest first.

use ahash::HashMap;

use crate::content::Content;
use crate::model::Entry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicStats {
    /// Position in `content.topics`.
    pub topic: usize,
    /// Positions in `content.entries`, newest first.
    pub entries: Vec<usize>,
}

pub fn build(content: &Content) -> Vec<TopicStats> {
    let position = positions(content);
    let mut stats: Vec<TopicStats> = (0..content.topics.len())
        .map(|topic| TopicStats {
            topic,
            entries: Vec::new(),
        })
        .collect();
    for (index, entry) in content.entries.iter().enumerate() {
        for topic in &entry.topics {
            if let Some(&t) = position.get(topic.slug.as_str()) {
                stats[t].entries.push(index);
            }
        }
    }
    stats
}

/// `stats` (of the entries of `content` as they were, in the order they are now) after the
/// entries at the positions in `changed`, each given with the entry that was there (`None`
/// for one added), named other topics: each taken out of the lists of the topics it no
/// longer names and put in those of the topics it now names. The same as [`build`] of
/// `content`.
pub fn relisted(
    mut stats: Vec<TopicStats>,
    content: &Content,
    changed: &[(usize, Option<&Entry>)],
) -> Vec<TopicStats> {
    let position = positions(content);
    let ids = |entry: &Entry| -> Vec<usize> {
        (entry.topics.iter())
            .filter_map(|t| position.get(t.slug.as_str()).copied())
            .collect()
    };
    super::relist(&mut stats, |s| &mut s.entries, content, changed, ids);
    stats
}

/// Topic slug → position in `content.topics`.
fn positions(content: &Content) -> HashMap<&str, usize> {
    (content.topics.iter().enumerate())
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect()
}
