//! `gazette serve` end to end: the real binary on a free port, a WebSocket client for the
//! live-reload messages and a plain HTTP/1.1 client, on a copy of `tests/fixtures/serve-basic`.
//!
//! Every wait is bounded; the server is killed when a test ends, even when it fails.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::serve::{CHANGE, Server};
use crate::support::{NOW, Site};
use gazette::serve::http::SCRIPT_TAG;

fn entry(title: &str, date: &str, kind: &str, partners: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\ndate: {date}\nkind: {kind}\npartners: [{partners}]\ntopics: [ports]\n---\n{body}\n"
    )
}

/// The default theme's `entry.html` with `marker` at the top of `<main>`.
fn entry_template(marker: &str) -> String {
    let (_, text) = gazette::theme::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "entry.html")
        .unwrap();
    let with = text.replacen(
        "{% block main %}",
        &format!("{{% block main %}}<p>{marker}</p>"),
        1,
    );
    assert_ne!(&with, text, "the theme's entry.html has a `main` block");
    with
}

#[test]
fn entries_created_edited_renamed_and_deleted_are_served() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();

    // Created.
    let file = "content/engagements/2024-03-05-second-visit.md";
    site.write(
        file,
        entry(
            "Second visit",
            "2024-03-05",
            "engagement",
            "Harbour Board",
            "Ships.",
        ),
    );
    socket.expect("reload");
    server.eventually("/engagements/second-visit/", "showed the new entry", |r| {
        r.has("Second visit")
    });
    server.eventually("/timeline/", "listed the new entry", |r| {
        r.has("Second visit")
    });

    // Edited.
    site.write(
        file,
        entry(
            "Second visit, revised",
            "2024-03-05",
            "engagement",
            "Harbour Board",
            "Boats.",
        ),
    );
    socket.expect("reload");
    server.eventually("/engagements/second-visit/", "showed the edit", |r| {
        r.has("Second visit, revised") && r.has("Boats.")
    });

    // Renamed: the slug comes from the file name.
    fs::rename(
        site.path(file),
        site.path("content/engagements/2024-03-05-harbour-tour.md"),
    )
    .unwrap();
    socket.expect("reload");
    server.eventually(
        "/engagements/harbour-tour/",
        "appeared under its new name",
        |r| r.has("Second visit, revised"),
    );
    server.eventually("/engagements/second-visit/", "went away", |r| {
        r.status == 404
    });

    // Deleted.
    fs::remove_file(site.path("content/engagements/2024-03-05-harbour-tour.md")).unwrap();
    socket.expect("reload");
    server.eventually("/engagements/harbour-tour/", "went away", |r| {
        r.status == 404
    });
    server.eventually("/timeline/", "stopped listing it", |r| {
        r.status == 200 && !r.text().contains("Second visit")
    });
    assert!(
        !site.path("output/engagements/harbour-tour").exists(),
        "a deleted entry's page is removed from the output folder"
    );
}

#[test]
fn folders_created_renamed_and_deleted_are_picked_up() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();

    // A new folder with an entry in it, moved in at once.
    let staging = site.tmp.join("staging");
    fs::create_dir_all(&staging).unwrap();
    fs::write(
        staging.join("2024-04-01-notice.md"),
        entry(
            "A notice",
            "2024-04-01",
            "press-release",
            "River Trust",
            "Notice.",
        ),
    )
    .unwrap();
    fs::rename(&staging, site.path("content/notices")).unwrap();
    socket.expect("reload");
    server.eventually("/notices/notice/", "appeared", |r| r.has("A notice"));

    // The folder renamed.
    fs::rename(site.path("content/notices"), site.path("content/bulletins")).unwrap();
    socket.expect("reload");
    server.eventually("/bulletins/notice/", "appeared", |r| r.has("A notice"));
    server.eventually("/notices/notice/", "went away", |r| r.status == 404);

    // The folder deleted.
    fs::remove_dir_all(site.path("content/bulletins")).unwrap();
    socket.expect("reload");
    server.eventually("/bulletins/notice/", "went away", |r| r.status == 404);
}

