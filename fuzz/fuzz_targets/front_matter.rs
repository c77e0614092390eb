//! Front matter: `split`, `parse` and `parse_date` on any text, as `content::load` calls them.
//!
//! Never panics; the split is a true cut of the text; every diagnostic formats and points at a
//! line of the file; every date field that parses gives a real date in the site's zone; where
//! the reader of plain lines gives front matter, the YAML parser gives the same.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use gazette::content::frontmatter;
use libfuzzer_sys::fuzz_target;

fn zones() -> &'static [jiff::tz::TimeZone] {
    static ZONES: OnceLock<Vec<jiff::tz::TimeZone>> = OnceLock::new();
    ZONES.get_or_init(|| {
        ["UTC", "Asia/Bangkok", "America/New_York", "Pacific/Chatham"]
            .iter()
            .map(|name| jiff::tz::TimeZone::get(name).expect("bundled zone"))
            .collect()
    })
}

fn check_diagnostic(text: &str, diagnostic: &gazette::diagnostic::Diagnostic) {
    let shown = diagnostic.to_string();
    assert!(shown.starts_with("error: ") || shown.starts_with("warning: "));
    if diagnostic.line > 0 {
        assert!(
            diagnostic.line <= text.lines().count().max(1) + 1,
            "line {} of a {}-line file: {shown}",
            diagnostic.line,
            text.lines().count()
        );
    }
}

fn check_date(value: &str, tz: &jiff::tz::TimeZone) {
    if let Ok((zoned, has_time)) = frontmatter::parse_date(value, tz) {
        let when = gazette::model::When::new(&zoned, has_time, tz);
        assert!((1..=12).contains(&when.month));
        assert!((1..=31).contains(&when.day));
        assert_eq!(when.date.len() >= 10, true, "{}", when.date);
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else {
        return;
    };
    // What `content::load` does before splitting.
    let text = raw
        .strip_prefix('\u{feff}')
        .unwrap_or(raw)
        .replace("\r\n", "\n");
    let file = Path::new("content/fuzz.md");
    for tz in zones() {
        check_date(&text, tz);
        if let Some(line) = text.lines().next() {
            check_date(line, tz);
        }
    }
    let split = match frontmatter::split(file, &text) {
        Ok(split) => split,
        Err(diagnostic) => return check_diagnostic(&text, &diagnostic),
    };
    // The split is a cut of the text: YAML and body are parts of it, in order.
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let body_start = split.body.as_ptr() as usize - text.as_ptr() as usize;
    assert!(yaml_start + split.yaml.len() <= body_start);
    assert_eq!(body_start + split.body.len(), text.len());
    // The body starts on the line after the closing `---` (one past the end when that line
    // is the last and has no line break).
    if !split.body.is_empty() {
        assert_eq!(
            split.body_line,
            text[..body_start].matches('\n').count() + 1,
            "body line"
        );
    }
    if let Some(plain) = gazette::content::plain::parse(split.yaml) {
        let yaml = gazette::yaml::parse::<frontmatter::FrontMatter>(split.yaml);
        assert_eq!(yaml.as_ref().ok(), Some(&plain), "{:?}", split.yaml);
    }
    let front = match frontmatter::parse(file, &text, &split) {
        Ok(front) => front,
        Err(diagnostic) => return check_diagnostic(&text, &diagnostic),
    };
    let _ = frontmatter::check_slug(front.slug.as_ref().map_or("", |s| s.value.as_str()));
    let tz = &zones()[1];
    check_date(&front.date.value, tz);
    if let Some(at) = &front.publish_at {
        check_date(&at.value, tz);
    }
    for update in &front.updates {
        check_date(&update.date.value, tz);
    }
});
