//! Sites that must not build: one fixture under `tests/fixtures/invalid/` per error class.
//!
//! Every test puts a previous output in place first (the `.gazette` marker, a page and a
//! sentinel file), runs the failing build, and checks the exit code, the exact first lines of
//! the message (`error:`, ` --> file:line:column`, the snippet and `= hint:`), and that not a
//! byte changed anywhere in the temporary folder: the previous output and the site are
//! untouched and no new file appeared.

use std::collections::BTreeMap;

use crate::support::{Node, Run, Site, snapshot};

const FAILED_ONE: &str = "error: the build failed with 1 error; the previous output is untouched";

/// Puts a previous build's output in `out/`: the marker, a page and a sentinel file.
fn previous_output(site: &Site) {
    let out = site.out();
    std::fs::create_dir_all(out.join("old")).unwrap();
    std::fs::write(
        out.join(".gazette"),
        "Written by gazette; replaced on every build.\n",
    )
    .unwrap();
    std::fs::write(out.join("index.html"), "<p>the previous build</p>\n").unwrap();
    std::fs::write(out.join("old/index.html"), "<p>an old page</p>\n").unwrap();
    std::fs::write(
        out.join("sentinel.txt"),
        "sentinel: must survive a failed build\n",
    )
    .unwrap();
}

/// Describes how two snapshots differ, for a readable failure.
fn differences(before: &BTreeMap<String, Node>, after: &BTreeMap<String, Node>) -> Vec<String> {
    let mut changes = Vec::new();
    for (path, node) in before {
        match after.get(path) {
            None => changes.push(format!("removed: {path}")),
            Some(other) if other != node => changes.push(format!("changed: {path}")),
            Some(_) => {}
        }
    }
    for path in after.keys() {
        if !before.contains_key(path) {
            changes.push(format!("added: {path}"));
        }
    }
    changes
}

/// Runs a build of `site` with `extra` arguments that must fail with exit code 1 and change
/// nothing on disk.
fn fails_in(site: &Site, extra: &[&str]) -> Run {
    previous_output(site);
    let before = snapshot(&site.tmp);
    let run = site.build(extra);
    run.assert_code(1);
    let after = snapshot(&site.tmp);
    assert_eq!(
        differences(&before, &after),
        Vec::<String>::new(),
        "the failed build changed files\n--- stderr\n{}",
        run.stderr
    );
    run
}

/// Copies `tests/fixtures/invalid/<case>` and runs a build of it that must fail.
fn fails(case: &str) -> Run {
    fails_in(&Site::fixture(&format!("invalid/{case}")), &[])
}

/// A content error: the first diagnostic is exactly `expected` and the last line is the
/// summary of one error.
fn fails_with(case: &str, expected: &str) -> Run {
    let run = fails(case);
    run.assert_stderr_starts_with(expected);
    assert_eq!(
        run.stderr.lines().last(),
        Some(FAILED_ONE),
        "{}",
        run.stderr
    );
    assert_eq!(run.count("error"), 1, "{}", run.stderr);
    assert_eq!(run.stdout, "", "a failed build prints no summary");
    run
}

#[test]
fn no_front_matter() {
    fails_with(
        "no-front-matter",
        "\
error: no front matter
 --> content/a.md:1:1
  |
1 | title: Visit to Geneva
  | ^
  = hint: the file must start with a line `---`, then the fields, then a line `---`",
    );
}

#[test]
fn unclosed_front_matter() {
    fails_with(
        "unclosed-front-matter",
        "\
error: the front matter is not closed
 --> content/a.md:1:1
  |
1 | ---
  | ^
  = hint: end the front matter with a line `---` before the body",
    );
}

#[test]
fn empty_front_matter() {
    fails_with(
        "empty-front-matter",
        "\
error: the front matter is empty
 --> content/a.md:1:1
  |
1 | ---
  | ^
  = hint: add at least `title:` and `date:` between the `---` lines",
    );
}

#[test]
fn front_matter_that_is_a_list_is_explained() {
    fails_with(
        "front-matter-not-a-map",
        "\
error: the front matter is not a list of `field: value` lines
 --> content/a.md:2:1
  |
2 | - title: A list
  | ^
  = hint: write one field per line, e.g. `title: Visit to Bangkok`",
    );
}

