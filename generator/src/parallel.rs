//! Independent pieces of work spread over the machine's cores, with results in the order of
//! their inputs, so that output stays byte-identical however many cores there are.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};
use std::thread;

/// Below this total weight (bytes of input, roughly) the work is done on the calling thread:
/// starting threads would cost more than it saves for the usual definition.
const SERIAL_BELOW: usize = 1 << 20;

/// How much weight a thread takes at a time: small enough that the threads finish together
/// when items differ in cost, large enough that taking work costs nothing beside doing it.
const CHUNK: usize = 64 << 10;

/// `work` applied to each item, in order. The items of a large input are cut into small
/// contiguous chunks of about equal `weight`, which the threads (one per core) take in turn.
pub fn map_in_order<T, R>(
    items: Vec<T>,
    weight: impl Fn(&T) -> usize,
    work: impl Fn(T) -> R + Sync,
) -> Vec<R>
where
    T: Send,
    R: Send,
{
    let total: usize = items.iter().map(&weight).sum();
    let cores = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    if cores < 2 || items.len() < 2 || total < SERIAL_BELOW {
        return items.into_iter().map(work).collect();
    }
    let chunks: Vec<Mutex<Vec<T>>> = split_by_weight(items, &weight, total, total / CHUNK)
        .into_iter()
        .map(Mutex::new)
        .collect();
    let done: Vec<Mutex<Vec<R>>> = chunks.iter().map(|_| Mutex::new(Vec::new())).collect();
    let next = AtomicUsize::new(0);
    let work = &work;
    thread::scope(|scope| {
        let threads: Vec<_> = (0..cores.min(chunks.len()))
            .map(|_| {
                scope.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(chunk) = chunks.get(i) else { break };
                    let items = std::mem::take(&mut *lock(chunk));
                    let results: Vec<R> = items.into_iter().map(work).collect();
                    *lock(&done[i]) = results;
                })
            })
            .collect();
        for thread in threads {
            // A panic in the work is a generator bug; it goes on as the caller's panic.
            if let Err(panic) = thread.join() {
                std::panic::resume_unwind(panic);
            }
        }
    });
    done.into_iter()
        .flat_map(|results| results.into_inner().unwrap_or_else(PoisonError::into_inner))
        .collect()
}

/// A chunk's lock. Only one thread takes a chunk, so the lock is never contended; it is
/// poisoned only by a panic in the work, which the caller panics with.
fn lock<V>(mutex: &Mutex<V>) -> std::sync::MutexGuard<'_, V> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// As [`map_in_order`], handing each result to `sink` in order, a batch of about `batch` weight
/// at a time: only a few batches' results are held at once, for results that are large beside
/// their inputs. While `sink` takes one batch on the calling thread, the next is worked on.
pub fn for_each_in_order<T, R>(
    items: Vec<T>,
    batch: usize,
    weight: impl Fn(&T) -> usize + Sync,
    work: impl Fn(T) -> R + Sync,
    mut sink: impl FnMut(R),
) where
    T: Send,
    R: Send,
{
    let total: usize = items.iter().map(&weight).sum();
    let batches = split_by_weight(items, &weight, total, total.div_ceil(batch.max(1)).max(1));
    if batches.len() < 2 {
        for batch in batches {
            map_in_order(batch, &weight, &work)
                .into_iter()
                .for_each(&mut sink);
        }
        return;
    }
    let (weight, work) = (&weight, &work);
    thread::scope(|scope| {
        // One batch waits while the sink takes another: the worker stays a batch ahead.
        let (done, ready) = mpsc::sync_channel(1);
        let worker = scope.spawn(move || {
            for batch in batches {
                if done.send(map_in_order(batch, weight, work)).is_err() {
                    break;
                }
            }
        });
        for results in ready {
            results.into_iter().for_each(&mut sink);
        }
        if let Err(panic) = worker.join() {
            std::panic::resume_unwind(panic);
        }
    });
}

/// `items` cut into at most `parts` (at least one) contiguous runs, each closed once it holds
/// its share of `total`.
fn split_by_weight<T>(
    items: Vec<T>,
    weight: impl Fn(&T) -> usize,
    total: usize,
    parts: usize,
) -> Vec<Vec<T>> {
    let parts = parts.max(1);
    let share = total.div_ceil(parts).max(1);
    let mut runs = vec![Vec::new()];
    let mut in_run = 0;
    for item in items {
        let w = weight(&item);
        if in_run >= share && runs.len() < parts {
            runs.push(Vec::new());
            in_run = 0;
        }
        in_run += w;
        runs.last_mut().expect("runs starts non-empty").push(item);
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items_on_any_split() {
        let items: Vec<usize> = (0..10_000).collect();
        let doubled = map_in_order(items.clone(), |_| 1 << 10, |i| i * 2);
        assert_eq!(doubled, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn batches_reach_the_sink_in_order() {
        let mut seen = Vec::new();
        for_each_in_order(
            (0..5_000).collect(),
            1 << 20,
            |_| 1 << 10,
            |i: usize| i + 1,
            |r| seen.push(r),
        );
        assert_eq!(seen, (1..=5_000).collect::<Vec<_>>());
    }

    #[test]
    fn runs_are_contiguous_and_balanced_by_weight() {
        let runs = split_by_weight(vec![5, 1, 1, 1, 1, 1, 5, 1], |w| *w, 16, 2);
        assert_eq!(runs, vec![vec![5, 1, 1, 1], vec![1, 1, 5, 1]]);
        let one = split_by_weight(vec![3, 3], |w| *w, 6, 4);
        assert_eq!(one.concat(), vec![3, 3]);
        assert!(one.len() <= 4);
    }
}
