//! The walk of `content/`: which files are entries (Markdown ending in `.md`), which are
//! assets copied as they are, and which are refused (Markdown under another extension).
//! `serve` patches a kept walk for one file added or removed ([`Walked::patch`]).

use std::path::{Path, PathBuf};

use super::Asset;
use crate::config::Config;
use crate::diagnostic::Diagnostic;

/// The files under `content/`.
pub(super) struct Walked {
    /// In the walk's order: by name within each folder, which is not the order of the paths
    /// as strings (`news-2.md` sorts before `news/a.md`).
    pub(super) sources: Vec<String>,
    /// The standing pages (Markdown under `content/pages/`), in the walk's order.
    pub(super) pages: Vec<String>,
    /// The sources reached through a symbolic link (the file's own or a folder's): a change
    /// is reported at the path of what it points to, so no change of theirs can be placed.
    pub(super) linked: Vec<String>,
    /// Whether the walk went through a symbolic link (to a file or a folder, with sources or
    /// not).
    pub(super) links: bool,
    pub(super) assets: Vec<Asset>,
    pub(super) problems: Vec<Diagnostic>,
}

impl Walked {
    /// Adds the new Markdown file at `rel` (in `dir`, whose `metadata` is given) to the
    /// walk, or takes out the one that is gone, when a new walk would see only that: a plain
    /// file in plain folders, none of them ignored, no link on the way. False when only a new
    /// walk can tell: a folder, a link, another file, a walk that had problems or went
    /// through a link (the file may be reached that way too).
    pub(super) fn patch(
        &mut self,
        dir: &Path,
        rel: &str,
        metadata: &std::io::Result<std::fs::Metadata>,
    ) -> bool {
        match (metadata, self.place(rel)) {
            (Ok(metadata), Some(Err(at))) if metadata.is_file() && plain_folders(dir, rel) => {
                self.sources.insert(at, rel.to_string());
                true
            }
            (Err(error), Some(Ok(at))) if error.kind() == std::io::ErrorKind::NotFound => {
                self.sources.remove(at);
                true
            }
            _ => false,
        }
    }

    /// Where the Markdown file at `rel` is in the walk's order (`Ok`) or would go (`Err`), as
    /// [`slice::binary_search`] says; `None` when only a new walk can tell what a change there
    /// does: not a Markdown file, an ignored name on the way, a walk that had problems or went
    /// through a link.
    pub(super) fn place(&self, rel: &str) -> Option<Result<usize, usize>> {
        if !rel.ends_with(".md")
            || rel.starts_with("pages/")
            || !self.problems.is_empty()
            || rel
                .split('/')
                .any(|name| name.is_empty() || is_ignored(name))
            || self.links
        {
            return None;
        }
        // The walk's order: by name within each folder, a folder's files right after it.
        Some(
            self.sources
                .binary_search_by(|source| Path::new(source).cmp(Path::new(rel))),
        )
    }
}

/// Whether every folder on the way to `rel` (below `dir`) is a plain folder, not a link.
pub(super) fn plain_folders(dir: &Path, rel: &str) -> bool {
    let mut folder = dir.to_path_buf();
    let mut names: Vec<&str> = rel.split('/').collect();
    names.pop();
    names.into_iter().all(|name| {
        folder.push(name);
        std::fs::symlink_metadata(&folder).is_ok_and(|m| m.is_dir())
    })
}

/// Whether a file name is an editor's temporary file or hidden.
pub fn is_ignored(name: &str) -> bool {
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

/// The extension of a file name that other tools read as Markdown, when it is not `.md` (the
/// only one gazette reads as an entry): `.MD`, `.markdown`, `.mdown` and the like.
pub(super) fn markdown_like(name: &str) -> Option<&str> {
    let at = name.rfind('.')?;
    let extension = &name[at..];
    let markdown = [
        ".md",
        ".markdown",
        ".mdown",
        ".mkd",
        ".mkdn",
        ".mdwn",
        ".mdtxt",
    ]
    .iter()
    .any(|known| extension.eq_ignore_ascii_case(known));
    (markdown && extension != ".md").then_some(extension)
}

/// Lists the Markdown files and other files under `content/`, sorted, following the links
/// [`crate::tree`] allows.
pub(super) fn walk(config: &Config) -> Walked {
    let fence = crate::tree::Fence::new(&config.root, Some(&config.output_dir));
    let tree = crate::tree::walk(&fence, &config.content_dir());
    let mut walked = Walked {
        sources: Vec::new(),
        pages: Vec::new(),
        linked: Vec::new(),
        links: tree.links,
        assets: Vec::new(),
        problems: tree.problems,
    };
    for found in tree.files {
        let rel = found.rel;
        if rel == "partners.yaml" {
            continue;
        }
        if super::pages::is_page(&rel) {
            walked.pages.push(rel);
        } else if rel.ends_with(".md") {
            if found.linked {
                walked.linked.push(rel.clone());
            }
            walked.sources.push(rel);
        } else if let Some(extension) = markdown_like(&rel) {
            // Copied as it is, its text would be published, front matter, drafts and all.
            let stem = &rel[rel.rfind('/').map_or(0, |at| at + 1)..rel.len() - extension.len()];
            walked.problems.push(
                Diagnostic::error(
                    PathBuf::from("content").join(&rel),
                    format!(
                        "a Markdown file ending in `{extension}`: only files ending in `.md` are entries, and any other file is published as it is"
                    ),
                )
                .with_hint(format!(
                    "rename it to `{stem}.md`; to publish the text as a download, give it another extension, such as `.txt`"
                )),
            );
        } else {
            walked.assets.push(Asset {
                source: found.path,
                path: rel,
            });
        }
    }
    walked
}
