//! The pager of a page of a list.

use super::context::*;
use super::*;
use crate::plan::{self, Pagination};

impl Renderer<'_> {
    /// The pager of a page of the list at `base` (`partners/iom/`).
    pub(super) fn pager(&self, base: &str, pagination: Pagination) -> Pager {
        let (current, total) = (pagination.number, pagination.total);
        let url = |n: usize| plan::page_url(self.config, base, n);
        Pager {
            current,
            total,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: pager_window(current, total)
                .into_iter()
                .scan(0, |last, number| {
                    let gap_before = number > *last + 1 && *last > 0;
                    *last = number;
                    Some(PageLink {
                        number,
                        url: url(number),
                        current: number == current,
                        gap_before,
                    })
                })
                .collect(),
        }
    }
}

/// The page numbers a pager links to: the first and last pages and two on each side of the
/// current one, so a list of 2,000 pages does not put 2,000 links on each of them.
fn pager_window(current: usize, total: usize) -> Vec<usize> {
    let mut numbers: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total))
        .filter(|&n| n >= 1 && n <= total)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// `Name` on page 1, `Name, page 2` after.
pub(super) fn page_title(name: &str, index: usize) -> String {
    if index == 0 {
        name.to_string()
    } else {
        format!("{name}, page {}", index + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    pub(super) fn pager_links_the_ends_and_the_neighbours() {
        assert_eq!(pager_window(1, 1), [1]);
        assert_eq!(pager_window(1, 3), [1, 2, 3]);
        assert_eq!(pager_window(50, 100), [1, 48, 49, 50, 51, 52, 100]);
        assert_eq!(pager_window(100, 100), [1, 98, 99, 100]);
    }
}
