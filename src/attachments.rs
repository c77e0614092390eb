//! Attachments: what a link to a local document says about it, as in
//! `Joint statement (PDF, 240 KB, 3 pages)` — its kind, its size, and for a PDF its pages.
//!
//! Sizes are decimal (1 KB = 1,000 bytes), as storage and GOV.UK's attachments count them.
//! A PDF's pages come from [`pdf::page_count`], a small reader bounded in time and memory
//! (docs/photos.md says why not a PDF crate); a PDF it cannot read still gets its kind and
//! size. This module reads files only through [`crate::tree::open`], never through a link.

pub mod pdf;

use std::path::Path;

use serde::Serialize;

/// The kinds of document an attachment can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Pdf,
    Word,
    Excel,
    PowerPoint,
    OpenDocumentText,
    OpenDocumentSpreadsheet,
    OpenDocumentPresentation,
    Csv,
    Zip,
}

impl Kind {
    /// The kind of a file named `path`, by its extension (in any case); `None` when it is
    /// not a document gazette describes.
    pub fn of(path: &Path) -> Option<Kind> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match extension.as_str() {
            "pdf" => Kind::Pdf,
            "doc" | "docx" => Kind::Word,
            "xls" | "xlsx" => Kind::Excel,
            "ppt" | "pptx" => Kind::PowerPoint,
            "odt" => Kind::OpenDocumentText,
            "ods" => Kind::OpenDocumentSpreadsheet,
            "odp" => Kind::OpenDocumentPresentation,
            "csv" => Kind::Csv,
            "zip" => Kind::Zip,
            _ => return None,
        })
    }

    /// What a reader calls it: "PDF", "Word document", "CSV".
    pub fn label(self) -> &'static str {
        match self {
            Kind::Pdf => "PDF",
            Kind::Word => "Word document",
            Kind::Excel => "Excel spreadsheet",
            Kind::PowerPoint => "PowerPoint presentation",
            Kind::OpenDocumentText => "OpenDocument text",
            Kind::OpenDocumentSpreadsheet => "OpenDocument spreadsheet",
            Kind::OpenDocumentPresentation => "OpenDocument presentation",
            Kind::Csv => "CSV",
            Kind::Zip => "ZIP archive",
        }
    }
}

/// What is said of one attached document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub kind: Kind,
    /// [`Kind::label`], for templates.
    pub label: &'static str,
    pub bytes: u64,
    /// [`human_size`] of `bytes`.
    pub size: String,
    /// A PDF's pages, when they could be counted.
    pub pages: Option<u32>,
}

impl Attachment {
    /// The document of kind `kind` whose bytes are `bytes` (only a PDF's are looked at).
    pub fn from_bytes(kind: Kind, bytes: &[u8]) -> Attachment {
        Attachment {
            kind,
            label: kind.label(),
            bytes: bytes.len() as u64,
            size: human_size(bytes.len() as u64),
            pages: match kind {
                Kind::Pdf => pdf::page_count(bytes),
                _ => None,
            },
        }
    }

    /// What goes in brackets after a link's text: `PDF, 240 KB, 3 pages`.
    pub fn summary(&self) -> String {
        match self.pages {
            Some(1) => format!("{}, {}, 1 page", self.label, self.size),
            Some(pages) => format!("{}, {}, {pages} pages", self.label, self.size),
            None => format!("{}, {}", self.label, self.size),
        }
    }

    /// The link's text with the summary: `Joint statement (PDF, 240 KB, 3 pages)`.
    pub fn describe(&self, title: &str) -> String {
        format!("{title} ({})", self.summary())
    }
}

/// Describes the document at `path`: `Ok(None)` when its extension is not one of a document
/// gazette describes. Only a PDF is read (to count its pages); of the others only the size
/// is looked up. A symbolic link is not followed.
pub fn describe(path: &Path) -> std::io::Result<Option<Attachment>> {
    let Some(kind) = Kind::of(path) else {
        return Ok(None);
    };
    let mut file = crate::tree::open(path)?;
    let bytes = file.metadata()?.len();
    if kind != Kind::Pdf {
        return Ok(Some(Attachment {
            kind,
            label: kind.label(),
            bytes,
            size: human_size(bytes),
            pages: None,
        }));
    }
    let mut text = Vec::with_capacity(bytes as usize);
    std::io::Read::read_to_end(&mut file, &mut text)?;
    Ok(Some(Attachment::from_bytes(kind, &text)))
}

