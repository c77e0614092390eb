//! The site as `serve` holds it: every output path and its body, one complete build.
//!
//! A [`Snapshot`] is made from a successful build and never changes; `serve` swaps in a new
//! one after each rebuild, so a response is always a whole file of one build. Generated files
//! are held in memory; copied files (static files, files beside entries) are served from their
//! copy in the output folder.
//!
//! The output folder is kept up to date in two steps around the swap. [`Snapshot::next`]
//! removes the files that are gone and copies the copied files that changed (they are served
//! from the output folder, so they must be in place first); [`Pending::apply`], once the new
//! snapshot is served, writes the generated files whose bytes changed. Pages are answered from
//! memory, so a reload never waits for the disk. Files a rebuild hands over as a [`Stream`]
//! are made only when first wanted ([`Lazy`]), so a reload does not wait for them either. Every file is written through a temporary
//! file renamed over the old one in its own folder, and only at paths [`output::is_safe`]
//! accepts: nothing is written outside the output folder. The first build goes through
//! [`output::write`] (all or nothing).

use ahash::HashMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::output::{self, remove, replace};
use crate::render::{Contents, OutputFile, Stream};

/// The body of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(bytes::Bytes),
    /// A generated file made when it is first asked for or written (the open data and the
    /// search index after a rebuild): see [`Lazy`].
    Lazy(Arc<Lazy>),
    /// A copied file: its copy in the output folder, and what it was copied from.
    File {
        path: PathBuf,
        source: Stamp,
    },
}

/// A file a rebuild handed over as a [`Stream`], made whole the first time it is wanted: by a
/// request, or by [`Pending::apply`] once the reload message is out.
///
/// These are the large files every rebuild makes again from rows kept per entry (the open data
/// and the search index, tens of megabytes at 10,000 entries). Putting them together took a
/// sixth of a new entry's rebuild; no page a reload shows needs them. Whether one changed is
/// told without making it, from its stream's identity (which rows it is made of): one
/// without an identity, or of another, counts as changed ([`Pending::changed`]).
///
/// Its stream must not use rayon. [`Pending::apply`] makes it on a rayon thread, inside the
/// cell; a thread waiting there for rayon work may take on another file, one a request is
/// making, whose maker waits in turn for rayon: with as many such requests as the pool has
/// threads, they all wait for each other. The streams `serve` hands over (made from the rows
/// kept per entry) only join strings.
pub struct Lazy {
    stream: Stream,
    bytes: OnceLock<bytes::Bytes>,
}

impl Lazy {
    fn new(stream: Stream) -> Lazy {
        Lazy {
            stream,
            bytes: OnceLock::new(),
        }
    }

    /// A lazy file made already.
    fn made(stream: Stream, bytes: bytes::Bytes) -> Lazy {
        Lazy {
            stream,
            bytes: OnceLock::from(bytes),
        }
    }

    /// Whether it makes the same bytes as `other` for certain, without making either: both
    /// streams have an identity, the same ([`Stream::with_identity`]).
    fn surely_same(&self, other: &Lazy) -> bool {
        self.stream.identity().is_some() && self.stream.identity() == other.stream.identity()
    }

    /// The whole file, made now if it was not yet (a second caller waits for the first).
    pub fn bytes(&self) -> &bytes::Bytes {
        self.bytes.get_or_init(|| self.stream.collect())
    }
}

impl std::fmt::Debug for Lazy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.bytes.get().is_some() {
            "Lazy(made)"
        } else {
            "Lazy"
        })
    }
}

impl PartialEq for Lazy {
    fn eq(&self, other: &Self) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Lazy {}

/// What a copied file's source looked like when it was copied, to tell whether it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub source: PathBuf,
    pub len: u64,
    pub modified: Option<SystemTime>,
}

impl Stamp {
    fn of(source: &Path) -> anyhow::Result<Stamp> {
        let meta = fs::metadata(source)
            .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", source.display()))?;
        Ok(Stamp {
            source: source.to_path_buf(),
            len: meta.len(),
            modified: meta.modified().ok(),
        })
    }
}

/// One build of the site, by output path (`/`-separated, relative: `timeline/index.html`).
#[derive(Debug, Default)]
pub struct Snapshot {
    pub files: HashMap<String, Body>,
    /// The path the site is served under: `/` or `/sub/` (from `base_url`).
    pub base_path: String,
    /// The output folder the copied files are in.
    pub out_dir: PathBuf,
}

/// What a build did to the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
}

