//! Drafts and embargoes: left out of every output file unless `--drafts` / `--future`, and
//! embargoes judged against `--now`.

use crate::support::{Site, files_containing};

/// Words that only the draft entry uses: its title, slug, partner and topic.
const DRAFT_WORDS: &[&str] = &["Zanzibar", "zanzibar", "Quokka", "quokka"];
/// Words that only the embargoed entry uses.
const EMBARGO_WORDS: &[&str] = &["Yellowstone", "yellowstone", "Wombat", "wombat"];

fn assert_absent(site: &Site, words: &[&str]) {
    for word in words {
        assert_eq!(
            files_containing(&site.out(), word),
            Vec::<String>::new(),
            "`{word}` leaked into the output"
        );
    }
}

fn assert_present(site: &Site, words: &[&str]) {
    for word in words {
        assert!(
            !files_containing(&site.out(), word).is_empty(),
            "`{word}` is missing from the output"
        );
    }
}

#[test]
fn drafts_and_embargoed_entries_appear_in_no_output_file() {
    let site = Site::fixture("drafts-embargo");
    let run = site.build_ok(&[]);
    assert!(
        run.stdout
            .starts_with("Built 1 entry, 1 partner, 12 pages in "),
        "{}",
        run.stdout
    );
    assert!(run.stdout.ends_with(" s\n"), "{}", run.stdout);
    assert_absent(&site, DRAFT_WORDS);
    assert_absent(&site, EMBARGO_WORDS);
    assert!(site.has_page("/news/public/"));
    assert!(!site.has_page("/news/zanzibar-draft/"));
    assert!(!site.has_page("/news/yellowstone-embargo/"));
    assert!(!site.out().join("partners/quokka-draft-council").exists());
    assert!(!site.out().join("topics/wombat-embargo-topic").exists());
    // Counts leave them out too: June has no entry, so no month of June.
    let timeline = site.main_of("/timeline/");
    assert!(!timeline.contains("2022-06"), "{timeline}");
}

#[test]
fn drafts_flag_publishes_drafts_only() {
    let site = Site::fixture("drafts-embargo");
    site.build_ok(&["--drafts"]);
    assert!(site.has_page("/news/zanzibar-draft/"));
    assert!(site.has_page("/partners/quokka-draft-council/"));
    assert!(site.has_page("/topics/quokka-draft-topic/"));
    assert!(
        site.main_of("/timeline/")
            .contains("href=\"/news/zanzibar-draft/\"")
    );
    assert_present(&site, DRAFT_WORDS);
    assert_absent(&site, EMBARGO_WORDS);
}

#[test]
fn future_flag_publishes_embargoed_entries_only() {
    let site = Site::fixture("drafts-embargo");
    site.build_ok(&["--future"]);
    assert!(site.has_page("/news/yellowstone-embargo/"));
    assert!(site.has_page("/partners/wombat-embargo-agency/"));
    assert!(site.has_page("/topics/wombat-embargo-topic/"));
    assert_present(&site, EMBARGO_WORDS);
    assert_absent(&site, DRAFT_WORDS);
}

#[test]
fn embargo_lifts_at_publish_at() {
    // publish_at: 2026-06-01T00:00:00Z
    let site = Site::fixture("drafts-embargo");
    site.build_ok(&["--now", "2026-05-31T23:59:59Z"]);
    assert_absent(&site, EMBARGO_WORDS);

    site.build_ok(&["--now", "2026-06-01T00:00:00Z"]);
    assert!(site.has_page("/news/yellowstone-embargo/"));
    assert_present(&site, EMBARGO_WORDS);
    assert_absent(&site, DRAFT_WORDS);

    // An offset is honoured: 01:59:59+02:00 is a second before the embargo lifts.
    site.build_ok(&["--now", "2026-06-01T01:59:59+02:00"]);
    assert_absent(&site, EMBARGO_WORDS);
}

#[test]
fn files_that_only_unpublished_entries_link_to_wait_for_them() {
    let site = Site::fixture("drafts-embargo");
    let front = |path: &str| {
        let text = std::fs::read_to_string(site.path(path)).unwrap();
        text[..text.rfind("---\n").unwrap() + 4].to_string()
    };
    let draft = front("content/news/secret.md");
    site.write(
        "content/news/secret.md",
        format!(
            "{draft}See [the plan](zanzibar-plan.pdf), [the shared note](../shared.pdf), \
             [the annex](/news/zanzibar-annex.pdf), <a href=\"zanzibar-raw.pdf\">this</a>, \
             [both](both.pdf) and [raw](raw.pdf).\n"
        ),
    );
    let embargoed = front("content/news/embargoed.md");
    site.write(
        "content/news/embargoed.md",
        format!(
            "{embargoed}![Map][map] and [notes](yellowstone%20notes.txt?dl=1#p2).\n\n\
             [map]: ./maps/yellowstone-map.png\n"
        ),
    );
    let public = front("content/news/public.md");
    site.write(
        "content/news/public.md",
        format!(
            "{public}Also [the shared note](/shared.pdf) and [here](../shared.pdf), \
             [both](/news/both.pdf) and <a href=\"raw.pdf\">raw</a>.\n"
        ),
    );
    for file in [
        "content/news/zanzibar-plan.pdf",
        "content/news/maps/yellowstone-map.png",
        "content/news/yellowstone notes.txt",
        "content/shared.pdf",
        "content/news/unrelated.txt",
        "content/news/zanzibar-annex.pdf",
        "content/news/zanzibar-raw.pdf",
        "content/news/both.pdf",
        "content/news/raw.pdf",
    ] {
        site.write(file, "bytes");
    }
    let published = |site: &Site| {
        let mut files = Vec::new();
        for file in [
            "news/zanzibar-plan.pdf",
            "news/maps/yellowstone-map.png",
            "news/yellowstone notes.txt",
            "shared.pdf",
            "news/unrelated.txt",
        ] {
            if site.out().join(file).exists() {
                files.push(file);
            }
        }
        files
    };
    let run = site.build_ok(&[]);
    assert_eq!(published(&site), ["shared.pdf", "news/unrelated.txt"]);
    // A published entry's link from the site's root, or in raw HTML, publishes a file a
    // draft links to too; the draft's own such links hold theirs back.
    for (file, out) in [
        ("news/both.pdf", true),
        ("news/raw.pdf", true),
        ("news/zanzibar-annex.pdf", false),
        ("news/zanzibar-raw.pdf", false),
    ] {
        assert_eq!(site.out().join(file).exists(), out, "{file}");
    }
    assert!(!run.stderr.contains("points to no file"), "{}", run.stderr);

    site.build_ok(&["--drafts"]);
    assert_eq!(
        published(&site),
        ["news/zanzibar-plan.pdf", "shared.pdf", "news/unrelated.txt"]
    );

    let run = site.build_ok(&["--future"]);
    assert_eq!(
        published(&site),
        [
            "news/maps/yellowstone-map.png",
            "news/yellowstone notes.txt",
            "shared.pdf",
            "news/unrelated.txt"
        ]
    );
    // The link is looked up decoded, and written as it was, query and anchor kept.
    assert!(!run.stderr.contains("points to no file"), "{}", run.stderr);
    let page = site.main_of("/news/yellowstone-embargo/");
    assert!(
        page.contains("href=\"/news/yellowstone%20notes.txt?dl=1#p2\""),
        "{page}"
    );
}
