//! A client configured from environment variables, for scripts, CI jobs and containers.
//!
//! The reading is a pure function over a lookup, so that it is tested without touching the
//! process environment; only [`ClientBuilder::from_env`](super::ClientBuilder::from_env)
//! reads the real one, and applies what this module reads.

use std::fmt;

use super::environment::Environment;
use super::oauth::ClientCredentials;

const ACCESS_TOKEN: &str = "ITWIN_ACCESS_TOKEN";
const CLIENT_ID: &str = "ITWIN_CLIENT_ID";
const CLIENT_SECRET: &str = "ITWIN_CLIENT_SECRET";
const SCOPE: &str = "ITWIN_SCOPE";
const TOKEN_URL: &str = "ITWIN_TOKEN_URL";
const ENV: &str = "ITWIN_ENV";
/// Bentley's own convention (iTwin.js and its samples): a prefix of every host name.
const URL_PREFIX: &str = "IMJS_URL_PREFIX";
const BASE_URL: &str = "ITWIN_BASE_URL";

/// The environment variables do not describe a client: some are missing, unknown, or
/// contradict each other. The message names them and never quotes a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvError {
    variables: Vec<&'static str>,
    problem: String,
}

impl EnvError {
    fn new(variables: &[&'static str], problem: impl Into<String>) -> Self {
        EnvError {
            variables: variables.to_vec(),
            problem: problem.into(),
        }
    }

    /// The variables to set or change.
    pub fn variables(&self) -> &[&'static str] {
        &self.variables
    }
}

impl fmt::Display for EnvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.variables.join(", "), self.problem)
    }
}

impl std::error::Error for EnvError {}

/// What the variables say, checked.
#[derive(Debug, PartialEq)]
pub(crate) struct Settings {
    pub(crate) credentials: Credentials,
    pub(crate) environment: Option<Environment>,
    pub(crate) base_url: Option<String>,
}

/// The credentials the variables give.
#[derive(PartialEq)]
pub(crate) enum Credentials {
    Token(String),
    Service {
        client_id: String,
        client_secret: String,
        scope: Option<String>,
        token_url: Option<String>,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Token(_) => f.write_str("Token(<redacted>)"),
            Credentials::Service {
                client_id,
                scope,
                token_url,
                ..
            } => f
                .debug_struct("Service")
                .field("client_id", client_id)
                .field("scope", scope)
                .field("token_url", token_url)
                .finish_non_exhaustive(),
        }
    }
}

