//! The Markdown pipeline: `markdown::render` with links to other entries and files.
//!
//! The first byte picks the options (bit 0: `allow_raw_html`; bit 1: render in a sub-folder),
//! the rest is the body. Never panics; with `allow_raw_html: false` the HTML has no script,
//! event handler, `javascript:`/`data:` URL or embedding element as a browser would read it
//! (checked with the hostile suite's html5ever-based scanner); heading ids are unique slugs
//! and no other element of the body has one of them.
#![no_main]

use std::collections::HashSet;

use gazette::markdown::{self, Links};
use libfuzzer_sys::fuzz_target;

#[path = "../../tests/testsuite/hostile/html_scan.rs"]
mod html_scan;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    // Collected into whatever maps `Links` takes.
    let entries = [
        ("a.md".to_string(), "/a/".to_string()),
        (
            "engagements/b.md".to_string(),
            "/engagements/b/".to_string(),
        ),
    ]
    .into_iter()
    .collect();
    let unpublished = ["drafts/d.md".to_string()].into_iter().collect();
    let failed = ["broken.md".to_string()].into_iter().collect();
    let assets = ["engagements/map.png".to_string()].into_iter().collect();
    let documents = Default::default();
    let photos = Default::default();
    let allow_raw_html = flags & 1 == 1;
    let links = Links {
        entries: &entries,
        unpublished: &unpublished,
        failed: &failed,
        assets: &assets,
        documents: &documents,
        photos: &photos,
        photo_above: flags & 4 == 4,
        folder: if flags & 2 == 2 { "engagements" } else { "" },
        base_path: "/sub/",
        allow_raw_html,
    };
    let rendered = markdown::render(text, &links);
    for problem in &rendered.problems {
        assert!(
            problem.offset <= text.len(),
            "offset {} of {}",
            problem.offset,
            text.len()
        );
        assert!(text.is_char_boundary(problem.offset));
    }
    let mut ids = HashSet::new();
    for item in &rendered.toc {
        assert!(gazette::slug::is_slug(&item.id), "heading id {:?}", item.id);
        assert!(
            ids.insert(item.id.as_str()),
            "heading id {:?} twice",
            item.id
        );
        assert!((1..=6).contains(&item.level));
    }
    if allow_raw_html {
        return;
    }
    let problems = html_scan::problems(&rendered.html, html_scan::Scope::Body, None);
    assert!(
        problems.is_empty(),
        "{problems:#?}\n--- markdown:\n{text}\n--- html:\n{}",
        rendered.html
    );
    // Every heading id is on its heading only: raw HTML and footnotes do not repeat it.
    let ids = html_scan::ids(&rendered.html);
    for item in &rendered.toc {
        let count = ids.iter().filter(|id| **id == item.id).count();
        assert_eq!(
            count, 1,
            "id {:?} {count} times in\n{}",
            item.id, rendered.html
        );
    }
    // Sanitising is stable: cleaning clean HTML changes nothing a browser would run.
    let again = markdown::sanitise(&rendered.html);
    assert!(html_scan::problems(&again, html_scan::Scope::Body, None).is_empty());
});
