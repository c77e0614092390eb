//! The one door to the YAML deserialiser, so it can be swapped in one place.
//!
//! `serde-saphyr` is safe Rust, reports line and column, and refuses alias bombs. Booleans are
//! strict (`true`/`false` only), so `no` in `extra` stays the string "no".

use serde::de::DeserializeOwned;

/// A YAML problem at a 1-based line and column of the parsed text (0 when unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Parses `text` into `T`. Lines and columns are relative to `text`.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|error| {
        let (line, column) = error
            .location()
            .map(|l| (l.line() as usize, l.column() as usize))
            .unwrap_or((0, 0));
        YamlError {
            line,
            column,
            message: clean_message(&error.without_snippet().to_string()),
        }
    })
}

/// Drops the location the deserialiser appends (we report it ourselves) and serde's
/// "invalid type" jargon for something a person can read.
fn clean_message(raw: &str) -> String {
    if raw.contains("budget breached") {
        // serde-saphyr's limits on nodes, depth and alias expansion (alias bombs).
        return "the YAML is too large or too deeply nested, or its aliases expand too far"
            .to_string();
    }
    let mut message = raw.trim().to_string();
    if let Some(index) = message.find(" at line ") {
        message.truncate(index);
    }
    let message = message.trim_end_matches([',', '.']);
    // The deserialiser's own words, where they name its types or options.
    if let Some(key) = (message.strip_prefix("duplicate mapping key: "))
        .and_then(|rest| rest.split(", set DuplicateKeyPolicy").next())
    {
        return format!("`{key}` is written twice");
    }
    if message.starts_with("invalid boolean") {
        return "expected `true` or `false`".to_string();
    }
    if let Some(kind) = message.strip_prefix("invalid ") {
        match kind {
            "u8" | "u16" | "u32" | "u64" | "u128" | "usize" => {
                return "expected a whole number without a sign".to_string();
            }
            "i8" | "i16" | "i32" | "i64" | "i128" | "isize" => {
                return "expected a whole number".to_string();
            }
            _ => {}
        }
    }
    message.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn reports_line_and_column_of_a_type_error() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            a: String,
            b: Vec<String>,
        }
        let error = parse::<T>("a: x\nb: 3\n").unwrap_err();
        assert_eq!((error.line, error.column), (2, 4), "{error:?}");
    }

    #[test]
    fn an_alias_bomb_is_refused_in_plain_words() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 0..8 {
            let previous = if level == 0 {
                "a".to_string()
            } else {
                format!("l{}", level - 1)
            };
            let refs = vec![format!("*{previous}"); 10].join(", ");
            text.push_str(&format!("l{level}: &l{level} [{refs}]\n"));
        }
        let error = parse::<serde_json::Value>(&text).unwrap_err();
        assert!(
            error.message.contains("aliases expand too far"),
            "{error:?}"
        );
        assert!(error.line > 0, "{error:?}");
    }

    #[test]
    fn the_deserialisers_own_words_are_put_in_plain_ones() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            n: Option<u64>,
            b: Option<bool>,
            t: Option<String>,
        }
        for (text, message) in [
            ("n: -1\n", "expected a whole number without a sign"),
            ("n: abc\n", "expected a whole number without a sign"),
            ("b: maybe\n", "expected `true` or `false`"),
            ("t: a\nt: b\n", "`t` is written twice"),
        ] {
            assert_eq!(parse::<T>(text).unwrap_err().message, message, "{text:?}");
        }
    }

    #[test]
    fn booleans_are_strict() {
        let map: BTreeMap<String, serde_json::Value> = parse("a: no\nb: true\n").unwrap();
        assert_eq!(map["a"], serde_json::json!("no"));
        assert_eq!(map["b"], serde_json::json!(true));
    }
}
