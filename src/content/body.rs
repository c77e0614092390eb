//! Rendering an entry's body: the Markdown rendered against what its links may point at
//! ([`LinkTargets`]), the problems of its text placed at their lines, and the [`Entry`]
//! assembled.

use std::sync::Arc;

use ahash::{HashMap, HashSet};

use super::entry::{Typed, location};
use super::names::Names;
use super::read::{Parsed, folder_of, read_body};
use crate::attachments::Attachment;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::markdown;
use crate::model::{AttachedFile, Entry, LeadImage, OgImage, Place};
use crate::photos::Format;

/// What an entry's links are looked up in.
#[derive(Clone, Copy)]
pub(super) struct LinkTargets<'a> {
    /// Published entries' URLs, by content-relative path.
    pub(super) urls: &'a HashMap<String, String>,
    /// Entries left out of the build.
    pub(super) hidden: &'a HashSet<String>,
    /// Entries that could not be read.
    pub(super) failed: &'a HashSet<String>,
    /// The other files under `content/`.
    pub(super) files: &'a HashSet<String>,
    /// What is said of the documents among `files`.
    pub(super) documents: &'a HashMap<String, Attachment>,
    /// The photos among `files`.
    pub(super) photos: &'a HashMap<String, crate::photos::Photo>,
}

impl<'a> LinkTargets<'a> {
    /// What Markdown resolves the links of a body in `folder` against; `photo_above` says
    /// whether a lead image comes before the body (so that its first photo is lazy too).
    pub(super) fn for_body(
        &self,
        config: &'a Config,
        folder: &'a str,
        photo_above: bool,
    ) -> markdown::Links<'a> {
        markdown::Links {
            entries: self.urls,
            unpublished: self.hidden,
            failed: self.failed,
            assets: self.files,
            documents: self.documents,
            photos: self.photos,
            photo_above,
            folder,
            base_path: &config.base_path,
            allow_raw_html: config.allow_raw_html,
        }
    }
}

/// An entry with its body rendered, and a digest of everything it was made from besides its
/// own file: its partners and topics as resolved, and what its links pointed at.
pub(super) struct RenderedEntry {
    pub(super) key: u64,
    pub(super) entry: Arc<Entry>,
    pub(super) problems: Vec<Diagnostic>,
    /// What its links were looked up at (see [`markdown::Rendered::targets`]).
    pub(super) targets: Vec<String>,
}

/// The file a body is of and the line it starts at, where its problems are placed: an
/// entry's or a standing page's.
#[derive(Clone, Copy)]
pub(super) struct Where<'a> {
    pub(super) file: &'a std::path::Path,
    pub(super) body_line: usize,
}

impl<'a> Where<'a> {
    pub(super) fn of(parsed: &'a Parsed) -> Self {
        Where {
            file: &parsed.file,
            body_line: parsed.body_line,
        }
    }
}

/// The most problems reported of one entry's text (links that lead nowhere, say); the rest
/// are counted in one more. 20,000 broken links on one line took 17 s and 15 GB to report,
/// each with the whole line.
pub(crate) const MOST_BODY_PROBLEMS: usize = 100;

/// The first year of `date` or `publish_at` taken for one of the Buddhist era (2400 BE is
/// 1857).
pub(super) const BUDDHIST_ERA_FROM: i16 = 2400;

/// The warning that `year`, written at `line` and `column` of `parsed`, looks like one of the
/// Buddhist era.
pub(super) fn buddhist_era(parsed: &Parsed, year: i16, line: usize, column: usize) -> Diagnostic {
    Diagnostic::warning(
        &parsed.file,
        format!("the year {year} looks like one of the Buddhist era"),
    )
    .at(&parsed.text, line, column)
    .with_hint(format!(
        "dates are written in the Common Era: {year} in the Buddhist era is {}",
        i32::from(year) - 543
    ))
}

/// The most distinct paths from the site's root one entry's body may link to and have
/// checked; a body with more is warned about. Each is kept with its place until the site is
/// made (a line of 20,000 links is not 20,000 copies of it).
pub(super) const MOST_ROOT_LINKS: usize = 1000;

