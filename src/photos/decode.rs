//! Reading a source image into upright pixels, resizing them and encoding a variant: the
//! three places the `image`, `fast_image_resize` and `webp` crates are called. A source that
//! is not what it claims, is damaged or would need more memory than
//! [`Settings::max_pixels`] allows is an error here, before anything large is allocated.

use std::io::Cursor;
use std::path::Path;

use fast_image_resize as fir;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};

use super::{Format, PhotoError, Settings};

/// Upright 8-bit pixels, RGB or RGBA.
pub(super) struct Pixels {
    pub width: u32,
    pub height: u32,
    /// Whether each pixel has an alpha byte after its three colours.
    pub alpha: bool,
    pub data: Vec<u8>,
}

/// A decoded source and the format it came in.
pub(super) struct Source {
    pub format: Format,
    pub pixels: Pixels,
}

const DAMAGED_HINT: &str =
    "the file may be truncated or damaged: export it again from the original";

impl Pixels {
    /// These pixels resized to `width` × `height`.
    pub fn resize(&self, width: u32, height: u32, file: &Path) -> Result<Pixels, PhotoError> {
        let pixel_type = if self.alpha {
            fir::PixelType::U8x4
        } else {
            fir::PixelType::U8x3
        };
        let failed = |e: &dyn std::fmt::Display| damaged(file, "the image could not be resized", e);
        let from = fir::images::ImageRef::new(self.width, self.height, &self.data, pixel_type)
            .map_err(|e| failed(&e))?;
        let mut to = fir::images::Image::new(width, height, pixel_type);
        let options = fir::ResizeOptions::new()
            .resize_alg(fir::ResizeAlg::Convolution(fir::FilterType::Lanczos3));
        fir::Resizer::new()
            .resize(&from, &mut to, &options)
            .map_err(|e| failed(&e))?;
        Ok(Pixels {
            width,
            height,
            alpha: self.alpha,
            data: to.into_vec(),
        })
    }
}

/// The format of a file named `file`, by its extension, if it names one of ours.
fn named_format(file: &Path) -> Option<Format> {
    let extension = file.extension()?.to_str()?.to_ascii_lowercase();
    match extension.as_str() {
        "jpg" | "jpeg" => Some(Format::Jpeg),
        "png" => Some(Format::Png),
        "webp" => Some(Format::Webp),
        _ => None,
    }
}

/// What the first bytes of an image gazette cannot read say it is.
fn unsupported_kind(bytes: &[u8], guessed: Option<ImageFormat>) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[4..8] == b"ftyp" {
        return match &bytes[8..12] {
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"mif1" | b"msf1" => Some("a HEIC"),
            b"avif" | b"avis" => Some("an AVIF"),
            _ => None,
        };
    }
    match guessed? {
        ImageFormat::Gif => Some("a GIF"),
        ImageFormat::Tiff => Some("a TIFF"),
        ImageFormat::Bmp => Some("a BMP"),
        ImageFormat::Ico => Some("an ICO"),
        _ => None,
    }
}

/// Decodes `bytes` into upright pixels.
pub(super) fn decode(bytes: &[u8], file: &Path, settings: &Settings) -> Result<Source, PhotoError> {
    let guessed = image::guess_format(bytes).ok();
    let format = match guessed {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::WebP) => Format::Webp,
        _ => {
            return Err(match unsupported_kind(bytes, guessed) {
                None => PhotoError::new(
                    file,
                    "the file is not an image gazette can read",
                    "photos must be JPEG, PNG or WebP files: check that this is the file you meant",
                ),
                Some(kind) => PhotoError::new(
                    file,
                    format!("the file is {kind} image, which gazette does not resize"),
                    "export it as JPEG (a photograph) or PNG (a drawing or screenshot)",
                ),
            });
        }
    };
    if let Some(named) = named_format(file)
        && named != format
    {
        return Err(PhotoError::new(
            file,
            format!(
                "the file is named as a {} image but holds a {} image",
                named.name(),
                format.name()
            ),
            format!("rename it to end in `.{}`", format.extension()),
        ));
    }
    if format == Format::Jpeg && !jpeg_is_whole(bytes) {
        let reason = "the JPEG data ends before its end marker";
        return Err(damaged(file, "the image could not be read", &reason));
    }
    let image_format = match format {
        Format::Jpeg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Webp => ImageFormat::WebP,
    };
    let unreadable = |e: ImageError| match e {
        ImageError::Limits(_) => too_large(file, None, settings),
        e => damaged(file, "the image could not be read", &e),
    };
    // The header first: a few bytes can claim a size that would take gigabytes to decode.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), image_format)
        .into_dimensions()
        .map_err(unreadable)?;
    if u64::from(width) * u64::from(height) > settings.max_pixels {
        return Err(too_large(file, Some((width, height)), settings));
    }
    if width == 0 || height == 0 {
        let reason = format!("it claims to be {width} × {height} pixels");
        return Err(damaged(file, "the image could not be read", &reason));
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), image_format);
    let mut limits = Limits::default();
    // RGBA at 16 bits a channel is the largest a decoder holds; then one converted copy.
    limits.max_alloc = Some(settings.max_pixels.saturating_mul(8));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    let alpha = image.color().has_alpha();
    let (width, height) = (image.width(), image.height());
    let data = if alpha {
        image.into_rgba8().into_raw()
    } else {
        image.into_rgb8().into_raw()
    };
    Ok(Source {
        format,
        pixels: Pixels {
            width,
            height,
            alpha,
            data,
        },
    })
}

