//! The page plan: every page, feed and redirect the site has, and what each shows.
//!
//! [`Plan::new`] is the one place that says which pages exist: a page per entry, the fixed
//! pages (home, timeline, the partner and topic indexes, search, the open data page, "not
//! found"), and every page of every list (a year of the timeline, a kind, a partner, a topic),
//! each with its language and its share of the list's entries. `render` walks it, the sitemap
//! maps it, the feeds are made from it, and `serve` compares the last render's plan with the
//! new one to tell whether a change added or removed pages. Pure: content, indexes and
//! configuration in.

use crate::config::Config;
use crate::content::Content;
use crate::index::{self, Indexes};

/// Every page and feed of a site.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The entries' pages first, by position in `content.entries` (newest first), then the
    /// other pages.
    pub pages: Vec<Page>,
    /// The site's feed, then one per partner with a page, then one per topic with a page.
    pub feeds: Vec<Feed>,
    /// A redirect page at each alias of an entry, in the order of the entries.
    pub redirects: Vec<Redirect>,
    /// The positions of the entries of each kind, in the order of `config.kinds`.
    pub kinds: Vec<Vec<usize>>,
    /// How many entries there are: the first pages of [`Plan::pages`].
    entries: usize,
}

/// One HTML page of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Output-relative path: `timeline/2024/page/2/index.html`.
    pub path: String,
    /// Site-relative URL: `/timeline/2024/page/2/`.
    pub url: String,
    /// The page's language (`language` of `site.yaml`).
    pub language: String,
    pub what: What,
}

/// What a page is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum What {
    /// The page of the entry at this position in `content.entries`.
    Entry(usize),
    Home,
    Timeline,
    /// `/partners/`: every partner with a page.
    Partners,
    /// `/topics/`: every topic with a page.
    Topics,
    Search,
    /// `/data/`, when the theme has its template.
    OpenData,
    NotFound,
    /// The standing page at this position in `content.pages`.
    Standing(usize),
    /// One page of a list of entries.
    List(List, Pagination),
}

/// A list of entries shown over pages of `per_page`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    /// A year of the timeline: a position in `indexes.timeline.years`.
    Year(usize),
    /// A kind: a position in `config.kinds` (and [`Plan::kinds`]).
    Kind(usize),
    /// A partner: a position in `indexes.partners`.
    Partner(usize),
    /// A topic: a position in `indexes.topics`.
    Topic(usize),
}

/// Which page of its list a page is, and which of the list's entries it shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pagination {
    /// 1 for the first page.
    pub number: usize,
    /// How many pages the list has.
    pub total: usize,
    /// The page's entries: `start..end` of the list's.
    pub start: usize,
    pub end: usize,
}

/// One Atom feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feed {
    /// Output-relative path: `partners/iom/feed.xml`.
    pub path: String,
    pub of: FeedOf,
}

/// Whose entries a feed holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedOf {
    /// Every entry, whole.
    Site,
    /// A partner's entries (a position in `indexes.partners`), summarised.
    Partner(usize),
    /// A topic's entries (a position in `indexes.topics`), summarised.
    Topic(usize),
}

/// A page that sends readers from an old URL of an entry to its current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// Output-relative path of the alias.
    pub path: String,
    /// The entry's position in `content.entries`.
    pub entry: usize,
    /// Which of its aliases it is.
    pub alias: usize,
}

impl Plan {
    /// The plan of the site of `content` and `indexes`; `open_data` says whether the theme
    /// has the open data page's template.
    pub fn new(config: &Config, content: &Content, indexes: &Indexes, open_data: bool) -> Plan {
        let entries = &content.entries;
        let page = |url: String, what: What| Page {
            path: crate::render::output_path(config, &url),
            url,
            language: config.language.clone(),
            what,
        };
        let mut pages: Vec<Page> = entries
            .iter()
            .enumerate()
            .map(|(i, entry)| page(entry.url.clone(), What::Entry(i)))
            .collect();
        let fixed = [
            ("", What::Home),
            ("timeline/", What::Timeline),
            ("partners/", What::Partners),
            ("topics/", What::Topics),
            ("search/", What::Search),
        ];
        pages.extend(fixed.map(|(path, what)| page(config.url(path), what)));
        if open_data {
            pages.push(page(config.url("data/"), What::OpenData));
        }
        pages.push(page(config.url("404.html"), What::NotFound));
        pages.extend(
            (content.pages.iter().enumerate()).map(|(i, standing)| Page {
                path: crate::render::output_path(config, &standing.url),
                url: standing.url.clone(),
                language: standing.language.clone(),
                what: What::Standing(i),
            }),
        );
        let kinds: Vec<Vec<usize>> = (config.kinds.iter())
            .map(|kind| {
                (0..entries.len())
                    .filter(|&i| entries[i].kind == kind.id)
                    .collect()
            })
            .collect();
        let (lists, feeds) = lists(config, content, indexes, &kinds);
        for (list, base, positions) in lists {
            let per_page = config.per_page.max(1);
            let total = positions.len().div_ceil(per_page).max(1);
            pages.extend((0..total).map(|n| {
                let pagination = Pagination {
                    number: n + 1,
                    total,
                    start: n * per_page,
                    end: ((n + 1) * per_page).min(positions.len()),
                };
                page(page_url(config, &base, n + 1), What::List(list, pagination))
            }));
        }
        Plan {
            pages,
            feeds,
            redirects: redirects(content),
            kinds,
            entries: entries.len(),
        }
    }

