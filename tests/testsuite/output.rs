//! The output folder: unchanged files keep their modification time, a failed build leaves the
//! previous output byte for byte, and the same input gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::File;
use std::time::{Duration, SystemTime};

use crate::bench_corpus::corpus::Corpus;
use crate::support::{Node, Site, files_of, snapshot};

fn set_mtime(path: &std::path::Path, time: SystemTime) {
    File::options()
        .write(true)
        .open(path)
        .unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
        .set_modified(time)
        .unwrap();
}

fn mtime(path: &std::path::Path) -> SystemTime {
    std::fs::metadata(path).unwrap().modified().unwrap()
}

#[test]
fn unchanged_files_keep_their_mtime_and_changed_pages_get_a_new_one() {
    let site = Site::fixture("mtimes");
    site.build_ok(&[]);
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    let kept = [
        "stable/index.html",
        "style.css",
        "brief.txt",
        "timeline/index.html",
    ];
    let changing = site.out().join("changing/index.html");
    for file in kept {
        set_mtime(&site.out().join(file), old);
    }
    set_mtime(&changing, old);

    // The exports are written as they are made, and compared with the old file as they go.
    let exports = ["data/entries.json", "data/entries.csv", "search-index.json"];
    for file in exports {
        set_mtime(&site.out().join(file), old);
    }

    // An identical second build keeps every file.
    site.build_ok(&[]);
    for file in kept.iter().chain(&exports) {
        assert_eq!(mtime(&site.out().join(file)), old, "{file}");
    }
    assert_eq!(mtime(&changing), old);

    // A change in the body of one entry rewrites its page only.
    let source = std::fs::read_to_string(site.path("content/changing.md")).unwrap();
    site.write(
        "content/changing.md",
        source.replace("version one", "version two"),
    );
    site.build_ok(&[]);
    assert!(
        mtime(&changing) > old,
        "the changed page kept its old mtime"
    );
    assert!(site.main_of("/changing/").contains("version two"));
    for file in kept {
        assert_eq!(mtime(&site.out().join(file)), old, "{file}");
    }
}

#[test]
fn a_failed_build_with_colliding_files_leaves_the_live_output_alone() {
    let site = Site::fixture("timeline-order");
    site.build_ok(&[]);
    let good = snapshot(&site.out());
    // A file beside the entries lands on the search index, which the previous build wrote
    // and this one would keep as a hard link to the live file: the error must not write
    // through that link.
    site.write("content/search-index.json", "not the index\n");
    site.build(&[]).assert_code(1);
    assert_eq!(snapshot(&site.out()), good, "the live output changed");
}

#[test]
fn failed_build_after_a_good_one_leaves_the_output_byte_for_byte() {
    let site = Site::fixture("timeline-order");
    site.build_ok(&[]);
    let good = snapshot(&site.out());
    assert!(files_of(&good).contains_key("a-visit/index.html"));

    site.write("content/broken.md", "no front matter\n");
    let source = std::fs::read_to_string(site.path("content/a-visit.md")).unwrap();
    site.write(
        "content/a-visit.md",
        source.replace("Alexandria visit", "Renamed visit"),
    );
    let run = site.build(&[]);
    run.assert_code(1);
    assert_eq!(
        snapshot(&site.out()),
        good,
        "the failed build changed the output"
    );
    // No staging or old folder is left beside the output.
    let mut beside: Vec<String> = std::fs::read_dir(&site.tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["out", "site"]);

    // Fixing the file makes the next build go through.
    std::fs::remove_file(site.path("content/broken.md")).unwrap();
    site.build_ok(&[]);
    assert!(site.main_of("/a-visit/").contains("Renamed visit"));
}

/// Two builds of one site, each in a process of its own with the same `--now`, write the same
/// tree byte for byte, and so does a build of a copy of the site elsewhere. Each process seeds
/// its hash maps afresh, so an order taken from one (of partners, topics, feeds, rows) differs
/// between the two: the generated site has 200 partners and 40 topics for it to show.
#[test]
fn two_builds_of_the_same_input_give_identical_bytes() {
    let site = Site::empty();
    let corpus = Corpus {
        entries: 150,
        words: 80,
        ..Corpus::default()
    };
    corpus.write(&site.root).unwrap();
    site.build_ok(&[]);
    let second_out = site.tmp.join("second");
    site.build_into(&second_out, &[]).assert_success();
    let elsewhere = Site::empty();
    corpus.write(&elsewhere.root).unwrap();
    elsewhere.build_ok(&[]);

    let first = snapshot(&site.out());
    assert!(files_of(&first).len() > 400, "{:?}", first.keys());
    assert_same_tree(&first, &snapshot(&second_out), "a second build");
    assert_same_tree(&first, &snapshot(&elsewhere.out()), "a copy elsewhere");
}

/// Fails naming the first path that is missing, extra or different in `other`.
fn assert_same_tree(first: &BTreeMap<String, Node>, other: &BTreeMap<String, Node>, what: &str) {
    let kind = |node: Option<&Node>| match node {
        None => "missing".to_string(),
        Some(Node::Dir) => "a folder".to_string(),
        Some(Node::File(bytes)) => format!("a file of {} bytes", bytes.len()),
        Some(Node::Link(target)) => format!("a link to {}", target.display()),
    };
    let paths: BTreeSet<&String> = first.keys().chain(other.keys()).collect();
    for path in paths {
        match (first.get(path), other.get(path)) {
            (Some(a), Some(b)) if a == b => {}
            (Some(Node::File(a)), Some(Node::File(b))) => panic!(
                "{what}: `{path}` differs\n--- first:\n{}\n--- {what}:\n{}",
                String::from_utf8_lossy(a),
                String::from_utf8_lossy(b)
            ),
            (a, b) => panic!(
                "{what}: `{path}` is {} in the first build, {} in {what}",
                kind(a),
                kind(b)
            ),
        }
    }
}