/// Whether a JPEG's compressed data reaches its end-of-image marker. The decoder fills a
/// truncated JPEG's missing rows with grey rather than fail; a photo cut short in a copy
/// must not be published so. Data after the marker (a phone's motion video) is allowed.
fn jpeg_is_whole(bytes: &[u8]) -> bool {
    // Segments up to the first start of scan: marker, two bytes of length, payload.
    let mut at = 2;
    loop {
        while bytes.get(at) == Some(&0xff) && bytes.get(at + 1) == Some(&0xff) {
            at += 1;
        }
        let (Some(&0xff), Some(&marker)) = (bytes.get(at), bytes.get(at + 1)) else {
            return false;
        };
        let Some(length) = bytes.get(at + 2..at + 4) else {
            return false;
        };
        let length = usize::from(u16::from_be_bytes([length[0], length[1]]));
        at += 2 + length;
        if marker == 0xda {
            break;
        }
    }
    // Within and between scans 0xFF is followed by a stuffed 0, a restart or another
    // segment's marker: only the end of image is 0xD9.
    bytes
        .get(at..)
        .is_some_and(|scans| scans.windows(2).any(|w| w == [0xff, 0xd9]))
}

/// `what` went wrong because of `error`, most likely a damaged file.
fn damaged(file: &Path, what: &str, error: &dyn std::fmt::Display) -> PhotoError {
    PhotoError::new(file, format!("{what}: {error}"), DAMAGED_HINT)
}

fn too_large(file: &Path, size: Option<(u32, u32)>, settings: &Settings) -> PhotoError {
    let megapixels = settings.max_pixels / 1_000_000;
    let message = match size {
        Some((w, h)) => format!(
            "the image is {w} × {h} pixels, more than the {megapixels} megapixels gazette resizes"
        ),
        None => format!("the image would need more memory than {megapixels} megapixels take"),
    };
    PhotoError::new(
        file,
        message,
        "scale it down (4000 pixels wide is plenty for the web) and add it again",
    )
}

/// Encodes `pixels` in `format`, with no metadata at all.
pub(super) fn encode(
    pixels: &Pixels,
    format: Format,
    settings: &Settings,
    file: &Path,
) -> Result<Vec<u8>, PhotoError> {
    use image::ImageEncoder;
    let color = if pixels.alpha {
        image::ExtendedColorType::Rgba8
    } else {
        image::ExtendedColorType::Rgb8
    };
    let what = format!("a {} variant could not be encoded", format.name());
    let failed = |e: &dyn std::fmt::Display| damaged(file, &what, e);
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            // JPEG has no alpha: a JPEG source never has any.
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, settings.jpeg_quality)
                .write_image(&pixels.data, pixels.width, pixels.height, color)
                .map_err(|e| failed(&e))?;
        }
        Format::Png => {
            image::codecs::png::PngEncoder::new(&mut out)
                .write_image(&pixels.data, pixels.width, pixels.height, color)
                .map_err(|e| failed(&e))?;
        }
        Format::Webp => {
            let layout = if pixels.alpha {
                webp::PixelLayout::Rgba
            } else {
                webp::PixelLayout::Rgb
            };
            let mut config = webp::WebPConfig::new()
                .map_err(|()| failed(&"libwebp refused its default settings"))?;
            config.quality = f32::from(settings.webp_quality);
            let encoded = webp::Encoder::new(&pixels.data, layout, pixels.width, pixels.height)
                .encode_advanced(&config)
                .map_err(|e| failed(&format!("{e:?}")))?;
            out.extend_from_slice(&encoded);
        }
    }
    Ok(out)
}
