//! Rendering: content and indexes in, a list of output files out. No IO happens here.
//!
//! Each page kind has a typed context (see [`context`]); grouping, sorting and pagination are
//! done here in Rust, so templates only lay things out.

mod cards;
mod chart;
pub mod context;
pub mod data;
pub mod feeds;
pub mod memo;
mod pager;
mod pages;
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
use crate::plan::{List, Page, Plan, What};
use context::*;

pub use crate::files::{Contents, FileRef, OutputFile, Pieces, Stream};

/// The partial that makes one year's section of `/timeline/`, when a theme has it.
pub const TIMELINE_SECTION: &str = "partials/timeline_section.html";
/// The partial that makes one entry's card, once per entry, for every list that shows it.
pub const CARD: &str = "partials/card.html";
/// The partial that makes one entry's row on its year's page.
pub const ROW: &str = "partials/row.html";

/// Where rendered files go as soon as they are made: the staging folder of `build`, or
/// memory for `serve`. A failure to take a file is reported like a problem in content.
pub type Sink<'s> = &'s (dyn Fn(OutputFile) -> Result<(), RenderError> + Sync);

/// A failed render, placed at the template's file, line and column.
pub type RenderError = Box<crate::diagnostic::Diagnostic>;

/// What a render is made from, borrowed.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    pub config: &'a Config,
    pub templates: &'a templates::Templates,
    pub content: &'a Content,
    pub indexes: &'a Indexes,
    pub plan: &'a Plan,
}

impl<'a> Sources<'a> {
    pub fn new(
        config: &'a Config,
        templates: &'a templates::Templates,
        content: &'a Content,
        indexes: &'a Indexes,
        plan: &'a Plan,
    ) -> Self {
        Sources {
            config,
            templates,
            content,
            indexes,
            plan,
        }
    }
}

/// Everything rendering needs, borrowed.
pub struct Renderer<'a> {
    pub config: &'a Config,
    pub templates: &'a templates::Templates,
    pub content: &'a Content,
    pub indexes: &'a Indexes,
    /// Every page to render.
    pub plan: &'a Plan,
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
    /// What the pages of a partner's list share (its co-partners and chart), and those of a
    /// topic's (its partners), by position in the indexes: made when the first page needs it.
    partner_extras: Vec<std::sync::OnceLock<(Vec<CountLink>, Chart)>>,
    topic_partners: Vec<std::sync::OnceLock<Vec<CountLink>>>,
}

/// Template name → the top-level keys of its context.
pub type ContextKeys = std::collections::BTreeMap<String, std::collections::BTreeSet<String>>;

impl<'a> Renderer<'a> {
    /// A renderer for a build, which keeps nothing; fails when an entry's card does
    /// (see `Renderer::add_card_html`).
    pub fn new(sources: Sources<'a>) -> Result<Self, RenderError> {
        Renderer::without_card_html(sources).add_card_html()
    }

    /// [`Renderer::new`] before its cards have their HTML.
    fn without_card_html(sources: Sources<'a>) -> Self {
        let data = memo::EntryData::new(sources.content);
        Renderer::of(sources, data, None)
    }

    /// A renderer that reuses the files `memo` kept from the last render wherever nothing
    /// they depend on changed; `data` comes from [`memo::Memo::begin`]. Fails when an
    /// entry's card does (see `Renderer::add_card_html`).
    pub fn with_memo(
        sources: Sources<'a>,
        memo: &'a memo::Memo,
        data: memo::EntryData,
    ) -> Result<Self, RenderError> {
        Renderer::of(sources, data, Some(memo)).add_card_html()
    }

    fn of(sources: Sources<'a>, data: memo::EntryData, memo: Option<&'a memo::Memo>) -> Self {
        let Sources {
            config,
            templates,
            content,
            indexes,
            plan,
        } = sources;
        let site = SiteView::new(config).with_menu(&content.pages);
        Renderer {
            config,
            templates,
            content,
            indexes,
            plan,
            site_digest: match memo {
                Some(_) => digest::of((
                    digest::of_serialized(&site),
                    digest::of_serialized(&content.partners),
                    digest::of_serialized(&content.topics),
                )),
                None => 0,
            },
            site: tera::Value::from_serializable(&site),
            entry_data: data,
            rows: Vec::new(),
            memo,
            recorded: None,
            partner_extras: (indexes.partners.iter())
                .map(|_| Default::default())
                .collect(),
            topic_partners: (indexes.topics.iter())
                .map(|_| Default::default())
                .collect(),
        }
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

    /// The page at `path`, made with `template` from `context`; or, when the memo kept it
    /// with the same digest (of `context` as it serialises, and of the templates `template`
    /// may use), the kept one.
    fn memoized<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        context: &T,
    ) -> Result<OutputFile, RenderError> {
        self.memoized_as(template, template, path, context)
    }

