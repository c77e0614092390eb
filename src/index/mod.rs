//! Indexes over the published entries: the timeline, partners and topics.
//!
//! Pure and deterministic: each index is a function of [`Content`] alone, holding positions in
//! `content.entries` (which is newest first), never copies of entries.

pub mod partners;
pub mod timeline;
pub mod topics;

use crate::content::Content;

/// All indexes of one build.
#[derive(Debug, Clone)]
pub struct Indexes {
    pub timeline: timeline::Timeline,
    pub partners: Vec<partners::PartnerStats>,
    pub topics: Vec<topics::TopicStats>,
}

pub fn build(content: &Content) -> Indexes {
    let (timeline, (partners, topics)) = rayon::join(
        || timeline::build(content),
        || rayon::join(|| partners::build(content), || topics::build(content)),
    );
    Indexes {
        timeline,
        partners,
        topics,
    }
}

impl Indexes {
    /// The indexes of `content`, whose entries are those these were built from with entries
    /// added at the positions in `added` (sorted), which name only partners and topics
    /// `content` had before: the lists of the others keep their members, and the counts of
    /// co-partners change only for the partners the entries added name.
    pub fn with_added(&self, content: &Content, added: &[usize]) -> Indexes {
        let new_of_old: Vec<usize> = (0..content.entries.len())
            .filter(|i| added.binary_search(i).is_err())
            .collect();
        let shift = |positions: &[usize]| positions.iter().map(|&i| new_of_old[i]).collect();
        let changed: Vec<(usize, Option<&crate::model::Entry>)> =
            added.iter().map(|&at| (at, None)).collect();
        let partners: Vec<partners::PartnerStats> = (self.partners.iter())
            .map(|stats| partners::PartnerStats {
                partner: stats.partner,
                entries: shift(&stats.entries),
                co_partners: stats.co_partners.clone(),
            })
            .collect();
        let topics: Vec<topics::TopicStats> = (self.topics.iter())
            .map(|stats| topics::TopicStats {
                topic: stats.topic,
                entries: shift(&stats.entries),
            })
            .collect();
        Indexes {
            timeline: timeline::build(content),
            partners: partners::relisted(partners, content, &changed),
            topics: topics::relisted(topics, content, &changed),
        }
    }

    /// The indexes of `content`, whose entries are those these were built from, each with the
    /// same partners and topics, in the order `order` gives (for each position, the entry's
    /// position before): the lists keep their members, and only their order is made again.
    pub fn reordered(&self, content: &Content, order: &[usize]) -> Indexes {
        let mut new_of_old = vec![0; order.len()];
        for (new, &old) in order.iter().enumerate() {
            new_of_old[old] = new;
        }
        let remap = |positions: &[usize]| {
            let mut list: Vec<usize> = positions.iter().map(|&i| new_of_old[i]).collect();
            list.sort_unstable();
            list
        };
        Indexes {
            timeline: timeline::build(content),
            partners: self
                .partners
                .iter()
                .map(|stats| partners::PartnerStats {
                    partner: stats.partner,
                    entries: remap(&stats.entries),
                    co_partners: stats.co_partners.clone(),
                })
                .collect(),
            topics: self
                .topics
                .iter()
                .map(|stats| topics::TopicStats {
                    topic: stats.topic,
                    entries: remap(&stats.entries),
                })
                .collect(),
        }
    }
}

/// Moves each entry at the positions in `changed` (each given with the entry that was there,
/// or `None` for an entry added) out of the lists in `stats` it no longer belongs to and into
/// those it now belongs to (`ids` gives an entry's lists, by index in `stats`), keeping each
/// list in order. Returns the lists it was or is in.
fn relist<S>(
    stats: &mut [S],
    entries_of: fn(&mut S) -> &mut Vec<usize>,
    content: &Content,
    changed: &[(usize, Option<&crate::model::Entry>)],
    ids: impl Fn(&crate::model::Entry) -> Vec<usize>,
) -> std::collections::BTreeSet<usize> {
    let mut concerned = std::collections::BTreeSet::new();
    for &(position, old) in changed {
        let before = old.map(&ids).unwrap_or_default();
        let after = ids(&content.entries[position]);
        for &i in before.iter().chain(&after) {
            let list = entries_of(&mut stats[i]);
            match (list.binary_search(&position), after.contains(&i)) {
                (Err(at), true) => list.insert(at, position),
                (Ok(at), false) => {
                    list.remove(at);
                }
                _ => {}
            }
        }
        concerned.extend(before.into_iter().chain(after));
    }
    concerned
}

/// Splits `items` into pages of `per_page`; always at least one (possibly empty) page.
pub fn pages<T>(items: &[T], per_page: usize) -> Vec<&[T]> {
    if items.is_empty() {
        return vec![items];
    }
    items.chunks(per_page.max(1)).collect()
}

#[cfg(test)]
mod tests {
    use super::pages;

