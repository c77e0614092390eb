//! The partner registry (`content/partners.yaml`) and matching names against it.
//!
//! A name matches a partner's `id`, `name` or any alias, ignoring case, surrounding and
//! repeated spaces, and the difference between `&` and `and`.

use ahash::HashMap;
use std::path::Path;

use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::config::unknown_field;
use crate::content::frontmatter::without_control_characters;
use crate::diagnostic::{self, Diagnostic};
use crate::model::{self, Partner};
use crate::slug;
use crate::yaml;

pub const FILE: &str = "content/partners.yaml";

const FIELDS: &[&str] = &[
    "id",
    "name",
    "aliases",
    "type",
    "country",
    "url",
    "description",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPartner {
    id: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    aliases: Vec<Spanned<String>>,
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    country: Option<String>,
    #[serde(default, deserialize_with = "crate::content::frontmatter::web_url")]
    url: Option<String>,
    description: Option<String>,
}

/// Registered partners and the index used to match names.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    pub partners: Vec<Partner>,
    keys: HashMap<String, usize>,
}

/// The form of a name used for matching.
pub fn normalise(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let spaced = plain_name(name).replace('&', " and ");
    // Composed again after lower-casing, which can leave a letter and a mark apart.
    spaced
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .nfc()
        .collect()
}

/// A name as it reads: composed (NFC), so that `é` typed as one character or as `e` and an
/// accent is the same name, and without the invisible characters (zero-width space, word
/// joiner, soft hyphen, byte order mark) that copying from documents leaves in.
pub fn plain_name(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.chars()
        .filter(|c| !matches!(c, '\u{200B}' | '\u{2060}' | '\u{00AD}' | '\u{FEFF}'))
        .nfc()
        .collect()
}

impl Registry {
    /// The registered partner a name refers to.
    pub fn find(&self, name: &str) -> Option<&Partner> {
        self.keys.get(&normalise(name)).map(|&i| &self.partners[i])
    }

    /// The registered name or alias closest to `name`, for "did you mean".
    pub fn suggest(&self, name: &str) -> Option<String> {
        let candidates: Vec<String> = self
            .partners
            .iter()
            .flat_map(|p| std::iter::once(p.name.clone()).chain(p.aliases.iter().cloned()))
            .collect();
        diagnostic::suggest(name, candidates.iter().map(String::as_str)).map(str::to_string)
    }
}

/// Reads the registry; a missing file is an empty registry.
pub fn load(
    root: &Path,
    render_description: impl Fn(&str) -> String,
) -> (Registry, Vec<Diagnostic>) {
    let path = root.join(FILE);
    // A link the rule refuses is reported by the walk of `content/`, and not read.
    if crate::tree::Fence::new(root, None).admit(&path).is_err() {
        return (Registry::default(), Vec::new());
    }
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text.replace("\r\n", "\n"),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return (Registry::default(), Vec::new());
        }
        Err(error) => {
            return (
                Registry::default(),
                vec![Diagnostic::error(
                    FILE,
                    format!("cannot read the partner registry: {error}"),
                )],
            );
        }
    };
    parse(&text, render_description)
}

/// Builds the registry from the text of `partners.yaml` (line endings already `\n`).
pub fn parse(
    text: &str,
    render_description: impl Fn(&str) -> String,
) -> (Registry, Vec<Diagnostic>) {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return (Registry::default(), Vec::new());
    }
    // After a problem, the partner that holds it is left out and the rest read again, so
    // that one run reports every problem.
    let mut problems = Vec::new();
    let mut recovering = yaml::Recovering::new(text);
    let mut yaml = std::borrow::Cow::Borrowed(text);
    let raw: Vec<RawPartner> = loop {
        let error = match yaml::parse(&yaml) {
            Ok(raw) => break raw,
            Err(error) => error,
        };
        if problems.len() >= crate::content::frontmatter::MOST_PROBLEMS {
            problems.push(
                Diagnostic::error(
                    FILE,
                    "the partner registry has more problems than are shown",
                )
                .with_hint("fix the ones above and build again"),
            );
            return (Registry::default(), problems);
        }
        problems.push(yaml_problem(text, &error));
        if error.line == 0 || recovering.blank_item(error.line).is_none() {
            return (Registry::default(), problems);
        }
        yaml = std::borrow::Cow::Owned(recovering.text());
    };
    let (registry, more) = build(text, raw, render_description);
    problems.extend(more);
    (registry, problems)
}

