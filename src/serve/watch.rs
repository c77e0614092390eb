//! Watching a site's sources: `content/`, `templates/`, `static/`, `themes/`, `i18n/` and
//! `site.yaml`.
//!
//! [`watch`] turns file-system events (notify) into calls of one `on_change` callback with the
//! list of paths that changed. It knows nothing of building or HTTP. A burst of changes (a
//! `git checkout` of many files) is one call, and while a call runs further changes are
//! gathered into the next one.
//!
//! A burst ends when the watched folders have been quiet for `QUIET` (10 ms): no file of
//! the site changes for that long. An editor's save, even one that writes a temporary file
//! and renames it over the entry, is over well within it. Reading does not count (notify
//! reports files opened; the build opens every file it reads), so a call's own build never
//! starts another. Changes that never stop (a program appending to a file every few
//! milliseconds) are reported every `LONGEST` (1 s).
//!
//! Ignored: editor temporary files and hidden files (the names [`content::is_ignored`]
//! ignores, so nothing the build reads is missed), and everything in the site folder outside
//! the watched folders — the output folder in particular, which `check_output_location`
//! keeps out of them.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode, Watcher as _};

use crate::content;

/// The folders of a site that are watched, recursively.
pub const FOLDERS: &[&str] = &["content", "templates", "static", "themes", "i18n"];
/// The site's configuration file, watched too.
pub const CONFIG: &str = "site.yaml";

/// How long the watched folders must be quiet before a burst of changes is reported: long
/// enough for an editor's save (write, rename, attribute change) or a `git checkout` to be
/// one change, short enough not to be felt.
const QUIET: Duration = Duration::from_millis(10);
/// The longest a change waits for the folders to be quiet before it is reported anyway: long
/// enough for a large `git checkout` to be one change.
const LONGEST: Duration = Duration::from_secs(1);

/// A running watch; dropping it stops watching (a call in progress finishes first).
pub struct Watcher {
    stop: mpsc::Sender<Message>,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = self.stop.send(Message::Stop);
    }
}

enum Message {
    Event(notify::Result<notify::Event>),
    Stop,
}

/// Watches the site in `root` and calls `on_change` with the changed paths (absolute, sorted,
/// without duplicates) after each burst of changes. A path may be a folder (created, removed
/// or renamed as a whole) or `root` itself when the watch lost track (an event queue
/// overflow): then everything may have changed.
pub fn watch(
    root: &Path,
    mut on_change: impl FnMut(Vec<PathBuf>) + Send + 'static,
) -> anyhow::Result<Watcher> {
    let root = std::fs::canonicalize(root)
        .map_err(|e| anyhow::anyhow!("cannot watch `{}`: {e}", root.display()))?;
    let (sender, receiver) = mpsc::channel();
    let events = sender.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = events.send(Message::Event(event));
    })
    .map_err(|e| anyhow::anyhow!("cannot watch `{}`: {e}", root.display()))?;
    watcher
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| anyhow::anyhow!("cannot watch `{}`: {e}", root.display()))?;
    for folder in FOLDERS {
        let dir = root.join(folder);
        if dir.is_dir() {
            watcher
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| anyhow::anyhow!("cannot watch `{}`: {e}", dir.display()))?;
        }
    }
    std::thread::Builder::new()
        .name("gazette watch".into())
        .spawn(move || {
            while let Some(batch) = next_batch(&receiver, &root, QUIET, LONGEST) {
                // A watched folder that appeared (or was replaced) needs its own watch.
                for dir in &batch.appeared {
                    if dir.is_dir() {
                        let _ = watcher.unwatch(dir);
                        let _ = watcher.watch(dir, RecursiveMode::Recursive);
                    }
                }
                if !batch.paths.is_empty() {
                    on_change(batch.paths);
                }
            }
            drop(watcher);
        })?;
    Ok(Watcher { stop: sender })
}

/// The changes of one burst.
#[derive(Debug, Default, PartialEq)]
struct Batch {
    /// Changed paths, sorted, without duplicates.
    paths: Vec<PathBuf>,
    /// Watched folders that were created or moved in.
    appeared: Vec<PathBuf>,
}

