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
    let mut writer = HashWriter {
        hasher: DefaultHasher::new(),
        buffer: [0; 512],
        len: 0,
    };
    // Writing into a hasher cannot fail; a value that cannot serialise cannot render either.
    let _ = serde_json::to_writer(&mut writer, value);
    writer.flush_buffer();
    writer.hasher.finish()
}

/// The digest of a template's context as it serialises, where each value made once per
/// render ([`crate::render::context::Made`]: the site, an entry, a card, a row, a section)
/// stands in by its own digest. Whatever a context holds is in its digest: a page is made
/// again exactly when what it is made from changed.
pub fn of_context<T: Serialize + ?Sized>(context: &T) -> u64 {
    /// Sets the flag for as long as it lives, and puts back what was there.
    struct StandIn(bool);
    impl Drop for StandIn {
        fn drop(&mut self) {
            STANDING_IN.set(self.0);
        }
    }
    let _restore = StandIn(STANDING_IN.replace(true));
    of_serialized(context)
}

/// Whether a digest is being taken by [`of_context`] on this thread.
pub fn standing_in() -> bool {
    STANDING_IN.get()
}

thread_local! {
    static STANDING_IN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Hands what it is written to a hasher in pieces of up to 512 bytes: the serialiser writes a
/// few bytes at a time, and the hasher takes larger pieces many times faster.
struct HashWriter {
    hasher: DefaultHasher,
    buffer: [u8; 512],
    len: usize,
}

impl HashWriter {
    fn flush_buffer(&mut self) {
        self.hasher.write(&self.buffer[..self.len]);
        self.len = 0;
    }
}

impl std::io::Write for HashWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if self.len + bytes.len() > self.buffer.len() {
            self.flush_buffer();
        }
        if bytes.len() > self.buffer.len() {
            self.hasher.write(bytes);
        } else {
            self.buffer[self.len..self.len + bytes.len()].copy_from_slice(bytes);
            self.len += bytes.len();
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
