//! Reading the site: `content/`, `partners.yaml` and the files beside entries.
//!
//! This is the only module that reads content from disk. It turns files into the plain data of
//! [`crate::model`], collecting every problem as a [`Diagnostic`] instead of stopping at the
//! first. Everything after it is a pure function of [`Content`].
//!
//! A load goes: `walk` lists the files, `read` reads each entry's file and parses its front
//! matter ([`frontmatter`]), `entry` types it, `names` resolves the partners and topics all
//! entries name, `body` renders each published entry's body, and `held_back` keeps back the
//! files only unpublished entries link to. `cache` runs those steps keeping what `serve`
//! reuses ([`load_cached`]); `in_place` is `serve`'s shorter way for a change of entries in
//! place ([`load_in_place`]).

mod body;
mod cache;
mod date;
mod entry;
pub mod frontmatter;
mod held_back;
mod in_place;
mod names;
pub mod pages;
pub mod partners;
mod photos;
pub mod plain;
mod read;
mod walk;

use std::path::PathBuf;
use std::sync::Arc;

use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::model::{Entry, Partner, StandingPage, Topic};

pub(crate) use body::MOST_BODY_PROBLEMS;
pub use cache::{Cache, load_cached};
pub use entry::{MOST_NAMES, slug_from_file_name};
pub use in_place::{InPlace, Replaced, load_in_place};
pub use photos::{MEDIA, is_photo};
pub use walk::is_ignored;

/// What decides which entries are published.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    pub future: bool,
    /// The moment embargoes are judged against.
    pub now: jiff::Timestamp,
}

/// A file beside the entries, copied as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    pub source: PathBuf,
    /// Output-relative path with `/` separators, e.g. `engagements/map.png`.
    pub path: String,
}

/// Everything the site is made of, published entries only.
#[derive(Debug, Clone, Default)]
pub struct Content {
    /// Newest first; ties broken by URL. Shared, so that a rebuild reuses unchanged entries.
    pub entries: Vec<Arc<Entry>>,
    /// Registered partners, then unregistered ones that published entries name.
    pub partners: Vec<Partner>,
    pub topics: Vec<Topic>,
    pub assets: Vec<Asset>,
    /// The standing pages (`content/pages/`), by URL.
    pub pages: Vec<Arc<StandingPage>>,
    /// The variants of the photos among the assets, from the photo cache, under `media/`.
    pub media: Vec<Asset>,
    /// The entries left out of the build, for the summary. A change of entries in place
    /// (`serve`, [`load_in_place`]) keeps the last whole load's.
    pub held_back: HeldBack,
}

/// The entries left out of a build: drafts (without `--drafts`) and embargoed entries
/// (without `--future`). A draft under embargo counts as a draft: it waits for its author.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HeldBack {
    pub drafts: usize,
    pub embargoed: usize,
    /// The first embargo to lift after the moment judged against, and the entry it holds
    /// back (of several at that moment, the first by path), when one is not also a draft.
    pub next_embargo: Option<(jiff::Timestamp, PathBuf)>,
}

/// First URL segments the site itself uses; an entry may not take them.
pub const RESERVED: &[&str] = &[
    "timeline",
    "partners",
    "topics",
    "search",
    "data",
    "404.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
    "search-index.json",
    "search-index.js",
    "page",
];

/// Reads and checks everything under `content/`.
pub fn load(config: &Config, options: &LoadOptions) -> (Content, Vec<Diagnostic>) {
    let mut cache = Cache::default();
    let loaded = load_cached(config, options, &mut cache);
    crate::drop_aside(cache);
    loaded
}

/// The order of entries: newest first (see [`When::newest_first`]), ties broken by URL.
pub(crate) fn newest_first(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    a.date.newest_first(&b.date).then_with(|| a.url.cmp(&b.url))
}
