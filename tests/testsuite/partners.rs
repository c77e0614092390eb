//! Partners: names matched against the registry, unregistered partners, and pagination of
//! partner and year pages at the `per_page` boundary.

use crate::support::{Site, count, files_containing, hrefs};

#[test]
fn id_name_alias_and_spelling_variants_land_on_one_partner_page() {
    let site = Site::fixture("partner-resolution");
    site.build_ok(&[]);
    let main = site.main_of("/partners/ncmec/");
    let entries: Vec<String> = hrefs(&main)
        .into_iter()
        .filter(|h| h.starts_with("/by-"))
        .collect();
    // Newest first.
    assert_eq!(
        entries,
        ["/by-variant/", "/by-alias/", "/by-name/", "/by-id/"]
    );
    assert!(main.contains("National Center for Missing &amp; Exploited Children"));
    for url in ["/by-id/", "/by-name/", "/by-alias/", "/by-variant/"] {
        let page = site.main_of(url);
        assert_eq!(count(&page, "href=\"/partners/ncmec/\""), 1, "{url}");
        assert!(
            page.contains(">National Center for Missing &amp; Exploited Children</a>"),
            "{url} shows the registered name"
        );
    }
    // No page was made up for any of the spellings.
    assert_eq!(
        site.output_files()
            .into_iter()
            .filter(|f| f.starts_with("partners/") && f.ends_with("index.html"))
            .collect::<Vec<_>>(),
        [
            "partners/index.html",
            "partners/ncmec/index.html",
            "partners/us-dos/index.html",
            "partners/us-state-departmnt/index.html",
        ]
    );
}

#[test]
fn unregistered_partner_gets_a_page_and_a_warning_with_a_suggestion() {
    let site = Site::fixture("partner-resolution");
    let run = site.build_ok(&[]);
    assert_eq!(
        run.stderr,
        "\
warning: partner `US State Departmnt` is not in the registry
 --> content/unregistered.md:6:5
  |
6 |   - US State Departmnt
  |     ^
  = hint: did you mean `US State Department`? Otherwise add it to content/partners.yaml

"
    );
    let main = site.main_of("/partners/us-state-departmnt/");
    assert!(main.contains("<h1>US State Departmnt"), "{main}");
    // The registry is the author's business: readers see no badge or notice about it.
    let html_with_registry: Vec<String> = files_containing(&site.out(), "registry")
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert_eq!(html_with_registry, Vec::<String>::new());
    assert_eq!(count(&main, "href=\"/unregistered/\""), 1);
    let entry = site.main_of("/unregistered/");
    assert_eq!(count(&entry, "href=\"/partners/us-dos/\""), 1);
    assert_eq!(count(&entry, "href=\"/partners/us-state-departmnt/\""), 1);
    // The partner index lists all three.
    let index = site.main_of("/partners/");
    for url in [
        "/partners/ncmec/",
        "/partners/us-dos/",
        "/partners/us-state-departmnt/",
    ] {
        assert!(
            hrefs(&index).iter().any(|h| h == url),
            "{url} not in the index"
        );
    }
}

/// Writes `n` entries of 2023 naming the partner `iom`, one day apart, oldest `e-001`.
fn paginated_site(n: usize) -> Site {
    let site = Site::fixture("pagination");
    for i in 1..=n {
        let date = day_of_2023(i);
        site.write(
            &format!("content/e-{i:03}.md"),
            format!("---\ntitle: Entry {i:03}\ndate: {date}\npartners: [iom]\n---\nBody {i}.\n"),
        );
    }
    site
}

/// The `i`-th day of 2023 (1-based, `i` ≤ 59) as `YYYY-MM-DD`.
fn day_of_2023(i: usize) -> String {
    assert!((1..=59).contains(&i));
    if i <= 31 {
        format!("2023-01-{i:02}")
    } else {
        format!("2023-02-{:02}", i - 31)
    }
}

/// Entry links (`/e-NNN/`) on a page, in order.
fn entry_links(main: &str) -> Vec<String> {
    hrefs(main)
        .into_iter()
        .filter(|h| h.starts_with("/e-"))
        .collect()
}

fn assert_single_page(site: &Site, list: &str, n: usize) {
    let main = site.main_of(list);
    let links = entry_links(&main);
    assert_eq!(links.len(), n, "{list}");
    assert_eq!(
        links[0],
        format!("/e-{n:03}/"),
        "{list} starts with the newest"
    );
    assert_eq!(links[n - 1], "/e-001/", "{list} ends with the oldest");
    assert!(!site.has_page(&format!("{list}page/2/")), "{list}page/2/");
    assert!(
        !hrefs(&main).iter().any(|h| h.contains("/page/")),
        "{list} has no pager"
    );
}

