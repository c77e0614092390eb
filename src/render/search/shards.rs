//! The sharded index: every entry's terms gathered into postings, and the postings cut into
//! shards that a query fetches one per word (format: `docs/search.md`).
//!
//! A term goes to the shard its key hashes to: the first three characters of a word (so that
//! all the words a prefix of three or more characters can start are in one shard), or the
//! whole of a filter term (`:p:iom`). Documents are numbered by their position in the index,
//! newest first, so a set of them in order is a list newest first.

use std::sync::Arc;

use ahash::HashMap;
use base64::Engine;
use rayon::prelude::*;

/// Field flags of a term in one entry; a term only in the body has none.
pub const TITLE: u8 = 8;
pub const NAME: u8 = 4;
pub const PLACE: u8 = 2;
pub const SUMMARY: u8 = 1;

/// The flags [`Postings`] keeps a set of documents for, in the order a record holds them.
const FIELDS: [u8; 4] = [TITLE, NAME, PLACE, SUMMARY];

/// One entry's terms, sorted, each once, with the flags of the fields it is in and the hash
/// of its shard key.
#[derive(Debug, Clone, Default, Hash)]
pub struct Terms {
    /// The terms, each followed by `\n`.
    text: String,
    flags: Vec<u8>,
    keys: Vec<u32>,
}

impl Terms {
    /// From `(term, flags)` pairs in any order, a term any number of times.
    pub fn new(found: HashMap<String, u8>) -> Terms {
        let mut found: Vec<(String, u8)> = found.into_iter().collect();
        found.sort_unstable();
        let mut terms = Terms::default();
        for (term, flags) in found {
            terms.keys.push(key_hash(&term));
            terms.text.push_str(&term);
            terms.text.push('\n');
            terms.flags.push(flags);
        }
        terms
    }

    fn iter(&self) -> impl Iterator<Item = (&str, u8)> {
        self.text
            .split_terminator('\n')
            .zip(self.flags.iter().copied())
    }

    /// The hashes of the keys of the shards its terms are in.
    pub fn keys(&self) -> &[u32] {
        &self.keys
    }
}

/// How many shards an index of `docs` documents has: about one per 50 documents, a power of
/// two, from 1 to 4,096. It depends on the count alone, so a change of one entry's words
/// keeps every other shard where it was.
pub fn count(docs: usize) -> usize {
    (docs / 50).next_power_of_two().clamp(1, 4096)
}

/// The hash of `term`'s shard key: FNV-1a (32 bits) over the UTF-16 code units of its first
/// three characters, or of all of a filter term (one starting with `:`). `search.js`
/// computes the same.
pub fn key_hash(term: &str) -> u32 {
    let key = if term.starts_with(':') {
        term
    } else {
        let end = term.char_indices().nth(3).map_or(term.len(), |(at, _)| at);
        &term[..end]
    };
    key.encode_utf16().fold(0x811c_9dc5_u32, |hash, unit| {
        (hash ^ u32::from(unit)).wrapping_mul(0x0100_0193)
    })
}

/// One term's documents, ascending, and the flags it has in each.
#[derive(Default, Clone)]
struct Postings {
    docs: Vec<u32>,
    flags: Vec<u8>,
}

impl Postings {
    fn push(&mut self, doc: u32, flags: u8) {
        if self.docs.last() == Some(&doc) {
            // Only the last can be the same document: documents come in order.
            if let Some(last) = self.flags.last_mut() {
                *last |= flags;
            }
        } else {
            self.docs.push(doc);
            self.flags.push(flags);
        }
    }

    /// The union with `other`, documents of both taking the flags of both.
    fn merge(&mut self, other: &Postings, flags: u8) {
        let mut merged = Postings::default();
        let (mut i, mut j) = (0, 0);
        while i < self.docs.len() || j < other.docs.len() {
            let a = self.docs.get(i).copied().unwrap_or(u32::MAX);
            let b = other.docs.get(j).copied().unwrap_or(u32::MAX);
            if a <= b {
                merged.push(a, self.flags[i]);
                i += 1;
            }
            if b <= a {
                merged.push(b, flags);
                j += 1;
            }
        }
        *self = merged;
    }

    /// The record of this term: its documents, then those it has each of [`FIELDS`] in.
    fn encode(&self, docs: usize, out: &mut Vec<u8>) {
        encode_set(self.docs.iter().copied(), self.docs.len(), docs, out);
        for field in FIELDS {
            let with = || {
                (self.docs.iter().zip(&self.flags))
                    .filter(move |(_, f)| *f & field != 0)
                    .map(|(d, _)| *d)
            };
            encode_set(with(), with().count(), docs, out);
        }
    }
}

