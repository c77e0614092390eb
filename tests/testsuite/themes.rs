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

#[test]
fn the_timeline_shows_each_year_as_the_section_partial_makes_it() {
    let site = Site::fixture("timeline-order");
    site.write(
        "templates/partials/timeline_section.html",
        "<section class=\"mine\" id=\"y{{ y.year }}\">{{ y.count }} in {{ y.year }}:{% for m in y.months %}{% for e in m.entries %} {{ e.title }};{% endfor %}{% endfor %}</section>\n",
    );
    site.build_ok(&[]);
    let main = site.main_of("/timeline/");
    let sections: Vec<&str> = main
        .lines()
        .filter(|l| l.starts_with("<section class=\"mine\""))
        .collect();
    assert_eq!(
        sections,
        [
            "<section class=\"mine\" id=\"y2022\">5 in 2022: Morning briefing; Alexandria visit; Washington visit; Early May call; January meeting;</section>",
            "<section class=\"mine\" id=\"y2021\">1 in 2021: March talks;</section>",
            "<section class=\"mine\" id=\"y2020\">1 in 2020: December workshop;</section>",
        ],
        "{main}"
    );
    // Made by a template, so escaped there and not again.
    assert!(!main.contains("&lt;section"), "{main}");
}

#[test]
fn a_timeline_template_may_loop_over_the_years_itself() {
    let site = Site::fixture("timeline-order");
    site.write(
        "templates/timeline.html",
        "{% extends \"base.html\" %}{% block main %}<ol>{% for y in years %}{% for m in y.months %}{% for e in m.entries %}<li><a href=\"{{ e.url }}\">{{ e.title }}</a></li>{% endfor %}{% endfor %}{% endfor %}</ol>{% endblock main %}",
    );
    site.build_ok(&[]);
    let main = site.main_of("/timeline/");
    assert_eq!(main.matches("<li><a href=").count(), 7, "{main}");
    assert!(!main.contains("class=\"year\""), "{main}");
}

/// The lines of the `<main>` of the page at `url` that a test's partial made (`<li class="mine">`),
/// trimmed.
fn mine(site: &Site, url: &str) -> Vec<String> {
    site.main_of(url)
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("<li class=\"mine\">"))
        .map(String::from)
        .collect()
}

#[test]
fn the_row_partial_of_a_site_shows_on_the_year_pages_only() {
    let site = Site::fixture("data-basic");
    site.write(
        "templates/partials/row.html",
        "<li class=\"mine\">{{ e.date.day }} {{ m.name }} {{ m.year }} ({{ m.month }}, #{{ m.id }}): {{ e.title }} · {{ site.title }}{% if e.html %} · with its card{% endif %}</li>\n",
    );
    site.build_ok(&[]);
    let mine = |url: &str| mine(&site, url);
    let fixture = "Open data fixture: &quot;records&quot;, lists; and more";
    assert_eq!(
        mine("/timeline/2024/"),
        [
            format!(
                "<li class=\"mine\">7 March 2024 (3, #2024-03): คณะผู้แทนไทยหารือกับหน่วยงานสหรัฐฯ ว่าด้วยความร่วมมือต่อต้านการค้ามนุษย์ ณ กรุงวอชิงตัน ดี.ซี. และแถลงผลการหารือ · {fixture} · with its card</li>"
            ),
            format!(
                "<li class=\"mine\">5 March 2024 (3, #2024-03): Talks in &quot;Washington&quot;, with partners; day one · {fixture} · with its card</li>"
            ),
        ]
    );
    // The month's heading is the year page's own; the other lists keep their cards.
    assert!(site.main_of("/timeline/2024/").contains(
        "<h2 class=\"month__title\" id=\"2024-03\">March 2024 <span class=\"count\">(2)</span></h2>"
    ));
    for url in [
        "/",
        "/timeline/",
        "/timeline/kind/engagement/",
        "/topics/human-trafficking/",
    ] {
        assert!(mine(url).is_empty(), "{url}");
    }
}

#[test]
fn the_card_partial_of_a_site_shows_in_every_list_that_writes_it() {
    let site = Site::fixture("data-basic");
    site.write(
        "templates/partials/card.html",
        "<li class=\"mine\">{{ e.title }} · {{ e.kind_label }} · {{ site.title }}</li>\n",
    );
    site.build_ok(&[]);
    let mine = |url: &str| mine(&site, url);
    let talks = "<li class=\"mine\">Talks in &quot;Washington&quot;, with partners; day one · Engagement · Open data fixture: &quot;records&quot;, lists; and more</li>";
    let statement = "<li class=\"mine\">คณะผู้แทนไทยหารือกับหน่วยงานสหรัฐฯ ว่าด้วยความร่วมมือต่อต้านการค้ามนุษย์ ณ กรุงวอชิงตัน ดี.ซี. และแถลงผลการหารือ · Press release · Open data fixture: &quot;records&quot;, lists; and more</li>";
    assert_eq!(mine("/"), [statement, talks]);
    assert_eq!(mine("/timeline/kind/engagement/"), [talks]);
    assert_eq!(mine("/timeline/kind/press-release/"), [statement]);
    assert_eq!(mine("/topics/human-trafficking/"), [statement, talks]);
    // The default partner page lays out its cards itself, naming only the other partners.
    let partner = site.main_of("/partners/us-dos/");
    assert!(mine("/partners/us-dos/").is_empty(), "{partner}");
    assert!(
        partner.contains("<span class=\"label\">Also with</span>"),
        "{partner}"
    );
}

#[test]
fn the_search_form_submits_to_the_search_page_under_the_base_path() {
    let site = Site::fixture("data-basic");
    site.build_ok(&["--base-url", "https://example.github.io/office-records/"]);
    let page = site.page("/search/");
    // An empty `action` is not valid HTML.
    assert!(!page.contains("action=\"\""), "{page}");
    assert!(
        page.contains("role=\"search\" action=\"/office-records/search/\" method=\"get\""),
        "{page}"
    );
}
