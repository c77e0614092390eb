//! Times `Session::update` in one process, step by step, on an existing site.
//!
//! ```text
//! cargo run --release --example update_profile -- SITE [--saves 10]
//!     [--title | --date | --partner | --topic | --kind | --new [--newest] | --template]
//! ```
//!
//! Renders SITE once, then appends a sentence to one entry at a time (a different entry each
//! time) and calls `Session::update` with that file, printing the steps `--timings` shows and
//! the median of each. With `--title`, changes the entry's title instead; with `--date`, the
//! day of its date (which moves it on the timeline); with `--partner`, `--topic` or `--kind`,
//! its first partner, its first topic or its kind (on a site from `examples/gen_corpus.rs`);
//! with `--new`, writes a new entry (a copy of one, under another name), and with `--newest`
//! too, dated the last day of the newest entry's year (at the top of every list it is in, as
//! a writer's new entry usually is); with `--template`, saves
//! `templates/entry.html`. The site's files are edited: run it on a copy.

// Only the corpus's topics are used here.
#[allow(dead_code)]
mod corpus;
#[path = "corpus/edit.rs"]
mod edit;

use std::path::PathBuf;
use std::time::{Duration, Instant};

fn main() {
    gazette::without_transparent_huge_pages();
    let mut site: Option<PathBuf> = None;
    let mut saves = 10;
    let mut template = false;
    let mut title = false;
    let mut date = false;
    let mut partner = false;
    let mut topic = false;
    let mut new = false;
    let mut kind = false;
    let mut newest = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--saves" => saves = args.next().and_then(|s| s.parse().ok()).expect("a number"),
            "--template" => template = true,
            "--title" => title = true,
            "--date" => date = true,
            "--partner" => partner = true,
            "--topic" => topic = true,
            "--new" => new = true,
            "--kind" => kind = true,
            "--newest" => newest = true,
            _ => site = Some(PathBuf::from(arg)),
        }
    }
    let site = site.expect("a site folder");
    let options = gazette::BuildOptions::default();
    let mut session = gazette::session::Session::open(&site, &options).expect("the site opens");
    let started = Instant::now();
    let first = session.render().expect("the site renders");
    eprintln!(
        "first render: {} files in {:.0} ms",
        first.files.len(),
        started.elapsed().as_secs_f64() * 1e3
    );
    let mut entries: Vec<PathBuf> = walkdir::WalkDir::new(site.join("content"))
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect();
    entries.sort();
    // The year of the newest entry, for `--newest`.
    let texts: Vec<String> = (entries.iter())
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    let last_year = edit::last_year(texts.iter().map(String::as_str));
    drop(texts);
    let mut laps: Vec<(&'static str, Vec<Duration>)> = Vec::new();
    let mut totals = Vec::new();
    for i in 0..saves {
        let path = if template {
            let path = site.join("templates/entry.html");
            let text = std::fs::read_to_string(&path).unwrap_or_else(|_| {
                gazette::theme::TEMPLATES
                    .iter()
                    .find(|(name, _)| *name == "entry.html")
                    .map(|(_, text)| text.to_string())
                    .unwrap_or_default()
            });
            if let Some(folder) = path.parent() {
                std::fs::create_dir_all(folder).expect("a templates folder");
            }
            std::fs::write(&path, format!("{text}\n{{# edit {i} #}}")).expect("write");
            path
        } else if new {
            let from = &entries[(i * 7919) % entries.len()];
            let path = from.with_file_name(format!("new-entry-{i}.md"));
            let mut text = std::fs::read_to_string(from).expect("read");
            if newest {
                text = edit::dated_last_day_of(&text, last_year);
            }
            std::fs::write(&path, text).expect("write");
            path
        } else {
            let path = entries[(i * 7919) % entries.len()].clone();
            let mut text = std::fs::read_to_string(&path).expect("read");
            if title {
                text = text.replacen("title: ", &format!("title: Edit {i} of "), 1);
            } else if kind {
                text = edit::another_kind(&text);
            } else if topic {
                text = edit::another_topic(&text, i, corpus::TOPICS);
            } else if partner {
                // The corpus registers 200 partners.
                text = edit::another_partner(&text, i, 200);
            } else if date {
                // `date: YYYY-MM-DD`: another day of the same month.
                let at = text.find("\ndate: ").expect("a date") + "\ndate: ".len() + 8;
                let mut day = format!("{:02}", i % 28 + 1);
                if text[at..at + 2] == day {
                    day = format!("{:02}", i % 28 + 2);
                }
                text.replace_range(at..at + 2, &day);
            } else {
                text.push_str(&format!("\nOne more sentence, number {i}.\n"));
            }
            std::fs::write(&path, text).expect("write");
            path
        };
        let started = Instant::now();
        let rendered = session.update(&[path]).expect("the site renders again");
        let took = started.elapsed();
        totals.push(took);
        let way = if rendered.in_place {
            "in place"
        } else {
            "the general way"
        };
        eprintln!("save {i}: {:.1} ms, {way}", took.as_secs_f64() * 1e3);
        for (name, took) in rendered.timings {
            match laps.iter_mut().find(|(n, _)| *n == name) {
                Some((_, v)) => v.push(took),
                None => laps.push((name, vec![took])),
            }
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2].as_secs_f64() * 1e3
    };
    for (name, mut v) in laps {
        eprintln!("{name:>40}: {:7.1} ms", median(&mut v));
    }
    eprintln!("{:>40}: {:7.1} ms", "update", median(&mut totals));
}
