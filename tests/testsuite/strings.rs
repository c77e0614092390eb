//! Theme strings per language: the site's `language` picks `themes/<theme>/i18n/<code>.yaml`,
//! the site's `i18n/<code>.yaml` changes single strings, and what a language lacks falls back
//! to English with a warning.

use crate::support::Site;

/// The built-in Thai strings file with the line of `key` taken out.
fn thai_without(key: &str) -> String {
    let text = include_str!("../../themes/default/i18n/th.yaml");
    let prefix = format!("{key}:");
    let kept: Vec<&str> = text.lines().filter(|l| !l.starts_with(&prefix)).collect();
    assert_eq!(kept.len() + 1, text.lines().count(), "`{key}` is one line");
    kept.join("\n") + "\n"
}

/// Fails the test, showing `text`, unless it contains `part`.
fn contains(text: &str, part: &str) {
    assert!(text.contains(part), "`{part}` not in\n{text}");
}

/// A site made by `gazette init`, in a folder of its temporary one.
fn new_site() -> (Site, std::path::PathBuf) {
    let site = Site::empty();
    let root = site.path("new-site");
    site.run(&["init", root.to_str().unwrap()]).assert_success();
    (site, root)
}

/// Builds the site in `root` into `out`, and fails the test on an error or a warning.
fn build_without_warnings(site: &Site, root: &std::path::Path, out: &std::path::Path) {
    let run = site.run(&[
        "build",
        "--site",
        root.to_str().unwrap(),
        "--output",
        out.to_str().unwrap(),
    ]);
    run.assert_success();
    assert_eq!(run.count("warning"), 0, "{}", run.stderr);
}

#[test]
fn a_thai_site_has_thai_navigation_headings_pagination_and_feed_titles() {
    let site = Site::fixture("strings-thai");
    let run = site.build_ok(&[]);
    assert_eq!(run.count("warning"), 0, "{}", run.stderr);

    let home = site.page("/");
    for nav in [
        "<li><a href=\"/\" aria-current=\"page\">หน้าแรก</a></li>",
        "<li><a href=\"/timeline/\">ลำดับเวลา</a></li>",
        "<li><a href=\"/partners/\">หน่วยงานคู่ความร่วมมือ</a></li>",
        "<li><a href=\"/topics/\">หัวข้อ</a></li>",
        "<li><a href=\"/search/\">ค้นหา</a></li>",
    ] {
        contains(&home, nav);
    }
    assert!(home.contains("<a class=\"skip-link\" href=\"#main\">ข้ามไปยังเนื้อหา</a>"));
    let main = site.main_of("/");
    contains(
        &main,
        "<li><a href=\"/timeline/\"><strong>3</strong> รายการ</a></li>",
    );
    contains(&main, "<h2 id=\"latest-heading\">ล่าสุด</h2>");

    // Headings and titles, made in Rust (page titles) and in templates (leads).
    let timeline = site.page("/timeline/");
    contains(&timeline, "<title>ลำดับเวลา — สำนักงานตัวอย่าง</title>");
    let main = site.main_of("/timeline/");
    contains(&main, "<h1>ลำดับเวลา</h1>");
    contains(
        &main,
        "<p class=\"lead\">3 รายการ เรียงจากใหม่ไปเก่า แยกตามปีและเดือน</p>",
    );
    let partner = site.page("/partners/iom/");
    assert!(
        partner.contains("<li><a href=\"/partners/\">หน่วยงานคู่ความร่วมมือ</a></li>"),
        "the breadcrumb: {partner}"
    );

    // Pagination: the pager and the note in the heading.
    let main = site.main_of("/timeline/2022/");
    contains(&main, "<nav class=\"pager\" aria-label=\"หน้า\">");
    contains(
        &main,
        "rel=\"next\">รายการที่เก่ากว่า <span aria-hidden=\"true\">→</span></a>",
    );
    let main = site.main_of("/timeline/2022/page/2/");
    contains(
        &main,
        "<h1>2022 <span class=\"h1-note\">หน้า 2 จาก 2</span></h1>",
    );
    contains(&main, "รายการที่ใหม่กว่า</a>");

    // The page for a missing address.
    let main = site.main_of("/404.html");
    contains(&main, "<h1>ไม่พบหน้านี้</h1>");
    contains(
        &main,
        "<p class=\"lead\">ขออภัย ไม่พบหน้าที่อยู่นี้ หน้านี้อาจถูกย้ายไปแล้ว หรือลิงก์อาจพิมพ์ผิด</p>",
    );

    // A feed's title, as the page links it.
    let topic = site.page("/topics/kaarkhaamnusy/");
    contains(
        &topic,
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"สำนักงานตัวอย่าง: การค้ามนุษย์\" href=\"/topics/kaarkhaamnusy/feed.xml\">",
    );
    contains(&topic, "</svg>ติดตาม (ฟีด Atom)</a>");
    // Thai has one plural form: one entry is "1 รายการ" like three.
    assert!(!site.main_of("/partners/").contains("entries"));
}

