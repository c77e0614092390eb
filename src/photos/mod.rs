//! Photos: a source image in, responsive variants out (docs/photos.md).
//!
//! [`encode`] turns the bytes of a JPEG, PNG or WebP into a few widths from [`LADDER`] (never
//! wider than the original), each in the original format and in lossy WebP, with the EXIF
//! orientation applied and every piece of metadata left behind (the variants are encoded from
//! pixels alone, so a phone's GPS position never reaches the site). It does no IO.
//!
//! [`cache::Cache`] keeps the variants by content hash in a folder outside the site and the
//! output, so an unchanged photo is encoded once, whichever process asks; [`prepare_all`]
//! prepares many photos in parallel and reports progress through a callback.
//!
//! This module must not know about Markdown, front matter or templates: it describes a photo
//! ([`Photo`]) and leaves `<picture>` to the templates.

pub mod cache;
mod decode;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Diagnostic;
pub use cache::Cache;

/// The widths variants are made at, narrowest first. 1200 is there for `og:image`, which
/// social sites want at least that wide.
pub const LADDER: [u32; 4] = [480, 960, OG_IMAGE_WIDTH, 1600];

/// The narrowest `og:image` the large link cards take.
pub const OG_IMAGE_WIDTH: u32 = 1200;

/// Bumped whenever the same settings would give different variants, so that the cache and
/// the file names move on.
const ENGINE_VERSION: u32 = 1;

/// An image format gazette reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    /// The file name extension of variants in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    /// The media type, for `<source type="…">`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }

    /// The name people know the format by, for messages.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "JPEG",
            Format::Png => "PNG",
            Format::Webp => "WebP",
        }
    }
}

/// How variants are encoded. Part of every photo's key: changing a setting makes new
/// variants with new names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Settings {
    /// JPEG quality, 1–100.
    pub jpeg_quality: u8,
    /// Lossy WebP quality, 0–100.
    pub webp_quality: u8,
    /// The most pixels a source may have (after which it is refused unread): a 100-megapixel
    /// RGBA image takes 400 MB to decode.
    pub max_pixels: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            jpeg_quality: 82,
            webp_quality: 75,
            max_pixels: 100_000_000,
        }
    }
}

/// What a template needs to write `<picture>`: the original's size (after orientation) and
/// every variant. Variants are sorted by format, the original's first, then by width.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Photo {
    /// The content hash the variants are named after (16 hexadecimal digits).
    pub key: String,
    /// Width of the original, upright.
    pub width: u32,
    /// Height of the original, upright.
    pub height: u32,
    /// The original's format; its variants come in it and in WebP.
    pub format: Format,
    pub variants: Vec<Variant>,
}

/// One encoded size of a photo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The file name, `photo-<key>-<width>.<extension>`: it changes whenever the bytes do,
    /// so the published file can be cached for ever.
    pub file: String,
    /// Its size in bytes.
    pub bytes: u64,
}

impl Photo {
    /// The variants in `format`, narrowest first.
    pub fn variants_in(&self, format: Format) -> impl Iterator<Item = &Variant> {
        self.variants.iter().filter(move |v| v.format == format)
    }

    /// The formats of the variants: WebP and then the original's (a `<source>` each and the
    /// fallback `<img>` last), or WebP alone for a WebP original.
    pub fn formats(&self) -> Vec<Format> {
        let mut formats = vec![Format::Webp];
        if self.format != Format::Webp {
            formats.push(self.format);
        }
        formats
    }

    /// The `srcset` of the variants in `format`, each URL `prefix` followed by the file name:
    /// `/media/photo-…-480.jpg 480w, /media/photo-…-960.jpg 960w`.
    pub fn srcset(&self, format: Format, prefix: &str) -> String {
        self.variants_in(format)
            .map(|v| format!("{prefix}{} {}w", v.file, v.width))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The widest variant in `format` (for `src`).
    pub fn widest(&self, format: Format) -> Option<&Variant> {
        self.variants_in(format).last()
    }

    /// The variant for `og:image`: the narrowest in the original's format at least
    /// [`OG_IMAGE_WIDTH`] wide, or the widest when the original is narrower than that.
    pub fn og_image(&self) -> Option<&Variant> {
        self.variants_in(self.format)
            .find(|v| v.width >= OG_IMAGE_WIDTH)
            .or_else(|| self.widest(self.format))
    }
}

/// A photo that cannot be used, with what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoError {
    pub file: PathBuf,
    pub message: String,
    pub hint: String,
}

impl PhotoError {
    fn new(file: &Path, message: impl Into<String>, hint: impl Into<String>) -> Self {
        PhotoError {
            file: file.to_path_buf(),
            message: message.into(),
            hint: hint.into(),
        }
    }
}

impl fmt::Display for PhotoError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}\nhint: {}",
            self.file.display(),
            self.message,
            self.hint
        )
    }
}

impl std::error::Error for PhotoError {}

impl From<PhotoError> for Diagnostic {
    fn from(error: PhotoError) -> Self {
        Diagnostic::error(error.file, error.message).with_hint(error.hint)
    }
}

/// A photo's variants, encoded: `files[i]` holds the bytes of `photo.variants[i]`.
#[derive(Debug, Clone)]
pub struct Encoded {
    pub photo: Photo,
    pub files: Vec<Vec<u8>>,
}

