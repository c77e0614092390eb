//! `site.yaml` → [`Config`]: every key optional, unknown keys refused with a suggestion.
//!
//! Paths are resolved here once; nothing else joins paths onto the site folder by hand.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostic::{self, Diagnostic};
use crate::slug;
use crate::yaml;

/// The keys `site.yaml` accepts, in the order of the documentation.
pub const KEYS: &[&str] = &[
    "title",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "output_dir",
    "photo_cache",
    "kinds",
    "per_page",
    "allow_raw_html",
    "extra",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: Option<String>,
    description: Option<String>,
    base_url: Option<String>,
    language: Option<String>,
    timezone: Option<String>,
    theme: Option<String>,
    output_dir: Option<String>,
    photo_cache: Option<String>,
    kinds: Option<KindList>,
    per_page: Option<usize>,
    allow_raw_html: Option<bool>,
    extra: Option<serde_json::Value>,
}

/// `kinds` as written, in order: a map (`engagement: Engagement`) or a list of one-key maps.
#[derive(Debug)]
struct KindList(Vec<(String, String)>);

impl<'de> Deserialize<'de> for KindList {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = KindList;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of kind ids to labels")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<KindList, A::Error> {
                let mut list = Vec::new();
                while let Some(pair) = map.next_entry::<String, String>()? {
                    list.push(pair);
                }
                Ok(KindList(list))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<KindList, A::Error> {
                let mut list = Vec::new();
                while let Some(KindList(pairs)) = seq.next_element::<KindList>()? {
                    list.extend(pairs);
                }
                Ok(KindList(list))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One allowed `kind` of entry and its label.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Kind {
    pub id: String,
    pub label: String,
}

/// The site's configuration, with defaults filled in and paths resolved.
#[derive(Debug, Clone)]
pub struct Config {
    pub root: PathBuf,
    pub title: String,
    pub description: String,
    /// As written, always ending in `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/` or `/sub/`): the prefix of every internal link.
    pub base_path: String,
    pub language: String,
    pub timezone: jiff::tz::TimeZone,
    pub timezone_name: String,
    pub theme: String,
    pub output_dir: PathBuf,
    /// Where photo variants are kept between builds (`photo_cache:`, from the site's folder;
    /// by default under the user's cache folder, [`crate::photos::cache::default_dir`]).
    pub photo_cache: PathBuf,
    pub kinds: Vec<Kind>,
    pub per_page: usize,
    pub allow_raw_html: bool,
    pub extra: serde_json::Value,
}

impl Config {
    pub fn content_dir(&self) -> PathBuf {
        self.root.join("content")
    }
    pub fn site_templates_dir(&self) -> PathBuf {
        self.root.join("templates")
    }
    pub fn site_static_dir(&self) -> PathBuf {
        self.root.join("static")
    }
    pub fn theme_dir(&self) -> PathBuf {
        self.root.join("themes").join(&self.theme)
    }
    /// Whether `base_url` is absolute (`https://…`), as feeds and canonical links need.
    pub fn has_absolute_base_url(&self) -> bool {
        self.base_url.starts_with("http://") || self.base_url.starts_with("https://")
    }
    /// The absolute form of a site path such as `/timeline/`.
    pub fn absolute_url(&self, path: &str) -> String {
        let path = path.strip_prefix(&self.base_path).unwrap_or(path);
        format!("{}{}", self.base_url, path.trim_start_matches('/'))
    }
    /// The site-relative URL of a path such as `timeline/`: `base_path` + path.
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_path, path.trim_start_matches('/'))
    }
    pub fn kind(&self, id: &str) -> Option<&Kind> {
        self.kinds.iter().find(|k| k.id == id)
    }
}

const FILE: &str = "site.yaml";

