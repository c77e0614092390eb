//! Slugs: lowercase ASCII `[a-z0-9-]`, never empty, the same for the same text.
//!
//! Non-Latin text is transliterated (`deunicode` covers Thai); text that yields nothing
//! (emoji, punctuation) gets a short stable hash, so every name has a usable URL segment.

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
        format!("x-{}", short_hash(text))
    } else {
        slug
    }
}

/// Whether `text` is already a valid slug: non-empty `[a-z0-9-]`, no leading, trailing or
/// doubled dash.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
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
        assert_eq!(slugify("!!!"), slugify("!!!"));
        assert!(slugify("!!!").starts_with("x-"));
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
    }
}
