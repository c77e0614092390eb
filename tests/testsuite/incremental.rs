//! The incremental rebuild of `serve` ([`Session::update`]) against a fresh render, after every
//! step of a long sequence of edits: every file byte for byte, and the same warnings or the
//! same errors.
//!
//! The edits are of every kind a writer makes (bodies, titles, dates, kinds, partners, topics,
//! links between entries, drafts, embargoes, files beside entries, new, renamed and deleted
//! entries and folders, the partner registry, templates, static files), first scripted, then
//! drawn from a seeded random sequence on a site of 60 entries, so that a page left stale by a
//! missing dependency shows up as a difference.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use gazette::session::Session;
use gazette::{BuildOptions, Failure};

fn options() -> BuildOptions {
    BuildOptions {
        now: Some("2026-01-01T00:00:00Z".parse().unwrap()),
        ..BuildOptions::default()
    }
}

/// What a render gives, comparable: files by path, warnings as printed, or the errors.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Built {
        files: BTreeMap<String, Vec<u8>>,
        warnings: Vec<String>,
    },
    Failed(Vec<String>),
}

fn outcome(result: Result<gazette::session::Rendered, Failure>) -> Outcome {
    match result {
        Ok(rendered) => Outcome::Built {
            files: rendered
                .files
                .into_iter()
                .map(|f| (f.path, f.contents.read().unwrap().to_vec()))
                .collect(),
            warnings: rendered.warnings.iter().map(|d| d.to_string()).collect(),
        },
        Err(Failure::Content(diagnostics)) => {
            Outcome::Failed(diagnostics.iter().map(|d| d.to_string()).collect())
        }
        Err(other) => Outcome::Failed(vec![format!("{other:?}")]),
    }
}

/// A fresh render, as `serve` starts with; checked against a build's, which keeps nothing
/// and makes some things (rows of the year pages) as it goes rather than ahead.
fn fresh(site: &Path) -> Outcome {
    let mut session = Session::open(site, &options()).unwrap();
    let rendered = outcome(session.render());
    assert_same("a build", &built(site), &rendered);
    rendered
}

/// What `build` makes of the site, in memory.
fn built(site: &Path) -> Outcome {
    let files = std::sync::Mutex::new(Vec::new());
    let mut session = Session::open(site, &options()).unwrap();
    let result = session.render_to(&|file| {
        files.lock().unwrap().push(file);
        Ok(())
    });
    outcome(result.map(|rendered| gazette::session::Rendered {
        files: files.into_inner().unwrap(),
        ..rendered
    }))
}

/// Compares two outcomes, naming the first file that differs.
fn assert_same(step: &str, updated: &Outcome, expected: &Outcome) {
    if updated == expected {
        return;
    }
    match (updated, expected) {
        (
            Outcome::Built {
                files: a,
                warnings: wa,
            },
            Outcome::Built {
                files: b,
                warnings: wb,
            },
        ) => {
            let paths_a: Vec<&String> = a.keys().collect();
            let paths_b: Vec<&String> = b.keys().collect();
            assert_eq!(paths_a, paths_b, "after {step}: the files differ");
            for (path, bytes) in a {
                if b[path] != *bytes {
                    panic!(
                        "after {step}: `{path}` differs from a fresh render\n--- update:\n{}\n--- fresh:\n{}",
                        String::from_utf8_lossy(bytes),
                        String::from_utf8_lossy(&b[path])
                    );
                }
            }
            assert_eq!(wa, wb, "after {step}: the warnings differ");
        }
        _ => assert_eq!(updated, expected, "after {step}"),
    }
}

/// A site being edited, with the session that follows it.
struct Editor {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    session: Session,
    steps: usize,
    /// Whether the last update found only entry bodies changed ([`Rendered::same_cards`]).
    bodies_only: bool,
    /// Whether it found only entries changed in place ([`Rendered::in_place`]).
    in_place: bool,
    /// The way each update took: `bodies` ([`Rendered::same_cards`]), `in place`
    /// ([`Rendered::in_place`]) or `whole`.
    ways: Vec<&'static str>,
}

impl Editor {
    fn new(files: &[(&str, String)]) -> Editor {
        let tmp = tempfile::Builder::new()
            .prefix("gazette-incremental-")
            .tempdir()
            .unwrap();
        let root = tmp.path().join("site");
        for (rel, text) in files {
            let path = root.join(rel);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, text).unwrap();
        }
        let mut session = Session::open(&root, &options()).unwrap();
        let first = outcome(session.render());
        assert!(matches!(first, Outcome::Built { .. }), "{first:?}");
        Editor {
            _tmp: tmp,
            root,
            session,
            steps: 0,
            bodies_only: false,
            in_place: false,
            ways: Vec::new(),
        }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn write(&mut self, rel: &str, text: &str) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, text).unwrap();
        self.check(&format!("writing {rel}"), &[rel]);
    }

    /// Writes a file of bytes (a photo), then updates.
    fn write_bytes(&mut self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        self.check(&format!("writing {rel}"), &[rel]);
    }

    /// Writes several files, then updates once.
    fn write_all(&mut self, files: &[(&str, &str)]) {
        for (rel, text) in files {
            fs::write(self.path(rel), text).unwrap();
        }
        let rels: Vec<&str> = files.iter().map(|(rel, _)| *rel).collect();
        self.check(&format!("writing {}", rels.join(", ")), &rels);
    }

    fn remove(&mut self, rel: &str) {
        let path = self.path(rel);
        if path.is_dir() {
            fs::remove_dir_all(&path).unwrap();
        } else {
            fs::remove_file(&path).unwrap();
        }
        self.check(&format!("removing {rel}"), &[rel]);
    }

    fn rename(&mut self, from: &str, to: &str) {
        let target = self.path(to);
        fs::create_dir_all(target.parent().unwrap()).unwrap();
        fs::rename(self.path(from), target).unwrap();
        self.check(&format!("renaming {from} to {to}"), &[from, to]);
    }

    /// Updates the session after `changed`, and compares it with a fresh render.
    fn check(&mut self, step: &str, changed: &[&str]) {
        self.steps += 1;
        let changed: Vec<PathBuf> = changed.iter().map(|rel| self.path(rel)).collect();
        let result = self.session.update(&changed);
        self.bodies_only = matches!(&result, Ok(rendered) if rendered.same_cards);
        self.in_place = matches!(&result, Ok(rendered) if rendered.in_place);
        self.ways.push(match (self.bodies_only, self.in_place) {
            (true, _) => "bodies",
            (false, true) => "in place",
            (false, false) => "whole",
        });
        let updated = outcome(result);
        let expected = fresh(&self.root);
        assert_same(
            &format!("step {} ({step})", self.steps),
            &updated,
            &expected,
        );
    }
}

