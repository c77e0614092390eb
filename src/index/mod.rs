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
