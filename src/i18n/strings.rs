//! Theme strings: every word a theme's templates show, per language, from
//! `themes/<theme>/i18n/<code>.yaml` (or gazette's built-in copy of the default theme's), changed
//! key by key by the site's own `i18n/<code>.yaml`. The keys are those of the theme's English
//! file; a key a language lacks shows its English string, with a warning.
//!
//! Templates read them as `{{ strings.home }}`, and `{{ strings.timeline_lead | fill(count=n) }}`
//! picks the plural form CLDR's rules give `n` in the language and fills in `{count}` and any
//! other `{name}`. This module reads files through [`crate::tree`] and renders nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::config::Config;
use crate::diagnostic::{self, Diagnostic};
use crate::tree::Fence;

/// The language every theme writes its strings in first: its keys are the theme's keys, and
/// its strings stand in for those another language lacks.
pub const BASE: &str = "en";

/// The CLDR plural categories a string may give a form for.
const CATEGORIES: &[&str] = &["zero", "one", "two", "few", "many", "other"];

/// One string: the same text for every number, or one text per CLDR plural category.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize)]
#[serde(untagged)]
pub enum Text {
    Plain(String),
    Forms(BTreeMap<String, String>),
}

/// The strings of one language, complete: every key of the theme has a text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Strings {
    /// The language's code, as `site.yaml` names it (`en`, `th`).
    pub language: String,
    texts: BTreeMap<String, Text>,
}

/// What [`load`] found: the strings, and the warnings about them (missing and unknown keys).
pub struct Loaded {
    pub strings: Strings,
    pub warnings: Vec<Diagnostic>,
}

/// One strings file as read: where it is shown in reports, its text and its strings.
struct File {
    shown: String,
    text: String,
    texts: BTreeMap<String, Text>,
}

impl Strings {
    /// The text of `key`, or of its `other` form when it has forms.
    pub fn get(&self, key: &str) -> Option<&str> {
        match self.texts.get(key)? {
            Text::Plain(text) => Some(text),
            Text::Forms(forms) => forms.get("other").map(String::as_str),
        }
    }

    /// The strings as Tera's `strings` variable: a string per key (marked safe for keys ending
    /// in `_html`), or a map of the forms.
    pub fn to_value(&self) -> tera::Value {
        let value = |key: &str, text: &str| {
            if key.ends_with("_html") {
                tera::Value::safe_string(text)
            } else {
                tera::Value::from(text)
            }
        };
        let map: BTreeMap<String, tera::Value> = self
            .texts
            .iter()
            .map(|(key, text)| {
                let shown = match text {
                    Text::Plain(text) => value(key, text),
                    Text::Forms(forms) => tera::Value::from(
                        forms
                            .iter()
                            .map(|(category, text)| (category.clone(), value(key, text)))
                            .collect::<BTreeMap<String, tera::Value>>(),
                    ),
                };
                (key.clone(), shown)
            })
            .collect();
        tera::Value::from(map)
    }
}

/// The `fill` filter: `text` is a string of `strings` or the map of its plural forms, of which
/// the one for `count` in `language` is taken; then each `{name}` becomes the argument `name`.
/// In a string marked safe (an `_html` key), the arguments are HTML-escaped first.
pub fn fill(
    language: &str,
    text: &tera::Value,
    args: &tera::Kwargs,
) -> tera::TeraResult<tera::Value> {
    let chosen = match text.as_map() {
        Some(forms) => {
            let count: i64 = args.get("count")?.ok_or_else(|| {
                tera::Error::message("`fill` needs `count=` for a string with plural forms")
            })?;
            let category = plural_category(language, count);
            let form = |name: &str| {
                forms
                    .iter()
                    .find(|(key, _)| key.as_str() == Some(name))
                    .map(|(_, value)| value.clone())
            };
            form(category).or_else(|| form("other")).ok_or_else(|| {
                tera::Error::message(format!("the string has no `{category}` or `other` form"))
            })?
        }
        None => text.clone(),
    };
    let Some(template) = chosen.as_str() else {
        return Err(tera::Error::message(
            "`fill` is for the strings of `strings`, such as `strings.timeline_lead`",
        ));
    };
    let html = chosen.is_safe();
    let mut filled = template.to_string();
    for (name, value) in args.iter() {
        let Some(name) = name.as_str() else { continue };
        let mut shown = value.to_string();
        if html {
            shown = escape(&shown);
        }
        filled = filled.replace(&format!("{{{name}}}"), &shown);
    }
    Ok(if html {
        tera::Value::safe_string(&filled)
    } else {
        tera::Value::from(filled)
    })
}

