//! Splitting a Markdown file into front matter and body, and typing the front matter.
//!
//! Every check that needs only the one file happens here: required fields, types, dates,
//! slugs, unknown keys. Problems come back as [`Diagnostic`]s placed at file lines.

use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::config::unknown_field;
use crate::diagnostic::{self, Diagnostic};
use crate::slug;
use crate::yaml;

pub use super::date::{DATE_HINT, date_hint, parse_date};

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
    "withdrawn",
    "attachments",
    "image",
    "reference",
    "aliases",
    "extra",
];

#[derive(Debug, Deserialize, PartialEq)]
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
    pub withdrawn: Option<RawWithdrawn>,
    #[serde(default)]
    pub attachments: Vec<RawAttachment>,
    pub image: Option<RawImage>,
    pub reference: Option<String>,
    #[serde(default)]
    pub aliases: Vec<Spanned<String>>,
    pub extra: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub name: String,
    #[serde(default, deserialize_with = "web_url")]
    pub url: Option<String>,
    pub published: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawUpdate {
    pub date: Spanned<String>,
    pub note: String,
    /// A correction that is not news: listed, but the entry's `updated` stays.
    #[serde(default)]
    pub minor: bool,
}

/// An item of `attachments:`: a document under `content/` and its title.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawAttachment {
    pub file: Spanned<String>,
    pub title: String,
}

/// `image: {src, alt, credit}`: the entry's lead image, a photo under `content/`.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawImage {
    pub src: Spanned<String>,
    pub alt: String,
    pub credit: Option<String>,
}

/// `withdrawn: {date, reason}`: the entry stays at its URL, marked as withdrawn.
#[derive(Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RawWithdrawn {
    pub date: Spanned<String>,
    pub reason: Spanned<String>,
}

/// A value and where it is written in the front matter.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    /// Where the value is written (an alias `*a` included).
    pub referenced: Location,
    /// Where the value is defined: the anchor `&a` of an alias, else as `referenced`.
    pub defined: Location,
}

/// A 1-based line and column (in characters) of the front matter's YAML; 0 when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
}

