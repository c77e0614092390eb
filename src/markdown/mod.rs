//! Markdown → HTML for entry bodies and partner descriptions.
//!
//! Owns the pulldown-cmark options, heading ids and the table of contents, internal `@/` links,
//! relative links, `rel="noopener"` on external links, unsafe URL schemes and sanitising of raw
//! HTML. Pure: the caller passes in everything it needs to know about other files.

use ahash::{HashMap, HashSet};

use pulldown_cmark::{CowStr, Event, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};

use crate::model::{Place, RootLink, TocItem};
use crate::slug;

/// What the renderer needs to know about the rest of the site.
pub struct Links<'a> {
    /// Content-relative path of every entry (`engagements/a.md`) → its site-relative URL.
    pub entries: &'a HashMap<String, String>,
    /// Content-relative paths of entries left out of this build (drafts, embargoed).
    pub unpublished: &'a HashSet<String>,
    /// Content-relative paths of entries that could not be read (their front matter has
    /// errors): a link to one is not a second problem, as the file is there; its own errors
    /// are the ones to fix.
    pub failed: &'a HashSet<String>,
    /// Content-relative paths of the other files under `content/` (images, PDFs).
    pub assets: &'a HashSet<String>,
    /// Content-relative folder of the file being rendered (`engagements`, or `` at the top).
    pub folder: &'a str,
    /// Prefix of every internal URL (`/` or `/sub/`).
    pub base_path: &'a str,
    pub allow_raw_html: bool,
}

/// A link that points nowhere, with its byte offset in the Markdown text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    pub offset: usize,
    /// A missing Markdown target or image is an error; a missing other file only a warning.
    pub is_error: bool,
    pub message: String,
    pub hint: String,
}

/// The HTML of a body and what was learnt while making it.
#[derive(Debug, Default, Clone)]
pub struct Rendered {
    pub html: String,
    pub toc: Vec<TocItem>,
    /// Plain text of the first paragraph, for a default summary.
    pub first_paragraph: String,
    pub problems: Vec<LinkProblem>,
    /// The content-relative paths links were looked up at (`engagements/a.md`, `map.png`):
    /// the body depends on [`Links`] only through what these are.
    pub targets: Vec<String>,
    /// Links and images from the site's root, to be checked against the site once made,
    /// each with its byte offset in the text (its `place` is left for the caller).
    pub root_links: Vec<(usize, RootLink)>,
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_SMART_PUNCTUATION
}

