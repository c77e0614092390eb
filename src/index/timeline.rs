//! Entries by year and month, newest first.

use crate::content::Content;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Month {
    pub month: i8,
    /// Positions in `content.entries`, newest first.
    pub entries: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Year {
    pub year: i16,
    pub months: Vec<Month>,
    /// Positions in `content.entries`, newest first.
    pub entries: Vec<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    /// Newest year first.
    pub years: Vec<Year>,
}

/// Groups the (already newest-first) entries by the year and month of their local date.
pub fn build(content: &Content) -> Timeline {
    let mut years: Vec<Year> = Vec::new();
    for (index, entry) in content.entries.iter().enumerate() {
        let (year, month) = (entry.date.year, entry.date.month);
        if years.last().is_none_or(|y| y.year != year) {
            years.push(Year {
                year,
                months: Vec::new(),
                entries: Vec::new(),
            });
        }
        let Some(current) = years.last_mut() else {
            continue;
        };
        current.entries.push(index);
        if current.months.last().is_none_or(|m| m.month != month) {
            current.months.push(Month {
                month,
                entries: Vec::new(),
            });
        }
        if let Some(m) = current.months.last_mut() {
            m.entries.push(index);
        }
    }
    Timeline { years }
}
