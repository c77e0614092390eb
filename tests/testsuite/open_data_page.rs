//! The open data page, `/data/`, linked from every page, and the theme's icon.

use crate::support::{Site, count, hrefs};

#[test]
fn the_open_data_page_explains_each_file_and_every_page_links_it() {
    let site = Site::fixture("data-basic");
    site.build_ok(&["--base-url", "https://example.github.io/office-records/"]);
    let main = site.main_of("/data/");
    assert!(main.contains("<h1>Open data</h1>"), "{main}");
    // Each file: a link, its format and its absolute address to copy.
    for (file, kind, format) in [
        ("entries.json", "application/json", "JSON"),
        ("entries.csv", "text/csv", "CSV"),
        ("entries.ics", "text/calendar", "iCalendar"),
    ] {
        assert!(
            main.contains(&format!(
                "<a href=\"/office-records/data/{file}\" type=\"{kind}\">{file}</a> <span class=\"data-file__format\">{format}</span>"
            )),
            "{file}: {main}"
        );
        assert!(
            main.contains(&format!(
                "<code>https://example.github.io/office-records/data/{file}</code>"
            )),
            "{file}"
        );
    }
    // The CSV's columns, as the file has them.
    let csv = std::fs::read_to_string(site.out().join("data/entries.csv")).unwrap();
    let header = csv.lines().next().unwrap();
    let listed: Vec<&str> = main
        .split("<li><code>")
        .skip(1)
        .map(|item| &item[..item.find("</code>").unwrap()])
        .collect();
    assert_eq!(listed.join(","), header);
    assert!(main.contains("Its 25 columns, in order:"), "{main}");
    // Two published entries in the fixture (a draft and an embargoed one are held back).
    assert!(main.contains("(2 entries)"), "{main}");

    // Every page links it from its footer and names the icon, which is there.
    let pages: Vec<String> = site
        .output_files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() > 10, "{pages:?}");
    for file in &pages {
        let html = std::fs::read_to_string(site.out().join(file)).unwrap();
        if html.contains("http-equiv=\"refresh\"") {
            continue; // an old address, sending the reader on
        }
        let footer = &html[html.find("<footer").unwrap()..];
        assert_eq!(
            count(footer, "<a href=\"/office-records/data/\""),
            1,
            "{file} links the open data page"
        );
        assert!(
            html.contains(
                "<link rel=\"icon\" href=\"/office-records/favicon.svg\" type=\"image/svg+xml\">"
            ),
            "{file} names the icon"
        );
    }
    let icon = std::fs::read_to_string(site.out().join("favicon.svg")).unwrap();
    assert!(icon.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    // The page is in the sitemap like any other.
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.github.io/office-records/data/</loc>"));
    // The footer link is marked on the page itself.
    let page = site.page("/data/");
    assert!(page.contains("<a href=\"/office-records/data/\" aria-current=\"page\">Open data</a>"));
    assert!(hrefs(&page).contains(&"/office-records/feed.xml".to_string()));
}

#[test]
fn a_theme_copy_without_the_data_template_gets_the_built_in_one_and_other_themes_none() {
    // A copy of the default theme made before `data.html` existed.
    let site = Site::fixture("data-basic");
    let templates = site.path("themes/default/templates");
    std::fs::create_dir_all(templates.join("partials")).unwrap();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
    for entry in walk(&root) {
        let relative = entry.strip_prefix(&root).unwrap();
        if relative != std::path::Path::new("data.html") {
            std::fs::copy(&entry, templates.join(relative)).unwrap();
        }
    }
    site.build_ok(&[]);
    assert!(site.main_of("/data/").contains("<h1>Open data</h1>"));

    // Another theme without it: no page, and the build still succeeds.
    std::fs::rename(site.path("themes/default"), site.path("themes/plain")).unwrap();
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{yaml}theme: plain\n"));
    site.build_ok(&[]);
    assert!(!site.has_page("/data/"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}
