//! Rendering: content and indexes in, a list of output files out. No IO happens here.
//!
//! Each page kind has a typed context (see [`context`]); grouping, sorting and pagination are
//! done here in Rust, so templates only lay things out.

mod chart;
pub mod context;
pub mod data;
pub mod feeds;
pub mod memo;
pub mod root_links;
pub mod search;
pub mod sitemap;
pub mod structured;
pub mod templates;

use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::Content;
use crate::digest;
use crate::index::{self, Indexes};
use crate::model::{self, Entry, When};
use context::*;

/// The partial that makes one year's section of `/timeline/`, when a theme has it.
pub const TIMELINE_SECTION: &str = "partials/timeline_section.html";
/// The partial that makes one entry's card, once per entry, for every list that shows it.
pub const CARD: &str = "partials/card.html";
/// The partial that makes one entry's row on its year's page.
pub const ROW: &str = "partials/row.html";

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Output-relative path with `/` separators, e.g. `timeline/index.html`.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    /// A generated file at `path`, made as it is written by `stream`.
    pub fn streamed(path: &str, stream: Stream) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            contents: Contents::Stream(stream),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(bytes::Bytes),
    /// A file copied as it is.
    Copy(std::path::PathBuf),
    /// A generated file made piece by piece as it is written.
    Stream(Stream),
}

impl Contents {
    /// A generated file's bytes, made whole; `None` for a copied file.
    pub fn generated(&self) -> Option<bytes::Bytes> {
        match self {
            Contents::Bytes(bytes) => Some(bytes.clone()),
            Contents::Stream(stream) => Some(stream.collect()),
            Contents::Copy(_) => None,
        }
    }

    /// The file's bytes, whole: generated, or read from the file it is a copy of.
    pub fn read(&self) -> std::io::Result<bytes::Bytes> {
        match self {
            Contents::Copy(source) => crate::tree::read(source).map(Into::into),
            Contents::Bytes(bytes) => Ok(bytes.clone()),
            Contents::Stream(stream) => Ok(stream.collect()),
        }
    }
}

/// Where a [`Stream`] puts each piece it makes.
pub type Pieces<'w> = &'w mut dyn FnMut(&[u8]) -> std::io::Result<()>;

/// A generated file that is made when it is written, piece by piece, so that a large one (the
/// open data of a site of 100,000 entries is hundreds of megabytes) is never whole in memory.
#[derive(Clone)]
pub struct Stream {
    make: std::sync::Arc<dyn Fn(Pieces) -> std::io::Result<()> + Send + Sync>,
    /// The file's size where it is known beforehand, to make it whole in one buffer.
    size: usize,
    /// A digest of everything the file is made from, where it is known: two streams with the
    /// same identity make the same bytes.
    identity: Option<u64>,
}

impl Stream {
    /// `make` hands every piece of the file, in order, to the function it is given.
    pub fn new(make: impl Fn(Pieces) -> std::io::Result<()> + Send + Sync + 'static) -> Stream {
        Stream {
            make: std::sync::Arc::new(make),
            size: 0,
            identity: None,
        }
    }

    /// The same stream, known to make `size` bytes.
    pub fn with_size(self, size: usize) -> Stream {
        Stream { size, ..self }
    }

    /// The same stream, known to make the same bytes as every other of this `identity`.
    pub fn with_identity(self, identity: u64) -> Stream {
        Stream {
            identity: Some(identity),
            ..self
        }
    }

    /// See [`Stream::with_identity`].
    pub fn identity(&self) -> Option<u64> {
        self.identity
    }

    /// Makes the file, handing each piece to `write`.
    pub fn write(&self, write: Pieces) -> std::io::Result<()> {
        (self.make)(write)
    }

    /// The whole file.
    pub fn collect(&self) -> bytes::Bytes {
        let mut whole = Vec::with_capacity(self.size);
        // Appending to a vector cannot fail.
        let _ = self.write(&mut |piece| {
            whole.extend_from_slice(piece);
            Ok(())
        });
        whole.into()
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stream")
    }
}

impl PartialEq for Stream {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.make, &other.make)
    }
}

impl Eq for Stream {}

/// Where rendered files go as soon as they are made: the staging folder of `build`, or
/// memory for `serve`. A failure to take a file is reported like a problem in content.
pub type Sink<'s> = &'s (dyn Fn(OutputFile) -> Result<(), RenderError> + Sync);

/// A file that was written: its path and, for a copied file, where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    pub path: String,
    pub source: Option<std::path::PathBuf>,
}

impl From<&OutputFile> for FileRef {
    fn from(file: &OutputFile) -> Self {
        FileRef {
            path: file.path.clone(),
            source: match &file.contents {
                Contents::Copy(source) => Some(source.clone()),
                Contents::Bytes(_) | Contents::Stream(_) => None,
            },
        }
    }
}

/// A failed render, placed at the template's file, line and column.
pub type RenderError = Box<crate::diagnostic::Diagnostic>;

/// Everything rendering needs, borrowed.
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub templates: &'a templates::Templates,
    pub content: &'a Content,
    pub indexes: &'a Indexes,
    /// The [`SiteView`] as template data, made once.
    site: tera::Value,
    /// Every entry's [`EntryCard`] as template data, made once, and its digests, by position.
    entry_data: memo::EntryData,
    /// Every entry's row on its year's page, by position, when a render follows (see
    /// [`Renderer::row`]); else empty.
    rows: Vec<tera::Value>,
    /// When set, pages whose digest did not change since the last render are not made again.
    memo: Option<&'a memo::Memo>,
    /// The digest of what every generated file depends on: configuration, partners, topics.
    site_digest: u64,
    /// When set, the top-level context keys each template was rendered with (for the test
    /// that keeps `docs/templates.md` true).
    recorded: Option<std::sync::Mutex<ContextKeys>>,
}

/// Template name → the top-level keys of its context.
pub type ContextKeys = std::collections::BTreeMap<String, std::collections::BTreeSet<String>>;

impl<'a> Renderer<'a> {
    /// A renderer for a build, which keeps nothing; fails when an entry's card does
    /// (see `Renderer::add_card_html`).
    pub fn new(
        config: &'a Config,
        templates: &'a templates::Templates,
        content: &'a Content,
        indexes: &'a Indexes,
    ) -> Result<Self, RenderError> {
        Renderer::without_card_html(config, templates, content, indexes).add_card_html()
    }

