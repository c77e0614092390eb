//! The `gazette` binary: parse the command line, run, exit with its code.

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cli::Cli::parse().command.run()
}
