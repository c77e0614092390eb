//! The open-data exports (`/data/entries.json`, `.csv`, `.ics`) of the `data-basic` fixture,
//! each parsed back: the JSON with serde_json against the fields of `docs/data.md`, the CSV
//! with the `csv` crate, the iCalendar with a strict line-level reader of our own.
//!
//! The fixture has a timed entry whose title holds quotes, a comma and a semicolon, a long Thai
//! title, a draft and an embargoed entry (which must appear nowhere).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::support::{NOW, Site};

const FIXTURE: &str = "data-basic";

const TALKS_TITLE: &str = "Talks in \"Washington\", with partners; day one";
const THAI_TITLE: &str =
    "คณะผู้แทนไทยหารือกับหน่วยงานสหรัฐฯ ว่าด้วยความร่วมมือต่อต้านการค้ามนุษย์ ณ กรุงวอชิงตัน ดี.ซี. และแถลงผลการหารือ";
const MARKERS: &[&str] = &["DRAFT-MARKER", "EMBARGO-MARKER", "BODY-MARKER"];

/// The three files as the library renders them, without the rest of the build.
fn render_with_library(site: &Path) -> HashMap<String, Vec<u8>> {
    let config = gazette::config::load(site).expect("site.yaml loads");
    let options = gazette::content::LoadOptions {
        drafts: false,
        future: false,
        now: NOW.parse().unwrap(),
    };
    let (content, problems) = gazette::content::load(&config, &options);
    assert!(
        !problems.iter().any(|p| p.is_error()),
        "the fixture loads: {problems:?}"
    );
    gazette::render::data::render(&config, &content, NOW.parse().unwrap())
        .into_iter()
        .map(|file| {
            let bytes = file.contents.generated();
            let bytes = bytes.unwrap_or_else(|| panic!("{} is not generated", file.path));
            (file.path, bytes.to_vec())
        })
        .collect()
}

#[test]
fn open_data_of_the_fixture_parses_back() {
    let site = Site::fixture(FIXTURE);
    let files = render_with_library(&site.root);
    let mut paths: Vec<&str> = files.keys().map(String::as_str).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        ["data/entries.csv", "data/entries.ics", "data/entries.json"]
    );
    check_json(&files["data/entries.json"]);
    check_csv(&files["data/entries.csv"]);
    check_ics(&files["data/entries.ics"]);
}