/// Reads `site.yaml` in `root` (a missing file means all defaults).
pub fn load(root: &Path) -> Result<Config, Vec<Diagnostic>> {
    let path = root.join(FILE);
    crate::tree::Fence::new(root, None)
        .admit(&path)
        .map_err(|refused| vec![refused])?;
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(error) => {
            return Err(vec![Diagnostic::error(
                FILE,
                format!("cannot read site.yaml: {error}"),
            )]);
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    if text.trim().is_empty() {
        let raw = yaml::parse("{}").map_err(|e| vec![Diagnostic::error(FILE, e.message)])?;
        return resolve(root, raw, text);
    }
    // After a problem, the key that holds it is left out and the rest read again, so that
    // one run reports every problem.
    let mut problems = Vec::new();
    let mut recovering = yaml::Recovering::new(text);
    let mut yaml = std::borrow::Cow::Borrowed(text);
    let raw: RawConfig = loop {
        let error = match yaml::parse(&yaml) {
            Ok(raw) => break raw,
            Err(error) => error,
        };
        let line = error.line;
        problems.push(yaml_diagnostic(text, error));
        if line == 0 || problems.len() >= 100 || recovering.blank_item(line).is_none() {
            return Err(problems);
        }
        yaml = std::borrow::Cow::Owned(recovering.text());
    };
    match resolve(root, raw, text) {
        Ok(config) if problems.is_empty() => Ok(config),
        Ok(_) => Err(problems),
        Err(more) => {
            problems.extend(more);
            Err(problems)
        }
    }
}

fn yaml_diagnostic(text: &str, error: yaml::YamlError) -> Diagnostic {
    let mut diagnostic =
        Diagnostic::error(FILE, error.message.clone()).at(text, error.line, error.column);
    diagnostic.hint = error.hint.clone();
    if let Some(field) = unknown_field(&error.message) {
        diagnostic.message = format!("unknown key `{field}` in site.yaml");
        diagnostic.hint = Some(match diagnostic::suggest(field, KEYS.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("the keys are: {}", KEYS.join(", ")),
        });
    }
    diagnostic
}

/// The 1-based line of a top-level `key:` in `site.yaml` (0 when absent) and the file's text.
pub fn line_of_key(root: &Path, key: &str) -> (usize, String) {
    let text = std::fs::read_to_string(root.join(FILE)).unwrap_or_default();
    let line = text
        .lines()
        .position(|l| l.starts_with(&format!("{key}:")))
        .map_or(0, |i| i + 1);
    (line, text)
}

/// The field name in serde's "unknown field `x`, expected …" message.
pub fn unknown_field(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

fn resolve(root: &Path, raw: RawConfig, text: &str) -> Result<Config, Vec<Diagnostic>> {
    let mut problems = Vec::new();
    let line_of = |key: &str| {
        text.lines()
            .position(|l| l.starts_with(&format!("{key}:")))
            .map_or(0, |i| i + 1)
    };
    let base_url = match site_address(raw.base_url.as_deref().unwrap_or("/")) {
        Ok(url) => url,
        Err(message) => {
            problems.push(
                Diagnostic::error(FILE, message)
                    .at(text, line_of("base_url"), 1)
                    .with_hint(BASE_URL_HINT),
            );
            "/".to_string()
        }
    };
    let base_path = base_path(&base_url);
    let timezone_name = raw.timezone.unwrap_or_else(|| "UTC".to_string());
    let timezone = timezone(&timezone_name, text, line_of("timezone"), &mut problems);
    let kinds = kinds(raw.kinds, text, line_of("kinds"), &mut problems);
    let per_page = raw.per_page.unwrap_or(50);
    if per_page == 0 {
        problems.push(
            Diagnostic::error(FILE, "`per_page` must be at least 1")
                .at(text, line_of("per_page"), 1)
                .with_hint("the default is 50"),
        );
    }
    let theme = raw.theme.unwrap_or_else(|| "default".to_string());
    if !slug::is_slug(&theme)
        && !theme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        problems.push(
            Diagnostic::error(FILE, format!("theme `{theme}` is not a folder name"))
                .at(text, line_of("theme"), 1)
                .with_hint("name a folder under `themes/`, e.g. `default`"),
        );
    }
    let extra = raw
        .extra
        .unwrap_or(serde_json::Value::Object(Default::default()));
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Config {
        root: root.to_path_buf(),
        title: raw.title.unwrap_or_else(|| "Updates".to_string()),
        description: raw.description.unwrap_or_default(),
        base_url,
        base_path,
        language: raw.language.unwrap_or_else(|| "en".to_string()),
        timezone,
        timezone_name,
        theme,
        output_dir: root.join(raw.output_dir.unwrap_or_else(|| "output".to_string())),
        photo_cache: raw.photo_cache.map_or_else(
            || {
                crate::photos::cache::default_dir()
                    .unwrap_or_else(|| std::env::temp_dir().join("gazette-photos"))
            },
            |dir| root.join(dir),
        ),
        kinds,
        per_page: per_page.max(1),
        allow_raw_html: raw.allow_raw_html.unwrap_or(false),
        extra,
    })
}

