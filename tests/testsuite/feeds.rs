//! The Atom feeds, the sitemap and robots.txt of a built site, read back.
//!
//! Each test copies `tests/fixtures/feeds-basic` into a temporary folder (adding generated
//! entries where a test needs many), builds it with the binary at a fixed `--now`, and parses
//! the feeds with `feed-rs`, an independent Atom parser. The sitemap is checked line by line:
//! gazette writes one element per line, so a strict string check is enough.

use std::fs;
use std::path::PathBuf;

use feed_rs::model::{Entry, Feed, FeedType};

use crate::support::{Site, walk};

const BASE: &str = "https://example.org/";

/// A copy of a fixture, built into `out/`.
struct Built {
    site: Site,
}

impl Built {
    fn new(fixture: &str) -> Built {
        Built {
            site: Site::fixture(fixture),
        }
    }

    fn write(&self, path: &str, text: &str) {
        self.site.write(path, text);
    }

    fn build(&self, extra: &[&str]) {
        self.site.build_ok(extra);
    }

    fn output(&self) -> PathBuf {
        self.site.out()
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.output().join(path))
            .unwrap_or_else(|e| panic!("cannot read output/{path}: {e}"))
    }

    fn feed(&self, path: &str) -> Feed {
        let text = self.read(path);
        let feed = feed_rs::parser::parse(text.as_bytes())
            .unwrap_or_else(|e| panic!("{path} does not parse: {e}\n{text}"));
        assert_eq!(feed.feed_type, FeedType::Atom, "{path}");
        feed
    }

    /// Output paths of the HTML pages: every `.html` file but `404.html` and alias redirects.
    fn pages(&self) -> Vec<String> {
        let mut pages = Vec::new();
        walk(&self.output(), &self.output(), &mut pages);
        pages.retain(|path| {
            path.ends_with(".html")
                && path != "404.html"
                && !self.read(path).contains("http-equiv=\"refresh\"")
        });
        pages.sort();
        pages
    }
}

fn title(entry: &Entry) -> &str {
    &entry.title.as_ref().unwrap().content
}

fn titles(feed: &Feed) -> Vec<&str> {
    feed.entries.iter().map(title).collect()
}

fn link<'f>(links: &'f [feed_rs::model::Link], rel: &str) -> &'f str {
    &links
        .iter()
        .find(|l| l.rel.as_deref().unwrap_or("alternate") == rel)
        .unwrap_or_else(|| panic!("no {rel} link in {links:?}"))
        .href
}

const TRICKY: &str = "<b>&\"' in a title";

/// Checks what every feed of the site must have: absolute links, self link at its own path,
/// author, generator, and entries with the required elements.
fn check_feed(feed: &Feed, path: &str, alternate: &str) {
    let self_url = format!("{BASE}{path}");
    assert_eq!(feed.id, self_url, "{path}");
    assert_eq!(link(&feed.links, "self"), self_url, "{path}");
    assert_eq!(
        link(&feed.links, "alternate"),
        format!("{BASE}{alternate}"),
        "{path}"
    );
    assert_eq!(feed.authors.len(), 1, "{path}");
    assert_eq!(
        feed.authors[0].name.as_deref(),
        Some("Feeds & Co"),
        "{path}"
    );
    assert_eq!(
        feed.generator.as_ref().map(|g| g.content.as_str()),
        Some("gazette"),
        "{path}"
    );
    assert!(feed.updated.is_some(), "{path}");
    assert_eq!(feed.language.as_deref(), Some("en"), "{path}");
    for entry in &feed.entries {
        assert!(entry.id.starts_with(BASE), "{path}: id {}", entry.id);
        assert!(link(&entry.links, "alternate").starts_with(BASE), "{path}");
        assert!(
            entry.published.is_some() && entry.updated.is_some(),
            "{path}"
        );
        assert!(entry.updated >= entry.published, "{path}");
        // Whole in the site's feed; summaries in a partner's or topic's.
        assert_eq!(
            entry
                .content
                .as_ref()
                .and_then(|c| c.body.as_ref())
                .is_some(),
            path == "feed.xml",
            "{path}"
        );
        for category in &entry.categories {
            assert!(
                category
                    .scheme
                    .as_deref()
                    .is_some_and(|s| s.starts_with(BASE)),
                "{path}"
            );
        }
        assert!(
            !title(entry).contains("Draft") && !title(entry).contains("Embargoed"),
            "{path}"
        );
    }
    // Newest first.
    let dates: Vec<_> = feed.entries.iter().map(|e| e.published).collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "{path}");
}

