//! The folders and files a build reads from the site, under one rule for symbolic links:
//! nothing outside the site folder, inside the output folder or inside a hidden folder is ever
//! read, published or served.
//!
//! `content/`, `static/`, `templates/` and `themes/` are all walked by [`walk`], and the
//! single files (`site.yaml`, `content/partners.yaml`) are let through [`Fence::admit`], so
//! the rule is written once. A link that keeps to it is followed; one that breaks it is an
//! error at the link, never silently skipped.

use std::path::{Component, Path, PathBuf};

use crate::diagnostic::Diagnostic;

/// Where a site's links may lead.
#[derive(Debug, Clone)]
pub struct Fence {
    /// The site folder as given, for the paths shown in reports.
    shown: PathBuf,
    /// The site folder with every link resolved.
    root: PathBuf,
    /// The output folder with every link resolved, when known.
    output: Option<PathBuf>,
}

/// Why a link was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// It leads nowhere (or to something that cannot be looked at).
    Nowhere,
    Outside,
    Output,
    Hidden,
    /// A folder that holds the folder being walked: walking it would never end.
    Loop,
}

impl Refusal {
    fn message(self) -> &'static str {
        match self {
            Refusal::Nowhere => "symbolic link points to nothing",
            Refusal::Outside => "symbolic link points outside the site folder",
            Refusal::Output => "symbolic link points into the output folder",
            Refusal::Hidden => "symbolic link points into a hidden file or folder",
            Refusal::Loop => "symbolic link loop",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            Refusal::Nowhere => "point the link at a file inside the site folder, or remove it",
            Refusal::Outside => "copy the file into the site instead of linking to it",
            Refusal::Output => {
                "the output folder is what the build writes; link to the site's own files instead"
            }
            Refusal::Hidden => {
                "hidden files and folders (such as `.git`) are never published; copy what is meant to be published into the site"
            }
            Refusal::Loop => "remove the link that points back to a parent folder",
        }
    }
}

impl Fence {
    /// The fence of the site in `root`, whose output goes to `output` (when known).
    pub fn new(root: &Path, output: Option<&Path>) -> Fence {
        Fence {
            shown: root.to_path_buf(),
            root: resolve(root),
            output: output.map(resolve),
        }
    }

    /// The path of `path` as reports show it: relative to the site folder.
    pub fn shown(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.shown).unwrap_or(path).to_path_buf()
    }

    /// Where `path` really is, when the site may read it. `path` is anything under the site
    /// folder: a link, a folder reached through links, or a plain file.
    pub fn check(&self, path: &Path) -> Result<PathBuf, Refusal> {
        let real = std::fs::canonicalize(path).map_err(|_| {
            // A link to where the output folder will be is no better for leading nowhere yet.
            let written = match (std::fs::read_link(path), path.parent()) {
                (Ok(target), Some(folder)) => resolve(&folder.join(target)),
                _ => resolve(path),
            };
            match &self.output {
                Some(output) if written.starts_with(output) => Refusal::Output,
                _ => Refusal::Nowhere,
            }
        })?;
        let Ok(inside) = real.strip_prefix(&self.root) else {
            return Err(Refusal::Outside);
        };
        if let Some(output) = &self.output {
            // Into the output, or a folder that holds it.
            if real.starts_with(output) || output.starts_with(&real) {
                return Err(Refusal::Output);
            }
        }
        let hidden = inside
            .components()
            .any(|part| matches!(part, Component::Normal(name) if hidden(&name.to_string_lossy())));
        if hidden {
            return Err(Refusal::Hidden);
        }
        Ok(real)
    }

    /// `Ok` when the file at `path` may be read: a plain file, or a link the rule allows. A
    /// file that is not there is `Ok` too (the caller tells what its absence means).
    pub fn admit(&self, path: &Path) -> Result<(), Diagnostic> {
        if !linked(&self.shown, path) {
            return Ok(());
        }
        match self.check(path) {
            Ok(_) => Ok(()),
            Err(Refusal::Nowhere) if std::fs::symlink_metadata(path).is_err() => Ok(()),
            Err(refusal) => Err(self.refused(path, refusal)),
        }
    }

    fn refused(&self, path: &Path, refusal: Refusal) -> Diagnostic {
        Diagnostic::error(self.shown(path), refusal.message()).with_hint(refusal.hint())
    }
}