    /// The pages of the entries, by position.
    pub fn entry_pages(&self) -> &[Page] {
        &self.pages[..self.entries]
    }

    /// Every page but the entries'.
    pub fn other_pages(&self) -> &[Page] {
        &self.pages[self.entries..]
    }

    /// Every entry of `list`, newest first.
    pub fn entries_of<'i>(&'i self, indexes: &'i Indexes, list: List) -> &'i [usize] {
        match list {
            List::Year(y) => &indexes.timeline.years[y].entries,
            List::Kind(k) => &self.kinds[k],
            List::Partner(p) => &indexes.partners[p].entries,
            List::Topic(t) => &indexes.topics[t].entries,
        }
    }

    /// The entries a page of `list` shows.
    pub fn shown<'i>(&'i self, indexes: &'i Indexes, list: List, page: Pagination) -> &'i [usize] {
        &self.entries_of(indexes, list)[page.start..page.end]
    }

    /// How many partners have a page.
    pub fn partners(&self) -> usize {
        (self.feeds.iter())
            .filter(|feed| matches!(feed.of, FeedOf::Partner(_)))
            .count()
    }

    /// The output paths of the HTML pages, sorted.
    pub fn page_paths(&self) -> Vec<&str> {
        let mut paths: Vec<&str> = self.pages.iter().map(|p| p.path.as_str()).collect();
        paths.sort_unstable();
        paths
    }
}

/// Lists, each with the URL of its first page and its entries.
type Lists<'i> = Vec<(List, String, &'i [usize])>;

/// Every list that has pages, with the URL of its first page (from the site's root, without
/// the base path) and its entries; and every feed. A year, a kind and a topic have pages when
/// they have entries, a partner when [`has_page`] says so; a partner's or topic's feed goes
/// with its pages.
fn lists<'i>(
    config: &Config,
    content: &Content,
    indexes: &'i Indexes,
    kinds: &'i [Vec<usize>],
) -> (Lists<'i>, Vec<Feed>) {
    let mut lists: Lists = Vec::new();
    for (y, year) in indexes.timeline.years.iter().enumerate() {
        lists.push((
            List::Year(y),
            format!("timeline/{}/", year.year),
            &year.entries,
        ));
    }
    for (k, (kind, positions)) in config.kinds.iter().zip(kinds).enumerate() {
        lists.push((
            List::Kind(k),
            format!("timeline/kind/{}/", kind.id),
            positions,
        ));
    }
    let mut feeds = vec![Feed {
        path: "feed.xml".to_string(),
        of: FeedOf::Site,
    }];
    for (p, stats) in indexes.partners.iter().enumerate() {
        if has_page(content, stats) {
            let id = &content.partners[stats.partner].id;
            lists.push((List::Partner(p), format!("partners/{id}/"), &stats.entries));
            feeds.push(Feed {
                path: format!("partners/{id}/feed.xml"),
                of: FeedOf::Partner(p),
            });
        }
    }
    for (t, stats) in indexes.topics.iter().enumerate() {
        let slug = &content.topics[stats.topic].slug;
        lists.push((List::Topic(t), format!("topics/{slug}/"), &stats.entries));
        if !stats.entries.is_empty() {
            feeds.push(Feed {
                path: format!("topics/{slug}/feed.xml"),
                of: FeedOf::Topic(t),
            });
        }
    }
    // Only a partner's list has a page without entries.
    lists.retain(|(list, _, positions)| !positions.is_empty() || matches!(list, List::Partner(_)));
    (lists, feeds)
}

/// A redirect page at each alias of each entry.
fn redirects(content: &Content) -> Vec<Redirect> {
    (content.entries.iter().enumerate())
        .flat_map(|(i, entry)| {
            entry.aliases.iter().enumerate().map(move |(n, alias)| {
                let path = if alias.ends_with(".html") {
                    alias.clone()
                } else {
                    format!("{alias}index.html")
                };
                Redirect {
                    path,
                    entry: i,
                    alias: n,
                }
            })
        })
        .collect()
}

/// Whether the partner of `stats` has a page (and a feed): it has entries, or the registry
/// names it.
pub fn has_page(content: &Content, stats: &index::partners::PartnerStats) -> bool {
    !stats.entries.is_empty() || content.partners[stats.partner].registered
}

/// The positions of the entries an entry page shows besides its own: the one before it in
/// time (older, `i + 1`) and the one after it (newer, `i - 1`), where there are.
pub fn neighbours(entries: usize, i: usize) -> (Option<usize>, Option<usize>) {
    (Some(i + 1).filter(|&j| j < entries), i.checked_sub(1))
}