/// The body's links from the site's root (`body` starting at line `body_line` of `text`):
/// the first link to each path, placed at its line and column, at most
/// [`MOST_ROOT_LINKS`] of them; and a warning when there were more.
pub(super) fn root_links(
    parsed: Where,
    text: &str,
    body: &str,
    links: Vec<(usize, crate::model::RootLink)>,
) -> (Vec<crate::model::RootLink>, Option<Diagnostic>) {
    if links.is_empty() {
        return (Vec::new(), None);
    }
    // Each path once, at its first link, counting the others.
    let mut first: Vec<(usize, crate::model::RootLink)> = Vec::new();
    let mut at_path: HashMap<String, usize> = HashMap::default();
    for (offset, link) in links {
        match at_path.get(&link.path) {
            Some(&index) => first[index].1.more += 1,
            None => {
                at_path.insert(link.path.clone(), first.len());
                first.push((offset, link));
            }
        }
    }
    let unchecked = first.len().saturating_sub(MOST_ROOT_LINKS);
    first.truncate(MOST_ROOT_LINKS);
    first.sort_by_key(|(offset, _)| *offset);
    let lines = crate::diagnostic::Lines::new(text);
    // Lines and columns counted once through the body, not from its start for each link.
    let (mut at, mut line, mut line_start) = (0, parsed.body_line, 0);
    let placed = (first.into_iter())
        .map(|(offset, mut link)| {
            let offset = offset.min(body.len());
            while let Some(newline) = body[at..offset].find('\n') {
                line += 1;
                line_start = at + newline + 1;
                at = line_start;
            }
            at = offset;
            let column = body[line_start..offset].chars().count() + 1;
            let (snippet, snippet_start) =
                crate::diagnostic::cut_line(lines.get(line).unwrap_or(""), column);
            link.place = Place {
                line,
                column,
                snippet,
                snippet_start,
            };
            link
        })
        .collect();
    let warning = (unchecked > 0).then(|| {
        Diagnostic::warning(
            parsed.file,
            format!(
                "the text links to {} paths from the site's root; the last {unchecked} are not checked",
                MOST_ROOT_LINKS + unchecked
            ),
        )
        .with_hint(format!(
            "at most {MOST_ROOT_LINKS} are looked for in the site; link to fewer pages from one entry"
        ))
    });
    (placed, warning)
}

/// A warning when `body` still holds the placeholder line `gazette new` writes
/// ([`crate::scaffold::PLACEHOLDER_BODY`]), at that line: the entry would go out with it.
pub(super) fn placeholder_body(parsed: &Parsed, text: &str, body: &str) -> Option<Diagnostic> {
    let placeholder = crate::scaffold::PLACEHOLDER_BODY;
    if !body.contains(placeholder) {
        return None;
    }
    let at = body.lines().position(|line| line.trim() == placeholder)?;
    let line = parsed.body_line + at;
    let column = (body.lines().nth(at))
        .map_or(0, |l| l.chars().take_while(|c| c.is_whitespace()).count())
        + 1;
    Some(
        Diagnostic::warning(
            &parsed.file,
            "the entry still has the placeholder text that `gazette new` wrote",
        )
        .at(text, line, column)
        .with_hint("replace it with the entry's text"),
    )
}

/// The documents of the entry's `attachments:`, each found as a relative link (or one from
/// the site's root) would be; an error for each that names no file under `content/`.
fn attached_files(
    config: &Config,
    parsed: &Parsed,
    folder: &str,
    links: &LinkTargets,
    problems: &mut Vec<Diagnostic>,
) -> Vec<AttachedFile> {
    let mut files = Vec::new();
    for raw in &parsed.front.attachments {
        let written = raw.file.value.trim();
        let found = markdown::file_of(written, folder, &config.base_path)
            .filter(|file| links.files.contains(file));
        let Some(file) = found else {
            let (line, column) = location(&raw.file.referenced);
            problems.push(
                Diagnostic::error(
                    &parsed.file,
                    format!("attachment `{written}` points to no file under `content/`"),
                )
                .at(&parsed.text, line, column)
                .with_hint("an attachment's `file` is found as a relative link is, from the entry's folder; put the file beside the entry or write its path from the site root"),
            );
            continue;
        };
        let title = raw.title.trim();
        files.push(AttachedFile {
            title: if title.is_empty() { written } else { title }.to_string(),
            url: format!("{}{file}", config.base_path),
            document: links.documents.get(&file).cloned(),
        });
    }
    files
}

