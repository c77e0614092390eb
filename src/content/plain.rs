//! Front matter written in plain lines, read without the YAML parser.
//!
//! Nearly every entry's front matter is a few `field: value` lines and lists of names, which
//! the YAML parser takes about 30 µs to read. [`parse`] reads that shape itself, in about a
//! microsecond, and gives up (`None`) on anything else: quotes, comments, tabs, anchors,
//! `source`, `updates`, `withdrawn`, `extra`, an unknown or repeated field, a value YAML could read as
//! something other than the text written. The YAML parser then reads the file, and reports
//! any problem. Where `parse` gives an answer, it is the one the YAML parser gives, locations
//! included (`tests::plain_lines_read_as_yaml_reads_them` checks that on generated front
//! matter).

use super::frontmatter::{FrontMatter, Location, Spanned};

/// The front matter in `yaml`, or `None` when it is not written in plain lines.
pub fn parse(yaml: &str) -> Option<FrontMatter> {
    // Far beyond any real front matter, and far below the parser's limits on size and nodes
    // (64 MiB, 250,000), which it reports as errors.
    if yaml.len() > LONGEST {
        return None;
    }
    let mut front = Fields::default();
    // Split at `\n` only: a `\r` stays in its line, where `printable` refuses it.
    let mut lines = yaml.split('\n').zip(1..).peekable();
    while let Some((line, number)) = lines.next() {
        if line.is_empty() {
            continue;
        }
        if !line.chars().all(printable) {
            return None;
        }
        let (key, rest) = line.split_once(':')?;
        if key.is_empty() || !key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
            return None;
        }
        let after = key.len() + 1;
        match key {
            "title" => set(&mut front.title, scalar(line, after, number)?)?,
            "date" => set(&mut front.date, scalar(line, after, number)?)?,
            "kind" => set(&mut front.kind, scalar(line, after, number)?)?,
            "slug" => set(&mut front.slug, scalar(line, after, number)?)?,
            "publish_at" => set(&mut front.publish_at, scalar(line, after, number)?)?,
            "location" => set(&mut front.location, scalar(line, after, number)?.value)?,
            "summary" => set(&mut front.summary, scalar(line, after, number)?.value)?,
            "reference" => set(&mut front.reference, scalar(line, after, number)?.value)?,
            "draft" => {
                // Spaces only: YAML keeps other white space (U+00A0, U+3000) in the value.
                let value = rest.trim_end_matches(' ').strip_prefix(' ')?;
                let draft = match value.trim_start_matches(' ') {
                    "true" => true,
                    "false" => false,
                    _ => return None,
                };
                set(&mut front.draft, draft)?;
            }
            "partners" | "topics" | "aliases" => {
                let list = if rest.trim_end_matches(' ').is_empty() {
                    block_list(&mut lines)?
                } else {
                    flow_list(line, after, number)?
                };
                let field = match key {
                    "partners" => &mut front.partners,
                    "topics" => &mut front.topics,
                    _ => &mut front.aliases,
                };
                set(field, list)?;
            }
            _ => return None,
        }
    }
    Some(FrontMatter {
        title: front.title?,
        date: front.date?,
        kind: front.kind,
        partners: front.partners.unwrap_or_default(),
        topics: front.topics.unwrap_or_default(),
        location: front.location,
        summary: front.summary,
        source: None,
        slug: front.slug,
        draft: front.draft.unwrap_or(false),
        publish_at: front.publish_at,
        updates: Vec::new(),
        withdrawn: None,
        attachments: Vec::new(),
        image: None,
        reference: front.reference,
        aliases: front.aliases.unwrap_or_default(),
        extra: None,
    })
}

/// The longest front matter read here, in bytes.
const LONGEST: usize = 64 * 1024;

/// The fields seen so far, each at most once.
#[derive(Default)]
struct Fields {
    title: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    kind: Option<Spanned<String>>,
    slug: Option<Spanned<String>>,
    publish_at: Option<Spanned<String>>,
    location: Option<String>,
    summary: Option<String>,
    reference: Option<String>,
    draft: Option<bool>,
    partners: Option<Vec<Spanned<String>>>,
    topics: Option<Vec<Spanned<String>>>,
    aliases: Option<Vec<Spanned<String>>>,
}

