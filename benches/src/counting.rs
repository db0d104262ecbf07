//! The system allocator, counting: the bytes in use and their peak over the whole process (for
//! peak memory), and the allocations each thread makes (for allocations per call). A benchmark
//! that needs it makes it its global allocator:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: itwin_platform_benches::counting::Counting = itwin_platform_benches::counting::Counting;
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting (see the module).
pub struct Counting;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Allocations (`alloc` and `realloc`) and the bytes they asked for, on this thread.
    static THREAD: Cell<Allocations> = const { Cell::new(Allocations { count: 0, bytes: 0 }) };
}

/// Allocations made on one thread: how many (`realloc` counts as one) and the bytes asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Allocations {
    pub count: u64,
    pub bytes: u64,
}

impl std::ops::Sub for Allocations {
    type Output = Allocations;

    fn sub(self, earlier: Allocations) -> Allocations {
        Allocations {
            count: self.count - earlier.count,
            bytes: self.bytes - earlier.bytes,
        }
    }
}

/// The allocations this thread has made so far (while [`Counting`] is the global allocator).
pub fn thread_allocations() -> Allocations {
    THREAD.with(Cell::get)
}

fn counted(bytes: usize) {
    // A thread being torn down has no counter left: its allocations go uncounted.
    let _ = THREAD.try_with(|counts| {
        let mut now = counts.get();
        now.count += 1;
        now.bytes += bytes as u64;
        counts.set(now);
    });
}

/// Bytes in use now, in the whole process.
pub fn in_use() -> usize {
    IN_USE.load(Ordering::Relaxed)
}

/// The most bytes in use since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Starts a new peak from the bytes in use now.
pub fn reset_peak() {
    PEAK.store(in_use(), Ordering::Relaxed);
}

fn grew(bytes: usize) {
    let now = IN_USE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = unsafe { System.alloc(layout) };
        if !pointer.is_null() {
            grew(layout.size());
            counted(layout.size());
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = unsafe { System.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
            counted(new_size);
        }
        moved
    }
}
