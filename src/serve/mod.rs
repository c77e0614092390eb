//! `gazette serve`: build once, serve the site from memory, rebuild on every change and tell
//! open pages to reload.
//!
//! Three parts, wired here and knowing nothing of each other:
//! - [`watch`] calls back with the changed paths after each burst of changes;
//! - the rebuild loop (`Rebuilder`) hands them to [`Session::update`], writes what changed to
//!   the output folder ([`snapshot`]) and swaps the new snapshot in, or, when the build fails,
//!   keeps the last good one and reports the diagnostics;
//! - [`http`] answers requests from the current snapshot and carries the reload and error
//!   messages to open pages over a WebSocket.
//!
//! Async code (tokio, axum) stays inside this folder; the build itself runs on the watch
//! thread, outside the runtime. Library code never prints: what happens is reported through
//! the `on_event` callback of [`run`].

pub mod conn;
pub mod http;
pub mod snapshot;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::sync::watch as signal;

use crate::diagnostic::Diagnostic;
use crate::session::Session;
use crate::{BuildOptions, Failure};
use http::Live;
use snapshot::{Pending, Snapshot};

/// What `serve` is asked to do.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub site: PathBuf,
    /// The address to listen on; `127.0.0.1` by default.
    pub bind: IpAddr,
    /// The port; `0` picks a free one (the [`Event::Listening`] URL tells which).
    pub port: u16,
    /// How every build is made (`drafts`, `future`, `now`, `output`, `base_url`).
    pub build: BuildOptions,
    /// Host names answered besides `localhost` and IP addresses (`--allow-host`).
    pub allowed_hosts: Vec<String>,
    /// How long a connection may stay without traffic before it is closed.
    pub idle: Duration,
}

/// What `serve` reports as it goes, for the command line to print.
#[derive(Debug)]
pub enum Event<'a> {
    /// The first build is done (or failed) and requests are answered at `url`.
    Listening { url: &'a str, loopback: bool },
    /// A build succeeded and its files are served.
    Built(&'a Built<'a>),
    /// A build failed; the last good site is still served, if there is one (`last_good`).
    Failed {
        failure: &'a Failure,
        last_good: bool,
    },
    /// Ctrl-C (or SIGTERM): the server is stopping.
    Stopping,
}

/// A successful build, as [`Event::Built`] reports it.
#[derive(Debug)]
pub struct Built<'a> {
    /// The paths whose change caused it; empty for the first build.
    pub changed: &'a [PathBuf],
    pub entries: usize,
    /// Files in the site.
    pub files: usize,
    /// Files written to and removed from the output folder.
    pub written: usize,
    pub removed: usize,
    pub warnings: &'a [Diagnostic],
    /// The whole rebuild, output folder included.
    pub elapsed: Duration,
    /// Of it, the time `Session::update` (or `render`) took.
    pub render: Duration,
    /// Of it, the time until the new site was served and pages told to reload.
    pub published: Duration,
}

/// The port is taken by another program.
#[derive(Debug)]
pub struct PortInUse {
    pub address: SocketAddr,
}

impl std::fmt::Display for PortInUse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "port {} on {} is already in use\nhint: stop the program using it or choose another port with `--port`",
            self.address.port(),
            self.address.ip()
        )
    }
}

impl std::error::Error for PortInUse {}

