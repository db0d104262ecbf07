//! The loopback listener at the redirect URI (RFC 8252 §7.3): on 127.0.0.1 only, at the port
//! and path the application is registered with, until the identity service's one answer
//! arrives or the time runs out; then it closes, with every connection it accepted.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::header::{HeaderValue, CACHE_CONTROL, CONTENT_TYPE};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinSet;
use url::{Host, Url};

use super::error::{printable, SignInError};

/// The redirect URI the application is registered with, checked: `http`, this computer, an
/// explicit port.
#[derive(Debug, Clone)]
pub(super) struct Redirect {
    /// As registered: the identity service compares it character for character.
    pub(super) uri: String,
    pub(super) port: u16,
    path: String,
}

impl Redirect {
    pub(super) fn parse(uri: &str) -> Result<Redirect, SignInError> {
        let problem = |problem| SignInError::RedirectUri {
            uri: uri.to_owned(),
            problem,
        };
        let url = Url::parse(uri).map_err(|_| problem("is no URL"))?;
        if url.scheme() != "http" {
            return Err(problem(
                "must use http: the loopback listener serves no https",
            ));
        }
        match url.host() {
            Some(Host::Domain(host)) if host.eq_ignore_ascii_case("localhost") => {}
            Some(Host::Ipv4(address)) if address == Ipv4Addr::LOCALHOST => {}
            _ => {
                return Err(problem(
                    "must name this computer as localhost or 127.0.0.1: the answer is taken on \
                     127.0.0.1 only",
                ))
            }
        }
        let port = url.port().ok_or_else(|| {
            problem("must name its port, as registered (http://localhost:3000/signin-callback)")
        })?;
        if url.fragment().is_some() {
            return Err(problem("must not have a fragment (RFC 6749 §3.1.2)"));
        }
        Ok(Redirect {
            uri: uri.to_owned(),
            port,
            path: url.path().to_owned(),
        })
    }
}

/// What an answer is judged against.
struct Expected {
    path: String,
    state: String,
}

type Outcome = Result<String, SignInError>;

/// A listener on 127.0.0.1 at the redirect URI's port, bound before the browser is opened, so
/// that a port in use fails the sign-in before the person is asked anything.
pub(super) struct Listener {
    listener: TcpListener,
    path: String,
}

impl Listener {
    pub(super) async fn bind(redirect: &Redirect) -> Result<Listener, SignInError> {
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, redirect.port));
        let listener = TcpListener::bind(address).await.map_err(|source| {
            let port = redirect.port;
            if source.kind() == std::io::ErrorKind::AddrInUse {
                SignInError::PortInUse { port, source }
            } else {
                SignInError::Listen { port, source }
            }
        })?;
        Ok(Listener {
            listener,
            path: redirect.path.clone(),
        })
    }

    /// The authorization code of the first answer at the redirect path, if it carries `state`
    /// and a code; requests to other paths (a browser's `/favicon.ico`) get a 404 and change
    /// nothing. The listener and every connection are closed when this returns, however it
    /// ends.
    pub(super) async fn answer(self, state: String, timeout: Duration) -> Outcome {
        let expected = Arc::new(Expected {
            path: self.path,
            state,
        });
        let (answered, mut answers) = mpsc::channel(1);
        let mut connections = JoinSet::new();
        let deadline = tokio::time::sleep(timeout);
        tokio::pin!(deadline);
        let outcome = loop {
            tokio::select! {
                Some(outcome) = answers.recv() => break outcome,
                accepted = self.listener.accept() => match accepted {
                    Ok((stream, _)) => {
                        connections.spawn(serve(stream, Arc::clone(&expected), answered.clone()));
                    }
                    // A connection that failed before it was accepted (reset, or no file
                    // descriptor left): the browser's next attempt may succeed.
                    Err(error) => tracing::debug!(%error, "a connection to the redirect listener failed"),
                },
                () = &mut deadline => break Err(SignInError::TimedOut { after: timeout }),
            }
        };
        drop(self.listener);
        // Idle connections (browsers open some ahead of need) end here too.
        connections.shutdown().await;
        outcome
    }
}

/// Serves one connection (one request: keep-alive is off) and, once the page is sent, hands on
/// the outcome of an answer at the redirect path.
async fn serve(stream: TcpStream, expected: Arc<Expected>, answered: mpsc::Sender<Outcome>) {
    let outcome = Arc::new(Mutex::new(None));
    let service = {
        let outcome = Arc::clone(&outcome);
        hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
            let judged = judge(&expected, request.uri());
            let page = page(judged.as_ref());
            if let Some(judged) = judged {
                *outcome.lock().unwrap_or_else(PoisonError::into_inner) = Some(judged);
            }
            async move { Ok::<_, Infallible>(page) }
        })
    };
    let served = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        .serve_connection(TokioIo::new(stream), service)
        .await;
    if let Err(error) = served {
        tracing::debug!(%error, "the redirect listener's connection failed");
    }
    let judged = outcome
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .take();
    if let Some(judged) = judged {
        // Only the first answer counts; the listener stops at it.
        let _ = answered.try_send(judged);
    }
}

