//! The hostile content suite: content written to break gazette or its readers.
//!
//! Every case builds a site with the real binary (`--now` fixed, output into a temporary
//! folder) under a time limit, so a hang fails the test instead of blocking CI, and asserts
//! either a correct site or a clear error. Large inputs are generated here, never committed.
//!
//! - XSS: each vector is put into every text field an author controls (title, partner names
//!   registered and not, aliases, country, description, location, summary, topics, source,
//!   reference, update notes, body) and must not come out live in any page, feed or export:
//!   [`html_scan`] reads every page as a browser would (html5ever's tokenizer) and reports
//!   scripts holding the payload's marker, event handlers, `javascript:`/`data:` URLs and
//!   embedding elements; the exports must give the text back exactly.
//! - Resource attacks: YAML alias bombs, 100,000-deep nesting, a 50 MB entry, 20,000 entries,
//!   10,000 partners: bounded time and peak memory.
//! - Odd text and files: names of only emoji or punctuation, NUL bytes, invalid UTF-8, a file
//!   that is a dangling link, unreadable or a FIFO.

mod html_scan;

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{NOW, ics_values};

use html_scan::Scope;

/// The binary under test: this test run's, or `GAZETTE_BIN` (a release build, for the full-size
/// figures in docs/reliability.md).
fn binary() -> String {
    std::env::var("GAZETTE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_gazette").to_string())
}

/// A site in a temporary folder: `site/` and the output `out/`.
struct Site {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
}

/// What one build did.
#[derive(Debug)]
struct Outcome {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    elapsed: Duration,
    /// Peak resident memory of the build in KiB (VmHWM, read while it runs; 0 if unknown).
    peak_kib: u64,
}

