//! The output folder: unchanged files keep their modification time, a failed build leaves the
//! previous output byte for byte, and the same input gives the same bytes.

use std::fs::File;
use std::time::{Duration, SystemTime};

use crate::support::{Site, files_of, snapshot};

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

#[test]
fn two_builds_of_the_same_input_give_identical_bytes() {
    let site = Site::fixture("partner-resolution");
    site.build_ok(&[]);
    let second_out = site.tmp.join("second");
    site.build_into(&second_out, &[]).assert_success();
    // A copy of the site elsewhere gives the same bytes too.
    let elsewhere = Site::fixture("partner-resolution");
    elsewhere.build_ok(&[]);

    let first = snapshot(&site.out());
    let first = files_of(&first);
    assert!(first.len() > 10, "{:?}", first.keys());
    assert_eq!(files_of(&snapshot(&second_out)), first);
    assert_eq!(files_of(&snapshot(&elsewhere.out())), first);
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
