//! The generator's error: what went wrong, in which file, at which JSON pointer.

use std::fmt;
use std::path::{Path, PathBuf};

/// A definition that cannot be read or turned into Rust.
///
/// Reads as a sentence naming the file and the JSON pointer of the offending node, e.g.
/// `spec/itwins.json: /paths/~1{id}/get/responses/200: $ref points to a missing schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The definition file (or manifest) the problem is in.
    pub file: PathBuf,
    /// RFC 6901 pointer of the node that caused it; empty for the whole document.
    pub pointer: String,
    /// What is wrong.
    pub message: String,
}

impl Error {
    /// An error about `file`, at the JSON pointer `pointer` (empty for the whole file).
    pub fn new(
        file: impl AsRef<Path>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Error {
            file: file.as_ref().to_path_buf(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{}: at {}: {}",
            self.file.display(),
            pointer,
            self.message
        )
    }
}

impl std::error::Error for Error {}

/// The generator's result: its errors name a file and a JSON pointer.
pub type Result<T, E = Error> = std::result::Result<T, E>;