/// Renders `text` to HTML.
pub fn render(text: &str, links: &Links) -> Rendered {
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(text, options())
        .into_offset_iter()
        .collect();
    let has_raw_html = events
        .iter()
        .any(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let has_footnotes = events
        .iter()
        .any(|(e, _)| matches!(e, Event::Start(Tag::FootnoteDefinition(_))));
    let without_alt = images_without_alt(text, &events, has_raw_html);
    let mut rendered = render_with_ids(text, events, links, has_raw_html, has_footnotes);
    rendered.problems.extend(without_alt);
    rendered.problems.sort_by_key(|p| p.offset);
    rendered
}

/// [`render_events`], again with the ids of raw HTML and footnotes taken when a heading's
/// id is one of them.
fn render_with_ids(
    text: &str,
    events: Vec<(Event, std::ops::Range<usize>)>,
    links: &Links,
    has_raw_html: bool,
    has_footnotes: bool,
) -> Rendered {
    if !has_raw_html && !has_footnotes {
        return render_events(text, events, links, false, &HashSet::default());
    }
    // Raw HTML and footnotes bring ids of their own; when a heading's id is one of them,
    // render again with those ids taken, so that every id of the body is unique.
    let first = render_events(
        text,
        events.clone(),
        links,
        has_raw_html,
        &HashSet::default(),
    );
    let mut ids = id_counts(&first.html);
    let taken = ids_besides_headings(&ids, &first.toc);
    let mut rendered = if first.toc.iter().any(|item| taken.contains(&item.id)) {
        let again = render_events(text, events, links, has_raw_html, &taken);
        ids = id_counts(&again.html);
        again
    } else {
        first
    };
    // Broken raw HTML (an unclosed `<img` …) can swallow a heading whole: the table of
    // contents keeps only the headings that are still there.
    rendered.toc.retain(|item| ids.contains_key(&item.id));
    rendered
}

/// A warning for each image without alt text: a Markdown image whose brackets are empty
/// (`![](map.png)`), and an `<img>` of raw HTML without an `alt` attribute. A decorative image
/// says so on purpose: `![ ](map.png)` (a space between the brackets), `alt=""` or `alt`.
fn images_without_alt(
    text: &str,
    events: &[(Event, std::ops::Range<usize>)],
    has_raw_html: bool,
) -> Vec<LinkProblem> {
    let mut problems = Vec::new();
    let mut no_alt = |offset: usize, src: &str| {
        problems.push(LinkProblem {
            offset,
            is_error: false,
            message: format!("image `{src}` has no alt text"),
            hint: format!(
                "describe it for readers who cannot see it, e.g. `![The delegation at the ministry]({src})`; for an image that is only decoration, write `![ ]({src})` or `alt=\"\"`"
            ),
        });
    };
    let mut index = 0;
    while index < events.len() {
        let (event, range) = &events[index];
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => {
                // The alt text is the image's text; where there is none, the brackets in the
                // source tell a forgotten one (`![]`) from a decorative one (`![ ]`).
                let has_text = events[index + 1..]
                    .iter()
                    .take_while(|(e, _)| !matches!(e, Event::End(TagEnd::Image)))
                    .any(|(e, _)| matches!(e, Event::Text(_) | Event::Code(_)));
                let source = text.get(range.clone()).unwrap_or("");
                if !has_text && source.starts_with("![]") {
                    no_alt(range.start, dest_url);
                }
            }
            Event::Html(_) | Event::InlineHtml(_) if has_raw_html => {
                // A block of raw HTML comes a line at a time: a tag may go on over lines.
                let mut html = String::new();
                let mut span = range.clone();
                while let Some((Event::Html(part) | Event::InlineHtml(part), part_range)) =
                    events.get(index)
                {
                    html.push_str(part);
                    span.end = span.end.max(part_range.end);
                    index += 1;
                }
                for (at, src) in img_tags_without_alt(&html) {
                    no_alt(source_offset(text, &span, at, &html[at..at + 4]), &src);
                }
                continue;
            }
            _ => {}
        }
        index += 1;
    }
    problems
}

/// The byte offset and `src` of each `<img>` tag of `html` without an `alt` attribute.
fn img_tags_without_alt(html: &str) -> Vec<(usize, String)> {
    let lower = html.to_ascii_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<img").map(|i| from + i) {
        let end = lower[at..].find('>').map_or(lower.len(), |i| at + i);
        from = end;
        let tag = &lower[at..end];
        if !tag[4..].starts_with(|c: char| c.is_ascii_whitespace() || c == '/') {
            continue;
        }
        let has_alt = tag.match_indices("alt").any(|(i, _)| {
            tag[..i].ends_with(|c: char| c.is_ascii_whitespace())
                && tag[i + 3..]
                    .chars()
                    .next()
                    .is_none_or(|c| c.is_ascii_whitespace() || c == '=' || c == '/')
        });
        if !has_alt {
            found.push((
                at,
                html_attribute(&html[at..end], "src").unwrap_or_default(),
            ));
        }
    }
    found
}

/// Where in `text` the part of an event's text at `at` is (`part` being what is there): the
/// event's source range is where the event is, but raw HTML inside a list or a quote lost
/// its indentation or `>`, so where the text there is not `part`, the event's start.
fn source_offset(text: &str, range: &std::ops::Range<usize>, at: usize, part: &str) -> usize {
    let offset = range.start + at;
    let there = text
        .get(offset..offset + part.len())
        .is_some_and(|found| found.eq_ignore_ascii_case(part));
    if there && offset < range.end {
        offset
    } else {
        range.start
    }
}

/// The value of a quoted attribute `name` of the HTML tag `tag`, if it has one.
fn html_attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find(name).map(|i| from + i) {
        from = at + name.len();
        if !lower[..at].ends_with(|c: char| c.is_ascii_whitespace()) {
            continue;
        }
        let rest = lower[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let value_at = tag.len() - rest.trim_start().len();
        let quote = tag[value_at..].chars().next()?;
        if !matches!(quote, '"' | '\'') {
            return None;
        }
        let value = &tag[value_at + 1..];
        return Some(value[..value.find(quote).unwrap_or(value.len())].to_string());
    }
    None
}