/// The CLDR plural category of `count` in `language` (`other` when CLDR has no rules for it).
fn plural_category(language: &str, count: i64) -> &'static str {
    use icu::plurals::{PluralCategory, PluralRules};
    let Ok(locale) = language.parse::<icu::locale::Locale>() else {
        return "other";
    };
    let Ok(rules) = PluralRules::try_new_cardinal(locale.into()) else {
        return "other";
    };
    match rules.category_for(count) {
        PluralCategory::Zero => "zero",
        PluralCategory::One => "one",
        PluralCategory::Two => "two",
        PluralCategory::Few => "few",
        PluralCategory::Many => "many",
        _ => "other",
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The strings of the site's language: the theme's English strings, then the theme's file of
/// the language, then the site's `i18n/<code>.yaml`, each key by key. A theme without the
/// file (or without `i18n/`) has gazette's built-in one of that language, when there is one.
pub fn load(config: &Config, fence: &Fence) -> Result<Loaded, Vec<Diagnostic>> {
    let language = files_code(config);
    let language = language.as_str();
    let mut errors = Vec::new();
    let mut read = |source: Option<Result<File, Vec<Diagnostic>>>| match source {
        Some(Ok(file)) => Some(file),
        Some(Err(problems)) => {
            errors.extend(problems);
            None
        }
        None => None,
    };
    let base = read(base_file(config, fence));
    let theme = match language {
        BASE => None,
        _ => read(theme_file(config, fence, language)),
    };
    let site = read(site_file(config, fence, language));
    if !errors.is_empty() {
        return Err(errors);
    }
    let Some(base) = base else {
        return Err(vec![Diagnostic::error(
            format!("themes/{}/i18n/{BASE}.yaml", config.theme),
            "the theme's English strings are missing",
        )]);
    };
    let mut warnings = Vec::new();
    let mut texts = base.texts.clone();
    let own: Vec<&File> = theme.iter().chain(site.iter()).collect();
    for file in &own {
        warnings.extend(unknown_keys(file, &base));
        warnings.extend(unknown_names(file, &base));
        errors.extend(check_forms(file));
        for (key, text) in &file.texts {
            if base.texts.contains_key(key) {
                texts.insert(key.clone(), text.clone());
            }
        }
    }
    errors.extend(check_date_locale(&texts, &own, &base));
    if !errors.is_empty() {
        return Err(errors);
    }
    if language != BASE {
        warnings.extend(missing_keys(language, &base, theme.as_ref(), site.as_ref()));
    }
    Ok(Loaded {
        strings: Strings {
            language: config.language.clone(),
            texts,
        },
        warnings,
    })
}

/// The code in the names of the strings files of the site's language: its tag (`th-TH`) when
/// a file has it, else its language alone (`th`), so that a region needs no file of its own.
fn files_code(config: &Config) -> String {
    let tag = config.language.as_str();
    let Some((language, _)) = tag.split_once('-') else {
        return tag.to_string();
    };
    let name = format!("{tag}.yaml");
    let there = |path: PathBuf| std::fs::symlink_metadata(path).is_ok();
    let has_file = there(config.theme_dir().join("i18n").join(&name))
        || there(config.root.join("i18n").join(&name))
        || crate::theme::STRINGS.iter().any(|(n, _)| *n == name);
    if has_file { tag } else { language }.to_string()
}

/// The English strings: gazette's built-in ones (the default theme's, which name the pages
/// gazette titles itself), with the theme's own `i18n/en.yaml` over them, which may add keys.
fn base_file(config: &Config, fence: &Fence) -> Option<Result<File, Vec<Diagnostic>>> {
    let built_in = builtin(config, BASE)?;
    let path = config.theme_dir().join("i18n").join(format!("{BASE}.yaml"));
    let shown = format!("themes/{}/i18n/{BASE}.yaml", config.theme);
    Some(match (built_in, read_file(fence, &path, &shown)) {
        (Ok(mut built_in), Some(Ok(theme))) => {
            built_in.texts.extend(theme.texts);
            Ok(File {
                texts: built_in.texts,
                ..theme
            })
        }
        (_, Some(Err(problems))) | (Err(problems), _) => Err(problems),
        (Ok(built_in), None) => Ok(built_in),
    })
}

fn builtin(config: &Config, code: &str) -> Option<Result<File, Vec<Diagnostic>>> {
    let name = format!("{code}.yaml");
    let (_, text) = crate::theme::STRINGS.iter().find(|(n, _)| *n == name)?;
    let shown = format!("themes/{}/i18n/{name} (built in)", config.theme);
    Some(parse(shown, text.to_string()))
}

/// The theme's strings file of `code`: the theme folder's, or else the built-in one.
fn theme_file(config: &Config, fence: &Fence, code: &str) -> Option<Result<File, Vec<Diagnostic>>> {
    let path = config.theme_dir().join("i18n").join(format!("{code}.yaml"));
    let shown = format!("themes/{}/i18n/{code}.yaml", config.theme);
    read_file(fence, &path, &shown).or_else(|| builtin(config, code))
}

/// The site's `i18n/<code>.yaml`, when there is one.
fn site_file(config: &Config, fence: &Fence, code: &str) -> Option<Result<File, Vec<Diagnostic>>> {
    let path = config.root.join("i18n").join(format!("{code}.yaml"));
    read_file(fence, &path, &format!("i18n/{code}.yaml"))
}

/// Reads and parses the file at `path`, when it is there, as [`crate::tree`] allows.
fn read_file(fence: &Fence, path: &Path, shown: &str) -> Option<Result<File, Vec<Diagnostic>>> {
    for dir in path.ancestors().skip(1).take(2) {
        if let Err(refused) = fence.admit(dir) {
            return Some(Err(vec![refused]));
        }
    }
    if let Err(refused) = fence.admit(path) {
        return Some(Err(vec![refused]));
    }
    // Read like `site.yaml`: through a link the fence admits.
    let text = std::fs::read(path).and_then(|bytes| {
        String::from_utf8(bytes)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    });
    Some(match text {
        Ok(text) => parse(shown.to_string(), text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => Err(vec![
            Diagnostic::error(shown, format!("cannot read the strings file: {e}"))
                .with_hint("strings files are UTF-8 text in YAML"),
        ]),
    })
}

fn parse(shown: String, text: String) -> Result<File, Vec<Diagnostic>> {
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    if text.trim().is_empty()
        || text
            .lines()
            .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Ok(File {
            shown,
            text,
            texts: BTreeMap::new(),
        });
    }
    match crate::yaml::parse::<BTreeMap<String, Text>>(&text) {
        Ok(texts) => Ok(File { shown, text, texts }),
        Err(e) => {
            // serde's words for a value of neither shape name our type; say it in the file's terms.
            let message = if e.message.contains("untagged enum Text") {
                "a string is a text or a map of plural forms".to_string()
            } else {
                e.message.clone()
            };
            let hint = e.hint.clone().unwrap_or_else(|| {
                "each line is `key: text`, or `key:` followed by indented plural forms (`one: …`, `other: …`)".to_string()
            });
            Err(vec![
                Diagnostic::error(&shown, format!("invalid strings file: {message}"))
                    .at(&text, e.line, e.column.max(1))
                    .with_hint(hint),
            ])
        }
    }
}

/// The 1-based line of the top-level `key:` in `text` (0 when not found).
fn line_of(text: &str, key: &str) -> usize {
    text.lines()
        .position(|line| {
            line.strip_prefix(key)
                .or_else(|| line.strip_prefix(&format!("\"{key}\"")))
                .or_else(|| line.strip_prefix(&format!("'{key}'")))
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map_or(0, |i| i + 1)
}

fn at_key(diagnostic: Diagnostic, file: &File, key: &str) -> Diagnostic {
    match line_of(&file.text, key) {
        0 => diagnostic,
        line => diagnostic.at(&file.text, line, 1),
    }
}

/// Keys of `file` the theme does not have: a warning each, with the nearest known key.
fn unknown_keys(file: &File, base: &File) -> Vec<Diagnostic> {
    file.texts
        .keys()
        .filter(|key| !base.texts.contains_key(*key))
        .map(|key| {
            let hint = match diagnostic::suggest(key, base.texts.keys().map(String::as_str)) {
                Some(near) => format!(
                    "did you mean `{near}`? The keys are those of `{}`",
                    base.shown
                ),
                None => format!("the keys are those of `{}`", base.shown),
            };
            at_key(
                Diagnostic::warning(&file.shown, format!("unknown theme string `{key}`")),
                file,
                key,
            )
            .with_hint(hint)
        })
        .collect()
}

/// The `{names}` the forms of `text` fill in.
fn names(text: &Text) -> std::collections::BTreeSet<&str> {
    let forms: Vec<&str> = match text {
        Text::Plain(text) => vec![text],
        Text::Forms(forms) => forms.values().map(String::as_str).collect(),
    };
    let mut found = std::collections::BTreeSet::new();
    for form in forms {
        for (start, _) in form.match_indices('{') {
            let rest = &form[start + 1..];
            let Some(end) = rest.find('}') else { continue };
            let name = &rest[..end];
            if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                found.insert(name);
            }
        }
    }
    found
}

/// A warning for each `{name}` a string of `file` has that its English string does not: the
/// template gives no such value, so it would be shown as written.
fn unknown_names(file: &File, base: &File) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (key, text) in &file.texts {
        let Some(english) = base.texts.get(key) else {
            continue;
        };
        let known = names(english);
        for name in names(text).difference(&known) {
            let hint = match known
                .iter()
                .map(|n| format!("`{{{n}}}`"))
                .collect::<Vec<_>>()
            {
                given if given.is_empty() => "the English string fills in no value".to_string(),
                given => format!("the English string fills in {}", given.join(", ")),
            };
            problems.push(
                at_key(
                    Diagnostic::warning(
                        &file.shown,
                        format!(
                            "theme string `{key}` has `{{{name}}}`, which no template fills in"
                        ),
                    ),
                    file,
                    key,
                )
                .with_hint(hint),
            );
        }
    }
    problems
}

/// Plural forms named other than by CLDR's categories, or without `other`.
fn check_forms(file: &File) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for (key, text) in &file.texts {
        let Text::Forms(forms) = text else { continue };
        let wrong = forms
            .keys()
            .find(|name| !CATEGORIES.contains(&name.as_str()));
        let message = match wrong {
            Some(name) => {
                format!("theme string `{key}` has a form `{name}`, which is not a plural category")
            }
            None if !forms.contains_key("other") => {
                format!("theme string `{key}` has no `other` form")
            }
            None => continue,
        };
        problems.push(
            at_key(Diagnostic::error(&file.shown, message), file, key).with_hint(
                "plural forms are named by CLDR's categories: `zero`, `one`, `two`, `few`, `many` and `other` (which every language needs)",
            ),
        );
    }
    problems
}

