//! The one door to the YAML deserialiser, so it can be swapped in one place.
//!
//! `serde-saphyr` is safe Rust, reports line and column, and refuses alias bombs. Booleans are
//! strict (`true`/`false` only), so `no` in `extra` stays the string "no".

use serde::de::DeserializeOwned;

/// A YAML problem at a 1-based line and column of the parsed text (0 when unknown), in plain
/// words, with how to fix it where the problem is one of YAML's own (quotes, colons,
/// indentation, tabs) rather than of what a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Parses `text` into `T`. Lines and columns are relative to `text`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        let (line, column) = error
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((0, 0));
        plain_words(
            text,
            YamlError {
                line,
                column,
                message: clean_message(&error.without_snippet().to_string()),
                hint: None,
            },
        )
    })
}

/// A YAML text that is parsed again after each problem with the part that holds it blanked
/// out, so that one run finds every problem of a file rather than the first: each problem
/// is found by the parser itself, at its own line, and a blanked item leaves the other
/// lines where they were.
pub struct Recovering {
    /// The text, by `\n` lines (each without its end).
    lines: Vec<String>,
    /// Whether the text ends with a line end.
    ends_with_newline: bool,
}

impl Recovering {
    pub fn new(text: &str) -> Recovering {
        Recovering {
            lines: text.split('\n').map(str::to_string).collect(),
            ends_with_newline: text.ends_with('\n'),
        }
        .trimmed()
    }

    fn trimmed(mut self) -> Recovering {
        if self.ends_with_newline {
            self.lines.pop();
        }
        self
    }

    pub fn text(&self) -> String {
        let mut text = self.lines.join("\n");
        if self.ends_with_newline {
            text.push('\n');
        }
        text
    }

    /// Blanks the top-level item (a `key:` of a mapping or a `-` of a list, with the lines
    /// below it that are indented or continue it) that holds `line` (1-based, counted by `\n`),
    /// and returns its first line as it was; `None` when there is none, or it is blank already.
    pub fn blank_item(&mut self, line: usize) -> Option<String> {
        let at = line.checked_sub(1).filter(|&i| i < self.lines.len())?;
        let content = |l: &str| {
            let t = l.trim_start();
            !t.is_empty() && !t.starts_with('#')
        };
        if !content(&self.lines[at]) {
            return None;
        }
        let first = self.lines.iter().position(|l| content(l))?;
        let base = indent(&self.lines[first]);
        let is_list = self.lines[first].trim_start().starts_with('-');
        // A line that starts an item: at the base indentation and, in a mapping, not one of
        // the `- ` lines a key's list may have at the key's own indentation.
        let starts = |l: &str| {
            content(l) && indent(l) == base && (is_list == l.trim_start().starts_with('-'))
        };
        let start = (first..=at).rev().find(|&i| starts(&self.lines[i]))?;
        let end = (start + 1..self.lines.len())
            .find(|&i| {
                starts(&self.lines[i]) || (content(&self.lines[i]) && indent(&self.lines[i]) < base)
            })
            .unwrap_or(self.lines.len());
        let was = self.lines[start].clone();
        for l in &mut self.lines[start..end] {
            l.clear();
        }
        Some(was)
    }

    /// Adds a line at the end (which moves no other line).
    pub fn append(&mut self, line: &str) {
        self.lines.push(line.to_string());
        self.ends_with_newline = true;
    }
}

/// How many spaces and tabs a line starts with.
fn indent(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}

/// The parser's words for a mistake in YAML's own syntax, put as what happened and how to fix
/// it, with an example made from the line where one helps. Messages about what a field holds
/// (`expected a list`) are for the caller, which knows the field.
fn plain_words(text: &str, mut error: YamlError) -> YamlError {
    let raw = std::mem::take(&mut error.message);
    let line_text = |line: usize| line.checked_sub(1).and_then(|i| text.lines().nth(i));
    let here = line_text(error.line).unwrap_or("");
    // The parser may stop at the line before the one a tab indents, and may call a tab at the
    // start of a field a mistake of indentation.
    let tabbed = (error.line.max(2) - 1..error.line.max(1) + 3).find_map(|line| {
        let text = line_text(line)?;
        let indent = &text[..text.len() - text.trim_start().len()];
        indent
            .find('\t')
            .map(|at| (line, indent[..at].chars().count() + 1))
    });
    let indentation = raw == "while parsing a block mapping, did not find expected key"
        || raw.starts_with("indentation error")
        || raw == "did not find expected '-' indicator"
        || raw == "mapping values are not allowed in this context";
    let (message, hint): (String, Option<String>) =
        if raw.contains("tab") || (indentation && tabbed.is_some()) {
            if let Some((line, column)) = tabbed {
                (error.line, error.column) = (line, column);
            }
            (
                "YAML does not allow tabs for indentation".into(),
                Some("indent with spaces instead (most editors can turn tabs into spaces)".into()),
            )
        } else {
            quoting(&raw, here)
                .or_else(|| layout(&raw, here))
                .or_else(|| values(&raw))
                .unwrap_or((raw, None))
        };
    error.message = message;
    error.hint = hint;
    error
}

