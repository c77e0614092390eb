//! Save-to-reload benchmark of `gazette serve`.
//!
//! ```text
//! cargo run --release --example serve_bench -- [--entries 10000] [--saves 20] [--site DIR]
//! ```
//!
//! Generates a site (see `examples/corpus`) in a temporary folder, unless `--site` names one,
//! starts `serve` on it on a free port (in a child process), connects a WebSocket client to the
//! live-reload socket, then measures the time from writing (or deleting) a file to the
//! `reload` message reaching the client: for `--saves` edits of one entry's body each (a
//! different entry every time), for `--saves` changes of one entry's title, date, first
//! partner, kind and first topic each, for `--saves` new entries (copies of others, under
//! names of their own) and as many newest ones, for the newest deleted again, and for five
//! edits of a template. Prints the median, the 95th percentile (nearest rank), the minimum
//! and the maximum of each.

mod corpus;
#[path = "corpus/edit.rs"]
mod edit;

use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

fn main() {
    gazette::without_transparent_huge_pages();
    let mut entries = 10_000;
    let mut saves = 20;
    let mut site: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--serve" {
            return serve(PathBuf::from(args.next().expect("a site folder")));
        }
        let mut value = || args.next().expect("a value after the option");
        match arg.as_str() {
            "--entries" => entries = value().parse().expect("a number"),
            "--saves" => saves = value().parse().expect("a number"),
            "--site" => site = Some(PathBuf::from(value())),
            other => panic!("unknown argument `{other}`"),
        }
    }
    let tmp = tempfile::tempdir().unwrap();
    let site = match site {
        Some(site) => site,
        None => {
            let dir = tmp.path().join("site");
            let started = Instant::now();
            corpus::Corpus {
                entries,
                ..corpus::Corpus::default()
            }
            .write(&dir)
            .unwrap();
            eprintln!(
                "generated {entries} entries in {:.1} s",
                started.elapsed().as_secs_f64()
            );
            dir
        }
    };

    // The server runs in a child process (this program in `--serve` mode), so that it can be
    // stopped before the generated site is removed.
    let first_build = Instant::now();
    let mut child = Command::new(std::env::current_exe().unwrap())
        .arg("--serve")
        .arg(&site)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("cannot start the server");
    let _guard = Kill(child.id());
    let (started_tx, started_rx) = mpsc::channel();
    let (built_tx, built_rx) = mpsc::channel();
    let out = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            let words: Vec<&str> = line.split(' ').collect();
            match words.as_slice() {
                ["listening", url] => {
                    let _ = started_tx.send(url.to_string());
                }
                ["built", render, published, elapsed] => {
                    let micros = |w: &str| Duration::from_micros(w.parse().unwrap_or(0));
                    let _ = built_tx.send((micros(render), micros(published), micros(elapsed)));
                }
                _ => {}
            }
        }
    });
    let url = started_rx
        .recv_timeout(Duration::from_secs(600))
        .expect("serve started");
    println!(
        "first build and start: {:.2} s ({url})",
        first_build.elapsed().as_secs_f64()
    );
    let port: u16 = url
        .trim_start_matches("http://127.0.0.1:")
        .trim_end_matches('/')
        .parse()
        .unwrap();
    let mut socket = connect(port);

    let files = entry_files(&site);
    built_rx.try_iter().for_each(drop);
    // Saves `saves` entries, a different one each time (the `n`th save picks the file at
    // `pick(n)`), each edited by `edit`, and reports the times from writing to reloading.
    let mut save_entries =
        |what: &str, pick: &dyn Fn(usize) -> usize, edit: &dyn Fn(String, usize) -> String| {
            timed(&mut socket, &built_rx, what, saves, &|i| {
                let file = files[pick(i) % files.len()].clone();
                let text = edit(std::fs::read_to_string(&file).unwrap(), i);
                Change::Write(file, text)
            });
        };
    save_entries("one entry saved", &|i| i * 7919, &|text, i| {
        format!("{text}\nEdited for the benchmark, save {i}.\n")
    });
    // A change of front matter: the entry's title, which its cards on list pages, the feeds,
    // the exports and the search index show too.
    save_entries(
        "one entry's title changed",
        &|i| i * 6151 + 13,
        &|text, i| text.replacen("\ntitle: ", &format!("\ntitle: Retitled {i} "), 1),
    );
    // A new date: another day of the same month moves the entry among the others, in the
    // same lists.
    save_entries(
        "one entry's date changed",
        &|i| i * 4099 + 7,
        &|mut text, i| {
            let at = text.find("\ndate: ").unwrap() + "\ndate: ".len() + 8;
            let mut day = format!("{:02}", i % 28 + 1);
            if text[at..at + 2] == day {
                day = format!("{:02}", i % 28 + 2);
            }
            text.replace_range(at..at + 2, &day);
            text
        },
    );
    // Another partner: the entry leaves one partner's lists for another's.
    save_entries(
        "one entry's partner changed",
        &|i| i * 3037 + 11,
        &|text, i| edit::another_partner(&text, i, corpus::Corpus::default().partners),
    );
    // Another kind: from the engagements' list to the press releases', or back.
    save_entries("one entry's kind changed", &|i| i * 1009 + 3, &|text, _| {
        edit::another_kind(&text)
    });
    // Another topic: the same for one topic's lists and another's.
    save_entries(
        "one entry's topic changed",
        &|i| i * 2003 + 5,
        &|text, i| edit::another_topic(&text, i, corpus::TOPICS),
    );

    let (_, template) = gazette::theme::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "entry.html")
        .unwrap();
    // A new entry: a copy of one under a name of its own, which adds a page and changes
    // counts; then one dated after every other, at the top of its lists.
    timed(&mut socket, &built_rx, "a new entry written", saves, &|i| {
        let from = &files[(i * 5003 + 17) % files.len()];
        let text = std::fs::read_to_string(from).unwrap();
        Change::Write(from.with_file_name(format!("benchmark-new-{i}.md")), text)
    });
    let texts: Vec<String> = (files.iter())
        .map(|path| std::fs::read_to_string(path).unwrap())
        .collect();
    let last_year = edit::last_year(texts.iter().map(String::as_str));
    drop(texts);
    timed(
        &mut socket,
        &built_rx,
        "a newest entry written",
        saves,
        &|i| {
            let from = &files[(i * 5003 + 29) % files.len()];
            let text = edit::dated_last_day_of(&std::fs::read_to_string(from).unwrap(), last_year);
            Change::Write(
                from.with_file_name(format!("benchmark-newest-{i}.md")),
                text,
            )
        },
    );
    // The newest entries deleted again, one at a time: each leaves the top of every list it
    // was in.
    timed(
        &mut socket,
        &built_rx,
        "a newest entry deleted",
        saves,
        &|i| {
            let from = &files[(i * 5003 + 29) % files.len()];
            Change::Remove(from.with_file_name(format!("benchmark-newest-{i}.md")))
        },
    );
    std::fs::create_dir_all(site.join("templates")).unwrap();
    timed(
        &mut socket,
        &built_rx,
        "entry.html template saved",
        5,
        &|i| {
            let text = template.replacen(
                "{% block main %}",
                &format!("{{% block main %}}<!-- benchmark edit {i} -->"),
                1,
            );
            Change::Write(site.join("templates/entry.html"), text)
        },
    );
    let _ = child.kill();
    let _ = child.wait();
    drop(tmp);
}

