//! `gazette serve` for the tests: the real binary started on a [`Site`] on a free port, a
//! small HTTP/1.1 client and a live-reload client.
//!
//! Every wait is bounded; the server is killed when its [`Server`] is dropped, even when the
//! test fails.

use std::fs;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use gazette::serve::http::SOCKET_PATH;

use super::{NOW, Site, Turn};

/// How long a change may take to be rebuilt and announced (generous for loaded machines).
pub const CHANGE: Duration = Duration::from_secs(20);
/// How long an answer may take to arrive once asked for.
const ANSWER: Duration = Duration::from_secs(20);

/// A running `gazette serve`, killed on drop.
pub struct Server {
    pub child: Child,
    pub port: u16,
    stdout: mpsc::Receiver<String>,
    stderr: PathBuf,
    _turn: Turn,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(site: &Site) -> Server {
        Server::start_with(site, &[])
    }

    pub fn start_with(site: &Site, extra: &[&str]) -> Server {
        let turn = Turn::beside_others();
        let stderr = site.tmp.join("serve.stderr");
        let mut child = Command::new(env!("CARGO_BIN_EXE_gazette"))
            .args(["serve", "--site"])
            .arg(&site.root)
            .args(["--port", "0", "--now", NOW])
            .args(extra)
            .env("XDG_CACHE_HOME", site.tmp.join("cache"))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(fs::File::create(&stderr).unwrap())
            .spawn()
            .expect("cannot start gazette serve");
        let out = child.stdout.take().unwrap();
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            port: 0,
            stdout: lines,
            stderr,
            _turn: turn,
        };
        let line = server.wait_line("Serving", Duration::from_secs(60));
        let address = line
            .split("http://127.0.0.1:")
            .nth(1)
            .expect("the address in the `Serving` line");
        server.port = address
            .split('/')
            .next()
            .unwrap()
            .parse()
            .expect("a port number");
        server
    }

    /// Waits for a line of standard output containing `text`.
    pub fn wait_line(&mut self, text: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) if line.contains(text) => return line,
                Ok(_) => {}
                Err(_) => panic!(
                    "no line with `{text}` from gazette serve; stderr:\n{}",
                    self.stderr()
                ),
            }
        }
    }

    /// How many lines of standard output containing `text` come within `during`.
    pub fn count_lines(&mut self, text: &str, during: Duration) -> usize {
        let deadline = Instant::now() + during;
        let mut count = 0;
        while let Ok(line) = self
            .stdout
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            count += usize::from(line.contains(text));
        }
        count
    }

    pub fn stderr(&self) -> String {
        fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    pub fn get(&self, path: &str) -> Response {
        get(self.port, path)
    }

    pub fn socket(&self) -> Socket {
        Socket::connect(self.port)
    }

    /// Waits until `path` answers with a body for which `check` holds.
    pub fn eventually(
        &self,
        path: &str,
        what: &str,
        check: impl Fn(&Response) -> bool,
    ) -> Response {
        let deadline = Instant::now() + CHANGE;
        loop {
            let response = self.get(path);
            if check(&response) {
                return response;
            }
            if Instant::now() > deadline {
                panic!(
                    "`{path}` never {what}; last answer {}:\n{}\nstderr:\n{}",
                    response.status,
                    response.text(),
                    self.stderr()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn has(&self, text: &str) -> bool {
        self.status == 200 && self.text().contains(text)
    }
}

/// A minimal HTTP/1.1 GET on a connection of its own: `path` is sent exactly as given.
pub fn get(port: u16, path: &str) -> Response {
    Connection::open(port)
        .and_then(|mut connection| connection.get(path, true))
        .unwrap_or_else(|error| panic!("GET {path}: {error}"))
}

/// An HTTP/1.1 connection, kept alive for as many requests as asked, one at a time.
pub struct Connection {
    port: u16,
    reader: BufReader<TcpStream>,
}

impl Connection {
    pub fn open(port: u16) -> io::Result<Connection> {
        let stream = TcpStream::connect(("127.0.0.1", port))?;
        stream.set_read_timeout(Some(ANSWER))?;
        stream.set_write_timeout(Some(ANSWER))?;
        Ok(Connection {
            port,
            reader: BufReader::new(stream),
        })
    }

    /// Asks for `path` (sent exactly as given) and reads the whole answer. The `last` request
    /// asks the server to close the connection, and nothing may follow its answer.
    pub fn get(&mut self, path: &str, last: bool) -> io::Result<Response> {
        let port = self.port;
        let connection = if last { "close" } else { "keep-alive" };
        write!(
            self.reader.get_mut(),
            "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: {connection}\r\n\r\n"
        )?;
        let response = read_response(&mut self.reader)?;
        if last {
            let mut rest = Vec::new();
            self.reader.read_to_end(&mut rest)?;
            if !rest.is_empty() {
                return Err(invalid(format!(
                    "{} bytes after the answer's {}-byte body",
                    rest.len(),
                    response.body.len()
                )));
            }
        }
        Ok(response)
    }
}

/// Reads one answer: the head, then a body of `Content-Length` bytes, a chunked body, or, with
/// neither, everything up to the end of the stream.
fn read_response(reader: &mut impl BufRead) -> io::Result<Response> {
    let status_line = read_line(reader)?;
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid(format!("not a status line: {status_line:?}")))?;
    let mut headers = Vec::new();
    loop {
        let line = read_line(reader)?;
        if line.is_empty() {
            break;
        }
        let (name, value) = line
            .split_once(':')
            .ok_or_else(|| invalid(format!("not a header: {line:?}")))?;
        headers.push((name.trim().to_string(), value.trim().to_string()));
    }
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    if response
        .header("transfer-encoding")
        .is_some_and(|v| v.contains("chunked"))
    {
        response.body = read_chunks(reader)?;
    } else if let Some(length) = response.header("content-length") {
        let length = length
            .parse()
            .map_err(|_| invalid(format!("Content-Length {length:?}")))?;
        response.body = vec![0; length];
        reader.read_exact(&mut response.body)?;
    } else {
        reader.read_to_end(&mut response.body)?;
    }
    Ok(response)
}

fn read_chunks(reader: &mut impl BufRead) -> io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line = read_line(reader)?;
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16)
            .map_err(|_| invalid(format!("not a chunk size: {line:?}")))?;
        if size == 0 {
            // Trailers, up to an empty line.
            while !read_line(reader)?.is_empty() {}
            return Ok(body);
        }
        let start = body.len();
        body.resize(start + size, 0);
        reader.read_exact(&mut body[start..])?;
        if !read_line(reader)?.is_empty() {
            return Err(invalid("a chunk longer than its size".into()));
        }
    }
}