/// A size as people read it, in decimal units: `512 bytes`, `1 byte`, `240 KB`, `1.2 MB`,
/// `34 MB`, `2.5 GB`. Below ten units one decimal is shown (but not `.0`); a size that
/// rounds up to a thousand units is given in the next unit.
pub fn human_size(bytes: u64) -> String {
    match bytes {
        1 => return "1 byte".to_string(),
        0..1000 => return format!("{bytes} bytes"),
        _ => {}
    }
    const UNITS: [&str; 5] = ["KB", "MB", "GB", "TB", "PB"];
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    loop {
        // Rounded as shown: one decimal below 10, none above.
        let shown = if value < 9.95 {
            (value * 10.0).round() / 10.0
        } else {
            value.round()
        };
        if shown < 1000.0 || unit == UNITS.len() - 1 {
            let text = if shown < 10.0 && shown.fract() != 0.0 {
                format!("{shown:.1}")
            } else {
                format!("{shown:.0}")
            };
            return format!("{text} {}", UNITS[unit]);
        }
        value /= 1000.0;
        unit += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_people_say_them() {
        let cases = [
            (0, "0 bytes"),
            (1, "1 byte"),
            (999, "999 bytes"),
            (1000, "1 KB"),
            (1049, "1 KB"),
            (1050, "1.1 KB"),
            (9_949, "9.9 KB"),
            (9_950, "10 KB"),
            (240_000, "240 KB"),
            (240_499, "240 KB"),
            (999_499, "999 KB"),
            (999_500, "1 MB"),
            (1_234_567, "1.2 MB"),
            (34_000_000, "34 MB"),
            (2_500_000_000, "2.5 GB"),
        ];
        for (bytes, shown) in cases {
            assert_eq!(human_size(bytes), shown, "{bytes} bytes");
        }
    }

    #[test]
    fn kinds_follow_the_extension_in_any_case() {
        let cases = [
            ("a.pdf", Some("PDF")),
            ("A.PDF", Some("PDF")),
            ("b.docx", Some("Word document")),
            ("b.doc", Some("Word document")),
            ("c.xlsx", Some("Excel spreadsheet")),
            ("d.pptx", Some("PowerPoint presentation")),
            ("e.odt", Some("OpenDocument text")),
            ("f.ods", Some("OpenDocument spreadsheet")),
            ("g.odp", Some("OpenDocument presentation")),
            ("h.csv", Some("CSV")),
            ("i.zip", Some("ZIP archive")),
            ("j.jpg", None),
            ("pdf", None),
        ];
        for (name, label) in cases {
            assert_eq!(Kind::of(Path::new(name)).map(Kind::label), label, "{name}");
        }
    }

    #[test]
    fn a_pdf_is_described_with_its_pages() {
        let bytes = pdf::tests::simple_pdf(3);
        let attachment = Attachment::from_bytes(Kind::Pdf, &bytes);
        assert_eq!(attachment.pages, Some(3));
        assert_eq!(
            attachment.describe("Joint statement"),
            format!(
                "Joint statement (PDF, {}, 3 pages)",
                human_size(bytes.len() as u64)
            )
        );
        let one = Attachment::from_bytes(Kind::Pdf, &pdf::tests::simple_pdf(1));
        assert!(one.summary().ends_with(", 1 page"), "{}", one.summary());
    }

    #[test]
    fn an_unreadable_pdf_still_gets_its_kind_and_size() {
        let attachment = Attachment::from_bytes(Kind::Pdf, &[b'x'; 240_000]);
        assert_eq!(attachment.describe("Statement"), "Statement (PDF, 240 KB)");
    }

    #[test]
    fn a_document_on_disk_is_described_without_following_links() {
        let tmp = tempfile::tempdir().unwrap();
        let csv = tmp.path().join("figures.csv");
        std::fs::write(&csv, "a,b\n".repeat(300)).unwrap();
        let described = describe(&csv).unwrap().unwrap();
        assert_eq!(described.describe("Figures"), "Figures (CSV, 1.2 KB)");
        let pdf = tmp.path().join("statement.pdf");
        std::fs::write(&pdf, pdf::tests::simple_pdf(2)).unwrap();
        assert_eq!(describe(&pdf).unwrap().unwrap().pages, Some(2));
        assert_eq!(describe(&tmp.path().join("photo.jpg")).unwrap(), None);
        let link = tmp.path().join("link.pdf");
        std::os::unix::fs::symlink(&pdf, &link).unwrap();
        assert!(describe(&link).is_err());
    }
}
