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
    assert_eq!(
        without_time(&run.stdout),
        "Built 1 entry (2 held back: 1 draft, 1 embargoed), 1 partner, 12 pages in [T] s, 3 warnings\n"
    );
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

/// A summary line with the time the build took replaced by `[T]`.
fn without_time(line: &str) -> String {
    let (before, after) = line.split_once(" in ").expect("a time");
    let (_, after) = after.split_once(" s").expect("seconds");
    format!("{before} in [T] s{after}")
}

#[test]
fn the_summary_counts_what_was_held_back_and_the_warnings() {
    let site = Site::fixture("drafts-embargo");
    let run = site.build_ok(&["--drafts"]);
    assert_eq!(
        without_time(&run.stdout),
        "Built 2 entries (1 held back: 1 embargoed), 2 partners, 15 pages in [T] s, 3 warnings\n"
    );
    let run = site.build_ok(&["--drafts", "--future"]);
    assert_eq!(
        without_time(&run.stdout),
        "Built 3 entries, 3 partners, 18 pages in [T] s, 3 warnings\n"
    );
    // One of each, and no warnings: nothing said of them.
    site.write(
        "content/partners.yaml",
        "- {id: public, name: Public Partner}\n- {id: quokka, name: Quokka Draft Council}\n- {id: wombat, name: Wombat Embargo Agency}\n",
    );
    let run = site.build_ok(&[]);
    assert_eq!(
        without_time(&run.stdout),
        "Built 1 entry (2 held back: 1 draft, 1 embargoed), 3 partners, 14 pages in [T] s\n"
    );
    site.write(
        "content/news/other.md",
        "---\ntitle: Another draft\ndate: 2022-06-03\ndraft: true\npartners: [Someone New]\n---\nBody.\n",
    );
    let run = site.build_ok(&["--future"]);
    assert_eq!(
        without_time(&run.stdout),
        "Built 2 entries (2 held back: 2 drafts), 3 partners, 16 pages in [T] s, 1 warning\n"
    );
}

#[test]
fn check_says_when_the_next_embargo_lifts() {
    let site = Site::fixture("drafts-embargo");
    site.write(
        "site.yaml",
        "title: Drafts test\nbase_url: https://example.org/\ntimezone: Asia/Bangkok\n",
    );
    site.write(
        "content/partners.yaml",
        "- {id: public, name: Public Partner}\n- {id: quokka, name: Quokka Draft Council}\n- {id: wombat, name: Wombat Embargo Agency}\n",
    );
    // Two embargoes ahead (the check judges them against the clock, so the fixture's own,
    // in 2026, has lifted): the first is named.
    for (name, at) in [
        ("later", "2099-04-01T09:00:00+07:00"),
        ("sooner", "2099-03-01 09:00"),
    ] {
        site.write(
            &format!("content/news/{name}.md"),
            format!("---\ntitle: {name}\ndate: 2022-06-03\npublish_at: {at}\npartners: [public]\ntopics: [t]\n---\nBody.\n"),
        );
    }
    let run = site.run(&["check", "--site", "site"]);
    run.assert_success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "Checked 2 entries (3 held back: 1 draft, 2 embargoed), 3 partners, 16 pages: 0 warnings",
            "Next embargo lifts at 2099-03-01 09:00:00 +07:00 Asia/Bangkok (2099-03-01T02:00:00Z): `content/news/sooner.md`; build again then to publish it",
        ],
        "{}",
        run.stderr
    );
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
