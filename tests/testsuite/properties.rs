//! Property tests (proptest) of the guarantees that hold for any input:
//!
//! - slugs are non-empty `[a-z0-9-]`, well formed, their own slug, and what a fixed table
//!   says for names of every kind (so the same from one build, process and version to the next);
//! - no file name, folder, slug, alias, partner or topic maps outside the output folder;
//! - the CSV and iCalendar exports give back any title, location, summary, partner and topic
//!   name exactly;
//! - entries are in a total order (date, then URL) that does not depend on the order of
//!   files on disk.
//!
//! Sites are written to temporary folders and loaded with the library's real loaders (or
//! built with `gazette::build`), so the properties hold for what a build really does.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use gazette::{BuildOptions, Failure, config, content, output, slug};
use proptest::prelude::*;

use crate::support::{ics_values, unescape_ics};

fn now() -> jiff::Timestamp {
    "2026-01-01T00:00:00Z".parse().unwrap()
}

/// A YAML double-quoted scalar holding exactly `text` (JSON strings are YAML scalars).
fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

/// Text mixing what escaping and slugs find hard: quotes, separators, backslashes, line
/// breaks, accents, Thai, emoji, CJK, zero-width and line-separator characters.
fn text(max: usize) -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "aZ09 -_.,;:\"'\\/<>&#%?!@()[]{}*|\n\téßİÆøกภ中😀👩‍\u{2028}\u{200b}"
        .chars()
        .collect();
    prop::collection::vec(prop::sample::select(alphabet), 0..max)
        .prop_map(|chars| chars.into_iter().collect())
}

fn any_text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        text(max),
        any::<String>().prop_map(move |s| s.chars().take(max).collect())
    ]
}

/// Loads the site in `root` with the library's loaders.
fn load(
    root: &Path,
) -> (
    config::Config,
    content::Content,
    Vec<gazette::diagnostic::Diagnostic>,
) {
    let config = config::load(root).expect("site.yaml loads");
    let options = content::LoadOptions {
        drafts: false,
        future: false,
        now: now(),
    };
    let (content, problems) = content::load(&config, &options);
    (config, content, problems)
}

fn write(root: &Path, rel: &str, contents: impl AsRef<[u8]>) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, contents).unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn slugs_are_non_empty_lowercase_ascii_and_idempotent(name in any_text(80)) {
        let s = slug::slugify(&name);
        prop_assert!(!s.is_empty());
        prop_assert!(s.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'), "{s:?}");
        prop_assert!(slug::is_slug(&s), "{s:?}");
        prop_assert!(s.len() <= slug::MAX_LEN, "{s:?}");
        // A slug is its own slug: slugifying is idempotent.
        prop_assert_eq!(&slug::slugify(&s), &s);
        let path = format!("partners/{s}/index.html");
        prop_assert!(output::is_safe(&path), "{}", path);
    }

    #[test]
    fn slugs_of_file_names_are_slugs(name in any_text(60)) {
        let s = content::slug_from_file_name(&format!("folder/{name}.md"));
        prop_assert!(slug::is_slug(&s), "{name:?} → {s:?}");
    }
}

/// Slugs are URLs: a name must give the same slug in every build, process and version, or
/// links to its page break. Latin text, transliterated Thai and emoji, and the stable hash of
/// a name with no letters or of one too long.
#[test]
fn slugs_of_a_fixed_table_of_names_do_not_change() {
    let long = "Ministry of Foreign Affairs ".repeat(5);
    let table = [
        ("U.S. Department of State", "u-s-department-of-state"),
        ("  Forced  labour! ", "forced-labour"),
        ("Côte d’Ivoire", "cote-d-ivoire"),
        ("ÆØ Straße İstanbul", "aeo-strasse-istanbul"),
        ("การค้ามนุษย์", "kaarkhaamnusy"),
        ("กระทรวงการต่างประเทศ", "krathrwngkaartaangpraeths"),
        ("中文", "zhong-wen"),
        ("🎉🎉", "tada-tada"),
        ("!!!", "x-bbe43c17"),
        ("???", "x-79a23418"),
        (
            long.as_str(),
            "ministry-of-foreign-affairs-ministry-of-foreign-affairs-ministry-of-foreign-affairs-ministr-999f7f09",
        ),
    ];
    let wrong: Vec<String> = table
        .iter()
        .filter(|(name, expected)| slug::slugify(name) != *expected)
        .map(|(name, expected)| format!("{name:?} → {:?}, not {expected:?}", slug::slugify(name)))
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// A path segment a file system accepts as a name, including the awkward ones (`.` and `..`
/// are the file system's own and never names).
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("...".to_string()),
        Just(".hidden".to_string()),
        Just("-".to_string()),
        Just("timeline".to_string()),
        Just("partners".to_string()),
        Just("page".to_string()),
        "[a-zA-Z0-9 ._~%\\\\:!-]{1,12}",
        any_text(12),
    ]
    .prop_filter("a file name", |s| {
        !s.is_empty() && s != "." && s != ".." && !s.contains(['/', '\0']) && s.len() < 200
    })
}

