//! Atom feeds (RFC 4287): the site's `/feed.xml` and one per partner and per topic.
//!
//! Owns the feed XML and the XML escaping that [`super::sitemap`] shares. Pure: content and
//! indexes in, [`OutputFile`]s out, no IO and no Tera (the feeds are not a theme's business).
//! Every URL written is absolute, made from `base_url`; the build warns when that is not an
//! absolute URL. Output bytes depend only on the content, the configuration and `now`.
//!
//! Choices, documented for readers in `docs/feeds.md`:
//! - a feed holds the [`FEED_LIMIT`] newest entries by date (`content.entries` order);
//! - an entry's `id` is its permanent URL: the absolute form of its first alias when it has one
//!   (the URL it was first published at), otherwise of its URL, so renaming a slug and keeping
//!   the old path as an alias does not make feed readers see a new entry;
//! - partners, topics and the kind are `category` elements, each with a `scheme` (the absolute
//!   URL of `/partners/`, `/topics/` or `/timeline/kind/`) so that scheme + term + `/` is the
//!   page of the partner, topic or kind. Partners are not `contributor`s: they are who an
//!   entry is about or with, not who wrote it;
//! - the site's feed holds each entry whole; a partner's or topic's feed holds its summary
//!   and link, with the categories of its kind and of its first [`CARD_NAMES`] partners and
//!   topics. An entry is in the feed of each of its partners and topics: were each of those
//!   to hold its body and every name, the feeds would grow with the body times the names.

use std::sync::Arc;

use std::borrow::Cow;
use std::fmt::Write as _;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Content;
use crate::index::Indexes;
use crate::model::Entry;
use crate::plan::{FeedOf, Plan};

use super::context::CARD_NAMES;
use super::{Contents, OutputFile};

/// How many entries a feed holds: the newest by date.
pub const FEED_LIMIT: usize = 50;

/// The media type of the feeds, for `<link rel="alternate">` in pages.
pub const MEDIA_TYPE: &str = "application/atom+xml";

/// `/feed.xml`, then `/partners/<id>/feed.xml` for every partner that has a page (entries or a
/// registry record), then `/topics/<slug>/feed.xml` for every topic. `now` dates the feeds
/// that have no entries.
pub fn feeds(
    config: &Config,
    content: &Content,
    indexes: &Indexes,
    now: jiff::Timestamp,
) -> Vec<OutputFile> {
    let files = std::sync::Mutex::new(Vec::new());
    let plan = Plan::new(config, content, indexes, false);
    let _ = feeds_into(config, content, (indexes, &plan), now, None, &|file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
        Ok::<(), ()>(())
    });
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// The feeds of `plan`, each handed to `sink` as soon as it is written, so that a large site
/// never holds all its feeds in memory at once. With `reuse`, a feed whose entries did not
/// change since the last render is not written again.
pub fn feeds_into<E: Send>(
    config: &Config,
    content: &Content,
    (indexes, plan): (&Indexes, &Plan),
    now: jiff::Timestamp,
    reuse: Option<super::memo::Reuse<'_>>,
    sink: &(dyn Fn(OutputFile) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let site = Site::new(config, now);
    let all: Vec<usize> = (0..content.entries.len()).collect();
    let jobs: Vec<(Feed, &[usize])> = (plan.feeds.iter())
        .map(|feed| {
            let (name, subtitle, page, positions) = match feed.of {
                FeedOf::Site => {
                    let subtitle = config.description.clone();
                    return (
                        feed_of(feed, &config.title, subtitle, config.url(""), true),
                        &all[..],
                    );
                }
                FeedOf::Partner(p) => {
                    let stats = &indexes.partners[p];
                    let partner = &content.partners[stats.partner];
                    let subtitle = format!("Entries with {}.", partner.name);
                    (&partner.name, subtitle, &partner.url, &stats.entries)
                }
                FeedOf::Topic(t) => {
                    let stats = &indexes.topics[t];
                    let topic = &content.topics[stats.topic];
                    let subtitle = format!("Entries on {}.", topic.name);
                    (&topic.name, subtitle, &topic.url, &stats.entries)
                }
            };
            let title = format!("{}: {}", config.title, name);
            (
                feed_of(feed, &title, subtitle, page.clone(), false),
                &positions[..],
            )
        })
        .collect();
    // An entry reads the same in every feed it is in: when rendering for `serve`, its XML is
    // written once and shared. A build, which must hold little in memory, writes it for each
    // feed instead (all of them together are as large as the entries' bodies).
    // Whole, then summarised.
    let blocks: [Vec<std::sync::OnceLock<String>>; 2] = match reuse {
        Some(_) => [0, 1].map(|_| {
            (0..content.entries.len())
                .map(|_| Default::default())
                .collect()
        }),
        None => [Vec::new(), Vec::new()],
    };
    let block = |i: usize, whole: bool| -> std::borrow::Cow<'_, str> {
        let make = || {
            let mut xml = String::new();
            site.entry(&mut xml, &content.entries[i], whole);
            xml
        };
        match blocks[usize::from(!whole)].get(i) {
            Some(block) => block.get_or_init(make).as_str().into(),
            None => make().into(),
        }
    };
    jobs.par_iter().try_for_each(|(feed, positions)| {
        let make = || Ok(site.feed(feed, &content.entries, positions, &block));
        let file = match reuse {
            Some(reuse) => {
                let held = &positions[..positions.len().min(FEED_LIMIT)];
                // A feed without entries is dated by `now`.
                let now = held.is_empty().then_some(&site.now);
                reuse.file(&feed.path, held, (feed, now), make)?
            }
            None => make()?,
        };
        sink(file)
    })
}

