//! The live feed a source can offer: findings events from a queue, mapped into findings. The
//! runner long-polls it while the console runs, and the app lays what arrives over the findings
//! pane (`model::live`).

use crate::model::Finding;
use crate::source::SourceError;
use futures::future::BoxFuture;

/// One receive: the events read (already mapped), the ones that could not be, and the receipts
/// to delete once they are handed on (every message, the unreadable ones too: a message that
/// cannot be read now never will be, and would come back forever).
#[derive(Debug, Clone, Default)]
pub struct Received {
    pub findings: Vec<Finding>,
    /// Why each unreadable message was refused (a few words, never its body).
    pub malformed: Vec<String>,
    pub receipts: Vec<String>,
}

impl Received {
    pub fn is_empty(&self) -> bool {
        self.receipts.is_empty()
    }
}

/// Why a source offers no feed: a word for the status line and the whole reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unavailable {
    /// "no queue", "denied", "off", "error"; "none" for a source that has no feed at all (the
    /// status line then says nothing about it).
    pub short: &'static str,
    pub why: String,
}

impl Unavailable {
    pub fn new(short: &'static str, why: impl Into<String>) -> Self {
        Self { short, why: why.into() }
    }

    /// The word for an error of the feed's service.
    pub fn of(error: &SourceError) -> Self {
        use crate::source::ErrorKind;
        let short = match error.kind() {
            ErrorKind::Denied => "denied",
            ErrorKind::Credentials => "credentials",
            ErrorKind::Throttled => "throttled",
            ErrorKind::Timeout | ErrorKind::Unreachable => "unreachable",
            _ => "error",
        };
        Self::new(short, error.to_string())
    }
}

/// SQS's longest long poll.
pub const LONG_POLL_SECONDS: u32 = 20;

pub trait LiveFeed: Send + Sync {
    /// Where events come from, as the status line and the log name it (the queue's name).
    fn name(&self) -> String;

    /// Waits for events up to `wait_seconds` (at most [`LONG_POLL_SECONDS`]): returns as soon
    /// as there are some, or empty when the wait ends. 0 answers at once (the first receive,
    /// which proves the queue can be read).
    fn receive(&self, wait_seconds: u32) -> BoxFuture<'_, Result<Received, SourceError>>;

    /// Deletes messages that were handed on.
    fn delete(&self, receipts: Vec<String>) -> BoxFuture<'_, Result<(), SourceError>>;
}
