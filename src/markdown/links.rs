//! Links: internal `@/` links and relative links resolved against the site's files, links
//! from the site's root collected for checking, unsafe URL schemes dropped, external links
//! written with `rel="noopener"`; and the files under `content/` a body links to.

use pulldown_cmark::{CowStr, Event, LinkType, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use super::images::source_offset;
use super::sanitise::SAFE_SCHEMES;
use super::{LinkProblem, Links, Rendered, options};
use crate::model::{Place, RootLink};

/// Resolves internal and relative links, drops unsafe URL schemes, and writes external links
/// with `rel="noopener"`.
pub(super) fn rewrite_links<'a>(
    text: &str,
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    links: &Links,
    found: &mut Rendered,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut external_depth = Vec::new();
    // For each open link: what it says of the document it leads to, if it does.
    let mut described = Vec::new();
    // The photo whose alt text is being read: the photo, its title and the text so far.
    let mut in_photo: Option<(&crate::photos::Photo, String, String)> = None;
    let mut photos_made = 0;
    // A photo with a title that opened a paragraph: where it is in `out`, and its figure.
    let mut figure: Option<(usize, String)> = None;
    for (event, range) in events {
        if let Some((photo, title, alt)) = &mut in_photo {
            match event {
                Event::End(TagEnd::Image) => {
                    let prefix = format!("{}{}/", links.base_path, crate::content::MEDIA);
                    let eager = photos_made == 0 && !links.photo_above;
                    let html = super::images::picture(photo, &prefix, alt, eager);
                    photos_made += 1;
                    figure = push_photo(&mut out, html, title).or(figure.take());
                    in_photo = None;
                }
                Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            continue;
        }
        match event {
            Event::End(TagEnd::Paragraph) => match figure.take() {
                // A paragraph of a photo with a title alone is its figure; a photo with a
                // title in a line of text keeps the title as the image's.
                Some((at, html)) if at + 1 == out.len() => {
                    out.truncate(at - 1);
                    out.push(Event::Html(html.into()));
                }
                _ => out.push(event),
            },
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = resolve(&dest_url, links, range.start, false, found);
                described.push(
                    file_of(&dest_url, links.folder, links.base_path)
                        .and_then(|file| links.documents.get(&file))
                        .map(|document| format!(" ({})", document.summary())),
                );
                if is_external(&target) {
                    let mut tag = "<a href=\"".to_string();
                    let _ = escape_href(&mut tag, &target);
                    tag.push('"');
                    if !title.is_empty() {
                        tag.push_str(" title=\"");
                        let _ = escape_html(&mut tag, &title);
                        tag.push('"');
                    }
                    tag.push_str(" rel=\"noopener\">");
                    out.push(Event::InlineHtml(tag.into()));
                    external_depth.push(true);
                } else {
                    out.push(Event::Start(Tag::Link {
                        link_type: if link_type == LinkType::Email {
                            LinkType::Email
                        } else {
                            LinkType::Inline
                        },
                        dest_url: target.into(),
                        title,
                        id,
                    }));
                    external_depth.push(false);
                }
            }
            Event::End(TagEnd::Link) => {
                if let Some(summary) = described.pop().flatten() {
                    out.push(Event::Text(summary.into()));
                }
                if external_depth.pop() == Some(true) {
                    out.push(Event::InlineHtml("</a>".into()));
                } else {
                    out.push(Event::End(TagEnd::Link));
                }
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = resolve(&dest_url, links, range.start, true, found);
                let photo = file_of(&dest_url, links.folder, links.base_path)
                    .and_then(|file| links.photos.get(&file));
                if let Some(photo) = photo {
                    in_photo = Some((photo, title.to_string(), String::new()));
                    continue;
                }
                out.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url: target.into(),
                    title,
                    id,
                }));
            }
            Event::Html(html) => {
                let html = raw_root_links(html, links, (text, &range), found);
                out.push(Event::Html(html));
            }
            Event::InlineHtml(html) => {
                let html = raw_root_links(html, links, (text, &range), found);
                out.push(Event::InlineHtml(html));
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes a photo's `<picture>`, with its title as the image's title; when the photo opens a
/// paragraph and has a title, returns where it is and its `<figure>` with the title as
/// caption, which the end of the paragraph puts in the paragraph's place if nothing follows it.
fn push_photo(out: &mut Vec<Event>, picture: String, title: &str) -> Option<(usize, String)> {
    if title.trim().is_empty() {
        out.push(Event::InlineHtml(picture.into()));
        return None;
    }
    let opens = matches!(out.last(), Some(Event::Start(Tag::Paragraph)));
    let mut tag = String::new();
    let _ = escape_html(&mut tag, title);
    let titled = picture.replacen("<img ", &format!("<img title=\"{tag}\" "), 1);
    out.push(Event::InlineHtml(titled.into()));
    if !opens {
        return None;
    }
    let mut html = String::from("<figure class=\"photo\">");
    html.push_str(&picture);
    html.push_str("<figcaption>");
    let _ = escape_html(&mut html, title.trim());
    html.push_str("</figcaption></figure>\n");
    Some((out.len() - 1, html))
}

/// Raw HTML with the quoted `href` and `src` values written from the site's root given the
/// base path, as Markdown links are (see [`from_root`]); the same attributes that
/// [`html_references`] reads.
pub(super) fn raw_root_links<'a>(
    html: CowStr<'a>,
    links: &Links,
    (text, range): (&str, &std::ops::Range<usize>),
    found: &mut Rendered,
) -> CowStr<'a> {
    if !html.contains("=\"/") && !html.contains("='/") {
        return html;
    }
    let mut out = String::with_capacity(html.len() + 32);
    let mut copied = 0;
    let mut at = 0;
    while let Some(found_at) = next_url_attribute(&html, at) {
        let (start, quote, name_is_src) = found_at;
        let value_end = html[start..]
            .find(quote)
            .map_or(html.len(), |end| start + end);
        at = value_end;
        let value = &html[start..value_end];
        if !value.starts_with('/') || value.starts_with("//") {
            continue;
        }
        let written = value.replace("&amp;", "&");
        let offset = source_offset(text, range, start, value);
        let target = from_root(&written, links, offset, name_is_src, found);
        out.push_str(&html[copied..start]);
        let _ = escape_href(&mut out, &target);
        copied = value_end;
    }
    if copied == 0 {
        return html;
    }
    out.push_str(&html[copied..]);
    out.into()
}

