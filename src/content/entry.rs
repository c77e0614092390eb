//! Typing an entry: its front matter's fields checked and given types, its URL made
//! ([`Typed`]); the body is not rendered yet. Also the checks across typed entries: two
//! entries with one URL, and which entries are published.

use std::cell::OnceCell;
use std::path::Path;
use std::sync::Arc;

use ahash::HashMap;

use super::frontmatter::{self, FrontMatter};
use super::read::{Parsed, read_and_parse};
use super::{LoadOptions, RESERVED};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, display_path};
use crate::model::{Place, Source, Update, When, Withdrawal};
use crate::slug;

/// A typed entry, or every problem of its file.
pub(super) type TypedOrProblems = Result<Arc<Typed>, Vec<Diagnostic>>;

/// [`read_and_parse`], then [`type_entry`]: the typed entry, or every problem of the file.
pub(super) fn read_entry(config: &Config, rel: &str) -> Result<Typed, Vec<Diagnostic>> {
    let read = read_and_parse(config, rel)?;
    type_entry(config, read.parsed, read.problems, &read.stand_ins)
}

/// An entry whose fields are typed and whose URL is known; the body is not rendered yet.
pub(super) struct Typed {
    pub(super) parsed: Parsed,
    pub(super) rel: String,
    pub(super) title: String,
    pub(super) date: When,
    pub(super) kind: String,
    pub(super) slug: String,
    pub(super) url: String,
    pub(super) publish_at: Option<jiff::Timestamp>,
    pub(super) updates: Vec<Update>,
    pub(super) withdrawn: Option<Withdrawal>,
    pub(super) source: Option<Source>,
    pub(super) aliases: Vec<String>,
    pub(super) alias_places: Vec<Place>,
}

/// The most partners, topics and aliases one entry may name. Each partner's page shows the
/// entry with every other partner it names, and each feed it is in lists them all, so the
/// site grows with the square of this: at 1,000 partners it is about 130 MB.
pub const MOST_NAMES: usize = 1000;

pub(super) fn location(span: &frontmatter::Location) -> (usize, usize) {
    // Front matter starts on the second line of the file.
    (span.line + 1, span.column)
}

/// Types a parsed entry: every problem of its fields, with those `problems` its front matter
/// had already (fields with problems were left out of `parsed.front`; `stand_ins` are the
/// required fields that were given a stand-in and are not checked).
pub(super) fn type_entry(
    config: &Config,
    parsed: Parsed,
    problems: Vec<Diagnostic>,
    stand_ins: &[&str],
) -> Result<Typed, Vec<Diagnostic>> {
    let mut report = Report {
        file: &parsed.file,
        text: &parsed.text,
        lines: OnceCell::new(),
        problems,
    };
    let front = &parsed.front;
    too_many_names(front, &mut report);
    let title = front.title.value.trim().to_string();
    if title.is_empty() && !stand_ins.contains(&"title") {
        report.add(
            &front.title.referenced,
            "the title is empty".into(),
            "give the entry a title, e.g. `title: Visit to Washington`",
        );
    }
    let date = if stand_ins.contains(&"date") {
        None
    } else {
        when(config, &front.date, &mut report)
    };
    let publish_at = (front.publish_at.as_ref()).map(|at| when(config, at, &mut report));
    let updates = updates(config, front, &mut report);
    let withdrawn = withdrawn(config, front, &mut report);
    let source = front.source.as_ref().map(|raw| Source {
        name: raw.name.clone(),
        url: raw.url.clone(),
        published: (raw.published.as_ref()).and_then(|at| when(config, at, &mut report)),
    });
    let kind = kind(config, front, &mut report);
    let slug = slug_of(front, &parsed.rel, &mut report);
    let (aliases, alias_places) = aliases(front, &mut report);
    let folder = folder_slugs(&parsed.rel);
    let first = folder.first().cloned().unwrap_or_else(|| slug.clone());
    if RESERVED.contains(&first.as_str()) {
        reserved(front, &first, &mut report);
    }
    let problems = report.problems;
    let (Some(date), true) = (date, problems.is_empty()) else {
        return Err(problems);
    };
    let publish_at = publish_at.flatten().map(|w| w.instant);
    let mut path = folder.join("/");
    if !path.is_empty() {
        path.push('/');
    }
    path.push_str(&slug);
    path.push('/');
    Ok(Typed {
        url: config.url(&path),
        rel: parsed.rel.clone(),
        title,
        date,
        kind,
        slug,
        publish_at,
        updates,
        withdrawn,
        source,
        aliases,
        alias_places,
        parsed,
    })
}

/// The problems of one entry's fields, placed in its front matter's text.
struct Report<'p> {
    file: &'p Path,
    text: &'p str,
    /// Split once, and only when needed: a thousand aliases on one line are not each a pass
    /// over the text.
    lines: OnceCell<diagnostic::Lines<'p>>,
    problems: Vec<Diagnostic>,
}

