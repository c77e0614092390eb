//! Edits of the corpus's entries, for the programs that time rebuilds.

/// `text` with its first partner (`  - Partner Organisation NNN`, as the corpus writes them)
/// replaced by another of the `partners` registered that it does not name yet.
pub fn another_partner(text: &str, i: usize, partners: usize) -> String {
    const ITEM: &str = "\n  - Partner Organisation ";
    let at = text
        .find(ITEM)
        .expect("an entry of the corpus names a partner")
        + ITEM.len();
    let mut n = i * 37;
    let name = loop {
        let name = format!("Partner Organisation {:03}", n % partners);
        if !text.contains(&format!("{name}\n")) {
            break name;
        }
        n += 1;
    };
    let end = at + text[at..].find('\n').unwrap_or(text.len() - at);
    format!(
        "{}{}{}",
        &text[..at - "Partner Organisation ".len()],
        name,
        &text[end..]
    )
}

/// `text` with its first topic (in `topics: [a, b]`, as the corpus writes them) replaced by
/// another of `topics` that it does not name yet.
pub fn another_topic(text: &str, i: usize, topics: &[&str]) -> String {
    const LIST: &str = "\ntopics: [";
    let at = text
        .find(LIST)
        .expect("an entry of the corpus names topics")
        + LIST.len();
    let end = at + text[at..].find([',', ']']).unwrap_or(0);
    let named = &text[at..at + text[at..].find(']').unwrap_or(0)];
    let mut n = i * 7;
    let topic = loop {
        let topic = topics[n % topics.len()];
        if !named.split(", ").any(|t| t == topic) {
            break topic;
        }
        n += 1;
    };
    format!("{}{}{}", &text[..at], topic, &text[end..])
}

/// `text` with its kind switched between the corpus's two: an engagement becomes a press
/// release, a press release an engagement.
pub fn another_kind(text: &str) -> String {
    let (from, to) = ("kind: engagement\n", "kind: press-release\n");
    match text.contains(from) {
        true => text.replacen(from, to, 1),
        false => text.replacen(to, from, 1),
    }
}