/// Waits for a change, then gathers every change until none came for `quiet`, or for
/// `longest` after the first. `None` when the watch is stopped.
fn next_batch(
    receiver: &mpsc::Receiver<Message>,
    root: &Path,
    quiet: Duration,
    longest: Duration,
) -> Option<Batch> {
    let mut batch = Batch::default();
    loop {
        match receiver.recv().ok()? {
            Message::Stop => return None,
            Message::Event(event) => {
                if collect(event, root, &mut batch) {
                    break;
                }
            }
        }
    }
    let first = Instant::now();
    let mut last = first;
    loop {
        let now = Instant::now();
        let wait = quiet
            .saturating_sub(now - last)
            .min(longest.saturating_sub(now - first));
        if wait.is_zero() {
            break;
        }
        match receiver.recv_timeout(wait) {
            Ok(Message::Stop) | Err(RecvTimeoutError::Disconnected) => return None,
            Ok(Message::Event(event)) => {
                if collect(event, root, &mut batch) {
                    last = Instant::now();
                }
            }
            Err(RecvTimeoutError::Timeout) => break,
        }
    }
    batch.paths.sort();
    batch.paths.dedup();
    Some(batch)
}

/// Adds what `event` changed to `batch`; whether it changed anything the site is built from.
fn collect(event: notify::Result<notify::Event>, root: &Path, batch: &mut Batch) -> bool {
    let event = match event {
        Ok(event) => event,
        // The watch may have missed something: treat everything as changed.
        Err(_) => {
            batch.paths.push(root.to_path_buf());
            return true;
        }
    };
    if event.need_rescan() {
        batch.paths.push(root.to_path_buf());
        return true;
    }
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    let arrived = matches!(
        event.kind,
        EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
    );
    let mut changed = false;
    for path in event.paths {
        if !is_watched(root, &path) {
            continue;
        }
        let top_folder = path.parent() == Some(root)
            && path
                .file_name()
                .is_some_and(|n| FOLDERS.iter().any(|f| n == *f));
        if arrived && top_folder {
            batch.appeared.push(path.clone());
        }
        batch.paths.push(path);
        changed = true;
    }
    changed
}

/// Whether a change of `path` can matter to the build of the site in `root`.
pub fn is_watched(root: &Path, path: &Path) -> bool {
    let Ok(relative) = path.strip_prefix(root) else {
        return false;
    };
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let (Some(first), Some(last)) = (parts.first(), parts.last()) else {
        return false;
    };
    if parts.len() == 1 {
        return first == CONFIG || FOLDERS.contains(&first.as_str());
    }
    if !FOLDERS.contains(&first.as_str()) || content::is_ignored(last) {
        return false;
    }
    // Under content/, hidden folders are skipped by the build as a whole, but for
    // `.well-known/` (`crate::tree`).
    !(first == "content"
        && parts[1..]
            .iter()
            .any(|p| content::is_ignored(p) && p != ".well-known"))
}

#[cfg(test)]
mod tests {
    use super::{Batch, Message, is_watched, next_batch};
    use notify::event::{AccessKind, CreateKind, DataChange, ModifyKind, RenameMode};
    use notify::{Event, EventKind};
    use std::path::{Path, PathBuf};
    use std::sync::mpsc;
    use std::time::{Duration, Instant};

    fn event(kind: EventKind, paths: &[&str]) -> Message {
        let mut event = Event::new(kind);
        for path in paths {
            event = event.add_path(PathBuf::from(path));
        }
        Message::Event(Ok(event))
    }

    fn modified(path: &str) -> Message {
        event(
            EventKind::Modify(ModifyKind::Data(DataChange::Any)),
            &[path],
        )
    }

    fn paths(batch: &Batch) -> Vec<&str> {
        batch.paths.iter().map(|p| p.to_str().unwrap()).collect()
    }

    const SECOND: Duration = Duration::from_secs(1);

