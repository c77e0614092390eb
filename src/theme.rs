//! The default theme, built into the binary so a site without a `themes/default/` folder (and
//! `gazette init` from an installed binary) still has every template and stylesheet.

macro_rules! theme_files {
    ($dir:literal: $($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../themes/default/", $dir, "/", $name)))),*]
    };
}

/// `(name, text)` of every template of the default theme.
pub const TEMPLATES: &[(&str, &str)] = theme_files!("templates":
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
    "data.html",
    "page.html",
    "404.html",
    "partials/card.html",
    "partials/row.html",
    "partials/pager.html",
    "partials/chart.html",
    "partials/chart_table.html",
    "partials/timeline_section.html",
);

/// `(file name, text)` of the default theme's strings files (`i18n/<code>.yaml`), also
/// used by a theme that has no such file.
pub const STRINGS: &[(&str, &str)] = theme_files!("i18n": "en.yaml", "th.yaml");

/// `(output path, text)` of every static file of the default theme.
pub const STATIC: &[(&str, &str)] = theme_files!("static": "style.css", "search.js", "favicon.svg");
