//! Test helpers: copy a fixture site into a fresh temporary folder, run the built `gazette`
//! binary on it, and read what it wrote.
//!
//! Every test gets its own temporary folder (`[TMP]` in redacted output) holding the site in
//! `site/` and the output in `out/`. The binary is the one Cargo built for this test run; it is
//! never rebuilt per test.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub mod serve;

/// The moment every build judges embargoes against, so builds are repeatable.
pub const NOW: &str = "2026-01-01T00:00:00Z";

/// Held for writing by the tests that measure `gazette serve` (its throughput, its memory) for
/// their whole run, and for reading by every other running server ([`serve::Server`]): the
/// measuring tests run one at a time and beside no other server, whose rebuilds would take
/// the cores they measure, and the tests of `serve` that wait for a quiet moment or count
/// rebuilds never run beside the load of a measuring test. Builds and other tests still run
/// beside both.
static MEASURING: RwLock<()> = RwLock::new(());

thread_local! {
    /// How many [`Turn`]s this thread holds: only the first takes the lock, so that a test
    /// holding it can start a server without waiting for itself.
    static TURNS: Cell<usize> = const { Cell::new(0) };
}

/// A hold on [`MEASURING`], released when dropped (on the thread that took it).
pub struct Turn {
    _alone: Option<RwLockWriteGuard<'static, ()>>,
    _beside: Option<RwLockReadGuard<'static, ()>>,
}

impl Turn {
    /// The whole machine for this test: waits until no other server runs.
    pub fn alone() -> Turn {
        Turn::take(true)
    }

    /// A turn beside other tests, but not beside one that measures.
    pub fn beside_others() -> Turn {
        Turn::take(false)
    }

    fn take(alone: bool) -> Turn {
        let held = TURNS.with(|turns| turns.replace(turns.get() + 1));
        let mut turn = Turn {
            _alone: None,
            _beside: None,
        };
        if held == 0 && alone {
            turn._alone = Some(MEASURING.write().unwrap_or_else(PoisonError::into_inner));
        } else if held == 0 {
            turn._beside = Some(MEASURING.read().unwrap_or_else(PoisonError::into_inner));
        }
        turn
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        TURNS.with(|turns| turns.set(turns.get() - 1));
    }
}

/// The folder of the fixture sites.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Copies the folder `from` to `to`, recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for item in fs::read_dir(from).unwrap() {
        let item = item.unwrap();
        let target = to.join(item.file_name());
        if item.file_type().unwrap().is_dir() {
            copy_dir(&item.path(), &target);
        } else {
            fs::copy(item.path(), &target).unwrap();
        }
    }
}

