//! A signed-in session: the tokens the identity service gave, when they run out, and who they
//! are for.

use std::fmt;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Utc};
use oauth2::{ExtraTokenFields, StandardTokenResponse, TokenResponse};
use serde::{Deserialize, Serialize};

use crate::AccessToken;

/// The token endpoint's answer, with the OpenID Connect `id_token` when `openid` was asked for.
pub(super) type TokenAnswer = StandardTokenResponse<IdToken, oauth2::basic::BasicTokenType>;

/// The `id_token` of an answer (OpenID Connect Core §3.1.3.3); read only for the person's
/// name, never trusted for anything else.
#[derive(Clone, Default, Deserialize, Serialize)]
pub(super) struct IdToken {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id_token: Option<String>,
}

impl ExtraTokenFields for IdToken {}

impl fmt::Debug for IdToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdToken(<redacted>)")
    }
}

/// Who is signed in and until when, without the tokens: what a `whoami` shows.
///
/// The person's name, email and subject are read from the tokens' claims (the `id_token`'s
/// when the `openid` scope was granted, else the access token's) without checking their
/// signature: they are for showing, never for deciding anything.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
#[non_exhaustive]
pub struct SignedIn {
    /// The person's name (`name`, or `given_name` and `family_name`), if the tokens say.
    pub name: Option<String>,
    /// The person's email address (`email`, or `preferred_username`), if the tokens say.
    pub email: Option<String>,
    /// The identity service's id of the person (`sub`), if the tokens say.
    pub subject: Option<String>,
    /// When the access token runs out, if known.
    pub expires_at: Option<DateTime<Utc>>,
    /// Whether a refresh token was granted (the `offline_access` scope): then a new access
    /// token is fetched without the browser when this one runs out.
    pub refreshable: bool,
}

impl fmt::Display for SignedIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.name, &self.email, &self.subject) {
            (Some(name), Some(email), _) => write!(f, "{name} <{email}>")?,
            (Some(name), None, _) => f.write_str(name)?,
            (None, Some(email), _) => f.write_str(email)?,
            (None, None, Some(subject)) => write!(f, "user {subject}")?,
            (None, None, None) => f.write_str("an unnamed user")?,
        }
        match self.expires_at {
            Some(at) if at <= Utc::now() => write!(f, ", token expired at {}", at.to_rfc3339())?,
            Some(at) => write!(f, ", token valid until {}", at.to_rfc3339())?,
            None => {}
        }
        if self.refreshable {
            f.write_str(", refreshed as needed")?;
        }
        Ok(())
    }
}

/// The tokens of a sign-in, as the token store keeps them.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Session {
    /// The scopes asked for: a stored session serves only a sign-in that asks for the same.
    pub(super) scope: String,
    access_token: String,
    refresh_token: Option<String>,
    /// The person and the access token's expiry.
    pub(super) signed_in: SignedIn,
}

impl Session {
    /// The session of a token answer; a refresh answer without a refresh token keeps
    /// `previous_refresh` (RFC 6749 §6: the old one stays valid).
    pub(super) fn from_answer(
        answer: &TokenAnswer,
        scope: &str,
        previous_refresh: Option<String>,
    ) -> Session {
        let access_token = answer.access_token().secret().clone();
        let refresh_token = answer
            .refresh_token()
            .map(|token| token.secret().clone())
            .or(previous_refresh);
        let id_claims = answer.extra_fields().id_token.as_deref().and_then(claims);
        let access_claims = claims(&access_token);
        let both = || id_claims.iter().chain(access_claims.iter());
        let first = |pick: fn(&Claims) -> Option<String>| both().find_map(pick);
        let expires_at = match answer.expires_in() {
            Some(lifetime) => Some(Utc::now() + lifetime),
            None => access_claims
                .as_ref()
                .and_then(|c| c.exp)
                .and_then(|exp| DateTime::from_timestamp(exp, 0)),
        };
        Session {
            scope: scope.to_owned(),
            signed_in: SignedIn {
                name: first(Claims::name),
                email: first(|c| c.email.clone().or_else(|| c.preferred_username.clone())),
                subject: first(|c| c.sub.clone()),
                expires_at,
                refreshable: refresh_token.is_some(),
            },
            access_token,
            refresh_token,
        }
    }