#[test]
fn a_tag_with_a_region_reads_the_files_of_its_language() {
    let site = Site::fixture("strings-thai");
    let yaml = std::fs::read_to_string(site.path("site.yaml")).unwrap();
    site.save(
        "site.yaml",
        &yaml.replace("language: th", "language: th-TH"),
    );
    site.write("i18n/th.yaml", "latest: ข่าวล่าสุด\n");
    let run = site.build_ok(&[]);
    assert_eq!(run.count("warning"), 0, "{}", run.stderr);
    let home = site.page("/");
    contains(&home, "<html lang=\"th-TH\">");
    contains(&home, "<h2 id=\"latest-heading\">ข่าวล่าสุด</h2>");
    contains(&home, "<li><a href=\"/timeline/\">ลำดับเวลา</a></li>");
}

#[test]
fn a_site_string_replaces_the_theme_one_and_only_that_one() {
    let site = Site::fixture("strings-thai");
    site.write("i18n/th.yaml", "latest: ข่าวล่าสุด\n");
    let run = site.build_ok(&[]);
    assert_eq!(run.count("warning"), 0, "{}", run.stderr);
    let main = site.main_of("/");
    contains(&main, "<h2 id=\"latest-heading\">ข่าวล่าสุด</h2>");
    contains(&main, "<h2 id=\"browse-heading\">สำรวจบันทึก</h2>");

    // English too: an English site changes its own words the same way.
    let site = Site::fixture("feeds-basic");
    site.write("i18n/en.yaml", "# Our words\nhome: Front page\n");
    site.build_ok(&[]);
    let home = site.page("/");
    contains(&home, "aria-current=\"page\">Front page</a></li>");
    contains(&home, "<li><a href=\"/timeline/\">Timeline</a></li>");
}

#[test]
fn a_missing_string_falls_back_to_english_with_a_warning_and_fails_with_strict() {
    let site = Site::fixture("strings-thai");
    site.write("themes/default/i18n/th.yaml", thai_without("latest"));
    let run = site.build_ok(&[]);
    run.assert_stderr_starts_with(
        "warning: theme string `latest` is missing for `th`: the English one is shown
 --> themes/default/i18n/th.yaml
  = hint: add `latest:` to `i18n/th.yaml`, or to `themes/default/i18n/th.yaml`
",
    );
    assert_eq!(run.count("warning"), 1, "{}", run.stderr);
    let main = site.main_of("/");
    contains(&main, "<h2 id=\"latest-heading\">Latest</h2>");
    contains(&main, "<h2 id=\"browse-heading\">สำรวจบันทึก</h2>");

    let strict = site.build(&["--strict"]);
    strict.assert_code(1);
    strict.assert_stderr_starts_with(
        "error: theme string `latest` is missing for `th`: the English one is shown",
    );

    // The site's own file may give what the theme's lacks.
    site.write("i18n/th.yaml", "latest: ล่าสุด\n");
    let run = site.build_ok(&["--strict"]);
    assert_eq!(run.count("warning"), 0, "{}", run.stderr);

    // `check` reports the missing string of each language too.
    site.write("i18n/th.yaml", "# nothing yet\n");
    let check = site.run(&["check", "--site", site.path("").to_str().unwrap()]);
    assert!(
        check.stderr.contains(
            "warning: theme string `latest` is missing for `th`: the English one is shown"
        ),
        "{}",
        check.stderr
    );
}