/// The site-relative URL of a partner's feed, for templates: `/partners/<id>/feed.xml`.
pub fn partner_feed_url(config: &Config, id: &str) -> String {
    config.url(&format!("partners/{id}/feed.xml"))
}

/// The site-relative URL of a topic's feed: `/topics/<slug>/feed.xml`.
pub fn topic_feed_url(config: &Config, slug: &str) -> String {
    config.url(&format!("topics/{slug}/feed.xml"))
}

/// The feed of `planned` with these titles and page.
fn feed_of(
    planned: &crate::plan::Feed,
    title: &str,
    subtitle: String,
    page: String,
    whole: bool,
) -> Feed {
    Feed {
        path: planned.path.clone(),
        title: title.to_string(),
        subtitle,
        page,
        whole,
    }
}

/// One feed to write: with the entries it holds and the site, what it is made from.
#[derive(Hash)]
struct Feed {
    /// Output path, e.g. `partners/iom/feed.xml`.
    path: String,
    title: String,
    subtitle: String,
    /// Site-relative URL of the HTML page the feed mirrors.
    page: String,
    /// Whether its entries are whole (the site's feed) or summaries (partners, topics).
    whole: bool,
}

/// What every feed of one build shares.
struct Site<'a> {
    config: &'a Config,
    /// `now` in the site's time zone: the `updated` of a feed without entries.
    now: String,
    /// `https://example.org` for `https://example.org/sub/`: what site-relative URLs in
    /// bodies are made absolute with. `None` when `base_url` is not absolute.
    origin: Option<&'a str>,
}

impl<'a> Site<'a> {
    fn new(config: &'a Config, now: jiff::Timestamp) -> Self {
        let origin = config
            .has_absolute_base_url()
            .then(|| config.base_url.strip_suffix(config.base_path.as_str()))
            .flatten();
        Site {
            config,
            now: rfc3339(now, &config.timezone),
            origin,
        }
    }

    fn absolute(&self, url: &str) -> String {
        self.config.absolute_url(url)
    }

