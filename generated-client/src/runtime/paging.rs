//! Lists that come in pages linked by `_links.next`: the `$skip` pages of iTwins and Access
//! Control and the `$continuationToken` pages of Insights alike, since both hand out the next
//! page's URL.

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::client::Client;
use super::error::Error;
use super::request::Request;
use super::response::ApiResponse;

/// A page of a list: its items and the link to the next page. Generated for every list
/// response of the definitions.
pub trait Page: DeserializeOwned + Send + 'static {
    type Item: Send + 'static;

    /// The `href` of `_links.next`; `None` on the last page.
    fn next_link(&self) -> Option<&str>;

    fn into_items(self) -> Vec<Self::Item>;
}

impl Client {
    /// Every page of a list, starting with `first` and following `_links.next`; a page is
    /// fetched when the stream is polled for it, with the client's retries.
    ///
    /// The next link is followed on this client's base URL, and only if it names the same
    /// resource as `first`: a link can change the query, never where the token goes.
    ///
    /// The stream is boxed, so that it is `Unpin` and has a name: `try_next().await` works on it
    /// as it is.
    pub fn pages<P: Page>(
        &self,
        first: Request,
    ) -> BoxStream<'static, Result<ApiResponse<P>, Error>> {
        let client = self.clone();
        stream::unfold(Step::Fetch(first), move |step| {
            let client = client.clone();
            async move {
                let request = match step {
                    Step::Fetch(request) => request,
                    Step::Fail(error) => return Some((Err(error), Step::Done)),
                    Step::Done => return None,
                };
                let page: ApiResponse<P> = match client.execute_json(request.clone()).await {
                    Ok(page) => page,
                    Err(error) => return Some((Err(error), Step::Done)),
                };
                // A bad next link ends the stream after this page, with the reason.
                let next = match page.body().next_link() {
                    None => Step::Done,
                    Some(href) => match request.follow(href) {
                        Ok(next) => Step::Fetch(next),
                        Err(reason) => Step::Fail(Error::InvalidRequest {
                            operation: request.operation_id(),
                            reason,
                        }),
                    },
                };
                Some((Ok(page), next))
            }
        })
        .boxed()
    }

    /// Every item of every page of a list, in order (see [`pages`](Self::pages)).
    pub fn items<P: Page>(&self, first: Request) -> BoxStream<'static, Result<P::Item, Error>> {
        self.pages::<P>(first)
            .map_ok(|page| stream::iter(page.into_body().into_items()).map(Ok))
            .try_flatten()
            .boxed()
    }
}

/// What the page stream does next.
enum Step {
    Fetch(Request),
    Fail(Error),
    Done,
}
