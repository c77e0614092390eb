//! Per partner: its entries, first and last dates, and the partners it appears with most.

use std::collections::HashMap;

use crate::content::Content;

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
    let position: HashMap<&str, usize> = content
        .partners
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.as_str(), i))
        .collect();
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
    let lowercase: Vec<String> = content
        .partners
        .iter()
        .map(|p| p.name.to_lowercase())
        .collect();
    for (stat, counts) in stats.iter_mut().zip(shared) {
        let mut list: Vec<(usize, usize)> = counts.into_iter().collect();
        list.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| {
                lowercase[a.0]
                    .cmp(&lowercase[b.0])
                    .then_with(|| content.partners[a.0].id.cmp(&content.partners[b.0].id))
            })
        });
        stat.co_partners = list;
    }
    stats
}