/// `date_locale`, when given, must be a language tag CLDR can format dates for.
fn check_date_locale(
    texts: &BTreeMap<String, Text>,
    own: &[&File],
    base: &File,
) -> Option<Diagnostic> {
    let Some(Text::Plain(tag)) = texts.get("date_locale") else {
        return None;
    };
    let reason = crate::i18n::Dates::for_tag(tag).err()?;
    let file = own
        .iter()
        .rev()
        .find(|file| file.texts.contains_key("date_locale"))
        .copied()
        .unwrap_or(base);
    Some(
        at_key(Diagnostic::error(&file.shown, reason), file, "date_locale")
            .with_hint("write a BCP 47 language tag, such as `en-GB` or `th`"),
    )
}

/// A warning for each key neither the theme's nor the site's file of `language` gives, named
/// in the file that should (the theme's when it has one, else the site's); one warning when
/// there is no file of the language at all.
fn missing_keys(
    language: &str,
    base: &File,
    theme: Option<&File>,
    site: Option<&File>,
) -> Vec<Diagnostic> {
    let Some(file) = theme.or(site) else {
        return vec![
            Diagnostic::warning(
                format!("i18n/{language}.yaml"),
                format!(
                    "no theme strings for the language `{language}`: the English ones are shown"
                ),
            )
            .with_hint(format!(
                "add `i18n/{language}.yaml` with the keys of `{}` in that language",
                base.shown
            )),
        ];
    };
    let given = |key: &String| {
        [theme, site]
            .iter()
            .flatten()
            .any(|file| file.texts.contains_key(key))
    };
    base.texts
        .keys()
        .filter(|key| !given(key))
        .map(|key| {
            Diagnostic::warning(
                PathBuf::from(&file.shown),
                format!(
                    "theme string `{key}` is missing for `{language}`: the English one is shown"
                ),
            )
            .with_hint(format!(
                "add `{key}:` to `i18n/{language}.yaml`, or to `{}`",
                file.shown
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kwargs(pairs: &[(&'static str, tera::Value)]) -> tera::Kwargs {
        let mut map = tera::value::Map::default();
        for (name, value) in pairs {
            map.insert((*name).into(), value.clone());
        }
        tera::Kwargs::new(std::sync::Arc::new(map))
    }

    fn forms(pairs: &[(&str, &str)]) -> tera::Value {
        tera::Value::from(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), tera::Value::from(*v)))
                .collect::<BTreeMap<String, tera::Value>>(),
        )
    }

    #[test]
    fn english_has_one_and_other_and_thai_only_other() {
        let entries = forms(&[("one", "{count} entry"), ("other", "{count} entries")]);
        let one = fill("en", &entries, &kwargs(&[("count", 1.into())])).unwrap();
        let three = fill("en", &entries, &kwargs(&[("count", 3.into())])).unwrap();
        assert_eq!(one.as_str(), Some("1 entry"));
        assert_eq!(three.as_str(), Some("3 entries"));
        let thai = fill("th", &entries, &kwargs(&[("count", 1.into())])).unwrap();
        assert_eq!(thai.as_str(), Some("1 entries"));
    }

    #[test]
    fn names_are_filled_in_and_escaped_only_in_html_strings() {
        let plain = tera::Value::from("Entries about {topic}");
        let html = tera::Value::safe_string("<a href=\"{feed}\">feed</a>");
        let filled = fill("en", &plain, &kwargs(&[("topic", "A & B".into())])).unwrap();
        assert_eq!(filled.as_str(), Some("Entries about A & B"));
        assert!(!filled.is_safe());
        let filled = fill("en", &html, &kwargs(&[("feed", "/a?b&c".into())])).unwrap();
        assert_eq!(filled.as_str(), Some("<a href=\"/a?b&amp;c\">feed</a>"));
        assert!(filled.is_safe());
    }

    #[test]
    fn a_string_with_forms_needs_a_count() {
        let entries = forms(&[("other", "{count} รายการ")]);
        let err = fill("th", &entries, &kwargs(&[])).unwrap_err();
        assert!(err.to_string().contains("`fill` needs `count=`"), "{err}");
    }

    #[test]
    fn the_built_in_files_have_the_same_keys_and_valid_forms() {
        let file = |code: &str| {
            let name = format!("{code}.yaml");
            let (_, text) = crate::theme::STRINGS
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap();
            parse(format!("{code}.yaml"), text.to_string()).unwrap()
        };
        let en = file("en");
        let th = file("th");
        assert_eq!(
            en.texts.keys().collect::<Vec<_>>(),
            th.texts.keys().collect::<Vec<_>>()
        );
        assert!(check_forms(&en).is_empty() && check_forms(&th).is_empty());
        let stray: Vec<String> = unknown_names(&th, &en)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(stray, Vec::<String>::new());
        for key in th.texts.keys() {
            assert_eq!(
                names(&th.texts[key]),
                names(&en.texts[key]),
                "`{key}` fills in the same names"
            );
        }
        assert_eq!(
            line_of(&en.text, "home"),
            1 + en
                .text
                .lines()
                .position(|l| l.starts_with("home:"))
                .unwrap()
        );
    }
}
