//! The search index: the sharded index that the search page queries (`search/index/`), and
//! `/search-index.json`, the whole index in one file for other programs.
//!
//! Owns both formats (documented for readers in `docs/search.md`). Per published entry, in
//! the order of the timeline (newest first, an entry's number being its position):
//! - its terms ([`text`]: titles, bodies, partners with every name, topics, places and
//!   reference numbers; Thai cut into words) and filter terms (`:p:iom`, `:y:2022`), in
//!   shards a query fetches one per word ([`shards`]);
//! - its display data and text, in `search/index/d/<number / DOCS_PER_FILE>.js` with those
//!   of the entries numbered beside it, fetched for the results shown.
//!
//! Plus a small manifest (`search/index/manifest.js`) with the counts and the facets
//! (partners, topics, kinds, years, languages). Every file is a script calling a function of
//! `window.gazetteSearch`, so that the page works from any static host and from a copy of the
//! site opened from disk (`file://`, where `fetch` does not). Pure: content in, bytes out.

mod shards;
pub mod text;

use std::collections::BTreeMap;
use std::sync::{Arc, OnceLock};

use ahash::{HashMap, HashSet};
use rayon::prelude::*;
use serde::Serialize;

use crate::content::Content;
use crate::model::Entry;

use super::{OutputFile, Stream};

/// The output path of the whole index in one file.
pub const PATH: &str = "search-index.json";

/// The folder of the sharded index.
pub const FOLDER: &str = "search/index/";

/// The version of the formats, bumped when a field changes meaning or goes away.
pub const VERSION: u32 = 3;

/// How much of an entry's text its display data keeps, for the snippets of results: bytes,
/// cut at a character.
const TEXT_MAX: usize = 1500;

/// How many documents' display data one display file holds (documents `n * DOCS_PER_FILE`
/// on). Fewer, larger files cost a build and every `serve` rebuild less; a query loads a
/// file per result shown, so each must stay small.
pub const DOCS_PER_FILE: usize = 4;

/// `/search-index.json` and the sharded index, for a build: terms gathered on every core,
/// each file made as it is written ([`Stream`]).
pub fn files(content: &Content) -> Vec<OutputFile> {
    let entries: Arc<[Arc<Entry>]> = content.entries.iter().cloned().collect();
    let json = {
        let entries = entries.clone();
        let head = head(content);
        Stream::new(move |write| {
            write(head.as_bytes())?;
            super::data::in_chunks(&entries, write, &|i, entry, out| {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&row_json(entry));
            })?;
            write(b"]}")
        })
    };
    let shards = gather(&entries).finish(&other_names_terms(content), true);
    let mut files = vec![OutputFile::streamed(PATH, json), manifest(content)];
    files.extend(shards.into_iter().enumerate().map(|(n, bytes)| OutputFile {
        path: shard_path(n),
        contents: super::Contents::Bytes(bytes),
    }));
    files.extend((0..entries.len().div_ceil(DOCS_PER_FILE)).map(|n| {
        let entries = entries.clone();
        doc_file(
            n,
            Stream::new(move |write| {
                let docs = docs_of(&entries, n).iter().map(|e| doc_json(e));
                write(doc_js(n, docs).as_bytes())
            }),
        )
    }));
    files
}

/// The items of display file `n`'s documents.
fn docs_of<T>(items: &[T], n: usize) -> &[T] {
    let start = n * DOCS_PER_FILE;
    &items[start..(start + DOCS_PER_FILE).min(items.len())]
}

/// Every entry's terms gathered into postings: a batch of entries' terms at a time made on
/// every core, while the batch before is added, so that only two batches' terms are held.
fn gather(entries: &[Arc<Entry>]) -> shards::Gather {
    const BATCH: usize = 1024;
    let extract = |batch: &[Arc<Entry>]| -> Vec<shards::Terms> {
        batch.par_iter().map(|e| terms(e)).collect()
    };
    let mut gather = shards::Gather::default();
    let mut batches = entries.chunks(BATCH);
    let mut next = batches.next().map(extract);
    while let Some(batch) = next {
        let ((), following) = rayon::join(
            || batch.iter().for_each(|terms| gather.add(terms)),
            || batches.next().map(extract),
        );
        next = following;
    }
    gather
}

/// The output path of shard `n`.
fn shard_path(n: usize) -> String {
    format!("{FOLDER}s/{n}.js")
}

/// Display file `n`, of the documents numbered `n * DOCS_PER_FILE` on.
fn doc_file(n: usize, stream: Stream) -> OutputFile {
    OutputFile::streamed(&format!("{FOLDER}d/{n}.js"), stream)
}