/// Whether `path`, or a folder on the way to it from `root`, is a symbolic link.
fn linked(root: &Path, path: &Path) -> bool {
    let Ok(rest) = path.strip_prefix(root) else {
        return true;
    };
    let mut at = root.to_path_buf();
    rest.components().any(|part| {
        at.push(part);
        std::fs::symlink_metadata(&at).is_ok_and(|m| m.file_type().is_symlink())
    })
}

/// The one hidden folder a site publishes: `.well-known/` (RFC 8615: `security.txt` and the
/// like), from `static/` or beside entries.
const WELL_KNOWN: &str = ".well-known";

/// Whether a file or folder of this name is hidden, and so never read through a link.
fn hidden(name: &str) -> bool {
    name.starts_with('.') && name != WELL_KNOWN
}

/// `path` made absolute as the system would read it: through links where it exists, and
/// where it does not (yet), as written, with `..` taking off the part before it.
pub fn resolve(path: &Path) -> PathBuf {
    let path = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut resolved = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                resolved.pop();
            }
            part => {
                resolved.push(part);
                if let Ok(real) = std::fs::canonicalize(&resolved) {
                    resolved = real;
                }
            }
        }
    }
    resolved
}

/// A file found by [`walk`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path below the walked folder, `/`-separated.
    pub rel: String,
    /// Where to read it: the path walked, or for a file reached through a link, where the
    /// link leads (so that reading it later never follows a link again).
    pub path: PathBuf,
    /// Whether it was reached through a link (itself one, or in a linked folder).
    pub linked: bool,
}

/// What [`walk`] found in a folder.
#[derive(Debug, Default)]
pub struct Tree {
    /// Its files, hidden and temporary ones left out, sorted by name within each folder.
    pub files: Vec<Found>,
    /// Links refused, loops, folders that could not be read.
    pub problems: Vec<Diagnostic>,
    /// Whether any link was met, followed or not.
    pub links: bool,
}

