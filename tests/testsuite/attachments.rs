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
