//! Structured data, meta tags, feed links and search of a built site, read back.
//!
//! Each test builds `tests/fixtures/structured-basic` (copied into a temporary folder) with the
//! binary at a fixed `--now`, then parses what readers and machines consume: every JSON-LD
//! block with serde_json, the Open Graph and Twitter meta tags, the feed links, and
//! `search-index.json` against the field table of `docs/search.md`. The last test runs the
//! search page in headless Chromium (skipped when Chromium is not installed).

use std::collections::BTreeSet;
use std::fs;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{Site, walk};

const BASE: &str = "https://example.org/";
const EVIL_TITLE: &str = "Evil </script><script>alert(1)</script> title";

/// A built copy of the fixture.
struct Built {
    site: Site,
    output: PathBuf,
}

impl Built {
    fn build() -> Built {
        let site = Site::fixture("structured-basic");
        site.build_ok(&[]);
        let output = site.out();
        Built { site, output }
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.output.join(path))
            .unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
    }

    /// Output paths of every HTML page.
    fn pages(&self) -> Vec<String> {
        let mut pages = Vec::new();
        walk(&self.output, &self.output, &mut pages);
        pages.retain(|p| p.ends_with(".html"));
        pages.sort();
        pages
    }

    /// The top-level nodes of the JSON-LD of a page, each block parsed on its own.
    fn graph(&self, path: &str) -> Vec<Value> {
        json_ld(&self.read(path), path)
    }
}

/// Every `<script type="application/ld+json">` of `html`, parsed; the nodes of each block's
/// `@graph` (or the block itself when it has none).
fn json_ld(html: &str, path: &str) -> Vec<Value> {
    const OPEN: &str = "<script type=\"application/ld+json\">";
    let mut nodes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let end = after
            .find("</script>")
            .unwrap_or_else(|| panic!("{path}: unclosed JSON-LD script"));
        let block: Value = serde_json::from_str(&after[..end])
            .unwrap_or_else(|e| panic!("{path}: JSON-LD does not parse: {e}\n{}", &after[..end]));
        assert_eq!(block["@context"], "https://schema.org", "{path}");
        match block.get("@graph").and_then(Value::as_array) {
            Some(graph) => nodes.extend(graph.iter().cloned()),
            None => nodes.push(block),
        }
        rest = &after[end..];
    }
    nodes
}

fn node<'a>(nodes: &'a [Value], kind: &str, path: &str) -> &'a Value {
    let found: Vec<&Value> = nodes.iter().filter(|n| n["@type"] == kind).collect();
    assert_eq!(found.len(), 1, "{path}: expected one {kind} in {nodes:#?}");
    found[0]
}

/// The `content` of `<meta property|name="key" content="…">`, as written (HTML-escaped).
fn meta(html: &str, key: &str) -> Option<String> {
    for attribute in ["property", "name"] {
        let needle = format!("<meta {attribute}=\"{key}\" content=\"");
        if let Some(start) = html.find(&needle) {
            let value = &html[start + needle.len()..];
            return Some(value[..value.find('"').unwrap()].to_string());
        }
    }
    None
}

/// Every string in `value` under a key that holds a URL.
fn urls(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if matches!(
                    key.as_str(),
                    "url" | "item" | "mainEntityOfPage" | "@id" | "sameAs" | "target"
                ) {
                    match v {
                        Value::String(s) => found.push(s.clone()),
                        Value::Array(items) => {
                            found.extend(items.iter().filter_map(Value::as_str).map(str::to_string))
                        }
                        _ => {}
                    }
                }
                urls(v, found);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| urls(v, found)),
        _ => {}
    }
}

