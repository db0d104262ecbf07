//! Why a wait for a job ended without success.

use std::fmt;
use std::time::Duration;

/// Why a [`Waiter`](crate::Waiter) ended without success.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct WaitError {
    /// The operation id of the poll, such as `get-extraction-status`.
    pub operation: &'static str,
    /// What ended the wait.
    pub kind: WaitErrorKind,
    /// The state the last poll reported, if any.
    pub last_state: Option<String>,
}

impl WaitError {
    /// A wait for the job polled by `operation` that ended with `kind`; `last_state` is what the
    /// last poll reported. For code that starts a job by hand before waiting with a generated
    /// waiter (the run of a synchronization connection, say).
    pub fn new(operation: &'static str, kind: WaitErrorKind, last_state: Option<String>) -> Self {
        WaitError {
            operation,
            kind,
            last_state,
        }
    }
}

/// What ended a wait.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WaitErrorKind {
    /// The job reached a failure state (in [`WaitError::last_state`]); `body` is the poll's
    /// answer as JSON, for what the state alone does not say.
    Failed {
        /// The poll's answer, if it was JSON.
        body: Option<serde_json::Value>,
    },
    /// The next poll would have started after the waiter's
    /// [`max_wait`](crate::Waiter::max_wait): `waited` is the time it would have been.
    TimedOut {
        /// How long the wait would have been at the next poll.
        waited: Duration,
    },
    /// The answer that started the job has no value at this JSON pointer, which the poll needs
    /// as an argument.
    MissingArgument {
        /// The JSON pointer into the start answer.
        pointer: &'static str,
    },
}

impl fmt::Display for WaitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = self.operation;
        let state = self.last_state.as_deref().unwrap_or("unknown");
        match &self.kind {
            WaitErrorKind::Failed { .. } => {
                write!(f, "{operation}: the job ended in the failure state `{state}`")
            }
            WaitErrorKind::TimedOut { waited } => write!(
                f,
                "{operation}: gave up waiting after {} s; the last state was `{state}`",
                waited.as_secs()
            ),
            WaitErrorKind::MissingArgument { pointer } => write!(
                f,
                "{operation}: cannot poll: the answer that started the job has no value at `{pointer}`"
            ),
        }
    }
}