    /// The feed of the entries at `positions` (newest first), at most [`FEED_LIMIT`] of them.
    fn feed<'b>(
        &self,
        feed: &Feed,
        entries: &[Arc<Entry>],
        positions: &[usize],
        block: &dyn Fn(usize, bool) -> std::borrow::Cow<'b, str>,
    ) -> OutputFile {
        let config = self.config;
        let positions = &positions[..positions.len().min(FEED_LIMIT)];
        let updated = positions
            .iter()
            .map(|&i| &entries[i].updated)
            .max_by_key(|u| u.instant)
            .map_or(self.now.as_str(), |u| u.datetime.as_str());
        let self_url = self.absolute(&config.url(&feed.path));
        let mut xml = String::with_capacity(1024 + positions.len() * 4096);
        xml.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
        let _ = writeln!(
            xml,
            "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
            escape_attr(&config.language)
        );
        element(&mut xml, 1, "id", "", &self_url);
        element(&mut xml, 1, "title", " type=\"text\"", &feed.title);
        if !feed.subtitle.trim().is_empty() {
            element(&mut xml, 1, "subtitle", " type=\"text\"", &feed.subtitle);
        }
        element(&mut xml, 1, "updated", "", updated);
        link(&mut xml, 1, "self", MEDIA_TYPE, &self_url);
        link(
            &mut xml,
            1,
            "alternate",
            "text/html",
            &self.absolute(&feed.page),
        );
        xml.push_str("  <author>\n");
        element(&mut xml, 2, "name", "", &config.title);
        element(&mut xml, 2, "uri", "", &config.base_url);
        xml.push_str("  </author>\n");
        element(
            &mut xml,
            1,
            "generator",
            &format!(" version=\"{}\"", escape_attr(env!("CARGO_PKG_VERSION"))),
            "gazette",
        );
        for &i in positions {
            xml.push_str(&block(i, feed.whole));
        }
        xml.push_str("</feed>\n");
        OutputFile {
            path: feed.path.clone(),
            contents: Contents::Bytes(xml.into()),
        }
    }

    /// An entry of a feed: whole, or its summary and the first of its names (see the
    /// module's documentation).
    fn entry(&self, xml: &mut String, entry: &Entry, whole: bool) {
        let config = self.config;
        let url = self.absolute(&entry.url);
        if entry.language != config.language {
            let _ = writeln!(
                xml,
                "  <entry xml:lang=\"{}\">",
                escape_attr(&entry.language)
            );
        } else {
            xml.push_str("  <entry>\n");
        }
        element(xml, 2, "id", "", &self.absolute(permanent_url(entry)));
        element(xml, 2, "title", " type=\"text\"", &entry.title);
        link(xml, 2, "alternate", "text/html", &url);
        if let Some(source) = entry.source.as_ref().and_then(|s| s.url.as_deref())
            && (source.starts_with("https://") || source.starts_with("http://"))
        {
            link(xml, 2, "via", "", source);
        }
        element(xml, 2, "published", "", &entry.date.datetime);
        element(xml, 2, "updated", "", &entry.updated.datetime);
        if !entry.summary.trim().is_empty() {
            element(xml, 2, "summary", " type=\"text\"", &entry.summary);
        }
        if whole {
            let body = match self.origin {
                Some(origin) => absolutise(&entry.body_html, origin),
                None => Cow::Borrowed(entry.body_html.as_str()),
            };
            element(
                xml,
                2,
                "content",
                &format!(" type=\"html\" xml:base=\"{}\"", escape_attr(&url)),
                &body,
            );
        }
        let names = if whole { usize::MAX } else { CARD_NAMES };
        if let Some(kind) = config.kind(&entry.kind) {
            category(
                xml,
                &kind.id,
                &self.absolute(&config.url("timeline/kind/")),
                &kind.label,
            );
        }
        let partners = self.absolute(&config.url("partners/"));
        for partner in entry.partners.iter().take(names) {
            category(xml, &partner.id, &partners, &partner.name);
        }
        let topics = self.absolute(&config.url("topics/"));
        for topic in entry.topics.iter().take(names) {
            category(xml, &topic.slug, &topics, &topic.name);
        }
        xml.push_str("  </entry>\n");
    }
}

/// The site-relative URL an entry's feed `id` is made from: its first alias, or its URL.
pub fn permanent_url(entry: &Entry) -> &str {
    entry.aliases.first().unwrap_or(&entry.url)
}

/// `<name attrs>text</name>` on a line of its own, indented by `depth` steps.
fn element(xml: &mut String, depth: usize, name: &str, attrs: &str, text: &str) {
    let _ = writeln!(
        xml,
        "{:indent$}<{name}{attrs}>{}</{name}>",
        "",
        escape_text(text),
        indent = depth * 2
    );
}

fn link(xml: &mut String, depth: usize, rel: &str, media_type: &str, href: &str) {
    let media_type = if media_type.is_empty() {
        String::new()
    } else {
        format!(" type=\"{media_type}\"")
    };
    let _ = writeln!(
        xml,
        "{:indent$}<link rel=\"{rel}\"{media_type} href=\"{}\"/>",
        "",
        escape_attr(href),
        indent = depth * 2
    );
}

fn category(xml: &mut String, term: &str, scheme: &str, label: &str) {
    let _ = writeln!(
        xml,
        "    <category term=\"{}\" scheme=\"{}\" label=\"{}\"/>",
        escape_attr(term),
        escape_attr(scheme),
        escape_attr(label)
    );
}

/// An instant as RFC 3339 in `tz`, to the second: `2022-05-24T09:30:00+07:00`, the same form
/// as [`crate::model::When::datetime`].
pub fn rfc3339(instant: jiff::Timestamp, tz: &jiff::tz::TimeZone) -> String {
    let mut text = String::with_capacity(25);
    write_rfc3339(&mut text, instant, tz);
    text
}

