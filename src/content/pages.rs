//! Standing pages: Markdown under `content/pages/` (`about.md` → `/about/`,
//! `team/contact.md` → `/team/contact/`, `about.th.md` → `/th/about/`). Undated; read, typed
//! and rendered on every load (a site has a handful), after the entries are typed, so that
//! entries and pages may link to each other.

use std::path::PathBuf;
use std::sync::Arc;

use serde::Deserialize;

use super::body::{LinkTargets, Where, not_shown, root_links, text_problems};
use super::frontmatter::{self, Recovery, Spanned};
use super::read::{folder_of, read_text};
use super::{LoadOptions, RESERVED};
use crate::config::Config;
use crate::diagnostic::{self, Diagnostic, display_path};
use crate::markdown;
use crate::model::{StandingPage, When};
use crate::slug;

/// The folder under `content/` whose Markdown files are standing pages.
pub const FOLDER: &str = "pages";

/// The front matter fields of a standing page, in the order of the documentation.
pub const FIELDS: &[&str] = &["title", "summary", "reviewed", "menu", "draft"];

/// Whether the content-relative path `rel` is a standing page's file.
pub(super) fn is_page(rel: &str) -> bool {
    rel.starts_with("pages/") && rel.ends_with(".md")
}

/// A file name's stem cut at its language suffix: `about.th` → (`about`, `th`). A suffix is
/// two or three lowercase ASCII letters, with an optional region (`pt-br`); anything else
/// (`v1.2`, `report.final`) is part of the name. Shared by every file that may be written
/// per language.
pub fn split_language(stem: &str) -> (&str, Option<&str>) {
    let Some((name, code)) = stem.rsplit_once('.') else {
        return (stem, None);
    };
    let (language, region) = code.split_once('-').unwrap_or((code, ""));
    let letters = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_lowercase())
    };
    let is_code = letters(language, 2..=3) && (region.is_empty() || letters(region, 2..=3));
    match is_code && !name.is_empty() {
        true => (name, Some(code)),
        false => (stem, None),
    }
}

