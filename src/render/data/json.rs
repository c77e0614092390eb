//! `data/entries.json`: a head describing the site, then one object per entry.

use serde::Serialize;

use super::{SCHEMA_VERSION, moment};
use crate::config::Config;
use crate::model::Entry;

/// An entry's object in `entries.json`, indented as it stands in the file.
pub(super) fn json_row(config: &Config, entry: &Entry) -> String {
    // Serialising plain structs of strings into a String cannot fail.
    let record =
        serde_json::to_string_pretty(&Record::new(config, entry)).expect("JSON of plain data");
    let mut json = String::with_capacity(record.len() + record.len() / 8);
    for (n, line) in record.lines().enumerate() {
        if n > 0 {
            json.push('\n');
        }
        // Two levels deep in the document: the list of entries inside the top object.
        json.push_str("    ");
        json.push_str(line);
    }
    json
}

/// What `entries.json` ends with, after its entries.
pub(super) fn json_tail(count: usize) -> &'static str {
    if count == 0 { "]\n}\n" } else { "\n  ]\n}\n" }
}

/// [`Document`] without its entries.
#[derive(Serialize)]
pub(super) struct Head<'a> {
    version: u32,
    site: SiteInfo<'a>,
    count: usize,
}

#[cfg(test)]
#[derive(Serialize)]
pub(super) struct Document<'a> {
    version: u32,
    site: SiteInfo<'a>,
    count: usize,
    entries: Vec<Record<'a>>,
}

#[derive(Serialize)]
pub(super) struct SiteInfo<'a> {
    title: &'a str,
    description: &'a str,
    url: &'a str,
    language: &'a str,
    timezone: &'a str,
}

#[derive(Serialize)]
pub(super) struct Record<'a> {
    url: String,
    path: &'a str,
    slug: &'a str,
    title: &'a str,
    kind: &'a str,
    kind_label: &'a str,
    date: &'a str,
    datetime: Option<&'a str>,
    location: Option<&'a str>,
    summary: &'a str,
    partners: Vec<PartnerRecord<'a>>,
    topics: Vec<TopicRecord<'a>>,
    source: Option<SourceRecord<'a>>,
    reference: Option<&'a str>,
    updates: Vec<UpdateRecord<'a>>,
    updated: &'a str,
    status: &'static str,
    withdrawn: Option<WithdrawnRecord<'a>>,
    attachments: Vec<AttachmentRecord<'a>>,
    language: &'a str,
    aliases: Vec<String>,
}

#[derive(Serialize)]
pub(super) struct PartnerRecord<'a> {
    id: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
pub(super) struct TopicRecord<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
}

#[derive(Serialize)]
pub(super) struct SourceRecord<'a> {
    name: &'a str,
    url: Option<&'a str>,
    published: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct UpdateRecord<'a> {
    date: &'a str,
    note: &'a str,
    minor: bool,
}

#[derive(Serialize)]
pub(super) struct AttachmentRecord<'a> {
    title: &'a str,
    url: String,
    kind: Option<crate::attachments::Kind>,
    bytes: Option<u64>,
    pages: Option<u32>,
}

#[derive(Serialize)]
pub(super) struct WithdrawnRecord<'a> {
    date: &'a str,
    reason: &'a str,
}

impl<'a> Record<'a> {
    fn new(config: &Config, entry: &'a Entry) -> Self {
        Record {
            url: config.absolute_url(&entry.url),
            path: &entry.url,
            slug: &entry.slug,
            title: &entry.title,
            kind: &entry.kind,
            kind_label: &entry.kind_label,
            date: &entry.date.date,
            datetime: entry.date.has_time.then_some(entry.date.datetime.as_str()),
            location: entry.location.as_deref(),
            summary: &entry.summary,
            partners: entry
                .partners
                .iter()
                .map(|p| PartnerRecord {
                    id: &p.id,
                    name: &p.name,
                    url: config.absolute_url(&p.url),
                })
                .collect(),
            topics: entry
                .topics
                .iter()
                .map(|t| TopicRecord {
                    slug: &t.slug,
                    name: &t.name,
                    url: config.absolute_url(&t.url),
                })
                .collect(),
            source: entry.source.as_ref().map(|s| SourceRecord {
                name: &s.name,
                url: s.url.as_deref(),
                published: s.published.as_ref().map(moment),
            }),
            reference: entry.reference.as_deref(),
            updates: entry
                .updates
                .iter()
                .map(|u| UpdateRecord {
                    date: moment(&u.date),
                    note: &u.note,
                    minor: u.minor,
                })
                .collect(),
            updated: moment(&entry.updated),
            status: super::status(entry),
            withdrawn: entry.withdrawn.as_ref().map(|w| WithdrawnRecord {
                date: moment(&w.date),
                reason: &w.reason,
            }),
            attachments: entry
                .attachments
                .iter()
                .map(|a| AttachmentRecord {
                    title: &a.title,
                    url: config.absolute_url(&a.url),
                    kind: a.document.as_ref().map(|d| d.kind),
                    bytes: a.document.as_ref().map(|d| d.bytes),
                    pages: a.document.as_ref().and_then(|d| d.pages),
                })
                .collect(),
            language: &entry.language,
            aliases: entry
                .aliases
                .iter()
                .map(|a| config.absolute_url(a))
                .collect(),
        }
    }
}

/// The top of `data/entries.json`, up to the opening bracket of the list of entries, as
/// `serde_json`'s pretty printer writes the whole document (a test checks that it does).
pub(super) fn json_head(config: &Config, count: usize) -> String {
    let head = Head {
        version: SCHEMA_VERSION,
        site: site_info(config),
        count,
    };
    // Serialising plain structs of strings into a String cannot fail.
    let text = serde_json::to_string_pretty(&head).expect("JSON of plain data");
    let open = text.strip_suffix("\n}").unwrap_or(&text);
    format!("{open},\n  \"entries\": [")
}

pub(super) fn site_info(config: &Config) -> SiteInfo<'_> {
    SiteInfo {
        title: &config.title,
        description: &config.description,
        url: &config.base_url,
        language: &config.language,
        timezone: &config.timezone_name,
    }
}

/// `data/entries.json` in one piece: pretty-printed, two-space indents, a final newline.
#[cfg(test)]
pub(super) fn json(config: &Config, content: &crate::content::Content) -> String {
    let document = Document {
        version: SCHEMA_VERSION,
        site: site_info(config),
        count: content.entries.len(),
        entries: content
            .entries
            .iter()
            .map(|e| Record::new(config, e))
            .collect(),
    };
    // Serialising plain structs of strings into a String cannot fail.
    let mut text = serde_json::to_string_pretty(&document).expect("JSON of plain data");
    text.push('\n');
    text
}