#[test]
fn a_language_without_any_strings_is_one_warning() {
    let site = Site::fixture("strings-thai");
    site.save(
        "site.yaml",
        "title: Sito\nbase_url: https://example.org/\nlanguage: it\n",
    );
    let run = site.build_ok(&[]);
    run.assert_stderr_starts_with(
        "warning: no theme strings for the language `it`: the English ones are shown
 --> i18n/it.yaml
  = hint: add `i18n/it.yaml` with the keys of `themes/default/i18n/en.yaml (built in)` in that language
",
    );
    assert_eq!(run.count("warning"), 1, "{}", run.stderr);
    assert!(site.page("/").contains("<html lang=\"it\">"));
    assert!(
        site.main_of("/")
            .contains("<h2 id=\"latest-heading\">Latest</h2>")
    );
}

#[test]
fn an_unknown_string_is_a_warning_with_the_nearest_key() {
    let site = Site::fixture("strings-thai");
    site.write("i18n/th.yaml", "home: หน้าหลัก\nlates: ข่าวล่าสุด\n");
    let run = site.build_ok(&[]);
    run.assert_stderr_starts_with(
        "warning: unknown theme string `lates`
 --> i18n/th.yaml:2:1
  |
2 | lates: ข่าวล่าสุด
  | ^
  = hint: did you mean `latest`? The keys are those of `themes/default/i18n/en.yaml (built in)`
",
    );
    assert_eq!(run.count("warning"), 1, "{}", run.stderr);
    assert!(
        site.page("/")
            .contains("aria-current=\"page\">หน้าหลัก</a></li>")
    );
}

#[test]
fn a_name_the_templates_do_not_fill_in_is_a_warning() {
    let site = Site::fixture("strings-thai");
    site.write("i18n/th.yaml", "entries_about: \"เรื่อง {topik}\"\n");
    let run = site.build_ok(&[]);
    run.assert_stderr_starts_with(
        "warning: theme string `entries_about` has `{topik}`, which no template fills in
 --> i18n/th.yaml:1:1
  |
1 | entries_about: \"เรื่อง {topik}\"
  | ^
  = hint: the English string fills in `{topic}`
",
    );
    assert_eq!(run.count("warning"), 1, "{}", run.stderr);
}

#[test]
fn a_yaml_error_in_a_strings_file_is_an_error_at_its_line_and_column() {
    let site = Site::fixture("strings-thai");
    site.write("i18n/th.yaml", "latest: ล่าสุด\nhome: \"หน้าหลัก\n");
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_starts_with(
        "error: invalid strings file: a quoted value is not closed
 --> i18n/th.yaml:2:7
  |
2 | home: \"หน้าหลัก
  |       ^
  = hint: end the value with the quote it starts with, on the same line, or write it without quotes
",
    );
    assert!(!site.out().exists());
}

#[test]
fn plural_forms_are_named_by_cldr_categories() {
    let site = Site::fixture("strings-thai");
    site.write(
        "i18n/th.yaml",
        "entry_count:\n  single: \"{count} รายการ\"\nhome: [a, b]\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_starts_with(
        "error: invalid strings file: a string is a text or a map of plural forms
 --> i18n/th.yaml:3:7
",
    );
    site.write(
        "i18n/th.yaml",
        "entry_count:\n  single: \"{count} รายการ\"\n",
    );
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_starts_with(
        "error: theme string `entry_count` has a form `single`, which is not a plural category
 --> i18n/th.yaml:1:1
  |
1 | entry_count:
  | ^
  = hint: plural forms are named by CLDR's categories: `zero`, `one`, `two`, `few`, `many` and `other` (which every language needs)
",
    );
}

#[test]
fn serve_shows_a_changed_string_on_every_page() {
    let site = Site::fixture("serve-basic");
    let server = crate::support::serve::Server::start(&site);
    let mut socket = server.socket();

    // Created (the i18n/ folder did not exist).
    site.write("i18n/en.yaml", "home: Front page\n");
    socket.expect("reload");
    for page in ["/", "/engagements/first-visit/", "/timeline/"] {
        server.eventually(page, "showed the site's string", |r| {
            r.has("\">Front page</a></li>")
        });
    }

    // Edited, then deleted: the theme's string again.
    site.write("i18n/en.yaml", "home: Start\n");
    socket.expect("reload");
    server.eventually(
        "/engagements/first-visit/",
        "showed the edited string",
        |r| r.has("\">Start</a></li>") && !r.text().contains("Front page"),
    );
    std::fs::remove_file(site.path("i18n/en.yaml")).unwrap();
    socket.expect("reload");
    server.eventually(
        "/engagements/first-visit/",
        "went back to the theme's",
        |r| r.has("<li><a href=\"/\">Home</a></li>"),
    );
}

