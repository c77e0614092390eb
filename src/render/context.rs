//! The typed context of every template. `docs/templates.md` documents these fields; a test
//! renders every template with exactly these structs.

use serde::Serialize;

use crate::config::{Config, Kind};
use crate::model::{Entry, PartnerRef, StandingPage, TocItem, TopicRef, When, Withdrawal};

/// `site`: the same on every page.
#[derive(Debug, Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub timezone: &'a str,
    pub kinds: &'a [Kind],
    pub extra: &'a serde_json::Value,
    pub urls: SiteUrls,
    /// The standing pages with `menu:`, in its order (then by URL), for the navigation.
    pub menu: Vec<Link>,
    /// `gazette <version>`, for the generator meta tag.
    pub generator: &'static str,
}

/// Links every page's navigation needs.
#[derive(Debug, Serialize)]
pub struct SiteUrls {
    pub home: String,
    pub timeline: String,
    pub partners: String,
    pub topics: String,
    pub search: String,
    /// The site's Atom feed, `/feed.xml`.
    pub feed: String,
    /// The page that explains the open data, `/data/`.
    pub data: String,
    pub stylesheet: String,
    /// The theme's icon, `/favicon.svg`.
    pub favicon: String,
}

impl<'a> SiteView<'a> {
    pub fn new(config: &'a Config) -> Self {
        SiteView {
            title: &config.title,
            description: &config.description,
            base_url: &config.base_url,
            base_path: &config.base_path,
            language: &config.language,
            timezone: &config.timezone_name,
            kinds: &config.kinds,
            extra: &config.extra,
            urls: SiteUrls {
                home: config.url(""),
                timeline: config.url("timeline/"),
                partners: config.url("partners/"),
                topics: config.url("topics/"),
                search: config.url("search/"),
                feed: config.url("feed.xml"),
                data: config.url("data/"),
                stylesheet: config.url("style.css"),
                favicon: config.url("favicon.svg"),
            },
            menu: Vec::new(),
            generator: concat!("gazette ", env!("CARGO_PKG_VERSION")),
        }
    }

    /// The site with the standing pages of `pages` that have `menu:` in its navigation.
    pub fn with_menu(self, pages: &[std::sync::Arc<StandingPage>]) -> Self {
        let mut shown: Vec<&StandingPage> = (pages.iter())
            .map(|p| p.as_ref())
            .filter(|p| p.menu.is_some() && p.language == self.language)
            .collect();
        shown.sort_by(|a, b| a.menu.cmp(&b.menu).then_with(|| a.url.cmp(&b.url)));
        let menu = (shown.into_iter())
            .map(|p| Link {
                name: p.title.clone(),
                url: p.url.clone(),
            })
            .collect();
        SiteView { menu, ..self }
    }
}

/// `page`: what is particular to this page, for `<head>` and breadcrumbs.
#[derive(Debug)]
pub struct PageMeta<'a> {
    /// Site-relative URL of this page.
    pub url: String,
    /// Absolute URL (or site-relative when `base_url` is not absolute).
    pub canonical: String,
    /// Text for `<title>`, without the site title.
    pub title: String,
    pub description: String,
    pub language: String,
    /// Page kind: `home`, `entry`, `timeline`, `year`, `kind`, `partners`, `partner`,
    /// `topics`, `topic`, `search`, `404`.
    pub kind: &'static str,
    /// From the home page to this page's parent.
    pub breadcrumbs: Vec<Link>,
    /// What the page is about, beside its breadcrumbs, in its `json_ld`: schema.org JSON-LD
    /// for `<script type="application/ld+json">`, already escaped for it (see
    /// `render::structured`); empty when the page has none. Made as the page is rendered,
    /// from the fields above and this; a page's digest takes this instead.
    pub about: About<'a>,
    pub config: &'a Config,
}