/// Walks the folder `dir` of the site, following the links the fence allows (`dir` itself
/// may be one) and reporting the others. A folder that is not there is an empty tree.
pub fn walk(fence: &Fence, dir: &Path) -> Tree {
    let mut tree = Tree::default();
    if std::fs::symlink_metadata(dir).is_err() {
        return tree;
    }
    // The folder walked, as the system finds it: links within it must not hold it.
    let dir_linked = linked(&fence.shown, dir);
    let top = if dir_linked {
        tree.links = true;
        match fence.check(dir) {
            Ok(real) => real,
            Err(refusal) => {
                tree.problems.push(fence.refused(dir, refusal));
                return tree;
            }
        }
    } else {
        resolve(dir)
    };
    if !top.is_dir() {
        return tree;
    }
    // The depths of the linked folders the walk is in.
    let mut in_linked: Vec<usize> = Vec::new();
    let mut walker = walkdir::WalkDir::new(dir)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter();
    while let Some(item) = walker.next() {
        let entry = match item {
            Ok(entry) => entry,
            Err(error) => {
                let (problem, link) = unreadable(fence, &error);
                tree.links |= link;
                tree.problems.push(problem);
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        while in_linked
            .last()
            .is_some_and(|&depth| depth >= entry.depth())
        {
            in_linked.pop();
        }
        let name = entry.file_name().to_string_lossy();
        if entry.file_type().is_dir() && name != WELL_KNOWN && crate::content::is_ignored(&name) {
            walker.skip_current_dir();
            continue;
        }
        if !entry.file_type().is_dir() && crate::content::is_ignored(&name) {
            continue;
        }
        if let Some(problem) = name_not_utf8(fence, &entry) {
            tree.problems.push(problem);
            if entry.file_type().is_dir() {
                walker.skip_current_dir();
            }
            continue;
        }
        let mut real = None;
        if entry.path_is_symlink() {
            tree.links = true;
            let checked = fence.check(entry.path()).and_then(|target| {
                if entry.file_type().is_dir() && top.starts_with(&target) {
                    Err(Refusal::Loop)
                } else {
                    Ok(target)
                }
            });
            match checked {
                Ok(target) => real = Some(target),
                Err(refusal) => {
                    tree.problems.push(fence.refused(entry.path(), refusal));
                    if entry.file_type().is_dir() {
                        walker.skip_current_dir();
                    }
                    continue;
                }
            }
        }
        if entry.file_type().is_dir() {
            if entry.path_is_symlink() {
                in_linked.push(entry.depth());
            }
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let linked = real.is_some() || !in_linked.is_empty() || dir_linked;
        tree.files.extend(found(dir, &entry, real, linked));
    }
    tree
}

/// The problem of an item whose name is not UTF-8: the name would be part of a URL, and the
/// item could only be read back by a name it does not have.
fn name_not_utf8(fence: &Fence, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    entry.file_name().to_str().is_none().then(|| {
        Diagnostic::error(
            fence.shown(entry.path()),
            "the name is not UTF-8 (shown here with \u{fffd} for the bytes that are not)",
        )
        .with_hint("rename it with letters that UTF-8 can write; names become URLs")
    })
}

/// The problem of an item the walk could not read, and whether it is a link.
fn unreadable(fence: &Fence, error: &walkdir::Error) -> (Diagnostic, bool) {
    let path = error.path().map(|p| fence.shown(p)).unwrap_or_default();
    let link = error
        .path()
        .filter(|p| std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()));
    let problem = match (link, fence.check(link.unwrap_or(Path::new("")))) {
        // Where it leads is refused before whether it loops.
        (Some(link), Err(refusal)) => fence.refused(link, refusal),
        (Some(link), Ok(_)) if error.loop_ancestor().is_some() => {
            fence.refused(link, Refusal::Loop)
        }
        _ => Diagnostic::error(path, format!("cannot read: {error}"))
            .with_hint("check the file's permissions"),
    };
    (problem, link.is_some())
}

/// The file `entry` of the walk of `dir`: its path relative to `dir`, and where it is read
/// from (`real`, where a link to it leads, or through a `linked` folder).
fn found(
    dir: &Path,
    entry: &walkdir::DirEntry,
    real: Option<PathBuf>,
    linked: bool,
) -> Option<Found> {
    let relative = entry.path().strip_prefix(dir).ok()?;
    let rel = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    let path = match real {
        Some(real) => real,
        // In a linked folder: where the folder leads.
        None if linked => {
            std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_path_buf())
        }
        None => entry.path().to_path_buf(),
    };
    Some(Found { rel, path, linked })
}

/// Opens a file that a walk found, without following a link at its last step: a file
/// replaced by a link since the walk is not read.
pub fn open(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::File::options();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    options.open(path)
}

/// The bytes of a file a walk found, read as [`open`] opens it.
pub fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    open(path)?.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Copies a file a walk found to `to`, opened as [`open`] opens it.
pub fn copy(path: &Path, to: &Path) -> std::io::Result<()> {
    let mut from = open(path)?;
    let mut out = std::fs::File::create(to)?;
    std::io::copy(&mut from, &mut out).map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    fn site() -> (tempfile::TempDir, PathBuf) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        std::fs::create_dir_all(root.join("static/css")).unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("shared")).unwrap();
        std::fs::write(root.join("static/css/a.css"), "a").unwrap();
        std::fs::write(root.join("shared/b.txt"), "b").unwrap();
        std::fs::write(root.join(".git/config"), "token").unwrap();
        std::fs::write(tmp.path().join("secret"), "secret").unwrap();
        (tmp, root)
    }

    fn messages(tree: &Tree) -> Vec<String> {
        tree.problems.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn links_inside_the_site_are_followed_and_read_where_they_lead() {
        let (_tmp, root) = site();
        symlink("../shared/b.txt", root.join("static/b.txt")).unwrap();
        symlink("../shared", root.join("static/more")).unwrap();
        let fence = Fence::new(&root, Some(&root.join("output")));
        let tree = walk(&fence, &root.join("static"));
        assert!(tree.problems.is_empty(), "{:?}", messages(&tree));
        let rels: Vec<_> = tree.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["b.txt", "css/a.css", "more/b.txt"]);
        let real = std::fs::canonicalize(root.join("shared/b.txt")).unwrap();
        assert_eq!(tree.files[0].path, real);
        assert!(tree.files[0].linked);
        assert!(!tree.files[1].linked);
        assert_eq!(tree.files[2].path, real);
    }

    #[test]
    fn links_out_of_the_site_into_the_output_or_into_hidden_folders_are_refused() {
        let (tmp, root) = site();
        std::fs::create_dir_all(root.join("output")).unwrap();
        symlink(tmp.path().join("secret"), root.join("static/a")).unwrap();
        symlink("/proc/self/environ", root.join("static/b")).unwrap();
        symlink("../.git/config", root.join("static/c")).unwrap();
        symlink("../output", root.join("static/d")).unwrap();
        symlink("..", root.join("static/e")).unwrap();
        symlink("gone", root.join("static/f")).unwrap();
        symlink(".", root.join("static/g")).unwrap();
        let fence = Fence::new(&root, Some(&root.join("output")));
        let tree = walk(&fence, &root.join("static"));
        let rels: Vec<_> = tree.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["css/a.css"]);
        let problems = messages(&tree);
        let expect = [
            "error: symbolic link points outside the site folder\n --> static/a",
            "error: symbolic link points outside the site folder\n --> static/b",
            "error: symbolic link points into a hidden file or folder\n --> static/c",
            "error: symbolic link points into the output folder\n --> static/d",
            // The site folder holds the output folder.
            "error: symbolic link points into the output folder\n --> static/e",
            "error: symbolic link points to nothing\n --> static/f",
            "error: symbolic link loop\n --> static/g",
        ];
        assert_eq!(problems.len(), expect.len(), "{problems:#?}");
        for (problem, expect) in problems.iter().zip(expect) {
            assert!(problem.starts_with(expect), "{problem}\nexpected {expect}");
        }
    }

    #[test]
    fn a_walked_folder_that_is_itself_a_link_is_held_to_the_rule() {
        let (tmp, root) = site();
        std::fs::create_dir_all(tmp.path().join("elsewhere")).unwrap();
        std::fs::write(tmp.path().join("elsewhere/x.txt"), "x").unwrap();
        symlink(tmp.path().join("elsewhere"), root.join("content")).unwrap();
        symlink("shared", root.join("templates")).unwrap();
        let fence = Fence::new(&root, None);
        let content = walk(&fence, &root.join("content"));
        assert!(content.files.is_empty());
        assert!(
            messages(&content)[0]
                .starts_with("error: symbolic link points outside the site folder\n --> content")
        );
        let templates = walk(&fence, &root.join("templates"));
        assert_eq!(templates.files.len(), 1);
        assert!(templates.files[0].linked);
    }

    #[test]
    fn single_files_are_admitted_by_the_same_rule() {
        let (tmp, root) = site();
        std::fs::write(root.join("site.yaml"), "title: A").unwrap();
        let fence = Fence::new(&root, None);
        assert!(fence.admit(&root.join("site.yaml")).is_ok());
        assert!(fence.admit(&root.join("missing.yaml")).is_ok());
        std::fs::remove_file(root.join("site.yaml")).unwrap();
        symlink(tmp.path().join("secret"), root.join("site.yaml")).unwrap();
        let refused = fence.admit(&root.join("site.yaml")).unwrap_err();
        assert!(
            refused
                .to_string()
                .starts_with("error: symbolic link points outside the site folder\n --> site.yaml")
        );
    }

    #[test]
    fn a_file_replaced_by_a_link_after_the_walk_is_not_opened() {
        let (tmp, root) = site();
        let file = root.join("static/css/a.css");
        assert!(open(&file).is_ok());
        std::fs::remove_file(&file).unwrap();
        symlink(tmp.path().join("secret"), &file).unwrap();
        assert!(open(&file).is_err());
    }
}
