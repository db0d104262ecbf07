//! What the generator has to say about a definition: problems located by file and JSON pointer,
//! gathered over a run and reported together.
//!
//! Every stage (load, the Swagger 2.0 and OpenAPI 3.1 conversions, `$ref` resolution, build,
//! emit) says what it found as a [`Problem`]. A [`Diagnostics`] sink gathers the problems of a
//! run; it is the one place where `--strict` turns a warning into an error. A run that fails
//! returns an [`Error`]: one value that holds every error of the run, the first met first.

use std::fmt;
use std::ops::Deref;
use std::path::{Path, PathBuf};

/// How bad a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// A construct read leniently: the message says what was generated instead.
    Warning,
    /// A definition that cannot be read or turned into Rust.
    Error,
}

/// One problem of a definition: where it is, and what is wrong.
///
/// Reads as a sentence naming the file and the JSON pointer of the offending node, e.g.
/// `spec/itwins.json: at /paths/~1{id}/get/responses/200: $ref points to a missing schema`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The definition file (or manifest) the problem is in. Empty while a conversion that
    /// sees only the document reports it; [`Problem::in_file`] sets it.
    pub file: PathBuf,
    /// RFC 6901 pointer of the node that caused it; empty for the whole document.
    pub pointer: String,
    /// What is wrong (and for a warning, what was generated instead).
    pub message: String,
    /// Whether it stops the run.
    pub severity: Severity,
}

impl Problem {
    /// An error at `pointer` of `file`.
    pub fn error(
        file: impl AsRef<Path>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            file: file.as_ref().to_path_buf(),
            pointer: pointer.into(),
            message: message.into(),
            severity: Severity::Error,
        }
    }

    /// A warning at `pointer` of `file`: a construct read leniently.
    pub fn warning(
        file: impl AsRef<Path>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem {
            severity: Severity::Warning,
            ..Problem::error(file, pointer, message)
        }
    }

    /// The problem in `file`: a conversion reports problems of a document, and its caller
    /// knows which file that is.
    pub fn in_file(self, file: impl AsRef<Path>) -> Self {
        Problem {
            file: file.as_ref().to_path_buf(),
            ..self
        }
    }
}

impl fmt::Display for Problem {
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

/// A definition that cannot be read or turned into Rust: one or more problems, all errors.
///
/// It reads as its first problem (`error.pointer`, `error.message`); its Display gives every
/// problem, one a line (the first is the one a single-line reader such as the corpus report
/// sees).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Never empty.
    problems: Vec<Problem>,
}

impl Error {
    /// An error of one problem.
    pub fn new(
        file: impl AsRef<Path>,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Problem::error(file, pointer, message).into()
    }

    /// Adds the problems of `another` after this one's.
    pub fn combine(&mut self, another: Error) {
        self.problems.extend(another.problems);
    }

    /// Every problem, in the order reported.
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// Every problem, to relocate their pointers (see `Definition::locate`).
    pub fn problems_mut(&mut self) -> &mut [Problem] {
        &mut self.problems
    }
}

impl From<Problem> for Error {
    fn from(problem: Problem) -> Self {
        Error {
            problems: vec![Problem {
                severity: Severity::Error,
                ..problem
            }],
        }
    }
}

impl Deref for Error {
    type Target = Problem;

    fn deref(&self) -> &Problem {
        &self.problems[0]
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, problem) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}

/// A result whose error is the run's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The problems of one run, gathered so that they are reported together.
#[derive(Debug, Clone, Default)]
pub struct Diagnostics {
    /// `--strict`: every warning is recorded as an error.
    strict: bool,
    problems: Vec<Problem>,
}

impl Diagnostics {
    /// An empty sink; with `strict`, warnings are recorded as errors.
    pub fn new(strict: bool) -> Self {
        Diagnostics {
            strict,
            problems: Vec::new(),
        }
    }

    /// Records `problem`. This is the one place `--strict` acts: a warning becomes an error.
    pub fn report(&mut self, mut problem: Problem) {
        if self.strict {
            problem.severity = Severity::Error;
        }
        self.problems.push(problem);
    }

    /// Records a construct read leniently: `message` says what was generated instead.
    pub fn warn(&mut self, file: &Path, pointer: &str, message: impl Into<String>) {
        self.report(Problem::warning(file, pointer, message));
    }

    /// Maps the pointer of every problem gathered so far, e.g. from a converted document to
    /// the file as written.
    pub fn relocate(&mut self, source_pointer: impl Fn(&str) -> String) {
        for problem in &mut self.problems {
            problem.pointer = source_pointer(&problem.pointer);
        }
    }

    /// The end of the run: every error gathered as one (sorted by file and pointer, as the
    /// warnings are), or the warnings when there is none.
    pub fn finish(mut self) -> Result<Vec<Problem>> {
        self.problems
            .sort_by(|a, b| (&a.file, &a.pointer).cmp(&(&b.file, &b.pointer)));
        let (errors, warnings): (Vec<Problem>, Vec<Problem>) = self
            .problems
            .into_iter()
            .partition(|p| p.severity == Severity::Error);
        if errors.is_empty() {
            Ok(warnings)
        } else {
            Err(Error { problems: errors })
        }
    }

    /// The run stopped at `error`: the errors gathered before it, then it.
    pub fn fail(self, error: Error) -> Error {
        match self.finish() {
            Ok(_) => error,
            Err(mut gathered) => {
                gathered.combine(error);
                gathered
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_makes_every_warning_an_error_and_reports_them_together() {
        let file = Path::new("a.yaml");
        let mut lenient = Diagnostics::new(false);
        let mut strict = Diagnostics::new(true);
        for sink in [&mut lenient, &mut strict] {
            sink.warn(file, "/b", "second");
            sink.warn(file, "/a", "first");
        }
        let warnings = lenient.finish().unwrap();
        assert_eq!(warnings.len(), 2);
        assert!(warnings.iter().all(|w| w.severity == Severity::Warning));
        let error = strict.finish().unwrap_err();
        assert_eq!(error.pointer, "/a");
        assert_eq!(error.problems().len(), 2);
        assert_eq!(
            error.to_string(),
            "a.yaml: at /a: first\na.yaml: at /b: second"
        );
    }

    #[test]
    fn a_run_that_stops_reports_what_it_gathered_first() {
        let file = Path::new("a.yaml");
        let mut strict = Diagnostics::new(true);
        strict.warn(file, "/z", "gathered");
        let error = strict.fail(Error::new(file, "/a", "stopped"));
        let messages: Vec<&str> = error
            .problems()
            .iter()
            .map(|p| p.message.as_str())
            .collect();
        assert_eq!(messages, ["gathered", "stopped"]);
        let lenient = Diagnostics::new(false);
        assert_eq!(
            lenient.fail(Error::new(file, "", "x")).to_string(),
            "a.yaml: at /: x"
        );
    }
}