fn render_events(
    text: &str,
    mut events: Vec<(Event, std::ops::Range<usize>)>,
    links: &Links,
    has_raw_html: bool,
    taken: &HashSet<String>,
) -> Rendered {
    let mut rendered = Rendered {
        toc: assign_heading_ids(&mut events, links.allow_raw_html, taken),
        first_paragraph: first_paragraph(&events),
        ..Rendered::default()
    };
    let events = rewrite_links(text, events, links, &mut rendered);
    let mut html = String::with_capacity(events.len() * 16);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    // Control characters are dropped before sanitising, so the sanitiser judges what the page
    // will hold (`javascript\v:` is `javascript:` by then, and removed). After sanitising they
    // can only come from character references in raw HTML (`&#11;`): those are replaced, never
    // dropped, as dropping one could join a scheme the sanitiser let through as relative.
    let html = without_controls(html, None);
    rendered.html = if has_raw_html && !links.allow_raw_html {
        without_controls(sanitise(&html), Some('\u{fffd}'))
    } else {
        html
    };
    // A build holds every entry's body until its pages are written: none of the room the
    // writing grew into (a third more, on average) is kept. (A copy, as an allocator may
    // shrink a block in place by keeping it whole.)
    if rendered.html.capacity() > rendered.html.len() {
        rendered.html = rendered.html.as_str().to_owned();
    }
    rendered.first_paragraph = without_controls(rendered.first_paragraph, None);
    for item in &mut rendered.toc {
        item.title = without_controls(std::mem::take(&mut item.title), None);
    }
    rendered
}

/// Text without the control characters HTML and XML forbid (all but tab and line breaks):
/// NUL becomes U+FFFD (as CommonMark asks), the others become `replacement` or are dropped.
fn without_controls(text: String, replacement: Option<char>) -> String {
    let is_bad = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    // Fast path on bytes: a control character is a byte below 0x20 or 0x7F, or (U+0080 to
    // U+009F) starts with 0xC2.
    let suspicious =
        |b: u8| (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) || b == 0x7F || b == 0xC2;
    if !crate::scan::any_wanted(text.as_bytes(), suspicious) || !text.chars().any(is_bad) {
        return text;
    }
    text.chars()
        .filter_map(|c| match c {
            '\0' => Some('\u{fffd}'),
            c if is_bad(c) => replacement,
            c => Some(c),
        })
        .collect()
}

