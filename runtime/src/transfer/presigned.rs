//! Pre-signed URLs: checked once (https, or plain http to loopback; no user name or password),
//! shown without their query, and extended for Azure's block and listing requests.

use std::fmt;

use url::Url;

use crate::error::{Error, TransferError, TransferErrorKind};
use crate::redirect::is_loopback;

/// A URL that carries its own authorization in its query, such as an Azure Blob Storage shared
/// access signature (`?sv=...&sig=...`): the upload and download links of the platform's
/// answers (Storage's `uploadUrl`, iModels' `_links.upload` and `_links.download`, Mesh
/// Export's `_links.mesh`, Changed Elements' `comparison`).
///
/// The rule: **`https` only**, except plain `http` to a loopback host (`127.0.0.0/8`, `::1`,
/// `localhost`) for local tests; no user name or password in the URL. `Display` and `Debug`
/// show it without its query (`https://host/path?<redacted>`), so that logging it never
/// reveals the signature; [`as_str`](Self::as_str) gives it whole.
///
/// ```
/// use itwin_platform_runtime::PresignedUrl;
///
/// let mesh = PresignedUrl::parse("https://account.blob.core.windows.net/exports/5f2c?sv=2021-08-06&sig=s3cr3t")?;
/// assert_eq!(mesh.to_string(), "https://account.blob.core.windows.net/exports/5f2c?<redacted>");
/// // A file of a container: its name between the path and the query, which is kept.
/// let tileset = mesh.file("tileset.json")?;
/// assert_eq!(
///     tileset.as_str(),
///     "https://account.blob.core.windows.net/exports/5f2c/tileset.json?sv=2021-08-06&sig=s3cr3t"
/// );
/// assert!(PresignedUrl::parse("http://account.blob.core.windows.net/x?sig=s").is_err());
/// # Ok::<(), itwin_platform_runtime::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct PresignedUrl {
    url: Url,
}

impl PresignedUrl {
    /// Checks `text` against the rule above.
    pub fn parse(text: &str) -> Result<PresignedUrl, Error> {
        parse(text, "presigned-url")
    }

    /// The URL whole, signature included: give it only to what must use it.
    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The host, such as `account.blob.core.windows.net`.
    pub fn host(&self) -> &str {
        self.url.host_str().unwrap_or_default()
    }

    /// The URL of the file `name` in the container (or folder) this URL names: `name` is
    /// inserted between the path and the query, which stays as it is (Mesh Export's rule for
    /// the files of an export). `name` may have `/`-separated segments, each percent-encoded;
    /// an empty, `.` or `..` segment is refused.
    pub fn file(&self, name: &str) -> Result<PresignedUrl, Error> {
        let refuse = |reason: String| {
            Error::from(TransferError::new(
                "presigned-url",
                redacted(&self.url),
                TransferErrorKind::InvalidUrl { reason },
            ))
        };
        let segments: Vec<&str> = name.split('/').collect();
        if let Some(bad) = segments
            .iter()
            .find(|s| matches!(**s, "" | "." | "..") || s.contains('\\'))
        {
            return Err(refuse(format!(
                "the file name `{name}` has the segment `{bad}`, which cannot name a file"
            )));
        }
        let mut url = self.url.clone();
        url.path_segments_mut()
            .map_err(|()| refuse("the URL cannot have a path".into()))?
            .pop_if_empty()
            .extend(segments);
        Ok(PresignedUrl { url })
    }

    pub(crate) fn url(&self) -> &Url {
        &self.url
    }

    /// The URL for messages and traces: without its query.
    pub(crate) fn redacted(&self) -> String {
        redacted(&self.url)
    }

    /// This URL with `pairs` added to its query (Azure's `comp=block&blockid=...`).
    pub(crate) fn with_query(&self, pairs: &[(&str, &str)]) -> Url {
        let mut url = self.url.clone();
        {
            let mut query = url.query_pairs_mut();
            for (name, value) in pairs {
                query.append_pair(name, value);
            }
        }
        url
    }
}

