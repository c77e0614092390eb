//! The open-data exports: `data/entries.json`, `data/entries.csv` and `data/entries.ics`.
//!
//! Every published entry's metadata, never its body, newest first (the order of
//! [`Content::entries`]), with absolute URLs. The three formats are written here by hand on
//! typed rows, so that what a field means is decided in one place; `docs/data.md` documents
//! every field and must change with this module (`json.rs`, `csv.rs`, `ics.rs`).
//!
//! Pure like the rest of `render`: no IO, and the bytes depend only on the content,
//! `site.yaml` and `now` (which only the calendar's `DTSTAMP` uses).

use std::sync::Arc;

use rayon::prelude::*;

use super::{OutputFile, Pieces, Stream};
use crate::config::Config;
use crate::content::Content;
use crate::digest;
use crate::model::{Entry, When};

mod csv;
mod ics;
mod json;

pub use csv::column_names;
pub use ics::host;

use csv::{csv_header, csv_row};
use ics::{calendar_parts, ics_rows};
use json::{json_head, json_row, json_tail};

pub const JSON_PATH: &str = "data/entries.json";
pub const CSV_PATH: &str = "data/entries.csv";
pub const ICS_PATH: &str = "data/entries.ics";

/// The version of the JSON schema in `docs/data.md`; raised when a field changes meaning or
/// goes away (new fields do not raise it).
pub const SCHEMA_VERSION: u32 = 1;

/// The separator of lists inside one CSV field.
pub const LIST_SEPARATOR: &str = "; ";

/// The open-data files: data/entries.json, data/entries.csv, data/entries.ics, each made as it
/// is written ([`Stream`]), a few hundred entries at a time.
pub fn render(config: &Config, content: &Content, now: jiff::Timestamp) -> Vec<OutputFile> {
    let config = Arc::new(config.clone());
    let entries: Arc<[Arc<Entry>]> = content.entries.iter().cloned().collect();
    let (head, stamp, end) = calendar_parts(&config, now);
    let json = {
        let (config, entries) = (config.clone(), entries.clone());
        Stream::new(move |write| {
            write(json_head(&config, entries.len()).as_bytes())?;
            in_chunks(&entries, write, &|i, entry, out| {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                out.push_str(&json_row(&config, entry));
            })?;
            write(json_tail(entries.len()).as_bytes())
        })
    };
    let csv = {
        let (config, entries) = (config.clone(), entries.clone());
        Stream::new(move |write| {
            write(csv_header().as_bytes())?;
            in_chunks(&entries, write, &|_, entry, out| {
                out.push_str(&csv_row(&config, entry))
            })
        })
    };
    let ics = {
        let host = host(&config);
        Stream::new(move |write| {
            write(head.as_bytes())?;
            in_chunks(&entries, write, &|_, entry, out| {
                let (before, after) = ics_rows(&config, &host, entry);
                out.push_str(&before);
                out.push_str(&stamp);
                out.push_str(&after);
            })?;
            write(end.as_bytes())
        })
    };
    vec![
        OutputFile::streamed(JSON_PATH, json),
        OutputFile::streamed(CSV_PATH, csv),
        OutputFile::streamed(ICS_PATH, ics),
    ]
}

/// Hands `write` the text `row` makes of each entry (given its position), a few hundred
/// entries at a time, each lot made in parallel.
pub(super) fn in_chunks(
    entries: &[Arc<Entry>],
    write: Pieces,
    row: &(dyn Fn(usize, &Entry, &mut String) + Sync),
) -> std::io::Result<()> {
    const CHUNK: usize = 256;
    for (n, chunk) in entries.chunks(CHUNK).enumerate() {
        let text: String = chunk
            .par_iter()
            .enumerate()
            .map(|(k, entry)| {
                let mut out = String::new();
                row(n * CHUNK + k, entry, &mut out);
                out
            })
            .collect();
        write(text.as_bytes())?;
    }
    Ok(())
}