/// The lead image of `image:`, found as a body image is; an error when it names no file
/// under `content/`. Its file is added to `targets`, so that a change of the photo renders
/// the entry again.
fn lead_image(
    config: &Config,
    parsed: &Parsed,
    folder: &str,
    links: &LinkTargets,
    (problems, targets): (&mut Vec<Diagnostic>, &mut Vec<String>),
) -> Option<LeadImage> {
    let raw = parsed.front.image.as_ref()?;
    let written = raw.src.value.trim();
    let found = markdown::file_of(written, folder, &config.base_path)
        .filter(|file| links.files.contains(file));
    let Some(file) = found else {
        let (line, column) = location(&raw.src.referenced);
        problems.push(
            Diagnostic::error(
                &parsed.file,
                format!("lead image `{written}` points to no file under `content/`"),
            )
            .at(&parsed.text, line, column)
            .with_hint("an image's `src` is found as a relative link is, from the entry's folder; put the photo beside the entry or write its path from the site root"),
        );
        return None;
    };
    targets.push(file.clone());
    let credit = (raw.credit.as_deref().map(str::trim)).filter(|c| !c.is_empty());
    let mut image = LeadImage {
        alt: raw.alt.trim().to_string(),
        credit: credit.map(str::to_string),
        src: format!("{}{file}", config.base_path),
        srcset: String::new(),
        webp_srcset: String::new(),
        sizes: markdown::SIZES.to_string(),
        width: None,
        height: None,
        og: None,
    };
    if let Some(photo) = links.photos.get(&file) {
        let prefix = format!("{}{}/", config.base_path, super::MEDIA);
        if let Some(widest) = photo.widest(photo.format) {
            image.src = format!("{prefix}{}", widest.file);
        }
        image.srcset = photo.srcset(photo.format, &prefix);
        if photo.format != Format::Webp {
            image.webp_srcset = photo.srcset(Format::Webp, &prefix);
        }
        image.width = Some(photo.width);
        image.height = Some(photo.height);
        image.og = photo.og_image().map(|variant| OgImage {
            url: config.absolute_url(&format!("{prefix}{}", variant.file)),
            width: variant.width,
            height: variant.height,
            media_type: variant.format.media_type().to_string(),
        });
    }
    Some(image)
}

/// Renders the body and assembles the [`Entry`].
pub(super) fn render_body(
    config: &Config,
    typed: &Typed,
    position: usize,
    names: &Names,
    links: LinkTargets,
) -> Result<(Entry, Vec<Diagnostic>, Vec<String>), Diagnostic> {
    let parsed = &typed.parsed;
    let folder = folder_of(&parsed.rel);
    let text = read_body(config, parsed)?;
    let body = &text[parsed.text.len()..];
    let rendered = markdown::render(
        body,
        &links.for_body(config, folder, parsed.front.image.is_some()),
    );
    let mut problems = text_problems(Where::of(parsed), &text, body, &rendered.problems);
    // Thai offices count years in the Buddhist era (2565 is 2022): such a year in `date` is
    // almost surely one, and would put the entry five centuries ahead.
    let year = typed.date.year;
    if year >= BUDDHIST_ERA_FROM {
        let (line, column) = location(&parsed.front.date.referenced);
        problems.push(buddhist_era(parsed, year, line, column));
    }
    problems.extend(placeholder_body(parsed, &text, body));
    problems.extend(not_shown(Where::of(parsed), &rendered.problems));
    let (root_links, too_many) = root_links(Where::of(parsed), &text, body, rendered.root_links);
    problems.extend(too_many);
    let attachments = attached_files(config, parsed, folder, &links, &mut problems);
    let mut targets = rendered.targets;
    let image = lead_image(
        config,
        parsed,
        folder,
        &links,
        (&mut problems, &mut targets),
    );
    let made = Made {
        attachments,
        image,
        html: rendered.html,
        toc: rendered.toc,
        first_paragraph: rendered.first_paragraph,
        root_links,
    };
    let entry = assemble(
        config,
        typed,
        names.partners(position),
        names.topics(position),
        made,
    );
    Ok((entry, problems, targets))
}

