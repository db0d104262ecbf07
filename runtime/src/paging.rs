//! Lists that come in pages linked by `_links.next`: the `$skip` pages of iTwins and Access
//! Control and the `$continuationToken` pages of Insights alike, since both hand out the next
//! page's URL.
//!
//! Whatever the server sends, a page stream ends: a link to a page already read, to another
//! resource, or beyond the client's page cap ends it with an [`Error::Paging`]; an empty page
//! ends it even if it links on (see [`Client::pages`](super::Client::pages), which fetches
//! each page for the walk here).

use std::collections::HashSet;
use std::future::Future;

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;

use super::error::{Error, PagingError};
use super::request::Request;
use super::response::ApiResponse;

/// A page of a list: its items and the link to the next page. Generated for every list
/// response of the definitions.
pub trait Page: DeserializeOwned + Send + 'static {
    /// The type of the list's items.
    type Item: Send + 'static;

    /// The `href` of `_links.next`; `None` on the last page.
    fn next_link(&self) -> Option<&str>;

    /// How many items the page holds.
    fn item_count(&self) -> usize;

    /// The page's items, in order.
    fn into_items(self) -> Vec<Self::Item>;
}

/// Every page of a list, starting with `first` and following `_links.next` for at most
/// `max_pages` pages; `fetch` reads one page, when the stream is polled for it.
pub(crate) fn pages<P, F, Fut>(
    fetch: F,
    max_pages: usize,
    first: Request,
) -> BoxStream<'static, Result<ApiResponse<P>, Error>>
where
    P: Page,
    F: Fn(Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<ApiResponse<P>, Error>> + Send + 'static,
{
    let start = Walk {
        step: Step::Fetch(first),
        seen: HashSet::new(),
        read: 0,
    };
    let fetch = std::sync::Arc::new(fetch);
    stream::unfold(start, move |mut walk| {
        let fetch = fetch.clone();
        async move {
            let request = match std::mem::replace(&mut walk.step, Step::Done) {
                Step::Fetch(request) => request,
                Step::Fail(error) => return Some((Err(error), walk)),
                Step::Done => return None,
            };
            let operation = request.operation_id();
            if let Ok(own) = request.path_and_query() {
                walk.seen.insert(page_key(&own));
            }
            let page: ApiResponse<P> = match fetch(request.clone()).await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), walk)),
            };
            walk.read += 1;
            let fail = |problem| Step::Fail(Error::Paging { operation, problem });
            walk.step = match page.body().next_link() {
                None => Step::Done,
                Some(_) if page.body().item_count() == 0 => {
                    tracing::debug!(operation, "an empty page links on; the list ends here");
                    Step::Done
                }
                Some(_) if walk.read >= max_pages => {
                    fail(PagingError::TooManyPages { limit: max_pages })
                }
                Some(href) => match request.follow(href) {
                    Err(reason) => fail(PagingError::ForeignLink {
                        link: excerpt(href),
                        reason,
                    }),
                    Ok(next) => match next.path_and_query() {
                        Ok(link) if walk.seen.contains(&page_key(&link)) => {
                            fail(PagingError::RepeatedLink {
                                link: excerpt(href),
                            })
                        }
                        _ => Step::Fetch(next),
                    },
                },
            };
            Some((Ok(page), walk))
        }
    })
    .boxed()
}

/// Every item of every page of `pages`, in order.
pub(crate) fn items<P: Page>(
    pages: BoxStream<'static, Result<ApiResponse<P>, Error>>,
) -> BoxStream<'static, Result<P::Item, Error>> {
    pages
        .map_ok(|page| stream::iter(page.into_body().into_items()).map(Ok))
        .try_flatten()
        .boxed()
}

/// Where the page stream is: what it does next, and the pages it has read.
struct Walk {
    step: Step,
    /// The path and query of every page requested, as [`page_key`] gives them: bounded by the
    /// page cap.
    seen: HashSet<String>,
    read: usize,
}

/// What the page stream does next.
enum Step {
    Fetch(Request),
    Fail(Error),
    Done,
}

/// One spelling for the same page: the path percent-decoded without a trailing `/`, then the
/// query as sent.
fn page_key(path_and_query: &str) -> String {
    let (path, query) = path_and_query
        .split_once('?')
        .unwrap_or((path_and_query, ""));
    let path = percent_decode_str(path.trim_end_matches('/')).decode_utf8_lossy();
    format!("{path}?{query}")
}

/// At most 300 characters of a server-given link, for messages: enough for a whole link of
/// the platform's, continuation token included, and bounded whatever a server sends.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_owned(),
    }
}