/// Sets a field seen for the first time; `None` for a repeated one.
fn set<T>(field: &mut Option<T>, value: T) -> Option<()> {
    match field {
        Some(_) => None,
        None => {
            *field = Some(value);
            Some(())
        }
    }
}

/// Characters that may stand anywhere in a plain line: printable ASCII but tabs, and the
/// characters of the Basic Multilingual Plane from U+00A0 that YAML does not treat otherwise.
/// Line and paragraph separators, the byte order mark, U+FFFE and U+FFFF, and (to stay sure
/// of the columns) every character beyond U+FFFF are left to the parser.
fn printable(c: char) -> bool {
    matches!(c, ' '..='~')
        || (c >= '\u{a0}' && !matches!(c, '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}'..))
}

/// The value from byte `at` of `line` (after `key:` or `-`) as a plain scalar: a space, then
/// text that YAML reads as itself.
fn scalar(line: &str, at: usize, number: usize) -> Option<Spanned<String>> {
    let value = line[at..].strip_prefix(' ')?.trim_start_matches(' ');
    let start = line.len() - value.len();
    let value = value.trim_end_matches(' ');
    if !is_plain(value, false) {
        return None;
    }
    Some(span(value.to_string(), column(line, start), number))
}

/// Whether YAML reads `text` as the string `text`, in a block or (`flow`) in a `[...]` list.
fn is_plain(text: &str, flow: bool) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    // Indicators that start something else (the first four start plain text only when a
    // non-space follows; left to the parser).
    let indicator = matches!(
        first,
        '-' | '?'
            | ':'
            | ','
            | '['
            | ']'
            | '{'
            | '}'
            | '#'
            | '&'
            | '*'
            | '!'
            | '|'
            | '>'
            | '\''
            | '"'
            | '%'
            | '@'
            | '`'
    );
    let null = matches!(text, "null" | "Null" | "NULL" | "~");
    let breaks = text.contains(": ") || text.ends_with(':') || text.contains(" #");
    let flow_breaks = flow && text.contains([',', '[', ']', '{', '}', ':', '#']);
    !(indicator || null || breaks || flow_breaks)
}

/// `[a, b, c]` after `key:` on `line`, the text of the list starting at byte `at`.
fn flow_list(line: &str, at: usize, number: usize) -> Option<Vec<Spanned<String>>> {
    let rest = &line[at..];
    let value = rest.strip_prefix(' ')?.trim_start_matches(' ');
    let open = line.len() - value.len();
    let inner = value
        .trim_end_matches(' ')
        .strip_prefix('[')?
        .strip_suffix(']')?;
    let mut items = Vec::new();
    if inner.trim_matches(' ').is_empty() {
        return Some(items);
    }
    let mut offset = open + 1;
    for item in inner.split(',') {
        let start = offset + (item.len() - item.trim_start_matches(' ').len());
        let text = item.trim_matches(' ');
        if !is_plain(text, true) {
            return None;
        }
        items.push(span(text.to_string(), column(line, start), number));
        offset += item.len() + 1;
    }
    Some(items)
}

/// The lines `- item` after `key:`, all at the indentation of the first, up to the next
/// field. At least one.
fn block_list<'a>(
    lines: &mut std::iter::Peekable<impl Iterator<Item = (&'a str, usize)>>,
) -> Option<Vec<Spanned<String>>> {
    let mut items = Vec::new();
    let mut indent = None;
    while let Some(&(line, number)) = lines.peek() {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if !line[spaces..].starts_with('-') {
            // A field or an empty line ends the list (the main loop reads what follows);
            // anything else is left to the parser.
            if spaces == 0 && !items.is_empty() {
                break;
            }
            return None;
        }
        if *indent.get_or_insert(spaces) != spaces || !line.chars().all(printable) {
            return None;
        }
        items.push(scalar(line, spaces + 1, number)?);
        lines.next();
    }
    (!items.is_empty()).then_some(items)
}

/// The 1-based column, in characters, of byte `at` of `line`.
fn column(line: &str, at: usize) -> usize {
    match line.get(..at) {
        Some(before) if before.is_ascii() => at + 1,
        Some(before) => before.chars().count() + 1,
        None => 0,
    }
}

