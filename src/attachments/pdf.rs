//! A PDF's page count, read the way a careful person would by eye: the trailer's `/Root`
//! names the catalog, the catalog's `/Pages` names the page tree, whose `/Count` is the
//! number of pages. Objects are found by scanning for `N G obj` (the cross-reference table
//! is not trusted: hostile and damaged files get it wrong) and inside compressed object
//! streams, the latest definition of an object winning, as in an incrementally updated file.
//!
//! Bounded by construction: one linear pass over the file, no recursion, at most
//! [`MAX_INFLATED`] bytes inflated in all, and any answer outside 1..=[`MAX_PAGES`] is no
//! answer. Anything unexpected gives `None`, never a panic: the caller then shows only the
//! document's kind and size.

use std::collections::HashMap;
use std::io::Read;

/// The most bytes inflated from object streams, all streams together.
pub const MAX_INFLATED: u64 = 64 << 20;
/// The most objects one object stream may declare.
const MAX_MEMBERS: usize = 100_000;
/// A page count above this is taken for a lie.
pub const MAX_PAGES: u64 = 1_000_000;

/// The number of pages of the PDF in `bytes`, when it can be read.
pub fn page_count(bytes: &[u8]) -> Option<u32> {
    let head = &bytes[..bytes.len().min(1024)];
    find(head, b"%PDF-")?;
    let plain = scan_objects(bytes);
    let mut budget = MAX_INFLATED;
    let streams: Vec<Vec<u8>> = plain
        .iter()
        .filter(|(_, body)| is_object_stream(dictionary(body)))
        .filter_map(|(_, body)| inflate(body, &mut budget))
        .collect();
    let mut objects: HashMap<u32, &[u8]> = HashMap::new();
    for stream in &streams {
        objects.extend(stream_members(stream));
    }
    // Plain objects after those in streams: in an updated file they are usually the newer.
    objects.extend(
        plain
            .iter()
            .map(|&(number, body)| (number, dictionary(body))),
    );
    let root = last_reference(bytes, b"/Root")?;
    let catalog = objects.get(&root)?;
    let tree = reference(value_after(catalog, b"/Pages")?)?;
    let node = objects.get(&tree)?;
    if !value_after(node, b"/Type").is_some_and(|v| starts_with_name(v, b"/Pages")) {
        return None;
    }
    let (count, _) = integer(value_after(node, b"/Count")?)?;
    (1..=MAX_PAGES)
        .contains(&count)
        .then(|| u32::try_from(count).ok())
        .flatten()
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b'\0' | b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn is_delimiter(b: u8) -> bool {
    is_whitespace(b) || b"()<>[]{}/%".contains(&b)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn skip_whitespace(text: &[u8]) -> &[u8] {
    let start = text
        .iter()
        .position(|&b| !is_whitespace(b))
        .unwrap_or(text.len());
    &text[start..]
}

/// A non-negative integer at the start of `text` (after whitespace), and what follows it.
fn integer(text: &[u8]) -> Option<(u64, &[u8])> {
    let text = skip_whitespace(text);
    let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 || digits > 12 {
        return None;
    }
    let value = std::str::from_utf8(&text[..digits]).ok()?.parse().ok()?;
    Some((value, &text[digits..]))
}

/// The object number of a reference `N G R` at the start of `text`.
fn reference(text: &[u8]) -> Option<u32> {
    let (number, rest) = integer(text)?;
    let (_generation, rest) = integer(rest)?;
    let rest = skip_whitespace(rest);
    let ends = rest.len() == 1 || rest.get(1).is_some_and(|&b| is_delimiter(b));
    (rest.first() == Some(&b'R') && ends)
        .then(|| u32::try_from(number).ok())
        .flatten()
}

fn starts_with_name(text: &[u8], name: &[u8]) -> bool {
    text.starts_with(name) && text.get(name.len()).is_none_or(|&b| is_delimiter(b))
}

/// What follows the first key `key` (a name such as `/Count`) in `dictionary`.
fn value_after<'a>(dictionary: &'a [u8], key: &[u8]) -> Option<&'a [u8]> {
    let mut from = 0;
    while let Some(at) = find(&dictionary[from..], key) {
        let at = from + at;
        let rest = &dictionary[at..];
        if starts_with_name(rest, key) {
            return Some(skip_whitespace(&rest[key.len()..]));
        }
        from = at + key.len();
    }
    None
}

/// The object the last `key N G R` in `bytes` refers to: the newest trailer's.
fn last_reference(bytes: &[u8], key: &[u8]) -> Option<u32> {
    let mut found = None;
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], key) {
        let at = from + at;
        let rest = &bytes[at..];
        if starts_with_name(rest, key)
            && let Some(number) = reference(&rest[key.len()..])
        {
            found = Some(number);
        }
        from = at + key.len();
    }
    found
}

