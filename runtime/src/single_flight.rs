//! A value shared by clones of a credential and replaced by one fetch at a time: the token cache
//! of every credential that fetches its tokens ([`ClientCredentials`](super::ClientCredentials),
//! and the interactive sign-in's session).

use std::future::Future;
use std::sync::Arc;

use tokio::sync::Mutex;

/// What a credential holds (a token and when to replace it), shared by its clones. While one
/// caller fetches a new value, the others wait for it and use it: however many requests need a
/// token at once, the token endpoint sees one request.
pub(crate) struct SingleFlight<S>(Arc<Mutex<Option<S>>>);

impl<S> Default for SingleFlight<S> {
    fn default() -> Self {
        SingleFlight(Arc::default())
    }
}

impl<S> Clone for SingleFlight<S> {
    fn clone(&self) -> Self {
        SingleFlight(Arc::clone(&self.0))
    }
}

impl<S> SingleFlight<S> {
    /// What `value` takes from the held value while `fresh` says it is; else from what `fetch`
    /// makes of it (it is given the held value, if any), which is then held for the next
    /// callers. A fetched value serves the caller that fetched it even if it is not fresh (a
    /// token without a lifetime, or one shorter than the refresh margin): the next caller
    /// fetches again. A failed fetch leaves nothing held, so that the next caller starts afresh.
    pub(crate) async fn get<T, E, Fut>(
        &self,
        fresh: impl Fn(&S) -> bool,
        value: impl Fn(&S) -> T,
        fetch: impl FnOnce(Option<S>) -> Fut,
    ) -> Result<T, E>
    where
        Fut: Future<Output = Result<S, E>>,
    {
        let mut held = self.0.lock().await;
        if let Some(current) = held.as_ref().filter(|current| fresh(current)) {
            return Ok(value(current));
        }
        let fetched = fetch(held.take()).await?;
        Ok(value(held.insert(fetched)))
    }

    /// Holds `value` (or nothing), after any fetch under way.
    #[cfg_attr(
        not(feature = "interactive-auth"),
        expect(dead_code, reason = "sign-in only")
    )]
    pub(crate) async fn set(&self, value: Option<S>) {
        *self.0.lock().await = value;
    }

    /// What `read` sees of the held value, after any fetch under way.
    #[cfg_attr(
        not(feature = "interactive-auth"),
        expect(dead_code, reason = "sign-in only")
    )]
    pub(crate) async fn with<R>(&self, read: impl FnOnce(Option<&S>) -> R) -> R {
        read(self.0.lock().await.as_ref())
    }
}