/// Adds every file under `dir` to `found`, as a `/`-separated path relative to `root`.
pub fn walk(root: &Path, dir: &Path, found: &mut Vec<String>) {
    for item in fs::read_dir(dir).unwrap() {
        let path = item.unwrap().path();
        if path.is_dir() {
            walk(root, &path, found);
        } else {
            let rel = path.strip_prefix(root).unwrap();
            found.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// A fixture site copied into a temporary folder.
pub struct Site {
    _tmp: tempfile::TempDir,
    /// The temporary folder: `site/` and `out/` live in it.
    pub tmp: PathBuf,
    /// The copied site folder.
    pub root: PathBuf,
}

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    /// Standard output with the temporary folder replaced by `[TMP]`.
    pub stdout: String,
    /// Standard error with the temporary folder replaced by `[TMP]`.
    pub stderr: String,
}

impl Site {
    /// Copies `tests/fixtures/<name>` to `<tmp>/site`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        let source = fixtures().join(name);
        assert!(source.is_dir(), "no fixture `{}`", source.display());
        copy_dir(&source, &site.root);
        site
    }

    /// An empty site folder (no `site.yaml`, no `content/`).
    pub fn empty() -> Site {
        let tmp = tempfile::Builder::new()
            .prefix("gazette-test-")
            .tempdir()
            .expect("cannot create a temporary folder");
        let path = tmp.path().to_path_buf();
        let root = path.join("site");
        fs::create_dir_all(&root).unwrap();
        Site {
            _tmp: tmp,
            tmp: path,
            root,
        }
    }

    /// A path inside the site folder.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Writes a file of the site, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, contents).unwrap();
    }

    /// Writes `rel` as an editor's atomic save does: a hidden temporary file beside it, renamed
    /// over it.
    pub fn save(&self, rel: &str, text: &str) {
        let path = self.path(rel);
        let name = path.file_name().unwrap().to_string_lossy();
        let temp = path.with_file_name(format!(".{name}.tmp"));
        fs::write(&temp, text).unwrap();
        fs::rename(&temp, &path).unwrap();
    }

    /// The default output folder of the tests, `<tmp>/out`.
    pub fn out(&self) -> PathBuf {
        self.tmp.join("out")
    }

    /// Runs `gazette build --site <site> --output <tmp>/out --now NOW` plus `extra`.
    pub fn build(&self, extra: &[&str]) -> Run {
        let out = self.out();
        self.build_into(&out, extra)
    }

    /// Like [`Site::build`] into another output folder.
    pub fn build_into(&self, out: &Path, extra: &[&str]) -> Run {
        let mut args: Vec<String> = vec![
            "build".into(),
            "--site".into(),
            self.root.display().to_string(),
            "--output".into(),
            out.display().to_string(),
        ];
        if !extra.contains(&"--now") {
            args.push("--now".into());
            args.push(NOW.into());
        }
        args.extend(extra.iter().map(|a| a.to_string()));
        self.run(&args)
    }

    /// The entry whose slug is `slug` in the last build's `data/entries.json`.
    pub fn data_entry(&self, slug: &str) -> serde_json::Value {
        let json = fs::read_to_string(self.out().join("data/entries.json")).unwrap();
        let mut json: serde_json::Value = serde_json::from_str(&json).unwrap();
        let entries = json["entries"].as_array_mut().unwrap();
        let at = entries.iter().position(|e| e["slug"] == slug);
        entries.swap_remove(at.unwrap_or_else(|| panic!("no entry `{slug}` in the open data")))
    }

    /// Adds the entry `rel` (front matter `title: Bad`, `date: 2024-01-01`, then `fields`) and
    /// checks that the build fails and that stderr starts with exactly `expected`.
    pub fn fails_with_entry(&self, rel: &str, fields: &str, expected: &str) {
        self.write(
            rel,
            format!("---\ntitle: Bad\ndate: 2024-01-01\n{fields}\n---\nBody.\n"),
        );
        let run = self.build(&[]);
        run.assert_code(1);
        run.assert_stderr_starts_with(expected);
    }

    /// Builds and fails the test, showing stderr, unless the build succeeded.
    pub fn build_ok(&self, extra: &[&str]) -> Run {
        let run = self.build(extra);
        run.assert_success();
        run
    }

    /// Runs the binary with `args`, in the temporary folder.
    pub fn run<S: AsRef<str>>(&self, args: &[S]) -> Run {
        let output = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(args.iter().map(AsRef::as_ref))
            .current_dir(&self.tmp)
            .env("NO_COLOR", "1")
            // The photo cache goes with the test's folder, not into the user's.
            .env("XDG_CACHE_HOME", self.tmp.join("cache"))
            .output()
            .expect("cannot run the gazette binary");
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: self.redact(&String::from_utf8_lossy(&output.stdout)),
            stderr: self.redact(&String::from_utf8_lossy(&output.stderr)),
        }
    }

    fn redact(&self, text: &str) -> String {
        let mut text = text.to_string();
        if let Ok(canonical) = fs::canonicalize(&self.tmp) {
            text = text.replace(&canonical.display().to_string(), "[TMP]");
        }
        text.replace(&self.tmp.display().to_string(), "[TMP]")
    }

    /// The output file of a site URL (`/partners/iom/` → `out/partners/iom/index.html`).
    pub fn output_file(&self, url: &str) -> PathBuf {
        let rel = url.trim_start_matches('/');
        let mut path = self.out().join(rel);
        if rel.is_empty() || rel.ends_with('/') {
            path.push("index.html");
        }
        path
    }

    /// Whether the last build wrote the page at `url`.
    pub fn has_page(&self, url: &str) -> bool {
        self.output_file(url).is_file()
    }

    /// The text of the page at `url`.
    pub fn page(&self, url: &str) -> String {
        let path = self.output_file(url);
        fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "cannot read the page `{url}` ({}): {e}\nfiles: {:#?}",
                path.display(),
                self.output_files()
            )
        })
    }

    /// The `<main>…</main>` of the page at `url`.
    pub fn main_of(&self, url: &str) -> String {
        main_of(&self.page(url))
            .unwrap_or_else(|| panic!("the page `{url}` has no <main>"))
            .to_string()
    }

    /// Output-relative paths of every file in the output folder, sorted.
    pub fn output_files(&self) -> Vec<String> {
        files_of(&snapshot(&self.out()))
            .into_keys()
            .map(str::to_string)
            .collect()
    }
}

