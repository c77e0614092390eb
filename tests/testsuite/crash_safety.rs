//! Crash-safe output: `gazette build` killed with SIGKILL at many points over a previous site
//! leaves the output folder exactly the old site or the new one, and the next build cleans up
//! whatever temporary folders the killed ones left.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::NOW;

/// Every file of a folder (path → bytes), the `.gazette` marker included.
type Manifest = BTreeMap<String, Vec<u8>>;

fn manifest(dir: &Path) -> Option<Manifest> {
    if !dir.is_dir() {
        return None;
    }
    let mut files = Manifest::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for item in fs::read_dir(&folder).ok()? {
            let path = item.ok()?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                files.insert(rel, fs::read(&path).ok()?);
            }
        }
    }
    Some(files)
}

fn gazette(site: &Path, out: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gazette"));
    command
        .args(["build", "--now", NOW, "--site"])
        .arg(site)
        .arg("--output")
        .arg(out)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    command
}

fn build_ok(site: &Path, out: &Path) -> Duration {
    let started = Instant::now();
    let output = gazette(site, out).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    started.elapsed()
}

/// The two versions of the site: entry 0's title differs, which changes its page, the home
/// page, the timeline, feeds, exports and the search index.
fn write_site(site: &Path, version: usize) {
    for i in 0..80 {
        let title = if i == 0 {
            format!("Version {version} of the first entry")
        } else {
            format!("Entry {i}")
        };
        let path = site.join(format!("content/{:02}/e{i}.md", i % 10));
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(
            path,
            format!(
                "---\ntitle: {title}\ndate: 2022-{:02}-{:02}\npartners: [Partner {}]\ntopics: [Topic {}]\n---\nBody of entry {i}, with some *Markdown*.\n\n## A heading\n\nMore text.\n",
                i % 12 + 1,
                i % 28 + 1,
                i % 7,
                i % 5
            ),
        )
        .unwrap();
    }
}

/// A temporary folder holding `site/`, version 0 of the site.
fn site_in_tmp() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(&site).unwrap();
    write_site(&site, 0);
    (tmp, site)
}

/// Leftovers of interrupted builds beside the output folder `out`.
fn leftovers(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<String> = fs::read_dir(out.parent().unwrap())
        .unwrap()
        .map(|item| item.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")))
        .collect();
    found.sort();
    found
}

/// A small deterministic generator (64-bit LCG), so a failure can be replayed.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n.max(1)
    }
}