impl Settings {
    /// The settings of the variables `lookup` gives by name.
    pub(crate) fn read(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Settings, EnvError> {
        let set = |name: &str| lookup(name).filter(|value| !value.is_empty());
        let credentials = credentials(&set)?;
        let environment = environment(lookup)?;
        let base_url = set(BASE_URL);
        if base_url.is_some() && environment.is_some() {
            let given = if set(ENV).is_some() { ENV } else { URL_PREFIX };
            return Err(EnvError::new(
                &[BASE_URL, given],
                "a base URL and an environment contradict each other: set one of them",
            ));
        }
        Ok(Settings {
            credentials,
            environment,
            base_url,
        })
    }
}

/// What the client is given for credentials: a token sent as it is, or a service
/// application's credentials that fetch tokens.
pub(crate) enum Resolved {
    Token(String),
    Service(ClientCredentials),
}

impl Credentials {
    /// These credentials for the client; service credentials get the token endpoint of
    /// `environment` unless the variables name one.
    pub(crate) fn resolve(self, environment: Option<Environment>) -> Resolved {
        match self {
            Credentials::Token(token) => Resolved::Token(token),
            Credentials::Service {
                client_id,
                client_secret,
                scope,
                token_url,
            } => {
                let mut credentials = ClientCredentials::new(client_id, client_secret);
                if let Some(scope) = scope {
                    credentials = credentials.scope(scope);
                }
                let token_url = token_url.or_else(|| token_url_of(environment));
                if let Some(url) = token_url {
                    credentials = credentials.token_url(url);
                }
                Resolved::Service(credentials)
            }
        }
    }
}

fn credentials(set: &dyn Fn(&str) -> Option<String>) -> Result<Credentials, EnvError> {
    let token = set(ACCESS_TOKEN);
    let id = set(CLIENT_ID);
    let secret = set(CLIENT_SECRET);
    let service_only: Vec<&'static str> = [SCOPE, TOKEN_URL]
        .into_iter()
        .filter(|name| set(name).is_some())
        .collect();
    match (token, id, secret) {
        (Some(_), id, secret) if id.is_some() || secret.is_some() => {
            let mut names = vec![ACCESS_TOKEN];
            names.extend(id.map(|_| CLIENT_ID));
            names.extend(secret.map(|_| CLIENT_SECRET));
            Err(EnvError::new(
                &names,
                "an access token and client credentials contradict each other: set one of them",
            ))
        }
        (Some(_), None, None) if !service_only.is_empty() => Err(EnvError::new(
            &service_only,
            "apply to client credentials (ITWIN_CLIENT_ID and ITWIN_CLIENT_SECRET), not to an access token",
        )),
        (Some(token), _, _) => Ok(Credentials::Token(token)),
        (None, Some(_), None) => Err(EnvError::new(
            &[CLIENT_SECRET],
            "not set, but ITWIN_CLIENT_ID is: client credentials need both",
        )),
        (None, None, Some(_)) => Err(EnvError::new(
            &[CLIENT_ID],
            "not set, but ITWIN_CLIENT_SECRET is: client credentials need both",
        )),
        (None, Some(client_id), Some(client_secret)) => Ok(Credentials::Service {
            client_id,
            client_secret,
            scope: set(SCOPE),
            token_url: set(TOKEN_URL),
        }),
        (None, None, None) => Err(EnvError::new(
            &[ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET],
            "no credentials: set ITWIN_ACCESS_TOKEN, or ITWIN_CLIENT_ID and ITWIN_CLIENT_SECRET",
        )),
    }
}

/// The token endpoint of an environment, where it is not [`ClientCredentials`]' default: its
/// identity service's (QA's for dev and qa alike).
fn token_url_of(environment: Option<Environment>) -> Option<String> {
    match environment {
        Some(env @ (Environment::Dev | Environment::Qa)) => {
            Some(format!("{}/connect/token", env.ims_authority()))
        }
        Some(Environment::Production) | None => None,
    }
}

/// The environment of `ITWIN_ENV` or `IMJS_URL_PREFIX`; both may be set if they agree.
fn environment(lookup: &dyn Fn(&str) -> Option<String>) -> Result<Option<Environment>, EnvError> {
    let named = match lookup(ENV).filter(|v| !v.is_empty()) {
        None => None,
        Some(value) => Some(match value.to_ascii_lowercase().as_str() {
            "prod" | "production" => Environment::Production,
            "dev" => Environment::Dev,
            "qa" => Environment::Qa,
            _ => {
                return Err(EnvError::new(
                    &[ENV],
                    format!("`{value}` is not an environment: use prod, dev or qa"),
                ))
            }
        }),
    };
    let prefixed = match lookup(URL_PREFIX) {
        None => None,
        Some(value) => Some(match value.as_str() {
            "" => Environment::Production,
            "dev-" => Environment::Dev,
            "qa-" => Environment::Qa,
            _ => {
                return Err(EnvError::new(
                    &[URL_PREFIX],
                    format!("`{value}` is not a host prefix: use \"\", dev- or qa-"),
                ))
            }
        }),
    };
    match (named, prefixed) {
        (Some(a), Some(b)) if a != b => Err(EnvError::new(
            &[ENV, URL_PREFIX],
            format!("name different environments ({a:?} and {b:?}): set one of them"),
        )),
        (named, prefixed) => Ok(named.or(prefixed)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(vars: &[(&str, &str)]) -> Result<Settings, EnvError> {
        Settings::read(&|name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
    }

    #[test]
    fn a_token_or_a_client_id_and_secret() {
        let token = read(&[(ACCESS_TOKEN, "t")]).unwrap();
        assert_eq!(token.credentials, Credentials::Token("t".into()));
        assert_eq!((token.environment, token.base_url), (None, None));
        let service = read(&[
            (CLIENT_ID, "id"),
            (CLIENT_SECRET, "s"),
            (SCOPE, "a b"),
            (TOKEN_URL, "http://127.0.0.1:9/token"),
        ])
        .unwrap();
        assert_eq!(
            service.credentials,
            Credentials::Service {
                client_id: "id".into(),
                client_secret: "s".into(),
                scope: Some("a b".into()),
                token_url: Some("http://127.0.0.1:9/token".into()),
            }
        );
    }

    #[test]
    fn missing_and_contradictory_credentials_are_named_without_their_values() {
        type Vars<'a> = &'a [(&'a str, &'a str)];
        let cases: [(Vars, &[&str]); 6] = [
            (&[], &[ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET]),
            (
                &[(ACCESS_TOKEN, "")],
                &[ACCESS_TOKEN, CLIENT_ID, CLIENT_SECRET],
            ),
            (&[(CLIENT_ID, "id")], &[CLIENT_SECRET]),
            (&[(CLIENT_SECRET, "hunter2")], &[CLIENT_ID]),
            (
                &[(ACCESS_TOKEN, "hunter2"), (CLIENT_SECRET, "hunter2")],
                &[ACCESS_TOKEN, CLIENT_SECRET],
            ),
            (&[(ACCESS_TOKEN, "hunter2"), (SCOPE, "x")], &[SCOPE]),
        ];
        for (vars, named) in cases {
            let error = read(vars).unwrap_err();
            assert_eq!(error.variables(), named, "{vars:?}");
            let message = error.to_string();
            assert!(!message.contains("hunter2"), "{message}");
            for name in named {
                assert!(message.contains(name), "{message}");
            }
        }
    }

    #[test]
    fn environments_by_name_or_by_bentleys_prefix() {
        let env = |vars: &[(&str, &str)]| {
            let mut all = vec![(ACCESS_TOKEN, "t")];
            all.extend_from_slice(vars);
            read(&all).map(|s| s.environment)
        };
        assert_eq!(env(&[(ENV, "QA")]), Ok(Some(Environment::Qa)));
        assert_eq!(env(&[(ENV, "prod")]), Ok(Some(Environment::Production)));
        assert_eq!(env(&[(URL_PREFIX, "dev-")]), Ok(Some(Environment::Dev)));
        assert_eq!(env(&[(URL_PREFIX, "")]), Ok(Some(Environment::Production)));
        assert_eq!(
            env(&[(ENV, "dev"), (URL_PREFIX, "dev-")]),
            Ok(Some(Environment::Dev))
        );
        for (vars, named) in [
            (&[(ENV, "staging")][..], &[ENV][..]),
            (&[(URL_PREFIX, "perf-")], &[URL_PREFIX]),
            (&[(ENV, "qa"), (URL_PREFIX, "")], &[ENV, URL_PREFIX]),
            (
                &[(ENV, "qa"), (BASE_URL, "http://127.0.0.1:1")],
                &[BASE_URL, ENV],
            ),
        ] {
            assert_eq!(env(vars).unwrap_err().variables(), named, "{vars:?}");
        }
    }

    #[test]
    fn service_credentials_of_dev_and_qa_use_qa_ims() {
        let qa = "https://qa-ims.bentley.com/connect/token";
        assert_eq!(token_url_of(Some(Environment::Dev)).as_deref(), Some(qa));
        assert_eq!(token_url_of(Some(Environment::Qa)).as_deref(), Some(qa));
        assert_eq!(token_url_of(Some(Environment::Production)), None);
        assert_eq!(token_url_of(None), None);
    }
}