/// The hash of a source's bytes (BLAKE3, 64 hexadecimal digits): what the cache remembers of
/// a file it has read.
pub fn source_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// The key of a source with the hash `source_hash` under `settings`: 16 hexadecimal digits
/// of the hash of both (and of the engine's version).
pub fn key(source_hash: &str, settings: &Settings) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(&ENGINE_VERSION.to_le_bytes());
    hasher.update(&[settings.jpeg_quality, settings.webp_quality]);
    hasher.update(&settings.max_pixels.to_le_bytes());
    hasher.update(source_hash.as_bytes());
    hasher.finalize().to_hex()[..16].to_string()
}

/// The widths of the variants of an original `width` pixels wide: the ladder's widths below
/// it, and the original's own when it is narrower than the widest rung.
pub fn widths(width: u32) -> Vec<u32> {
    let widest = LADDER[LADDER.len() - 1];
    let mut widths: Vec<u32> = LADDER.iter().copied().filter(|&w| w < width).collect();
    if width <= widest {
        widths.push(width);
    }
    widths
}

/// Encodes the variants of the image in `bytes`; `file` names it in errors and its
/// extension must agree with what the bytes are.
pub fn encode(bytes: &[u8], file: &Path, settings: &Settings) -> Result<Encoded, PhotoError> {
    let key = key(&source_hash(bytes), settings);
    encode_keyed(bytes, file, settings, &key)
}

/// [`encode`] with the key already known.
fn encode_keyed(
    bytes: &[u8],
    file: &Path,
    settings: &Settings,
    key: &str,
) -> Result<Encoded, PhotoError> {
    let source = decode::decode(bytes, file, settings)?;
    let (width, height) = (source.pixels.width, source.pixels.height);
    let height_at = |w: u32| {
        let h = (u64::from(height) * u64::from(w) + u64::from(width) / 2) / u64::from(width);
        h.clamp(1, u64::from(height)) as u32
    };
    let mut formats = vec![source.format];
    if source.format != Format::Webp {
        formats.push(Format::Webp);
    }
    // The widest variant is resized from the original, the others from it: as sharp, and
    // a fraction of the work for a large photo.
    let widths = widths(width);
    let widest_width = widths[widths.len() - 1];
    let resized_widest = if widest_width == width {
        None
    } else {
        Some(
            source
                .pixels
                .resize(widest_width, height_at(widest_width), file)?,
        )
    };
    let widest = resized_widest.as_ref().unwrap_or(&source.pixels);
    let mut variants = Vec::new();
    let mut files = Vec::new();
    for w in widths {
        let resized;
        let pixels = if w == widest.width {
            widest
        } else {
            resized = widest.resize(w, height_at(w), file)?;
            &resized
        };
        for &format in &formats {
            let data = decode::encode(pixels, format, settings, file)?;
            variants.push(Variant {
                width: pixels.width,
                height: pixels.height,
                format,
                file: format!("photo-{key}-{}.{}", pixels.width, format.extension()),
                bytes: data.len() as u64,
            });
            files.push(data);
        }
    }
    // Sorted by format (the original's first), then width; the files follow their variants.
    let mut order: Vec<usize> = (0..variants.len()).collect();
    order.sort_by_key(|&i| (variants[i].format != source.format, variants[i].width));
    let variants = order.iter().map(|&i| variants[i].clone()).collect();
    let files = order
        .iter()
        .map(|&i| std::mem::take(&mut files[i]))
        .collect();
    Ok(Encoded {
        photo: Photo {
            key: key.to_string(),
            width,
            height,
            format: source.format,
            variants,
        },
        files,
    })
}

/// A photo ready for the site, and whether this call had to encode it.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub photo: Photo,
    /// `false` when the cache already had it.
    pub encoded: bool,
    /// `false` when the file's stamp was known, so that it was not even read.
    pub read: bool,
}

/// How far [`prepare_all`] has got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Photos finished (found in the cache, encoded or failed).
    pub done: usize,
    pub total: usize,
}

/// Prepares every photo in `files` through `cache`, in parallel, calling `on_progress` after
/// each one (from whichever thread finished it). The results are in the order of `files`.
/// Photos the cache's index knows are answered from it; the others are added to it.
pub fn prepare_all(
    cache: &Cache,
    files: &[PathBuf],
    settings: &Settings,
    on_progress: &(dyn Fn(Progress) + Sync),
) -> Vec<Result<Prepared, PhotoError>> {
    let index = cache.index();
    let done = AtomicUsize::new(0);
    let total = files.len();
    let outcomes: Vec<_> = files
        .par_iter()
        .map(|file| {
            let outcome = match cache.indexed(&index, file, settings) {
                Some(prepared) => (Ok(prepared), None),
                None => match cache.prepare_stamped(file, settings) {
                    Ok((prepared, stamp)) => {
                        let fresh = stamp.map(|(stamp, hash)| {
                            let photo = prepared.photo.clone();
                            (stamp, cache::Indexed { hash, photo })
                        });
                        (Ok(prepared), fresh)
                    }
                    Err(error) => (Err(error), None),
                },
            };
            let done = done.fetch_add(1, Ordering::Relaxed) + 1;
            on_progress(Progress { done, total });
            outcome
        })
        .collect();
    let mut fresh = Vec::new();
    let results = outcomes
        .into_iter()
        .map(|(result, entry)| {
            fresh.extend(entry);
            result
        })
        .collect();
    if !fresh.is_empty() {
        // The index only saves work: the photos are in the cache whether or not it is written.
        let _ = cache.extend_index(fresh);
    }
    results
}

#[cfg(test)]
mod tests;