#[test]
fn leftovers_of_an_interrupted_build_are_cleaned_up() {
    let site = Site::fixture("timeline-order");
    // A build that stopped after moving the old output aside, and a stale staging folder.
    let old = site.tmp.join(".out.old");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join(".gazette"), "marker\n").unwrap();
    std::fs::write(old.join("stale.html"), "stale\n").unwrap();
    let staging = site.tmp.join(".out.tmp-1");
    std::fs::create_dir_all(&staging).unwrap();
    std::fs::write(staging.join(".gazette"), "marker\n").unwrap();
    std::fs::write(staging.join("half.html"), "half\n").unwrap();

    site.build_ok(&[]);
    let mut beside: Vec<String> = std::fs::read_dir(&site.tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    beside.sort();
    assert_eq!(beside, ["out", "site"]);
    assert!(site.has_page("/a-visit/"));
    assert!(!site.out().join("stale.html").exists());
}

/// Runs `gazette build` on `site` into `<tmp>/out` as another user than the owner of the
/// output (`nobody`, through `setpriv`, when the tests run as root; as this user otherwise,
/// where permissions already apply). `None` when that cannot be arranged here.
fn build_as_another_user(site: &Site) -> Option<crate::support::Run> {
    use std::os::unix::fs::PermissionsExt;
    let root = is_root();
    if root
        && std::process::Command::new("setpriv")
            .arg("--help")
            .output()
            .is_err()
    {
        eprintln!("skipped: running as root without `setpriv` to run the build as another user");
        return None;
    }
    // The other user reads the site and writes beside the output.
    std::fs::set_permissions(&site.tmp, std::fs::Permissions::from_mode(0o777)).unwrap();
    let mut command = if root {
        let mut command = std::process::Command::new("setpriv");
        command.args(["--reuid=65534", "--regid=65534", "--clear-groups"]);
        command.arg(env!("CARGO_BIN_EXE_gazette"));
        command
    } else {
        std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
    };
    let output = command
        .args([
            "build",
            "--site",
            "site",
            "--output",
            "out",
            "--now",
            crate::support::NOW,
        ])
        .current_dir(&site.tmp)
        .output()
        .unwrap();
    Some(crate::support::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    })
}

fn is_root() -> bool {
    std::process::Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

#[test]
fn an_output_this_user_cannot_replace_is_refused_before_anything_changes() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("pagination");
    site.build_ok(&[]);
    // A folder of the live output that the build's user cannot change (as when an earlier
    // build ran as root, or after `chmod 555`).
    let timeline = site.out().join("timeline");
    std::fs::set_permissions(&timeline, std::fs::Permissions::from_mode(0o555)).unwrap();
    let before = snapshot(&site.out());
    let Some(run) = build_as_another_user(&site) else {
        return;
    };
    run.assert_code(1);
    // As root made it, `out` itself is the first folder the other user cannot change; as
    // this user, `out/timeline` is.
    let folder = if is_root() { "out" } else { "out/timeline" };
    assert_eq!(
        run.stderr,
        format!(
            "error: cannot replace the output folder `out`: `{folder}` is not writable, so the previous output could not be removed\n = hint: the build runs as a user who cannot change `{folder}`; give the output folder to this user (`chown -R`) or remove it\n"
        ),
        "stdout:\n{}",
        run.stdout
    );
    assert_eq!(snapshot(&site.out()), before, "the live output changed");
    let beside: Vec<String> = std::fs::read_dir(&site.tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".out"))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

#[test]
fn a_previous_output_left_behind_is_a_warning_and_blocks_no_later_build() {
    use std::os::unix::fs::PermissionsExt;
    let site = Site::fixture("pagination");
    site.build_ok(&[]);
    // What an earlier build that could not clean up left: a previous output the build's
    // user cannot remove.
    let old = site.tmp.join(".out.old");
    std::fs::rename(site.out(), &old).unwrap();
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o555)).unwrap();
    // And the output that build put in place, the other user's (empty: a folder gazette
    // may replace).
    std::fs::create_dir(site.out()).unwrap();
    if is_root() {
        std::os::unix::fs::chown(site.out(), Some(65534), Some(65534)).unwrap();
    }
    let Some(run) = build_as_another_user(&site) else {
        return;
    };
    run.assert_code(0);
    assert!(
        run.stderr.starts_with(
            "warning: the previous output could not be removed: Permission denied (os error 13)\n --> .out.old\n  = hint: the new site is in place; remove `.out.old` by hand, as the user who made it\n"
        ),
        "{}",
        run.stderr
    );
    assert!(site.out().join("index.html").is_file());
    // And again: the leftover is still there, and still only a warning.
    let again = build_as_another_user(&site).unwrap();
    again.assert_code(0);
    assert!(site.out().join("index.html").is_file());
    std::fs::set_permissions(&old, std::fs::Permissions::from_mode(0o755)).unwrap();
}