    /// [`Renderer::new`] before its cards have their HTML.
    fn without_card_html(
        config: &'a Config,
        templates: &'a templates::Templates,
        content: &'a Content,
        indexes: &'a Indexes,
    ) -> Self {
        Renderer {
            config,
            templates,
            content,
            indexes,
            site: tera::Value::from_serializable(&SiteView::new(config)),
            entry_data: memo::EntryData::new(content),
            rows: Vec::new(),
            memo: None,
            site_digest: 0,
            recorded: None,
        }
    }

    /// A renderer that reuses the files `memo` kept from the last render wherever nothing
    /// they depend on changed; `data` comes from [`memo::Memo::begin`]. Fails when an
    /// entry's card does (see `Renderer::add_card_html`).
    pub fn with_memo(
        config: &'a Config,
        templates: &'a templates::Templates,
        content: &'a Content,
        indexes: &'a Indexes,
        memo: &'a memo::Memo,
        data: memo::EntryData,
    ) -> Result<Self, RenderError> {
        let site = SiteView::new(config);
        Renderer {
            config,
            templates,
            content,
            indexes,
            site_digest: digest::of((
                digest::of_serialized(&site),
                digest::of_serialized(&content.partners),
                digest::of_serialized(&content.topics),
            )),
            site: tera::Value::from_serializable(&site),
            entry_data: data,
            rows: Vec::new(),
            memo: Some(memo),
            recorded: None,
        }
        .add_card_html()
    }

    /// Adds `html` to every entry's card: the card as [`CARD`] makes it, made once per entry
    /// for every list that shows the entry, which then writes it rather than running the
    /// partial again. Where a render follows (`serve`), also makes every entry's row with
    /// [`ROW`] (see [`Renderer::row`]). Both are kept from one render to the next until the
    /// entry, the templates or the site change. A partial the theme does not have makes
    /// nothing. When cards or rows fail, the error is the first failing entry's.
    fn add_card_html(mut self) -> Result<Self, RenderError> {
        let tera = &self.templates.tera;
        let with_html = tera.contains_template(CARD);
        // A build makes each row as its year's page needs it: each is shown once, and
        // keeping them all would only hold memory.
        let with_rows = self.memo.is_some() && tera.contains_template(ROW);
        if !with_html && !with_rows {
            return Ok(self);
        }
        let templates = self.digest(|| {
            digest::of((
                self.templates.digest_of(CARD),
                self.templates.digest_of(ROW),
            ))
        });
        // Each card is taken out and put back with its HTML: in a build, which holds the only
        // copy, without copying its fields.
        let cards = std::mem::take(&mut self.entry_data.cards);
        let this = &self;
        let data = &this.entry_data;
        let made: Vec<Result<(tera::Value, Option<tera::Value>), RenderError>> = cards
            .into_par_iter()
            .enumerate()
            .map(|(i, card)| {
                let made_from = this
                    .digest(|| digest::of((this.site_digest, templates, data.card_digests.get(i))));
                // A panic elsewhere while this card was made leaves no value, or an older one.
                let mut kept = data.kept.get(i).map(|slot| {
                    slot.0
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                });
                if let Some(Some(made)) = kept.as_deref()
                    && made.digest == made_from
                {
                    return Ok((made.card.clone(), made.row.clone()));
                }
                let card = if with_html {
                    let entry = &this.content.entries[i];
                    let context = CardPartial {
                        site: SharedSite(&this.site),
                        e: Card(&card),
                    };
                    let rendering = format!("rendering the card of `{}`", entry.url);
                    let html = this.render_text(CARD, &rendering, &context)?;
                    let mut fields = card.into_map().unwrap_or_default();
                    fields.insert(
                        tera::value::Key::Str("html"),
                        tera::Value::safe_string(&html),
                    );
                    tera::Value::from(fields)
                } else {
                    card
                };
                let row = with_rows.then(|| this.make_row(i, &card)).transpose()?;
                if let Some(kept) = kept.as_deref_mut() {
                    *kept = Some(memo::MadeCard {
                        digest: made_from,
                        card: card.clone(),
                        row: row.clone(),
                    });
                }
                Ok((card, row))
            })
            .collect();
        let mut cards = Vec::with_capacity(made.len());
        let mut rows = Vec::with_capacity(if with_rows { made.len() } else { 0 });
        for made in made {
            let (card, row) = made?;
            cards.push(card);
            rows.extend(row);
        }
        self.entry_data.cards = cards;
        self.rows = rows;
        Ok(self)
    }

    /// The entry at `position` as a row of its year's page, as [`ROW`] makes it (HTML marked
    /// safe): made with the cards when a render follows, else now.
    fn row(&self, position: usize) -> Result<tera::Value, RenderError> {
        match self.rows.get(position) {
            Some(row) => Ok(row.clone()),
            None => self.make_row(position, &self.entry_data.cards[position]),
        }
    }

    /// What [`ROW`] makes of the entry at `position`, whose card is `card`.
    fn make_row(&self, position: usize, card: &tera::Value) -> Result<tera::Value, RenderError> {
        let entry = &self.content.entries[position];
        let date = &entry.date;
        let context = RowPartial {
            site: SharedSite(&self.site),
            e: Card(card),
            m: RowMonth {
                year: date.year,
                month: date.month,
                name: model::month_name(date.month),
                id: month_id(date.year, date.month),
            },
        };
        let rendering = format!("rendering the timeline row of `{}`", entry.url);
        let html = self.render_text(ROW, &rendering, &context)?;
        Ok(tera::Value::safe_string(&html))
    }

    /// The open-data files and the search index, from the rows the memo kept or, without
    /// one, from rows written as they are needed.
    pub fn exports(&self, now: jiff::Timestamp) -> Vec<OutputFile> {
        let rows = &self.entry_data.rows;
        let entries = &self.content.entries;
        if rows.len() == entries.len() {
            let rows: Arc<[Arc<memo::Rows>]> = rows.iter().cloned().collect();
            let mut files = data::render_kept_rows(self.config, now, rows.clone(), |r| &r.data);
            files.extend(search::files_from_kept_rows(self.content, rows, |r| {
                &r.search
            }));
            return files;
        }
        let mut files = data::render(self.config, self.content, now);
        files.extend(search::files(self.content));
        files
    }

