//! One function per kind of page of the plan: each makes its context and hands it to
//! [`Renderer::memoized`].

use rayon::prelude::*;

use super::context::*;
use super::pager::page_title;
use super::*;
use crate::plan::{self, List, Page, Pagination};

impl<'a> Renderer<'a> {
    pub(super) fn entry(&self, i: usize) -> Result<OutputFile, RenderError> {
        let path = &self.plan.entry_pages()[i].path;
        let (previous, next) = plan::neighbours(self.content.entries.len(), i);
        let entry: &Entry = &self.content.entries[i];
        let made = Made {
            value: entry,
            digest: (self.entry_data.digests.get(i).copied()).unwrap_or_default(),
        };
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
            site: self.shared_site(),
            page: self.about(meta, About::Entry(made)),
            entry: made,
            toc: if entry.toc.len() >= 2 {
                &entry.toc
            } else {
                &[]
            },
            previous: previous.map(|n| self.card(n)),
            next: next.map(|n| self.card(n)),
        };
        self.memoized("entry.html", path, &page)
    }

    pub(super) fn home(&self, at: &Page) -> Result<OutputFile, RenderError> {
        let meta = self.meta(at.url.clone(), &self.config.title, "", "home", Vec::new());
        let page = HomePage {
            site: self.shared_site(),
            page: self.about(meta, About::Website),
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
                partners: self.plan.partners(),
                topics: self.content.topics.len(),
            },
            years: self.year_nav(),
        };
        self.memoized("index.html", &at.path, &page)
    }

    pub(super) fn year_nav(&self) -> Vec<CountLink> {
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

    pub(super) fn months(&self, year: i16, positions: &[usize]) -> Vec<MonthView<'_>> {
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
    pub(super) fn months_with_rows(
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

    pub(super) fn timeline(&self, at: &Page) -> Result<OutputFile, RenderError> {
        // Made (or taken from the memo) whether or not the page is: the memo keeps only
        // what a render asks for, and the next change of a card needs them.
        let sections = self.timeline_sections()?;
        let page = TimelinePage {
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
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
            // Their bytes become template data only if the page is made (below): the
            // page's digest takes their digests.
            sections: (sections.iter())
                .map(|section| Made {
                    value: tera::Value::from(()),
                    digest: section.digest,
                })
                .collect(),
            year_nav: self.year_nav(),
            chart: chart::per_month(self.config, &self.content.entries),
            filters: self.filters(),
        };
        self.memoized_with("timeline.html", &at.path, page, |page| {
            // One section's bytes at a time become template data, then go. They were made
            // as text: checked at the speed of `from_utf8`, which is many times that of the
            // lossy kind.
            for (made, section) in page.sections.iter_mut().zip(sections) {
                made.value = match std::str::from_utf8(&section.value) {
                    Ok(text) => tera::Value::safe_string(text),
                    Err(_) => tera::Value::safe_string(&String::from_utf8_lossy(&section.value)),
                };
            }
        })
    }

    pub(super) fn year_view(&self, year: &index::timeline::Year) -> YearView<'_> {
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
    pub(super) fn timeline_sections(&self) -> Result<Vec<Made<bytes::Bytes>>, RenderError> {
        if !self.templates.tera.contains_template(TIMELINE_SECTION) {
            return Ok(Vec::new());
        }
        self.indexes
            .timeline
            .years
            .par_iter()
            .map(|year| {
                let context = TimelineSection {
                    site: self.shared_site(),
                    y: &self.year_view(year),
                };
                // Kept under a name no output file can have.
                let path = format!("\0timeline section {}", year.year);
                let section =
                    self.memoized_as("timeline.html", TIMELINE_SECTION, &path, &context)?;
                Ok(Made {
                    value: section.contents.generated().unwrap_or_default(),
                    digest: self.digest(|| self.made_from("timeline.html", &context)),
                })
            })
            .collect()
    }

    pub(super) fn filters(&self) -> Filters {
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

    /// A page of the year at `y` of the timeline.
    pub(super) fn year(
        &self,
        at: &Page,
        y: usize,
        pagination: Pagination,
    ) -> Result<OutputFile, RenderError> {
        let year = &self.indexes.timeline.years[y];
        let chunk = self.plan.shown(self.indexes, List::Year(y), pagination);
        let n = pagination.number - 1;
        let title = if n == 0 {
            year.year.to_string()
        } else {
            format!("{}, page {}", year.year, n + 1)
        };
        let page = YearPage {
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
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
            pager: self.pager(&format!("timeline/{}/", year.year), pagination),
            year_nav: self.year_nav(),
        };
        self.memoized("timeline_year.html", &at.path, &page)
    }

    /// A page of the kind at `k` of `config.kinds`.
    pub(super) fn kind(
        &self,
        at: &Page,
        k: usize,
        pagination: Pagination,
    ) -> Result<OutputFile, RenderError> {
        let kind = &self.config.kinds[k];
        let positions = &self.plan.kinds[k];
        let chunk = self.plan.shown(self.indexes, List::Kind(k), pagination);
        let page = KindPage {
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
                &page_title(&kind.label, pagination.number - 1),
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
            pager: self.pager(&format!("timeline/kind/{}/", kind.id), pagination),
        };
        self.memoized("kind.html", &at.path, &page)
    }

    pub(super) fn partner_card(&self, stats: &index::partners::PartnerStats) -> PartnerCard<'a> {
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

    pub(super) fn partners(&self, at: &Page) -> Result<OutputFile, RenderError> {
        let mut cards: Vec<PartnerCard> = self
            .indexes
            .partners
            .iter()
            .filter(|s| plan::has_page(self.content, s))
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
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
                self.templates.string("partners"),
                "Every partner, A–Z and by type, with the number of entries.",
                "partners",
                vec![self.home_crumb()],
            ),
            count: cards.len(),
            letters,
            by_type,
        };
        self.memoized("partners.html", &at.path, &page)
    }

    /// A page of the partner at `p` of `indexes.partners`.
    pub(super) fn partner(
        &self,
        at: &Page,
        at_index: usize,
        pagination: Pagination,
    ) -> Result<OutputFile, RenderError> {
        let stats = &self.indexes.partners[at_index];
        let p = &self.content.partners[stats.partner];
        let chunk = self
            .plan
            .shown(self.indexes, List::Partner(at_index), pagination);
        let description = match &p.country {
            Some(country) => {
                format!("{}, {}: {} entries.", p.name, country, stats.entries.len())
            }
            None => format!("{}: {} entries.", p.name, stats.entries.len()),
        };
        let (co_partners, chart) = self.partner_extras[at_index].get_or_init(|| {
            let co_partners = (stats.co_partners.iter())
                .map(|&(other, count)| CountLink {
                    name: self.content.partners[other].name.clone(),
                    url: self.content.partners[other].url.clone(),
                    count,
                })
                .collect();
            let entries = &self.content.entries;
            (
                co_partners,
                chart::per_year(self.config, entries, &stats.entries, &p.name),
            )
        });
        let meta = self.meta(
            at.url.clone(),
            &page_title(&p.name, pagination.number - 1),
            &description,
            "partner",
            vec![
                self.home_crumb(),
                self.crumb(self.templates.string("partners"), "partners/"),
            ],
        );
        let page = PartnerPage {
            site: self.shared_site(),
            page: self.about(meta, About::Partner(p)),
            partner: self.partner_card(stats),
            aliases: &p.aliases,
            website: p.website.as_deref(),
            description_html: &p.description_html,
            entries: self.cards(chunk),
            pager: self.pager(&format!("partners/{}/", p.id), pagination),
            co_partners: co_partners.clone(),
            chart: chart.clone(),
            feed_url: feeds::partner_feed_url(self.config, &p.id),
        };
        self.memoized("partner.html", &at.path, &page)
    }

    pub(super) fn topic_card(&self, stats: &index::topics::TopicStats) -> TopicCard<'a> {
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

    pub(super) fn topics(&self, at: &Page) -> Result<OutputFile, RenderError> {
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
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
                self.templates.string("topics"),
                "Every topic, A–Z, with the number of entries.",
                "topics",
                vec![self.home_crumb()],
            ),
            count: topics.len(),
            topics,
        };
        self.memoized("topics.html", &at.path, &page)
    }

    /// A page of the topic at `at_index` of `indexes.topics`.
    pub(super) fn topic(
        &self,
        at: &Page,
        at_index: usize,
        pagination: Pagination,
    ) -> Result<OutputFile, RenderError> {
        let stats = &self.indexes.topics[at_index];
        let t = &self.content.topics[stats.topic];
        let chunk = self
            .plan
            .shown(self.indexes, List::Topic(at_index), pagination);
        let page = TopicPage {
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
                &page_title(&t.name, pagination.number - 1),
                &format!("Entries on {}: {}.", t.name, stats.entries.len()),
                "topic",
                vec![
                    self.home_crumb(),
                    self.crumb(self.templates.string("topics"), "topics/"),
                ],
            ),
            topic: self.topic_card(stats),
            entries: self.cards(chunk),
            pager: self.pager(&format!("topics/{}/", t.slug), pagination),
            partners: (self.topic_partners[at_index])
                .get_or_init(|| self.partners_of(&stats.entries))
                .clone(),
            feed_url: feeds::topic_feed_url(self.config, &t.slug),
        };
        self.memoized("topic.html", &at.path, &page)
    }

    /// The ten partners named most often by the entries at `positions`, most first.
    pub(super) fn partners_of(&self, positions: &[usize]) -> Vec<CountLink> {
        let mut counts: std::collections::BTreeMap<(&str, &str), usize> = Default::default();
        for &i in positions {
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
    }

    pub(super) fn search(&self, at: &Page) -> Result<OutputFile, RenderError> {
        let page = SearchPage {
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
                self.templates.string("search"),
                "Search every entry by its words, partners, topics, places and reference numbers.",
                "search",
                vec![self.home_crumb()],
            ),
            index_url: "../search-index.json",
            index_script_url: "index/manifest.js",
            script_url: "../search.js",
        };
        self.memoized("search.html", &at.path, &page)
    }

    /// `/data/`, the page that explains the open data (the plan has it when the theme has
    /// `data.html`: a theme made before there was one has not).
    pub(super) fn open_data(&self, at: &Page) -> Result<OutputFile, RenderError> {
        let count = self.content.entries.len();
        let file = |path: &str| {
            let url = self.config.url(path);
            DataFile {
                absolute_url: self.config.absolute_url(&url),
                url,
            }
        };
        let page = DataPage {
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
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
        self.memoized("data.html", &at.path, &page)
    }

    pub(super) fn standing(&self, at: &Page, i: usize) -> Result<OutputFile, RenderError> {
        let standing: &model::StandingPage = &self.content.pages[i];
        let mut meta = self.meta(
            at.url.clone(),
            &standing.title,
            &standing.summary,
            "page",
            vec![self.home_crumb()],
        );
        meta.language = at.language.clone();
        let page = StandingPageView {
            site: self.shared_site(),
            page: meta,
            standing,
            toc: if standing.toc.len() >= 2 {
                &standing.toc
            } else {
                &[]
            },
        };
        self.memoized("page.html", &at.path, &page)
    }

    pub(super) fn not_found(&self, at: &Page) -> Result<OutputFile, RenderError> {
        let page = NotFoundPage {
            site: self.shared_site(),
            page: self.meta(
                at.url.clone(),
                self.templates.string("page_not_found"),
                "",
                "404",
                vec![self.home_crumb()],
            ),
        };
        self.memoized("404.html", &at.path, &page)
    }

    /// The redirect pages of the plan, each with the entry file and the place of the alias
    /// it came from.
    pub fn redirects(&self) -> (Vec<OutputFile>, Vec<(std::path::PathBuf, model::Place)>) {
        let mut files = Vec::new();
        let mut owners = Vec::new();
        for redirect in &self.plan.redirects {
            let entry = &self.content.entries[redirect.entry];
            let target = self.config.absolute_url(&entry.url);
            let target_html = escape(&target);
            let html = format!(
                "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n<title>Moved</title>\n<link rel=\"canonical\" href=\"{target_html}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target_html}\">\n</head>\n<body>\n<p>This page has moved to <a href=\"{target_html}\">{target_html}</a>.</p>\n</body>\n</html>\n",
                lang = escape(&self.config.language),
            );
            files.push(OutputFile {
                path: redirect.path.clone(),
                contents: Contents::Bytes(html.into()),
            });
            owners.push((
                entry.file.clone(),
                (entry.alias_places.get(redirect.alias).cloned()).unwrap_or_default(),
            ));
        }
        (files, owners)
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
