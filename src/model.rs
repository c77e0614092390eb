//! The content model: plain data, no IO, no Tera.
//!
//! Everything here is built by `content::load` and read by `index` and `render`. Each type
//! serialises to what templates see (documented in `docs/templates.md`).

use std::path::PathBuf;

use serde::Serialize;

/// When an entry happened, as an instant and as the site's local calendar date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct When {
    /// `2022-05-24`
    pub date: String,
    /// `2022-05-24T09:30:00+07:00`: RFC 3339 in the site's time zone.
    pub datetime: String,
    /// `24 May 2022` or `24 May 2022, 09:30`.
    pub display: String,
    pub year: i16,
    pub month: i8,
    pub day: i8,
    /// Whether a time of day was given (otherwise the entry is an all-day event).
    pub has_time: bool,
    #[serde(skip)]
    pub instant: jiff::Timestamp,
}

impl When {
    /// `date` read in `tz`; `has_time` says whether the time of day means anything.
    pub fn new(zoned: &jiff::ZonedDateTime, has_time: bool) -> When {
        let date = zoned.date();
        let display_date = format!(
            "{} {} {}",
            date.day(),
            month_name(date.month()),
            date.year()
        );
        When {
            date: date.to_string(),
            datetime: rfc3339(zoned),
            display: if has_time {
                format!("{display_date}, {}", zoned.strftime("%H:%M"))
            } else {
                display_date
            },
            year: date.year(),
            month: date.month(),
            day: date.day(),
            has_time,
            instant: zoned.timestamp(),
        }
    }
}

/// `zoned` as RFC 3339, to the second (`2022-05-24T09:30:00+07:00`); in UTC (`…Z`) when its
/// offset has seconds (local mean time, before time zones were standard), which RFC 3339
/// cannot write.
pub fn rfc3339(zoned: &jiff::ZonedDateTime) -> String {
    if zoned.offset().seconds() % 60 == 0 {
        zoned.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    } else {
        zoned.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// English month names; the Thai calendar comes with the second language.
pub fn month_name(month: i8) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES[usize::from(month.clamp(1, 12) as u8 - 1)]
}

/// A place in a source file: line, column and the text of that line.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub line: usize,
    pub column: usize,
    /// The line, or of a long one the part around the column (see
    /// [`crate::diagnostic::cut_line`]).
    pub snippet: String,
    /// How many characters of the line come before `snippet`.
    pub snippet_start: usize,
}

/// A partner as an entry names it: resolved id, display name, page URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PartnerRef {
    pub id: String,
    pub name: String,
    pub url: String,
}

/// A topic as an entry names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct TopicRef {
    pub slug: String,
    pub name: String,
    pub url: String,
}

/// Where a press release was first published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Source {
    pub name: String,
    pub url: Option<String>,
    pub published: Option<When>,
}

/// One entry of the visible change log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Update {
    pub date: When,
    pub note: String,
}

/// A heading of the body, for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocItem {
    pub level: u8,
    pub id: String,
    pub title: String,
}

/// One published entry, ready for indexes and templates.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Path of the Markdown file relative to the site folder.
    #[serde(skip)]
    pub file: PathBuf,
    pub title: String,
    pub date: When,
    pub kind: String,
    pub kind_label: String,
    pub partners: Vec<PartnerRef>,
    pub topics: Vec<TopicRef>,
    pub location: Option<String>,
    pub summary: String,
    pub source: Option<Source>,
    pub slug: String,
    /// Site-relative URL, e.g. `/engagements/thai-us/`.
    pub url: String,
    pub updates: Vec<Update>,
    /// The latest update, or the entry's date.
    pub updated: When,
    pub reference: Option<String>,
    pub aliases: Vec<String>,
    /// Where each alias is written in the file, for error messages.
    #[serde(skip)]
    pub alias_places: Vec<Place>,
    pub language: String,
    pub extra: serde_json::Value,
    pub draft: bool,
    pub body_html: String,
    pub toc: Vec<TocItem>,
}

/// The kinds of partner the registry knows.
pub const PARTNER_TYPES: &[(&str, &str)] = &[
    ("government", "Government"),
    ("legislature", "Legislature"),
    ("ngo", "NGO"),
    ("international-organisation", "International organisation"),
    ("private-sector", "Private sector"),
    ("academia", "Academia"),
    ("media", "Media"),
    ("other", "Other"),
];

pub fn partner_type_label(id: &str) -> &'static str {
    PARTNER_TYPES
        .iter()
        .find(|(key, _)| *key == id)
        .map_or("Other", |(_, label)| label)
}

/// A partner: from the registry, or made up from a name the registry lacks.
#[derive(Debug, Clone, Serialize)]
pub struct Partner {
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    /// One of [`PARTNER_TYPES`].
    #[serde(rename = "type")]
    pub kind: String,
    pub type_label: String,
    pub country: Option<String>,
    pub website: Option<String>,
    pub description_html: String,
    /// Site-relative URL of the partner's page.
    pub url: String,
    /// False for names that matched no registry entry.
    pub registered: bool,
}

/// A topic label and its page.
#[derive(Debug, Clone, Serialize)]
pub struct Topic {
    pub slug: String,
    pub name: String,
    pub url: String,
}