/// What the three files hold of one entry. Each entry's rows are written once (and `serve`
/// keeps them until the entry changes); the files are the rows put together.
#[derive(Debug, Clone)]
pub struct Rows {
    /// The entry's object in `entries.json`, indented as it stands in the file.
    json: String,
    /// Its record in `entries.csv`, CRLF included.
    csv: String,
    /// Its event in `entries.ics`: the lines before `DTSTAMP` (which depends on `now`) and
    /// those after.
    ics: (String, String),
}

impl Rows {
    /// `host` is [`host`] of the configuration.
    pub fn new(config: &Config, host: &str, entry: &Entry) -> Rows {
        Rows {
            json: json_row(config, entry),
            csv: csv_row(config, entry),
            ics: ics_rows(config, host, entry),
        }
    }
}

/// The open-data files from every entry's rows kept from an earlier render (by `serve`), in
/// the order of `content.entries`; `data` picks an entry's [`Rows`] out of what was kept.
/// Each file is a [`Stream`] that puts the rows together only when it is wanted: a rebuild
/// hands the files over at once, and `serve` makes them once they are asked for or written,
/// after the reload (docs/serve.md).
pub fn render_kept_rows<R: Send + Sync + 'static>(
    config: &Config,
    now: jiff::Timestamp,
    rows: Arc<[R]>,
    data: fn(&R) -> &Rows,
) -> Vec<OutputFile> {
    let count = rows.len();
    let (head, stamp, end) = calendar_parts(config, now);
    let kept = kept_identity(&rows, data);
    let json = {
        let (head, tail) = (json_head(config, count), json_tail(count));
        let size =
            head.len() + rows.iter().map(|r| data(r).json.len() + 2).sum::<usize>() + tail.len();
        let identity = digest::of((JSON_PATH, &head, kept));
        let rows = rows.clone();
        Stream::new(move |write| {
            write(head.as_bytes())?;
            for (i, row) in rows.iter().enumerate() {
                write(if i == 0 { b"\n" } else { b",\n" })?;
                write(data(row).json.as_bytes())?;
            }
            write(tail.as_bytes())
        })
        .with_size(size)
        .with_identity(identity)
    };
    let csv = {
        let header = csv_header();
        let size = header.len() + rows.iter().map(|r| data(r).csv.len()).sum::<usize>();
        let identity = digest::of((CSV_PATH, &header, kept));
        let rows = rows.clone();
        Stream::new(move |write| {
            write(header.as_bytes())?;
            rows.iter()
                .try_for_each(|row| write(data(row).csv.as_bytes()))
        })
        .with_size(size)
        .with_identity(identity)
    };
    let ics = {
        let size = head.len()
            + rows
                .iter()
                .map(|r| data(r).ics.0.len() + stamp.len() + data(r).ics.1.len())
                .sum::<usize>()
            + end.len();
        let identity = digest::of((ICS_PATH, &head, &stamp, &end, kept));
        Stream::new(move |write| {
            write(head.as_bytes())?;
            for row in rows.iter() {
                let (before, after) = &data(row).ics;
                write(before.as_bytes())?;
                write(stamp.as_bytes())?;
                write(after.as_bytes())?;
            }
            write(end.as_bytes())
        })
        .with_size(size)
        .with_identity(identity)
    };
    vec![
        OutputFile::streamed(JSON_PATH, json),
        OutputFile::streamed(CSV_PATH, csv),
        OutputFile::streamed(ICS_PATH, ics),
    ]
}

/// What files put together from kept `rows` are made of, for a [`Stream`]'s identity: which
/// rows (`part` picks them out of what was kept), in which order. Kept rows never change (an
/// entry that changes gets new ones), and a stream holds the rows it is made from, so no other
/// rows can be where they are while it lasts.
pub(super) fn kept_identity<R, T>(rows: &[R], part: fn(&R) -> &T) -> u64 {
    digest::of_all(rows.iter().map(|r| std::ptr::from_ref(part(r)).addr()))
}