type OnEvent = Arc<dyn Fn(Event<'_>) + Send + Sync>;

/// Builds the site, serves it and rebuilds it on every change until Ctrl-C.
///
/// Fails only when it cannot start: the site folder does not exist, the port is in use
/// ([`PortInUse`]), the folders cannot be watched. A site that does not build is served
/// anyway, showing its errors, and is built again on the next change.
pub fn run(
    options: &ServeOptions,
    on_event: impl Fn(Event<'_>) + Send + Sync + 'static,
) -> anyhow::Result<()> {
    let on_event: OnEvent = Arc::new(on_event);
    if !options.site.is_dir() {
        anyhow::bail!(
            "the site folder `{}` does not exist\nhint: run gazette in a site folder or pass `--site DIR`",
            options.site.display()
        );
    }
    let address = SocketAddr::new(options.bind, options.port);
    let listener = std::net::TcpListener::bind(address).map_err(|error| {
        if error.kind() == std::io::ErrorKind::AddrInUse {
            anyhow::Error::new(PortInUse { address })
        } else {
            anyhow::anyhow!("cannot listen on {address}: {error}")
        }
    })?;
    listener.set_nonblocking(true)?;
    let address = listener.local_addr()?;

    let (stop, stopped) = signal::channel(false);
    let live = Arc::new(Live::new(
        Snapshot::default(),
        stopped.clone(),
        http::Hosts::new(options.allowed_hosts.iter().cloned()),
        options.idle,
    ));
    let rebuilder = Arc::new(Mutex::new(Rebuilder {
        site: options.site.clone(),
        options: options.build.clone(),
        session: None,
        rendered_once: false,
        pending: Vec::new(),
        output_stale: false,
        live: live.clone(),
        on_event: on_event.clone(),
    }));
    // Watch before the first build, so that nothing saved during it is missed.
    let _watcher = {
        let rebuilder = rebuilder.clone();
        let site = options.site.clone();
        let root = std::fs::canonicalize(&options.site)?;
        watch::watch(&options.site, move |paths| {
            let paths = paths.iter().map(|p| in_site(&site, &root, p)).collect();
            lock(&rebuilder).build(paths);
        })?
    };
    lock(&rebuilder).build(Vec::new());

    let base_path = match live.current().base_path.as_str() {
        "" => "/".to_string(),
        path => path.to_string(),
    };
    let url = format!("http://{address}{base_path}");
    on_event(Event::Listening {
        url: &url,
        loopback: address.ip().is_loopback(),
    });

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("gazette serve")
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let listener =
            conn::Listener::new(tokio::net::TcpListener::from_std(listener)?, options.idle);
        let mut wait = stopped.clone();
        let server = axum::serve(listener, http::router(live))
            .with_graceful_shutdown(async move {
                let _ = wait.wait_for(|stop| *stop).await;
            })
            .into_future();
        let server = tokio::spawn(server);
        interrupted().await;
        on_event(Event::Stopping);
        let _ = stop.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(2), server).await;
        anyhow::Ok(())
    })?;
    runtime.shutdown_timeout(Duration::from_secs(1));
    Ok(())
}

/// Waits for Ctrl-C (or SIGTERM on Unix).
async fn interrupted() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// A watched path (absolute, under the canonical `root`) as a path in the site folder as it
/// was given, the form [`Session::update`] expects.
fn in_site(site: &Path, root: &Path, path: &Path) -> PathBuf {
    match path.strip_prefix(root) {
        Ok(relative) if relative.as_os_str().is_empty() => site.to_path_buf(),
        Ok(relative) => site.join(relative),
        Err(_) => path.to_path_buf(),
    }
}

/// The rebuild loop's state: the session, and the changes the last good build has not seen.
struct Rebuilder {
    site: PathBuf,
    options: BuildOptions,
    /// `None` until `site.yaml` can be read (and after a crash).
    session: Option<Session>,
    /// Whether `session` has rendered once; until then it renders whole.
    rendered_once: bool,
    /// Changes since the last successful build: a failed build's changes are given again.
    pending: Vec<PathBuf>,
    /// Whether the output folder may differ from the served snapshot (a write failed).
    output_stale: bool,
    live: Arc<Live>,
    on_event: OnEvent,
}

/// A successful build, ready to be published.
struct Outcome {
    snapshot: Snapshot,
    /// What is left to write to the output folder once it is published, and whether
    /// anything served changed.
    pending: Pending,
    entries: usize,
    warnings: Vec<Diagnostic>,
    render: Duration,
}

/// What a caught panic said, if it said it in text.
fn panic_reason(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_default()
}

