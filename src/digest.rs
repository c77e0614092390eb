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
    // The serialiser writes a few bytes at a time; the hasher takes them in pieces of a few
    // kilobytes, many times faster.
    let mut writer = std::io::BufWriter::with_capacity(4096, HashWriter(DefaultHasher::new()));
    // Writing into a hasher cannot fail; a value that cannot serialise cannot render either.
    let _ = serde_json::to_writer(&mut writer, value);
    match writer.into_inner() {
        Ok(hasher) => hasher.0.finish(),
        Err(error) => error.into_inner().get_ref().0.finish(),
    }
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
