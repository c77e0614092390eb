//! Withdrawn entries and minor updates (SPEC §9), on the `withdrawals` fixture: a standing
//! entry, a press release with an update and then a withdrawal, an entry with only a minor
//! update, and one with an update and a later minor one.
//!
//! Each page, list, feed, sitemap and open-data file is read back from the built output; the
//! mistakes one can make in `withdrawn:` and `minor:` are checked word for word.

use crate::support::{Site, count};

const FIXTURE: &str = "withdrawals";
const WITHDRAWN: &str = "/press-releases/joint-statement/";
const REASON: &str = "The statement was replaced by the agreement of 15 April 2024.";
const BADGE: &str = r#"<span class="badge badge--withdrawn">Withdrawn</span>"#;

fn built() -> Site {
    let site = Site::fixture(FIXTURE);
    site.build_ok(&[]);
    site
}

/// The `<entry>` of the Atom feed at `path` whose id ends with `url`.
fn feed_entry(site: &Site, path: &str, url: &str) -> String {
    let feed = std::fs::read_to_string(site.out().join(path)).unwrap();
    let id = format!("<id>https://example.org{url}</id>");
    feed.split("<entry>")
        .find(|e| e.contains(&id))
        .unwrap_or_else(|| panic!("no entry {url} in {path}:\n{feed}"))
        .to_string()
}

/// The text of the first `<tag>` in `xml`.
fn element<'x>(xml: &'x str, tag: &str) -> &'x str {
    let open = format!("<{tag}>");
    let start = xml.find(&open).map(|i| i + open.len());
    let start = start.unwrap_or_else(|| panic!("no <{tag}> in\n{xml}"));
    let end = xml[start..].find('<').map_or(xml.len(), |i| start + i);
    &xml[start..end]
}

#[test]
fn a_withdrawn_entry_keeps_its_page_with_a_banner() {
    let site = built();
    let main = site.main_of(WITHDRAWN);
    assert!(main.contains(
        r#"<div class="notice withdrawn" role="note" aria-labelledby="entry-withdrawn">
      <h2 id="entry-withdrawn" class="withdrawn__title">Withdrawn on <time datetime="2024-04-15">15 April 2024</time></h2>
      <p class="withdrawn__reason">The statement was replaced by the agreement of 15 April 2024.</p>
    </div>"#
    ), "{main}");
    assert_eq!(count(&main, BADGE), 1, "{main}");
    // The text and the change log stay.
    assert!(main.contains("<p>The text of the statement.</p>"), "{main}");
    assert!(main.contains("Added the list of signatories."), "{main}");
    // The banner gives the withdrawal date: no separate "Updated" line repeats it.
    assert!(!main.contains("<dt>Updated</dt>"), "{main}");
    let page = site.page(WITHDRAWN);
    assert!(
        page.contains(
            r#"<meta property="article:modified_time" content="2024-04-15T00:00:00+07:00">"#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#""dateModified":"2024-04-15T00:00:00+07:00""#)
            && page.contains(r#""creativeWorkStatus":"Withdrawn""#),
        "{page}"
    );
    // An entry that stands has neither.
    let standing = site.page("/engagements/standing/");
    assert!(!standing.contains("withdrawn"), "{standing}");
    assert!(!standing.contains("creativeWorkStatus"), "{standing}");
}

#[test]
fn every_list_marks_a_withdrawn_entry() {
    let site = built();
    for url in [
        "/",
        "/timeline/",
        "/timeline/2024/",
        "/timeline/kind/press-release/",
        "/partners/ilo/",
        "/topics/labour-migration/",
    ] {
        let main = site.main_of(url);
        assert!(main.contains("/press-releases/joint-statement/"), "{url}");
        assert_eq!(count(&main, BADGE), 1, "{url}:\n{main}");
        // The badge is on the withdrawn entry's card, not on another.
        let card = main
            .split("<li class=")
            .find(|c| c.contains("joint-statement"))
            .unwrap();
        assert!(card.contains(BADGE), "{url}:\n{card}");
    }
}

#[test]
fn feeds_and_sitemap_date_a_withdrawn_entry_by_its_withdrawal() {
    let site = built();
    for feed in ["feed.xml", "partners/ilo/feed.xml"] {
        let entry = feed_entry(&site, feed, WITHDRAWN);
        assert_eq!(
            element(&entry, "updated"),
            "2024-04-15T00:00:00+07:00",
            "{feed}"
        );
        assert_eq!(
            element(&entry, "published"),
            "2024-03-01T10:00:00+07:00",
            "{feed}"
        );
    }
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://example.org/press-releases/joint-statement/</loc>\n    <lastmod>2024-04-15T00:00:00+07:00</lastmod>"
    ), "{sitemap}");
}

