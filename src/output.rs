//! Writing the built site: the only module that writes files.
//!
//! The site is rendered into a temporary folder beside the output folder and swapped in only
//! when every file is written, so a failed build leaves the previous output untouched. Files
//! whose bytes did not change are hard-linked from the previous output, keeping their
//! modification time (cheap deploys with rsync and friends).

use ahash::HashSet;
use std::fs;
use std::io;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::render::{Contents, OutputFile};

/// A file in every output folder, so gazette never replaces a folder it did not make.
pub const MARKER: &str = ".gazette";

/// How many files were written anew and how many kept from the previous build, and what
/// could not be cleaned up once the new output was in place.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub written: usize,
    pub unchanged: usize,
    /// Folders left behind (a previous output that could not be removed), with why: the new
    /// output is in place all the same.
    pub leftovers: Vec<(PathBuf, String)>,
}

/// Writes `files` as the new content of `out_dir`, all or nothing.
pub fn write(out_dir: &Path, files: &[OutputFile]) -> anyhow::Result<Report> {
    let staging = Staging::begin(out_dir)?;
    files.par_iter().try_for_each(|file| staging.put(file))?;
    staging.commit()
}

/// A new output folder being filled beside the old one. Files can be put from many threads;
/// [`Staging::commit`] swaps the folder in, and dropping it uncommitted removes it.
pub struct Staging {
    out_dir: PathBuf,
    /// Whether there is a previous build to compare files with (not on a clean build).
    previous: bool,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// Folders already created inside `dir`.
    folders: Mutex<HashSet<PathBuf>>,
    written: AtomicUsize,
    unchanged: AtomicUsize,
    committed: bool,
    /// What the repairs could not remove ([`Report::leftovers`]).
    leftovers: Vec<(PathBuf, String)>,
    /// The output's parent folder, locked until the new output is in place (or given up), so
    /// that two builds never swap folders under each other. Dropped last.
    _lock: Option<fs::File>,
}

impl Staging {
    /// Waits until no other build is writing beside `out_dir`, repairs what an interrupted
    /// build left, checks that `out_dir` may be replaced and creates the staging folder. An
    /// `out_dir` that is a symbolic link is followed: the folder it points at is replaced, and
    /// the link stays.
    pub fn begin(out_dir: &Path) -> anyhow::Result<Staging> {
        // `out/` names the link `out` itself, not what it points at.
        let out_dir: PathBuf = out_dir.components().collect();
        let out_dir = &follow_link(&out_dir)?;
        let (parent, name) = split(out_dir)?;
        fs::create_dir_all(&parent)
            .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", parent.display()))?;
        let lock = lock(&parent);
        // Checked before the repairs too, so that a refused build touches nothing.
        check_owned(out_dir)?;
        let leftovers = recover(&parent, &name)?;
        check_owned(out_dir)?;
        check_replaceable(&parent, out_dir)?;
        let dir = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        remove_if_ours(&dir)?;
        fs::create_dir(&dir)
            .map_err(|e| anyhow::anyhow!("cannot create `{}`: {e}", dir.display()))?;
        fs::write(
            dir.join(MARKER),
            b"Written by gazette; replaced on every build.\n",
        )?;
        Ok(Staging {
            out_dir: out_dir.to_path_buf(),
            previous: out_dir.is_dir(),
            parent,
            name,
            dir,
            folders: Mutex::new(HashSet::default()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            committed: false,
            leftovers,
            _lock: lock,
        })
    }

    /// Writes one file into the staging folder (or links the previous build's identical file).
    pub fn put(&self, file: &OutputFile) -> anyhow::Result<()> {
        if !is_safe(&file.path) {
            anyhow::bail!(
                "refusing to write `{}`: it is not a path inside the output folder",
                file.path
            );
        }
        if let Some(folder) = Path::new(&file.path).parent()
            && !folder.as_os_str().is_empty()
        {
            let known = self
                .folders
                .lock()
                .map(|f| f.contains(folder))
                .unwrap_or(false);
            if !known {
                fs::create_dir_all(self.dir.join(folder)).map_err(|e| {
                    anyhow::anyhow!("cannot create `{}`: {e}", self.dir.join(folder).display())
                })?;
                if let Ok(mut folders) = self.folders.lock() {
                    let mut f = Some(folder);
                    while let Some(current) = f.filter(|c| !c.as_os_str().is_empty()) {
                        folders.insert(current.to_path_buf());
                        f = current.parent();
                    }
                }
            }
        }
        let previous = self.previous.then_some(self.out_dir.as_path());
        let kept = write_one(&self.dir, previous, file)?;
        let counter = if kept { &self.unchanged } else { &self.written };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Puts the staging folder in place of the output folder.
    pub fn commit(mut self) -> anyhow::Result<Report> {
        let mut leftovers = std::mem::take(&mut self.leftovers);
        leftovers.extend(swap(&self.dir, &self.out_dir, &self.parent, &self.name)?);
        self.committed = true;
        Ok(Report {
            written: self.written.load(Ordering::Relaxed),
            unchanged: self.unchanged.load(Ordering::Relaxed),
            leftovers,
        })
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = remove_ours(&self.dir);
        }
    }
}

fn split(out_dir: &Path) -> anyhow::Result<(PathBuf, String)> {
    let name = out_dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| anyhow::anyhow!("the output folder `{}` has no name", out_dir.display()))?;
    let parent = match out_dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    Ok((parent, name))
}

