//! The `gazette` binary: parse the command line, run, exit with its code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    limit_malloc_arenas();
    cli::Cli::parse().command.run()
}

/// glibc's allocator gives each thread that allocates its own arena, up to eight per core,
/// and memory freed in one arena is not reused by the threads of another. A build allocates
/// on every rayon thread and frees aside on others (`drop_aside`), so at 100,000 entries
/// that held about 5 % more memory at its peak than two arenas do, for no gain in speed
/// (docs/performance.md). An `MALLOC_ARENA_MAX` in the environment still wins.
fn limit_malloc_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: `mallopt` only sets a limit of the allocator; it is called before any
        // other thread exists, and a refusal (a return of 0) leaves the default.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 2);
        }
    }
}