#[test]
fn open_data_gives_the_status_and_the_reason() {
    let site = built();
    let json = std::fs::read_to_string(site.out().join("data/entries.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let entries = json["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 4, "a withdrawn entry is not dropped");
    let by_path = |path: &str| {
        entries
            .iter()
            .find(|e| e["path"] == path)
            .unwrap_or_else(|| panic!("no {path}"))
    };
    let withdrawn = by_path(WITHDRAWN);
    assert_eq!(withdrawn["status"], "withdrawn");
    assert_eq!(
        withdrawn["withdrawn"],
        serde_json::json!({"date": "2024-04-15", "reason": REASON})
    );
    assert_eq!(withdrawn["updated"], "2024-04-15");
    let standing = by_path("/engagements/standing/");
    assert_eq!(standing["status"], "published");
    assert_eq!(standing["withdrawn"], serde_json::Value::Null);

    let csv = std::fs::read(site.out().join("data/entries.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header[header.len() - 4..header.len() - 1],
        ["status", "withdrawn", "withdrawn_reason"]
    );
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 4);
    let row = rows
        .iter()
        .find(|r| r[1] == WITHDRAWN)
        .expect("the withdrawn entry's row");
    assert_eq!(
        row[row.len() - 4..row.len() - 1],
        ["withdrawn", "2024-04-15", REASON]
    );
    let row = rows
        .iter()
        .find(|r| r[1] == "/engagements/standing/")
        .expect("the standing entry's row");
    assert_eq!(row[row.len() - 4..row.len() - 1], ["published", "", ""]);
}

#[test]
fn a_minor_update_is_listed_but_does_not_move_updated() {
    let site = built();
    let typo = "/engagements/typo/";
    let main = site.main_of(typo);
    assert!(
        main.contains(r#"<li><time datetime="2024-05-01">1 May 2024</time> <span class="updates__note">Corrected a typing error.</span> <span class="updates__minor">(minor change)</span></li>"#),
        "{main}"
    );
    assert!(!main.contains("<dt>Updated</dt>"), "{main}");
    let entry = feed_entry(&site, "feed.xml", typo);
    assert_eq!(element(&entry, "updated"), "2024-03-10T00:00:00+07:00");
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://example.org/engagements/typo/</loc>\n    <lastmod>2024-03-10T00:00:00+07:00</lastmod>"
    ), "{sitemap}");

    // An update that is news moves `updated`; a minor one after it does not.
    let programme = "/engagements/programme/";
    let main = site.main_of(programme);
    assert!(
        main.contains(r##"<dd><time datetime="2024-03-22">22 March 2024</time> (<a href="#entry-updates">see changes</a>)</dd>"##),
        "{main}"
    );
    assert_eq!(count(&main, "(minor change)"), 1, "{main}");
    let entry = feed_entry(&site, "feed.xml", programme);
    assert_eq!(element(&entry, "updated"), "2024-03-22T00:00:00+07:00");

    let programme = site.data_entry("programme");
    assert_eq!(programme["updated"], "2024-03-22");
    assert_eq!(
        programme["updates"],
        serde_json::json!([
            {"date": "2024-03-22", "note": "Added the programme.", "minor": false},
            {"date": "2024-06-01", "note": "Fixed a broken link.", "minor": true},
        ])
    );
    let csv = std::fs::read_to_string(site.out().join("data/entries.csv")).unwrap();
    assert!(
        csv.contains("2024-03-22: Added the programme.; 2024-06-01 (minor): Fixed a broken link."),
        "{csv}"
    );
}

/// Builds the fixture with one more entry whose front matter ends with `fields`; the build
/// must fail, and stderr start with `expected`.
fn fails_with(fields: &str, expected: &str) {
    Site::fixture(FIXTURE).fails_with_entry("content/engagements/bad.md", fields, expected);
}

#[test]
fn a_withdrawal_without_a_reason_is_an_error() {
    fails_with(
        "withdrawn:\n  date: 2024-04-15",
        "error: `withdrawn` is missing its `reason`
 --> content/engagements/bad.md:5:3
  |
5 |   date: 2024-04-15
  |   ^
  = hint: a withdrawal needs a `date` and a `reason`, e.g. `withdrawn: {date: 2022-06-01, reason: The meeting was cancelled}`",
    );
    fails_with(
        "withdrawn: {reason: Replaced.}",
        "error: `withdrawn` is missing its `date`
 --> content/engagements/bad.md:4:13
  |
4 | withdrawn: {reason: Replaced.}
  |             ^
  = hint: a withdrawal needs a `date` and a `reason`, e.g. `withdrawn: {date: 2022-06-01, reason: The meeting was cancelled}`",
    );
    fails_with(
        "withdrawn:\n  date: 2024-04-15\n  reason: \"  \"",
        "error: the reason for the withdrawal is empty
 --> content/engagements/bad.md:6:11
  |
6 |   reason: \"  \"
  |           ^
  = hint: say why the entry was withdrawn, e.g. `reason: The meeting was cancelled`",
    );
}

#[test]
fn a_withdrawal_written_wrong_is_an_error_with_a_hint() {
    fails_with(
        "withdrawn:\n  date: 2024-04-31\n  reason: Replaced.",
        "error: `2024-04-31` is not a real date
 --> content/engagements/bad.md:5:9
  |
5 |   date: 2024-04-31
  |         ^",
    );
    fails_with(
        "withdrawn:\n  date: 2024-04-15\n  reasons: Replaced.",
        "error: unknown field `reasons` in front matter
 --> content/engagements/bad.md:6:3
  |
6 |   reasons: Replaced.
  |   ^
  = hint: did you mean `reason`?",
    );
    fails_with(
        "withdrawn: 2024-04-15",
        "error: invalid front matter: expected a group of fields
 --> content/engagements/bad.md:4:12
  |
4 | withdrawn: 2024-04-15
  |            ^
  = hint: give the withdrawal a `date` and a `reason`, e.g. `withdrawn: {date: 2022-06-01, reason: The meeting was cancelled}`",
    );
    fails_with(
        "updates:\n  - {date: 2024-05-01, note: Typo., minor: yes}",
        "error: invalid front matter: expected `true` or `false`
 --> content/engagements/bad.md:5:44
  |
5 |   - {date: 2024-05-01, note: Typo., minor: yes}
  |                                            ^
  = hint: write `true` or `false`",
    );
}
