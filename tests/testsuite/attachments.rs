//! Links to documents (SPEC §10): a link to a local PDF, Office file, CSV or ZIP shows the
//! document's kind and size, and a PDF's pages, after its text; on the `attachments` fixture.

use crate::support::Site;

#[test]
fn a_link_to_a_local_document_shows_its_kind_size_and_pages() {
    let site = Site::fixture("attachments");
    site.build_ok(&[]);
    let main = site.main_of("/press-releases/statement/");
    for link in [
        // Relative, beside the entry: a one-page PDF of 1,145 bytes.
        r#"<a href="/press-releases/joint-statement.pdf">joint statement (PDF, 1.1 KB, 1 page)</a>"#,
        // From the site's root.
        r#"<a href="/files/cases.csv">figures (CSV, 30 bytes)</a>"#,
        // Up a folder, with an anchor.
        r#"<a href="/files/annex.zip#page=2">annexes (ZIP archive, 2.5 KB)</a>"#,
        // Not a document gazette describes, and a document elsewhere: as written.
        r#"<a href="/files/notes.txt">notes</a>"#,
        r#"<a href="https://example.com/statement.pdf" rel="noopener">original</a>"#,
    ] {
        assert!(main.contains(link), "{link}\n{main}");
    }
}

#[test]
fn a_changed_document_changes_its_label() {
    let site = Site::fixture("attachments");
    site.write("content/files/cases.csv", "year,cases\r\n".repeat(200));
    site.build_ok(&[]);
    let main = site.main_of("/press-releases/statement/");
    assert!(
        main.contains(r#"<a href="/files/cases.csv">figures (CSV, 2.4 KB)</a>"#),
        "{main}"
    );
}

#[test]
fn an_entry_lists_its_attachments_and_the_open_data_gives_their_urls() {
    let site = Site::fixture("attachments");
    site.build_ok(&[]);
    let main = site.main_of("/press-releases/agreement/");
    let section = &main[main
        .find(r#"<section class="attachments""#)
        .expect("an attachments block")..];
    let section = &section[..section.find("</section>").unwrap()];
    let items: Vec<String> = section
        .split(r#"<li class="attachment">"#)
        .skip(1)
        .map(|item| item.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        items,
        [
            r#"<a class="attachment__title" href="/press-releases/joint-statement.pdf">Joint statement of 1 March 2024</a> <p class="attachment__meta">PDF, 1.1 KB, 1 page</p> </li>"#,
            r#"<a class="attachment__title" href="/files/cases.csv">Cases by year</a> <p class="attachment__meta">CSV, 30 bytes</p> </li>"#,
            r#"<a class="attachment__title" href="/files/notes.txt">Notes of the meeting</a> </li> </ul>"#,
        ]
    );
    // An entry without attachments has no block.
    let other = site.main_of("/press-releases/statement/");
    assert!(!other.contains("attachments"), "{other}");

    let agreement = site.data_entry("agreement");
    assert_eq!(
        agreement["attachments"],
        serde_json::json!([
            {"title": "Joint statement of 1 March 2024", "url": "https://example.org/press-releases/joint-statement.pdf", "kind": "pdf", "bytes": 1145, "pages": 1},
            {"title": "Cases by year", "url": "https://example.org/files/cases.csv", "kind": "csv", "bytes": 30, "pages": null},
            {"title": "Notes of the meeting", "url": "https://example.org/files/notes.txt", "kind": null, "bytes": null, "pages": null},
        ])
    );
}

/// Builds the fixture with one more entry whose front matter ends with `fields`; the build
/// must fail, and stderr start with `expected`.
fn fails_with(fields: &str, expected: &str) {
    Site::fixture("attachments").fails_with_entry(
        "content/press-releases/bad.md",
        fields,
        expected,
    );
}

#[test]
fn an_attachment_that_is_not_there_is_an_error() {
    fails_with(
        "attachments:\n  - file: missing.pdf\n    title: Missing",
        "error: attachment `missing.pdf` points to no file under `content/`
 --> content/press-releases/bad.md:5:11
  |
5 |   - file: missing.pdf
  |           ^
  = hint: an attachment's `file` is found as a relative link is, from the entry's folder; put the file beside the entry or write its path from the site root",
    );
    fails_with(
        "attachments:\n  - file: joint-statement.pdf",
        "error: an item of `attachments` is missing `title`
 --> content/press-releases/bad.md:5:5
  |
5 |   - file: joint-statement.pdf
  |     ^
  = hint: each attachment needs a `file` and a `title`, e.g. `- {file: statement.pdf, title: Joint statement}`",
    );
}

#[test]
fn the_csv_gives_the_attachments_urls() {
    let site = Site::fixture("attachments");
    site.build_ok(&[]);
    let csv = std::fs::read(site.out().join("data/entries.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_slice());
    assert_eq!(
        reader.headers().unwrap().iter().next_back(),
        Some("attachments")
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    // Newest first: the agreement, then the statement, which lists none.
    assert_eq!(
        rows[0].iter().next_back(),
        Some(
            "https://example.org/press-releases/joint-statement.pdf; https://example.org/files/cases.csv; https://example.org/files/notes.txt"
        )
    );
    assert_eq!(rows[1].iter().next_back(), Some(""));
}

#[test]
fn a_drafts_attachment_is_held_back_with_it_unless_a_published_entry_names_it() {
    let site = Site::fixture("attachments");
    site.write(
        "content/press-releases/2024-05-01-plan.md",
        "---\ntitle: Plan\ndate: 2024-05-01\ndraft: true\nattachments:\n  - file: plan.pdf\n    title: Draft plan\n  - file: /files/cases.csv\n    title: Cases\n---\nNot yet.\n",
    );
    site.write("content/press-releases/plan.pdf", "%PDF-1.4\n%%EOF\n");
    site.build_ok(&[]);
    // Only the draft names `plan.pdf`: it is published with the draft, not before.
    assert!(!site.out().join("press-releases/plan.pdf").exists());
    // `cases.csv` is also named by a published entry, so it is published.
    assert!(site.out().join("files/cases.csv").exists());
}
