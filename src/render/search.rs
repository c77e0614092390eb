//! The search index: `/search-index.json`, and the same data as `/search-index.js` for the
//! search page.
//!
//! Owns the index's format (documented for readers in `docs/search.md`): per published entry
//! its title, date, year, kind label, partner and topic names, location, summary, reference
//! number and URL, no bodies; and once, the other names of the registered partners entries
//! name (their ids and aliases), so that a search for any of them finds every entry naming the
//! partner. The default theme's `search.js` reads it. Pure: content in, bytes out.
//!
//! Why two files: browsers refuse `fetch` of a `file://` URL, but they run a `<script src>`
//! from one, so the search page loads `search-index.js` (which assigns the index to
//! `window.gazetteSearchIndex`) and works from a copy of the site on disk as well as from any
//! static host, without putting megabytes of index into the page itself. `search-index.json`
//! is the same data for other programs (and for themes that prefer `fetch`).

use std::collections::BTreeMap;
use std::sync::Arc;

use ahash::HashSet;
use serde::Serialize;

use crate::content::Content;
use crate::model::Entry;

use super::{OutputFile, Stream};

/// The output path of the index.
pub const PATH: &str = "search-index.json";

/// The output path of the index as a script.
pub const SCRIPT_PATH: &str = "search-index.js";

/// The global variable `search-index.js` assigns.
pub const GLOBAL: &str = "gazetteSearchIndex";

/// The version of the format, bumped when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

/// `/search-index.json` and `/search-index.js`, each made as it is written ([`Stream`]).
pub fn files(content: &Content) -> Vec<OutputFile> {
    let entries: Arc<[Arc<Entry>]> = content.entries.iter().cloned().collect();
    let stream = |start: String, script: bool, end: &'static str| {
        let entries = entries.clone();
        Stream::new(move |write| {
            write(start.as_bytes())?;
            super::data::in_chunks(&entries, write, &|i, entry, out| {
                if i > 0 {
                    out.push(',');
                }
                let json = row_json(entry);
                if script {
                    out.push_str(&super::structured::escape_for_script(&json));
                } else {
                    out.push_str(&json);
                }
            })?;
            write(end.as_bytes())
        })
    };
    let head = head(content);
    vec![
        OutputFile::streamed(PATH, stream(head.clone(), false, "]}")),
        OutputFile::streamed(SCRIPT_PATH, stream(script_head(&head), true, "]};\n")),
    ]
}

/// What the index starts with, up to its first entry: the version and the other names of
/// partners.
fn head(content: &Content) -> String {
    // Serialising a map of strings into a String cannot fail.
    let partners = serde_json::to_string(&other_names(content)).expect("JSON of plain data");
    format!("{{\"version\":{VERSION},\"partners\":{partners},\"entries\":[")
}

/// The script's start: the assignment, and `head` escaped as the rows are (partners' names
/// come from the site's files).
fn script_head(head: &str) -> String {
    format!(
        "window.{GLOBAL} = {}",
        super::structured::escape_for_script(head)
    )
}

/// For each registered partner that an entry names, by the name entries give it: its id and
/// aliases (what else a reader may type for it), where it has any besides its name.
fn other_names(content: &Content) -> BTreeMap<&str, Vec<&str>> {
    let named: HashSet<&str> = (content.entries.iter())
        .flat_map(|e| e.partners.iter().map(|p| p.id.as_str()))
        .collect();
    (content.partners.iter())
        .filter(|p| p.registered && named.contains(p.id.as_str()))
        .filter_map(|p| {
            let mut seen = vec![p.name.to_lowercase()];
            let names: Vec<&str> = std::iter::once(p.id.as_str())
                .chain(p.aliases.iter().map(String::as_str))
                .filter(|n| {
                    let lower = n.to_lowercase();
                    let new = !seen.contains(&lower);
                    seen.push(lower);
                    new
                })
                .collect();
            (!names.is_empty()).then_some((p.name.as_str(), names))
        })
        .collect()
}

/// What the index holds of one entry, as JSON and as it stands in the script. Written once per
/// entry (and kept by `serve` until the entry changes); the files are the rows put together.
#[derive(Debug, Clone)]
pub struct Row {
    json: String,
    script: String,
}

impl Row {
    pub fn new(entry: &Entry) -> Row {
        let json = row_json(entry);
        // The escape works character by character, so rows escaped one by one make the
        // escaped whole.
        let script = super::structured::escape_for_script(&json);
        Row { json, script }
    }
}

/// One entry's item as compact JSON.
fn row_json(entry: &Entry) -> String {
    // Serialising plain structs of strings and numbers into a String cannot fail.
    serde_json::to_string(&item(entry)).expect("JSON of plain data")
}