#[test]
fn partner_registry_changes_are_served() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();
    let registry = fs::read_to_string(site.path("content/partners.yaml")).unwrap();

    // Edited.
    site.write(
        "content/partners.yaml",
        registry.replace("Runs the port.", "Runs the port and the lighthouse."),
    );
    socket.expect("reload");
    server.eventually(
        "/partners/harbour-board/",
        "showed the new description",
        |r| r.has("Runs the port and the lighthouse."),
    );

    // A partner added.
    site.write(
        "content/partners.yaml",
        format!("{registry}\n- id: sea-watch\n  name: Sea Watch\n  type: ngo\n"),
    );
    socket.expect("reload");
    server.eventually("/partners/sea-watch/", "appeared", |r| r.has("Sea Watch"));

    // Removed again (the registry renamed away: no registry at all).
    fs::rename(
        site.path("content/partners.yaml"),
        site.path("content/partners.yaml.old"),
    )
    .unwrap();
    socket.expect("reload");
    server.eventually("/partners/sea-watch/", "went away", |r| r.status == 404);

    // Back.
    site.write("content/partners.yaml", &registry);
    socket.expect("reload");
    server.eventually("/partners/harbour-board/", "came back", |r| {
        r.has("Runs the port.")
    });
}

#[test]
fn template_changes_are_served() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();
    let page = "/engagements/first-visit/";

    // Created (the templates/ folder did not exist).
    site.write("templates/entry.html", entry_template("marker-one"));
    socket.expect("reload");
    server.eventually(page, "used the new template", |r| r.has("marker-one"));

    // Edited.
    site.write("templates/entry.html", entry_template("marker-two"));
    socket.expect("reload");
    server.eventually(page, "used the edited template", |r| {
        r.has("marker-two") && !r.text().contains("marker-one")
    });

    // Renamed away: the theme's template is used again.
    fs::rename(
        site.path("templates/entry.html"),
        site.path("templates/entry.html.off"),
    )
    .unwrap();
    socket.expect("reload");
    server.eventually(page, "went back to the theme's template", |r| {
        r.status == 200 && !r.text().contains("marker-two")
    });

    // Renamed back, then deleted.
    fs::rename(
        site.path("templates/entry.html.off"),
        site.path("templates/entry.html"),
    )
    .unwrap();
    socket.expect("reload");
    server.eventually(page, "used the template again", |r| r.has("marker-two"));
    fs::remove_file(site.path("templates/entry.html")).unwrap();
    socket.expect("reload");
    server.eventually(page, "went back to the theme's template", |r| {
        r.status == 200 && !r.text().contains("marker-two")
    });
}

#[test]
fn a_broken_entry_shows_the_error_and_keeps_the_last_good_site() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();
    let file = "content/engagements/2024-01-10-first-visit.md";
    let good = fs::read_to_string(site.path(file)).unwrap();

    site.write(
        file,
        "---\ntitle: [unclosed\ndate: 2024-01-10\n---\nBroken <b>.\n",
    );
    let message = socket.expect("error");
    let text = message["text"].as_str().unwrap();
    assert!(
        text.contains("content/engagements/2024-01-10-first-visit.md"),
        "the overlay names the file: {text}"
    );
    assert!(text.contains("error"), "{text}");
    assert_eq!(message["last_good"], true, "{message}");
    // The last good site is still served.
    let page = server.get("/engagements/first-visit/");
    assert_eq!(page.status, 200);
    assert!(page.text().contains("First visit to the harbour"));
    // A page opened now gets the overlay at once.
    let mut late = server.socket();
    late.expect("error");
    // The terminal has the diagnostics too.
    let stderr = server.stderr();
    assert!(stderr.contains("2024-01-10-first-visit.md"), "{stderr}");
    assert!(
        stderr.contains("error: the build failed; still serving the last good site\n"),
        "{stderr}"
    );

    // Another change while broken: still broken, still served.
    site.write(
        "content/press-releases/2024-02-01-statement.md",
        entry(
            "Statement, amended",
            "2024-02-01",
            "press-release",
            "River Trust",
            "More.",
        ),
    );
    socket.expect("error");
    assert!(
        server
            .get("/engagements/first-visit/")
            .has("First visit to the harbour")
    );

    // Fixed: both changes arrive, and the overlay goes.
    site.write(file, good.replace("went well", "went very well"));
    socket.expect("reload");
    late.expect("reload");
    server.eventually("/engagements/first-visit/", "showed the fix", |r| {
        r.has("went very well")
    });
    server.eventually(
        "/press-releases/statement/",
        "showed the change made while broken",
        |r| r.has("Statement, amended"),
    );
    // A page opened now gets no overlay.
    let mut fresh = server.socket();
    assert!(fresh.drain().is_empty(), "no error once fixed");
}