/// The main subject of a page's JSON-LD.
#[derive(Debug, Clone, Copy, Serialize)]
pub enum About<'a> {
    Nothing,
    /// The site itself (the home page).
    Website,
    /// An entry (its page), standing in by its digest.
    Entry(Made<&'a Entry>),
    Partner(&'a crate::model::Partner),
}

impl Serialize for PageMeta<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut page = serializer.serialize_struct("PageMeta", 9)?;
        page.serialize_field("url", &self.url)?;
        page.serialize_field("canonical", &self.canonical)?;
        page.serialize_field("title", &self.title)?;
        page.serialize_field("description", &self.description)?;
        page.serialize_field("language", &self.language)?;
        page.serialize_field("kind", &self.kind)?;
        page.serialize_field("breadcrumbs", &self.breadcrumbs)?;
        if crate::digest::standing_in() {
            page.serialize_field("json_ld", &self.about)?;
        } else {
            let main = match self.about {
                About::Nothing => None,
                About::Website => Some(super::structured::website(self.config)),
                About::Entry(entry) => Some(super::structured::article(self.config, entry.value)),
                About::Partner(partner) => {
                    Some(super::structured::organization(self.config, partner))
                }
            };
            let json_ld = super::structured::json_ld(self.config, self, main);
            page.serialize_field("json_ld", &json_ld)?;
        }
        page.end()
    }
}

/// A named link.
#[derive(Debug, Clone, Serialize)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// A named link with a count, for filters and navigation.
#[derive(Debug, Clone, Serialize)]
pub struct CountLink {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// How many of an entry's partners, and of its topics, its card names. A card is shown on
/// the page of each of them: were it to name all of an entry that names a thousand, the
/// site would grow with the square of that number. The rest are counted
/// (`more_partners`, `more_topics`); the entry's own page names them all.
pub const CARD_NAMES: usize = 5;

/// An entry in a list: everything but the body.
#[derive(Debug, Clone, Serialize)]
pub struct EntryCard<'a> {
    pub title: &'a str,
    pub url: &'a str,
    pub date: &'a When,
    pub kind: &'a str,
    pub kind_label: &'a str,
    /// The first [`CARD_NAMES`].
    pub partners: &'a [PartnerRef],
    pub more_partners: usize,
    /// The first [`CARD_NAMES`].
    pub topics: &'a [TopicRef],
    pub more_topics: usize,
    pub location: Option<&'a str>,
    pub summary: &'a str,
    pub reference: Option<&'a str>,
    pub language: &'a str,
    /// When and why the entry was withdrawn: lists mark it.
    pub withdrawn: Option<&'a Withdrawal>,
    /// The lead image: the card's thumbnail.
    pub image: Option<&'a crate::model::LeadImage>,
}

impl<'a> EntryCard<'a> {
    pub fn new(entry: &'a Entry) -> Self {
        EntryCard {
            title: &entry.title,
            url: &entry.url,
            date: &entry.date,
            kind: &entry.kind,
            kind_label: &entry.kind_label,
            partners: &entry.partners[..entry.partners.len().min(CARD_NAMES)],
            more_partners: entry.partners.len().saturating_sub(CARD_NAMES),
            topics: &entry.topics[..entry.topics.len().min(CARD_NAMES)],
            more_topics: entry.topics.len().saturating_sub(CARD_NAMES),
            location: entry.location.as_deref(),
            summary: &entry.summary,
            reference: entry.reference.as_deref(),
            language: &entry.language,
            withdrawn: entry.withdrawn.as_ref(),
            image: entry.image.as_ref(),
        }
    }
}

/// Makes [`EntryCard`]s into template data for a whole build: the same values as
/// `tera::Value::from_serializable` makes, but sharing what cards have in common (the field
/// names, and each partner's and topic's value) instead of holding a copy in each. At 100,000
/// entries that is hundreds of megabytes less.
pub struct CardValues {
    keys: ahash::HashMap<&'static str, tera::value::Key<'static>>,
    partners: ahash::HashMap<PartnerRef, tera::Value>,
    topics: ahash::HashMap<TopicRef, tera::Value>,
}

