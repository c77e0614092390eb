use super::*;
use image::{GenericImageView, ImageEncoder};

/// The committed sources of tests/fixtures/photos-engine, made by [`write_fixtures`].
fn fixture(name: &str) -> (PathBuf, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/photos-engine")
        .join(name);
    let bytes = std::fs::read(&path).unwrap();
    (path, bytes)
}

fn error_of(name: &str) -> PhotoError {
    let (path, bytes) = fixture(name);
    encode(&bytes, &path, &Settings::default()).unwrap_err()
}

/// A photo-like RGB image: gradients under deterministic noise, so that it compresses as a
/// photograph does rather than as a flat drawing.
pub(crate) fn photo_like(width: u32, height: u32, seed: u32) -> image::RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761).wrapping_add(1);
    image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as u8;
        let r = (x * 200 / width.max(1)) as u8;
        let g = (y * 200 / height.max(1)) as u8;
        let b = ((x + y) * 100 / (width + height).max(1)) as u8 + 60;
        image::Rgb([
            r.saturating_add(noise),
            g.saturating_add(noise / 2),
            b.saturating_add(noise),
        ])
    })
}

fn jpeg(image: &image::RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    if let Some(exif) = exif {
        encoder.set_exif_metadata(exif).unwrap();
    }
    encoder
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .unwrap();
    out
}

/// The GPS latitude a phone would write (13° 45' 12.34" N), as its EXIF rationals.
const LATITUDE: [u8; 24] = [
    0, 0, 0, 13, 0, 0, 0, 1, 0, 0, 0, 45, 0, 0, 0, 1, 0, 0, 0x04, 0xd2, 0, 0, 0, 100,
];

/// EXIF (a big-endian TIFF structure) with orientation 6 (turn 90° clockwise to view) and a
/// GPS latitude.
fn exif_with_gps() -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    // IFD0 at 8: orientation, GPS IFD pointer (to 38), no next IFD.
    tiff.extend([0, 2]);
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
    tiff.extend([0, 0, 0, 0]);
    // GPS IFD at 38: latitude reference "N", latitude (three rationals at 68).
    tiff.extend([0, 2]);
    tiff.extend([0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    tiff.extend([0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 68]);
    tiff.extend([0, 0, 0, 0]);
    tiff.extend(LATITUDE);
    tiff
}

/// Writes the fixtures of tests/fixtures/photos-engine. Run it only to remake them:
/// `cargo test --lib photos::tests::write_fixtures -- --ignored`.
#[test]
#[ignore]
fn write_fixtures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/photos-engine");
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(dir.join(name), bytes).unwrap();
    // 64 × 32 as stored, red on the left and blue on the right; upright it is 32 × 64, red
    // above blue.
    let sideways = image::RgbImage::from_fn(64, 32, |x, _| {
        if x < 32 {
            image::Rgb([220, 20, 20])
        } else {
            image::Rgb([20, 20, 220])
        }
    });
    write("gps-rotated.jpg", &jpeg(&sideways, Some(exif_with_gps())));
    let alpha = image::RgbaImage::from_fn(40, 30, |x, y| {
        image::Rgba([200, 100, (y * 8) as u8, (x * 6) as u8])
    });
    let mut png = Vec::new();
    image::codecs::png::PngEncoder::new(&mut png)
        .write_image(alpha.as_raw(), 40, 30, image::ExtendedColorType::Rgba8)
        .unwrap();
    write("alpha.png", &png);
    write("tiny.jpg", &jpeg(&photo_like(3, 2, 1), None));
    // A real 16 × 16 JPEG whose frame header claims 65,000 × 65,000 pixels.
    let mut bomb = jpeg(&photo_like(16, 16, 2), None);
    let sof = bomb.windows(2).position(|w| w == [0xff, 0xc0]).unwrap();
    bomb[sof + 5..sof + 9].copy_from_slice(&[0xfd, 0xe8, 0xfd, 0xe8]);
    write("bomb.jpg", &bomb);
    let whole = jpeg(&photo_like(200, 100, 3), None);
    write("truncated.jpg", &whole[..whole.len() / 3]);
    write("truncated.png", &png[..png.len() / 2]);
    write("lying.jpg", &png);
    write(
        "not-an-image.jpg",
        b"<!doctype html><title>Not a photo</title>\n",
    );
    let mut heic = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic".to_vec();
    heic.extend([0; 32]);
    write("phone.heic", &heic);
}

