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
        Some("error: the build failed with 1 error; the previous output is untouched")
    );
    assert!(!site.out().exists(), "a failed build wrote output");
}