/// The first [`MOST_BODY_PROBLEMS`] problems markdown found in `body` (which starts at line
/// `body_line` of `text`), placed at their lines and columns.
pub(super) fn text_problems(
    parsed: Where,
    text: &str,
    body: &str,
    found: &[markdown::LinkProblem],
) -> Vec<Diagnostic> {
    let shown = found.len().min(MOST_BODY_PROBLEMS);
    let line_column = |offset: usize| {
        let before = &body[..offset.min(body.len())];
        let line = parsed.body_line + before.matches('\n').count();
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        (line, column)
    };
    found[..shown]
        .iter()
        .map(|problem| {
            let (line, column) = line_column(problem.offset);
            let diagnostic = if problem.is_error {
                Diagnostic::error(parsed.file, problem.message.clone())
            } else {
                Diagnostic::warning(parsed.file, problem.message.clone())
            };
            diagnostic
                .at(text, line, column)
                .with_hint(problem.hint.clone())
        })
        .collect()
}

/// One problem counting those of `found` beyond the first [`MOST_BODY_PROBLEMS`], if any.
pub(super) fn not_shown(parsed: Where, found: &[markdown::LinkProblem]) -> Option<Diagnostic> {
    let rest = &found[found.len().min(MOST_BODY_PROBLEMS)..];
    if rest.is_empty() {
        return None;
    }
    let errors = rest.iter().filter(|p| p.is_error).count();
    let message = format!(
        "{} more problems in the text are not shown ({errors} errors, {} warnings)",
        rest.len(),
        rest.len() - errors
    );
    let hint = "fix the ones above and build again";
    Some(match errors {
        0 => Diagnostic::warning(parsed.file, message).with_hint(hint),
        _ => Diagnostic::error(parsed.file, message).with_hint(hint),
    })
}

/// What rendering the body made of it, for [`assemble`].
struct Made {
    attachments: Vec<AttachedFile>,
    image: Option<LeadImage>,
    html: String,
    toc: Vec<crate::model::TocItem>,
    first_paragraph: String,
    root_links: Vec<crate::model::RootLink>,
}

/// The [`Entry`] of a typed entry, its partners and topics resolved and its body `made`.
fn assemble(
    config: &Config,
    typed: &Typed,
    partners: Vec<crate::model::PartnerRef>,
    topics: Vec<crate::model::TopicRef>,
    made: Made,
) -> Entry {
    let parsed = &typed.parsed;
    let front = &parsed.front;
    let summary = match &front.summary {
        Some(summary) => summary.trim().to_string(),
        None => markdown::truncate_words(&made.first_paragraph, 300),
    };
    let updated = typed
        .updates
        .iter()
        .filter(|u| !u.minor)
        .map(|u| &u.date)
        .chain(std::iter::once(&typed.date))
        .chain(typed.withdrawn.iter().map(|w| &w.date))
        .max_by_key(|w| w.instant)
        .cloned()
        .unwrap_or_else(|| typed.date.clone());
    Entry {
        file: parsed.file.clone(),
        kind_label: config
            .kind(&typed.kind)
            .map_or_else(|| typed.kind.clone(), |k| k.label.clone()),
        partners,
        topics,
        location: front.location.clone().filter(|l| !l.trim().is_empty()),
        summary,
        summary_from_body: front.summary.is_none(),
        reference: front.reference.clone(),
        language: config.language.clone(),
        extra: front
            .extra
            .clone()
            .unwrap_or(serde_json::Value::Object(Default::default())),
        draft: front.draft,
        body_html: made.html,
        toc: made.toc,
        root_links: made.root_links,
        title: typed.title.clone(),
        date: typed.date.clone(),
        kind: typed.kind.clone(),
        slug: typed.slug.clone(),
        url: typed.url.clone(),
        updates: typed.updates.clone(),
        updated,
        withdrawn: typed.withdrawn.clone(),
        attachments: made.attachments,
        image: made.image,
        source: typed.source.clone(),
        aliases: typed.aliases.clone(),
        alias_places: typed.alias_places.clone(),
    }
}
