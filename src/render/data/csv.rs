//! `data/entries.csv`: one record per entry, its columns named and made in [`COLUMNS`].

use super::{LIST_SEPARATOR, moment};
use crate::config::Config;
use crate::model::Entry;

/// The first record of `entries.csv`: the column names.
pub(super) fn csv_header() -> String {
    let mut csv = String::new();
    csv_record(&mut csv, COLUMNS.iter().map(|(name, _)| *name));
    csv
}

/// An entry's record in `entries.csv`, CRLF included.
pub(super) fn csv_row(config: &Config, entry: &Entry) -> String {
    let fields: Vec<String> = COLUMNS
        .iter()
        .map(|(_, value)| value(config, entry))
        .collect();
    let mut csv = String::new();
    csv_record(&mut csv, fields.iter().map(String::as_str));
    csv
}

/// The names of the CSV's columns, in order, for the open data page.
pub fn column_names() -> Vec<&'static str> {
    COLUMNS.iter().map(|(name, _)| *name).collect()
}

/// A CSV column: its header and how an entry fills it.
pub(super) type Column = (&'static str, fn(&Config, &Entry) -> String);

/// The columns of `data/entries.csv`, in order. `docs/data.md` lists the same.
pub(super) const COLUMNS: &[Column] = &[
    ("url", |c, e| c.absolute_url(&e.url)),
    ("path", |_, e| e.url.clone()),
    ("slug", |_, e| e.slug.clone()),
    ("title", |_, e| e.title.clone()),
    ("kind", |_, e| e.kind.clone()),
    ("kind_label", |_, e| e.kind_label.clone()),
    ("date", |_, e| e.date.date.clone()),
    ("datetime", |_, e| {
        if e.date.has_time {
            e.date.datetime.clone()
        } else {
            String::new()
        }
    }),
    ("location", |_, e| e.location.clone().unwrap_or_default()),
    ("summary", |_, e| e.summary.clone()),
    ("partner_ids", |_, e| {
        join(e.partners.iter().map(|p| p.id.as_str()))
    }),
    ("partners", |_, e| {
        join(e.partners.iter().map(|p| p.name.as_str()))
    }),
    ("topic_slugs", |_, e| {
        join(e.topics.iter().map(|t| t.slug.as_str()))
    }),
    ("topics", |_, e| {
        join(e.topics.iter().map(|t| t.name.as_str()))
    }),
    ("source_name", |_, e| {
        e.source
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }),
    ("source_url", |_, e| {
        e.source
            .as_ref()
            .and_then(|s| s.url.clone())
            .unwrap_or_default()
    }),
    ("source_published", |_, e| {
        e.source
            .as_ref()
            .and_then(|s| s.published.as_ref())
            .map(|w| moment(w).to_string())
            .unwrap_or_default()
    }),
    ("reference", |_, e| e.reference.clone().unwrap_or_default()),
    ("updated", |_, e| moment(&e.updated).to_string()),
    ("updates", |_, e| {
        let updates: Vec<String> = e
            .updates
            .iter()
            .map(|u| {
                let minor = if u.minor { " (minor)" } else { "" };
                format!("{}{minor}: {}", moment(&u.date), u.note)
            })
            .collect();
        updates.join(LIST_SEPARATOR)
    }),
    ("language", |_, e| e.language.clone()),
    ("status", |_, e| super::status(e).to_string()),
    ("withdrawn", |_, e| {
        (e.withdrawn.as_ref())
            .map(|w| moment(&w.date).to_string())
            .unwrap_or_default()
    }),
    ("withdrawn_reason", |_, e| {
        (e.withdrawn.as_ref())
            .map(|w| w.reason.clone())
            .unwrap_or_default()
    }),
    ("attachments", |config, e| {
        let urls: Vec<String> = (e.attachments.iter())
            .map(|a| config.absolute_url(&a.url))
            .collect();
        urls.join(LIST_SEPARATOR)
    }),
];

pub(super) fn join<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(LIST_SEPARATOR)
}

/// `data/entries.csv` in one piece: RFC 4180, UTF-8 without a byte-order mark, a header
/// row, CRLF after every record (the last included).
#[cfg(test)]
pub(super) fn csv(config: &Config, content: &crate::content::Content) -> String {
    let mut out = String::new();
    let header: Vec<&str> = COLUMNS.iter().map(|(name, _)| *name).collect();
    csv_record(&mut out, header.iter().copied());
    for entry in &content.entries {
        let fields: Vec<String> = COLUMNS
            .iter()
            .map(|(_, value)| value(config, entry))
            .collect();
        csv_record(&mut out, fields.iter().map(String::as_str));
    }
    out
}

pub(super) fn csv_record<'a>(out: &mut String, fields: impl Iterator<Item = &'a str>) {
    for (i, field) in fields.enumerate() {
        if i > 0 {
            out.push(',');
        }
        csv_field(out, field);
    }
    out.push_str("\r\n");
}

/// A field as RFC 4180 writes it: in double quotes, with quotes doubled, when it holds a
/// quote, a comma, CR or LF; as it is otherwise.
pub(super) fn csv_field(out: &mut String, field: &str) {
    if field.contains(['"', ',', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}