const SITE: &str =
    "title: Incremental\nbase_url: https://example.org/\ntimezone: Asia/Bangkok\nper_page: 3\n";

const REGISTRY: &str = "- id: harbour-board\n  name: Harbour Board\n  aliases: [The Harbour Board]\n  type: government\n  description: Runs the port.\n\n- id: river-trust\n  name: River Trust\n  type: ngo\n";

fn entry(title: &str, date: &str, kind: &str, partners: &str, topics: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nkind: {kind}\npartners: [{partners}]\ntopics: [{topics}]\n---\n{body}\n"
    )
}

/// The `n`th of the entries that fill several pages of each list.
fn filler(n: usize) -> (String, String) {
    let text = entry(
        &format!("N{n}"),
        &format!("2024-04-0{}", n + 1),
        "engagement",
        "Harbour Board",
        "ports",
        &format!("New {n}."),
    );
    (
        format!("content/engagements/2024-04-0{}-n{n}.md", n + 1),
        text,
    )
}

/// The default theme's `entry.html` with `marker` at the top of `<main>`.
fn entry_template(marker: &str) -> String {
    theme_template("entry.html", marker)
}

/// The default theme's template `name` with `marker` at the top of `<main>`.
fn theme_template(name: &str, marker: &str) -> String {
    let (_, text) = gazette::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == name)
        .unwrap();
    text.replacen(
        "{% block main %}",
        &format!("{{% block main %}}<p>{marker}</p>"),
        1,
    )
}

#[test]
fn every_kind_of_edit_matches_a_fresh_render() {
    let a = "content/engagements/2024-01-10-a.md";
    let b = "content/engagements/2024-02-01-b.md";
    let c = "content/press/2024-03-05-c.md";
    let mut site = Editor::new(&[
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (
            a,
            entry(
                "A",
                "2024-01-10",
                "engagement",
                "Harbour Board",
                "ports",
                "First. See [B](2024-02-01-b.md).",
            ),
        ),
        (
            b,
            entry(
                "B",
                "2024-02-01",
                "engagement",
                "River Trust, Sea Watch",
                "rivers",
                "Second.",
            ),
        ),
        (
            c,
            entry(
                "C",
                "2024-03-05",
                "press-release",
                "Harbour Board",
                "ports, rivers",
                "Third. [A](@/engagements/2024-01-10-a.md)",
            ),
        ),
    ]);
    // Bodies and titles.
    site.write(
        a,
        &entry(
            "A",
            "2024-01-10",
            "engagement",
            "Harbour Board",
            "ports",
            "First, edited. See [B](2024-02-01-b.md).",
        ),
    );
    site.write(
        b,
        &entry(
            "B renamed",
            "2024-02-01",
            "engagement",
            "River Trust, Sea Watch",
            "rivers",
            "Second.",
        ),
    );
    // A date that moves the entry to another year and past its neighbours.
    site.write(
        b,
        &entry(
            "B renamed",
            "2023-06-01T10:00",
            "engagement",
            "River Trust, Sea Watch",
            "rivers",
            "Second.",
        ),
    );
    // Kind, partners (an alias, an unregistered name), topics.
    site.write(
        c,
        &entry(
            "C",
            "2024-03-05",
            "engagement",
            "The Harbour Board, Coast Guild",
            "ports",
            "Third. [A](@/engagements/2024-01-10-a.md)",
        ),
    );
    // New entries, to fill several pages of each list.
    for n in 0..7 {
        let (rel, text) = filler(n);
        site.write(&rel, &text);
    }
    // A draft, then linked to (an error), then published.
    site.write(
        "content/engagements/2024-05-01-draft.md",
        "---\ntitle: Draft\ndate: 2024-05-01\ndraft: true\n---\nNot yet.\n",
    );
    site.write(
        a,
        &entry(
            "A",
            "2024-01-10",
            "engagement",
            "Harbour Board",
            "ports",
            "See [the draft](2024-05-01-draft.md).",
        ),
    );
    // A file that only the draft links to waits for it; a published entry that links to it
    // too publishes it, and no longer does once the link is gone.
    site.write("content/engagements/plan.pdf", "the plan");
    let c_with = |body: &str| {
        let partners = "The Harbour Board, Coast Guild";
        entry("C", "2024-03-05", "engagement", partners, "ports", body)
    };
    site.write(
        "content/engagements/2024-05-01-draft.md",
        "---\ntitle: Draft\ndate: 2024-05-01\ndraft: true\n---\nSee [the plan](plan.pdf).\n",
    );
    site.write(
        c,
        &c_with("Third. [A](@/engagements/2024-01-10-a.md) [Plan](../engagements/plan.pdf)"),
    );
    site.write(c, &c_with("Third. [A](@/engagements/2024-01-10-a.md)"));
    site.write(
        "content/engagements/2024-05-01-draft.md",
        "---\ntitle: Draft\ndate: 2024-05-01\ndraft: true\n---\nNot yet.\n",
    );
    site.write(
        "content/engagements/2024-05-01-draft.md",
        "---\ntitle: Draft\ndate: 2024-05-01\ndraft: true\n---\nSee [the plan](plan.pdf).\n",
    );
    site.write(
        "content/engagements/2024-05-01-draft.md",
        "---\ntitle: Draft\ndate: 2024-05-01\n---\nNow out.\n",
    );
    // An embargo in the future, then lifted.
    site.write(
        "content/press/2024-06-01-later.md",
        "---\ntitle: Later\ndate: 2024-06-01\nkind: press-release\npublish_at: 2030-01-01\n---\nLater.\n",
    );
    site.write(
        "content/press/2024-06-01-later.md",
        "---\ntitle: Later\ndate: 2024-06-01\nkind: press-release\n---\nLater.\n",
    );
    // A file beside the entries: linked while missing (a warning), added, removed.
    site.write(
        b,
        &entry(
            "B renamed",
            "2023-06-01T10:00",
            "engagement",
            "River Trust",
            "rivers",
            "The [map](map.png).",
        ),
    );
    site.write("content/engagements/map.png", "not really a picture");
    site.remove("content/engagements/map.png");
    // A broken entry, then fixed.
    site.write(c, "---\ntitle: C\ndate: 2024-13-45\n---\nBad date.\n");
    site.write(
        c,
        &entry(
            "C",
            "2024-03-05",
            "press-release",
            "Harbour Board",
            "ports",
            "Fixed.",
        ),
    );
    // Renames: an entry (its URL changes, and the link to it), then a whole folder.
    site.rename(
        "content/engagements/2024-01-10-a.md",
        "content/engagements/2024-01-10-a-moved.md",
    );
    site.write(
        c,
        &entry(
            "C",
            "2024-03-05",
            "press-release",
            "Harbour Board",
            "ports",
            "[A](@/engagements/2024-01-10-a-moved.md)",
        ),
    );
    site.rename("content/press", "content/statements");
    // The registry: a partner gains a record, another changes its name.
    site.write(
        "content/partners.yaml",
        &format!("{REGISTRY}\n- id: sea-watch\n  name: Sea Watch\n  type: ngo\n"),
    );
    site.write(
        "content/partners.yaml",
        &REGISTRY.replace(
            "name: River Trust",
            "name: River Trust Foundation\n  aliases: [River Trust]",
        ),
    );
    // Templates and static files.
    site.write("templates/entry.html", &entry_template("templated"));
    site.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}{% block main %}{{ oops( }}{% endblock %}",
    );
    site.remove("templates/entry.html");
    // A page template that another page template extends; a partial of the list pages.
    site.write("templates/search.html", "{% extends \"404.html\" %}");
    site.write("templates/404.html", &theme_template("404.html", "moved"));
    let card = gazette::theme::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "partials/card.html")
        .unwrap()
        .1;
    site.write(
        "templates/partials/card.html",
        &format!("{card}<!-- card -->"),
    );
    let row = gazette::theme::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "partials/row.html")
        .unwrap()
        .1;
    site.write("templates/partials/row.html", &format!("{row}<!-- row -->"));
    site.remove("templates/404.html");
    site.remove("templates/search.html");
    site.remove("templates/partials/card.html");
    site.remove("templates/partials/row.html");
    site.write("static/extra.css", "body { color: black }\n");
    site.remove("static/extra.css");
    // Deletions, down to one entry.
    site.remove("content/engagements/2024-02-01-b.md");
    site.remove("content/statements");
    site.remove("content/engagements/2024-05-01-draft.md");
    // The configuration.
    site.write("site.yaml", &SITE.replace("per_page: 3", "per_page: 2"));
}

