//! Content problems: what is wrong, where, and how to fix it.
//!
//! Loading and checking collect [`Diagnostic`]s instead of stopping at the first problem, so
//! that one build reports everything at once. This module formats them; it never prints.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// One problem in the site's files, with its place and a hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site folder, e.g. `content/engagements/a.md`.
    pub file: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
    /// The offending line of the file, when there is one.
    pub snippet: Option<Box<Snippet>>,
}

/// The line of a file a problem is on, as a diagnostic keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The line, or of a long one the part around the column ([`cut_line`]).
    pub text: String,
    /// How many characters of the line come before `text` (0 unless it was cut).
    pub start: usize,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            hint: None,
            snippet: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Places the problem at `line:column` and takes that line of `source` as the snippet.
    pub fn at(self, source: &str, line: usize, column: usize) -> Self {
        let text = line
            .checked_sub(1)
            .and_then(|index| source.lines().nth(index));
        self.at_line(text, line, column)
    }

    /// As [`Diagnostic::at`], with the file's lines split already: for the many problems of
    /// one file, each is not a pass over the file.
    pub fn at_in(self, lines: &Lines, line: usize, column: usize) -> Self {
        let text = lines.get(line);
        self.at_line(text, line, column)
    }

    /// Places the problem at `line:column` of a file, `text` being that line (without its
    /// end), when there is one.
    pub fn at_line(mut self, text: Option<&str>, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self.snippet = text.map(|text| {
            let (text, start) = cut_line(text.trim_end_matches('\r'), column);
            Box::new(Snippet { text, start })
        });
        self
    }

    /// Places the problem at a [`Place`](crate::model::Place) remembered from loading.
    pub fn at_place(mut self, place: &crate::model::Place) -> Self {
        self.line = place.line;
        self.column = place.column;
        self.snippet = (place.line > 0).then(|| {
            Box::new(Snippet {
                text: place.snippet.clone(),
                start: place.snippet_start,
            })
        });
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:column`, leaving out what is unknown.
    pub fn place(&self) -> String {
        let file = display_path(&self.file);
        match (self.line, self.column) {
            (0, _) => file,
            (line, 0) => format!("{file}:{line}"),
            (line, column) => format!("{file}:{line}:{column}"),
        }
    }
}

/// Paths are shown with forward slashes on every platform, so messages are stable.
pub fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl fmt::Display for Diagnostic {
    /// The rustc-like layout:
    ///
    /// ```text
    /// error: unknown field `partner` in front matter
    ///   --> content/a.md:4:1
    ///    |
    ///  4 | partner: IOM
    ///    | ^
    ///    = hint: did you mean `partners`?
    /// ```
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", visible(&shorten_quotes(&self.message)))?;
        let gutter = " ".repeat(self.line.to_string().len());
        write!(f, "{gutter}--> {}", visible(&self.place()))?;
        if let Some(snippet) = &self.snippet {
            let column = match self.column {
                0 => 0,
                column => column.saturating_sub(snippet.start).max(1),
            };
            let (shown, caret) = window(&snippet.text, column);
            write!(f, "\n{gutter} |\n{} | {}", self.line, visible(&shown))?;
            if let Some(before) = caret {
                let pad: String = visible(&before)
                    .chars()
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                write!(f, "\n{gutter} | {pad}^")?;
            }
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n{gutter} = hint: {}", visible(&shorten_quotes(hint)))?;
        }
        Ok(())
    }
}

