//! The search index: `/search-index.json`, and the same data as `/search-index.js` for the
//! search page.
//!
//! Owns the index's format (documented for readers in `docs/search.md`): per published entry
//! its title, date, year, kind label, partner and topic names, location, summary and URL, no
//! bodies. The default theme's `search.js` reads it. Pure: content in, bytes out.
//!
//! Why two files: browsers refuse `fetch` of a `file://` URL, but they run a `<script src>`
//! from one, so the search page loads `search-index.js` (which assigns the index to
//! `window.gazetteSearchIndex`) and works from a copy of the site on disk as well as from any
//! static host, without putting megabytes of index into the page itself. `search-index.json`
//! is the same data for other programs (and for themes that prefer `fetch`).

use std::sync::Arc;

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
    let head = head();
    vec![
        OutputFile::streamed(PATH, stream(head.clone(), false, "]}")),
        OutputFile::streamed(
            SCRIPT_PATH,
            stream(format!("window.{GLOBAL} = {head}"), true, "]};\n"),
        ),
    ]
}

/// What the index starts with, up to its first entry.
fn head() -> String {
    format!("{{\"version\":{VERSION},\"entries\":[")
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
    rows: Arc<[R]>,
    row: fn(&R) -> &Row,
) -> Vec<OutputFile> {
    let head = head();
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
    let script = join(
        format!("window.{GLOBAL} = {head}"),
        |row| &row.script,
        "]};\n",
    );
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
        entries: content.entries.iter().map(|e| item(e)).collect(),
    };
    // Serialising plain structs of strings and numbers into a String cannot fail.
    serde_json::to_string(&index).expect("JSON of plain data")
}

#[cfg(test)]
#[derive(Serialize)]
struct Index<'a> {
    version: u32,
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
        let sites = [
            content(Vec::new()),
            content(vec![
                entry(&config, 1, "2024-01-01", &["One"], &[]),
                entry(&config, 2, "2024-02-01", &["One", "Two"], &["t"]),
                tricky,
            ]),
        ];
        for content in &sites {
            let files = files(content);
            let whole = json(content);
            assert_eq!(text(&files, PATH), whole);
            let script = format!(
                "window.{GLOBAL} = {};\n",
                crate::render::structured::escape_for_script(&whole)
            );
            assert_eq!(text(&files, SCRIPT_PATH), script);
            assert!(!text(&files, SCRIPT_PATH).contains("</script"));
        }
    }
}