/// The languages a file may be written in: for now the site's one `language`. This is the
/// hook for `languages:` in `site.yaml`; the first is the site's own, whose pages have no
/// prefix in their URL.
pub fn site_languages(config: &Config) -> Vec<&str> {
    vec![config.language.as_str()]
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PageFront {
    title: Spanned<String>,
    /// Refused: a standing page is not dated.
    date: Option<Spanned<serde::de::IgnoredAny>>,
    summary: Option<String>,
    reviewed: Option<Spanned<String>>,
    menu: Option<Spanned<u32>>,
    #[serde(default)]
    draft: bool,
}

/// A standing page read and typed; its body is rendered by [`render_pages`].
pub(super) struct TypedPage {
    rel: String,
    file: PathBuf,
    /// The front matter's text, with its delimiters.
    front_text: String,
    body_line: usize,
    title: String,
    pub(super) url: String,
    language: String,
    summary: String,
    reviewed: Option<When>,
    menu: Option<u32>,
    draft: bool,
}

/// The standing pages of a load, typed.
pub(super) struct TypedPages {
    pub(super) pages: Vec<TypedPage>,
    pub(super) problems: Vec<Diagnostic>,
    /// The files that could not be typed: links to them are not reported.
    pub(super) failed: Vec<String>,
    /// The drafts, left out unless `--drafts`.
    pub(super) hidden: Vec<String>,
}

/// Every standing page of `rels` read and typed, and the problems of each; the drafts are
/// left out unless `options.drafts`.
pub(super) fn type_pages(config: &Config, options: &LoadOptions, rels: &[String]) -> TypedPages {
    let mut typed = TypedPages {
        pages: Vec::new(),
        problems: Vec::new(),
        failed: Vec::new(),
        hidden: Vec::new(),
    };
    for rel in rels {
        match type_page(config, options, rel) {
            Ok((page, _)) if page.draft && !options.drafts => typed.hidden.push(rel.clone()),
            Ok((page, warnings)) => {
                typed.problems.extend(warnings);
                typed.pages.push(page);
            }
            Err(found) => {
                typed.problems.extend(found);
                typed.failed.push(rel.clone());
            }
        }
    }
    typed.problems.extend(taken_urls(&typed.pages));
    typed
}

/// One standing page typed, with its warnings; or every problem of its file.
fn type_page(
    config: &Config,
    options: &LoadOptions,
    rel: &str,
) -> Result<(TypedPage, Vec<Diagnostic>), Vec<Diagnostic>> {
    let file = PathBuf::from("content").join(rel);
    let text = read_text(config, rel, &file).map_err(|d| vec![d])?;
    let split = frontmatter::split(&file, &text).map_err(|d| vec![d])?;
    let (front, mut problems) = parse(&file, &text, &split);
    let front = front.ok_or_else(|| problems.clone())?;
    let at = |span: &frontmatter::Location| (span.line + 1, span.column);
    let title = front.title.value.trim().to_string();
    if title.is_empty() {
        let (line, column) = at(&front.title.referenced);
        problems.push(
            Diagnostic::error(&file, "the title is empty")
                .at(&text, line, column)
                .with_hint("give the page a title, e.g. `title: About us`"),
        );
    }
    if let Some(date) = &front.date {
        let (line, column) = at(&date.referenced);
        problems.push(
            Diagnostic::error(&file, "a standing page has no `date`")
                .at(&text, line, column)
                .with_hint("to say when the page was last checked, write `reviewed:` with that date; a dated item is an entry, and belongs outside `content/pages/`"),
        );
    }
    let reviewed = front.reviewed.as_ref().and_then(|value| {
        match frontmatter::parse_date(&value.value, &config.timezone) {
            Ok((zoned, has_time)) => Some(When::new(&zoned, has_time, &config.timezone)),
            Err(message) => {
                let (line, column) = at(&value.referenced);
                problems.push(
                    Diagnostic::error(&file, message)
                        .at(&text, line, column)
                        .with_hint(frontmatter::date_hint(&value.value)),
                );
                None
            }
        }
    });
    let (url, language) = url_of(config, rel, &file, &mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let mut warnings = problems;
    if let (Some(when), Some(value)) = (&reviewed, &front.reviewed) {
        let (line, column) = at(&value.referenced);
        warnings.extend(stale_review(
            config,
            options,
            &file,
            &text,
            when,
            (line, column),
        ));
    }
    let body_line = split.body_line;
    let body_start = text.len() - split.body.len();
    Ok((
        TypedPage {
            rel: rel.to_string(),
            file,
            front_text: text[..body_start].to_string(),
            body_line,
            title,
            url,
            language,
            summary: front
                .summary
                .map(|s| s.trim().to_string())
                .unwrap_or_default(),
            reviewed,
            menu: front.menu.map(|m| m.value),
            draft: front.draft,
        },
        warnings,
    ))
}

/// The front matter of a standing page as far as it could be read, and every problem in it:
/// after each, the field that holds it is left out and the rest read again.
fn parse(
    file: &std::path::Path,
    text: &str,
    split: &frontmatter::Split,
) -> (Option<PageFront>, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut recovering = crate::yaml::Recovering::new(split.yaml);
    let mut yaml = split.yaml.to_string();
    loop {
        let error = match crate::yaml::parse::<PageFront>(&yaml) {
            Ok(front) => return (Some(front), problems),
            Err(error) => error,
        };
        let (mut diagnostic, recovery) = frontmatter::diagnose(file, text, &yaml, &error);
        if let Some(field) = diagnostic
            .message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split('`').next())
        {
            diagnostic.hint = Some(match diagnostic::suggest(field, FIELDS.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the fields of a standing page are: {}", FIELDS.join(", ")),
            });
        }
        let written = diagnostic.snippet.as_ref().map_or("", |s| s.text.as_str());
        if written.trim_start().starts_with("menu:") && !diagnostic.message.starts_with("unknown") {
            diagnostic.hint = Some(
                "`menu` is the page's place in the navigation, a whole number, e.g. `menu: 1`"
                    .into(),
            );
        }
        if diagnostic.message == "missing required field `title`" {
            diagnostic.hint =
                Some("add a line such as `title: About us` to the front matter".into());
        }
        problems.push(diagnostic);
        let line = match recovery {
            Recovery::LeaveOut(line) if problems.len() < frontmatter::MOST_PROBLEMS => line,
            _ => return (None, problems),
        };
        if recovering.blank_item(line).is_none() {
            return (None, problems);
        }
        yaml = recovering.text();
        if yaml.trim().is_empty() {
            return (None, problems);
        }
    }
}

/// The page's URL and language, from its path under `content/pages/`: each folder and the
/// file's name slugified, a language suffix taken off and, for a language other than the
/// site's own, put in front.
fn url_of(
    config: &Config,
    rel: &str,
    file: &std::path::Path,
    problems: &mut Vec<Diagnostic>,
) -> (String, String) {
    let inside = rel.strip_prefix("pages/").unwrap_or(rel);
    let stem = inside.strip_suffix(".md").unwrap_or(inside);
    let (stem, code) = split_language(stem);
    let languages = site_languages(config);
    let language = match code {
        Some(code) if !languages.contains(&code) => {
            problems.push(
                Diagnostic::error(
                    file,
                    format!("the file name ends in `.{code}.md`, but `{code}` is not a language of this site"),
                )
                .with_hint(format!(
                    "the site's languages are: {} (`language` in site.yaml); name the file without the suffix, e.g. `{}.md`",
                    languages.join(", "),
                    stem.rsplit('/').next().unwrap_or(stem)
                )),
            );
            config.language.clone()
        }
        Some(code) => code.to_string(),
        None => config.language.clone(),
    };
    let mut path: Vec<String> = stem.split('/').map(slug::slugify).collect();
    if language != languages[0] {
        path.insert(0, language.clone());
    }
    let first = path.first().map_or("", String::as_str);
    if RESERVED.contains(&first) {
        problems.push(
            Diagnostic::error(
                file,
                format!(
                    "the page's URL `/{}/` is one the site makes itself (`{first}/`)",
                    path.join("/")
                ),
            )
            .with_hint("give the page's file another name"),
        );
    }
    (config.url(&format!("{}/", path.join("/"))), language)
}

/// A warning when `reviewed` is more than a year before the moment judged against.
fn stale_review(
    config: &Config,
    options: &LoadOptions,
    file: &std::path::Path,
    text: &str,
    reviewed: &When,
    (line, column): (usize, usize),
) -> Option<Diagnostic> {
    let today = options
        .now
        .to_zoned_datetime(config.timezone.clone())
        .date();
    let year_ago = today.checked_sub(jiff::Span::new().years(1)).ok()?;
    let date: jiff::civil::Date = reviewed.date.parse().ok()?;
    (date < year_ago).then(|| {
        Diagnostic::warning(
            file,
            format!(
                "the page was last reviewed on {}, more than a year ago",
                reviewed.date
            ),
        )
        .at(text, line, column)
        .with_hint(
            "check that the page is still true, then set `reviewed:` to the date of that review",
        )
    })
}

/// An error for each page whose URL another page has.
fn taken_urls(pages: &[TypedPage]) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        if let Some(other) = pages[..i].iter().find(|p| p.url == page.url) {
            problems.push(taken(page, &other.file));
        }
    }
    problems
}