impl Outcome {
    fn assert_success(&self) -> &Self {
        assert_eq!(
            self.code,
            Some(0),
            "the build failed:\n{}\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// A clear failure: exit code 1 and an `error:` naming `file` with `message`.
    fn assert_content_error(&self, file: &str, message: &str) -> &Self {
        assert_eq!(
            self.code,
            Some(1),
            "expected a content error:\n{}\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stderr.contains("error: ") && self.stderr.contains(message),
            "no `{message}` in:\n{}",
            self.stderr
        );
        assert!(
            self.stderr.contains(file),
            "the error does not name `{file}`:\n{}",
            self.stderr
        );
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }
}

impl Site {
    fn new() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("gazette-hostile-")
            .tempdir()
            .unwrap();
        let root = tmp.path().join("site");
        let out = tmp.path().join("out");
        fs::create_dir_all(root.join("content")).unwrap();
        fs::write(
            root.join("site.yaml"),
            "title: Hostile\nbase_url: https://example.org/\n",
        )
        .unwrap();
        Site {
            _tmp: tmp,
            root,
            out,
        }
    }

    fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// `gazette build` under a time limit; the child is killed (and the test fails) when it
    /// runs longer.
    fn build(&self, limit: Duration) -> Outcome {
        let logs = self.root.parent().unwrap();
        let stdout = fs::File::create(logs.join("stdout")).unwrap();
        let stderr = fs::File::create(logs.join("stderr")).unwrap();
        let started = Instant::now();
        let mut child = Command::new(binary())
            .args(["build", "--now", NOW, "--site"])
            .arg(&self.root)
            .arg("--output")
            .arg(&self.out)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .expect("cannot run gazette");
        let status_file = format!("/proc/{}/status", child.id());
        let mut peak_kib = 0;
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if let Ok(status) = fs::read_to_string(&status_file)
                && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
            {
                let kib: u64 = line
                    .split_whitespace()
                    .nth(1)
                    .and_then(|n| n.parse().ok())
                    .unwrap_or(0);
                peak_kib = peak_kib.max(kib);
            }
            if started.elapsed() > limit {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "gazette build did not finish within {limit:?}: it hangs\n{}",
                    fs::read_to_string(logs.join("stderr")).unwrap_or_default()
                );
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        Outcome {
            code: status.code(),
            stdout: fs::read_to_string(logs.join("stdout")).unwrap_or_default(),
            stderr: fs::read_to_string(logs.join("stderr")).unwrap_or_default(),
            elapsed: started.elapsed(),
            peak_kib,
        }
    }

    /// Every output file, path relative to the output folder.
    fn outputs(&self) -> Vec<(String, Vec<u8>)> {
        let mut files = Vec::new();
        let mut stack = vec![self.out.clone()];
        while let Some(dir) = stack.pop() {
            for item in fs::read_dir(&dir).unwrap() {
                let path = item.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else {
                    let rel = path.strip_prefix(&self.out).unwrap();
                    files.push((rel.to_string_lossy().into_owned(), fs::read(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }

    fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// Prints a case's figures (shown with `--nocapture`; docs/reliability.md quotes them).
fn report(case: &str, outcome: &Outcome) {
    eprintln!(
        "{case}: exit {:?} in {:.2?}, peak {} MiB\n{}",
        outcome.code,
        outcome.elapsed,
        outcome.peak_kib / 1024,
        outcome.stderr.lines().next().unwrap_or("")
    );
}

/// A YAML double-quoted scalar holding exactly `text` (JSON strings are YAML scalars).
fn yaml(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

// ---------------------------------------------------------------------------------------
// XSS vectors

/// Puts `payload` (with `MARK` replaced by a marker unique to the case) into every field an
/// author controls, builds, and checks every output.
fn check_vector(name: &str, payload: &str) {
    let marker = format!("xss_{name}(1)");
    let p = payload.replace("MARK", &marker);
    let site = Site::new();
    site.write(
        "content/partners.yaml",
        format!(
            "- id: registered\n  name: {}\n  aliases: [{}]\n  country: {}\n  description: {}\n",
            yaml(&format!("R {p}")),
            yaml(&format!("A {p}")),
            yaml(&p),
            yaml(&p),
        ),
    );
    let title = format!("T {p}");
    site.write(
        "content/a.md",
        format!(
            "---\ntitle: {title}\ndate: 2022-05-24\nlocation: {loc}\nsummary: {loc}\npartners: [{unreg}, {reg}]\ntopics: [{topic}]\nsource: {{name: {loc}}}\nreference: {loc}\nupdates: [{{date: 2022-06-01, note: {loc}}}]\n---\n{p}\n\n# Heading {p}\n\nText {p} and [a link]({p}) and ![an image {p}](image.png \"{p}\").\n\n> {p}\n\n- {p}\n\n| {p} |\n|---|\n| {p} |\n",
            title = yaml(&title),
            loc = yaml(&p),
            unreg = yaml(&format!("P {p}")),
            reg = yaml(&format!("R {p}")),
            topic = yaml(&format!("Topic {p}")),
        ),
    );
    // The image the body shows (a missing one is an error): the vector is in its alt text and
    // title; in a URL, the link above carries it.
    site.write("content/image.png", "not really an image");
    // No summary: the default one comes from the first paragraph of the body.
    site.write(
        "content/b.md",
        format!(
            "---\ntitle: {}\ndate: 2022-05-25 10:00\npartners: [{}]\n---\n{p}\n",
            yaml(&format!("B {p}")),
            yaml(&format!("A {p}")),
        ),
    );
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_success();

    let mut problems = Vec::new();
    let mut html_pages = 0;
    for (path, bytes) in site.outputs() {
        let text = String::from_utf8_lossy(&bytes);
        if path.ends_with(".html") || path.ends_with(".xml") {
            html_pages += usize::from(path.ends_with(".html"));
            for problem in html_scan::problems(&text, Scope::Page, Some(&marker)) {
                problems.push(format!("{path}: {problem}"));
            }
        }
        if path.ends_with("feed.xml") {
            for problem in feed_problems(&text, &marker) {
                problems.push(format!("{path}: {problem}"));
            }
        }
        if path.ends_with(".json")
            && let Err(e) = serde_json::from_str::<serde_json::Value>(&text)
        {
            problems.push(format!("{path}: not JSON: {e}"));
        }
        if path.starts_with("search/index/") && path.ends_with(".js") {
            // One call of the search page's loader, its arguments JSON.
            let json = text
                .trim_end()
                .strip_prefix("gazetteSearch.")
                .and_then(|t| t.split_once('('))
                .and_then(|(_, t)| t.strip_suffix(");"))
                .map(|args| format!("[{args}]"));
            if json.is_none_or(|j| serde_json::from_str::<serde_json::Value>(&j).is_err()) {
                problems.push(format!("{path}: not one call with JSON: {text}"));
            }
        }
    }
    assert!(html_pages >= 10, "only {html_pages} pages");
    assert!(
        problems.is_empty(),
        "payload {p:?} came out live:\n{}",
        problems.join("\n")
    );
    exports_round_trip(&site, &title, &p);
}

/// Atom feeds: the XML itself is checked as markup above; here the HTML a feed reader shows
/// (each entry's content) is checked as a body.
fn feed_problems(xml: &str, marker: &str) -> Vec<String> {
    let feed = match feed_rs::parser::parse(xml.as_bytes()) {
        Ok(feed) => feed,
        Err(e) => return vec![format!("not a feed: {e}")],
    };
    let mut problems = Vec::new();
    for entry in &feed.entries {
        if let Some(body) = entry.content.as_ref().and_then(|c| c.body.as_deref()) {
            problems.extend(html_scan::problems(body, Scope::Body, Some(marker)));
        }
    }
    problems
}

/// The exports give the text back exactly, as data.
fn exports_round_trip(site: &Site, title: &str, payload: &str) {
    let title = title.trim();
    let json: serde_json::Value = serde_json::from_str(&site.read("data/entries.json")).unwrap();
    let record = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["path"] == "/a/")
        .expect("entry /a/ in entries.json");
    assert_eq!(record["title"], title);
    assert_eq!(record["location"], payload);
    assert_eq!(record["summary"], payload.trim());

    let csv_text = site.read("data/entries.csv");
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let row = reader
        .records()
        .map(Result::unwrap)
        .find(|r| &r[column("path")] == "/a/")
        .expect("entry /a/ in entries.csv");
    assert_eq!(&row[column("title")], title);
    assert_eq!(&row[column("location")], payload);

    let ics = site.read("data/entries.ics");
    let summaries = ics_values(&ics, "SUMMARY");
    assert!(
        summaries.iter().any(|s| s == title),
        "{title:?} not among {summaries:?}"
    );
}

macro_rules! xss {
    ($($name:ident: $payload:expr,)*) => {
        $(
            #[test]
            fn $name() {
                check_vector(stringify!($name), $payload);
            }
        )*
    };
}

xss! {
    script_tag: "<script>MARK</script>",
    script_tag_uppercase: "<SCRIPT>MARK</SCRIPT>",
    script_src: "<script src=\"https://evil.example/MARK.js\"></script>",
    img_onerror: "<img src=x onerror=MARK>",
    img_onerror_quoted_newline: "<img src=\"x\"\nonerror=\"MARK\">",
    svg_onload: "<svg onload=MARK>",
    svg_script: "<svg><script>MARK</script></svg>",
    svg_animate: "<svg><animate onbegin=MARK attributeName=x dur=1s>",
    svg_xlink_href: "<svg><a xlink:href=\"javascript:MARK\"><text>x</text></a></svg>",
    body_onload: "<body onload=MARK>",
    details_ontoggle: "<details open ontoggle=MARK>",
    input_onfocus: "<input autofocus onfocus=MARK>",
    video_source_onerror: "<video><source onerror=\"MARK\"></video>",
    a_onclick: "<a href=\"https://example.org\" onclick=\"MARK\">x</a>",
    javascript_href: "<a href=\"javascript:MARK\">x</a>",
    javascript_href_mixed_case: "<a href=\"JaVaScRiPt:MARK\">x</a>",
    javascript_href_entities: "<a href=\"&#106;&#97;vascript&#58;MARK\">x</a>",
    javascript_href_tab: "<a href=\"jav&#x09;ascript:MARK\">x</a>",
    javascript_href_leading_control: "<a href=\"&#1; javascript:MARK\">x</a>",
    vbscript_href: "<a href=\"vbscript:MARK\">x</a>",
    data_href: "<a href=\"data:text/html,<script>MARK</script>\">x</a>",
    data_href_base64: "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">MARK</a>",
    iframe_data: "<iframe src=\"data:text/html,<script>MARK</script>\"></iframe>",
    object_data: "<object data=\"javascript:MARK\"></object>",
    embed_src: "<embed src=\"javascript:MARK\">",
    img_srcset: "<img srcset=\"javascript:MARK\">",
    table_background: "<table background=\"javascript:MARK\"><tr><td>x</td></tr></table>",
    form_action: "<form action=\"javascript:MARK\"><button>x</button></form>",
    base_href: "<base href=\"javascript:MARK//\">",
    meta_refresh: "<meta http-equiv=\"refresh\" content=\"0;url=javascript:MARK\">",
    style_element: "<style>body{background:url(\"javascript:MARK\")}</style>",
    style_attribute: "<div style=\"background:url(javascript:MARK)\">x</div>",
    broken_up_script: "<scr<script>ipt>MARK</scr</script>ipt>",
    nested_brackets: "<<script>script>MARK<</script>/script>",
    unclosed_tag: "<img src=x onerror=MARK",
    end_script_breakout: "</script><script>MARK</script>",
    end_title_breakout: "</title><script>MARK</script>",
    end_textarea_breakout: "</textarea><script>MARK</script>",
    attribute_breakout_double: "\"><script>MARK</script>",
    attribute_breakout_single: "' onmouseover='MARK' x='",
    attribute_breakout_autofocus: "\" autofocus onfocus=\"MARK\" x=\"",
    escaped_entities: "&lt;script&gt;MARK&lt;/script&gt;",
    numeric_entities: "&#60;script&#62;MARK&#60;/script&#62;",
    double_escaped: "&amp;lt;script&amp;gt;MARK&amp;lt;/script&amp;gt;",
    comment_trick: "<!--<img src=\"--><img src=x onerror=MARK//\">",
    cdata_trick: "<![CDATA[<script>MARK</script>]]>",
    noscript_mutation: "<noscript><p title=\"</noscript><img src=x onerror=MARK>\">",
    math_mutation: "<math><mtext><table><mglyph><style><img src=x onerror=MARK>",
    xmp_trick: "<xmp><img src=x onerror=MARK></xmp>",
    line_separators: "\u{2028}MARK\u{2029}</script><script>MARK</script>",
    markdown_javascript_link: "[x](javascript:MARK)",
    markdown_javascript_image: "![x](javascript:MARK)",
    markdown_autolink: "<javascript:MARK>",
    markdown_reference_link: "[x][r]\n\n[r]: JAVASCRIPT:MARK",
    markdown_link_title: "[x](https://example.org \"\\\" onclick=MARK x=\\\"\")",
    markdown_heading_attributes: "# Title {onclick=MARK .c #i}",
    markdown_code_info: "```js\" onload=\"MARK\ncode\n```",
    template_syntax: "{{ MARK }} {% raw %}<script>MARK</script>{% endraw %}",
}

/// With `allow_raw_html: true` the body's HTML is the author's, but every text field is
/// still escaped.
#[test]
fn raw_html_allowed_passes_bodies_but_still_escapes_text_fields() {
    let site = Site::new();
    site.write(
        "site.yaml",
        "title: Raw\nbase_url: https://example.org/\nallow_raw_html: true\n",
    );
    let p = "<script>xss_raw(1)</script>";
    site.write(
        "content/a.md",
        format!(
            "---\ntitle: {t}\ndate: 2022-05-24\nlocation: {t}\npartners: [{t}]\ntopics: [{t}]\n---\nBody {p}\n",
            t = yaml(p)
        ),
    );
    site.build(Duration::from_secs(60)).assert_success();
    let entry = site.read("a/index.html");
    assert!(
        entry.contains("<p>Body <script>xss_raw(1)</script></p>"),
        "{entry}"
    );
    for (path, bytes) in site.outputs() {
        if path.ends_with(".html") && path != "a/index.html" {
            let problems = html_scan::problems(
                &String::from_utf8_lossy(&bytes),
                Scope::Page,
                Some("xss_raw"),
            );
            assert!(problems.is_empty(), "{path}: {problems:?}");
        }
    }
}

#[test]
fn a_javascript_source_url_is_an_error() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: A\ndate: 2022-05-24\nsource:\n  name: N\n  url: javascript:alert(1)\n---\n",
    );
    site.build(Duration::from_secs(60))
        .assert_content_error("content/a.md:6", "is not a web address");
    assert!(!site.out.exists());
}

#[test]
fn a_data_partner_website_is_an_error() {
    let site = Site::new();
    site.write(
        "content/partners.yaml",
        "- id: a\n  name: A\n  url: \"data:text/html,<script>alert(1)</script>\"\n",
    );
    site.write("content/a.md", "---\ntitle: A\ndate: 2022-05-24\n---\n");
    site.build(Duration::from_secs(60))
        .assert_content_error("content/partners.yaml:3", "is not a web address");
}

// ---------------------------------------------------------------------------------------
// Resource attacks

#[test]
fn yaml_alias_bomb_in_front_matter_is_refused_quickly() {
    let site = Site::new();
    let mut yaml = String::from(
        "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names: Vec<String> = (b'b'..=b'j').map(|c| (c as char).to_string()).collect();
    let mut previous = "a".to_string();
    for name in &names {
        let refs = vec![format!("*{previous}"); 9].join(",");
        yaml.push_str(&format!("{name}: &{name} [{refs}]\n"));
        previous = name.clone();
    }
    yaml.push_str("title: A\ndate: 2022-05-24\nextra: {bomb: *j}\n---\n");
    site.write("content/a.md", yaml);
    let outcome = site.build(Duration::from_secs(60));
    // `a`…`j` are unknown fields anyway; what matters is that nothing expands a billion
    // strings: a clear error, quickly, in little memory.
    outcome.assert_content_error("content/a.md", "error");
    report("alias bomb in front matter", &outcome);
    assert!(
        outcome.elapsed < Duration::from_secs(20),
        "{:?}",
        outcome.elapsed
    );
    assert!(outcome.peak_kib < 512 * 1024, "{} KiB", outcome.peak_kib);
}

#[test]
fn yaml_alias_bomb_in_extra_is_refused_quickly() {
    let site = Site::new();
    let mut bomb = String::from("extra:\n  a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    let mut previous = "a".to_string();
    for level in 0..8 {
        let name = format!("l{level}");
        let refs = vec![format!("*{previous}"); 10].join(", ");
        bomb.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        previous = name;
    }
    site.write(
        "content/a.md",
        format!("---\ntitle: A\ndate: 2022-05-24\n{bomb}---\n"),
    );
    let outcome = site.build(Duration::from_secs(60));
    report("alias bomb in extra", &outcome);
    assert!(
        outcome.elapsed < Duration::from_secs(20),
        "{:?}",
        outcome.elapsed
    );
    assert!(outcome.peak_kib < 512 * 1024, "{} KiB", outcome.peak_kib);
    outcome.assert_content_error("content/a.md", "aliases expand too far");
}

#[test]
fn alias_bomb_in_the_partner_registry_is_refused_quickly() {
    let site = Site::new();
    let mut yaml = String::from(
        "- id: a\n  name: A\n  aliases: &l0 [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10]\n",
    );
    for level in 1..8 {
        let refs = vec![format!("*l{}", level - 1); 10].join(", ");
        yaml.push_str(&format!(
            "- id: p{level}\n  name: P{level}\n  aliases: &l{level} [{refs}]\n"
        ));
    }
    site.write("content/partners.yaml", yaml);
    site.write("content/a.md", "---\ntitle: A\ndate: 2022-05-24\n---\n");
    let outcome = site.build(Duration::from_secs(60));
    report("alias bomb in partners.yaml", &outcome);
    assert!(
        outcome.elapsed < Duration::from_secs(20),
        "{:?}",
        outcome.elapsed
    );
    assert!(outcome.peak_kib < 512 * 1024, "{} KiB", outcome.peak_kib);
    outcome.assert_content_error("content/partners.yaml", "error");
}

#[test]
fn deeply_nested_yaml_flow_is_an_error_not_a_stack_overflow() {
    let site = Site::new();
    let depth = 100_000;
    let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    site.write(
        "content/a.md",
        format!("---\ntitle: A\ndate: 2022-05-24\nextra: {{x: {nested}}}\n---\n"),
    );
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_content_error("content/a.md", "error");
    assert!(
        outcome.elapsed < Duration::from_secs(20),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn deeply_nested_yaml_blocks_are_an_error_not_a_stack_overflow() {
    let site = Site::new();
    let mut yaml = String::from("---\ntitle: A\ndate: 2022-05-24\nextra:\n");
    for level in 0..100_000 {
        yaml.push_str(&" ".repeat(level % 64 + 1));
        yaml.push_str("- \n");
    }
    // Indentation cannot grow forever in a file of sane size; a long chain of `- - - -`
    // on one line nests just as deep.
    yaml.push_str(&format!(" {}x\n---\n", "- ".repeat(100_000)));
    site.write("content/a.md", yaml);
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_content_error("content/a.md", "error");
}

#[test]
fn deeply_nested_markdown_is_rendered_in_bounded_time() {
    let site = Site::new();
    let quotes = ">".repeat(100_000);
    let lists = "- ".repeat(20_000);
    let brackets = "[".repeat(100_000);
    let emphasis = "*a **b ".repeat(20_000);
    site.write(
        "content/a.md",
        format!("---\ntitle: A\ndate: 2022-05-24\n---\n{quotes} q\n\n{lists}x\n\n{brackets}\n\n{emphasis}\n"),
    );
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_success();
    assert!(
        outcome.elapsed < Duration::from_secs(30),
        "{:?}",
        outcome.elapsed
    );
}

#[test]
fn many_links_and_many_headings_of_one_title_build_in_bounded_time() {
    let site = Site::new();
    site.write(
        "content/a.md",
        format!(
            "---\ntitle: A\ndate: 2022-05-24\n---\n{}",
            "## Same\n\n".repeat(100_000)
        ),
    );
    site.write(
        "content/b.md",
        format!(
            "---\ntitle: B\ndate: 2022-05-25\n---\n{}\n",
            "[a](@/a.md) ".repeat(300_000)
        ),
    );
    // Both took minutes: each heading tried every number before its own, and each link in
    // a feed searched the rest of the body for an image.
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_success();
    let a = site.read("a/index.html");
    assert!(a.contains("<h2 id=\"same-99999\">Same</h2>"));
    let feed = site.read("feed.xml");
    assert_eq!(
        feed.matches("href=&quot;https://example.org/a/&quot;")
            .count(),
        300_000
    );
}

#[test]
fn an_entry_naming_more_than_a_thousand_partners_or_topics_is_an_error() {
    let site = Site::new();
    let names = |prefix: &str, n: usize| -> String {
        (0..n)
            .map(|i| format!("{prefix}{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    site.write(
        "content/a.md",
        format!(
            "---\ntitle: A\ndate: 2022-05-24\npartners: [{}]\n---\n",
            names("P", 1000)
        ),
    );
    site.write(
        "content/b.md",
        format!(
            "---\ntitle: B\ndate: 2022-05-24\npartners: [{}]\n---\n",
            names("P", 5000)
        ),
    );
    site.write(
        "content/c.md",
        format!(
            "---\ntitle: C\ndate: 2022-05-24\ntopics: [{}]\n---\n",
            names("t", 1001)
        ),
    );
    let outcome = site.build(Duration::from_secs(60));
    let column = "partners: [".len() + names("P", 1000).len() + ", ".len() + 1;
    outcome.assert_content_error(
        &format!("content/b.md:4:{column}"),
        "error: the entry lists 5000 partners; at most 1000 are allowed\n",
    );
    outcome.assert_content_error(
        "content/c.md:4:",
        "error: the entry lists 1001 topics; at most 1000 are allowed\n",
    );
    assert!(
        outcome
            .stderr
            .contains("= hint: name the entry's main partners here and the others in its text\n")
    );
    // A thousand is allowed: its partners are only unregistered.
    assert!(
        outcome
            .stderr
            .ends_with("error: the build failed with 2 errors; nothing was written\n"),
        "{}",
        &outcome.stderr[outcome.stderr.len().saturating_sub(300)..]
    );
}

#[test]
fn thousands_of_problems_on_one_line_are_a_hundred_reports_and_a_count() {
    let site = Site::new();
    site.write(
        "content/a.md",
        format!(
            "---\ntitle: A\ndate: 2022-05-24\n---\n{}\n",
            "[a](@/nope.md) ".repeat(20_000)
        ),
    );
    let aliases: Vec<String> = (0..1001).map(|i| format!("\"/old/{i}/\"")).collect();
    site.write(
        "content/b.md",
        format!(
            "---\ntitle: B\ndate: 2022-05-24\naliases: [{}]\n---\n",
            aliases.join(", ")
        ),
    );
    // Each report held the whole line: 17 s and 15 GB.
    let outcome = site.build(Duration::from_secs(60));
    assert_eq!(
        outcome
            .stderr
            .matches("error: internal link `@/nope.md` points to no entry")
            .count(),
        100
    );
    outcome.assert_content_error(
        "content/a.md",
        "error: 19900 more problems in the text are not shown (19900 errors, 0 warnings)\n --> content/a.md\n  = hint: fix the ones above and build again\n",
    );
    outcome.assert_content_error(
        "content/b.md:4:",
        "error: the entry lists 1001 aliases; at most 1000 are allowed\n",
    );
    // The last report's line is cut around its column.
    let last = format!(
        " --> content/a.md:5:1486\n  |\n5 | …{}…\n  |{}^\n",
        &"[a](@/nope.md) ".repeat(200)[1435..1535],
        " ".repeat(52)
    );
    assert!(
        outcome.stderr.contains(&last),
        "{}",
        &outcome.stderr[..2000]
    );
    assert!(outcome.stderr.len() < 100_000, "{}", outcome.stderr.len());
    assert!(outcome.peak_kib < 500 * 1024, "{} KiB", outcome.peak_kib);
}

#[test]
fn forty_thousand_bad_partner_ids_are_reported_in_bounded_time() {
    let site = Site::new();
    let registry: String = (0..40_000)
        .map(|i| format!("- id: Bad Id {i}\n  name: Partner {i}\n"))
        .collect();
    site.write("content/partners.yaml", registry);
    site.write("content/a.md", "---\ntitle: A\ndate: 2022-05-24\n---\n");
    // Each report looked its line up from the start of the file: 12 s in a release build, more
    // than the limit in a debug one. (The YAML parser's budget stops a registry near 50,000.)
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_content_error(
        "content/partners.yaml:79999:7",
        "error: partner id `Bad Id 39999` is not a slug\n",
    );
    assert_eq!(outcome.stderr.matches("is not a slug").count(), 40_000);
}

#[test]
fn a_50_mb_entry_builds_in_bounded_time_and_memory() {
    let site = Site::new();
    let paragraph = "Talks on victim-centred, trauma-informed care and on prosecuting *transnational* syndicates, with [a link](https://example.org/) and `code`.\n\n";
    let mut body = String::with_capacity(51 << 20);
    body.push_str("---\ntitle: Big\ndate: 2022-05-24\n---\n");
    let mut n = 0;
    while body.len() < 50 << 20 {
        if n % 1000 == 0 {
            body.push_str(&format!("## Section {n}\n\n"));
        }
        body.push_str(paragraph);
        n += 1;
    }
    site.write("content/big.md", &body);
    let outcome = site.build(Duration::from_secs(120));
    outcome.assert_success();
    let page = fs::metadata(site.out.join("big/index.html")).unwrap().len();
    assert!(page > 50 << 20, "{page}");
    assert!(
        outcome.peak_kib < 2 * 1024 * 1024,
        "peak {} MiB for a 50 MB entry",
        outcome.peak_kib / 1024
    );
    eprintln!(
        "50 MB entry: {:?}, peak {} MiB",
        outcome.elapsed,
        outcome.peak_kib / 1024
    );
}

/// Entry count for the many-entries case: 10,000 by default, which keeps `cargo test` (a
/// debug binary) short; `GAZETTE_HOSTILE_ENTRIES=100000 GAZETTE_BIN=target/release/gazette`
/// gives the full figure of docs/reliability.md.
fn many_entries() -> usize {
    std::env::var("GAZETTE_HOSTILE_ENTRIES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000)
}

#[test]
fn many_tiny_entries_build_in_bounded_time_and_memory() {
    let site = Site::new();
    let count = many_entries();
    for i in 0..count {
        site.write(
            &format!("content/{:02}/{i}.md", i % 100),
            format!(
                "---\ntitle: E{i}\ndate: {}-{:02}-{:02}\n---\n",
                2000 + i % 25,
                i % 12 + 1,
                i % 28 + 1
            ),
        );
    }
    let outcome = site.build(Duration::from_secs(300));
    outcome.assert_success();
    assert!(
        outcome
            .stdout
            .contains(&format!("Built {} entries", thousands(count))),
        "{}",
        outcome.stdout
    );
    eprintln!(
        "{count} entries: {:?}, peak {} MiB",
        outcome.elapsed,
        outcome.peak_kib / 1024
    );
    assert!(
        outcome.peak_kib < 2 * 1024 * 1024,
        "{} KiB",
        outcome.peak_kib
    );
}

fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn ten_thousand_partners_build_in_bounded_time() {
    let site = Site::new();
    let mut registry = String::new();
    for i in 0..10_000 {
        registry.push_str(&format!(
            "- id: p{i}\n  name: Partner {i}\n  aliases: [P{i} Alias]\n  type: ngo\n"
        ));
    }
    site.write("content/partners.yaml", registry);
    for i in 0..200 {
        let partners: Vec<String> = (0..50)
            .map(|k| format!("p{}", (i * 50 + k) % 10_000))
            .collect();
        site.write(
            &format!("content/e{i}.md"),
            format!(
                "---\ntitle: E{i}\ndate: 2022-01-{:02}\npartners: [{}]\n---\n",
                i % 28 + 1,
                partners.join(", ")
            ),
        );
    }
    let outcome = site.build(Duration::from_secs(180));
    outcome.assert_success();
    assert!(
        outcome.stdout.contains("10,000 partners"),
        "{}",
        outcome.stdout
    );
    assert!(site.out.join("partners/p9999/index.html").is_file());
    eprintln!(
        "10,000 partners: {:?}, peak {} MiB",
        outcome.elapsed,
        outcome.peak_kib / 1024
    );
}

// ---------------------------------------------------------------------------------------
// Odd names and bytes

#[test]
fn names_of_only_emoji_get_pages_with_usable_slugs() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: 🎉🎉\ndate: 2022-05-24\npartners: [\"🎉🎉\", \"🦀\", \"👩‍👩‍👧‍👦\"]\ntopics: [\"🔥\", \"💧\"]\n---\n# 🎉\n\n# 🎉\n",
    );
    site.build(Duration::from_secs(60)).assert_success();
    let partners = site.read("partners/index.html");
    let topics = site.read("topics/index.html");
    for (list, count) in [(&partners, 3), (&topics, 2)] {
        let links = slug_links(list);
        assert_eq!(links.len(), count, "{links:?}");
        for link in &links {
            assert!(site.out.join(link).join("index.html").is_file(), "{link}");
        }
    }
    let entry = site.read("a/index.html");
    assert!(entry.contains("🎉🎉"));
}

#[test]
fn names_too_long_for_a_folder_get_pages_and_short_reports() {
    let site = Site::new();
    let partner = "Ministry of Very Long Names ".repeat(200);
    let topic = "t".repeat(100_000);
    let file = format!("content/{}.md", "g".repeat(250));
    site.write(
        &file,
        format!(
            "---\ntitle: A\ndate: 2022-05-24\npartners: [\"{partner}\"]\ntopics: [{topic}]\n---\n"
        ),
    );
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_success();
    // Each name gets a page under a folder name of at most 100 characters, linked from the
    // entry; the warning quotes the name cut to 100 characters.
    let entry_slug = format!(
        "{}-{}",
        "g".repeat(91),
        gazette::slug::short_hash(&"g".repeat(250))
    );
    let entry = site.read(&format!("{entry_slug}/index.html"));
    let partners = slug_links(&site.read("partners/index.html"));
    let topics = slug_links(&site.read("topics/index.html"));
    for link in partners.iter().chain(&topics) {
        let slug = link.trim_end_matches('/').rsplit('/').next().unwrap();
        assert!(slug.len() <= 100, "{slug}");
        assert!(entry.contains(&format!("href=\"/{link}\"")), "{link}");
        assert!(site.out.join(link).join("index.html").is_file(), "{link}");
    }
    assert_eq!((partners.len(), topics.len()), (1, 1));
    let cut: String = partner.trim().chars().take(100).collect();
    assert!(
        outcome.stderr.contains(&format!(
            "warning: partner `{cut}…` is not in the registry\n"
        )),
        "{}",
        outcome.stderr
    );
    assert!(outcome.stderr.len() < 2_000, "{}", outcome.stderr.len());
}

#[test]
fn a_slug_or_an_alias_too_long_for_a_folder_is_a_clear_error() {
    let site = Site::new();
    let slug = "s".repeat(150);
    let part = "z".repeat(300);
    site.write(
        "content/a.md",
        format!("---\ntitle: A\ndate: 2022-05-24\nslug: {slug}\n---\n"),
    );
    site.write(
        "content/b.md",
        format!("---\ntitle: B\ndate: 2022-05-24\naliases: [\"/old/{part}/\"]\n---\n"),
    );
    let outcome = site.build(Duration::from_secs(60));
    let s100 = "s".repeat(100);
    let example = format!("{}-{}", "s".repeat(91), gazette::slug::short_hash(&slug));
    outcome.assert_content_error("content/a.md:4:7", &format!(
        "error: slug `{s100}…` is longer than 100 characters\n --> content/a.md:4:7\n  |\n4 | slug: {}…\n  |       ^\n  = hint: a slug uses only lowercase letters, digits and single dashes, e.g. `{example}`\n",
        "s".repeat(94)
    ));
    outcome.assert_content_error(
        "content/b.md:4:11",
        &format!(
            "error: alias `/old/{}…` has a part longer than 200 bytes\n --> content/b.md:4:11\n",
            "z".repeat(95)
        ),
    );
    assert!(!site.out.exists());
}

/// The `partners/<slug>/` or `topics/<slug>/` links of a list page, each once.
fn slug_links(html: &str) -> Vec<String> {
    let mut links: Vec<String> = html
        .split("href=\"/")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| {
            let parts: Vec<&str> = href.trim_end_matches('/').split('/').collect();
            parts.len() == 2
                && ["partners", "topics"].contains(&parts[0])
                && !["type", "page"].contains(&parts[1])
                && href.ends_with('/')
        })
        .map(str::to_string)
        .collect();
    links.sort();
    links.dedup();
    for link in &links {
        let slug = link.trim_end_matches('/').rsplit('/').next().unwrap();
        assert!(
            !slug.is_empty()
                && slug
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{slug}"
        );
    }
    links
}

#[test]
fn names_of_only_punctuation_get_distinct_hashed_slugs() {
    let site = Site::new();
    site.write(
        "content/a.md",
        "---\ntitle: \"!!!\"\ndate: 2022-05-24\npartners: [\"!!!\", \"???\", \"...\", \"&\", \"---\"]\ntopics: [\"§\", \"¿?\"]\n---\n",
    );
    site.write(
        "content/!!!.md",
        "---\ntitle: \"???\"\ndate: 2022-05-25\n---\n",
    );
    site.build(Duration::from_secs(60)).assert_success();
    let links = slug_links(&site.read("partners/index.html"));
    assert_eq!(links.len(), 5, "{links:?}");
    assert_eq!(slug_links(&site.read("topics/index.html")).len(), 2);
    // The file named `!!!.md` gets a hashed slug too.
    let json: serde_json::Value = serde_json::from_str(&site.read("data/entries.json")).unwrap();
    let paths: Vec<&str> = json["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap())
        .collect();
    assert!(paths.iter().any(|p| p.starts_with("/x-")), "{paths:?}");
}

#[test]
fn nul_bytes_in_front_matter_are_a_clear_error() {
    let site = Site::new();
    site.write(
        "content/a.md",
        b"---\ntitle: A\0B\ndate: 2022-05-24\n---\nBody\n",
    );
    site.build(Duration::from_secs(60))
        .assert_content_error("content/a.md", "error");
}

#[test]
fn nul_bytes_in_quoted_yaml_and_bodies_never_reach_the_output() {
    let site = Site::new();
    site.write(
        "content/a.md",
        b"---\ntitle: \"A\\0B\"\ndate: 2022-05-24\nlocation: \"L\\0\"\n---\nBody \0 with a NUL <b>\0</b>\n",
    );
    let outcome = site.build(Duration::from_secs(60));
    if outcome.code == Some(0) {
        for (path, bytes) in site.outputs() {
            if path.ends_with(".html") || path.ends_with(".xml") {
                assert!(!bytes.contains(&0), "a NUL byte in {path}");
            }
        }
        // Feeds must stay well-formed XML, where NUL is not allowed even escaped.
        let feed = site.read("feed.xml");
        assert!(!feed.contains("&#0;") && !feed.contains("&#x0;"));
        feed_rs::parser::parse(feed.as_bytes()).expect("feed.xml parses");
    } else {
        outcome.assert_content_error("content/a.md", "error");
    }
}

#[test]
fn invalid_utf8_is_a_clear_error_with_the_place() {
    let site = Site::new();
    site.write(
        "content/a.md",
        b"---\ntitle: A\ndate: 2022-05-24\n---\nBody \xff\xfe here\n",
    );
    site.write(
        "content/b.md",
        b"---\ntitle: B\xc3\ndate: 2022-05-24\n---\n",
    );
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_content_error("content/a.md:5", "not valid UTF-8");
    outcome.assert_content_error("content/b.md:2", "not valid UTF-8");
}

#[test]
fn invalid_utf8_in_the_partner_registry_is_a_clear_error() {
    let site = Site::new();
    site.write("content/partners.yaml", b"- id: a\n  name: \xff\n");
    site.write("content/a.md", "---\ntitle: A\ndate: 2022-05-24\n---\n");
    site.build(Duration::from_secs(60))
        .assert_content_error("content/partners.yaml", "partner registry");
}

/// A site with an entry and a file whose names are not UTF-8.
fn site_with_names_not_in_utf8() -> Site {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::new();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9.md");
    fs::write(
        site.root.join("content").join(name),
        "---\ntitle: A\ndate: 2022-05-24\n---\n",
    )
    .unwrap();
    let asset = std::ffi::OsStr::from_bytes(b"m\xe4p.png");
    fs::write(site.root.join("content").join(asset), b"png").unwrap();
    site
}

#[test]
fn a_file_name_that_is_not_utf8_is_an_error_at_the_file() {
    let site = site_with_names_not_in_utf8();
    let outcome = site.build(Duration::from_secs(60));
    // A name that is not UTF-8 cannot be a URL as written: a clear error at each file (its
    // name shown with U+FFFD for the bad byte), said to be about the name, and nothing written.
    let message =
        "error: the name is not UTF-8 (shown here with \u{fffd} for the bytes that are not)";
    let stderr = &outcome
        .assert_content_error("content/caf\u{fffd}.md", message)
        .stderr;
    assert!(stderr.contains(" --> content/m\u{fffd}p.png\n"), "{stderr}");
    assert!(
        stderr.contains("error: the build failed with 2 errors; nothing was written"),
        "{stderr}"
    );
    assert!(!stderr.contains("No such file or directory"), "{stderr}");
    assert!(!site.out.exists(), "{}", outcome.stdout);
}

// ---------------------------------------------------------------------------------------
// Files that go away or cannot be read

#[test]
fn a_dangling_symlink_in_content_is_a_clear_error() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\ndate: 2022-05-24\n---\n");
    std::os::unix::fs::symlink(
        site.root.join("content/gone.md"),
        site.root.join("content/b.md"),
    )
    .unwrap();
    let outcome = site.build(Duration::from_secs(60));
    outcome.assert_content_error("content/b.md", "error");
    assert!(!site.out.exists(), "a failed build wrote output");
}

#[test]
fn an_unreadable_entry_is_a_clear_error() {
    // Tests run as root, where permissions do not stop reading: a folder where a file
    // should be gives the same "cannot read" path in `content::load` for everyone.
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\ndate: 2022-05-24\n---\n");
    let unreadable = site.root.join("content/b.md");
    fs::write(&unreadable, "---\ntitle: B\ndate: 2022-05-24\n---\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(&unreadable, fs::Permissions::from_mode(0o000)).unwrap();
    let readable_anyway = fs::read(&unreadable).is_ok();
    let outcome = site.build(Duration::from_secs(60));
    if readable_anyway {
        outcome.assert_success();
    } else {
        outcome.assert_content_error("content/b.md", "cannot read");
    }
}

#[test]
fn a_fifo_in_content_does_not_hang_the_build() {
    let site = Site::new();
    site.write("content/a.md", "---\ntitle: A\ndate: 2022-05-24\n---\n");
    for name in ["content/pipe.md", "content/pipe.png", "content/sub/pipe"] {
        let path = site.root.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        let status = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
        assert!(status.success());
    }
    let outcome = site.build(Duration::from_secs(30));
    // Nobody writes to the pipes: a build that opens one waits forever. It must skip them
    // (they are not regular files) and build the rest.
    outcome.assert_success();
    assert!(site.out.join("a/index.html").is_file());
}

#[test]
fn an_entry_that_disappears_mid_build_gives_a_site_or_a_clear_error() {
    // Three hundred files, one of them deleted while the build runs: each run must end with
    // a whole site or a clear error naming the file, never a panic or a half-written output.
    let site = Site::new();
    for i in 0..300 {
        site.write(
            &format!("content/e{i}.md"),
            format!(
                "---\ntitle: E{i}\ndate: 2022-01-{:02}\n---\nBody {i}.\n",
                i % 28 + 1
            ),
        );
    }
    site.build(Duration::from_secs(120)).assert_success();
    let victim = site.root.join("content/e150.md");
    let text = fs::read(&victim).unwrap();
    for delay_ms in [0u64, 10, 40] {
        fs::write(&victim, &text).unwrap();
        let root = site.root.clone();
        let out = site.out.clone();
        let handle = std::thread::spawn(move || {
            let started = Instant::now();
            let output = Command::new(binary())
                .args(["build", "--now", NOW, "--site"])
                .arg(&root)
                .arg("--output")
                .arg(&out)
                .env("NO_COLOR", "1")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let result = output.wait_with_output().unwrap();
            (result, started.elapsed())
        });
        std::thread::sleep(Duration::from_millis(delay_ms));
        fs::remove_file(&victim).unwrap();
        let (result, elapsed) = handle.join().unwrap();
        assert!(elapsed < Duration::from_secs(120));
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        match result.status.code() {
            Some(0) => {}
            Some(1) => assert!(stderr.contains("content/e150.md"), "{stderr}"),
            other => panic!("exit {other:?}: {stderr}"),
        }
        // Whatever happened, the output is a whole site.
        assert!(site.out.join("index.html").is_file());
        assert!(site.out.join("data/entries.json").is_file());
        let mut leftover = String::new();
        for item in fs::read_dir(site.out.parent().unwrap()).unwrap() {
            let name = item.unwrap().file_name().to_string_lossy().into_owned();
            if name.starts_with(".out.") {
                leftover.push_str(&name);
            }
        }
        assert!(leftover.is_empty(), "left behind: {leftover}");
    }
}

#[test]
fn the_scanner_sees_what_a_browser_runs() {
    // html_scan's own checks: what it must flag and what it must let through.
    let bad = [
        "<script>x(1)</script>",
        "<img src=x onerror=y>",
        "<a href=' JaVa\tScRiPt:x(1)'>x</a>",
        "<iframe src=x></iframe>",
        "<svg><script>x(1)</script></svg>",
        "<div style=\"background:url(x)\">",
    ];
    for html in bad {
        assert!(
            !html_scan::problems(html, Scope::Body, Some("x(1)")).is_empty(),
            "{html}"
        );
    }
    let page_bad = [
        "<script type=\"application/ld+json\">{\"a\":\"</script><script>x(1)</script>\"}</script>",
        "<title></title><script>x(1)</script></title>",
    ];
    for html in page_bad {
        assert!(
            !html_scan::problems(html, Scope::Page, Some("x(1)")).is_empty(),
            "{html}"
        );
    }
    let good = [
        "<p>&lt;script&gt;x(1)&lt;/script&gt; onclick=x(1)</p>",
        "<title>&lt;script&gt;x(1)</title>",
        "<title><script>x(1)</script></title>",
        "<script type=\"application/ld+json\">{\"a\":\"\\u003c/script\\u003ex(1)\"}</script>",
        "<a href=\"https://example.org/javascript:x\" title=\"javascript:x(1)\">x</a>",
        "<meta name=\"description\" content=\"&lt;script&gt;x(1)\">",
        "<textarea><img src=x onerror=x(1)></textarea>",
    ];
    for html in good {
        assert_eq!(
            html_scan::problems(html, Scope::Page, Some("x(1)")),
            Vec::<String>::new(),
            "{html}"
        );
    }
}

/// The total size of the files under `dir`.
fn size_of(dir: &std::path::Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.metadata().map(|m| m.len()).unwrap_or(0))
        .sum()
}

/// `entries` entries, each naming every one of `partners` registered partners.
fn every_entry_names_every_partner(partners: usize, entries: usize) -> (Site, u64) {
    let site = Site::new();
    let names: Vec<String> = (0..partners)
        .map(|i| format!("Partner organisation number {i}"))
        .collect();
    let registry: String = names
        .iter()
        .enumerate()
        .map(|(i, name)| format!("- id: p{i}\n  name: {name}\n"))
        .collect();
    site.write("content/partners.yaml", &registry);
    for e in 0..entries {
        site.write(
            &format!("content/e{e}.md"),
            format!(
                "---\ntitle: Entry {e}\ndate: 2022-05-{:02}\ntopics: [ports]\npartners: [{}]\n---\nThe body of entry {e}, {}\n",
                e % 28 + 1,
                names.join(", "),
                "with a paragraph of some length. ".repeat(20)
            ),
        );
    }
    let input = size_of(&site.root.join("content"));
    site.build(Duration::from_secs(120)).assert_success();
    (site, input)
}

#[test]
fn entries_naming_every_partner_grow_the_output_with_the_input_not_its_square() {
    let (small, small_input) = every_entry_names_every_partner(200, 10);
    let (large, large_input) = every_entry_names_every_partner(400, 10);
    let (small_output, large_output) = (size_of(&small.out), size_of(&large.out));
    // Each name an entry lists adds a bounded amount: a card on that partner's page and a
    // summary in its feed. Were the cards and feeds to repeat every name, each would add
    // as much as all the others, and twice the partners would be four times the output.
    let small_ratio = small_output as f64 / small_input as f64;
    let large_ratio = large_output as f64 / large_input as f64;
    assert!(
        large_ratio < 1.3 * small_ratio && large_ratio < 150.0,
        "output per byte of input: {small_ratio:.0} with 200 partners, {large_ratio:.0} with 400"
    );
    // A card names five partners and counts the rest; a partner's feed holds summaries
    // and the first five names.
    let page = fs::read_to_string(large.out.join("partners/p7/index.html")).unwrap();
    assert!(
        page.contains(" and 394 more"),
        "no count of the other partners"
    );
    assert!(
        page.len() < 60_000,
        "a partner page of {} bytes",
        page.len()
    );
    let feed = fs::read_to_string(large.out.join("partners/p7/feed.xml")).unwrap();
    assert!(
        !feed.contains("<content"),
        "a partner's feed holds whole entries"
    );
    assert_eq!(
        feed.matches("scheme=\"https://example.org/partners/\"")
            .count(),
        10 * 5
    );
    // The entry's own page and the site's feed still name them all.
    let entry = fs::read_to_string(large.out.join("e3/index.html")).unwrap();
    assert!(entry.contains("Partner organisation number 399"));
    let site_feed = fs::read_to_string(large.out.join("feed.xml")).unwrap();
    assert_eq!(
        site_feed
            .matches("scheme=\"https://example.org/partners/\"")
            .count(),
        10 * 400
    );
}