/// Display file `n`'s body: `gazetteSearch.docs(<n>,[<JSON>,…]);`.
fn doc_js<S: AsRef<str>>(n: usize, docs: impl Iterator<Item = S>) -> String {
    let mut js = format!("gazetteSearch.docs({n},[");
    for (i, doc) in docs.enumerate() {
        if i > 0 {
            js.push(',');
        }
        js.push_str(doc.as_ref());
    }
    js.push_str("]);\n");
    js
}

/// What the index starts with, up to its first entry: the version and the other names of
/// partners.
fn head(content: &Content) -> String {
    // Serialising a map of strings into a String cannot fail.
    let partners = serde_json::to_string(&other_names(content)).expect("JSON of plain data");
    format!("{{\"version\":1,\"partners\":{partners},\"entries\":[")
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

/// What the index holds of one entry: its item of `/search-index.json`, its terms and its
/// display file. Made once per entry and kept by `serve` until the entry changes; the files
/// are the rows put together ([`files_from_kept_rows`]).
#[derive(Debug, Clone)]
pub struct Row {
    json: String,
    terms: shards::Terms,
    doc: String,
    /// A digest of all of it.
    digest: u64,
}

impl Row {
    pub fn new(entry: &Entry) -> Row {
        let json = row_json(entry);
        let doc = doc_json(entry);
        let terms = terms(entry);
        let digest = crate::digest::of((&json, &doc, &terms));
        Row {
            json,
            terms,
            doc,
            digest,
        }
    }
}

/// One entry's item as compact JSON.
fn row_json(entry: &Entry) -> String {
    // Serialising plain structs of strings and numbers into a String cannot fail.
    serde_json::to_string(&item(entry)).expect("JSON of plain data")
}

/// [`files`] from every entry's row kept from an earlier render (by `serve`), newest first;
/// `row` picks an entry's [`Row`] out of what was kept. Every file is a [`Stream`] with an
/// identity, made only when it is wanted: a save that changes one entry's words changes the
/// identity of the shards its words are in and of its display file only. The shards are
/// gathered again from the rows' terms, once, by the first of them to be made (without
/// rayon: see `serve::snapshot::Lazy`).
pub fn files_from_kept_rows<R: Send + Sync + 'static>(
    content: &Content,
    rows: Arc<[R]>,
    row: fn(&R) -> &Row,
) -> Vec<OutputFile> {
    let head = head(content);
    let kept = super::data::kept_identity(&rows, row);
    let size = head.len() + rows.iter().map(|r| row(r).json.len() + 1).sum::<usize>() + 2;
    let identity = crate::digest::of((&head, kept));
    let json = {
        let rows = rows.clone();
        Stream::new(move |write| {
            write(head.as_bytes())?;
            for (i, r) in rows.iter().enumerate() {
                if i > 0 {
                    write(b",")?;
                }
                write(row(r).json.as_bytes())?;
            }
            write(b"]}")
        })
        .with_size(size)
        .with_identity(identity)
    };
    let others = Arc::new(other_names_terms(content));
    let site = crate::digest::of(
        others
            .iter()
            .map(|o| (&o.filter, &o.words))
            .collect::<Vec<_>>(),
    );
    let digests: Vec<(&shards::Terms, u64)> = rows
        .iter()
        .map(|r| (&row(r).terms, row(r).digest))
        .collect();
    let identities = shards::identities(&digests, site);
    drop(digests);
    let made: Arc<OnceLock<Vec<bytes::Bytes>>> = Arc::default();
    let mut files = vec![OutputFile::streamed(PATH, json), manifest(content)];
    files.extend(identities.iter().enumerate().map(|(n, &identity)| {
        let (rows, made, others) = (rows.clone(), made.clone(), others.clone());
        let stream = Stream::new(move |write| {
            let shards = made.get_or_init(|| {
                let terms: Vec<&shards::Terms> = rows.iter().map(|r| &row(r).terms).collect();
                shards::build(&terms, &others, false)
            });
            write(&shards[n])
        });
        OutputFile::streamed(&shard_path(n), stream.with_identity(identity))
    }));
    files.extend((0..rows.len().div_ceil(DOCS_PER_FILE)).map(|n| {
        let digests = docs_of(&rows, n).iter().map(|r| row(r).digest);
        let identity = crate::digest::of_all(std::iter::once(n as u64).chain(digests));
        let rows = rows.clone();
        let stream = Stream::new(move |write| {
            let docs = docs_of(&rows, n).iter().map(|r| row(r).doc.as_str());
            write(doc_js(n, docs).as_bytes())
        });
        doc_file(n, stream.with_identity(identity))
    }));
    files
}

