//! A deterministic generator of large sites for benchmarks: N entries of about 600 words,
//! 200 registered partners, 40 topics, spread over 20 years. The same arguments always give
//! the same files (a small xorshift generator, no clock, no randomness from outside).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

/// What to generate.
pub struct Corpus {
    pub entries: usize,
    pub partners: usize,
    pub topics: usize,
    pub years: i32,
    pub words: usize,
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus {
            entries: 10_000,
            partners: 200,
            topics: 40,
            years: 20,
            words: 600,
        }
    }
}

#[rustfmt::skip]
const WORDS: &[&str] = &[
    "the",
    "delegation",
    "met",
    "with",
    "partners",
    "to",
    "discuss",
    "cooperation",
    "on",
    "labour",
    "migration",
    "and",
    "victim",
    "protection",
    "in",
    "the",
    "region",
    "officials",
    "agreed",
    "that",
    "further",
    "work",
    "is",
    "needed",
    "a",
    "joint",
    "plan",
    "was",
    "drafted",
    "for",
    "training",
    "inspectors",
    "prosecutors",
    "judges",
    "shelters",
    "hotlines",
    "data",
    "sharing",
    "between",
    "agencies",
    "border",
    "ports",
    "fishing",
    "vessels",
    "recruitment",
    "fees",
    "contracts",
    "wages",
    "documents",
    "interpreters",
    "community",
    "leaders",
    "schools",
    "online",
    "safety",
    "platforms",
    "reports",
    "meeting",
    "follow-up",
    "visit",
    "programme",
    "budget",
    "review",
    "progress",
    "indicators",
    "figures",
    "season",
    "year",
    "survey",
    "workshop",
    "conference",
    "statement",
    "guidelines",
    "screening",
    "referral",
    "support",
    "services",
    "legal",
    "aid",
    "compensation",
    "return",
    "reintegration",
    "employers",
    "unions",
    "auditors",
    "supply",
    "chains",
    "standards",
    "commitments",
    "practice",
    "lessons",
    "learned",
    "next",
    "steps",
    "were",
    "set",
    "out",
    "clearly",
];

#[rustfmt::skip]
pub const TOPICS: &[&str] = &[
    "forced labour",
    "fisheries",
    "migration",
    "victim protection",
    "prosecution",
    "online exploitation",
    "child protection",
    "supply chains",
    "recruitment",
    "shelters",
    "border management",
    "data sharing",
    "training",
    "legal aid",
    "compensation",
    "reintegration",
    "hotlines",
    "labour inspection",
    "domestic work",
    "construction",
    "agriculture",
    "garment industry",
    "seafood",
    "cyber crime",
    "money laundering",
    "corruption",
    "regional cooperation",
    "research",
    "awareness",
    "community outreach",
    "health care",
    "interpretation",
    "identity documents",
    "repatriation",
    "youth",
    "gender",
    "disability",
    "technology",
    "funding",
    "evaluation",
];

#[rustfmt::skip]
const TYPES: &[&str] = &[
    "government",
    "legislature",
    "ngo",
    "international-organisation",
    "private-sector",
    "academia",
    "media",
    "other",
];

/// xorshift64*: small, fast, deterministic.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

impl Corpus {
    /// Writes the site into `dir` (which must not exist or be empty).
    pub fn write(&self, dir: &Path) -> std::io::Result<()> {
        fs::create_dir_all(dir.join("content/engagements"))?;
        fs::create_dir_all(dir.join("content/press-releases"))?;
        fs::write(
            dir.join("site.yaml"),
            "title: Benchmark Corpus\nbase_url: \"https://example.org/\"\ntimezone: UTC\nper_page: 50\n",
        )?;
        let mut registry = String::new();
        for p in 0..self.partners {
            let _ = write!(
                registry,
                "- id: partner-{p:03}\n  name: Partner Organisation {p:03}\n  aliases: [PO{p:03}]\n  type: {}\n  country: Country {}\n  description: Partner number {p} of the benchmark corpus.\n\n",
                TYPES[p % TYPES.len()],
                p % 30
            );
        }
        fs::write(dir.join("content/partners.yaml"), registry)?;
        let topics = &TOPICS[..self.topics.min(TOPICS.len())];
        let mut random = Random(0x9E37_79B9_7F4A_7C15);
        for i in 0..self.entries {
            let year = 2025 - (i as i32 % self.years);
            let month = 1 + random.below(12);
            let day = 1 + random.below(28);
            let press = random.below(10) < 3;
            let (kind, folder) = if press {
                ("press-release", "press-releases")
            } else {
                ("engagement", "engagements")
            };
            let partners: Vec<String> = (0..1 + random.below(5))
                .map(|_| format!("Partner Organisation {:03}", random.below(self.partners)))
                .collect();
            let mut chosen: Vec<&str> = (0..1 + random.below(4))
                .map(|_| topics[random.below(topics.len())])
                .collect();
            chosen.sort_unstable();
            chosen.dedup();
            let mut text = format!(
                "---\ntitle: Entry {i:05} on {}\ndate: {year}-{month:02}-{day:02}\nkind: {kind}\npartners:\n",
                chosen[0]
            );
            let mut seen = Vec::new();
            for p in partners {
                if !seen.contains(&p) {
                    let _ = writeln!(text, "  - {p}");
                    seen.push(p);
                }
            }
            let _ = writeln!(text, "topics: [{}]\n---", chosen.join(", "));
            for w in 0..self.words {
                if w % 100 == 0 {
                    text.push_str(if w == 300 {
                        "\n\n## Outcomes\n\n"
                    } else {
                        "\n\n"
                    });
                }
                text.push_str(WORDS[random.below(WORDS.len())]);
                text.push_str(if w % 15 == 14 { ". " } else { " " });
            }
            text.push('\n');
            let name = format!("{year}-{month:02}-{day:02}-entry-{i:05}.md");
            fs::write(dir.join("content").join(folder).join(name), text)?;
        }
        Ok(())
    }
}
