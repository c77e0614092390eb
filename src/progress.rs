//! A progress bar for a long step (encoding photos), drawn on standard error only when it is
//! a terminal: a build whose output goes to a file or a CI log stays quiet.
//!
//! The library never draws one itself; the command line makes a [`Bar`] and hands
//! [`Bar::set`] to the step as its progress callback.

use std::io::IsTerminal;

/// A bar, or nothing when standard error is not a terminal.
#[derive(Debug)]
pub struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    /// A bar of `total` steps labelled `label`, shown on a terminal only.
    pub fn new(total: u64, label: &str) -> Bar {
        Bar::shown_if(std::io::stderr().is_terminal(), total, label)
    }

    /// A bar that is drawn only if `shown`.
    pub fn shown_if(shown: bool, total: u64, label: &str) -> Bar {
        if !shown {
            return Bar(None);
        }
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} ({eta} left)")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label.to_string());
        Bar(Some(bar))
    }

    /// Whether anything is drawn.
    pub fn is_shown(&self) -> bool {
        self.0.is_some()
    }

    /// Moves the bar to `done` steps.
    pub fn set(&self, done: usize) {
        if let Some(bar) = &self.0 {
            bar.set_position(done as u64);
        }
    }

    /// Removes the bar from the terminal.
    pub fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_off_a_terminal_draws_nothing() {
        let bar = Bar::shown_if(false, 10, "Photos");
        assert!(!bar.is_shown());
        bar.set(5);
        bar.finish();
        let drawn = Bar::shown_if(true, 10, "Photos");
        assert!(drawn.is_shown());
        drawn.finish();
    }
}