#[test]
fn build_writes_the_open_data_files_and_repeats_them_byte_for_byte() {
    let site = Site::fixture(FIXTURE);
    let first = site.tmp.join("first");
    let second = site.tmp.join("second");
    site.build_into(&first, &[]).assert_success();
    site.build_into(&second, &[]).assert_success();
    let expected = render_with_library(&site.root);
    for (path, bytes) in &expected {
        let written = std::fs::read(first.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(&written, bytes, "{path} as the build wrote it");
        assert_eq!(
            std::fs::read(second.join(path)).unwrap(),
            written,
            "{path} is the same on a second build with the same --now"
        );
    }
    check_json(&std::fs::read(first.join("data/entries.json")).unwrap());
    check_csv(&std::fs::read(first.join("data/entries.csv")).unwrap());
    check_ics(&std::fs::read(first.join("data/entries.ics")).unwrap());
}

fn assert_no_markers(text: &str) {
    for marker in MARKERS {
        assert!(
            !text.contains(marker),
            "`{marker}` leaked into the open data"
        );
    }
}

// ---------------------------------------------------------------------------------------
// JSON

fn check_json(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap();
    assert_no_markers(text);
    assert!(text.ends_with("}\n"));
    let value: serde_json::Value = serde_json::from_str(text).unwrap();
    let top = value.as_object().unwrap();
    let mut keys: Vec<&str> = top.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["count", "entries", "site", "version"]);
    assert_eq!(value["version"], 1);
    assert_eq!(
        value["site"],
        serde_json::json!({
            "title": "Open data fixture: \"records\", lists; and more",
            "description": "Entries for the open-data exports test.",
            "url": "https://data.example.org/archive/",
            "language": "en",
            "timezone": "Asia/Bangkok",
        })
    );
    assert_eq!(value["count"], 2);
    let entries = value["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);

    // Newest first: the Thai press release (7 March), then the talks (5 March).
    let thai = &entries[0];
    assert_eq!(thai["title"], THAI_TITLE);
    assert_eq!(thai["kind"], "press-release");
    assert_eq!(thai["kind_label"], "Press release");
    assert_eq!(thai["date"], "2024-03-07");
    assert_eq!(thai["datetime"], serde_json::Value::Null);
    assert_eq!(thai["location"], serde_json::Value::Null);
    assert_eq!(thai["reference"], "PR 2024/003");
    assert_eq!(
        thai["source"],
        serde_json::json!({
            "name": "Anti-Trafficking Cooperation Office",
            "url": "https://example.org/press/2024-003",
            "published": "2024-03-07",
        })
    );
    assert_eq!(thai["updates"], serde_json::json!([]));
    assert_eq!(thai["updated"], "2024-03-07");
    assert_eq!(thai["aliases"], serde_json::json!([]));

    let talks = &entries[1];
    let mut fields: Vec<&str> = talks
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "aliases",
            "attachments",
            "date",
            "datetime",
            "kind",
            "kind_label",
            "language",
            "location",
            "partners",
            "path",
            "reference",
            "slug",
            "source",
            "status",
            "summary",
            "title",
            "topics",
            "updated",
            "updates",
            "url",
            "withdrawn"
        ]
    );
    assert_eq!(talks["title"], TALKS_TITLE);
    let url = talks["url"].as_str().unwrap();
    let path = talks["path"].as_str().unwrap();
    assert!(url.starts_with("https://data.example.org/archive/engagements/"));
    assert!(
        path.starts_with("/archive/engagements/")
            && url.ends_with(path.strip_prefix("/archive/").unwrap())
    );
    assert_eq!(talks["date"], "2024-03-05");
    assert_eq!(talks["datetime"], "2024-03-05T14:30:00+07:00");
    assert_eq!(talks["location"], "Washington, D.C.; United States");
    assert_eq!(
        talks["summary"],
        "A day of talks on victim care, prosecution and labour inspection."
    );
    let partners = talks["partners"].as_array().unwrap();
    assert_eq!(partners.len(), 3);
    assert_eq!(partners[0]["id"], "us-dos");
    assert_eq!(partners[0]["name"], "U.S. Department of State");
    assert_eq!(
        partners[0]["url"],
        "https://data.example.org/archive/partners/us-dos/"
    );
    assert_eq!(partners[1]["id"], "ilo");
    assert_eq!(partners[2]["name"], "Community Health Network, Mae Sot");
    for p in partners {
        let keys: HashSet<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, HashSet::from(["id", "name", "url"]));
    }
    let topics = talks["topics"].as_array().unwrap();
    assert_eq!(topics[1]["name"], "labour, fisheries");
    assert_eq!(
        topics[0]["url"],
        format!(
            "https://data.example.org/archive/topics/{}/",
            topics[0]["slug"].as_str().unwrap()
        )
    );
    assert_eq!(talks["source"]["url"], serde_json::Value::Null);
    assert_eq!(talks["source"]["published"], "2024-03-06");
    assert_eq!(
        talks["updates"],
        serde_json::json!([{"date": "2024-03-08", "note": "Added the programme; corrected a name.", "minor": false}])
    );
    assert_eq!(talks["updated"], "2024-03-08");
    assert_eq!(talks["status"], "published");
    assert_eq!(talks["withdrawn"], serde_json::Value::Null);
    assert_eq!(
        talks["aliases"],
        serde_json::json!(["https://data.example.org/archive/old/talks/"])
    );
}

// ---------------------------------------------------------------------------------------
// CSV

const CSV_HEADER: &[&str] = &[
    "url",
    "path",
    "slug",
    "title",
    "kind",
    "kind_label",
    "date",
    "datetime",
    "location",
    "summary",
    "partner_ids",
    "partners",
    "topic_slugs",
    "topics",
    "source_name",
    "source_url",
    "source_published",
    "reference",
    "updated",
    "updates",
    "language",
    "status",
    "withdrawn",
    "withdrawn_reason",
    "attachments",
];