#[test]
fn body_edits_render_only_what_they_change() {
    let a = "content/engagements/2024-01-10-a.md";
    let b = "content/engagements/2024-02-01-b.md";
    let draft = "content/engagements/2024-05-01-draft.md";
    let front_a = "---\ntitle: A\ndate: 2024-01-10\nkind: engagement\npartners: [Harbour Board, Sea Watch]\ntopics: [ports]\n---\n";
    let front_b = "---\ntitle: B\ndate: 2024-02-01\nkind: engagement\npartners: [River Trust]\ntopics: [rivers]\n---\n";
    let front_draft = "---\ntitle: Draft\ndate: 2024-05-01\ndraft: true\n---\n";
    let with = |front: &str, rest: &str| format!("{front}The lead stays.\n\n{rest}\n");
    let mut files = vec![
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (a, with(front_a, "First.")),
        (
            b,
            with(front_b, "Second. [A](@/engagements/2024-01-10-a.md)"),
        ),
        (draft, with(front_draft, "Not yet.")),
    ];
    let fillers: Vec<(String, String)> = (0..7).map(filler).collect();
    files.extend(
        fillers
            .iter()
            .map(|(rel, text)| (rel.as_str(), text.clone())),
    );
    let mut site = Editor::new(&files);
    let steps: Vec<(&str, String, bool)> = vec![
        // Below the lead: the cards stay, only bodies are made again.
        (a, with(front_a, "Second paragraph."), true),
        (
            a,
            with(
                front_a,
                "## A heading\n\nWith a [link](@/engagements/2024-02-01-b.md) and a footnote.[^1]\n\n[^1]: Here.",
            ),
            true,
        ),
        (b, with(front_b, "No link any more."), true),
        // A broken link fails the build; until a build succeeds again, edits go the whole way.
        (
            a,
            with(front_a, "A [broken](@/engagements/missing.md) link."),
            false,
        ),
        (b, with(front_b, "Edited while A is broken."), false),
        (a, with(front_a, "Mended."), false),
        (a, with(front_a, "Mended again."), true),
        // A link to a draft is an error too; the draft's own body is not published.
        (
            a,
            with(front_a, "See [the draft](2024-05-01-draft.md)."),
            false,
        ),
        (a, with(front_a, "No draft."), false),
        (draft, with(front_draft, "Still not yet."), true),
        // What lists show: the lead (the summary), the title, the partners.
        (
            a,
            with(front_a, "No draft.").replace("The lead stays.", "A new lead."),
            false,
        ),
        (a, with(front_a, "No draft."), false),
        (
            a,
            with(&front_a.replace("title: A", "title: A2"), "No draft."),
            false,
        ),
        (
            b,
            with(&front_b.replace("River Trust", "Coast Guild"), "Hi."),
            false,
        ),
        (
            b,
            with(&front_b.replace("River Trust", "Coast Guild"), "Hello."),
            true,
        ),
    ];
    for (rel, text, bodies_only) in steps {
        site.write(rel, &text);
        assert_eq!(site.bodies_only, bodies_only, "step {}: {text}", site.steps);
    }
    // A folder beside files whose names start like it: walked in another order than the
    // paths sort in, and still recognised.
    let (nested, beside) = (
        "content/engagements/2024-02-01-b/c.md",
        "content/engagements/2024-02-01-b-2.md",
    );
    let front_c = "---\ntitle: C\ndate: 2024-03-01\nkind: engagement\n---\n";
    for (rel, text) in [(nested, "First."), (beside, "First.")] {
        site.write(rel, &with(front_c, text));
        site.write(rel, &with(front_c, "Second."));
        assert!(site.bodies_only, "{rel}");
    }
    // An entry that becomes a link to a file outside the site, with the same front matter.
    let outside = site._tmp.path().join("outside.md");
    fs::write(&outside, with(front_a, "From outside.")).unwrap();
    fs::remove_file(site.path(a)).unwrap();
    std::os::unix::fs::symlink(&outside, site.path(a)).unwrap();
    site.check("linking an entry out of the site", &[a]);
    assert!(!site.bodies_only);
    fs::remove_file(site.path(a)).unwrap();
    site.write(a, &with(&front_a.replace("title: A", "title: A2"), "Back."));
    // Two bodies in one change.
    site.write_all(&[
        (
            a,
            &with(&front_a.replace("title: A", "title: A2"), "Both, one."),
        ),
        (
            b,
            &with(&front_b.replace("River Trust", "Coast Guild"), "Both, two."),
        ),
    ]);
    assert!(site.bodies_only);
}

