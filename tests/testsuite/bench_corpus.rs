//! The benchmark's corpus generator (`examples/corpus`, run by `bench/run.sh` through
//! `examples/gen_corpus.rs`): the same arguments write the same files, in the proportions
//! `docs/performance.md` promises, and gazette builds them.

#[path = "../../examples/corpus/mod.rs"]
pub mod corpus;

use crate::support::{Site, files_of, snapshot};
use std::collections::BTreeSet;

/// One generated entry, read back from its file.
struct Entry {
    year: String,
    partners: Vec<String>,
    topics: Vec<String>,
    words: Vec<String>,
}

fn read_entry(path: &str, text: &str) -> Entry {
    let rest = text
        .strip_prefix("---\n")
        .unwrap_or_else(|| panic!("{path}: no front matter"));
    let (front, body) = rest
        .split_once("\n---\n")
        .unwrap_or_else(|| panic!("{path}: front matter not closed"));
    let value = |key: &str| {
        front
            .lines()
            .find_map(|line| line.strip_prefix(key))
            .unwrap_or_else(|| panic!("{path}: no `{key}`"))
            .to_string()
    };
    let topics = value("topics: ");
    Entry {
        year: value("date: ")[..4].to_string(),
        partners: front
            .lines()
            .filter_map(|line| line.strip_prefix("  - "))
            .map(str::to_string)
            .collect(),
        topics: topics
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(", ")
            .map(str::to_string)
            .collect(),
        words: body
            .replace("## Outcomes", "")
            .split_whitespace()
            .map(str::to_string)
            .collect(),
    }
}

#[test]
fn the_corpus_is_the_same_every_time_in_its_proportions_and_builds() {
    let site = Site::empty();
    let corpus = corpus::Corpus {
        entries: 400,
        ..corpus::Corpus::default()
    };
    corpus.write(&site.root).unwrap();
    let again = site.tmp.join("again");
    corpus.write(&again).unwrap();
    let (first, second) = (snapshot(&site.root), snapshot(&again));
    let files = files_of(&first);
    assert_eq!(files, files_of(&second));

    let registry = std::str::from_utf8(files["content/partners.yaml"]).unwrap();
    let registered: BTreeSet<&str> = registry
        .lines()
        .filter_map(|line| line.strip_prefix("  name: "))
        .collect();
    assert_eq!(registered.len(), 200);

    let entries: Vec<Entry> = files
        .into_iter()
        .filter(|(path, _)| path.ends_with(".md"))
        .map(|(path, bytes)| read_entry(path, std::str::from_utf8(bytes).unwrap()))
        .collect();
    assert_eq!(entries.len(), 400);
    let (mut partner_counts, mut topic_counts) = (BTreeSet::new(), BTreeSet::new());
    let (mut topics, mut years) = (BTreeSet::new(), BTreeSet::new());
    for entry in &entries {
        assert!(
            entry
                .partners
                .iter()
                .all(|p| registered.contains(p.as_str())),
            "{:?}",
            entry.partners
        );
        let distinct: BTreeSet<_> = entry.partners.iter().collect();
        assert_eq!(distinct.len(), entry.partners.len(), "{:?}", entry.partners);
        partner_counts.insert(entry.partners.len());
        topic_counts.insert(entry.topics.len());
        topics.extend(entry.topics.iter().cloned());
        years.insert(entry.year.clone());
        assert_eq!(entry.words.len(), 600);
        // Sentences end with a full stop and a space: no word runs into the next.
        for word in &entry.words {
            let inner = word.strip_suffix('.').unwrap_or(word);
            assert!(!inner.contains('.'), "`{word}`");
        }
        assert_eq!(entry.words.iter().filter(|w| w.ends_with('.')).count(), 40);
    }
    assert_eq!(partner_counts, (1..=5).collect());
    assert_eq!(topic_counts, (1..=4).collect());
    assert_eq!(topics.len(), 40);
    assert_eq!(years.len(), 20);

    let run = site.build_ok(&[]);
    assert!(
        run.stdout.contains("Built 400 entries, 200 partners, "),
        "{}",
        run.stdout
    );
    assert!(
        site.has_page("/engagements/entry-00000/") || site.has_page("/press-releases/entry-00000/")
    );
}
