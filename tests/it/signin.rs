//! The browser sign-in (`interactive-auth`) against a fake identity service of this module's
//! own: its authorize endpoint checks the client id, the redirect URI, the PKCE method and the
//! state, and sends the "browser" back to the loopback listener; its token endpoint checks the
//! code, the redirect URI and the PKCE verifier against the challenge, and serves refreshes
//! with rotating refresh tokens. The "browser" is the test's: it follows the address it is
//! given with an HTTP client.
//!
//! Each failure (a state mismatch, a declined consent, a timeout, a port in use) gives its own
//! error and leaves no listener behind; no log, Debug, Display or page of any test holds a
//! token.

use std::collections::HashMap;
use std::net::{Ipv4Addr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use itwin_platform::runtime::{HttpMethod, Request as ApiRequest};
use itwin_platform::{
    Client, InteractiveSignIn, OpenBrowser, SignInError, TokenProvider, TokenStore,
};
use serde_json::json;
use sha2::{Digest, Sha256};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::log_capture::LogCapture;
use crate::support::scratch_dir;

const CLIENT_ID: &str = "native-test-app";
/// Every token the fake issues holds this, so that a leak is one `contains` away.
const SECRET: &str = "SECRET";

/// What the fake's authorize endpoint answers.
#[derive(Clone, Copy, PartialEq)]
enum Answer {
    Code,
    ForgedState,
    Declined,
}

/// The fake identity service's memory.
struct Ims {
    redirect_uri: String,
    answer: Answer,
    /// Access tokens for a code live this long...
    expires_in: u64,
    /// ...and those of a refresh this long.
    refreshed_expires_in: u64,
    /// The challenge, redirect URI and scope of each code issued and not yet used.
    codes: HashMap<String, (String, String)>,
    refresh_tokens: Vec<String>,
    /// Codes and tokens issued so far: each one's number.
    issued: u32,
    states: Vec<String>,
    verified_codes: u32,
    refreshes: u32,
    token_requests: u32,
}

#[derive(Clone)]
struct FakeIms(Arc<Mutex<Ims>>);

impl FakeIms {
    async fn start(redirect_uri: &str, answer: Answer) -> (FakeIms, MockServer) {
        let fake = FakeIms(Arc::new(Mutex::new(Ims {
            redirect_uri: redirect_uri.to_owned(),
            answer,
            expires_in: 3600,
            refreshed_expires_in: 3600,
            codes: HashMap::new(),
            refresh_tokens: Vec::new(),
            issued: 0,
            states: Vec::new(),
            verified_codes: 0,
            refreshes: 0,
            token_requests: 0,
        })));
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/connect/authorize"))
            .respond_with(Authorize(fake.clone()))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path("/connect/token"))
            .respond_with(Token(fake.clone()))
            .mount(&server)
            .await;
        (fake, server)
    }

    fn with<R>(&self, read: impl FnOnce(&mut Ims) -> R) -> R {
        read(&mut self.0.lock().unwrap())
    }
}

fn query(request: &Request) -> HashMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

fn form(request: &Request) -> HashMap<String, String> {
    url::form_urlencoded::parse(&request.body)
        .into_owned()
        .collect()
}

/// `GET /connect/authorize`: checks the request, then sends the browser to the redirect URI.
struct Authorize(FakeIms);

impl Respond for Authorize {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let q = query(request);
        let get = |name: &str| q.get(name).cloned().unwrap_or_default();
        self.0.with(|ims| {
            let problem = if get("response_type") != "code" {
                Some("response_type is not code")
            } else if get("client_id") != CLIENT_ID {
                Some("unknown client")
            } else if get("redirect_uri") != ims.redirect_uri {
                Some("redirect_uri is not the registered one")
            } else if get("code_challenge_method") != "S256" {
                Some("the PKCE method is not S256")
            } else if get("code_challenge").len() != 43 {
                Some("no SHA-256 challenge")
            } else if get("state").len() < 22 || ims.states.contains(&get("state")) {
                Some("the state is short or reused")
            } else if !get("scope").split(' ').any(|s| s == "offline_access") {
                Some("no offline_access")
            } else {
                None
            };
            if let Some(problem) = problem {
                return ResponseTemplate::new(400).set_body_string(problem);
            }
            ims.states.push(get("state"));
            let mut back = url::Url::parse(&ims.redirect_uri).unwrap();
            match ims.answer {
                Answer::Code => {
                    ims.issued += 1;
                    let code = format!("code-{}", ims.issued);
                    ims.codes.insert(
                        code.clone(),
                        (get("code_challenge"), ims.redirect_uri.clone()),
                    );
                    back.query_pairs_mut()
                        .append_pair("code", &code)
                        .append_pair("state", &get("state"));
                }
                Answer::ForgedState => {
                    ims.issued += 1;
                    let code = format!("code-{}", ims.issued);
                    ims.codes.insert(
                        code.clone(),
                        (get("code_challenge"), ims.redirect_uri.clone()),
                    );
                    back.query_pairs_mut()
                        .append_pair("code", &code)
                        .append_pair("state", "forged-by-another-page");
                }
                Answer::Declined => {
                    back.query_pairs_mut()
                        .append_pair("error", "access_denied")
                        .append_pair("error_description", "The user declined")
                        .append_pair("state", &get("state"));
                }
            }
            ResponseTemplate::new(302).insert_header("location", back.as_str())
        })
    }
}

