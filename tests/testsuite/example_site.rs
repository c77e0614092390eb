//! The example site at the repository root builds, and its key pages exist.

use crate::support::{Site, files_of, hrefs, snapshot};

fn repository() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn example_site_builds_with_its_key_pages() {
    let site = Site::empty();
    let out = site.tmp.join("out");
    let root = repository().display().to_string();
    let args = [
        "build",
        "--site",
        root.as_str(),
        "--output",
        &out.display().to_string(),
        "--now",
        crate::support::NOW,
    ];
    let run = site.run(&args);
    run.assert_success();
    assert!(run.stdout.starts_with("Built "), "{}", run.stdout);

    let page = |url: &str| -> String {
        let path = out.join(url.trim_start_matches('/')).join("index.html");
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{url}: {e}"))
    };
    for url in [
        "/",
        "/timeline/",
        "/timeline/2022/",
        "/partners/",
        "/partners/us-dos/",
        "/partners/ncmec/",
        "/topics/",
        "/topics/forced-labour/",
    ] {
        assert!(page(url).contains("<main"), "{url}");
    }
    assert!(out.join("404.html").is_file());
    assert!(out.join("style.css").is_file());
    assert!(out.join(".gazette").is_file());

    // The 24 May 2022 meeting in Washington links its four partners.
    let entry = page("/engagements/thai-us-washington/");
    let links = hrefs(&entry);
    for partner in ["us-dos", "us-dol", "us-congress", "ncmec"] {
        let url = format!("/partners/{partner}/");
        assert!(
            links.contains(&url),
            "{url} not linked from the Washington entry"
        );
    }
    assert!(
        entry.contains("<time datetime=\"2022-05-24\">"),
        "the entry's date"
    );
    // The visit in Virginia the next day is shown in its own local time.
    let abroad = page("/engagements/ncmec-alexandria-visit/");
    assert!(
        abroad
            .contains("<time datetime=\"2022-05-25T09:30:00-04:00\">25 May 2022, 09:30 EDT</time>"),
        "the visit's local time"
    );
    // …and the timeline and the partner page list it.
    let entry_url = "/engagements/thai-us-washington/".to_string();
    assert!(hrefs(&page("/timeline/")).contains(&entry_url));
    assert!(hrefs(&page("/partners/us-dos/")).contains(&entry_url));

    // Building again into another folder gives the same bytes.
    let again = site.tmp.join("again");
    let args2 = [
        "build",
        "--site",
        root.as_str(),
        "--output",
        &again.display().to_string(),
        "--now",
        crate::support::NOW,
    ];
    site.run(&args2).assert_success();
    let first = snapshot(&out);
    let second = snapshot(&again);
    assert_eq!(files_of(&first), files_of(&second));
}