/// The URL of page `n` of the list at `base` (`partners/iom/`): page 1 is the list itself.
pub fn page_url(config: &Config, base: &str, n: usize) -> String {
    if n <= 1 {
        config.url(base)
    } else {
        config.url(&format!("{base}page/{n}/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Partner;
    use crate::render::feeds::tests::{config, content, entry};

    #[test]
    fn every_page_once_with_its_share_of_its_list() {
        let mut config = config("https://example.org/sub/");
        config.per_page = 2;
        config.kinds.push(crate::config::Kind {
            id: "press-release".into(),
            label: "Press release".into(),
        });
        // Three entries of 2024 with `a`, one of 2023 with `a` and `b` on `t`.
        let mut content = content(vec![
            entry(&config, 1, "2024-03-01T00:00", &["a"], &[]),
            entry(&config, 2, "2024-02-01T00:00", &["a"], &[]),
            entry(&config, 3, "2024-01-01T00:00", &["a"], &[]),
            entry(&config, 4, "2023-01-01T00:00", &["a", "b"], &["t"]),
        ]);
        // `b` named but not registered; `r` registered but named by no entry.
        content.partners[1].registered = false;
        content.partners.push(Partner {
            id: "r".into(),
            url: config.url("partners/r/"),
            ..content.partners[0].clone()
        });
        let mut indexes = crate::index::build(&content);
        // A topic the indexes know that has lost its entries has no page.
        indexes.topics.push(crate::index::topics::TopicStats {
            topic: 0,
            entries: Vec::new(),
        });
        let plan = Plan::new(&config, &content, &indexes, false);
        let paths = plan.page_paths();
        let lists: Vec<&str> = (paths.iter().copied())
            .filter(|p| !p.starts_with("e/"))
            .collect();
        assert_eq!(
            lists,
            [
                "404.html",
                "index.html",
                "partners/a/index.html",
                "partners/a/page/2/index.html",
                "partners/b/index.html",
                "partners/index.html",
                "partners/r/index.html",
                "search/index.html",
                "timeline/2023/index.html",
                "timeline/2024/index.html",
                "timeline/2024/page/2/index.html",
                "timeline/index.html",
                "timeline/kind/engagement/index.html",
                "timeline/kind/engagement/page/2/index.html",
                "topics/index.html",
                "topics/t/index.html",
            ]
        );
        assert_eq!(plan.entry_pages().len(), 4);
        assert_eq!(plan.partners(), 3);
        let feeds: Vec<&str> = plan.feeds.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(
            feeds,
            [
                "feed.xml",
                "partners/a/feed.xml",
                "partners/b/feed.xml",
                "partners/r/feed.xml",
                "topics/t/feed.xml",
            ]
        );
        // The second page of 2024 shows its third entry; the page's URL has the base path.
        let page = (plan.pages.iter())
            .find(|p| p.path == "timeline/2024/page/2/index.html")
            .unwrap();
        assert_eq!(page.url, "/sub/timeline/2024/page/2/");
        assert_eq!(page.language, "en");
        let What::List(list, at) = page.what else {
            panic!("{page:?}")
        };
        assert_eq!((at.number, at.total), (2, 2));
        assert_eq!(plan.shown(&indexes, list, at), [2]);
        // A registered partner without entries has one page, showing none.
        let page = (plan.pages.iter())
            .find(|p| p.path == "partners/r/index.html")
            .unwrap();
        let What::List(list, at) = page.what else {
            panic!("{page:?}")
        };
        assert_eq!((at.number, at.total), (1, 1));
        assert!(plan.shown(&indexes, list, at).is_empty());
    }

    #[test]
    fn an_entry_page_shows_the_entries_beside_it() {
        assert_eq!(neighbours(1, 0), (None, None));
        assert_eq!(neighbours(3, 0), (Some(1), None));
        assert_eq!(neighbours(3, 1), (Some(2), Some(0)));
        assert_eq!(neighbours(3, 2), (None, Some(1)));
    }

    #[test]
    fn aliases_are_redirects_to_their_entry() {
        let config = config("https://example.org/");
        let mut with_aliases = entry(&config, 1, "2024-01-01T00:00", &[], &[]);
        with_aliases.aliases = vec!["old/".into(), "older.html".into()];
        let content = content(vec![
            entry(&config, 2, "2024-02-01T00:00", &[], &[]),
            with_aliases,
        ]);
        let indexes = crate::index::build(&content);
        let plan = Plan::new(&config, &content, &indexes, true);
        let redirects: Vec<(&str, usize, usize)> = (plan.redirects.iter())
            .map(|r| (r.path.as_str(), r.entry, r.alias))
            .collect();
        assert_eq!(redirects, [("old/index.html", 1, 0), ("older.html", 1, 1)]);
        assert!(plan.page_paths().contains(&"data/index.html"));
    }
}
