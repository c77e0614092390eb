//! Markdown → HTML for entry bodies and partner descriptions.
//!
//! Owns the pulldown-cmark options, heading ids and the table of contents, internal `@/` links,
//! relative links, `rel="noopener"` on external links, unsafe URL schemes and sanitising of raw
//! HTML. Pure: the caller passes in everything it needs to know about other files.

use ahash::{HashMap, HashSet};

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use crate::attachments::Attachment;
use crate::model::{RootLink, TocItem};

mod headings;
mod images;
mod links;
mod sanitise;

use headings::{assign_heading_ids, id_counts, ids_besides_headings};
use images::images_without_alt;
use links::rewrite_links;
use sanitise::without_controls;

pub use images::{SIZES, picture};
pub use links::{file_of, html_references, linked_files};
pub use sanitise::sanitise;

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
    /// What a link says of the documents among `assets` (PDF, Office, CSV, ZIP): a link to
    /// one gets its kind and size after its text.
    pub documents: &'a HashMap<String, Attachment>,
    /// The photos among `assets`: an image of one becomes a `<picture>` of its variants.
    pub photos: &'a HashMap<String, crate::photos::Photo>,
    /// Whether a photo is shown above the body (the entry's lead image): then every photo of
    /// the body loads lazily, else all but the first.
    pub photo_above: bool,
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
    use super::images::img_tags_without_alt;
    use super::links::site_path;
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
                documents: &HashMap::default(),
                photos: &HashMap::default(),
                photo_above: false,
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