#[test]
fn deleting_the_broken_file_clears_the_error() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();
    site.write(
        "content/engagements/2024-05-05-bad.md",
        "no front matter at all\n",
    );
    socket.expect("error");
    fs::remove_file(site.path("content/engagements/2024-05-05-bad.md")).unwrap();
    // Nothing served changed: the overlay is hidden without a reload.
    socket.expect("ok");
    let mut fresh = server.socket();
    assert!(fresh.drain().is_empty());
}

#[test]
fn editor_temporary_files_are_ignored() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();
    for name in [
        ".2024-01-10-first-visit.md.swp",
        "2024-01-10-first-visit.md~",
        ".#2024-01-10-first-visit.md",
        "4913",
    ] {
        site.write(&format!("content/engagements/{name}"), "scratch");
    }
    site.write("output/stray.txt", "not watched");
    assert!(
        socket.next(Duration::from_millis(800)).is_none(),
        "temporary files cause no rebuild"
    );
    // An editor's atomic save: write a temporary file, then rename it over the entry.
    let file = "content/engagements/2024-01-10-first-visit.md";
    let text = fs::read_to_string(site.path(file)).unwrap();
    site.save(file, &text.replace("went well", "went smoothly"));
    socket.expect("reload");
    server.eventually("/engagements/first-visit/", "showed the save", |r| {
        r.has("went smoothly")
    });
}

#[test]
fn a_save_is_one_rebuild_and_reading_the_files_is_none() {
    let site = Site::fixture("serve-basic");
    let mut server = Server::start(&site);
    let quiet = Duration::from_millis(800);
    // The first build opened every file of the site: that is no change.
    assert_eq!(
        server.count_lines("Rebuilt", quiet),
        0,
        "rebuilt with nothing changed"
    );
    site.write(
        "content/engagements/2024-03-05-second-visit.md",
        entry(
            "Second visit",
            "2024-03-05",
            "engagement",
            "Harbour Board",
            "x",
        ),
    );
    server.wait_line("Rebuilt", CHANGE);
    assert_eq!(
        server.count_lines("Rebuilt", quiet),
        0,
        "one save, rebuilt more than once"
    );
}

#[test]
fn a_burst_of_changes_is_rebuilt_once() {
    let site = Site::fixture("serve-basic");
    let mut server = Server::start(&site);
    let mut socket = server.socket();
    for i in 0..30 {
        site.write(
            &format!("content/engagements/2024-06-{:02}-burst-{i}.md", i % 28 + 1),
            entry(
                &format!("Burst {i}"),
                "2024-06-01",
                "engagement",
                "Harbour Board",
                "x",
            ),
        );
    }
    socket.expect("reload");
    server.wait_line("Rebuilt", CHANGE);
    server.eventually("/engagements/burst-29/", "appeared", |r| r.has("Burst 29"));
    let extra = socket.drain();
    assert!(
        extra.len() <= 1,
        "30 files written at once cause at most two rebuilds, not {}: {extra:?}",
        extra.len() + 1
    );
}