/// `POST /connect/token`: the code with its PKCE verifier, or a refresh token.
struct Token(FakeIms);

fn refused(description: &str) -> ResponseTemplate {
    ResponseTemplate::new(400)
        .set_body_json(json!({"error": "invalid_grant", "error_description": description}))
}

impl Respond for Token {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let f = form(request);
        let get = |name: &str| f.get(name).cloned().unwrap_or_default();
        self.0.with(|ims| {
            ims.token_requests += 1;
            if get("client_id") != CLIENT_ID || f.contains_key("client_secret") {
                return refused("not the public client");
            }
            let mut expires_in = ims.expires_in;
            match get("grant_type").as_str() {
                "authorization_code" => {
                    // A code serves once.
                    let Some((challenge, redirect_uri)) = ims.codes.remove(&get("code")) else {
                        return refused("unknown code");
                    };
                    if get("redirect_uri") != redirect_uri {
                        return refused("redirect_uri differs from the authorize request's");
                    }
                    let verifier = get("code_verifier");
                    if verifier.len() < 43
                        || URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge
                    {
                        return refused("the PKCE verifier does not match the challenge");
                    }
                    ims.verified_codes += 1;
                }
                "refresh_token" => {
                    let presented = get("refresh_token");
                    let Some(at) = ims.refresh_tokens.iter().position(|t| *t == presented) else {
                        return refused("unknown refresh token");
                    };
                    // Rotated: the one presented is spent.
                    ims.refresh_tokens.remove(at);
                    ims.refreshes += 1;
                    expires_in = ims.refreshed_expires_in;
                }
                _ => return refused("unsupported grant"),
            }
            ims.issued += 1;
            let n = ims.issued;
            let claims = json!({
                "sub": "user-17", "name": "Ada Lovelace", "email": "ada@example.com",
                "exp": chrono::Utc::now().timestamp() + i64::try_from(expires_in).unwrap(),
            });
            let access = format!(
                "eyJhbGciOiJub25lIn0.{}.sig-{SECRET}-{n}",
                URL_SAFE_NO_PAD.encode(claims.to_string())
            );
            let refresh = format!("refresh-{SECRET}-{n}");
            ims.refresh_tokens.push(refresh.clone());
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": access, "token_type": "Bearer", "expires_in": expires_in,
                "refresh_token": refresh, "scope": "itwin-platform offline_access",
            }))
        })
    }
}

/// What the test's browser saw at the end of the redirects.
#[derive(Default, Clone)]
struct Seen(Arc<Mutex<Vec<(u16, String)>>>);

impl Seen {
    fn pages(&self) -> Vec<(u16, String)> {
        self.0.lock().unwrap().clone()
    }
}

