//! Sanitising: scripts, event handlers and unsafe URLs removed from raw HTML, and the
//! control characters HTML and XML forbid taken out.

/// Text without the control characters HTML and XML forbid (all but tab and line breaks):
/// NUL becomes U+FFFD (as CommonMark asks), the others become `replacement` or are dropped.
pub(super) fn without_controls(text: String, replacement: Option<char>) -> String {
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

/// URL schemes a link may use; anything else (`javascript:`, `data:`, `vbscript:`) is dropped.
pub(super) const SAFE_SCHEMES: &[&str] = &["http", "https", "mailto", "tel", "ftp"];

/// Whether every URL of a `srcset` (`a.jpg 480w, b.jpg 960w`) is relative or of a safe
/// scheme.
fn srcset_is_safe(srcset: &str) -> bool {
    srcset.split(',').all(|candidate| {
        let url = candidate.split_whitespace().next().unwrap_or("");
        super::links::scheme(url).is_none_or(|scheme| SAFE_SCHEMES.contains(&scheme.as_str()))
    })
}

/// Removes scripts, event handlers and unsafe URLs from HTML, keeping what Markdown produces.
pub fn sanitise(html: &str) -> String {
    ammonia::Builder::default()
        .link_rel(None)
        .add_tag_attributes("a", &["rel", "title"])
        .add_tag_attributes("input", &["type", "checked", "disabled"])
        .add_tags(&["input", "picture", "source"])
        // A photo's `<picture>` (images::picture) is made before raw HTML is sanitised.
        .add_tag_attributes("source", &["type", "srcset", "sizes"])
        .add_tag_attributes("img", &["srcset", "sizes", "loading", "decoding", "title"])
        .add_generic_attributes(&["id", "class"])
        .url_schemes(SAFE_SCHEMES.iter().copied().collect())
        .attribute_filter(|_, attribute, value| {
            // ammonia checks the URL of `src` and `href` but not the list of `srcset`.
            if attribute == "srcset" && !srcset_is_safe(value) {
                None
            } else {
                Some(value.into())
            }
        })
        .clean(html)
        .to_string()
}