#[test]
fn the_ladder_stops_at_the_original_and_never_upscales() {
    assert_eq!(widths(4000), [480, 960, 1200, 1600]);
    assert_eq!(widths(1600), [480, 960, 1200, 1600]);
    assert_eq!(widths(1300), [480, 960, 1200, 1300]);
    assert_eq!(widths(700), [480, 700]);
    assert_eq!(widths(480), [480]);
    assert_eq!(widths(3), [3]);
}

#[test]
fn a_wide_photo_gets_every_width_in_its_format_and_in_webp() {
    // Just wider than the widest rung, and no wider: the tests run unoptimised.
    let source = jpeg(&photo_like(1700, 1275, 7), None);
    let encoded = encode(&source, Path::new("wide.jpg"), &Settings::default()).unwrap();
    let photo = &encoded.photo;
    assert_eq!(
        (photo.width, photo.height, photo.format),
        (1700, 1275, Format::Jpeg)
    );
    let described: Vec<(u32, u32, Format)> = photo
        .variants
        .iter()
        .map(|v| (v.width, v.height, v.format))
        .collect();
    assert_eq!(
        described,
        [
            (480, 360, Format::Jpeg),
            (960, 720, Format::Jpeg),
            (1200, 900, Format::Jpeg),
            (1600, 1200, Format::Jpeg),
            (480, 360, Format::Webp),
            (960, 720, Format::Webp),
            (1200, 900, Format::Webp),
            (1600, 1200, Format::Webp),
        ]
    );
    for (variant, bytes) in photo.variants.iter().zip(&encoded.files) {
        assert_eq!(
            variant.file,
            format!(
                "photo-{}-{}.{}",
                photo.key,
                variant.width,
                variant.format.extension()
            )
        );
        assert_eq!(variant.bytes, bytes.len() as u64);
        let decoded = image::load_from_memory(bytes).unwrap();
        assert_eq!(decoded.dimensions(), (variant.width, variant.height));
        let expected = match variant.format {
            Format::Jpeg => image::ImageFormat::Jpeg,
            Format::Png => image::ImageFormat::Png,
            Format::Webp => image::ImageFormat::WebP,
        };
        assert_eq!(image::guess_format(bytes).unwrap(), expected);
    }
    // Lossy WebP: well under the JPEG of the same width (a lossless one would be larger).
    let jpeg_1600 = photo.variants[3].bytes;
    let webp_1600 = photo.variants[7].bytes;
    assert!(
        webp_1600 < jpeg_1600,
        "WebP {webp_1600} B, JPEG {jpeg_1600} B"
    );
    assert_eq!(photo.og_image().map(|v| v.width), Some(1200));
    let prefix = "/media/";
    assert_eq!(
        photo.srcset(Format::Webp, prefix),
        format!(
            "/media/photo-{k}-480.webp 480w, /media/photo-{k}-960.webp 960w, /media/photo-{k}-1200.webp 1200w, /media/photo-{k}-1600.webp 1600w",
            k = photo.key
        )
    );
    assert_eq!(photo.formats(), [Format::Webp, Format::Jpeg]);
}

#[test]
fn gps_and_every_other_exif_byte_are_left_out_of_the_variants() {
    let (path, source) = fixture("gps-rotated.jpg");
    // The fixture does carry them: the test would prove nothing otherwise.
    assert!(source.windows(6).any(|w| w == b"Exif\0\0"));
    assert!(source.windows(LATITUDE.len()).any(|w| w == LATITUDE));
    let encoded = encode(&source, &path, &Settings::default()).unwrap();
    assert_eq!(encoded.files.len(), 2);
    for bytes in &encoded.files {
        assert!(!bytes.windows(4).any(|w| w == b"Exif"));
        assert!(!bytes.windows(LATITUDE.len()).any(|w| w == LATITUDE));
        // No APP1 (EXIF, XMP) segment in a JPEG, no EXIF or XMP chunk in a WebP.
        assert!(!bytes.windows(2).any(|w| w == [0xff, 0xe1]));
        assert!(!bytes.windows(4).any(|w| w == b"EXIF" || w == b"XMP "));
    }
}