#[test]
fn sigkill_at_any_point_leaves_the_old_site_or_the_new_one() {
    let tmp = tempfile::Builder::new()
        .prefix("gazette-crash-")
        .tempdir()
        .unwrap();
    let site = tmp.path().join("site");
    let out = tmp.path().join("out");
    fs::create_dir_all(&site).unwrap();
    fs::write(
        site.join("site.yaml"),
        "title: Crash\nbase_url: https://example.org/\n",
    )
    .unwrap();

    // The two sites, built once each into folders of their own.
    let mut versions = Vec::new();
    for version in 0..2 {
        write_site(&site, version);
        let reference = tmp.path().join(format!("reference-{version}"));
        build_ok(&site, &reference);
        versions.push(manifest(&reference).unwrap());
    }
    assert!(versions[0] != versions[1]);
    // How long a build over the other version takes, warm.
    write_site(&site, 0);
    build_ok(&site, &out);
    write_site(&site, 1);
    let mut full_build = build_ok(&site, &out);
    write_site(&site, 0);
    full_build = full_build.max(build_ok(&site, &out));
    assert!(manifest(&out).as_ref() == Some(&versions[0]));

    let which = |m: &Manifest| versions.iter().position(|v| v == m);
    let mut current = 0;
    let mut on_disk = 0;
    let mut random = Lcg(0x6a7e_77e5);
    let window = full_build.as_micros() as u64;
    let (mut old_kept, mut new_kept, mut finished, mut missing) = (0, 0, 0, 0);
    let kills = 40;
    for attempt in 0..kills {
        let target = 1 - current;
        write_site(&site, target);
        on_disk = target;
        // Spread the kills over the whole build: early (loading), middle (rendering) and late
        // (writing and the swap), plus a few right at the start.
        let delay = if attempt < 4 {
            Duration::from_micros(attempt * 200)
        } else if attempt % 2 == 0 {
            Duration::from_micros(random.below(window * 11 / 10))
        } else {
            // Writing and the swap come last: aim half the kills there.
            Duration::from_micros(window * 7 / 10 + random.below(window * 8 / 10))
        };
        let mut child = gazette(&site, &out).spawn().unwrap();
        std::thread::sleep(delay);
        let exited_first = child.try_wait().unwrap().is_some();
        let _ = child.kill();
        let status = child.wait().unwrap();
        if exited_first {
            assert!(status.success(), "build {attempt} failed on its own");
            finished += 1;
        }
        match manifest(&out) {
            Some(m) => match which(&m) {
                Some(v) if v == current => old_kept += 1,
                Some(v) if v == target => {
                    new_kept += 1;
                    current = target;
                }
                _ => panic!(
                    "kill {attempt} after {delay:?} left an output folder that is neither the old nor the new site ({} files; leftovers {:?})",
                    m.len(),
                    leftovers(&out)
                ),
            },
            None => {
                // Killed between moving the old output aside and moving the new one in: the
                // old site must be whole in `.out.old`, which the next build puts back.
                let old = manifest(&out.with_file_name(".out.old"));
                assert_eq!(
                    old.as_ref().and_then(which),
                    Some(current),
                    "kill {attempt} after {delay:?} lost the output folder"
                );
                missing += 1;
                build_ok(&site, &out);
                current = target;
            }
        }
    }
    eprintln!(
        "{kills} kills over {window} µs: old site kept {old_kept}, new site in place {new_kept} ({finished} had finished), output between the two renames {missing}"
    );
    assert!(old_kept > 0, "no kill landed before the swap");

    // The next build cleans up what the killed ones left and writes the current site.
    build_ok(&site, &out);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    assert_eq!(manifest(&out).as_ref().and_then(which), Some(on_disk));
}

#[test]
fn leftover_temporary_folders_are_removed_by_the_next_build() {
    let (tmp, site) = site_in_tmp();
    let out = tmp.path().join("out");
    build_ok(&site, &out);
    let expected = manifest(&out).unwrap();
    // What killed builds leave: staging folders of dead processes, and a moved-aside output.
    // Each has the marker, which a build writes before anything else; a staging folder may
    // also be empty, when the build was killed before it wrote the marker.
    for name in [".out.tmp-1", ".out.tmp-999999", ".out.old"] {
        let dir: PathBuf = tmp.path().join(name);
        fs::create_dir_all(dir.join("a/b")).unwrap();
        fs::write(dir.join(".gazette"), "marker").unwrap();
        fs::write(dir.join("a/b/index.html"), "half").unwrap();
    }
    fs::create_dir(tmp.path().join(".out.tmp-2")).unwrap();
    build_ok(&site, &out);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    assert!(manifest(&out).unwrap() == expected, "not the expected site");

    // An interrupted swap: the output moved aside, the new one never moved in.
    fs::rename(&out, tmp.path().join(".out.old")).unwrap();
    fs::create_dir_all(tmp.path().join(".out.tmp-4242/x")).unwrap();
    fs::write(tmp.path().join(".out.tmp-4242/.gazette"), "marker").unwrap();
    build_ok(&site, &out);
    assert_eq!(leftovers(&out), Vec::<String>::new());
    assert!(manifest(&out).unwrap() == expected, "not the expected site");
}