/// `out_dir`, or the folder it points at when it is a symbolic link. A link to a folder that
/// is not there (yet, or for the moment: a build stopped mid-swap leaves it as
/// `.NAME.old`) leads to where that folder would be, if its parent is there.
fn follow_link(out_dir: &Path) -> anyhow::Result<PathBuf> {
    if !fs::symlink_metadata(out_dir).is_ok_and(|m| m.file_type().is_symlink()) {
        return Ok(out_dir.to_path_buf());
    }
    if let Ok(target) = fs::canonicalize(out_dir) {
        return Ok(target);
    }
    let target = fs::read_link(out_dir).map(|target| match out_dir.parent() {
        Some(folder) if target.is_relative() => folder.join(target),
        _ => target,
    });
    match target {
        Ok(target) => {
            let target: PathBuf = target.components().collect();
            match (target.parent(), target.file_name()) {
                (Some(parent), Some(name)) if parent.is_dir() => {
                    Ok(fs::canonicalize(parent)?.join(name))
                }
                _ => anyhow::bail!(
                    "the output folder `{}` is a symbolic link to `{}`, whose folder does not exist\nhint: point the link at a folder, or remove it",
                    out_dir.display(),
                    target.display()
                ),
            }
        }
        Err(e) => anyhow::bail!(
            "cannot read the symbolic link `{}`: {e}\nhint: point the link at a folder, or remove it",
            out_dir.display()
        ),
    }
}

/// Locks `parent` (a folder) until the returned handle is dropped, waiting while another
/// build holds it. Where folders cannot be locked, builds go unlocked as before.
fn lock(parent: &Path) -> Option<fs::File> {
    let folder = fs::File::open(parent).ok()?;
    folder.lock().ok()?;
    Some(folder)
}

/// Whether `dir` is a folder gazette made: one with the marker, or an empty one (a build
/// stopped before it wrote the marker).
fn ours(dir: &Path) -> bool {
    dir.join(MARKER).is_file() || fs::read_dir(dir).is_ok_and(|mut items| items.next().is_none())
}

/// Removes `dir` if gazette made it; refuses to go on if something else has its name.
fn remove_if_ours(dir: &Path) -> anyhow::Result<()> {
    if fs::symlink_metadata(dir).is_err() {
        return Ok(());
    }
    if !fs::symlink_metadata(dir).is_ok_and(|m| m.is_dir()) || !ours(dir) {
        anyhow::bail!(
            "`{}` is in the way: gazette uses that name while it replaces the output folder, and did not make what is there\nhint: move or rename it",
            dir.display()
        );
    }
    remove_ours(dir).map_err(|e| anyhow::anyhow!("cannot remove `{}`: {e}", dir.display()))
}

