//! The HTTP side of `serve` (axum): the current [`Snapshot`], the live-reload WebSocket and
//! the small script injected into served pages.
//!
//! URL paths are resolved against the snapshot's list of output paths only, never against the
//! file system, so no request can reach a file outside the output folder: `..`, encoded
//! slashes, backslashes and NUL are refused before the lookup. A copied file is read from the
//! output folder only if it is a plain file inside it (a symbolic link put there is refused).
//! Unknown paths get the site's `404.html` with status 404. Every response has
//! `Cache-Control: no-store`.
//!
//! Reserved paths, on the same port whatever the site's base path: [`SCRIPT_PATH`] and
//! [`SOCKET_PATH`].
//!
//! Only requests for this server are answered ([`Hosts`]): a `Host` that is `localhost`, a
//! name under `.localhost`, an IP address, or a name given with `--allow-host`. Any other is
//! refused with 403, so that a web page whose own name was made to lead to this machine (DNS
//! rebinding) cannot read the preview, drafts included. The live-reload socket is accepted
//! only from pages of this server: its `Origin`, when a browser sends one, must be the
//! server's own.

use ahash::HashMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use axum::extract::ws::{self, WebSocket, WebSocketUpgrade};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Serialize;
use tokio::sync::{broadcast, watch};

use super::snapshot::{Body, Snapshot};

/// Where the live-reload script is served.
pub const SCRIPT_PATH: &str = "/__gazette/live.js";
/// The live-reload WebSocket.
pub const SOCKET_PATH: &str = "/__gazette/ws";
/// What is inserted before `</body>` in every HTML page `serve` answers with (never in the
/// output folder).
pub const SCRIPT_TAG: &str = "<script src=\"/__gazette/live.js\"></script>";

const SCRIPT: &str = include_str!("live.js");

/// What open pages are told, as JSON: `{"type":"reload"}`,
/// `{"type":"error","text":"…","last_good":true}`, `{"type":"ok"}`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Message {
    /// The site changed and the new files are being served: reload.
    Reload,
    /// The last change could not be built: show the diagnostics over the page. `last_good`
    /// tells whether an earlier build is being served, or none ever succeeded.
    Error { text: String, last_good: bool },
    /// The site builds again and nothing that is served changed: hide the diagnostics.
    Ok,
}

/// What the server reads and the rebuild loop writes.
pub struct Live {
    site: RwLock<Arc<Snapshot>>,
    /// The error message of the last rebuild, while it failed.
    error: RwLock<Option<Message>>,
    messages: broadcast::Sender<Message>,
    shutdown: watch::Receiver<bool>,
    hosts: Hosts,
    /// How often an open live-reload socket is pinged: more often than a quiet connection
    /// is closed (`conn`).
    ping: std::time::Duration,
}

impl Live {
    pub fn new(
        site: Snapshot,
        shutdown: watch::Receiver<bool>,
        hosts: Hosts,
        idle: std::time::Duration,
    ) -> Live {
        Live {
            site: RwLock::new(Arc::new(site)),
            error: RwLock::new(None),
            messages: broadcast::channel(16).0,
            shutdown,
            hosts,
            ping: idle / 3,
        }
    }

