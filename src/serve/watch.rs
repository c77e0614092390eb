//! Watching a site's sources: `content/`, `templates/`, `static/`, `themes/` and `site.yaml`.
//!
//! [`watch`] turns file-system events (notify, debounced by `notify-debouncer-full`) into calls
//! of one `on_change` callback with the list of paths that changed. It knows nothing of
//! building or HTTP. A burst of changes (a `git checkout` of many files) is one call, and
//! while a call runs further changes are gathered into the next one.
//!
//! Ignored: editor temporary files and hidden files (the names [`content::is_ignored`]
//! ignores, so nothing the build reads is missed), and everything in the site folder outside
//! the watched folders — the output folder in particular, which `check_output_location`
//! keeps out of them.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::content;

/// The folders of a site that are watched, recursively.
pub const FOLDERS: &[&str] = &["content", "templates", "static", "themes"];
/// The site's configuration file, watched too.
pub const CONFIG: &str = "site.yaml";

/// How long a file must be quiet before its change is reported: long enough for an editor's
/// save (write, rename, attribute change) to be one change, short enough not to be felt.
const DEBOUNCE: Duration = Duration::from_millis(10);
/// How often the debouncer looks for quiet files.
const TICK: Duration = Duration::from_millis(5);
/// After a first batch of changes, how long to wait for more before calling back, so that a
/// burst spread over a few ticks is still one call. The quiet time counts per file, so this
/// wait is what keeps many files written one after the other by a busy machine one call.
const SETTLE: Duration = Duration::from_millis(12);

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
    Events(DebounceEventResult),
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
    let mut debouncer = new_debouncer(DEBOUNCE, Some(TICK), move |result| {
        let _ = events.send(Message::Events(result));
    })
    .map_err(|e| anyhow::anyhow!("cannot watch `{}`: {e}", root.display()))?;
    debouncer
        .watch(&root, RecursiveMode::NonRecursive)
        .map_err(|e| anyhow::anyhow!("cannot watch `{}`: {e}", root.display()))?;
    for folder in FOLDERS {
        let dir = root.join(folder);
        if dir.is_dir() {
            debouncer
                .watch(&dir, RecursiveMode::Recursive)
                .map_err(|e| anyhow::anyhow!("cannot watch `{}`: {e}", dir.display()))?;
        }
    }
    std::thread::Builder::new()
        .name("gazette watch".into())
        .spawn(move || {
            while let Some(batch) = next_batch(&receiver, &root) {
                // A watched folder that appeared (or was replaced) needs its own watch.
                for dir in &batch.appeared {
                    if dir.is_dir() {
                        let _ = debouncer.unwatch(dir);
                        let _ = debouncer.watch(dir, RecursiveMode::Recursive);
                    }
                }
                if !batch.paths.is_empty() {
                    on_change(batch.paths);
                }
            }
            drop(debouncer);
        })?;
    Ok(Watcher { stop: sender })
}

/// The changes of one burst.
#[derive(Default)]
struct Batch {
    /// Changed paths, sorted, without duplicates.
    paths: Vec<PathBuf>,
    /// Watched folders that were created or moved in.
    appeared: Vec<PathBuf>,
}

/// Waits for changes, then gathers what else arrives within [`SETTLE`] and everything already
/// waiting. `None` when the watch is stopped.
fn next_batch(receiver: &mpsc::Receiver<Message>, root: &Path) -> Option<Batch> {
    let mut batch = Batch::default();
    let first = receiver.recv().ok()?;
    let mut message = Some(first);
    while let Some(m) = message.take() {
        match m {
            Message::Stop => return None,
            Message::Events(result) => collect(result, root, &mut batch),
        }
        message = receiver.recv_timeout(SETTLE).ok();
    }
    batch.paths.sort();
    batch.paths.dedup();
    Some(batch)
}

fn collect(result: DebounceEventResult, root: &Path, batch: &mut Batch) {
    let events = match result {
        Ok(events) => events,
        // The watch may have missed something: treat everything as changed.
        Err(_) => {
            batch.paths.push(root.to_path_buf());
            return;
        }
    };
    for event in events {
        if event.need_rescan() {
            batch.paths.push(root.to_path_buf());
            continue;
        }
        if matches!(event.kind, EventKind::Access(_)) {
            continue;
        }
        let arrived = matches!(
            event.kind,
            EventKind::Create(_) | EventKind::Modify(ModifyKind::Name(_))
        );
        for path in &event.paths {
            if !is_watched(root, path) {
                continue;
            }
            let top_folder = path.parent() == Some(root)
                && path
                    .file_name()
                    .is_some_and(|n| FOLDERS.iter().any(|f| n == *f));
            if arrived && top_folder {
                batch.appeared.push(path.clone());
            }
            batch.paths.push(path.clone());
        }
    }
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
    // Under content/, hidden folders are skipped by the build as a whole.
    !(first == "content" && parts[1..].iter().any(|p| content::is_ignored(p)))
}

#[cfg(test)]
mod tests {
    use super::is_watched;
    use std::path::Path;

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