/// Where the next quoted `href=` or `src=` value of `html` from `from` starts, its quote, and
/// whether it is a `src`.
pub(super) fn next_url_attribute(html: &str, from: usize) -> Option<(usize, char, bool)> {
    let mut from = from;
    loop {
        let rest = &html[from..];
        let href = rest.find("href=").map(|i| (i, 5, false));
        let src = rest.find("src=").map(|i| (i, 4, true));
        let (index, length, is_src) = match (href, src) {
            (Some(h), Some(s)) => {
                if h.0 <= s.0 {
                    h
                } else {
                    s
                }
            }
            (Some(h), None) => h,
            (None, Some(s)) => s,
            (None, None) => return None,
        };
        let value = from + index + length;
        let quote = html[value..]
            .chars()
            .next()
            .filter(|c| matches!(c, '"' | '\''));
        from = value;
        if let Some(quote) = quote {
            return Some((value + 1, quote, is_src));
        }
    }
}

pub(super) fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// The scheme of `url`, if it has one (`javascript` in `JavaScript:alert(1)`).
pub(super) fn scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_control())
        .collect();
    let colon = cleaned.find(':')?;
    let candidate = &cleaned[..colon];
    if candidate.contains(['/', '?', '#']) {
        return None;
    }
    Some(candidate.to_ascii_lowercase())
}

/// Turns a link target as written into the URL to emit.
pub(super) fn resolve(
    dest: &str,
    links: &Links,
    offset: usize,
    image: bool,
    found: &mut Rendered,
) -> String {
    if let Some(path) = dest.strip_prefix("@/") {
        let (file, anchor) = split_anchor(path);
        found.targets.push(file.to_string());
        return match links.entries.get(file) {
            Some(url) => format!("{url}{anchor}"),
            None if links.failed.contains(file) => String::new(),
            None => {
                let (message, hint) = if links.unpublished.contains(file) {
                    (
                        format!("internal link `{dest}` points to an entry that is not published"),
                        "the target is a draft or under embargo; publish it first or remove the link"
                            .to_string(),
                    )
                } else {
                    let hint = match nearest_entry(file, links, found) {
                        Some(near) => format!("did you mean `@/{near}{anchor}`?"),
                        None => "write the path of a Markdown file relative to `content/`, e.g. `@/engagements/2022-05-24-visit.md`"
                            .to_string(),
                    };
                    (format!("internal link `{dest}` points to no entry"), hint)
                };
                found.problems.push(LinkProblem {
                    offset,
                    is_error: true,
                    message,
                    hint,
                });
                String::new()
            }
        };
    }
    if let Some(scheme) = scheme(dest) {
        return if SAFE_SCHEMES.contains(&scheme.as_str()) {
            dest.to_string()
        } else {
            String::new()
        };
    }
    if dest.starts_with('/') && !dest.starts_with("//") {
        return from_root(dest, links, offset, image, found);
    }
    if dest.is_empty() || dest.starts_with('#') || dest.starts_with('/') || dest.starts_with('?') {
        return dest.to_string();
    }
    relative(dest, links, offset, image, found)
}