    /// [`Renderer::memoized`] with `template`, a partial of the page template `page`, whose
    /// templates its digest covers.
    fn memoized_as<T: Serialize>(
        &self,
        page: &str,
        template: &str,
        path: &str,
        context: &T,
    ) -> Result<OutputFile, RenderError> {
        let make = || self.render(template, path, context);
        match self.memo {
            Some(memo) => {
                let made_from = self.made_from(page, context);
                memo.file(path, made_from, make)
            }
            None => make(),
        }
    }

    /// [`Renderer::memoized`] of a `context` that `complete` completes before the page is
    /// made: with values ([`Made`]) that its digest does not read, too costly to make for a
    /// page the memo kept.
    fn memoized_with<T: Serialize>(
        &self,
        template: &str,
        path: &str,
        mut context: T,
        complete: impl FnOnce(&mut T),
    ) -> Result<OutputFile, RenderError> {
        let made_from = self.digest(|| self.made_from(template, &context));
        let make = || {
            complete(&mut context);
            self.render(template, path, &context)
        };
        match self.memo {
            Some(memo) => memo.file(path, made_from, make),
            None => make(),
        }
    }

    /// The digest of what a file made with `template` from `context` is made from.
    fn made_from<T: Serialize>(&self, template: &str, context: &T) -> u64 {
        digest::of((
            self.templates.digest_of(template),
            digest::of_context(context),
        ))
    }

    /// `digest()` when pages are memoized, else nothing (0) without computing it.
    fn digest(&self, digest: impl FnOnce() -> u64) -> u64 {
        if self.memo.is_some() { digest() } else { 0 }
    }

    /// The site as templates see it, standing in by the site digest.
    fn shared_site(&self) -> SharedSite<'_> {
        Made {
            value: &self.site,
            digest: self.site_digest,
        }
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

    /// Renders every HTML page of the plan into `sink`.
    pub fn pages(&self, sink: Sink) -> Result<(), RenderError> {
        // The timeline is one large page: the lists are made beside the entries rather than
        // after them.
        let (lists, entries) = rayon::join(
            || self.list_pages(sink),
            || {
                (0..self.plan.entry_pages().len())
                    .into_par_iter()
                    .try_for_each(|i| sink(self.entry(i)?))
            },
        );
        lists?;
        entries
    }

    /// Renders every HTML page of the plan but the entries' own into `sink`: the timeline,
    /// home, the years, kinds, partners and topics, search and the page for "not found".
    pub fn list_pages(&self, sink: Sink) -> Result<(), RenderError> {
        self.list_pages_where(|_| true, sink)
    }

    /// [`Renderer::list_pages`] after only the cards of the entries at `changed` (sorted)
    /// changed, and nothing the lists count of any entry (its shape): the page of a list
    /// whose context holds none of those cards holds what it held, and is left out, unmade
    /// and undigested. The other pages go through the memo as `list_pages` has them.
    pub fn list_pages_showing(&self, changed: &[usize], sink: Sink) -> Result<(), RenderError> {
        let shows_one = |page: &Page| match page.what {
            What::List(list, at) => (self.plan.shown(self.indexes, list, at).iter())
                .any(|i| changed.binary_search(i).is_ok()),
            _ => true,
        };
        self.list_pages_where(shows_one, sink)
    }

    /// [`Renderer::list_pages`] with, of the pages of lists, only those of the lists that
    /// `lists` keeps: the others hold what they held, and are left out, unmade and
    /// undigested.
    pub fn list_pages_of(
        &self,
        lists: impl Fn(List) -> bool + Sync,
        sink: Sink,
    ) -> Result<(), RenderError> {
        let keep = |page: &Page| match page.what {
            What::List(list, _) => lists(list),
            _ => true,
        };
        self.list_pages_where(keep, sink)
    }