/// Removes a folder gazette made, its marker last: a build killed on the way leaves a folder
/// that is still known as gazette's own (marked, or empty).
fn remove_ours(dir: &Path) -> io::Result<()> {
    for item in fs::read_dir(dir)? {
        let item = item?;
        if item.file_name() == MARKER {
            continue;
        }
        if item.file_type()?.is_dir() {
            fs::remove_dir_all(item.path())?;
        } else {
            fs::remove_file(item.path())?;
        }
    }
    match fs::remove_file(dir.join(MARKER)) {
        Err(error) if error.kind() != io::ErrorKind::NotFound => return Err(error),
        _ => {}
    }
    fs::remove_dir(dir)
}

/// Finishes or undoes a swap that an earlier, interrupted build left half done, and removes
/// its temporary folders. Only folders gazette made are touched. A previous output that
/// cannot be removed (`.NAME.old`, or `.NAME.old-PID` when that was taken) is returned, not
/// an error: the next swap moves the output aside under another name.
fn recover(parent: &Path, name: &str) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let out_dir = parent.join(name);
    let mut leftovers = Vec::new();
    let old_prefix = format!(".{name}.old");
    let mut olds: Vec<PathBuf> = fs::read_dir(parent)
        .map(|items| {
            items
                .flatten()
                .filter(|item| {
                    let file_name = item.file_name().to_string_lossy().into_owned();
                    file_name == old_prefix
                        || file_name
                            .strip_prefix(&format!("{old_prefix}-"))
                            .is_some_and(|pid| {
                                pid.starts_with(|c: char| c.is_ascii_digit())
                                    && pid.bytes().all(|b| b.is_ascii_digit() || b == b'-')
                            })
                })
                .map(|item| item.path())
                .collect()
        })
        .unwrap_or_default();
    // Newest first: when the output is missing (a swap stopped between its two renames), the
    // output moved aside last is the live one; older ones are leftovers.
    let modified = |path: &Path| fs::symlink_metadata(path).and_then(|m| m.modified()).ok();
    olds.sort_by_key(|old| std::cmp::Reverse(modified(old)));
    for old in olds {
        if fs::symlink_metadata(&out_dir).is_err() && ours(&old) {
            fs::rename(&old, &out_dir)?;
            continue;
        }
        if !fs::symlink_metadata(&old).is_ok_and(|m| m.is_dir()) || !ours(&old) {
            remove_if_ours(&old)?;
        }
        if let Err(error) = remove_ours(&old) {
            leftovers.push((old, error.to_string()));
        }
    }
    let prefix = format!(".{name}.tmp-");
    if let Ok(items) = fs::read_dir(parent) {
        for item in items.flatten() {
            let path = item.path();
            if item.file_name().to_string_lossy().starts_with(&prefix)
                && item.file_type().is_ok_and(|t| t.is_dir())
                && ours(&path)
            {
                let _ = remove_ours(&path);
            }
        }
    }
    Ok(leftovers)
}

/// Refuses a build whose new output could be put in place but whose previous output could
/// not then be removed (a folder of it not writable by this user, made by another in an
/// earlier run): checked before anything changes, so the live site stays as it was.
fn check_replaceable(parent: &Path, out_dir: &Path) -> anyhow::Result<()> {
    let hint = |folder: &Path| {
        format!(
            "\nhint: the build runs as a user who cannot change `{}`; give the output folder to this user (`chown -R`) or remove it",
            folder.display()
        )
    };
    if !writable(parent) {
        anyhow::bail!(
            "cannot replace the output folder `{}`: its folder `{}` is not writable{}",
            out_dir.display(),
            parent.display(),
            hint(parent)
        );
    }
    if !fs::symlink_metadata(out_dir).is_ok_and(|m| m.is_dir()) {
        return Ok(());
    }
    for item in walkdir::WalkDir::new(out_dir) {
        let item = item.map_err(|e| {
            anyhow::anyhow!(
                "cannot replace the output folder `{}`: {e}{}",
                out_dir.display(),
                hint(out_dir)
            )
        })?;
        if item.file_type().is_dir() && !writable(item.path()) {
            anyhow::bail!(
                "cannot replace the output folder `{}`: `{}` is not writable, so the previous output could not be removed{}",
                out_dir.display(),
                item.path().display(),
                hint(item.path())
            );
        }
    }
    Ok(())
}

