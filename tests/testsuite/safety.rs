//! Markup from content never runs: text fields are escaped in every page, raw HTML in bodies is
//! sanitised unless `allow_raw_html: true`.

use crate::support::{Site, count, files_containing, files_of, snapshot};

/// Output files a browser would parse as markup.
fn markup_files(site: &Site) -> Vec<(String, String)> {
    files_of(&snapshot(&site.out()))
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html") || path.ends_with(".xml"))
        .map(|(path, bytes)| {
            (
                path.to_string(),
                String::from_utf8_lossy(bytes).into_owned(),
            )
        })
        .collect()
}

fn escaped(marker: &str) -> String {
    format!("&lt;script&gt;alert(&quot;{marker}&quot;)&lt;/script&gt;")
}

#[test]
fn markup_in_titles_locations_partners_topics_and_summaries_is_escaped() {
    let site = Site::fixture("escaping");
    site.build_ok(&[]);
    let entry = site.page("/a/");
    assert!(
        entry.contains(&format!("<h1>{} &amp; Co</h1>", escaped("t"))),
        "title"
    );
    assert!(
        entry.contains(&format!("<title>{} &amp; Co — ", escaped("t"))),
        "<title>"
    );
    let main = site.main_of("/a/");
    for marker in ["l", "p", "x", "s"] {
        assert!(
            main.contains(&escaped(marker)),
            "`{marker}` not escaped on the entry page"
        );
    }
    let timeline = site.main_of("/timeline/");
    for marker in ["t", "l"] {
        assert!(
            timeline.contains(&escaped(marker)),
            "`{marker}` on the timeline"
        );
    }
    let partner = site.main_of("/partners/script-alert-p-script-ministry/");
    assert!(partner.contains(&escaped("p")));
    assert!(partner.contains(&escaped("t")));
    let topic = site.main_of("/topics/script-alert-x-script-topic/");
    assert!(topic.contains(&escaped("x")));

    // Never raw, anywhere.
    let files = markup_files(&site);
    assert!(files.len() >= 8, "{files:?}");
    for (path, text) in &files {
        assert!(!text.contains("<script>alert"), "raw <script> in {path}");
        assert!(!text.contains("alert(\""), "unescaped quote in {path}");
    }
}

#[test]
fn raw_html_in_bodies_is_sanitised() {
    let site = Site::fixture("sanitising");
    site.build_ok(&[]);
    for needle in ["onerror", "onclick", "javascript:", "xss-"] {
        assert_eq!(
            files_containing(&site.out(), needle),
            Vec::<String>::new(),
            "`{needle}` survived sanitising"
        );
    }
    // The only scripts are the theme's own: JSON-LD in every page, the search page's two.
    for (path, text) in markup_files(&site) {
        let rest = text
            .replace("<script type=\"application/ld+json\">", "")
            .replace("<script src=\"../search-index.js\" defer></script>", "")
            .replace("<script src=\"../search.js\" defer></script>", "");
        assert!(
            !rest.contains("<script"),
            "`<script` survived sanitising in {path}"
        );
    }
    let main = site.main_of("/a/");
    // What is harmless stays.
    assert!(
        main.contains("<div class=\"callout\">A <em>callout</em></div>"),
        "{main}"
    );
    assert!(
        main.contains("<a href=\"https://example.org/\">safe</a>"),
        "{main}"
    );
    assert!(main.contains("<img src=\"map.png\" alt=\"map\">"), "{main}");
    assert_eq!(count(&main, "<p>Intro paragraph.</p>"), 1);
}

#[test]
fn raw_html_passes_when_allowed() {
    let site = Site::fixture("raw-html-allowed");
    site.build_ok(&[]);
    let main = site.main_of("/a/");
    assert!(
        main.contains("<div class=\"callout\" data-note=\"kept\">A <em>callout</em></div>"),
        "{main}"
    );
    assert!(main.contains("<script>alert(\"xss-1\")</script>"), "{main}");
    assert!(
        main.contains("<img src=\"map.png\" alt=\"map\" onerror=\"alert('xss-2')\">"),
        "{main}"
    );
    // A Markdown link still never gets a `javascript:` URL.
    assert!(!main.contains("javascript:alert('xss-4')"), "{main}");
}