    #[test]
    fn changes_waiting_are_one_batch_sorted_without_reads_or_unwatched_paths() {
        let root = Path::new("/site");
        let (sender, receiver) = mpsc::channel();
        let messages = [
            event(
                EventKind::Access(AccessKind::Any),
                &["/site/content/read.md"],
            ),
            modified("/site/content/b.md"),
            event(EventKind::Create(CreateKind::File), &["/site/content/a.md"]),
            modified("/site/output/index.html"),
            modified("/site/content/.b.md.swp"),
            modified("/site/content/b.md"),
            event(
                EventKind::Modify(ModifyKind::Name(RenameMode::Both)),
                &["/site/templates.new", "/site/templates"],
            ),
        ];
        for message in messages {
            sender.send(message).unwrap();
        }
        let batch = next_batch(&receiver, root, Duration::from_millis(20), SECOND).unwrap();
        assert_eq!(
            paths(&batch),
            [
                "/site/content/a.md",
                "/site/content/b.md",
                "/site/templates"
            ]
        );
        assert_eq!(batch.appeared, [PathBuf::from("/site/templates")]);
    }

    #[test]
    fn reads_alone_are_no_change() {
        let root = Path::new("/site");
        let (sender, receiver) = mpsc::channel();
        for kind in [AccessKind::Any, AccessKind::Read] {
            sender
                .send(event(EventKind::Access(kind), &["/site/content/a.md"]))
                .unwrap();
        }
        sender.send(Message::Stop).unwrap();
        assert_eq!(next_batch(&receiver, root, SECOND, SECOND), None);
    }

    #[test]
    fn a_lost_track_is_a_change_of_everything() {
        let root = Path::new("/site");
        let (sender, receiver) = mpsc::channel();
        sender
            .send(Message::Event(Err(notify::Error::generic(
                "queue overflow",
            ))))
            .unwrap();
        let batch = next_batch(&receiver, root, Duration::from_millis(20), SECOND).unwrap();
        assert_eq!(paths(&batch), ["/site"]);
    }

    #[test]
    fn a_quiet_time_ends_a_burst() {
        let root = Path::new("/site");
        let (sender, receiver) = mpsc::channel();
        sender.send(modified("/site/content/a.md")).unwrap();
        let later = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(500));
            sender.send(modified("/site/content/b.md")).unwrap();
            sender
        });
        let quiet = Duration::from_millis(30);
        let first = next_batch(&receiver, root, quiet, 10 * SECOND).unwrap();
        let second = next_batch(&receiver, root, quiet, 10 * SECOND).unwrap();
        assert_eq!(paths(&first), ["/site/content/a.md"]);
        assert_eq!(paths(&second), ["/site/content/b.md"]);
        drop(later.join());
    }

    #[test]
    fn changes_that_never_stop_are_reported_after_the_longest_wait() {
        let root = Path::new("/site");
        let (sender, receiver) = mpsc::channel();
        let writer = std::thread::spawn(move || {
            while sender.send(modified("/site/content/log.md")).is_ok() {
                std::thread::sleep(Duration::from_millis(1));
            }
        });
        let started = Instant::now();
        let batch = next_batch(&receiver, root, 10 * SECOND, Duration::from_millis(50)).unwrap();
        assert!(started.elapsed() < 10 * SECOND);
        assert_eq!(paths(&batch), ["/site/content/log.md"]);
        drop(receiver);
        writer.join().unwrap();
    }

    #[test]
    fn watched_paths() {
        let root = Path::new("/site");
        let yes = [
            "/site/site.yaml",
            "/site/content",
            "/site/content/a.md",
            "/site/content/partners.yaml",
            "/site/templates/entry.html",
            "/site/static/.well-known/security.txt",
            "/site/themes/default/static/style.css",
        ];
        for path in yes {
            assert!(is_watched(root, Path::new(path)), "{path}");
        }
        let no = [
            "/site",
            "/site/output/index.html",
            "/site/.output.tmp-12/index.html",
            "/site/README.md",
            "/site/content/.a.md.swp",
            "/site/content/a.md~",
            "/site/content/.#a.md",
            "/site/content/4913",
            "/site/content/.git/index",
            "/site/templates/.entry.html.swx",
            "/elsewhere/content/a.md",
        ];
        for path in no {
            assert!(!is_watched(root, Path::new(path)), "{path}");
        }
    }
}
