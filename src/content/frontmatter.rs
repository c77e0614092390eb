//! Splitting a Markdown file into front matter and body, and typing the front matter.
//!
//! Every check that needs only the one file happens here: required fields, types, dates,
//! slugs, unknown keys. Problems come back as [`Diagnostic`]s placed at file lines.

use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::unknown_field;
use crate::diagnostic::{self, Diagnostic};
use crate::slug;
use crate::yaml;

/// The front matter fields, in the order of the documentation.
pub const FIELDS: &[&str] = &[
    "title",
    "date",
    "kind",
    "partners",
    "topics",
    "location",
    "summary",
    "source",
    "slug",
    "draft",
    "publish_at",
    "updates",
    "reference",
    "aliases",
    "extra",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    pub title: Spanned<String>,
    pub date: Spanned<String>,
    pub kind: Option<Spanned<String>>,
    #[serde(default)]
    pub partners: Vec<Spanned<String>>,
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    pub location: Option<String>,
    pub summary: Option<String>,
    pub source: Option<RawSource>,
    pub slug: Option<Spanned<String>>,
    #[serde(default)]
    pub draft: bool,
    pub publish_at: Option<Spanned<String>>,
    #[serde(default)]
    pub updates: Vec<RawUpdate>,
    pub reference: Option<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: String,
    pub url: Option<String>,
    pub published: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub date: Spanned<String>,
    pub note: String,
}

/// A file cut in two. `body_line` is the file line where the body starts.
#[derive(Debug)]
pub struct Split<'a> {
    pub yaml: &'a str,
    pub body: &'a str,
    pub body_line: usize,
}

/// Finds the front matter between a first line `---` and the next line `---`.
/// `text` has its BOM removed and line endings normalised to `\n` already.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let Some(first_line) = text.lines().next() else {
        return Err(Diagnostic::error(file, "the file is empty").with_hint(
            "an entry starts with front matter: a line `---`, `title:` and `date:`, then `---`",
        ));
    };
    if first_line.trim_end() != "---" {
        return Err(Diagnostic::error(file, "no front matter")
            .at(text, 1, 1)
            .with_hint(
                "the file must start with a line `---`, then the fields, then a line `---`",
            ));
    }
    let after_open = first_line.len() + 1;
    let mut offset = after_open.min(text.len());
    for (line, raw) in (2..).zip(text[offset..].split_inclusive('\n')) {
        if raw.trim_end() == "---" {
            let yaml = &text[after_open.min(offset)..offset];
            let body = &text[offset + raw.len()..];
            return Ok(Split {
                yaml,
                body,
                body_line: line + 1,
            });
        }
        offset += raw.len();
    }
    Err(Diagnostic::error(file, "the front matter is not closed")
        .at(text, 1, 1)
        .with_hint("end the front matter with a line `---` before the body"))
}

/// Parses the YAML of the front matter. Lines in diagnostics are lines of the whole file.
pub fn parse(file: &Path, text: &str, split: &Split) -> Result<FrontMatter, Diagnostic> {
    if split.yaml.trim().is_empty() {
        return Err(Diagnostic::error(file, "the front matter is empty")
            .at(text, 1, 1)
            .with_hint("add at least `title:` and `date:` between the `---` lines"));
    }
    yaml::parse::<FrontMatter>(split.yaml).map_err(|error| {
        let line = if error.line == 0 { 1 } else { error.line + 1 };
        let mut diagnostic = Diagnostic::error(
            file,
            format!("invalid front matter: {}", error.message),
        )
        .at(text, line, error.column);
        if let Some(field) = unknown_field(&error.message) {
            diagnostic.message = format!("unknown field `{field}` in front matter");
            diagnostic.hint = Some(match diagnostic::suggest(field, FIELDS.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the fields are: {}", FIELDS.join(", ")),
            });
        } else if let Some(key) = duplicate_key(&error.message) {
            diagnostic.message = format!("`{key}` appears twice in the front matter");
            diagnostic.hint = Some("keep one of the two lines".to_string());
        } else if let Some(field) = missing_field(&error.message) {
            let top_level = error.column <= 1;
            diagnostic = match field {
                "title" | "date" if top_level => {
                    Diagnostic::error(file, format!("missing required field `{field}`"))
                        .at(text, 1, 1)
                        .with_hint(if field == "date" {
                            "add a line such as `date: 2022-05-24` to the front matter"
                        } else {
                            "add a line such as `title: Visit to Washington` to the front matter"
                        })
                }
                "name" => Diagnostic::error(file, "`source` is missing its `name`")
                    .at(text, line, error.column)
                    .with_hint(
                        "write where the release was first published, e.g. `name: The Nation` under `source:`",
                    ),
                _ => Diagnostic::error(
                    file,
                    format!("an item of `updates` is missing `{field}`"),
                )
                    .at(text, line, error.column)
                    .with_hint(
                        "each update needs a `date` and a `note`, e.g. `- {date: 2022-06-01, note: Corrected the date}`",
                    ),
            };
        } else {
            diagnostic.hint = Some(type_hint(&error.message).to_string());
        }
        diagnostic
    })
}

