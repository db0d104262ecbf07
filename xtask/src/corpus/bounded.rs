//! Runs one child process under a time bound and a memory bound, and tells what became of it.
//!
//! The bounds are checked on what the child took: its wall time, and its peak resident set
//! size, which `wait4`'s resource usage gives (only the reaping call returns it). Beyond them
//! the child is stopped: killed at [`Bounds::kill_after`], and its address space limited
//! (`RLIMIT_AS`, set between fork and exec) to [`Bounds::address_space`], so that a runaway
//! allocation fails inside the child instead of starving the shared machine.

use std::fs::File;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long and how much memory one generation may take.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// Wall time.
    pub time: Duration,
    /// Bytes of peak resident memory.
    pub memory: u64,
}

impl Bounds {
    /// When a generation is killed: well past the time bound, so that one over it is still
    /// measured, yet nothing runs unbounded.
    pub fn kill_after(&self) -> Duration {
        (self.time * 15).max(Duration::from_secs(30))
    }

    /// The address space a generation gets. Address space is reserved well beyond what is
    /// resident (allocator arenas, a stack per thread), so it cannot be the memory bound
    /// itself; this only stops a runaway.
    pub fn address_space(&self) -> u64 {
        (self.memory * 8).max(4 << 30)
    }
}

/// How a child process ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exit {
    /// It exited with this code.
    Code(i32),
    /// A signal ended it (an abort, or a crash).
    Signal(i32),
    /// It ran far past the time bound and was killed.
    TimedOut,
}

/// A finished child: how it ended, how long it took, its peak memory and what it wrote to stderr.
#[derive(Debug, Clone)]
pub struct Finished {
    pub exit: Exit,
    pub elapsed: Duration,
    /// Peak resident set size in KiB.
    pub peak_rss_kib: u64,
    /// Processor time, user and system.
    pub cpu: Duration,
    pub stderr: String,
}

/// Runs `command` to its end or until it is killed for time, with its address space limited;
/// stderr goes through `stderr_file` (a file rather than a pipe, so a chatty child never blocks
/// on a full pipe while nobody reads it).
pub fn run(mut command: Command, bounds: Bounds, stderr_file: &Path) -> std::io::Result<Finished> {
    let memory = bounds.address_space() as libc::rlim_t;
    command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(File::create(stderr_file)?);
    // SAFETY: between fork and exec only async-signal-safe calls are allowed; setrlimit is one,
    // and the closure touches no memory of the parent besides a copied integer.
    unsafe {
        command.pre_exec(move || {
            let limit = libc::rlimit {
                rlim_cur: memory,
                rlim_max: memory,
            };
            if libc::setrlimit(libc::RLIMIT_AS, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let start = Instant::now();
    let child = command.spawn()?;
    let pid = child.id() as libc::pid_t;
    let (status, usage, timed_out) = reap(pid, start, bounds.kill_after())?;
    let elapsed = start.elapsed();
    // The child is reaped by `wait4`; dropping the handle neither waits nor kills.
    drop(child);
    let exit = if timed_out {
        Exit::TimedOut
    } else if libc::WIFEXITED(status) {
        Exit::Code(libc::WEXITSTATUS(status))
    } else {
        Exit::Signal(libc::WTERMSIG(status))
    };
    let stderr = std::fs::read(stderr_file)
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default();
    Ok(Finished {
        exit,
        elapsed,
        peak_rss_kib: u64::try_from(usage.ru_maxrss).unwrap_or(0),
        cpu: duration(usage.ru_utime) + duration(usage.ru_stime),
        stderr,
    })
}

/// A `timeval` of resource usage (never negative) as a duration.
fn duration(time: libc::timeval) -> Duration {
    let seconds = u64::try_from(time.tv_sec).unwrap_or(0);
    let micros = u32::try_from(time.tv_usec).unwrap_or(0);
    Duration::from_secs(seconds) + Duration::from_micros(u64::from(micros))
}

/// Waits for `pid`, killing it once `limit` has passed; its wait status and resource usage, and
/// whether it was killed for time.
fn reap(
    pid: libc::pid_t,
    start: Instant,
    limit: Duration,
) -> std::io::Result<(i32, libc::rusage, bool)> {
    let mut status = 0;
    // SAFETY: rusage is plain old data; all-zero is a valid value.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // Short polls first: most generations end within milliseconds.
    let mut pause = Duration::from_millis(1);
    loop {
        // SAFETY: valid pointers to locals; pid is our own unreaped child.
        let done = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut usage) };
        if done == pid {
            return Ok((status, usage, false));
        }
        if done < 0 {
            return Err(std::io::Error::last_os_error());
        }
        if start.elapsed() >= limit {
            // SAFETY: the child is not reaped yet, so the pid is still ours.
            unsafe { libc::kill(pid, libc::SIGKILL) };
            let done = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
            if done < 0 {
                return Err(std::io::Error::last_os_error());
            }
            return Ok((status, usage, true));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    }
}
