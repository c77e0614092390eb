//! Per partner: its entries, first and last dates, and the partners it appears with most.

use ahash::HashMap;

use rayon::prelude::*;

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
    let ids: Vec<Vec<usize>> = content
        .entries
        .iter()
        .map(|entry| {
            (entry.partners.iter())
                .filter_map(|p| position.get(p.id.as_str()).copied())
                .collect()
        })
        .collect();
    let mut stats: Vec<PartnerStats> = (0..content.partners.len())
        .map(|partner| PartnerStats {
            partner,
            entries: Vec::new(),
            co_partners: Vec::new(),
        })
        .collect();
    for (index, ids) in ids.iter().enumerate() {
        for &a in ids {
            stats[a].entries.push(index);
        }
    }
    let counted = Counted::new(content);
    stats.par_iter_mut().for_each_init(
        || counted.scratch(),
        |scratch, stat| {
            stat.co_partners = counted.co_partners(scratch, stat, |e| ids[e].iter().copied());
        },
    );
    stats
}

/// `stats` (of the entries of `content` as they were, in the order they are now) after the
/// entries at the positions in `changed`, each given with the entry that was there (`None`
/// for one added), named other partners: each taken out of the lists of the partners it no
/// longer names and put in those of the partners it now names, and the co-partners of all
/// those partners counted again. The same as [`build`] of `content`, for the cost of the
/// partners concerned.
pub fn relisted(
    mut stats: Vec<PartnerStats>,
    content: &Content,
    changed: &[(usize, Option<&Entry>)],
) -> Vec<PartnerStats> {
    let position = positions(content);
    let ids = |entry: &Entry| -> Vec<usize> {
        (entry.partners.iter())
            .filter_map(|p| position.get(p.id.as_str()).copied())
            .collect()
    };
    let concerned = super::relist(&mut stats, |s| &mut s.entries, content, changed, ids);
    let counted = Counted::new(content);
    let mut scratch = counted.scratch();
    for p in concerned {
        stats[p].co_partners =
            counted.co_partners(&mut scratch, &stats[p], |e| ids(&content.entries[e]));
    }
    stats
}

/// Partner id → position in `content.partners`.
fn positions(content: &Content) -> HashMap<&str, usize> {
    (content.partners.iter().enumerate())
        .map(|(i, p)| (p.id.as_str(), i))
        .collect()
}

/// Counts the partners named beside each partner.
struct Counted<'c> {
    content: &'c Content,
    /// Every partner's name in lower case, by position, to sort by.
    lowercase: Vec<String>,
}

impl<'c> Counted<'c> {
    fn new(content: &'c Content) -> Self {
        let lowercase = (content.partners.iter())
            .map(|p| p.name.to_lowercase())
            .collect();
        Counted { content, lowercase }
    }

    /// What [`Counted::co_partners`] counts in: a zero for every partner.
    fn scratch(&self) -> Vec<usize> {
        vec![0; self.content.partners.len()]
    }

    /// The co-partners of `stat`'s partner in its entries, whose partners `ids` gives by
    /// entry position: most shared first, then by name, then by id. `counts` comes from
    /// [`Counted::scratch`], and is left as it was.
    fn co_partners<I: IntoIterator<Item = usize>>(
        &self,
        counts: &mut [usize],
        stat: &PartnerStats,
        ids: impl Fn(usize) -> I,
    ) -> Vec<(usize, usize)> {
        let mut named = Vec::new();
        for &e in &stat.entries {
            for q in ids(e) {
                if q != stat.partner {
                    if counts[q] == 0 {
                        named.push(q);
                    }
                    counts[q] += 1;
                }
            }
        }
        let mut list: Vec<(usize, usize)> = named
            .into_iter()
            .map(|q| (q, std::mem::take(&mut counts[q])))
            .collect();
        let (lowercase, partners) = (&self.lowercase, &self.content.partners);
        list.sort_by(|a, b| {
            b.1.cmp(&a.1).then_with(|| {
                lowercase[a.0]
                    .cmp(&lowercase[b.0])
                    .then_with(|| partners[a.0].id.cmp(&partners[b.0].id))
            })
        });
        list
    }
}

#[cfg(test)]
mod tests {
    use crate::render::feeds::tests::{config, content, entry};

    #[test]
    fn co_partners_are_counted_and_sorted_by_count_then_name_then_id() {
        let config = config("https://example.org/");
        let named: [&[&str]; 6] = [
            &["a", "b", "c"],
            &["a", "c", "d"],
            &["a", "b"],
            &["a", "e"],
            &["b", "c"],
            &["a", "f"],
        ];
        let entries = (0..named.len())
            .map(|n| entry(&config, n, &format!("2024-0{}-01", n + 1), named[n], &[]))
            .collect();
        let mut content = content(entries);
        // Names that sort otherwise than the ids; `d` and `e` alike but for case.
        for (id, name) in [
            ("a", "A"),
            ("b", "Zulu"),
            ("c", "alpha"),
            ("d", "Same"),
            ("e", "same"),
            ("f", "Echo"),
        ] {
            let partner = content.partners.iter_mut().find(|p| p.id == id).unwrap();
            partner.name = name.to_string();
        }
        let stats = super::build(&content);
        let co_partners = |id: &str| -> Vec<(&str, usize)> {
            let stat = stats
                .iter()
                .find(|s| content.partners[s.partner].id == id)
                .unwrap();
            (stat.co_partners.iter())
                .map(|&(p, count)| (content.partners[p].id.as_str(), count))
                .collect()
        };
        assert_eq!(
            co_partners("a"),
            [("c", 2), ("b", 2), ("f", 1), ("d", 1), ("e", 1)]
        );
        assert_eq!(co_partners("b"), [("a", 2), ("c", 2)]);
        assert_eq!(co_partners("d"), [("a", 1), ("c", 1)]);
        assert_eq!(co_partners("f"), [("a", 1)]);
    }
}
