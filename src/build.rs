//! The build recipe, one step after the other: read the site (configuration, content,
//! static files, templates), then index it, plan its pages, render them, and hand every file
//! to a sink (the staging folder of `build`, memory for `serve`). Every read of the site
//! happens before rendering; nothing here writes. [`crate::session::Session`] runs it once
//! for `build` and again, keeping what it can, for `serve`.

use ahash::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rayon::prelude::*;

use crate::config::{self, Config};
use crate::diagnostic::{self, Diagnostic, Severity};
use crate::plan::Plan;
use crate::render::templates::{self, Templates};
use crate::render::{self, Contents, OutputFile};
use crate::{content, index, theme, tree};

/// What a build is asked to do beyond `site.yaml`.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Output folder instead of `output_dir`.
    pub output: Option<PathBuf>,
    /// `base_url` instead of the one in `site.yaml`.
    pub base_url: Option<String>,
    pub drafts: bool,
    pub future: bool,
    /// Warnings fail the build.
    pub strict: bool,
    /// The moment embargoes are judged against; the clock when `None`.
    pub now: Option<jiff::Timestamp>,
    /// Only check: render everything but write nothing, and report `check`'s extra warnings.
    pub check_only: bool,
}

/// What a successful build did.
#[derive(Debug, Clone)]
pub struct Summary {
    pub entries: usize,
    pub partners: usize,
    pub topics: usize,
    /// HTML pages rendered.
    pub pages: usize,
    /// Files in the output, pages included.
    pub files: usize,
    pub written: usize,
    pub unchanged: usize,
    pub warnings: Vec<Diagnostic>,
    /// The entries left out: drafts, embargoed entries and the next embargo to lift.
    pub held_back: content::HeldBack,
    /// The site's time zone (`timezone` of `site.yaml`).
    pub timezone: jiff::tz::TimeZone,
    pub output: PathBuf,
    pub elapsed: Duration,
    /// How long each step took.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Why a build failed.
#[derive(Debug)]
pub enum Failure {
    /// Problems in the site's files, every one of them (warnings included).
    Content(Vec<Diagnostic>),
    /// A problem that is not tied to a line of content: the output folder, IO.
    Other(anyhow::Error),
    /// The command line names something that is not there (exit code 2).
    Usage(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        Failure::Other(error)
    }
}

/// What one render keeps so that the next one redoes only what a change affects: the parsed
/// and rendered entries, the templates, and every generated file with the digest of what it
/// was made from.
#[derive(Default)]
pub(crate) struct Kept {
    pub(crate) content: content::Cache,
    pub(crate) templates: Option<std::sync::Arc<render::templates::Templates>>,
    pub(crate) memo: render::memo::Memo,
    /// The last render, when it succeeded: where a change of entries in place starts from.
    pub(crate) last: Option<KeptRender>,
}

/// What a successful render made besides its files' bytes (which the memo keeps).
pub(crate) struct KeptRender {
    pub(crate) indexes: index::Indexes,
    pub(crate) data: render::memo::EntryData,
    /// Every file, sorted by path.
    pub(crate) files: Vec<OutputFile>,
    /// Every page and feed it made.
    pub(crate) plan: Plan,
    /// Warnings of the steps after loading (colliding files, aliases).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// The result of rendering: every output file and the counts for the summary.
#[derive(Debug)]
pub struct Rendered {
    pub files: Vec<OutputFile>,
    /// Of `files`, how many are HTML pages.
    pub pages: usize,
    pub entries: usize,
    pub partners: usize,
    pub topics: usize,
    /// Warnings of a successful build.
    pub warnings: Vec<Diagnostic>,
    /// The entries left out of the build.
    pub held_back: content::HeldBack,
    /// How long each step took, for `--timings`.
    pub timings: Vec<(&'static str, std::time::Duration)>,
    /// Whether only entries had changed, each in a way that kept every page there was, so
    /// that the indexes were kept or updated from the last render's, and the redirects kept
    /// (see [`Session::update`]).
    pub in_place: bool,
    /// Whether, more than that, every card was what it was, so that only the entries' pages,
    /// the feeds and the exports were made again.
    pub same_cards: bool,
}

impl Rendered {
    /// The counts of a render of `content` after `plan`, with its warnings, and no files.
    pub(crate) fn of(content: &content::Content, plan: &Plan, warnings: Vec<Diagnostic>) -> Self {
        Rendered {
            pages: plan.pages.len(),
            entries: content.entries.len(),
            partners: plan.partners(),
            topics: content.topics.len(),
            files: Vec::new(),
            warnings,
            held_back: content.held_back.clone(),
            timings: Vec::new(),
            in_place: false,
            same_cards: false,
        }
    }
}

/// Loads, checks and renders the whole site, handing each file to `sink` as soon as it is
/// made (so a build never holds the whole site in memory); with `kept`, reuses what the last
/// render kept and keeps what the next one needs. `Rendered::files` is empty.
pub(crate) fn render(
    (config, options): (&Config, &BuildOptions),
    sink: render::Sink,
    mut kept: Option<&mut Kept>,
) -> Result<Rendered, Failure> {
    let mut clock = Clock::start();
    let now = load_options(options).now;
    let Read {
        content,
        static_files,
        templates,
        diagnostics,
    } = read((config, options), kept.as_deref_mut(), &mut clock)?;
    let indexes = index::build(&content);
    let plan = Plan::new(config, &content, &indexes, templates.has("data.html"));
    clock.lap("indexes");
    let failed = |error: render::RenderError| Failure::Content(vec![*error]);
    let written: Mutex<Vec<render::FileRef>> = Mutex::new(Vec::new());
    let put = |file: OutputFile| -> Result<(), render::RenderError> {
        if let Ok(mut written) = written.lock() {
            written.push(render::FileRef::from(&file));
        }
        sink(file)
    };
    let sources = render::Sources::new(config, &templates, &content, &indexes, &plan);
    let memo = kept.as_deref_mut().map(|kept| {
        let data = kept.memo.begin(config, &content);
        (&kept.memo, data)
    });
    let renderer = match memo {
        Some((memo, data)) => render::Renderer::with_memo(sources, memo, data),
        None => render::Renderer::new(sources),
    }
    .map_err(failed)?;
    make_files(&renderer, now, static_files, &put).map_err(failed)?;
    clock.lap("render pages, feeds, exports and sitemap");
    let mut written = (written.lock())
        .map(|mut w| std::mem::take(&mut *w))
        .unwrap_or_default();
    written.sort_by(|a, b| a.path.cmp(&b.path));
    let mut warnings = check_collisions(&written);
    warnings.extend(add_redirects(&renderer, &written, &put).map_err(failed)?);
    clock.lap("collisions and redirects");
    let mut diagnostics = diagnostics;
    diagnostics.extend(warnings.iter().cloned());
    let paths = written.iter().map(|f| f.path.as_str());
    diagnostics.extend(render::root_links::check(config, &content, paths));
    let diagnostics = judged(options, diagnostics)?;
    let rendered = Rendered::of(&content, &plan, diagnostics);
    let data = renderer.into_entry_data();
    match kept {
        Some(kept) => {
            let last = kept.last.replace(KeptRender {
                indexes,
                data,
                files: Vec::new(),
                plan,
                warnings,
            });
            crate::aside::drop_aside((last, content, written));
        }
        None => crate::aside::drop_aside((content, indexes, data, written, plan)),
    }
    Ok(Rendered {
        timings: clock.laps,
        ..rendered
    })
}

/// What a build reads of the site before it renders anything.
struct Read {
    content: content::Content,
    static_files: Vec<OutputFile>,
    templates: Arc<Templates>,
    /// The problems found so far, judged: none is an error.
    diagnostics: Vec<Diagnostic>,
}

/// Reads the content (through `kept`'s cache when there is one), the static files and the
/// templates (or takes those `kept` has), and judges the problems found.
fn read(
    (config, options): (&Config, &BuildOptions),
    mut kept: Option<&mut Kept>,
    clock: &mut Clock,
) -> Result<Read, Failure> {
    let load_options = load_options(options);
    let (content, mut diagnostics) = match kept.as_deref_mut() {
        Some(kept) => content::load_cached(config, &load_options, &mut kept.content),
        None => content::load(config, &load_options),
    };
    clock.lap("load content");
    // The site's other trees are read before anything is judged, so that one run reports
    // the links refused in every tree ([`crate::tree`]) along with the content's problems.
    let (static_files, refused) = static_files(config, &content);
    diagnostics.extend(refused);
    let templates = match kept.as_deref_mut() {
        Some(Kept {
            templates: Some(templates),
            ..
        }) => Ok(templates.clone()),
        _ => read_templates(config).map(|templates| {
            let templates = Arc::new(templates);
            if let Some(kept) = kept {
                kept.templates = Some(templates.clone());
            }
            templates
        }),
    };
    let templates = match templates {
        Ok(templates) => {
            diagnostics.extend(templates.warnings().iter().cloned());
            templates
        }
        Err(problems) => {
            diagnostics.extend(problems);
            return Err(
                match check_loaded((config, options), diagnostics, &content) {
                    Err(failure) => failure,
                    Ok(diagnostics) => Failure::Content(diagnostics),
                },
            );
        }
    };
    let diagnostics = check_loaded((config, options), diagnostics, &content)?;
    clock.lap("templates");
    Ok(Read {
        content,
        static_files,
        templates,
        diagnostics,
    })
}

/// Makes every file of the plan but the redirects into `put`: the pages, then the feeds and
/// exports (which need no page), the sitemap and the static files. When rendering for
/// `serve`, where a rebuild redoes little, pages and the rest are made side by side to answer
/// sooner; a build makes them one after the other, to hold less in memory at once.
fn make_files(
    renderer: &render::Renderer,
    now: jiff::Timestamp,
    static_files: Vec<OutputFile>,
    put: render::Sink,
) -> Result<(), render::RenderError> {
    let render::Renderer {
        config,
        content,
        indexes,
        plan,
        ..
    } = *renderer;
    let put_all = |files: Vec<OutputFile>| files.into_par_iter().try_for_each(put);
    let pages = || renderer.pages(put);
    let others = || {
        let reuse = renderer.reuse();
        render::feeds::feeds_into(config, content, (indexes, plan), now, reuse, put)?;
        put_all(renderer.exports(now))
    };
    let (pages, others) = if renderer.reuse().is_some() {
        rayon::join(pages, others)
    } else {
        (pages(), others())
    };
    pages?;
    others?;
    let page_list = render::sitemap::lastmods(content, indexes, plan);
    put_all(render::sitemap::sitemap(config, &page_list))?;
    put_all(static_files)
}

/// What loading the content is asked to do.
pub(crate) fn load_options(options: &BuildOptions) -> content::LoadOptions {
    content::LoadOptions {
        drafts: options.drafts,
        future: options.future,
        now: options.now.unwrap_or_else(jiff::Timestamp::now),
    }
}

/// The diagnostics of loading, with those of the configuration (and `check`'s); an error
/// among them (or, with `--strict`, a warning) fails the build.
pub(crate) fn check_loaded(
    (config, options): (&Config, &BuildOptions),
    mut diagnostics: Vec<Diagnostic>,
    content: &content::Content,
) -> Result<Vec<Diagnostic>, Failure> {
    if !config.has_absolute_base_url() {
        diagnostics.push(
            Diagnostic::warning(
                "site.yaml",
                format!("`base_url` `{}` is not absolute", config.base_url),
            )
            .with_hint(
                "canonical links need the full address, e.g. `base_url: https://example.org/`",
            ),
        );
    }
    if options.check_only {
        diagnostics.extend(check_extras(content));
    }
    judged(options, diagnostics)
}

/// `diagnostics` in the order they are read (causes first: [`crate::diagnostic::sort`]),
/// warnings made errors with `--strict`; an error among them fails the build. Run again
/// when the render adds its own (collisions, redirects, links from the site's root).
pub(crate) fn judged(
    options: &BuildOptions,
    mut diagnostics: Vec<Diagnostic>,
) -> Result<Vec<Diagnostic>, Failure> {
    if options.strict {
        for d in &mut diagnostics {
            d.severity = Severity::Error;
        }
    }
    crate::diagnostic::sort(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Failure::Content(diagnostics));
    }
    Ok(diagnostics)
}

/// Reads the templates: the theme folder (or the built-in default theme when the site has no
/// `themes/default/`), then every file in the site's `templates/`, which win; and compiles
/// them.
pub fn read_templates(config: &Config) -> Result<Templates, Vec<Diagnostic>> {
    let fence = crate::tree::Fence::new(&config.root, Some(&config.output_dir));
    let mut sources: Vec<(String, String, String)> = Vec::new();
    let theme_dir = config.theme_dir().join("templates");
    let theme_shown = format!("themes/{}/templates", config.theme);
    let there = |dir: &Path| std::fs::symlink_metadata(dir).is_ok();
    // `themes/` and the theme's folder are read through as links too, even when the theme
    // is not there and the built-in one is used.
    for dir in [config.root.join("themes"), config.theme_dir()] {
        fence.admit(&dir).map_err(|refused| vec![refused])?;
    }
    let strings = crate::i18n::strings::load(config, &fence)?;
    if there(&theme_dir) {
        read_dir(&fence, &theme_dir, &theme_shown, &mut sources)?;
    } else if config.theme == "default" {
        for (name, text) in crate::theme::TEMPLATES {
            sources.push((
                name.to_string(),
                format!("{theme_shown}/{name} (built in)"),
                text.to_string(),
            ));
        }
    } else {
        let line = config::line_of_key(&config.root, "theme");
        return Err(vec![Diagnostic::error("site.yaml", format!("theme `{}` not found", config.theme))
            .at(&line.1, line.0, 1)
            .with_hint(format!(
                "there is no folder `{theme_shown}`; name a folder under `themes/`, or remove `theme:` to use the default theme"
            ))]);
    }
    if config.theme == "default" {
        for name in templates::OPTIONAL {
            if !sources.iter().any(|(n, _, _)| n == name)
                && let Some((_, text)) = crate::theme::TEMPLATES.iter().find(|(n, _)| n == name)
            {
                sources.push((
                    name.to_string(),
                    format!("{theme_shown}/{name} (built in)"),
                    text.to_string(),
                ));
            }
        }
    }
    let site_dir = config.site_templates_dir();
    if there(&site_dir) {
        let mut overrides = Vec::new();
        read_dir(&fence, &site_dir, "templates", &mut overrides)?;
        for (name, shown, text) in overrides {
            sources.retain(|(n, _, _)| *n != name);
            sources.push((name, shown, text));
        }
    }
    Templates::compile(sources, &theme_shown, strings)
}

/// Reads every template under `dir` (shown in reports as `shown`), following the links
/// [`crate::tree`] allows and refusing the others.
fn read_dir(
    fence: &tree::Fence,
    dir: &Path,
    shown: &str,
    out: &mut Vec<(String, String, String)>,
) -> Result<(), Vec<Diagnostic>> {
    let tree = tree::walk(fence, dir);
    let mut problems = tree.problems;
    for found in tree.files {
        let key = found.rel;
        // Opened as `tree` opens what it walked: a template swapped for a link since the walk
        // is not read.
        let text = tree::read(&found.path).and_then(|bytes| {
            String::from_utf8(bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
        });
        match text {
            Ok(text) => out.push((key.clone(), format!("{shown}/{key}"), text)),
            Err(e) => problems.push(
                Diagnostic::error(
                    format!("{shown}/{key}"),
                    format!("cannot read the template: {e}"),
                )
                .with_hint("templates are UTF-8 text files"),
            ),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

pub(crate) fn load_config(site: &Path, options: &BuildOptions) -> Result<config::Config, Failure> {
    if site.exists() && !site.is_dir() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "`{}` is a file, not a site folder\nhint: pass the folder that holds `site.yaml` and `content/` with `--site DIR`",
            site.display()
        )));
    }
    if !site.is_dir() {
        return Err(Failure::Usage(anyhow::anyhow!(
            "the site folder `{}` does not exist\nhint: run gazette in a site folder or pass `--site DIR`",
            site.display()
        )));
    }
    let mut config = config::load(site).map_err(Failure::Content)?;
    if let Some(output) = &options.output {
        config.output_dir = output.clone();
    }
    if let Some(base_url) = &options.base_url {
        let url = config::site_address(base_url).map_err(|message| {
            Failure::Usage(anyhow::anyhow!(
                "{}\nhint: {}",
                message.replacen("`base_url`", "`--base-url`", 1),
                config::BASE_URL_HINT
            ))
        })?;
        config.base_path = config::base_path(&url);
        config.base_url = url;
    }
    Ok(config)
}

/// The output folder must not be, or contain, the site's own files.
pub(crate) fn check_output_location(config: &config::Config) -> anyhow::Result<()> {
    let out = tree::resolve(&config.output_dir);
    let root = tree::resolve(&config.root);
    let protected = [
        root.clone(),
        root.join("content"),
        root.join("templates"),
        root.join("static"),
        root.join("themes"),
    ];
    for dir in &protected {
        if dir.starts_with(&out) {
            anyhow::bail!(
                "the output folder `{}` would replace `{}`\nhint: choose an output folder of its own, such as `output`",
                config.output_dir.display(),
                dir.display()
            );
        }
        if out.starts_with(dir) && dir != &root {
            anyhow::bail!(
                "the output folder `{}` is inside `{}`, which the build reads\nhint: choose an output folder of its own, such as `output`",
                config.output_dir.display(),
                dir.display()
            );
        }
    }
    Ok(())
}

/// `check` also reports entries without partners or topics, and partners named once that look
/// like a registered one.
pub(crate) fn check_extras(content: &content::Content) -> Vec<Diagnostic> {
    let mut extras = Vec::new();
    let mut uses: HashMap<&str, usize> = HashMap::default();
    for entry in &content.entries {
        for p in &entry.partners {
            *uses.entry(p.id.as_str()).or_default() += 1;
        }
        if entry.partners.is_empty() {
            extras.push(
                Diagnostic::warning(&entry.file, "the entry names no partners")
                    .with_hint("add `partners:` so it appears on partner pages"),
            );
        }
        if entry.topics.is_empty() {
            extras.push(
                Diagnostic::warning(&entry.file, "the entry has no topics")
                    .with_hint("add `topics:` so it appears on topic pages"),
            );
        }
    }
    for partner in content.partners.iter().filter(|p| !p.registered) {
        if uses.get(partner.id.as_str()) == Some(&1) {
            let registered = content
                .partners
                .iter()
                .filter(|p| p.registered)
                .flat_map(|p| {
                    std::iter::once(p.name.as_str()).chain(p.aliases.iter().map(String::as_str))
                });
            if let Some(near) = diagnostic::suggest(&partner.name, registered) {
                let file = content
                    .entries
                    .iter()
                    .find(|e| e.partners.iter().any(|p| p.id == partner.id))
                    .map(|e| e.file.clone())
                    .unwrap_or_default();
                extras.push(
                    Diagnostic::warning(
                        file,
                        format!(
                            "partner `{}` is named once and resembles `{near}`",
                            partner.name
                        ),
                    )
                    .with_hint(format!("if it is the same partner, write `{near}`")),
                );
            }
        }
    }
    extras
}

/// Adds the redirect pages of entry aliases; an alias that lands on a page or another alias
/// is an error naming the entry.
pub(crate) fn add_redirects(
    renderer: &render::Renderer,
    files: &[render::FileRef],
    sink: render::Sink,
) -> Result<Vec<Diagnostic>, Box<Diagnostic>> {
    let mut problems = Vec::new();
    let (redirects, owners) = renderer.redirects();
    if redirects.is_empty() {
        // Most sites have no aliases: no need to list every path and folder.
        return Ok(problems);
    }
    let site: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    let folders: HashSet<&str> = files.iter().flat_map(|f| folders_of(&f.path)).collect();
    // The redirects written so far, with the file whose alias each is.
    let mut written: HashMap<String, PathBuf> = HashMap::default();
    for (file, (owner, place)) in redirects.into_iter().zip(owners) {
        let path = file.path.as_str();
        let taken = |p: &str| site.contains(p) || written.contains_key(p);
        let clash = match written.get(path) {
            Some(other) => Some(format!("an alias of `{}`", diagnostic::display_path(other))),
            None => (site.contains(path) || folders.contains(path) || folders_of(path).any(taken))
                .then(|| "a page or file of the site".to_string()),
        };
        match clash {
            Some(what) => {
                problems.push(
                    Diagnostic::error(
                        &owner,
                        format!(
                            "alias `/{}` is already {what}",
                            path.trim_end_matches("index.html")
                        ),
                    )
                    .at_place(&place)
                    .with_hint("remove the alias or point it at a URL nothing else uses"),
                );
            }
            None => {
                written.insert(file.path.clone(), owner);
                sink(file)?;
            }
        }
    }
    Ok(problems)
}

/// The folders a path lies in: `a/b/c.html` → `a`, `a/b`.
pub(crate) fn folders_of(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(i, _)| &path[..i])
}

/// The theme's static files, then the site's (which win), then the files beside entries;
/// and the links refused on the way ([`tree::walk`]).
pub(crate) fn static_files(
    config: &config::Config,
    content: &content::Content,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let fence = tree::Fence::new(&config.root, Some(&config.output_dir));
    let mut files: Vec<OutputFile> = Vec::new();
    let mut problems = Vec::new();
    let mut copy_tree = |dir: &Path, files: &mut Vec<OutputFile>| {
        let tree = tree::walk(&fence, dir);
        problems.extend(tree.problems);
        tree.files
            .into_iter()
            .map(|found| OutputFile {
                path: found.rel,
                contents: Contents::Copy(found.path),
            })
            .for_each(|file| {
                files.retain(|f| f.path != file.path);
                files.push(file);
            });
    };
    let theme_static = config.theme_dir().join("static");
    if fence.admit(&config.theme_dir()).is_err() {
        // A link the rule refuses: `templates::load` reports it, and nothing is read
        // through it.
    } else if std::fs::symlink_metadata(&theme_static).is_ok() {
        copy_tree(&theme_static, &mut files);
    } else if std::fs::symlink_metadata(config.theme_dir()).is_err() && config.theme == "default" {
        files.extend(theme::STATIC.iter().map(|(path, text)| OutputFile {
            path: path.to_string(),
            contents: Contents::Bytes(text.as_bytes().to_vec().into()),
        }));
    }
    copy_tree(&config.site_static_dir(), &mut files);
    files.extend(
        content
            .assets
            .iter()
            .chain(&content.media)
            .map(|asset| OutputFile {
                path: asset.path.clone(),
                contents: Contents::Copy(asset.source.clone()),
            }),
    );
    (files, problems)
}

/// A static file or a file beside an entry that lands on a generated page (or on a folder of
/// one) is an error.
pub(crate) fn check_collisions(files: &[render::FileRef]) -> Vec<Diagnostic> {
    let mut seen: HashMap<&str, &render::FileRef> = HashMap::default();
    let mut problems = Vec::new();
    let describe = |f: &render::FileRef| match &f.source {
        Some(source) => format!("`{}`", source.display()),
        None => "a generated page".to_string(),
    };
    let source_of = |f: &render::FileRef| match &f.source {
        Some(source) => source.clone(),
        None => PathBuf::from(&f.path),
    };
    for file in files {
        if let Some(first) = seen.get(file.path.as_str()) {
            problems.push(
                Diagnostic::error(
                    source_of(file),
                    format!(
                        "`/{}` would be written by both {} and {}",
                        file.path,
                        describe(first),
                        describe(file)
                    ),
                )
                .with_hint("rename or move one of them"),
            );
        } else {
            seen.insert(&file.path, file);
        }
    }
    let mut reported = HashSet::default();
    for file in files {
        for folder in folders_of(&file.path) {
            if !reported.insert(folder) {
                continue;
            }
            if let Some(other) = seen.get(folder) {
                problems.push(
                    Diagnostic::error(
                        source_of(other),
                        format!(
                            "`/{folder}` is a file from {}, but {} needs a folder there",
                            describe(other),
                            describe(file)
                        ),
                    )
                    .with_hint("rename or move one of them"),
                );
            }
        }
    }
    problems
}

/// Times the steps of a build.
pub(crate) struct Clock {
    last: std::time::Instant,
    pub(crate) laps: Vec<(&'static str, std::time::Duration)>,
}

impl Clock {
    pub(crate) fn start() -> Clock {
        Clock {
            last: std::time::Instant::now(),
            laps: Vec::new(),
        }
    }

    pub(crate) fn lap(&mut self, name: &'static str) {
        let now = std::time::Instant::now();
        self.laps.push((name, now - self.last));
        self.last = now;
    }
}