/// An entry's terms: the words of its title, partners' names, topics, place, reference
/// number, summary and body, each with the fields it is in, and its filter terms.
fn terms(entry: &Entry) -> shards::Terms {
    let mut found: HashMap<String, u8> = HashMap::default();
    let mut add = |text: &str, flags: u8| {
        text::each_term(text, |term| match found.get_mut(term) {
            Some(f) => *f |= flags,
            None => {
                found.insert(term.to_string(), flags);
            }
        });
    };
    add(&entry.title, shards::TITLE);
    for partner in &entry.partners {
        add(&partner.name, shards::NAME);
    }
    for topic in &entry.topics {
        add(&topic.name, shards::NAME);
    }
    if let Some(reference) = &entry.reference {
        add(reference, shards::NAME);
    }
    if let Some(location) = &entry.location {
        add(location, shards::PLACE);
    }
    add(&entry.summary, shards::SUMMARY);
    add(&text::plain(&entry.body_html, usize::MAX), 0);
    for partner in &entry.partners {
        found.insert(format!(":p:{}", partner.id), 0);
    }
    for topic in &entry.topics {
        found.insert(format!(":t:{}", topic.slug), 0);
    }
    found.insert(format!(":k:{}", entry.kind), 0);
    found.insert(format!(":y:{}", entry.date.year), 0);
    found.insert(format!(":l:{}", entry.language), 0);
    shards::Terms::new(found)
}

/// For each registered partner that an entry names, the words of its id and aliases, which
/// find its entries as its name does.
fn other_names_terms(content: &Content) -> Vec<shards::OtherNames> {
    let by_name: HashMap<&str, &crate::model::Partner> = content
        .partners
        .iter()
        .map(|p| (p.name.as_str(), p))
        .collect();
    other_names(content)
        .into_iter()
        .filter_map(|(name, names)| {
            let partner = by_name.get(name)?;
            let mut words: Vec<String> = Vec::new();
            for other in names {
                text::each_term(other, |w| words.push(w.to_string()));
            }
            words.sort_unstable();
            words.dedup();
            Some(shards::OtherNames {
                filter: format!(":p:{}", partner.id),
                words,
            })
        })
        .collect()
}

/// An entry's display data, as JSON escaped for a script: what a result shows, and the start
/// of its text for the snippet.
fn doc_json(entry: &Entry) -> String {
    let mut text = text::plain(&entry.body_html, TEXT_MAX);
    if text.len() > TEXT_MAX {
        let mut end = TEXT_MAX;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        text.truncate(end);
    }
    let doc = Doc {
        title: &entry.title,
        url: &entry.url,
        date: &entry.date.date,
        kind: &entry.kind_label,
        partners: entry.partners.iter().map(|p| p.name.as_str()).collect(),
        location: entry.location.as_deref(),
        reference: entry.reference.as_deref(),
        summary: &entry.summary,
        language: &entry.language,
        text: &text,
    };
    // Serialising a plain struct of strings into a String cannot fail.
    let json = serde_json::to_string(&doc).expect("JSON of plain data");
    super::structured::escape_for_script(&json)
}

/// An entry's display file.
#[derive(Serialize)]
struct Doc<'a> {
    #[serde(rename = "t")]
    title: &'a str,
    #[serde(rename = "u")]
    url: &'a str,
    #[serde(rename = "d")]
    date: &'a str,
    #[serde(rename = "k")]
    kind: &'a str,
    #[serde(rename = "p")]
    partners: Vec<&'a str>,
    #[serde(rename = "l", skip_serializing_if = "Option::is_none")]
    location: Option<&'a str>,
    #[serde(rename = "r", skip_serializing_if = "Option::is_none")]
    reference: Option<&'a str>,
    #[serde(rename = "s")]
    summary: &'a str,
    #[serde(rename = "g")]
    language: &'a str,
    #[serde(rename = "x")]
    text: &'a str,
}