impl Snapshot {
    /// Writes a first build to `out_dir` with [`output::write`] (all or nothing) and holds it.
    pub fn write(
        out_dir: &Path,
        base_path: &str,
        files: Vec<OutputFile>,
    ) -> anyhow::Result<(Snapshot, Changes)> {
        let report = output::write(out_dir, &files)?;
        let mut map = HashMap::with_capacity_and_hasher(files.len(), Default::default());
        for file in files {
            let body = match file.contents {
                Contents::Bytes(bytes) => Body::Bytes(bytes),
                Contents::Stream(stream) => {
                    let bytes = stream.collect();
                    Body::Lazy(Arc::new(Lazy::made(stream, bytes)))
                }
                Contents::Copy(source) => Body::File {
                    path: out_dir.join(&file.path),
                    source: Stamp::of(&source)?,
                },
            };
            map.insert(file.path, body);
        }
        let snapshot = Snapshot {
            files: map,
            base_path: base_path.to_string(),
            out_dir: out_dir.to_path_buf(),
        };
        let changes = Changes {
            written: report.written,
            removed: 0,
        };
        Ok((snapshot, changes))
    }

    /// The snapshot of the build after `previous`, ready to be served, and the generated
    /// files still to write. Files that are gone are removed and copied files that changed are
    /// copied now. A different output folder (after `site.yaml` changed) is written whole.
    pub fn next(
        previous: &Arc<Snapshot>,
        out_dir: &Path,
        base_path: &str,
        files: Vec<OutputFile>,
    ) -> anyhow::Result<(Snapshot, Pending)> {
        if out_dir != previous.out_dir || !out_dir.is_dir() {
            let (snapshot, changes) = Snapshot::write(out_dir, base_path, files)?;
            return Ok((snapshot, Pending::done(out_dir, changes)));
        }
        // Copied files: whether each changed (a `stat` of its source).
        let bodies: Vec<(String, Body, Option<PathBuf>)> = files
            .into_par_iter()
            .map(|file| match file.contents {
                Contents::Bytes(bytes) => Ok((file.path, Body::Bytes(bytes), None)),
                Contents::Stream(stream) => {
                    Ok((file.path, Body::Lazy(Arc::new(Lazy::new(stream))), None))
                }
                Contents::Copy(source) => {
                    let stamp = Stamp::of(&source)?;
                    let target = out_dir.join(&file.path);
                    let same = matches!(previous.files.get(&file.path),
                        Some(Body::File { source: old, .. }) if *old == stamp)
                        && fs::symlink_metadata(&target).is_ok_and(|m| m.is_file());
                    let copy = (!same).then(|| source.clone());
                    Ok((
                        file.path,
                        Body::File {
                            path: target,
                            source: stamp,
                        },
                        copy,
                    ))
                }
            })
            .collect::<anyhow::Result<_>>()?;
        let mut copies = Vec::new();
        let mut map = HashMap::with_capacity_and_hasher(bodies.len(), Default::default());
        for (path, body, copy) in bodies {
            if let Some(source) = copy {
                copies.push((path.clone(), source));
            }
            map.insert(path, body);
        }
        let scan = scan(previous, &map);
        let mut gone: Vec<&String> = if scan.present < previous.files.len() {
            previous
                .files
                .keys()
                .filter(|p| !map.contains_key(*p))
                .collect()
        } else {
            Vec::new()
        };
        gone.sort();
        // Removed before copying, in case a file made way for a folder of the same name.
        for path in &gone {
            remove(out_dir, path)?;
        }
        copies.par_iter().try_for_each(|(path, source)| {
            replace(out_dir, path, |temp| crate::tree::copy(source, temp))
        })?;
        let snapshot = Snapshot {
            files: map,
            base_path: base_path.to_string(),
            out_dir: out_dir.to_path_buf(),
        };
        let changed = !gone.is_empty()
            || !copies.is_empty()
            || scan.resized
            || previous.base_path != snapshot.base_path
            || same_size_differs(previous, &snapshot);
        let pending = Pending {
            out_dir: out_dir.to_path_buf(),
            previous: Some(previous.clone()),
            changes: Changes {
                written: copies.len(),
                removed: gone.len(),
            },
            changed,
        };
        Ok((snapshot, pending))
    }
}

/// One pass over the next build's files: how many `previous` has too, and whether any is new
/// or a generated file changed size (cheap, and almost always enough to tell a change).
struct Scan {
    present: usize,
    resized: bool,
}

