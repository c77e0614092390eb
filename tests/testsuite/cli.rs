//! The command line: `check`, the build summary, and exit code 2 for usage errors.

use crate::support::{Site, snapshot};

#[test]
fn check_writes_nothing_and_reports_entries_without_partners_or_topics() {
    let site = Site::fixture("check");
    let before = snapshot(&site.tmp);
    let run = site.run(&["check", "--site", "site"]);
    run.assert_success();
    assert_eq!(snapshot(&site.tmp), before, "check wrote files");
    assert_eq!(
        run.stderr,
        "\
warning: the entry has no topics
 --> content/bare.md
  = hint: add `topics:` so it appears on topic pages

warning: the entry names no partners
 --> content/bare.md
  = hint: add `partners:` so it appears on partner pages

warning: partner `International Organisation for Migration` is named once and resembles `International Organization for Migration`
 --> content/similar.md
  = hint: if it is the same partner, write `International Organization for Migration`

warning: partner `International Organisation for Migration` is not in the registry
 --> content/similar.md:5:5
  |
5 |   - International Organisation for Migration
  |     ^
  = hint: did you mean `International Organization for Migration`? Otherwise add it to content/partners.yaml

"
    );
    assert!(
        run.stdout.starts_with("Checked 3 entries, 2 partners, "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.trim_end().ends_with(": 4 warnings"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_strict_fails_on_warnings_and_still_writes_nothing() {
    let site = Site::fixture("check");
    let before = snapshot(&site.tmp);
    let run = site.run(&["check", "--site", "site", "--strict"]);
    run.assert_code(1);
    assert_eq!(snapshot(&site.tmp), before, "check wrote files");
    assert_eq!(run.count("error"), 4, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().last(),
        Some("error: the check found 4 errors")
    );
}

#[test]
fn check_reports_content_errors_like_build() {
    let site = Site::fixture("invalid/unknown-field");
    let before = snapshot(&site.tmp);
    let run = site.run(&["check", "--site", "site"]);
    run.assert_code(1);
    assert_eq!(snapshot(&site.tmp), before);
    run.assert_stderr_starts_with(
        "\
error: unknown field `partner` in front matter
 --> content/a.md:4:1",
    );
}

#[test]
fn build_prints_a_one_line_summary() {
    let site = Site::fixture("timeline-order");
    let run = site.build_ok(&[]);
    assert_eq!(run.stderr, "");
    let line = run.stdout.trim_end();
    assert!(!line.contains('\n'), "{line}");
    assert!(line.starts_with("Built 7 entries, 0 partners, "), "{line}");
    assert!(line.ends_with(" s"), "{line}");
}

#[test]
fn bad_now_value_is_a_usage_error() {
    let site = Site::fixture("timeline-order");
    let run = site.build(&["--now", "yesterday"]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'yesterday' for '--now <NOW>': `yesterday` is not an RFC 3339 date-time such as 2026-01-31T09:00:00Z"
        ),
        "{}",
        run.stderr
    );
    assert!(!site.out().exists(), "a usage error wrote output");
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let site = Site::fixture("timeline-order");
    let run = site.build(&["--draft"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--draft"), "{}", run.stderr);
    assert!(!site.out().exists(), "a usage error wrote output");
}

#[test]
fn check_reports_a_broken_relative_link() {
    let site = Site::fixture("invalid/relative-link-to-missing-entry");
    let before = snapshot(&site.tmp);
    let run = site.run(&["check", "--site", "site"]);
    run.assert_code(1);
    assert_eq!(snapshot(&site.tmp), before, "check wrote files");
    assert_eq!(
        run.stderr,
        "\
error: link `report.md` points to no entry
 --> content/news/a.md:7:5
  |
7 | See [the report](report.md).
  |     ^
  = hint: relative links are resolved against the entry's folder; check the file name

error: the check found 1 error
"
    );
    assert_eq!(run.stdout, "");
}

#[test]
fn missing_site_folder_is_a_usage_error() {
    let site = Site::empty();
    let run = site.run(&["build", "--site", "nowhere", "--output", "out"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "\
error: the site folder `nowhere` does not exist
 = hint: run gazette in a site folder or pass `--site DIR`
"
    );
    assert_eq!(run.stdout, "");
    assert!(!site.out().exists(), "a usage error wrote output");
}

#[test]
fn missing_absolute_site_folder_is_a_usage_error_for_check_too() {
    let site = Site::empty();
    let missing = site.tmp.join("nowhere");
    let run = site.run(&["check", "--site", &missing.display().to_string()]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "\
error: the site folder `[TMP]/nowhere` does not exist
 = hint: run gazette in a site folder or pass `--site DIR`
"
    );
}

/// A `--site` that is a file, not a folder, is a usage error that says so.
#[test]
fn site_that_is_a_file_is_not_said_to_be_missing() {
    let site = Site::empty();
    site.write("site.yaml", "title: A file, not a folder\n");
    let run = site.run(&["build", "--site", "site/site.yaml", "--output", "out"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: `site/site.yaml` is a file, not a site folder\n \
         = hint: pass the folder that holds `site.yaml` and `content/` with `--site DIR`\n"
    );
}

#[test]
fn base_url_option_with_a_path_prefixes_every_internal_link() {
    let site = Site::fixture("markdown");
    site.build_ok(&["--base-url", "https://example.org/sub"]);
    let page = site.page("/news/visit/");
    assert!(page.contains("<link rel=\"canonical\" href=\"https://example.org/sub/news/visit/\">"));
    let main = site.main_of("/news/visit/");
    assert!(main.contains("<a href=\"/sub/reports/follow-up/#next-steps\">follow-up</a>"));
    assert!(main.contains("<img src=\"/sub/news/map.png\" alt=\"Map\" />"));
    for file in site.output_files().iter().filter(|f| f.ends_with(".html")) {
        let text = std::fs::read_to_string(site.out().join(file)).unwrap();
        for (_, url) in crate::support::attributes(&text, "href")
            .into_iter()
            .chain(crate::support::attributes(&text, "src"))
        {
            assert!(
                !url.starts_with('/') || url.starts_with("/sub/"),
                "`{url}` in {file} misses the base path"
            );
        }
    }
}

#[test]
fn a_base_url_option_with_a_query_is_a_usage_error() {
    let site = Site::fixture("timeline-order");
    let run = site.build(&["--base-url", "https://example.org/?lang=en"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "\
error: `--base-url` `https://example.org/?lang=en` has spaces, a query or a fragment, which a site's address cannot have
 = hint: write the address the site is published at, such as `https://example.org/` or `https://example.org/sub/`
"
    );
    assert!(!site.out().exists(), "a usage error wrote output");
}

#[test]
fn a_base_url_in_capitals_is_written_in_lower_case() {
    let site = Site::fixture("timeline-order");
    site.write(
        "site.yaml",
        "title: Capitals\nbase_url: HTTPS://Example.ORG/Sub\n",
    );
    site.build_ok(&[]);
    let sitemap = std::fs::read_to_string(site.out().join("sitemap.xml")).unwrap();
    assert!(
        sitemap.contains("<loc>https://example.org/Sub/</loc>"),
        "{sitemap}"
    );
    assert!(
        site.main_of("/").contains("href=\"/Sub/"),
        "{}",
        site.main_of("/")
    );
}

#[test]
fn a_now_past_the_last_moment_says_so_rather_than_calling_it_malformed() {
    let site = Site::fixture("timeline-order");
    let run = site.build(&["--now", "9999-12-31T23:59:59Z"]);
    run.assert_code(2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value '9999-12-31T23:59:59Z' for '--now <NOW>': `9999-12-31T23:59:59Z` is out of range: the moments gazette can judge end at 9999-12-30T22:00:00Z"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn base_urls_with_an_impossible_port_or_host_are_usage_errors() {
    let site = Site::fixture("timeline-order");
    for (url, message) in [
        (
            "http://[::1]:99999/",
            "error: `--base-url` `http://[::1]:99999/` has `99999` for a port, which is not a port number (1 to 65535)",
        ),
        (
            "http://%00/",
            "error: `--base-url` `http://%00/` has `%00` for a host, which is not a host name or IP address",
        ),
        (
            "https://deploy:token@example.org/",
            "error: `--base-url` `https://deploy:token@example.org/` has a user name or password (before `@`), which every page would publish",
        ),
    ] {
        let run = site.build(&["--base-url", url]);
        run.assert_code(2);
        assert!(run.stderr.starts_with(message), "{url}: {}", run.stderr);
        assert!(!site.out().exists(), "a usage error wrote output");
    }
}

#[test]
fn a_failed_first_build_says_nothing_was_written_and_a_later_one_that_the_output_is_untouched() {
    let site = Site::fixture("timeline-order");
    site.write("content/broken.md", "---\ntitle: Broken\n---\n");
    let first = site.build(&[]);
    first.assert_code(1);
    assert!(
        first
            .stderr
            .ends_with("error: the build failed with 1 error; nothing was written\n"),
        "{}",
        first.stderr
    );
    std::fs::remove_file(site.path("content/broken.md")).unwrap();
    site.build_ok(&[]);
    site.write("content/broken.md", "---\ntitle: Broken\n---\n");
    let later = site.build(&[]);
    later.assert_code(1);
    assert!(
        later
            .stderr
            .ends_with("error: the build failed with 1 error; the previous output is untouched\n"),
        "{}",
        later.stderr
    );
}
