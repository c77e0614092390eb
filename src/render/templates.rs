//! Tera setup: the theme's templates, then the site's overrides, the theme's strings in the
//! site's language ([`crate::i18n::strings`]), and our few filters.

use ahash::HashMap;

use crate::diagnostic::Diagnostic;

/// The templates every theme provides, one per page kind.
pub const NAMES: &[&str] = &[
    "base.html",
    "index.html",
    "entry.html",
    "timeline.html",
    "timeline_year.html",
    "kind.html",
    "partners.html",
    "partner.html",
    "topics.html",
    "topic.html",
    "search.html",
    "404.html",
];

/// Page templates a theme may leave out: the page is then not made. A site's copy of the
/// default theme (`themes/default/`, as `init` writes it) made before one of them existed
/// gets the built-in one, so that the page appears.
pub const OPTIONAL: &[&str] = &["data.html", "page.html"];

/// The loaded templates and where each came from, for error messages.
pub struct Templates {
    pub tera: tera::Tera,
    /// Template name → (path shown in messages, source text).
    sources: HashMap<String, (String, String)>,
    /// Page template name (and the card's and row's partials') → the digest of every template
    /// its pages may use, and of the strings.
    digests: HashMap<String, u64>,
    /// The theme's strings in the site's language.
    strings: crate::i18n::strings::Strings,
    /// The digest of the strings, part of every page's.
    strings_digest: u64,
    /// What loading the strings warned of (missing and unknown keys).
    warnings: Vec<Diagnostic>,
}

/// The sources of a site's templates: (name, path shown in messages, text), the site's
/// overrides in place of the theme's, as `build::read_templates` reads them.
pub type Sources = Vec<(String, String, String)>;

impl Templates {
    /// Compiles `sources` (of the theme shown in messages as `theme_shown`, such as
    /// `themes/default/templates`): fails on a template Tera refuses or a page template
    /// missing. `strings` are the theme's strings in the site's language, as
    /// `build::read_templates` reads them.
    pub fn compile(
        mut sources: Sources,
        theme_shown: &str,
        strings: crate::i18n::strings::Loaded,
    ) -> Result<Templates, Vec<Diagnostic>> {
        sources.sort();
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html", ".xml"]);
        register_filters(&mut tera);
        let language = strings.strings.language.clone();
        tera.register_filter(
            "fill",
            move |text: &tera::Value, kwargs: tera::Kwargs, _: &tera::State| {
                crate::i18n::strings::fill(&language, text, &kwargs)
            },
        );
        tera.global_context()
            .insert_value("strings", strings.strings.to_value());
        let strings_digest = crate::digest::of(&strings.strings);
        let templates = Templates {
            sources: sources
                .iter()
                .map(|(name, shown, text)| (name.clone(), (shown.clone(), text.clone())))
                .collect(),
            tera: tera::Tera::new(),
            digests: digests(&sources)
                .into_iter()
                .map(|(page, digest)| (page, crate::digest::of((digest, strings_digest))))
                .collect(),
            strings_digest,
            strings: strings.strings,
            warnings: strings.warnings,
        };
        tera.add_raw_templates(sources.iter().map(|(n, _, t)| (n.as_str(), t.as_str())))
            .map_err(|error| vec![templates.diagnose(&error, None)])?;
        for name in NAMES {
            if !tera.contains_template(name) {
                return Err(vec![
                    Diagnostic::error(
                        format!("{theme_shown}/{name}"),
                        format!("template `{name}` is missing"),
                    )
                    .with_hint(format!(
                        "add `templates/{name}` to the site or use a theme that has it"
                    )),
                ]);
            }
        }
        Ok(Templates { tera, ..templates })
    }
}

/// For each page template, the digest of the templates its pages may use: itself, every
/// template that is not a page template (`base.html`, partials, anything a site adds), every
/// template that may define a component, and, over and over, any page template whose name
/// one of those mentions (in `extends`, `include` or anywhere else). A change of `entry.html`
/// then leaves the list pages alone, while nothing a page uses can change unseen.
fn digests(sources: &[(String, String, String)]) -> HashMap<String, u64> {
    let is_page =
        |name: &str| name != "base.html" && (NAMES.contains(&name) || OPTIONAL.contains(&name));
    let shared: Vec<&(String, String, String)> = sources
        .iter()
        .filter(|(name, _, text)| !is_page(name) || text.contains("component"))
        .collect();
    let mut digests = HashMap::default();
    // The card and row partials are made on their own too (`Renderer::add_card_html`).
    let made_alone = NAMES
        .iter()
        .chain(OPTIONAL)
        .filter(|name| is_page(name))
        .chain([&super::CARD, &super::ROW]);
    for page in made_alone {
        let mut used = shared.clone();
        used.extend(
            sources
                .iter()
                .filter(|source| source.0 == *page && !shared.contains(source)),
        );
        loop {
            let more: Vec<&(String, String, String)> = sources
                .iter()
                .filter(|source| !used.contains(source))
                .filter(|(name, _, _)| used.iter().any(|(_, _, text)| text.contains(name.as_str())))
                .collect();
            if more.is_empty() {
                break;
            }
            used.extend(more);
        }
        used.sort();
        let used: Vec<(&String, &String)> =
            used.iter().map(|(name, _, text)| (name, text)).collect();
        digests.insert(page.to_string(), crate::digest::of(used));
    }
    digests
}

impl Templates {
    /// The digest of the templates that pages made with `template` may use.
    /// Whether there is a template of that name.
    pub fn has(&self, name: &str) -> bool {
        self.sources.contains_key(name)
    }

    pub fn digest_of(&self, template: &str) -> u64 {
        self.digests.get(template).copied().unwrap_or_else(|| {
            let mut sources: Vec<(&String, &String)> = self
                .sources
                .iter()
                .map(|(name, (_, text))| (name, text))
                .collect();
            sources.sort();
            crate::digest::of((sources, self.strings_digest))
        })
    }