    pub(super) fn access_token(&self) -> AccessToken {
        AccessToken::new(self.access_token.as_str())
    }

    pub(super) fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// Whether the access token is good for longer than `margin`; a token of unknown lifetime
    /// is used until the API refuses it.
    pub(super) fn fresh(&self, margin: Duration) -> bool {
        self.signed_in
            .expires_at
            .is_none_or(|at| Utc::now() + margin < at)
    }

    /// Whether the access token has not run out yet.
    pub(super) fn unexpired(&self) -> bool {
        self.fresh(Duration::ZERO)
    }
}

impl fmt::Debug for Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("scope", &self.scope)
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("signed_in", &self.signed_in)
            .finish()
    }
}

/// The claims of a JWT that name its subject and its expiry.
#[derive(Deserialize)]
struct Claims {
    name: Option<String>,
    given_name: Option<String>,
    family_name: Option<String>,
    email: Option<String>,
    preferred_username: Option<String>,
    sub: Option<String>,
    exp: Option<i64>,
}

impl Claims {
    fn name(&self) -> Option<String> {
        self.name.clone().or_else(|| {
            let parts: Vec<&str> = [&self.given_name, &self.family_name]
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    }
}

/// The claims of a JWT's payload, unverified; `None` for a token that is no JWT.
fn claims(jwt: &str) -> Option<Claims> {
    let payload = jwt.split('.').nth(1)?;
    let json = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &serde_json::Value) -> String {
        format!("e30.{}.c2ln", URL_SAFE_NO_PAD.encode(claims.to_string()))
    }

    fn answer(json: serde_json::Value) -> TokenAnswer {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn the_person_comes_from_the_id_token_then_the_access_token() {
        let access = jwt(
            &serde_json::json!({"sub": "u-1", "email": "ada@example.com", "exp": 2_000_000_000}),
        );
        let id = jwt(&serde_json::json!({"given_name": "Ada", "family_name": "Lovelace"}));
        let session = Session::from_answer(
            &answer(serde_json::json!({
                "access_token": access, "token_type": "Bearer", "id_token": id
            })),
            "itwin-platform",
            None,
        );
        let signed_in = &session.signed_in;
        assert_eq!(signed_in.name.as_deref(), Some("Ada Lovelace"));
        assert_eq!(signed_in.email.as_deref(), Some("ada@example.com"));
        assert_eq!(signed_in.subject.as_deref(), Some("u-1"));
        assert_eq!(
            signed_in.expires_at,
            DateTime::from_timestamp(2_000_000_000, 0)
        );
        assert!(!signed_in.refreshable);
        assert!(session.fresh(Duration::from_secs(120)));
        assert!(signed_in
            .to_string()
            .starts_with("Ada Lovelace <ada@example.com>, token valid until 2033-05-18T03:33:20"));
    }

    #[test]
    fn a_refresh_without_a_new_refresh_token_keeps_the_old_one() {
        let session = Session::from_answer(
            &answer(serde_json::json!({
                "access_token": "opaque-secret", "token_type": "bearer", "expires_in": 60
            })),
            "s",
            Some("refresh-secret".into()),
        );
        assert_eq!(session.refresh_token(), Some("refresh-secret"));
        assert!(session.signed_in.refreshable);
        assert_eq!(session.signed_in.name, None);
        // Good for a minute: used as it is, but within a two-minute margin it is refreshed.
        assert!(session.unexpired());
        assert!(!session.fresh(Duration::from_secs(120)));
        let debug = format!("{session:?}");
        assert!(!debug.contains("secret"), "{debug}");
    }
}