impl<'p> Report<'p> {
    fn lines(&self) -> &diagnostic::Lines<'p> {
        self.lines.get_or_init(|| diagnostic::Lines::new(self.text))
    }

    /// An error at `span`, unless the front matter has many already: thousands of wrong
    /// dates are not thousands of reports.
    fn add(&mut self, span: &frontmatter::Location, message: String, hint: &str) {
        if self.problems.len() <= frontmatter::MOST_PROBLEMS {
            let (line, column) = location(span);
            let error = Diagnostic::error(self.file, message)
                .at_in(self.lines(), line, column)
                .with_hint(hint);
            self.problems.push(error);
        }
    }
}

/// An error for each list of names longer than [`MOST_NAMES`].
fn too_many_names(front: &FrontMatter, report: &mut Report) {
    for (names, what, hint) in [
        (
            &front.partners,
            "partners",
            "name the entry's main partners here and the others in its text",
        ),
        (
            &front.topics,
            "topics",
            "keep the topics an entry is filed under to a few",
        ),
        (
            &front.aliases,
            "aliases",
            "redirect whole old folders from the web server instead",
        ),
    ] {
        if let Some(first_too_many) = names.get(MOST_NAMES) {
            report.add(
                &first_too_many.referenced,
                format!(
                    "the entry lists {} {what}; at most {MOST_NAMES} are allowed",
                    names.len()
                ),
                hint,
            );
        }
    }
}

/// A date as written, in the site's time zone; `None` (and a problem) when it is not one.
fn when(
    config: &Config,
    value: &frontmatter::Spanned<String>,
    report: &mut Report,
) -> Option<When> {
    match frontmatter::parse_date(&value.value, &config.timezone) {
        Ok((zoned, has_time)) => Some(When::new(&zoned, has_time, &config.timezone)),
        Err(message) => {
            let hint = frontmatter::date_hint(&value.value);
            report.add(&value.referenced, message, &hint);
            None
        }
    }
}

/// The updates whose dates are dates, oldest first.
fn updates(config: &Config, front: &FrontMatter, report: &mut Report) -> Vec<Update> {
    let mut updates = Vec::new();
    for update in &front.updates {
        if let Some(date) = when(config, &update.date, report) {
            updates.push(Update {
                date,
                note: update.note.clone(),
                minor: update.minor,
            });
        }
    }
    updates.sort_by_key(|u| u.date.instant);
    updates
}

/// The entry's withdrawal, when its date is a date and a reason is given.
fn withdrawn(config: &Config, front: &FrontMatter, report: &mut Report) -> Option<Withdrawal> {
    let raw = front.withdrawn.as_ref()?;
    let date = when(config, &raw.date, report);
    let reason = raw.reason.value.trim();
    if reason.is_empty() {
        report.add(
            &raw.reason.referenced,
            "the reason for the withdrawal is empty".into(),
            "say why the entry was withdrawn, e.g. `reason: The meeting was cancelled`",
        );
        return None;
    }
    Some(Withdrawal {
        date: date?,
        reason: reason.to_string(),
    })
}

/// The entry's kind: the site's first when none is written.
fn kind(config: &Config, front: &FrontMatter, report: &mut Report) -> String {
    let Some(kind) = &front.kind else {
        return config.kinds[0].id.clone();
    };
    let value = kind.value.trim();
    if config.kind(value).is_none() {
        let ids: Vec<&str> = config.kinds.iter().map(|k| k.id.as_str()).collect();
        let hint = match diagnostic::suggest(value, ids.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the kinds of this site are: {}", ids.join(", ")),
        };
        report.add(&kind.referenced, format!("unknown kind `{value}`"), &hint);
    }
    value.to_string()
}

/// The entry's slug: as written, or made from the file's name at `rel`.
fn slug_of(front: &FrontMatter, rel: &str, report: &mut Report) -> String {
    let Some(value) = &front.slug else {
        return slug_from_file_name(rel);
    };
    if let Err(message) = frontmatter::check_slug(&value.value) {
        report.add(
            &value.referenced,
            message,
            &format!(
                "a slug uses only lowercase letters, digits and single dashes, e.g. `{}`",
                slug::slugify(&value.value)
            ),
        );
    }
    value.value.clone()
}

