//! `/sitemap.xml` (sitemaps.org 0.9) and `/robots.txt`.
//!
//! Pure: the caller passes the HTML pages it rendered, each with the `lastmod` it worked out
//! (see [`lastmod`]), and gets the files back. Every URL is absolute, made from `base_url`.
//! URLs are sorted, so two builds of the same site give the same bytes. Past
//! [`MAX_URLS`] pages the sitemap becomes a sitemap index over `sitemap-1.xml`, `sitemap-2.xml` …
//! as the protocol requires.

use std::fmt::Write as _;

use crate::config::Config;
use crate::content::Content;
use crate::index::Indexes;
use crate::model::Entry;
use crate::plan::{Plan, What};

use super::feeds::{escape_text, rfc3339, write_rfc3339};
use super::{Contents, OutputFile};

/// The most URLs one sitemap file may list (sitemaps.org).
pub const MAX_URLS: usize = 50_000;

/// Output paths that are HTML but not pages to index.
const LEFT_OUT: &[&str] = &["404.html"];

/// `sitemap.xml` and `robots.txt` for `pages`: the output path of every HTML page rendered
/// (`index.html`, `timeline/index.html`, `partners/iom/page/2/index.html`) with the newest
/// `updated` of the entries it shows, or `None` for a page that shows none. `404.html` and
/// paths that are not `.html` are left out; redirect pages of aliases should not be passed.
pub fn sitemap<P: AsRef<str>>(
    config: &Config,
    pages: &[(P, Option<jiff::Timestamp>)],
) -> Vec<OutputFile> {
    split(config, pages, MAX_URLS)
}

/// The `lastmod` of a page showing `entries`: the newest of their `updated` instants.
/// Pass the entries a list page shows (its page of the pagination), an entry's page its own
/// entry, and index pages (home, timeline, partners, topics) every entry.
pub fn lastmod<'e>(entries: impl IntoIterator<Item = &'e Entry>) -> Option<jiff::Timestamp> {
    entries.into_iter().map(|e| e.updated.instant).max()
}

/// Every page of `plan` with its `lastmod`, for [`sitemap`]: an entry's page gets the entry's
/// `updated`; each page of a list (timeline years, kinds, partners, topics) the newest
/// `updated` among the entries on that page; every other page (home, the timeline, the
/// partner and topic indexes, search) the newest `updated` of all entries.
pub fn lastmods<'p>(
    content: &Content,
    indexes: &Indexes,
    plan: &'p Plan,
) -> Vec<(&'p str, Option<jiff::Timestamp>)> {
    let entries = &content.entries;
    // Looked up once per entry: the lists name each entry several times, and entries lie
    // spread through memory.
    let updated: Vec<jiff::Timestamp> = entries.iter().map(|e| e.updated.instant).collect();
    let all = updated.iter().max().copied();
    (plan.pages.iter())
        .map(|page| {
            let lastmod = match page.what {
                What::Entry(i) => updated.get(i).copied(),
                What::Standing(i) => (content.pages.get(i))
                    .and_then(|p| p.reviewed.as_ref())
                    .map(|r| r.instant),
                What::List(list, at) => (plan.shown(indexes, list, at).iter())
                    .map(|&i| updated[i])
                    .max(),
                _ => all,
            };
            (page.path.as_str(), lastmod)
        })
        .collect()
}

/// The absolute URL of the page written at `path`: `a/b/index.html` → `<base_url>a/b/`.
pub fn page_url(config: &Config, path: &str) -> String {
    format!("{}{}", config.base_url, relative_url(path))
}

/// [`page_url`] without `base_url`.
fn relative_url(path: &str) -> String {
    let rel = match path.strip_suffix("index.html") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => dir,
        _ => path,
    };
    percent_encode(rel)
}