/// Checks `text`; the error names `operation`, the step that was to use it.
pub(crate) fn parse(text: &str, operation: &'static str) -> Result<PresignedUrl, Error> {
    let refuse = |url: String, reason: &str| {
        Error::from(TransferError::new(
            operation,
            url,
            TransferErrorKind::InvalidUrl {
                reason: reason.to_owned(),
            },
        ))
    };
    let mut url =
        Url::parse(text).map_err(|e| refuse(String::new(), &format!("not a URL ({e})")))?;
    url.set_fragment(None);
    let shown = redacted(&url);
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => {
            return Err(refuse(
                shown,
                "plain http is refused (the query is a credential): only https, or http to a loopback host for tests",
            ))
        }
        _ => return Err(refuse(shown, "the scheme must be https")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse(shown, "it has no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        // reqwest would send them as basic credentials.
        return Err(refuse(shown, "it has a user name or password"));
    }
    Ok(PresignedUrl { url })
}

/// `url` without its query, `?<redacted>` standing for one; at most 200 characters.
pub(crate) fn redacted(url: &Url) -> String {
    let mut shown = url.clone();
    let had_query = shown.query().is_some();
    shown.set_query(None);
    shown.set_fragment(None);
    let _ = shown.set_password(None);
    let _ = shown.set_username("");
    let mut text = shown.to_string();
    if let Some((cut, _)) = text.char_indices().nth(200) {
        text.truncate(cut);
        text.push('…');
    }
    if had_query {
        text.push_str("?<redacted>");
    }
    text
}

/// `text` with the value of every `sig=` blanked: for what a storage host says, which may quote
/// a request's URL.
pub(crate) fn redact_signatures(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = find_ignoring_case(rest, "sig=") {
        let (before, after) = rest.split_at(at + 4);
        out.push_str(before);
        out.push_str("<redacted>");
        let end = after
            .find(|c: char| c == '&' || c == '"' || c == '<' || c == '\'' || c.is_whitespace())
            .unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|window| window.eq_ignore_ascii_case(needle.as_bytes()))
}

impl fmt::Display for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("PresignedUrl")
            .field(&self.redacted())
            .finish()
    }
}

impl AsRef<str> for PresignedUrl {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAS: &str = "sv=2021-08-06&se=2026-12-01T00%3A00%3A00Z&sr=c&sp=rl&sig=abc%2Bdef%3D";

    #[test]
    fn https_and_loopback_http_are_accepted_and_the_rest_refused() {
        for good in [
            format!("https://account.blob.core.windows.net/c/b?{SAS}"),
            format!("http://127.0.0.1:9000/c/b?{SAS}"),
            format!("http://localhost:9000/c/b?{SAS}"),
            format!("http://[::1]:9000/c/b?{SAS}"),
        ] {
            assert!(PresignedUrl::parse(&good).is_ok(), "{good}");
        }
        for bad in [
            format!("http://account.blob.core.windows.net/c/b?{SAS}"),
            format!("ftp://127.0.0.1/c/b?{SAS}"),
            format!("file:///etc/passwd?{SAS}"),
            format!("https://user:pw@account.blob.core.windows.net/c?{SAS}"),
            "not a url".to_owned(),
        ] {
            let error = PresignedUrl::parse(&bad).unwrap_err().to_string();
            assert!(error.contains("the URL cannot be used"), "{bad}: {error}");
            assert!(!error.contains("abc"), "the signature leaked: {error}");
            assert!(!error.contains("pw"), "the password leaked: {error}");
        }
    }

    #[test]
    fn display_and_debug_hide_the_query() {
        let url =
            PresignedUrl::parse(&format!("https://a.blob.core.windows.net/c/b?{SAS}#x")).unwrap();
        for shown in [url.to_string(), format!("{url:?}")] {
            assert!(
                shown.contains("https://a.blob.core.windows.net/c/b?<redacted>"),
                "{shown}"
            );
            assert!(!shown.contains("sig=") && !shown.contains("abc"), "{shown}");
        }
        assert!(url.as_str().contains("sig=abc%2Bdef%3D"));
    }

    #[test]
    fn files_go_between_the_path_and_the_query() {
        let container =
            PresignedUrl::parse(&format!("https://a.example/exports/5f2c?{SAS}")).unwrap();
        let file = container.file("tiles/0/a b.glb").unwrap();
        assert_eq!(
            file.as_str(),
            format!("https://a.example/exports/5f2c/tiles/0/a%20b.glb?{SAS}")
        );
        let slash = PresignedUrl::parse(&format!("https://a.example/exports/?{SAS}")).unwrap();
        assert_eq!(
            slash.file("tileset.json").unwrap().as_str(),
            format!("https://a.example/exports/tileset.json?{SAS}")
        );
        for bad in ["", "../secret", "a//b", "a/./b", "a\\b", "/abs"] {
            assert!(container.file(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn signatures_are_blanked_in_text() {
        assert_eq!(
            redact_signatures("GET /c/b?sv=1&SIG=abc%3D&sp=r failed; sig=xyz"),
            "GET /c/b?sv=1&SIG=<redacted>&sp=r failed; sig=<redacted>"
        );
        assert_eq!(redact_signatures("no secret"), "no secret");
    }
}