/// A link from the site's root: the base path is put in front (`/engagements/x/` is
/// `/office-records/engagements/x/` under `base_url: https://example.github.io/office-records/`),
/// unless it is already there. A Markdown file under `content/` (`/engagements/a.md`) is its
/// entry's page; anything else is kept in [`Rendered::root_links`], to be looked for in the
/// site once it is made.
pub(super) fn from_root(
    dest: &str,
    links: &Links,
    offset: usize,
    image: bool,
    found: &mut Rendered,
) -> String {
    let (path, anchor) = split_anchor(dest);
    let (path, query) = path.split_at(path.find('?').unwrap_or(path.len()));
    let in_site = site_path(path, links.base_path);
    let file = decoded(in_site);
    if file.ends_with(".md") {
        found.targets.push(file.clone());
        if let Some(url) = links.entries.get(&file) {
            return format!("{url}{query}{anchor}");
        }
        let (message, hint) = if links.unpublished.contains(&file) {
            (
                format!("link `{dest}` points to an entry that is not published"),
                "the target is a draft or under embargo; publish it first or remove the link",
            )
        } else {
            (
                format!("link `{dest}` points to no entry"),
                "a Markdown file named from the site's root is looked up under `content/`; check the path",
            )
        };
        found.problems.push(LinkProblem {
            offset,
            is_error: true,
            message,
            hint: hint.to_string(),
        });
        return String::new();
    }
    found.root_links.push((
        offset,
        RootLink {
            written: dest.to_string(),
            path: file,
            image,
            place: Place::default(),
            more: 0,
        },
    ));
    format!("{}{in_site}{query}{anchor}", links.base_path)
}

/// The part of `path` (written from the site's root, `/…`) after the base path: `path`
/// without its `/`, or without the base path when it starts with it (a link written with the
/// base path already is not given it twice).
pub(super) fn site_path<'p>(path: &'p str, base_path: &str) -> &'p str {
    match path.strip_prefix(base_path) {
        Some(rest) if base_path != "/" => rest,
        _ if base_path != "/" && path == base_path.trim_end_matches('/') => "",
        _ => path.trim_start_matches('/'),
    }
}

/// A relative link, resolved against the folder of the file: to an entry's URL when it names a
/// Markdown file, else to the copied file. The path is looked up as the server will find it,
/// percent-decoded (`my%20report.pdf` is `my report.pdf`), and emitted as written, query and
/// anchor kept.
pub(super) fn relative(
    dest: &str,
    links: &Links,
    offset: usize,
    image: bool,
    found: &mut Rendered,
) -> String {
    let (path, anchor) = split_anchor(dest);
    let (path, query) = path.split_at(path.find('?').unwrap_or(path.len()));
    let Some(joined) = join(links.folder, path) else {
        return dest.to_string();
    };
    let file = decoded(&joined);
    found.targets.push(file.clone());
    if let Some(url) = links.entries.get(&file) {
        return format!("{url}{query}{anchor}");
    }
    if links.failed.contains(&file) {
        return String::new();
    }
    if file.ends_with(".md") {
        let (message, hint) = if links.unpublished.contains(&file) {
            (
                format!("link `{dest}` points to an entry that is not published"),
                "the target is a draft or under embargo; publish it first or remove the link"
                    .to_string(),
            )
        } else {
            let hint = match nearest_entry(&file, links, found) {
                // Written as the author would: from the entry's folder when it is there.
                Some(near) => match near.strip_prefix(links.folder).and_then(|rest| {
                    rest.strip_prefix('/')
                        .or(links.folder.is_empty().then_some(rest))
                }) {
                    Some(name) if !name.contains('/') => format!("did you mean `{name}{anchor}`?"),
                    _ => format!("did you mean `@/{near}{anchor}`?"),
                },
                None => {
                    "relative links are resolved against the entry's folder; check the file name"
                        .to_string()
                }
            };
            (format!("link `{dest}` points to no entry"), hint)
        };
        found.problems.push(LinkProblem {
            offset,
            is_error: true,
            message,
            hint,
        });
        return String::new();
    }
    if !path.ends_with('/') && !path.is_empty() && !links.assets.contains(&file) {
        // A missing image is an error, as the page would show a broken one; a link to a
        // missing document only a warning.
        found.problems.push(LinkProblem {
            offset,
            is_error: image,
            message: format!(
                "{} `{dest}` points to no file under `content/`",
                if image { "image" } else { "link" }
            ),
            hint: format!(
                "relative {} are resolved against the entry's folder; put the file beside the entry or use a path from the site root",
                if image { "images" } else { "links" }
            ),
        });
    }
    let trailing = if path.ends_with('/') && !joined.is_empty() {
        "/"
    } else {
        ""
    };
    format!("{}{joined}{trailing}{query}{anchor}", links.base_path)
}

