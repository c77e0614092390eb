//! Entry bodies: heading ids and the table of contents, internal `@/` links with anchors,
//! relative images and links, external links, and files with a BOM and CRLF line endings.

use crate::support::{Site, count, snapshot};

#[test]
fn heading_ids_are_deduplicated_and_listed_in_the_toc() {
    let site = Site::fixture("markdown");
    site.build_ok(&[]);
    let main = site.main_of("/news/visit/");
    assert!(main.contains("<h2 id=\"talks\">Talks</h2>"), "{main}");
    assert!(main.contains("<h2 id=\"talks-1\">Talks</h2>"), "{main}");
    assert!(
        main.contains("<h3 id=\"next-steps\">Next steps</h3>"),
        "{main}"
    );
    // The table of contents links each heading once, in order.
    let toc = [
        "<a href=\"#talks\">Talks</a>",
        "<a href=\"#talks-1\">Talks</a>",
        "<a href=\"#next-steps\">Next steps</a>",
    ];
    let positions: Vec<usize> = toc
        .iter()
        .map(|link| {
            assert_eq!(count(&main, link), 1, "{link}");
            main.find(link).unwrap()
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "TOC order");
    assert!(
        positions[2] < main.find("<h2 id=\"talks\">").unwrap(),
        "the TOC comes before the body"
    );
}

#[test]
fn internal_links_with_anchors_are_resolved() {
    let site = Site::fixture("markdown");
    site.build_ok(&[]);
    let main = site.main_of("/news/visit/");
    assert!(
        main.contains("<a href=\"/reports/follow-up/#next-steps\">follow-up</a>"),
        "{main}"
    );
    assert!(
        main.contains("<a href=\"/reports/follow-up/\">plain follow-up</a>"),
        "{main}"
    );
    assert!(!main.contains("@/"), "{main}");
    // The anchor exists on the target page.
    assert!(
        site.main_of("/reports/follow-up/")
            .contains("<h2 id=\"next-steps\">Next steps</h2>")
    );
}

#[test]
fn relative_image_resolves_to_the_copied_file() {
    let site = Site::fixture("markdown");
    site.build_ok(&[]);
    let main = site.main_of("/news/visit/");
    assert!(
        main.contains("<img src=\"/news/map.png\" alt=\"Map\" />"),
        "{main}"
    );
    let copied = std::fs::read(site.out().join("news/map.png")).expect("map.png was not copied");
    let original = std::fs::read(site.path("content/news/map.png")).unwrap();
    assert_eq!(copied, original);
}

#[test]
fn external_links_get_rel_noopener() {
    let site = Site::fixture("markdown");
    site.build_ok(&[]);
    let main = site.main_of("/news/visit/");
    assert!(
        main.contains(
            "<a href=\"https://www.state.gov\" title=\"State\" rel=\"noopener\">State Department</a>"
        ),
        "{main}"
    );
    // Internal links do not get it.
    assert!(!main.contains("follow-up/#next-steps\" rel="), "{main}");
}

#[test]
fn bom_and_crlf_file_is_accepted() {
    let site = Site::fixture("bom-crlf");
    let raw = std::fs::read(site.path("content/windows.md")).unwrap();
    assert!(
        raw.starts_with(b"\xef\xbb\xbf---\r\n"),
        "the fixture lost its BOM or CRLF"
    );
    site.build_ok(&[]);
    let page = site.page("/windows/");
    assert!(!page.contains('\r'), "carriage returns in the page");
    assert!(!page.contains('\u{feff}'), "a BOM in the page");
    let main = site.main_of("/windows/");
    assert!(main.contains("<h1>Written on Windows</h1>"), "{main}");
    assert!(
        main.contains("<time datetime=\"2022-05-24\">24 May 2022</time>"),
        "{main}"
    );
    assert!(main.contains("<p>First line\nof the body.</p>"), "{main}");
    assert!(
        main.contains("<h2 id=\"a-heading\">A heading</h2>"),
        "{main}"
    );
    assert!(site.has_page("/topics/crlf-topic/"));
}

const MISSING_PDF_WARNING: &str = "\
warning: link `minutes.pdf` points to no file under `content/`
 --> content/news/visit.md:9:6
  |
9 | Read [the minutes](minutes.pdf) of the meeting.
  |      ^
  = hint: relative links are resolved against the entry's folder; put the file beside the entry or use a path from the site root
";

#[test]
fn relative_link_to_a_missing_file_is_a_warning() {
    let site = Site::fixture("relative-link-to-missing-file");
    let run = site.build_ok(&[]);
    assert_eq!(run.stderr, format!("{MISSING_PDF_WARNING}\n"));
    assert!(
        run.stdout
            .starts_with("Built 2 entries, 1 partner, 13 pages in "),
        "{}",
        run.stdout
    );
    let main = site.main_of("/news/visit/");
    assert!(
        main.contains("<a href=\"/news/minutes.pdf\">the minutes</a>"),
        "{main}"
    );
    // A relative link to a published entry's Markdown file resolves to its page.
    assert!(
        main.contains("<a href=\"/news/follow-up/#next-steps\">follow-up</a>"),
        "{main}"
    );
}

#[test]
fn check_counts_the_missing_file_warning() {
    let site = Site::fixture("relative-link-to-missing-file");
    let before = snapshot(&site.tmp);
    let run = site.run(&["check", "--site", "site"]);
    run.assert_success();
    assert_eq!(snapshot(&site.tmp), before, "check wrote files");
    assert_eq!(run.stderr, format!("{MISSING_PDF_WARNING}\n"));
    assert_eq!(
        run.stdout,
        "Checked 2 entries, 1 partner, 13 pages: 1 warning\n"
    );
}

#[test]
fn strict_turns_the_missing_file_warning_into_an_error() {
    let site = Site::fixture("relative-link-to-missing-file");
    let run = site.build(&["--strict"]);
    run.assert_code(1);
    run.assert_stderr_starts_with(&MISSING_PDF_WARNING.replacen("warning:", "error:", 1));
    assert_eq!(
        run.stderr.lines().last(),
        Some("error: the build failed with 1 error; nothing was written")
    );
    assert!(!site.out().exists(), "a failed build wrote output");
}

#[test]
fn a_summary_taken_from_the_body_is_not_shown_twice_on_the_page() {
    let site = Site::empty();
    site.write("site.yaml", "base_url: https://example.org/\n");
    site.write(
        "content/derived.md",
        "---\ntitle: No summary written\ndate: 2022-05-24\n---\nThe delegation met partners in Washington.\n\nA second paragraph.\n",
    );
    site.write(
        "content/written.md",
        "---\ntitle: A summary written\ndate: 2022-05-23\nsummary: Talks on victim care.\n---\nThe body begins here.\n",
    );
    site.build_ok(&[]);
    let first = "The delegation met partners in Washington.";
    // The page shows the first paragraph once, in the body, and no lead.
    let page = site.page("/derived/");
    let main = site.main_of("/derived/");
    assert_eq!(count(&main, first), 1, "{main}");
    assert!(main.contains(&format!("<p>{first}</p>")), "{main}");
    assert!(!main.contains("class=\"lead\""), "{main}");
    // Meta tags and lists still have the summary taken from the body.
    assert!(
        page.contains(&format!("<meta name=\"description\" content=\"{first}\">")),
        "{page}"
    );
    assert!(
        site.main_of("/")
            .contains(&format!("<p class=\"card__summary\">{first}</p>")),
        "home"
    );
    // A summary written in front matter is the page's lead, above a body that differs.
    let main = site.main_of("/written/");
    assert!(
        main.contains("<p class=\"lead\">Talks on victim care.</p>"),
        "{main}"
    );
    assert!(main.contains("<p>The body begins here.</p>"), "{main}");
}

#[test]
fn links_from_the_site_root_get_the_base_path_and_name_pages_and_files() {
    let site = Site::fixture("root-links");
    let run = site.build_ok(&[]);
    assert_eq!(run.stderr, "");
    let main = site.main_of("/engagements/talks/");
    for expected in [
        // An entry's page, a generated page, one written without its last `/`, a file beside
        // an entry with a query and an anchor, an alias, an entry's Markdown file, home.
        "<a href=\"/office-records/engagements/other/\">the other talks</a>",
        "<a href=\"/office-records/timeline/\">timeline</a>",
        "<a href=\"/office-records/timeline/2022\">the year</a>",
        "<a href=\"/office-records/engagements/brief.pdf?v=2#page=2\">brief (PDF, 9 bytes)</a>",
        "<a href=\"/office-records/news/old-talks/\">old address</a>",
        "<a href=\"/office-records/engagements/other/#next-steps\">next steps</a>",
        "<a href=\"/office-records/\">home page</a>",
        // Written with the base path already: not given it twice.
        "<a href=\"/office-records/topics/labour/\">labour</a>",
        // An image from `static/`, and raw HTML.
        "<img src=\"/office-records/img/map.png\" alt=\"A map of the route\">",
        "<a href=\"/office-records/topics/\">topics</a>",
        "<img src=\"/office-records/img/map.png\" alt=\"The map again\">",
    ] {
        assert!(main.contains(expected), "{expected}\n{main}");
    }
    assert!(!main.contains("/office-records/office-records/"), "{main}");

    // At the domain's root, the same links are left as written; the one written with the
    // base path now names nothing.
    let run = site.build(&["--base-url", "https://example.org/"]);
    run.assert_code(1);
    run.assert_stderr_starts_with(
        "error: link `/office-records/topics/labour/` names no page or file of the site\n  --> content/engagements/2022-05-24-talks.md:11:44",
    );
    let file = "content/engagements/2022-05-24-talks.md";
    let text = std::fs::read_to_string(site.path(file)).unwrap();
    site.write(file, text.replace("/office-records/topics/", "/topics/"));
    let run = site.build_ok(&["--base-url", "https://example.org/"]);
    assert_eq!(run.stderr, "");
    let main = site.main_of("/engagements/talks/");
    assert!(
        main.contains("<a href=\"/engagements/other/\">the other talks</a>"),
        "{main}"
    );
    assert!(
        main.contains("<img src=\"/img/map.png\" alt=\"A map of the route\">"),
        "{main}"
    );
}

const PLACEHOLDER_WARNING: &str = "\
warning: the entry still has the placeholder text that `gazette new` wrote
 --> content/engagements/2022-06-01-talks-in-geneva.md:9:1
  |
9 | Write the entry here, in Markdown.
  | ^
  = hint: replace it with the entry's text";

const NO_ALT_WARNINGS: &str = "\
warning: image `photo.png` has no alt text
 --> content/news/visit.md:7:1
  |
7 | ![](photo.png)
  | ^
  = hint: describe it for readers who cannot see it, e.g. `![The delegation at the ministry](photo.png)`; for an image that is only decoration, write `![ ](photo.png)` or `alt=\"\"`

warning: image `photo.png` has no alt text
  --> content/news/visit.md:13:4
   |
13 | <p><img src=\"photo.png\"> and <img src=\"line.png\" alt=\"\"></p>
   |    ^
   = hint: describe it for readers who cannot see it, e.g. `![The delegation at the ministry](photo.png)`; for an image that is only decoration, write `![ ](photo.png)` or `alt=\"\"`";

#[test]
fn a_placeholder_body_and_images_without_alt_text_are_warned_about() {
    let site = Site::fixture("alt-text");
    site.run(&[
        "new",
        "--site",
        "site",
        "Talks in Geneva",
        "--date",
        "2022-06-01",
    ])
    .assert_success();
    let expected = format!("{PLACEHOLDER_WARNING}\n\n{NO_ALT_WARNINGS}\n");
    // `check` and `build` both warn; described and decorative images (`![ ](…)`, `alt=""`)
    // are not warned about.
    let run = site.run(&["check", "--site", "site"]);
    run.assert_success();
    // (`check` also reports, in the same file's place, entries without partners or topics.)
    assert!(
        run.stderr.contains(PLACEHOLDER_WARNING) && run.stderr.contains(NO_ALT_WARNINGS),
        "{}",
        run.stderr
    );
    let run = site.build_ok(&[]);
    assert_eq!(run.stderr.trim_end(), expected.trim_end());
    // With `--strict` they are errors.
    let run = site.build(&["--strict"]);
    run.assert_code(1);
    run.assert_stderr_starts_with(&PLACEHOLDER_WARNING.replacen("warning:", "error:", 1));
    assert_eq!(run.count("error"), 3, "{}", run.stderr);
    // Once written, the entry is not warned about.
    let file = "content/engagements/2022-06-01-talks-in-geneva.md";
    let text = std::fs::read_to_string(site.path(file)).unwrap();
    site.write(
        file,
        text.replace("Write the entry here, in Markdown.", "The talks began."),
    );
    let run = site.build_ok(&[]);
    assert_eq!(run.stderr.trim_end(), NO_ALT_WARNINGS);
}

#[test]
fn many_root_links_to_nothing_are_reported_as_other_problems_of_a_text_are() {
    let site = Site::empty();
    site.write("site.yaml", "base_url: https://example.org/\n");
    let links: Vec<String> = (0..150).map(|i| format!("[l](/nowhere/{i}/)")).collect();
    let again = "[l](/nowhere/0/) ".repeat(3);
    site.write(
        "content/a.md",
        format!(
            "---\ntitle: Many\ndate: 2022-05-24\n---\n{}\n\n{again}\n",
            links.join(" ")
        ),
    );
    let run = site.build(&[]);
    run.assert_code(1);
    // Each path once (with how many more links lead there), the first hundred, then a count.
    assert_eq!(count(&run.stderr, "names no page or file of the site"), 100);
    assert!(
        run.stderr.contains(
            "error: link `/nowhere/0/` names no page or file of the site; 3 more links of this file lead there\n --> content/a.md:5:1\n"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("error: 50 more links from the site's root name nothing and are not shown\n"),
        "{}",
        run.stderr
    );
}
