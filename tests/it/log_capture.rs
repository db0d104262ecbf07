//! What the runtime logs, captured per test.
//!
//! `tracing` caches, for each callsite and for the whole process, whether any subscriber wants
//! it. A test that installed its own subscriber with `set_default` raced with the other tests
//! of this binary: a callsite first reached on another thread, while no subscriber of that test
//! existed yet, could store "never" after the test had registered its subscriber, and the event
//! was then skipped for the rest of the process. So this binary has one subscriber, installed
//! before `main` and so before any callsite is reached, whose filter answers "sometimes" for
//! every callsite: the cache then never decides anything, and each event is checked against the
//! thread it happens on. A test that calls [`LogCapture::start`] receives the events of its own
//! thread (a `current_thread` runtime runs the client there), formatted as the `fmt` subscriber
//! writes them; events of other threads and of tests that capture nothing are dropped.

use std::cell::RefCell;
use std::io::Write;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use tracing::level_filters::LevelFilter;
use tracing::subscriber::Interest;
use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Filter, SubscriberExt};
use tracing_subscriber::Layer;

type Buffer = Arc<Mutex<Vec<u8>>>;

thread_local! {
    /// The capture of the test running on this thread, if it asked for one.
    static CAPTURE: RefCell<Option<Buffer>> = const { RefCell::new(None) };
}

/// The most detailed level captured: the runtime's retry and paging notes are `debug`.
const MOST_DETAILED: Level = Level::DEBUG;

// Safety: runs before `main`, and only builds a subscriber and stores it in `tracing`'s global
// slot; it reads no other static and starts no thread.
#[ctor::ctor(unsafe)]
fn install_the_one_subscriber() {
    let layer = tracing_subscriber::fmt::layer()
        .with_writer(ThreadCapture)
        .with_ansi(false)
        .with_filter(CapturingThreads);
    let subscriber = tracing_subscriber::registry().with(layer);
    // Fails only if a global subscriber was already set, and nothing else in this binary sets
    // one; a capturing test would then see no events and say so.
    let _ = tracing::subscriber::set_global_default(subscriber);
}

/// Enables an event or span only on a thread whose test is capturing.
struct CapturingThreads;

impl<S> Filter<S> for CapturingThreads {
    fn enabled(&self, metadata: &Metadata<'_>, _: &Context<'_, S>) -> bool {
        *metadata.level() <= MOST_DETAILED && CAPTURE.with(|capture| capture.borrow().is_some())
    }

    fn callsite_enabled(&self, metadata: &'static Metadata<'static>) -> Interest {
        if *metadata.level() <= MOST_DETAILED {
            // Never "always": whether an event is wanted depends on the thread, so the answer
            // must not be cached.
            Interest::sometimes()
        } else {
            Interest::never()
        }
    }

    fn max_level_hint(&self) -> Option<LevelFilter> {
        Some(LevelFilter::from_level(MOST_DETAILED))
    }
}

/// Writes each formatted event into the capture of the thread that emitted it.
struct ThreadCapture;

impl<'a> MakeWriter<'a> for ThreadCapture {
    type Writer = ThreadCaptureWriter;

    fn make_writer(&'a self) -> Self::Writer {
        ThreadCaptureWriter(CAPTURE.with(|capture| capture.borrow().clone()))
    }
}

struct ThreadCaptureWriter(Option<Buffer>);

impl Write for ThreadCaptureWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Some(buffer) = &self.0 {
            buffer.lock().unwrap().extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The log of the current thread from [`LogCapture::start`] until the capture is dropped.
pub struct LogCapture {
    buffer: Buffer,
    /// Bound to the thread whose events it receives.
    _thread: PhantomData<*const ()>,
}

impl LogCapture {
    /// Starts capturing this thread's events.
    ///
    /// # Panics
    /// If this thread already captures: two captures would each see half of the events.
    pub fn start() -> LogCapture {
        let buffer = Buffer::default();
        CAPTURE.with(|capture| {
            let mut capture = capture.borrow_mut();
            assert!(capture.is_none(), "this thread already captures its log");
            *capture = Some(buffer.clone());
        });
        LogCapture {
            buffer,
            _thread: PhantomData,
        }
    }

    /// What was logged so far, as the `fmt` subscriber writes it (without colours).
    pub fn text(&self) -> String {
        String::from_utf8(self.buffer.lock().unwrap().clone()).expect("the log is UTF-8")
    }
}

impl Drop for LogCapture {
    fn drop(&mut self) {
        CAPTURE.with(|capture| capture.borrow_mut().take());
    }
}

#[test]
fn events_reach_only_the_capture_of_their_own_thread() {
    let capture = LogCapture::start();
    tracing::info!(marker = "this-thread", "logged here");
    std::thread::spawn(|| tracing::info!(marker = "other-thread", "logged elsewhere"))
        .join()
        .unwrap();
    tracing::trace!(marker = "too-detailed", "below the captured level");
    let text = capture.text();
    assert!(text.contains("marker=\"this-thread\""), "{text}");
    assert!(!text.contains("other-thread"), "{text}");
    assert!(!text.contains("too-detailed"), "{text}");
    drop(capture);
    let later = LogCapture::start();
    assert_eq!(later.text(), "", "a new capture starts empty");
}
