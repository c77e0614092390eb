//! `gazette init` and `gazette new`: writing a new site, and a new entry in a site.
//!
//! [`init`] writes a site that builds as it is: `site.yaml`, the default theme (from the copy
//! built into the binary, [`crate::theme`]), a partner registry and two sample entries.
//! [`new_entry`] writes one entry file with valid front matter, resolving partner names
//! against the registry. Neither ever overwrites a file. Nothing here prints.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{self, Config};
use crate::content::{self, frontmatter};
use crate::diagnostic::{self, Diagnostic};
use crate::{slug, theme};

/// The files of a new site besides the theme: `(path, text)`.
const SITE_FILES: &[(&str, &str)] = &[
    ("site.yaml", include_str!("scaffold/site.yaml")),
    (".gitignore", "/output/\n"),
    (
        "content/partners.yaml",
        include_str!("scaffold/partners.yaml"),
    ),
    (
        "content/engagements/2025-03-14-working-meeting-with-the-coastal-fisheries-cooperative.md",
        include_str!("scaffold/engagement.md"),
    ),
    (
        "content/press-releases/2025-04-02-cooperation-agreement-signed.md",
        include_str!("scaffold/press-release.md"),
    ),
    ("content/pages/about.md", include_str!("scaffold/about.md")),
];

/// The accessibility statement `init` writes, its `reviewed:` the day of the `init`.
const ACCESSIBILITY: &str = include_str!("scaffold/accessibility.md");

/// Writes a new site into `dir`, which must not exist or be empty. Returns the files written,
/// relative to `dir`.
pub fn init(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    refuse_unless_empty(dir)?;
    let files = site_files();
    // Written into a hidden folder inside `dir`, whose top-level files and folders are then
    // renamed into place, so that a disk that fills up (or any other failure) on the way
    // leaves no half-made site to refuse on the next try: `dir` is left empty, or not there
    // when this made it. `dir` may be `.`, or a link to an empty folder.
    let made = !dir.exists();
    fs::create_dir_all(dir)
        .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", dir.display()))?;
    let staging = dir.join(format!(".gazette-init-{}", std::process::id()));
    let written = fs::create_dir(&staging)
        .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", staging.display()))
        .and_then(|()| {
            files
                .iter()
                .try_for_each(|(path, text)| create(&staging.join(path), text))
        })
        .and_then(|()| {
            let mut tops: Vec<&std::ffi::OsStr> = files
                .iter()
                .filter_map(|(path, _)| path.components().next())
                .map(|c| c.as_os_str())
                .collect();
            tops.sort();
            tops.dedup();
            tops.into_iter().try_for_each(|top| {
                fs::rename(staging.join(top), dir.join(top)).map_err(|e| {
                    anyhow::anyhow!("cannot create `{}`: {e}", dir.join(top).display())
                })
            })
        });
    if let Err(error) = written {
        clear(dir, made);
        let shown = error
            .to_string()
            .replace(&staging.display().to_string(), &dir.display().to_string());
        anyhow::bail!(
            "{shown}; nothing was created\nhint: free some space (or fix the folder's permissions) and run `gazette init` again"
        );
    }
    let _ = fs::remove_dir(&staging);
    Ok(files.into_iter().map(|(path, _)| path).collect())
}

/// An error unless `dir` is an empty folder or not there.
fn refuse_unless_empty(dir: &Path) -> anyhow::Result<()> {
    if !dir.exists() {
        return Ok(());
    }
    if !dir.is_dir() {
        anyhow::bail!(
            "`{}` is a file\nhint: give the name of a new folder",
            dir.display()
        );
    }
    let empty = fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", dir.display()))?
        .next()
        .is_none();
    if !empty {
        anyhow::bail!(
            "the folder `{}` is not empty; refusing to overwrite it\nhint: give the name of a new folder, or an empty one",
            dir.display()
        );
    }
    Ok(())
}

