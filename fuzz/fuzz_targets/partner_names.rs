//! Partner-name matching and slugs on any text.
//!
//! The input is names, one per line; when it holds a line `---`, what comes before is a
//! `partners.yaml` to build the registry from instead of the built-in one. Checks: `normalise`
//! is idempotent and ignores case, spacing and `&`/`and` as documented; `Registry::find`
//! gives the same partner for a name and its normal form; every registered id, name and
//! alias finds its own partner when the registry has no errors; `slugify` is always a
//! non-empty `[a-z0-9-]` slug and the same for the same text.
#![no_main]

use std::sync::OnceLock;

use gazette::content::partners::{self, Registry};
use gazette::slug;
use libfuzzer_sys::fuzz_target;

const REGISTRY: &str = "\
- id: us-dos
  name: U.S. Department of State
  aliases: [US State Department, Department of State]
  type: government
- id: ncmec
  name: National Center for Missing & Exploited Children
  aliases: [NCMEC]
  type: ngo
- id: iom
  name: International Organization for Migration
  aliases: [IOM, ÖIF Ärzte, การค้ามนุษย์]
- id: x
  name: \"  Spaced   Name \"
";

fn default_registry() -> &'static Registry {
    static REG: OnceLock<Registry> = OnceLock::new();
    REG.get_or_init(|| {
        let (registry, problems) = partners::parse(REGISTRY, |t| t.to_string());
        assert!(problems.is_empty(), "{problems:?}");
        registry
    })
}

fn check_registry(registry: &Registry, clean: bool) {
    if !clean {
        return;
    }
    for partner in &registry.partners {
        for key in std::iter::once(&partner.id)
            .chain(std::iter::once(&partner.name))
            .chain(partner.aliases.iter())
        {
            if partners::normalise(key).is_empty() {
                continue;
            }
            let found = registry.find(key).map(|p| p.id.as_str());
            assert_eq!(found, Some(partner.id.as_str()), "`{key}`");
        }
    }
}

fn check_name(registry: &Registry, name: &str) {
    let normal = partners::normalise(name);
    assert_eq!(
        partners::normalise(&normal),
        normal,
        "idempotent for {name:?}"
    );
    assert!(!normal.starts_with(' ') && !normal.ends_with(' ') && !normal.contains("  "));
    assert!(!normal.contains('&'));
    let id = |n: &str| registry.find(n).map(|p| p.id.clone());
    let found = id(name);
    assert_eq!(found, id(&normal), "{name:?} and its normal form");
    assert_eq!(
        found,
        id(&format!("  {}\t", name.replace(' ', "   "))),
        "spacing of {name:?}"
    );
    assert_eq!(found, id(&name.to_lowercase()), "case of {name:?}");

    let slug = slug::slugify(name);
    assert!(slug::is_slug(&slug), "slugify({name:?}) = {slug:?}");
    assert!(
        slug.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    );
    assert_eq!(slug, slug::slugify(name), "deterministic");
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (own, names) = match text.split_once("\n---\n") {
        Some((yaml, names)) => {
            let (registry, problems) = partners::parse(yaml, |t| t.to_string());
            for problem in &problems {
                let _ = problem.to_string();
            }
            check_registry(&registry, !problems.iter().any(|p| p.is_error()));
            (Some(registry), names)
        }
        None => (None, text.as_ref()),
    };
    let registry = own.as_ref().unwrap_or_else(|| default_registry());
    for name in names.split('\n') {
        check_name(registry, name);
    }
});
