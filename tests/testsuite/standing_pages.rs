//! Standing pages (SPEC §9): Markdown under `content/pages/`, written by the tests into a
//! site of their own; each page, the navigation, the sitemap and what must leave pages out
//! (lists, feeds, the search index, the open data) are read back from the output, and the
//! mistakes one can make are checked word for word.

use crate::support::{Site, count};

const SITE: &str = "title: Office\nbase_url: https://example.org/\ntimezone: UTC\n";
const ENTRY: &str = "content/engagements/2024-03-01-visit.md";

/// A site with one entry and the standing pages `pages` (`(rel under content/pages/, text)`).
fn site_with(pages: &[(&str, &str)]) -> Site {
    let site = Site::empty();
    site.write("site.yaml", SITE);
    let link = match pages.iter().any(|(rel, _)| *rel == "about.md") {
        true => "See [who we are](@/pages/about.md).",
        false => "Text.",
    };
    site.write(
        ENTRY,
        format!("---\ntitle: Visit\ndate: 2024-03-01\n---\n{link}\n"),
    );
    for (rel, text) in pages {
        site.write(&format!("content/pages/{rel}"), text);
    }
    site.write("content/pages/statement.pdf", "%PDF-1.4\n");
    site
}

const ABOUT: &str = "---\ntitle: About us\nsummary: Who we are.\nmenu: 2\nreviewed: 2024-05-01\n---\nWe meet [our partners](../engagements/2024-03-01-visit.md), listed on [the timeline](/timeline/); our [statement](statement.pdf).\n\n## Team\n\nText.\n\n## Contact\n\nText.\n";
const ACCESSIBILITY: &str =
    "---\ntitle: Accessibility\nmenu: 1\nreviewed: 2024-06-01\n---\nWe aim at WCAG 2.2 AA.\n";

fn built() -> Site {
    let site = site_with(&[
        ("about.md", ABOUT),
        ("accessibility.md", ACCESSIBILITY),
        (
            "team/contact.md",
            "---\ntitle: Contact\n---\nWrite to us.\n",
        ),
        (
            "draft.md",
            "---\ntitle: Draft\ndraft: true\nmenu: 3\n---\nNot yet.\n",
        ),
    ]);
    site.build_ok(&["--now", "2024-12-01T00:00:00Z"]);
    site
}