/// [`files`] from every entry's row kept from an earlier render (by `serve`), newest first;
/// `row` picks an entry's [`Row`] out of what was kept. Compact JSON, the same as `serde_json`
/// writes the whole `Index`. Each file is a [`Stream`] that puts the rows together only when
/// it is wanted, as [`super::data::render_kept_rows`] does.
pub fn files_from_kept_rows<R: Send + Sync + 'static>(
    content: &Content,
    rows: Arc<[R]>,
    row: fn(&R) -> &Row,
) -> Vec<OutputFile> {
    let head = head(content);
    let kept = super::data::kept_identity(&rows, row);
    let join = |start: String, part: fn(&Row) -> &str, end: &'static str| {
        let size =
            start.len() + rows.iter().map(|r| part(row(r)).len() + 1).sum::<usize>() + end.len();
        let identity = crate::digest::of((&start, end, kept));
        let rows = rows.clone();
        Stream::new(move |write| {
            write(start.as_bytes())?;
            for (i, r) in rows.iter().enumerate() {
                if i > 0 {
                    write(b",")?;
                }
                write(part(row(r)).as_bytes())?;
            }
            write(end.as_bytes())
        })
        .with_size(size)
        .with_identity(identity)
    };
    let json = join(head.clone(), |row| &row.json, "]}");
    let script = join(script_head(&head), |row| &row.script, "]};\n");
    vec![
        OutputFile::streamed(PATH, json),
        OutputFile::streamed(SCRIPT_PATH, script),
    ]
}

/// The index as compact JSON in one piece, entries newest first.
#[cfg(test)]
fn json(content: &Content) -> String {
    let index = Index {
        version: VERSION,
        partners: other_names(content),
        entries: content.entries.iter().map(|e| item(e)).collect(),
    };
    // Serialising plain structs of strings and numbers into a String cannot fail.
    serde_json::to_string(&index).expect("JSON of plain data")
}

#[cfg(test)]
#[derive(Serialize)]
struct Index<'a> {
    version: u32,
    partners: BTreeMap<&'a str, Vec<&'a str>>,
    entries: Vec<Item<'a>>,
}

/// One entry in the index.
#[derive(Serialize)]
struct Item<'a> {
    title: &'a str,
    /// Local date, `2022-05-24`.
    date: &'a str,
    year: i16,
    /// The kind's label, `Engagement`.
    kind: &'a str,
    partners: Vec<&'a str>,
    topics: Vec<&'a str>,
    location: Option<&'a str>,
    summary: &'a str,
    /// The release's own reference number, if it has one.
    reference: Option<&'a str>,
    /// Site-relative URL of the entry's page.
    url: &'a str,
}

fn item(entry: &Entry) -> Item<'_> {
    Item {
        title: &entry.title,
        date: &entry.date.date,
        year: entry.date.year,
        kind: &entry.kind_label,
        partners: entry.partners.iter().map(|p| p.name.as_str()).collect(),
        topics: entry.topics.iter().map(|t| t.name.as_str()).collect(),
        location: entry.location.as_deref(),
        summary: &entry.summary,
        reference: entry.reference.as_deref(),
        url: &entry.url,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::feeds::tests::{config, content, entry};

    fn text(files: &[OutputFile], path: &str) -> String {
        let file = files.iter().find(|f| f.path == path).unwrap();
        let bytes = file.contents.generated().expect("a generated file");
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn files_put_together_from_rows_are_the_index_written_whole() {
        let config = config("https://example.org/");
        let mut tricky = entry(&config, 3, "2024-03-01", &["A <b>&</b>"], &["x\u{2028}y"]);
        tricky.title = "</script><script>alert(1)</script>".into();
        tricky.reference = Some("MFA 0415/2565".into());
        let mut aliased = content(vec![
            entry(&config, 1, "2024-01-01", &["One"], &[]),
            entry(&config, 2, "2024-02-01", &["One", "Two"], &["t"]),
            tricky,
        ]);
        aliased.partners[0].aliases = vec!["First </script>".into(), "ONE".into()];
        let sites = [content(Vec::new()), aliased];
        for content in &sites {
            let files = files(content);
            let whole = json(content);
            assert_eq!(text(&files, PATH), whole);
            let rows: Arc<[Row]> = content.entries.iter().map(|e| Row::new(e)).collect();
            let kept = files_from_kept_rows(content, rows, |r| r);
            assert_eq!(text(&kept, PATH), whole);
            assert_eq!(text(&kept, SCRIPT_PATH), text(&files, SCRIPT_PATH));
            let script = format!(
                "window.{GLOBAL} = {};\n",
                crate::render::structured::escape_for_script(&whole)
            );
            assert_eq!(text(&files, SCRIPT_PATH), script);
            assert!(!text(&files, SCRIPT_PATH).contains("</script"));
        }
    }

    #[test]
    fn partners_other_names_and_reference_numbers_are_in_the_index() {
        let config = config("https://example.org/");
        let mut first = entry(&config, 1, "2024-01-01", &["One", "Two"], &[]);
        first.reference = Some("MFA 0415/2565".into());
        let mut content = content(vec![first, entry(&config, 2, "2024-02-01", &["Two"], &[])]);
        // Its aliases (and id), but those that differ from the name only in case (here the
        // id, `One`, and `one`); an unregistered partner has no other names.
        let at = |id: &str| content.partners.iter().position(|p| p.id == id).unwrap();
        let (one, two) = (at("One"), at("Two"));
        content.partners[one].aliases = vec!["First one".into(), "one".into()];
        content.partners[two].registered = false;
        content.partners[two].aliases = vec!["Deux".into()];
        let index: serde_json::Value = serde_json::from_str(&json(&content)).unwrap();
        assert_eq!(
            index["partners"],
            serde_json::json!({ "ONE": ["First one"] })
        );
        let entries = index["entries"].as_array().unwrap();
        let reference: Vec<&serde_json::Value> = entries.iter().map(|e| &e["reference"]).collect();
        assert_eq!(
            reference,
            [
                &serde_json::Value::Null,
                &serde_json::json!("MFA 0415/2565")
            ]
        );
    }
}
