//! Slugs: lowercase ASCII `[a-z0-9-]`, never empty, the same for the same text.
//!
//! Non-Latin text is transliterated (`deunicode` covers Thai); text that yields nothing
//! (emoji, punctuation) gets a short stable hash, so every name has a usable URL segment.
//! A slug is at most [`MAX_LEN`] characters, so that it fits in a folder name on every file
//! system: a longer one made from text is cut and ends with the text's hash instead.

/// The longest slug: file systems allow names of 255 bytes, and a URL segment this long is
/// already hard to read.
pub const MAX_LEN: usize = 100;

/// Makes a slug from any text.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text);
    let mut slug = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            slug.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    if slug.is_empty() {
        return format!("x-{}", short_hash(text));
    }
    if slug.len() > MAX_LEN {
        // The slug is ASCII: any byte is a character boundary. The hash keeps two long
        // texts that begin alike apart.
        slug.truncate(MAX_LEN - 9);
        let kept = slug.trim_end_matches('-').len();
        slug.truncate(kept);
        slug.push('-');
        slug.push_str(&short_hash(text));
    }
    slug
}

/// Whether `text` is already a valid slug: non-empty `[a-z0-9-]`, no leading, trailing or
/// doubled dash, at most [`MAX_LEN`] characters.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_LEN
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
}

/// Why `value`, given as a `what` (`partner id`, say), is not a slug: longer than [`MAX_LEN`],
/// or else `otherwise` (`is not a slug`).
pub fn invalid(what: &str, value: &str, otherwise: &str) -> String {
    if value.len() > MAX_LEN {
        format!("{what} `{value}` is longer than {MAX_LEN} characters")
    } else {
        format!("{what} `{value}` {otherwise}")
    }
}

/// Eight hex digits of the 64-bit FNV-1a hash: stable across runs, platforms and versions.
pub fn short_hash(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", hash >> 32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_text() {
        assert_eq!(
            slugify("U.S. Department of State"),
            "u-s-department-of-state"
        );
        assert_eq!(slugify("  Forced  labour! "), "forced-labour");
        assert_eq!(slugify("Côte d’Ivoire"), "cote-d-ivoire");
    }

    #[test]
    fn thai_is_transliterated() {
        let slug = slugify("การค้ามนุษย์");
        assert!(is_slug(&slug), "{slug}");
        assert!(!slug.starts_with("x-"), "{slug}");
    }

    #[test]
    fn nothing_left_gives_a_stable_hash() {
        // A fixed value: the slug is a URL, so the hash must not change between releases.
        assert_eq!(slugify("!!!"), "x-bbe43c17");
        assert_ne!(slugify("!!!"), slugify("???"));
        assert!(is_slug(&slugify("!!!")));
        // Emoji have names in the transliteration table.
        assert!(is_slug(&slugify("🎉🎉")), "{}", slugify("🎉🎉"));
    }

    #[test]
    fn validity() {
        assert!(is_slug("thai-us-2"));
        assert!(!is_slug("Thai"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("../x"));
        assert!(!is_slug(""));
        assert!(is_slug(&"a".repeat(MAX_LEN)));
        assert!(!is_slug(&"a".repeat(MAX_LEN + 1)));
    }

    #[test]
    fn a_long_text_gives_a_slug_cut_to_the_longest_with_its_hash() {
        let words = "forced labour in the fishing fleet ".repeat(10);
        let slug = slugify(&words);
        // 91 characters kept, less the dash they end with, then a dash and the hash.
        assert_eq!(
            slug,
            format!(
                "{}-{}",
                "forced-labour-in-the-fishing-fleet-".repeat(3)[..MAX_LEN - 9]
                    .trim_end_matches('-'),
                short_hash(&words)
            )
        );
        assert_eq!(slug.len(), 99, "{slug}");
        assert!(is_slug(&slug));
        // Two texts that differ only past the cut get different slugs.
        assert_ne!(
            slugify(&format!("{words} a")),
            slugify(&format!("{words} b"))
        );
        // Exactly the longest is kept whole; a character more is cut.
        assert_eq!(slugify(&"a".repeat(MAX_LEN)), "a".repeat(MAX_LEN));
        let long = slugify(&"a".repeat(MAX_LEN + 1));
        assert_eq!(long.len(), MAX_LEN);
        assert!(long.starts_with(&"a".repeat(MAX_LEN - 9)), "{long}");
        assert!(is_slug(&long));
        // Thai, transliterated to more than the longest.
        let thai = slugify(&"การค้ามนุษย์".repeat(20));
        assert!(is_slug(&thai) && thai.len() <= MAX_LEN, "{thai}");
    }
}
