//! Heading ids and the table of contents: each heading's id made from its text, unique
//! among the other ids of the body (raw HTML's and footnotes' included).

use ahash::{HashMap, HashSet};
use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::model::TocItem;
use crate::slug;

/// How many times each `id` is in `html`, read as a browser would.
pub(super) fn id_counts(html: &str) -> HashMap<String, usize> {
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
pub(super) fn ids_besides_headings(
    counts: &HashMap<String, usize>,
    toc: &[TocItem],
) -> HashSet<String> {
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
pub(super) fn assign_heading_ids(
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
