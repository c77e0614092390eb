//! What `serve` keeps between renders so that a rebuild renders only what changed.
//!
//! Every generated file is kept with a digest of what it was made from; the next render
//! computes each file's digest first and hands back the kept bytes when it is the same. A
//! page's digest is that of its template context as it serialises
//! ([`crate::digest::of_context`]) and of the templates its template may use: whatever the
//! context holds is in it, so there is no list of inputs to keep. The values made once per
//! render and shown on many pages stand in by their own digests ([`super::context::Made`]):
//! - the *site digest*: configuration, partners and topics;
//! - each entry's *digest* (the whole entry as templates see it) and *card digest* (what lists
//!   show of it: [`EntryCard`]), both made once per entry, when the entry is new or changed;
//!   an entry's row on its year's page stands in by its card's digest, which it is made from;
//! - each year's section of the timeline, by the digest of its own context.
//!
//! A feed, which no template makes, is made from the entries it holds (their digests), its
//! titles and page (`feeds::Feed`, hashed whole) and, without entries, `now`.

use ahash::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use rayon::prelude::*;

use super::context::EntryCard;
use super::{Contents, OutputFile, data, search};
use crate::config::Config;
use crate::content::Content;
use crate::digest;
use crate::model::Entry;

/// The files of the previous render and the template data of its entries.
#[derive(Default)]
pub struct Memo {
    /// Output path → digest and bytes, from the last successful render.
    previous: HashMap<String, (u64, Bytes)>,
    /// What the render in progress made or reused.
    next: Mutex<HashMap<String, (u64, Bytes)>>,
    /// By entry (the address of its `Arc`, kept alive here): its card and digests.
    entries: HashMap<usize, KeptEntry>,
    /// How many files the render in progress made anew.
    made: std::sync::atomic::AtomicUsize,
}

struct KeptEntry {
    /// Holds the entry, so that its address is not reused while it is remembered.
    _entry: Arc<Entry>,
    card: tera::Value,
    kept: Arc<KeptCard>,
    rows: Arc<Rows>,
    /// The entry's digest, its card's and its shape's (see [`EntryData`]).
    digests: (u64, u64, u64),
}

impl KeptEntry {
    fn new(config: &Config, host: &str, entry: &Arc<Entry>) -> KeptEntry {
        let card = EntryCard::new(entry);
        KeptEntry {
            _entry: entry.clone(),
            card: tera::Value::from_serializable(&card),
            kept: Arc::default(),
            rows: Arc::new(Rows::new(config, host, entry)),
            digests: (
                digest::of_serialized(&**entry),
                digest::of_serialized(&card),
                digest::of((
                    &entry.date.datetime,
                    &entry.kind,
                    &entry.partners,
                    &entry.topics,
                )),
            ),
        }
    }
}

/// An entry's card with its `html`, and its row on its year's page, as `partials/card.html`
/// and `partials/row.html` made them: kept from one render to the next for as long as the
/// entry does not change (see [`super::Renderer::with_memo`]).
#[derive(Default)]
pub struct KeptCard(pub Mutex<Option<CardHtml>>);

/// What [`KeptCard`] keeps.
pub struct CardHtml {
    /// The digest of what they were made from: the card, the templates and the site.
    pub digest: u64,
    pub card: tera::Value,
    pub row: Option<tera::Value>,
}

/// What the open-data files and the search index hold of one entry.
pub struct Rows {
    pub data: data::Rows,
    pub search: search::Row,
}

impl Rows {
    pub fn new(config: &Config, host: &str, entry: &Entry) -> Rows {
        Rows {
            data: data::Rows::new(config, host, entry),
            search: search::Row::new(entry),
        }
    }
}

/// Per entry, by position in `content.entries`: card data and digests.
#[derive(Clone)]
pub struct EntryData {
    pub cards: Vec<tera::Value>,
    /// Its card with its HTML and its row, as the last render made them; empty in a build,
    /// which keeps nothing.
    pub kept: Vec<Arc<KeptCard>>,
    /// Its rows in the exports; empty when the exports write them as they go.
    pub rows: Vec<Arc<Rows>>,
    /// The whole entry's digest.
    pub digests: Vec<u64>,
    /// The digest of its card.
    pub card_digests: Vec<u64>,
    /// The digest of what counts, charts and co-partners take from it: its date, kind,
    /// partners and topics.
    pub shapes: Vec<u64>,
}