/// A set of documents, ascending: a byte 0, the count and the gaps as LEB128 numbers (the
/// first gap from 0), or, where that is longer, a byte 1 and a bitmap of `docs` bits, least
/// significant bit first.
fn encode_set(set: impl Iterator<Item = u32> + Clone, len: usize, docs: usize, out: &mut Vec<u8>) {
    let bitmap = docs.div_ceil(8);
    let mut list = Vec::with_capacity(len * 2 + 4);
    push_number(&mut list, len as u32);
    let mut last = 0;
    for doc in set.clone() {
        push_number(&mut list, doc - last);
        last = doc;
        if list.len() > bitmap {
            break;
        }
    }
    if list.len() <= bitmap {
        out.push(0);
        out.extend_from_slice(&list);
        return;
    }
    out.push(1);
    let start = out.len();
    out.resize(start + bitmap, 0);
    for doc in set {
        out[start + (doc / 8) as usize] |= 1 << (doc % 8);
    }
}

/// `n` as LEB128: seven bits a byte, least significant first, the high bit set on all but
/// the last.
fn push_number(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Other names of a partner that find its entries: the folded words of its id and aliases,
/// and the filter term of its entries (`:p:<id>`).
pub struct OtherNames {
    pub filter: String,
    pub words: Vec<String>,
}

/// The shards' files' bodies, by shard: `gazetteSearch.shard(<n>,"<base64>");`. `terms` are
/// the documents' terms, newest first. With `parallel`, shards are encoded on rayon's
/// threads (not inside a `serve` file made lazily, which must not use rayon).
pub fn build(terms: &[&Terms], others: &[OtherNames], parallel: bool) -> Vec<bytes::Bytes> {
    let mut gather = Gather::default();
    for terms in terms {
        gather.add(terms);
    }
    gather.finish(others, parallel)
}

/// The postings of documents' terms, gathered a document at a time, newest first: each
/// document's terms can be dropped once added.
#[derive(Default)]
pub struct Gather {
    docs: u32,
    postings: HashMap<Box<str>, Postings>,
}

impl Gather {
    /// Adds the next document's terms.
    pub fn add(&mut self, terms: &Terms) {
        let doc = self.docs;
        self.docs += 1;
        for (term, flags) in terms.iter() {
            match self.postings.get_mut(term) {
                Some(list) => list.push(doc, flags),
                None => {
                    let mut list = Postings::default();
                    list.push(doc, flags);
                    self.postings.insert(term.into(), list);
                }
            }
        }
    }

    /// The shards' files' bodies ([`build`]).
    pub fn finish(self, others: &[OtherNames], parallel: bool) -> Vec<bytes::Bytes> {
        let docs = self.docs as usize;
        let shards = count(docs);
        let postings = self.postings;
        let mut extra: HashMap<String, Postings> = HashMap::default();
        for other in others {
            let Some(named) = postings.get(other.filter.as_str()) else {
                continue;
            };
            for word in &other.words {
                let into = (extra.entry(word.clone()))
                    .or_insert_with(|| postings.get(word.as_str()).cloned().unwrap_or_default());
                into.merge(named, NAME);
            }
        }
        let mut by_shard: Vec<Vec<(&str, &Postings)>> = vec![Vec::new(); shards];
        for (term, list) in &postings {
            if !extra.contains_key(&**term) {
                by_shard[key_hash(term) as usize % shards].push((term, list));
            }
        }
        for (term, list) in &extra {
            by_shard[key_hash(term) as usize % shards].push((term.as_str(), list));
        }
        encode_shards(by_shard, docs, parallel)
    }
}

/// Each shard's terms, in any order, encoded as its file's body.
fn encode_shards(
    by_shard: Vec<Vec<(&str, &Postings)>>,
    docs: usize,
    parallel: bool,
) -> Vec<bytes::Bytes> {
    let encode = |(n, mut terms): (usize, Vec<(&str, &Postings)>)| {
        terms.sort_unstable_by_key(|(term, _)| *term);
        let mut data = Vec::new();
        let mut record = Vec::new();
        for (term, list) in terms {
            push_number(&mut data, term.len() as u32);
            data.extend_from_slice(term.as_bytes());
            record.clear();
            list.encode(docs, &mut record);
            push_number(&mut data, record.len() as u32);
            data.extend_from_slice(&record);
        }
        let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
        bytes::Bytes::from(format!("gazetteSearch.shard({n},\"{encoded}\");\n"))
    };
    if parallel {
        by_shard.into_par_iter().enumerate().map(encode).collect()
    } else {
        by_shard.into_iter().enumerate().map(encode).collect()
    }
}

/// What a shard's identity is made of in `serve`: for each shard, a digest of the documents
/// whose terms are in it (position and digest), and of `site` (what every shard depends
/// on). Two shards of the same identity hold the same bytes.
pub fn identities(rows: &[(&Terms, u64)], site: u64) -> Arc<[u64]> {
    let shards = count(rows.len());
    let mut identity = vec![site; shards];
    for (doc, (terms, digest)) in rows.iter().enumerate() {
        let mark = crate::digest::of((doc, digest));
        for key in terms.keys() {
            let slot = &mut identity[*key as usize % shards];
            *slot = slot.rotate_left(5) ^ mark;
        }
    }
    identity.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_set(bytes: &[u8], docs: usize) -> (Vec<u32>, usize) {
        if bytes[0] == 1 {
            let map = &bytes[1..1 + docs.div_ceil(8)];
            let set = (0..docs as u32)
                .filter(|d| map[(*d / 8) as usize] & (1 << (d % 8)) != 0)
                .collect();
            return (set, 1 + docs.div_ceil(8));
        }
        let mut at = 1;
        let mut number = || {
            let (mut n, mut shift) = (0u32, 0);
            loop {
                let b = bytes[at];
                at += 1;
                n |= u32::from(b & 0x7f) << shift;
                shift += 7;
                if b < 0x80 {
                    return n;
                }
            }
        };
        let len = number();
        let mut last = 0;
        let set = (0..len)
            .map(|_| {
                last += number();
                last
            })
            .collect();
        (set, at)
    }

    #[test]
    fn a_sparse_set_is_a_list_and_a_dense_one_a_bitmap() {
        for (set, docs, tag) in [
            (vec![3, 200, 70_000], 100_000, 0),
            ((0..1000).step_by(3).collect::<Vec<u32>>(), 1000, 1),
            (vec![], 10, 0),
        ] {
            let mut out = Vec::new();
            encode_set(set.iter().copied(), set.len(), docs, &mut out);
            assert_eq!(out[0], tag, "{set:?}");
            assert_eq!(decode_set(&out, docs), (set, out.len()));
        }
    }

    #[test]
    fn a_prefix_of_three_characters_keeps_a_word_in_its_shard() {
        assert_eq!(key_hash("washington"), key_hash("was"));
        assert_eq!(key_hash("ค้ามนุษย์"), key_hash("ค้า"));
        assert_ne!(key_hash(":p:iom"), key_hash(":p:ilo"));
        // FNV-1a of "was", as `search.js` computes it.
        assert_eq!(key_hash("was"), 0x16e2_c1f2);
    }

    #[test]
    fn other_names_find_the_partners_entries_with_their_own() {
        let terms = |pairs: &[(&str, u8)]| {
            Terms::new(pairs.iter().map(|(t, f)| (t.to_string(), *f)).collect())
        };
        let docs = [
            terms(&[("cybertip", 0), (":p:ncmec", 0)]),
            terms(&[("other", 0)]),
            terms(&[(":p:ncmec", 0)]),
        ];
        let refs: Vec<&Terms> = docs.iter().collect();
        let others = [OtherNames {
            filter: ":p:ncmec".into(),
            words: vec!["cybertip".into()],
        }];
        let files = build(&refs, &others, false);
        assert_eq!(files.len(), 1);
        let text = std::str::from_utf8(&files[0]).unwrap();
        let encoded = text
            .trim_start_matches("gazetteSearch.shard(0,\"")
            .trim_end_matches("\");\n");
        let data = base64::engine::general_purpose::STANDARD
            .decode(encoded)
            .unwrap();
        // Terms in order: ":p:ncmec", "cybertip", "other"; the second's documents are 0
        // and 2, named in 2 only through the partner.
        let find = |term: &str| {
            let at = data
                .windows(term.len())
                .position(|w| w == term.as_bytes())
                .unwrap();
            let record = &data[at + term.len() + 1..];
            decode_set(record, 3).0
        };
        assert_eq!(find("cybertip"), [0, 2]);
        assert_eq!(find("other"), [1]);
    }
}