/// A YAML problem of the registry as a diagnostic.
fn yaml_problem(text: &str, error: &yaml::YamlError) -> Diagnostic {
    let shape = matches!(
        error.message.as_str(),
        "expected a list" | "expected a group of fields"
    );
    let hint = match &error.hint {
        Some(hint) if !shape => hint.clone(),
        _ => "the registry is a list of partners, each an item `- id: …` with at least `id` and `name` below it".to_string(),
    };
    let mut d = Diagnostic::error(FILE, format!("invalid partner registry: {}", error.message))
        .at(text, error.line, error.column)
        .with_hint(hint);
    if let Some(field) = unknown_field(&error.message) {
        d.message = format!("unknown field `{field}` in a partner");
        d.hint = Some(match diagnostic::suggest(field, FIELDS.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the fields are: {}", FIELDS.join(", ")),
        });
    }
    d
}

fn build(
    text: &str,
    raw: Vec<RawPartner>,
    render_description: impl Fn(&str) -> String,
) -> (Registry, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let mut registry = Registry::default();
    let lines = diagnostic::Lines::new(text);
    // normalised key → (partner index, line, the text as written)
    let mut seen: HashMap<String, (usize, usize, String)> = HashMap::default();
    for item in raw {
        let index = registry.partners.len();
        let line = item.id.referenced.line() as usize;
        let id = item.id.value.trim().to_string();
        if !slug::is_slug(&id) {
            problems.push(
                Diagnostic::error(FILE, slug::invalid("partner id", &id, "is not a slug"))
                    .at_in(&lines, line, item.id.referenced.column() as usize)
                    .with_hint(format!(
                        "ids use only lowercase letters, digits and dashes, e.g. `{}`",
                        slug::slugify(&id)
                    )),
            );
        }
        let mut item = item;
        clean(&mut item);
        let name = item.name.value.trim().to_string();
        if name.is_empty() {
            problems.push(
                Diagnostic::error(FILE, format!("partner `{id}` has an empty name"))
                    .at_in(
                        &lines,
                        item.name.referenced.line() as usize,
                        item.name.referenced.column() as usize,
                    )
                    .with_hint("give the name as it should be displayed"),
            );
        }
        let kind = partner_type(item.kind, &lines, &mut problems);
        let mut keys = vec![(id.clone(), line)];
        keys.push((name.clone(), item.name.referenced.line() as usize));
        for alias in &item.aliases {
            keys.push((alias.value.clone(), alias.referenced.line() as usize));
        }
        for (key, key_line) in keys {
            let normal = normalise(&key);
            if normal.is_empty() {
                continue;
            }
            match seen.get(&normal) {
                Some((other, other_line, other_text)) if *other != index => {
                    problems.push(
                        Diagnostic::error(
                            FILE,
                            format!(
                                "`{key}` names two partners: `{}` and `{id}` (line {other_line}: `{other_text}`)",
                                registry.partners[*other].id
                            ),
                        )
                        .at_in(&lines, key_line, 1)
                        .with_hint("every id, name and alias must point to one partner only"),
                    );
                }
                Some(_) => {}
                None => {
                    seen.insert(normal.clone(), (index, key_line, key.clone()));
                    registry.keys.insert(normal, index);
                }
            }
        }
        registry.partners.push(Partner {
            url: String::new(),
            id,
            name,
            aliases: item.aliases.into_iter().map(|a| a.value).collect(),
            type_label: model::partner_type_label(&kind).to_string(),
            kind,
            country: item.country,
            website: item.url,
            description_html: item
                .description
                .as_deref()
                .map(&render_description)
                .unwrap_or_default(),
            registered: true,
        });
    }
    (registry, problems)
}