fn alias() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("/../../escape/".to_string()),
        Just("/a/../../b/".to_string()),
        Just("//evil.example/x/".to_string()),
        Just("/old/index.html".to_string()),
        Just("/./x/".to_string()),
        Just("/x\\..\\..\\y/".to_string()),
        Just("/%2e%2e/%2e%2e/z/".to_string()),
        "/[a-z./\\\\%-]{0,16}",
        any_text(16).prop_map(|s| format!("/{s}")),
    ]
}

#[derive(Debug, Clone)]
struct EntrySpec {
    folders: Vec<String>,
    file: String,
    slug: Option<String>,
    aliases: Vec<String>,
    partner: String,
    topic: String,
}

fn entry_spec() -> impl Strategy<Value = EntrySpec> {
    (
        prop::collection::vec(segment(), 0..3),
        segment(),
        prop_oneof![
            3 => Just(None),
            1 => any_text(12).prop_map(Some),
            1 => "[a-z0-9-]{1,12}".prop_map(Some),
        ],
        prop_oneof![2 => Just(Vec::new()), 1 => prop::collection::vec(alias(), 1..3)],
        any_text(16).prop_map(|p| format!("p{p}")),
        any_text(16).prop_map(|t| format!("t{t}")),
    )
        .prop_map(|(folders, file, slug, aliases, partner, topic)| EntrySpec {
            folders,
            file,
            slug,
            aliases,
            partner,
            topic,
        })
}

