//! A browser's view of HTML, enough to tell live markup from text: the hostile suite and the
//! `markdown` fuzz target use it to check that attacker text never becomes something that runs.
//!
//! The HTML is tokenised by html5ever (the tokenizer of Servo and of ammonia), switching into
//! raw-text states for `<script>`, `<style>`, `<title>`, `<textarea>` … as a browser's tree
//! builder does, so `<title>` text is not mistaken for tags and a `</script>` that breaks out
//! of a JSON-LD block is seen for what it is. Each problem is one line of plain text.

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

/// What may legitimately appear, beyond text and harmless markup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// A whole page of the theme: `<script type="application/ld+json">` with valid JSON,
    /// `<script src>` of the theme's own files, inline SVG charts, `<link>` and `<meta>`.
    #[allow(dead_code)] // unused by the fuzz target
    Page,
    /// The HTML of an entry body or partner description: no script of any kind, no SVG, no
    /// embedding or document-level elements.
    Body,
}

/// Elements that never come from content, in any scope.
const FORBIDDEN: &[&str] = &[
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "template",
    "portal",
    "xmp",
    "plaintext",
    "math",
];

/// Elements a page may have but a body may not.
const PAGE_ONLY: &[&str] = &[
    "script", "style", "svg", "link", "meta", "title", "head", "body", "form", "noscript",
    "button", "select", "textarea",
];

/// Attributes holding a URL a browser may navigate to or load.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "poster",
    "data",
    "background",
    "cite",
    "srcset",
    "ping",
    "manifest",
    "icon",
    "longdesc",
    "lowsrc",
    "dynsrc",
];

/// Problems found in `html`. `marker` is a string that only the attacker's payload contains
/// (e.g. `alert(1337)`): it must not reach a script, a style or a `<meta http-equiv>`.
pub fn problems(html: &str, scope: Scope, marker: Option<&str>) -> Vec<String> {
    let sink = Sink {
        scope,
        marker: marker.filter(|m| !m.is_empty()).map(str::to_string),
        state: RefCell::new(State::default()),
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let sink = tokenizer.sink;
    let mut state = sink.state.into_inner();
    if let Some(open) = state.raw.take() {
        sink_finish_raw(&sink_settings(scope, &sink.marker), &mut state, open);
    }
    state.problems
}

/// The value of every `id` attribute in `html`, in order, as a browser reads them.
#[allow(dead_code)]
pub fn ids(html: &str) -> Vec<String> {
    let sink = Sink {
        scope: Scope::Body,
        marker: None,
        state: RefCell::new(State::default()),
    };
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.state.into_inner().ids
}

/// What a URL attribute's value means to a browser: leading and trailing C0 controls and
/// spaces are dropped, tabs and newlines anywhere are ignored, the scheme is case-insensitive.
pub fn dangerous_url(value: &str) -> bool {
    let cleaned: String = value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:", "livescript:", "mocha:"]
        .iter()
        .any(|scheme| cleaned.starts_with(scheme))
}

struct Sink {
    scope: Scope,
    marker: Option<String>,
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    problems: Vec<String>,
    /// The raw-text element being read and its text so far.
    raw: Option<Raw>,
    /// Depth of `<svg>` (foreign content, where `<title>` and `<style>` are plain elements).
    foreign: usize,
    /// Every `id` attribute seen.
    ids: Vec<String>,
}

struct Raw {
    name: String,
    /// For a script: whether a browser would run it, and whether it is JSON-LD.
    runs: bool,
    json: bool,
    text: String,
}

struct Settings<'a> {
    scope: Scope,
    marker: Option<&'a str>,
}

fn sink_settings(scope: Scope, marker: &Option<String>) -> Settings<'_> {
    Settings {
        scope,
        marker: marker.as_deref(),
    }
}

fn sink_finish_raw(settings: &Settings, state: &mut State, raw: Raw) {
    let has_marker = settings.marker.is_some_and(|m| raw.text.contains(m));
    match raw.name.as_str() {
        "script" if raw.json && serde_json::from_str::<serde_json::Value>(&raw.text).is_err() => {
            state.problems.push(format!(
                "a JSON-LD <script> holds text that is not JSON (broken out of?): {}",
                shorten(&raw.text)
            ))
        }
        "script" if raw.runs && has_marker => state.problems.push(format!(
            "the payload is inside a running <script>: {}",
            shorten(&raw.text)
        )),
        "style" if has_marker => state.problems.push(format!(
            "the payload is inside a <style>: {}",
            shorten(&raw.text)
        )),
        _ => {}
    }
}