fn split<P: AsRef<str>>(
    config: &Config,
    pages: &[(P, Option<jiff::Timestamp>)],
    max: usize,
) -> Vec<OutputFile> {
    // URLs relative to `base_url`, which every one starts with: sorted the same, and
    // compared without it.
    let mut urls: Vec<(String, Option<jiff::Timestamp>)> = pages
        .iter()
        .map(|(path, lastmod)| (path.as_ref(), lastmod))
        .filter(|(path, _)| path.ends_with(".html") && !LEFT_OUT.contains(path))
        .map(|(path, lastmod)| (relative_url(path), *lastmod))
        .collect();
    urls.sort_unstable();
    // The same URL twice keeps its newest lastmod (sorting put `None` first).
    urls.reverse();
    urls.dedup_by(|later, earlier| later.0 == earlier.0);
    urls.reverse();
    let sitemap_url = format!("{}sitemap.xml", config.base_url);
    let mut files = Vec::new();
    if urls.len() <= max {
        files.push(file("sitemap.xml", urlset(config, &urls)));
    } else {
        let mut index = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for (n, chunk) in urls.chunks(max.max(1)).enumerate() {
            let path = format!("sitemap-{}.xml", n + 1);
            index.push_str("  <sitemap>\n");
            let _ = writeln!(
                index,
                "    <loc>{}{}</loc>",
                escape_text(&config.base_url),
                path
            );
            let newest = chunk.iter().filter_map(|(_, lastmod)| *lastmod).max();
            if let Some(instant) = newest {
                let _ = writeln!(
                    index,
                    "    <lastmod>{}</lastmod>",
                    rfc3339(instant, &config.timezone)
                );
            }
            index.push_str("  </sitemap>\n");
            files.push(file(&path, urlset(config, chunk)));
        }
        index.push_str("</sitemapindex>\n");
        files.insert(0, file("sitemap.xml", index));
    }
    files.push(file("robots.txt", robots(config, &sitemap_url)));
    files
}