/// [`rfc3339`], written at the end of `out`.
pub fn write_rfc3339(out: &mut String, instant: jiff::Timestamp, tz: &jiff::tz::TimeZone) {
    // Written out by hand where that is plainly the same (sitemaps and feeds write one per
    // entry): a year of four digits and an offset of whole minutes.
    let offset = tz.to_offset(instant);
    let at = offset.to_datetime(instant);
    let seconds = offset.seconds();
    if (0..=9999).contains(&at.year()) && seconds % 60 == 0 {
        let sign = if seconds < 0 { '-' } else { '+' };
        let minutes = seconds.unsigned_abs() / 60;
        // Digits pushed one by one: `write!` costs several times as much, once per URL.
        fn digits(out: &mut String, n: u32, width: u32) {
            for place in (0..width).rev() {
                out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
            }
        }
        let two = |n: i8| n.unsigned_abs().into();
        digits(out, at.year().unsigned_abs().into(), 4);
        for (separator, n) in [
            ('-', two(at.month())),
            ('-', two(at.day())),
            ('T', two(at.hour())),
            (':', two(at.minute())),
            (':', two(at.second())),
            (sign, minutes / 60),
            (':', minutes % 60),
        ] {
            out.push(separator);
            digits(out, n, 2);
        }
    } else {
        out.push_str(&crate::model::rfc3339(
            &instant.to_zoned_datetime(tz.clone()),
        ));
    }
}

/// Makes the site-relative URLs of an HTML body (`href="/…"`, `src="/…"`) absolute with
/// `origin` (`https://example.org`), since feed readers show bodies away from the site.
/// Protocol-relative (`//host/…`) and other URLs are left alone.
pub fn absolutise<'t>(html: &'t str, origin: &str) -> Cow<'t, str> {
    const ATTRS: [&str; 2] = [" href=\"", " src=\""];
    if ![" href=\"/", " src=\"/"].iter().any(|a| html.contains(a)) {
        return Cow::Borrowed(html);
    }
    // Where each attribute's value next starts, searched again only once passed: a body of
    // many links and no image is one pass, not one per link.
    let find = |from: usize, attr: &str| html[from..].find(attr).map(|i| from + i + attr.len());
    let mut next = ATTRS.map(|attr| find(0, attr));
    let mut out = String::with_capacity(html.len() + 256);
    let mut copied = 0;
    while let Some(at) = next.iter().flatten().min().copied() {
        out.push_str(&html[copied..at]);
        let tail = &html[at..];
        if tail.starts_with('/') && !tail.starts_with("//") {
            out.push_str(origin);
        }
        // The value's first character is copied before searching on, as an attribute
        // cannot begin inside it.
        let resume = at + tail.chars().next().map_or(0, char::len_utf8);
        out.push_str(&html[at..resume]);
        copied = resume;
        for (slot, attr) in next.iter_mut().zip(ATTRS) {
            if slot.is_some_and(|end| end - attr.len() < resume) {
                *slot = find(resume, attr);
            }
        }
    }
    out.push_str(&html[copied..]);
    Cow::Owned(out)
}

/// Whether XML 1.0 allows `c` at all: tab, newline, carriage return, and everything from
/// U+0020 except U+FFFE and U+FFFF (Rust strings hold no surrogates).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{fffe}' && c != '\u{ffff}')
}

/// Escapes text for XML element content: `&`, `<`, `>`, both quotes, and `\r` (which parsers
/// would otherwise turn into `\n`); characters XML 1.0 does not allow are dropped.
pub fn escape_text(text: &str) -> Cow<'_, str> {
    escape(text, false)
}

/// Escapes text for a double-quoted XML attribute value: as [`escape_text`], and tabs and
/// newlines too, so attribute-value normalisation does not turn them into spaces.
pub fn escape_attr(text: &str) -> Cow<'_, str> {
    escape(text, true)
}

fn escape(text: &str, attr: bool) -> Cow<'_, str> {
    // Only these bytes can start something to escape or drop (controls, markup characters,
    // and 0xEF which starts U+FFFE and U+FFFF).
    let may = |b: u8| b < 0x20 || matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'' | 0xEF);
    super::replace_chars(text, may, |bytes, i| match bytes[i] {
        b'&' => Some(("&amp;", 1)),
        b'<' => Some(("&lt;", 1)),
        b'>' => Some(("&gt;", 1)),
        b'"' => Some(("&quot;", 1)),
        b'\'' => Some(("&apos;", 1)),
        b'\r' => Some(("&#13;", 1)),
        b'\t' if attr => Some(("&#9;", 1)),
        b'\n' if attr => Some(("&#10;", 1)),
        b'\t' | b'\n' => None,
        0..=0x1f => Some(("", 1)),
        // U+FFFE and U+FFFF.
        0xEF if bytes.get(i + 1) == Some(&0xBF)
            && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)) =>
        {
            Some(("", 3))
        }
        _ => None,
    })
}

#[cfg(test)]
pub(crate) mod tests;