#[test]
fn site_feed_reads_back() {
    let site = Built::new("feeds-basic");
    site.build(&[]);
    let feed = site.feed("feed.xml");
    check_feed(&feed, "feed.xml", "");
    assert_eq!(feed.title.as_ref().unwrap().content, "Feeds & Co");
    assert_eq!(
        feed.description.as_ref().unwrap().content,
        "Fixture for the Atom feeds, the sitemap and robots.txt."
    );
    // The newest `updated` of any entry: the update of the tricky entry, read in Asia/Bangkok.
    assert_eq!(
        feed.updated.unwrap().to_rfc3339(),
        "2024-03-31T17:00:00+00:00"
    );
    assert_eq!(
        titles(&feed),
        [
            TRICKY,
            "Fisheries inspection with the ILO",
            "Joint workshop"
        ]
    );

    let tricky = &feed.entries[0];
    // The first alias is the permanent id; the link is the current URL.
    assert_eq!(tricky.id, format!("{BASE}old/tricky/"));
    assert_eq!(
        link(&tricky.links, "alternate"),
        format!("{BASE}news/tricky/")
    );
    assert_eq!(
        tricky.published.unwrap().to_rfc3339(),
        "2024-03-01T02:30:00+00:00"
    );
    assert_eq!(
        tricky.updated.unwrap().to_rfc3339(),
        "2024-03-31T17:00:00+00:00"
    );
    assert_eq!(
        tricky.summary.as_ref().unwrap().content,
        "A summary with <tags> & \"quotes\"."
    );
    let content = tricky.content.as_ref().unwrap();
    assert_eq!(content.content_type.to_string(), "text/html");
    let body = content.body.as_ref().unwrap();
    assert!(
        body.contains("href=\"https://example.org/news/ilo/\""),
        "{body}"
    );
    assert!(body.contains("&amp;"), "{body}");
    let mut categories: Vec<(String, String, String)> = tricky
        .categories
        .iter()
        .map(|c| {
            (
                c.scheme.clone().unwrap(),
                c.term.clone(),
                c.label.clone().unwrap(),
            )
        })
        .collect();
    categories.sort();
    assert_eq!(
        categories,
        [
            (
                format!("{BASE}partners/"),
                "iom".into(),
                "International Organization for Migration".into()
            ),
            (
                format!("{BASE}timeline/kind/"),
                "engagement".into(),
                "Engagement".into()
            ),
            (
                format!("{BASE}topics/"),
                "forced-labour".into(),
                "forced labour".into()
            ),
        ]
    );

    // All-day entries are dated at midnight in the site's time zone.
    let ilo = &feed.entries[1];
    assert_eq!(ilo.id, format!("{BASE}news/ilo/"));
    assert_eq!(
        ilo.published.unwrap().to_rfc3339(),
        "2024-01-31T17:00:00+00:00"
    );
    assert_eq!(ilo.updated, ilo.published);
    let both = &feed.entries[2];
    assert!(both.links.iter().any(
        |l| l.rel.as_deref() == Some("via") && l.href == "https://paper.example/joint?a=1&b=2"
    ));

    let raw = site.read("feed.xml");
    assert!(
        raw.contains("<published>2024-03-01T09:30:00+07:00</published>"),
        "dates keep the site's offset"
    );
    assert!(!raw.contains("Draft entry") && !raw.contains("Embargoed entry"));
    assert!(!raw.contains("/news/draft/") && !raw.contains("/news/embargoed/"));
}

#[test]
fn partner_and_topic_feeds_hold_only_their_entries() {
    let site = Built::new("feeds-basic");
    site.build(&[]);
    let cases: [(&str, &[&str]); 5] = [
        ("partners/iom", &[TRICKY, "Joint workshop"]),
        (
            "partners/ilo",
            &["Fisheries inspection with the ILO", "Joint workshop"],
        ),
        ("partners/quiet", &[]),
        ("topics/forced-labour", &[TRICKY, "Joint workshop"]),
        (
            "topics/fisheries",
            &["Fisheries inspection with the ILO", "Joint workshop"],
        ),
    ];
    for (page, expected) in cases {
        let path = format!("{page}/feed.xml");
        let feed = site.feed(&path);
        check_feed(&feed, &path, &format!("{page}/"));
        assert_eq!(titles(&feed), expected, "{path}");
        let term = page.rsplit('/').next().unwrap();
        let scheme = format!("{BASE}{}/", page.split('/').next().unwrap());
        for entry in &feed.entries {
            assert!(
                entry
                    .categories
                    .iter()
                    .any(|c| c.term == term && c.scheme.as_deref() == Some(scheme.as_str())),
                "{path}: {} is not about {term}",
                title(entry)
            );
        }
    }
    assert!(
        site.feed("partners/iom/feed.xml")
            .title
            .unwrap()
            .content
            .ends_with("International Organization for Migration")
    );
    // A feed without entries is dated by the build's `--now`.
    assert_eq!(
        site.feed("partners/quiet/feed.xml")
            .updated
            .unwrap()
            .to_rfc3339(),
        "2026-01-01T00:00:00+00:00"
    );
    assert!(!site.output().join("topics/bulk/feed.xml").exists());
}