#[test]
fn pagination_49_entries_fit_on_one_page() {
    let site = paginated_site(49);
    site.build_ok(&[]);
    assert_single_page(&site, "/partners/iom/", 49);
    assert_single_page(&site, "/timeline/2023/", 49);
}

#[test]
fn pagination_50_entries_fit_on_one_page() {
    let site = paginated_site(50);
    site.build_ok(&[]);
    assert_single_page(&site, "/partners/iom/", 50);
    assert_single_page(&site, "/timeline/2023/", 50);
}

#[test]
fn pagination_51_entries_make_a_second_page() {
    let site = paginated_site(51);
    site.build_ok(&[]);
    for list in ["/partners/iom/", "/timeline/2023/"] {
        let second = format!("{list}page/2/");
        let first_main = site.main_of(list);
        let links = entry_links(&first_main);
        assert_eq!(links.len(), 50, "{list}");
        assert_eq!(links[0], "/e-051/");
        assert_eq!(links[49], "/e-002/");
        assert!(
            first_main.contains(&format!("<a href=\"{second}\" rel=\"next\">")),
            "{list}: {first_main}"
        );
        assert!(!first_main.contains("rel=\"prev\""), "{list}");

        let second_main = site.main_of(&second);
        assert_eq!(entry_links(&second_main), ["/e-001/"], "{second}");
        assert!(
            second_main.contains(&format!("<a href=\"{list}\" rel=\"prev\">")),
            "{second}: {second_main}"
        );
        assert!(!second_main.contains("rel=\"next\""), "{second}");
        assert!(!site.has_page(&format!("{list}page/3/")));
        // Page 1 is the list itself, never `page/1/`.
        assert!(!site.has_page(&format!("{list}page/1/")));
    }
}

#[test]
fn home_page_lists_the_latest_ten_entries() {
    let site = paginated_site(12);
    site.build_ok(&[]);
    let main = site.main_of("/");
    let expected: Vec<String> = (3..=12).rev().map(|i| format!("/e-{i:03}/")).collect();
    assert_eq!(entry_links(&main), expected);
}

#[test]
fn a_name_typed_with_separate_accents_or_invisible_characters_is_the_same_name() {
    let site = Site::empty();
    site.write("site.yaml", "base_url: https://example.org/\n");
    // Composed in the registry; decomposed (e + accent) and with a zero-width space in the
    // entry, as text pasted from other documents often is.
    site.write(
        "content/partners.yaml",
        "- id: cafe-org\n  name: Caf\u{e9} Org\n  type: ngo\n",
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2022-05-24\npartners: [Cafe\u{301} Org, Caf\u{e9}\u{200B} Org]\ntopics: [caf\u{e9}, cafe\u{301}]\n---\nText.\n",
    );
    let run = site.build_ok(&[]);
    assert_eq!(run.stderr, "", "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Built 1 entry, 1 partner, "),
        "{}",
        run.stdout
    );
    assert!(site.has_page("/partners/cafe-org/"));
    assert!(site.has_page("/topics/cafe/"));
}

#[test]
fn partner_index_labels_every_cell_for_phones_and_has_one_region_per_name() {
    let site = Site::fixture("partner-resolution");
    site.build_ok(&[]);
    let main = site.main_of("/partners/");
    // The A–Z section is the only landmark named "A–Z": the table inside it is no second
    // region of the same name, and needs no scrolling (nor a hint to scroll).
    assert_eq!(count(&main, "aria-labelledby=\"a-z\""), 1, "{main}");
    assert_eq!(count(&main, "role=\"region\""), 0, "{main}");
    assert!(!main.contains("Scroll the table sideways"), "{main}");
    // On a phone each row is a card: every cell carries the label drawn next to its value.
    let rows = count(&main, "<th scope=\"row\">");
    assert_eq!(rows, 3, "{main}");
    for label in ["Type", "Country", "Entries", "First", "Latest"] {
        assert_eq!(
            count(&main, &format!("data-label=\"{label}\"")),
            rows,
            "{label}"
        );
    }
    let css = std::fs::read_to_string(site.out().join("style.css")).unwrap();
    assert!(css.contains("@media (max-width: 57.99rem) {\n  .partners-table,"));
    assert!(css.contains("content: attr(data-label) / \"\";"));
    assert!(
        !css.contains("min-width: 40rem;"),
        "the table is not made wider than a phone"
    );
}