#[test]
fn a_standing_page_has_its_own_page_with_its_review_date() {
    let site = built();
    let main = site.main_of("/about/");
    assert!(main.contains("<h1>About us</h1>"), "{main}");
    assert!(
        main.contains(r#"<p class="lead">Who we are.</p>"#),
        "{main}"
    );
    assert!(
        main.contains(r#"<p class="meta standing__reviewed">Last reviewed <time datetime="2024-05-01">1 May 2024</time></p>"#),
        "{main}"
    );
    // Links to an entry and from the site's root are resolved as an entry's are; the
    // headings make a table of contents.
    assert!(
        main.contains(r#"<a href="/engagements/visit/">our partners</a>"#),
        "{main}"
    );
    assert!(
        main.contains(r#"<a href="/timeline/">the timeline</a>"#),
        "{main}"
    );
    assert!(main.contains(r##"<a href="#team">Team</a>"##), "{main}");
    assert!(site.has_page("/pages/statement.pdf"));
    // A page in a folder, without `reviewed`; a draft is left out.
    let contact = site.main_of("/team/contact/");
    assert!(contact.contains("<p>Write to us.</p>"), "{contact}");
    assert!(!contact.contains("Last reviewed"), "{contact}");
    assert!(!site.has_page("/draft/"));
    // An entry links to a page as to another entry.
    let entry = site.main_of("/engagements/visit/");
    assert!(
        entry.contains(r#"<a href="/about/">who we are</a>"#),
        "{entry}"
    );
}

#[test]
fn pages_with_menu_are_in_the_navigation_of_every_page_in_its_order() {
    let site = built();
    let nav = r#"<li><a href="/accessibility/">Accessibility</a></li>
        <li><a href="/about/">About us</a></li>"#;
    for url in ["/", "/timeline/", "/engagements/visit/", "/team/contact/"] {
        assert_eq!(count(&site.page(url), nav), 1, "{url}");
    }
    let about = site.page("/about/");
    assert!(about.contains(r#"<li><a href="/about/" aria-current="page">About us</a></li>"#));
    assert!(!about.contains(r#"href="/team/contact/""#));
}

#[test]
fn pages_are_in_the_sitemap_and_nowhere_entries_are_listed() {
    let site = built();
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/about/</loc>\n    <lastmod>2024-05-01"),
        "{sitemap}"
    );
    assert!(
        sitemap.contains("<loc>https://example.org/team/contact/</loc>"),
        "{sitemap}"
    );
    for file in [
        "feed.xml",
        "search-index.json",
        "data/entries.json",
        "data/entries.csv",
        "data/entries.ics",
        "timeline/index.html",
        "timeline/2024/index.html",
        "index.html",
    ] {
        let text = std::fs::read_to_string(site.out().join(file)).unwrap();
        let shown = text.replace(
            r#"<li><a href="/accessibility/">Accessibility</a></li>
        <li><a href="/about/">About us</a></li>"#,
            "",
        );
        assert!(!shown.contains("About us"), "{file}");
        assert!(!shown.contains("/team/contact/"), "{file}");
    }
}

#[test]
fn a_review_over_a_year_old_is_a_warning_and_with_strict_an_error() {
    let site = site_with(&[("about.md", ABOUT)]);
    let check = |extra: &[&str]| {
        let root = site.root.display().to_string();
        let mut args = vec!["check", "--site", &root, "--now", "2025-05-02T00:00:00Z"];
        args.extend(extra);
        site.run(&args)
    };
    let expected = "warning: the page was last reviewed on 2024-05-01, more than a year ago
 --> content/pages/about.md:5:11
  |
5 | reviewed: 2024-05-01
  |           ^
  = hint: check that the page is still true, then set `reviewed:` to the date of that review
";
    let run = check(&[]);
    run.assert_success();
    run.assert_stderr_contains(expected);
    let run = check(&["--strict"]);
    run.assert_code(1);
    run.assert_stderr_contains(&expected.replacen("warning", "error", 1));
    // A year to the day is not over a year.
    let root = site.root.display().to_string();
    let run = site.run(&["check", "--site", &root, "--now", "2025-05-01T12:00:00Z"]);
    run.assert_success();
    assert!(!run.stderr.contains("last reviewed"), "{}", run.stderr);
}

fn fails_with(pages: &[(&str, &str)], expected: &str) {
    let site = site_with(pages);
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_starts_with(expected);
}

#[test]
fn a_date_unknown_fields_and_wrong_types_are_errors_at_their_place() {
    fails_with(
        &[("about.md", "---\ntitle: About us\ndate: 2024-01-01\nmenu: first\nsumary: x\n---\nBody.\n")],
        "error: a standing page has no `date`
 --> content/pages/about.md:3:7
  |
3 | date: 2024-01-01
  |       ^
  = hint: to say when the page was last checked, write `reviewed:` with that date; a dated item is an entry, and belongs outside `content/pages/`

error: invalid front matter: expected a whole number without a sign
 --> content/pages/about.md:4:7
  |
4 | menu: first
  |       ^
  = hint: `menu` is the page's place in the navigation, a whole number, e.g. `menu: 1`

error: unknown field `sumary` in front matter
 --> content/pages/about.md:5:1
  |
5 | sumary: x
  | ^
  = hint: did you mean `summary`?
",
    );
    fails_with(
        &[("about.md", "---\nsummary: x\nreviewed: soon\n---\nBody.\n")],
        "error: missing required field `title`
 --> content/pages/about.md:1:1
  |
1 | ---
  | ^
  = hint: add a line such as `title: About us` to the front matter
",
    );
}

#[test]
fn a_url_taken_by_an_entry_or_the_site_is_an_error_naming_both() {
    let site = site_with(&[("visit.md", "---\ntitle: Visit\n---\nx\n")]);
    site.write(
        "content/visit.md",
        "---\ntitle: V\ndate: 2024-01-01\n---\nx\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_starts_with(
        "error: the URL `/visit/` is taken by both `content/visit.md` and `content/pages/visit.md`
 --> content/pages/visit.md
  = hint: rename one of the two files
",
    );
    fails_with(
        &[("timeline.md", "---\ntitle: Timeline\n---\nx\n")],
        "error: the page's URL `/timeline/` is one the site makes itself (`timeline/`)
 --> content/pages/timeline.md
  = hint: give the page's file another name
",
    );
}

#[test]
fn a_language_suffix_names_a_language_of_the_site() {
    // The site's own language: the page is at the URL without the suffix.
    let site = site_with(&[("about.en.md", ABOUT)]);
    site.build_ok(&[]);
    assert!(site.main_of("/about/").contains("<h1>About us</h1>"));
    fails_with(
        &[("about.fr.md", "---\ntitle: À propos\n---\nx\n")],
        "error: the file name ends in `.fr.md`, but `fr` is not a language of this site
 --> content/pages/about.fr.md
  = hint: the site's languages are: en (`language` in site.yaml); name the file without the suffix, e.g. `about.md`
",
    );
}

#[test]
fn a_new_site_has_an_about_page_and_an_accessibility_statement_and_builds_cleanly() {
    let site = Site::empty();
    let dir = site.tmp.join("new");
    let run = site.run(&["init", &dir.display().to_string()]);
    run.assert_success();
    let statement = std::fs::read_to_string(dir.join("content/pages/accessibility.md")).unwrap();
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    assert!(
        statement.contains(&format!("\nreviewed: {today}\nmenu: 2\n")),
        "{statement}"
    );
    let out = site.tmp.join("new-out");
    let root = dir.display().to_string();
    let built = site.run(&[
        "build",
        "--site",
        &root,
        "--output",
        &out.display().to_string(),
        "--strict",
    ]);
    built.assert_success();
    assert_eq!(built.stderr, "");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(
        home.contains(
            r#"<li><a href="/about/">About us</a></li>
        <li><a href="/accessibility/">Accessibility statement</a></li>"#
        ),
        "{home}"
    );
}