fn check_csv(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap();
    assert_no_markers(text);
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    assert!(text.ends_with("\r\n"));
    // Outside quoted fields every line break is CRLF.
    let mut quoted = false;
    let mut previous = '\0';
    for c in text.chars() {
        if c == '"' {
            quoted = !quoted;
        }
        if c == '\n' && !quoted {
            assert_eq!(previous, '\r', "bare LF between records");
        }
        previous = c;
    }
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, CSV_HEADER);
    let rows: Vec<HashMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 2, "one row per published entry");
    let thai = &rows[0];
    assert_eq!(thai["title"], THAI_TITLE);
    assert_eq!(thai["datetime"], "");
    assert_eq!(thai["location"], "");
    assert_eq!(thai["partner_ids"], "us-dos");
    assert_eq!(thai["reference"], "PR 2024/003");
    assert_eq!(thai["updates"], "");
    let talks = &rows[1];
    assert_eq!(talks["title"], TALKS_TITLE);
    assert!(talks["url"].starts_with("https://data.example.org/archive/engagements/"));
    assert_eq!(talks["kind"], "engagement");
    assert_eq!(talks["date"], "2024-03-05");
    assert_eq!(talks["datetime"], "2024-03-05T14:30:00+07:00");
    assert_eq!(talks["location"], "Washington, D.C.; United States");
    assert_eq!(
        talks["partners"],
        "U.S. Department of State; International Labour Organization; Community Health Network, Mae Sot"
    );
    assert_eq!(talks["partner_ids"].split("; ").count(), 3);
    assert_eq!(talks["topics"], "human trafficking; labour, fisheries");
    assert_eq!(talks["source_name"], "Press unit");
    assert_eq!(talks["source_url"], "");
    assert_eq!(talks["source_published"], "2024-03-06");
    assert_eq!(talks["updated"], "2024-03-08");
    assert_eq!(
        talks["updates"],
        "2024-03-08: Added the programme; corrected a name."
    );
    assert_eq!(talks["language"], "en");
    assert_eq!(talks["status"], "published");
    assert_eq!(talks["withdrawn"], "");
    assert_eq!(talks["withdrawn_reason"], "");
}

// ---------------------------------------------------------------------------------------
// iCalendar

/// One unfolded content line: name, parameters as written, value as written (still escaped).
#[derive(Debug)]
struct Line {
    name: String,
    params: Vec<String>,
    value: String,
}

/// Reads a calendar strictly: CRLF only, physical lines of at most 75 octets that are each
/// valid UTF-8 (so no fold split a character), continuation lines starting with one space.
fn read_ics(bytes: &[u8]) -> Vec<Line> {
    assert!(bytes.ends_with(b"\r\n"), "the last line ends with CRLF");
    // Without the last LF, every line, the last included, ends with CR.
    let body = &bytes[..bytes.len() - 1];
    let mut logical: Vec<String> = Vec::new();
    for physical in body.split(|b| *b == b'\n') {
        let physical = physical
            .strip_suffix(b"\r")
            .unwrap_or_else(|| panic!("LF without CR before it"));
        assert!(!physical.contains(&b'\r'), "bare CR");
        assert!(
            physical.len() <= 75,
            "a line of {} octets: {:?}",
            physical.len(),
            String::from_utf8_lossy(physical)
        );
        let text = std::str::from_utf8(physical).expect("a fold split a UTF-8 character");
        match text.strip_prefix(' ') {
            Some(rest) => logical
                .last_mut()
                .expect("a continuation line first")
                .push_str(rest),
            None => {
                assert!(!text.starts_with('\t'), "fold with a tab");
                logical.push(text.to_string());
            }
        }
    }
    logical
        .into_iter()
        .map(|line| {
            let colon = line
                .find(':')
                .unwrap_or_else(|| panic!("no colon in {line:?}"));
            let (head, value) = (&line[..colon], &line[colon + 1..]);
            let mut parts = head.split(';');
            let name = parts.next().unwrap().to_string();
            assert!(
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
                "bad property name {name:?}"
            );
            Line {
                name,
                params: parts.map(String::from).collect(),
                value: value.to_string(),
            }
        })
        .collect()
}

/// Splits a TEXT value on unescaped commas and undoes RFC 5545 escaping, refusing an
/// unescaped `;` or an unknown escape.
fn unescape_list(value: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some('\\') => items.last_mut().unwrap().push('\\'),
                Some(';') => items.last_mut().unwrap().push(';'),
                Some(',') => items.last_mut().unwrap().push(','),
                Some('n' | 'N') => items.last_mut().unwrap().push('\n'),
                other => panic!("bad escape \\{other:?} in {value:?}"),
            },
            ';' => panic!("unescaped `;` in TEXT {value:?}"),
            ',' => items.push(String::new()),
            c if c.is_control() && c != '\t' => panic!("control character in {value:?}"),
            c => items.last_mut().unwrap().push(c),
        }
    }
    items
}