fn scan(previous: &Snapshot, next: &HashMap<String, Body>) -> Scan {
    next.par_iter()
        .map(|(path, body)| {
            let old = previous.files.get(path);
            let resized = match (body, old) {
                (_, None) => true,
                (Body::Bytes(new), Some(Body::Bytes(old))) => new.len() != old.len(),
                (Body::Lazy(new), Some(Body::Lazy(old))) => !new.surely_same(old),
                (Body::Bytes(_) | Body::Lazy(_), Some(_)) => true,
                (Body::File { .. }, Some(_)) => false,
            };
            Scan {
                present: usize::from(old.is_some()),
                resized,
            }
        })
        .reduce(
            || Scan {
                present: 0,
                resized: false,
            },
            |a, b| Scan {
                present: a.present + b.present,
                resized: a.resized || b.resized,
            },
        )
}

/// A generated file's bytes (a lazy one's made now); `None` for a copied file.
fn bytes_of(body: &Body) -> Option<&bytes::Bytes> {
    match body {
        Body::Bytes(bytes) => Some(bytes),
        Body::Lazy(lazy) => Some(lazy.bytes()),
        Body::File { .. } => None,
    }
}

/// Whether a generated file's bytes changed, its size staying the same.
fn same_size_differs(previous: &Snapshot, next: &Snapshot) -> bool {
    next.files
        .par_iter()
        .any(|(path, body)| match (body, previous.files.get(path)) {
            (Body::Bytes(new), Some(Body::Bytes(old))) => new != old,
            _ => false,
        })
}

/// The output folder's side of a new snapshot: the generated files still to write.
#[derive(Debug)]
pub struct Pending {
    out_dir: PathBuf,
    /// What the output folder holds now, to write only what differs from it.
    previous: Option<Arc<Snapshot>>,
    /// Files written and removed so far (copied files, files that are gone).
    pub changes: Changes,
    /// Whether anything served differs from the previous snapshot (or may: a [`Lazy`] file
    /// counts unless it surely makes the same bytes).
    pub changed: bool,
}

impl Pending {
    /// Nothing left to do: the whole output folder was written already.
    pub fn done(out_dir: &Path, changes: Changes) -> Pending {
        Pending {
            out_dir: out_dir.to_path_buf(),
            previous: None,
            changes,
            changed: true,
        }
    }

    /// Writes the generated files of `snapshot` (the one [`Snapshot::next`] returned with
    /// this) whose bytes changed; returns everything this build wrote and removed. A panic
    /// while making or writing them is an error here, as the build's are: the server goes on.
    pub fn apply(self, snapshot: &Snapshot) -> anyhow::Result<Changes> {
        catch_unwind(AssertUnwindSafe(|| self.write(snapshot))).unwrap_or_else(|panic| {
            Err(anyhow::anyhow!(
                "writing it crashed: {}\nhint: this is a bug in gazette",
                super::panic_reason(panic.as_ref())
            ))
        })
    }

    fn write(&self, snapshot: &Snapshot) -> anyhow::Result<Changes> {
        let Some(previous) = &self.previous else {
            return Ok(self.changes);
        };
        let written = snapshot
            .files
            .par_iter()
            .map(|(path, body)| {
                let Some(new) = bytes_of(body) else {
                    return Ok(0);
                };
                if previous.files.get(path).and_then(bytes_of) == Some(new) {
                    return Ok(0);
                }
                replace(&self.out_dir, path, |temp| fs::write(temp, new)).map(|()| 1)
            })
            .sum::<anyhow::Result<usize>>()?;
        Ok(Changes {
            written: self.changes.written + written,
            removed: self.changes.removed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.as_bytes().to_vec().into()),
        }
    }