impl Run {
    /// Fails the test, showing stderr, unless the run exited 0.
    pub fn assert_success(&self) {
        assert_eq!(
            self.code, 0,
            "expected success\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
    }

    /// Asserts the exit code, showing the output when it differs.
    pub fn assert_code(&self, code: i32) {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
    }

    /// Asserts that stderr starts with exactly `expected` (compared line by line).
    pub fn assert_stderr_starts_with(&self, expected: &str) {
        let expected: Vec<&str> = expected.lines().collect();
        let actual: Vec<&str> = self.stderr.lines().take(expected.len()).collect();
        assert_eq!(
            actual, expected,
            "stderr does not start as expected\n--- stderr\n{}",
            self.stderr
        );
    }

    /// Asserts that stderr contains `block` (several lines, in this order, adjacent).
    pub fn assert_stderr_contains(&self, block: &str) {
        assert!(
            self.stderr.contains(block),
            "stderr lacks\n{block}\n--- stderr\n{}",
            self.stderr
        );
    }

    /// The number of diagnostics of a severity (`error`, `warning`) on stderr, not counting
    /// the closing summary line.
    pub fn count(&self, severity: &str) -> usize {
        let prefix = format!("{severity}: ");
        self.stderr
            .lines()
            .filter(|l| {
                l.starts_with(&prefix)
                    && !l.contains("the build failed with")
                    && !l.starts_with("error: the check found")
            })
            .count()
    }
}

/// The `<main>…</main>` element of an HTML page.
pub fn main_of(html: &str) -> Option<&str> {
    let start = html.find("<main")?;
    let end = html[start..].find("</main>")? + start + "</main>".len();
    Some(&html[start..end])
}

/// Every value of `attr="…"` in `html`, with its byte offset, in document order.
pub fn attributes(html: &str, attr: &str) -> Vec<(usize, String)> {
    let needle = format!(" {attr}=\"");
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(index) = html[from..].find(&needle) {
        let start = from + index + needle.len();
        let end = start + html[start..].find('"').expect("unclosed attribute");
        found.push((from + index, html[start..end].to_string()));
        from = end;
    }
    found
}

/// Every `href` of `html` in document order.
pub fn hrefs(html: &str) -> Vec<String> {
    attributes(html, "href")
        .into_iter()
        .map(|(_, v)| v)
        .collect()
}

/// How often `needle` occurs in `haystack`.
pub fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}

/// What a path in a snapshot is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Dir,
    File(Vec<u8>),
    Link(PathBuf),
}

/// Every path under `dir` (relative, `/`-separated) and what it holds; symbolic links are
/// recorded, not followed. An absent folder is an empty snapshot.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Node> {
    fn walk(dir: &Path, prefix: &str, into: &mut BTreeMap<String, Node>) {
        let Ok(items) = fs::read_dir(dir) else {
            return;
        };
        for item in items {
            let item = item.unwrap();
            let name = item.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name
            } else {
                format!("{prefix}/{name}")
            };
            let meta = fs::symlink_metadata(item.path()).unwrap();
            if meta.file_type().is_symlink() {
                into.insert(rel, Node::Link(fs::read_link(item.path()).unwrap()));
            } else if meta.is_dir() {
                walk(&item.path(), &rel, into);
                into.insert(rel, Node::Dir);
            } else {
                into.insert(rel, Node::File(fs::read(item.path()).unwrap()));
            }
        }
    }
    let mut map = BTreeMap::new();
    walk(dir, "", &mut map);
    map
}

/// Only the files of a snapshot.
pub fn files_of(snapshot: &BTreeMap<String, Node>) -> BTreeMap<&str, &[u8]> {
    snapshot
        .iter()
        .filter_map(|(path, node)| match node {
            Node::File(bytes) => Some((path.as_str(), bytes.as_slice())),
            _ => None,
        })
        .collect()
}

/// Output-relative paths of the files under `dir` whose bytes contain `needle`.
pub fn files_containing(dir: &Path, needle: &str) -> Vec<String> {
    let needle = needle.as_bytes();
    files_of(&snapshot(dir))
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|w| w == needle))
        .map(|(path, _)| path.to_string())
        .collect()
}

/// RFC 5545 content lines: unfolded, then the value of each `name` property unescaped.
pub fn ics_values(ics: &str, name: &str) -> Vec<String> {
    let unfolded = ics.replace("\r\n ", "").replace("\r\n\t", "");
    unfolded
        .split("\r\n")
        .filter_map(|line| line.strip_prefix(name)?.strip_prefix(':'))
        .map(unescape_ics)
        .collect()
}

/// An iCalendar text value with its escapes (`\n`, `\,`, `\;`, `\\`) undone.
pub fn unescape_ics(value: &str) -> String {
    let mut out = String::new();
    let mut chars = value.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}
