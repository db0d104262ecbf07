//! When a failed attempt is tried again, and after how long.
//!
//! A 429 is retried for every method after its `Retry-After` (the request was not processed).
//! 502, 503, 504 and transport failures are retried with exponential backoff and jitter for
//! idempotent methods only, since a POST or PATCH may have taken effect; a connection that was
//! never made is retried for every method. Attempts and total time are bounded, and the error
//! returned at the end is the last attempt's, with its response.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};

use super::error::{Error, Transience};
use super::request::HttpMethod;

/// How a client retries: set once with
/// [`ClientBuilder::retry_policy`](super::ClientBuilder::retry_policy), or for some calls with
/// [`Client::with_retry_policy`](super::Client::with_retry_policy).
///
/// ```
/// use std::time::Duration;
/// use itwin_platform_runtime::RetryPolicy;
///
/// let patient = RetryPolicy::default()
///     .max_attempts(8)
///     .backoff(Duration::from_secs(1), Duration::from_secs(30))
///     .max_elapsed(Duration::from_secs(300));
/// let never = RetryPolicy::none();
/// # let _ = (patient, never);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    max_retry_after: Duration,
    jitter: bool,
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 500 ms up to 20 s with jitter, at most 2 minutes in all, and a
    /// `Retry-After` of up to 60 s honoured.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(20),
            max_elapsed: Duration::from_secs(120),
            max_retry_after: Duration::from_secs(60),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// One attempt, no retries.
    pub fn none() -> Self {
        RetryPolicy::default().max_attempts(1)
    }

    /// Attempts in all, the first included; at least 1.
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The first backoff delay, doubling up to `max`.
    pub fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// No retry starts once this much time has passed since the first attempt, waits included.
    pub fn max_elapsed(mut self, elapsed: Duration) -> Self {
        self.max_elapsed = elapsed;
        self
    }

    /// The longest `Retry-After` waited for; a 429 that asks for longer is returned at once.
    pub fn max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// Backoff delays without their random part (for tests and reproducible runs).
    pub fn without_jitter(mut self) -> Self {
        self.jitter = false;
        self
    }

    pub(super) fn attempts(&self) -> u32 {
        self.max_attempts
    }

    pub(super) fn elapsed_budget(&self) -> Duration {
        self.max_elapsed
    }

    /// The backoff delays of one call, in order.
    pub(super) fn delays(&self) -> Box<dyn Iterator<Item = Duration> + Send> {
        let builder = ExponentialBuilder::default()
            .with_min_delay(self.initial_backoff)
            .with_max_delay(self.max_backoff)
            .with_factor(2.0)
            .without_max_times();
        let builder = if self.jitter {
            builder.with_jitter()
        } else {
            builder
        };
        Box::new(builder.build())
    }

    /// How long to wait before trying `error`'s request again, or `None` to give up on it.
    pub(super) fn wait_after(
        &self,
        method: HttpMethod,
        error: &Error,
        delays: &mut dyn Iterator<Item = Duration>,
    ) -> Option<Duration> {
        let mut backoff = || delays.next().unwrap_or(self.max_backoff);
        let service_wait = error.retry_after();
        match error.transience() {
            Transience::RateLimited => {
                let wait = service_wait.unwrap_or_else(backoff);
                (wait <= self.max_retry_after).then_some(wait)
            }
            Transience::NotSent => Some(backoff()),
            Transience::MaybeApplied if !method.is_idempotent() => None,
            Transience::MaybeApplied => {
                let wait = backoff().max(service_wait.unwrap_or(Duration::ZERO));
                (wait <= self.max_retry_after.max(self.max_backoff)).then_some(wait)
            }
            Transience::Permanent => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_its_maximum() {
        let policy = RetryPolicy::default()
            .backoff(Duration::from_millis(100), Duration::from_millis(500))
            .without_jitter();
        let delays: Vec<u128> = policy.delays().take(5).map(|d| d.as_millis()).collect();
        assert_eq!(delays, [100, 200, 400, 500, 500]);
    }

    #[test]
    fn jitter_stays_within_one_delay_above_the_schedule() {
        let policy =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_secs(10));
        for (i, delay) in policy.delays().take(4).enumerate() {
            let base = 100u128 << i;
            assert!(
                (base..=2 * base).contains(&delay.as_millis()),
                "{i}: {delay:?}"
            );
        }
    }

    #[test]
    fn at_least_one_attempt() {
        assert_eq!(RetryPolicy::default().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::none().attempts(), 1);
    }
}