/// The field names of a card, its date, and its partners and topics.
const CARD_KEYS: &[&str] = &[
    "title",
    "url",
    "date",
    "kind",
    "kind_label",
    "partners",
    "more_partners",
    "topics",
    "more_topics",
    "location",
    "summary",
    "reference",
    "language",
    "withdrawn",
    "reason",
    "image",
    "datetime",
    "display",
    "year",
    "month",
    "day",
    "zone",
    "has_time",
    "id",
    "name",
    "slug",
];

impl CardValues {
    /// Ready to make the cards of `entries`.
    pub fn new(entries: &[std::sync::Arc<Entry>]) -> CardValues {
        let mut values = CardValues {
            keys: CARD_KEYS
                .iter()
                .map(|k| (*k, tera::value::Key::String((*k).into())))
                .collect(),
            partners: Default::default(),
            topics: Default::default(),
        };
        for entry in entries {
            for p in &entry.partners {
                if !values.partners.contains_key(p) {
                    let value = values.partner(p);
                    values.partners.insert(p.clone(), value);
                }
            }
            for t in &entry.topics {
                if !values.topics.contains_key(t) {
                    let value = values.topic(t);
                    values.topics.insert(t.clone(), value);
                }
            }
        }
        values
    }

    /// `entry`'s card as template data.
    pub fn card(&self, entry: &Entry) -> tera::Value {
        let partners: Vec<tera::Value> = entry
            .partners
            .iter()
            .take(CARD_NAMES)
            .map(|p| {
                self.partners
                    .get(p)
                    .cloned()
                    .unwrap_or_else(|| self.partner(p))
            })
            .collect();
        let topics: Vec<tera::Value> = entry
            .topics
            .iter()
            .take(CARD_NAMES)
            .map(|t| self.topics.get(t).cloned().unwrap_or_else(|| self.topic(t)))
            .collect();
        let withdrawn = entry
            .withdrawn
            .as_ref()
            .map_or_else(tera::Value::none, |w| {
                self.map(&[
                    ("date", self.when(&w.date)),
                    ("reason", w.reason.as_str().into()),
                ])
            });
        self.map(&[
            ("title", entry.title.as_str().into()),
            ("url", entry.url.as_str().into()),
            ("date", self.when(&entry.date)),
            ("kind", entry.kind.as_str().into()),
            ("kind_label", entry.kind_label.as_str().into()),
            ("partners", partners.into()),
            (
                "more_partners",
                entry.partners.len().saturating_sub(CARD_NAMES).into(),
            ),
            ("topics", topics.into()),
            (
                "more_topics",
                entry.topics.len().saturating_sub(CARD_NAMES).into(),
            ),
            ("location", entry.location.as_deref().into()),
            ("summary", entry.summary.as_str().into()),
            ("reference", entry.reference.as_deref().into()),
            ("language", entry.language.as_str().into()),
            ("withdrawn", withdrawn),
            (
                "image",
                entry
                    .image
                    .as_ref()
                    .map_or_else(tera::Value::none, tera::Value::from_serializable),
            ),
        ])
    }

    fn when(&self, date: &When) -> tera::Value {
        self.map(&[
            ("date", date.date.as_str().into()),
            ("datetime", date.datetime.as_str().into()),
            ("display", date.display.as_str().into()),
            ("zone", date.zone.as_deref().into()),
            ("year", date.year.into()),
            ("month", date.month.into()),
            ("day", date.day.into()),
            ("has_time", date.has_time.into()),
        ])
    }

    fn partner(&self, p: &PartnerRef) -> tera::Value {
        self.map(&[
            ("id", p.id.as_str().into()),
            ("name", p.name.as_str().into()),
            ("url", p.url.as_str().into()),
        ])
    }

