//! A site from an untrusted change must not publish what lies outside it. Every tree gazette
//! reads (`content/`, `static/`, `templates/`, `themes/`, each of those folders itself, and
//! the single files `site.yaml` and `content/partners.yaml`) is given a symbolic link of
//! every kind that leads where it must not: out of the site (a file beside it, the build's
//! own environment in `/proc/self/environ`, `/etc/passwd`, a folder above it), into the
//! output folder, into a hidden folder (`.git/config`), nowhere, and back to a parent. Each
//! build and check must fail, name the link, and publish and print none of what it leads to.
//! Links that stay inside the site are followed.

use std::fs;
use std::os::unix::fs::symlink;
use std::path::Path;

use crate::support::{NOW, Run, Site};

/// A secret the build's environment and the files outside the site hold.
const SECRET: &str = "CI_SECRET_TOKEN=ghp_do_not_publish_0123456789";

/// The trust fixture with an output folder inside the site (`site/output`), a planted
/// `.git/config` and secrets beside the site.
fn site() -> Site {
    let site = Site::fixture("trust");
    fs::create_dir_all(site.path(".git")).unwrap();
    fs::write(
        site.path(".git/config"),
        format!("[http]\n\textraheader = AUTHORIZATION: {SECRET}\n"),
    )
    .unwrap();
    fs::write(site.tmp.join("secret.txt"), format!("{SECRET}\n")).unwrap();
    fs::create_dir_all(site.tmp.join("secret-folder")).unwrap();
    fs::write(
        site.tmp.join("secret-folder/key.txt"),
        format!("{SECRET}\n"),
    )
    .unwrap();
    site
}

/// `gazette build` (output `site/output`) and `gazette check`, with the secret in the
/// environment as CI would have it.
fn build_and_check(site: &Site) -> (Run, Run) {
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args)
            .current_dir(&site.tmp)
            .env("CI_SECRET_TOKEN", "ghp_do_not_publish_0123456789")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    };
    (
        run(&["build", "--site", "site", "--now", NOW]),
        run(&["check", "--site", "site"]),
    )
}

/// Every file under `dir`, read, must not hold the secret.
fn assert_nothing_holds_the_secret(dir: &Path) {
    if !dir.exists() {
        return;
    }
    for item in walkdir::WalkDir::new(dir) {
        let item = item.unwrap();
        if item.file_type().is_file() {
            let bytes = fs::read(item.path()).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains("ghp_do_not_publish"),
                "`{}` holds the secret",
                item.path().display()
            );
        }
    }
}

/// One refused link: where it is (site-relative), where it leads, and the message.
struct Case {
    link: &'static str,
    target: &'static str,
    message: &'static str,
}

const OUTSIDE: &str = "symbolic link points outside the site folder";
const OUTPUT: &str = "symbolic link points into the output folder";
const HIDDEN: &str = "symbolic link points into a hidden file or folder";
const NOWHERE: &str = "symbolic link points to nothing";
const LOOP: &str = "symbolic link loop";

/// Where a link may lead from, and what each refusal reads.
fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    // Each tree, with a link inside it of every kind. `D` is the link's depth below the site.
    for tree in [
        "content",
        "static",
        "templates",
        "themes/default/static",
        "themes/default/templates",
    ] {
        let up = "../".repeat(tree.matches('/').count() + 1);
        let targets: Vec<(String, &str)> = vec![
            ("/proc/self/environ".to_string(), OUTSIDE),
            ("/etc/passwd".to_string(), OUTSIDE),
            (format!("{up}../secret.txt"), OUTSIDE),
            (format!("{up}../secret-folder"), OUTSIDE),
            (format!("{up}.git/config"), HIDDEN),
            (format!("{up}.git"), HIDDEN),
            (format!("{up}output"), OUTPUT),
            (format!("{up}output/index.html"), OUTPUT),
            (format!("{up}nothing-here.txt"), NOWHERE),
        ];
        for (n, (target, message)) in targets.into_iter().enumerate() {
            cases.push(Case {
                link: Box::leak(format!("{tree}/link-{n}.txt").into_boxed_str()),
                target: Box::leak(target.into_boxed_str()),
                message,
            });
        }
    }
    // The trees themselves.
    for (link, target, message) in [
        ("content", "../secret-folder", OUTSIDE),
        ("static", "/etc", OUTSIDE),
        ("static", ".git", HIDDEN),
        ("static", "output", OUTPUT),
        ("templates", "../secret-folder", OUTSIDE),
        ("themes", "../secret-folder", OUTSIDE),
        ("themes/default", "../../secret-folder", OUTSIDE),
        ("themes/default/static", "/etc", OUTSIDE),
        // The site folder holds the output folder.
        ("content/all", "..", OUTPUT),
        ("static/back", ".", LOOP),
    ] {
        cases.push(Case {
            link,
            target,
            message,
        });
    }
    // Single files.
    for (link, target, message) in [
        ("site.yaml", "/proc/self/environ", OUTSIDE),
        ("site.yaml", ".git/config", HIDDEN),
        ("content/partners.yaml", "../../secret.txt", OUTSIDE),
        ("content/partners.yaml", "../.git/config", HIDDEN),
    ] {
        cases.push(Case {
            link,
            target,
            message,
        });
    }
    cases
}

