//! Slugs of partners, topics and entries: lowercase ASCII, Thai transliterated, a stable
//! hash when nothing is left, and spelling variants of one topic sharing one page.

use crate::support::{Site, hrefs};

fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[test]
fn thai_names_are_transliterated_and_punctuation_gets_a_hash() {
    let site = Site::fixture("slugs");
    site.build_ok(&[]);
    // Thai topic "การค้ามนุษย์" (human trafficking) and partner "กระทรวงการต่างประเทศ".
    assert!(site.has_page("/topics/kaarkhaamnusy/"));
    assert!(site.has_page("/partners/krathrwngkaartaangpraeths/"));
    // "!!!" has no letters: x- and a stable hash.
    assert!(site.has_page("/topics/x-bbe43c17/"));
    // A Thai file name "ประชุม.md" gives the entry URL.
    assert!(site.has_page("/prachum/"));

    let entry = site.main_of("/thai/");
    let links = hrefs(&entry);
    for url in [
        "/topics/kaarkhaamnusy/",
        "/topics/x-bbe43c17/",
        "/topics/forced-labour/",
        "/partners/krathrwngkaartaangpraeths/",
    ] {
        assert!(
            links.iter().any(|h| h == url),
            "{url} not linked from the entry"
        );
    }
    // The names are shown as written.
    assert!(entry.contains(">การค้ามนุษย์</a>"));
    assert!(entry.contains(">กระทรวงการต่างประเทศ</a>"));
    assert!(site.main_of("/topics/x-bbe43c17/").contains("!!!"));

    // Every folder name the build wrote is a slug.
    for file in site.output_files() {
        for segment in file.split('/').rev().skip(1) {
            assert!(is_slug(segment), "`{segment}` in `{file}` is not a slug");
        }
    }
}

#[test]
fn topic_spellings_differing_in_case_and_spaces_share_a_page() {
    let site = Site::fixture("slugs");
    site.build_ok(&[]);
    // "Forced labour" and "forced  LABOUR" are one topic.
    let topic = site.main_of("/topics/forced-labour/");
    let entries: Vec<String> = hrefs(&topic)
        .into_iter()
        .filter(|h| h == "/thai/" || h == "/prachum/")
        .collect();
    assert_eq!(entries, ["/thai/", "/prachum/"]);
    let topics: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.starts_with("topics/") && f.ends_with(".html"))
        .collect();
    assert_eq!(
        topics,
        [
            "topics/forced-labour/index.html",
            "topics/index.html",
            "topics/kaarkhaamnusy/index.html",
            "topics/x-bbe43c17/index.html",
        ]
    );
}
