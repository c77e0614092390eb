//! `data/entries.ics`: an iCalendar file with one all-day or timed event per entry, lines
//! folded at 75 bytes.

use crate::config::Config;
use crate::model::Entry;

/// An entry's event in `entries.ics`: the lines before `DTSTAMP` and those after.
pub(super) fn ics_rows(config: &Config, host: &str, entry: &Entry) -> (String, String) {
    let mut calendar = Calendar {
        config,
        stamp: String::new(),
        host: host.to_string(),
        out: String::new(),
    };
    calendar.event_head(entry);
    let head = std::mem::take(&mut calendar.out);
    calendar.event_tail(entry);
    (head, calendar.out)
}

/// The calendar's lines up to its first event, an event's `DTSTAMP` line, and its last line.
pub(super) fn calendar_parts(config: &Config, now: jiff::Timestamp) -> (String, String, String) {
    let mut calendar = Calendar {
        config,
        stamp: utc(now),
        host: String::new(),
        out: String::new(),
    };
    calendar.head();
    let head = std::mem::take(&mut calendar.out);
    calendar.line("DTSTAMP", &calendar.stamp.clone());
    let stamp = std::mem::take(&mut calendar.out);
    calendar.line("END", "VCALENDAR");
    (head, stamp, calendar.out)
}

/// The longest content line RFC 5545 allows, in octets, without its CRLF.
pub(super) const MAX_LINE: usize = 75;

/// `data/entries.ics` in one piece: an RFC 5545 calendar with one event per entry.
#[cfg(test)]
pub(super) fn ics(
    config: &Config,
    content: &crate::content::Content,
    now: jiff::Timestamp,
) -> String {
    let mut calendar = Calendar {
        config,
        stamp: utc(now),
        host: host(config),
        out: String::new(),
    };
    calendar.head();
    for entry in &content.entries {
        calendar.event_head(entry);
        calendar.line("DTSTAMP", &calendar.stamp.clone());
        calendar.event_tail(entry);
    }
    calendar.line("END", "VCALENDAR");
    calendar.out
}

/// A calendar being written, and what every event shares.
pub(super) struct Calendar<'a> {
    config: &'a Config,
    /// `DTSTAMP`: the build's `now`.
    stamp: String,
    /// The right-hand side of every `UID`.
    host: String,
    out: String,
}

impl Calendar<'_> {
    /// Writes `NAME:VALUE` (the name may carry parameters), folded. `value` is written as
    /// it is: TEXT values must come through [`text`] first.
    fn line(&mut self, name: &str, value: &str) {
        fold(&mut self.out, &format!("{name}:{value}"));
    }

    /// The calendar's own lines, up to its first event.
    fn head(&mut self) {
        let config = self.config;
        self.line("BEGIN", "VCALENDAR");
        self.line("VERSION", "2.0");
        self.line("PRODID", "-//gazette//gazette open data//EN");
        self.line("CALSCALE", "GREGORIAN");
        self.line("METHOD", "PUBLISH");
        self.line("NAME", &text(&config.title));
        self.line("X-WR-CALNAME", &text(&config.title));
        if !config.description.trim().is_empty() {
            self.line("X-WR-CALDESC", &text(&config.description));
        }
    }

    /// An event's lines before its `DTSTAMP`.
    fn event_head(&mut self, entry: &Entry) {
        self.line("BEGIN", "VEVENT");
        self.line("UID", &text(&uid(entry, &self.host)));
    }

    /// An event's lines after its `DTSTAMP`.
    fn event_tail(&mut self, entry: &Entry) {
        let config = self.config;
        if entry.date.has_time {
            self.line("DTSTART", &utc(entry.date.instant));
        } else {
            let day =
                jiff::civil::Date::new(entry.date.year, entry.date.month, entry.date.day).ok();
            self.line("DTSTART;VALUE=DATE", &basic_date(&entry.date.date));
            if let Some(next) = day.and_then(|d| d.tomorrow().ok()) {
                self.line("DTEND;VALUE=DATE", &next.strftime("%Y%m%d").to_string());
            }
        }
        self.line("SUMMARY", &text(&entry.title));
        if !entry.summary.trim().is_empty() {
            self.line("DESCRIPTION", &text(&entry.summary));
        }
        if let Some(location) = &entry.location {
            self.line("LOCATION", &text(location));
        }
        if config.has_absolute_base_url() {
            self.line("URL", &config.absolute_url(&entry.url));
        }
        if !entry.topics.is_empty() {
            let topics: Vec<String> = entry.topics.iter().map(|t| text(&t.name)).collect();
            self.line("CATEGORIES", &topics.join(","));
        }
        self.line("TRANSP", "TRANSPARENT");
        self.line("END", "VEVENT");
    }
}

/// `engagements/thai-us@example.org`: the entry's URL path (base path included, outer slashes
/// trimmed) and the site's host. Entry URLs are unique, so UIDs are too, and they stay the
/// same from build to build for as long as the URL does.
pub(super) fn uid(entry: &Entry, host: &str) -> String {
    format!("{}@{host}", entry.url.trim_matches('/'))
}

/// The host (and port) of `base_url`, lowercase; `localhost` when `base_url` is not absolute.
pub fn host(config: &Config) -> String {
    let rest = config
        .base_url
        .strip_prefix("https://")
        .or_else(|| config.base_url.strip_prefix("http://"));
    let authority = rest
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or_default())
        .map(|a| a.rsplit('@').next().unwrap_or_default())
        .unwrap_or_default();
    if authority.is_empty() {
        "localhost".to_string()
    } else {
        authority.to_lowercase()
    }
}

/// A UTC date-time in iCalendar's form: `20220524T023000Z` (seconds truncated).
pub(super) fn utc(instant: jiff::Timestamp) -> String {
    instant.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// `2022-05-24` → `20220524`.
pub(super) fn basic_date(date: &str) -> String {
    date.replace('-', "")
}

/// A TEXT value escaped as RFC 5545 §3.3.11 asks: `\`, `;` and `,` get a backslash, line
/// breaks (CRLF, LF or CR) become `\n`, and the other control characters it forbids are
/// dropped.
pub(super) fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                chars.next_if_eq(&'\n');
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            '\t' => out.push('\t'),
            c if c.is_ascii_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Writes one content line, folded so that no line is longer than 75 octets: a line break
/// and a space go before the character that would pass the limit, never inside a UTF-8
/// sequence. The leading space of a continuation line counts towards its 75.
pub(super) fn fold(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let size = c.len_utf8();
        if width + size > MAX_LINE {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += size;
    }
    out.push_str("\r\n");
}
