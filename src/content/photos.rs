//! The photos among the files beside the entries: each JPEG, PNG or WebP prepared through the
//! photo cache ([`crate::photos`]), its variants published under `media/`.

use std::path::Path;
use std::time::{Duration, Instant};

use ahash::HashMap;

use super::Asset;
use crate::config::Config;
use crate::diagnostic::Diagnostic;
use crate::photos::{self, Photo, Settings};
use crate::progress::Bar;

/// The folder of the output the variants are published in.
pub const MEDIA: &str = "media";

/// How long encoding runs before a bar is drawn (SPEC §6: a build over a second shows one).
const QUIET_FOR: Duration = Duration::from_secs(1);

/// The photos of a site, by content-relative path, and the variants to publish.
#[derive(Debug, Default, Clone)]
pub(super) struct Photos {
    pub(super) by_file: HashMap<String, Photo>,
    pub(super) media: Vec<Asset>,
    pub(super) problems: Vec<Diagnostic>,
}

impl Photos {
    /// The variants of the photos among `assets` (those published), each once.
    pub(super) fn media_of(&self, assets: &[Asset]) -> Vec<Asset> {
        let mut media: Vec<Asset> = (assets.iter())
            .filter_map(|asset| self.by_file.get(&asset.path))
            .flat_map(|photo| {
                let key = &photo.key;
                self.media
                    .iter()
                    .filter(move |m| m.path.contains(key.as_str()))
                    .cloned()
            })
            .collect();
        media.sort_by(|a, b| a.path.cmp(&b.path));
        media.dedup_by(|a, b| a.path == b.path);
        media
    }
}

/// Whether the file at `path` is one gazette resizes (by its extension).
pub fn is_photo(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".webp"]
        .iter()
        .any(|ext| lower.ends_with(ext))
}

/// Prepares every photo among `assets` in parallel, from the cache where it has them. A photo
/// that cannot be read is a warning and stays a file copied as it is.
pub(super) fn prepare(config: &Config, assets: &[Asset]) -> Photos {
    let found: Vec<&Asset> = assets.iter().filter(|a| is_photo(&a.path)).collect();
    if found.is_empty() {
        return Photos::default();
    }
    let cache = match photos::Cache::open(&config.photo_cache) {
        Ok(cache) => cache,
        Err(error) => {
            let problem = Diagnostic::error(
                &config.photo_cache,
                format!("the photo cache could not be made: {error}"),
            )
            .with_hint("set `photo_cache:` in site.yaml to a folder gazette may write to");
            return Photos {
                problems: vec![problem],
                ..Photos::default()
            };
        }
    };
    let files: Vec<_> = found.iter().map(|a| a.source.clone()).collect();
    let started = Instant::now();
    let bar = Bar::new(files.len() as u64, "Photos");
    let on_progress = |progress: photos::Progress| {
        if started.elapsed() >= QUIET_FOR {
            bar.set(progress.done);
        }
    };
    let results = photos::prepare_all(&cache, &files, &Settings::default(), &on_progress);
    bar.finish();
    let mut prepared = Photos::default();
    for (asset, result) in found.into_iter().zip(results) {
        match result {
            Ok(done) => {
                let photo = done.photo;
                prepared
                    .media
                    .extend(photo.variants.iter().map(|variant| Asset {
                        source: cache.path(&photo, variant),
                        path: format!("{MEDIA}/{}", variant.file),
                    }));
                prepared.by_file.insert(asset.path.clone(), photo);
            }
            Err(error) => prepared.problems.push(
                Diagnostic::warning(Path::new("content").join(&asset.path), error.message)
                    .with_hint(format!(
                        "{}; until then it is published as it is, not resized",
                        error.hint
                    )),
            ),
        }
    }
    prepared.media.sort_by(|a, b| a.path.cmp(&b.path));
    prepared.media.dedup_by(|a, b| a.path == b.path);
    prepared
}