#[test]
fn feeds_hold_the_latest_fifty() {
    let site = Built::new("feeds-basic");
    for n in 0..55 {
        let day = jiff::civil::date(2025, 1, 1)
            .checked_add(jiff::Span::new().days(n))
            .unwrap();
        site.write(
            &format!("content/bulk/{day}-bulk-{n}.md"),
            &format!("---\ntitle: Bulk {n}\ndate: {day}\npartners: [IOM]\ntopics: [bulk]\n---\nEntry number {n}.\n"),
        );
    }
    site.build(&[]);
    let newest_first: Vec<String> = (5..55).rev().map(|n| format!("Bulk {n}")).collect();
    for path in ["feed.xml", "partners/iom/feed.xml", "topics/bulk/feed.xml"] {
        let feed = site.feed(path);
        assert_eq!(feed.entries.len(), 50, "{path}");
        assert_eq!(titles(&feed), newest_first, "{path}");
        assert_eq!(
            feed.updated.unwrap().to_rfc3339(),
            "2025-02-23T17:00:00+00:00",
            "{path}"
        );
    }
    // Partners not in the bulk keep their own entries only.
    assert_eq!(site.feed("partners/ilo/feed.xml").entries.len(), 2);

    // Paginated pages are in the sitemap, each dated by the entries it shows.
    let sitemap = Sitemap::parse(&site.read("sitemap.xml"));
    assert_eq!(sitemap.locs(), expected_locs(&site));
    let first = sitemap.lastmod(&format!("{BASE}partners/iom/")).unwrap();
    assert_eq!(first, "2025-02-24T00:00:00+07:00");
    let second = sitemap
        .lastmod(&format!("{BASE}partners/iom/page/2/"))
        .unwrap();
    assert_eq!(second, "2025-02-14T00:00:00+07:00");
    assert!(
        sitemap
            .lastmod(&format!("{BASE}partners/iom/page/6/"))
            .is_some()
    );
}

/// The `<loc>`s and `<lastmod>`s of a sitemap, checked for shape on the way.
struct Sitemap {
    urls: Vec<(String, Option<String>)>,
}