/// The files of a new site, by path within it: `site.yaml`, the sample content and the
/// default theme.
fn site_files() -> Vec<(PathBuf, std::borrow::Cow<'static, str>)> {
    let theme = Path::new("themes").join("default");
    let mut files: Vec<(PathBuf, std::borrow::Cow<'static, str>)> = SITE_FILES
        .iter()
        .map(|(path, text)| (PathBuf::from(path), (*text).into()))
        .collect();
    // The new site's time zone is UTC.
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    files.push((
        PathBuf::from("content/pages/accessibility.md"),
        ACCESSIBILITY
            .replace("{reviewed}", &today.to_string())
            .into(),
    ));
    files.extend(
        theme::TEMPLATES
            .iter()
            .map(|(name, text)| (theme.join("templates").join(name), (*text).into())),
    );
    files.extend(
        theme::STATIC
            .iter()
            .map(|(name, text)| (theme.join("static").join(name), (*text).into())),
    );
    files.extend(
        theme::STRINGS
            .iter()
            .map(|(name, text)| (theme.join("i18n").join(name), (*text).into())),
    );
    files
}

/// Empties `dir` after a failed `init` (it was empty before), and removes it when `init`
/// `made` it.
fn clear(dir: &Path, made: bool) {
    if let Ok(items) = fs::read_dir(dir) {
        for item in items.flatten() {
            let path = item.path();
            let _ = if item.file_type().is_ok_and(|t| t.is_dir()) {
                fs::remove_dir_all(&path)
            } else {
                fs::remove_file(&path)
            };
        }
    }
    if made {
        let _ = fs::remove_dir(dir);
    }
}

/// What `gazette new` is asked to write.
#[derive(Debug, Clone, Default)]
pub struct NewOptions {
    /// The site folder.
    pub site: PathBuf,
    pub title: String,
    /// `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or RFC 3339; today in the site's time zone when `None`.
    pub date: Option<String>,
    /// A kind id of `site.yaml`; the first kind when `None`.
    pub kind: Option<String>,
    /// Partner names, matched against `content/partners.yaml`.
    pub partners: Vec<String>,
    /// The slug of the file name (and so of the URL); made from the title when `None`.
    pub slug: Option<String>,
}

/// The entry `new` wrote.
#[derive(Debug)]
pub struct Created {
    /// The new file, inside the site folder as given.
    pub path: PathBuf,
    /// Partners not in the registry, with "did you mean" hints.
    pub warnings: Vec<Diagnostic>,
}

/// Why `new` wrote nothing.
#[derive(Debug)]
pub enum NewError {
    /// An argument is wrong (title, date, kind): the message says which and how to fix it.
    Usage(String),
    /// `site.yaml` has errors.
    Config(Vec<Diagnostic>),
    /// The file exists already, or cannot be written.
    Other(anyhow::Error),
}

/// The folder of a kind's entries under `content/`: the kind id and an `s` (`engagement` →
/// `engagements`, `press-release` → `press-releases`).
pub fn kind_folder(kind: &str) -> String {
    format!("{kind}s")
}

/// Writes `content/<kind folder>/<date>-<slug>.md` with the front matter of a new entry.
pub fn new_entry(options: &NewOptions) -> Result<Created, NewError> {
    if !options.site.is_dir() {
        return Err(NewError::Other(anyhow::anyhow!(
            "the site folder `{}` does not exist\nhint: run gazette in a site folder or pass `--site DIR`",
            options.site.display()
        )));
    }
    // `site.yaml` is optional, so a folder with neither it nor `content/` is not a site: an
    // entry written there would start a new one by accident.
    if !options.site.join("site.yaml").is_file() && !options.site.join("content").is_dir() {
        return Err(NewError::Usage(format!(
            "`{}` is not a site: it has no `site.yaml` and no `content/` folder\nhint: pass the site's folder with `--site DIR`, or start a new site with `gazette init DIR`",
            options.site.display()
        )));
    }
    let config = config::load(&options.site).map_err(NewError::Config)?;
    let title = options.title.trim();
    if title.is_empty() {
        return Err(NewError::Usage(
            "the title is empty\nhint: give the entry a title, e.g. `gazette new \"Visit to Washington\"`"
                .into(),
        ));
    }
    let kind = pick_kind(&config, options.kind.as_deref())?;
    let (date, date_text) = pick_date(&config, options.date.as_deref())?;
    let slug = pick_slug(title, options.slug.as_deref())?;
    let rel = Path::new("content")
        .join(kind_folder(&kind))
        .join(format!("{date}-{slug}.md"));
    let (partners, warnings) = resolve_partners(&config, &rel, &options.partners);
    let text = front_matter(title, &date_text, &kind, &partners);
    let path = options.site.join(&rel);
    create(&path, &text).map_err(NewError::Other)?;
    Ok(Created { path, warnings })
}

/// The slug the file is named with: `wanted` when it is a slug, else one made from the title.
/// A title in a script other than Latin would give a transliteration no reader of either
/// language recognises (`khnaphuuaeth…` for a Thai title), so it needs `--slug`.
fn pick_slug(title: &str, wanted: Option<&str>) -> Result<String, NewError> {
    if let Some(wanted) = wanted {
        let wanted = wanted.trim();
        return match slug::is_slug(wanted) {
            true => Ok(wanted.to_string()),
            false => Err(NewError::Usage(format!(
                "`{wanted}` is not a slug\nhint: a slug uses only lowercase letters, digits and single dashes, e.g. `{}`",
                slug::slugify(wanted)
            ))),
        };
    }
    if let Some(letter) = title.chars().find(|&c| c.is_alphabetic() && !is_latin(c)) {
        return Err(NewError::Usage(format!(
            "the title is not in the Latin alphabet (`{letter}`), so gazette cannot make the file's name and address from it\nhint: give them with `--slug` in lowercase Latin letters, digits and dashes, e.g. `--slug visit-to-washington`"
        )));
    }
    Ok(slug::slugify(title))
}

/// Whether `c` is a letter of the Latin script (with its accented forms), as far as Unicode's
/// Latin blocks go: Basic Latin, Latin-1, Latin Extended-A/B, IPA, and Latin Extended Additional.
fn is_latin(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{2AF}' | '\u{1E00}'..='\u{1EFF}' | '\u{2C60}'..='\u{2C7F}' | '\u{A720}'..='\u{A7FF}')
}

fn pick_kind(config: &Config, wanted: Option<&str>) -> Result<String, NewError> {
    let Some(wanted) = wanted else {
        return Ok(config.kinds[0].id.clone());
    };
    let wanted = wanted.trim();
    if config.kind(wanted).is_some() {
        return Ok(wanted.to_string());
    }
    let ids: Vec<&str> = config.kinds.iter().map(|k| k.id.as_str()).collect();
    let hint = match diagnostic::suggest(wanted, ids.iter().copied()) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!("the kinds of this site are: {}", ids.join(", ")),
    };
    Err(NewError::Usage(format!(
        "unknown kind `{wanted}`\nhint: {hint}"
    )))
}