#[test]
fn links_out_of_the_site_into_the_output_or_hidden_folders_are_refused_in_every_tree() {
    let mut failures = Vec::new();
    for case in cases() {
        let site = site();
        // A previous good build, so that "into the output" has something to lead to.
        let good = site.run(&["build", "--site", "site", "--now", NOW]);
        good.assert_success();
        let link = site.path(case.link);
        fs::create_dir_all(link.parent().unwrap()).unwrap();
        if link.is_dir() {
            fs::remove_dir_all(&link).unwrap();
        } else if link.exists() {
            fs::remove_file(&link).unwrap();
        }
        symlink(case.target, &link).unwrap();
        let before = crate::support::snapshot(&site.path("output"));
        let (build, check) = build_and_check(&site);
        let expected = format!("error: {}\n --> {}\n", case.message, case.link);
        for (command, run) in [("build", &build), ("check", &check)] {
            if run.code != 1 || !run.stderr.contains(&expected) {
                failures.push(format!(
                    "{} -> {} ({command}): exit {}, expected\n{expected}got\n{}",
                    case.link, case.target, run.code, run.stderr
                ));
            }
            if format!("{}{}", run.stdout, run.stderr).contains("ghp_do_not_publish") {
                failures.push(format!(
                    "{} -> {}: {command} printed the secret",
                    case.link, case.target
                ));
            }
        }
        assert_nothing_holds_the_secret(&site.path("output"));
        if crate::support::snapshot(&site.path("output")) != before {
            failures.push(format!(
                "{} -> {}: the failed build changed the output",
                case.link, case.target
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_refused_link_is_reported_word_for_word_with_its_hint() {
    let site = site();
    symlink("/proc/self/environ", site.path("static/env.txt")).unwrap();
    symlink("../.git/config", site.path("content/about.txt")).unwrap();
    symlink("../output", site.path("content/mirror")).unwrap();
    let (build, _) = build_and_check(&site);
    build.assert_code(1);
    assert!(
        build.stderr.contains(
            "\
error: symbolic link points into a hidden file or folder
 --> content/about.txt
  = hint: hidden files and folders (such as `.git`) are never published; copy what is meant to be published into the site

error: symbolic link points into the output folder
 --> content/mirror
  = hint: the output folder is what the build writes; link to the site's own files instead

error: symbolic link points outside the site folder
 --> static/env.txt
  = hint: copy the file into the site instead of linking to it
"
        ),
        "{}",
        build.stderr
    );
    assert!(
        build
            .stderr
            .ends_with("error: the build failed with 3 errors; nothing was written\n"),
        "{}",
        build.stderr
    );
}

#[test]
fn links_that_stay_inside_the_site_are_followed_in_every_tree() {
    let site = site();
    symlink("../shared/notes.txt", site.path("static/notes.txt")).unwrap();
    symlink("../../shared", site.path("content/engagements/shared")).unwrap();
    fs::create_dir_all(site.path("templates/partials")).unwrap();
    symlink(
        "../../shared/card-marker.html",
        site.path("templates/partials/card.html"),
    )
    .unwrap();
    let run = site.build_ok(&[]);
    assert!(!run.stderr.contains("error"), "{}", run.stderr);
    assert_eq!(
        fs::read_to_string(site.out().join("notes.txt")).unwrap(),
        "Shared notes kept inside the site folder.\n"
    );
    assert!(site.out().join("engagements/shared/notes.txt").is_file());
    // The linked template is used, not the theme's.
    assert!(
        site.page("/").contains("data-from-link=\"yes\""),
        "the linked card partial was not used"
    );
    // Published as a copy, never as a link.
    let published = fs::symlink_metadata(site.out().join("notes.txt")).unwrap();
    assert!(published.is_file());
}

#[test]
fn a_template_that_links_outside_is_an_error_not_ignored() {
    let site = site();
    fs::create_dir_all(site.path("templates")).unwrap();
    symlink(
        site.tmp.join("secret.txt"),
        site.path("templates/entry.html"),
    )
    .unwrap();
    let run = site.build(&[]);
    run.assert_code(1);
    assert!(
        run.stderr.starts_with(
            "\
error: symbolic link points outside the site folder
 --> templates/entry.html
  = hint: copy the file into the site instead of linking to it
"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn well_known_files_are_published_but_other_hidden_folders_are_not() {
    let site = site();
    site.write(
        "static/.well-known/security.txt",
        "Contact: mailto:a@example.org\n",
    );
    site.write("static/.private/notes.txt", "not for the public\n");
    site.build_ok(&[]);
    assert!(site.out().join(".well-known/security.txt").is_file());
    assert!(!site.out().join(".private").exists());
}
