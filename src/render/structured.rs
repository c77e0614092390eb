//! schema.org structured data (JSON-LD) for the `<head>` of every page.
//!
//! Owns the typed JSON-LD nodes (`NewsArticle` for an entry, `Organization` for a partner,
//! `WebSite` for the home page, `BreadcrumbList` for every page with breadcrumbs) and
//! [`script_json`], the escaping that makes JSON safe inside a `<script>` element (shared with
//! the search index script). Pure: no IO, no Tera. Every URL is absolute when
//! `base_url` is. Readers' documentation: `docs/templates.md` (`page.json_ld`).

use serde::Serialize;

use crate::config::Config;
use crate::model::{Entry, Partner};

use super::context::PageMeta;

/// A page's JSON-LD: `{"@context": "https://schema.org", "@graph": [...]}` with the page's
/// main node (when it has one) and its `BreadcrumbList` (when it has breadcrumbs), escaped
/// for a `<script type="application/ld+json">` element. Empty when there is nothing to say.
pub fn json_ld(config: &Config, page: &PageMeta, main: Option<Node>) -> String {
    let mut graph: Vec<Node> = main.into_iter().collect();
    if !page.breadcrumbs.is_empty() {
        graph.push(Node::BreadcrumbList(breadcrumbs(config, page)));
    }
    if graph.is_empty() {
        return String::new();
    }
    script_json(&Graph {
        context: "https://schema.org",
        graph,
    })
}

/// `value` as compact JSON that can sit inside an HTML `<script>` element: `<`, `>` and `&`
/// are written as `\u003c`, `\u003e` and `\u0026` (so `</script>` or `<!--` in a title cannot
/// end the element), and U+2028 and U+2029 as `\u2028` and `\u2029`. The result is still the
/// same JSON value for any JSON parser.
pub fn script_json<T: Serialize>(value: &T) -> String {
    // Serialising plain structs of strings and numbers into a String cannot fail.
    escape_for_script(&serde_json::to_string(value).expect("JSON of plain data"))
}

/// JSON text made safe for a `<script>` element, as [`script_json`] does.
pub fn escape_for_script(json: &str) -> String {
    let may = |b: u8| matches!(b, b'<' | b'>' | b'&' | 0xE2);
    let escaped = super::replace_chars(json, may, |bytes, i| match bytes[i] {
        b'<' => Some(("\\u003c", 1)),
        b'>' => Some(("\\u003e", 1)),
        b'&' => Some(("\\u0026", 1)),
        // U+2028 and U+2029.
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA8) => {
            Some(("\\u2028", 3))
        }
        0xE2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xA9) => {
            Some(("\\u2029", 3))
        }
        _ => None,
    });
    escaped.into_owned()
}

#[derive(Serialize)]
struct Graph {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@graph")]
    graph: Vec<Node>,
}