impl From<serde_saphyr::Location> for Location {
    fn from(location: serde_saphyr::Location) -> Location {
        Location {
            line: location.line() as usize,
            column: location.column() as usize,
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        Ok(Spanned {
            value: spanned.value,
            referenced: spanned.referenced.into(),
            defined: spanned.defined.into(),
        })
    }
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
    let Some(first_line) = text.split_inclusive('\n').next() else {
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
    let after_open = first_line.len();
    let mut offset = after_open;
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
/// The first problem only: [`parse_all`] finds them all.
pub fn parse(file: &Path, text: &str, split: &Split) -> Result<FrontMatter, Diagnostic> {
    let read = parse_all(file, text, split);
    match (read.problems.into_iter().next(), read.front) {
        (None, Some(front)) => Ok(front),
        (Some(first), _) => Err(first),
        (None, None) => Err(Diagnostic::error(file, "the front matter cannot be read")),
    }
}

/// The front matter as far as it could be read, and every problem found in it.
#[derive(Debug)]
pub struct Read {
    /// The fields that could be read (those with problems left out); `None` when the front
    /// matter could not be read as fields at all.
    pub front: Option<FrontMatter>,
    pub problems: Vec<Diagnostic>,
    /// Required fields (`title`, `date`) that are missing or were left out for a problem,
    /// given a stand-in so that the others could be read: their values mean nothing.
    pub stand_ins: Vec<&'static str>,
}

/// The most problems reported of one file's front matter; one more says there are others.
pub const MOST_PROBLEMS: usize = 100;

/// What to do after a problem, to find the next.
pub(super) enum Recovery {
    /// Read again without the top-level field on this line (of the YAML, counted by `\n`).
    LeaveOut(usize),
    /// Read again with a stand-in for this required field, which is missing.
    StandIn(&'static str),
    /// Nothing more can be read.
    Stop,
}

/// Parses the YAML of the front matter and finds every problem in it: after each, the field
/// that holds it is left out (or a missing required field given a stand-in) and the rest is
/// read again, up to [`MOST_PROBLEMS`].
pub fn parse_all(file: &Path, text: &str, split: &Split) -> Read {
    let stop = |problems| Read {
        front: None,
        problems,
        stand_ins: Vec::new(),
    };
    if split.yaml.trim().is_empty() {
        return stop(vec![
            Diagnostic::error(file, "the front matter is empty")
                .at(text, 1, 1)
                .with_hint("add at least `title:` and `date:` between the `---` lines"),
        ]);
    }
    if let Some(front) = super::plain::parse(split.yaml) {
        return Read {
            front: Some(front),
            problems: Vec::new(),
            stand_ins: Vec::new(),
        };
    }
    let mut problems = Vec::new();
    let mut stand_ins: Vec<&'static str> = Vec::new();
    // The fields left out, as their lines start.
    let mut left_out: Vec<String> = Vec::new();
    let mut recovering = yaml::Recovering::new(split.yaml);
    let mut yaml = std::borrow::Cow::Borrowed(split.yaml);
    loop {
        let error = match yaml::parse::<FrontMatter>(&yaml) {
            Ok(mut front) => {
                strip_control_characters(&mut front);
                return Read {
                    front: Some(front),
                    problems,
                    stand_ins,
                };
            }
            Err(error) => error,
        };
        if problems.len() >= MOST_PROBLEMS {
            problems.push(
                Diagnostic::error(file, "the front matter has more problems than are shown")
                    .with_hint("fix the ones above and build again"),
            );
            return Read {
                front: None,
                problems,
                stand_ins,
            };
        }
        let (diagnostic, recovery) = diagnose(file, text, &yaml, &error);
        match recovery {
            Recovery::StandIn(field) => {
                // A field left out for its own problem is not missing as well.
                let own = left_out
                    .iter()
                    .any(|line| line.split(':').next().map(str::trim) == Some(field));
                if !own {
                    problems.push(diagnostic);
                }
                if stand_ins.contains(&field) {
                    return stop(problems);
                }
                stand_ins.push(field);
                recovering.append(match field {
                    "title" => "title: stand-in",
                    _ => "date: 2000-01-01",
                });
            }
            Recovery::LeaveOut(line) => {
                problems.push(diagnostic);
                match recovering.blank_item(line) {
                    Some(first) => left_out.push(first),
                    None => return stop(problems),
                }
                // Nothing left is no mapping at all: a field that changes nothing keeps it
                // one, so that missing required fields are still found.
                if recovering.text().trim().is_empty() {
                    recovering.append("draft: false");
                }
            }
            Recovery::Stop => {
                problems.push(diagnostic);
                return stop(problems);
            }
        }
        yaml = std::borrow::Cow::Owned(recovering.text());
    }
}

/// A YAML problem of the front matter as a diagnostic, and how to go on after it.
pub(super) fn diagnose(
    file: &Path,
    text: &str,
    yaml: &str,
    error: &yaml::YamlError,
) -> (Diagnostic, Recovery) {
    let yaml_line = if error.line == 0 {
        0
    } else {
        file_line(yaml, error.line)
    };
    let line = yaml_line.max(1) + usize::from(error.line > 0);
    let mut recovery = match yaml_line {
        0 => Recovery::Stop,
        line => Recovery::LeaveOut(line),
    };
    let mut diagnostic = Diagnostic::error(
        file,
        format!("invalid front matter: {}", error.message),
    )
    .at(text, line, error.column);
    if let Some(field) = unknown_field(&error.message) {
        diagnostic.message = format!("unknown field `{field}` in front matter");
        diagnostic.hint = Some(unknown_field_hint(text, line, error.column, field));
    } else if let Some(key) = duplicate_key(&error.message) {
        diagnostic.message = format!("`{key}` appears twice in the front matter");
        diagnostic.hint = Some("keep one of the two lines".to_string());
    } else if let Some(field) = missing_field(&error.message) {
        let (missing, stand_in) = missing_field_error(file, text, line, error.column, field);
        diagnostic = missing;
        if let Some(field) = stand_in {
            recovery = Recovery::StandIn(field);
        }
    } else if line <= 2 && error.message == "expected a group of fields" {
        recovery = Recovery::Stop;
        diagnostic.message = "the front matter is not a list of `field: value` lines".into();
        let written = diagnostic.snippet.as_ref().map_or("", |s| s.text.as_str());
        diagnostic.hint = Some(match written.split_once(':') {
            Some((key, value))
                if !key.is_empty() && !key.starts_with(['-', ' ']) && !value.starts_with(' ') =>
            {
                format!("put a space after the colon: `{key}: {value}`")
            }
            _ => "write one field per line, e.g. `title: Visit to Bangkok`".into(),
        });
    } else {
        let written = diagnostic.snippet.as_ref().map_or("", |s| s.text.as_str());
        diagnostic.hint = Some(field_hint(&error.message, written).map_or_else(
            || {
                error
                    .hint
                    .clone()
                    .unwrap_or_else(|| yaml::SYNTAX_HINT.to_string())
            },
            str::to_string,
        ));
    }
    (diagnostic, recovery)
}

/// The group field (`updates`, `source`, `withdrawn`) that the field at `line` and `column`
/// of `text` belongs to: the first line above that is indented less; `None` at the top level.
fn parent_field(text: &str, line: usize, column: usize) -> Option<&str> {
    if column <= 1 {
        return None;
    }
    let lines: Vec<&str> = text.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let at = line.saturating_sub(1).min(lines.len().saturating_sub(1));
    let own = lines.get(at).map_or(0, |l| indent(l));
    let own_line = lines.get(at).copied().unwrap_or("");
    lines[..at]
        .iter()
        .rev()
        .find(|l| !l.trim().is_empty() && indent(l) < own && !l.trim_start().starts_with('-'))
        .or_else(|| {
            // A group written on its field's line: `withdrawn: {date: …}`.
            (own_line.contains('{')).then_some(&own_line)
        })
        .and_then(|l| l.trim().split(':').next())
}

/// The hint for the unknown field `field` at `line` and `column` of `text`: the nearest field
/// there is, or the list of them. A field of a group (an item of `updates`, or `source`) is
/// told by the first line above that is indented less.
fn unknown_field_hint(text: &str, line: usize, column: usize, field: &str) -> String {
    let nested: Vec<&str> = match parent_field(text, line, column) {
        Some("updates") => vec!["date", "note", "minor"],
        Some("source") => vec!["name", "url", "published"],
        Some("withdrawn") => vec!["date", "reason"],
        Some("attachments") => vec!["file", "title"],
        Some("image") => vec!["src", "alt", "credit"],
        _ => Vec::new(),
    };
    let (fields, what): (Vec<&str>, &str) = if nested.is_empty() {
        (FIELDS.to_vec(), "the fields are")
    } else {
        (nested, "the fields here are")
    };
    match diagnostic::suggest(field, fields.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("{what}: {}", fields.join(", ")),
    }
}

/// The error for the required `field` missing at `line` and `column` of `text`, and the
/// field given a stand-in when it is `title` or `date` at the top level.
fn missing_field_error(
    file: &Path,
    text: &str,
    line: usize,
    column: usize,
    field: &str,
) -> (Diagnostic, Option<&'static str>) {
    match field {
        "title" | "date" if column <= 1 => {
            let stand_in = if field == "title" { "title" } else { "date" };
            let error = Diagnostic::error(file, format!("missing required field `{field}`"))
                .at(text, 1, 1)
                .with_hint(if field == "date" {
                    "add a line such as `date: 2022-05-24` to the front matter"
                } else {
                    "add a line such as `title: Visit to Washington` to the front matter"
                });
            (error, Some(stand_in))
        }
        "name" => {
            let error = Diagnostic::error(file, "`source` is missing its `name`")
                .at(text, line, column)
                .with_hint(
                    "write where the release was first published, e.g. `name: The Nation` under `source:`",
                );
            (error, None)
        }
        _ => {
            let (message, hint) = match parent_field(text, line, column) {
                Some("attachments") => (
                    format!("an item of `attachments` is missing `{field}`"),
                    "each attachment needs a `file` and a `title`, e.g. `- {file: statement.pdf, title: Joint statement}`",
                ),
                Some("image") => (
                    format!("`image` is missing its `{field}`"),
                    "a lead image needs a `src` and an `alt`, e.g. `image: {src: delegation.jpg, alt: The delegation at the ministry, credit: Office photo}`",
                ),
                Some("withdrawn") => (
                    format!("`withdrawn` is missing its `{field}`"),
                    "a withdrawal needs a `date` and a `reason`, e.g. `withdrawn: {date: 2022-06-01, reason: The meeting was cancelled}`",
                ),
                _ => (
                    format!("an item of `updates` is missing `{field}`"),
                    "each update needs a `date` and a `note`, e.g. `- {date: 2022-06-01, note: Corrected the date}`",
                ),
            };
            let error = Diagnostic::error(file, message)
                .at(text, line, column)
                .with_hint(hint);
            (error, None)
        }
    }
}

/// `value` without the control characters (but tab and line breaks) that YAML escapes such as
/// `"\0"` or `"\x07"` can put in a string: HTML and XML allow none of them, and no one can
/// see them.
pub fn without_control_characters(value: &mut String) {
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        value.retain(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'));
    }
}

/// Text fields end up in pages, feeds and exports: drops control characters from them.
fn strip_control_characters(front: &mut FrontMatter) {
    let mut fields: Vec<&mut String> = vec![&mut front.title.value];
    fields.extend(front.partners.iter_mut().map(|p| &mut p.value));
    fields.extend(front.topics.iter_mut().map(|t| &mut t.value));
    fields.extend(front.location.iter_mut());
    fields.extend(front.summary.iter_mut());
    fields.extend(front.reference.iter_mut());
    fields.extend(front.source.iter_mut().map(|s| &mut s.name));
    fields.extend(front.updates.iter_mut().map(|u| &mut u.note));
    fields.extend(front.withdrawn.iter_mut().map(|w| &mut w.reason.value));
    fields.extend(front.attachments.iter_mut().map(|a| &mut a.title));
    for image in front.image.iter_mut() {
        fields.push(&mut image.alt);
        fields.extend(image.credit.iter_mut());
    }
    for field in fields {
        without_control_characters(field);
    }
}

/// The line of the YAML text (counted as `\n`) where YAML's line `yaml_line` starts: YAML
/// also breaks lines at a lone `\r`, which the file's lines do not.
fn file_line(yaml: &str, yaml_line: usize) -> usize {
    let mut line = 1;
    let mut file = 1;
    let bytes = yaml.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if line >= yaml_line {
            break;
        }
        match b {
            b'\n' => {
                line += 1;
                file += 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => line += 1,
            _ => {}
        }
    }
    file
}

/// The key of [`yaml::parse`]'s message for a key written twice.
fn duplicate_key(message: &str) -> Option<&str> {
    message
        .strip_suffix("` is written twice")?
        .strip_prefix('`')
}

fn missing_field(message: &str) -> Option<&str> {
    let rest = message.split("missing field `").nth(1)?;
    rest.split('`').next()
}

/// A hint that names the field, for a value of the wrong type where one is known.
fn field_hint(message: &str, line: &str) -> Option<&'static str> {
    let field = line.split(':').next().unwrap_or("").trim();
    let field = field.strip_prefix("- ").unwrap_or(field);
    Some(match (message, field) {
        ("expected `true` or `false`", _) => "write `true` or `false`",
        ("expected a group of fields", "source") => {
            "write `source:` on a line of its own and its fields below it, indented, e.g. `  name: The Nation`"
        }
        ("expected a group of fields", "withdrawn") => {
            "give the withdrawal a `date` and a `reason`, e.g. `withdrawn: {date: 2022-06-01, reason: The meeting was cancelled}`"
        }
        ("expected a group of fields", _) if line.contains("updates") => {
            "each update is an item with a `date` and a `note`, e.g. `- {date: 2022-06-01, note: Corrected the date}`"
        }
        ("expected a list", "updates") => {
            "write each update as an item below `updates:`, e.g. `  - {date: 2022-06-01, note: Corrected the date}`"
        }
        ("expected a list", "partners" | "topics" | "aliases") | ("expected a list", "") => {
            "write a list as `[a, b]` on the field's line, or as lines starting with `- ` below it"
        }
        (
            "expected a single value here, not a list or a group of fields",
            "date" | "publish_at",
        ) => "write one date, e.g. `date: 2022-05-24`",
        (
            "expected a single value here, not a list or a group of fields",
            "partners" | "topics" | "aliases",
        ) => {
            "each item of the list is one name; put an item in quotes if it holds `[`, `{` or a comma"
        }
        _ => return None,
    })
}

/// Deserialises an optional web address: `http://` or `https://` only. Templates put these
/// into `href`s, so `javascript:` or `data:` URLs from content must never get that far.
pub fn web_url<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    let Some(url) = Option::<String>::deserialize(deserializer)? else {
        return Ok(None);
    };
    let url = url.trim().to_string();
    let lower = url.to_ascii_lowercase();
    let host = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    let web = host.is_some_and(|h| !h.is_empty() && !h.starts_with('/'))
        && !url.chars().any(|c| c.is_whitespace() || c.is_control());
    if web {
        Ok(Some(url))
    } else {
        Err(serde::de::Error::custom(format!(
            "`{url}` is not a web address: write a URL starting with `https://` or `http://`"
        )))
    }
}

/// Checks a `slug` field: `[a-z0-9-]+`, which also keeps it inside the output folder.
pub fn check_slug(value: &str) -> Result<(), String> {
    if slug::is_slug(value) {
        Ok(())
    } else {
        Err(slug::invalid("slug", value, "is not valid"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Front matter lines with a mistake of YAML, where it is found, and what is said of it.
    const YAML_MISTAKES: &[(&str, (usize, usize), &str, &str)] = &[
        (
            "partners:\n\t- IOM\n",
            (5, 1),
            "YAML does not allow tabs for indentation",
            "indent with spaces instead (most editors can turn tabs into spaces)",
        ),
        (
            "location: \"Geneva\n",
            (4, 11),
            "a quoted value is not closed",
            "end the value with the quote it starts with, on the same line, or write it without quotes",
        ),
        (
            "summary: Talks: a new start\n",
            (4, 15),
            "a value holds `: `, which YAML reads as the start of another field",
            "put the value in quotes, e.g. `summary: \"Talks: a new start\"`",
        ),
        (
            "  location: Geneva\n",
            (4, 11),
            "this line is indented, but the line above opens no list or group of fields",
            "start the field at the beginning of the line, as the others are; or, if it continues the value above, put that value in quotes",
        ),
        (
            "source:\n  name: X\n published: 2022-05-24\n",
            (6, 2),
            "this line is not indented like the lines around it",
            "indent the items of one list, or the fields of one group, by the same number of spaces",
        ),
        (
            "location: [Geneva, Bern]\n",
            (4, 11),
            "expected a single value here, not a list or a group of fields",
            "write one value after the colon, e.g. `location: Geneva`; put it in quotes if it starts with `[`, `{` or `-`",
        ),
        (
            "partners: IOM\n",
            (4, 11),
            "expected a list",
            "write a list as `[a, b]` on the field's line, or as lines starting with `- ` below it",
        ),
        (
            "source: The Nation\n",
            (4, 9),
            "expected a group of fields",
            "write `source:` on a line of its own and its fields below it, indented, e.g. `  name: The Nation`",
        ),
        (
            "updates:\n  - date: 2022-06-01\n    note:\n",
            (6, 9),
            "the value is empty",
            "write a value after the colon, or remove the line",
        ),
        (
            "location: @home\n",
            (4, 11),
            "a value cannot start with `@` in YAML",
            "put the value in quotes, e.g. `location: \"@home\"`",
        ),
        (
            "summary: *Important* talks\n",
            (4, 10),
            "a value starting with `*` is read as a reference to an anchor (`&name`), and there is none of that name",
            "put the value in quotes, e.g. `summary: \"*Important* talks\"`",
        ),
        (
            "summary: 'it's'\n",
            (4, 14),
            "text follows the closing quote of a quoted value",
            "quote the whole value, e.g. `summary: \"it's\"`",
        ),
        (
            "summary: \"Visit\" to Geneva\n",
            (4, 18),
            "text follows the closing quote of a quoted value",
            "quote the whole value, e.g. `summary: '\"Visit\" to Geneva'`",
        ),
        (
            "topics:\n  - a\n  -b\n",
            (6, 3),
            "this line is neither `field: value` nor a list item `- value`",
            "put a space after the dash of a list item: `- b`",
        ),
        (
            "location\n",
            (4, 1),
            "this line is neither `field: value` nor a list item `- value`",
            "write a field as `location: value`, with a colon and a space",
        ),
        (
            "source: {name: X\n",
            (4, 9),
            "a group of fields opened with `{` is not closed",
            "end it with `}` on the same line, or quote the value if the `{` is part of its text",
        ),
    ];

    #[test]
    fn yaml_mistakes_are_put_in_plain_words() {
        for (yaml, place, message, hint) in YAML_MISTAKES {
            let text = format!("---\ntitle: A\ndate: 2022-05-24\n{yaml}---\nBody\n");
            let path = Path::new("a.md");
            let error = parse(path, &text, &split(path, &text).unwrap()).unwrap_err();
            assert_eq!(
                (
                    (error.line, error.column),
                    error.message.as_str(),
                    error.hint.as_deref()
                ),
                (
                    *place,
                    format!("invalid front matter: {message}").as_str(),
                    Some(*hint)
                ),
                "{yaml:?}"
            );
        }
    }

    #[test]
    fn source_urls_are_web_addresses_only() {
        let parse_text = |text: &str| {
            let split = split(Path::new("a.md"), text).unwrap();
            parse(Path::new("a.md"), text, &split)
        };
        let ok = parse_text(
            "---\ntitle: A\ndate: 2022-01-01\nsource: {name: N, url: ' HTTPS://example.org/a '}\n---\n",
        )
        .unwrap();
        assert_eq!(
            ok.source.unwrap().url.as_deref(),
            Some("HTTPS://example.org/a")
        );
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "//evil.example/",
            "https://a b",
            "example.org",
            "https://",
            "http:///x",
        ] {
            let text = format!(
                "---\ntitle: A\ndate: 2022-01-01\nsource:\n  name: N\n  url: \"{url}\"\n---\n"
            );
            let error = parse_text(&text).unwrap_err();
            assert!(
                error.message.contains("is not a web address"),
                "{url}: {error}"
            );
            assert_eq!(error.line, 6, "{url}: {error}");
        }
    }

    #[test]
    fn control_characters_in_text_fields_are_dropped() {
        let text = "---\ntitle: \"A\\x07B\\tC\"\ndate: 2022-01-01\nlocation: \"Gen\\0eva\"\npartners: [\"P\\x01\"]\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let front = parse(Path::new("a.md"), text, &s).unwrap();
        assert_eq!(front.title.value, "AB\tC");
        assert_eq!(front.location.as_deref(), Some("Geneva"));
        assert_eq!(front.partners[0].value, "P");
    }

    #[test]
    fn lone_carriage_returns_do_not_shift_error_lines() {
        let text = "---\ntitle: A\r\rdate: 2022-01-01\nbad: [\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let error = parse(Path::new("a.md"), text, &s).unwrap_err();
        assert!(error.line <= 5, "{error}");
        assert!(error.snippet.is_some(), "{error}");
    }

    #[test]
    fn a_stray_carriage_return_after_the_opening_line_does_not_shift_the_body() {
        // Found by the `front_matter` fuzz target: `---\r\r\n`, once `\r\n` is `\n`, is
        // `---\r\n`, which `str::lines` cuts two bytes short of the next line.
        let text = "---\r\ntitle: A\n---\nBody\n";
        let s = split(Path::new("a.md"), text).unwrap();
        assert_eq!(s.yaml, "title: A\n");
        assert_eq!(s.body_line, 4);
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
