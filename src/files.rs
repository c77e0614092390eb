//! The files of a built site as they are handed from rendering to the output: made in memory,
//! made as they are written (a stream), or copied from the site.

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutputFile {
    /// Output-relative path with `/` separators, e.g. `timeline/index.html`.
    pub path: String,
    pub contents: Contents,
}

impl OutputFile {
    /// A generated file at `path`, made as it is written by `stream`.
    pub fn streamed(path: &str, stream: Stream) -> OutputFile {
        OutputFile {
            path: path.to_string(),
            contents: Contents::Stream(stream),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contents {
    Bytes(bytes::Bytes),
    /// A file copied as it is.
    Copy(std::path::PathBuf),
    /// A generated file made piece by piece as it is written.
    Stream(Stream),
}

impl Contents {
    /// A generated file's bytes, made whole; `None` for a copied file.
    pub fn generated(&self) -> Option<bytes::Bytes> {
        match self {
            Contents::Bytes(bytes) => Some(bytes.clone()),
            Contents::Stream(stream) => Some(stream.collect()),
            Contents::Copy(_) => None,
        }
    }

    /// The file's bytes, whole: generated, or read from the file it is a copy of.
    pub fn read(&self) -> std::io::Result<bytes::Bytes> {
        match self {
            Contents::Copy(source) => crate::tree::read(source).map(Into::into),
            Contents::Bytes(bytes) => Ok(bytes.clone()),
            Contents::Stream(stream) => Ok(stream.collect()),
        }
    }
}

/// Where a [`Stream`] puts each piece it makes.
pub type Pieces<'w> = &'w mut dyn FnMut(&[u8]) -> std::io::Result<()>;

/// A generated file that is made when it is written, piece by piece, so that a large one (the
/// open data of a site of 100,000 entries is hundreds of megabytes) is never whole in memory.
#[derive(Clone)]
pub struct Stream {
    make: std::sync::Arc<dyn Fn(Pieces) -> std::io::Result<()> + Send + Sync>,
    /// The file's size where it is known beforehand, to make it whole in one buffer.
    size: usize,
    /// A digest of everything the file is made from, where it is known: two streams with the
    /// same identity make the same bytes.
    identity: Option<u64>,
}

impl Stream {
    /// `make` hands every piece of the file, in order, to the function it is given.
    pub fn new(make: impl Fn(Pieces) -> std::io::Result<()> + Send + Sync + 'static) -> Stream {
        Stream {
            make: std::sync::Arc::new(make),
            size: 0,
            identity: None,
        }
    }

    /// The same stream, known to make `size` bytes.
    pub fn with_size(self, size: usize) -> Stream {
        Stream { size, ..self }
    }

    /// The same stream, known to make the same bytes as every other of this `identity`.
    pub fn with_identity(self, identity: u64) -> Stream {
        Stream {
            identity: Some(identity),
            ..self
        }
    }

    /// See [`Stream::with_identity`].
    pub fn identity(&self) -> Option<u64> {
        self.identity
    }

    /// Makes the file, handing each piece to `write`.
    pub fn write(&self, write: Pieces) -> std::io::Result<()> {
        (self.make)(write)
    }

    /// The whole file.
    pub fn collect(&self) -> bytes::Bytes {
        let mut whole = Vec::with_capacity(self.size);
        // Appending to a vector cannot fail.
        let _ = self.write(&mut |piece| {
            whole.extend_from_slice(piece);
            Ok(())
        });
        whole.into()
    }
}

impl std::fmt::Debug for Stream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Stream")
    }
}

impl PartialEq for Stream {
    fn eq(&self, other: &Self) -> bool {
        std::sync::Arc::ptr_eq(&self.make, &other.make)
    }
}

impl Eq for Stream {}

/// A file that was written: its path and, for a copied file, where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRef {
    pub path: String,
    pub source: Option<std::path::PathBuf>,
}

impl From<&OutputFile> for FileRef {
    fn from(file: &OutputFile) -> Self {
        FileRef {
            path: file.path.clone(),
            source: match &file.contents {
                Contents::Copy(source) => Some(source.clone()),
                Contents::Bytes(_) | Contents::Stream(_) => None,
            },
        }
    }
}