fn shorten(text: &str) -> String {
    let short: String = text.chars().take(160).collect();
    if short.len() < text.len() {
        format!("{short}…")
    } else {
        short
    }
}

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let settings = sink_settings(self.scope, &self.marker);
        let mut state = self.state.borrow_mut();
        match token {
            Token::CharacterTokens(text) => {
                if let Some(raw) = state.raw.as_mut() {
                    raw.text.push_str(&text);
                }
            }
            Token::TagToken(tag) => {
                let name = (*tag.name).to_ascii_lowercase();
                let name = name.as_str();
                if tag.kind == TagKind::EndTag {
                    if state.raw.as_ref().is_some_and(|r| r.name == name) {
                        let raw = state.raw.take().expect("checked above");
                        sink_finish_raw(&settings, &mut state, raw);
                    }
                    if name == "svg" {
                        state.foreign = state.foreign.saturating_sub(1);
                    }
                    return TokenSinkResult::Continue;
                }
                let attr = |wanted: &str| {
                    tag.attrs
                        .iter()
                        .find(|a| (*a.name.local).eq_ignore_ascii_case(wanted))
                        .map(|a| a.value.to_string())
                };
                if FORBIDDEN.contains(&name) {
                    state.problems.push(format!("a <{name}> element"));
                }
                if settings.scope == Scope::Body && PAGE_ONLY.contains(&name) {
                    state.problems.push(format!("a <{name}> element in a body"));
                }
                for a in &tag.attrs {
                    let attr_name = (*a.name.local).to_ascii_lowercase();
                    let value = a.value.to_string();
                    if attr_name == "id" {
                        state.ids.push(value.clone());
                    }
                    if attr_name.starts_with("on") {
                        state.problems.push(format!(
                            "event handler `{attr_name}=\"{}\"` on <{name}>",
                            shorten(&value)
                        ));
                    }
                    if URL_ATTRIBUTES.contains(&attr_name.as_ref()) && dangerous_url(&value) {
                        state.problems.push(format!(
                            "dangerous URL `{attr_name}=\"{}\"` on <{name}>",
                            shorten(&value)
                        ));
                    }
                    if attr_name == "style" {
                        let lower = value.to_ascii_lowercase();
                        if settings.marker.is_some_and(|m| value.contains(m))
                            || lower.contains("url(")
                            || lower.contains("expression(")
                            || lower.contains("javascript:")
                        {
                            state.problems.push(format!(
                                "a style attribute that loads or runs something: `{}`",
                                shorten(&value)
                            ));
                        }
                    }
                }
                // A refresh or other `http-equiv` with a URL or the payload navigates away.
                if name == "meta"
                    && attr("http-equiv").is_some()
                    && let Some(content) = attr("content")
                    && (content.to_ascii_lowercase().contains("url")
                        || settings.marker.is_some_and(|m| content.contains(m)))
                {
                    state
                        .problems
                        .push(format!("a <meta http-equiv> with `{content}`"));
                }
                if name == "svg" && !tag.self_closing {
                    state.foreign += 1;
                }
                if tag.self_closing && state.foreign > 0 {
                    return TokenSinkResult::Continue;
                }
                let raw_kind = match name {
                    "script" => Some(RawKind::ScriptData),
                    "style" | "xmp" | "iframe" | "noembed" | "noframes" if state.foreign == 0 => {
                        Some(RawKind::Rawtext)
                    }
                    "title" | "textarea" if state.foreign == 0 => Some(RawKind::Rcdata),
                    _ => None,
                };
                if name == "plaintext" {
                    return TokenSinkResult::Plaintext;
                }
                if let Some(kind) = raw_kind {
                    let kind_attr = attr("type").unwrap_or_default().trim().to_ascii_lowercase();
                    let json = kind_attr == "application/ld+json";
                    let runs = kind_attr.is_empty()
                        || kind_attr == "module"
                        || kind_attr.contains("javascript")
                        || kind_attr.contains("ecmascript")
                        || kind_attr.contains("jscript");
                    if name == "script" {
                        if state.foreign > 0 {
                            state.problems.push("a <script> inside SVG".to_string());
                        }
                        // The theme's own scripts come from its files; one whose address
                        // holds the payload came from content.
                        if let Some(src) = attr("src")
                            && settings.marker.is_some_and(|m| src.contains(m))
                        {
                            state.problems.push(format!("a <script src=\"{src}\">"));
                        }
                    }
                    state.raw = Some(Raw {
                        name: name.to_string(),
                        runs,
                        json,
                        text: String::new(),
                    });
                    // In foreign content a script's text is tokenised as usual.
                    if name == "script" && state.foreign > 0 {
                        return TokenSinkResult::Continue;
                    }
                    return TokenSinkResult::RawData(kind);
                }
            }
            Token::NullCharacterToken => {}
            Token::CommentToken(_) | Token::DoctypeToken(_) | Token::EOFToken => {}
            Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}