/// `search/index/manifest.js`: the version, the number of documents and of shards, and the
/// facets with their counts, each `[value, label, count]`.
fn manifest(content: &Content) -> OutputFile {
    let mut partners: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    let mut topics: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    let mut kinds: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    let mut years: BTreeMap<i16, usize> = BTreeMap::new();
    let mut languages: BTreeMap<&str, usize> = BTreeMap::new();
    for entry in &content.entries {
        for p in &entry.partners {
            partners.entry(&p.id).or_insert((&p.name, 0)).1 += 1;
        }
        for t in &entry.topics {
            topics.entry(&t.slug).or_insert((&t.name, 0)).1 += 1;
        }
        kinds.entry(&entry.kind).or_insert((&entry.kind_label, 0)).1 += 1;
        *years.entry(entry.date.year).or_default() += 1;
        *languages.entry(&entry.language).or_default() += 1;
    }
    let facet = |map: BTreeMap<&str, (&str, usize)>| {
        let mut list: Vec<(String, String, usize)> = (map.into_iter())
            .map(|(id, (label, n))| (id.to_string(), label.to_string(), n))
            .collect();
        list.sort_by_cached_key(|(id, label, _)| (label.to_lowercase(), id.clone()));
        list
    };
    let manifest = Manifest {
        version: VERSION,
        docs: content.entries.len(),
        shards: shards::count(content.entries.len()),
        per_file: DOCS_PER_FILE,
        partners: facet(partners),
        topics: facet(topics),
        kinds: facet(kinds),
        years: (years.into_iter().rev())
            .map(|(y, n)| (y.to_string(), y.to_string(), n))
            .collect(),
        languages: (languages.into_iter())
            .map(|(l, n)| (l.to_string(), l.to_string(), n))
            .collect(),
    };
    // Serialising plain data into a String cannot fail.
    let json = serde_json::to_string(&manifest).expect("JSON of plain data");
    let js = format!(
        "gazetteSearch.manifest({});\n",
        super::structured::escape_for_script(&json)
    );
    OutputFile {
        path: format!("{FOLDER}manifest.js"),
        contents: super::Contents::Bytes(js.into()),
    }
}

#[derive(Serialize)]
struct Manifest {
    version: u32,
    docs: usize,
    shards: usize,
    #[serde(rename = "perFile")]
    per_file: usize,
    partners: Vec<(String, String, usize)>,
    topics: Vec<(String, String, usize)>,
    kinds: Vec<(String, String, usize)>,
    years: Vec<(String, String, usize)>,
    languages: Vec<(String, String, usize)>,
}

/// The index as compact JSON in one piece, entries newest first.
#[cfg(test)]
fn json(content: &Content) -> String {
    let index = Index {
        version: 1,
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
            let paths = |files: &[OutputFile]| -> Vec<String> {
                files.iter().map(|f| f.path.clone()).collect()
            };
            assert_eq!(paths(&kept), paths(&files));
            for file in &files {
                assert_eq!(
                    text(&kept, &file.path),
                    text(&files, &file.path),
                    "{}",
                    file.path
                );
                if file.path.ends_with(".js") {
                    assert!(!text(&files, &file.path).contains("</script"));
                }
            }
        }
    }

    /// Each file's path and its stream's identity.
    fn identities(files: &[OutputFile]) -> Vec<(String, Option<u64>)> {
        (files.iter())
            .map(|f| match &f.contents {
                super::super::Contents::Stream(s) => (f.path.clone(), s.identity()),
                _ => (f.path.clone(), None),
            })
            .collect()
    }

    #[test]
    fn a_changed_entry_changes_its_display_file_and_the_shards_of_its_words_only() {
        let config = config("https://example.org/");
        let entries: Vec<Entry> = (1..=3200)
            .map(|n| {
                entry(
                    &config,
                    n,
                    &format!("2024-01-01T{:02}:00:00", n % 24),
                    &["p"],
                    &[],
                )
            })
            .collect();
        let before = content(entries.clone());
        let rows: Vec<Arc<Row>> = before
            .entries
            .iter()
            .map(|e| Arc::new(Row::new(e)))
            .collect();
        let old = identities(&files_from_kept_rows(&before, rows.clone().into(), |r| r));
        let mut edited = entries;
        edited[6].body_html = "<p>Body 7 zebra.</p>".into();
        let after = content(edited);
        let at = after
            .entries
            .iter()
            .position(|e| e.body_html.contains("zebra"))
            .unwrap();
        let mut new_rows = rows.clone();
        new_rows[at] = Arc::new(Row::new(&after.entries[at]));
        let kept = files_from_kept_rows(&after, new_rows.into(), |r| r);
        let changed: Vec<String> = (identities(&kept).into_iter().zip(old))
            .filter(|(new, old)| new != old)
            .map(|(new, _)| new.0)
            .collect();
        // The whole index, its display file, and the shards its words, old and new, are in
        // ("zebra" among them); none of the others.
        let shards = shards::count(3200);
        let mut touched: Vec<usize> = (rows[at].terms.keys().iter())
            .chain(Row::new(&after.entries[at]).terms.keys())
            .map(|k| *k as usize % shards)
            .collect();
        touched.sort_unstable();
        touched.dedup();
        assert!(touched.len() < shards / 3, "{touched:?}");
        let zebra = shards::key_hash("zebra") as usize % shards;
        assert!(touched.contains(&zebra));
        let mut expected = vec![PATH.to_string()];
        expected.extend(touched.into_iter().map(shard_path));
        expected.push(format!("{FOLDER}d/{}.js", at / DOCS_PER_FILE));
        assert_eq!(changed, expected);
        // And what the changed files hold is what a build writes.
        let built = files(&after);
        for path in &changed {
            assert_eq!(text(&kept, path), text(&built, path), "{path}");
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