    #[test]
    fn next_writes_changes_and_removes_what_is_gone() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let (first, _) = Snapshot::write(
            &out,
            "/",
            vec![
                page("index.html", "home"),
                page("a/index.html", "a"),
                page("b/index.html", "b"),
            ],
        )
        .unwrap();
        let first = Arc::new(first);
        let (second, pending) = Snapshot::next(
            &first,
            &out,
            "/",
            vec![page("index.html", "home"), page("a/index.html", "a2")],
        )
        .unwrap();
        assert!(pending.changed);
        assert!(!out.join("b").exists(), "gone files are removed at once");
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "a");
        let changes = pending.apply(&second).unwrap();
        assert_eq!(
            changes,
            Changes {
                written: 1,
                removed: 1
            }
        );
        assert_eq!(fs::read_to_string(out.join("a/index.html")).unwrap(), "a2");
        assert!(!out.join("b").exists(), "the emptied folder is removed");
        assert!(out.join(output::MARKER).exists());
        assert_eq!(second.files.len(), 2);

        // The same files again: nothing changed, nothing written.
        let second = Arc::new(second);
        let (third, pending) = Snapshot::next(
            &second,
            &out,
            "/",
            vec![page("index.html", "home"), page("a/index.html", "a2")],
        )
        .unwrap();
        assert!(!pending.changed);
        assert_eq!(pending.apply(&third).unwrap(), Changes::default());
    }

    /// A streamed file with `text` and `identity`, counting how many times it is made in
    /// `made`.
    fn streamed(text: &'static str, identity: Option<u64>, made: &Arc<AtomicUsize>) -> OutputFile {
        let made = made.clone();
        let stream = Stream::new(move |write| {
            made.fetch_add(1, Ordering::Relaxed);
            write(text.as_bytes())
        });
        OutputFile {
            path: "data.json".into(),
            contents: Contents::Stream(match identity {
                Some(identity) => stream.with_identity(identity),
                None => stream,
            }),
        }
    }

    #[test]
    fn a_streamed_file_is_made_once_asked_for_or_written_and_changed_by_its_identity() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let made = Arc::new(AtomicUsize::new(0));
        let home = || page("index.html", "home");
        let (first, _) =
            Snapshot::write(&out, "/", vec![home(), streamed("[1]", Some(1), &made)]).unwrap();
        let first = Arc::new(first);
        let made_first = made.load(Ordering::Relaxed);
        let next = |previous: &Arc<Snapshot>, identity: Option<u64>| {
            let files = vec![home(), streamed("[1,2]", identity, &made)];
            Snapshot::next(previous, &out, "/", files).unwrap()
        };
        let lazy = |snapshot: &Snapshot| match snapshot.files.get("data.json") {
            Some(Body::Lazy(lazy)) => lazy.clone(),
            other => panic!("{other:?}"),
        };

        // Another identity: a change, told without making the file, which is made when
        // written, once.
        let (second, pending) = next(&first, Some(2));
        let count = || made.load(Ordering::Relaxed);
        assert_eq!(count(), made_first, "made before it was wanted");
        assert!(pending.changed);
        assert_eq!(pending.apply(&second).unwrap().written, 1);
        assert_eq!(fs::read_to_string(out.join("data.json")).unwrap(), "[1,2]");
        assert_eq!(count(), made_first + 1);
        assert_eq!(lazy(&second).bytes().as_ref(), b"[1,2]");
        assert_eq!(count(), made_first + 1, "made a second time");

        // The same identity: no change. Asked for first (by a request), the file is not made
        // again to be compared, and the same bytes are not written.
        let second = Arc::new(second);
        let (third, pending) = next(&second, Some(2));
        assert!(!pending.changed);
        assert_eq!(lazy(&third).bytes().as_ref(), b"[1,2]");
        assert_eq!(pending.apply(&third).unwrap(), Changes::default());
        assert_eq!(count(), made_first + 2);

        // Without an identity, a file may have changed: it counts, even after another
        // without one.
        let third = Arc::new(third);
        let (fourth, pending) = next(&third, None);
        assert!(pending.changed);
        let (_, pending) = next(&Arc::new(fourth), None);
        assert!(pending.changed);
    }

    #[test]
    fn a_file_that_panics_as_it_is_made_is_an_error_of_the_write_and_the_rest_is_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let (first, _) = Snapshot::write(&out, "/", vec![page("index.html", "home")]).unwrap();
        let first = Arc::new(first);
        let broken = OutputFile {
            path: "data.json".into(),
            contents: Contents::Stream(Stream::new(|_| panic!("no rows"))),
        };
        let (second, pending) =
            Snapshot::next(&first, &out, "/", vec![page("index.html", "home"), broken]).unwrap();
        let error = pending.apply(&second).unwrap_err();
        assert_eq!(
            format!("{error:#}"),
            "writing it crashed: no rows\nhint: this is a bug in gazette"
        );
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "home");
        assert!(!out.join("data.json").exists());
    }

    #[test]
    fn next_refuses_paths_outside_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let (first, _) = Snapshot::write(&out, "/", vec![page("index.html", "home")]).unwrap();
        let first = Arc::new(first);
        let (second, pending) =
            Snapshot::next(&first, &out, "/", vec![page("../escape.html", "x")]).unwrap();
        assert!(pending.apply(&second).is_err());
        assert!(!tmp.path().join("escape.html").exists());
    }
}
