//! Site-level overrides: one template in `templates/`, static files in `static/`.

use crate::support::Site;

#[test]
fn site_template_overrides_one_page_kind() {
    let site = Site::fixture("template-override");
    site.build_ok(&[]);
    let entry = site.page("/a/");
    let main = site.main_of("/a/");
    assert_eq!(
        main.lines()
            .map(str::trim)
            .filter(|l| l.starts_with("<p"))
            .collect::<Vec<_>>(),
        ["<p class=\"site-override\">Overridden entry: Visit to Geneva</p>"]
    );
    assert!(!main.contains("Body text that the override leaves out"));
    // It still extends the theme's layout.
    assert!(entry.starts_with("<!DOCTYPE html>"), "{entry}");
    assert!(entry.contains("<link rel=\"canonical\" href=\"https://example.org/a/\">"));
    // Other page kinds keep the theme's templates.
    let timeline = site.main_of("/timeline/");
    assert!(timeline.contains("href=\"/a/\""), "{timeline}");
    assert!(!timeline.contains("site-override"));
}

#[test]
fn site_static_file_wins_over_the_theme() {
    let site = Site::fixture("static-override");
    site.build_ok(&[]);
    let css = std::fs::read(site.out().join("style.css")).unwrap();
    assert_eq!(css, std::fs::read(site.path("static/style.css")).unwrap());
    assert_eq!(
        std::fs::read_to_string(site.out().join("files/notice.txt")).unwrap(),
        "A static file of the site.\n"
    );
}

#[test]
fn theme_stylesheet_is_written_without_a_site_static_folder() {
    let site = Site::fixture("template-override");
    site.build_ok(&[]);
    let css = std::fs::read_to_string(site.out().join("style.css")).unwrap();
    assert!(
        css.len() > 1000,
        "the default theme's stylesheet is missing"
    );
    assert!(
        site.page("/a/")
            .contains("<link rel=\"stylesheet\" href=\"/style.css\">")
    );
}
