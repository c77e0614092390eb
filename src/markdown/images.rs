//! Images without alt text: Markdown images with empty brackets and `<img>` tags of raw
//! HTML without an `alt` attribute, each placed at its offset in the text.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::LinkProblem;

/// A warning for each image without alt text: a Markdown image whose brackets are empty
/// (`![](map.png)`), and an `<img>` of raw HTML without an `alt` attribute. A decorative image
/// says so on purpose: `![ ](map.png)` (a space between the brackets), `alt=""` or `alt`.
pub(super) fn images_without_alt(
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
pub(super) fn img_tags_without_alt(html: &str) -> Vec<(usize, String)> {
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
pub(super) fn source_offset(
    text: &str,
    range: &std::ops::Range<usize>,
    at: usize,
    part: &str,
) -> usize {
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
pub(super) fn html_attribute(tag: &str, name: &str) -> Option<String> {
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

/// The `sizes` of a photo in an entry: the text column (`--measure`, about 40rem) on a wide
/// screen, the screen's width on a narrow one.
pub const SIZES: &str = "(min-width: 44rem) 40rem, 100vw";

/// The `<picture>` of `photo` (variants at `prefix` + file name): a `<source>` for each format
/// but the last, the last the `<img>`, with the original's `width` and `height` so that the
/// page does not move as it loads. A photo after the first screen (`eager` false) loads lazily.
pub fn picture(photo: &crate::photos::Photo, prefix: &str, alt: &str, eager: bool) -> String {
    use pulldown_cmark_escape::{escape_href, escape_html};
    let formats = photo.formats();
    let mut html = String::from("<picture>");
    let (last, sources) = formats.split_last().unwrap_or((&photo.format, &[]));
    for format in sources {
        html.push_str("<source type=\"");
        html.push_str(format.media_type());
        html.push_str("\" srcset=\"");
        let _ = escape_html(&mut html, &photo.srcset(*format, prefix));
        html.push_str("\" sizes=\"");
        html.push_str(SIZES);
        html.push_str("\">");
    }
    html.push_str("<img src=\"");
    if let Some(widest) = photo.widest(*last) {
        let _ = escape_href(&mut html, &format!("{prefix}{}", widest.file));
    }
    html.push_str("\" srcset=\"");
    let _ = escape_html(&mut html, &photo.srcset(*last, prefix));
    html.push_str("\" sizes=\"");
    html.push_str(SIZES);
    html.push_str(&format!(
        "\" width=\"{}\" height=\"{}\" alt=\"",
        photo.width, photo.height
    ));
    let _ = escape_html(&mut html, alt.trim());
    html.push_str(if eager {
        "\" decoding=\"async\">"
    } else {
        "\" loading=\"lazy\" decoding=\"async\">"
    });
    html.push_str("</picture>");
    html
}