#[test]
fn traversal_paths_get_404_and_no_file_content() {
    let site = Site::fixture("serve-basic");
    site.write("secret.txt", "TOP-SECRET-CONTENT");
    let server = Server::start(&site);
    for path in [
        "/../Cargo.toml",
        "/../secret.txt",
        "/%2e%2e/",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2E%2E/Cargo.toml",
        "/..%2f..%2fetc/passwd",
        "/..%2fsecret.txt",
        "/static/..%5c..",
        "/..%5csecret.txt",
        "/notes.txt/../../secret.txt",
        "/.%2e/secret.txt",
        "//etc/passwd",
        "/%00",
        "/site.yaml",
        "/content/partners.yaml",
        "/.gazette",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        let text = response.text();
        assert!(!text.contains("TOP-SECRET"), "{path} leaked a file");
        assert!(!text.contains("[package]"), "{path} leaked Cargo.toml");
        assert!(!text.contains("root:"), "{path} leaked /etc/passwd");
        assert!(!text.contains("base_url"), "{path} leaked site.yaml");
        assert!(
            text.contains("not-found"),
            "{path} answers with the site's 404 page"
        );
    }

    // A symbolic link put into the output folder is not followed out of it.
    #[cfg(unix)]
    {
        let copied = site.path("output/notes.txt");
        fs::remove_file(&copied).unwrap();
        std::os::unix::fs::symlink(site.path("secret.txt"), &copied).unwrap();
        let response = server.get("/notes.txt");
        assert_eq!(response.status, 404);
        assert!(!response.text().contains("TOP-SECRET"));
    }
}

#[test]
fn headers_content_types_redirects_and_the_injected_script() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert_eq!(home.header("cache-control"), Some("no-store"));
    assert!(
        home.text().contains(SCRIPT_TAG),
        "served pages get the script"
    );
    let on_disk = fs::read_to_string(site.path("output/index.html")).unwrap();
    assert!(
        !on_disk.contains("__gazette"),
        "the output folder never gets the script"
    );

    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(!css.text().contains("__gazette"));
    let text = server.get("/notes.txt");
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(text.text(), "Notes served as they are.\n");

    let redirect = server.get("/timeline");
    assert_eq!(redirect.status, 307);
    assert_eq!(redirect.header("location"), Some("/timeline/"));

    let missing = server.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("cache-control"), Some("no-store"));
    assert!(missing.text().contains("not-found"));
    assert!(missing.text().contains(SCRIPT_TAG));

    let script = server.get("/__gazette/live.js");
    assert_eq!(script.status, 200);
    assert!(script.text().contains("WebSocket"));
}

#[test]
fn the_site_is_served_under_the_base_path() {
    let site = Site::fixture("serve-basic");
    let config = fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write(
        "site.yaml",
        config.replace("https://example.org/", "https://example.org/sub/"),
    );
    let server = Server::start(&site);
    assert!(server.get("/sub/").has("Serve Fixture"));
    assert!(server.get("/sub/timeline/").has("First visit"));
    let root = server.get("/");
    assert_eq!(root.status, 307);
    assert_eq!(root.header("location"), Some("/sub/"));
    assert_eq!(server.get("/timeline/").status, 404);
    assert_eq!(server.get("/sub/../secret").status, 404);

    // site.yaml changes are picked up: back to the root.
    let mut socket = server.socket();
    site.write("site.yaml", &config);
    socket.expect("reload");
    server.eventually("/timeline/", "moved to the root", |r| r.has("First visit"));
}

