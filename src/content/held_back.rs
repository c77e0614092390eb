//! Held-back links: the files beside entries that only unpublished entries (drafts,
//! embargoed releases) link to are published with them, not before.

use std::sync::Arc;

use ahash::HashSet;
use rayon::prelude::*;

use super::Asset;
use super::body::RenderedEntry;
use super::cache::Cache;
use super::entry::Typed;
use super::read::{folder_of, read_body};
use crate::config::Config;
use crate::markdown;

/// The files under `content/` that an entry's body links to ([`markdown::linked_files`]),
/// and those its `attachments:` name; of the body's, none when it cannot be read.
pub(super) fn linked_files(config: &Config, typed: &Typed) -> Vec<String> {
    let folder = folder_of(&typed.rel);
    let attached = (typed.parsed.front.attachments.iter())
        .filter_map(|a| markdown::file_of(&a.file.value, folder, &config.base_path));
    let mut files = match read_body(config, &typed.parsed) {
        Ok(text) => {
            markdown::linked_files(&text[typed.parsed.text.len()..], folder, &config.base_path)
        }
        Err(_) => Vec::new(),
    };
    files.extend(attached);
    files
}

/// Of the files in `held`, those that a published entry links to ([`links_of`]).
pub(super) fn published_files(
    config: &Config,
    cache: &Cache,
    typed: &[Arc<Typed>],
    published: &[usize],
    held: &HashSet<String>,
) -> HashSet<String> {
    if held.is_empty() {
        return HashSet::default();
    }
    (published.par_iter())
        .filter_map(|&i| Some((&typed[i].rel, cache.rendered.get(&typed[i].rel)?)))
        .flat_map_iter(|(rel, rendered)| {
            links_of(config, rel, rendered)
                .filter(|file| held.contains(file))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether the published entry at `rel` links to any of the files in `held`.
pub(super) fn links_to_any(
    config: &Config,
    rel: &str,
    rendered: &RenderedEntry,
    held: &HashSet<String>,
) -> bool {
    !held.is_empty() && links_of(config, rel, rendered).any(|file| held.contains(&file))
}

/// The files under `content/` that the published entry at `rel` links to: by a Markdown link
/// (its `targets`), anywhere in its page's body (raw HTML, a path from the site's root), or
/// in its `attachments:`.
pub(super) fn links_of<'f>(
    config: &Config,
    rel: &str,
    rendered: &'f RenderedEntry,
) -> impl Iterator<Item = String> + 'f {
    let folder = folder_of(rel);
    let in_html = markdown::html_references(&rendered.entry.body_html, folder, &config.base_path);
    let base = config.base_path.clone();
    let attached = (rendered.entry.attachments.iter())
        .filter_map(move |a| a.url.strip_prefix(base.as_str()).map(str::to_string));
    rendered
        .targets
        .iter()
        .cloned()
        .chain(in_html)
        .chain(attached)
}

/// `assets` without the files in `held` (those that entries left out of the build link to)
/// that no published entry links to (`published`): a draft's or an embargoed release's files
/// are published with it, not before.
pub(super) fn without_held_back(
    assets: Vec<Asset>,
    held: &HashSet<String>,
    published: &HashSet<String>,
) -> Vec<Asset> {
    if held.is_empty() {
        return assets;
    }
    (assets.into_iter())
        .filter(|asset| !held.contains(&asset.path) || published.contains(&asset.path))
        .collect()
}