/// Every path under `dir`, relative, folders included.
fn tree(dir: &Path) -> BTreeSet<PathBuf> {
    let mut found = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let Ok(items) = fs::read_dir(&folder) else {
            continue;
        };
        for item in items.flatten() {
            let path = item.path();
            found.insert(path.strip_prefix(dir).unwrap().to_path_buf());
            if path.is_dir() && !path.is_symlink() {
                stack.push(path);
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Whatever the names of files and folders, slugs, aliases, partners and topics, a build
    /// writes only inside its output folder: it either succeeds with every file there, or
    /// fails with a content error, and it never has to refuse an unsafe path at the last
    /// moment (which would mean one got past the checks upstream).
    #[test]
    fn nothing_maps_outside_the_output_folder(entries in prop::collection::vec(entry_spec(), 1..5)) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("work/site");
        let out = tmp.path().join("work/out");
        write(&root, "site.yaml", "title: P\nbase_url: https://example.org/sub/\n");
        let mut written = 0;
        for (i, e) in entries.iter().enumerate() {
            let mut rel = PathBuf::from("content");
            for folder in &e.folders {
                rel.push(folder);
            }
            rel.push(format!("{}{i}.md", e.file));
            let mut front = format!(
                "---\ntitle: E{i}\ndate: 2022-01-0{}\npartners: [{}]\ntopics: [{}]\n",
                i + 1,
                yaml(&e.partner),
                yaml(&e.topic)
            );
            if let Some(s) = &e.slug {
                front.push_str(&format!("slug: {}\n", yaml(s)));
            }
            if !e.aliases.is_empty() {
                let list: Vec<String> = e.aliases.iter().map(|a| yaml(a)).collect();
                front.push_str(&format!("aliases: [{}]\n", list.join(", ")));
            }
            front.push_str("---\nBody.\n");
            let path = root.join(&rel);
            // `..` and `.` segments are the file system's own; skip what it cannot hold.
            if fs::create_dir_all(path.parent().unwrap()).is_ok() && fs::write(&path, front).is_ok() {
                written += 1;
            }
        }
        prop_assume!(written > 0);
        let options = BuildOptions {
            output: Some(out.clone()),
            now: Some(now()),
            ..BuildOptions::default()
        };
        match gazette::build(&root, &options) {
            Ok(summary) => {
                prop_assert!(out.join("index.html").is_file(), "{summary:?}");
                for path in tree(&out) {
                    let text = path.to_string_lossy().replace('\\', "/");
                    prop_assert!(output::is_safe(&text), "{text}");
                }
            }
            Err(Failure::Content(problems)) => {
                prop_assert!(problems.iter().any(|p| p.is_error()));
            }
            Err(Failure::Other(error)) | Err(Failure::Usage(error)) => {
                prop_assert!(false, "not a content error: {error:#}");
            }
        }
        // Nothing appeared beside the site and the output folder.
        let top: Vec<String> = fs::read_dir(tmp.path().join("work"))
            .unwrap()
            .map(|i| i.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        prop_assert!(top.iter().all(|n| n == "site" || n == "out"), "{top:?}");
        let outside: Vec<String> = fs::read_dir(tmp.path())
            .unwrap()
            .map(|i| i.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        prop_assert_eq!(outside, vec!["work".to_string()]);
    }
}

/// Text for a title or name as front matter can hold it: no control characters but tab and
/// line feed, not only spaces.
fn field() -> impl Strategy<Value = String> {
    text(40).prop_map(|s| format!("x{s}"))
}

#[derive(Debug, Clone)]
struct Exported {
    title: String,
    location: String,
    summary: String,
    partners: Vec<String>,
    topics: Vec<String>,
}

fn exported() -> impl Strategy<Value = Exported> {
    (
        field(),
        field(),
        field(),
        prop::collection::vec(field(), 0..3),
        prop::collection::vec(field(), 0..3),
    )
        .prop_map(|(title, location, summary, partners, topics)| Exported {
            title,
            location,
            summary,
            partners,
            topics,
        })
}

/// Splits a CATEGORIES value at its unescaped commas, then unescapes each item.
fn ics_list(raw: &str) -> Vec<String> {
    let mut items = vec![String::new()];
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                items.last_mut().unwrap().push('\\');
                if let Some(next) = chars.next() {
                    items.last_mut().unwrap().push(next);
                }
            }
            ',' => items.push(String::new()),
            c => items.last_mut().unwrap().push(c),
        }
    }
    items.iter().map(|i| unescape_ics(i)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn csv_and_icalendar_give_back_titles_and_names(specs in prop::collection::vec(exported(), 1..4)) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        write(root, "site.yaml", "title: \"Data, \\\"quoted\\\"; site\"\nbase_url: https://example.org/\n");
        for (i, e) in specs.iter().enumerate() {
            // Distinct prefixes keep the partners' and topics' slugs apart.
            let partners: Vec<String> = e.partners.iter().enumerate().map(|(k, p)| yaml(&format!("P{i}-{k}-{p}"))).collect();
            let topics: Vec<String> = e.topics.iter().enumerate().map(|(k, t)| yaml(&format!("T{i}-{k}-{t}"))).collect();
            write(root, &format!("content/e{i}.md"), format!(
                "---\ntitle: {}\ndate: 2022-01-0{}\nlocation: {}\nsummary: {}\npartners: [{}]\ntopics: [{}]\n---\nBody.\n",
                yaml(&e.title), i + 1, yaml(&e.location), yaml(&e.summary), partners.join(", "), topics.join(", ")
            ));
        }
        let (config, content, problems) = load(root);
        prop_assert!(!problems.iter().any(|p| p.is_error()), "{problems:?}");
        let files = gazette::render::data::render(&config, &content, now());
        let file = |name: &str| {
            let f = files.iter().find(|f| f.path == name).unwrap();
            let bytes = f.contents.generated().expect("a generated file");
            String::from_utf8(bytes.to_vec()).unwrap()
        };
        let csv_text = file("data/entries.csv");
        let ics = file("data/entries.ics");
        prop_assert!(ics.split("\r\n").all(|line| line.len() <= 75), "a line over 75 octets");

        let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
        let headers = reader.headers().unwrap().clone();
        let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        prop_assert_eq!(rows.len(), specs.len());
        let summaries = ics_values(&ics, "SUMMARY");
        let locations = ics_values(&ics, "LOCATION");
        let descriptions = ics_values(&ics, "DESCRIPTION");
        let unfolded = ics.replace("\r\n ", "");
        let categories: Vec<Vec<String>> = unfolded
            .split("\r\n")
            .filter_map(|l| l.strip_prefix("CATEGORIES:"))
            .map(ics_list)
            .collect();
        for (i, e) in specs.iter().enumerate() {
            let path = format!("/e{i}/");
            let row = rows.iter().find(|r| r[col("path")] == path).unwrap();
            let title = e.title.trim();
            prop_assert_eq!(&row[col("title")], title);
            prop_assert_eq!(&row[col("location")], e.location.as_str());
            prop_assert_eq!(&row[col("summary")], e.summary.trim());
            // Names are compared and shown as they read: composed, without invisible characters.
            let plain = gazette::content::partners::plain_name;
            let partners: Vec<String> = e.partners.iter().enumerate().map(|(k, p)| plain(format!("P{i}-{k}-{p}").trim()).trim().to_string()).collect();
            let joined = partners.join("; ");
            prop_assert_eq!(&row[col("partners")], joined.as_str());
            let topics: Vec<String> = e.topics.iter().enumerate().map(|(k, t)| {
                plain(&format!("T{i}-{k}-{t}")).split_whitespace().collect::<Vec<_>>().join(" ")
            }).collect();
            let joined = topics.join("; ");
            prop_assert_eq!(&row[col("topics")], joined.as_str());

            prop_assert!(summaries.iter().any(|s| s == title), "SUMMARY {title:?} not in {summaries:?}");
            prop_assert!(locations.iter().any(|s| s == &e.location), "LOCATION {:?}", e.location);
            prop_assert!(descriptions.iter().any(|s| s == e.summary.trim()), "DESCRIPTION {:?}", e.summary);
            if !topics.is_empty() {
                prop_assert!(categories.contains(&topics), "CATEGORIES {topics:?} not in {categories:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Entries are sorted newest first, then by URL: a strict total order, the same whatever
    /// order the files were written in (many share a date, and some a time).
    #[test]
    fn entries_are_sorted_by_date_then_url_whatever_the_file_order(
        names in prop::collection::btree_set("[a-z]{1,3}(/[a-z]{1,3})?", 2..24),
        dates in prop::collection::vec(0u8..3, 24),
        seed in any::<u64>(),
    ) {
        let names: Vec<String> = names.into_iter().collect();
        let date = |i: usize| match dates[i] {
            0 => "2022-05-24".to_string(),
            1 => "2022-05-24 09:30".to_string(),
            _ => "2022-05-24T02:30:00Z".to_string(),
        };
        let mut orders = Vec::new();
        for round in 0..2u64 {
            let tmp = tempfile::tempdir().unwrap();
            let root = tmp.path();
            write(root, "site.yaml", "timezone: Asia/Bangkok\n");
            // Write the files in a different order each round.
            let mut order: Vec<usize> = (0..names.len()).collect();
            let mut state = seed ^ round.wrapping_mul(0x9e37_79b9_7f4a_7c15);
            for k in (1..order.len()).rev() {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                order.swap(k, (state >> 33) as usize % (k + 1));
            }
            for i in order {
                write(root, &format!("content/{}.md", names[i]), format!("---\ntitle: N{i}\ndate: {}\n---\n", date(i)));
            }
            let (_, content, problems) = load(root);
            prop_assert!(!problems.iter().any(|p| p.is_error()), "{problems:?}");
            prop_assert_eq!(content.entries.len(), names.len());
            for pair in content.entries.windows(2) {
                let (a, b) = (&pair[0], &pair[1]);
                prop_assert!(
                    a.date.instant > b.date.instant || (a.date.instant == b.date.instant && a.url < b.url),
                    "{} ({}) before {} ({})", a.url, a.date.datetime, b.url, b.date.datetime
                );
            }
            orders.push(content.entries.iter().map(|e| e.url.clone()).collect::<Vec<_>>());
        }
        prop_assert_eq!(&orders[0], &orders[1]);
    }
}
