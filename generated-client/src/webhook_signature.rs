//! Checks that an event delivered to a webhook's `callbackUrl` comes from the platform.
//!
//! The Webhooks API signs each delivery: it computes an HMAC-SHA256 of the whole request body,
//! keyed with the webhook's secret (the one given to, or returned by, `create_webhook`), and
//! sends it in the `Signature` header as `sha256=<64 hex digits>`. A receiver computes the
//! same over the raw body it received (before any parsing: a re-serialized body would differ)
//! and ignores the event unless both agree. The comparison here takes the same time wherever
//! the two differ, so that timing reveals nothing of the expected value.
//!
//! ```
//! use itwin_platform::webhook_signature::{self, SIGNATURE_HEADER};
//!
//! let secret = "0123456789abcdef0123456789abcdef";
//! let body = br#"{"eventType":"iTwins.iTwinDeleted.v1","content":{}}"#;
//! // What the platform sends, in the request's `Signature` header:
//! let header = webhook_signature::sign(secret, body);
//! assert!(webhook_signature::verify(secret, body, &header).is_ok());
//! assert!(webhook_signature::verify(secret, b"{}", &header).is_err());
//! # let _ = SIGNATURE_HEADER;
//! ```

use std::fmt;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::webhooks::models::WebhookEvent;

/// The request header that carries the signature of a delivered event.
pub const SIGNATURE_HEADER: &str = "Signature";

/// The algorithm prefix of the header's value.
const PREFIX: &str = "sha256=";

/// Why a delivered event's signature was not accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The header is not `sha256=` followed by 64 hexadecimal digits.
    Malformed,
    /// The header names another algorithm than `sha256`.
    UnsupportedAlgorithm(String),
    /// The signature is well formed but not the body's under this secret: ignore the event.
    Mismatch,
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::Malformed => {
                f.write_str("the Signature header is not `sha256=` and 64 hexadecimal digits")
            }
            SignatureError::UnsupportedAlgorithm(name) => {
                write!(
                    f,
                    "the Signature header names the algorithm `{name}`, not sha256"
                )
            }
            SignatureError::Mismatch => {
                f.write_str("the signature does not match the body under this webhook's secret")
            }
        }
    }
}

impl std::error::Error for SignatureError {}

/// Why a delivered event was not read: its signature, or a body that is no event.
#[derive(Debug)]
#[non_exhaustive]
pub enum EventError {
    /// The signature was not accepted: the event must be ignored.
    Signature(SignatureError),
    /// The body is signed but is not an event (as JSON), with where it fails.
    Body(serde_json::Error),
}

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EventError::Signature(error) => error.fmt(f),
            EventError::Body(error) => write!(f, "the signed body is not an event: {error}"),
        }
    }
}

impl std::error::Error for EventError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            EventError::Signature(error) => Some(error),
            EventError::Body(error) => Some(error),
        }
    }
}

/// Checks `signature` (the value of the [`SIGNATURE_HEADER`]) against the raw `body` under the
/// webhook's `secret`. The algorithm prefix and the hexadecimal digits are read in any case.
pub fn verify(secret: &str, body: &[u8], signature: &str) -> Result<(), SignatureError> {
    let (algorithm, digits) = signature
        .trim()
        .split_once('=')
        .ok_or(SignatureError::Malformed)?;
    if !algorithm.eq_ignore_ascii_case(PREFIX.trim_end_matches('=')) {
        return Err(SignatureError::UnsupportedAlgorithm(algorithm.to_owned()));
    }
    let expected = decode_hex(digits).ok_or(SignatureError::Malformed)?;
    // `verify_slice` compares in constant time.
    keyed(secret)
        .chain_update(body)
        .verify_slice(&expected)
        .map_err(|_| SignatureError::Mismatch)
}

/// Verifies a delivery, then reads its body as one of the documented events (an event type this
/// crate does not know is [`WebhookEvent::Other`]).
pub fn verified_event(
    secret: &str,
    body: &[u8],
    signature: &str,
) -> Result<WebhookEvent, EventError> {
    verify(secret, body, signature).map_err(EventError::Signature)?;
    serde_json::from_slice(body).map_err(EventError::Body)
}

/// The header value the platform sends for `body` under `secret`, `sha256=<lowercase hex>`:
/// for tests of a receiver.
pub fn sign(secret: &str, body: &[u8]) -> String {
    let digest = keyed(secret).chain_update(body).finalize().into_bytes();
    let mut header = String::with_capacity(PREFIX.len() + 2 * digest.len());
    header.push_str(PREFIX);
    for byte in digest {
        header.push(char::from(HEX[usize::from(byte >> 4)]));
        header.push(char::from(HEX[usize::from(byte & 0x0f)]));
    }
    header
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// The HMAC keyed with the secret's UTF-8 bytes, as the platform keys it.
fn keyed(secret: &str) -> Hmac<Sha256> {
    // HMAC takes a key of any length.
    Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts any key length")
}

/// The 32 bytes of 64 hexadecimal digits (either case); `None` for anything else.
fn decode_hex(digits: &str) -> Option<Vec<u8>> {
    let digits = digits.as_bytes();
    if digits.len() != 64 {
        return None;
    }
    digits
        .chunks(2)
        .map(|pair| Some(hex_value(pair[0])? << 4 | hex_value(pair[1])?))
        .collect()
}

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 4231, test case 2: the published vector of HMAC-SHA256 itself.
    #[test]
    fn the_digest_is_rfc_4231s_hmac_sha256() {
        assert_eq!(
            sign("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    /// The header format of Bentley's samples (`sha256=<hex>`), over an example event of the
    /// Webhooks pages, checked independently with `openssl dgst -sha256 -hmac` (the pages pair
    /// no secret and body with a signature).
    #[test]
    fn a_delivery_signed_as_the_platform_signs_is_accepted() {
        let secret = "0123456789abcdef0123456789abcdef";
        let body = br#"{"content":{"invitationId":"00000000-0000-0000-0000-000000000000"},"eventType":"accessControl.invitationCreated.v1","enqueuedDateTime":"11/3/2023 8:07:01 PM","iTwinId":"ce40a55a-6954-4de3-85c7-f796c3e423d9","messageId":"32369e4b-c9ff-47e4-b422-83b97247ce5b","webhookId":"7da4ba7e-3a35-4d97-a1b0-6d453aa97493"}"#;
        let header = "sha256=d0a2f29989228b70d7d7662dbc318cef182140badcfe7cc4c8db0d9a3c8197d2";
        assert_eq!(sign(secret, body), header);
        assert_eq!(verify(secret, body, header), Ok(()));
        assert_eq!(verify(secret, body, &header.to_uppercase()), Ok(()));
        let event = verified_event(secret, body, header).expect("a signed event");
        assert!(
            matches!(event, WebhookEvent::InvitationCreatedEvent(_)),
            "{event:?}"
        );
    }

    #[test]
    fn another_body_secret_or_format_is_refused() {
        let secret = "0123456789abcdef0123456789abcdef";
        let header = sign(secret, b"{}");
        assert_eq!(
            verify(secret, b"{ }", &header),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("another-secret-of-32-characters!", b"{}", &header),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(secret, b"{}", &header[..header.len() - 2]),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(secret, b"{}", "d0a2f2"),
            Err(SignatureError::Malformed)
        );
        assert_eq!(
            verify(secret, b"{}", &header.replace("sha256", "sha1")),
            Err(SignatureError::UnsupportedAlgorithm("sha1".into()))
        );
        assert!(matches!(
            verified_event(secret, b"not json", &sign(secret, b"not json")),
            Err(EventError::Body(_))
        ));
    }
}