/// The error of `page`, whose URL is also that of the file `other`.
fn taken(page: &TypedPage, other: &std::path::Path) -> Diagnostic {
    Diagnostic::error(
        &page.file,
        format!(
            "the URL `{}` is taken by both `{}` and `{}`",
            page.url,
            display_path(other),
            display_path(&page.file)
        ),
    )
    .with_hint("rename one of the two files")
}

/// An error for each page whose URL an entry has (`entries`: each entry's URL and file).
pub(super) fn taken_by_entries<'e>(
    pages: &[TypedPage],
    entries: impl IntoIterator<Item = (&'e str, &'e std::path::Path)>,
) -> Vec<Diagnostic> {
    let urls: ahash::HashMap<&str, &std::path::Path> = entries.into_iter().collect();
    (pages.iter())
        .filter_map(|page| Some(taken(page, urls.get(page.url.as_str())?)))
        .collect()
}

/// The pages' URLs by content-relative path, for links to them.
pub(super) fn urls(pages: &[TypedPage]) -> impl Iterator<Item = (String, String)> + '_ {
    (pages.iter()).map(|p| (p.rel.clone(), p.url.clone()))
}

/// Renders each page's body against `links`: the pages, ordered by URL, and the problems of
/// their texts.
pub(super) fn render_pages(
    config: &Config,
    pages: Vec<TypedPage>,
    links: LinkTargets,
) -> (Vec<Arc<StandingPage>>, Vec<Diagnostic>) {
    let mut made = Vec::new();
    let mut problems = Vec::new();
    for page in pages {
        let text = match read_text(config, &page.rel, &page.file) {
            Ok(text) if text.starts_with(&page.front_text) => text,
            Ok(_) => {
                problems.push(
                    Diagnostic::error(
                        &page.file,
                        "the file changed while the site was being built",
                    )
                    .with_hint("build again once the file is saved"),
                );
                continue;
            }
            Err(problem) => {
                problems.push(problem);
                continue;
            }
        };
        let body = &text[page.front_text.len()..];
        let rendered = markdown::render(body, &links.for_body(config, folder_of(&page.rel), false));
        let at = Where {
            file: &page.file,
            body_line: page.body_line,
        };
        problems.extend(text_problems(at, &text, body, &rendered.problems));
        problems.extend(not_shown(at, &rendered.problems));
        let (root_links, too_many) = root_links(at, &text, body, rendered.root_links);
        problems.extend(too_many);
        made.push(Arc::new(StandingPage {
            file: page.file,
            title: page.title,
            url: page.url,
            language: page.language,
            summary: page.summary,
            reviewed: page.reviewed,
            menu: page.menu,
            body_html: rendered.html,
            toc: rendered.toc,
            root_links,
        }));
    }
    made.sort_by(|a, b| a.url.cmp(&b.url));
    (made, problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_suffix_is_two_or_three_letters() {
        assert_eq!(split_language("about.th"), ("about", Some("th")));
        assert_eq!(split_language("about.pt-br"), ("about", Some("pt-br")));
        assert_eq!(split_language("about"), ("about", None));
        assert_eq!(split_language("v1.2"), ("v1.2", None));
        assert_eq!(split_language("report.final"), ("report.final", None));
        assert_eq!(
            split_language("team/contact.en"),
            ("team/contact", Some("en"))
        );
        assert_eq!(split_language(".th"), (".th", None));
    }
}