#[test]
fn init_writes_the_themes_strings_and_a_site_builds_in_thai_from_them() {
    let (site, root) = new_site();
    for (name, text) in gazette::theme::STRINGS {
        let written = std::fs::read_to_string(root.join("themes/default/i18n").join(name)).unwrap();
        assert_eq!(&written, text, "the theme's {name} is written as built in");
    }
    // The site's copy is the one read: a change there shows.
    let th = root.join("themes/default/i18n/th.yaml");
    let text = std::fs::read_to_string(&th).unwrap();
    std::fs::write(&th, text.replace("home: หน้าแรก", "home: หน้าหลัก")).unwrap();
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    assert!(yaml.contains("\nlanguage: en\n"), "{yaml}");
    std::fs::write(
        root.join("site.yaml"),
        yaml.replace("\nlanguage: en\n", "\nlanguage: th\n"),
    )
    .unwrap();
    let out = site.path("out");
    build_without_warnings(&site, &root, &out);
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    contains(&home, "aria-current=\"page\">หน้าหลัก</a></li>");
}

#[cfg(unix)]
#[test]
fn a_strings_file_may_be_a_link_inside_the_site_and_not_outside() {
    let site = Site::fixture("strings-thai");
    site.write("shared/th.yaml", "latest: ข่าวล่าสุด\n");
    std::fs::create_dir_all(site.path("i18n")).unwrap();
    std::os::unix::fs::symlink("../shared/th.yaml", site.path("i18n/th.yaml")).unwrap();
    site.build_ok(&[]);
    contains(&site.main_of("/"), "<h2 id=\"latest-heading\">ข่าวล่าสุด</h2>");

    let outside = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(outside.path(), "latest: x\n").unwrap();
    std::fs::remove_file(site.path("i18n/th.yaml")).unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("i18n/th.yaml")).unwrap();
    let run = site.build(&[]);
    run.assert_code(1);
    run.assert_stderr_starts_with(
        "error: symbolic link points outside the site folder
 --> i18n/th.yaml
  = hint: copy the file into the site instead of linking to it
",
    );
}

#[test]
fn a_theme_without_strings_files_has_the_built_in_ones() {
    let (site, root) = new_site();
    std::fs::rename(root.join("themes/default"), root.join("themes/plain")).unwrap();
    std::fs::remove_dir_all(root.join("themes/plain/i18n")).unwrap();
    let yaml = std::fs::read_to_string(root.join("site.yaml")).unwrap();
    let build = |language: &str| {
        std::fs::write(
            root.join("site.yaml"),
            format!("{yaml}\ntheme: plain\n")
                .replace("\nlanguage: en\n", &format!("\nlanguage: {language}\n")),
        )
        .unwrap();
        let out = site.path(&format!("out-{language}"));
        build_without_warnings(&site, &root, &out);
        std::fs::read_to_string(out.join("timeline/index.html")).unwrap()
    };
    contains(&build("en"), "<h1>Timeline</h1>");
    contains(&build("th"), "<h1>ลำดับเวลา</h1>");
}

#[test]
fn a_third_language_needs_only_its_strings_file() {
    let site = Site::fixture("strings-thai");
    site.save(
        "site.yaml",
        "title: ຫ້ອງການ\nbase_url: https://example.org/\nlanguage: lo\n",
    );
    let english = include_str!("../../themes/default/i18n/en.yaml");
    let lao: String = english
        .lines()
        .map(|line| match line {
            "home: Home" => "home: ໜ້າຫຼັກ",
            "timeline: Timeline" => "timeline: ລຳດັບເວລາ",
            other => other,
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::create_dir_all(site.path("i18n")).unwrap();
    site.save("i18n/lo.yaml", &(lao + "\n"));
    let run = site.build_ok(&[]);
    assert_eq!(run.count("warning"), 0, "{}", run.stderr);
    let home = site.page("/");
    assert!(home.contains("<html lang=\"lo\">"), "{home}");
    contains(
        &home,
        "<li><a href=\"/\" aria-current=\"page\">ໜ້າຫຼັກ</a></li>",
    );
    contains(&home, "<li><a href=\"/timeline/\">ລຳດັບເວລາ</a></li>");
}
