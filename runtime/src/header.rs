//! Headers given as text (an operation's own, a call's, a form part's), checked as reqwest
//! takes them.

/// A header as reqwest takes it; the error names the header, never quotes its value (which may
/// be a credential).
pub(crate) fn header_pair(
    name: &str,
    value: &str,
) -> Result<(reqwest::header::HeaderName, reqwest::header::HeaderValue), String> {
    let header_name = reqwest::header::HeaderName::from_bytes(name.as_bytes())
        .map_err(|_| format!("`{name}` is not a valid header name"))?;
    let header_value = reqwest::header::HeaderValue::try_from(value).map_err(|_| {
        format!(
            "the value of the `{name}` header contains characters that are not allowed in a header"
        )
    })?;
    Ok((header_name, header_value))
}