/// A message and its hint.
type Words = (String, Option<String>);

/// [`plain_words`] for a mistake of quoting: a value that needed quotes, or quotes that do
/// not close. `here` is the line of the problem.
fn quoting(raw: &str, here: &str) -> Option<Words> {
    Some(if raw == "unclosed quote" {
        (
            "a quoted value is not closed".into(),
            Some("end the value with the quote it starts with, on the same line, or write it without quotes".into()),
        )
    } else if let Some(kind) = raw
        .strip_prefix("invalid trailing content after ")
        .and_then(|rest| rest.strip_suffix("-quoted scalar"))
    {
        let quote = if kind == "single" { '\'' } else { '"' };
        let (key, value) = field_and_value(here);
        let value = value.trim();
        // What was meant: the text inside a pair of quotes, or the whole value.
        // What was meant: `'it's'` is the text inside the quotes, an apostrophe in it;
        // `"Visit" to Geneva` is the whole value.
        let meant = match value
            .strip_prefix(quote)
            .and_then(|v| v.strip_suffix(quote))
        {
            Some(inner) if quote == '\'' && inner.contains(quote) => inner.to_string(),
            _ => value.to_string(),
        };
        (
            "text follows the closing quote of a quoted value".into(),
            Some(format!(
                "quote the whole value, e.g. `{key}{}`",
                quoted(&meant)
            )),
        )
    } else if raw == "mapping values are not allowed in this context" {
        let (key, value) = field_and_value(here);
        if !key.is_empty() && !key.starts_with(' ') && value.contains(": ") {
            (
                "a value holds `: `, which YAML reads as the start of another field".into(),
                Some(format!(
                    "put the value in quotes, e.g. `{key}{}`",
                    quoted(value.trim())
                )),
            )
        } else {
            (
                "this line is indented, but the line above opens no list or group of fields".into(),
                Some("start the field at the beginning of the line, as the others are; or, if it continues the value above, put that value in quotes".into()),
            )
        }
    } else if let Some(c) = raw
        .strip_prefix("unexpected character: `")
        .and_then(|rest| rest.strip_suffix('\''))
    {
        let (key, value) = field_and_value(here);
        let c = if c == "`" {
            "a backtick".to_string()
        } else {
            format!("`{c}`")
        };
        (
            format!("a value cannot start with {c} in YAML"),
            Some(format!(
                "put the value in quotes, e.g. `{key}{}`",
                quoted(value.trim())
            )),
        )
    } else if raw == "alias references unknown anchor" {
        let (key, value) = field_and_value(here);
        (
            "a value starting with `*` is read as a reference to an anchor (`&name`), and there is none of that name".into(),
            Some(format!("put the value in quotes, e.g. `{key}{}`", quoted(value.trim()))),
        )
    } else {
        return None;
    })
}

/// [`plain_words`] for a mistake of layout: indentation, a line that is not `field: value`,
/// a bracket not closed, text after `|` or `>`.
fn layout(raw: &str, here: &str) -> Option<Words> {
    Some(
        if raw == "while parsing a block mapping, did not find expected key"
            || raw.starts_with("indentation error")
            || raw == "did not find expected '-' indicator"
        {
            (
            "this line is not indented like the lines around it".into(),
            Some("indent the items of one list, or the fields of one group, by the same number of spaces".into()),
        )
        } else if raw == "simple key expected ':'" || raw == "could not find expected ':'" {
            let trimmed = here.trim_start();
            let hint = match trimmed.strip_prefix('-') {
                Some(rest) if !rest.is_empty() && !rest.starts_with(' ') => {
                    format!("put a space after the dash of a list item: `- {rest}`")
                }
                _ => format!(
                    "write a field as `{}: value`, with a colon and a space",
                    trimmed.trim_end()
                ),
            };
            (
                "this line is neither `field: value` nor a list item `- value`".into(),
                Some(hint),
            )
        } else if let Some(open) = raw.strip_prefix("unclosed bracket ") {
            let (open, close, what) = if open.contains('{') {
                ('{', '}', "group of fields")
            } else {
                ('[', ']', "list")
            };
            (
                format!("a {what} opened with `{open}` is not closed"),
                Some(format!(
                    "end it with `{close}` on the same line, or quote the value if the `{open}` is part of its text"
                )),
            )
        } else if raw.contains("block scalar") {
            (
            "`|` or `>` starts a block of text on the lines below it; nothing may follow it on its line".into(),
            Some("put the text on the lines below, indented, or write the value in quotes".into()),
        )
        } else {
            return None;
        },
    )
}