#[test]
fn the_exif_orientation_is_applied() {
    let (path, source) = fixture("gps-rotated.jpg");
    let encoded = encode(&source, &path, &Settings::default()).unwrap();
    let photo = &encoded.photo;
    // Stored 64 × 32, red left of blue; turned a quarter clockwise: 32 × 64, red on top.
    assert_eq!((photo.width, photo.height), (32, 64));
    for bytes in &encoded.files {
        let upright = image::load_from_memory(bytes).unwrap().into_rgb8();
        assert_eq!(upright.dimensions(), (32, 64));
        let top = upright.get_pixel(16, 8);
        let bottom = upright.get_pixel(16, 56);
        assert!(top[0] > 150 && top[2] < 100, "top {top:?}");
        assert!(bottom[2] > 150 && bottom[0] < 100, "bottom {bottom:?}");
    }
}

#[test]
fn a_png_keeps_its_transparency_in_both_formats() {
    let (path, source) = fixture("alpha.png");
    let encoded = encode(&source, &path, &Settings::default()).unwrap();
    let formats: Vec<Format> = encoded.photo.variants.iter().map(|v| v.format).collect();
    assert_eq!(formats, [Format::Png, Format::Webp]);
    for bytes in &encoded.files {
        let decoded = image::load_from_memory(bytes).unwrap();
        assert!(decoded.color().has_alpha());
        let rgba = decoded.into_rgba8();
        assert!(rgba.get_pixel(0, 0)[3] < 10, "{:?}", rgba.get_pixel(0, 0));
        assert!(
            rgba.get_pixel(39, 0)[3] > 200,
            "{:?}",
            rgba.get_pixel(39, 0)
        );
    }
}

#[test]
fn a_very_small_image_is_kept_at_its_size() {
    let (path, source) = fixture("tiny.jpg");
    let encoded = encode(&source, &path, &Settings::default()).unwrap();
    let sizes: Vec<(u32, u32)> = encoded
        .photo
        .variants
        .iter()
        .map(|v| (v.width, v.height))
        .collect();
    assert_eq!(sizes, [(3, 2), (3, 2)]);
    assert_eq!(encoded.photo.og_image().map(|v| v.width), Some(3));
}

#[test]
fn a_webp_source_gets_webp_variants_only() {
    let mut source = Vec::new();
    let pixels = photo_like(600, 400, 4);
    let encoded = webp::Encoder::from_rgb(pixels.as_raw(), 600, 400).encode(80.0);
    source.extend_from_slice(&encoded);
    let encoded = encode(&source, Path::new("p.webp"), &Settings::default()).unwrap();
    let described: Vec<(u32, Format)> = encoded
        .photo
        .variants
        .iter()
        .map(|v| (v.width, v.format))
        .collect();
    assert_eq!(described, [(480, Format::Webp), (600, Format::Webp)]);
    assert_eq!(encoded.photo.formats(), [Format::Webp]);
}

#[test]
fn a_decompression_bomb_is_refused_before_it_is_decoded() {
    let error = error_of("bomb.jpg");
    assert_eq!(
        error.message,
        "the image is 65000 × 65000 pixels, more than the 100 megapixels gazette resizes"
    );
    assert_eq!(
        error.hint,
        "scale it down (4000 pixels wide is plenty for the web) and add it again"
    );
}

#[test]
fn a_truncated_file_is_an_error_not_a_grey_photo() {
    for name in ["truncated.jpg", "truncated.png"] {
        let error = error_of(name);
        assert!(
            error.message.starts_with("the image could not be read: "),
            "{name}: {}",
            error.message
        );
        assert_eq!(
            error.hint,
            "the file may be truncated or damaged: export it again from the original"
        );
    }
}

#[test]
fn a_file_that_lies_about_its_type_is_named_for_what_it_is() {
    let error = error_of("lying.jpg");
    assert_eq!(
        error.message,
        "the file is named as a JPEG image but holds a PNG image"
    );
    assert_eq!(error.hint, "rename it to end in `.png`");
    let error = error_of("not-an-image.jpg");
    assert_eq!(error.message, "the file is not an image gazette can read");
    assert_eq!(
        error.hint,
        "photos must be JPEG, PNG or WebP files: check that this is the file you meant"
    );
}