impl EntryData {
    /// The same data in another order: for each position, the position it had here. `None`
    /// unless it holds everything for as many entries as `order` has.
    fn reordered(&self, order: &[usize]) -> Option<EntryData> {
        fn pick<T: Clone>(items: &[T], order: &[usize]) -> Option<Vec<T>> {
            order.iter().map(|&i| items.get(i).cloned()).collect()
        }
        if self.digests.len() != order.len() || !self.is_whole() {
            return None;
        }
        Some(EntryData {
            cards: pick(&self.cards, order)?,
            kept: pick(&self.kept, order)?,
            rows: pick(&self.rows, order)?,
            digests: pick(&self.digests, order)?,
            card_digests: pick(&self.card_digests, order)?,
            shapes: pick(&self.shapes, order)?,
        })
    }

    /// Whether it holds everything for every entry (not only cards, as a build's does).
    fn is_whole(&self) -> bool {
        let n = self.digests.len();
        [
            self.cards.len(),
            self.kept.len(),
            self.rows.len(),
            self.card_digests.len(),
            self.shapes.len(),
        ]
        .iter()
        .all(|&len| len == n)
    }

    /// Puts what is remembered of an entry at position `i`.
    fn set(&mut self, i: usize, r: &KeptEntry) {
        self.cards[i] = r.card.clone();
        self.kept[i] = r.kept.clone();
        self.rows[i] = r.rows.clone();
        self.digests[i] = r.digests.0;
        self.card_digests[i] = r.digests.1;
        self.shapes[i] = r.digests.2;
    }

    /// Inserts what is remembered of an entry at position `i`, before the one there.
    fn insert(&mut self, i: usize, r: &KeptEntry) {
        self.cards.insert(i, r.card.clone());
        self.kept.insert(i, r.kept.clone());
        self.rows.insert(i, r.rows.clone());
        self.digests.insert(i, r.digests.0);
        self.card_digests.insert(i, r.digests.1);
        self.shapes.insert(i, r.digests.2);
    }

    /// Cards for every entry, without digests (a build that keeps nothing).
    pub fn new(content: &Content) -> EntryData {
        let values = super::context::CardValues::new(&content.entries);
        EntryData {
            cards: content.entries.par_iter().map(|e| values.card(e)).collect(),
            kept: Vec::new(),
            rows: Vec::new(),
            digests: Vec::new(),
            card_digests: Vec::new(),
            shapes: Vec::new(),
        }
    }
}

impl Memo {
    /// Starts a render: cards and digests for the entries of `content`, reusing those of
    /// entries that did not change.
    pub fn begin(&mut self, config: &Config, content: &Content) -> EntryData {
        let previous = std::mem::take(&mut self.entries);
        let host = data::host(config);
        let made: Vec<(usize, KeptEntry)> = content
            .entries
            .par_iter()
            .map(|entry| {
                let key = Arc::as_ptr(entry) as usize;
                let remembered = match previous.get(&key) {
                    Some(r) => KeptEntry {
                        _entry: entry.clone(),
                        card: r.card.clone(),
                        kept: r.kept.clone(),
                        rows: r.rows.clone(),
                        digests: r.digests,
                    },
                    None => KeptEntry::new(config, &host, entry),
                };
                (key, remembered)
            })
            .collect();
        let mut data = EntryData {
            cards: Vec::with_capacity(made.len()),
            kept: Vec::with_capacity(made.len()),
            rows: Vec::with_capacity(made.len()),
            digests: Vec::with_capacity(made.len()),
            card_digests: Vec::with_capacity(made.len()),
            shapes: Vec::with_capacity(made.len()),
        };
        for (_, r) in &made {
            data.cards.push(r.card.clone());
            data.kept.push(r.kept.clone());
            data.rows.push(r.rows.clone());
            data.digests.push(r.digests.0);
            data.card_digests.push(r.digests.1);
            data.shapes.push(r.digests.2);
        }
        self.entries = made.into_iter().collect();
        if let Ok(next) = self.next.get_mut() {
            next.clear();
        }
        self.made.store(0, std::sync::atomic::Ordering::Relaxed);
        data
    }