    /// What the feeds need to reuse the files of the last render, when pages are memoized.
    pub fn reuse(&self) -> Option<memo::Reuse<'_>> {
        self.memo.map(|memo| memo::Reuse {
            memo,
            site_digest: self.site_digest,
            digests: &self.entry_data.digests,
        })
    }

    /// `make`s the file at `path` with `template` (which `make` is given), or, when the memo
    /// kept it with the same digest, reuses it. `digest` lists what the file depends on
    /// besides the site digest and the templates `template` may use.
    fn memoized(
        &self,
        template: &str,
        path: &str,
        digest: impl FnOnce() -> u64,
        make: impl FnOnce(&str) -> Result<OutputFile, RenderError>,
    ) -> Result<OutputFile, RenderError> {
        match self.memo {
            Some(memo) => {
                let digest = digest::of((
                    self.site_digest,
                    self.templates.digest_of(template),
                    digest(),
                ));
                memo.file(path, digest, || make(template))
            }
            None => make(template),
        }
    }

    /// `digest()` when pages are memoized, else nothing (0) without computing it.
    fn digest(&self, digest: impl FnOnce() -> u64) -> u64 {
        if self.memo.is_some() { digest() } else { 0 }
    }

    /// The digest of the cards of the entries at `positions`.
    fn cards_digest(&self, positions: impl IntoIterator<Item = usize>) -> u64 {
        digest_at(&self.entry_data.card_digests, positions)
    }

    /// The digest of the shapes (date, kind, partners, topics) of the entries at `positions`.
    fn shapes_digest(&self, positions: &[usize]) -> u64 {
        digest_at(&self.entry_data.shapes, positions.iter().copied())
    }

    /// The digest of what an index of lists (partners, topics) shows of each: its length and
    /// the dates of its newest and oldest entries.
    fn lists_digest<'l>(&self, lists: impl Iterator<Item = &'l [usize]>) -> u64 {
        let entries = &self.content.entries;
        digest::of(
            lists
                .map(|list| {
                    let dates = first_last(entries, list);
                    (list.len(), dates.map(|(a, b)| (&a.datetime, &b.datetime)))
                })
                .collect::<Vec<_>>(),
        )
    }

    /// The digest of the years of the timeline and how many entries each has.
    fn year_counts(&self) -> u64 {
        digest::of(
            self.indexes
                .timeline
                .years
                .iter()
                .map(|y| (y.year, y.entries.len()))
                .collect::<Vec<_>>(),
        )
    }

    /// The digest of the card at `position`, if there is an entry there.
    fn card_digest(&self, position: Option<usize>) -> Option<u64> {
        position.and_then(|i| self.entry_data.card_digests.get(i).copied())
    }

    /// Remembers the context keys of every render, see [`Renderer::recorded`].
    pub fn recording(mut self) -> Self {
        self.recorded = Some(Default::default());
        self
    }

    /// The top-level context keys each template was rendered with.
    pub fn recorded(&self) -> ContextKeys {
        self.recorded
            .as_ref()
            .map(|r| r.lock().map(|m| m.clone()).unwrap_or_default())
            .unwrap_or_default()
    }

    /// The cards and digests of the entries, for the next render (see [`memo::Memo::begin_in_place`]).
    pub fn into_entry_data(self) -> memo::EntryData {
        self.entry_data
    }

    /// Renders the pages of the entries at `positions` into `sink`.
    pub fn entry_pages(&self, positions: &[usize], sink: Sink) -> Result<(), RenderError> {
        positions.par_iter().try_for_each(|&i| sink(self.entry(i)?))
    }

    /// Renders every HTML page of the site into `sink`; returns the pages' output paths.
    pub fn pages(&self, sink: Sink) -> Result<Vec<String>, RenderError> {
        let paths = std::sync::Mutex::new(Vec::new());
        let put = |file: OutputFile| -> Result<(), RenderError> {
            if let Ok(mut paths) = paths.lock() {
                paths.push(file.path.clone());
            }
            sink(file)
        };
        // The timeline is one large page: the lists are made beside the entries rather than
        // after them.
        let (lists, entries) = rayon::join(
            || self.list_pages(&put),
            || {
                (0..self.content.entries.len())
                    .into_par_iter()
                    .try_for_each(|i| put(self.entry(i)?))
            },
        );
        lists?;
        entries?;
        let mut paths = paths.into_inner().unwrap_or_default();
        paths.sort();
        Ok(paths)
    }

    /// Renders every HTML page of the site but the entries' own into `sink`: the timeline,
    /// home, the years, kinds, partners and topics, search and the page for "not found".
    pub fn list_pages(&self, put: Sink) -> Result<(), RenderError> {
        let put_all = |files: Vec<OutputFile>| files.into_iter().try_for_each(put);
        put(self.timeline()?)?;
        put(self.home()?)?;
        self.years(&put)?;
        self.kinds(&put)?;
        put(self.partners()?)?;
        self.indexes
            .partners
            .par_iter()
            .filter(|s| !s.entries.is_empty() || self.content.partners[s.partner].registered)
            .try_for_each(|s| put_all(self.partner(s)?))?;
        put(self.topics()?)?;
        self.indexes
            .topics
            .par_iter()
            .try_for_each(|s| put_all(self.topic(s)?))?;
        put(self.search()?)?;
        if let Some(page) = self.open_data()? {
            put(page)?;
        }
        put(self.not_found()?)
    }

    fn render<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        page: &T,
    ) -> Result<OutputFile, RenderError> {
        let rendering = format!("rendering `/{}`", path.trim_end_matches("index.html"));
        let html = self.render_text(template, &rendering, page)?;
        Ok(OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(html.into()),
        })
    }

    /// What `template` makes of `page`; an error says what was being made (`rendering`).
    fn render_text<T: Serialize>(
        &self,
        template: &str,
        rendering: &str,
        page: &T,
    ) -> Result<String, RenderError> {
        if let Some(recorded) = &self.recorded
            && let Ok(serde_json::Value::Object(map)) = serde_json::to_value(page)
            && let Ok(mut recorded) = recorded.lock()
        {
            recorded
                .entry(template.to_string())
                .or_default()
                .extend(map.keys().cloned());
        }
        let context = tera::Context::from_serialize(page)
            .map_err(|e| Box::new(self.templates.diagnose(&e, Some(rendering))))?;
        self.templates
            .render(template, &context, rendering)
            .map_err(Box::new)
    }

    fn meta(
        &self,
        url: String,
        title: &str,
        description: &str,
        kind: &'static str,
        breadcrumbs: Vec<Link>,
    ) -> PageMeta {
        let mut meta = PageMeta {
            canonical: self.config.absolute_url(&url),
            url,
            title: title.to_string(),
            description: if description.is_empty() {
                self.config.description.clone()
            } else {
                description.to_string()
            },
            language: self.config.language.clone(),
            kind,
            breadcrumbs,
            json_ld: String::new(),
        };
        meta.json_ld = structured::json_ld(self.config, &meta, None);
        meta
    }

    /// `meta` with `main` (the page's `NewsArticle`, `Organization` …) added to its JSON-LD.
    fn about(&self, mut meta: PageMeta, main: structured::Node) -> PageMeta {
        meta.json_ld = structured::json_ld(self.config, &meta, Some(main));
        meta
    }

    fn home_crumb(&self) -> Link {
        Link {
            name: self.templates.string("home").into(),
            url: self.config.url(""),
        }
    }

    fn crumb(&self, name: &str, path: &str) -> Link {
        Link {
            name: name.into(),
            url: self.config.url(path),
        }
    }

    fn card(&self, i: usize) -> Card<'_> {
        Card(&self.entry_data.cards[i])
    }

    fn cards(&self, positions: &[usize]) -> Vec<Card<'_>> {
        positions.iter().map(|&i| self.card(i)).collect()
    }

    fn entry(&self, i: usize) -> Result<OutputFile, RenderError> {
        let path = output_path(self.config, &self.content.entries[i].url);
        self.memoized(
            "entry.html",
            &path,
            || {
                digest::of((
                    self.entry_data.digests.get(i),
                    self.card_digest(Some(i + 1)),
                    self.card_digest(i.checked_sub(1)),
                ))
            },
            |template| {
                let entry: &Entry = &self.content.entries[i];
                let mut crumbs = vec![
                    self.home_crumb(),
                    self.crumb(self.templates.string("timeline"), "timeline/"),
                ];
                crumbs.push(Link {
                    name: entry.date.year.to_string(),
                    url: self.config.url(&format!("timeline/{}/", entry.date.year)),
                });
                let meta = self.meta(
                    entry.url.clone(),
                    &entry.title,
                    &entry.summary,
                    "entry",
                    crumbs,
                );
                let page = EntryPage {
                    site: SharedSite(&self.site),
                    page: self.about(meta, structured::article(self.config, entry)),
                    entry,
                    toc: if entry.toc.len() >= 2 {
                        &entry.toc
                    } else {
                        &[]
                    },
                    previous: (i + 1 < self.entry_data.cards.len()).then(|| self.card(i + 1)),
                    next: i.checked_sub(1).map(|n| self.card(n)),
                };
                self.render(template, &path, &page)
            },
        )
    }

    fn home(&self) -> Result<OutputFile, RenderError> {
        let path = "index.html".to_string();
        self.memoized(
            "index.html",
            &path,
            || {
                digest::of((
                    self.cards_digest(0..self.content.entries.len().min(10)),
                    self.year_counts(),
                    self.visible_partners(),
                    self.content.topics.len(),
                ))
            },
            |template| {
                let meta = self.meta(
                    self.config.url(""),
                    &self.config.title,
                    "",
                    "home",
                    Vec::new(),
                );
                let page = HomePage {
                    site: SharedSite(&self.site),
                    page: self.about(meta, structured::website(self.config)),
                    latest: self
                        .content
                        .entries
                        .iter()
                        .take(10)
                        .enumerate()
                        .map(|(i, _)| self.card(i))
                        .collect(),
                    counts: Counts {
                        entries: self.content.entries.len(),
                        partners: self.visible_partners(),
                        topics: self.content.topics.len(),
                    },
                    years: self.year_nav(),
                };
                self.render(template, "index.html", &page)
            },
        )
    }

    fn visible_partners(&self) -> usize {
        self.indexes
            .partners
            .iter()
            .filter(|s| !s.entries.is_empty() || self.content.partners[s.partner].registered)
            .count()
    }

    fn year_nav(&self) -> Vec<CountLink> {
        self.indexes
            .timeline
            .years
            .iter()
            .map(|y| CountLink {
                name: y.year.to_string(),
                url: self.config.url(&format!("timeline/{}/", y.year)),
                count: y.entries.len(),
            })
            .collect()
    }

    fn months(&self, year: i16, positions: &[usize]) -> Vec<MonthView<'_>> {
        let mut months: Vec<MonthView<'_>> = Vec::new();
        for &i in positions {
            let entry = &self.content.entries[i];
            if months.last().is_none_or(|m| m.month != entry.date.month) {
                months.push(MonthView {
                    year,
                    month: entry.date.month,
                    name: model::month_name(entry.date.month),
                    id: month_id(year, entry.date.month),
                    count: 0,
                    entries: Vec::new(),
                    rows: Vec::new(),
                });
            }
            if let Some(month) = months.last_mut() {
                month.count += 1;
                month.entries.push(self.card(i));
            }
        }
        months
    }

    /// [`Renderer::months`] with each month's `rows`, for a page of its year, when the theme
    /// has [`ROW`].
    fn months_with_rows(
        &self,
        year: i16,
        positions: &[usize],
    ) -> Result<Vec<MonthView<'_>>, RenderError> {
        let mut months = self.months(year, positions);
        if self.templates.tera.contains_template(ROW) {
            let mut positions = positions.iter();
            for month in &mut months {
                month.rows = positions
                    .by_ref()
                    .take(month.entries.len())
                    .map(|&i| self.row(i))
                    .collect::<Result<_, _>>()?;
            }
        }
        Ok(months)
    }

    fn timeline(&self) -> Result<OutputFile, RenderError> {
        let path = "timeline/index.html".to_string();
        // Made (or taken from the memo) whether or not the page is: the memo keeps only
        // what a render asks for, and the next change of a card needs them.
        let sections = self.timeline_sections()?;
        self.memoized(
            "timeline.html",
            &path,
            || self.cards_digest(0..self.content.entries.len()),
            |template| {
                let page = TimelinePage {
                    site: SharedSite(&self.site),
                    page: self.meta(
                        self.config.url("timeline/"),
                        self.templates.string("timeline"),
                        "Every entry, newest first, by year and month.",
                        "timeline",
                        vec![self.home_crumb()],
                    ),
                    count: self.content.entries.len(),
                    years: self
                        .indexes
                        .timeline
                        .years
                        .iter()
                        .map(|y| self.year_view(y))
                        .collect(),
                    // One section's bytes at a time become template data, then go. They were
                    // made as text: checked at the speed of `from_utf8`, which is many times
                    // that of the lossy kind.
                    sections: sections
                        .into_iter()
                        .map(|bytes| match std::str::from_utf8(&bytes) {
                            Ok(text) => tera::Value::safe_string(text),
                            Err(_) => tera::Value::safe_string(&String::from_utf8_lossy(&bytes)),
                        })
                        .collect(),
                    year_nav: self.year_nav(),
                    chart: chart::per_month(self.config, &self.content.entries),
                    filters: self.filters(),
                };
                self.render(template, "timeline/index.html", &page)
            },
        )
    }

    fn year_view(&self, year: &index::timeline::Year) -> YearView<'_> {
        YearView {
            year: year.year,
            url: self.config.url(&format!("timeline/{}/", year.year)),
            count: year.entries.len(),
            months: self.months(year.year, &year.entries),
        }
    }

    /// Each year of `/timeline/` made with [`TIMELINE_SECTION`] on its own, side by side, and
    /// kept by the memo: a change of one card makes one year's section again, not the page's
    /// every row. Empty when the templates have no such partial.
    fn timeline_sections(&self) -> Result<Vec<bytes::Bytes>, RenderError> {
        if !self.templates.tera.contains_template(TIMELINE_SECTION) {
            return Ok(Vec::new());
        }
        self.indexes
            .timeline
            .years
            .par_iter()
            .map(|year| {
                // Kept under a name no output file can have.
                let path = format!("\0timeline section {}", year.year);
                let section = self.memoized(
                    "timeline.html",
                    &path.clone(),
                    || self.cards_digest(year.entries.iter().copied()),
                    |_| {
                        let context = TimelineSection {
                            site: SharedSite(&self.site),
                            y: &self.year_view(year),
                        };
                        let section =
                            self.render(TIMELINE_SECTION, "timeline/index.html", &context)?;
                        Ok(OutputFile { path, ..section })
                    },
                )?;
                Ok(section.contents.generated().unwrap_or_default())
            })
            .collect()
    }

    fn filters(&self) -> Filters {
        let kinds = self
            .config
            .kinds
            .iter()
            .map(|k| CountLink {
                name: k.label.clone(),
                url: self.config.url(&format!("timeline/kind/{}/", k.id)),
                count: self
                    .content
                    .entries
                    .iter()
                    .filter(|e| e.kind == k.id)
                    .count(),
            })
            .filter(|l| l.count > 0)
            .collect();
        let mut partners: Vec<CountLink> = self
            .indexes
            .partners
            .iter()
            .filter(|s| !s.entries.is_empty())
            .map(|s| {
                let p = &self.content.partners[s.partner];
                CountLink {
                    name: p.name.clone(),
                    url: p.url.clone(),
                    count: s.entries.len(),
                }
            })
            .collect();
        sort_by_count(&mut partners);
        partners.truncate(15);
        let mut topics: Vec<CountLink> = self
            .indexes
            .topics
            .iter()
            .map(|s| {
                let t = &self.content.topics[s.topic];
                CountLink {
                    name: t.name.clone(),
                    url: t.url.clone(),
                    count: s.entries.len(),
                }
            })
            .collect();
        sort_by_count(&mut topics);
        topics.truncate(15);
        Filters {
            kinds,
            partners,
            topics,
        }
    }

    /// The pages of each year, made in parallel, each handed to `put` as soon as it is made.
    fn years(&self, put: Sink) -> Result<(), RenderError> {
        let year_counts = self.digest(|| self.year_counts());
        let years = self.indexes.timeline.years.iter();
        let pages = list_pages(
            years.map(|y| (y, y.entries.as_slice())),
            self.config.per_page,
        );
        pages.into_par_iter().try_for_each(|page| {
            let ListPage {
                group: year,
                n,
                chunk,
                total,
                ..
            } = page;
            let base = format!("timeline/{}/", year.year);
            let url = pager_url(self.config, &base, n + 1);
            let path = output_path(self.config, &url);
            put(self.memoized(
                "timeline_year.html",
                &path,
                || digest::of((year_counts, self.cards_digest(chunk.iter().copied()))),
                |template| {
                    let title = if n == 0 {
                        year.year.to_string()
                    } else {
                        format!("{}, page {}", year.year, n + 1)
                    };
                    let page = YearPage {
                        site: SharedSite(&self.site),
                        page: self.meta(
                            url.clone(),
                            &title,
                            &format!("Entries of {}.", year.year),
                            "year",
                            vec![
                                self.home_crumb(),
                                self.crumb(self.templates.string("timeline"), "timeline/"),
                            ],
                        ),
                        year: year.year,
                        count: year.entries.len(),
                        months: self.months_with_rows(year.year, chunk)?,
                        pager: self.pager(&base, n + 1, total),
                        year_nav: self.year_nav(),
                    };
                    self.render(template, &path, &page)
                },
            )?)
        })
    }

    /// The pages of each kind, made in parallel, each handed to `put` as soon as it is made.
    fn kinds(&self, put: Sink) -> Result<(), RenderError> {
        let kinds: Vec<(&crate::config::Kind, Vec<usize>)> = self
            .config
            .kinds
            .iter()
            .map(|kind| {
                let positions = (0..self.content.entries.len())
                    .filter(|&i| self.content.entries[i].kind == kind.id)
                    .collect();
                (kind, positions)
            })
            .collect();
        let groups = kinds
            .iter()
            .map(|(kind, positions)| (*kind, positions.as_slice()));
        let pages = list_pages(groups, self.config.per_page);
        pages.into_par_iter().try_for_each(|page| {
            let ListPage {
                group: kind,
                all: positions,
                n,
                chunk,
                total,
            } = page;
            let base = format!("timeline/kind/{}/", kind.id);
            let url = pager_url(self.config, &base, n + 1);
            let path = output_path(self.config, &url);
            put(self.memoized(
                "kind.html",
                &path,
                || digest::of((positions.len(), self.cards_digest(chunk.iter().copied()))),
                |template| {
                    let page = KindPage {
                        site: SharedSite(&self.site),
                        page: self.meta(
                            url.clone(),
                            &page_title(&kind.label, n),
                            &format!("Every {} entry, newest first.", kind.label.to_lowercase()),
                            "kind",
                            vec![
                                self.home_crumb(),
                                self.crumb(self.templates.string("timeline"), "timeline/"),
                            ],
                        ),
                        kind,
                        count: positions.len(),
                        entries: self.cards(chunk),
                        pager: self.pager(&base, n + 1, total),
                    };
                    self.render(template, &path, &page)
                },
            )?)
        })
    }

    fn partner_card(&self, stats: &index::partners::PartnerStats) -> PartnerCard<'a> {
        let p = &self.content.partners[stats.partner];
        let dates = first_last(&self.content.entries, &stats.entries);
        PartnerCard {
            id: &p.id,
            name: &p.name,
            url: &p.url,
            kind: &p.kind,
            type_label: &p.type_label,
            country: p.country.as_deref(),
            registered: p.registered,
            count: stats.entries.len(),
            first: dates.map(|d| d.0),
            last: dates.map(|d| d.1),
        }
    }

    fn partners(&self) -> Result<OutputFile, RenderError> {
        let path = "partners/index.html".to_string();
        self.memoized(
            "partners.html",
            &path,
            || self.lists_digest(self.indexes.partners.iter().map(|s| &s.entries[..])),
            |template| {
                let mut cards: Vec<PartnerCard> = self
                    .indexes
                    .partners
                    .iter()
                    .filter(|s| {
                        !s.entries.is_empty() || self.content.partners[s.partner].registered
                    })
                    .map(|s| self.partner_card(s))
                    .collect();
                cards.sort_by(|a, b| {
                    a.name
                        .to_lowercase()
                        .cmp(&b.name.to_lowercase())
                        .then_with(|| a.id.cmp(b.id))
                });
                let mut letters: Vec<PartnerGroup> = Vec::new();
                for card in &cards {
                    let letter = card
                        .name
                        .chars()
                        .next()
                        .filter(|c| c.is_alphanumeric())
                        .map_or("#".to_string(), |c| c.to_uppercase().collect());
                    if letters.last().is_none_or(|g| g.label != letter) {
                        letters.push(PartnerGroup {
                            id: format!("letter-{}", crate::slug::slugify(&letter)),
                            label: letter,
                            partners: Vec::new(),
                        });
                    }
                    if let Some(group) = letters.last_mut() {
                        group.partners.push(card.clone());
                    }
                }
                let by_type = model::PARTNER_TYPES
                    .iter()
                    .map(|(id, label)| PartnerGroup {
                        id: format!("type-{id}"),
                        label: label.to_string(),
                        partners: cards.iter().filter(|c| c.kind == *id).cloned().collect(),
                    })
                    .filter(|g| !g.partners.is_empty())
                    .collect();
                let page = PartnersPage {
                    site: SharedSite(&self.site),
                    page: self.meta(
                        self.config.url("partners/"),
                        self.templates.string("partners"),
                        "Every partner, A–Z and by type, with the number of entries.",
                        "partners",
                        vec![self.home_crumb()],
                    ),
                    count: cards.len(),
                    letters,
                    by_type,
                };
                self.render(template, "partners/index.html", &page)
            },
        )
    }

    fn partner(
        &self,
        stats: &index::partners::PartnerStats,
    ) -> Result<Vec<OutputFile>, RenderError> {
        let p = &self.content.partners[stats.partner];
        let base = format!("partners/{}/", p.id);
        let chunks = index::pages(&stats.entries, self.config.per_page);
        let shapes = self.digest(|| self.shapes_digest(&stats.entries));
        // Shared by the pages of the list, made when the first of them is.
        let shared = std::cell::OnceCell::new();
        let shared = || {
            shared.get_or_init(|| {
                let co_partners: Vec<CountLink> = stats
                    .co_partners
                    .iter()
                    .map(|&(other, count)| CountLink {
                        name: self.content.partners[other].name.clone(),
                        url: self.content.partners[other].url.clone(),
                        count,
                    })
                    .collect();
                let chart =
                    chart::per_year(self.config, &self.content.entries, &stats.entries, &p.name);
                (co_partners, chart)
            })
        };
        let mut files = Vec::new();
        for (n, chunk) in chunks.iter().enumerate() {
            let url = pager_url(self.config, &base, n + 1);
            let path = output_path(self.config, &url);
            files.push(self.memoized(
                "partner.html",
                &path,
                || digest::of((shapes, self.cards_digest(chunk.iter().copied()))),
                |template| {
                    let description = match &p.country {
                        Some(country) => {
                            format!("{}, {}: {} entries.", p.name, country, stats.entries.len())
                        }
                        None => format!("{}: {} entries.", p.name, stats.entries.len()),
                    };
                    let meta = self.meta(
                        url.clone(),
                        &page_title(&p.name, n),
                        &description,
                        "partner",
                        vec![
                            self.home_crumb(),
                            self.crumb(self.templates.string("partners"), "partners/"),
                        ],
                    );
                    let (co_partners, chart) = shared();
                    let page = PartnerPage {
                        site: SharedSite(&self.site),
                        page: self.about(meta, structured::organization(self.config, p)),
                        partner: self.partner_card(stats),
                        aliases: &p.aliases,
                        website: p.website.as_deref(),
                        description_html: &p.description_html,
                        entries: self.cards(chunk),
                        pager: self.pager(&base, n + 1, chunks.len()),
                        co_partners: co_partners.clone(),
                        chart: chart.clone(),
                        feed_url: feeds::partner_feed_url(self.config, &p.id),
                    };
                    self.render(template, &path, &page)
                },
            )?);
        }
        Ok(files)
    }

    fn topic_card(&self, stats: &index::topics::TopicStats) -> TopicCard<'a> {
        let t = &self.content.topics[stats.topic];
        let dates = first_last(&self.content.entries, &stats.entries);
        TopicCard {
            slug: &t.slug,
            name: &t.name,
            url: &t.url,
            count: stats.entries.len(),
            first: dates.map(|d| d.0),
            last: dates.map(|d| d.1),
        }
    }

    fn topics(&self) -> Result<OutputFile, RenderError> {
        let path = "topics/index.html".to_string();
        self.memoized(
            "topics.html",
            &path,
            || self.lists_digest(self.indexes.topics.iter().map(|s| &s.entries[..])),
            |template| {
                let mut topics: Vec<TopicCard> = self
                    .indexes
                    .topics
                    .iter()
                    .map(|s| self.topic_card(s))
                    .collect();
                topics.sort_by(|a, b| {
                    a.name
                        .to_lowercase()
                        .cmp(&b.name.to_lowercase())
                        .then_with(|| a.slug.cmp(b.slug))
                });
                let page = TopicsPage {
                    site: SharedSite(&self.site),
                    page: self.meta(
                        self.config.url("topics/"),
                        self.templates.string("topics"),
                        "Every topic, A–Z, with the number of entries.",
                        "topics",
                        vec![self.home_crumb()],
                    ),
                    count: topics.len(),
                    topics,
                };
                self.render(template, "topics/index.html", &page)
            },
        )
    }

    fn topic(&self, stats: &index::topics::TopicStats) -> Result<Vec<OutputFile>, RenderError> {
        let t = &self.content.topics[stats.topic];
        let base = format!("topics/{}/", t.slug);
        let chunks = index::pages(&stats.entries, self.config.per_page);
        let shapes = self.digest(|| self.shapes_digest(&stats.entries));
        // The topic's partners, by number of entries: made when the first page is.
        let partners = std::cell::OnceCell::new();
        let partners = || {
            partners.get_or_init(|| {
                let mut counts: std::collections::BTreeMap<(&str, &str), usize> =
                    Default::default();
                for &i in &stats.entries {
                    for p in &self.content.entries[i].partners {
                        *counts.entry((p.name.as_str(), p.url.as_str())).or_default() += 1;
                    }
                }
                let mut partners: Vec<CountLink> = counts
                    .into_iter()
                    .map(|((name, url), count)| CountLink {
                        name: name.to_string(),
                        url: url.to_string(),
                        count,
                    })
                    .collect();
                sort_by_count(&mut partners);
                partners.truncate(10);
                partners
            })
        };
        let mut files = Vec::new();
        for (n, chunk) in chunks.iter().enumerate() {
            let url = pager_url(self.config, &base, n + 1);
            let path = output_path(self.config, &url);
            files.push(self.memoized(
                "topic.html",
                &path,
                || digest::of((shapes, self.cards_digest(chunk.iter().copied()))),
                |template| {
                    let page = TopicPage {
                        site: SharedSite(&self.site),
                        page: self.meta(
                            url.clone(),
                            &page_title(&t.name, n),
                            &format!("Entries on {}: {}.", t.name, stats.entries.len()),
                            "topic",
                            vec![
                                self.home_crumb(),
                                self.crumb(self.templates.string("topics"), "topics/"),
                            ],
                        ),
                        topic: self.topic_card(stats),
                        entries: self.cards(chunk),
                        pager: self.pager(&base, n + 1, chunks.len()),
                        partners: partners().clone(),
                        feed_url: feeds::topic_feed_url(self.config, &t.slug),
                    };
                    self.render(template, &path, &page)
                },
            )?);
        }
        Ok(files)
    }

    fn search(&self) -> Result<OutputFile, RenderError> {
        let path = "search/index.html".to_string();
        self.memoized(
            "search.html",
            &path,
            || 0,
            |template| {
                let page = SearchPage {
                    site: SharedSite(&self.site),
                    page: self.meta(
                        self.config.url("search/"),
                        self.templates.string("search"),
                        "Search every entry by its words, partners, topics, places and reference numbers.",
                        "search",
                        vec![self.home_crumb()],
                    ),
                    index_url: "../search-index.json",
                    index_script_url: "index/manifest.js",
                    script_url: "../search.js",
                };
                self.render(template, "search/index.html", &page)
            },
        )
    }

    /// `/data/`, the page that explains the open data; none when the theme has no
    /// `data.html` (a theme made before there was one).
    fn open_data(&self) -> Result<Option<OutputFile>, RenderError> {
        if !self.templates.has("data.html") {
            return Ok(None);
        }
        let path = "data/index.html".to_string();
        let count = self.content.entries.len();
        let file = |path: &str| {
            let url = self.config.url(path);
            DataFile {
                absolute_url: self.config.absolute_url(&url),
                url,
            }
        };
        self.memoized(
            "data.html",
            &path,
            || count as u64,
            |template| {
                let page = DataPage {
                    site: SharedSite(&self.site),
                    page: self.meta(
                        self.config.url("data/"),
                        self.templates.string("open_data"),
                        "Every published entry as JSON, CSV and iCalendar files to download, and what each holds.",
                        "data",
                        vec![self.home_crumb()],
                    ),
                    count,
                    json: file(data::JSON_PATH),
                    csv: file(data::CSV_PATH),
                    ics: file(data::ICS_PATH),
                    columns: data::column_names(),
                    schema_version: data::SCHEMA_VERSION,
                };
                self.render(template, "data/index.html", &page)
            },
        )
        .map(Some)
    }

    fn not_found(&self) -> Result<OutputFile, RenderError> {
        let path = "404.html".to_string();
        self.memoized(
            "404.html",
            &path,
            || 0,
            |template| {
                let page = NotFoundPage {
                    site: SharedSite(&self.site),
                    page: self.meta(
                        self.config.url("404.html"),
                        self.templates.string("page_not_found"),
                        "",
                        "404",
                        vec![self.home_crumb()],
                    ),
                };
                self.render(template, "404.html", &page)
            },
        )
    }

    /// A small page at each old URL of an entry that sends readers to the current one, and
    /// the entry file each came from.
    pub fn redirects(&self) -> (Vec<OutputFile>, Vec<(std::path::PathBuf, model::Place)>) {
        let mut files = Vec::new();
        let mut owners = Vec::new();
        for entry in &self.content.entries {
            for (n, alias) in entry.aliases.iter().enumerate() {
                let target = self.config.absolute_url(&entry.url);
                let target_html = escape(&target);
                let html = format!(
                    "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<link rel=\"canonical\" href=\"{target_html}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target_html}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target_html}\">{target_html}</a>.</p>\n</body>\n</html>\n",
                    lang = escape(&self.config.language),
                );
                let path = if alias.ends_with(".html") {
                    alias.clone()
                } else {
                    format!("{alias}index.html")
                };
                files.push(OutputFile {
                    path,
                    contents: Contents::Bytes(html.into()),
                });
                owners.push((
                    entry.file.clone(),
                    entry.alias_places.get(n).cloned().unwrap_or_default(),
                ));
            }
        }
        (files, owners)
    }

    fn pager(&self, base: &str, current: usize, total: usize) -> Pager {
        let url = |n: usize| pager_url(self.config, base, n);
        Pager {
            current,
            total,
            previous: (current > 1).then(|| url(current - 1)),
            next: (current < total).then(|| url(current + 1)),
            pages: pager_window(current, total)
                .into_iter()
                .scan(0, |last, number| {
                    let gap_before = number > *last + 1 && *last > 0;
                    *last = number;
                    Some(PageLink {
                        number,
                        url: url(number),
                        current: number == current,
                        gap_before,
                    })
                })
                .collect(),
        }
    }
}