/// How many times each `id` is in `html`, read as a browser would.
fn id_counts(html: &str) -> HashMap<String, usize> {
    use html5ever::tendril::StrTendril;
    use html5ever::tokenizer::{
        BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, states::RawKind,
    };

    struct Ids(std::cell::RefCell<HashMap<String, usize>>);
    impl TokenSink for Ids {
        type Handle = ();
        fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
            let Token::TagToken(tag) = token else {
                return TokenSinkResult::Continue;
            };
            if tag.kind == TagKind::EndTag {
                return TokenSinkResult::Continue;
            }
            if let Some(id) = tag.attrs.iter().find(|a| &*a.name.local == "id") {
                *self.0.borrow_mut().entry(id.value.to_string()).or_default() += 1;
            }
            match &*tag.name {
                "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                    TokenSinkResult::RawData(RawKind::Rawtext)
                }
                "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                "plaintext" => TokenSinkResult::Plaintext,
                _ => TokenSinkResult::Continue,
            }
        }
    }

    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(Ids(Default::default()), Default::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

/// The ids of `counts` other than one for each heading of `toc`: those of footnotes and raw
/// HTML.
fn ids_besides_headings(counts: &HashMap<String, usize>, toc: &[TocItem]) -> HashSet<String> {
    let mut counts = counts.clone();
    for item in toc {
        if let Some(count) = counts.get_mut(&item.id) {
            *count = count.saturating_sub(1);
        }
    }
    counts
        .into_iter()
        .filter(|(_, count)| *count > 0)
        .map(|(id, _)| id)
        .collect()
}

/// Gives every heading a stable, unique `id` (an explicit `{#id}` wins) and returns the TOC.
/// Heading attributes other than the id and classes (`{onclick=…}`, `{style=…}`) are raw HTML
/// in disguise: they are kept only when `allow_raw_html` is set.
/// Ids in `taken` (of footnotes or raw HTML) are left to them.
fn assign_heading_ids(
    events: &mut [(Event, std::ops::Range<usize>)],
    allow_raw_html: bool,
    taken: &HashSet<String>,
) -> Vec<TocItem> {
    let mut toc = Vec::new();
    let mut used: HashSet<String> = taken.clone();
    // The next number to try after each base id: the numbers below it are all taken, so
    // a hundred headings of one title are a hundred tries, not five thousand.
    let mut next: HashMap<String, usize> = HashMap::default();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { .. }) = &events[index].0 {
            let mut title = String::new();
            let mut end = index + 1;
            while end < events.len() && !matches!(events[end].0, Event::End(TagEnd::Heading(_))) {
                if let Event::Text(t) | Event::Code(t) = &events[end].0 {
                    title.push_str(t);
                }
                end += 1;
            }
            if let Event::Start(Tag::Heading {
                level, id, attrs, ..
            }) = &mut events[index].0
            {
                if !allow_raw_html {
                    attrs.clear();
                }
                let base = match id {
                    Some(explicit) => slug::slugify(explicit),
                    None => slug::slugify(&title),
                };
                let mut unique = base.clone();
                if !used.insert(unique.clone()) {
                    let n = next.entry(base.clone()).or_insert(1);
                    loop {
                        unique = format!("{base}-{n}");
                        *n += 1;
                        if used.insert(unique.clone()) {
                            break;
                        }
                    }
                }
                *id = Some(CowStr::from(unique.clone()));
                toc.push(TocItem {
                    level: *level as u8,
                    id: unique,
                    title: title.trim().to_string(),
                });
            }
            index = end;
        }
        index += 1;
    }
    toc
}