/// The most problems of one text that get a "did you mean" hint: each looks through every
/// entry, and no more than this many are shown.
pub(super) const MOST_SUGGESTIONS: usize = 100;

/// The published entry a mistyped link to `file` most likely meant, if one is close: in the
/// same folder, the file whose name is nearest (a letter or two off, or another case); in
/// another folder, a file of the same name (the folder mistyped, or the file moved).
pub(super) fn nearest_entry<'l>(
    file: &str,
    links: &Links<'l>,
    found: &Rendered,
) -> Option<&'l str> {
    if found.problems.len() >= MOST_SUGGESTIONS {
        return None;
    }
    let split = |path: &'l str| path.rsplit_once('/').unwrap_or(("", path));
    let (folder, name) = file.rsplit_once('/').unwrap_or(("", file));
    let name = name.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in links.entries.keys() {
        let (their_folder, their_name) = split(candidate);
        let score = if their_name.to_lowercase() == name {
            if their_folder.eq_ignore_ascii_case(folder) {
                1.0
            } else {
                0.9
            }
        } else if their_folder.eq_ignore_ascii_case(folder)
            && their_name.len().abs_diff(name.len()) <= name.len() / 4 + 1
        {
            strsim::normalized_damerau_levenshtein(&name, &their_name.to_lowercase())
        } else {
            continue;
        };
        let better = best
            .is_none_or(|(top, path)| score > top || (score == top && candidate.as_str() < path));
        if score >= 0.75 && better {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, path)| path)
}

/// `path` (relative, `/`-separated) resolved against `folder`; `None` when it climbs out of
/// `content/`.
pub(super) fn join(folder: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// A URL path percent-decoded, as a server maps it to a file; as it is when it does not
/// decode to UTF-8.
pub(super) fn decoded(path: &str) -> String {
    if !path.contains('%') {
        return path.to_string();
    }
    percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .map_or_else(|_| path.to_string(), |decoded| decoded.into_owned())
}

/// The files under `content/` (content-relative paths) that `body`, a Markdown text in
/// `folder`, links to: its links and images, and the `href` and `src` attributes of its raw
/// HTML, relative or from the site's root (`base_path`). What the entry publishes along with
/// itself.
pub fn linked_files(body: &str, folder: &str, base_path: &str) -> Vec<String> {
    let mut files = Vec::new();
    for event in Parser::new_ext(body, options()) {
        if let Event::Start(Tag::Link { dest_url, .. })
        | Event::Start(Tag::Image { dest_url, .. }) = event
        {
            files.extend(file_of(&dest_url, folder, base_path));
        }
    }
    files.extend(html_references(body, folder, base_path));
    files
}

/// The files under `content/` that the `href` and `src` attributes of `html` (a page made from
/// a Markdown text in `folder`, or raw HTML) point at.
pub fn html_references(html: &str, folder: &str, base_path: &str) -> Vec<String> {
    let mut files = Vec::new();
    for attribute in ["href=", "src="] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            let after = &rest[at + attribute.len()..];
            rest = after;
            let Some(quote) = after.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
                continue;
            };
            let Some(end) = after[1..].find(quote) else {
                continue;
            };
            let value = &after[1..1 + end];
            files.extend(file_of(&value.replace("&amp;", "&"), folder, base_path));
        }
    }
    files
}

/// The file under `content/` that a link from a text in `folder` points at, if it points into
/// the site: a relative path, or one from the site's root (`base_path`), percent-decoded.
pub fn file_of(dest: &str, folder: &str, base_path: &str) -> Option<String> {
    let dest = dest.trim();
    if dest.is_empty()
        || dest.starts_with(['#', '?'])
        || dest.starts_with("@/")
        || dest.starts_with("//")
        || scheme(dest).is_some()
    {
        return None;
    }
    let (path, _) = split_anchor(dest);
    let path = &path[..path.find('?').unwrap_or(path.len())];
    let joined = if path.starts_with('/') {
        join("", site_path(path, base_path))?
    } else {
        join(folder, path)?
    };
    Some(decoded(&joined))
}

pub(super) fn split_anchor(path: &str) -> (&str, &str) {
    match path.find('#') {
        Some(index) => (&path[..index], &path[index..]),
        None => (path, ""),
    }
}
