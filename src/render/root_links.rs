//! Links and images of entry bodies written from the site's root (`/engagements/x/`,
//! `/img/a.png`), looked for among the files a render made: each must name a page or file of
//! the site, or it is an error. The base path was put in front of them when the body was
//! rendered ([`crate::markdown`]); this only checks. Pure: it is given the list of files.

use ahash::HashSet;

use crate::config::Config;
use crate::content::{Content, MOST_BODY_PROBLEMS};
use crate::diagnostic::{self, Diagnostic};

/// An error for each root link of `content`'s entries that names no file of `paths` (the
/// output-relative paths the render made, `engagements/x/index.html`) and no alias of an
/// entry (whose redirect pages are written after this list is made).
pub fn check<'p>(
    config: &Config,
    content: &Content,
    paths: impl IntoIterator<Item = &'p str>,
) -> Vec<Diagnostic> {
    let entries = (content.entries.iter()).map(|e| (e.file.as_path(), &e.root_links));
    let pages = (content.pages.iter()).map(|p| (p.file.as_path(), &p.root_links));
    let mut links = entries
        .chain(pages)
        .flat_map(|(file, links)| links.iter().map(move |link| (file, link)))
        .peekable();
    if links.peek().is_none() {
        return Vec::new();
    }
    let redirects: Vec<String> = (content.entries.iter())
        .flat_map(|e| e.aliases.iter())
        .map(|alias| index_file(alias).unwrap_or_else(|| alias.clone()))
        .collect();
    let mut site: HashSet<&str> = paths.into_iter().collect();
    site.extend(redirects.iter().map(String::as_str));
    let mut urls: Option<Vec<String>> = None;
    let mut problems = Vec::new();
    // Per entry, as for the other problems of a text: the first ones, then how many more.
    let mut shown: (Option<&std::path::Path>, usize) = (None, 0);
    let mut more: Vec<(&std::path::Path, usize)> = Vec::new();
    for (file, link) in links {
        if names_a_file(&site, &link.path) {
            continue;
        }
        if shown.0 != Some(file) {
            shown = (Some(file), 0);
        }
        shown.1 += 1;
        if shown.1 > MOST_BODY_PROBLEMS {
            match more.last_mut() {
                Some((last, count)) if *last == file => *count += 1,
                _ => more.push((file, 1)),
            }
            continue;
        }
        // The site's pages and files as links would write them, for "did you mean": a name
        // close to the one written, in the same folder.
        let urls = urls.get_or_insert_with(|| {
            let mut urls: Vec<String> = (site.iter())
                .map(|p| p.strip_suffix("index.html").unwrap_or(p).to_string())
                .collect();
            urls.sort();
            urls
        });
        let what = if link.image { "image" } else { "link" };
        let hint = hint_for(urls, link);
        let base = match config.base_path.as_str() {
            "/" => String::new(),
            base => format!(" (under the base path `{base}`)"),
        };
        let more = match link.more {
            0 => String::new(),
            1 => "; 1 more link of this file leads there".to_string(),
            n => format!("; {n} more links of this file lead there"),
        };
        problems.push(
            Diagnostic::error(
                file,
                format!(
                    "{what} `{}` names no page or file of the site{base}{more}",
                    link.written
                ),
            )
            .at_place(&link.place)
            .with_hint(hint),
        );
    }
    for (file, count) in more {
        problems.push(
            Diagnostic::error(
                file,
                format!("{count} more links from the site's root name nothing and are not shown"),
            )
            .with_hint("fix the ones above and build again"),
        );
    }
    problems
}

/// The hint for a root link that names nothing: a page or file of the site (`urls`, sorted)
/// with a name close to the one written, in the same folder; else what such a path names.
fn hint_for(urls: &[String], link: &crate::model::RootLink) -> String {
    let (folder, name) = split_last(&link.path);
    // An entry's URL leaves out the date its file name starts with: a link written with
    // it is the commonest near miss.
    let name = undated(name);
    let near = diagnostic::suggest(
        name,
        (urls.iter())
            .map(|url| split_last(url))
            .filter(|(f, n)| *f == folder && !n.is_empty())
            .map(|(_, n)| n),
    );
    match near {
        Some(near) => format!("did you mean `/{folder}{near}`?"),
        None if link.image => format!(
            "a path from the site's root names a file the build publishes: one under `static/` (`static/{}`) or beside an entry under `content/`",
            link.path
        ),
        None => "a path from the site's root names a page or file the build makes (an entry's URL, `/timeline/`, a file under `static/` or `content/`); to link an entry, write its file as `@/engagements/2022-05-24-visit.md`".to_string(),
    }
}

/// Whether `path` (site-relative, `engagements/x/`, `img/a.png`, `` for home) names a file of
/// `site`, as a web server would find it: a folder by its `index.html`, and a folder written
/// without its last `/` too (servers redirect it).
fn names_a_file(site: &HashSet<&str>, path: &str) -> bool {
    match index_file(path) {
        Some(index) => site.contains(index.as_str()),
        None => site.contains(path) || site.contains(format!("{path}/index.html").as_str()),
    }
}

/// `engagements/x/` → `engagements/x/index.html`, `` → `index.html`; `None` for a file.
fn index_file(path: &str) -> Option<String> {
    (path.is_empty() || path.ends_with('/')).then(|| format!("{path}index.html"))
}

/// `engagements/visit/` → (`engagements/`, `visit/`), `img/a.png` → (`img/`, `a.png`).
fn split_last(path: &str) -> (&str, &str) {
    let trimmed = path.strip_suffix('/').unwrap_or(path);
    let at = trimmed.rfind('/').map_or(0, |i| i + 1);
    (&path[..at], &path[at..])
}

/// `washington-talks/` of `2022-05-24-washington-talks/`; any other name as it is.
fn undated(name: &str) -> &str {
    let b = name.as_bytes();
    let dated = b.len() > 11
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && [4, 7, 10].iter().all(|&i| b[i] == b'-');
    if dated { &name[11..] } else { name }
}
