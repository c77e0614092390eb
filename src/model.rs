//! The content model: plain data, no IO, no Tera.
//!
//! Everything here is built by `content::load` and read by `index` and `render`. Each type
//! serialises to what templates see (documented in `docs/templates.md`).

use std::path::PathBuf;

use serde::Serialize;

/// When an entry happened, as an instant and as a calendar date and time where it happened:
/// in the zone it was written in (`[America/New_York]` or an offset), else the site's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct When {
    /// `2022-05-24`: the local date where it happened.
    pub date: String,
    /// `2022-05-24T09:30:00+07:00`: RFC 3339 with the local offset where it happened.
    pub datetime: String,
    /// `24 May 2022`, `24 May 2022, 09:30`, or abroad `24 May 2022, 14:00 EDT`.
    pub display: String,
    /// The zone of a time written in another zone than the site's (`EDT`, `UTC−4`).
    pub zone: Option<String>,
    pub year: i16,
    pub month: i8,
    pub day: i8,
    /// Whether a time of day was given (otherwise the entry is an all-day event).
    pub has_time: bool,
    #[serde(skip)]
    pub instant: jiff::Timestamp,
}

impl When {
    /// `zoned` as written (see [`crate::content::frontmatter::parse_date`]); `has_time` says
    /// whether the time of day means anything, and the zone is named when it is not `site`.
    pub fn new(zoned: &jiff::ZonedDateTime, has_time: bool, site: &jiff::tz::TimeZone) -> When {
        let date = zoned.date();
        let display_date = format!(
            "{} {} {}",
            date.day(),
            month_name(date.month()),
            date.year()
        );
        let zone = (has_time && zoned.time_zone() != site).then(|| zone_name(zoned));
        let display = match (has_time, &zone) {
            (false, _) => display_date,
            (true, None) => format!("{display_date}, {}", zoned.strftime("%H:%M")),
            (true, Some(zone)) => format!("{display_date}, {} {zone}", zoned.strftime("%H:%M")),
        };
        When {
            date: date.to_string(),
            datetime: rfc3339(zoned),
            display,
            zone,
            year: date.year(),
            month: date.month(),
            day: date.day(),
            has_time,
            instant: zoned.timestamp(),
        }
    }

    /// The order of lists, newest first: by local date, then by instant (two entries of one
    /// day abroad and at home keep their order in time), so that a list never shows a day
    /// out of order and a month's entries stay together.
    pub fn newest_first(&self, other: &When) -> std::cmp::Ordering {
        (other.year, other.month, other.day, other.instant).cmp(&(
            self.year,
            self.month,
            self.day,
            self.instant,
        ))
    }
}

/// The name of `zoned`'s zone at that moment: its abbreviation (`EDT`, `JST`), or where the
/// zone has none (the time database writes `+07`) or only an offset was written, the offset
/// from UTC (`UTC+7`, `UTC−4`, `UTC+5:30`, with a true minus sign).
fn zone_name(zoned: &jiff::ZonedDateTime) -> String {
    let tz = zoned.time_zone();
    if tz.iana_name().is_some() {
        let info = tz.to_offset_info(zoned.timestamp());
        let abbreviation = info.abbreviation();
        if abbreviation.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return abbreviation.to_string();
        }
    }
    let seconds = zoned.offset().seconds();
    if seconds == 0 {
        return "UTC".to_string();
    }
    let sign = if seconds < 0 { '\u{2212}' } else { '+' };
    let (hours, minutes, rest) = (
        seconds.unsigned_abs() / 3600,
        seconds.unsigned_abs() / 60 % 60,
        seconds.unsigned_abs() % 60,
    );
    match (minutes, rest) {
        (0, 0) => format!("UTC{sign}{hours}"),
        (_, 0) => format!("UTC{sign}{hours}:{minutes:02}"),
        _ => format!("UTC{sign}{hours}:{minutes:02}:{rest:02}"),
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

/// A link or image of an entry's body written from the site's root (`/engagements/x/`,
/// `/img/a.png`), which names a page or file only known once the whole site is made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootLink {
    /// The link as written.
    pub written: String,
    /// The path it names in the site, without the base path, query and anchor,
    /// percent-decoded: `engagements/x/`, `img/a.png`, `` for the home page.
    pub path: String,
    pub image: bool,
    /// Where the first link to `path` is written.
    pub place: Place,
    /// How many more links of the same text lead to `path`.
    pub more: usize,
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
    /// A correction that is not news: listed, but it does not move the entry's `updated`.
    pub minor: bool,
}

/// A document listed in an entry's `attachments:`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttachedFile {
    pub title: String,
    /// Site-relative URL of the file.
    pub url: String,
    /// Its kind, size and a PDF's pages; `None` for a file that is not a document gazette
    /// describes.
    pub document: Option<crate::attachments::Attachment>,
}

/// An entry's lead image (`image:`), ready for templates: the `<picture>` of its variants,
/// or the file as it is when gazette does not resize it (SVG, GIF).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadImage {
    pub alt: String,
    pub credit: Option<String>,
    /// Site-relative URL of the widest variant in the original's format, or of the file.
    pub src: String,
    /// `srcset` of the variants in the original's format (empty for a file as it is).
    pub srcset: String,
    /// `srcset` of the WebP variants, for a `<source>`; empty when the original is WebP.
    pub webp_srcset: String,
    /// `sizes` of both srcsets.
    pub sizes: String,
    /// The original's size, upright; `None` for a file as it is.
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// The `og:image`: the narrowest variant at least 1200 px wide (or the widest there is).
    pub og: Option<OgImage>,
}