/// The page numbers a pager links to: the first and last pages and two on each side of the
/// current one, so a list of 2,000 pages does not put 2,000 links on each of them.
fn pager_window(current: usize, total: usize) -> Vec<usize> {
    let mut numbers: Vec<usize> = [1, total]
        .into_iter()
        .chain(current.saturating_sub(2).max(1)..=(current + 2).min(total))
        .filter(|&n| n >= 1 && n <= total)
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    numbers
}

/// The digest of `digests` at `positions`.
fn digest_at(digests: &[u64], positions: impl IntoIterator<Item = usize>) -> u64 {
    digest::of_all(
        positions
            .into_iter()
            .map(|i| digests.get(i).copied().unwrap_or_default()),
    )
}

/// `Name` on page 1, `Name, page 2` after.
fn page_title(name: &str, index: usize) -> String {
    if index == 0 {
        name.to_string()
    } else {
        format!("{name}, page {}", index + 1)
    }
}

/// The URL of page `n` of the list at `base` (`partners/iom/`): page 1 is the list itself.
fn pager_url(config: &Config, base: &str, n: usize) -> String {
    if n <= 1 {
        config.url(base)
    } else {
        config.url(&format!("{base}page/{n}/"))
    }
}

/// `text` with some characters replaced: `at(bytes, i)` gives what replaces the character that
/// starts at byte `i` and how many bytes it spans, or `None` to keep the byte. It is asked only
/// about the bytes `may(byte)` picks (which must include every byte it acts on), and may act
/// only on ASCII bytes and on the first byte of a character; the bytes between are copied in
/// runs. Borrowed when nothing was replaced. `may` runs on every byte, in the vectorised scan
/// of [`crate::scan::next_run`], so it should be comparisons without branches.
pub(crate) fn replace_chars(
    text: &str,
    may: impl Fn(u8) -> bool,
    at: impl Fn(&[u8], usize) -> Option<(&'static str, usize)>,
) -> std::borrow::Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let (mut copied, mut i) = (0, 0);
    while let Some((start, end)) = crate::scan::next_run(bytes, i, &may) {
        i = start;
        while i < end {
            if !may(bytes[i]) {
                i += 1;
                continue;
            }
            match at(bytes, i) {
                Some((replacement, width)) => {
                    let out = out
                        .get_or_insert_with(|| String::with_capacity(text.len() + text.len() / 8));
                    out.push_str(&text[copied..i]);
                    out.push_str(replacement);
                    i += width;
                    copied = i;
                }
                None => i += 1,
            }
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            std::borrow::Cow::Owned(out)
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// `2022-05`: a month's HTML id on the timeline and its year's pages.
fn month_id(year: i16, month: i8) -> String {
    format!("{year}-{month:02}")
}

/// One page of a paginated list of a group of entries (a year, a kind).
struct ListPage<'p, G> {
    group: G,
    /// Every entry of the group, and the page's share of them.
    all: &'p [usize],
    n: usize,
    chunk: &'p [usize],
    total: usize,
}

/// Every page of every group's list, for rendering in parallel; a group without entries has
/// none.
fn list_pages<'p, G: Copy>(
    groups: impl Iterator<Item = (G, &'p [usize])>,
    per_page: usize,
) -> Vec<ListPage<'p, G>> {
    groups
        .filter(|(_, all)| !all.is_empty())
        .flat_map(|(group, all)| {
            let chunks = index::pages(all, per_page);
            let total = chunks.len();
            chunks
                .into_iter()
                .enumerate()
                .map(move |(n, chunk)| ListPage {
                    group,
                    all,
                    n,
                    chunk,
                    total,
                })
        })
        .collect()
}

/// The output file of a site-relative URL: `/sub/a/b/` → `a/b/index.html`.
pub fn output_path(config: &Config, url: &str) -> String {
    let mut path = String::with_capacity(url.len() + 10);
    write_output_path(&mut path, config, url);
    path
}

/// [`output_path`], written at the end of `out`.
pub fn write_output_path(out: &mut String, config: &Config, url: &str) {
    let path = url
        .strip_prefix(&config.base_path)
        .unwrap_or(url)
        .trim_start_matches('/');
    out.push_str(path);
    if path.is_empty() || path.ends_with('/') {
        out.push_str("index.html");
    }
}

/// Oldest and newest date among `positions` (which are newest first).
fn first_last<'e>(entries: &'e [Arc<Entry>], positions: &[usize]) -> Option<(&'e When, &'e When)> {
    let newest = positions.first()?;
    let oldest = positions.last()?;
    Some((&entries[*oldest].date, &entries[*newest].date))
}

