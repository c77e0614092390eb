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
    let _ = feeds_into(config, content, indexes, now, None, &|file| {
        if let Ok(mut files) = files.lock() {
            files.push(file);
        }
        Ok::<(), ()>(())
    });
    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// Like [`feeds`], handing each feed to `sink` as soon as it is written, so that a large site
/// never holds all its feeds in memory at once. With `reuse`, a feed whose entries did not
/// change since the last render is not written again.
pub fn feeds_into<E: Send>(
    config: &Config,
    content: &Content,
    indexes: &Indexes,
    now: jiff::Timestamp,
    reuse: Option<super::memo::Reuse<'_>>,
    sink: &(dyn Fn(OutputFile) -> Result<(), E> + Sync),
) -> Result<(), E> {
    let site = Site::new(config, now);
    let all: Vec<usize> = (0..content.entries.len()).collect();
    let mut jobs: Vec<(Feed, &[usize])> = vec![(
        Feed {
            path: "feed.xml".to_string(),
            title: config.title.clone(),
            subtitle: config.description.clone(),
            page: config.url(""),
            whole: true,
        },
        &all,
    )];
    for stats in &indexes.partners {
        let partner = &content.partners[stats.partner];
        if stats.entries.is_empty() && !partner.registered {
            continue;
        }
        let feed = Feed {
            path: format!("partners/{}/feed.xml", partner.id),
            title: format!("{}: {}", config.title, partner.name),
            subtitle: format!("Entries with {}.", partner.name),
            page: partner.url.clone(),
            whole: false,
        };
        jobs.push((feed, &stats.entries));
    }
    for stats in &indexes.topics {
        let topic = &content.topics[stats.topic];
        let feed = Feed {
            path: format!("topics/{}/feed.xml", topic.slug),
            title: format!("{}: {}", config.title, topic.name),
            subtitle: format!("Entries on {}.", topic.name),
            page: topic.url.clone(),
            whole: false,
        };
        jobs.push((feed, &stats.entries));
    }
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
                let described = (&feed.path, &feed.title, &feed.subtitle, &feed.page, now);
                reuse.file(&feed.path, held, described, make)?
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

/// One feed to write.
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
pub(crate) mod tests {
    use super::*;

    #[test]
    fn escaping_acts_on_every_character_that_needs_it_and_copies_the_rest() {
        let reference = |text: &str, attr: bool| -> String {
            text.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&apos;".to_string(),
                    '\r' => "&#13;".to_string(),
                    '\t' if attr => "&#9;".to_string(),
                    '\n' if attr => "&#10;".to_string(),
                    c if !is_xml_char(c) => String::new(),
                    c => c.to_string(),
                })
                .collect()
        };
        let texts = [
            "plain",
            "a<b>&\"'c",
            "\r\n\t",
            "x\u{1}y\u{1f}",
            "\u{fffe}\u{ffff}\u{fffd}\u{ef}\u{feff}",
            "ไทย & <b>ข่าว</b>",
            "end&",
            "",
        ];
        // Long texts, where the scan goes by chunks: each special character at each place of
        // the first chunks, the three-byte ones across a chunk's end among them.
        let long = ["<", "\r", "\u{1}", "\u{ffff}", "\u{fffe}", "ข"]
            .iter()
            .flat_map(|special| {
                (0..70)
                    .map(move |at| format!("{}{special}{}&", "a".repeat(at), "b".repeat(70 - at)))
            });
        for text in texts.iter().map(|t| t.to_string()).chain(long) {
            for attr in [false, true] {
                assert_eq!(escape(&text, attr), reference(&text, attr), "{text:?}");
            }
        }
    }
    use crate::config::Kind;
    use crate::index;
    use crate::model::{Partner, PartnerRef, Topic, TopicRef, When};

    pub(crate) fn config(base_url: &str) -> Config {
        let base_path = crate::config::base_path(base_url);
        Config {
            root: "/site".into(),
            title: "Office & Co".into(),
            description: "What we do.".into(),
            base_url: base_url.into(),
            base_path,
            language: "en".into(),
            timezone: jiff::tz::TimeZone::get("Asia/Bangkok").unwrap(),
            timezone_name: "Asia/Bangkok".into(),
            theme: "default".into(),
            output_dir: "/site/output".into(),
            kinds: vec![Kind {
                id: "engagement".into(),
                label: "Engagement".into(),
            }],
            per_page: 50,
            allow_raw_html: false,
            extra: serde_json::Value::Null,
        }
    }

    pub(crate) fn when(config: &Config, text: &str) -> When {
        let zoned = text
            .parse::<jiff::civil::DateTime>()
            .unwrap()
            .to_zoned_datetime(config.timezone.clone())
            .unwrap();
        When::new(&zoned, true, &config.timezone)
    }

    pub(crate) fn entry(
        config: &Config,
        n: usize,
        date: &str,
        partners: &[&str],
        topics: &[&str],
    ) -> Entry {
        Entry {
            file: format!("content/e/{n}.md").into(),
            title: format!("Entry {n}"),
            date: when(config, date),
            kind: "engagement".into(),
            kind_label: "Engagement".into(),
            partners: partners
                .iter()
                .map(|id| PartnerRef {
                    id: id.to_string(),
                    name: id.to_uppercase(),
                    url: config.url(&format!("partners/{id}/")),
                })
                .collect(),
            topics: topics
                .iter()
                .map(|slug| TopicRef {
                    slug: slug.to_string(),
                    name: slug.replace('-', " "),
                    url: config.url(&format!("topics/{slug}/")),
                })
                .collect(),
            location: None,
            summary: format!("Summary {n}."),
            source: None,
            slug: format!("e{n}"),
            url: config.url(&format!("e/e{n}/")),
            updates: Vec::new(),
            updated: when(config, date),
            withdrawn: None,
            attachments: Vec::new(),
            reference: None,
            aliases: Vec::new(),
            alias_places: Vec::new(),
            language: "en".into(),
            extra: serde_json::Value::Null,
            draft: false,
            body_html: format!("<p>Body {n}.</p>\n"),
            summary_from_body: false,
            root_links: Vec::new(),
            toc: Vec::new(),
        }
    }

    /// Content from entries (newest first is restored by sorting), with their partners and
    /// topics.
    pub(crate) fn content(mut entries: Vec<Entry>) -> Content {
        entries.sort_by(crate::content::newest_first);
        let mut partners: Vec<Partner> = Vec::new();
        let mut topics: Vec<Topic> = Vec::new();
        for e in &entries {
            for p in &e.partners {
                if !partners.iter().any(|q| q.id == p.id) {
                    partners.push(Partner {
                        id: p.id.clone(),
                        name: p.name.clone(),
                        aliases: Vec::new(),
                        kind: "other".into(),
                        type_label: "Other".into(),
                        country: None,
                        website: None,
                        description_html: String::new(),
                        url: p.url.clone(),
                        registered: true,
                    });
                }
            }
            for t in &e.topics {
                if !topics.iter().any(|u| u.slug == t.slug) {
                    topics.push(Topic {
                        slug: t.slug.clone(),
                        name: t.name.clone(),
                        url: t.url.clone(),
                    });
                }
            }
        }
        Content {
            entries: entries.into_iter().map(Arc::new).collect(),
            partners,
            topics,
            assets: Vec::new(),
            held_back: Default::default(),
        }
    }

    fn now() -> jiff::Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    fn text(file: &OutputFile) -> &str {
        match &file.contents {
            Contents::Bytes(bytes) => std::str::from_utf8(bytes).unwrap(),
            Contents::Copy(_) | Contents::Stream(_) => panic!("a feed is written whole"),
        }
    }

    fn build(config: &Config, content: &Content) -> Vec<OutputFile> {
        feeds(config, content, &index::build(content), now())
    }

    fn find<'f>(files: &'f [OutputFile], path: &str) -> &'f str {
        let file = files.iter().find(|f| f.path == path).unwrap_or_else(|| {
            panic!(
                "no {path} among {:?}",
                files.iter().map(|f| &f.path).collect::<Vec<_>>()
            )
        });
        text(file)
    }

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape_text(r#"<b>&"'</b>"#),
            "&lt;b&gt;&amp;&quot;&apos;&lt;/b&gt;"
        );
        assert!(matches!(escape_text("plain text, ไทย"), Cow::Borrowed(_)));
        assert_eq!(escape_text("a\tb\nc"), "a\tb\nc");
        assert_eq!(escape_attr("a\tb\nc\rd"), "a&#9;b&#10;c&#13;d");
    }

    #[test]
    fn drops_characters_xml_forbids() {
        assert_eq!(
            escape_text("a\u{0}b\u{8}c\u{1b}d\u{fffe}e\u{ffff}f"),
            "abcdef"
        );
        assert_eq!(escape_text("\r"), "&#13;");
        // Allowed though discouraged: kept.
        assert_eq!(
            escape_text("\u{7f}\u{85}\u{10ffff}"),
            "\u{7f}\u{85}\u{10ffff}"
        );
        assert!(!is_xml_char('\u{b}'));
        assert!(is_xml_char('\u{d7ff}') && is_xml_char('\u{e000}') && is_xml_char('\u{fffd}'));
    }

    #[test]
    fn absolutises_as_a_search_from_each_attribute_would() {
        // What `absolutise` did before it kept where each attribute comes next: search both
        // from just past the last one found.
        fn one_at_a_time(html: &str, origin: &str) -> String {
            let mut out = String::new();
            let mut rest = html;
            loop {
                let href = rest.find(" href=\"").map(|i| i + 7);
                let src = rest.find(" src=\"").map(|i| i + 6);
                let Some(at) = href.into_iter().chain(src).min() else {
                    break;
                };
                let (head, tail) = rest.split_at(at);
                out.push_str(head);
                if tail.starts_with('/') && !tail.starts_with("//") {
                    out.push_str(origin);
                }
                let mut chars = tail.chars();
                out.extend(chars.next());
                rest = chars.as_str();
            }
            out.push_str(rest);
            out
        }
        let pieces = [
            " href=\"", " src=\"", "/", "//", "x", " ", "\"", "é", "<a", ">", "h", "ref=\"",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        for _ in 0..3000 {
            let mut html = String::from(" href=\"/");
            for _ in 0..12 {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                html.push_str(pieces[(state % pieces.len() as u64) as usize]);
            }
            assert_eq!(
                absolutise(&html, "https://o"),
                one_at_a_time(&html, "https://o"),
                "{html:?}"
            );
        }
    }

    #[test]
    fn absolutises_site_relative_urls_only() {
        let html = r##"<a href="/sub/a/">a</a> <img src="/sub/m.png" alt=""> <a href="//cdn.example/x">x</a> <a href="https://other.example/">o</a> <a href="#fn1">1</a> <p>href="/not-an-attribute"</p>"##;
        let out = absolutise(html, "https://example.org");
        assert!(
            out.contains(r#"<a href="https://example.org/sub/a/">"#),
            "{out}"
        );
        assert!(
            out.contains(r#"<img src="https://example.org/sub/m.png""#),
            "{out}"
        );
        assert!(out.contains(r#"href="//cdn.example/x""#), "{out}");
        assert!(out.contains(r#"href="https://other.example/""#), "{out}");
        assert!(out.contains(r#"<p>href="/not-an-attribute"</p>"#), "{out}");
        assert!(out.contains(r##"<a href="#fn1">"##), "{out}");
        assert!(matches!(
            absolutise("<p>no links</p>", "https://x"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn rfc3339_written_out_is_what_strftime_writes() {
        let zones = [
            "UTC",
            "Asia/Bangkok",
            "America/St_Johns",
            "Asia/Kathmandu",
            "Pacific/Chatham",
            "America/Los_Angeles",
            "Europe/Dublin",
        ];
        let instants = [
            "0001-01-01T00:00:00Z",
            "1880-06-30T12:00:00Z",
            "1920-03-31T17:17:56Z",
            "1969-12-31T23:59:59Z",
            "2024-03-10T10:00:00Z",
            "2024-10-27T01:30:00Z",
            "2026-11-29T23:59:59Z",
            "9999-12-30T00:00:00Z",
        ];
        for zone in zones {
            let tz = jiff::tz::TimeZone::get(zone).unwrap();
            for instant in instants {
                let instant: jiff::Timestamp = instant.parse().unwrap();
                let expected = crate::model::rfc3339(&instant.to_zoned_datetime(tz.clone()));
                let written = rfc3339(instant, &tz);
                assert_eq!(written, expected, "{instant} in {zone}");
                // RFC 3339's offsets are whole minutes.
                let offset = &written[19..];
                assert!(
                    offset == "Z" || (offset.len() == 6 && offset.as_bytes()[3] == b':'),
                    "{written}"
                );
            }
        }
    }

    #[test]
    fn an_offset_with_seconds_is_written_in_utc() {
        // Bangkok kept its local mean time, +06:42:04, until 1920.
        let tz = jiff::tz::TimeZone::get("Asia/Bangkok").unwrap();
        let instant: jiff::Timestamp = "1900-01-01T03:17:56Z".parse().unwrap();
        assert_eq!(rfc3339(instant, &tz), "1900-01-01T03:17:56Z");
    }

    #[test]
    fn rfc3339_in_the_site_zone() {
        let tz = jiff::tz::TimeZone::get("Asia/Bangkok").unwrap();
        assert_eq!(rfc3339(now(), &tz), "2026-01-01T07:00:00+07:00");
        assert_eq!(
            rfc3339(now(), &jiff::tz::TimeZone::UTC),
            "2026-01-01T00:00:00+00:00"
        );
    }

    #[test]
    fn site_feed_has_the_required_elements() {
        let config = config("https://example.org/");
        let mut e = entry(&config, 1, "2022-05-24T09:30", &["iom"], &["forced-labour"]);
        e.updated = when(&config, "2022-06-01T10:00");
        e.title = r#"<b>&"'"#.into();
        let content = content(vec![e, entry(&config, 2, "2021-01-01T00:00", &[], &[])]);
        let files = build(&config, &content);
        let xml = find(&files, "feed.xml");
        assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\">"));
        for expected in [
            "<id>https://example.org/feed.xml</id>",
            "<title type=\"text\">Office &amp; Co</title>",
            "<subtitle type=\"text\">What we do.</subtitle>",
            "<updated>2022-06-01T10:00:00+07:00</updated>",
            "<link rel=\"self\" type=\"application/atom+xml\" href=\"https://example.org/feed.xml\"/>",
            "<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/\"/>",
            "<author>\n    <name>Office &amp; Co</name>\n    <uri>https://example.org/</uri>\n  </author>",
            "<generator version=\"",
            "<id>https://example.org/e/e1/</id>",
            "<title type=\"text\">&lt;b&gt;&amp;&quot;&apos;</title>",
            "<link rel=\"alternate\" type=\"text/html\" href=\"https://example.org/e/e1/\"/>",
            "<published>2022-05-24T09:30:00+07:00</published>",
            "<updated>2022-06-01T10:00:00+07:00</updated>",
            "<summary type=\"text\">Summary 1.</summary>",
            "<content type=\"html\" xml:base=\"https://example.org/e/e1/\">&lt;p&gt;Body 1.&lt;/p&gt;\n</content>",
            "<category term=\"engagement\" scheme=\"https://example.org/timeline/kind/\" label=\"Engagement\"/>",
            "<category term=\"iom\" scheme=\"https://example.org/partners/\" label=\"IOM\"/>",
            "<category term=\"forced-labour\" scheme=\"https://example.org/topics/\" label=\"forced labour\"/>",
        ] {
            assert!(xml.contains(expected), "missing {expected:?} in\n{xml}");
        }
        assert!(xml.ends_with("</feed>\n"));
        // Newest first.
        assert!(xml.find("/e/e1/").unwrap() < xml.find("/e/e2/").unwrap());
    }

    #[test]
    fn feed_updated_is_the_newest_update_not_the_newest_date() {
        let config = config("https://example.org/");
        let newer = entry(&config, 1, "2024-01-01T00:00", &[], &[]);
        let mut older = entry(&config, 2, "2020-01-01T00:00", &[], &[]);
        older.updated = when(&config, "2025-03-04T05:06");
        let files = build(&config, &content(vec![newer, older]));
        let xml = find(&files, "feed.xml");
        let feed_updated = xml.lines().find(|l| l.starts_with("  <updated>")).unwrap();
        assert_eq!(
            feed_updated,
            "  <updated>2025-03-04T05:06:00+07:00</updated>"
        );
    }

    #[test]
    fn empty_feed_is_dated_by_now() {
        let config = config("https://example.org/");
        let files = build(&config, &Content::default());
        assert_eq!(files.len(), 1);
        let xml = find(&files, "feed.xml");
        assert!(
            xml.contains("  <updated>2026-01-01T07:00:00+07:00</updated>"),
            "{xml}"
        );
        assert!(!xml.contains("<entry"));
    }

    #[test]
    fn feeds_hold_the_latest_fifty() {
        let config = config("https://example.org/");
        let start: jiff::civil::DateTime = "2020-01-01T00:00".parse().unwrap();
        let entries = (0..(FEED_LIMIT + 3))
            .map(|n| {
                let date = start
                    .checked_add(jiff::SignedDuration::from_hours(n as i64))
                    .unwrap();
                entry(&config, n, &date.to_string(), &["iom"], &["t"])
            })
            .collect();
        let content = content(entries);
        let files = build(&config, &content);
        for path in ["feed.xml", "partners/iom/feed.xml", "topics/t/feed.xml"] {
            let xml = find(&files, path);
            assert_eq!(xml.matches("<entry>").count(), FEED_LIMIT, "{path}");
            // The newest entry is n = 52; the three oldest (0, 1, 2) are left out.
            assert!(xml.contains("/e/e52/"), "{path}");
            assert!(!xml.contains("/e/e2/") && !xml.contains("/e/e0/"), "{path}");
            assert!(xml.contains("/e/e3/"), "{path}");
        }
    }

    #[test]
    fn partner_and_topic_feeds_hold_only_their_entries() {
        let config = config("https://example.org/sub/");
        let content = content(vec![
            entry(&config, 1, "2022-01-01T00:00", &["iom", "ilo"], &["a"]),
            entry(&config, 2, "2022-02-01T00:00", &["ilo"], &["b"]),
            entry(&config, 3, "2022-03-01T00:00", &[], &["a", "b"]),
        ]);
        let files = build(&config, &content);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "feed.xml",
                "partners/ilo/feed.xml",
                "partners/iom/feed.xml",
                "topics/a/feed.xml",
                "topics/b/feed.xml"
            ]
        );
        let ids = |path: &str| -> Vec<String> {
            find(&files, path)
                .lines()
                .filter_map(|l| l.strip_prefix("    <id>"))
                .map(|l| l.trim_end_matches("</id>").to_string())
                .collect()
        };
        let e = |n: usize| format!("https://example.org/sub/e/e{n}/");
        assert_eq!(ids("feed.xml"), [e(3), e(2), e(1)]);
        assert_eq!(ids("partners/iom/feed.xml"), [e(1)]);
        assert_eq!(ids("partners/ilo/feed.xml"), [e(2), e(1)]);
        assert_eq!(ids("topics/a/feed.xml"), [e(3), e(1)]);
        assert_eq!(ids("topics/b/feed.xml"), [e(3), e(2)]);
        let iom = find(&files, "partners/iom/feed.xml");
        assert!(
            iom.contains("<id>https://example.org/sub/partners/iom/feed.xml</id>"),
            "{iom}"
        );
        assert!(
            iom.contains("<title type=\"text\">Office &amp; Co: IOM</title>"),
            "{iom}"
        );
        assert!(iom.contains("rel=\"alternate\" type=\"text/html\" href=\"https://example.org/sub/partners/iom/\""), "{iom}");
        assert!(
            iom.contains("scheme=\"https://example.org/sub/partners/\""),
            "{iom}"
        );
        assert_eq!(
            partner_feed_url(&config, "iom"),
            "/sub/partners/iom/feed.xml"
        );
        assert_eq!(topic_feed_url(&config, "a"), "/sub/topics/a/feed.xml");
    }

    #[test]
    fn a_registered_partner_without_entries_gets_an_empty_feed() {
        let config = config("https://example.org/");
        let mut content = content(vec![entry(&config, 1, "2022-01-01T00:00", &["iom"], &[])]);
        let mut quiet = content.partners[0].clone();
        quiet.id = "quiet".into();
        quiet.url = "/partners/quiet/".into();
        content.partners.push(quiet.clone());
        quiet.id = "unknown".into();
        quiet.registered = false;
        content.partners.push(quiet);
        let files = build(&config, &content);
        let xml = find(&files, "partners/quiet/feed.xml");
        assert!(xml.contains("  <updated>2026-01-01T07:00:00+07:00</updated>"));
        assert!(!files.iter().any(|f| f.path == "partners/unknown/feed.xml"));
    }

    #[test]
    fn entry_ids_follow_the_first_alias_and_bodies_get_absolute_urls() {
        let config = config("https://example.org/sub/");
        let mut e = entry(&config, 1, "2022-01-01T00:00", &[], &[]);
        e.aliases = vec!["/sub/old/path/".into(), "/sub/older/".into()];
        e.body_html =
            "<p><a href=\"/sub/e/e2/\">x</a> <img src=\"/sub/e/map.png\" alt=\"a\u{1}\"></p>\n"
                .into();
        e.source = Some(crate::model::Source {
            name: "Paper".into(),
            url: Some("https://paper.example/a?b=1&c=2".into()),
            published: None,
        });
        let files = build(&config, &content(vec![e]));
        let xml = find(&files, "feed.xml");
        assert!(
            xml.contains("<id>https://example.org/sub/old/path/</id>"),
            "{xml}"
        );
        assert!(
            xml.contains("href=\"https://example.org/sub/e/e1/\""),
            "{xml}"
        );
        assert!(
            xml.contains("&lt;a href=&quot;https://example.org/sub/e/e2/&quot;&gt;"),
            "{xml}"
        );
        assert!(
            xml.contains("src=&quot;https://example.org/sub/e/map.png&quot; alt=&quot;a&quot;"),
            "{xml}"
        );
        assert!(
            xml.contains("<link rel=\"via\" href=\"https://paper.example/a?b=1&amp;c=2\"/>"),
            "{xml}"
        );
    }

    #[test]
    fn output_is_deterministic() {
        let config = config("https://example.org/");
        let content = content(vec![
            entry(&config, 1, "2022-01-01T00:00", &["b", "a"], &["x", "y"]),
            entry(&config, 2, "2022-01-01T00:00", &["a"], &["y"]),
        ]);
        assert_eq!(build(&config, &content), build(&config, &content));
    }
}