/// A change of the site's files that the benchmark times.
enum Change {
    /// Write this text to this file.
    Write(PathBuf, String),
    /// Delete this file.
    Remove(PathBuf),
}

/// Makes `count` changes, the `n`th as `change(n)` gives it, one at a time once the last
/// one's rebuild is over, and reports the times from the change to the reload message.
fn timed(
    socket: &mut tungstenite::WebSocket<TcpStream>,
    built: &mpsc::Receiver<(Duration, Duration, Duration)>,
    what: &str,
    count: usize,
    change: &dyn Fn(usize) -> Change,
) {
    let mut times = Vec::new();
    let mut parts = Vec::new();
    for i in 0..count {
        let change = change(i);
        settle(socket);
        let start = Instant::now();
        match change {
            Change::Write(path, text) => std::fs::write(path, text).unwrap(),
            Change::Remove(path) => std::fs::remove_file(path).unwrap(),
        }
        wait_reload(socket);
        times.push(start.elapsed());
        parts.extend(built.recv_timeout(Duration::from_secs(600)).ok());
    }
    report(what, &mut times);
    report_parts(&parts);
}

/// Kills the server when the benchmark ends, even by a panic.
struct Kill(u32);

impl Drop for Kill {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg(self.0.to_string())
            .stderr(Stdio::null())
            .status();
    }
}