#[test]
fn the_served_site_is_byte_identical_to_a_fresh_build() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();

    // A scripted sequence of edits of every kind.
    type Step = Box<dyn Fn(&Site)>;
    let steps: Vec<Step> = vec![
        Box::new(|s| {
            s.write(
                "content/engagements/2024-03-01-a.md",
                entry(
                    "Entry A",
                    "2024-03-01",
                    "engagement",
                    "Harbour Board, Sea Watch",
                    "A.",
                ),
            )
        }),
        Box::new(|s| {
            s.write(
                "content/press-releases/2024-03-02-b.md",
                entry(
                    "Entry B",
                    "2024-03-02",
                    "press-release",
                    "The Harbour Board",
                    "B.",
                ),
            )
        }),
        Box::new(|s| {
            s.write(
                "content/engagements/2024-03-01-a.md",
                entry(
                    "Entry A2",
                    "2025-07-01",
                    "engagement",
                    "River Trust",
                    "A2 [B](@/press-releases/2024-03-02-b.md).",
                ),
            )
        }),
        Box::new(|s| {
            let registry = fs::read_to_string(s.path("content/partners.yaml")).unwrap();
            s.write(
                "content/partners.yaml",
                format!("{registry}\n- id: sea-watch\n  name: Sea Watch\n  type: ngo\n"),
            )
        }),
        Box::new(|s| s.write("templates/entry.html", entry_template("templated"))),
        Box::new(|s| s.write("static/extra.css", "body { color: black }\n")),
        Box::new(|s| {
            fs::rename(
                s.path("content/press-releases/2024-02-01-statement.md"),
                s.path("content/press-releases/2024-02-01-river-statement.md"),
            )
            .unwrap()
        }),
        Box::new(|s| fs::remove_file(s.path("static/notes.txt")).unwrap()),
        Box::new(|s| {
            fs::remove_file(s.path("content/engagements/2024-01-10-first-visit.md")).unwrap()
        }),
        Box::new(|s| {
            let config = fs::read_to_string(s.path("site.yaml")).unwrap();
            s.write(
                "site.yaml",
                config.replace("Serve Fixture", "Serve Fixture, renamed"),
            )
        }),
    ];
    for step in &steps {
        step(&site);
        socket.expect("reload");
    }
    server.eventually("/", "showed the last step", |r| {
        r.has("Serve Fixture, renamed")
    });

    let fresh = site.tmp.join("fresh");
    let status = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["build", "--site"])
        .arg(&site.root)
        .arg("--output")
        .arg(&fresh)
        .args(["--now", NOW])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "a fresh build of the edited site works");

    let built = files(&fresh);
    assert!(built.len() > 10, "{built:?}");
    for rel in &built {
        let expected = fs::read(fresh.join(rel)).unwrap();
        let response = server.get(&format!("/{rel}"));
        assert_eq!(response.status, 200, "/{rel}");
        let mut served = response.body;
        if rel.ends_with(".html") {
            let text = String::from_utf8(served).unwrap();
            assert_eq!(text.matches(SCRIPT_TAG).count(), 1, "/{rel}");
            served = text.replacen(SCRIPT_TAG, "", 1).into_bytes();
        }
        assert!(served == expected, "/{rel} differs from a fresh build");
    }
    // The output folder serve keeps up to date (just after the reload) is the same as a fresh
    // build, file for file.
    let output = site.path("output");
    let same = |rel: &String| fs::read(output.join(rel)).ok() == fs::read(fresh.join(rel)).ok();
    let deadline = Instant::now() + CHANGE;
    while (files(&output) != built || !built.iter().all(same)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(files(&output), built);
    for rel in &built {
        assert!(same(rel), "output/{rel} differs from a fresh build");
    }
}