/// Every `N G obj … ` in the file, in order: its number and its body (up to `endobj`, or to
/// the next object when `endobj` is missing).
fn scan_objects(bytes: &[u8]) -> Vec<(u32, &[u8])> {
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(at) = find(&bytes[from..], b"obj") {
        let at = from + at;
        from = at + 3;
        if bytes.get(at + 3).is_some_and(|&b| !is_delimiter(b)) {
            continue;
        }
        if let Some(number) = object_number_before(&bytes[..at]) {
            starts.push((number, at + 3));
        }
    }
    let mut objects = Vec::with_capacity(starts.len());
    for (i, &(number, start)) in starts.iter().enumerate() {
        let next = starts.get(i + 1).map_or(bytes.len(), |&(_, s)| s);
        let body = &bytes[start..next];
        let body = find(body, b"endobj").map_or(body, |end| &body[..end]);
        objects.push((number, body));
    }
    objects
}

/// The `N` of `N G ` just before an `obj` keyword.
fn object_number_before(before: &[u8]) -> Option<u32> {
    let mut end = before.len();
    let mut numbers = [0u64; 2];
    for number in numbers.iter_mut().rev() {
        let spaces = before[..end]
            .iter()
            .rev()
            .take_while(|&&b| is_whitespace(b))
            .count();
        if spaces == 0 {
            return None;
        }
        end -= spaces;
        let digits = before[..end]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if digits == 0 || digits > 10 {
            return None;
        }
        *number = std::str::from_utf8(&before[end - digits..end])
            .ok()?
            .parse()
            .ok()?;
        end -= digits;
    }
    if end > 0 && !is_delimiter(before[end - 1]) {
        return None;
    }
    u32::try_from(numbers[0]).ok()
}

/// The dictionary part of an object's body: all of it but its stream.
fn dictionary(body: &[u8]) -> &[u8] {
    match find(body, b"stream") {
        Some(at) => &body[..at],
        None => body,
    }
}

fn is_object_stream(dictionary: &[u8]) -> bool {
    value_after(dictionary, b"/Type").is_some_and(|v| starts_with_name(v, b"/ObjStm"))
}

/// The inflated stream of an object stream's body, taking at most `budget` bytes from it.
fn inflate(body: &[u8], budget: &mut u64) -> Option<Vec<u8>> {
    let dictionary = dictionary(body);
    let start = dictionary.len() + b"stream".len();
    let data = body.get(start..)?;
    let data = data
        .strip_prefix(b"\r\n")
        .or_else(|| data.strip_prefix(b"\n"))
        .unwrap_or(data);
    let data = find(data, b"endstream").map_or(data, |end| &data[..end]);
    let filter = value_after(dictionary, b"/Filter");
    let mut out = Vec::new();
    if filter.is_some_and(|f| starts_with_name(f, b"/FlateDecode")) {
        let decoder = flate2::read::ZlibDecoder::new(data);
        // A damaged stream still gives what it inflated before the damage.
        let _ = decoder.take(*budget).read_to_end(&mut out);
    } else if filter.is_none() {
        out.extend_from_slice(&data[..data.len().min(*budget as usize)]);
    } else {
        return None;
    }
    *budget = budget.saturating_sub(out.len() as u64);
    Some(out)
}