    /// The pages of [`Renderer::list_pages`] that `keep` keeps, into `sink`.
    fn list_pages_where(
        &self,
        keep: impl Fn(&Page) -> bool + Sync,
        sink: Sink,
    ) -> Result<(), RenderError> {
        (self.plan.other_pages().par_iter())
            .filter(|page| keep(page))
            .try_for_each(|page| sink(self.page(page)?))
    }

    /// The page `page` of the plan.
    fn page(&self, page: &Page) -> Result<OutputFile, RenderError> {
        match page.what {
            What::Entry(i) => self.entry(i),
            What::Home => self.home(page),
            What::Timeline => self.timeline(page),
            What::Partners => self.partners(page),
            What::Topics => self.topics(page),
            What::Search => self.search(page),
            What::OpenData => self.open_data(page),
            What::NotFound => self.not_found(page),
            What::Standing(i) => self.standing(page, i),
            What::List(List::Year(y), at) => self.year(page, y, at),
            What::List(List::Kind(k), at) => self.kind(page, k, at),
            What::List(List::Partner(p), at) => self.partner(page, p, at),
            What::List(List::Topic(t), at) => self.topic(page, t, at),
        }
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
    ) -> PageMeta<'a> {
        PageMeta {
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
            about: About::Nothing,
            config: self.config,
        }
    }

    /// `meta` about `about` (in its JSON-LD: the page's `NewsArticle`, `Organization` …).
    fn about(&self, meta: PageMeta<'a>, about: About<'a>) -> PageMeta<'a> {
        PageMeta { about, ..meta }
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

    /// The example site of the repository, loaded, indexed and planned.
    fn example_site() -> (Config, templates::Templates, Content, Indexes, Plan) {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let config = crate::config::load(root).unwrap();
        let options = crate::content::LoadOptions {
            drafts: false,
            future: false,
            now: "2026-01-01T00:00:00Z".parse().unwrap(),
        };
        let (content, _) = crate::content::load(&config, &options);
        let templates = crate::build::read_templates(&config).unwrap();
        let indexes = index::build(&content);
        let plan = Plan::new(&config, &content, &indexes, templates.has("data.html"));
        (config, templates, content, indexes, plan)
    }

    /// The paths of the pages `render` hands to its sink, each with its HTML.
    fn made_by(render: impl FnOnce(Sink) -> Result<(), RenderError>) -> BTreeMap<String, String> {
        let made = std::sync::Mutex::new(BTreeMap::new());
        render(&|file: OutputFile| {
            let html = String::from_utf8(file.contents.generated().unwrap().to_vec()).unwrap();
            made.lock().unwrap().insert(file.path, html);
            Ok(())
        })
        .unwrap();
        made.into_inner().unwrap()
    }

    #[test]
    fn the_list_pages_showing_a_card_are_every_page_that_shows_it() {
        let (config, templates, content, indexes, plan) = example_site();
        let renderer =
            Renderer::new(Sources::new(&config, &templates, &content, &indexes, &plan)).unwrap();
        let every = made_by(|sink| renderer.list_pages(sink));
        for (i, entry) in content.entries.iter().enumerate() {
            let showing = made_by(|sink| renderer.list_pages_showing(&[i], sink));
            let link = format!("href=\"{}\"", entry.url);
            let linking: BTreeSet<&String> = (every.iter())
                .filter(|(_, html)| html.contains(&link))
                .map(|(path, _)| path)
                .collect();
            let missing: Vec<&&String> = (linking.iter())
                .filter(|path| !showing.contains_key(path.as_str()))
                .collect();
            assert!(missing.is_empty(), "`{}` is on {missing:?}", entry.url);
            assert!(linking.len() > 2, "`{}` is on {linking:?}", entry.url);
            assert!(showing.len() < every.len(), "`{}`", entry.url);
            for (path, html) in &showing {
                assert_eq!(Some(html), every.get(path), "{path}");
            }
        }
    }

    #[test]
    fn every_template_renders_with_exactly_the_documented_context() {
        let (config, templates, content, indexes, plan) = example_site();
        let renderer = Renderer::without_card_html(Sources {
            config: &config,
            templates: &templates,
            content: &content,
            indexes: &indexes,
            plan: &plan,
        })
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
