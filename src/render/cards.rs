//! Every entry's card and row: made once per render (or kept from the last), for every list
//! that shows the entry.

use rayon::prelude::*;

use super::context::*;
use super::*;

impl<'a> Renderer<'a> {
    /// Adds `html` to every entry's card: the card as [`CARD`] makes it, made once per entry
    /// for every list that shows the entry, which then writes it rather than running the
    /// partial again. Where a render follows (`serve`), also makes every entry's row with
    /// [`ROW`] (see [`Renderer::row`]). Both are kept from one render to the next until the
    /// entry, the templates or the site change. A partial the theme does not have makes
    /// nothing. When cards or rows fail, the error is the first failing entry's.
    pub(super) fn add_card_html(mut self) -> Result<Self, RenderError> {
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
                // The contexts of the card and of the row hold the site and the card (and the
                // month of the card's date), which stand in by their digests: those two digests
                // are what the contexts' are made of, taken without serialising them for each
                // of the site's entries on every render.
                let made_from = this.digest(|| {
                    let card = this.card_of(i, &card);
                    digest::of((templates, this.shared_site().digest, card.digest, with_rows))
                });
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
                    let rendering = format!("rendering the card of `{}`", entry.url);
                    let html = this.render_text(CARD, &rendering, &this.card_context(i, &card))?;
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
                    *kept = Some(memo::CardHtml {
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
    /// safe): made with the cards when a render follows, else now. It is made from the
    /// entry's card, and stands in by its digest.
    pub(super) fn row(&self, position: usize) -> Result<Made<tera::Value>, RenderError> {
        let value = match self.rows.get(position) {
            Some(row) => row.clone(),
            None => self.make_row(position, &self.entry_data.cards[position])?,
        };
        Ok(Made {
            value,
            digest: self.card(position).digest,
        })
    }

    /// What [`ROW`] makes of the entry at `position`, whose card is `card`.
    pub(super) fn make_row(
        &self,
        position: usize,
        card: &tera::Value,
    ) -> Result<tera::Value, RenderError> {
        let entry = &self.content.entries[position];
        let rendering = format!("rendering the timeline row of `{}`", entry.url);
        let html = self.render_text(ROW, &rendering, &self.row_context(position, card))?;
        Ok(tera::Value::safe_string(&html))
    }

    /// The context of [`CARD`] for the entry at `position`, whose card is `card`.
    pub(super) fn card_context<'c>(
        &'c self,
        position: usize,
        card: &'c tera::Value,
    ) -> CardPartial<'c> {
        CardPartial {
            site: self.shared_site(),
            e: self.card_of(position, card),
        }
    }

    /// The context of [`ROW`] for the entry at `position`, whose card is `card`.
    pub(super) fn row_context<'c>(
        &'c self,
        position: usize,
        card: &'c tera::Value,
    ) -> RowPartial<'c> {
        let date = &self.content.entries[position].date;
        RowPartial {
            site: self.shared_site(),
            e: self.card_of(position, card),
            m: RowMonth {
                year: date.year,
                month: date.month,
                name: model::month_name(date.month),
                id: month_id(date.year, date.month),
            },
        }
    }

    pub(super) fn card(&self, i: usize) -> Card<'_> {
        self.card_of(i, &self.entry_data.cards[i])
    }

    /// `card`, the card of the entry at `i`, with its digest.
    pub(super) fn card_of<'c>(&self, i: usize, card: &'c tera::Value) -> Card<'c> {
        Made {
            value: card,
            digest: (self.entry_data.card_digests.get(i).copied()).unwrap_or_default(),
        }
    }

    pub(super) fn cards(&self, positions: &[usize]) -> Vec<Card<'_>> {
        positions.iter().map(|&i| self.card(i)).collect()
    }
}