#[test]
fn a_heic_photo_is_refused_with_what_to_export_instead() {
    let error = error_of("phone.heic");
    assert_eq!(
        error.message,
        "the file is a HEIC image, which gazette does not resize"
    );
    assert_eq!(
        error.hint,
        "export it as JPEG (a photograph) or PNG (a drawing or screenshot)"
    );
    let diagnostic = Diagnostic::from(error);
    assert!(diagnostic.is_error());
    assert!(diagnostic.file.ends_with("phone.heic"));
}

#[test]
fn the_key_follows_the_bytes_and_the_settings() {
    let settings = Settings::default();
    let a = key(&source_hash(b"one"), &settings);
    assert_eq!(a.len(), 16);
    assert_eq!(a, key(&source_hash(b"one"), &settings));
    assert_ne!(a, key(&source_hash(b"two"), &settings));
    let sharper = Settings {
        jpeg_quality: 90,
        ..settings
    };
    assert_ne!(a, key(&source_hash(b"one"), &sharper));
}

fn cached_site() -> (tempfile::TempDir, Cache, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let cache = Cache::open(&tmp.path().join("cache")).unwrap();
    let file = tmp.path().join("photo.jpg");
    std::fs::write(&file, jpeg(&photo_like(1000, 600, 5), None)).unwrap();
    (tmp, cache, file)
}

#[test]
fn an_unchanged_photo_is_encoded_once_and_read_once() {
    let (_tmp, cache, file) = cached_site();
    let settings = Settings::default();
    let first = cache.prepare(&file, &settings).unwrap();
    assert!(first.encoded);
    for variant in &first.photo.variants {
        let kept = std::fs::read(cache.path(&first.photo, variant)).unwrap();
        assert_eq!(kept.len() as u64, variant.bytes);
    }
    // A second cache over the same folder is what another process sees.
    let other = Cache::open(cache.dir()).unwrap();
    let second = other.prepare(&file, &settings).unwrap();
    assert!(!second.encoded);
    assert!(
        !second.read,
        "the stamp should have spared reading the file"
    );
    assert_eq!(second.photo, first.photo);
    let stamps = walk_files(&cache.dir().join("seen"));
    assert_eq!(stamps.len(), 1);
    assert_eq!(
        std::fs::read_to_string(&stamps[0]).unwrap(),
        source_hash(&std::fs::read(&file).unwrap())
    );
}

#[test]
fn an_edited_photo_is_encoded_again_under_a_new_name() {
    let (_tmp, cache, file) = cached_site();
    let settings = Settings::default();
    let first = cache.prepare(&file, &settings).unwrap();
    std::fs::write(&file, jpeg(&photo_like(1000, 600, 6), None)).unwrap();
    let second = cache.prepare(&file, &settings).unwrap();
    assert!(second.encoded && second.read);
    assert_ne!(second.photo.key, first.photo.key);
    // Back to the first bytes: the cache still has them.
    std::fs::write(&file, jpeg(&photo_like(1000, 600, 5), None)).unwrap();
    let third = cache.prepare(&file, &settings).unwrap();
    assert!(!third.encoded && third.read);
    assert_eq!(third.photo, first.photo);
}

#[test]
fn a_variant_missing_from_the_cache_is_made_again() {
    let (_tmp, cache, file) = cached_site();
    let settings = Settings::default();
    let first = cache.prepare(&file, &settings).unwrap();
    let lost = cache.path(&first.photo, &first.photo.variants[1]);
    std::fs::remove_file(&lost).unwrap();
    assert_eq!(cache.get(&first.photo.key), None);
    let second = cache.prepare(&file, &settings).unwrap();
    assert!(second.encoded);
    assert!(lost.exists());
    // Nothing half-written is left beside the variants.
    assert_eq!(temporaries(cache.dir()), Vec::<PathBuf>::new());
}

#[test]
fn two_processes_encoding_one_photo_at_once_both_end_with_whole_files() {
    let (_tmp, cache, file) = cached_site();
    let settings = Settings::default();
    let results: Vec<Prepared> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let other = Cache::open(cache.dir()).unwrap();
                let file = &file;
                scope.spawn(move || other.prepare(file, &settings).unwrap())
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).collect()
    });
    assert!(results.iter().all(|r| r.photo == results[0].photo));
    let whole = cache.get(&results[0].photo.key).unwrap();
    for variant in &whole.variants {
        let bytes = std::fs::read(cache.path(&whole, variant)).unwrap();
        assert!(image::load_from_memory(&bytes).is_ok(), "{}", variant.file);
    }
    assert_eq!(temporaries(cache.dir()), Vec::<PathBuf>::new());
}