/// A single TEXT value: no unescaped comma either.
fn unescape(value: &str) -> String {
    let items = unescape_list(value);
    assert_eq!(items.len(), 1, "unescaped `,` in single TEXT {value:?}");
    items.into_iter().next().unwrap()
}

fn check_ics(bytes: &[u8]) {
    let text = std::str::from_utf8(bytes).unwrap();
    assert_no_markers(text);
    let lines = read_ics(bytes);
    assert_eq!(
        lines.first().map(|l| (l.name.as_str(), l.value.as_str())),
        Some(("BEGIN", "VCALENDAR"))
    );
    assert_eq!(
        lines.last().map(|l| (l.name.as_str(), l.value.as_str())),
        Some(("END", "VCALENDAR"))
    );
    let mut calendar: HashMap<&str, &Line> = HashMap::new();
    let mut events: Vec<HashMap<String, &Line>> = Vec::new();
    let mut current: Option<HashMap<String, &Line>> = None;
    for line in &lines[1..lines.len() - 1] {
        match (line.name.as_str(), line.value.as_str()) {
            ("BEGIN", "VEVENT") => {
                assert!(current.is_none(), "nested VEVENT");
                current = Some(HashMap::new());
            }
            ("END", "VEVENT") => events.push(current.take().expect("END without BEGIN")),
            ("BEGIN" | "END", other) => panic!("unexpected component {other}"),
            (name, _) => {
                let props = match &mut current {
                    Some(event) => event,
                    None => {
                        assert!(calendar.insert(name, line).is_none(), "two {name}");
                        continue;
                    }
                };
                assert!(
                    props.insert(name.to_string(), line).is_none(),
                    "two {name} in an event"
                );
            }
        }
    }
    assert!(current.is_none(), "unterminated VEVENT");
    assert_eq!(calendar["VERSION"].value, "2.0");
    assert_eq!(calendar["CALSCALE"].value, "GREGORIAN");
    assert!(!calendar["PRODID"].value.is_empty());
    assert_eq!(
        unescape(&calendar["X-WR-CALNAME"].value),
        "Open data fixture: \"records\", lists; and more"
    );
    assert_eq!(events.len(), 2, "one event per published entry");
    let uids: HashSet<&str> = events.iter().map(|e| e["UID"].value.as_str()).collect();
    assert_eq!(uids.len(), 2, "unique UIDs");
    for event in &events {
        assert_eq!(
            event["DTSTAMP"].value, "20260101T000000Z",
            "DTSTAMP is --now"
        );
        assert!(event["UID"].value.ends_with("@data.example.org"));
        assert!(event["UID"].value.starts_with("archive/"));
        assert!(
            event["URL"]
                .value
                .starts_with("https://data.example.org/archive/")
        );
        assert!(event["URL"].value.ends_with(&format!(
            "{}/",
            event["UID"].value.trim_end_matches("@data.example.org").trim_start_matches("archive/")
        )));
    }

    let thai = &events[0];
    assert_eq!(unescape(&thai["SUMMARY"].value), THAI_TITLE);
    assert_eq!(thai["DTSTART"].params, ["VALUE=DATE"]);
    assert_eq!(thai["DTSTART"].value, "20240307");
    assert_eq!(thai["DTEND"].params, ["VALUE=DATE"]);
    assert_eq!(thai["DTEND"].value, "20240308");
    assert_eq!(unescape(&thai["DESCRIPTION"].value), "สรุปผลการหารือ");
    assert!(!thai.contains_key("LOCATION"));
    assert_eq!(
        unescape_list(&thai["CATEGORIES"].value),
        ["human trafficking"]
    );

    let talks = &events[1];
    assert_eq!(unescape(&talks["SUMMARY"].value), TALKS_TITLE);
    assert!(talks["DTSTART"].params.is_empty());
    assert_eq!(
        talks["DTSTART"].value, "20240305T073000Z",
        "14:30 in Bangkok is 07:30 UTC"
    );
    assert!(!talks.contains_key("DTEND"));
    assert_eq!(
        unescape(&talks["LOCATION"].value),
        "Washington, D.C.; United States"
    );
    assert_eq!(
        unescape_list(&talks["CATEGORIES"].value),
        ["human trafficking", "labour, fisheries"]
    );
}
