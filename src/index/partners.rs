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
    /// entries), most shared first, then by name; the first [`CO_PARTNERS`] of them.
    pub co_partners: Vec<(usize, usize)>,
}

/// How many co-partners are kept for each partner: its page shows these. An entry naming
/// thousands of partners gives each of them thousands of co-partners, which are counted but
/// not kept.
pub const CO_PARTNERS: usize = 10;

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
    /// Every partner's place in the order of names in lower case, then ids, by position.
    rank: Vec<usize>,
}

impl<'c> Counted<'c> {
    fn new(content: &'c Content) -> Self {
        let lowercase: Vec<String> = (content.partners.iter())
            .map(|p| p.name.to_lowercase())
            .collect();
        let mut order: Vec<usize> = (0..content.partners.len()).collect();
        order.sort_by(|&a, &b| {
            (lowercase[a].cmp(&lowercase[b]))
                .then_with(|| content.partners[a].id.cmp(&content.partners[b].id))
        });
        let mut rank = vec![0; order.len()];
        for (place, &partner) in order.iter().enumerate() {
            rank[partner] = place;
        }
        Counted { content, rank }
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
        let rank = &self.rank;
        let order = |a: &(usize, usize), b: &(usize, usize)| {
            b.1.cmp(&a.1).then_with(|| rank[a.0].cmp(&rank[b.0]))
        };
        if list.len() > CO_PARTNERS {
            list.select_nth_unstable_by(CO_PARTNERS - 1, order);
            list.truncate(CO_PARTNERS);
        }
        list.sort_by(order);
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

    #[test]
    fn only_the_first_co_partners_are_kept_in_their_order() {
        let config = config("https://example.org/");
        let many: Vec<String> = (0..25).map(|n| format!("p{n:02}")).collect();
        let mut first: Vec<&str> = vec!["a"];
        first.extend(many.iter().map(String::as_str));
        let entries = vec![
            entry(&config, 0, "2024-01-01", &first, &[]),
            entry(&config, 1, "2024-02-01", &["a", "p20"], &[]),
        ];
        let mut content = content(entries);
        // Names in the opposite order of the ids.
        for partner in content
            .partners
            .iter_mut()
            .filter(|p| p.id.starts_with('p'))
        {
            let n: usize = partner.id[1..].parse().unwrap();
            partner.name = format!("Name {}", 99 - n);
        }
        let stats = super::build(&content);
        let a = stats
            .iter()
            .find(|s| content.partners[s.partner].id == "a")
            .unwrap();
        let kept: Vec<(&str, usize)> = (a.co_partners.iter())
            .map(|&(p, count)| (content.partners[p].id.as_str(), count))
            .collect();
        let mut expected = vec![("p20", 2)];
        expected.extend(
            [
                "p24", "p23", "p22", "p21", "p19", "p18", "p17", "p16", "p15",
            ]
            .map(|id| (id, 1)),
        );
        assert_eq!(kept, expected);
        assert_eq!(super::CO_PARTNERS, 10);
    }
}
