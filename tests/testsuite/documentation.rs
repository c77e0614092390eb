//! Documentation that must stay true: every `site.yaml` key in one table, and what `init`
//! writes pointing to it.

use crate::support::Site;

fn read_doc(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn the_configuration_table_lists_every_site_yaml_key_in_order() {
    let doc = read_doc("docs/configuration.md");
    let table = &doc[doc
        .find("| key | default | what it does |")
        .expect("the table")..];
    let keys: Vec<&str> = table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with("| `"))
        .map(|line| line.trim_start_matches("| `").split('`').next().unwrap())
        .collect();
    assert_eq!(keys, gazette::config::KEYS);
}

#[test]
fn a_new_site_yaml_points_to_the_table_of_keys() {
    let site = Site::empty();
    let dir = site.tmp.join("new-site");
    site.run(&["init", dir.to_str().unwrap()]).assert_success();
    let yaml = std::fs::read_to_string(dir.join("site.yaml")).unwrap();
    assert!(
        yaml.starts_with(
            "# The settings of the site. Every key is optional; `gazette build` says which one is wrong\n\
             # and why. Every key, its default and what it does: the table in docs/configuration.md of\n"
        ),
        "{yaml}"
    );
    assert!(!yaml.contains("README"), "{yaml}");
    // Every key it sets is one the table documents.
    let doc = read_doc("docs/configuration.md");
    for line in yaml
        .lines()
        .filter(|l| !l.starts_with(['#', ' ']) && l.contains(':'))
    {
        let key = line.split(':').next().unwrap();
        assert!(doc.contains(&format!("| `{key}` |")), "{key}");
    }
}

#[test]
fn the_deploy_guide_covers_each_host_and_the_marker() {
    let doc = read_doc("docs/deploy.md");
    for needle in [
        "## GitHub Pages",
        "## GitLab Pages",
        "## Netlify or Cloudflare Pages",
        "## An object store behind a CDN",
        "    - cron: \"7 * * * *\"",
        "gazette build --base-url \"${{ steps.pages.outputs.base_url }}/\" --output public",
        "gazette build --base-url \"$CI_PAGES_URL/\" --output public",
        "The `.gazette` marker.",
        "Cache-Control",
    ] {
        assert!(doc.contains(needle), "{needle}");
    }
    // Its `gazette` commands use only options `build` has.
    let help = Site::empty().run(&["build", "--help"]).stdout;
    for option in doc
        .lines()
        .filter(|l| l.trim_start().starts_with("gazette build") || l.contains("- gazette build"))
        .flat_map(|l| l.split_whitespace().filter(|w| w.starts_with("--")))
    {
        assert!(help.contains(option), "{option} is not an option of build");
    }
}