impl Rebuilder {
    /// Builds after `changed` changed (the first build when empty), then publishes the new
    /// site or reports why it failed. Never panics and never leaves the server stuck.
    fn build(&mut self, changed: Vec<PathBuf>) {
        let started = Instant::now();
        self.pending.extend(changed.iter().cloned());
        self.pending.sort();
        self.pending.dedup();
        let result = match catch_unwind(AssertUnwindSafe(|| self.try_build())) {
            Ok(result) => result,
            Err(panic) => {
                // The session may be half updated: start afresh next time.
                self.session = None;
                self.rendered_once = false;
                Err(Failure::Other(anyhow::anyhow!(
                    "the build crashed: {}\nhint: this is a bug in gazette; the next change builds the whole site again",
                    panic_reason(panic.as_ref())
                )))
            }
        };
        match result {
            Ok(outcome) => {
                self.pending.clear();
                let snapshot = Arc::new(outcome.snapshot);
                // Pages are answered from memory: the new ones are served, and pages told to
                // reload, before the generated files reach the output folder.
                self.live.publish(snapshot.clone(), outcome.pending.changed);
                let published = started.elapsed();
                let changes = match outcome.pending.apply(&snapshot) {
                    Ok(changes) => changes,
                    Err(error) => {
                        // The next build writes the whole output folder again.
                        self.output_stale = true;
                        let failure =
                            Failure::Other(error.context("cannot update the output folder"));
                        // The terminal first: a page told of the error finds it there.
                        (self.on_event)(Event::Failed {
                            failure: &failure,
                            last_good: self.live.has_site(),
                        });
                        self.live.fail(describe(&failure));
                        return;
                    }
                };
                let built = Built {
                    changed: &changed,
                    entries: outcome.entries,
                    files: snapshot.files.len(),
                    written: changes.written,
                    removed: changes.removed,
                    warnings: &outcome.warnings,
                    elapsed: started.elapsed(),
                    render: outcome.render,
                    published,
                };
                (self.on_event)(Event::Built(&built));
            }
            Err(failure) => {
                // The terminal first: a page told of the error finds it there.
                (self.on_event)(Event::Failed {
                    failure: &failure,
                    last_good: self.live.has_site(),
                });
                self.live.fail(describe(&failure));
            }
        }
    }

    fn try_build(&mut self) -> Result<Outcome, Failure> {
        let session = match &mut self.session {
            Some(session) => session,
            None => self
                .session
                .insert(Session::open(&self.site, &self.options)?),
        };
        let rendering = Instant::now();
        let rendered = if self.rendered_once {
            session.update(&self.pending)?
        } else {
            session.render()?
        };
        self.rendered_once = true;
        let render = rendering.elapsed();
        let config = session.config();
        let current = self.live.current();
        let (snapshot, pending) = if current.files.is_empty() || self.output_stale {
            let (snapshot, changes) =
                Snapshot::write(&config.output_dir, &config.base_path, rendered.files)?;
            (snapshot, Pending::done(&config.output_dir, changes))
        } else {
            let next = Snapshot::next(
                &current,
                &config.output_dir,
                &config.base_path,
                rendered.files,
            );
            // Files may have been removed or copied: write the folder whole next time.
            self.output_stale = next.is_err();
            next?
        };
        self.output_stale = false;
        Ok(Outcome {
            snapshot,
            pending,
            entries: rendered.entries,
            warnings: rendered.warnings,
            render,
        })
    }
}

/// The text of the error overlay.
fn describe(failure: &Failure) -> String {
    match failure {
        Failure::Content(diagnostics) => {
            let mut sorted: Vec<&Diagnostic> = diagnostics.iter().collect();
            sorted.sort_by_key(|d| !d.is_error());
            sorted
                .iter()
                .map(|d| d.to_string())
                .collect::<Vec<_>>()
                .join("\n\n")
        }
        Failure::Other(error) | Failure::Usage(error) => format!("error: {error:#}"),
    }
}

/// Opens `url` in the default browser, without waiting for it.
pub fn open_in_browser(url: &str) -> std::io::Result<()> {
    let mut command = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map(|_| ())
}