#[test]
fn front_matter_edits_that_keep_an_entry_in_place_render_its_lists_again() {
    let a = "content/engagements/2024-01-10-a.md";
    let b = "content/engagements/2024-02-01-b.md";
    let newest = "content/engagements/2024-06-01-newest.md";
    let front_a = "---\ntitle: A\ndate: 2024-01-10\nkind: engagement\npartners: [Harbour Board, Sea Watch]\ntopics: [ports]\naliases: [/old/a/]\nupdates:\n  - date: 2024-01-12\n    note: Corrected a name.\n---\n";
    let front_b = "---\ntitle: B\ndate: 2024-02-01\nkind: engagement\npartners: [River Trust]\ntopics: [rivers]\n---\n";
    let front_newest =
        "---\ntitle: Newest\ndate: 2024-06-01\nkind: engagement\npartners: [Harbour Board]\n---\n";
    let with = |front: &str| format!("{front}The lead.\n\nMore.\n");
    // Each entry's front matter with one change.
    let edit_a = |from: &str, to: &str| with(&front_a.replace(from, to));
    let edit_b = |from: &str, to: &str| with(&front_b.replace(from, to));
    let edit_newest = |from: &str, to: &str| with(&front_newest.replace(from, to));
    let at_end = |line: &str| front_a.replace("\n---\n", &format!("\n{line}\n---\n"));
    let source = |name: &str| at_end(&format!("source: {{name: {name}}}"));
    let mut files = vec![
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (a, with(front_a)),
        (b, with(front_b)),
        (newest, with(front_newest)),
    ];
    let fillers: Vec<(String, String)> = (0..7).map(filler).collect();
    files.extend(
        fillers
            .iter()
            .map(|(rel, text)| (rel.as_str(), text.clone())),
    );
    let mut site = Editor::new(&files);
    // (file, its new text, whether the entry kept its place, whether moreover its card stayed)
    let mut steps: Vec<(&str, String, bool, bool)> = vec![
        // What the entry's page, cards, feeds and exports show, and nothing else.
        (a, edit_a("title: A", "title: A, retitled"), true, false),
        (
            a,
            edit_a("title: A", "title: A\nlocation: Bangkok\nsummary: Short."),
            false,
            false,
        ),
        (
            a,
            edit_a(
                "title: A",
                "title: A again\nlocation: Hua Hin\nsummary: Shorter.",
            ),
            true,
            false,
        ),
        // Back to two lines fewer above the partners; then the source, on no card, below them.
        (a, with(&source("Ministry")), false, false),
        (a, with(&source("Ministry of Labour")), true, true),
        // The note of an update shows on the entry's page only; its date is in the sitemap.
        (
            a,
            edit_a("Corrected a name.", "Corrected two names."),
            true,
            true,
        ),
        (
            a,
            edit_a("Corrected a name.", "Corrected three names."),
            true,
            true,
        ),
        (a, with(front_a), true, true),
        // A withdrawal marks every card and moves `updated`; its reason shows on the page.
        (
            a,
            with(&at_end("withdrawn: {date: 2024-03-01, reason: Replaced.}")),
            true,
            false,
        ),
        (
            a,
            with(&at_end(
                "withdrawn: {date: 2024-03-01, reason: Replaced again.}",
            )),
            true,
            false,
        ),
        (a, with(front_a), true, false),
        // A minor update: `updated` goes back to the entry's date.
        (
            a,
            edit_a("Corrected a name.", "Corrected a name.\n    minor: true"),
            true,
            false,
        ),
        (a, with(front_a), true, false),
    ];
    // The dates of the entry and of its updates, each changed and then back: the sitemap's
    // dates, its place on the timeline and in its lists, but the same lists, each with the
    // same pages.
    let redated = [
        front_a.replace("2024-01-12", "2024-01-13"),
        front_a.replace("date: 2024-01-10", "date: 2024-01-11"),
        // Past the partner's and the topic's entries of April, and B; then past the newest.
        front_a.replace("date: 2024-01-10", "date: 2024-04-04 12:00"),
        front_a.replace("date: 2024-01-10", "date: 2024-07-01"),
    ];
    for front in &redated {
        steps.push((a, with(front), true, false));
        steps.push((a, with(front_a), true, false));
    }
    let march = front_a
        .replace("date: 2024-01-10", "date: 2024-03-01")
        .replace("title: A", "title: A in March");
    steps.extend([
        // Another year: the timeline gains a year, and the way back loses it.
        (
            a,
            edit_a("date: 2024-01-10", "date: 2023-12-31"),
            false,
            false,
        ),
        (a, with(front_a), false, false),
        // A date and the title at once.
        (a, with(&march), true, false),
    ]);
    // The entry's place among the others, each changed from `front_a` on lines of their own,
    // then back: kind, an unregistered partner, a topic no entry has, aliases, URL, drafts,
    // embargoes. Neither way is in place.
    let moved = [
        front_a.replace("kind: engagement", "kind: press-release"),
        front_a.replace("Sea Watch", "Coast Guild"),
        front_a.replace("[ports]", "[ports, fisheries]"),
        front_a.replace("/old/a/", "/older/a/"),
        at_end("slug: a-moved"),
        at_end("draft: true"),
        at_end("publish_at: 2099-01-01"),
    ];
    steps.push((a, with(front_a), true, false));
    for front in &moved {
        steps.push((a, with(front), false, false));
        steps.push((a, with(front_a), false, false));
    }
    steps.extend([
        // An embargo already over, moved: published either way, still not in place.
        (a, with(&at_end("publish_at: 2023-01-01")), false, false),
        (a, with(&at_end("publish_at: 2023-01-02")), false, false),
        (a, with(front_a), false, false),
        // A line that names partners and changed otherwise: the warning shows that line.
        (
            a,
            edit_a("Sea Watch]", "Sea Watch] # an unregistered one"),
            false,
            false,
        ),
        (a, with(front_a), false, false),
        // Registered partners, named otherwise: the same lists (in place), another one with
        // room on its last page (in place), then one whose last page is full (a page more:
        // the general way), and back.
        (
            newest,
            edit_newest("[Harbour Board]", "[The Harbour Board]"),
            true,
            false,
        ),
        (
            newest,
            edit_newest("[Harbour Board]", "[Harbour Board, River Trust]"),
            true,
            false,
        ),
        (newest, with(front_newest), true, false),
        (
            b,
            edit_b("[River Trust]", "[River Trust, Harbour Board]"),
            false,
            false,
        ),
        (b, with(front_b), false, false),
        // A topic the site has, written as every entry writes it: in place both ways.
        (a, edit_a("[ports]", "[ports, rivers]"), true, false),
        (a, with(front_a), true, false),
        // Written otherwise: which entry names it first decides how it is shown, so while
        // the first (A) writes it otherwise, it cannot leave.
        (a, edit_a("[ports]", "[Ports]"), false, false),
        (a, edit_a("[ports]", "[rivers]"), false, false),
        (a, with(front_a), true, false),
        // The only entry of a topic leaves it: the topic goes, and comes back.
        (b, edit_b("[rivers]", "[ports]"), false, false),
        (b, with(front_b), false, false),
        // Another kind: B's leaves the engagements a page fewer (the general way); then A's
        // does not, and back.
        (
            b,
            edit_b("kind: engagement", "kind: press-release"),
            false,
            false,
        ),
        (
            a,
            edit_a("kind: engagement", "kind: press-release"),
            true,
            false,
        ),
        (a, with(front_a), true, false),
        (b, with(front_b), false, false),
        // The same partner a line lower, and the topics with it: nothing any page shows.
        (b, edit_b("[River Trust]", "\n  - River Trust"), true, true),
        (b, with(front_b), true, true),
        // The newest and the oldest entry have one neighbour each.
        (
            newest,
            edit_newest("title: Newest", "title: Latest"),
            true,
            false,
        ),
        (
            "content/engagements/2024-04-01-n0.md",
            fillers[0].1.replace("title: N0", "title: First filler"),
            true,
            false,
        ),
        // An invalid front matter fails; the next edit goes the whole way.
        (b, edit_b("title: B", "title: [B"), false, false),
        (b, edit_b("title: B", "title: B mended"), false, false),
        (b, edit_b("title: B", "title: B again"), true, false),
    ]);
    for (rel, text, in_place, bodies_only) in steps {
        site.write(rel, &text);
        let step = format!("step {}: {text}", site.steps);
        assert_eq!(site.in_place, in_place, "{step}");
        assert_eq!(site.bodies_only, bodies_only, "{step}");
    }
    // Two entries in one change: one retitled, one edited below the lead.
    site.write_all(&[
        (a, &with(&front_a.replace("title: A", "title: A twice"))),
        (
            b,
            &format!(
                "{}The lead.\n\nMore, and more.\n",
                front_b.replace("title: B", "title: B again")
            ),
        ),
    ]);
    assert!(site.in_place && !site.bodies_only);
}

