//! Per partner: its entries, first and last dates, and the partners it appears with most.

use std::collections::HashMap;

use crate::content::Content;
use crate::model::Entry;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerStats {
    /// Position in `content.partners`.
    pub partner: usize,
    /// Positions in `content.entries`, newest first.
    pub entries: Vec<usize>,
    /// Other partners named in the same entries: (position in `content.partners`, shared
    /// entries), most shared first, then by name.
    pub co_partners: Vec<(usize, usize)>,
}

/// One [`PartnerStats`] per partner, in the order of `content.partners`.
pub fn build(content: &Content) -> Vec<PartnerStats> {
    let position = positions(content);
    let mut stats: Vec<PartnerStats> = (0..content.partners.len())
        .map(|partner| PartnerStats {
            partner,
            entries: Vec::new(),
            co_partners: Vec::new(),
        })
        .collect();
    let mut shared: Vec<HashMap<usize, usize>> = vec![HashMap::new(); content.partners.len()];
    for (index, entry) in content.entries.iter().enumerate() {
        let ids: Vec<usize> = entry
            .partners
            .iter()
            .filter_map(|p| position.get(p.id.as_str()).copied())
            .collect();
        for &a in &ids {
            stats[a].entries.push(index);
            for &b in &ids {
                if a != b {
                    *shared[a].entry(b).or_default() += 1;
                }
            }
        }
    }
    let lowercase = lowercase_names(content);
    for (stat, counts) in stats.iter_mut().zip(shared) {
        stat.co_partners = co_partners(content, &lowercase, counts);
    }
    stats
}

/// `stats` (of the entries of `content` as they were, in the order they are now) after the
/// entries at the positions in `changed`, each given with the entry that was there, named
/// other partners: each taken out of the lists of the partners it no longer names and put in
/// those of the partners it now names, and the co-partners of all those partners counted
/// again. The same as [`build`] of `content`, for the cost of the partners concerned.
pub fn relisted(
    stats: &[PartnerStats],
    content: &Content,
    changed: &[(usize, &Entry)],
) -> Vec<PartnerStats> {
    let position = positions(content);
    let ids = |entry: &Entry| -> Vec<usize> {
        (entry.partners.iter())
            .filter_map(|p| position.get(p.id.as_str()).copied())
            .collect()
    };
    let mut stats = stats.to_vec();
    let concerned = super::relist(&mut stats, |s| &mut s.entries, content, changed, ids);
    let lowercase = lowercase_names(content);
    for p in concerned {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &e in &stats[p].entries {
            for q in ids(&content.entries[e]) {
                if q != p {
                    *counts.entry(q).or_default() += 1;
                }
            }
        }
        stats[p].co_partners = co_partners(content, &lowercase, counts);
    }
    stats
}

/// Partner id → position in `content.partners`.
fn positions(content: &Content) -> HashMap<&str, usize> {
    (content.partners.iter().enumerate())
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}

fn lowercase_names(content: &Content) -> Vec<String> {
    (content.partners.iter())
        .map(|p| p.name.to_lowercase())
        .collect()
}

/// Co-partners from their counts: most shared first, then by name, then by id.
fn co_partners(
    content: &Content,
    lowercase: &[String],
    counts: HashMap<usize, usize>,
) -> Vec<(usize, usize)> {
    let mut list: Vec<(usize, usize)> = counts.into_iter().collect();
    list.sort_by(|a, b| {
        b.1.cmp(&a.1).then_with(|| {
            lowercase[a.0]
                .cmp(&lowercase[b.0])
                .then_with(|| content.partners[a.0].id.cmp(&content.partners[b.0].id))
        })
    });
    list
}