/// One line ending with CRLF, without it.
fn read_line(reader: &mut impl BufRead) -> io::Result<String> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    line.strip_suffix("\r\n")
        .map(str::to_string)
        .ok_or_else(|| {
            if line.is_empty() {
                io::Error::from(io::ErrorKind::UnexpectedEof)
            } else {
                invalid(format!("a line cut short: {line:?}"))
            }
        })
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message)
}

/// A live-reload client.
pub struct Socket {
    socket: tungstenite::WebSocket<TcpStream>,
}

impl Socket {
    pub fn connect(port: u16) -> Socket {
        let stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_millis(100)))
            .unwrap();
        let url = format!("ws://127.0.0.1:{port}{SOCKET_PATH}");
        let (socket, _) = tungstenite::client(url.as_str(), stream).expect("WebSocket handshake");
        Socket { socket }
    }

    /// The next message within `timeout`, as JSON.
    pub fn next(&mut self, timeout: Duration) -> Option<serde_json::Value> {
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            match self.socket.read() {
                Ok(tungstenite::Message::Text(text)) => {
                    return Some(serde_json::from_str(text.as_str()).expect("a JSON message"));
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => panic!("the live-reload socket failed: {e}"),
            }
        }
        None
    }

    /// Waits for a message of type `kind`; panics with what came instead.
    pub fn expect(&mut self, kind: &str) -> serde_json::Value {
        let deadline = Instant::now() + CHANGE;
        let mut seen = Vec::new();
        while Instant::now() < deadline {
            if let Some(message) = self.next(deadline - Instant::now()) {
                if message["type"] == kind {
                    return message;
                }
                seen.push(message);
            }
        }
        panic!("no `{kind}` message within {CHANGE:?}; got {seen:?}");
    }

    /// Reads whatever is waiting, for a moment.
    pub fn drain(&mut self) -> Vec<serde_json::Value> {
        let mut messages = Vec::new();
        while let Some(message) = self.next(Duration::from_millis(150)) {
            messages.push(message);
        }
        messages
    }
}
