//! Freeing large values without waiting for it.

/// Frees `value` on a thread of its own. A large site's entries, pages and indexes are
/// millions of small allocations; the build need not wait while they are given back, and
/// when the process ends first there is nothing left to give back.
pub(crate) fn drop_aside<T: Send + 'static>(value: T) {
    // Should the thread not start, the closure and `value` are dropped here instead.
    let _ = std::thread::Builder::new()
        .name("drop".to_string())
        .spawn(move || drop(value));
}