    fn topic(&self, t: &TopicRef) -> tera::Value {
        self.map(&[
            ("slug", t.slug.as_str().into()),
            ("name", t.name.as_str().into()),
            ("url", t.url.as_str().into()),
        ])
    }

    fn map(&self, fields: &[(&'static str, tera::Value)]) -> tera::Value {
        let mut map = tera::Map::with_capacity(fields.len());
        for (name, value) in fields {
            let key = self
                .keys
                .get(name)
                .cloned()
                .unwrap_or(tera::value::Key::Str(name));
            map.insert(key, value.clone());
        }
        tera::Value::from(map)
    }
}

/// A value made once per render and shown on many pages (the site, an entry, its card, its
/// row, a year's section of the timeline), with the digest of what it was made from. For
/// templates it serialises as itself; when a page's digest is taken
/// ([`crate::digest::of_context`]) it stands in by its digest, so that the digest covers it
/// without reading it whole.
#[derive(Debug, Clone, Copy)]
pub struct Made<T> {
    pub value: T,
    /// 0 in a build, which takes no digests.
    pub digest: u64,
}

impl<T: Serialize> Serialize for Made<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if crate::digest::standing_in() {
            serializer.serialize_u64(self.digest)
        } else {
            self.value.serialize(serializer)
        }
    }
}

/// An [`EntryCard`] turned into template data once per build and shared by every list
/// that shows the entry (Tera clones the value by reference count, not field by field).
pub type Card<'a> = Made<&'a tera::Value>;

/// `partials/card.html`: one entry's card, made once per entry; what it makes is the card's
/// `html` wherever the card is shown.
#[derive(Debug, Serialize)]
pub struct CardPartial<'a> {
    pub site: SharedSite<'a>,
    pub e: Card<'a>,
}

/// `partials/row.html`: one entry's row on its year's page; what it makes is in the month's
/// `rows`.
#[derive(Debug, Serialize)]
pub struct RowPartial<'a> {
    pub site: SharedSite<'a>,
    pub e: Card<'a>,
    /// The entry's month, as the year page's [`MonthView`] has it (without its entries).
    pub m: RowMonth,
}

/// A [`MonthView`] without its entries: the month of one row.
#[derive(Debug, Serialize)]
pub struct RowMonth {
    pub year: i16,
    pub month: i8,
    pub name: &'static str,
    pub id: String,
}

/// The [`SiteView`], turned into template data once per build.
pub type SharedSite<'a> = Made<&'a tera::Value>;

/// Links between the pages of a paginated list.
#[derive(Debug, Clone, Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub pages: Vec<PageLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages were left out between the previous link and this one (show `…`).
    pub gap_before: bool,
}

/// A month of a timeline with its entries.
#[derive(Debug, Clone, Serialize)]
pub struct MonthView<'a> {
    pub year: i16,
    pub month: i8,
    pub name: &'static str,
    /// `2022-05`, usable as an HTML id.
    pub id: String,
    pub count: usize,
    pub entries: Vec<Card<'a>>,
    /// On a year's page, each entry as [`super::ROW`] makes it, when the theme has it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<Made<tera::Value>>,
}

/// A year of the timeline with its months.
#[derive(Debug, Clone, Serialize)]
pub struct YearView<'a> {
    pub year: i16,
    pub url: String,
    pub count: usize,
    pub months: Vec<MonthView<'a>>,
}