fn duplicate_key(message: &str) -> Option<&str> {
    let rest = message.split("duplicate mapping key: ").nth(1)?;
    rest.split([',', ' ']).next()
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.split("missing field `").nth(1)?;
    rest.split('`').next()
}

fn type_hint(message: &str) -> &'static str {
    if message.contains("sequence") {
        "lists are written `[a, b]` or as lines starting with `- `"
    } else if message.contains("bool") {
        "write `true` or `false`"
    } else {
        "check the YAML syntax and the field's type in the documentation of front matter"
    }
}

/// A date or date-time as written in front matter, read in `tz` when it has no offset.
/// Returns the zoned time and whether a time of day was given.
pub fn parse_date(
    value: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<(jiff::ZonedDateTime, bool), String> {
    let value = value.trim();
    let bytes = value.as_bytes();
    let looks_like_date = bytes.len() >= 10
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit);
    if !looks_like_date {
        return Err(format!("`{value}` is not a date"));
    }
    let date: jiff::civil::Date = value[..10]
        .parse()
        .map_err(|_| format!("`{}` is not a real date", &value[..10]))?;
    if value.len() == 10 {
        let zoned = date
            .to_zoned_datetime(tz.clone())
            .map_err(|e| format!("`{value}` cannot be placed in the time zone: {e}"))?;
        return Ok((zoned, false));
    }
    let rest = &value[10..];
    let has_offset = rest.ends_with('Z')
        || rest.ends_with('z')
        || rest.rfind(['+', '-']).is_some_and(|index| index > 3);
    if has_offset {
        let timestamp: jiff::Timestamp = value
            .parse()
            .map_err(|_| format!("`{value}` is not a valid RFC 3339 date-time"))?;
        return Ok((timestamp.to_zoned_datetime(tz.clone()), true));
    }
    let datetime: jiff::civil::DateTime = value
        .parse()
        .map_err(|_| format!("`{value}` is not a valid date and time"))?;
    let zoned = datetime
        .to_zoned_datetime(tz.clone())
        .map_err(|e| format!("`{value}` cannot be placed in the time zone: {e}"))?;
    Ok((zoned, true))
}

pub const DATE_HINT: &str = "write `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or an RFC 3339 date-time such as `2022-05-24T09:30:00+07:00`";

/// Checks a `slug` field: `[a-z0-9-]+`, which also keeps it inside the output folder.
pub fn check_slug(value: &str) -> Result<(), String> {
    if slug::is_slug(value) {
        Ok(())
    } else {
        Err(format!("slug `{value}` is not valid"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        let tz = jiff::tz::TimeZone::get("Asia/Bangkok").unwrap();
        let (z, t) = parse_date("2022-05-24", &tz).unwrap();
        assert_eq!(z.to_string(), "2022-05-24T00:00:00+07:00[Asia/Bangkok]");
        assert!(!t);
        let (z, t) = parse_date("2022-05-24 09:30", &tz).unwrap();
        assert_eq!(z.hour(), 9);
        assert!(t);
        let (z, _) = parse_date("2022-05-24T23:30:00Z", &tz).unwrap();
        assert_eq!(z.date().to_string(), "2022-05-25");
        assert_eq!(
            parse_date("2022-02-30", &tz).unwrap_err(),
            "`2022-02-30` is not a real date"
        );
        assert!(parse_date("May 2022", &tz).is_err());
        assert!(parse_date("2022-05-24 25:00", &tz).is_err());
    }

    #[test]
    fn split_finds_the_body_line() {
        let text = "---\ntitle: A\n---\nBody\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 4);
    }
}
