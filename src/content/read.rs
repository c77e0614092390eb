//! Reading one entry's file: its text (UTF-8, no byte order mark, `\n` line ends) and its
//! front matter parsed ([`Parsed`]). The body is read again when it is rendered
//! ([`read_body`]), so a large site never holds every file's text at once.

use std::path::{Path, PathBuf};

use super::frontmatter::{self, FrontMatter};
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// A file read and its front matter parsed. Only the front matter's text is kept: the body is
/// read again when it is rendered ([`read_body`]), so that loading a large site never holds
/// every file's text at once.
pub(super) struct Parsed {
    pub(super) rel: String,
    pub(super) file: PathBuf,
    /// The file's text up to its body: the front matter and its delimiters.
    pub(super) text: String,
    pub(super) body_line: usize,
    pub(super) front: FrontMatter,
}

/// A file's text: UTF-8, without a byte order mark, with `\n` line ends.
pub(super) fn read_text(config: &Config, rel: &str, file: &Path) -> Result<String, Diagnostic> {
    let bytes = std::fs::read(config.content_dir().join(rel)).map_err(|error| {
        Diagnostic::error(file, format!("cannot read the file: {error}"))
            .with_hint("check that the file exists and is readable")
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(error) => {
            let valid = &error.as_bytes()[..error.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            let shown = String::from_utf8_lossy(error.as_bytes()).into_owned();
            return Err(Diagnostic::error(file, "the file is not valid UTF-8")
                .at(&shown, line, column)
                .with_hint("save the file with UTF-8 encoding"));
        }
    };
    let text = text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    })
}

/// Reads a file and parses its front matter, as far as it can be read, with every problem
/// found in it and the required fields given a stand-in ([`frontmatter::Read`]).
pub(super) fn read_and_parse(config: &Config, rel: &str) -> Result<ReadEntry, Vec<Diagnostic>> {
    let file = PathBuf::from("content").join(rel);
    let mut text = read_text(config, rel, &file).map_err(|d| vec![d])?;
    let split = frontmatter::split(&file, &text).map_err(|d| vec![d])?;
    let read = frontmatter::parse_all(&file, &text, &split);
    let Some(front) = read.front else {
        return Err(read.problems);
    };
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    text.truncate(body_start);
    text.shrink_to_fit();
    Ok(ReadEntry {
        parsed: Parsed {
            rel: rel.to_string(),
            file,
            text,
            body_line,
            front,
        },
        problems: read.problems,
        stand_ins: read.stand_ins,
    })
}

/// A file as [`read_and_parse`] read it, for [`type_entry`].
pub(super) struct ReadEntry {
    pub(super) parsed: Parsed,
    pub(super) problems: Vec<Diagnostic>,
    pub(super) stand_ins: Vec<&'static str>,
}

/// The whole text of a parsed file, read again for its body. A file whose front matter is no
/// longer what was parsed changed during the build: an error, rather than a page made of two
/// versions.
pub(super) fn read_body(config: &Config, parsed: &Parsed) -> Result<String, Diagnostic> {
    let text = read_text(config, &parsed.rel, &parsed.file)?;
    let same_front = text.starts_with(&parsed.text)
        && frontmatter::split(&parsed.file, &text)
            .is_ok_and(|split| text.len() - split.body.len() == parsed.text.len());
    if !same_front {
        return Err(Diagnostic::error(
            &parsed.file,
            "the file changed while the site was being built",
        )
        .with_hint("build again once the file is saved"));
    }
    Ok(text)
}

/// The folder of a content-relative path (`engagements` of `engagements/a.md`; `` at the top),
/// which its relative links are resolved against.
pub(super) fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(folder, _)| folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_body_is_read_again_and_a_changed_front_matter_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let mut config = crate::render::feeds::tests::config("https://example.org/");
        config.root = dir.path().to_path_buf();
        std::fs::create_dir_all(config.content_dir()).unwrap();
        let file = config.content_dir().join("a.md");
        std::fs::write(&file, "---\ntitle: A\ndate: 2024-01-01\n---\nFirst body.\n").unwrap();
        let parsed = read_and_parse(&config, "a.md").unwrap().parsed;
        assert_eq!(parsed.text, "---\ntitle: A\ndate: 2024-01-01\n---\n");
        std::fs::write(
            &file,
            "---\ntitle: A\ndate: 2024-01-01\n---\nSecond body.\n",
        )
        .unwrap();
        let text = read_body(&config, &parsed).unwrap();
        assert_eq!(&text[parsed.text.len()..], "Second body.\n");
        std::fs::write(
            &file,
            "---\ntitle: B\ndate: 2024-01-01\n---\nSecond body.\n",
        )
        .unwrap();
        let error = read_body(&config, &parsed).unwrap_err();
        assert_eq!(
            error.to_string(),
            "error: the file changed while the site was being built\n --> content/a.md\n  = hint: build again once the file is saved"
        );
    }
}
