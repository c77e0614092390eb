//! Photos on pages (SPEC §10): body images and the lead image become responsive `<picture>`s
//! of variants from the photo cache; the originals, with their metadata, are not published.

use crate::support::{Site, snapshot};

/// A photo-like picture: a gradient with noise, so that it compresses like a photo.
pub(crate) fn photo_like(width: u32, height: u32) -> image::RgbImage {
    let mut state = 2_654_435_761u32;
    image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 24) as u8;
        image::Rgb([
            ((x * 200 / width) as u8).saturating_add(noise),
            ((y * 200 / height) as u8).saturating_add(noise),
            120,
        ])
    })
}

/// EXIF with orientation 6 (turn 90° clockwise to view), as a phone held upright writes.
fn exif_turned() -> Vec<u8> {
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend([0, 1]);
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
    tiff.extend([0, 0, 0, 0]);
    tiff
}

fn jpeg(image: &image::RgbImage, exif: Option<Vec<u8>>) -> Vec<u8> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85);
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

pub(crate) fn png(image: &image::RgbImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    image.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

const ENTRY: &str = "---
title: Visit to the ministry
date: 2024-03-01
image:
  src: wide.jpg
  alt: The delegation at the ministry
  credit: Office photo
---
The delegation met the minister.

![A map of the route](map.png \"The route we took\")

Held upright: ![The hall](turned.jpg) and a line ![ ](line.png).

![Logo](logo.svg) and ![Remote](https://example.com/x.jpg)
";

/// A site under `https://example.org/sub/` with an entry of photos of several sizes and
/// orientations, its photo cache in `<tmp>/photo-cache`.
fn photo_site() -> Site {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Office\nbase_url: https://example.org/sub/\nphoto_cache: ../photo-cache\n",
    );
    site.write("content/news/visit.md", ENTRY);
    site.write(
        "content/news/other.md",
        "---\ntitle: Other\ndate: 2024-02-01\n---\n![The map again](map.png)\n\n![The hall again](turned.jpg)\n\n![The map inline](map.png \"Its title\") with words after it.\n",
    );
    site.write("content/news/wide.jpg", jpeg(&photo_like(1300, 400), None));
    site.write("content/news/map.png", png(&photo_like(600, 300)));
    site.write(
        "content/news/turned.jpg",
        jpeg(&photo_like(64, 32), Some(exif_turned())),
    );
    site.write("content/news/line.png", png(&photo_like(20, 2)));
    site.write(
        "content/news/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>",
    );
    site
}

/// The name of the published variant of the photo `width`×… in `extension`: `photo-<key>-W.ext`.
fn variant(site: &Site, width: u32, extension: &str) -> String {
    let suffix = format!("-{width}.{extension}");
    let found: Vec<String> = (site.output_files().into_iter())
        .filter(|f| f.starts_with("media/photo-") && f.ends_with(&suffix))
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0].trim_start_matches("media/").to_string()
}

#[test]
fn body_photos_become_pictures_of_their_variants() {
    let site = photo_site();
    let run = site.build_ok(&[]);
    let page = site.page("/news/visit/");
    let png600 = variant(&site, 600, "png");
    let png480 = png600.replace("-600.", "-480.");
    let (webp480, webp600) = (
        png480.replace(".png", ".webp"),
        png600.replace(".png", ".webp"),
    );
    // Alone in its paragraph with a title: a figure, the title its caption; lazy, as the
    // entry's lead image is above it.
    let figure = format!(
        "<figure class=\"photo\"><picture><source type=\"image/webp\" srcset=\"/sub/media/{webp480} 480w, /sub/media/{webp600} 600w\" sizes=\"(min-width: 44rem) 40rem, 100vw\"><img src=\"/sub/media/{png600}\" srcset=\"/sub/media/{png480} 480w, /sub/media/{png600} 600w\" sizes=\"(min-width: 44rem) 40rem, 100vw\" width=\"600\" height=\"300\" alt=\"A map of the route\" loading=\"lazy\" decoding=\"async\"></picture><figcaption>The route we took</figcaption></figure>"
    );
    assert!(page.contains(&figure), "{page}");
    // A photo with a title followed by text in its paragraph is no figure (a `<figure>` cannot
    // be inside a `<p>`): its title stays the image's.
    let other = site.page("/news/other/");
    assert!(!other.contains("<figure"), "{other}");
    assert!(
        other.contains("<p><picture><source type=\"image/webp\"")
            && other.contains("<img title=\"Its title\" src=")
            && other.contains("</picture> with words after it.</p>"),
        "{other}"
    );
    // Turned upright by its EXIF orientation, lazy as it comes later; never upscaled.
    let turned = variant(&site, 32, "jpg");
    assert!(
        page.contains(&format!(
            "<img src=\"/sub/media/{turned}\" srcset=\"/sub/media/{turned} 32w\" sizes=\"(min-width: 44rem) 40rem, 100vw\" width=\"32\" height=\"64\" alt=\"The hall\" loading=\"lazy\" decoding=\"async\"></picture>"
        )),
        "{page}"
    );
    assert!(page.contains("width=\"20\" height=\"2\" alt=\"\" loading=\"lazy\""));
    // Without a lead image, the first photo of a body is on the first screen: not lazy.
    let other = site.page("/news/other/");
    assert!(
        other.contains("alt=\"The map again\" decoding=\"async\">"),
        "{other}"
    );
    assert!(other.contains("alt=\"The hall again\" loading=\"lazy\" decoding=\"async\">"));
    // SVGs and remote images are left as they are.
    assert!(
        page.contains("<img src=\"/sub/news/logo.svg\" alt=\"Logo\" />"),
        "{page}"
    );
    assert!(page.contains("<img src=\"https://example.com/x.jpg\" alt=\"Remote\" />"));
    let files = site.output_files();
    assert!(files.contains(&"news/logo.svg".to_string()));
    // The originals are not published: their metadata stays home.
    for original in ["news/wide.jpg", "news/map.png", "news/turned.jpg"] {
        assert!(!files.contains(&original.to_string()), "{original}");
    }
    let turned_bytes = std::fs::read(site.out().join("media").join(&turned)).unwrap();
    assert!(!turned_bytes.windows(4).any(|w| w == b"Exif"));
    assert_eq!(run.count("warning"), 0, "{}", run.stderr);
}

#[test]
fn the_lead_image_is_shown_with_its_credit_and_is_the_og_image_and_the_thumbnail() {
    let site = photo_site();
    site.build_ok(&[]);
    let page = site.page("/news/visit/");
    let og = variant(&site, 1200, "jpg");
    let widest = variant(&site, 1300, "jpg");
    for meta in [
        format!("<meta property=\"og:image\" content=\"https://example.org/sub/media/{og}\">"),
        "<meta property=\"og:image:type\" content=\"image/jpeg\">".to_string(),
        "<meta property=\"og:image:width\" content=\"1200\">".to_string(),
        "<meta property=\"og:image:height\" content=\"369\">".to_string(),
        "<meta property=\"og:image:alt\" content=\"The delegation at the ministry\">".to_string(),
    ] {
        assert!(page.contains(&meta), "{meta}\n{page}");
    }
    assert!(
        page.contains(&format!("\"image\":\"https://example.org/sub/media/{og}\"")),
        "{page}"
    );
    assert!(page.contains(&format!("<img src=\"/sub/media/{widest}\"")));
    assert!(page.contains(
        "width=\"1300\" height=\"400\" alt=\"The delegation at the ministry\" decoding=\"async\"></picture>"
    ));
    assert!(
        page.contains("<figcaption class=\"lead-image__credit\">Photo: Office photo</figcaption>")
    );
    // The card's thumbnail, on the home page, with its size.
    let home = site.page("/");
    assert!(
        home.contains(
            "width=\"1300\" height=\"400\" alt=\"\" loading=\"lazy\" decoding=\"async\">"
        ),
        "{home}"
    );
}

#[test]
fn variants_are_kept_in_the_photo_cache_and_a_second_build_is_the_same() {
    let site = photo_site();
    site.build_ok(&[]);
    let cache = site.tmp.join("photo-cache/v1");
    let cached = std::fs::read_dir(&cache).map(|d| d.count()).unwrap_or(0);
    assert!(cached > 0, "nothing in {}", cache.display());
    let first = snapshot(&site.out());
    let again = site.tmp.join("again");
    site.build_into(&again, &[]).assert_success();
    assert_eq!(first, snapshot(&again));
    // Without the key, the cache is the user's: here `$XDG_CACHE_HOME/gazette/photos`.
    site.write(
        "site.yaml",
        "title: Office\nbase_url: https://example.org/sub/\n",
    );
    site.build_ok(&[]);
    assert!(site.tmp.join("cache/gazette/photos/v1").is_dir());
}

#[test]
fn a_lead_image_that_is_not_there_or_has_unknown_fields_is_an_error() {
    let site = photo_site();
    site.fails_with_entry(
        "content/news/bad.md",
        "image:\n  src: gone.jpg\n  alt: Gone",
        "error: lead image `gone.jpg` points to no file under `content/`\n --> content/news/bad.md:5:8\n",
    );
    site.fails_with_entry(
        "content/news/bad.md",
        "image:\n  src: wide.jpg\n  alt: A\n  caption: B",
        "error: unknown field `caption` in front matter\n --> content/news/bad.md:7:3\n",
    );
}

#[test]
fn an_image_without_alt_text_is_a_warning_and_an_error_when_strict() {
    let site = photo_site();
    site.write("content/news/visit.md", ENTRY.replace("![The hall]", "![]"));
    let run = site.build_ok(&[]);
    run.assert_stderr_contains("warning: image `turned.jpg` has no alt text");
    site.build(&["--strict"]).assert_code(1);
}