#[test]
fn a_symbolic_link_is_not_followed() {
    let (tmp, cache, file) = cached_site();
    let link = tmp.path().join("link.jpg");
    std::os::unix::fs::symlink(&file, &link).unwrap();
    let error = cache.prepare(&link, &Settings::default()).unwrap_err();
    assert!(
        error
            .message
            .starts_with("the photo could not be read: Too many levels of symbolic links"),
        "{}",
        error.message
    );
    assert_eq!(walk_files(&cache.dir().join("v1")), Vec::<PathBuf>::new());
}

#[test]
fn many_photos_are_prepared_in_order_with_progress() {
    let tmp = tempfile::tempdir().unwrap();
    let cache = Cache::open(&tmp.path().join("cache")).unwrap();
    let mut files = Vec::new();
    for i in 0..6 {
        let file = tmp.path().join(format!("p{i}.jpg"));
        std::fs::write(&file, jpeg(&photo_like(300 + i * 10, 200, i), None)).unwrap();
        files.push(file);
    }
    files.push(fixture("bomb.jpg").0);
    let seen = std::sync::Mutex::new(Vec::new());
    let results = prepare_all(&cache, &files, &Settings::default(), &|p| {
        seen.lock().unwrap().push(p)
    });
    assert_eq!(results.len(), 7);
    for (i, result) in results.iter().take(6).enumerate() {
        let prepared = result.as_ref().unwrap();
        assert!(prepared.encoded);
        assert_eq!(prepared.photo.width, 300 + i as u32 * 10);
    }
    assert!(results[6].is_err());
    let mut done: Vec<usize> = seen.lock().unwrap().iter().map(|p| p.done).collect();
    done.sort();
    assert_eq!(done, [1, 2, 3, 4, 5, 6, 7]);
    assert!(seen.lock().unwrap().iter().all(|p| p.total == 7));
    let again = prepare_all(&cache, &files[..6], &Settings::default(), &|_| {});
    assert!(
        again
            .iter()
            .all(|r| r.as_ref().is_ok_and(|p| !p.encoded && !p.read))
    );
    assert_eq!(cache.index().len(), 6);
}

#[test]
fn the_index_is_believed_only_while_the_photos_are_in_the_cache() {
    let (_tmp, cache, file) = cached_site();
    let files = [file];
    let settings = Settings::default();
    let first = prepare_all(&cache, &files, &settings, &|_| {});
    let photo = first[0].as_ref().unwrap().photo.clone();
    let index = cache.index();
    assert!(cache.indexed(&index, &files[0], &settings).is_some());
    // Another setting is another key: the entry does not answer for it.
    let sharper = Settings {
        jpeg_quality: 90,
        ..settings
    };
    assert!(cache.indexed(&index, &files[0], &sharper).is_none());
    // The photos deleted and the index kept: the photo is encoded again.
    std::fs::remove_dir_all(cache.dir().join("v1")).unwrap();
    assert!(cache.indexed(&index, &files[0], &settings).is_none());
    let again = prepare_all(&cache, &files, &settings, &|_| {});
    let again = again[0].as_ref().unwrap();
    assert!(again.encoded);
    assert_eq!(again.photo, photo);
    // The index deleted: the stamps still spare reading the file.
    std::fs::remove_file(cache.dir().join("index.json")).unwrap();
    let third = prepare_all(&cache, &files, &settings, &|_| {});
    let third = third[0].as_ref().unwrap();
    assert!(!third.encoded && !third.read);
}

#[test]
fn the_default_cache_is_under_the_users_cache_folder() {
    let dir = cache::default_dir().unwrap();
    assert!(dir.ends_with("gazette/photos"), "{}", dir.display());
    assert!(dir.is_absolute());
}

/// The temporary files under `dir`: a write that was not renamed into place.
fn temporaries(dir: &Path) -> Vec<PathBuf> {
    walk_files(dir)
        .into_iter()
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect()
}

fn walk_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.into_path())
        .collect();
    files.sort();
    files
}