impl Sitemap {
    fn parse(xml: &str) -> Sitemap {
        let mut lines = xml.lines();
        assert_eq!(
            lines.next(),
            Some("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        );
        assert_eq!(
            lines.next(),
            Some("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        let mut urls = Vec::new();
        loop {
            match lines.next() {
                Some("  <url>") => {}
                Some("</urlset>") => break,
                other => panic!("unexpected line {other:?}"),
            }
            let loc = lines
                .next()
                .and_then(|l| l.strip_prefix("    <loc>"))
                .and_then(|l| l.strip_suffix("</loc>"))
                .expect("<loc> after <url>");
            assert!(!loc.contains(['<', '>', '"', ' ']), "{loc}");
            let mut lastmod = None;
            let mut line = lines.next();
            if let Some(value) = line
                .and_then(|l| l.strip_prefix("    <lastmod>"))
                .and_then(|l| l.strip_suffix("</lastmod>"))
            {
                assert!(
                    value.parse::<jiff::Timestamp>().is_ok(),
                    "lastmod {value} is not an RFC 3339 date-time"
                );
                lastmod = Some(value.to_string());
                line = lines.next();
            }
            assert_eq!(line, Some("  </url>"));
            urls.push((loc.to_string(), lastmod));
        }
        assert_eq!(lines.next(), None, "nothing after </urlset>");
        assert!(xml.ends_with("</urlset>\n"));
        Sitemap { urls }
    }

    fn locs(&self) -> Vec<String> {
        self.urls.iter().map(|(loc, _)| loc.clone()).collect()
    }

    fn lastmod(&self, loc: &str) -> Option<&str> {
        self.urls
            .iter()
            .find(|(l, _)| l == loc)
            .unwrap_or_else(|| panic!("{loc} is not in the sitemap"))
            .1
            .as_deref()
    }
}

/// The absolute URL of every HTML page of the output, sorted as the sitemap is.
fn expected_locs(site: &Built) -> Vec<String> {
    let mut locs: Vec<String> = site
        .pages()
        .iter()
        .map(|path| format!("{BASE}{}", path.strip_suffix("index.html").unwrap_or(path)))
        .collect();
    locs.sort();
    locs
}

#[test]
fn sitemap_lists_every_page() {
    let site = Built::new("feeds-basic");
    site.build(&[]);
    let sitemap = Sitemap::parse(&site.read("sitemap.xml"));
    let locs = sitemap.locs();
    assert_eq!(locs, expected_locs(&site));
    let mut sorted = locs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(locs, sorted, "sorted by URL, no duplicates");
    for must in [
        "",
        "timeline/",
        "partners/",
        "partners/quiet/",
        "topics/forced-labour/",
        "news/tricky/",
    ] {
        assert!(
            locs.contains(&format!("{BASE}{must}")),
            "{must} missing from {locs:#?}"
        );
    }
    for never in ["news/draft/", "news/embargoed/", "old/tricky/", "404.html"] {
        assert!(
            !locs.contains(&format!("{BASE}{never}")),
            "{never} is in the sitemap"
        );
    }
    // An entry's page: its own `updated`; an index page: the newest of all.
    assert_eq!(
        sitemap.lastmod(&format!("{BASE}news/tricky/")),
        Some("2024-04-01T00:00:00+07:00")
    );
    assert_eq!(
        sitemap.lastmod(&format!("{BASE}news/ilo/")),
        Some("2024-02-01T00:00:00+07:00")
    );
    assert_eq!(sitemap.lastmod(BASE), Some("2024-04-01T00:00:00+07:00"));
    assert_eq!(
        sitemap.lastmod(&format!("{BASE}timeline/2023/")),
        Some("2023-12-01T00:00:00+07:00")
    );
    assert_eq!(
        sitemap.lastmod(&format!("{BASE}partners/ilo/")),
        Some("2024-02-01T00:00:00+07:00")
    );
    // A partner page that shows no entries has no date to give.
    assert_eq!(sitemap.lastmod(&format!("{BASE}partners/quiet/")), None);

    assert_eq!(
        site.read("robots.txt"),
        format!("User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n")
    );
}

#[test]
fn a_base_url_with_a_path_prefixes_every_url() {
    let site = Built::new("feeds-basic");
    let base = "https://example.net/sub/";
    site.build(&["--base-url", base]);
    let feed = site.feed("feed.xml");
    assert_eq!(link(&feed.links, "self"), format!("{base}feed.xml"));
    assert_eq!(link(&feed.links, "alternate"), base);
    let tricky = &feed.entries[0];
    assert_eq!(tricky.id, format!("{base}old/tricky/"));
    assert_eq!(
        link(&tricky.links, "alternate"),
        format!("{base}news/tricky/")
    );
    let body = tricky.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(
        body.contains("href=\"https://example.net/sub/news/ilo/\""),
        "{body}"
    );
    let iom = site.feed("partners/iom/feed.xml");
    assert_eq!(
        link(&iom.links, "self"),
        format!("{base}partners/iom/feed.xml")
    );

    let sitemap = Sitemap::parse(&site.read("sitemap.xml"));
    assert!(
        sitemap.locs().iter().all(|loc| loc.starts_with(base)),
        "{:#?}",
        sitemap.locs()
    );
    assert!(sitemap.locs().contains(&base.to_string()));
    let robots = site.read("robots.txt");
    assert!(
        robots.ends_with(&format!("Sitemap: {base}sitemap.xml\n")),
        "{robots}"
    );
}

#[test]
fn characters_xml_forbids_are_dropped() {
    let site = Built::new("feeds-basic");
    site.write(
        "content/news/2024-06-01-controls.md",
        "---\ntitle: \"Bell \\a and \\x0b tab\"\ndate: 2024-06-01\nsummary: \"nul \\x01 here\"\n---\nBody \u{1} with \u{b} controls and \u{fffe} a non-character.\n",
    );
    site.build(&[]);
    let raw = site.read("feed.xml");
    assert!(
        !raw.chars()
            .any(|c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
                || c == '\u{fffe}'
                || c == '\u{ffff}'),
        "feed.xml holds characters XML 1.0 forbids"
    );
    let feed = site.feed("feed.xml");
    let entry = feed
        .entries
        .iter()
        .find(|e| e.id == format!("{BASE}news/controls/"))
        .unwrap();
    assert_eq!(title(entry), "Bell  and  tab");
    assert_eq!(entry.summary.as_ref().unwrap().content, "nul  here");
    let body = entry.content.as_ref().unwrap().body.as_ref().unwrap();
    assert!(
        body.contains("Body  with  controls and  a non-character."),
        "{body}"
    );
}
