//! The words of a text as the search index holds them, and the plain text of a rendered body.
//!
//! A word is a run of letters, marks and digits; a run with Thai in it is cut into words by
//! ICU4X's dictionary segmenter (Thai is written without spaces between words). Each word is
//! then folded: compatibility-decomposed (NFKD), without the combining accents U+0300–U+036F,
//! lowercased. The default theme's `search.js` does the same to a query, with the browser's
//! `Intl.Segmenter` (the same ICU dictionary) and `String.prototype.normalize`, so that what a
//! reader types meets what the index holds.

use std::sync::LazyLock;

use icu_segmenter::options::WordBreakInvariantOptions;
use icu_segmenter::{WordSegmenter, WordSegmenterBorrowed};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

static SEGMENTER: LazyLock<WordSegmenterBorrowed<'static>> =
    LazyLock::new(|| WordSegmenter::new_dictionary(WordBreakInvariantOptions::default()));

/// Whether `c` belongs to a word: a letter, a mark or a digit (`\p{L}\p{M}\p{N}` in the
/// browser).
fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Whether `c` is in the Thai block.
fn is_thai(c: char) -> bool {
    ('\u{0E00}'..='\u{0E7F}').contains(&c)
}

/// `word` folded: NFKD, without the accents U+0300–U+036F, lowercase.
pub fn fold(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    let bare: String = word
        .nfkd()
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .collect();
    bare.to_lowercase()
}

/// Hands each word of `text`, as it stands in the text (not folded), to `each`, in order.
pub fn each_word<'t>(text: &'t str, mut each: impl FnMut(&'t str)) {
    let mut start = None;
    let mut thai = false;
    let mut end_run = |from: usize, to: usize, thai: bool| {
        let run = &text[from..to];
        if !thai {
            each(run);
            return;
        }
        let mut last = 0;
        for at in SEGMENTER.segment_str(run) {
            if at > last {
                each(&run[last..at]);
            }
            last = at;
        }
    };
    for (at, c) in text.char_indices() {
        if is_word_char(c) {
            if start.is_none() {
                start = Some(at);
                thai = false;
            }
            thai |= is_thai(c);
        } else if let Some(from) = start.take() {
            end_run(from, at, thai);
        }
    }
    if let Some(from) = start {
        end_run(from, text.len(), thai);
    }
}

/// Hands each folded word of `text` to `each`: [`each_word`], then [`fold`].
pub fn each_term(text: &str, mut each: impl FnMut(&str)) {
    each_word(text, |word| {
        if word.is_ascii() && !word.bytes().any(|b| b.is_ascii_uppercase()) {
            each(word);
        } else {
            each(&fold(word));
        }
    });
}

/// The text of rendered HTML: tags dropped (a block's end and `<br>` become a space), the
/// entities that the Markdown renderer and the sanitiser write decoded, white space
/// collapsed; stopped once it is `limit` bytes long or more (`usize::MAX`: all of it).
pub fn plain(html: &str, limit: usize) -> String {
    let mut out = String::with_capacity(html.len().min(limit));
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        if out.len() >= limit {
            break;
        }
        push_collapsed(&mut out, &rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            if !is_inline_tag(tag) {
                push_collapsed(&mut out, " ");
            }
            rest = &rest[end..];
        } else {
            let (decoded, used) = entity(rest);
            push_collapsed(&mut out, decoded.encode_utf8(&mut [0; 4]));
            rest = &rest[used..];
        }
    }
    if out.len() < limit {
        push_collapsed(&mut out, rest);
    }
    out.truncate(out.trim_end().len());
    out
}

/// Appends `text` to `out` with every run of white space as one space, and none at the start.
fn push_collapsed(out: &mut String, text: &str) {
    let mut rest = text;
    loop {
        // A run of printable ASCII and single spaces goes over whole; anything else a
        // character at a time.
        let mut space = out.is_empty() || out.ends_with(' ');
        let run = (rest.bytes())
            .position(|b| {
                let plain = b > b' ' && b.is_ascii();
                let stop = !plain && (b != b' ' || space);
                space = b == b' ';
                stop
            })
            .unwrap_or(rest.len());
        out.push_str(&rest[..run]);
        rest = &rest[run..];
        let Some(c) = rest.chars().next() else {
            return;
        };
        if c.is_whitespace() {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
}

/// Whether `tag` (`<em>`, `</a>`) is one that runs inside a line of text, so that dropping it
/// must not put a space between the words around it.
fn is_inline_tag(tag: &str) -> bool {
    let name = tag.trim_start_matches(['<', '/']);
    let end = name
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(name.len());
    matches!(
        name[..end].to_ascii_lowercase().as_str(),
        "a" | "em"
            | "strong"
            | "code"
            | "del"
            | "s"
            | "sup"
            | "sub"
            | "span"
            | "b"
            | "i"
            | "u"
            | "mark"
            | "abbr"
            | "small"
            | "kbd"
            | "q"
            | "cite"
            | "time"
    )
}

/// The character an entity at the start of `text` stands for, and its length; an `&` that
/// starts none stands for itself.
fn entity(text: &str) -> (char, usize) {
    let Some(end) = text[..text.len().min(12)].find(';') else {
        return ('&', 1);
    };
    let name = &text[1..end];
    let c = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => name.strip_prefix('#').and_then(|number| {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            code.and_then(char::from_u32)
        }),
    };
    c.map_or(('&', 1), |c| (c, end + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        each_term(text, |t| found.push(t.to_string()));
        found
    }

    #[test]
    fn latin_words_are_folded_and_split_at_anything_but_letters_and_digits() {
        assert_eq!(
            terms("Côte d'Ivoire: MFA 0415/2565, U.S. Department"),
            [
                "cote",
                "d",
                "ivoire",
                "mfa",
                "0415",
                "2565",
                "u",
                "s",
                "department"
            ]
        );
        assert_eq!(terms("ﬁnance ÉTÉ"), ["finance", "ete"]);
    }

    #[test]
    fn thai_in_running_text_is_cut_into_words() {
        let found = terms("ความร่วมมือต่อต้านการค้ามนุษย์ในประเทศไทย with IOM");
        for word in ["การ", "ค้า", "มนุษย์", "ประเทศไทย", "with", "iom"]
        {
            assert!(found.iter().any(|t| t == word), "{word} in {found:?}");
        }
        assert!(
            !found.iter().any(|t| t.contains("การค้ามนุษย์ใน")),
            "{found:?}"
        );
    }

    #[test]
    fn plain_text_of_html_keeps_words_apart_at_blocks_and_together_in_a_line() {
        assert_eq!(
            plain(
                "<p>Talks on <em>victim</em>-centred care &amp; more.</p><ul><li>One</li><li>Two&#8217;s</li></ul>",
                usize::MAX
            ),
            "Talks on victim-centred care & more. One Two\u{2019}s"
        );
        // Runs of white space of any kind are one space; none at the start or the end.
        assert_eq!(
            plain(
                "  <p> a  b\t\n c\u{a0}\u{3000}d ไทย  é </p> <p>  e </p>\n",
                usize::MAX
            ),
            "a b c d ไทย é e"
        );
        assert_eq!(plain("a &unknown b & c", usize::MAX), "a &unknown b & c");
        assert_eq!(plain("<p>one</p><p>two</p><p>three</p>", 5), "one two");
    }
}