    #[test]
    fn reordered_indexes_are_the_indexes_of_the_new_order() {
        use crate::render::feeds::tests::{config, content, entry, when};
        let config = config("https://example.org/");
        let mut entries: Vec<_> = (0..6)
            .map(|n| {
                let date = format!("2024-0{}-01", n + 1);
                entry(&config, n, &date, &["a", "b"][..n % 2 + 1], &["x"])
            })
            .collect();
        let before = content(entries.clone());
        // The oldest entry moves to the top.
        entries[0].date = when(&config, "2024-07-01");
        let after = content(entries);
        let order: Vec<usize> = after
            .entries
            .iter()
            .map(|e| before.entries.iter().position(|b| b.url == e.url).unwrap())
            .collect();
        assert_eq!(order, [5, 0, 1, 2, 3, 4]);
        let reordered = super::build(&before).reordered(&after, &order);
        let built = super::build(&after);
        assert_eq!(reordered.timeline, built.timeline);
        assert_eq!(reordered.partners, built.partners);
        assert_eq!(reordered.topics, built.topics);
    }

    #[test]
    fn relisted_partners_and_topics_are_those_of_the_new_names() {
        use crate::render::feeds::tests::{config, content, entry};
        let config = config("https://example.org/");
        let partners: [&[&str]; 5] = [&["a", "b"], &["b", "c"], &["a"], &["c", "a", "b"], &["d"]];
        let topics: [&[&str]; 5] = [&["x"], &["x", "y"], &["y"], &[], &["z", "y"]];
        let mut entries: Vec<_> = (0..partners.len())
            .map(|n| {
                let date = format!("2024-0{}-01", n + 1);
                entry(&config, n, &date, partners[n], topics[n])
            })
            .collect();
        let before = content(entries.clone());
        let march = before
            .entries
            .iter()
            .position(|e| e.date.month == 3)
            .unwrap();
        let old = before.entries[march].clone();
        // The entry of March leaves `a` for `c`, `b` and `d`, and `y` for `z` and `x`.
        let mut renamed: Vec<_> = entries[1].partners.iter().rev().cloned().collect();
        renamed.push(entries[4].partners[0].clone());
        entries[2].partners = renamed;
        entries[2].topics = vec![entries[4].topics[0].clone(), entries[0].topics[0].clone()];
        // Every partner and topic keeps its place.
        let mut after = content(entries);
        after.partners = before.partners.clone();
        after.topics = before.topics.clone();
        let built = super::build(&before);
        let changed = [(march, Some(&*old))];
        let partners = super::partners::relisted(built.partners.clone(), &after, &changed);
        let topics = super::topics::relisted(built.topics.clone(), &after, &changed);
        let expected = super::build(&after);
        assert_eq!(partners, expected.partners);
        assert_eq!(topics, expected.topics);
        assert_ne!(partners, built.partners);
        assert_ne!(topics, built.topics);
    }

    #[test]
    fn indexes_with_entries_added_are_the_indexes_of_all_the_entries() {
        use crate::render::feeds::tests::{config, content, entry};
        let config = config("https://example.org/");
        let partners: [&[&str]; 6] = [
            &["a", "b"],
            &["b", "c"],
            &["a"],
            &["c", "a"],
            &["b"],
            &["c"],
        ];
        let topics: [&[&str]; 6] = [&["x"], &["x", "y"], &["y"], &[], &["y"], &["x"]];
        let entries: Vec<_> = (0..partners.len())
            .map(|n| {
                let date = format!("{}-0{}-01", 2023 + n % 3, n + 1);
                entry(&config, n, &date, partners[n], topics[n])
            })
            .collect();
        let after = content(entries.clone());
        // The newest entry, one in the middle and the oldest: each is added, then all three.
        let positions = [0, 2, 5];
        let cases: Vec<Vec<usize>> = (positions.iter().map(|&p| vec![p]))
            .chain([positions.to_vec()])
            .collect();
        for added in cases {
            let mut before = after.clone();
            for &at in added.iter().rev() {
                before.entries.remove(at);
            }
            let built = super::build(&before);
            let expected = super::build(&after);
            let with_added = built.with_added(&after, &added);
            assert_eq!(with_added.timeline, expected.timeline, "{added:?}");
            assert_eq!(with_added.partners, expected.partners, "{added:?}");
            assert_eq!(with_added.topics, expected.topics, "{added:?}");
            assert_ne!(built.partners, expected.partners, "{added:?}");
        }
    }

    #[test]
    fn pagination_boundaries() {
        let items: Vec<u32> = (0..51).collect();
        assert_eq!(pages(&items[..49], 50).len(), 1);
        assert_eq!(pages(&items[..50], 50).len(), 1);
        let split = pages(&items, 50);
        assert_eq!(split.len(), 2);
        assert_eq!(split[1], &[50]);
        assert_eq!(pages::<u32>(&[], 50).len(), 1);
    }
}
