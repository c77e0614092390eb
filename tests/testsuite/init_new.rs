//! `gazette init` and `gazette new`, run as the binary, then checked with `gazette build`.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn gazette(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gazette"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("cannot run gazette")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A temporary folder with a site made by `gazette init` in `site/`.
fn new_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::Builder::new()
        .prefix("gazette-init-")
        .tempdir()
        .unwrap();
    let out = gazette(&["init", "site"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let root = tmp.path().join("site");
    (tmp, root)
}

fn build(root: &Path) -> Output {
    gazette(
        &["build", "--site", ".", "--now", "2026-01-01T00:00:00Z"],
        root,
    )
}

#[test]
fn init_writes_a_site_that_builds() {
    let (_tmp, root) = new_site();
    for file in [
        "site.yaml",
        "content/partners.yaml",
        "themes/default/templates/base.html",
        "themes/default/templates/entry.html",
        "themes/default/static/style.css",
    ] {
        assert!(root.join(file).is_file(), "{file}");
    }
    for (name, text) in gazette::theme::TEMPLATES {
        let written = fs::read_to_string(root.join("themes/default/templates").join(name)).unwrap();
        assert_eq!(&written, text, "the theme's {name} is written as built in");
    }
    let out = build(&root);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).trim().is_empty(),
        "the sample site builds without warnings: {}",
        text(&out.stderr)
    );
    let output = root.join("output");
    let meeting = fs::read_to_string(
        output
            .join("engagements/working-meeting-with-the-coastal-fisheries-cooperative/index.html"),
    )
    .unwrap();
    assert!(meeting.contains("Working meeting with the Coastal Fisheries Cooperative"));
    let release =
        fs::read_to_string(output.join("press-releases/cooperation-agreement-signed/index.html"))
            .unwrap();
    assert!(release.contains("sign a cooperation agreement"));
    assert!(
        output
            .join("partners/coastal-fisheries/index.html")
            .is_file()
    );
    assert!(
        output
            .join("partners/labour-inspectorate/index.html")
            .is_file()
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("taken");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("notes.txt"), "mine").unwrap();
    let out = gazette(&["init", "taken"], tmp.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("is not empty"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        fs::read_dir(&dir).unwrap().count(),
        1,
        "nothing was written"
    );
    assert_eq!(fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");

    // An empty folder is fine.
    fs::create_dir(tmp.path().join("empty")).unwrap();
    assert!(gazette(&["init", "empty"], tmp.path()).status.success());
}

#[test]
fn new_writes_an_entry_that_builds() {
    let (_tmp, root) = new_site();
    let out = gazette(
        &[
            "new",
            "--site",
            ".",
            "Follow-up: the \"harbour\" plan #2 \\ part one",
            "--date",
            "2025-05-06",
            "--kind",
            "press-release",
            "--partner",
            "cfc",
            "--partner",
            "regional labour inspectorate",
        ],
        &root,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rel = "content/press-releases/2025-05-06-follow-up-the-harbour-plan-2-part-one.md";
    assert_eq!(
        text(&out.stdout).trim(),
        Path::new(".").join(rel).display().to_string()
    );
    assert!(text(&out.stderr).is_empty(), "{}", text(&out.stderr));
    let written = fs::read_to_string(root.join(rel)).unwrap();
    assert!(written.starts_with("---\n"), "{written}");
    assert!(written.contains("kind: press-release\n"), "{written}");
    assert!(written.contains("date: 2025-05-06\n"), "{written}");
    // Partners as the registry names them.
    assert!(
        written.contains("  - \"Coastal Fisheries Cooperative\"\n"),
        "{written}"
    );
    assert!(
        written.contains("  - \"Regional Labour Inspectorate\"\n"),
        "{written}"
    );

    let out = build(&root);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let page = fs::read_to_string(
        root.join("output/press-releases/follow-up-the-harbour-plan-2-part-one/index.html"),
    )
    .unwrap();
    // The title survives YAML and HTML escaping intact.
    assert!(
        page.contains("Follow-up: the &quot;harbour&quot; plan #2 \\ part one")
            || page.contains("Follow-up: the &#34;harbour&#34; plan #2 \\ part one")
            || page.contains("Follow-up: the \"harbour\" plan #2 \\ part one"),
        "{page}"
    );
}

#[test]
fn new_defaults_to_today_and_the_first_kind() {
    let (_tmp, root) = new_site();
    let before = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let out = gazette(&["new", "--site", ".", "Quick note"], &root);
    let after = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout).trim().to_string();
    let matches = [before, after]
        .iter()
        .any(|d| printed.ends_with(&format!("content/engagements/{d}-quick-note.md")));
    assert!(
        matches,
        "today's date in the site's time zone (UTC): {printed}"
    );
    let written = fs::read_to_string(root.join(&printed)).unwrap();
    assert!(written.contains("kind: engagement\n"), "{written}");
    assert!(written.contains("partners: []\n"), "{written}");
    assert!(build(&root).status.success());
}

#[test]
fn new_keeps_unknown_partners_and_suggests_registered_ones() {
    let (_tmp, root) = new_site();
    let out = gazette(
        &[
            "new",
            "--site",
            ".",
            "Harbour talk",
            "--date",
            "2025-06-01",
            "--partner",
            "Coastal Fisheries Cooperativ",
            "--partner",
            "Port Authority of Nowhere",
        ],
        &root,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("partner `Coastal Fisheries Cooperativ` is not in the registry"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `Coastal Fisheries Cooperative`?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("partner `Port Authority of Nowhere` is not in the registry"),
        "{stderr}"
    );
    let written =
        fs::read_to_string(root.join("content/engagements/2025-06-01-harbour-talk.md")).unwrap();
    assert!(
        written.contains("  - \"Coastal Fisheries Cooperativ\"\n"),
        "kept as written"
    );
    assert!(written.contains("  - \"Port Authority of Nowhere\"\n"));
    assert!(build(&root).status.success());
}

#[test]
fn new_refuses_to_overwrite() {
    let (_tmp, root) = new_site();
    let args = ["new", "--site", ".", "Same title", "--date", "2025-06-02"];
    assert!(gazette(&args, &root).status.success());
    let file = root.join("content/engagements/2025-06-02-same-title.md");
    fs::write(&file, "mine").unwrap();
    let out = gazette(&args, &root);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(fs::read_to_string(&file).unwrap(), "mine");
}

#[test]
fn new_rejects_bad_arguments_with_exit_2() {
    let (_tmp, root) = new_site();
    let out = gazette(
        &["new", "--site", ".", "X", "--kind", "pres-release"],
        &root,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("unknown kind `pres-release`"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stderr).contains("did you mean `press-release`?"));

    let out = gazette(&["new", "--site", ".", "X", "--date", "2025-02-30"], &root);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("not a real date"),
        "{}",
        text(&out.stderr)
    );

    let out = gazette(&["new", "--site", ".", "  "], &root);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("the title is empty"));
    assert!(!root.join("content/engagements/x.md").exists());
}

