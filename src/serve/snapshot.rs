//! The site as `serve` holds it: every output path and its body, one complete build.
//!
//! A [`Snapshot`] is made from a successful build and never changes; `serve` swaps in a new
//! one after each rebuild, so a response is always a whole file of one build. Generated files
//! are held in memory; copied files (static files, files beside entries) are served from their
//! copy in the output folder.
//!
//! [`Snapshot::update`] also brings the output folder up to date with the new build, writing
//! only what changed (each file through a temporary file and a rename in its own folder) and
//! removing what is gone. It never touches a path outside the output folder: every path is
//! checked with [`output::is_safe`]. The first build goes through [`output::write`].

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use rayon::prelude::*;

use crate::output;
use crate::render::{Contents, OutputFile};

/// The body of one output file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    Bytes(Vec<u8>),
    /// A copied file: its copy in the output folder, and what it was copied from.
    File {
        path: PathBuf,
        source: Stamp,
    },
}

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

/// What [`Snapshot::update`] did to the output folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    pub written: usize,
    pub removed: usize,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.written == 0 && self.removed == 0
    }
}

impl Snapshot {
    /// Writes a first build to `out_dir` with [`output::write`] (all or nothing) and holds it.
    pub fn write(
        out_dir: &Path,
        base_path: &str,
        files: Vec<OutputFile>,
    ) -> anyhow::Result<(Snapshot, Changes)> {
        let report = output::write(out_dir, &files)?;
        let mut map = HashMap::with_capacity(files.len());
        for file in files {
            let body = body(out_dir, &file.path, file.contents)?;
            map.insert(file.path, body);
        }
        let snapshot = Snapshot {
            files: map,
            base_path: base_path.to_string(),
            out_dir: out_dir.to_path_buf(),
        };
        Ok((
            snapshot,
            Changes {
                written: report.written,
                removed: 0,
            },
        ))
    }

    /// The snapshot of the next build: writes the files that differ from this one to the
    /// output folder and removes the ones it no longer has. A different output folder (after
    /// `site.yaml` changed) is written whole.
    pub fn update(
        &self,
        out_dir: &Path,
        base_path: &str,
        files: Vec<OutputFile>,
    ) -> anyhow::Result<(Snapshot, Changes)> {
        if out_dir != self.out_dir || !out_dir.is_dir() {
            return Snapshot::write(out_dir, base_path, files);
        }
        for file in &files {
            check_safe(&file.path)?;
        }
        let kept: std::collections::HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
        let mut removed = 0;
        for path in self.files.keys().filter(|p| !kept.contains(p.as_str())) {
            check_safe(path)?;
            remove(out_dir, path)?;
            removed += 1;
        }
        let results: Vec<(String, Body, bool)> = files
            .into_par_iter()
            .map(|file| {
                let previous = self.files.get(&file.path);
                let (body, written) =
                    self.write_one(out_dir, &file.path, file.contents, previous)?;
                Ok((file.path, body, written))
            })
            .collect::<anyhow::Result<_>>()?;
        let written = results.iter().filter(|(_, _, w)| *w).count();
        let snapshot = Snapshot {
            files: results.into_iter().map(|(p, b, _)| (p, b)).collect(),
            base_path: base_path.to_string(),
            out_dir: out_dir.to_path_buf(),
        };
        Ok((snapshot, Changes { written, removed }))
    }

    /// Writes one file if it changed; returns its body and whether it was written.
    fn write_one(
        &self,
        out_dir: &Path,
        path: &str,
        contents: Contents,
        previous: Option<&Body>,
    ) -> anyhow::Result<(Body, bool)> {
        let target = out_dir.join(path);
        match contents {
            Contents::Bytes(bytes) => {
                if matches!(previous, Some(Body::Bytes(old)) if *old == bytes) {
                    return Ok((Body::Bytes(bytes), false));
                }
                replace(&target, |temp| fs::write(temp, &bytes))?;
                Ok((Body::Bytes(bytes), true))
            }
            Contents::Copy(source) => {
                let stamp = Stamp::of(&source)?;
                if let Some(Body::File { source: old, .. }) = previous
                    && *old == stamp
                    && target.is_file()
                {
                    return Ok((body_file(target, stamp), false));
                }
                replace(&target, |temp| fs::copy(&source, temp).map(|_| ()))?;
                Ok((body_file(target, stamp), true))
            }
        }
    }
}

fn body(out_dir: &Path, path: &str, contents: Contents) -> anyhow::Result<Body> {
    Ok(match contents {
        Contents::Bytes(bytes) => Body::Bytes(bytes),
        Contents::Copy(source) => body_file(out_dir.join(path), Stamp::of(&source)?),
    })
}

fn body_file(path: PathBuf, source: Stamp) -> Body {
    Body::File { path, source }
}

fn check_safe(path: &str) -> anyhow::Result<()> {
    if !output::is_safe(path) {
        anyhow::bail!("refusing to write `{path}`: it is not a path inside the output folder");
    }
    Ok(())
}

/// Puts a new version of `target` in place: written to a temporary file beside it, then
/// renamed over it, so a reader sees the old file or the new one, never a part.
fn replace(target: &Path, write: impl FnOnce(&Path) -> std::io::Result<()>) -> anyhow::Result<()> {
    let context = |e: std::io::Error| anyhow::anyhow!("cannot write `{}`: {e}", target.display());
    let parent = target.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).map_err(context)?;
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let temp = parent.join(format!(".{name}.gazette-{}", std::process::id()));
    if let Err(error) = write(&temp).and_then(|()| fs::rename(&temp, target)) {
        let _ = fs::remove_file(&temp);
        return Err(context(error));
    }
    Ok(())
}

/// Removes an output file and the folders it leaves empty (never the output folder itself).
fn remove(out_dir: &Path, path: &str) -> anyhow::Result<()> {
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
    use super::*;

    fn page(path: &str, text: &str) -> OutputFile {
        OutputFile {
            path: path.into(),
            contents: Contents::Bytes(text.as_bytes().to_vec()),
        }
    }

    #[test]
    fn update_writes_changes_and_removes_what_is_gone() {
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
        let (second, changes) = first
            .update(
                &out,
                "/",
                vec![page("index.html", "home"), page("a/index.html", "a2")],
            )
            .unwrap();
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
    }

    #[test]
    fn update_refuses_paths_outside_the_output_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let (first, _) = Snapshot::write(&out, "/", vec![page("index.html", "home")]).unwrap();
        assert!(
            first
                .update(&out, "/", vec![page("../escape.html", "x")])
                .is_err()
        );
        assert!(!tmp.path().join("escape.html").exists());
    }
}