/// What a request says, if it is at the redirect path: the code, or why there is none.
fn judge(expected: &Expected, uri: &hyper::Uri) -> Option<Outcome> {
    if uri.path() != expected.path {
        return None;
    }
    let (mut state, mut code, mut error, mut description) = (None, None, None, None);
    for (name, value) in url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes()) {
        let slot = match name.as_ref() {
            "state" => &mut state,
            "code" => &mut code,
            "error" => &mut error,
            "error_description" => &mut description,
            _ => continue,
        };
        *slot = Some(value.into_owned());
    }
    // The state first: an answer to another sign-in says nothing about this one, not even that
    // it failed (RFC 6749 §10.12).
    if state.as_deref() != Some(expected.state.as_str()) {
        return Some(Err(SignInError::StateMismatch));
    }
    let description = description.map(|d| printable(&d));
    Some(match (error, code) {
        (Some(error), _) if error == "access_denied" => Err(SignInError::Denied { description }),
        (Some(error), _) => Err(SignInError::Refused {
            error: printable(&error),
            description,
        }),
        (None, Some(code)) => Ok(code),
        (None, None) => Err(SignInError::NoCode),
    })
}

/// The short page the browser shows: fixed text only, nothing of the request echoed.
fn page(judged: Option<&Outcome>) -> Response<Full<Bytes>> {
    let (status, title, text) = match judged {
        None => (StatusCode::NOT_FOUND, "Not found", "Nothing is here."),
        Some(Ok(_)) => (
            StatusCode::OK,
            "Signed in",
            "You are signed in. You can close this window and return to the application.",
        ),
        Some(Err(SignInError::Denied { .. })) => (
            StatusCode::BAD_REQUEST,
            "Sign-in declined",
            "The sign-in was declined. Return to the application to try again.",
        ),
        Some(Err(SignInError::StateMismatch)) => (
            StatusCode::BAD_REQUEST,
            "Sign-in not completed",
            "This answer was not for the sign-in under way, so it was not used. Return to the \
             application to sign in again.",
        ),
        Some(Err(_)) => (
            StatusCode::BAD_REQUEST,
            "Sign-in failed",
            "The sign-in did not complete. Return to the application for the reason.",
        ),
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         </head>\n<body style=\"font-family: sans-serif; margin: 3em\"><h1>{title}</h1><p>{text}\
         </p></body></html>\n"
    );
    let mut response = Response::new(Full::new(Bytes::from(html)));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_uri_is_http_on_this_computer_with_a_port() {
        let redirect = Redirect::parse("http://localhost:3000/signin-callback").unwrap();
        assert_eq!(
            (redirect.port, redirect.path.as_str()),
            (3000, "/signin-callback")
        );
        assert_eq!(Redirect::parse("http://127.0.0.1:8080").unwrap().path, "/");
        for (uri, says) in [
            ("not a URL", "is no URL"),
            ("localhost:3000/cb", "must use http"),
            ("https://localhost:3000/cb", "must use http"),
            ("http://example.com:3000/cb", "localhost or 127.0.0.1"),
            ("http://[::1]:3000/cb", "localhost or 127.0.0.1"),
            ("http://localhost/cb", "must name its port"),
            ("http://localhost:3000/cb#x", "fragment"),
        ] {
            let error = Redirect::parse(uri).unwrap_err().to_string();
            assert!(
                error.contains(says) && error.contains(uri),
                "{uri}: {error}"
            );
        }
    }

    #[test]
    fn an_answer_is_judged_by_its_state_first() {
        let expected = Expected {
            path: "/cb".into(),
            state: "s1".into(),
        };
        let judge = |uri: &str| judge(&expected, &uri.parse().unwrap());
        assert!(judge("/favicon.ico").is_none());
        assert!(matches!(judge("/cb?code=c&state=s1"), Some(Ok(code)) if code == "c"));
        assert!(matches!(
            judge("/cb?code=c&state=s2"),
            Some(Err(SignInError::StateMismatch))
        ));
        assert!(matches!(
            judge("/cb?error=access_denied"),
            Some(Err(SignInError::StateMismatch))
        ));
        assert!(matches!(
            judge("/cb?error=access_denied&error_description=No%1b%5B31m%20thanks&state=s1"),
            Some(Err(SignInError::Denied { description: Some(d) })) if d == "No[31m thanks"
        ));
        assert!(matches!(
            judge("/cb?error=invalid_scope&state=s1"),
            Some(Err(SignInError::Refused { error, description: None })) if error == "invalid_scope"
        ));
        assert!(matches!(
            judge("/cb?state=s1"),
            Some(Err(SignInError::NoCode))
        ));
    }
}