#[test]
fn invalid_yaml_syntax() {
    fails_with(
        "invalid-yaml",
        "\
error: invalid front matter: a list opened with `[` is not closed
 --> content/a.md:4:9
  |
4 | topics: [forced labour, human trafficking
  |         ^
  = hint: end it with `]` on the same line, or quote the value if the `[` is part of its text",
    );
}

#[test]
fn unknown_field_suggests_the_right_one() {
    fails_with(
        "unknown-field",
        "\
error: unknown field `partner` in front matter
 --> content/a.md:4:1
  |
4 | partner: IOM
  | ^
  = hint: did you mean `partners`?",
    );
}

#[test]
fn wrong_type_number_for_a_list() {
    fails_with(
        "wrong-type-partners",
        "\
error: invalid front matter: expected a list
 --> content/a.md:4:11
  |
4 | partners: 3
  |           ^
  = hint: write a list as `[a, b]` on the field's line, or as lines starting with `- ` below it",
    );
}

#[test]
fn wrong_type_string_for_a_boolean() {
    fails_with(
        "wrong-type-draft",
        "\
error: invalid front matter: expected `true` or `false`
 --> content/a.md:4:8
  |
4 | draft: \"maybe\"
  |        ^
  = hint: write `true` or `false`",
    );
}

#[test]
fn missing_title() {
    fails_with(
        "missing-title",
        "\
error: missing required field `title`
 --> content/a.md:1:1
  |
1 | ---
  | ^
  = hint: add a line such as `title: Visit to Washington` to the front matter",
    );
}

#[test]
fn missing_date() {
    fails_with(
        "missing-date",
        "\
error: missing required field `date`
 --> content/a.md:1:1
  |
1 | ---
  | ^
  = hint: add a line such as `date: 2022-05-24` to the front matter",
    );
}

#[test]
fn empty_title() {
    fails_with(
        "empty-title",
        "\
error: the title is empty
 --> content/a.md:2:8
  |
2 | title: \"  \"
  |        ^
  = hint: give the entry a title, e.g. `title: Visit to Washington`",
    );
}

const DATE_HINT: &str = "  = hint: write `YYYY-MM-DD`, `YYYY-MM-DD HH:MM` or an RFC 3339 date-time such as `2022-05-24T09:30:00+07:00`";

#[test]
fn impossible_date() {
    fails_with(
        "impossible-date",
        &format!(
            "\
error: `2022-02-30` is not a real date
 --> content/a.md:3:7
  |
3 | date: 2022-02-30
  |       ^
{DATE_HINT}"
        ),
    );
}

#[test]
fn date_that_is_not_a_date() {
    fails_with(
        "date-not-a-date",
        &format!(
            "\
error: `last Tuesday` is not a date
 --> content/a.md:3:7
  |
3 | date: last Tuesday
  |       ^
{DATE_HINT}"
        ),
    );
}

#[test]
fn bad_publish_at() {
    fails_with(
        "bad-publish-at",
        &format!(
            "\
error: `2022-05-24 25:00` is not a valid date and time
 --> content/a.md:4:13
  |
4 | publish_at: 2022-05-24 25:00
  |             ^
{DATE_HINT}"
        ),
    );
}

#[test]
fn unknown_kind_suggests_a_kind() {
    fails_with(
        "unknown-kind",
        "\
error: unknown kind `press-relase`
 --> content/a.md:4:7
  |
4 | kind: press-relase
  |       ^
  = hint: did you mean `press-release`?",
    );
}

#[test]
fn slug_leading_outside_the_output() {
    fails_with(
        "invalid-slug",
        "\
error: slug `../../etc` is not valid
 --> content/a.md:4:7
  |
4 | slug: ../../etc
  |       ^
  = hint: a slug uses only lowercase letters, digits and single dashes, e.g. `etc`",
    );
}

#[test]
fn duplicate_url_names_both_files() {
    fails_with(
        "duplicate-url",
        "\
error: the URL `/news/geneva/` is taken by both `content/news/2022-05-24-geneva.md` and `content/news/other.md`
 --> content/news/other.md
  = hint: give one of them another `slug:` or file name",
    );
}

const RESERVED_HINT: &str = "  = hint: rename the folder or the slug; these are taken: timeline, partners, topics, search, data, 404.html, feed.xml, sitemap.xml, robots.txt, search-index.json, search-index.js, page";

#[test]
fn entry_in_a_reserved_folder() {
    fails_with(
        "reserved-url-folder",
        &format!(
            "\
error: the entry's URL `/timeline/…` is one the site generates
 --> content/timeline/x.md
{RESERVED_HINT}"
        ),
    );
}

#[test]
fn entry_slug_reserved_at_the_top_level() {
    fails_with(
        "reserved-url-slug",
        &format!(
            "\
error: the entry's URL `/partners/…` is one the site generates
 --> content/a.md:4:7
  |
4 | slug: partners
  |       ^
{RESERVED_HINT}"
        ),
    );
}

#[test]
fn internal_link_to_a_missing_file_points_into_the_body() {
    fails_with(
        "missing-internal-link",
        "\
error: internal link `@/missing.md#talks` points to no entry
 --> content/a.md:7:14
  |
7 | See also the [earlier report](@/missing.md#talks) for context.
  |              ^
  = hint: write the path of a Markdown file relative to `content/`, e.g. `@/engagements/2022-05-24-visit.md`",
    );
}

#[test]
fn links_from_the_site_root_that_name_nothing_are_errors() {
    let run = fails("root-link-to-nothing");
    run.assert_stderr_starts_with(
        "\
error: link `/engagements/vist/` names no page or file of the site (under the base path `/office-records/`); 1 more link of this file leads there
 --> content/a.md:7:15
  |
7 | They followed [the visit](/engagements/vist/) in May.
  |               ^
  = hint: did you mean `/engagements/visit/`?

error: link `/timeline/2022/talks-in-may/` names no page or file of the site (under the base path `/office-records/`)
 --> content/a.md:9:5
  |
9 | The [talks in May](/timeline/2022/talks-in-may/) were the first.
  |     ^
  = hint: a path from the site's root names a page or file the build makes (an entry's URL, `/timeline/`, a file under `static/` or `content/`); to link an entry, write its file as `@/engagements/2022-05-24-visit.md`
",
    );
    assert_eq!(
        run.stderr.lines().last(),
        Some("error: the build failed with 2 errors; the previous output is untouched")
    );
}

#[test]
fn a_missing_image_is_an_error() {
    fails_with(
        "missing-image",
        "\
error: image `photos/delegation.jpg` points to no file under `content/`
 --> content/news/a.md:7:1
  |
7 | ![The delegation](photos/delegation.jpg)
  | ^
  = hint: relative images are resolved against the entry's folder; put the file beside the entry or use a path from the site root",
    );
}

#[test]
fn a_missing_image_from_the_site_root_is_an_error() {
    fails_with(
        "missing-root-image",
        "\
error: image `/img/route.png` names no page or file of the site
 --> content/a.md:7:11
  |
7 | <img src=\"/img/route.png\" alt=\"The route\">
  |           ^
  = hint: a path from the site's root names a file the build publishes: one under `static/` (`static/img/route.png`) or beside an entry under `content/`",
    );
}

#[test]
fn internal_link_to_a_draft() {
    fails_with(
        "link-to-draft",
        "\
error: internal link `@/talks.md` points to an entry that is not published
 --> content/a.md:5:20
  |
5 | The visit followed [the talks](@/talks.md).
  |                    ^
  = hint: the target is a draft or under embargo; publish it first or remove the link",
    );
}

#[test]
fn registry_alias_colliding_with_a_name_through_ampersand() {
    fails_with(
        "registry-collision",
        "\
error: `National Center for Missing and Exploited Children` names two partners: `ncmec` and `ncmec-us` (line 2: `National Center for Missing & Exploited Children`)
 --> content/partners.yaml:6:1
  |
6 |   aliases: [National Center for Missing and Exploited Children]
  | ^
  = hint: every id, name and alias must point to one partner only",
    );
}

#[test]
fn registry_id_that_is_not_a_slug() {
    fails_with(
        "registry-bad-id",
        "\
error: partner id `US State` is not a slug
 --> content/partners.yaml:3:7
  |
3 | - id: US State
  |       ^
  = hint: ids use only lowercase letters, digits and dashes, e.g. `us-state`",
    );
}

#[test]
fn registry_unknown_type_suggests_a_type() {
    fails_with(
        "registry-unknown-type",
        "\
error: unknown partner type `international-organization`
 --> content/partners.yaml:3:9
  |
3 |   type: international-organization
  |         ^
  = hint: did you mean `international-organisation`?",
    );
}

#[test]
fn registry_unknown_field_suggests_a_field() {
    // The entry names the partner twice, by name and by alias: the registry that could not be
    // read does not make both warnings that it is unregistered.
    let run = fails_with(
        "registry-unknown-field",
        "\
error: unknown field `alias` in a partner
 --> content/partners.yaml:3:3
  |
3 |   alias: [IOM]
  |   ^
  = hint: did you mean `aliases`?",
    );
    assert!(
        !run.stderr.contains("is not in the registry"),
        "{}",
        run.stderr
    );
}

#[test]
fn site_yaml_unknown_key_suggests_a_key() {
    fails_with(
        "site-unknown-key",
        "\
error: unknown key `timzone` in site.yaml
 --> site.yaml:2:1
  |
2 | timzone: Asia/Bangkok
  | ^
  = hint: did you mean `timezone`?",
    );
}

#[test]
fn site_yaml_unknown_time_zone() {
    fails_with(
        "site-unknown-timezone",
        "\
error: unknown time zone `Asia/Bangkog`
 --> site.yaml:2:11
  |
2 | timezone: Asia/Bangkog
  |           ^
  = hint: did you mean `Asia/Bangkok`?",
    );
}

#[test]
fn two_topic_names_with_one_slug() {
    fails_with(
        "topic-slug-collision",
        "\
error: topics `Forced-labour` (content/a.md:4) and `forced labour!` both make the slug `forced-labour`
 --> content/b.md:6:5
  |
6 |   - forced labour!
  |     ^
  = hint: write the topic the same way everywhere",
    );
}

#[test]
fn unregistered_partner_whose_slug_is_a_registered_id() {
    let run = fails("unregistered-slug-collision");
    run.assert_stderr_contains(
        "\
error: partner names `U.S. Department of State` (content/partners.yaml) and `US DOS` both make the slug `us-dos`
 --> content/a.md:6:5
  |
6 |   - US DOS
  |     ^
  = hint: use the registered name, or register the partner with its own id",
    );
    assert_eq!(run.count("error"), 1, "{}", run.stderr);
    assert_eq!(run.stderr.lines().last(), Some(FAILED_ONE));
}

#[test]
fn strict_turns_the_unregistered_partner_warning_into_an_error() {
    let site = Site::fixture("invalid/strict-unregistered-partner");
    let lenient = site.build(&[]);
    lenient.assert_success();
    assert_eq!(lenient.count("warning"), 1, "{}", lenient.stderr);

    let site = Site::fixture("invalid/strict-unregistered-partner");
    let run = fails_in(&site, &["--strict"]);
    run.assert_stderr_starts_with(
        "\
error: partner `International Organisation for Migration` is not in the registry
 --> content/a.md:5:5
  |
5 |   - International Organisation for Migration
  |     ^
  = hint: did you mean `International Organization for Migration`? Otherwise add it to content/partners.yaml",
    );
    assert_eq!(run.stderr.lines().last(), Some(FAILED_ONE));
}

#[test]
fn invalid_utf8_points_at_the_bad_byte() {
    fails_with(
        "invalid-utf8",
        "\
error: the file is not valid UTF-8
 --> content/a.md:2:20
  |
2 | title: Visit to Gen\u{fffd}ve
  |                    ^
  = hint: save the file with UTF-8 encoding",
    );
}

#[test]
fn alias_colliding_with_a_page_names_the_line_of_the_alias() {
    fails_with(
        "alias-collides-with-page",
        "\
error: alias `/news/b/` is already a page or file of the site
 --> content/news/a.md:4:11
  |
4 | aliases: [/news/b/]
  |           ^
  = hint: remove the alias or point it at a URL nothing else uses",
    );
}

#[test]
fn symlink_loop_in_content_is_an_error_not_a_hang() {
    let site = Site::fixture("invalid/symlink-loop");
    std::fs::create_dir_all(site.path("content/news")).unwrap();
    std::os::unix::fs::symlink("..", site.path("content/news/loop")).unwrap();
    let run = fails_in(&site, &[]);
    run.assert_stderr_starts_with(
        "\
error: symbolic link loop
 --> content/news/loop
  = hint: remove the link that points back to a parent folder",
    );
    assert_eq!(run.stderr.lines().last(), Some(FAILED_ONE));
}

#[test]
fn missing_theme_points_at_site_yaml() {
    fails_with(
        "missing-theme",
        "\
error: theme `nope` not found
 --> site.yaml:2:1
  |
2 | theme: nope
  | ^
  = hint: there is no folder `themes/nope/templates`; name a folder under `themes/`, or remove `theme:` to use the default theme",
    );
}

#[test]
fn template_syntax_error_names_the_template_and_line() {
    fails_with(
        "template-syntax-error",
        "\
error: template error: Found `}` but expected }}.
 --> templates/entry.html:5:22
  |
5 | <p>{{ entry.location }</p>
  |                      ^
  = hint: Tera writes variables as `{{ name }}` and tags as `{% tag %}`",
    );
}

#[test]
fn template_naming_a_missing_partial_and_filter_names_the_template_and_line() {
    let site = Site::fixture("invalid/template-syntax-error");
    site.write(
        "templates/entry.html",
        "{% extends \"base.html\" %}\n{% block main %}\n<p>{{ entry.title | shout }}</p>\n{% include \"partials/nope.html\" %}\n{% endblock main %}\n",
    );
    let run = fails_in(&site, &[]);
    run.assert_stderr_starts_with(
        "\
error: template error: Unknown filter `shout` (and 1 more such problem)
 --> templates/entry.html:3:21
  |
3 | <p>{{ entry.title | shout }}</p>
  |                     ^
  = hint: gazette's own docs/templates.md lists the templates, the variables and the filters it adds to Tera's
",
    );
    assert_eq!(run.count("error"), 1, "{}", run.stderr);

    site.write("templates/entry.html", "{% extends \"nobase.html\" %}\n");
    let run = fails_in(&site, &[]);
    run.assert_stderr_starts_with(
        "\
error: template error: Template 'entry.html' is inheriting from 'nobase.html', which doesn't exist or isn't loaded.
 --> templates/entry.html
",
    );
}

#[test]
fn template_missing_variable_names_template_page_line_and_variable() {
    fails_with(
        "template-missing-variable",
        "\
error: template error (rendering `/a/`): Field `venue` is not defined. Available fields: aliases, attachments, body_html, date, draft, extra, image, kind, kind_label, language, location, partners, reference, slug, source, summary, summary_from_body, title, toc, topics, updated, updates, url, withdrawn
 --> templates/entry.html:4:13
  |
4 | <p>{{ entry.venue }}</p>
  |             ^
  = hint: the variables of each template are listed in gazette's own docs/templates.md",
    );
}

#[test]
fn card_partial_missing_variable_names_the_partial_the_entry_and_the_variable() {
    fails_with(
        "card-missing-variable",
        "\
error: template error (rendering the card of `/a/`): Field `venue` is not defined. Available fields: date, image, kind, kind_label, language, location, more_partners, more_topics, partners, reference, summary, title, topics, url, withdrawn
 --> templates/partials/card.html:2:48
  |
2 |   <a href=\"{{ e.url }}\">{{ e.title }}</a> {{ e.venue }}
  |                                                ^
  = hint: the variables of each template are listed in gazette's own docs/templates.md",
    );
}

#[test]
fn row_partial_asking_for_its_months_count_names_the_partial_the_entry_and_the_variable() {
    fails_with(
        "row-missing-variable",
        "\
error: template error (rendering the timeline row of `/a/`): Field `count` is not defined. Available fields: id, month, name, year
 --> templates/partials/row.html:2:49
  |
2 |   <a href=\"{{ e.url }}\">{{ e.title }}</a> ({{ m.count }})
  |                                                 ^
  = hint: the variables of each template are listed in gazette's own docs/templates.md",
    );
}

/// Builds `site` into `out`, a folder the build must refuse; checks that nothing changed.
fn refuses_output(site: &Site, out: &std::path::Path) -> Run {
    let before = snapshot(&site.tmp);
    let run = site.build_into(out, &[]);
    run.assert_code(1);
    assert_eq!(
        snapshot(&site.tmp),
        before,
        "the failed build changed files"
    );
    run
}

#[test]
fn output_folder_pointing_at_content() {
    let site = Site::fixture("invalid/output-into-content");
    let content = site.path("content");
    let run = refuses_output(&site, &content);
    run.assert_stderr_starts_with(
        "\
error: the output folder `[TMP]/site/content` would replace `[TMP]/site/content`
 = hint: choose an output folder of its own, such as `output`",
    );
}

#[test]
fn output_folder_pointing_at_the_site_itself() {
    let site = Site::fixture("invalid/output-into-content");
    let run = refuses_output(&site, &site.root);
    run.assert_stderr_starts_with(
        "error: the output folder `[TMP]/site` would replace `[TMP]/site`",
    );
}

#[test]
fn output_folder_reaching_content_through_a_folder_that_does_not_exist() {
    let site = Site::fixture("invalid/output-into-content");
    let run = refuses_output(&site, &site.path("nonexistent/../content/out"));
    run.assert_stderr_starts_with(
        "\
error: the output folder `[TMP]/site/nonexistent/../content/out` is inside `[TMP]/site/content`, which the build reads
 = hint: choose an output folder of its own, such as `output`",
    );
}

#[test]
fn markdown_files_not_ending_in_md_are_errors_rather_than_published_as_they_are() {
    let site = Site::empty();
    site.write("site.yaml", "base_url: https://example.org/\n");
    site.write(
        "content/news/visit.md",
        "---\ntitle: A visit\ndate: 2022-05-24\n---\nText.\n",
    );
    site.write(
        "content/news/embargoed.MD",
        "---\ntitle: Not yet\ndate: 2022-05-25\ndraft: true\n---\nSecret.\n",
    );
    site.write("content/notes.markdown", "# Notes\n");
    let run = fails_in(&site, &[]);
    assert_eq!(
        run.stderr,
        "\
error: a Markdown file ending in `.MD`: only files ending in `.md` are entries, and any other file is published as it is
 --> content/news/embargoed.MD
  = hint: rename it to `embargoed.md`; to publish the text as a download, give it another extension, such as `.txt`

error: a Markdown file ending in `.markdown`: only files ending in `.md` are entries, and any other file is published as it is
 --> content/notes.markdown
  = hint: rename it to `notes.md`; to publish the text as a download, give it another extension, such as `.txt`

error: the build failed with 2 errors; the previous output is untouched
"
    );
}

#[test]
fn output_folder_not_written_by_gazette() {
    let site = Site::fixture("invalid/output-not-owned");
    let out = site.out();
    std::fs::create_dir_all(out.join("photos")).unwrap();
    std::fs::write(out.join("photos/holiday.jpg"), b"not a site").unwrap();
    std::fs::write(out.join("notes.txt"), b"my notes").unwrap();
    let before = snapshot(&site.tmp);
    let run = site.build(&[]);
    run.assert_code(1);
    assert_eq!(
        snapshot(&site.tmp),
        before,
        "the failed build changed files"
    );
    run.assert_stderr_starts_with(
        "\
error: the output folder `[TMP]/out` has files gazette did not write; refusing to replace it
 = hint: remove the folder or choose another with `--output`",
    );
}

#[test]
fn several_errors_in_different_files_are_reported_in_one_run() {
    let run = fails("several-errors");
    run.assert_stderr_starts_with(
        "\
error: internal link `@/news/nope.md` points to no entry
 --> content/c.md:5:5
  |
5 | See [the talks](@/news/nope.md).
  |     ^
  = hint: write the path of a Markdown file relative to `content/`, e.g. `@/engagements/2022-05-24-visit.md`

error: no front matter
 --> content/d.md:1:1
  |
1 | No front matter here.
  | ^
  = hint: the file must start with a line `---`, then the fields, then a line `---`

error: `2022-02-30` is not a real date
 --> content/news/a.md:3:7
  |
3 | date: 2022-02-30
  |       ^",
    );
    run.assert_stderr_contains(
        "\
error: unknown field `partner` in front matter
 --> content/news/b.md:4:1
  |
4 | partner: IOM
  | ^
  = hint: did you mean `partners`?",
    );
    assert_eq!(run.count("error"), 4, "{}", run.stderr);
    assert_eq!(
        run.stderr.lines().last(),
        Some("error: the build failed with 4 errors; the previous output is untouched")
    );
}

#[test]
fn duplicate_key_in_front_matter() {
    fails_with(
        "duplicate-key",
        "\
error: `title` appears twice in the front matter
 --> content/a.md:4:1
  |
4 | title: Visit to Bern
  | ^
  = hint: keep one of the two lines",
    );
}

#[test]
fn source_without_name_points_at_source() {
    fails_with(
        "source-without-name",
        "\
error: `source` is missing its `name`
 --> content/a.md:5:3
  |
5 |   url: https://example.org/release
  |   ^
  = hint: write where the release was first published, e.g. `name: The Nation` under `source:`",
    );
}

const UPDATE_HINT: &str = "  = hint: each update needs a `date` and a `note`, e.g. `- {date: 2022-06-01, note: Corrected the date}`";

#[test]
fn update_without_note_points_at_the_item() {
    fails_with(
        "update-without-note",
        &format!(
            "\
error: an item of `updates` is missing `note`
 --> content/a.md:5:5
  |
5 |   - date: 2022-06-01
  |     ^
{UPDATE_HINT}"
        ),
    );
}

/// Known bug: an `updates` item without `date` is taken for the entry's own missing `date`:
/// the error points at line 1 and asks for a `date:` line the front matter already has.
#[test]
fn update_without_date_points_at_the_item() {
    fails_with(
        "update-without-date",
        &format!(
            "\
error: an item of `updates` is missing `date`
 --> content/a.md:5:5
  |
5 |   - note: Corrected the venue
  |     ^
{UPDATE_HINT}"
        ),
    );
}

/// The alias `/style.css` would be the folder `style.css/` where the stylesheet is written.
#[test]
fn alias_over_an_existing_file_names_the_entry_and_the_alias() {
    fails_with(
        "alias-over-a-file",
        "\
error: alias `/style.css/` is already a page or file of the site
 --> content/a.md:4:11
  |
4 | aliases: [/style.css]
  |           ^
  = hint: remove the alias or point it at a URL nothing else uses",
    );
}

#[test]
fn relative_link_to_a_draft_is_an_error() {
    fails_with(
        "relative-link-to-draft",
        "\
error: link `secret-plan.md` points to an entry that is not published
 --> content/news/a.md:5:5
  |
5 | See [the plan](secret-plan.md).
  |     ^
  = hint: the target is a draft or under embargo; publish it first or remove the link",
    );
}

#[test]
fn relative_link_to_a_draft_resolves_with_drafts() {
    let site = Site::fixture("invalid/relative-link-to-draft");
    site.build_ok(&["--drafts"]);
    assert!(
        site.main_of("/news/a/")
            .contains("<a href=\"/news/secret-plan/\">the plan</a>"),
        "{}",
        site.main_of("/news/a/")
    );
}

#[test]
fn relative_link_to_a_missing_entry_is_an_error() {
    fails_with(
        "relative-link-to-missing-entry",
        "\
error: link `report.md` points to no entry
 --> content/news/a.md:7:5
  |
7 | See [the report](report.md).
  |     ^
  = hint: relative links are resolved against the entry's folder; check the file name",
    );
}

#[test]
fn symlink_pointing_outside_the_site_is_an_error() {
    let site = Site::fixture("invalid/symlink-outside");
    let outside = site.tmp.join("outside.txt");
    std::fs::write(&outside, "not part of the site\n").unwrap();
    std::os::unix::fs::symlink(&outside, site.path("content/outside.txt")).unwrap();
    let run = fails_in(&site, &[]);
    run.assert_stderr_starts_with(
        "\
error: symbolic link points outside the site folder
 --> content/outside.txt
  = hint: copy the file into the site instead of linking to it",
    );
    assert_eq!(run.stderr.lines().last(), Some(FAILED_ONE));
}

#[test]
fn a_link_to_an_entry_with_errors_is_not_a_second_error() {
    // `b-talks.md` links to the broken entry by `@/` (with an anchor) and relatively, and
    // `a-summary.md` from another folder: only the cause is reported.
    let run = fails_with(
        "link-to-a-broken-entry",
        "\
error: unknown field `partner` in front matter
 --> content/news/a-visit.md:4:1
  |
4 | partner: IOM
  | ^
  = hint: did you mean `partners`?

",
    );
    assert!(!run.stderr.contains("points to no entry"), "{}", run.stderr);
}

#[test]
fn a_mistyped_link_suggests_the_nearest_entry() {
    let run = fails("mistyped-links");
    assert_eq!(
        run.stderr,
        "\
error: link `2022-05-24-thai-use.md` points to no entry
 --> content/engagements/2022-05-25-follow-up.md:5:7
  |
5 | After [the talks](2022-05-24-thai-use.md), [nothing like it](@/zzz.md) and
  |       ^
  = hint: did you mean `2022-05-24-thai-us.md`?

error: internal link `@/zzz.md` points to no entry
 --> content/engagements/2022-05-25-follow-up.md:5:44
  |
5 | After [the talks](2022-05-24-thai-use.md), [nothing like it](@/zzz.md) and
  |                                            ^
  = hint: write the path of a Markdown file relative to `content/`, e.g. `@/engagements/2022-05-24-visit.md`

error: internal link `@/news/2022-05-24-thai-us.md` points to no entry
 --> content/engagements/2022-05-25-follow-up.md:6:1
  |
6 | [the talks, moved](@/news/2022-05-24-thai-us.md).
  | ^
  = hint: did you mean `@/engagements/2022-05-24-thai-us.md`?

error: internal link `@/engagements/2022-05-24-thia-us.md#day-one` points to no entry
 --> content/press/2022-05-26-release.md:5:5
  |
5 | See [the talks](@/engagements/2022-05-24-thia-us.md#day-one) and [the talks again](../engagements/20…
  |     ^
  = hint: did you mean `@/engagements/2022-05-24-thai-us.md#day-one`?

error: link `../engagements/2022-05-24-thai-su.md` points to no entry
 --> content/press/2022-05-26-release.md:5:66
  |
5 | …(@/engagements/2022-05-24-thia-us.md#day-one) and [the talks again](../engagements/2022-05-24-thai-s…
  |                                                    ^
  = hint: did you mean `@/engagements/2022-05-24-thai-us.md`?

error: the build failed with 5 errors; the previous output is untouched
"
    );
}

#[test]
fn errors_come_first_and_those_of_the_registry_before_the_entries() {
    let site = Site::fixture("invalid/registry-bad-id");
    site.write(
        "content/0-first.md",
        "---\ntitle: First\ndate: 2022-05-24\npartners: [Someone unregistered]\n---\nBody.\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\ndate: 2022-05-24\ntopic: [x]\n---\nBody.\n",
    );
    let run = fails_in(&site, &[]);
    let heads: Vec<&str> = (run.stderr.lines())
        .filter(|l| l.starts_with("error") || l.starts_with("warning") || l.starts_with(" -->"))
        .collect();
    assert_eq!(
        heads,
        [
            "error: partner id `US State` is not a slug",
            " --> content/partners.yaml:3:7",
            "error: unknown field `topic` in front matter",
            " --> content/b.md:4:1",
            "warning: `base_url` `/` is not absolute",
            " --> site.yaml",
            "error: the build failed with 2 errors; the previous output is untouched",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_tab_in_front_matter_is_explained_in_plain_words() {
    let site = Site::fixture("invalid/unknown-field");
    site.write(
        "content/a.md",
        "---\ntitle: Visit to Geneva\ndate: 2022-05-24\npartners:\n\t- IOM\n---\nBody.\n",
    );
    let run = fails_in(&site, &[]);
    run.assert_stderr_starts_with(
        "\
error: invalid front matter: YAML does not allow tabs for indentation
 --> content/a.md:5:1
  |
5 | \t- IOM
  | ^
  = hint: indent with spaces instead (most editors can turn tabs into spaces)",
    );
    // The parser stops on the line before a tab that indents a field.
    site.write(
        "content/a.md",
        "---\ntitle: Visit to Geneva\ndate: 2022-05-24\n\tlocation: Geneva\n---\nBody.\n",
    );
    let run = fails_in(&site, &[]);
    run.assert_stderr_starts_with(
        "\
error: invalid front matter: YAML does not allow tabs for indentation
 --> content/a.md:4:1",
    );
}

#[test]
fn a_date_in_another_form_suggests_the_right_one() {
    let site = Site::fixture("invalid/unknown-field");
    site.write(
        "content/a.md",
        "---\ntitle: Visit to Geneva\ndate: 24/05/2022\n---\nBody.\n",
    );
    let run = fails_in(&site, &[]);
    run.assert_stderr_starts_with(
        "\
error: `24/05/2022` is not a date
 --> content/a.md:3:7
  |
3 | date: 24/05/2022
  |       ^
  = hint: did you mean `2022-05-24`? Dates are written `YYYY-MM-DD` (year, month, day)",
    );
}

#[test]
fn every_problem_of_a_file_is_reported_in_one_run() {
    let run = fails("many-problems-in-one-file");
    let heads = error_heads(&run);
    assert_eq!(
        heads,
        [
            "error: `24/05/2022` is not a date",
            " --> content/a.md:3:7",
            "error: unknown field `partner` in front matter",
            " --> content/a.md:4:1",
            "error: unknown field `topic` in front matter",
            " --> content/a.md:5:1",
            "error: invalid front matter: expected `true` or `false`",
            " --> content/a.md:6:8",
            "error: unknown kind `engagment`",
            " --> content/a.md:7:7",
            "error: invalid front matter: expected a single value here, not a list or a group of fields",
            " --> content/a.md:8:11",
            "error: `title` appears twice in the front matter",
            " --> content/a.md:9:1",
            // A title left out for its own problem is not reported missing too.
            "error: missing required field `date`",
            " --> content/b.md:1:1",
            "error: invalid front matter: expected a single value here, not a list or a group of fields",
            " --> content/b.md:2:8",
            "error: unknown field `sumary` in front matter",
            " --> content/b.md:3:1",
            "error: the build failed with 10 errors; the previous output is untouched",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn problems_of_one_front_matter_stop_at_a_hundred() {
    let site = Site::fixture("invalid/unknown-field");
    let keys: String = (0..150).map(|i| format!("unknown{i}: x\n")).collect();
    site.write(
        "content/a.md",
        format!("---\ntitle: A\ndate: 2022-05-24\n{keys}---\nBody.\n"),
    );
    let run = fails_in(&site, &[]);
    assert_eq!(run.count("error"), 101, "{}", run.stderr);
    run.assert_stderr_contains(
        "\
error: the front matter has more problems than are shown
 --> content/a.md
  = hint: fix the ones above and build again",
    );
}

#[test]
fn errors_found_while_rendering_come_before_every_warning() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Order\nbase_url: https://example.org/\n",
    );
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2022-05-24\npartners: [Nobody Registered]\ntopics: [ports]\n---\nText.\n",
    );
    site.write(
        "content/b.md",
        "---\ntitle: B\ndate: 2022-05-24\npartners: [Nobody Registered]\ntopics: [ports]\n---\nSee [the talks](/nowhere/).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    assert!(
        run.stderr.starts_with(
            "error: link `/nowhere/` names no page or file of the site\n --> content/b.md:7:5"
        ),
        "{}",
        run.stderr
    );
    // With `--strict`, a warning found while rendering fails the build too, in its place.
    let strict = site.build(&["--strict"]);
    strict.assert_code(1);
    assert!(!strict.stderr.contains("warning:"), "{}", strict.stderr);
}

/// The error lines of a run and the places under them (` --> file:line:column`).
fn error_heads(run: &Run) -> Vec<&str> {
    (run.stderr.lines())
        .filter(|l| l.starts_with("error") || l.starts_with(" -->"))
        .collect()
}

#[test]
fn every_problem_of_the_registry_and_of_site_yaml_is_reported_in_one_run() {
    let site = Site::fixture("invalid/registry-unknown-field");
    site.write("site.yaml", "base_url: https://example.org/\n");
    site.write(
        "content/partners.yaml",
        "- id: iom\n  name: IOM\n  typ: ngo\n- id: unodc\n  name: UNODC\n  contry: Austria\n- id: Bad Id\n  name: X\n",
    );
    let run = fails_in(&site, &[]);
    let heads = error_heads(&run);
    assert_eq!(
        heads,
        [
            "error: unknown field `typ` in a partner",
            " --> content/partners.yaml:3:3",
            "error: unknown field `contry` in a partner",
            " --> content/partners.yaml:6:3",
            "error: partner id `Bad Id` is not a slug",
            " --> content/partners.yaml:7:7",
            "error: the build failed with 3 errors; the previous output is untouched",
        ],
        "{}",
        run.stderr
    );

    site.write(
        "site.yaml",
        "titel: Records\nbase_url: https://example.org/\nlanguag: en\ntimezone: Mars/Olympus\n",
    );
    let run = fails_in(&site, &[]);
    let heads = error_heads(&run);
    assert_eq!(
        heads,
        [
            "error: unknown key `titel` in site.yaml",
            " --> site.yaml:1:1",
            "error: unknown key `languag` in site.yaml",
            " --> site.yaml:3:1",
            "error: unknown time zone `Mars/Olympus`",
            " --> site.yaml:4:11",
            "error: the build failed with 3 errors; the previous output is untouched",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_tab_before_a_field_of_its_own_is_called_a_tab() {
    let site = Site::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\n\tlocation: Bangkok\ndate: 2022-05-24\n---\nText.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_starts_with(
        "\
error: invalid front matter: YAML does not allow tabs for indentation
 --> content/a.md:3:1
  |
3 | \tlocation: Bangkok
  | ^
  = hint: indent with spaces instead (most editors can turn tabs into spaces)",
    );
}

#[test]
fn an_unknown_field_in_a_group_lists_the_fields_of_that_group() {
    let site = Site::empty();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2022-05-24\nsource:\n  nmae: Ministry\nupdates:\n  - date: 2022-05-25\n    note: Fixed a name.\n    when: later\n---\nText.\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains(
        "\
error: unknown field `nmae` in front matter
 --> content/a.md:5:3
  |
5 |   nmae: Ministry
  |   ^
  = hint: did you mean `name`?",
    );
    run.assert_stderr_contains(
        "\
error: unknown field `when` in front matter
 --> content/a.md:9:5
  |
9 |     when: later
  |     ^
  = hint: the fields here are: date, note",
    );
}

#[test]
fn a_root_link_written_with_the_files_date_suggests_the_entrys_url() {
    let site = Site::empty();
    site.write(
        "site.yaml",
        "title: Links\nbase_url: https://example.org/\n",
    );
    site.write(
        "content/engagements/2022-05-24-washington-talks.md",
        "---\ntitle: Talks\ndate: 2022-05-24\n---\nText.\n",
    );
    site.write(
        "content/news/a.md",
        "---\ntitle: A\ndate: 2022-05-25\n---\nSee [the talks](/engagements/2022-05-24-washington-talks/).\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_contains("  = hint: did you mean `/engagements/washington-talks/`?");
}