/// The date for the file name (in the site's time zone) and the text for the front matter.
fn pick_date(
    config: &Config,
    wanted: Option<&str>,
) -> Result<(jiff::civil::Date, String), NewError> {
    let Some(wanted) = wanted else {
        let today = jiff::Timestamp::now()
            .to_zoned_datetime(config.timezone.clone())
            .date();
        return Ok((today, today.to_string()));
    };
    let wanted = wanted.trim();
    let (zoned, _) = frontmatter::parse_date(wanted, &config.timezone).map_err(|message| {
        NewError::Usage(format!(
            "{message}\nhint: {}",
            frontmatter::date_hint(wanted)
        ))
    })?;
    Ok((zoned.date(), wanted.to_string()))
}

/// Partners as the registry names them; unknown ones as written, with a warning.
fn resolve_partners(
    config: &Config,
    file: &Path,
    names: &[String],
) -> (Vec<String>, Vec<Diagnostic>) {
    let (registry, problems) = content::partners::load(&config.root, str::to_string);
    let mut warnings = Vec::new();
    if problems.iter().any(Diagnostic::is_error) && !names.is_empty() {
        warnings.push(
            Diagnostic::warning(
                content::partners::FILE,
                "the partner registry has errors; partners were not checked",
            )
            .with_hint("run `gazette check` to see them"),
        );
    }
    let mut partners: Vec<String> = Vec::new();
    for name in names {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        let resolved = match registry.find(name) {
            Some(partner) => partner.name.clone(),
            None => {
                let hint = match registry.suggest(name) {
                    Some(near) => format!(
                        "did you mean `{near}`? Otherwise add it to `{}`",
                        content::partners::FILE
                    ),
                    None => format!(
                        "add it to `{}` if it is a partner you work with again",
                        content::partners::FILE
                    ),
                };
                warnings.push(
                    Diagnostic::warning(file, format!("partner `{name}` is not in the registry"))
                        .with_hint(hint),
                );
                name.to_string()
            }
        };
        if !partners.contains(&resolved) {
            partners.push(resolved);
        }
    }
    (partners, warnings)
}

/// The body `new` writes, for the writer to replace: `check` and `build` warn about an entry
/// that still has it.
pub const PLACEHOLDER_BODY: &str = "Write the entry here, in Markdown.";

fn front_matter(title: &str, date: &str, kind: &str, partners: &[String]) -> String {
    let date = if date.len() == 10 {
        date.to_string()
    } else {
        quote(date)
    };
    let mut text = format!("---\ntitle: {}\ndate: {date}\nkind: {kind}\n", quote(title));
    if partners.is_empty() {
        text.push_str("partners: []\n");
    } else {
        text.push_str("partners:\n");
        for partner in partners {
            text.push_str(&format!("  - {}\n", quote(partner)));
        }
    }
    text.push_str("topics: []\n---\n\n");
    text.push_str(PLACEHOLDER_BODY);
    text.push('\n');
    text
}

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML, with every character
/// that would need care (`"`, `\`, control characters) escaped.
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into())
}

/// Creates `path` (and its folders) with `text`; never overwrites.
fn create(path: &Path, text: &str) -> anyhow::Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", parent.display()))?;
    }
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                anyhow::anyhow!(
                    "`{}` already exists; refusing to overwrite it\nhint: edit that file, or choose another title or date",
                    path.display()
                )
            } else {
                anyhow::anyhow!("cannot create `{}`: {e}", path.display())
            }
        })?;
    file.write_all(text.as_bytes())
        .map_err(|e| anyhow::anyhow!("cannot write `{}`: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_titles_safely() {
        assert_eq!(quote("Visit: day 2"), r#""Visit: day 2""#);
        assert_eq!(
            quote(r#"The "new" plan \ more"#),
            r#""The \"new\" plan \\ more""#
        );
        assert_eq!(quote("- yes # no"), r#""- yes # no""#);
    }

    #[test]
    fn kind_folders_are_plural() {
        assert_eq!(kind_folder("engagement"), "engagements");
        assert_eq!(kind_folder("press-release"), "press-releases");
    }
}