/// The sitemap of `urls` (relative to `base_url`).
fn urlset(config: &Config, urls: &[(String, Option<jiff::Timestamp>)]) -> String {
    let mut xml = String::with_capacity(64 + urls.len() * 120);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    let base = escape_text(&config.base_url);
    for (url, lastmod) in urls {
        xml.push_str("  <url>\n");
        xml.push_str("    <loc>");
        xml.push_str(&base);
        xml.push_str(&escape_text(url));
        xml.push_str("</loc>\n");
        if let Some(instant) = lastmod {
            xml.push_str("    <lastmod>");
            write_rfc3339(&mut xml, *instant, &config.timezone);
            xml.push_str("</lastmod>\n");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    xml
}

/// Everything may be crawled; the sitemap is named when its URL can be absolute, as the
/// robots.txt format requires.
fn robots(config: &Config, sitemap_url: &str) -> String {
    let mut text = String::from("User-agent: *\nAllow: /\n");
    if config.has_absolute_base_url() {
        let _ = writeln!(text, "\nSitemap: {sitemap_url}");
    }
    text
}

fn file(path: &str, text: String) -> OutputFile {
    OutputFile {
        path: path.to_string(),
        contents: Contents::Bytes(text.into()),
    }
}

/// Percent-encodes what may not appear as is in a URL path (RFC 3986): spaces, non-ASCII,
/// controls and `"<>\^`{|}`. `/`, `%`-escapes already there, and the other reserved
/// characters are kept.
fn percent_encode(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@%".contains(&byte);
        if keep {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::feeds::tests::{config, entry, when};

    fn text(file: &OutputFile) -> &str {
        match &file.contents {
            Contents::Bytes(bytes) => std::str::from_utf8(bytes).unwrap(),
            Contents::Copy(_) | Contents::Stream(_) => unreachable!(),
        }
    }

    fn at(text: &str) -> Option<jiff::Timestamp> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn lists_pages_sorted_with_absolute_urls_and_lastmod() {
        let config = config("https://example.org/sub/");
        let pages = vec![
            (
                "timeline/index.html".to_string(),
                at("2025-01-02T03:04:05Z"),
            ),
            ("index.html".to_string(), at("2025-01-02T03:04:05Z")),
            ("partners/iom/page/2/index.html".to_string(), None),
            ("404.html".to_string(), None),
            ("e/ไทย & co/index.html".to_string(), None),
        ];
        let files = sitemap(&config, &pages);
        assert_eq!(files.len(), 2);
        assert_eq!(files[0].path, "sitemap.xml");
        assert_eq!(
            text(&files[0]),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n\
             \x20 <url>\n    <loc>https://example.org/sub/</loc>\n    <lastmod>2025-01-02T10:04:05+07:00</lastmod>\n  </url>\n\
             \x20 <url>\n    <loc>https://example.org/sub/e/%E0%B9%84%E0%B8%97%E0%B8%A2%20&amp;%20co/</loc>\n  </url>\n\
             \x20 <url>\n    <loc>https://example.org/sub/partners/iom/page/2/</loc>\n  </url>\n\
             \x20 <url>\n    <loc>https://example.org/sub/timeline/</loc>\n    <lastmod>2025-01-02T10:04:05+07:00</lastmod>\n  </url>\n\
             </urlset>\n"
        );
        assert_eq!(files[1].path, "robots.txt");
        assert_eq!(
            text(&files[1]),
            "User-agent: *\nAllow: /\n\nSitemap: https://example.org/sub/sitemap.xml\n"
        );
    }

    #[test]
    fn a_relative_base_url_names_no_sitemap_in_robots() {
        let config = config("/");
        let files = sitemap(&config, &[("index.html".to_string(), None)]);
        assert_eq!(text(&files[1]), "User-agent: *\nAllow: /\n");
    }

    #[test]
    fn duplicates_keep_the_newest_lastmod() {
        let config = config("https://example.org/");
        let pages = vec![
            ("a/index.html".to_string(), at("2020-01-01T00:00:00Z")),
            ("a/index.html".to_string(), None),
            ("a/index.html".to_string(), at("2021-01-01T00:00:00Z")),
        ];
        let xml = text(&sitemap(&config, &pages)[0]).to_string();
        assert_eq!(xml.matches("<loc>").count(), 1);
        assert!(
            xml.contains("<lastmod>2021-01-01T07:00:00+07:00</lastmod>"),
            "{xml}"
        );
    }

    #[test]
    fn many_pages_make_a_sitemap_index() {
        let config = config("https://example.org/");
        let pages: Vec<(String, Option<jiff::Timestamp>)> = (0..5)
            .map(|n| {
                (
                    format!("p{n}/index.html"),
                    at(&format!("202{n}-01-01T00:00:00Z")),
                )
            })
            .collect();
        let files = split(&config, &pages, 2);
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml",
                "robots.txt"
            ]
        );
        let index = text(&files[0]);
        assert!(
            index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">")
        );
        assert!(index.contains("<loc>https://example.org/sitemap-3.xml</loc>\n    <lastmod>2024-01-01T07:00:00+07:00</lastmod>"), "{index}");
        assert_eq!(text(&files[3]).matches("<url>").count(), 1);
    }

    #[test]
    fn lastmod_is_the_newest_update() {
        let config = config("https://example.org/");
        let a = entry(&config, 1, "2022-01-01T00:00", &[], &[]);
        let mut b = entry(&config, 2, "2021-01-01T00:00", &[], &[]);
        b.updated = when(&config, "2023-01-01T00:00");
        assert_eq!(lastmod([&a, &b]), Some(b.updated.instant));
        assert_eq!(
            lastmod(&[a]),
            Some(when(&config, "2022-01-01T00:00").instant)
        );
        assert_eq!(lastmod(&[] as &[Entry]), None);
    }

    #[test]
    fn lastmods_follow_the_entries_each_page_shows() {
        let mut config = config("https://example.org/");
        config.per_page = 2;
        // Newest first: e5, e4 | e3, e2 | e1, and e1 was updated last.
        let mut entries: Vec<Entry> = (1..=5)
            .map(|n| entry(&config, n, &format!("2022-0{n}-01T00:00"), &["iom"], &[]))
            .collect();
        entries[0].updated = when(&config, "2025-01-01T00:00");
        let content = crate::render::feeds::tests::content(entries);
        let indexes = crate::index::build(&content);
        let plan = Plan::new(&config, &content, &indexes, false);
        let lastmods: std::collections::BTreeMap<&str, _> =
            lastmods(&content, &indexes, &plan).into_iter().collect();
        let paths = [
            "index.html",
            "e/e1/index.html",
            "partners/iom/index.html",
            "partners/iom/page/2/index.html",
            "partners/iom/page/3/index.html",
            "timeline/2022/page/3/index.html",
            "timeline/kind/engagement/page/2/index.html",
            "search/index.html",
        ];
        let got: Vec<_> = paths.iter().map(|path| (path, lastmods[path])).collect();
        let day = |d: &str| Some(when(&config, &format!("{d}T00:00")).instant);
        let expected = [
            day("2025-01-01"),
            day("2025-01-01"),
            day("2022-05-01"),
            day("2022-03-01"),
            day("2025-01-01"),
            day("2025-01-01"),
            day("2022-03-01"),
            day("2025-01-01"),
        ];
        for ((path, got), expected) in got.iter().zip(expected) {
            assert_eq!(*got, expected, "{path}");
        }
    }

    #[test]
    fn page_urls() {
        let config = config("https://example.org/");
        assert_eq!(page_url(&config, "index.html"), "https://example.org/");
        assert_eq!(
            page_url(&config, "a/b/index.html"),
            "https://example.org/a/b/"
        );
        assert_eq!(
            page_url(&config, "old.html"),
            "https://example.org/old.html"
        );
        assert_eq!(
            page_url(&config, "xindex.html"),
            "https://example.org/xindex.html"
        );
    }
}