#[test]
fn an_edit_in_place_that_breaks_a_list_and_a_page_reports_what_a_fresh_render_reports() {
    // Templates that fail on an entry without a location: the card of every list, and the
    // entry's page.
    let (_, card) = gazette::theme::TEMPLATES
        .iter()
        .find(|(n, _)| *n == "partials/card.html")
        .unwrap();
    let card = card.replacen("<article>", "<article>{{ e.location | upper }}", 1);
    let entry = |n: usize, location: &str| {
        format!(
            "---\ntitle: E{n}\ndate: 2024-01-1{n}\nkind: engagement\npartners: [Harbour Board]\ntopics: [ports]\n{location}---\nBody {n}.\n"
        )
    };
    let names: Vec<String> = (0..5).map(|n| format!("content/e{n}.md")).collect();
    let mut files = vec![
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        ("templates/partials/card.html", card),
        (
            "templates/entry.html",
            theme_template("entry.html", "{{ entry.location | upper }}"),
        ),
    ];
    for (n, name) in names.iter().enumerate() {
        files.push((name, entry(n, "location: Bangkok\n")));
    }
    let mut site = Editor::new(&files);
    site.write(&names[2], &entry(2, "location: Hua Hin\n"));
    assert!(site.in_place);
    // Both fail now; the check compares the errors with a fresh render's.
    site.write(&names[2], &entry(2, ""));
}

#[test]
fn a_file_held_back_for_a_draft_follows_edits_in_place() {
    let public = "content/engagements/2024-02-01-public.md";
    let draft = "content/engagements/2024-03-01-draft.md";
    let page = |title: &str, body: &str| {
        format!(
            "---\ntitle: {title}\ndate: 2024-02-01\nkind: engagement\npartners: [River Trust]\n---\nThe lead.\n\n{body}\n"
        )
    };
    let draft_text =
        |body: &str| format!("---\ntitle: Draft\ndate: 2024-03-01\ndraft: true\n---\n{body}\n");
    let mut site = Editor::new(&[
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (public, page("Public", "Text.")),
        (draft, draft_text("See [the plan](plan.pdf).")),
        ("content/engagements/plan.pdf", "the plan".to_string()),
    ]);
    // A published entry's body links to the held-back file, then no longer does.
    site.write(public, &page("Public", "Text, and [the plan](plan.pdf)."));
    site.write(public, &page("Public", "Text."));
    // The same from the site's root, and in raw HTML.
    site.write(
        public,
        &page("Public", "Text, and [the plan](/engagements/plan.pdf)."),
    );
    site.write(public, &page("Public", "Text."));
    site.write(
        public,
        &page("Public", "Text, and <a href=\"plan.pdf\">the plan</a>."),
    );
    site.write(public, &page("Public", "Text."));
    // The draft stops linking to it, then links to it again.
    site.write(draft, &draft_text("Not yet."));
    site.write(draft, &draft_text("See [the plan](plan.pdf)."));
    // A new published entry that links to it.
    site.write(
        "content/engagements/2024-02-02-new.md",
        &page("New", "The [plan](plan.pdf)."),
    );
    // Every one of these edits changes which files are held back, or is a draft's, which
    // the last load did not read: none goes in place, and each matches a fresh render.
    assert_eq!(site.ways, ["whole"; 9]);
}

