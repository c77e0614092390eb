//! The floor of a build: read every entry, split off its front matter, render its Markdown
//! with pulldown-cmark and write one HTML file each, in parallel. No templates, no indexes.
//! `bench/run.sh` reports gazette's time as a multiple of this program's.
//!
//! Usage: `floor SITE_DIR OUTPUT_DIR`

use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(site), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: floor SITE_DIR OUTPUT_DIR");
        return std::process::ExitCode::from(2);
    };
    let content = Path::new(site).join("content");
    let files: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    let written: usize = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let body = text
                .strip_prefix("---\n")
                .and_then(|rest| rest.find("\n---\n").map(|end| &rest[end + 5..]))
                .unwrap_or(&text);
            let mut html = String::with_capacity(body.len() * 3 / 2);
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(body));
            let stem = path.file_stem().unwrap_or_default();
            let dir = Path::new(out).join(stem);
            let ok = std::fs::create_dir_all(&dir).is_ok()
                && std::fs::write(dir.join("index.html"), html).is_ok();
            usize::from(ok)
        })
        .sum();
    println!("floor: wrote {written} of {} pages", files.len());
    std::process::ExitCode::SUCCESS
}
