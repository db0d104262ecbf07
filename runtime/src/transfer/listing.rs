//! The files of a pre-signed container URL: Azure's List Blobs
//! (`?restype=container&comp=list`), page by page.

use percent_encoding::percent_decode_str;
use reqwest::header::HeaderMap;
use reqwest::Method;

use super::host::{xml_element, Host, Overrides};
use super::presigned::{self, PresignedUrl};
use crate::error::{Error, TransferError, TransferErrorKind};
use crate::request::HttpMethod;
use crate::Client;

const OPERATION: &str = "list-blobs";

/// A file of a container ([`Client::list_presigned_container`]).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct BlobItem {
    /// Its name below the listed URL's path, such as `tiles/0/1.glb`: give it to
    /// [`PresignedUrl::file`] for its URL.
    pub name: String,
    /// Its size in bytes, when the listing says.
    pub size: Option<u64>,
}

/// Lists the blobs under `url` (a container, or a folder of one).
pub(crate) async fn list(client: &Client, url: &str) -> Result<Vec<BlobItem>, Error> {
    let url = presigned::parse(url, OPERATION)?;
    let host = Host::new(client, Overrides::default(), OPERATION)?;
    let shown = url.redacted();
    let listing_error = |reason: String| {
        Error::from(TransferError::new(
            OPERATION,
            shown.clone(),
            TransferErrorKind::Listing { reason },
        ))
    };
    // The container is the path's first segment; the rest is a prefix of the names in it.
    let mut segments = url
        .url()
        .path_segments()
        .into_iter()
        .flatten()
        .filter(|s| !s.is_empty())
        .map(|s| percent_decode_str(s).decode_utf8_lossy().into_owned());
    let Some(container) = segments.next() else {
        return Err(listing_error("the URL names no container".into()));
    };
    let folder: Vec<String> = segments.collect();
    let prefix = match folder.is_empty() {
        true => String::new(),
        false => format!("{}/", folder.join("/")),
    };
    let mut base = url.url().clone();
    base.path_segments_mut()
        .map_err(|()| listing_error("the URL cannot have a path".into()))?
        .clear()
        .push(&container);
    let base = PresignedUrl::parse(base.as_str())?;

    let mut items = Vec::new();
    let mut marker: Option<String> = None;
    for _ in 0..host.max_pages {
        let mut pairs = vec![("restype", "container"), ("comp", "list")];
        if !prefix.is_empty() {
            pairs.push(("prefix", &prefix));
        }
        if let Some(marker) = &marker {
            pairs.push(("marker", marker));
        }
        let page_url = base.with_query(&pairs);
        let body = host
            .retrying(HttpMethod::Get, |attempt| {
                let (host, page_url) = (&host, &page_url);
                async move {
                    let response = host
                        .send(
                            OPERATION,
                            Method::GET,
                            page_url,
                            HeaderMap::new(),
                            None,
                            attempt,
                            true,
                        )
                        .await?;
                    host.read_body(OPERATION, page_url, response).await
                }
            })
            .await?;
        let body = String::from_utf8_lossy(&body);
        if !body.contains("<EnumerationResults") {
            return Err(listing_error(
                "the answer is not an EnumerationResults document".into(),
            ));
        }
        for blob in elements(&body, "Blob") {
            let Some(name) = xml_element(blob, "Name") else {
                return Err(listing_error("a <Blob> has no <Name>".into()));
            };
            let Some(name) = name.strip_prefix(&prefix) else {
                continue;
            };
            items.push(BlobItem {
                name: name.to_owned(),
                size: xml_element(blob, "Content-Length").and_then(|n| n.parse().ok()),
            });
        }
        match xml_element(&body, "NextMarker").filter(|m| !m.is_empty()) {
            Some(next) if marker.as_ref() == Some(&next) => {
                return Err(listing_error(format!(
                    "the next marker `{next}` repeats the last one"
                )));
            }
            Some(next) => marker = Some(next),
            None => return Ok(items),
        }
    }
    Err(listing_error(format!(
        "more than {} pages (ClientBuilder::max_pages)",
        host.max_pages
    )))
}

/// The contents of every `<name>` element of `xml`, in order.
fn elements<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let mut found = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let inner = &rest[start + open.len()..];
        let Some(end) = inner.find(&close) else { break };
        found.push(&inner[..end]);
        rest = &inner[end + close.len()..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blobs_are_found_in_order() {
        let xml = "<EnumerationResults><Blobs><Blob><Name>a</Name></Blob><Blob><Name>b&amp;c</Name><Properties><Content-Length>7</Content-Length></Properties></Blob></Blobs><NextMarker /></EnumerationResults>";
        let blobs = elements(xml, "Blob");
        assert_eq!(blobs.len(), 2);
        assert_eq!(xml_element(blobs[1], "Name").as_deref(), Some("b&c"));
        assert_eq!(
            xml_element(blobs[1], "Content-Length").as_deref(),
            Some("7")
        );
        assert_eq!(xml_element(xml, "NextMarker"), None);
    }
}
