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

use serde::Serialize;

use crate::config::Config;
use crate::content::Content;
use crate::model::Entry;

use super::{Contents, OutputFile};

/// The output path of the index.
pub const PATH: &str = "search-index.json";

/// The output path of the index as a script.
pub const SCRIPT_PATH: &str = "search-index.js";

/// The global variable `search-index.js` assigns.
pub const GLOBAL: &str = "gazetteSearchIndex";

/// The version of the format, bumped when a field changes meaning or goes away.
pub const VERSION: u32 = 1;

/// `/search-index.json` and `/search-index.js`.
pub fn files(_config: &Config, content: &Content) -> Vec<OutputFile> {
    let json = json(content);
    let script = format!(
        "window.{GLOBAL} = {};\n",
        super::structured::escape_for_script(&json)
    );
    vec![file(PATH, json), file(SCRIPT_PATH, script)]
}

/// `/search-index.json` alone.
pub fn index(_config: &Config, content: &Content) -> OutputFile {
    file(PATH, json(content))
}

/// The index as compact JSON, entries newest first.
fn json(content: &Content) -> String {
    let index = Index {
        version: VERSION,
        entries: content.entries.iter().map(item).collect(),
    };
    // Serialising plain structs of strings and numbers into a String cannot fail.
    serde_json::to_string(&index).expect("JSON of plain data")
}

fn file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.into_bytes()),
    }
}

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
