//! The floor of writing what a build writes: load a built output folder into memory, then
//! write every file of it again under a new folder, in parallel, and time only that. No
//! reading, no Markdown, no templates: whatever a build of the same site does, it cannot take
//! less time than this on the same machine. `bench/run.sh` reports it beside the floor.
//!
//! Usage: `write_floor BUILT_OUTPUT_DIR NEW_DIR` (NEW_DIR must not exist)

use std::path::{Path, PathBuf};
use std::time::Instant;

use rayon::prelude::*;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let (Some(built), Some(out)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: write_floor BUILT_OUTPUT_DIR NEW_DIR");
        return std::process::ExitCode::from(2);
    };
    let (built, out) = (Path::new(built), Path::new(out));
    if out.exists() {
        eprintln!("write_floor: {} already exists", out.display());
        return std::process::ExitCode::from(2);
    }
    let mut dirs: Vec<PathBuf> = Vec::new();
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    for entry in walkdir::WalkDir::new(built)
        .into_iter()
        .filter_map(Result::ok)
    {
        let Ok(relative) = entry.path().strip_prefix(built) else {
            continue;
        };
        if entry.file_type().is_dir() {
            dirs.push(out.join(relative));
        } else if let Ok(bytes) = std::fs::read(entry.path()) {
            files.push((out.join(relative), bytes));
        }
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let start = Instant::now();
    // Folders first, parents before children (walkdir yields them in that order), as a build
    // makes them; then the files, spread over the cores.
    let made = dirs
        .iter()
        .filter(|dir| std::fs::create_dir(dir).is_ok())
        .count();
    let written: usize = files
        .par_iter()
        .map(|(path, bytes)| usize::from(std::fs::write(path, bytes).is_ok()))
        .sum();
    let seconds = start.elapsed().as_secs_f64();

    println!(
        "write_floor: {seconds:.3} s to make {made} folders and write {written} of {} files \
         ({:.0} MiB)",
        files.len(),
        bytes as f64 / (1024.0 * 1024.0)
    );
    std::process::ExitCode::SUCCESS
}