/// `text` with what a terminal would act on rather than show written as escapes (`\u{a}`):
/// control characters other than tabs, and the bidirectional controls that reorder a line. A
/// file name or a line of a file then cannot fake a line of a report, or hide part of one.
fn visible(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| {
        (c.is_control() && c != '\t')
            || matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if !text.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if hidden(c) {
            shown.extend(c.escape_unicode());
        } else {
            shown.push(c);
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// The most characters of a line a report shows; a longer line (minified HTML, a list of
/// ten thousand brackets) is cut to this many around the column, with `…` where it was cut.
const SNIPPET_WIDTH: usize = 100;

/// A file's lines, split once ([`Diagnostic::at_in`]).
pub struct Lines<'t>(Vec<&'t str>);

impl<'t> Lines<'t> {
    pub fn new(text: &'t str) -> Self {
        Lines(text.lines().collect())
    }

    /// Line `line` (1-based), if the file has it.
    pub fn get(&self, line: usize) -> Option<&'t str> {
        line.checked_sub(1)
            .and_then(|index| self.0.get(index))
            .copied()
    }
}

/// The most characters of a line a diagnostic keeps: a line of a megabyte, reported a
/// thousand times, is not kept a thousand times.
const KEPT_OF_A_LINE: usize = 1000;

/// What a diagnostic keeps of `line` for a problem at `column` (1-based; 0 when unknown): the
/// whole line, or of a longer one the 1,000 characters around the column (far more than a
/// report shows, so that it shows the same), and how many characters come before what is
/// kept.
pub fn cut_line(line: &str, column: usize) -> (String, usize) {
    // As many bytes are at least as many characters.
    if line.len() <= KEPT_OF_A_LINE {
        return (line.to_string(), 0);
    }
    let length = line.chars().count();
    if length <= KEPT_OF_A_LINE {
        return (line.to_string(), 0);
    }
    let start = stretch_start(length, column, KEPT_OF_A_LINE);
    (
        line.chars().skip(start).take(KEPT_OF_A_LINE).collect(),
        start,
    )
}

/// Where the `width` characters around `column` (1-based) start in a line of `length`
/// characters, more than `width`: half before the column where the line allows, and never
/// past its end.
fn stretch_start(length: usize, column: usize, width: usize) -> usize {
    column
        .saturating_sub(1)
        .saturating_sub(width / 2)
        .min(length - width)
}

/// What a report shows of `line`, and, for a known `column` (1-based), what comes before the
/// caret in what it shows.
fn window(line: &str, column: usize) -> (String, Option<String>) {
    let length = line.chars().count();
    if length <= SNIPPET_WIDTH {
        let before = (column > 0).then(|| line.chars().take(column - 1).collect());
        return (line.to_string(), before);
    }
    let at = column.saturating_sub(1).min(length);
    let start = stretch_start(length, column, SNIPPET_WIDTH);
    let end = start + SNIPPET_WIDTH;
    let mut shown = String::from(if start > 0 { "…" } else { "" });
    shown.extend(line.chars().skip(start).take(SNIPPET_WIDTH));
    if end < length {
        shown.push('…');
    }
    let before = (column > 0).then(|| {
        let cut = usize::from(start > 0) + (at - start);
        shown.chars().take(cut).collect()
    });
    (shown, before)
}

/// `text` with every value quoted in it (between backticks) that is longer than
/// [`SNIPPET_WIDTH`] cut to that many characters and `…`: a partner's name or a link of
/// thousands of characters is not repeated whole.
fn shorten_quotes(text: &str) -> std::borrow::Cow<'_, str> {
    let parts: Vec<&str> = text.split('`').collect();
    let closed = parts.len().saturating_sub(1);
    let long = |(i, part): &(usize, &str)| {
        i % 2 == 1 && *i < closed && part.chars().count() > SNIPPET_WIDTH
    };
    if !parts.iter().copied().enumerate().any(|p| long(&p)) {
        return std::borrow::Cow::Borrowed(text);
    }
    let shown: Vec<String> = (parts.iter().copied().enumerate())
        .map(|(i, part)| {
            if long(&(i, part)) {
                part.chars().take(SNIPPET_WIDTH).chain(['…']).collect()
            } else {
                part.to_string()
            }
        })
        .collect();
    std::borrow::Cow::Owned(shown.join("`"))
}

/// Sorts diagnostics so that reports are stable and causes come first: errors (what stops the
/// build), then warnings; each in `site.yaml`, then in the partner registry (which every
/// entry's partners are read against), then in every other file by path; within a file, by
/// line and column.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    let rank = |file: &Path| {
        if file == Path::new("site.yaml") {
            0
        } else if file == Path::new(crate::content::partners::FILE) {
            1
        } else {
            2
        }
    };
    diagnostics.sort_by(|a, b| {
        (
            b.severity,
            rank(&a.file),
            &a.file,
            a.line,
            a.column,
            &a.message,
        )
            .cmp(&(
                a.severity,
                rank(&b.file),
                &b.file,
                b.line,
                b.column,
                &b.message,
            ))
    });
}