/// The time zone `name` (written at `line` of `text`), or UTC and a problem.
fn timezone(
    name: &str,
    text: &str,
    line: usize,
    problems: &mut Vec<Diagnostic>,
) -> jiff::tz::TimeZone {
    if let Ok(tz) = jiff::tz::TimeZone::get(name) {
        return tz;
    }
    // The caret under the value, where it can be found on the key's line.
    let column = text
        .lines()
        .nth(line.saturating_sub(1))
        .and_then(|l| {
            let after = l.find(':')? + 1;
            l[after..].find(name).map(|at| after + at)
        })
        .map_or(1, |at| at + 1);
    let names: Vec<String> = jiff::tz::db()
        .available()
        .map(|name| name.as_str().to_string())
        .collect();
    let hint = match diagnostic::suggest(name, names.iter().map(String::as_str)) {
        Some(name) => format!("did you mean `{name}`?"),
        None => "use an IANA name such as `UTC`, `Asia/Bangkok` or `Europe/Paris`".to_string(),
    };
    problems.push(
        Diagnostic::error(FILE, format!("unknown time zone `{name}`"))
            .at(text, line, column)
            .with_hint(hint),
    );
    jiff::tz::TimeZone::UTC
}

/// The kinds as listed (written at `line` of `text`), or the two the site has by default;
/// a problem when the list is empty or an id is not a slug.
fn kinds(
    raw: Option<KindList>,
    text: &str,
    line: usize,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Kind> {
    let kinds = match raw {
        None => vec![
            Kind {
                id: "engagement".into(),
                label: "Engagement".into(),
            },
            Kind {
                id: "press-release".into(),
                label: "Press release".into(),
            },
        ],
        Some(KindList(list)) => list
            .into_iter()
            .map(|(id, label)| Kind { id, label })
            .collect(),
    };
    if kinds.is_empty() {
        problems.push(
            Diagnostic::error(FILE, "`kinds` is empty")
                .at(text, line, 1)
                .with_hint("list at least one kind, e.g. `- engagement: Engagement`"),
        );
    }
    for kind in &kinds {
        if !slug::is_slug(&kind.id) {
            problems.push(
                Diagnostic::error(FILE, slug::invalid("kind", &kind.id, "is not a slug"))
                    .at(text, line, 1)
                    .with_hint("kind ids use only lowercase letters, digits and dashes"),
            );
        }
    }
    kinds
}

/// What to write instead of a `base_url` that is not a site's address.
pub const BASE_URL_HINT: &str = "write the address the site is published at, such as `https://example.org/` or `https://example.org/sub/`";

/// A `base_url` as written, checked and made plain: a trailing `/` added, and the scheme and
/// host of an absolute one in lower case (`HTTPS://Example.ORG` → `https://example.org/`).
/// An error message for one no link could start with: spaces, a query or a fragment, a
/// scheme other than `http` and `https`, or neither a scheme nor a leading `/`.
pub fn site_address(written: &str) -> Result<String, String> {
    if written.chars().any(|c| c.is_whitespace() || c.is_control()) || written.contains(['?', '#'])
    {
        return Err(format!(
            "`base_url` `{}` has spaces, a query or a fragment, which a site's address cannot have",
            written.escape_debug()
        ));
    }
    let mut url = match written.split_once("://") {
        Some((scheme, rest)) => {
            let scheme = scheme.to_ascii_lowercase();
            if scheme != "http" && scheme != "https" {
                return Err(format!(
                    "`base_url` `{written}` is not a web address: its scheme is `{scheme}`, not `https` or `http`"
                ));
            }
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            if host.is_empty() {
                return Err(format!("`base_url` `{written}` has no host"));
            }
            check_authority(written, host)?;
            check_path(written, path)?;
            format!("{scheme}://{}{path}", host.to_ascii_lowercase())
        }
        None if written.starts_with("//") => {
            return Err(format!(
                "`base_url` `{written}` starts with `//`, which browsers read as the address of another host"
            ));
        }
        None if written.starts_with('/') => {
            check_path(written, written)?;
            written.to_string()
        }
        None => {
            return Err(format!(
                "`base_url` `{written}` is neither a web address (`https://…`) nor a path from the root (`/…`)"
            ));
        }
    };
    if !url.ends_with('/') {
        url.push('/');
    }
    Ok(url)
}

/// The host and port of an absolute `base_url`: a host name (letters, digits, `-` and `.`,
/// or letters of any script), an IPv4 address or an `[IPv6]` one, and a port from 1 to 65535.
/// A user name or password is refused: every page would publish it.
fn check_authority(written: &str, authority: &str) -> Result<(), String> {
    if authority.contains('@') {
        return Err(format!(
            "`base_url` `{written}` has a user name or password (before `@`), which every page would publish"
        ));
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        match v6.split_once(']') {
            Some((address, rest)) if address.parse::<std::net::Ipv6Addr>().is_ok() => {
                let port = match rest {
                    "" => None,
                    rest => Some(rest.strip_prefix(':').unwrap_or(rest)),
                };
                (&authority[..address.len() + 2], port)
            }
            _ => {
                return Err(format!(
                    "`base_url` `{written}` has `{authority}` for a host, which is not a host name or IP address"
                ));
            }
        }
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    let label = |label: &str| {
        !label.is_empty()
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let name = host.strip_suffix('.').unwrap_or(host);
    if !host.starts_with('[') && !name.split('.').all(label) {
        return Err(format!(
            "`base_url` `{written}` has `{host}` for a host, which is not a host name or IP address"
        ));
    }
    if let Some(port) = port
        && !(port.bytes().all(|b| b.is_ascii_digit()) && port.parse::<u16>().is_ok_and(|p| p > 0))
    {
        return Err(format!(
            "`base_url` `{written}` has `{port}` for a port, which is not a port number (1 to 65535)"
        ));
    }
    Ok(())
}

/// The path of a `base_url`: characters a URL path may hold as they are, and `%` escapes of
/// two hex digits that stand for no control character.
fn check_path(written: &str, path: &str) -> Result<(), String> {
    let bytes = path.as_bytes();
    for (at, c) in path.char_indices() {
        let plain = !c.is_ascii() || c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=:@/%".contains(c);
        let escape = c != '%'
            || (bytes.len() > at + 2
                && path.get(at + 1..at + 3).is_some_and(|hex| {
                    u8::from_str_radix(hex, 16).is_ok_and(|byte| byte >= 0x20 && byte != 0x7f)
                }));
        if !plain || !escape {
            let shown = if c == '%' {
                path.get(at..at + 3).unwrap_or(&path[at..])
            } else {
                &path[at..at + c.len_utf8()]
            };
            return Err(format!(
                "`base_url` `{written}` has `{shown}` in its path, which a web address cannot hold as it is"
            ));
        }
    }
    Ok(())
}

/// `https://example.org/sub/` → `/sub/`; `/` → `/`.
pub fn base_path(base_url: &str) -> String {
    let without_scheme = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"));
    match without_scheme {
        Some(rest) => match rest.find('/') {
            Some(index) => rest[index..].to_string(),
            None => "/".to_string(),
        },
        None if base_url.starts_with('/') => base_url.to_string(),
        None => format!("/{base_url}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths() {
        assert_eq!(base_path("https://example.org/"), "/");
        assert_eq!(base_path("https://example.org/sub/"), "/sub/");
        assert_eq!(base_path("/"), "/");
        assert_eq!(base_path("/docs/"), "/docs/");
    }

    #[test]
    fn site_addresses_are_made_plain_or_refused() {
        for (written, plain) in [
            ("https://example.org", "https://example.org/"),
            ("HTTPS://Example.ORG/Sub", "https://example.org/Sub/"),
            ("http://localhost:8080/", "http://localhost:8080/"),
            ("http://[::1]:8080/x/", "http://[::1]:8080/x/"),
            ("http://127.0.0.1/", "http://127.0.0.1/"),
            ("https://ไทย.example/a%20b/", "https://ไทย.example/a%20b/"),
            ("https://example.org./", "https://example.org./"),
            ("/docs", "/docs/"),
            ("/", "/"),
        ] {
            assert_eq!(site_address(written).as_deref(), Ok(plain), "{written}");
        }
        for (written, message) in [
            (
                "https://exa mple.org/",
                "`base_url` `https://exa mple.org/` has spaces, a query or a fragment, which a site's address cannot have",
            ),
            (
                "https://example.org/?q=1",
                "`base_url` `https://example.org/?q=1` has spaces, a query or a fragment, which a site's address cannot have",
            ),
            (
                "https://example.org/#top",
                "`base_url` `https://example.org/#top` has spaces, a query or a fragment, which a site's address cannot have",
            ),
            (
                "ftp://example.org/",
                "`base_url` `ftp://example.org/` is not a web address: its scheme is `ftp`, not `https` or `http`",
            ),
            ("https:///x", "`base_url` `https:///x` has no host"),
            (
                "http://[::1]:99999/",
                "`base_url` `http://[::1]:99999/` has `99999` for a port, which is not a port number (1 to 65535)",
            ),
            (
                "http://example.org:0/",
                "`base_url` `http://example.org:0/` has `0` for a port, which is not a port number (1 to 65535)",
            ),
            (
                "http://example.org:/",
                "`base_url` `http://example.org:/` has `` for a port, which is not a port number (1 to 65535)",
            ),
            (
                "http://%00/",
                "`base_url` `http://%00/` has `%00` for a host, which is not a host name or IP address",
            ),
            (
                "http://exa_mple..org/",
                "`base_url` `http://exa_mple..org/` has `exa_mple..org` for a host, which is not a host name or IP address",
            ),
            (
                "http://[::g]/",
                "`base_url` `http://[::g]/` has `[::g]` for a host, which is not a host name or IP address",
            ),
            (
                "//other.example/",
                "`base_url` `//other.example/` starts with `//`, which browsers read as the address of another host",
            ),
            (
                "https://user:secret@example.org/",
                "`base_url` `https://user:secret@example.org/` has a user name or password (before `@`), which every page would publish",
            ),
            (
                "https://example.org/a%00b/",
                "`base_url` `https://example.org/a%00b/` has `%00` in its path, which a web address cannot hold as it is",
            ),
            (
                "https://example.org/a%zz/",
                "`base_url` `https://example.org/a%zz/` has `%zz` in its path, which a web address cannot hold as it is",
            ),
            (
                "/docs\\x/",
                "`base_url` `/docs\\x/` has `\\` in its path, which a web address cannot hold as it is",
            ),
            (
                "/a\"b/",
                "`base_url` `/a\"b/` has `\"` in its path, which a web address cannot hold as it is",
            ),
            (
                "example.org",
                "`base_url` `example.org` is neither a web address (`https://…`) nor a path from the root (`/…`)",
            ),
            (
                "https:example.org",
                "`base_url` `https:example.org` is neither a web address (`https://…`) nor a path from the root (`/…`)",
            ),
        ] {
            assert_eq!(site_address(written), Err(message.to_string()), "{written}");
        }
    }
}
