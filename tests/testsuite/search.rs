//! The search index and the default theme's search script: what a reader types finds the
//! entries it should. The script runs under Node.js against a stub of the search page
//! (`search_page.js`); without `node` on the machine those checks are skipped, with a note.

use crate::support::Site;

/// What the search page shows for `query`: its status line and the URLs of the results, in
/// order; `None` when Node.js is not installed.
fn search(site: &Site, query: &str) -> Option<(String, Vec<String>)> {
    let harness = site.tmp.join("search_page.js");
    std::fs::write(&harness, include_str!("search_page.js")).unwrap();
    let run = std::process::Command::new("node")
        .arg(&harness)
        .arg(site.out())
        .arg(query)
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
    let found: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let urls = (found["urls"].as_array().unwrap().iter())
        .map(|u| u.as_str().unwrap().to_string())
        .collect();
    Some((found["status"].as_str().unwrap().to_string(), urls))
}

#[test]
fn a_partner_is_found_by_any_of_its_names_and_a_release_by_its_reference() {
    let site = Site::fixture("search-names");
    site.build_ok(&[]);
    // The index gives each registered partner's other names once, and each reference.
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
        let Some((status, urls)) = search(&site, query) else {
            return;
        };
        assert_eq!(urls, expected, "{query}: {status}");
    }
}
