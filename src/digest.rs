//! Digests: 64-bit hashes of what something was made from, so that `serve` can tell whether
//! it must be made again. Stable within one process, which is all they are kept for.

use std::hash::{DefaultHasher, Hash, Hasher};

use serde::Serialize;

/// The digest of anything hashable.
pub fn of(value: impl Hash) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

/// The digest of a sequence, without collecting it first.
pub fn of_all<T: Hash>(values: impl IntoIterator<Item = T>) -> u64 {
    let mut hasher = DefaultHasher::new();
    for value in values {
        value.hash(&mut hasher);
    }
    hasher.finish()
}

/// The digest of a value as it serialises (what templates see of it).
pub fn of_serialized<T: Serialize + ?Sized>(value: &T) -> u64 {
    let mut writer = HashWriter(DefaultHasher::new());
    // Writing into a hasher cannot fail; a value that cannot serialise cannot render either.
    let _ = serde_json::to_writer(&mut writer, value);
    writer.0.finish()
}

struct HashWriter(DefaultHasher);

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