/// Plain text of the first top-level paragraph.
fn first_paragraph(events: &[(Event, std::ops::Range<usize>)]) -> String {
    let mut depth = 0usize;
    let mut inside = false;
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => inside = true,
            Event::End(TagEnd::Paragraph) if inside => break,
            Event::Start(Tag::FootnoteDefinition(_)) => depth += 1,
            Event::End(TagEnd::FootnoteDefinition) => depth = depth.saturating_sub(1),
            Event::Start(Tag::BlockQuote(_) | Tag::List(_)) if !inside => depth += 1,
            Event::End(TagEnd::BlockQuote(_) | TagEnd::List(_)) if !inside => {
                depth = depth.saturating_sub(1)
            }
            Event::Text(t) | Event::Code(t) if inside => text.push_str(t),
            Event::SoftBreak | Event::HardBreak if inside => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Resolves internal and relative links, drops unsafe URL schemes, and writes external links
/// with `rel="noopener"`.
fn rewrite_links<'a>(
    text: &str,
    events: Vec<(Event<'a>, std::ops::Range<usize>)>,
    links: &Links,
    found: &mut Rendered,
) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut external_depth = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let target = resolve(&dest_url, links, range.start, false, found);
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

/// Raw HTML with the quoted `href` and `src` values written from the site's root given the
/// base path, as Markdown links are (see [`from_root`]); the same attributes that
/// [`html_references`] reads.
fn raw_root_links<'a>(
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
fn next_url_attribute(html: &str, from: usize) -> Option<(usize, char, bool)> {
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

fn is_external(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
}

/// URL schemes a link may use; anything else (`javascript:`, `data:`, `vbscript:`) is dropped.
const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

/// The scheme of `url`, if it has one (`javascript` in `JavaScript:alert(1)`).
fn scheme(url: &str) -> Option<String> {
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
fn resolve(dest: &str, links: &Links, offset: usize, image: bool, found: &mut Rendered) -> String {
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
fn from_root(
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
fn site_path<'p>(path: &'p str, base_path: &str) -> &'p str {
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
fn relative(dest: &str, links: &Links, offset: usize, image: bool, found: &mut Rendered) -> String {
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
const MOST_SUGGESTIONS: usize = 100;

/// The published entry a mistyped link to `file` most likely meant, if one is close: in the
/// same folder, the file whose name is nearest (a letter or two off, or another case); in
/// another folder, a file of the same name (the folder mistyped, or the file moved).
fn nearest_entry<'l>(file: &str, links: &Links<'l>, found: &Rendered) -> Option<&'l str> {
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
fn join(folder: &str, path: &str) -> Option<String> {
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
fn decoded(path: &str) -> String {
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
fn file_of(dest: &str, folder: &str, base_path: &str) -> Option<String> {
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

fn split_anchor(path: &str) -> (&str, &str) {
    match path.find('#') {
        Some(index) => (&path[..index], &path[index..]),
        None => (path, ""),
    }
}

/// Removes scripts, event handlers and unsafe URLs from HTML, keeping what Markdown produces.
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(None)
        .add_tag_attributes("a", &["rel", "title"])
        .add_tag_attributes("input", &["type", "checked", "disabled"])
        .add_tags(&["input"])
        .add_generic_attributes(&["id", "class"])
        .url_schemes(SAFE_SCHEMES.iter().copied().collect())
        .clean(html)
        .to_string()
}

/// Cuts plain text at a word so it is at most `max` characters, adding `…` when cut.
/// Whitespace runs count as one space. Only the words up to the cut are looked at.
pub fn truncate_words(text: &str, max: usize) -> String {
    let mut joined = String::new();
    let mut chars = 0;
    for word in text.split_whitespace() {
        if !joined.is_empty() {
            joined.push(' ');
            chars += 1;
        }
        joined.push_str(word);
        chars += word.chars().count();
        if chars > max {
            break;
        }
    }
    if chars <= max {
        return joined;
    }
    // Cut between characters as a reader sees them (grapheme clusters): a Thai consonant
    // keeps its vowel and tone marks, a letter its accents, an emoji its modifiers. The cut
    // after `max - 1` characters moves back to the boundary before it, if it is not one.
    let mut end = (joined.char_indices())
        .nth(max.saturating_sub(1))
        .map_or(joined.len(), |(at, _)| at);
    let mut cursor = unicode_segmentation::GraphemeCursor::new(end, joined.len(), true);
    if !cursor.is_boundary(&joined, 0).unwrap_or(true) {
        end = cursor.prev_boundary(&joined, 0).ok().flatten().unwrap_or(0);
    }
    let cut = &joined[..end];
    // When the cut falls between two words, the last word is whole and stays.
    let between_words = joined[end..].starts_with(' ');
    let at_word = match cut.rfind(' ') {
        Some(index) if index > 0 && !between_words => &cut[..index],
        _ => cut,
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_images_are_read_whole_for_their_alt_text() {
        let found = |html: &str| img_tags_without_alt(html);
        assert_eq!(found("<img src=\"a.png\">"), [(0, "a.png".to_string())]);
        assert_eq!(
            found("<p><IMG SRC='b.png' /></p>"),
            [(3, "b.png".to_string())]
        );
        assert!(found("<img src=\"a.png\" alt=\"\">").is_empty());
        assert!(found("<img src=\"a.png\" alt>").is_empty());
        assert!(found("<img\n  src=\"a.png\"\n  alt=\"A map\">").is_empty());
        assert_eq!(
            found("<img src=\"a.png\" data-alt=\"x\"><imgx>"),
            [(0, "a.png".to_string())]
        );
        // A tag over several lines of a block is read whole.
        let text =
            "<div>\n<img src=\"a.png\"\n     alt=\"A map\">\n<img\n src=\"b.png\">\n</div>\n";
        let rendered = render_plain(text);
        let offsets: Vec<usize> = rendered.problems.iter().map(|p| p.offset).collect();
        assert_eq!(offsets, [text.rfind("<img").unwrap()]);
    }

    #[test]
    fn problems_in_raw_html_point_into_the_source() {
        // In a quote and a list, raw HTML loses its `>` and indentation: the offsets are
        // still places of the source, on character boundaries.
        let text = "> ไทย <img src=\"/a.png\">\n\n- ไทยไทย\n  <div><img src=\"/b.png\"></div>\n";
        let rendered = render_plain(text);
        let offsets: Vec<usize> = rendered.problems.iter().map(|p| p.offset).collect();
        let expected: Vec<usize> = vec![text.find("<img").unwrap(), text.rfind("<img").unwrap()];
        assert_eq!(offsets, expected);
        let roots: Vec<&str> = (rendered.root_links.iter())
            .map(|(offset, _)| &text[*offset..*offset + 6])
            .collect();
        assert_eq!(roots, ["/a.png", "/b.png"]);
    }

    #[test]
    fn a_path_from_the_root_is_read_without_the_base_path_once() {
        assert_eq!(site_path("/engagements/x/", "/"), "engagements/x/");
        assert_eq!(site_path("/engagements/x/", "/sub/"), "engagements/x/");
        assert_eq!(site_path("/sub/engagements/x/", "/sub/"), "engagements/x/");
        assert_eq!(site_path("/sub/", "/sub/"), "");
        assert_eq!(site_path("/sub", "/sub/"), "");
        assert_eq!(site_path("/subway/", "/sub/"), "subway/");
        assert_eq!(site_path("/", "/"), "");
    }

    fn render_plain(text: &str) -> Rendered {
        let entries: HashMap<String, String> = [(
            "engagements/a.md".to_string(),
            "/engagements/a/".to_string(),
        )]
        .into_iter()
        .collect();
        let unpublished: HashSet<String> = ["drafts/d.md".to_string()].into_iter().collect();
        let assets: HashSet<String> = ["engagements/map.png", "press/x.pdf"]
            .into_iter()
            .map(String::from)
            .collect();
        render(
            text,
            &Links {
                entries: &entries,
                unpublished: &unpublished,
                failed: &HashSet::default(),
                assets: &assets,
                folder: "engagements",
                base_path: "/",
                allow_raw_html: false,
            },
        )
    }

    #[test]
    fn a_repeated_heading_takes_the_first_number_free() {
        let ids = |text: &str| -> Vec<String> {
            render_plain(text)
                .toc
                .into_iter()
                .map(|item| item.id)
                .collect()
        };
        assert_eq!(
            ids("## A\n\n## A\n\n## A 1\n\n## A\n"),
            ["a", "a-1", "a-1-1", "a-2"]
        );
        assert_eq!(
            ids("## A 2\n\n## A\n\n## A\n\n## A\n\n## A 4\n\n## A\n"),
            ["a-2", "a", "a-1", "a-3", "a-4", "a-5"]
        );
        let many = ids(&"## Same\n\n".repeat(3000));
        assert_eq!(many.len(), 3000);
        assert_eq!(
            (many[0].as_str(), many[2999].as_str()),
            ("same", "same-2999")
        );
    }

    #[test]
    fn heading_ids_are_unique_and_explicit_ids_win() {
        let r = render_plain("## Talks\n\n## Talks\n\n## Other {#custom}\n");
        assert!(r.html.contains("<h2 id=\"talks\">Talks</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"talks-1\">"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"custom\">"), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
    }

    #[test]
    fn internal_relative_and_external_links() {
        let r = render_plain(
            "[a](@/engagements/a.md#x) [b](map.png) [c](https://example.org) [d](../press/x.pdf)",
        );
        assert!(r.html.contains("href=\"/engagements/a/#x\""), "{}", r.html);
        assert!(
            r.html.contains("href=\"/engagements/map.png\""),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains("<a href=\"https://example.org\" rel=\"noopener\">c</a>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("href=\"/press/x.pdf\""), "{}", r.html);
        assert!(r.problems.is_empty());
    }

    #[test]
    fn missing_and_unpublished_targets_are_problems() {
        let r = render_plain("x [a](@/nope.md) [b](@/drafts/d.md)");
        assert_eq!(r.problems.len(), 2);
        assert_eq!(r.problems[0].offset, 2);
        assert!(r.problems[1].message.contains("not published"));
    }

    #[test]
    fn unsafe_schemes_and_raw_html_are_removed() {
        let r = render_plain(
            "[x](javascript:alert(1)) <script>alert(2)</script> <img src=x onerror=alert(3)>",
        );
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onerror"), "{}", r.html);
    }

    #[test]
    fn heading_attributes_cannot_carry_event_handlers() {
        let r = render_plain(
            "# Talks {#t .big onclick=alert(1) style=\"background:url(javascript:x)\" data-x=1}\n",
        );
        assert_eq!(r.html, "<h1 id=\"t\" class=\"big\">Talks</h1>\n");
    }

    #[test]
    fn heading_ids_never_repeat_ids_of_raw_html_or_footnotes() {
        let r = render_plain(
            "# Talks\n\n<h2 id=\"talks\">Raw</h2>\n\n# Note\n\nText[^note]\n\n[^note]: A note.\n\n<p id=t&#97;lks-1>x</p>\n",
        );
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["talks-2", "note-1"], "{}", r.html);
        for id in ["talks", "talks-1", "talks-2", "note", "note-1"] {
            assert_eq!(
                r.html.matches(&format!("id=\"{id}\"")).count(),
                1,
                "{id} in {}",
                r.html
            );
        }
    }

    #[test]
    fn control_characters_never_reach_the_html() {
        let r = render_plain("# A\u{1}B\n\nText \0 and \u{7}\u{85}bell <b>\0</b>\n");
        assert_eq!(r.toc[0].title, "AB");
        assert_eq!(r.first_paragraph, "Text \u{fffd} and bell \u{fffd}");
        assert!(
            !r.html.chars().any(|c| c.is_control() && c != '\n'),
            "{:?}",
            r.html
        );
        // In a long paragraph, the scan goes by chunks: each control character at each place
        // of the first chunks.
        for control in ["\u{1}", "\u{7f}", "\u{85}"] {
            for at in 0..70 {
                let text = format!("{}{control}{}", "a".repeat(at), "b".repeat(70 - at));
                let r = render_plain(&text);
                let expected = format!("<p>{}{}</p>\n", "a".repeat(at), "b".repeat(70 - at));
                assert_eq!(r.html, expected, "{text:?}");
            }
        }
    }

    #[test]
    fn headings_swallowed_by_broken_raw_html_leave_the_toc() {
        // Found by the `markdown` fuzz target: the `<img` swallows the last heading.
        let r = render_plain("# Kept\n\n## Ta<script>x</sclks\nript><img\n# src=# Gone");
        let ids: Vec<&str> = r.toc.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["kept", "tax-sclks"], "{}", r.html);
        assert!(!r.html.contains("gone"), "{}", r.html);
    }

    #[test]
    fn a_control_character_inside_a_scheme_is_never_removed_after_sanitising() {
        // Found by the `markdown` fuzz target: ammonia passes `javascript\v:` as a relative
        // URL; dropping the `\v` afterwards made it a script URL.
        for text in [
            "<a href=\"javascript\u{b}:alert(3)\">x</a>",
            "<a href=\"javascript&#11;:alert(3)\">x</a>",
            "<a href=\"java\u{1}script:alert(3)\">x</a>",
        ] {
            let r = render_plain(text);
            assert!(!r.html.contains("javascript:"), "{text:?} → {}", r.html);
            assert!(
                !r.html.chars().any(|c| c.is_control() && c != '\n'),
                "{:?}",
                r.html
            );
        }
    }

    #[test]
    fn summary_text_is_cut_at_a_word() {
        assert_eq!(truncate_words("one two three", 9), "one two…");
        assert_eq!(truncate_words("short", 300), "short");
        assert_eq!(truncate_words("  a \n\t b  ", 3), "a b");
        assert_eq!(truncate_words("abcdefghij klm", 5), "abcd…");
        assert_eq!(truncate_words("one, two; three", 9), "one…");
        assert_eq!(truncate_words("one two three", 8), "one two…");
        assert_eq!(truncate_words("ก ข ค ง จ", 7), "ก ข ค…");
        // Unspaced Thai is one word: it is cut between clusters, never inside one (ที่ is
        // ท with two marks).
        assert_eq!(truncate_words("ที่ประชุม", 2), "…");
        assert_eq!(truncate_words("การประชุมที่กรุงเทพ", 11), "การประชุม…");
        assert_eq!(truncate_words("ที่ที่ที่", 5), "ที่…");
        assert_eq!(
            truncate_words("cafe\u{301} cafe\u{301}s", 6),
            "cafe\u{301}…"
        );
        assert_eq!(truncate_words("", 5), "");
        assert_eq!(truncate_words("word", 0), "…");
        let r = render_plain("First *para*\ngraph.\n\nSecond.");
        assert_eq!(r.first_paragraph, "First para graph.");
    }
}