    fn site(&self) -> Arc<Snapshot> {
        self.site.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Serves `site` from now on, then tells open pages to reload (or only to hide the error
    /// overlay when nothing served changed).
    pub fn publish(&self, site: Arc<Snapshot>, changed: bool) {
        let previous = std::mem::replace(
            &mut *self.site.write().unwrap_or_else(|e| e.into_inner()),
            site,
        );
        let was_broken = self
            .error
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .is_some();
        if changed {
            let _ = self.messages.send(Message::Reload);
        } else if was_broken {
            let _ = self.messages.send(Message::Ok);
        }
        // Freeing a large site takes a moment: not while holding the lock.
        drop(previous);
    }

    /// Keeps serving the current site and shows `text` in open pages (and in pages opened
    /// until the next successful build).
    pub fn fail(&self, text: String) {
        let message = Message::Error {
            text,
            last_good: self.has_site(),
        };
        *self.error.write().unwrap_or_else(|e| e.into_inner()) = Some(message.clone());
        let _ = self.messages.send(message);
    }

    /// Whether a build has succeeded, so that a site is served.
    pub fn has_site(&self) -> bool {
        !self.site().files.is_empty()
    }

    /// The current snapshot, for the rebuild loop.
    pub fn current(&self) -> Arc<Snapshot> {
        self.site()
    }
}

/// The `Host` names `serve` answers to.
#[derive(Debug, Clone, Default)]
pub struct Hosts {
    /// Names allowed besides the ones always allowed, lower case.
    named: Vec<String>,
}

impl Hosts {
    /// `localhost`, IP addresses, and `named` (`--allow-host`).
    pub fn new(named: impl IntoIterator<Item = String>) -> Hosts {
        Hosts {
            named: named
                .into_iter()
                .map(|name| name.trim_end_matches('.').to_ascii_lowercase())
                .collect(),
        }
    }

    /// Whether a request with this `Host` header is for this server.
    pub fn allows(&self, host: &str) -> bool {
        let name = host_name(host);
        if name.starts_with('[') {
            return name.len() > 2
                && name.ends_with(']')
                && name[1..name.len() - 1]
                    .parse::<std::net::Ipv6Addr>()
                    .is_ok();
        }
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        name.parse::<std::net::Ipv4Addr>().is_ok()
            || name == "localhost"
            || name.ends_with(".localhost")
            || self.named.contains(&name)
    }
}

/// `host` of `host:port` (`[::1]` of `[::1]:8000`).
fn host_name(host: &str) -> &str {
    if host.starts_with('[') {
        // `[v6]` or `[v6]:port`; anything else after `]` keeps the whole, which no address is.
        return match host.find(']') {
            Some(end)
                if host[end + 1..].is_empty()
                    || host[end + 1..]
                        .strip_prefix(':')
                        .is_some_and(|port| port.bytes().all(|b| b.is_ascii_digit())) =>
            {
                &host[..=end]
            }
            _ => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// The request's `Host`, when it names another server than this one. A request without one
/// (not from a browser) is answered.
fn foreign_host<'a>(live: &Live, headers: &'a header::HeaderMap) -> Option<&'a str> {
    let host = headers.get(header::HOST)?;
    match host.to_str() {
        Ok(host) if live.hosts.allows(host) => None,
        Ok(host) => Some(host),
        Err(_) => Some("?"),
    }
}

fn refuse_host(host: &str) -> Response {
    let name = host_name(host);
    let text = format!(
        "403 Forbidden: gazette serve answers requests for localhost and IP addresses, not for `{name}`.\n\
         To open the preview under that name, start it with `gazette serve --allow-host {name}`.\n"
    );
    let mut response = (StatusCode::FORBIDDEN, text).into_response();
    set_headers(&mut response, "text/plain; charset=utf-8");
    response
}

/// The application: the reserved paths, then the site for every other path, each for
/// requests to this server only.
pub fn router(live: Arc<Live>) -> Router {
    Router::new()
        .route(SOCKET_PATH, get(socket))
        .route(SCRIPT_PATH, get(script))
        .fallback(page)
        .with_state(live)
}

async fn script(State(live): State<Arc<Live>>, headers: header::HeaderMap) -> Response {
    if let Some(host) = foreign_host(&live, &headers) {
        return refuse_host(host);
    }
    let mut response = SCRIPT.into_response();
    set_headers(&mut response, "text/javascript; charset=utf-8");
    response
}

async fn socket(
    State(live): State<Arc<Live>>,
    headers: header::HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    if let Some(host) = foreign_host(&live, &headers) {
        return refuse_host(host);
    }
    if !same_origin(&headers) {
        let mut response = (
            StatusCode::FORBIDDEN,
            "403 Forbidden: the live-reload socket is for pages of this server only.\n",
        )
            .into_response();
        set_headers(&mut response, "text/plain; charset=utf-8");
        return response;
    }
    upgrade.on_upgrade(move |socket| talk(socket, live))
}

/// Whether a socket's `Origin` (when it has one: browsers always send it) is this server, as
/// the request's `Host` names it.
fn same_origin(headers: &header::HeaderMap) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    match (origin.to_str(), host) {
        (Ok(origin), Some(host)) => origin
            .strip_prefix("http://")
            .is_some_and(|rest| rest.eq_ignore_ascii_case(host)),
        _ => false,
    }
}

/// Sends a page the messages of the rebuild loop until it goes away or the server stops.
async fn talk(mut socket: WebSocket, live: Arc<Live>) {
    let mut messages = live.messages.subscribe();
    let mut shutdown = live.shutdown.clone();
    // Pings keep the socket from being taken for a quiet connection.
    let mut ping = tokio::time::interval(live.ping);
    ping.tick().await;
    let broken = live.error.read().unwrap_or_else(|e| e.into_inner()).clone();
    if let Some(message) = broken
        && send(&mut socket, &message).await.is_err()
    {
        return;
    }
    loop {
        tokio::select! {
            message = messages.recv() => {
                let message = match message {
                    Ok(message) => message,
                    // Missed some: the page is out of date anyway.
                    Err(broadcast::error::RecvError::Lagged(_)) => Message::Reload,
                    Err(broadcast::error::RecvError::Closed) => break,
                };
                if send(&mut socket, &message).await.is_err() {
                    return;
                }
            }
            incoming = socket.recv() => {
                if !matches!(incoming, Some(Ok(_))) {
                    return;
                }
            }
            _ = ping.tick() => {
                if socket.send(ws::Message::Ping(Default::default())).await.is_err() {
                    return;
                }
            }
            _ = shutdown.changed() => break,
        }
    }
    let _ = socket.send(ws::Message::Close(None)).await;
}

async fn send(socket: &mut WebSocket, message: &Message) -> Result<(), axum::Error> {
    let text = serde_json::to_string(message).unwrap_or_default();
    socket.send(ws::Message::Text(text.into())).await
}

/// Answers a request for a page or file of the site.
async fn page(State(live): State<Arc<Live>>, request: Request) -> Response {
    if let Some(host) = foreign_host(&live, request.headers()) {
        return refuse_host(host);
    }
    if request.method() != Method::GET && request.method() != Method::HEAD {
        let mut response = StatusCode::METHOD_NOT_ALLOWED.into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let site = live.site();
    if site.files.is_empty() {
        return not_built();
    }
    let uri = request.uri();
    match resolve(&site.files, &site.base_path, uri.path()) {
        Target::File(path) => file(&site, &path).await,
        Target::Redirect(mut location) => {
            if let Some(query) = uri.query() {
                location.push('?');
                location.push_str(query);
            }
            let mut response = StatusCode::TEMPORARY_REDIRECT.into_response();
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            set_headers(&mut response, "text/plain; charset=utf-8");
            response
        }
        Target::NotFound => not_found(&site).await,
    }
}

async fn not_found(site: &Snapshot) -> Response {
    match read(site, "404.html").await {
        Some(bytes) => respond("404.html", bytes, StatusCode::NOT_FOUND),
        None => {
            let mut response = (StatusCode::NOT_FOUND, "404 Not Found\n").into_response();
            set_headers(&mut response, "text/plain; charset=utf-8");
            response
        }
    }
}

/// Before the first successful build: a page that shows the errors through the script.
fn not_built() -> Response {
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><title>gazette: no site yet</title>\
         </head><body style=\"margin:2rem 1rem;font:1rem/1.5 system-ui,sans-serif\">\
         <p>No build of the site has succeeded yet, so there is no page to show. The errors \
         are below; this page reloads once the site builds.</p>{SCRIPT_TAG}</body></html>\n"
    );
    let mut response = (StatusCode::SERVICE_UNAVAILABLE, html).into_response();
    set_headers(&mut response, "text/html; charset=utf-8");
    response
}

async fn file(site: &Snapshot, path: &str) -> Response {
    match read(site, path).await {
        Some(bytes) => respond(path, bytes, StatusCode::OK),
        None => not_found(site).await,
    }
}

/// The bytes of an output file: from memory, or for a copied file from the output folder,
/// provided it is a plain file there (not a link to somewhere else).
async fn read(site: &Snapshot, path: &str) -> Option<bytes::Bytes> {
    match site.files.get(path)? {
        // Shared with the snapshot, not copied.
        Body::Bytes(bytes) => Some(bytes.clone()),
        // Made on a blocking thread: it may take tens of milliseconds.
        Body::Lazy(lazy) => {
            let lazy = lazy.clone();
            tokio::task::spawn_blocking(move || lazy.bytes().clone())
                .await
                .ok()
        }
        Body::File { path, .. } => {
            let real = tokio::fs::canonicalize(path).await.ok()?;
            let out_dir = tokio::fs::canonicalize(&site.out_dir).await.ok()?;
            if !real.starts_with(&out_dir)
                || tokio::fs::symlink_metadata(path).await.ok()?.is_symlink()
            {
                return None;
            }
            tokio::fs::read(&real).await.ok().map(bytes::Bytes::from)
        }
    }
}

fn respond(path: &str, bytes: bytes::Bytes, status: StatusCode) -> Response {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let bytes = if mime.essence_str() == "text/html" {
        inject(bytes.to_vec()).into()
    } else {
        bytes
    };
    let mut response = (status, bytes).into_response();
    set_headers(&mut response, &content_type(&mime));
    response
}

fn content_type(mime: &mime_guess::Mime) -> String {
    let textual = mime.type_() == "text"
        || matches!(
            mime.essence_str(),
            "application/javascript" | "application/json" | "application/xml" | "image/svg+xml"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    if textual && mime.get_param("charset").is_none() {
        format!("{}; charset=utf-8", mime.essence_str())
    } else {
        mime.to_string()
    }
}

fn set_headers(response: &mut Response, content_type: &str) {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
}

/// Inserts [`SCRIPT_TAG`] before the last `</body>` (any case), or at the end.
pub fn inject(mut html: Vec<u8>) -> Vec<u8> {
    let closing = b"</body";
    let at = html
        .windows(closing.len())
        .rposition(|w| w.eq_ignore_ascii_case(closing))
        .unwrap_or(html.len());
    html.splice(at..at, SCRIPT_TAG.bytes());
    html
}

/// What a URL path names in the site.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// An output file, by its output path.
    File(String),
    /// A folder asked for without its final `/`, or the root outside the base path.
    Redirect(String),
    NotFound,
}

/// Resolves the raw (percent-encoded) path of a request against the output paths in `files`,
/// for a site served under `base_path` (`/` or `/sub/`).
pub fn resolve<V>(files: &HashMap<String, V>, base_path: &str, raw: &str) -> Target {
    let Some(rest) = raw.strip_prefix(base_path) else {
        if raw == "/" || raw == base_path.trim_end_matches('/') {
            return Target::Redirect(base_path.to_string());
        }
        return Target::NotFound;
    };
    let Some(decoded) = decode(rest) else {
        return Target::NotFound;
    };
    let folder = decoded.is_empty() || decoded.ends_with('/');
    let key = if folder {
        format!("{decoded}index.html")
    } else {
        decoded.clone()
    };
    if !crate::output::is_safe(&key) {
        return Target::NotFound;
    }
    if files.contains_key(&key) {
        return Target::File(key);
    }
    if !folder && files.contains_key(&format!("{decoded}/index.html")) {
        return Target::Redirect(format!("{base_path}{rest}/"));
    }
    Target::NotFound
}

/// Percent-decodes a path below the base path; `None` for anything that could step out of
/// the site: `.` or `..` segments, empty segments, encoded slashes, backslashes, NUL,
/// invalid UTF-8.
fn decode(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return None;
    }
    let decoded = percent_encoding::percent_decode_str(raw)
        .decode_utf8()
        .ok()?
        .into_owned();
    if decoded.contains('\\') || decoded.contains('\0') || decoded.starts_with('/') {
        return None;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        let allowed_empty = i == last;
        if (segment.is_empty() && !allowed_empty) || *segment == "." || *segment == ".." {
            return None;
        }
    }
    Some(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> HashMap<String, ()> {
        [
            "index.html",
            "404.html",
            "style.css",
            "timeline/index.html",
            "engagements/visit/index.html",
            "engagements/map café.png",
        ]
        .into_iter()
        .map(|p| (p.to_string(), ()))
        .collect()
    }

    #[test]
    fn resolves_files_and_folders() {
        let files = site();
        let file = |p: &str| Target::File(p.to_string());
        assert_eq!(resolve(&files, "/", "/"), file("index.html"));
        assert_eq!(resolve(&files, "/", "/style.css"), file("style.css"));
        assert_eq!(
            resolve(&files, "/", "/timeline/"),
            file("timeline/index.html")
        );
        assert_eq!(
            resolve(&files, "/", "/engagements/map%20caf%C3%A9.png"),
            file("engagements/map café.png")
        );
        assert_eq!(
            resolve(&files, "/", "/timeline"),
            Target::Redirect("/timeline/".into())
        );
        assert_eq!(resolve(&files, "/", "/nothing/"), Target::NotFound);
    }

    #[test]
    fn respects_the_base_path() {
        let files = site();
        assert_eq!(
            resolve(&files, "/sub/", "/sub/timeline/"),
            Target::File("timeline/index.html".into())
        );
        assert_eq!(
            resolve(&files, "/sub/", "/"),
            Target::Redirect("/sub/".into())
        );
        assert_eq!(
            resolve(&files, "/sub/", "/sub"),
            Target::Redirect("/sub/".into())
        );
        assert_eq!(
            resolve(&files, "/sub/", "/sub/timeline"),
            Target::Redirect("/sub/timeline/".into())
        );
        assert_eq!(resolve(&files, "/sub/", "/timeline/"), Target::NotFound);
    }

    #[test]
    fn refuses_paths_that_step_out() {
        let files = site();
        for raw in [
            "/../Cargo.toml",
            "/%2e%2e/",
            "/%2E%2E/Cargo.toml",
            "/..%2f..%2fetc/passwd",
            "/static/..%5c..",
            "/timeline/../index.html",
            "/./index.html",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/index.html%00",
            "/%ff",
            "/timeline//",
        ] {
            assert_eq!(resolve(&files, "/", raw), Target::NotFound, "{raw}");
        }
    }

    #[test]
    fn injects_before_the_last_body_end() {
        let html = b"<html><body><p>x</p></BODY></html>".to_vec();
        let out = String::from_utf8(inject(html)).unwrap();
        assert_eq!(
            out,
            format!("<html><body><p>x</p>{SCRIPT_TAG}</BODY></html>")
        );
        let out = String::from_utf8(inject(b"<p>x</p>".to_vec())).unwrap();
        assert_eq!(out, format!("<p>x</p>{SCRIPT_TAG}"));
    }

    #[test]
    fn messages_are_tagged_json() {
        assert_eq!(
            serde_json::to_string(&Message::Reload).unwrap(),
            r#"{"type":"reload"}"#
        );
        assert_eq!(
            serde_json::to_string(&Message::Error {
                text: "<b>".into(),
                last_good: false
            })
            .unwrap(),
            r#"{"type":"error","text":"<b>","last_good":false}"#
        );
    }
}