/// An SVG bar chart drawn at build time: every position and size in SVG user units.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub title: String,
    pub description: String,
    /// How to read it (text), or empty.
    pub legend: String,
    /// `grid` (a row per year, drawn to the width of the column) or `bars` (drawn at its
    /// own size, scrolled sideways when wider than the screen).
    pub layout: &'static str,
    pub width: u32,
    pub height: u32,
    /// The font size of the count over each bar.
    pub value_size: u32,
    pub bars: Vec<Bar>,
    /// Labels: months, years.
    pub ticks: Vec<Tick>,
    /// Axes.
    pub lines: Vec<Line>,
    /// The numbers as a table, for screen readers and print.
    pub rows: Vec<CountLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bar {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
    pub label: String,
    pub count: usize,
    pub url: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Tick {
    pub x: u32,
    /// The baseline of the text.
    pub y: u32,
    pub label: String,
    /// `start`, `middle` or `end`, for `text-anchor`.
    pub anchor: &'static str,
    pub size: u32,
    /// `month`, `year` or `tick`, for a class name.
    pub class: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct Line {
    pub x1: u32,
    pub y1: u32,
    pub x2: u32,
    pub y2: u32,
}

/// Filter links of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Filters {
    pub kinds: Vec<CountLink>,
    pub partners: Vec<CountLink>,
    pub topics: Vec<CountLink>,
}

/// A partner in a list.
#[derive(Debug, Clone, Serialize)]
pub struct PartnerCard<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    #[serde(rename = "type")]
    pub kind: &'a str,
    pub type_label: &'a str,
    pub country: Option<&'a str>,
    pub registered: bool,
    pub count: usize,
    pub first: Option<&'a When>,
    pub last: Option<&'a When>,
}

/// A group of partners under a heading (a letter or a type).
#[derive(Debug, Clone, Serialize)]
pub struct PartnerGroup<'a> {
    pub id: String,
    pub label: String,
    pub partners: Vec<PartnerCard<'a>>,
}

/// A topic in a list.
#[derive(Debug, Clone, Serialize)]
pub struct TopicCard<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: &'a str,
    pub count: usize,
    pub first: Option<&'a When>,
    pub last: Option<&'a When>,
}

// ---- one struct per template ----

/// `index.html`
#[derive(Debug, Serialize)]
pub struct HomePage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub latest: Vec<Card<'a>>,
    pub counts: Counts,
    pub years: Vec<CountLink>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub entries: usize,
    pub partners: usize,
    pub topics: usize,
}

/// `entry.html`
#[derive(Debug, Serialize)]
pub struct EntryPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub entry: Made<&'a Entry>,
    /// Headings for the table of contents (empty when fewer than two).
    pub toc: &'a [TocItem],
    /// The entry just before in time.
    pub previous: Option<Card<'a>>,
    /// The entry just after in time.
    pub next: Option<Card<'a>>,
}

/// `timeline.html`
#[derive(Debug, Serialize)]
pub struct TimelinePage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub count: usize,
    pub years: Vec<YearView<'a>>,
    /// Each year of `years` made with `partials/timeline_section.html`, in the same order
    /// (strings marked safe: template output, escaped as it was made).
    pub sections: Vec<Made<tera::Value>>,
    pub year_nav: Vec<CountLink>,
    pub chart: Chart,
    pub filters: Filters,
}

/// `partials/timeline_section.html`: one year of `/timeline/`.
#[derive(Debug, Serialize)]
pub struct TimelineSection<'a> {
    pub site: SharedSite<'a>,
    pub y: &'a YearView<'a>,
}

/// `timeline_year.html`
#[derive(Debug, Serialize)]
pub struct YearPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub year: i16,
    pub count: usize,
    /// This page's entries, by month.
    pub months: Vec<MonthView<'a>>,
    pub pager: Pager,
    pub year_nav: Vec<CountLink>,
}

/// `kind.html`: the timeline filtered by kind.
#[derive(Debug, Serialize)]
pub struct KindPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub kind: &'a Kind,
    pub count: usize,
    pub entries: Vec<Card<'a>>,
    pub pager: Pager,
}

/// `partners.html`
#[derive(Debug, Serialize)]
pub struct PartnersPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub count: usize,
    /// A–Z, grouped by first letter.
    pub letters: Vec<PartnerGroup<'a>>,
    /// Grouped by type, each group A–Z.
    pub by_type: Vec<PartnerGroup<'a>>,
}