#[test]
fn a_link_from_the_site_root_is_checked_after_an_edit_in_place() {
    let public = "content/engagements/2024-02-01-public.md";
    let page = |body: &str| {
        format!(
            "---\ntitle: Public\ndate: 2024-02-01\nkind: engagement\npartners: [River Trust]\n---\nThe lead.\n\n{body}\n"
        )
    };
    let mut site = Editor::new(&[
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (public, page("Text.")),
        (
            "content/notes/n.md",
            "---\ntitle: N\ndate: 2024-01-01\n---\nN.\n".to_string(),
        ),
    ]);
    // A page the build makes, an entry's page, then a page that does not exist (an error,
    // as a fresh render reports it), then fixed.
    site.write(public, &page("See [the trust](/partners/river-trust/)."));
    assert!(site.in_place);
    site.write(public, &page("See [the note](/notes/n/)."));
    site.write(public, &page("See [the note](/notes/m/)."));
    site.write(public, &page("See [the note](/notes/n/)."));
}

#[test]
fn an_entry_reached_through_a_link_follows_a_change_of_what_it_points_to() {
    let b = "content/engagements/2024-02-01-b.md";
    let front = |title: &str| {
        format!(
            "---\ntitle: {title}\ndate: 2024-02-01\nkind: engagement\npartners: [River Trust]\n---\nThe lead.\n"
        )
    };
    let mut site = Editor::new(&[
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (b, front("B")),
        ("content/notes/n.md", front("N")),
    ]);
    // A file linked to an entry, and a folder linked to a folder of entries: the watcher
    // reports a change at the path of the target only.
    std::os::unix::fs::symlink("2024-02-01-b.md", site.path("content/engagements/a.md")).unwrap();
    std::os::unix::fs::symlink("notes", site.path("content/mirror")).unwrap();
    site.check(
        "adding links",
        &["content/engagements/a.md", "content/mirror"],
    );
    site.write(b, &front("B retitled"));
    assert!(!site.in_place);
    site.write(b, &format!("{}More.\n", front("B retitled")));
    site.write("content/notes/n.md", &front("N retitled"));
    site.write(
        "content/notes/n.md",
        &format!("{}More.\n", front("N retitled")),
    );
}

/// A small deterministic random number generator (xorshift), so that the sequence is the
/// same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

#[test]
fn a_random_sequence_of_edits_matches_a_fresh_render() {
    const PARTNERS: &[&str] = &[
        "Harbour Board",
        "River Trust",
        "The Harbour Board",
        "Sea Watch",
        "Coast Guild",
    ];
    const TOPICS: &[&str] = &["ports", "rivers", "fishing", "trade"];
    const KINDS: &[&str] = &["engagement", "press-release"];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let make = |rng: &mut Rng, n: usize, title: &str| {
        let year = 2019 + rng.below(6);
        let month = 1 + rng.below(12);
        let day = 1 + rng.below(28);
        let partners: Vec<&str> = (0..1 + rng.below(3)).map(|_| rng.pick(PARTNERS)).collect();
        let topics: Vec<&str> = (0..rng.below(3)).map(|_| rng.pick(TOPICS)).collect();
        let link = match rng.below(4) {
            0 => format!(" See [another](@/e{}.md).", rng.below(60)),
            _ => String::new(),
        };
        let draft = if rng.below(10) == 0 {
            "draft: true\n"
        } else {
            ""
        };
        format!(
            "---\ntitle: {title} {n}\ndate: {year}-{month:02}-{day:02}\nkind: {}\npartners: [{}]\ntopics: [{}]\n{draft}---\nBody of {n}, version {}.{link}\n",
            rng.pick(KINDS),
            partners.join(", "),
            topics.join(", "),
            rng.below(1000),
        )
    };
    let mut files = vec![
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
    ];
    let names: Vec<String> = (0..60).map(|n| format!("content/e{n}.md")).collect();
    for (n, name) in names.iter().enumerate().take(40) {
        // No links while the site is made: they may point at entries not written yet.
        let mut text = make(&mut rng, n, "Entry");
        if let Some(at) = text.find(" See [") {
            text.truncate(at);
            text.push('\n');
        }
        files.push((name.as_str(), text.replace("draft: true\n", "")));
    }
    let mut site = Editor::new(&files);
    let mut present: Vec<bool> = (0..60).map(|n| n < 40).collect();
    for _ in 0..120 {
        let n = site_pick(&mut rng, &present);
        match rng.below(10) {
            0 if present[n] => {
                site.remove(&names[n]);
                present[n] = false;
            }
            1 => {
                let to = rng.below(60);
                if present[n] && !present[to] {
                    site.rename(&names[n], &names[to]);
                    present[n] = false;
                    present[to] = true;
                }
            }
            2 | 3 if present[n] => {
                // The body below its first paragraph: the entry's card stays the same.
                let path = site.path(&names[n]);
                let text = fs::read_to_string(&path).unwrap();
                let front = text.find("\n---\n").map_or(0, |at| at + 5);
                let link = match rng.below(3) {
                    0 => format!(" See [another](@/e{}.md).", rng.below(60)),
                    _ => String::new(),
                };
                let body = format!("Lead of {n}.\n\nMore, version {}.{link}\n", rng.below(1000));
                site.write(&names[n], &format!("{}{body}", &text[..front]));
            }
            _ => {
                let title = if rng.below(2) == 0 {
                    "Entry"
                } else {
                    "Retitled"
                };
                let text = make(&mut rng, n, title);
                site.write(&names[n], &text);
                present[n] = true;
            }
        }
    }
}

/// Any of the 60 entry slots, present or not.
fn site_pick(rng: &mut Rng, present: &[bool]) -> usize {
    rng.below(present.len())
}

#[test]
fn a_change_reported_outside_the_site_folder_redoes_everything() {
    let a = "content/2024-01-10-a.md";
    let mut site = Editor::new(&[
        ("site.yaml", SITE.to_string()),
        (
            a,
            entry(
                "A",
                "2024-01-10",
                "engagement",
                "Harbour Board",
                "ports",
                "First.",
            ),
        ),
    ]);
    fs::write(
        site.path(a),
        entry(
            "A, edited",
            "2024-01-10",
            "engagement",
            "River Trust",
            "ports",
            "Edited.",
        ),
    )
    .unwrap();
    let updated = outcome(site.session.update(&[PathBuf::from("/elsewhere/a.md")]));
    assert_same("a change reported elsewhere", &updated, &fresh(&site.root));
}

/// An entry of [`random_front_matter_edits_match_a_fresh_render`], as its fields are now.
#[derive(Clone)]
struct Drawn {
    title: String,
    date: String,
    kind: &'static str,
    updates: Vec<String>,
    partners: Vec<&'static str>,
    topics: Vec<&'static str>,
    /// Partners as a block list rather than a flow list.
    block: bool,
    /// Topics written above the partners.
    topics_first: bool,
    draft: bool,
}

