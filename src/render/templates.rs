//! Tera setup: the theme's templates, then the site's overrides, and our few filters.

use std::path::Path;

use crate::config::Config;
use crate::theme;

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
    "404.html",
];

/// Loads the templates: the theme folder (or the built-in default theme when the site has no
/// `themes/default/`), then every `.html` in the site's `templates/`, which win.
pub fn load(config: &Config) -> anyhow::Result<tera::Tera> {
    let mut sources: Vec<(String, String)> = Vec::new();
    let theme_dir = config.theme_dir().join("templates");
    if theme_dir.is_dir() {
        read_dir(&theme_dir, &mut sources)?;
    } else if config.theme == "default" {
        for (name, text) in theme::TEMPLATES {
            sources.push((name.to_string(), text.to_string()));
        }
    } else {
        anyhow::bail!(
            "theme `{}` not found: there is no folder `themes/{}/templates`\nhint: set `theme:` in site.yaml to a folder under `themes/`, or remove it to use the default theme",
            config.theme,
            config.theme
        );
    }
    let site_dir = config.site_templates_dir();
    if site_dir.is_dir() {
        let mut overrides = Vec::new();
        read_dir(&site_dir, &mut overrides)?;
        for (name, text) in overrides {
            sources.retain(|(n, _)| *n != name);
            sources.push((name, text));
        }
    }
    sources.sort();
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    register_filters(&mut tera);
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .map_err(|error| anyhow::anyhow!("{}", chain(&error)))?;
    for name in NAMES {
        if !tera.contains_template(name) {
            anyhow::bail!(
                "template `{name}` is missing\nhint: add `templates/{name}` to the site or use a theme that has it"
            );
        }
    }
    Ok(tera)
}

fn read_dir(dir: &Path, out: &mut Vec<(String, String)>) -> anyhow::Result<()> {
    for item in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let item =
            item.map_err(|e| anyhow::anyhow!("cannot read templates in `{}`: {e}", dir.display()))?;
        if !item.file_type().is_file() {
            continue;
        }
        let name = item.file_name().to_string_lossy();
        if crate::content::is_ignored(&name) {
            continue;
        }
        let Ok(relative) = item.path().strip_prefix(dir) else {
            continue;
        };
        let key = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        let text = std::fs::read_to_string(item.path()).map_err(|e| {
            anyhow::anyhow!("cannot read template `{}`: {e}", item.path().display())
        })?;
        out.push((key, text));
    }
    Ok(())
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
