//! The search index and the default theme's search script: what a reader types finds the
//! entries it should. The script runs under Node.js against a stub of the search page
//! (`search_page.js`), loading the index's files from the output folder as a browser would;
//! without `node` on the machine those checks are skipped, with a note.

use crate::support::Site;

/// What the search page shows for an address's query string (`?q=…&partner=…`): its status
/// line, results, the address it keeps, its form and the files it loaded; `None` when
/// Node.js is not installed. `clicks`: how often "Show more results" is pressed.
fn search_clicking(site: &Site, query: &str, clicks: usize) -> Option<serde_json::Value> {
    let harness = site.tmp.join("search_page.js");
    std::fs::write(&harness, include_str!("search_page.js")).unwrap();
    let run = std::process::Command::new("node")
        .arg(&harness)
        .arg(site.out())
        .arg(query)
        .arg(clicks.to_string())
        .output();
    let output = match run {
        Ok(output) => output,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("note: `node` is not installed; the search script is not run");
            return None;
        }
        Err(error) => panic!("cannot run node: {error}"),
    };
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(serde_json::from_slice(&output.stdout).unwrap())
}

fn search(site: &Site, query: &str) -> Option<serde_json::Value> {
    search_clicking(site, query, 0)
}

/// The fixture site `name`, built.
fn built(name: &str) -> Site {
    let site = Site::fixture(name);
    site.build_ok(&[]);
    site
}

/// The URLs of the results, in order.
fn urls(page: &serde_json::Value) -> Vec<&str> {
    (page["results"].as_array().unwrap().iter())
        .map(|r| r["url"].as_str().unwrap())
        .collect()
}

/// `?q=<query>`, encoded.
fn q(query: &str) -> String {
    let encoded: String = url_encode(query);
    format!("?q={encoded}")
}

fn url_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn a_partner_is_found_by_any_of_its_names_and_a_release_by_its_reference() {
    let site = built("search-names");
    // The whole index in one file still gives each registered partner's other names once,
    // and each reference.
    let index: serde_json::Value = serde_json::from_str(&site.page("/search-index.json")).unwrap();
    assert_eq!(
        index["partners"],
        serde_json::json!({
            "National Center for Missing & Exploited Children": ["ncmec", "CyberTipline operator"],
            "U.S. Department of State": ["us-dos", "State Department"],
        })
    );
    let release = (index["entries"].as_array().unwrap().iter())
        .find(|e| e["url"] == "/release/")
        .unwrap();
    assert_eq!(release["reference"], "MFA 0415/2565");

    let all_three = ["/release/", "/visit/", "/talks/"];
    for (query, expected) in [
        // The alias finds the entries that name the partner by its name, and its id those
        // that name it by its alias.
        ("NCMEC", &all_three[..]),
        ("cybertip", &all_three[..]),
        ("exploited children", &all_three[..]),
        ("State Department", &["/talks/"][..]),
        // A reference number, whole or in part.
        ("MFA 0415/2565", &["/release/"][..]),
        ("0415", &["/release/"][..]),
        ("0416", &[][..]),
    ] {
        let Some(page) = search(&site, &q(query)) else {
            return;
        };
        assert_eq!(urls(&page), expected, "{query}: {}", page["status"]);
    }
}

#[test]
fn words_of_bodies_and_thai_words_inside_running_text_are_found_and_marked() {
    let site = built("search-text");
    let Some(page) = search(&site, &q("songkhla")) else {
        return;
    };
    assert_eq!(urls(&page), ["/songkhla/"]);
    assert_eq!(page["status"], "1 entry matches “songkhla”.");
    let result = &page["results"][0];
    // The snippet is the text around the word, which is marked, not the summary.
    assert_eq!(
        result["snippet"],
        "… team. Later in the day it visited the shelter in Songkhla, where twelve survivors are cared for. ผู้แทนได้หารือเรื่องความร่วมมือต่อต้านการค้ามนุษย์ในจังหวัดสงขลากับเจ้าหน้าที่"
    );
    assert_eq!(result["marked"], serde_json::json!(["Songkhla"]));

    // Thai words from the middle of a run of Thai without spaces: the province, and
    // "trafficking in persons" (two words), typed with and without a space.
    for query in ["สงขลา", "ค้ามนุษย์", "ค้า มนุษย์", "การค้ามนุษย์ songkhla"]
    {
        let page = search(&site, &q(query)).unwrap();
        assert_eq!(urls(&page), ["/songkhla/"], "{query}: {}", page["status"]);
        let marked = page["results"][0]["marked"].as_array().unwrap();
        assert!(!marked.is_empty(), "{query}: nothing marked");
    }
    // A Thai word that is not there, though its letters are: "สงขลาม" is no word of it.
    let page = search(&site, &q("จังหวัดสงขลาม")).unwrap();
    assert_eq!(urls(&page), Vec::<&str>::new(), "{}", page["status"]);

    // A partner's alias, a reference number and a word only in a body.
    for (query, expected) in [
        ("OIM", &["/release/", "/songkhla/", "/older/"][..]),
        ("PR 15/2565", &["/release/"][..]),
        ("exploitation", &["/release/"][..]),
        // Three letters or more find the words they start (here "exploitation" and the
        // "Exploited" of a partner's name); fewer, whole words only.
        ("exploit", &["/release/", "/shelter/"][..]),
        ("ex", &[][..]),
    ] {
        let page = search(&site, &q(query)).unwrap();
        assert_eq!(urls(&page), expected, "{query}: {}", page["status"]);
    }
}

