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
            (0..70).map(move |at| format!("{}{special}{}&", "a".repeat(at), "b".repeat(70 - at)))
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
        photo_cache: "/site/.photo-cache".into(),
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
        withdrawn: None,
        attachments: Vec::new(),
        image: None,
        updated: when(config, date),
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
        pages: Vec::new(),
        media: Vec::new(),
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
    assert!(
        iom.contains(
            "rel=\"alternate\" type=\"text/html\" href=\"https://example.org/sub/partners/iom/\""
        ),
        "{iom}"
    );
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
        "<p><a href=\"/sub/e/e2/\">x</a> <img src=\"/sub/e/map.png\" alt=\"a\u{1}\"></p>\n".into();
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