/// Every file and folder beside and below `dir`'s parent, but not in `skip`.
fn tree(dir: &Path, skip: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for item in fs::read_dir(&folder).unwrap() {
            let path = item.unwrap().path();
            if path.starts_with(skip) {
                continue;
            }
            found.push(path.strip_prefix(dir).unwrap().display().to_string());
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    found.sort();
    found
}

/// Runs a build that must fail, and checks that it changed nothing beside the output folder
/// `out` (the site aside); returns what it printed.
fn refused(site: &Path, out: &Path) -> String {
    let beside = out.parent().unwrap();
    let before = tree(beside, site);
    let run = gazette(site, out).output().unwrap();
    assert!(!run.status.success());
    assert_eq!(
        tree(beside, site),
        before,
        "the refused build changed files"
    );
    String::from_utf8_lossy(&run.stderr).into_owned()
}

#[test]
fn a_refused_build_touches_no_folder_beside_the_output_that_gazette_did_not_make() {
    let (tmp, site) = site_in_tmp();
    let out = tmp.path().join("www");
    // A web root of someone else's, with notes that happen to have the names gazette uses
    // beside its output folder.
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("index.html"), "theirs").unwrap();
    for name in [".www.old", ".www.tmp-notes"] {
        fs::create_dir_all(tmp.path().join(name)).unwrap();
        fs::write(tmp.path().join(name).join("important.txt"), "keep").unwrap();
    }
    assert_eq!(
        refused(&site, &out),
        format!(
            "error: the output folder `{}` has files gazette did not write; refusing to replace it\n \
             = hint: remove the folder or choose another with `--output`\n",
            out.display()
        )
    );

    // Without the folder, the build would once have put `.www.old` in its place.
    fs::remove_dir_all(&out).unwrap();
    assert_eq!(
        refused(&site, &out),
        format!(
            "error: `{}` is in the way: gazette uses that name while it replaces the output folder, and did not make what is there\n \
             = hint: move or rename it\n",
            tmp.path().join(".www.old").display()
        )
    );

    // Moved away, the build goes ahead, and leaves the notes that are not its own.
    fs::rename(tmp.path().join(".www.old"), tmp.path().join("old-notes")).unwrap();
    build_ok(&site, &out);
    assert_eq!(leftovers(&out), [".www.tmp-notes"]);
    assert!(out.join(".gazette").is_file());
}

#[test]
fn builds_at_the_same_time_into_one_output_folder_each_leave_a_whole_site() {
    let (tmp, site) = site_in_tmp();
    let out = tmp.path().join("out");
    build_ok(&site, &tmp.path().join("expected"));
    let expected = manifest(&tmp.path().join("expected")).unwrap();
    build_ok(&site, &out);
    for round in 0..4 {
        let runs: Vec<_> = (0..3)
            .map(|_| gazette(&site, &out).spawn().unwrap())
            .collect();
        for run in runs {
            let output = run.wait_with_output().unwrap();
            assert!(
                output.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        assert!(
            manifest(&out).unwrap() == expected,
            "round {round}: not the whole site"
        );
        assert_eq!(leftovers(&out), Vec::<String>::new());
    }
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symbolic_link_is_written_through_it() {
    let (tmp, site) = site_in_tmp();
    let served = tmp.path().join("srv/www");
    fs::create_dir_all(&served).unwrap();
    let link = tmp.path().join("out");
    std::os::unix::fs::symlink(&served, &link).unwrap();
    for version in [0, 1] {
        write_site(&site, version);
        build_ok(&site, &link);
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        let page = fs::read_to_string(served.join("00/e0/index.html")).unwrap();
        assert!(
            page.contains(&format!("Version {version} of the first entry")),
            "{page}"
        );
    }
    assert_eq!(leftovers(&served), Vec::<String>::new());

    // A build stopped between the two renames of the swap leaves the link's folder aside as
    // `.www.old`: the next build through the link puts things right. Named with a trailing
    // slash, the output is still the link.
    fs::rename(&served, served.with_file_name(".www.old")).unwrap();
    let expected = manifest(&tmp.path().join("srv/.www.old")).unwrap();
    write_site(&site, 1);
    build_ok(&site, &tmp.path().join("out/"));
    assert!(
        fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(manifest(&served).unwrap() == expected, "not the last site");
    assert_eq!(leftovers(&served), Vec::<String>::new());

    // A link whose folder's parent is not there either leads nowhere.
    fs::remove_dir_all(tmp.path().join("srv")).unwrap();
    let run = gazette(&site, &link).output().unwrap();
    assert!(!run.status.success());
    assert_eq!(
        String::from_utf8_lossy(&run.stderr),
        format!(
            "error: the output folder `{}` is a symbolic link to `{}`, whose folder does not exist\n \
             = hint: point the link at a folder, or remove it\n",
            link.display(),
            served.display()
        )
    );
}
