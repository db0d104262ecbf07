//! The calls the client benchmarks compare: each case once through the generated client and
//! once as a performance-minded user would write it by hand with reqwest and serde_json (the
//! URL formatted per call, the same `Accept` and bearer headers, the body decoded into a plain
//! struct), each against its own loopback server.

use std::hint::black_box;
use std::time::Duration;

use itwin_platform::{Client, RetryPolicy};
use serde::Deserialize;
use serde_json::json;

use super::server::{answer, serve};

const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";
const ACCEPT: &str = "application/vnd.bentley.itwin-platform.v2+json";
const TOKEN: &str = "bench-token";
/// Members on the page of [`Case::LargeList`]: about 1 MB of JSON.
const MEMBERS: usize = 2_500;

/// A call the generated client and hand-written code both make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// Get iTwin roles, answered with the definition's example: about 300 bytes of JSON.
    SmallJson,
    /// Get iTwin user members, answered with a page of 2,500 members: about 1 MB of JSON.
    LargeList,
    /// Get iTwin roles, answered first with a 503 and then, when tried again at once, with the
    /// small answer.
    RetriedOnce,
}

impl Case {
    /// Every case, in the order reports list them.
    pub const ALL: [Case; 3] = [Case::SmallJson, Case::LargeList, Case::RetriedOnce];

    /// A short name, for command lines and reports.
    pub fn name(self) -> &'static str {
        match self {
            Case::SmallJson => "small-json",
            Case::LargeList => "list-1mb",
            Case::RetriedOnce => "retried-503",
        }
    }

    /// What the case is, for reports.
    pub fn title(self) -> &'static str {
        match self {
            Case::SmallJson => "small JSON answer (get-itwin-roles)",
            Case::LargeList => "1 MB JSON list (get-itwin-user-members)",
            Case::RetriedOnce => "retried once after a 503 (get-itwin-roles)",
        }
    }

    /// The case named `name`, as [`name`](Self::name) gives it.
    pub fn named(name: &str) -> Option<Case> {
        Case::ALL.into_iter().find(|case| case.name() == name)
    }
}

/// A case ready to run: its server, the generated client and the reqwest client of the
/// hand-written code. Make it inside the Tokio runtime that runs the calls.
pub struct Fixture {
    case: Case,
    client: Client,
    http: reqwest::Client,
    base: String,
    /// A timeout the hand-written calls set, as the generated client sets its own.
    hand_timeout: Option<Duration>,
}

impl Fixture {
    /// Starts the case's server and makes both clients.
    ///
    /// # Panics
    ///
    /// If the client cannot be built.
    pub fn new(case: Case) -> Fixture {
        let roles = roles_example();
        let answers = match case {
            Case::SmallJson => vec![answer("200 OK", "application/json", &roles)],
            Case::LargeList => vec![answer("200 OK", "application/json", &members_page())],
            Case::RetriedOnce => vec![
                answer(
                    "503 Service Unavailable",
                    "application/json",
                    br#"{"error":{"code":"ServiceUnavailable","message":"Try again."}}"#,
                ),
                answer("200 OK", "application/json", &roles),
            ],
        };
        let base = format!("http://{}", serve(answers));
        // A retry that waits for nothing: the time measured is the client's, not a backoff's.
        let retry = RetryPolicy::default()
            .backoff(Duration::ZERO, Duration::ZERO)
            .without_jitter();
        let client = Client::builder()
            .base_url(&base)
            .access_token(TOKEN)
            .retry_policy(retry)
            .build()
            .unwrap();
        Fixture {
            case,
            client,
            http: reqwest::Client::new(),
            base,
            hand_timeout: None,
        }
    }

    /// The hand-written calls with a timeout of their own (the generated client has one of
    /// 60 s by default, which costs a timer per call), to tell that cost from the rest.
    pub fn with_hand_timeout(mut self, timeout: Duration) -> Fixture {
        self.hand_timeout = Some(timeout);
        self
    }

    /// The case this fixture runs.
    pub fn case(&self) -> Case {
        self.case
    }