fn breadcrumb_items(list: &Value) -> Vec<(u64, String, String)> {
    list["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            assert_eq!(item["@type"], "ListItem");
            (
                item["position"].as_u64().unwrap(),
                item["name"].as_str().unwrap().to_string(),
                item["item"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn entry_page_has_a_news_article_and_breadcrumbs() {
    let site = Built::build();
    let path = "news/washington/index.html";
    let nodes = site.graph(path);
    let article = node(&nodes, "NewsArticle", path);
    let url = "https://example.org/news/washington/";
    assert_eq!(
        article["headline"],
        "Thai delegation meets U.S. partners in Washington"
    );
    assert_eq!(article["url"], url);
    assert_eq!(article["mainEntityOfPage"], url);
    assert_eq!(article["datePublished"], "2022-05-24T00:00:00+07:00");
    assert_eq!(article["dateModified"], "2022-05-30T00:00:00+07:00");
    assert_eq!(article["description"], "Talks on victim-centred care.");
    assert_eq!(article["inLanguage"], "en");
    assert_eq!(article["articleSection"], "Engagement");
    assert_eq!(article["identifier"], "ATCO-2022-017");
    assert_eq!(
        article["contentLocation"],
        serde_json::json!({"@type": "Place", "name": "Washington, D.C., United States"})
    );
    assert_eq!(
        article["about"],
        serde_json::json!([
            {"@type": "Organization", "name": "U.S. Department of State", "url": "https://example.org/partners/us-dos/"},
            {"@type": "Organization", "name": "International Labour Organization", "url": "https://example.org/partners/ilo/"},
        ])
    );
    assert_eq!(
        article["keywords"],
        serde_json::json!(["human trafficking", "forced labour"])
    );
    let site_org =
        serde_json::json!({"@type": "Organization", "name": "Structured & Co", "url": BASE});
    assert_eq!(article["publisher"], site_org);
    assert_eq!(article["author"], site_org);

    let crumbs = breadcrumb_items(node(&nodes, "BreadcrumbList", path));
    assert_eq!(
        crumbs,
        vec![
            (1, "Home".to_string(), BASE.to_string()),
            (
                2,
                "Timeline".to_string(),
                "https://example.org/timeline/".to_string()
            ),
            (
                3,
                "2022".to_string(),
                "https://example.org/timeline/2022/".to_string()
            ),
            (
                4,
                "Thai delegation meets U.S. partners in Washington".to_string(),
                url.to_string()
            ),
        ]
    );
}

#[test]
fn partner_pages_have_an_organization() {
    let site = Built::build();
    let path = "partners/us-dos/index.html";
    let nodes = site.graph(path);
    let org = node(&nodes, "Organization", path);
    assert_eq!(org["name"], "U.S. Department of State");
    assert_eq!(
        org["alternateName"],
        serde_json::json!(["US State Department", "Department of State"])
    );
    assert_eq!(org["url"], "https://www.state.gov");
    assert_eq!(org["sameAs"], serde_json::json!(["https://www.state.gov"]));
    assert_eq!(
        org["mainEntityOfPage"],
        "https://example.org/partners/us-dos/"
    );
    assert_eq!(
        org["description"],
        "The foreign ministry of the United States; it publishes the yearly Trafficking in \
         Persons Report & funds shelters."
    );
    let crumbs = breadcrumb_items(node(&nodes, "BreadcrumbList", path));
    assert_eq!(crumbs.len(), 3);
    assert_eq!(crumbs[1].2, "https://example.org/partners/");
    assert_eq!(crumbs[2].2, "https://example.org/partners/us-dos/");

    // Without a website, the organisation's URL is its page here, and nothing else is claimed.
    let path = "partners/ilo/index.html";
    let nodes = site.graph(path);
    let org = node(&nodes, "Organization", path);
    assert_eq!(org["url"], "https://example.org/partners/ilo/");
    assert_eq!(org["alternateName"], serde_json::json!(["ILO"]));
    assert!(org.get("sameAs").is_none() && org.get("description").is_none());
}

#[test]
fn home_page_has_a_website_and_no_breadcrumbs() {
    let site = Built::build();
    let nodes = site.graph("index.html");
    assert_eq!(nodes.len(), 1, "{nodes:#?}");
    let website = node(&nodes, "WebSite", "index.html");
    assert_eq!(website["name"], "Structured & Co");
    assert_eq!(website["url"], BASE);
    assert_eq!(website["inLanguage"], "en");
    assert_eq!(
        website["potentialAction"]["target"],
        "https://example.org/search/?q={search_term_string}"
    );
}

#[test]
fn every_page_has_meta_tags_feed_links_and_json_ld_with_absolute_urls() {
    let site = Built::build();
    let pages = site.pages();
    assert!(pages.len() > 15, "{pages:?}");
    for path in &pages {
        let html = site.read(path);
        for key in [
            "og:title",
            "og:description",
            "og:type",
            "og:url",
            "og:site_name",
            "og:locale",
            "twitter:card",
            "twitter:title",
            "twitter:description",
        ] {
            assert!(meta(&html, key).is_some(), "{path}: no {key}");
        }
        assert_eq!(meta(&html, "og:site_name").unwrap(), "Structured &amp; Co");
        assert_eq!(meta(&html, "og:locale").unwrap(), "en");
        assert_eq!(meta(&html, "twitter:card").unwrap(), "summary");
        let og_url = meta(&html, "og:url").unwrap();
        assert!(og_url.starts_with(BASE), "{path}: og:url {og_url}");
        let expected_type = if path.starts_with("news/") {
            "article"
        } else {
            "website"
        };
        assert_eq!(meta(&html, "og:type").unwrap(), expected_type, "{path}");
        assert!(
            html.contains(
                "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Structured &amp; Co\" href=\"/feed.xml\">"
            ),
            "{path}: no link to the site's feed"
        );

        let nodes = site.graph(path);
        let has_crumbs = nodes.iter().any(|n| n["@type"] == "BreadcrumbList");
        assert_eq!(has_crumbs, path != "index.html", "{path}: {nodes:#?}");
        let mut found = Vec::new();
        urls(&Value::Array(nodes), &mut found);
        for url in found {
            assert!(
                url.starts_with(BASE) || url == "https://www.state.gov",
                "{path}: URL `{url}` in JSON-LD is not absolute"
            );
        }
    }

    let subscribe = "Subscribe (Atom feed)</a>";
    let home = site.read("index.html");
    assert!(
        home.contains("href=\"/feed.xml\" type=\"application/atom+xml\"")
            && home.contains(subscribe)
    );
    let partner = site.read("partners/us-dos/index.html");
    assert!(partner.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Structured &amp; Co: U.S. Department of State\" href=\"/partners/us-dos/feed.xml\">"
    ));
    assert!(
        partner.contains("<a href=\"/partners/us-dos/feed.xml\" type=\"application/atom+xml\">")
    );
    assert!(partner.contains(subscribe));
    let topic = site.read("topics/forced-labour/index.html");
    assert!(topic.contains(
        "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Structured &amp; Co: forced labour\" href=\"/topics/forced-labour/feed.xml\">"
    ));
    assert!(topic.contains(subscribe));
    // The feeds linked to exist.
    for feed in [
        "feed.xml",
        "partners/us-dos/feed.xml",
        "topics/forced-labour/feed.xml",
    ] {
        assert!(site.output.join(feed).is_file(), "{feed}");
    }
}

#[test]
fn a_script_tag_in_a_title_cannot_break_out() {
    let site = Built::build();
    for path in site.pages() {
        let html = site.read(&path);
        assert!(
            !html.contains("<script>alert"),
            "{path} contains a raw <script>alert"
        );
    }
    let path = "news/script/index.html";
    let nodes = site.graph(path);
    let article = node(&nodes, "NewsArticle", path);
    assert_eq!(article["headline"], EVIL_TITLE);
    assert_eq!(
        article["contentLocation"]["name"],
        "</script><script>alert(3)</script>"
    );
    assert_eq!(
        article["about"][0]["name"],
        "Unregistered Partner </script><script>alert(2)</script>"
    );
    // The search index's display file of that entry (the newest: document 0).
    let script = site.read("search/index/d/0.js");
    assert!(script.contains("alert(1)"), "{script}");
    assert!(!script.contains('<') && !script.contains('\u{2028}'));
}

/// The field names of the table under `### Fields` in `docs/search.md`.
fn documented_fields() -> BTreeSet<String> {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/search.md")).unwrap();
    let mut fields = BTreeSet::new();
    let mut inside = false;
    for line in text.lines() {
        if line.starts_with('#') {
            inside = line == "### Fields";
        } else if inside
            && let Some(cell) = line.strip_prefix("| `")
            && let Some((name, _)) = cell.split_once('`')
        {
            fields.insert(name.to_string());
        }
    }
    assert!(!fields.is_empty(), "no field table in docs/search.md");
    fields
}

#[test]
fn search_index_has_the_documented_fields_and_only_published_entries() {
    let site = Built::build();
    let text = site.read("search-index.json");
    assert!(!text.contains('\n'), "the index is compact JSON");
    let index: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(index["version"], 1);
    let entries = index["entries"].as_array().unwrap();
    let fields = documented_fields();
    for entry in entries {
        let keys: BTreeSet<String> = entry.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, fields, "{entry}");
    }
    let urls: Vec<&str> = entries.iter().map(|e| e["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        [
            "/news/script/",
            "/news/labour-forum/",
            "/news/bangkok-thai/",
            "/news/washington/"
        ],
        "every published entry, newest first; no draft, no embargoed entry"
    );
    assert!(!text.contains("Draft visit") && !text.contains("Embargoed"));
    let washington = &entries[3];
    assert_eq!(
        washington,
        &serde_json::json!({
            "title": "Thai delegation meets U.S. partners in Washington",
            "date": "2022-05-24",
            "year": 2022,
            "kind": "Engagement",
            "partners": ["U.S. Department of State", "International Labour Organization"],
            "topics": ["human trafficking", "forced labour"],
            "location": "Washington, D.C., United States",
            "summary": "Talks on victim-centred care.",
            "reference": "ATCO-2022-017",
            "url": "/news/washington/",
        })
    );
    assert_eq!(entries[1]["kind"], "Press release");
    assert_eq!(entries[1]["location"], Value::Null);

    // The sharded index's display file of the Washington entry carries its values.
    let position = urls.iter().position(|u| *u == "/news/washington/").unwrap();
    // Display file `n` holds documents 4n to 4n + 3.
    let n = position / 4;
    let script = site.read(&format!("search/index/d/{n}.js"));
    let json = script
        .strip_prefix(&format!("gazetteSearch.docs({n},"))
        .and_then(|s| s.strip_suffix(");\n"))
        .expect("a display file is one call of gazetteSearch.docs");
    let docs: Value = serde_json::from_str(json).unwrap();
    let doc = &docs[position % 4];
    assert_eq!(doc["t"], entries[position]["title"]);
    assert_eq!(doc["u"], "/news/washington/");
    assert_eq!(doc["r"], "ATCO-2022-017");

    // The search page loads its script and names the index, relative to itself, and has its
    // no-JavaScript fallback.
    let page = site.read("search/index.html");
    assert!(page.contains("data-index=\"index/manifest.js\""));
    assert!(page.contains("<script src=\"../search.js\" defer></script>"));
    assert!(page.contains("role=\"search\""));
    assert!(page.contains("aria-live=\"polite\""));
    let noscript = &page[page.find("<noscript>").unwrap()..page.find("</noscript>").unwrap()];
    assert!(noscript.contains("href=\"/timeline/\"") && noscript.contains("href=\"/partners/\""));
    assert!(site.output.join("search.js").is_file());
}

// ---- headless Chromium ----

fn chromium() -> Option<PathBuf> {
    let fixed = PathBuf::from("/usr/bin/chromium");
    if fixed.is_file() {
        return Some(fixed);
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| ["chromium", "chromium-browser"].map(|name| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// Serves `root` on 127.0.0.1 (a random port) from a background thread; returns the origin.
fn serve(root: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let origin = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(stream, &root));
        }
    });
    origin
}

fn answer(mut stream: TcpStream, root: &Path) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut request_line = String::new();
    let mut reader = BufReader::new(&stream);
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut header = String::new();
        match reader.read_line(&mut header) {
            Ok(n) if n > 2 => continue,
            _ => break,
        }
    }
    let target = request_line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let mut file = root.join(path.trim_start_matches('/'));
    if path.contains("..") {
        file = root.join("missing");
    }
    if file.is_dir() {
        file = file.join("index.html");
    }
    let (status, body) = match fs::read(&file) {
        Ok(body) => ("200 OK", body),
        Err(_) => ("404 Not Found", b"not found".to_vec()),
    };
    let kind = match file.extension().and_then(|e| e.to_str()) {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

/// The DOM of `url` after its scripts ran, from headless Chromium; killed after 60 s.
fn dump_dom(chromium: &Path, profile: &Path, url: &str) -> String {
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(["--virtual-time-budget=5000", "--dump-dom", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = std::io::Read::read_to_string(&mut stdout, &mut text);
        text
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish within 60 s loading {url}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

/// The results list and the status line of a dumped search page.
fn results(dom: &str, url: &str) -> (String, String) {
    let list_start = dom
        .find("id=\"search-results\"")
        .unwrap_or_else(|| panic!("{url}: no results list in\n{dom}"));
    let list = &dom[list_start..];
    let list = &list[..list.find("</ol>").unwrap()];
    let status_start = dom.find("id=\"search-status\"").unwrap();
    let status = &dom[status_start..];
    let status = &status[status.find('>').unwrap() + 1..status.find("</p>").unwrap()];
    (list.to_string(), status.to_string())
}

#[test]
fn search_page_finds_entries_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        println!("skipping: chromium not installed");
        return;
    };
    let site = Built::build();
    let origin = serve(site.output.clone());
    let profile = site.site.tmp.join("chromium-profile");

    // English: word prefix. `washing` finds the Washington entry, not the others.
    let url = format!("{origin}/search/?q=washing");
    let dom = dump_dom(&chromium, &profile, &url);
    let (list, status) = results(&dom, &url);
    assert!(list.contains("href=\"/news/washington/\""), "{url}: {list}");
    assert!(!list.contains("/news/labour-forum/"), "{url}: {list}");
    assert!(!list.contains("/news/bangkok-thai/"), "{url}: {list}");
    assert!(!list.contains("Draft visit") && !list.contains("Embargoed"));
    assert_eq!(status, "1 entry matches “washing”.");
    assert!(
        list.contains("<mark>Washing</mark>ton"),
        "highlighted: {list}"
    );

    // Not a prefix of any word: nothing.
    let url = format!("{origin}/search/?q=ashington");
    let (list, status) = results(&dump_dom(&chromium, &profile, &url), &url);
    assert!(!list.contains("<li"), "{url}: {list}");
    assert_eq!(status, "No entries match “ashington”.");

    // Thai: a substring from the middle of a title.
    let url = format!(
        "{origin}/search/?q=%E0%B8%84%E0%B9%89%E0%B8%B2%E0%B8%A1%E0%B8%99%E0%B8%B8%E0%B8%A9%E0%B8%A2%E0%B9%8C"
    );
    let (list, _) = results(&dump_dom(&chromium, &profile, &url), &url);
    assert!(
        list.contains("href=\"/news/bangkok-thai/\""),
        "{url}: {list}"
    );
    assert!(!list.contains("/news/washington/"), "{url}: {list}");

    // Title matches first: `thai` is in the older entry's title ("Thai delegation") and in
    // the newer one's place ("Bangkok, Thailand").
    let url = format!("{origin}/search/?q=thai");
    let (list, status) = results(&dump_dom(&chromium, &profile, &url), &url);
    let washington = list
        .find("/news/washington/")
        .expect("the Washington visit");
    let bangkok = list.find("/news/bangkok-thai/").expect("the Bangkok entry");
    assert!(washington < bangkok, "title match first: {list}");
    assert_eq!(status, "2 entries match “thai”.");

    // Several words must all match, in any of the fields: partner and topic here.
    let url = format!("{origin}/search/?q=state+forced");
    let (list, _) = results(&dump_dom(&chromium, &profile, &url), &url);
    assert!(list.contains("/news/washington/"), "{url}: {list}");
    assert!(!list.contains("/news/labour-forum/"), "{url}: {list}");

    // Filters and sort in the address fill the form and run: the year leaves one of the
    // two, and by date the newer comes first.
    let url = format!("{origin}/search/?q=thai&year=2022");
    let (list, status) = results(&dump_dom(&chromium, &profile, &url), &url);
    assert!(list.contains("/news/washington/"), "{url}: {list}");
    assert!(!list.contains("/news/bangkok-thai/"), "{url}: {list}");
    assert_eq!(status, "1 entry matches “thai” with the filters chosen.");
    let url = format!("{origin}/search/?q=thai&sort=date");
    let (list, _) = results(&dump_dom(&chromium, &profile, &url), &url);
    let washington = list
        .find("/news/washington/")
        .expect("the Washington visit");
    let bangkok = list.find("/news/bangkok-thai/").expect("the Bangkok entry");
    assert!(bangkok < washington, "newest first: {list}");

    // From a copy on disk (file://), where fetch does not work, links point at index.html.
    let url = format!(
        "file://{}/search/index.html?q=washing",
        site.output.display()
    );
    let (list, _) = results(&dump_dom(&chromium, &profile, &url), &url);
    let expected = format!(
        "href=\"file://{}/news/washington/index.html\"",
        site.output.display()
    );
    assert!(list.contains(&expected), "{url}: {list}");
}