/// The aliases that are paths inside the site, and where each alias is written.
fn aliases(front: &FrontMatter, report: &mut Report) -> (Vec<String>, Vec<Place>) {
    let mut aliases = Vec::new();
    let mut alias_places = Vec::new();
    for alias in &front.aliases {
        let (line, column) = location(&alias.referenced);
        let text = report.lines().get(line).unwrap_or("");
        let (snippet, snippet_start) = diagnostic::cut_line(text, column);
        alias_places.push(Place {
            line,
            column,
            snippet,
            snippet_start,
        });
        let Some(path) = normalise_alias(&alias.value) else {
            report.add(
                &alias.referenced,
                format!("alias `{}` is not a URL path", alias.value),
                "write the old path from the site root, e.g. `/news/2022/old-title/`",
            );
            continue;
        };
        if path.split('/').any(|part| part.len() > LONGEST_ALIAS_PART) {
            report.add(
                &alias.referenced,
                format!(
                    "alias `{}` has a part longer than {LONGEST_ALIAS_PART} bytes",
                    alias.value
                ),
                "each part becomes a folder or file name, which file systems keep to 255 bytes",
            );
            continue;
        }
        aliases.push(path);
    }
    (aliases, alias_places)
}

/// The slugs of the folders of the content-relative path `rel`, outermost first.
fn folder_slugs(rel: &str) -> Vec<String> {
    let mut folders: Vec<&str> = rel.split('/').collect();
    folders.pop();
    folders.into_iter().map(slug::slugify).collect()
}

/// The error of an entry whose URL starts with `first`, one of the [`RESERVED`] segments.
/// It is reported however many problems there are already.
fn reserved(front: &FrontMatter, first: &str, report: &mut Report) {
    let (line, column) = front
        .slug
        .as_ref()
        .map_or((0, 0), |s| location(&s.referenced));
    let error = Diagnostic::error(
        report.file,
        format!("the entry's URL `/{first}/…` is one the site generates"),
    )
    .at_in(report.lines(), line, column)
    .with_hint(format!(
        "rename the folder or the slug; these are taken: {}",
        RESERVED.join(", ")
    ));
    report.problems.push(error);
}

/// `2022-05-24-thai-us.md` → `thai-us`.
pub fn slug_from_file_name(rel: &str) -> String {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let stem = name.strip_suffix(".md").unwrap_or(name);
    let bytes = stem.as_bytes();
    let dated = bytes.len() > 11
        && bytes[..4].iter().all(u8::is_ascii_digit)
        && bytes[4] == b'-'
        && bytes[5..7].iter().all(u8::is_ascii_digit)
        && bytes[7] == b'-'
        && bytes[8..10].iter().all(u8::is_ascii_digit)
        && bytes[10] == b'-';
    slug::slugify(if dated { &stem[11..] } else { stem })
}

/// The longest part of an alias between slashes, in bytes: each is written as a folder or
/// file name.
pub(super) const LONGEST_ALIAS_PART: usize = 200;

/// An alias as a clean absolute path ending in `/` (or a file name), or `None` when it is not
/// a path inside the site.
pub(super) fn normalise_alias(alias: &str) -> Option<String> {
    let alias = alias.trim();
    if !alias.starts_with('/') || alias.contains("://") || alias.contains('\\') {
        return None;
    }
    let parts: Vec<&str> = alias.split('/').filter(|p| !p.is_empty()).collect();
    if parts.is_empty()
        || parts
            .iter()
            .any(|p| *p == "." || *p == ".." || p.contains(['?', '#']))
    {
        return None;
    }
    let mut path = parts.join("/");
    if !path.ends_with(".html") {
        path.push('/');
    }
    Some(path)
}

pub(super) fn check_urls(typed: &[Arc<Typed>]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut seen: HashMap<&str, &Path> =
        HashMap::with_capacity_and_hasher(typed.len(), Default::default());
    for entry in typed {
        if let Some(other) = seen.get(entry.url.as_str()) {
            problems.push(
                Diagnostic::error(
                    &entry.parsed.file,
                    format!(
                        "the URL `{}` is taken by both `{}` and `{}`",
                        entry.url,
                        display_path(other),
                        display_path(&entry.parsed.file)
                    ),
                )
                .with_hint("give one of them another `slug:` or file name"),
            );
        } else {
            seen.insert(&entry.url, &entry.parsed.file);
        }
    }
    problems
}

pub(super) fn is_published(entry: &Typed, options: &LoadOptions) -> bool {
    let draft_ok = !entry.parsed.front.draft || options.drafts;
    let embargo_ok = options.future || entry.publish_at.is_none_or(|at| at <= options.now);
    draft_ok && embargo_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_file_names() {
        assert_eq!(slug_from_file_name("a/2022-05-24-thai-us.md"), "thai-us");
        assert_eq!(slug_from_file_name("Visit Report.md"), "visit-report");
        assert_eq!(slug_from_file_name("2022-05-24.md"), "2022-05-24");
    }

    #[test]
    fn aliases_stay_inside_the_site() {
        assert_eq!(normalise_alias("/old/path"), Some("old/path/".into()));
        assert_eq!(normalise_alias("/old.html"), Some("old.html".into()));
        assert_eq!(normalise_alias("/../etc/"), None);
        assert_eq!(normalise_alias("old/"), None);
        assert_eq!(normalise_alias("https://x.org/a/"), None);
    }
}
