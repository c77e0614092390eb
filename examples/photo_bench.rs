//! Measures the photo engine on generated photos (docs/photos.md): the first preparation into
//! an empty cache, a second one from the cache (which must cost next to nothing), a third
//! after one photo changed, and reading and hashing every source, which a cache without
//! stamps would have to do on every build.
//!
//!   photo_bench [--photos N] [--dir DIR] [--generate-only]
//!                                            default: 2000 photos in $TMPDIR/gazette-photo-bench
//!
//! `--generate-only` makes the photos and stops (bench/photo_site.sh puts them in a site).
//!
//! The photos are 3 to 12 megapixels, made deterministically from gradients under noise so
//! that they compress as photographs do; they are kept in DIR/photos between runs, and the
//! cache in DIR/cache is emptied first.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use gazette::photos::{self, Cache, Prepared, Settings};
use image::ImageEncoder;
use rayon::prelude::*;

fn main() -> anyhow::Result<()> {
    let mut count = 2000usize;
    let mut dir = std::env::temp_dir().join("gazette-photo-bench");
    let mut generate_only = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--photos" => count = args.next().unwrap_or_default().parse()?,
            "--dir" => dir = PathBuf::from(args.next().unwrap_or_default()),
            "--generate-only" => generate_only = true,
            other => anyhow::bail!(
                "unknown argument `{other}`\nusage: photo_bench [--photos N] [--dir DIR] [--generate-only]"
            ),
        }
    }
    let sources = dir.join("photos");
    std::fs::create_dir_all(&sources)?;
    let started = Instant::now();
    let files: Vec<PathBuf> = (0..count)
        .into_par_iter()
        .map(|i| generate(&sources, i, 0))
        .collect::<anyhow::Result<_>>()?;
    let source_bytes: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len()))
        .sum();
    let megapixels: f64 = (0..count).map(|i| f64::from(megapixels_of(i))).sum();
    println!(
        "{count} photos, {megapixels:.0} megapixels, {:.0} MB of JPEG (made or found in {:.1} s)",
        source_bytes as f64 / 1e6,
        started.elapsed().as_secs_f64()
    );
    if generate_only {
        return Ok(());
    }

    per_crate(&files[files.len().min(5) - 1])?;

    let cache_dir = dir.join("cache");
    let _ = std::fs::remove_dir_all(&cache_dir);
    let settings = Settings::default();
    let threads = rayon::current_num_threads();

    let (cold, took, cpu) = run(&cache_dir, &files, &settings)?;
    let variant_bytes: u64 = cold
        .iter()
        .flat_map(|p| &p.photo.variants)
        .map(|v| v.bytes)
        .sum();
    report("first (empty cache)", &cold, took, cpu);
    println!(
        "  {:.0} ms of CPU per source megapixel ({threads} threads); variants {:.0} MB",
        cpu.as_secs_f64() * 1000.0 / megapixels,
        variant_bytes as f64 / 1e6
    );

    let (warm, took, cpu) = run(&cache_dir, &files, &settings)?;
    report("second (from the cache)", &warm, took, cpu);
    anyhow::ensure!(
        warm.iter().all(|p| !p.encoded && !p.read),
        "the second run read or encoded a photo"
    );

    generate(&sources, 0, 1)?;
    let (changed, took, cpu) = run(&cache_dir, &files, &settings)?;
    report("one photo changed", &changed, took, cpu);
    anyhow::ensure!(
        changed.iter().filter(|p| p.encoded).count() == 1,
        "the changed photo was not the only one encoded"
    );
    generate(&sources, 0, 0)?;

    let started = Instant::now();
    let hashed: usize = files
        .par_iter()
        .map(|f| std::fs::read(f).map(|bytes| photos::source_hash(&bytes).len()))
        .collect::<std::io::Result<Vec<_>>>()?
        .len();
    println!(
        "{:<28} {:>8.3} s  ({hashed} files, {:.0} MB: what every build would cost without stamps)",
        "read and hash every source",
        started.elapsed().as_secs_f64(),
        source_bytes as f64 / 1e6
    );
    Ok(())
}

