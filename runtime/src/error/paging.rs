//! Why a list's pages could not be followed to the end.

use std::fmt;

/// Why a page stream stopped before the service said the list was over
/// ([`Error::Paging`](crate::Error::Paging)). Links are quoted up to 300 characters.
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
    /// The list goes on beyond [`ClientBuilder::max_pages`](crate::ClientBuilder::max_pages).
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