/// `--serve DIR`: runs `serve` on DIR and prints `listening URL` and, for each build,
/// `built RENDER PUBLISHED ELAPSED` (microseconds).
fn serve(site: PathBuf) {
    let options = gazette::serve::ServeOptions {
        site,
        bind: "127.0.0.1".parse().unwrap(),
        port: 0,
        build: gazette::BuildOptions::default(),
        allowed_hosts: Vec::new(),
        idle: gazette::serve::conn::IDLE,
    };
    let result = gazette::serve::run(&options, |event| match event {
        gazette::serve::Event::Listening { url, .. } => println!("listening {url}"),
        gazette::serve::Event::Built(built) => println!(
            "built {} {} {}",
            built.render.as_micros(),
            built.published.as_micros(),
            built.elapsed.as_micros()
        ),
        gazette::serve::Event::Failed {
            failure: gazette::Failure::Content(d),
            ..
        } => eprintln!(
            "build failed: {}",
            d.iter()
                .find(|d| d.is_error())
                .map(|d| d.to_string())
                .unwrap_or_default()
        ),
        gazette::serve::Event::Failed {
            failure: gazette::Failure::Other(e),
            ..
        } => {
            eprintln!("build failed: {e:#}")
        }
        _ => {}
    });
    if let Err(error) = result {
        eprintln!("serve failed: {error:#}");
        std::process::exit(1);
    }
}

fn entry_files(site: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = walk(&site.join("content"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for item in std::fs::read_dir(dir).unwrap().flatten() {
        let path = item.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

fn connect(port: u16) -> tungstenite::WebSocket<TcpStream> {
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let url = format!("ws://127.0.0.1:{port}{}", gazette::serve::http::SOCKET_PATH);
    tungstenite::client(url.as_str(), stream).unwrap().0
}

/// The next text message, or `None` after `timeout`.
fn next(socket: &mut tungstenite::WebSocket<TcpStream>, timeout: Duration) -> Option<String> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        match socket.read() {
            Ok(tungstenite::Message::Text(text)) => return Some(text.to_string()),
            Ok(_) => {}
            Err(tungstenite::Error::Io(_)) => {}
            Err(e) => panic!("socket: {e}"),
        }
    }
    None
}

/// Lets earlier changes finish: reads messages until none comes for 300 ms.
fn settle(socket: &mut tungstenite::WebSocket<TcpStream>) {
    while next(socket, Duration::from_millis(300)).is_some() {}
}

fn wait_reload(socket: &mut tungstenite::WebSocket<TcpStream>) {
    loop {
        let message = next(socket, Duration::from_secs(600)).expect("a message within 10 minutes");
        if message.contains("\"reload\"") {
            return;
        }
        if message.contains("\"error\"") {
            panic!("the rebuild failed: {message}");
        }
    }
}

/// How the rebuilds split: `Session::update`, then comparing with the served site and swapping
/// (until the reload message is sent), then writing the output folder (after it).
fn report_parts(parts: &[(Duration, Duration, Duration)]) {
    let mut render: Vec<Duration> = parts.iter().map(|p| p.0).collect();
    let mut swap: Vec<Duration> = parts.iter().map(|p| p.1.saturating_sub(p.0)).collect();
    let mut write: Vec<Duration> = parts.iter().map(|p| p.2.saturating_sub(p.1)).collect();
    report("  Session::update", &mut render);
    report("  compare and swap, before the reload message", &mut swap);
    report("  write the output folder, after it", &mut write);
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let n = times.len();
    let median = (ms(times[(n - 1) / 2]) + ms(times[n / 2])) / 2.0;
    // The nearest rank: the smallest time at least 95% of the saves took no longer than.
    let p95 = ms(times[(n * 95).div_ceil(100).max(1) - 1]);
    println!(
        "{what}: median {median:.0} ms, p95 {p95:.0} ms, min {:.0} ms, max {:.0} ms ({} saves)",
        ms(times[0]),
        ms(times[times.len() - 1]),
        times.len()
    );
}