/// A variant for `og:image`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OgImage {
    /// Absolute URL when `base_url` is.
    pub url: String,
    pub width: u32,
    pub height: u32,
    pub media_type: String,
}

/// An entry withdrawn: it stays at its URL, with the date and the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Withdrawal {
    pub date: When,
    pub reason: String,
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
    /// Whether `summary` was taken from the body's first paragraph (no `summary` was
    /// written): lists and meta tags show it, the entry's page does not repeat it as a lead.
    pub summary_from_body: bool,
    pub source: Option<Source>,
    pub slug: String,
    /// Site-relative URL, e.g. `/engagements/thai-us/`.
    pub url: String,
    pub updates: Vec<Update>,
    /// The latest of the entry's date, its updates that are not minor, and its withdrawal.
    pub updated: When,
    /// When and why the entry was withdrawn; `None` while it stands.
    pub withdrawn: Option<Withdrawal>,
    /// The documents of `attachments:`, in the order written.
    pub attachments: Vec<AttachedFile>,
    /// The lead image of `image:`.
    pub image: Option<LeadImage>,
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
    /// The body's links and images from the site's root, checked once the site is made.
    #[serde(skip)]
    pub root_links: Vec<RootLink>,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn when(written: &str, site: &str) -> When {
        let site = jiff::tz::TimeZone::get(site).unwrap();
        let (zoned, has_time) = crate::content::frontmatter::parse_date(written, &site).unwrap();
        When::new(&zoned, has_time, &site)
    }

    #[test]
    fn a_time_in_another_zone_names_it() {
        let shown = |written: &str, site: &str| when(written, site).display;
        assert_eq!(
            shown("2022-05-24T14:00:00[America/New_York]", "Asia/Bangkok"),
            "24 May 2022, 14:00 EDT"
        );
        assert_eq!(
            shown("2022-01-24T14:00:00[America/New_York]", "Asia/Bangkok"),
            "24 January 2022, 14:00 EST"
        );
        // The time database has no letters for Bangkok: the offset is named instead.
        assert_eq!(
            shown("2022-05-24T09:30:00[Asia/Bangkok]", "UTC"),
            "24 May 2022, 09:30 UTC+7"
        );
        assert_eq!(
            shown("2022-05-24T09:30:00+05:30", "Asia/Bangkok"),
            "24 May 2022, 09:30 UTC+5:30"
        );
        assert_eq!(
            shown("2022-05-24T09:30:00-09:30", "Asia/Bangkok"),
            "24 May 2022, 09:30 UTC\u{2212}9:30"
        );
        assert_eq!(
            shown("2022-05-24T09:30:00Z", "Asia/Bangkok"),
            "24 May 2022, 09:30 UTC"
        );
        // The site's own zone, by name or by its offset, is not named.
        assert_eq!(
            shown("2022-05-24T09:30:00[Asia/Bangkok]", "Asia/Bangkok"),
            "24 May 2022, 09:30"
        );
        assert_eq!(shown("2022-05-24T09:30:00Z", "UTC"), "24 May 2022, 09:30");
        assert_eq!(
            shown("2022-05-24T09:30:00+07:00", "Asia/Bangkok"),
            "24 May 2022, 09:30"
        );
        // A day alone names no zone.
        assert_eq!(
            shown("2022-05-24[America/New_York]", "Asia/Bangkok"),
            "24 May 2022"
        );
        let abroad = when("2022-05-24T14:00:00[America/New_York]", "Asia/Bangkok");
        assert_eq!(abroad.zone.as_deref(), Some("EDT"));
        assert_eq!((abroad.year, abroad.month, abroad.day), (2022, 5, 24));
    }

    #[test]
    fn lists_order_by_local_day_then_moment() {
        // 00:30 on the 25th in Bangkok is before 14:00 on the 24th in New York, but a later day.
        let bangkok = when("2022-05-25T00:30:00+07:00", "Asia/Bangkok");
        let washington = when("2022-05-24T14:00:00[America/New_York]", "Asia/Bangkok");
        assert!(bangkok.instant < washington.instant);
        assert!(bangkok.newest_first(&washington).is_lt());
        let evening = when("2022-05-24T23:30:00Z", "Asia/Bangkok");
        assert!(evening.newest_first(&washington).is_lt());
        assert!(washington.newest_first(&washington).is_eq());
    }
}

/// A standing page: Markdown under `content/pages/` (an About page, an accessibility
/// statement), undated, outside every list, feed and export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandingPage {
    /// Path of the Markdown file relative to the site folder.
    #[serde(skip)]
    pub file: PathBuf,
    pub title: String,
    /// Site-relative URL: `/about/`, `/th/about/`.
    pub url: String,
    pub language: String,
    /// As written, or empty.
    pub summary: String,
    /// When the page was last checked to be true (`reviewed:`).
    pub reviewed: Option<When>,
    /// Its place in the site's navigation (`menu:`); not there when `None`.
    pub menu: Option<u32>,
    pub body_html: String,
    pub toc: Vec<TocItem>,
    #[serde(skip)]
    pub root_links: Vec<RootLink>,
}