/// "did you mean" for a misspelt name among `candidates`, if one is close enough.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .map(|candidate| {
            let score = strsim::jaro_winkler(&lower, &candidate.to_lowercase());
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, candidate)| candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_snippet_caret_and_hint() {
        let d = Diagnostic::error("content/a.md", "unknown field `partner` in front matter")
            .at("---\ntitle: A\npartner: IOM\n---\n", 3, 1)
            .with_hint("did you mean `partners`?");
        assert_eq!(
            d.to_string(),
            "error: unknown field `partner` in front matter\n --> content/a.md:3:1\n  |\n3 | partner: IOM\n  | ^\n  = hint: did you mean `partners`?"
        );
    }

    #[test]
    fn control_and_reordering_characters_are_shown_as_escapes() {
        // A file name that would print a fake report line, and a line that a right-to-left
        // override would show backwards.
        let d = Diagnostic::error("content/evil\nerror: fake.md", "bad `a\u{1b}[2J`")
            .at("---\ntitle: x\u{202E}gnp.exe\tz\n---\n", 2, 18)
            .with_hint("see `\u{2066}`");
        assert_eq!(
            d.to_string(),
            "error: bad `a\\u{1b}[2J`\n --> content/evil\\u{a}error: fake.md:2:18\n  |\n2 | title: x\\u{202e}gnp.exe\tz\n  |                        \t^\n  = hint: see `\\u{2066}`"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_column() {
        let line = format!("{}X{}", "a".repeat(5000), "b".repeat(5000));
        let source = format!("---\ntitle: {line}\n---\n");
        let d = Diagnostic::error("content/a.md", "bad").at(&source, 2, 5008);
        let shown = format!("…{}X{}…", "a".repeat(50), "b".repeat(49));
        let pad = " ".repeat(51);
        assert_eq!(
            d.to_string(),
            format!("error: bad\n --> content/a.md:2:5008\n  |\n2 | {shown}\n  | {pad}^")
        );

        // Near either end, the window stops at it; without a column there is no caret.
        let d = Diagnostic::error("content/a.md", "bad").at(&source, 2, 3);
        let shown = format!("title: {}…", "a".repeat(93));
        assert_eq!(
            d.to_string(),
            format!("error: bad\n --> content/a.md:2:3\n  |\n2 | {shown}\n  |   ^")
        );
        let d = Diagnostic::error("content/a.md", "bad").at(&source, 2, 10_008);
        let shown = format!("…{}", "b".repeat(100));
        let pad = " ".repeat(100);
        assert_eq!(
            d.to_string(),
            format!("error: bad\n --> content/a.md:2:10008\n  |\n2 | {shown}\n  | {pad}^")
        );
        let d = Diagnostic::error("content/a.md", "bad").at(&source, 2, 0);
        let shown = format!("title: {}…", "a".repeat(93));
        assert_eq!(
            d.to_string(),
            format!("error: bad\n --> content/a.md:2\n  |\n2 | {shown}")
        );
    }

    #[test]
    fn a_diagnostic_keeps_only_the_part_of_a_long_line_it_can_show() {
        let line: String = (0..100_000).map(|i| format!("w{i} ")).collect();
        let source = format!("---\n{line}\n");
        for column in [
            1,
            700,
            50_000,
            line.chars().count(),
            line.chars().count() + 5,
        ] {
            let d = Diagnostic::error("a.md", "bad").at(&source, 2, column);
            let kept = &d.snippet.as_ref().unwrap().text;
            assert!(kept.chars().count() <= 1000, "{column}: {}", kept.len());
            // Shown as the whole line would be.
            let whole = Diagnostic {
                snippet: Some(Box::new(Snippet {
                    text: line.clone(),
                    start: 0,
                })),
                ..d.clone()
            };
            assert_eq!(d.to_string(), whole.to_string(), "{column}");
        }
    }

    #[test]
    fn a_long_value_quoted_in_a_message_or_hint_is_cut() {
        let name = "P".repeat(5000);
        let d = Diagnostic::warning(
            "content/a.md",
            format!("partner `{name}` is not in the registry; nor is `Q`"),
        )
        .with_hint(format!("add `{name}` to content/partners.yaml"));
        let cut = format!("{}…", "P".repeat(100));
        assert_eq!(
            d.to_string(),
            format!(
                "warning: partner `{cut}` is not in the registry; nor is `Q`\n --> content/a.md\n  = hint: add `{cut}` to content/partners.yaml"
            )
        );
        // A value of exactly the longest is kept whole, and so is text after an unclosed
        // backtick.
        let d = Diagnostic::error("a.md", format!("`{}` and `{name}", "x".repeat(100)));
        assert_eq!(
            d.to_string(),
            format!("error: `{}` and `{name}\n --> a.md", "x".repeat(100))
        );
    }

    #[test]
    fn suggests_close_names_only() {
        let fields = ["title", "partners", "topics"];
        assert_eq!(suggest("partner", fields), Some("partners"));
        assert_eq!(suggest("zzz", fields), None);
    }
}
