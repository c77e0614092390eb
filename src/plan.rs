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
        let language = &config.language;
        let page = |url: String, what: What| Page {
            path: crate::render::output_path(config, &url),
            url,
            language: language.clone(),
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
        let kinds: Vec<Vec<usize>> = (config.kinds.iter())
            .map(|kind| {
                (0..entries.len())
                    .filter(|&i| entries[i].kind == kind.id)
                    .collect()
            })
            .collect();
        let mut list = |list: List, base: String, positions: &[usize]| {
            if positions.is_empty() && !matches!(list, List::Partner(_)) {
                return;
            }
            let per_page = config.per_page.max(1);
            let total = positions.len().div_ceil(per_page).max(1);
            for n in 0..total {
                let pagination = Pagination {
                    number: n + 1,
                    total,
                    start: n * per_page,
                    end: ((n + 1) * per_page).min(positions.len()),
                };
                let url = page_url(config, &base, n + 1);
                pages.push(page(url, What::List(list, pagination)));
            }
        };
        for (y, year) in indexes.timeline.years.iter().enumerate() {
            list(
                List::Year(y),
                format!("timeline/{}/", year.year),
                &year.entries,
            );
        }
        for (k, (kind, positions)) in config.kinds.iter().zip(&kinds).enumerate() {
            list(
                List::Kind(k),
                format!("timeline/kind/{}/", kind.id),
                positions,
            );
        }
        let mut feeds = vec![Feed {
            path: "feed.xml".to_string(),
            of: FeedOf::Site,
        }];
        for (p, stats) in indexes.partners.iter().enumerate() {
            if has_page(content, stats) {
                let id = &content.partners[stats.partner].id;
                list(List::Partner(p), format!("partners/{id}/"), &stats.entries);
                feeds.push(Feed {
                    path: format!("partners/{id}/feed.xml"),
                    of: FeedOf::Partner(p),
                });
            }
        }
        for (t, stats) in indexes.topics.iter().enumerate() {
            if !stats.entries.is_empty() {
                let slug = &content.topics[stats.topic].slug;
                list(List::Topic(t), format!("topics/{slug}/"), &stats.entries);
                feeds.push(Feed {
                    path: format!("topics/{slug}/feed.xml"),
                    of: FeedOf::Topic(t),
                });
            }
        }
        let redirects = (entries.iter().enumerate())
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
            .collect();
        Plan {
            pages,
            feeds,
            redirects,
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