/// A browser that first asks the loopback listener for something else (as browsers ask for
/// `/favicon.ico`), then follows the sign-in address through its redirects.
fn test_browser(port: u16, seen: &Seen) -> OpenBrowser {
    let seen = seen.clone();
    OpenBrowser::with(move |url| {
        let (url, seen) = (url.to_owned(), seen.clone());
        tokio::spawn(async move {
            let http = reqwest::Client::new();
            let stray = http
                .get(format!("http://127.0.0.1:{port}/favicon.ico"))
                .send()
                .await
                .unwrap();
            seen.0
                .lock()
                .unwrap()
                .push((stray.status().as_u16(), String::new()));
            let page = http.get(url).send().await.unwrap();
            let status = page.status().as_u16();
            let body = page.text().await.unwrap();
            seen.0.lock().unwrap().push((status, body));
        });
        Ok(())
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Nothing listens on `port` any more.
fn assert_closed(port: u16) {
    let connected = TcpStream::connect((Ipv4Addr::LOCALHOST, port));
    assert!(
        connected.is_err(),
        "a listener is left behind on port {port}"
    );
}

fn assert_no_token(what: &str, text: &str) {
    assert!(
        !text.contains(SECRET) && !text.contains("code-"),
        "{what} shows a token or a code: {text}"
    );
}

fn sign_in_for(ims: &MockServer, redirect_uri: &str) -> InteractiveSignIn {
    InteractiveSignIn::new(CLIENT_ID, redirect_uri)
        .unwrap()
        .authority(ims.uri())
        .timeout(Duration::from_secs(20))
}

#[tokio::test(flavor = "current_thread")]
async fn a_person_signs_in_with_pkce_and_state_and_is_refreshed_ahead_of_expiry() {
    let log = LogCapture::start();
    let port = free_port();
    let redirect_uri = format!("http://localhost:{port}/signin-callback");
    let (fake, ims) = FakeIms::start(&redirect_uri, Answer::Code).await;
    // A minute's token for the code: within the two-minute margin, so its first use refreshes.
    fake.with(|ims| ims.expires_in = 60);
    let scratch = scratch_dir();
    let store = TokenStore::in_dir(scratch.path().join("my-tool"));
    let seen = Seen::default();
    let sign_in = sign_in_for(&ims, &redirect_uri)
        .token_store(store.clone())
        .open_browser(test_browser(port, &seen));

    let me = sign_in.sign_in().await.expect("signed in");
    assert_eq!(me.name.as_deref(), Some("Ada Lovelace"));
    assert_eq!(me.email.as_deref(), Some("ada@example.com"));
    assert_eq!(me.subject.as_deref(), Some("user-17"));
    assert!(me.refreshable);
    let left = me.expires_at.unwrap() - chrono::Utc::now();
    assert!((50..=60).contains(&left.num_seconds()), "{left}");
    assert_closed(port);
    assert_eq!(fake.with(|ims| ims.verified_codes), 1);
    let pages = seen.pages();
    assert_eq!(pages[0].0, 404, "the stray request");
    assert_eq!(pages[1].0, 200);
    assert!(pages[1].1.contains("You are signed in"), "{}", pages[1].1);

    // Calls act for the person: eight at once share one refresh.
    let api = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&api)
        .await;
    let client = Client::builder()
        .base_url(api.uri())
        .token_provider(sign_in.clone())
        .build()
        .unwrap();
    let ping = || ApiRequest::new("ping", HttpMethod::Get, "/ping", "application/json");
    let calls = (0..8).map(|_| client.execute_empty(ping()));
    for result in futures::future::join_all(calls).await {
        result.expect("the call is authorized");
    }
    assert_eq!(fake.with(|ims| ims.refreshes), 1, "one refresh for all");
    let bearers: Vec<String> = api
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers["authorization"].to_str().unwrap().to_owned())
        .collect();
    assert!(bearers
        .iter()
        .all(|b| b.ends_with(&format!("sig-{SECRET}-3"))));

    // The store holds the refreshed session, privately.
    let file = std::fs::read_dir(store.dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect::<Vec<_>>();
    assert_eq!(file.len(), 1, "one file, no temporary left: {file:?}");
    let stored = std::fs::read_to_string(&file[0]).unwrap();
    assert!(stored.contains(&format!("refresh-{SECRET}-3")));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&file[0]), 0o600);
        assert_eq!(mode(store.dir()), 0o700);
    }

    // The next run of the program: who is signed in, without the network; then a call that
    // refreshes with the stored refresh token (its margin makes the stored hour too short).
    let next_run = sign_in_for(&ims, &redirect_uri)
        .token_store(store.clone())
        .refresh_margin(Duration::from_secs(7200))
        .open_browser(OpenBrowser::with(|_| panic!("no browser without sign_in")));
    let whoami = next_run.signed_in().await.unwrap().expect("signed in");
    assert_eq!(whoami.email.as_deref(), Some("ada@example.com"));
    let requests_before = fake.with(|ims| ims.token_requests);
    assert_eq!(next_run.signed_in().await.unwrap(), Some(whoami.clone()));
    assert_eq!(fake.with(|ims| ims.token_requests), requests_before);
    let token = next_run.access_token().await.unwrap();
    assert!(token.secret().ends_with(&format!("sig-{SECRET}-4")));
    assert_eq!(fake.with(|ims| ims.refreshes), 2);

    // Signing out removes the stored tokens.
    next_run.sign_out().await.unwrap();
    assert_eq!(std::fs::read_dir(store.dir()).unwrap().count(), 0);
    assert_eq!(next_run.signed_in().await.unwrap(), None);
    assert_eq!(
        sign_in_for(&ims, &redirect_uri)
            .token_store(store)
            .signed_in()
            .await
            .unwrap(),
        None
    );
    let error = next_run.access_token().await.unwrap_err();
    assert!(error.to_string().contains("not signed in"), "{error}");

    for (what, text) in [
        ("Debug of the sign-in", format!("{sign_in:?} {next_run:?}")),
        ("the person", format!("{me} {me:?} {whoami}")),
        ("the token's Debug", format!("{token:?}")),
        ("an error", format!("{error} {error:?}")),
        ("the log", log.text()),
        ("the pages", format!("{pages:?}")),
    ] {
        assert_no_token(what, &text);
    }
    assert!(log.text().contains("signed in"), "{}", log.text());
}