/// `published`, or `withdrawn` when the entry was withdrawn.
fn status(entry: &Entry) -> &'static str {
    if entry.withdrawn.is_some() {
        "withdrawn"
    } else {
        "published"
    }
}

/// A date that may carry a time of day: `YYYY-MM-DD` when none was given, otherwise RFC 3339
/// with the site's UTC offset.
fn moment(when: &When) -> &str {
    if when.has_time {
        &when.datetime
    } else {
        &when.date
    }
}

#[cfg(test)]
mod tests {
    use super::csv::*;
    use super::ics::*;
    use super::json::*;
    use super::*;

    /// Loads a site made of `site.yaml` with `base_url` and the given content files, through
    /// the real loaders (so these tests do not break when the model gains a field).
    fn site(base_url: &str, files: &[(&str, &str)]) -> (Config, Content) {
        let dir = tempfile::tempdir().unwrap();
        let yaml = format!(
            "title: \"Office, \\\"Thai\\\"; records\"\nbase_url: \"{base_url}\"\ntimezone: Asia/Bangkok\n"
        );
        std::fs::write(dir.path().join("site.yaml"), yaml).unwrap();
        for (path, text) in files {
            let path = dir.path().join("content").join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let config = crate::config::load(dir.path()).expect("site.yaml loads");
        let options = crate::content::LoadOptions {
            drafts: false,
            future: false,
            now: now(),
        };
        let (content, problems) = crate::content::load(&config, &options);
        assert!(
            !problems.iter().any(|p| p.is_error()),
            "the test site loads: {problems:?}"
        );
        (config, content)
    }

    const PARTNERS: &str = "\
- id: us-dos
  name: U.S. Department of State
- id: ncmec
  name: National Center for Missing & Exploited Children
";

    /// A timed entry with every field filled in and awkward characters everywhere.
    const TALKS: &str = r#"---
title: "Talks in \"Washington\", day 1\nand a second line"
date: 2022-05-24T09:30:00+07:00
kind: engagement
partners: [U.S. Department of State, National Center for Missing & Exploited Children]
topics: [human trafficking, "labour, rights; and \\ more"]
location: "Washington, D.C.; United States"
summary: "Talks on care,\nprosecution and \"online\" safety."
source:
  name: Press unit
  url: https://example.org/press/1
  published: 2022-05-26
updates:
  - date: 2022-05-30 10:00
    note: Added the programme; fixed a name.
reference: PR 2022/014
aliases: [/old/thai-us/]
---
SECRET BODY
"#;

    const THAI_TITLE: &str =
        "คณะผู้แทนไทยหารือกับหน่วยงานสหรัฐฯ ว่าด้วยความร่วมมือต่อต้านการค้ามนุษย์ ณ กรุงวอชิงตัน ดี.ซี.";

    fn thai() -> String {
        format!(
            "---\ntitle: {THAI_TITLE}\ndate: 2022-05-20\nkind: press-release\nsummary: สรุป\n---\nSECRET BODY\n"
        )
    }

    fn now() -> jiff::Timestamp {
        "2026-01-01T00:00:00Z".parse().unwrap()
    }

    fn sample() -> (Config, Content) {
        let thai = thai();
        site(
            "https://Example.org/sub/",
            &[
                ("partners.yaml", PARTNERS),
                ("engagements/2022-05-24-thai-us.md", TALKS),
                ("press-releases/2022-05-20-thai-text.md", &thai),
            ],
        )
    }

    /// A site with one all-day entry on `date`, slug `a`.
    fn one_day(base_url: &str, date: &str) -> (Config, Content) {
        let text = format!("---\ntitle: A\ndate: {date}\n---\nBody.\n");
        site(base_url, &[("engagements/a.md", &text)])
    }

    fn bytes(files: &[OutputFile], path: &str) -> String {
        let file = files.iter().find(|f| f.path == path).expect(path);
        let bytes = file.contents.generated().expect("a generated file");
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    /// A strict RFC 4180 reader: CRLF record ends, quoted fields with doubled quotes,
    /// nothing after a closing quote but a comma or the record end.
    fn parse_csv(text: &str) -> Vec<Vec<String>> {
        let mut records = Vec::new();
        let mut record = Vec::new();
        let mut chars = text.chars().peekable();
        loop {
            let mut field = String::new();
            if chars.peek() == Some(&'"') {
                chars.next();
                loop {
                    match chars.next().expect("unterminated quoted field") {
                        '"' if chars.peek() == Some(&'"') => {
                            chars.next();
                            field.push('"');
                        }
                        '"' => break,
                        c => field.push(c),
                    }
                }
            } else {
                while let Some(&c) = chars.peek() {
                    if c == ',' || c == '\r' {
                        break;
                    }
                    assert!(c != '"' && c != '\n', "bare {c:?} in an unquoted field");
                    field.push(c);
                    chars.next();
                }
            }
            record.push(field);
            match chars.next() {
                Some(',') => {}
                Some('\r') => {
                    assert_eq!(chars.next(), Some('\n'), "CR without LF");
                    records.push(std::mem::take(&mut record));
                    if chars.peek().is_none() {
                        return records;
                    }
                }
                other => panic!("expected a comma or CRLF after a field, found {other:?}"),
            }
        }
    }

    #[test]
    fn csv_round_trips_commas_quotes_and_newlines() {
        let (config, content) = sample();
        let text = bytes(&render(&config, &content, now()), CSV_PATH);
        assert!(text.ends_with("\r\n"));
        assert!(!text.starts_with('\u{feff}'));
        let records = parse_csv(&text);
        assert_eq!(records.len(), 3, "a header and a row per entry");
        let header = &records[0];
        let names: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
        assert_eq!(header, &names);
        assert!(records.iter().all(|r| r.len() == header.len()));
        let row: ahash::HashMap<&str, &str> = header
            .iter()
            .map(String::as_str)
            .zip(records[1].iter().map(String::as_str))
            .collect();
        assert_eq!(
            row["title"],
            "Talks in \"Washington\", day 1\nand a second line"
        );
        assert_eq!(row["url"], "https://example.org/sub/engagements/thai-us/");
        assert_eq!(row["path"], "/sub/engagements/thai-us/");
        assert_eq!(row["date"], "2022-05-24");
        assert_eq!(row["datetime"], "2022-05-24T09:30:00+07:00");
        assert_eq!(row["partner_ids"], "us-dos; ncmec");
        assert_eq!(
            row["partners"],
            "U.S. Department of State; National Center for Missing & Exploited Children"
        );
        assert_eq!(
            row["topic_slugs"],
            "human-trafficking; labour-rights-and-more"
        );
        assert_eq!(
            row["topics"],
            "human trafficking; labour, rights; and \\ more"
        );
        assert_eq!(row["source_published"], "2022-05-26");
        assert_eq!(row["updated"], "2022-05-30T10:00:00+07:00");
        assert_eq!(
            row["updates"],
            "2022-05-30T10:00:00+07:00: Added the programme; fixed a name."
        );
        assert_eq!(row["reference"], "PR 2022/014");
        assert_eq!(records[2][6], "2022-05-20");
        assert_eq!(records[2][7], "", "no datetime for a date-only entry");
        assert!(!text.contains("SECRET BODY"));
    }

    #[test]
    fn csv_quotes_only_what_needs_it() {
        let mut out = String::new();
        csv_field(&mut out, "plain text; with semicolons");
        assert_eq!(out, "plain text; with semicolons");
        for (field, quoted) in [
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("a\nb", "\"a\nb\""),
            ("a\r\nb", "\"a\r\nb\""),
            ("", ""),
        ] {
            let mut out = String::new();
            csv_field(&mut out, field);
            assert_eq!(out, quoted);
        }
    }

    /// Unfolds a calendar after checking every physical line: CRLF, at most 75 octets.
    fn unfold(text: &str) -> Vec<String> {
        assert!(text.ends_with("\r\n"));
        let body = &text[..text.len() - 2];
        let mut lines: Vec<String> = Vec::new();
        for physical in body.split("\r\n") {
            assert!(
                !physical.contains(['\r', '\n']),
                "bare CR or LF in {physical:?}"
            );
            assert!(
                physical.len() <= MAX_LINE,
                "{} octets: {physical:?}",
                physical.len()
            );
            match physical.strip_prefix(' ') {
                Some(rest) => lines.last_mut().expect("continuation first").push_str(rest),
                None => lines.push(physical.to_string()),
            }
        }
        lines
    }

    #[test]
    fn ics_lines_are_folded_at_75_octets_on_character_boundaries() {
        let (config, content) = sample();
        let text = bytes(&render(&config, &content, now()), ICS_PATH);
        // `text` is a String, so no fold split a UTF-8 sequence; check each physical line
        // is valid UTF-8 on its own, too.
        for physical in text.split("\r\n") {
            assert!(std::str::from_utf8(physical.as_bytes()).is_ok());
        }
        let lines = unfold(&text);
        let thai = lines
            .iter()
            .find(|l| l.starts_with("SUMMARY:คณะ"))
            .expect("the Thai title");
        assert_eq!(
            thai,
            "SUMMARY:คณะผู้แทนไทยหารือกับหน่วยงานสหรัฐฯ ว่าด้วยความร่วมมือต่อต้านการค้ามนุษย์ ณ กรุงวอชิงตัน ดี.ซี."
        );
        assert!(
            text.split("\r\n").any(|l| l.starts_with(' ')),
            "the long Thai title was folded"
        );
    }

    #[test]
    fn fold_keeps_every_line_within_the_limit() {
        for text in [
            "ก".repeat(200),
            "a".repeat(200),
            format!("x{}", "ก".repeat(100)),
            format!("xx{}", "😀".repeat(60)),
        ] {
            let mut out = String::new();
            fold(&mut out, &format!("SUMMARY:{text}"));
            let lines = unfold(&out);
            assert_eq!(lines, vec![format!("SUMMARY:{text}")]);
        }
        let mut out = String::new();
        fold(&mut out, &"a".repeat(75));
        assert_eq!(out, format!("{}\r\n", "a".repeat(75)), "75 octets fit");
        let mut out = String::new();
        fold(&mut out, &"a".repeat(76));
        assert_eq!(out, format!("{}\r\n a\r\n", "a".repeat(75)));
    }

    #[test]
    fn ics_text_is_escaped() {
        assert_eq!(text("a\\b;c,d\ne\r\nf\rg"), "a\\\\b\\;c\\,d\\ne\\nf\\ng");
        assert_eq!(text("bell\u{7}\ttab"), "bell\ttab");
        let (config, content) = sample();
        let lines = unfold(&bytes(&render(&config, &content, now()), ICS_PATH));
        let has = |l: &str| lines.iter().any(|x| x == l);
        assert!(has(
            "SUMMARY:Talks in \"Washington\"\\, day 1\\nand a second line"
        ));
        assert!(has("LOCATION:Washington\\, D.C.\\; United States"));
        assert!(has(
            "DESCRIPTION:Talks on care\\,\\nprosecution and \"online\" safety."
        ));
        assert!(has(
            "CATEGORIES:human trafficking,labour\\, rights\\; and \\\\ more"
        ));
        assert!(has("NAME:Office\\, \"Thai\"\\; records"));
    }

    #[test]
    fn ics_events_have_stable_uids_and_utc_or_all_day_dates() {
        let (config, content) = sample();
        let first = bytes(&render(&config, &content, now()), ICS_PATH);
        let again = bytes(&render(&config, &content, now()), ICS_PATH);
        assert_eq!(first, again, "same input, same bytes");
        let lines = unfold(&first);
        assert_eq!(lines[0], "BEGIN:VCALENDAR");
        assert_eq!(lines.last().unwrap(), "END:VCALENDAR");
        for required in ["VERSION:2.0", "CALSCALE:GREGORIAN"] {
            assert!(lines.iter().any(|l| l == required), "{required}");
        }
        assert!(lines.iter().any(|l| l.starts_with("PRODID:")));
        let events: Vec<&[String]> = lines
            .split(|l| l == "BEGIN:VEVENT")
            .skip(1)
            .map(|chunk| {
                let end = chunk.iter().position(|l| l == "END:VEVENT").unwrap();
                &chunk[..end]
            })
            .collect();
        assert_eq!(events.len(), 2);
        let timed = events[0];
        assert!(timed.contains(&"UID:sub/engagements/thai-us@example.org".to_string()));
        assert!(timed.contains(&"DTSTAMP:20260101T000000Z".to_string()));
        assert!(timed.contains(&"DTSTART:20220524T023000Z".to_string()));
        assert!(!timed.iter().any(|l| l.starts_with("DTEND")));
        assert!(timed.contains(&"URL:https://example.org/sub/engagements/thai-us/".to_string()));
        let all_day = events[1];
        assert!(all_day.contains(&"UID:sub/press-releases/thai-text@example.org".to_string()));
        assert!(all_day.contains(&"DTSTART;VALUE=DATE:20220520".to_string()));
        assert!(all_day.contains(&"DTEND;VALUE=DATE:20220521".to_string()));
        assert!(!first.contains("SECRET BODY"));
    }

    #[test]
    fn all_day_events_end_the_next_day_across_months_and_years() {
        let (config, content) = one_day("https://example.org/", "2024-12-31");
        let lines = unfold(&bytes(&render(&config, &content, now()), ICS_PATH));
        assert!(lines.iter().any(|l| l == "DTSTART;VALUE=DATE:20241231"));
        assert!(lines.iter().any(|l| l == "DTEND;VALUE=DATE:20250101"));
        assert!(lines.iter().any(|l| l == "UID:engagements/a@example.org"));
    }

    #[test]
    fn relative_base_url_gives_localhost_uids_and_no_url() {
        let (config, content) = one_day("/", "2024-01-02");
        let lines = unfold(&bytes(&render(&config, &content, now()), ICS_PATH));
        assert!(lines.iter().any(|l| l == "UID:engagements/a@localhost"));
        assert!(!lines.iter().any(|l| l.starts_with("URL:")));
    }

    #[test]
    fn json_has_every_documented_field() {
        let (config, content) = sample();
        let text = bytes(&render(&config, &content, now()), JSON_PATH);
        assert!(text.ends_with("}\n"));
        assert!(!text.contains("SECRET BODY"));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(value["version"], 1);
        assert_eq!(value["count"], 2);
        assert_eq!(value["site"]["url"], "https://example.org/sub/");
        assert_eq!(value["site"]["timezone"], "Asia/Bangkok");
        assert_eq!(value["site"]["title"], "Office, \"Thai\"; records");
        let entries = value["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        let e = &entries[0];
        let keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = vec![
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
            "partners",
            "topics",
            "source",
            "reference",
            "updates",
            "updated",
            "status",
            "withdrawn",
            "attachments",
            "language",
            "aliases",
        ];
        expected.sort_unstable();
        let mut keys = keys;
        keys.sort_unstable();
        assert_eq!(keys, expected);
        assert_eq!(e["url"], "https://example.org/sub/engagements/thai-us/");
        assert_eq!(e["path"], "/sub/engagements/thai-us/");
        assert_eq!(e["datetime"], "2022-05-24T09:30:00+07:00");
        assert_eq!(e["partners"][1]["id"], "ncmec");
        assert_eq!(
            e["partners"][1]["url"],
            "https://example.org/sub/partners/ncmec/"
        );
        assert_eq!(e["topics"][0]["slug"], "human-trafficking");
        assert_eq!(
            e["topics"][0]["url"],
            "https://example.org/sub/topics/human-trafficking/"
        );
        assert_eq!(e["source"]["published"], "2022-05-26");
        assert_eq!(e["updates"][0]["date"], "2022-05-30T10:00:00+07:00");
        assert_eq!(e["updated"], "2022-05-30T10:00:00+07:00");
        assert_eq!(e["aliases"][0], "https://example.org/sub/old/thai-us/");
        assert_eq!(entries[1]["datetime"], serde_json::Value::Null);
        assert_eq!(entries[1]["slug"], "thai-text", "newest first, as given");
    }

    #[test]
    fn empty_site_gives_valid_empty_files() {
        let (config, content) = site("https://example.org/", &[]);
        let files = render(&config, &content, now());
        assert_eq!(files.len(), 3);
        let json: serde_json::Value = serde_json::from_str(&bytes(&files, JSON_PATH)).unwrap();
        assert_eq!(json["count"], 0);
        assert_eq!(parse_csv(&bytes(&files, CSV_PATH)).len(), 1);
        let lines = unfold(&bytes(&files, ICS_PATH));
        assert!(!lines.iter().any(|l| l == "BEGIN:VEVENT"));
    }

    #[test]
    fn files_put_together_from_rows_are_the_documents_written_whole() {
        let sites = [
            sample(),
            site("https://example.org/", &[]),
            one_day("/", "2024-02-29"),
        ];
        for (config, content) in &sites {
            let files = render(config, content, now());
            assert_eq!(bytes(&files, JSON_PATH), json(config, content));
            assert_eq!(bytes(&files, CSV_PATH), csv(config, content));
            assert_eq!(bytes(&files, ICS_PATH), ics(config, content, now()));
        }
    }

    #[test]
    fn files_from_kept_rows_are_the_files_and_their_identity_is_which_rows() {
        let (config, content) = sample();
        let host = host(&config);
        let kept: Vec<Arc<Rows>> = (content.entries.iter())
            .map(|e| Arc::new(Rows::new(&config, &host, e)))
            .collect();
        assert!(kept.len() > 1);
        let from = |rows: &[Arc<Rows>], now: jiff::Timestamp| {
            render_kept_rows(&config, now, rows.iter().cloned().collect(), |r| &**r)
        };
        let identities = |files: &[OutputFile]| -> Vec<Option<u64>> {
            (files.iter())
                .map(|f| match &f.contents {
                    crate::render::Contents::Stream(stream) => stream.identity(),
                    other => panic!("{other:?}"),
                })
                .collect()
        };
        let files = from(&kept, now());
        for path in [JSON_PATH, CSV_PATH, ICS_PATH] {
            assert_eq!(
                bytes(&files, path),
                bytes(&render(&config, &content, now()), path)
            );
        }
        let ids = identities(&files);
        assert!(ids.iter().all(Option::is_some));
        assert_eq!(ids, identities(&from(&kept, now())), "the same rows");
        // A row made again, even the same, is another row; so is another order.
        let mut remade = kept.clone();
        remade[0] = Arc::new(Rows::new(&config, &host, &content.entries[0]));
        let mut reordered = kept.clone();
        reordered.swap(0, 1);
        for other in [remade, reordered] {
            let other = identities(&from(&other, now()));
            assert!(
                ids.iter().zip(&other).all(|(a, b)| a != b),
                "{ids:?} {other:?}"
            );
        }
        // Another moment changes the calendar's stamp only.
        let later = identities(&from(&kept, now() + jiff::SignedDuration::from_secs(1)));
        assert_eq!((later[0], later[1]), (ids[0], ids[1]));
        assert_ne!(later[2], ids[2]);
    }
}