    /// The URL base of the case's server.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// One call through the generated client.
    ///
    /// # Panics
    ///
    /// If the call fails or its answer is not the one served.
    pub async fn generated(&self) {
        match self.case {
            Case::SmallJson | Case::RetriedOnce => {
                let roles = self
                    .client
                    .access_control()
                    .get_itwin_roles(black_box(ITWIN))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(roles.roles.len(), 2);
            }
            Case::LargeList => {
                let page = self
                    .client
                    .access_control()
                    .get_itwin_user_members(black_box(ITWIN))
                    .top(1000)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(page.members.len(), MEMBERS);
            }
        }
    }

    /// The same call by hand: reqwest and serde_json, a retry loop for the 503.
    ///
    /// # Panics
    ///
    /// If the call fails or its answer is not the one served.
    pub async fn hand_written(&self) {
        match self.case {
            Case::SmallJson | Case::RetriedOnce => {
                let url = format!(
                    "{}/accesscontrol/itwins/{}/roles",
                    self.base,
                    black_box(ITWIN)
                );
                let roles: PlainRoles = self.get_retrying(&url).await;
                assert_eq!(roles.roles.len(), 2);
            }
            Case::LargeList => {
                let url = format!(
                    "{}/accesscontrol/itwins/{}/members/users?$top={}",
                    self.base,
                    black_box(ITWIN),
                    1000
                );
                let page: PlainPage = self.get_retrying(&url).await;
                assert_eq!(page.members.len(), MEMBERS);
            }
        }
    }

    /// A GET decoded from JSON, sent again at once after a 503 (up to 4 attempts, as the
    /// generated client's policy).
    async fn get_retrying<T: serde::de::DeserializeOwned>(&self, url: &str) -> T {
        let mut attempt = 1;
        loop {
            let mut request = self.http.get(url);
            if let Some(timeout) = self.hand_timeout {
                request = request.timeout(timeout);
            }
            let response = request
                .header("authorization", "Bearer bench-token")
                .header("accept", ACCEPT)
                .send()
                .await
                .unwrap();
            let status = response.status();
            let bytes = response.bytes().await.unwrap();
            if status == reqwest::StatusCode::SERVICE_UNAVAILABLE && attempt < 4 {
                attempt += 1;
                continue;
            }
            assert!(status.is_success(), "{status}");
            return serde_json::from_slice(&bytes).unwrap();
        }
    }
}

/// The 200 example of Get iTwin roles, from spec/access-control.json.
fn roles_example() -> Vec<u8> {
    let spec = xtask::spec_dir(&xtask::workspace_root()).join("access-control.json");
    let definition: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(spec).unwrap()).unwrap();
    let example = &definition["paths"]["/itwins/{id}/roles"]["get"]["responses"]["200"]["content"]
        ["application/json"]["example"];
    serde_json::to_vec(example).unwrap()
}

/// A page of [`MEMBERS`] user members with paging links.
fn members_page() -> Vec<u8> {
    let members: Vec<_> = (0..MEMBERS)
        .map(|i| {
            json!({
                "id": format!("{i:08}-5a60-4fe0-8237-e7afbf47512b"),
                "email": format!("user{i}@example.com"),
                "givenName": "Given",
                "surname": "Surname",
                "organization": "Example Industries",
                "roles": [
                    {"id": "5abbfcef-0eab-472a-b5f5-5c5a43df34b1", "displayName": "Read Access", "description": "Read Access"},
                    {"id": "6abbfcea-0eab-472a-b5f5-5c5a43df34b4", "displayName": "Write Access", "description": "Write Access"}
                ]
            })
        })
        .collect();
    serde_json::to_vec(&json!({
        "members": members,
        "_links": {
            "self": {"href": "https://api.bentley.com/accesscontrol/itwins/x/members/users?$skip=0&$top=1000"},
            "next": {"href": "https://api.bentley.com/accesscontrol/itwins/x/members/users?$skip=1000&$top=1000"}
        }
    }))
    .unwrap()
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainRoles {
    roles: Vec<PlainRole>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainRole {
    id: String,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    description: Option<String>,
    permissions: Option<Vec<String>>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainPage {
    members: Vec<PlainMember>,
    #[serde(rename = "_links")]
    links: PlainLinks,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainMember {
    id: String,
    email: Option<String>,
    #[serde(rename = "givenName")]
    given_name: Option<String>,
    surname: Option<String>,
    organization: Option<String>,
    roles: Option<Vec<PlainRole>>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainLinks {
    #[serde(rename = "self")]
    this: Option<PlainLink>,
    next: Option<PlainLink>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainLink {
    href: String,
}
