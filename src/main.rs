//! The `gazette` binary: parse the command line, run, exit with its code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    gazette::without_transparent_huge_pages();
    cli::Cli::parse().command.run()
}
