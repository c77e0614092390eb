//! The photo cache: variants kept by content hash in a folder of their own, outside the site
//! and its output, shared by every build and `serve` of every site on the machine.
//!
//! ```text
//! <cache>/v1/<k0k1>/<key>/photo.json          the Photo, written last
//! <cache>/v1/<k0k1>/<key>/photo-<key>-960.jpg  its variants
//! <cache>/seen/<s0s1>/<stamp>                 a file's hash, by where it is and when it changed
//! <cache>/index.json                           stamp → hash and Photo, for the batches
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

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

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
        self.prepare_stamped(file, settings)
            .map(|(prepared, _)| prepared)
    }

    /// [`Cache::prepare`], and the file's stamp with its source hash when its times could
    /// be read (for the index).
    pub(super) fn prepare_stamped(
        &self,
        file: &Path,
        settings: &Settings,
    ) -> Result<(Prepared, Option<(String, String)>), PhotoError> {
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
        let stamp = stamp_name(file, &metadata);
        let stamp_path = stamp.as_deref().map(|s| self.stamp_path(s));
        let known = stamp_path
            .as_ref()
            .and_then(|s| std::fs::read_to_string(s).ok())
            .filter(|hash| hash.len() == 64);
        if let Some(hash) = known
            && let Some(photo) = self.get(&super::key(&hash, settings))
        {
            let prepared = Prepared {
                photo,
                encoded: false,
                read: false,
            };
            return Ok((prepared, stamp.map(|s| (s, hash))));
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
        if let Some(stamp_path) = stamp_path {
            let written = stamp_path
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| write_atomic(&stamp_path, hash.as_bytes()));
            written.map_err(|e| self.unwritable(file, e))?;
        }
        Ok((result, stamp.map(|s| (s, hash))))
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

    /// Where the hash of the file with the stamp `stamp` is remembered.
    fn stamp_path(&self, stamp: &str) -> PathBuf {
        self.dir
            .join("seen")
            .join(stamp.get(..2).unwrap_or(stamp))
            .join(stamp)
    }

    /// The index: what the last batches prepared, by stamp. Empty when missing or damaged.
    pub fn index(&self) -> Index {
        std::fs::read(self.dir.join("index.json"))
            .ok()
            .and_then(|text| serde_json::from_slice(&text).ok())
            .unwrap_or_default()
    }

    /// The photo in `file` as `index` has it, when the file is a plain file whose stamp the
    /// index knows under `settings` and the photo is still in the cache: two `stat`s, no
    /// read.
    pub fn indexed(&self, index: &Index, file: &Path, settings: &Settings) -> Option<Prepared> {
        let metadata = std::fs::symlink_metadata(file).ok()?;
        if !metadata.is_file() {
            return None;
        }
        let entry = index.entries.get(&stamp_name(file, &metadata)?)?;
        // One more look, so that a cache whose photos were deleted is not believed.
        let kept = self
            .photo_dir(&entry.photo.key)
            .join("photo.json")
            .is_file();
        (kept && entry.photo.key == super::key(&entry.hash, settings)).then(|| Prepared {
            photo: entry.photo.clone(),
            encoded: false,
            read: false,
        })
    }

    /// Adds `fresh` entries to the index on disk (read again, so that another process's
    /// entries are kept). An index grown past [`INDEX_LIMIT`] starts again from `fresh`.
    pub fn extend_index(&self, fresh: Vec<(String, Indexed)>) -> std::io::Result<()> {
        let mut index = self.index();
        if index.entries.len() + fresh.len() > INDEX_LIMIT {
            index.entries.clear();
        }
        index.entries.extend(fresh);
        let text = serde_json::to_vec(&index).map_err(std::io::Error::other)?;
        write_atomic(&self.dir.join("index.json"), &text)
    }
}

/// The most entries the index keeps: every edit of a photo adds one.
pub const INDEX_LIMIT: usize = 100_000;

/// What the last batches prepared, by the stamp of the source file: the files of the cache
/// gathered in one, so that a second build reads one file rather than a few per photo. The
/// files stay the truth; an entry lost to two processes saving at once is found there.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Index {
    entries: BTreeMap<String, Indexed>,
}

impl Index {
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// One photo in the index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Indexed {
    /// The source's hash ([`super::source_hash`]).
    pub hash: String,
    pub photo: Photo,
}

/// A name for `file` as it is now: a hash of its path, device, inode, size and times (32
/// hexadecimal digits). `None` when its times cannot be read.
fn stamp_name(file: &Path, metadata: &std::fs::Metadata) -> Option<String> {
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
    Some(hasher.finalize().to_hex()[..32].to_string())
}