/// Every file under `dir` (but the output marker), relative, sorted.
fn files(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        // Tolerates files coming and going: the caller retries until the folder is settled.
        let Ok(items) = fs::read_dir(dir) else {
            return;
        };
        for item in items.flatten() {
            if item.file_type().is_ok_and(|t| t.is_dir()) {
                walk(root, &item.path(), out);
            } else {
                let rel = item
                    .path()
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel != ".gazette" {
                    out.push(rel);
                }
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn a_site_that_does_not_build_at_first_is_served_once_fixed() {
    let site = Site::fixture("serve-basic");
    let file = "content/engagements/2024-01-10-first-visit.md";
    let good = fs::read_to_string(site.path(file)).unwrap();
    site.write(file, "---\ntitle: First\n---\nno date\n");
    let server = Server::start(&site);
    let waiting = server.get("/");
    assert_eq!(waiting.status, 503);
    assert!(waiting.text().contains(SCRIPT_TAG));
    // It says there is no site yet, and follows the reader's light or dark mode, as the
    // overlay over it does.
    assert!(
        waiting
            .text()
            .contains("<p>No build of the site has succeeded yet, so there is no page to show.")
    );
    assert!(
        waiting
            .text()
            .contains("<meta name=\"color-scheme\" content=\"light dark\">")
    );
    let mut socket = server.socket();
    let message = socket.expect("error");
    // There is no last good site to speak of, in the page or in the terminal.
    assert_eq!(message["last_good"], false, "{message}");
    let stderr = server.stderr();
    assert!(
        stderr.contains(
            "error: the build failed and no earlier build succeeded: there is no site to serve yet; pages show these errors until it builds\n"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("last good"), "{stderr}");
    // The overlay tells the two apart, and keeps the page's styles out.
    let script = server.get("/__gazette/live.js").text();
    assert!(script.contains("message.last_good"), "{script}");
    assert!(script.contains("there is no site to show"), "{script}");
    assert!(script.contains("attachShadow"), "{script}");
    site.write(file, &good);
    socket.expect("reload");
    server.eventually("/engagements/first-visit/", "was served", |r| {
        r.has("First visit to the harbour")
    });
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = Site::fixture("serve-basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let output = Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(["serve", "--site"])
        .arg(&site.root)
        .args(["--port", &port.to_string()])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(&format!("port {port} on 127.0.0.1 is already in use")),
        "{stderr}"
    );
    assert!(stderr.contains("--port"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = Site::fixture("serve-basic");
    let mut server = Server::start(&site);
    let _socket = server.socket();
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(status.success(), "exit status {status:?}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
    server.wait_line("Stopping", Duration::from_secs(5));
}

#[test]
fn a_broken_site_yaml_keeps_the_last_good_site() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();
    let config = fs::read_to_string(site.path("site.yaml")).unwrap();
    site.write("site.yaml", format!("{config}titel: typo\n"));
    let message = socket.expect("error");
    assert!(
        message["text"].as_str().unwrap().contains("site.yaml"),
        "{message}"
    );
    assert!(server.get("/").has("Serve Fixture"));
    site.write(
        "site.yaml",
        config.replace("Serve Fixture", "Serve Fixture, fixed"),
    );
    socket.expect("reload");
    server.eventually("/", "showed the fixed title", |r| {
        r.has("Serve Fixture, fixed")
    });
}

/// Sends `request` as it is on a connection of its own and reads everything the server sends
/// back until it closes the connection (or 10 seconds pass).
fn raw(port: u16, request: &str) -> String {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

/// A site with a draft, served with `--drafts` and the `extra` arguments.
fn serve_a_draft(extra: &[&str]) -> (Site, Server) {
    let site = Site::fixture("serve-basic");
    site.write(
        "content/engagements/2024-03-01-unannounced.md",
        entry(
            "Unannounced talks",
            "2024-03-01",
            "engagement",
            "Harbour Board",
            "Not for the public yet.",
        )
        .replacen("---\ntitle", "---\ndraft: true\ntitle", 1),
    );
    let mut args = vec!["--drafts"];
    args.extend_from_slice(extra);
    let server = Server::start_with(&site, &args);
    (site, server)
}

#[test]
fn requests_for_another_host_are_refused_so_a_rebound_name_reads_no_draft() {
    let (_site, server) = serve_a_draft(&[]);
    let port = server.port;
    let ask = |host: &str| {
        raw(
            port,
            &format!(
                "GET /engagements/unannounced/ HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
            ),
        )
    };
    for host in [
        format!("attacker.example:{port}"),
        "attacker.example".to_string(),
        format!("localhost.attacker.example:{port}"),
        format!("127.0.0.1.nip.example:{port}"),
    ] {
        let answer = ask(&host);
        assert!(answer.starts_with("HTTP/1.1 403"), "{host}: {answer}");
        assert!(!answer.contains("Unannounced"), "{host}: {answer}");
        let name = host.split(':').next().unwrap();
        assert!(
            answer.contains(&format!(
                "403 Forbidden: gazette serve answers requests for localhost and IP addresses, not for `{name}`.\nTo open the preview under that name, start it with `gazette serve --allow-host {name}`.\n"
            )),
            "{answer}"
        );
    }
    // Anything after an IPv6 address but a port is no address.
    let odd = ask(&format!("[::1]attacker.example:{port}"));
    assert!(odd.starts_with("HTTP/1.1 403"), "{odd}");
    // The live-reload script and socket too.
    let script = raw(
        port,
        "GET /__gazette/live.js HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n",
    );
    assert!(script.starts_with("HTTP/1.1 403"), "{script}");
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("LOCALHOST:{port}"),
        format!("preview.localhost:{port}"),
    ] {
        let answer = ask(&host);
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
        assert!(answer.contains("Unannounced talks"), "{host}");
    }
}

#[test]
fn a_name_given_with_allow_host_is_answered() {
    let (_site, server) = serve_a_draft(&["--allow-host", "Preview.Office.Test"]);
    let answer = raw(
        server.port,
        "GET /engagements/unannounced/ HTTP/1.1\r\nHost: preview.office.test:8000\r\nConnection: close\r\n\r\n",
    );
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    let other = raw(
        server.port,
        "GET / HTTP/1.1\r\nHost: other.office.test\r\nConnection: close\r\n\r\n",
    );
    assert!(other.starts_with("HTTP/1.1 403"), "{other}");
}

#[test]
fn the_live_reload_socket_refuses_pages_of_other_origins() {
    use tungstenite::client::IntoClientRequest;
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let port = server.port;
    let connect = |origin: &str| {
        let stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let mut request = format!("ws://127.0.0.1:{port}/__gazette/ws")
            .into_client_request()
            .unwrap();
        request
            .headers_mut()
            .insert("Origin", origin.parse().unwrap());
        // The status of a refused handshake, or 101 for an accepted one.
        match tungstenite::client(request, stream) {
            Ok(_) => 101,
            Err(tungstenite::HandshakeError::Failure(tungstenite::Error::Http(response))) => {
                response.status().as_u16()
            }
            Err(other) => panic!("{origin}: {other}"),
        }
    };
    for origin in [
        "http://attacker.example".to_string(),
        format!("http://attacker.example:{port}"),
        "null".to_string(),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{}", port.wrapping_add(1)),
    ] {
        assert_eq!(connect(&origin), 403, "a socket from {origin}");
    }
    assert_eq!(connect(&format!("http://127.0.0.1:{port}")), 101);
}

#[test]
fn quiet_connections_are_closed_but_the_live_reload_socket_stays() {
    let site = Site::fixture("serve-basic");
    let server = Server::start_with(&site, &["--idle-timeout", "1"]);
    let port = server.port;
    let mut socket = server.socket();
    // Half a request, and nothing more: closed after the idle time, not kept.
    let started = Instant::now();
    let answer = raw(port, "GET / HTTP/1.1\r\nHost: 127.0.0");
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(8),
        "a half-open connection stayed {waited:?}: {answer}"
    );
    // A connection that never sends a byte.
    let started = Instant::now();
    let silent = raw(port, "");
    assert!(
        started.elapsed() < Duration::from_secs(8),
        "a silent connection stayed: {silent}"
    );
    // The socket, quiet for several idle times, still hears of a change.
    std::thread::sleep(Duration::from_millis(3500));
    site.write(
        "content/engagements/2024-01-10-first-visit.md",
        entry(
            "First visit, after a pause",
            "2024-01-10",
            "engagement",
            "Harbour Board",
            "Still here.",
        ),
    );
    socket.expect("reload");
}

#[test]
fn a_link_out_of_the_site_added_while_serving_is_refused_and_not_served() {
    let site = Site::fixture("serve-basic");
    let server = Server::start(&site);
    let mut socket = server.socket();
    std::os::unix::fs::symlink("/proc/self/environ", site.path("static/env.txt")).unwrap();
    let message = socket.expect("error");
    let text = message["text"].as_str().unwrap();
    assert!(
        text.contains("error: symbolic link points outside the site folder\n --> static/env.txt"),
        "{text}"
    );
    let answer = server.get("/env.txt");
    assert_eq!(answer.status, 404);
    assert!(!answer.text().contains("PATH="));
    let notes = server.get("/notes.txt");
    assert_eq!(notes.status, 200, "the last good site is still served");
}