    /// The theme's string `key` in the site's language (the key itself when the theme has
    /// no such string, which the built-in English strings rule out for gazette's own keys).
    pub fn string<'k>(&'k self, key: &'k str) -> &'k str {
        self.strings.get(key).unwrap_or(key)
    }

    /// The warnings of loading the theme's strings, for the build to report.
    pub fn warnings(&self) -> &[Diagnostic] {
        &self.warnings
    }

    /// Renders `template` with `context`; a failure names the template file, line and column,
    /// and what was being made (`rendering`, e.g. ``rendering `/a/` ``).
    pub fn render(
        &self,
        template: &str,
        context: &tera::Context,
        rendering: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|error| self.diagnose(&error, Some(rendering)))
    }

    /// Turns a Tera error into a diagnostic at the template's file, line and column, saying
    /// what was being made (`rendering`) when there is one.
    pub fn diagnose(&self, error: &tera::Error, rendering: Option<&str>) -> Diagnostic {
        let report = match error.kind() {
            tera::ErrorKind::SyntaxError(report) | tera::ErrorKind::RenderingError(report) => {
                Some(report)
            }
            _ => None,
        };
        let for_page = rendering.map(|r| format!(" ({r})")).unwrap_or_default();
        let hint = if matches!(error.kind(), tera::ErrorKind::SyntaxError(_)) {
            "Tera writes variables as `{{ name }}` and tags as `{% tag %}`"
        } else {
            "the variables of each template are listed in gazette's own docs/templates.md"
        };
        match report {
            Some(report) => {
                let (shown, text) = self
                    .sources
                    .get(report.filename())
                    .cloned()
                    .unwrap_or_else(|| (report.filename().to_string(), String::new()));
                let span = report.span();
                let message = report.message().trim_start_matches("error: ");
                Diagnostic::error(shown, format!("template error{for_page}: {message}"))
                    .at(&text, span.start_line, span.start_col + 1)
                    .with_hint(hint)
            }
            None => {
                let text = chain(error);
                // Tera checks every template's filters, tests, functions and includes when
                // it loads them, and reports what is missing as text: its first report is
                // placed like a syntax error, with the number of others.
                let reports = reports(&text);
                if let Some((message, name, line, column)) = reports.first()
                    && let Some((shown, source)) = self.sources.get(*name)
                {
                    let more = match reports.len() - 1 {
                        0 => String::new(),
                        1 => " (and 1 more such problem)".to_string(),
                        n => format!(" (and {n} more such problems)"),
                    };
                    return Diagnostic::error(
                        shown.clone(),
                        format!("template error{for_page}: {message}{more}"),
                    )
                    .at(source, *line, *column)
                    .with_hint(
                        "gazette's own docs/templates.md lists the templates, the variables and the filters it adds to Tera's",
                    );
                }
                let named = match error.kind() {
                    tera::ErrorKind::MissingParent { current: name, .. }
                    | tera::ErrorKind::CircularExtend { tpl: name, .. }
                    | tera::ErrorKind::CircularInclude { tpl: name, .. } => {
                        self.sources.get(name).map(|(shown, _)| shown.clone())
                    }
                    _ => None,
                };
                Diagnostic::error(
                    named.unwrap_or_else(|| "templates".to_string()),
                    format!(
                        "template error{for_page}: {}",
                        text.trim_start_matches("error: ")
                    ),
                )
                .with_hint(hint)
            }
        }
    }
}

/// The reports in Tera's text of several (`error: MESSAGE` then ` --> NAME:LINE:COLUMN`), in
/// order: message, template name, line and column.
fn reports(text: &str) -> Vec<(&str, &str, usize, usize)> {
    let mut found = Vec::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(message) = line.strip_prefix("error: ") else {
            continue;
        };
        let Some(place) = lines
            .peek()
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        else {
            continue;
        };
        let mut parts = place.rsplitn(3, ':');
        let (Some(column), Some(line), Some(name)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        if let (Ok(line), Ok(column)) = (line.parse(), column.parse()) {
            found.push((message, name, line, column));
        }
    }
    found
}

/// Tera's error and every cause below it, one per line.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str("\ncaused by: ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

fn register_filters(tera: &mut tera::Tera) {
    tera.register_filter(
        "date",
        |value: &str, kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<String> {
            let format: String = kwargs
                .get::<&str>("format")?
                .unwrap_or("%d %B %Y")
                .to_string();
            format_date(value, &format).ok_or_else(|| {
                tera::Error::message(format!(
                    "the `date` filter needs a date such as `2022-05-24` or `2022-05-24T09:30:00+07:00`, not `{value}`"
                ))
            })
        },
    );
}

/// Formats an ISO date or RFC 3339 date-time with a strftime `format`, in the time written.
pub fn format_date(value: &str, format: &str) -> Option<String> {
    if value.len() == 10 {
        let date: jiff::civil::Date = value.parse().ok()?;
        return jiff::fmt::strtime::format(format, date).ok();
    }
    let datetime: jiff::civil::DateTime = value.get(..19)?.parse().ok()?;
    jiff::fmt::strtime::format(format, datetime).ok()
}

#[cfg(test)]
mod tests {
    use super::format_date;

    #[test]
    fn date_filter_formats() {
        assert_eq!(
            format_date("2022-05-24", "%d %B %Y").as_deref(),
            Some("24 May 2022")
        );
        assert_eq!(
            format_date("2022-05-24T09:30:00+07:00", "%Y/%m/%d %H:%M").as_deref(),
            Some("2022/05/24 09:30")
        );
        assert_eq!(format_date("nope", "%Y"), None);
    }
}
