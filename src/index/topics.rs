//! Per topic: its entries, newest first.

use std::collections::HashMap;

use crate::content::Content;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicStats {
    /// Position in `content.topics`.
    pub topic: usize,
    /// Positions in `content.entries`, newest first.
    pub entries: Vec<usize>,
}

pub fn build(content: &Content) -> Vec<TopicStats> {
    let position: HashMap<&str, usize> = content
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.slug.as_str(), i))
        .collect();
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