/// The objects an inflated object stream holds: its header lists `number offset` pairs,
/// offsets counted from `/First`.
fn stream_members(stream: &[u8]) -> Vec<(u32, &[u8])> {
    // The dictionary is not at hand here: the header is read until it stops being pairs,
    // and the first object starts where the header ends.
    let mut pairs = Vec::new();
    let mut rest = stream;
    while pairs.len() < MAX_MEMBERS {
        let Some((number, after)) = integer(rest) else {
            break;
        };
        let Some((offset, after)) = integer(after) else {
            break;
        };
        pairs.push((number, offset));
        rest = after;
    }
    let first = stream.len() - skip_whitespace(rest).len();
    let mut members = Vec::new();
    for (i, &(number, offset)) in pairs.iter().enumerate() {
        let next = pairs.get(i + 1).map_or(u64::MAX, |&(_, o)| o);
        let start = first.saturating_add(offset as usize);
        let end = first.saturating_add(next.min(stream.len() as u64) as usize);
        if let (Ok(number), Some(body)) = (
            u32::try_from(number),
            stream.get(start..end.min(stream.len())),
        ) {
            members.push((number, body));
        }
    }
    members
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// A plain PDF of `pages` empty pages, as a simple writer makes it.
    pub(crate) fn simple_pdf(pages: u32) -> Vec<u8> {
        let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        pdf.extend(b"1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
        let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 3)).collect();
        pdf.extend(
            format!(
                "2 0 obj\n<< /Type /Pages /Kids [{}] /Count {pages} >>\nendobj\n",
                kids.join(" ")
            )
            .bytes(),
        );
        for i in 0..pages {
            pdf.extend(
                format!(
                    "{} 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>\nendobj\n",
                    i + 3
                )
                .bytes(),
            );
        }
        pdf.extend(b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 3 /Root 1 0 R >>\n");
        pdf.extend(b"startxref\n0\n%%EOF\n");
        pdf
    }

    fn deflate(data: &[u8]) -> Vec<u8> {
        let mut encoder =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    /// A PDF 1.5 whose catalog and page tree are in a compressed object stream and whose
    /// trailer is a cross-reference stream, as most current writers make them.
    fn compressed_pdf(pages: u32) -> Vec<u8> {
        let objects =
            format!("<< /Type /Catalog /Pages 2 0 R >> << /Type /Pages /Kids [] /Count {pages} >>");
        let second = objects.find("<< /Type /Pages").unwrap();
        let header = format!("1 0 2 {second} ");
        let data = deflate(format!("{header}{objects}").as_bytes());
        let mut pdf = b"%PDF-1.5\n".to_vec();
        pdf.extend(
            format!(
                "5 0 obj\n<< /Type /ObjStm /N 2 /First {} /Filter /FlateDecode /Length {} >>\nstream\n",
                header.len(),
                data.len()
            )
            .bytes(),
        );
        pdf.extend(&data);
        pdf.extend(b"\nendstream\nendobj\n");
        pdf.extend(b"6 0 obj\n<< /Type /XRef /Size 7 /Root 1 0 R /W [1 2 1] /Length 0 >>\nstream\n\nendstream\nendobj\nstartxref\n0\n%%EOF\n");
        pdf
    }

    #[test]
    fn a_plain_pdf_has_the_count_of_its_page_tree() {
        assert_eq!(page_count(&simple_pdf(1)), Some(1));
        assert_eq!(page_count(&simple_pdf(3)), Some(3));
        assert_eq!(page_count(&simple_pdf(120)), Some(120));
    }

    #[test]
    fn a_page_tree_in_a_compressed_object_stream_is_read() {
        assert_eq!(page_count(&compressed_pdf(7)), Some(7));
    }

    #[test]
    fn an_updated_pdf_has_the_count_of_its_newest_page_tree() {
        let mut pdf = simple_pdf(3);
        pdf.extend(b"2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>\nendobj\n");
        pdf.extend(b"trailer\n<< /Size 6 /Root 1 0 R /Prev 0 >>\n%%EOF\n");
        assert_eq!(page_count(&pdf), Some(2));
    }

    #[test]
    fn hostile_and_damaged_pdfs_give_no_count_and_no_panic() {
        let whole = simple_pdf(3);
        let edited = |from: &str, to: &str| {
            String::from_utf8_lossy(&whole)
                .replace(from, to)
                .into_bytes()
        };
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("empty", Vec::new()),
            ("not a pdf", b"<html>".to_vec()),
            ("header only", b"%PDF-1.7\n".to_vec()),
            ("cut before the trailer", whole[..whole.len() / 2].to_vec()),
            (
                "a count too large",
                edited("/Count 3", "/Count 99999999999"),
            ),
            ("a negative count", edited("/Count 3", "/Count -3")),
            (
                "a root that is not a catalog of pages",
                edited("/Root 1 0 R", "/Root 3 0 R"),
            ),
            (
                "a root that names no object",
                edited("/Root 1 0 R", "/Root 99 0 R"),
            ),
            ("object numbers too large", {
                let mut pdf =
                    b"%PDF-1.4\n99999999999 0 obj << >> endobj 4294967296 0 obj\n".to_vec();
                pdf.extend(b"trailer << /Root 4294967296 0 R >>");
                pdf
            }),
            ("a damaged object stream", {
                let mut pdf = compressed_pdf(7);
                let at = find(&pdf, b"stream\n").unwrap() + 12;
                pdf[at..at + 8].copy_from_slice(b"XXXXXXXX");
                pdf
            }),
        ];
        for (name, pdf) in cases {
            assert_eq!(page_count(&pdf), None, "{name}");
        }
    }

    #[test]
    fn a_flood_of_objects_without_ends_is_read_in_linear_time() {
        let mut pdf = b"%PDF-1.4\n".to_vec();
        for i in 0..200_000 {
            pdf.extend(format!("{i} 0 obj ").bytes());
        }
        pdf.extend(b"trailer << /Root 1 0 R >>");
        let started = std::time::Instant::now();
        assert_eq!(page_count(&pdf), None);
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
    }

    #[test]
    fn an_object_stream_bomb_is_inflated_only_up_to_the_budget() {
        let zeros = vec![b' '; 4 << 20];
        let data = deflate(&zeros);
        let mut pdf = b"%PDF-1.5\n".to_vec();
        for n in 0..3 {
            pdf.extend(
                format!(
                    "{n} 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode >> stream\n"
                )
                .bytes(),
            );
            pdf.extend(&data);
            pdf.extend(b"\nendstream endobj\n");
        }
        // Three streams of 4 MiB each against a budget of 10 MiB.
        let mut budget = 10 << 20;
        let plain = scan_objects(&pdf);
        let inflated: usize = plain
            .iter()
            .filter_map(|(_, body)| inflate(body, &mut budget))
            .map(|s| s.len())
            .sum();
        assert_eq!(inflated, 10 << 20);
        assert_eq!(budget, 0);
        assert_eq!(page_count(&pdf), None);
    }
}