impl Drawn {
    fn text(&self) -> String {
        let partners = if self.block && !self.partners.is_empty() {
            let items: String = self.partners.iter().map(|p| format!("  - {p}\n")).collect();
            format!("partners:\n{items}")
        } else {
            format!("partners: [{}]\n", self.partners.join(", "))
        };
        let topics = format!("topics: [{}]\n", self.topics.join(", "));
        let (first, second) = if self.topics_first {
            (topics, partners)
        } else {
            (partners, topics)
        };
        let updates: String = self
            .updates
            .iter()
            .map(|u| format!("  - date: {u}\n    note: Changed.\n"))
            .collect();
        format!(
            "---\ntitle: {}\ndate: {}\nkind: {}\n{first}{second}{}{}---\nThe lead.\n",
            self.title,
            self.date,
            self.kind,
            if updates.is_empty() {
                String::new()
            } else {
                format!("updates:\n{updates}")
            },
            if self.draft { "draft: true\n" } else { "" },
        )
    }
}

#[test]
fn random_front_matter_edits_match_a_fresh_render() {
    // Registered partners by name, alias and another case; unregistered ones; topics written
    // one way and another; dates that tie.
    const PARTNERS: &[&str] = &[
        "Harbour Board",
        "River Trust",
        "The Harbour Board",
        "harbour board",
        "Sea Watch",
    ];
    const TOPICS: &[&str] = &["ports", "rivers", "trade", "trade", "Trade"];
    const DATES: &[&str] = &["2024-01-01", "2024-01-01", "2024-05-02 10:00", "2023-12-31"];
    const KINDS: &[&str] = &["engagement", "press-release"];
    for (seed, entries, per_page) in [(7u64, 24, 3), (11, 40, 4), (13, 12, 2)] {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let date = |rng: &mut Rng| match rng.below(3) {
            0 => rng.pick(DATES).to_string(),
            _ => format!("2024-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
        };
        let partners = |rng: &mut Rng| (0..rng.below(4)).map(|_| rng.pick(PARTNERS)).collect();
        let topics = |rng: &mut Rng| (0..rng.below(3)).map(|_| rng.pick(TOPICS)).collect();
        let mut drawn: Vec<Drawn> = (0..entries)
            .map(|n| Drawn {
                title: format!("E{n}"),
                date: date(&mut rng),
                kind: rng.pick(KINDS),
                updates: Vec::new(),
                partners: partners(&mut rng),
                topics: topics(&mut rng),
                block: rng.below(3) == 0,
                topics_first: rng.below(4) == 0,
                draft: rng.below(12) == 0,
            })
            .collect();
        let names: Vec<String> = (0..entries)
            .map(|n| format!("content/e/e{n:02}.md"))
            .collect();
        let site_yaml = SITE.replace("per_page: 3", &format!("per_page: {per_page}"));
        let mut files = vec![
            ("site.yaml", site_yaml),
            ("content/partners.yaml", REGISTRY.to_string()),
        ];
        files.extend((0..entries).map(|n| (names[n].as_str(), drawn[n].text())));
        let mut site = Editor::new(&files);
        let mut in_place = 0;
        for _ in 0..60 {
            // One entry, or now and then up to three at once.
            let mut changed: Vec<usize> = (0..1 + rng.below(4) / 3 * rng.below(3))
                .map(|_| rng.below(entries))
                .collect();
            changed.sort_unstable();
            changed.dedup();
            for &n in &changed {
                let e = &mut drawn[n];
                match rng.below(12) {
                    0..=2 => e.date = date(&mut rng),
                    3 if e.updates.is_empty() => e.updates.push(date(&mut rng)),
                    3 => e.updates.clear(),
                    4..=5 => e.partners = partners(&mut rng),
                    6..=7 => e.topics = topics(&mut rng),
                    8 => {
                        e.partners = partners(&mut rng);
                        e.topics = topics(&mut rng);
                        e.date = date(&mut rng);
                    }
                    9 if rng.below(2) == 0 => e.kind = rng.pick(KINDS),
                    9 => e.block = !e.block,
                    10 => e.topics_first = !e.topics_first,
                    _ if rng.below(3) == 0 => e.draft = !e.draft,
                    _ => e.title.push_str(" again"),
                }
            }
            let texts: Vec<(&str, String)> = changed
                .iter()
                .map(|&n| (names[n].as_str(), drawn[n].text()))
                .collect();
            let texts: Vec<(&str, &str)> = texts.iter().map(|(r, t)| (*r, t.as_str())).collect();
            site.write_all(&texts);
            in_place += usize::from(site.in_place);
        }
        // The draw reaches the shorter ways, not only the general one.
        assert!(in_place >= 15, "seed {seed}: {in_place} of 60 in place");
    }
}

#[test]
fn a_new_entry_that_takes_nothing_from_the_others_is_added_in_place() {
    let a = "content/engagements/2024-01-10-a.md";
    let mut files = vec![
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (
            a,
            entry(
                "A",
                "2024-01-10",
                "engagement",
                "River Trust",
                "rivers",
                "First.",
            ),
        ),
        (
            "static/engagements/clash/index.html",
            "<p>A page of its own.</p>\n".to_string(),
        ),
    ];
    let fillers: Vec<(String, String)> = (0..7).map(filler).collect();
    files.extend(
        fillers
            .iter()
            .map(|(rel, text)| (rel.as_str(), text.clone())),
    );
    let mut site = Editor::new(&files);
    let new = |date: &str, kind: &str, partners: &str, topics: &str| {
        entry("New", date, kind, partners, topics, "Just in.")
    };
    // An entry of the engagements with River Trust on `ports`, with one more line.
    let with_line = |date: &str, line: &str| {
        new(date, "engagement", "River Trust", "ports")
            .replace("---\nJust", &format!("{line}\n---\nJust"))
    };
    // The first entry of a kind, by a change of kind: a page more, the general way; and
    // the last one leaving: a page fewer.
    for kind in ["press-release", "engagement"] {
        site.write(
            a,
            &entry("A", "2024-01-10", kind, "River Trust", "rivers", "First."),
        );
        assert!(!site.in_place, "{kind}");
    }
    // Added in place: registered partners and topics the site has. The second fills a
    // fourth page of 2024 and of the engagements (per_page is 3). Then a year, a folder and a
    // kind no entry had yet, whose pages are added.
    let in_place = [
        (
            "engagements/2024-04-05-new",
            new(
                "2024-04-05",
                "engagement",
                "Harbour Board, River Trust",
                "ports",
            ),
        ),
        (
            "engagements/2024-04-06-next",
            new("2024-04-06", "engagement", "River Trust", "rivers, ports"),
        ),
        (
            "news/2019-06-01-first",
            new(
                "2019-06-01",
                "press-release",
                "The Harbour Board",
                "rivers, ports",
            ),
        ),
        (
            "engagements/2024-02-01-plain",
            new("2024-02-01", "engagement", "", ""),
        ),
    ];
    for (name, text) in in_place {
        site.write(&format!("content/{name}.md"), &text);
        assert!(site.in_place, "step {}: {name}", site.steps);
    }
    // The general way, each then taken out again: an unregistered partner, a topic no
    // entry has, a topic written another way, aliases, a draft, an embargo still on, a URL
    // another entry has, a page where a static file is.
    let general = [
        new("2024-02-02", "engagement", "Sea Watch", "ports"),
        new("2024-02-03", "engagement", "River Trust", "fisheries"),
        new("2024-02-04", "engagement", "River Trust", "Ports"),
        with_line("2024-02-05", "aliases: [/old/alias/]"),
        with_line("2024-02-06", "draft: true"),
        with_line("2024-02-07", "publish_at: 2099-01-01"),
        with_line("2024-02-08", "slug: a"),
        with_line("2024-02-09", "slug: clash"),
    ];
    for (n, text) in general.iter().enumerate() {
        let rel = format!("content/engagements/2024-02-1{n}-general.md");
        site.write(&rel, text);
        assert!(!site.in_place, "step {}: {text}", site.steps);
        site.remove(&rel);
    }
}

#[test]
fn links_to_a_broken_entry_and_suggestions_follow_edits() {
    let page = |title: &str, extra: &str, body: &str| {
        format!(
            "---\ntitle: {title}\ndate: 2024-01-10\npartners: [Harbour Board]\ntopics: [ports]\n{extra}---\n{body}\n"
        )
    };
    let mut site = Editor::new(&[
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        ("content/news/visit.md", page("Visit", "", "The visit.")),
        (
            "content/news/talks.md",
            page(
                "Talks",
                "",
                "After [the visit](@/news/visit.md) and [again](visit.md).",
            ),
        ),
        ("content/news/later.md", page("Later", "", "Later.")),
    ]);
    // The visit breaks: only its own problems are reported, then it is fixed.
    site.write(
        "content/news/visit.md",
        &page("Visit", "partner: x\n", "The visit."),
    );
    site.write("content/news/visit.md", &page("Visit", "", "The visit."));
    // A file near a mistyped link's name appears: the suggestion names it.
    site.write(
        "content/news/later.md",
        &page("Later", "", "See [the report](reprot.md)."),
    );
    site.write("content/news/report.md", &page("Report", "", "The report."));
    site.remove("content/news/report.md");
    site.write("content/news/later.md", &page("Later", "", "Later."));
}

#[test]
fn standing_pages_and_the_navigation_follow_every_edit() {
    let a = "content/engagements/2024-01-10-a.md";
    let about = "content/pages/about.md";
    let contact = "content/pages/contact.md";
    let page = |title: &str, fields: &str, body: &str| {
        format!("---\ntitle: {title}\n{fields}---\n{body}\n")
    };
    let mut site = Editor::new(&[
        ("site.yaml", SITE.to_string()),
        ("content/partners.yaml", REGISTRY.to_string()),
        (
            a,
            entry(
                "A",
                "2024-01-10",
                "engagement",
                "Harbour Board",
                "ports",
                "A.",
            ),
        ),
        (about, page("About", "menu: 2\n", "Text.")),
    ]);
    // The page's text, then its place in the menu, then a page added before it.
    site.write(
        about,
        &page(
            "About",
            "menu: 2\n",
            "See [A](@/engagements/2024-01-10-a.md).",
        ),
    );
    assert_eq!(site.ways.last(), Some(&"whole"));
    site.write(
        about,
        &page("About us", "menu: 3\nreviewed: 2024-01-01\n", "Text."),
    );
    site.write(contact, &page("Contact", "menu: 1\n", "Write to us."));
    site.write(about, &page("About us", "", "Out of the menu."));
    // An entry edited in place leaves the pages as they were.
    site.write(
        a,
        &entry(
            "A",
            "2024-01-10",
            "engagement",
            "Harbour Board",
            "ports",
            "A again.",
        ),
    );
    assert!(site.in_place);
    // An entry that takes a page's URL, then goes; a page with a date, then fixed.
    site.write(
        "content/contact.md",
        &entry("C", "2024-01-11", "engagement", "", "", "C."),
    );
    site.remove("content/contact.md");
    site.write(about, &page("About us", "date: 2024-01-01\n", "Text."));
    site.write(about, &page("About us", "menu: 1\n", "Text."));
    site.remove(contact);
    site.remove("content/pages");
}

#[test]
fn a_photo_changed_or_added_matches_a_fresh_render() {
    use crate::photos::{photo_like, png};
    let a = "content/engagements/2024-01-01-a.md";
    let mut site = Editor::new(&[
        ("site.yaml", format!("{SITE}photo_cache: ../photo-cache\n")),
        (a, entry("A", "2024-01-01", "engagement", "", "", "Text.")),
        (
            "content/engagements/2024-01-02-b.md",
            entry("B", "2024-01-02", "engagement", "", "", "Other."),
        ),
    ]);
    site.write_bytes("content/engagements/map.png", &png(&photo_like(500, 300)));
    site.write_bytes("content/engagements/lead.png", &png(&photo_like(40, 20)));
    site.write(
        a,
        "---\ntitle: A\ndate: 2024-01-01\nimage: {src: lead.png, alt: The lead}\n---\n![A map](map.png \"The map\")\n",
    );
    // The photo changed: new variants, the entry and the cards that show it made again.
    site.write_bytes("content/engagements/map.png", &png(&photo_like(700, 300)));
    site.write_bytes("content/engagements/lead.png", &png(&photo_like(30, 20)));
    // A photo added and shown.
    site.write_bytes("content/engagements/more.png", &png(&photo_like(50, 50)));
    site.write(
        "content/engagements/2024-01-02-b.md",
        &entry("B", "2024-01-02", "engagement", "", "", "![More](more.png)"),
    );
    site.remove("content/engagements/more.png");
}