fn span(value: String, column: usize, line: usize) -> Spanned<String> {
    let at = Location { line, column };
    Spanned {
        value,
        referenced: at,
        defined: at,
    }
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::content::frontmatter::{FrontMatter, Location};
    use proptest::prelude::*;

    fn read_as_yaml(yaml: &str) -> Option<FrontMatter> {
        crate::yaml::parse::<FrontMatter>(yaml).ok()
    }

    #[test]
    fn an_entry_of_plain_lines_is_read_with_its_locations() {
        let yaml = "title: Visit to สงขลา, day 2\ndate:   2024-03-05  \nkind: engagement\n\
                    partners:\n  - Harbour Board\n  -  ไทย Office\ntopics: [ports,  labour law ]\n\
                    draft: false\n\naliases:\n- /old/\nlocation: Songkhla\n";
        let front = parse(yaml).expect("plain lines");
        assert_eq!(front.title.value, "Visit to สงขลา, day 2");
        assert_eq!(front.date.value, "2024-03-05");
        assert_eq!(front.date.referenced, Location { line: 2, column: 9 });
        let partners: Vec<_> = front
            .partners
            .iter()
            .map(|p| (p.value.as_str(), p.referenced.line, p.referenced.column))
            .collect();
        assert_eq!(partners, [("Harbour Board", 5, 5), ("ไทย Office", 6, 6)]);
        let topics: Vec<_> = front
            .topics
            .iter()
            .map(|t| (t.value.as_str(), t.referenced.column))
            .collect();
        assert_eq!(topics, [("ports", 10), ("labour law", 18)]);
        assert_eq!(front.aliases[0].value, "/old/");
        assert_eq!(front.location.as_deref(), Some("Songkhla"));
        assert_eq!(Some(front), read_as_yaml(yaml));
    }

    #[test]
    fn anything_else_is_left_to_the_yaml_parser() {
        let others = [
            "title: 'quoted'\ndate: 2024-01-01\n",
            "title: x # comment\ndate: 2024-01-01\n",
            "title: x\ndate: 2024-01-01\ntitle: y\n",
            "title: x\ndate: 2024-01-01\nsource:\n  name: Paper\n",
            "title: x\ndate: 2024-01-01\nupdates: []\n",
            "title: x\ndate: 2024-01-01\nextra: {a: 1}\n",
            "title: x\ndate: 2024-01-01\ntitel: y\n",
            "title: a long\n  title\ndate: 2024-01-01\n",
            "title: x\ndate: 2024-01-01\nsummary: null\n",
            "title: x\ndate: 2024-01-01\nkind: ~\n",
            "title: x\ndate: 2024-01-01\nsummary:\n",
            "title: x\ndate: 2024-01-01\ndraft: True\n",
            "title: x\ndate: 2024-01-01\ndraft: \u{a0}true\n",
            "title: x\ndate: 2024-01-01\ndraft: \u{3000}false\n",
            "title: x 😀\ndate: 2024-01-01\n",
            "title: x\ndate: 2024-01-01\npartners:\n",
            "title: x\ndate: 2024-01-01\npartners: [a, [b]]\n",
            "title: x\ndate: 2024-01-01\npartners:\n  - a\n   - b\n",
            "title: x\ndate: 2024-01-01\npartners:\n  - a\n\n  - b\n",
            "title: x\ndate:\t2024-01-01\n",
            "title: x\rdate: 2024-01-01\n",
            "title: &t x\ndate: 2024-01-01\n",
            "title: x\n",
            "date: 2024-01-01\n",
        ];
        for yaml in others {
            assert!(parse(yaml).is_none(), "{yaml:?}");
        }
        // Past the parser's limit of 250,000 nodes, which it reports.
        let long = format!(
            "title: x\ndate: 2024-01-01\ntopics: [{}]\n",
            ["a"; 250_000].join(",")
        );
        assert!(parse(&long).is_none());
    }

    /// Pieces of values: mostly text YAML reads as itself, some that it reads otherwise.
    fn piece() -> impl Strategy<Value = String> {
        prop_oneof![
            24 => "[A-Za-z0-9][A-Za-z0-9 ./()'-]{0,6}",
            4 => "[A-Za-z0-9][A-Za-z#:]{0,3}",
            2 => Just("ไทย สงขลา".to_string()),
            1 => Just("é".to_string()),
            1 => Just("2024-03-05".to_string()),
            1 => Just("123".to_string()),
            1 => Just("true".to_string()),
            1 => Just("null".to_string()),
            1 => Just("~".to_string()),
            1 => Just(" #c".to_string()),
            1 => Just(":".to_string()),
            1 => "[ -~]{1,3}",
            1 => "[a-z:#,\\-\\[\\]{}'\"&*!|>%@` ]{1,4}",
            1 => "[\t\u{85}\u{a0}\u{2028}\u{feff}\u{ffff}x]{1,2}",
        ]
    }

    fn value() -> impl Strategy<Value = String> {
        prop::collection::vec(piece(), 1..3).prop_map(|pieces| pieces.concat())
    }

    fn spaces() -> impl Strategy<Value = String> {
        prop_oneof![6 => Just(" ".to_string()), 1 => "[ ]{0,3}"]
    }

    /// A field's line or lines.
    fn field(key: &'static str) -> impl Strategy<Value = String> {
        let flow = prop::collection::vec((spaces(), value(), spaces()), 0..4).prop_map(|items| {
            let items: Vec<String> = items.into_iter().map(|(a, v, b)| a + &v + &b).collect();
            format!("[{}]", items.join(","))
        });
        let block = (
            prop_oneof![Just(0usize), Just(2), Just(3)],
            prop::collection::vec((spaces(), value(), spaces()), 1..4),
        )
            .prop_map(|(indent, items)| {
                let mut text = String::new();
                for (a, v, b) in items {
                    text.push('\n');
                    text.push_str(&" ".repeat(indent));
                    text.push('-');
                    text.push_str(&a);
                    text.push_str(&v);
                    text.push_str(&b);
                }
                text
            });
        // Mostly the body the field takes, sometimes another.
        let (scalar, boolean, list) = match key {
            "draft" => (1, 12, 1),
            "partners" | "topics" | "aliases" => (1, 1, 12),
            _ => (12, 1, 1),
        };
        let body = prop_oneof![
            scalar => (spaces(), value(), spaces()).prop_map(|(a, v, b)| a + &v + &b),
            boolean => prop_oneof![Just(" true"), Just(" false"), Just(" False")]
                .prop_map(String::from),
            list => (spaces(), flow).prop_map(|(a, f)| a + &f),
            list => block,
        ];
        body.prop_map(move |body| format!("{key}:{body}"))
    }

    fn front_matter() -> impl Strategy<Value = String> {
        const KEYS: &[&str] = &[
            "kind",
            "slug",
            "publish_at",
            "location",
            "summary",
            "reference",
            "draft",
            "partners",
            "topics",
            "aliases",
        ];
        let fields = prop::sample::subsequence(KEYS, 0..=KEYS.len())
            .prop_shuffle()
            .prop_flat_map(|keys| keys.into_iter().map(field).collect::<Vec<_>>());
        // Sometimes a field again, or one the plain lines leave to the parser.
        let other = prop::option::weighted(
            0.1,
            prop_oneof![
                field("title"),
                field("partners"),
                field("source"),
                field("Title"),
                field("updates"),
            ],
        );
        (
            value(),
            fields,
            other,
            prop::collection::vec(any::<bool>(), 12),
        )
            .prop_map(|(title, fields, other, blank)| {
                let mut yaml = format!("title: {title}\ndate: 2024-03-05\n");
                for (field, blank) in fields.iter().chain(&other).zip(blank) {
                    yaml.push_str(field);
                    yaml.push('\n');
                    if blank {
                        yaml.push('\n');
                    }
                }
                yaml
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6000))]
        #[test]
        fn plain_lines_read_as_yaml_reads_them(yaml in front_matter()) {
            if let Some(front) = parse(&yaml) {
                prop_assert_eq!(Some(front), read_as_yaml(&yaml), "{:?}", yaml);
            }
        }
    }
}
