//! The integration tests of gazette: one test binary that runs the built `gazette` on small
//! fixture sites.
//!
//! Each behaviour has its own fixture under `tests/fixtures/<case>/` (sites that must fail are
//! under `tests/fixtures/invalid/<case>/`). [`support`] copies a fixture into a temporary
//! folder, runs the binary, and reads the pages it wrote. Assertions are on what matters —
//! URLs, order, exact messages — not on the whole markup of the theme, which changes.
//!
//! Tests of known bugs are marked `#[ignore = "bug: …"]`; run them with
//! `cargo test -- --ignored`.

mod bench_corpus;
mod cli;
mod documentation;
mod example_site;
mod invalid;
mod markdown;
mod open_data_page;
mod output;
mod partners;
mod publishing;
mod safety;
mod search;
mod slugs;
mod support;
mod themes;
mod timeline;
mod trust;