/// Whether this process may create and remove files in the folder `dir`.
fn writable(dir: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let Ok(path) = std::ffi::CString::new(dir.as_os_str().as_bytes()) else {
            return false;
        };
        // SAFETY: `path` is a NUL-terminated string that outlives the call.
        unsafe { libc::access(path.as_ptr(), libc::W_OK | libc::X_OK) == 0 }
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        true
    }
}

/// Refuses to replace a non-empty folder that gazette did not write.
fn check_owned(out_dir: &Path) -> anyhow::Result<()> {
    if !out_dir.exists() {
        return Ok(());
    }
    if !out_dir.is_dir() {
        anyhow::bail!(
            "the output path `{}` is a file, not a folder\nhint: remove it or choose another output folder",
            out_dir.display()
        );
    }
    let empty = fs::read_dir(out_dir)?.next().is_none();
    if !empty && !out_dir.join(MARKER).exists() {
        anyhow::bail!(
            "the output folder `{}` has files gazette did not write; refusing to replace it\nhint: remove the folder or choose another with `--output`",
            out_dir.display()
        );
    }
    Ok(())
}

/// Checks that `path` is a plain relative path that stays inside the output folder.
pub fn is_safe(path: &str) -> bool {
    !path.is_empty()
        && !path.contains('\\')
        && !path.contains('\0')
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

/// Writes one file; returns whether the previous build's file (in `previous`, when there is
/// one) was kept.
fn write_one(staging: &Path, previous: Option<&Path>, file: &OutputFile) -> anyhow::Result<bool> {
    use std::io::Write;
    let target = staging.join(&file.path);
    let old = previous.map(|previous| previous.join(&file.path));
    let keep = |old: &Path| fs::hard_link(old, &target).is_ok();
    let context = |e: io::Error| anyhow::anyhow!("cannot write `{}`: {e}", file.path);
    match &file.contents {
        Contents::Bytes(bytes) => {
            if old
                .as_deref()
                .is_some_and(|old| same_bytes(old, bytes) && keep(old))
            {
                return Ok(true);
            }
            create(&target)
                .and_then(|mut out| out.write_all(bytes))
                .map_err(context)?;
        }
        Contents::Copy(source) => {
            if let Some(old) = &old {
                let same = crate::tree::read(source)
                    .map(|bytes| same_bytes(old, &bytes))
                    .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", source.display()))?;
                if same && keep(old) {
                    return Ok(true);
                }
            }
            let mut from = crate::tree::open(source)
                .map_err(|e| anyhow::anyhow!("cannot read `{}`: {e}", source.display()))?;
            create(&target)
                .and_then(|mut out| io::copy(&mut from, &mut out))
                .map_err(context)?;
        }
        Contents::Stream(stream) => {
            let same = write_stream(&target, old.as_deref(), stream).map_err(context)?;
            // The file is in place already: the old one replaces it only once it is linked.
            if let Some(old) = old.as_deref().filter(|_| same) {
                let link = staging.join(format!("{}.gazette-link", file.path));
                if fs::hard_link(old, &link).is_ok() {
                    if fs::rename(&link, &target).is_ok() {
                        return Ok(true);
                    }
                    let _ = fs::remove_file(&link);
                }
            }
        }
    }
    Ok(false)
}

/// A new file at `target`. Were one there already (two outputs at one path, which the build
/// reports as an error), it is removed first rather than written through: it may be a hard
/// link to the live output's file.
fn create(target: &Path) -> io::Result<fs::File> {
    let new = || {
        fs::File::options()
            .write(true)
            .create_new(true)
            .open(target)
    };
    match new() {
        Err(error) if error.kind() == io::ErrorKind::AlreadyExists => {
            fs::remove_file(target)?;
            new()
        }
        result => result,
    }
}

/// Writes a streamed file to `target`, comparing it with `old` (if any, and a plain file) as it
/// goes; returns whether the two are the same.
fn write_stream(
    target: &Path,
    old: Option<&Path>,
    stream: &crate::render::Stream,
) -> io::Result<bool> {
    use std::io::{Read, Write};
    let mut out = io::BufWriter::new(create(target)?);
    let mut old = old
        .filter(|old| fs::symlink_metadata(old).is_ok_and(|m| m.is_file()))
        .and_then(|old| fs::File::open(old).ok())
        .map(io::BufReader::new);
    let mut same = old.is_some();
    let mut seen = Vec::new();
    stream.write(&mut |piece| {
        out.write_all(piece)?;
        if let Some(old) = old.as_mut().filter(|_| same) {
            seen.resize(piece.len(), 0);
            same = old.read_exact(&mut seen).is_ok() && seen == piece;
        }
        Ok(())
    })?;
    out.into_inner().map_err(|e| e.into_error())?;
    let ended = old.is_some_and(|mut old| old.read(&mut [0]).is_ok_and(|n| n == 0));
    Ok(same && ended)
}

fn same_bytes(old: &Path, bytes: &[u8]) -> bool {
    match fs::symlink_metadata(old) {
        Ok(meta) if meta.is_file() && meta.len() == bytes.len() as u64 => {
            fs::read(old).is_ok_and(|old_bytes| old_bytes == bytes)
        }
        _ => false,
    }
}

/// Puts `staging` in place of `out_dir`. Once it is there, the build has succeeded: a
/// previous output that cannot be removed is returned as a leftover, not an error.
fn swap(
    staging: &Path,
    out_dir: &Path,
    parent: &Path,
    name: &str,
) -> anyhow::Result<Option<(PathBuf, String)>> {
    // A name no earlier build left behind ([`recover`] lists what it could not remove).
    let pid = std::process::id();
    let old = std::iter::once(format!(".{name}.old"))
        .chain(std::iter::once(format!(".{name}.old-{pid}")))
        .chain((1..).map(|n| format!(".{name}.old-{pid}-{n}")))
        .map(|candidate| parent.join(candidate))
        .find(|candidate| fs::symlink_metadata(candidate).is_err())
        .unwrap_or_else(|| parent.join(format!(".{name}.old-{pid}")));
    if out_dir.exists() {
        fs::rename(out_dir, &old).map_err(|e| {
            let busy = e.kind() == io::ErrorKind::ResourceBusy;
            anyhow::anyhow!(
                "cannot move the previous output aside: {e}{}",
                if busy {
                    format!(
                        "\nhint: `{}` is probably a mount point; gazette replaces the output folder \
                         as a whole, so build into a folder inside it, such as `--output {}`",
                        out_dir.display(),
                        out_dir.join("site").display()
                    )
                } else {
                    String::new()
                }
            )
        })?;
    }
    if let Err(error) = fs::rename(staging, out_dir) {
        let _ = fs::rename(&old, out_dir);
        let _ = remove_ours(staging);
        anyhow::bail!("cannot put the new output in place: {error}");
    }
    if fs::symlink_metadata(&old).is_ok()
        && let Err(error) = remove_ours(&old)
    {
        return Ok(Some((old, error.to_string())));
    }
    Ok(None)
}

// ---- in-place updates, for `serve` ----

pub(crate) fn check_safe(path: &str) -> anyhow::Result<()> {
    if !is_safe(path) {
        anyhow::bail!("refusing to write `{path}`: it is not a path inside the output folder");
    }
    Ok(())
}

/// Puts a new version of `out_dir/path` in place: written to a temporary file beside it,
/// then renamed over it, so a reader sees the old file or the new one, never a part.
pub fn replace(
    out_dir: &Path,
    path: &str,
    write: impl FnOnce(&Path) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    check_safe(path)?;
    let target = out_dir.join(path);
    let context = |e: std::io::Error| anyhow::anyhow!("cannot write `{}`: {e}", target.display());
    let parent = target.parent().unwrap_or(out_dir);
    fs::create_dir_all(parent).map_err(context)?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temp = parent.join(format!(".{name}.gazette-{}", std::process::id()));
    if let Err(error) = write(&temp).and_then(|()| fs::rename(&temp, &target)) {
        let _ = fs::remove_file(&temp);
        return Err(context(error));
    }
    Ok(())
}

/// Removes an output file and the folders it leaves empty (never the output folder itself).
pub fn remove(out_dir: &Path, path: &str) -> anyhow::Result<()> {
    check_safe(path)?;
    let target = out_dir.join(path);
    match fs::remove_file(&target) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => anyhow::bail!("cannot remove `{}`: {e}", target.display()),
    }
    let mut dir = target.parent();
    while let Some(d) = dir {
        if d == out_dir || !d.starts_with(out_dir) || fs::remove_dir(d).is_err() {
            break;
        }
        dir = d.parent();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{MARKER, is_safe, recover, swap, write_stream};
    use crate::render::Stream;

    /// A folder gazette made, holding `index.html` with `text`.
    fn output(dir: &std::path::Path, text: &str) {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(MARKER), "").unwrap();
        std::fs::write(dir.join("index.html"), text).unwrap();
    }

    #[test]
    fn a_missing_output_is_put_back_from_the_newest_folder_moved_aside() {
        let parent = tempfile::tempdir().unwrap();
        let stale = parent.path().join(".out.old");
        let live = parent.path().join(".out.old-999");
        output(&stale, "stale");
        std::thread::sleep(std::time::Duration::from_millis(20));
        output(&live, "live");
        recover(parent.path(), "out").unwrap();
        let put_back = std::fs::read_to_string(parent.path().join("out/index.html")).unwrap();
        assert_eq!(put_back, "live");
        assert!(!stale.exists(), "the stale output was not removed");
    }

    #[test]
    fn a_swap_moves_the_output_aside_under_a_name_no_leftover_has() {
        let parent = tempfile::tempdir().unwrap();
        let pid = std::process::id();
        output(&parent.path().join(".out.old"), "left");
        output(&parent.path().join(format!(".out.old-{pid}")), "left too");
        output(&parent.path().join("out"), "previous");
        output(&parent.path().join("staging"), "new");
        swap(
            &parent.path().join("staging"),
            &parent.path().join("out"),
            parent.path(),
            "out",
        )
        .unwrap();
        let now = std::fs::read_to_string(parent.path().join("out/index.html")).unwrap();
        assert_eq!(now, "new");
        assert!(parent.path().join(".out.old").exists());
        assert!(!parent.path().join(format!(".out.old-{pid}-1")).exists());
    }

    #[test]
    fn a_streamed_file_is_the_same_as_the_old_one_only_when_every_byte_is() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("old");
        let new = dir.path().join("new");
        std::fs::write(&old, "abcdef").unwrap();
        let stream = |text: &'static str| {
            Stream::new(move |write| text.as_bytes().chunks(2).try_for_each(&mut *write))
        };
        for (text, same) in [
            ("abcdef", true),
            ("abcde", false),
            ("abcdefg", false),
            ("abcxef", false),
            ("", false),
        ] {
            assert_eq!(
                write_stream(&new, Some(&old), &stream(text)).unwrap(),
                same,
                "{text:?}"
            );
            assert_eq!(std::fs::read(&new).unwrap(), text.as_bytes());
        }
        let missing = dir.path().join("missing");
        assert!(!write_stream(&new, Some(&missing), &stream("abcdef")).unwrap());
        assert!(!write_stream(&new, None, &stream("abcdef")).unwrap());
    }

    #[test]
    fn only_plain_relative_paths_are_safe() {
        assert!(is_safe("a/b/index.html"));
        assert!(!is_safe("../a"));
        assert!(!is_safe("/etc/passwd"));
        assert!(!is_safe("a/../../b"));
        assert!(!is_safe(""));
        assert!(!is_safe("a\\..\\b"));
    }
}