/// `item` without the control characters YAML escapes can put in its text.
fn clean(item: &mut RawPartner) {
    without_control_characters(&mut item.name.value);
    for text in item.aliases.iter_mut().map(|a| &mut a.value) {
        without_control_characters(text);
    }
    for text in item.country.iter_mut().chain(item.description.iter_mut()) {
        without_control_characters(text);
    }
}

/// A partner's type as written (`other` when none is), with a problem when it is not one of
/// [`model::PARTNER_TYPES`].
fn partner_type(
    kind: Option<Spanned<String>>,
    lines: &diagnostic::Lines,
    problems: &mut Vec<Diagnostic>,
) -> String {
    let Some(kind) = kind else {
        return "other".to_string();
    };
    let value = kind.value.trim().to_string();
    if model::PARTNER_TYPES.iter().all(|(key, _)| *key != value) {
        let types: Vec<&str> = model::PARTNER_TYPES.iter().map(|(k, _)| *k).collect();
        let hint = match diagnostic::suggest(&value, types.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the types are: {}", types.join(", ")),
        };
        problems.push(
            Diagnostic::error(FILE, format!("unknown partner type `{value}`"))
                .at_in(
                    lines,
                    kind.referenced.line() as usize,
                    kind.referenced.column() as usize,
                )
                .with_hint(hint),
        );
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_however_their_accents_are_typed_and_whatever_invisible_characters_they_carry() {
        let composed = "Caf\u{e9} Org";
        for typed in [
            "Cafe\u{301} Org",
            "Caf\u{e9}\u{200B} Org",
            "\u{FEFF}Caf\u{e9} Org",
            "Caf\u{e9} O\u{AD}rg",
        ] {
            assert_eq!(normalise(typed), normalise(composed), "{typed:?}");
        }
        assert_eq!(plain_name("Cafe\u{301}\u{2060}"), "Caf\u{e9}");
        // Joiners that shape words in some scripts are kept.
        assert_eq!(
            plain_name("\u{645}\u{200C}\u{647}"),
            "\u{645}\u{200C}\u{647}"
        );
    }

    #[test]
    fn control_characters_in_partner_texts_are_dropped() {
        let (registry, problems) = parse(
            "- id: a\n  name: \"A\\0\"\n  aliases: [\"B\\x07\"]\n  country: \"C\\x01\"\n",
            str::to_string,
        );
        assert!(problems.is_empty(), "{problems:?}");
        let partner = &registry.partners[0];
        assert_eq!(
            (partner.name.as_str(), partner.aliases[0].as_str()),
            ("A", "B")
        );
        assert_eq!(partner.country.as_deref(), Some("C"));
        assert_eq!(registry.find("b").map(|p| p.id.as_str()), Some("a"));
    }

    #[test]
    fn a_partner_website_must_be_a_web_address() {
        let (registry, problems) = parse(
            "- id: a\n  name: A\n  url: https://a.example/\n",
            str::to_string,
        );
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(
            registry.partners[0].website.as_deref(),
            Some("https://a.example/")
        );
        let (_, problems) = parse(
            "- id: a\n  name: A\n  url: javascript:alert(1)\n",
            str::to_string,
        );
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("is not a web address"),
            "{problems:?}"
        );
        assert_eq!(problems[0].line, 3);
    }

    #[test]
    fn names_match_ignoring_case_spaces_and_ampersands() {
        assert_eq!(
            normalise("  National Center for Missing &  Exploited Children "),
            normalise("national center for missing and exploited children")
        );
    }
}