/// A top-level node of a page's graph.
#[derive(Debug, Serialize)]
#[serde(tag = "@type")]
pub enum Node {
    NewsArticle(Box<Article>),
    Organization(Organization),
    WebSite(WebSite),
    BreadcrumbList(BreadcrumbList),
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Article {
    headline: String,
    url: String,
    main_entity_of_page: String,
    date_published: String,
    date_modified: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    in_language: String,
    article_section: String,
    /// The partners the entry names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    about: Vec<OrganizationRef>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    keywords: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_location: Option<Place>,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    creative_work_status: Option<WorkStatus>,
    /// The lead image's `og:image` variant, absolute.
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    author: OrganizationRef,
    publisher: OrganizationRef,
}

/// schema.org's `creativeWorkStatus` of an entry: given only for a withdrawn one.
#[derive(Debug, Serialize)]
enum WorkStatus {
    Withdrawn,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    #[serde(rename = "@id")]
    id: String,
    name: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    alternate_name: Vec<String>,
    /// The partner's own website, or its page on this site when it has none.
    url: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<String>,
    main_entity_of_page: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WebSite {
    name: String,
    url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    in_language: String,
    publisher: OrganizationRef,
    potential_action: SearchAction,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BreadcrumbList {
    item_list_element: Vec<ListItem>,
}

/// An organisation named inside another node.
#[derive(Debug, Serialize)]
#[serde(tag = "@type", rename = "Organization")]
struct OrganizationRef {
    name: String,
    url: String,
}

#[derive(Debug, Serialize)]
#[serde(tag = "@type", rename = "Place")]
struct Place {
    name: String,
}

#[derive(Debug, Serialize)]
#[serde(tag = "@type", rename = "SearchAction", rename_all = "kebab-case")]
struct SearchAction {
    target: String,
    query_input: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(tag = "@type", rename = "ListItem")]
struct ListItem {
    position: usize,
    name: String,
    item: String,
}

/// The site as an organisation: the publisher of every entry.
fn site(config: &Config) -> OrganizationRef {
    OrganizationRef {
        name: config.title.clone(),
        url: config.absolute_url(&config.url("")),
    }
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_string())
}

/// `NewsArticle` for an entry's page.
pub fn article(config: &Config, entry: &Entry) -> Node {
    let url = config.absolute_url(&entry.url);
    Node::NewsArticle(Box::new(Article {
        headline: entry.title.clone(),
        main_entity_of_page: url.clone(),
        url,
        date_published: entry.date.datetime.clone(),
        date_modified: entry.updated.datetime.clone(),
        description: non_empty(&entry.summary),
        in_language: entry.language.clone(),
        article_section: entry.kind_label.clone(),
        about: entry
            .partners
            .iter()
            .map(|p| OrganizationRef {
                name: p.name.clone(),
                url: config.absolute_url(&p.url),
            })
            .collect(),
        keywords: entry.topics.iter().map(|t| t.name.clone()).collect(),
        content_location: entry
            .location
            .as_deref()
            .and_then(non_empty)
            .map(|name| Place { name }),
        identifier: entry.reference.as_deref().and_then(non_empty),
        creative_work_status: entry.withdrawn.as_ref().map(|_| WorkStatus::Withdrawn),
        image: entry.image.as_ref().map(|image| match &image.og {
            Some(og) => og.url.clone(),
            None => config.absolute_url(&image.src),
        }),
        author: site(config),
        publisher: site(config),
    }))
}

/// `Organization` for a partner's page.
pub fn organization(config: &Config, partner: &Partner) -> Node {
    let page = config.absolute_url(&partner.url);
    Node::Organization(Organization {
        id: format!("{page}#organization"),
        name: partner.name.clone(),
        alternate_name: partner.aliases.clone(),
        url: partner.website.clone().unwrap_or_else(|| page.clone()),
        same_as: partner.website.iter().cloned().collect(),
        main_entity_of_page: page,
        description: non_empty(&plain_text(&partner.description_html)),
    })
}

/// `WebSite` for the home page, with the search page as its `SearchAction`.
pub fn website(config: &Config) -> Node {
    Node::WebSite(WebSite {
        name: config.title.clone(),
        url: config.absolute_url(&config.url("")),
        description: non_empty(&config.description),
        in_language: config.language.clone(),
        publisher: site(config),
        potential_action: SearchAction {
            target: format!(
                "{}?q={{search_term_string}}",
                config.absolute_url(&config.url("search/"))
            ),
            query_input: "required name=search_term_string",
        },
    })
}

/// The page's breadcrumbs, then the page itself, with absolute URLs.
fn breadcrumbs(config: &Config, page: &PageMeta) -> BreadcrumbList {
    let trail = page
        .breadcrumbs
        .iter()
        .map(|c| (c.name.clone(), config.absolute_url(&c.url)))
        .chain(std::iter::once((
            page.title.clone(),
            page.canonical.clone(),
        )));
    BreadcrumbList {
        item_list_element: trail
            .enumerate()
            .map(|(n, (name, item))| ListItem {
                position: n + 1,
                name,
                item,
            })
            .collect(),
    }
}

/// The text of sanitised HTML: tags dropped (block-level ones leave a space), the entities our
/// Markdown renderer and sanitiser write decoded, white space collapsed.
fn plain_text(html: &str) -> String {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "code", "del", "em", "i", "kbd", "mark", "s", "small", "span", "strong",
        "sub", "sup", "u",
    ];
    let mut text = String::with_capacity(html.len());
    let mut tag: Option<String> = None;
    for c in html.chars() {
        match (&mut tag, c) {
            (None, '<') => tag = Some(String::new()),
            (None, c) => text.push(c),
            (Some(name), '>') => {
                let name = name.trim_start_matches('/');
                let name = name.split([' ', '/']).next().unwrap_or_default();
                if !INLINE.contains(&name.to_ascii_lowercase().as_str()) {
                    text.push(' ');
                }
                tag = None;
            }
            (Some(name), c) => name.push(c),
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_escaping_acts_on_every_character_that_needs_it_and_copies_the_rest() {
        let reference = |json: &str| -> String {
            json.chars()
                .map(|c| match c {
                    '<' => "\\u003c".to_string(),
                    '>' => "\\u003e".to_string(),
                    '&' => "\\u0026".to_string(),
                    '\u{2028}' => "\\u2028".to_string(),
                    '\u{2029}' => "\\u2029".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        for json in [
            "",
            "plain",
            "</script><!--&",
            "a\u{2028}b\u{2029}c\u{2027}\u{202a}",
            "ไทย<ข่าว>",
        ] {
            assert_eq!(escape_for_script(json), reference(json), "{json:?}");
        }
        // Long texts, where the scan goes by chunks: each special character at each place of
        // the first chunks, the three-byte ones across a chunk's end among them.
        for special in ["<", "&", "\u{2028}", "\u{2029}", "\u{2027}"] {
            for at in 0..70 {
                let json = format!("{}{special}{}>", "a".repeat(at), "b".repeat(70 - at));
                assert_eq!(escape_for_script(&json), reference(&json), "{json:?}");
            }
        }
    }

    #[test]
    fn script_json_cannot_end_the_script_element() {
        let text = script_json(&serde_json::json!({
            "headline": "</script><script>alert(1)</script> & <!-- \u{2028}\u{2029}"
        }));
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert!(!text.contains('\u{2028}') && !text.contains('\u{2029}'));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back["headline"],
            "</script><script>alert(1)</script> & <!-- \u{2028}\u{2029}"
        );
    }

    #[test]
    fn plain_text_drops_tags_and_decodes_entities() {
        assert_eq!(
            plain_text(
                "<p>Works on <em>labour</em> &amp; <a href=\"x\">migration</a>.</p>\n<p>Since 1951.</p>"
            ),
            "Works on labour & migration. Since 1951."
        );
        assert_eq!(plain_text(""), "");
    }
}
