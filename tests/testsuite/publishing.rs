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
            .starts_with("Built 1 entry, 1 partner, 11 pages in "),
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
