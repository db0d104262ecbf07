//! Lists that come in pages linked by `_links.next`: the `$skip` pages of iTwins and Access
//! Control and the `$continuationToken` pages of Insights alike, since both hand out the next
//! page's URL.
//!
//! Whatever the server sends, a page stream ends: a link to a page already read, to another
//! resource, or beyond the client's page cap ends it with an [`Error::Paging`]; an empty page
//! ends it even if it links on (see [`Client::pages`]).

use std::collections::HashSet;
use std::fmt;

use futures_util::stream::{self, BoxStream, StreamExt, TryStreamExt};
use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;

use super::client::Client;
use super::error::Error;
use super::request::Request;
use super::response::ApiResponse;

/// How many pages a stream reads at most by default: 10,000 pages of the APIs' largest page
/// size are millions of items, far beyond any real list, yet a server whose links never end
/// is stopped.
pub(super) const DEFAULT_MAX_PAGES: usize = 10_000;

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

/// Why a page stream stopped before the service said the list was over
/// ([`Error::Paging`]). Links are quoted up to 300 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PagingError {
    /// The next link leads to a page this stream has already read: following it would loop.
    RepeatedLink {
        /// The repeated link.
        link: String,
    },
    /// The next link names another resource than the list, or is not a URL.
    ForeignLink {
        /// The link.
        link: String,
        /// Why it cannot be followed.
        reason: String,
    },
    /// The list goes on beyond [`ClientBuilder::max_pages`](super::ClientBuilder::max_pages).
    TooManyPages {
        /// The most pages the client reads of one list.
        limit: usize,
    },
}

impl fmt::Display for PagingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PagingError::RepeatedLink { link } => {
                write!(f, "the next link `{link}` repeats a page already read")
            }
            PagingError::ForeignLink { reason, .. } => f.write_str(reason),
            PagingError::TooManyPages { limit } => write!(
                f,
                "the list has more than {limit} pages, the most this client reads (ClientBuilder::max_pages)"
            ),
        }
    }
}

impl Client {
    /// Every page of a list, starting with `first` and following `_links.next`; a page is
    /// fetched when the stream is polled for it, with the client's retries.
    ///
    /// The next link is followed on this client's base URL, and only if it names the same
    /// resource as `first`: a link can change the query, never where the token goes.
    ///
    /// The stream always ends. A next link to a page already read, to another resource, or
    /// past [`ClientBuilder::max_pages`](super::ClientBuilder::max_pages) pages yields an
    /// [`Error::Paging`] after the last good page. A page without items ends the stream even
    /// if it links on: for `$skip` lists an empty page means the skip is past the end, so
    /// every later page is empty too, and a server that links on from it is describing
    /// nothing; ending there keeps a complete list from turning into an error.
    ///
    /// The stream is boxed, so that it is `Unpin` and has a name: `try_next().await` works on it
    /// as it is.
    pub fn pages<P: Page>(
        &self,
        first: Request,
    ) -> BoxStream<'static, Result<ApiResponse<P>, Error>> {
        let client = self.clone();
        let max_pages = self.inner.max_pages;
        let start = Walk {
            step: Step::Fetch(first),
            seen: HashSet::new(),
            read: 0,
        };
        stream::unfold(start, move |mut walk| {
            let client = client.clone();
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
                let page: ApiResponse<P> = match client.execute_json(request.clone()).await {
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

    /// Every item of every page of a list, in order (see [`pages`](Self::pages)).
    pub fn items<P: Page>(&self, first: Request) -> BoxStream<'static, Result<P::Item, Error>> {
        self.pages::<P>(first)
            .map_ok(|page| stream::iter(page.into_body().into_items()).map(Ok))
            .try_flatten()
            .boxed()
    }
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