/// What each crate costs on one photo, in milliseconds of one thread per megapixel (of the
/// image read, or of the image written): decoding (`image`, zune-jpeg inside), resizing
/// (`fast_image_resize`, Lanczos3), encoding JPEG (`image`) and lossy WebP (`webp`, libwebp),
/// hashing (`blake3`).
fn per_crate(file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file)?;
    let per_mp = |started: Instant, width: u32, height: u32| {
        started.elapsed().as_secs_f64() * 1000.0 / (f64::from(width) * f64::from(height) / 1e6)
    };
    let started = Instant::now();
    let decoded = image::load_from_memory(&bytes)?.into_rgb8();
    let (w, h) = decoded.dimensions();
    let decode = per_mp(started, w, h);
    let started = Instant::now();
    photos::source_hash(&bytes);
    let hash = per_mp(started, w, h);
    let (nw, nh) = (1600, 1600 * h / w);
    let from = fast_image_resize::images::ImageRef::new(
        w,
        h,
        decoded.as_raw(),
        fast_image_resize::PixelType::U8x3,
    )?;
    let mut to = fast_image_resize::images::Image::new(nw, nh, fast_image_resize::PixelType::U8x3);
    let options = fast_image_resize::ResizeOptions::new().resize_alg(
        fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3),
    );
    let started = Instant::now();
    fast_image_resize::Resizer::new().resize(&from, &mut to, &options)?;
    let resize = per_mp(started, w, h);
    let started = Instant::now();
    let jpeg_bytes = jpeg(to.buffer(), nw, nh, 82)?;
    let jpeg_ms = per_mp(started, nw, nh);
    let started = Instant::now();
    let webp = webp::Encoder::from_rgb(to.buffer(), nw, nh).encode(75.0);
    let webp_ms = per_mp(started, nw, nh);
    println!(
        "per megapixel, one thread ({w} × {h} source): decode {decode:.1} ms, hash {hash:.2} ms, \
         resize to 1600 {resize:.1} ms (of source); encode JPEG {jpeg_ms:.1} ms, WebP {webp_ms:.1} ms \
         (of output, WebP {} KB vs JPEG {} KB at 1600)",
        webp.len() / 1000,
        jpeg_bytes.len() / 1000
    );
    Ok(())
}

/// One preparation of every photo through a fresh `Cache` over `dir` (as a new process
/// would have): the results, the wall time and the CPU time.
fn run(
    dir: &Path,
    files: &[PathBuf],
    settings: &Settings,
) -> anyhow::Result<(Vec<Prepared>, Duration, Duration)> {
    let cpu = cpu_time();
    let started = Instant::now();
    let cache = Cache::open(dir)?;
    let results = photos::prepare_all(&cache, files, settings, &|_| {});
    let took = started.elapsed();
    let prepared = results.into_iter().collect::<Result<Vec<_>, _>>()?;
    Ok((prepared, took, cpu_time().saturating_sub(cpu)))
}

fn report(name: &str, prepared: &[Prepared], took: Duration, cpu: Duration) {
    let encoded = prepared.iter().filter(|p| p.encoded).count();
    let read = prepared.iter().filter(|p| p.read).count();
    println!(
        "{name:<28} {:>8.3} s  CPU {:>8.3} s  encoded {encoded}, read {read}",
        took.as_secs_f64(),
        cpu.as_secs_f64()
    );
}

/// This process's CPU time, user and system.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only fills the struct it is given.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let time = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Photo `i` is 3 to 12 megapixels, cycling through the sizes.
fn megapixels_of(i: usize) -> u32 {
    3 + (i * 7 % 10) as u32
}

/// Writes photo `i` (variation `seed`) unless it is already there; 4:3, landscape.
fn generate(dir: &Path, i: usize, seed: u32) -> anyhow::Result<PathBuf> {
    let path = dir.join(format!("photo-{i:05}.jpg"));
    let marker = dir.join(format!("photo-{i:05}.seed"));
    if seed == 0 && std::fs::read_to_string(&marker).is_ok_and(|s| s == "0") && path.exists() {
        return Ok(path);
    }
    let pixels = f64::from(megapixels_of(i)) * 1e6;
    let width = (pixels * 4.0 / 3.0).sqrt() as u32;
    let height = width * 3 / 4;
    let image = photo_like(width, height, i as u32 * 31 + seed);
    std::fs::write(&path, jpeg(image.as_raw(), width, height, 88)?)?;
    std::fs::write(&marker, seed.to_string())?;
    Ok(path)
}

/// RGB pixels as a JPEG of `quality`.
fn jpeg(rgb: &[u8], width: u32, height: u32, quality: u8) -> anyhow::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, quality).write_image(
        rgb,
        width,
        height,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(bytes)
}

/// Gradients under deterministic noise, with a few soft shapes: compresses like a photo.
fn photo_like(width: u32, height: u32, seed: u32) -> image::RgbImage {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    let (cx, cy) = ((seed * 97) % width.max(1), (seed * 61) % height.max(1));
    image::RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let noise = (state % 20) as u8;
        let dx = i64::from(x) - i64::from(cx);
        let dy = i64::from(y) - i64::from(cy);
        let ring = (((dx * dx + dy * dy) as f64).sqrt() / 40.0).sin() * 40.0 + 40.0;
        let r = (x * 150 / width) as u8;
        let g = (y * 150 / height) as u8;
        image::Rgb([
            r.saturating_add(noise).saturating_add(ring as u8),
            g.saturating_add(noise / 2),
            (ring as u8).saturating_add(60).saturating_add(noise),
        ])
    })
}
