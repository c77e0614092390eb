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
    let mut message = raw.trim().to_string();
    if let Some(index) = message.find(" at line ") {
        message.truncate(index);
    }
    message.trim_end_matches([',', '.']).to_string()
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
    fn booleans_are_strict() {
        let map: BTreeMap<String, serde_json::Value> = parse("a: no\nb: true\n").unwrap();
        assert_eq!(map["a"], serde_json::json!("no"));
        assert_eq!(map["b"], serde_json::json!(true));
    }
}