/// `partner.html`
#[derive(Debug, Serialize)]
pub struct PartnerPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub partner: PartnerCard<'a>,
    pub aliases: &'a [String],
    pub website: Option<&'a str>,
    pub description_html: &'a str,
    pub entries: Vec<Card<'a>>,
    pub pager: Pager,
    pub co_partners: Vec<CountLink>,
    pub chart: Chart,
    /// The partner's Atom feed.
    pub feed_url: String,
}

/// `topics.html`
#[derive(Debug, Serialize)]
pub struct TopicsPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub count: usize,
    pub topics: Vec<TopicCard<'a>>,
}

/// `topic.html`
#[derive(Debug, Serialize)]
pub struct TopicPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub topic: TopicCard<'a>,
    pub entries: Vec<Card<'a>>,
    pub pager: Pager,
    /// Partners most often named in this topic's entries.
    pub partners: Vec<CountLink>,
    /// The topic's Atom feed.
    pub feed_url: String,
}

/// `search.html`
#[derive(Debug, Serialize)]
pub struct SearchPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    /// The search index, relative to the search page (`../search-index.json`).
    pub index_url: &'static str,
    /// The sharded search index's manifest, a script, relative to the search page
    /// (`index/manifest.js`); the other files of the index are beside it.
    pub index_script_url: &'static str,
    /// The theme's search script, relative to the search page (`../search.js`).
    pub script_url: &'static str,
}

/// `data.html`: the open data page, `/data/`.
#[derive(Debug, Serialize)]
pub struct DataPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    /// The number of entries in the files.
    pub count: usize,
    pub json: DataFile,
    pub csv: DataFile,
    pub ics: DataFile,
    /// The CSV's columns (and the JSON's keys of an entry), in order.
    pub columns: Vec<&'static str>,
    /// The JSON's `schema_version`.
    pub schema_version: u32,
}

/// One file of the open data.
#[derive(Debug, Serialize)]
pub struct DataFile {
    /// Site-relative URL, for links.
    pub url: String,
    /// Absolute URL (site-relative when `base_url` is not absolute), to copy into a program.
    pub absolute_url: String,
}

/// `page.html`: a standing page.
#[derive(Debug, Serialize)]
pub struct StandingPageView<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
    pub standing: &'a StandingPage,
    /// Its headings, when it has two or more.
    pub toc: &'a [TocItem],
}

/// `404.html`
#[derive(Debug, Serialize)]
pub struct NotFoundPage<'a> {
    pub site: SharedSite<'a>,
    pub page: PageMeta<'a>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::feeds::tests::{config, entry};

    #[test]
    fn shared_card_values_are_the_serialised_cards() {
        let config = config("https://example.org/");
        let mut entries = vec![
            entry(
                &config,
                1,
                "2024-01-02T09:30:00",
                &["iom", "unicef"],
                &["labour"],
            ),
            entry(&config, 2, "2023-12-31T00:00:00", &[], &[]),
            entry(
                &config,
                3,
                "2022-06-01T12:00:00",
                &["iom"],
                &["labour", "borders"],
            ),
        ];
        entries[0].location = Some("Bangkok".into());
        entries[0].reference = Some("REF-1".into());
        entries[1].date.has_time = false;
        entries[2].summary = "Quotes \" and <tags> & ไทย".into();
        let entries: Vec<std::sync::Arc<Entry>> =
            entries.into_iter().map(std::sync::Arc::new).collect();
        let values = CardValues::new(&entries);
        for entry in &entries {
            let expected = tera::Value::from_serializable(&EntryCard::new(entry));
            assert_eq!(values.card(entry), expected, "{}", entry.title);
        }
        // An entry the values were not made for still gets its whole card.
        let other = entry(&config, 4, "2021-01-01T00:00:00", &["ilo"], &["trade"]);
        let expected = tera::Value::from_serializable(&EntryCard::new(&other));
        assert_eq!(values.card(&other), expected);
    }
}