    /// Starts a render after the entries at the positions in `replaced` (each with the entry it
    /// replaces) changed in place, or entries were `added` at the positions given (see
    /// [`content::load_in_place`]): `data` of the last render, put in the new order when
    /// entries `moved` (for each position, the entry's last one), with those entries' data
    /// made anew, and whether every card is what it was (and where it was). `None`, and
    /// nothing changed, when what lists count of an entry (its shape) changed after all,
    /// unless it was `reshaped` (new dates, kind, partners or topics, or entries added).
    ///
    /// [`content::load_in_place`]: crate::content::load_in_place
    pub fn begin_in_place(
        &mut self,
        config: &Config,
        content: &Content,
        data: &EntryData,
        (replaced, added): (&[crate::content::Replaced], &[usize]),
        moved: Option<&[usize]>,
        reshaped: bool,
    ) -> Option<(EntryData, bool)> {
        let host = data::host(config);
        let new = |i: usize| (i, KeptEntry::new(config, &host, &content.entries[i]));
        let made: Vec<(usize, KeptEntry)> = replaced.par_iter().map(|&(i, _)| new(i)).collect();
        let joined: Vec<(usize, KeptEntry)> = added.par_iter().map(|&i| new(i)).collect();
        if data.digests.len() + added.len() != content.entries.len() {
            return None;
        }
        let mut data = match moved {
            Some(order) => data.reordered(order)?,
            None => data.clone(),
        };
        if !joined.is_empty() && !data.is_whole() {
            return None;
        }
        // In order, so that each lands where it is counted.
        for (i, r) in &joined {
            data.insert(*i, r);
        }
        let same_shapes = made
            .iter()
            .all(|(i, r)| data.shapes.get(*i) == Some(&r.digests.2));
        if !same_shapes && !reshaped {
            return None;
        }
        let same_cards = !reshaped
            && made
                .iter()
                .all(|(i, r)| data.card_digests.get(*i) == Some(&r.digests.1));
        for (_, old) in replaced {
            self.entries.remove(&(Arc::as_ptr(old) as usize));
        }
        for (i, r) in joined {
            self.entries
                .insert(Arc::as_ptr(&content.entries[i]) as usize, r);
        }
        for (i, r) in made {
            data.set(i, &r);
            self.entries
                .insert(Arc::as_ptr(&content.entries[i]) as usize, r);
        }
        if let Ok(next) = self.next.get_mut() {
            next.clear();
        }
        self.made.store(0, std::sync::atomic::Ordering::Relaxed);
        Some((data, same_cards))
    }

    /// Ends a successful render that made only some files (after [`Memo::begin_in_place`]):
    /// what it made replaces the kept files at the same paths.
    pub fn commit_some(&mut self) {
        if let Ok(next) = self.next.get_mut() {
            self.previous.extend(next.drain());
        }
    }

    /// Ends a successful render: what it made is what the next one compares with.
    pub fn commit(&mut self) {
        if let Ok(next) = self.next.get_mut() {
            let capacity = next.len();
            let made = std::mem::replace(
                next,
                HashMap::with_capacity_and_hasher(capacity, Default::default()),
            );
            // The files the render before made: many small allocations, freed aside.
            crate::drop_aside(std::mem::replace(&mut self.previous, made));
        }
    }

    /// Forgets everything (after the configuration changed).
    pub fn clear(&mut self) {
        *self = Memo::default();
    }

    /// How many files the last render made anew rather than reused.
    pub fn made(&self) -> usize {
        self.made.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The file at `path`: the kept one when its digest is `digest`, else what `make` makes.
    pub fn file<E>(
        &self,
        path: &str,
        digest: u64,
        make: impl FnOnce() -> Result<OutputFile, E>,
    ) -> Result<OutputFile, E> {
        if let Some((kept, bytes)) = self.previous.get(path)
            && *kept == digest
        {
            self.keep(path, digest, bytes.clone());
            return Ok(OutputFile {
                path: path.to_string(),
                contents: Contents::Bytes(bytes.clone()),
            });
        }
        let file = make()?;
        self.made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if let Contents::Bytes(bytes) = &file.contents {
            self.keep(&file.path, digest, bytes.clone());
        }
        Ok(file)
    }

    fn keep(&self, path: &str, digest: u64, bytes: Bytes) {
        if let Ok(mut next) = self.next.lock() {
            next.insert(path.to_string(), (digest, bytes));
        }
    }
}

/// What a step outside the page renderer (the feeds) needs to reuse files: the memo, the
/// site digest and every entry's digest by position.
#[derive(Clone, Copy)]
pub struct Reuse<'a> {
    pub memo: &'a Memo,
    pub site_digest: u64,
    pub digests: &'a [u64],
}

impl Reuse<'_> {
    /// [`Memo::file`] with the site digest and the digests of the entries at `positions`.
    pub fn file<E>(
        &self,
        path: &str,
        positions: &[usize],
        extra: impl Hash,
        make: impl FnOnce() -> Result<OutputFile, E>,
    ) -> Result<OutputFile, E> {
        let entries = digest::of_all(
            positions
                .iter()
                .map(|&i| self.digests.get(i).copied().unwrap_or_default()),
        );
        self.memo
            .file(path, digest::of((self.site_digest, entries, extra)), make)
    }
}
