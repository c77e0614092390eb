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

/// The year of the newest of the entries in `texts` (`date: YYYY-…`, as the corpus writes
/// them).
pub fn last_year<'t>(texts: impl IntoIterator<Item = &'t str>) -> u16 {
    texts
        .into_iter()
        .filter_map(|text| {
            let at = text.find("\ndate: ")? + "\ndate: ".len();
            text.get(at..at + 4)?.parse().ok()
        })
        .max()
        .unwrap_or(2025)
}

/// `text` dated the last day of `year`: at the top of every list it is in, as a writer's new
/// entry usually is.
pub fn dated_last_day_of(text: &str, year: u16) -> String {
    let at = text.find("\ndate: ").expect("a date") + "\ndate: ".len();
    let mut text = text.to_string();
    text.replace_range(at..at + 10, &format!("{year}-12-31"));
    text
}