#[test]
fn filters_combine_and_the_address_gives_the_same_search_back() {
    let site = built("search-text");
    let Some(page) = search(&site, "?q=shelter&partner=iom&year=2022") else {
        return;
    };
    assert_eq!(urls(&page), ["/songkhla/"], "{}", page["status"]);
    assert_eq!(
        page["status"],
        "1 entry matches “shelter” with the filters chosen."
    );
    // The address filled the form, and the form keeps the address.
    assert_eq!(
        page["form"],
        serde_json::json!({"q": "shelter", "partner": "iom", "topic": "", "kind": "", "year": "2022", "language": "", "sort": ""})
    );
    assert_eq!(page["address"], "/search/?q=shelter&partner=iom&year=2022");
    // The facets come from the manifest: partners A to Z by name, years newest first.
    assert_eq!(
        page["options"]["partner"],
        serde_json::json!(["iom", "ncmec"])
    );
    assert_eq!(page["options"]["year"], serde_json::json!(["2022", "2021"]));

    for (query, expected) in [
        ("?q=shelter", &["/shelter/", "/songkhla/", "/older/"][..]),
        ("?q=shelter&year=2022", &["/shelter/", "/songkhla/"][..]),
        ("?partner=iom&kind=press-release", &["/release/"][..]),
        (
            "?topic=human-trafficking&year=2022",
            &["/shelter/", "/songkhla/"][..],
        ),
        ("?q=shelter&partner=ncmec&topic=online-safety", &[][..]),
        // A value the site does not have is no filter.
        ("?q=hotline&partner=nobody", &["/release/", "/shelter/"][..]),
    ] {
        let page = search(&site, query).unwrap();
        assert_eq!(urls(&page), expected, "{query}: {}", page["status"]);
    }
}

#[test]
fn title_matches_come_first_and_a_sort_by_date_puts_the_newest_first() {
    let site = built("search-text");
    // "hotline" is in the title of a release and in the text of a newer entry.
    let Some(page) = search(&site, &q("hotline")) else {
        return;
    };
    assert_eq!(urls(&page), ["/release/", "/shelter/"]);
    let page = search(&site, "?q=hotline&sort=date").unwrap();
    assert_eq!(urls(&page), ["/shelter/", "/release/"]);
    // Sorted by date: newest first, whatever fields the word is in.
    let page = search(&site, "?q=the&sort=date").unwrap();
    assert_eq!(
        urls(&page),
        ["/shelter/", "/release/", "/songkhla/", "/older/"],
        "{}",
        page["status"]
    );
}

#[test]
fn a_query_loads_the_manifest_its_words_shards_and_the_results_shown() {
    let site = Site::fixture("search-text");
    for n in 0..45 {
        site.write(
            &format!("content/more/n{n:02}.md"),
            format!(
                "---\ntitle: Meeting number {n}\ndate: 2020-01-{:02}\npartners: [iom]\n---\nA routine meeting.\n",
                n % 28 + 1
            ),
        );
    }
    site.build_ok(&[]);
    let Some(page) = search(&site, "?q=routine+meeting") else {
        return;
    };
    assert_eq!(
        page["status"],
        "45 entries match “routine meeting”; showing the first 20."
    );
    let loaded: Vec<&str> = (page["loaded"].as_array().unwrap().iter())
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    let shards = loaded.iter().filter(|p| p.contains("/s/")).count();
    let docs = loaded.iter().filter(|p| p.contains("/d/")).count();
    assert_eq!(loaded[0], "/search/index/manifest.js");
    assert!((1..=2).contains(&shards), "{loaded:?}");
    // The 20 newest meetings (all score alike) are documents 4 to 23, behind the fixture's
    // four newer entries: display files 1 to 5, of four documents each.
    assert_eq!(docs, 5, "{loaded:?}");
    assert_eq!(loaded.len(), 1 + shards + docs);

    // "Show more results" twice: 20 more, then the last 5.
    let page = search_clicking(&site, "?q=routine+meeting", 2).unwrap();
    assert_eq!(urls(&page).len(), 45);
    assert_eq!(page["status"], "45 entries match “routine meeting”.");
}