/// [`plain_words`] for a value of the wrong shape, or YAML that cannot be read.
fn values(raw: &str) -> Option<Words> {
    Some(if raw.starts_with("cannot deserialize null into string") {
        (
            "the value is empty".into(),
            Some("write a value after the colon, or remove the line".into()),
        )
    } else if raw == "unexpected end of input" {
        (
            "the text ends in the middle of a value".into(),
            Some("check for a quote, `[` or `{` that is not closed".into()),
        )
    } else if raw == "expected string scalar" {
        (
            "expected a single value here, not a list or a group of fields".into(),
            Some("write one value after the colon, e.g. `location: Geneva`; put it in quotes if it starts with `[`, `{` or `-`".into()),
        )
    } else if raw == "expected sequence start" {
        (
            "expected a list".into(),
            Some("write a list as `[a, b]` on the field's line, or as lines starting with `- ` below it".into()),
        )
    } else if raw == "expected mapping start" {
        (
            "expected a group of fields".into(),
            Some("write each field of the group on its own line below, indented, e.g. `  name: The Nation`, or as `{name: The Nation}`".into()),
        )
    } else if raw.starts_with("while scanning")
        || raw.starts_with("while parsing")
        || raw.starts_with("did not find")
        || raw.starts_with("found ")
    {
        (
            format!("the YAML cannot be read here ({raw})"),
            Some(SYNTAX_HINT.into()),
        )
    } else {
        return None;
    })
}

/// What a problem of YAML's syntax that has no better hint says.
pub const SYNTAX_HINT: &str = "write each field as `name: value` on its own line, lists as `[a, b]` or as lines starting with `- `, and put in quotes a value that holds `: ` or starts with `[`, `{`, `*`, `&`, `@` or a quote";

/// A line `key: value` cut after `key: ` (`title: `, `Talks: a new start`); all of it as the
/// value when it has no key.
fn field_and_value(line: &str) -> (&str, &str) {
    match line.find(": ") {
        Some(at) => (&line[..at + 2], &line[at + 2..]),
        None => ("", line),
    }
}

/// `value` as a YAML quoted scalar: in double quotes, or in single ones when it holds a double
/// quote or a backslash.
fn quoted(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

/// Drops the location the deserialiser appends (we report it ourselves) and serde's
/// "invalid type" jargon for something a person can read.
fn clean_message(raw: &str) -> String {
    if raw.contains("budget breached") {
        // serde-saphyr's limits on nodes, depth and alias expansion (alias bombs).
        return "the YAML is too large or too deeply nested, or its aliases expand too far"
            .to_string();
    }
    let mut message = raw.trim().to_string();
    if let Some(index) = message.find(" at line ") {
        message.truncate(index);
    }
    let message = message.trim_end_matches([',', '.']);
    // The deserialiser's own words, where they name its types or options.
    if let Some(key) = (message.strip_prefix("duplicate mapping key: "))
        .and_then(|rest| rest.split(", set DuplicateKeyPolicy").next())
    {
        return format!("`{key}` is written twice");
    }
    if message.starts_with("invalid boolean") {
        return "expected `true` or `false`".to_string();
    }
    if let Some(kind) = message.strip_prefix("invalid ") {
        match kind {
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => {
                return "expected a whole number without a sign".to_string();
            }
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => {
                return "expected a whole number".to_string();
            }
            _ => {}
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_line_and_column_of_a_type_error() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: String,
            b: Vec<String>,
        }
        let error = parse::<T>("a: x\nb: 3\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 4), "{error:?}");
    }

    #[test]
    fn an_alias_bomb_is_refused_in_plain_words() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 0..8 {
            let previous = if level == 0 {
                "a".to_string()
            } else {
                format!("l{}", level - 1)
            };
            let refs = vec![format!("*{previous}"); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        let error = parse::<serde_json::Value>(&text).unwrap_err();
        assert!(
            error.message.contains("aliases expand too far"),
            "{error:?}"
        );
        assert!(error.line > 0, "{error:?}");
    }

    #[test]
    fn the_deserialisers_own_words_are_put_in_plain_ones() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            n: Option<u64>,
            b: Option<bool>,
            t: Option<String>,
        }
        for (text, message) in [
            ("n: -1\n", "expected a whole number without a sign"),
            ("n: abc\n", "expected a whole number without a sign"),
            ("b: maybe\n", "expected `true` or `false`"),
            ("t: a\nt: b\n", "`t` is written twice"),
        ] {
            assert_eq!(parse::<T>(text).unwrap_err().message, message, "{text:?}");
        }
    }

    #[test]
    fn an_item_is_blanked_with_the_lines_that_belong_to_it() {
        let mut text = Recovering::new("a: 1\nb:\n  - x\n- y\n# note\nc: 3\n");
        assert_eq!(text.blank_item(3).as_deref(), Some("b:"));
        assert_eq!(text.text(), "a: 1\n\n\n\n\nc: 3\n");
        assert_eq!(text.blank_item(3), None);
        let mut list = Recovering::new("- id: a\n  name: A\n- id: b\n  nme: B\n");
        assert_eq!(list.blank_item(4).as_deref(), Some("- id: b"));
        assert_eq!(list.text(), "- id: a\n  name: A\n\n\n");
        list.append("x: 1");
        assert_eq!(list.text(), "- id: a\n  name: A\n\n\nx: 1\n");
    }

    #[test]
    fn booleans_are_strict() {
        let map: BTreeMap<String, serde_json::Value> = parse("a: no\nb: true\n").unwrap();
        assert_eq!(map["a"], serde_json::json!("no"));
        assert_eq!(map["b"], serde_json::json!(true));
    }
}