fn sort_by_count(links: &mut [CountLink]) {
    links.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then_with(|| a.url.cmp(&b.url))
    });
}

/// HTML-escapes text for the few pages written without a template.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::Path;

    use super::*;

    /// The top-level variables documented for each template in `docs/templates.md`: the first
    /// column of the table under each `## <name>.html` heading.
    fn documented() -> BTreeMap<String, BTreeSet<String>> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(root.join("docs/templates.md")).unwrap();
        let mut map: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut current: Option<String> = None;
        for line in text.lines() {
            if let Some(heading) = line.strip_prefix("## ") {
                current = heading
                    .ends_with(".html")
                    .then(|| heading.trim().to_string());
            } else if let Some(name) = &current
                && let Some(cell) = line.strip_prefix("| `")
                && let Some((key, _)) = cell.split_once('`')
            {
                map.entry(name.clone()).or_default().insert(key.to_string());
            }
        }
        map
    }

    #[test]
    fn pager_links_the_ends_and_the_neighbours() {
        assert_eq!(pager_window(1, 1), [1]);
        assert_eq!(pager_window(1, 3), [1, 2, 3]);
        assert_eq!(pager_window(50, 100), [1, 48, 49, 50, 51, 52, 100]);
        assert_eq!(pager_window(100, 100), [1, 98, 99, 100]);
    }

    #[test]
    fn every_template_renders_with_exactly_the_documented_context() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::load(root).unwrap();
        let options = crate::content::LoadOptions {
            drafts: false,
            future: false,
            now: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let (content, _) = crate::content::load(&config, &options);
        let templates = templates::load(&config).unwrap();
        let indexes = index::build(&content);
        let renderer = Renderer::without_card_html(&config, &templates, &content, &indexes)
            .recording()
            .add_card_html()
            .unwrap();
        renderer.pages(&|_| Ok(())).unwrap();
        let recorded = renderer.recorded();
        let documented = documented();
        let names = templates::NAMES
            .iter()
            .chain(templates::OPTIONAL)
            .chain([&CARD, &ROW]);
        for name in names.filter(|n| **n != "base.html") {
            assert_eq!(
                recorded.get(*name),
                documented.get(*name),
                "context of `{name}` differs from docs/templates.md"
            );
        }
    }
}
