//! The photo cache: variants kept by content hash in a folder of their own, outside the site
//! and its output, shared by every build and `serve` of every site on the machine.
//!
//! ```text
//! <cache>/v1/<k0k1>/<key>/photo.json          the Photo, written last
//! <cache>/v1/<k0k1>/<key>/photo-<key>-960.jpg  its variants
//! <cache>/seen/<s0s1>/<stamp>                 a file's hash, by where it is and when it changed
//! ```
//!
//! Every file is written to a temporary name beside it and renamed into place, so a process
//! reading the cache never sees half a file, and two processes encoding the same photo at
//! once both end with the same whole files. A photo counts as cached only when its
//! `photo.json` is there and every variant it lists has the size it lists.
//!
//! The `seen` stamps spare a second build from reading and hashing every photo: a file whose
//! path, inode, size, modification and change times are those of a stamp has that stamp's
//! hash. Editing a photo (or replacing it) changes its change time, so its stamp no longer
//! matches and the file is read again.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::{Encoded, Photo, PhotoError, Prepared, Settings, Variant};

/// A photo cache in a folder.
#[derive(Debug, Clone)]
pub struct Cache {
    dir: PathBuf,
}

/// The folder the cache is in when `site.yaml` names none: `$XDG_CACHE_HOME/gazette/photos`,
/// else `~/.cache/gazette/photos` (on macOS `~/Library/Caches/gazette/photos`, on Windows
/// `%LOCALAPPDATA%\gazette\photos`). `None` when the environment names no home.
pub fn default_dir() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = if cfg!(windows) {
        var("LOCALAPPDATA")
    } else if cfg!(target_os = "macos") {
        var("HOME").map(|home| home.join("Library/Caches"))
    } else {
        var("XDG_CACHE_HOME").or_else(|| var("HOME").map(|home| home.join(".cache")))
    };
    Some(base?.join("gazette").join("photos"))
}

/// Names temporary files apart within this process; the process id sets processes apart.
static TEMPORARY: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` through a temporary file beside it and a rename.
fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = path.with_file_name(format!(
        ".{name}.{}.{}.tmp",
        std::process::id(),
        TEMPORARY.fetch_add(1, Ordering::Relaxed)
    ));
    let written = std::fs::File::create(&temporary).and_then(|mut file| file.write_all(bytes));
    let renamed = written.and_then(|()| std::fs::rename(&temporary, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    renamed
}

impl Cache {
    /// The cache in `dir`, made if missing.
    pub fn open(dir: &Path) -> std::io::Result<Cache> {
        std::fs::create_dir_all(dir.join("v1"))?;
        std::fs::create_dir_all(dir.join("seen"))?;
        Ok(Cache {
            dir: dir.to_path_buf(),
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn photo_dir(&self, key: &str) -> PathBuf {
        self.dir
            .join("v1")
            .join(key.get(..2).unwrap_or(key))
            .join(key)
    }

    /// Where a variant of `photo` is kept: the file the build copies into the output.
    pub fn path(&self, photo: &Photo, variant: &Variant) -> PathBuf {
        self.photo_dir(&photo.key).join(&variant.file)
    }

    /// The photo with `key`, when it is whole in the cache.
    pub fn get(&self, key: &str) -> Option<Photo> {
        let text = std::fs::read(self.photo_dir(key).join("photo.json")).ok()?;
        let photo: Photo = serde_json::from_slice(&text).ok()?;
        let whole = photo.key == key
            && photo
                .variants
                .iter()
                .all(|v| std::fs::metadata(self.path(&photo, v)).is_ok_and(|m| m.len() == v.bytes));
        whole.then_some(photo)
    }

    /// Keeps `encoded`: the variants first, then the description that makes them count.
    pub fn put(&self, encoded: &Encoded) -> std::io::Result<()> {
        let photo = &encoded.photo;
        std::fs::create_dir_all(self.photo_dir(&photo.key))?;
        for (variant, bytes) in photo.variants.iter().zip(&encoded.files) {
            write_atomic(&self.path(photo, variant), bytes)?;
        }
        let description = serde_json::to_vec_pretty(photo).map_err(std::io::Error::other)?;
        write_atomic(&self.photo_dir(&photo.key).join("photo.json"), &description)
    }

    /// The photo in `file`, from the cache or encoded into it. The file is opened without
    /// following a symbolic link ([`crate::tree::open`]); when its stamp is known it is not
    /// even read.
    pub fn prepare(&self, file: &Path, settings: &Settings) -> Result<Prepared, PhotoError> {
        let unreadable = |e: std::io::Error| {
            PhotoError::new(
                file,
                format!("the photo could not be read: {e}"),
                "check that the file exists, is a plain file (not a symbolic link) and can be read",
            )
        };
        let mut opened = crate::tree::open(file).map_err(unreadable)?;
        let metadata = opened.metadata().map_err(unreadable)?;
        if !metadata.is_file() {
            return Err(unreadable(std::io::Error::other("it is not a file")));
        }
        let stamp = self.stamp_path(file, &metadata);
        let known = stamp
            .as_ref()
            .and_then(|s| std::fs::read_to_string(s).ok())
            .filter(|hash| hash.len() == 64);
        if let Some(hash) = &known
            && let Some(photo) = self.get(&super::key(hash, settings))
        {
            return Ok(Prepared {
                photo,
                encoded: false,
                read: false,
            });
        }
        let mut bytes = Vec::with_capacity(metadata.len() as usize);
        std::io::Read::read_to_end(&mut opened, &mut bytes).map_err(unreadable)?;
        let hash = super::source_hash(&bytes);
        let key = super::key(&hash, settings);
        let result = match self.get(&key) {
            Some(photo) => Prepared {
                photo,
                encoded: false,
                read: true,
            },
            None => {
                let encoded = super::encode_keyed(&bytes, file, settings, &key)?;
                self.put(&encoded).map_err(|e| self.unwritable(file, e))?;
                Prepared {
                    photo: encoded.photo,
                    encoded: true,
                    read: true,
                }
            }
        };
        if let Some(stamp) = stamp
            && known.as_deref() != Some(hash.as_str())
        {
            let written = stamp
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| write_atomic(&stamp, hash.as_bytes()));
            written.map_err(|e| self.unwritable(file, e))?;
        }
        Ok(result)
    }

    fn unwritable(&self, file: &Path, error: std::io::Error) -> PhotoError {
        PhotoError::new(
            file,
            format!(
                "the photo cache `{}` could not be written: {error}",
                self.dir.display()
            ),
            "check that the cache folder can be written, or name another in `site.yaml`",
        )
    }

    /// Where the hash of `file` as it is now is remembered: named after its path, inode,
    /// size and times. `None` when the file's times cannot be read.
    fn stamp_path(&self, file: &Path, metadata: &std::fs::Metadata) -> Option<PathBuf> {
        let mut hasher = blake3::Hasher::new();
        hasher.update(file.as_os_str().as_encoded_bytes());
        hasher.update(&metadata.len().to_le_bytes());
        let modified = metadata
            .modified()
            .ok()?
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?;
        hasher.update(&modified.as_nanos().to_le_bytes());
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            for n in [
                metadata.dev(),
                metadata.ino(),
                metadata.ctime() as u64,
                metadata.ctime_nsec() as u64,
            ] {
                hasher.update(&n.to_le_bytes());
            }
        }
        let stamp = hasher.finalize().to_hex();
        Some(self.dir.join("seen").join(&stamp[..2]).join(&stamp[..32]))
    }
}