#[tokio::test(flavor = "current_thread")]
async fn a_spent_refresh_token_asks_for_a_new_sign_in_and_is_forgotten() {
    let port = free_port();
    let redirect_uri = format!("http://127.0.0.1:{port}/cb");
    let (fake, ims) = FakeIms::start(&redirect_uri, Answer::Code).await;
    fake.with(|ims| ims.expires_in = 1);
    let scratch = scratch_dir();
    let store = TokenStore::in_dir(scratch.path());
    let sign_in = sign_in_for(&ims, &redirect_uri)
        .token_store(store.clone())
        .open_browser(test_browser(port, &Seen::default()));
    sign_in.sign_in().await.unwrap();
    // Revoked at the identity service.
    fake.with(|ims| ims.refresh_tokens.clear());
    let error = sign_in.access_token().await.unwrap_err().to_string();
    assert!(
        error.contains("invalid_grant") && error.ends_with("sign in again"),
        "{error}"
    );
    assert_no_token("the error", &error);
    assert_eq!(sign_in.signed_in().await.unwrap(), None);
}

/// A sign-in whose browser brings back an answer the listener must refuse, or none.
async fn failed_sign_in(answer: Answer, browser: bool, timeout: Duration) -> SignInError {
    let log = LogCapture::start();
    let port = free_port();
    let redirect_uri = format!("http://127.0.0.1:{port}/signin-callback");
    let (fake, ims) = FakeIms::start(&redirect_uri, answer).await;
    let seen = Seen::default();
    let sign_in = sign_in_for(&ims, &redirect_uri).timeout(timeout);
    let sign_in = if browser {
        sign_in.open_browser(test_browser(port, &seen))
    } else {
        sign_in.open_browser(OpenBrowser::with(|_| Ok(())))
    };
    let error = sign_in.sign_in().await.unwrap_err();
    assert_closed(port);
    assert_eq!(
        fake.with(|ims| ims.token_requests),
        0,
        "a code was exchanged"
    );
    if browser {
        // The page is sent before the listener closes.
        tokio::time::sleep(Duration::from_millis(50)).await;
        let pages = seen.pages();
        assert_eq!(pages.last().map(|p| p.0), Some(400), "{pages:?}");
        assert_no_token("the page", &format!("{pages:?}"));
    }
    assert_no_token("the error", &format!("{error} {error:?}"));
    assert_no_token("the log", &log.text());
    error
}

#[tokio::test(flavor = "current_thread")]
async fn an_answer_with_another_state_is_refused_and_its_code_unused() {
    let error = failed_sign_in(Answer::ForgedState, true, Duration::from_secs(20)).await;
    assert!(matches!(error, SignInError::StateMismatch), "{error:?}");
    assert!(error.to_string().contains("state"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn a_declined_consent_is_an_error_of_its_own() {
    let error = failed_sign_in(Answer::Declined, true, Duration::from_secs(20)).await;
    assert!(
        matches!(&error, SignInError::Denied { description: Some(d) } if d == "The user declined"),
        "{error:?}"
    );
    assert!(error.to_string().contains("declined"), "{error}");
}

#[tokio::test(flavor = "current_thread")]
async fn no_answer_from_the_browser_times_out() {
    let error = failed_sign_in(Answer::Code, false, Duration::from_millis(300)).await;
    assert!(
        matches!(error, SignInError::TimedOut { after } if after == Duration::from_millis(300)),
        "{error:?}"
    );
}

#[tokio::test(flavor = "current_thread")]
async fn a_port_in_use_fails_before_the_browser_is_opened() {
    let taken = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let port = taken.local_addr().unwrap().port();
    let redirect_uri = format!("http://localhost:{port}/signin-callback");
    let (fake, ims) = FakeIms::start(&redirect_uri, Answer::Code).await;
    let opened = Arc::new(Mutex::new(false));
    let browser = {
        let opened = Arc::clone(&opened);
        OpenBrowser::with(move |_| {
            *opened.lock().unwrap() = true;
            Ok(())
        })
    };
    let error = sign_in_for(&ims, &redirect_uri)
        .open_browser(browser)
        .sign_in()
        .await
        .unwrap_err();
    assert!(
        matches!(error, SignInError::PortInUse { port: p, .. } if p == port),
        "{error:?}"
    );
    assert!(
        error.to_string().contains(&format!("port {port}")),
        "{error}"
    );
    assert!(!*opened.lock().unwrap(), "the browser was opened");
    assert_eq!(fake.with(|ims| ims.states.len()), 0);
    // The other program's listener is untouched.
    assert!(TcpStream::connect((Ipv4Addr::LOCALHOST, port)).is_ok());
}