/// `gazette init` with files limited to `kib` KiB each (`ulimit -f`), as on a disk that fills
/// up part way: the write that goes past the limit fails (`SIGXFSZ` ignored, so the process
/// sees the error rather than dying of it).
fn init_with_file_limit(dir: &Path, kib: u32, name: &str) -> Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -f {kib} && trap '' XFSZ && exec \"$0\" init {name}"
        ))
        .arg(env!("CARGO_BIN_EXE_gazette"))
        .current_dir(dir)
        .output()
        .expect("cannot run sh")
}

#[test]
fn init_that_fails_part_way_leaves_nothing_and_the_retry_makes_a_site_that_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let out = init_with_file_limit(tmp.path(), 4, "site");
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error: cannot write `site/themes/default/"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with(
            "File too large (os error 27); nothing was created\n = hint: free some space (or fix the folder's permissions) and run `gazette init` again\n"
        ),
        "{stderr}"
    );
    let left: Vec<_> = fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "left behind: {left:?}");
    // An empty folder given to fill stays as it was, empty.
    fs::create_dir(tmp.path().join("empty")).unwrap();
    let out = init_with_file_limit(tmp.path(), 4, "empty");
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(fs::read_dir(tmp.path().join("empty")).unwrap().count(), 0);
    // The retry, with room, makes a site that builds.
    let out = gazette(&["init", "site"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let built = build(&tmp.path().join("site"));
    assert!(built.status.success(), "{}", text(&built.stderr));
}

#[test]
fn new_refuses_a_folder_that_is_not_a_site() {
    let tmp = tempfile::Builder::new()
        .prefix("gazette-new-")
        .tempdir()
        .unwrap();
    fs::write(tmp.path().join("notes.txt"), "not a site").unwrap();
    let out = gazette(&["new", "Visit to Washington"], tmp.path());
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr),
        "error: `.` is not a site: it has no `site.yaml` and no `content/` folder\n = hint: pass the site's folder with `--site DIR`, or start a new site with `gazette init DIR`\n"
    );
    let left: Vec<_> = fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, ["notes.txt"], "nothing was written");

    // A folder with only `content/` is a site (site.yaml is optional), and so is one with only
    // `site.yaml`.
    fs::create_dir(tmp.path().join("content")).unwrap();
    let out = gazette(&["new", "--date", "2025-06-02", "Visit"], tmp.path());
    assert!(out.status.success(), "{}", text(&out.stderr));
    let only_config = tmp.path().join("other");
    fs::create_dir(&only_config).unwrap();
    fs::write(only_config.join("site.yaml"), "title: Records\n").unwrap();
    let out = gazette(&["new", "--date", "2025-06-02", "Visit"], &only_config);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn init_fills_the_empty_folder_it_is_run_in() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("here")).unwrap();
    let out = gazette(&["init", "."], &tmp.path().join("here"));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(tmp.path().join("here/site.yaml").is_file());
    let hidden: Vec<_> = fs::read_dir(tmp.path().join("here"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".gazette-init"))
        .collect();
    assert!(hidden.is_empty(), "left: {hidden:?}");
    let built = build(&tmp.path().join("here"));
    assert!(built.status.success(), "{}", text(&built.stderr));
}

#[test]
fn new_takes_a_slug_and_asks_for_one_for_a_title_not_in_the_latin_alphabet() {
    let (_tmp, root) = new_site();
    let thai = "คณะผู้แทนไทยหารือกับกระทรวงการต่างประเทศสหรัฐฯ";
    let out = gazette(&["new", "--site", ".", thai, "--date", "2022-05-24"], &root);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "error: the title is not in the Latin alphabet (`ค`), so gazette cannot make the file's name and address from it\n = hint: give them with `--slug` in lowercase Latin letters, digits and dashes, e.g. `--slug visit-to-washington`"
    );
    assert!(
        !root
            .join("content/engagements")
            .read_dir()
            .unwrap()
            .any(|f| {
                f.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with("2022-05-24")
            })
    );

    let out = gazette(
        &[
            "new",
            "--site",
            ".",
            thai,
            "--date",
            "2022-05-24",
            "--slug",
            "washington",
        ],
        &root,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let file = root.join("content/engagements/2022-05-24-washington.md");
    assert_eq!(
        text(&out.stdout).trim(),
        "./content/engagements/2022-05-24-washington.md"
    );
    assert!(fs::read_to_string(&file).unwrap().contains(thai));
    let out = build(&root);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        root.join("output/engagements/washington/index.html")
            .is_file()
    );

    // Accented Latin titles still make their own slug; a bad slug is refused with a hint.
    let out = gazette(
        &[
            "new",
            "--site",
            ".",
            "Réunion à Genève",
            "--date",
            "2022-06-01",
        ],
        &root,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        root.join("content/engagements/2022-06-01-reunion-a-geneve.md")
            .is_file()
    );
    let out = gazette(
        &[
            "new",
            "--site",
            ".",
            "X",
            "--date",
            "2022-06-02",
            "--slug",
            "Two Words",
        ],
        &root,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim_end(),
        "error: `Two Words` is not a slug\n = hint: a slug uses only lowercase letters, digits and single dashes, e.g. `two-words`"
    );
}
