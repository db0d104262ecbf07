//! The five seed operations called through the generated client against a real HTTP server
//! on loopback: what goes over the wire, and how every documented answer is decoded.

use crate::support;

use std::time::Duration;

use itwin_platform::access_control::models::GroupMemberUpdate;
use itwin_platform::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use support::{seed_errors, seed_example, Place};
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test-token-0123456789";
const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";
const V1: &str = "application/vnd.bentley.itwin-platform.v1+json";
const V2: &str = "application/vnd.bentley.itwin-platform.v2+json";

async fn server_answering(status: u16, body: Option<&Value>) -> MockServer {
    let server = MockServer::start().await;
    let mut response = ResponseTemplate::new(status);
    if let Some(body) = body {
        response = response.set_body_json(body);
    }
    if status == 429 {
        response = response.insert_header("retry-after", "30");
    }
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token(TOKEN)
        // Each test checks how one answer surfaces; retries have tests of their own.
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid settings")
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    requests.remove(0)
}

fn assert_common_headers(request: &Request, accept: &str) {
    let header = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        header("authorization").as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(header("accept").as_deref(), Some(accept));
}

/// Checks that a documented error answer surfaces with its status, code, message, target and details.
fn assert_api_error(error: Error, status: u16, body: &Value) {
    let api = error
        .api()
        .unwrap_or_else(|| panic!("expected an API error, got {error:?}"));
    let documented = &body["error"];
    assert_eq!(api.status().as_u16(), status);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    assert_eq!(error.code(), documented["code"].as_str());
    assert_eq!(api.message(), documented["message"].as_str());
    assert_eq!(api.target(), documented["target"].as_str());
    let details = documented["details"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(api.details().len(), details.len());
    for (got, want) in api.details().iter().zip(&details) {
        assert_eq!(Some(got.code.as_str()), want["code"].as_str());
        assert_eq!(Some(got.message.as_str()), want["message"].as_str());
        assert_eq!(got.target.as_deref(), want["target"].as_str());
    }
    let expected_wait = (status == 429).then(|| Duration::from_secs(30));
    assert_eq!(api.retry_after(), expected_wait);
    let text = error.to_string();
    assert!(
        text.contains(documented["code"].as_str().unwrap()),
        "{text}"
    );
    assert!(
        !text.contains(TOKEN) && !format!("{error:?}").contains(TOKEN),
        "the token leaked: {error:?}"
    );
}

#[tokio::test]
async fn get_itwin_roles_sends_get_and_decodes_the_roles() {
    let page = seed_example("004", Place::Response(200));
    let server = server_answering(200, Some(&page)).await;

    let roles = client_for(&server)
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect("200 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        request.url.path(),
        format!("/accesscontrol/itwins/{ITWIN}/roles")
    );
    assert_eq!(request.url.query(), None);
    assert_common_headers(&request, V2);
    assert!(request.body.is_empty());
    assert_eq!(roles.roles.len(), 2);
    assert_eq!(roles.roles[0].id, "752b5a3d-b9f2-4845-824a-99dd310b4898");
    assert_eq!(roles.roles[0].display_name.as_deref(), Some("iTwin Reader"));
    assert_eq!(serde_json::to_value(&roles).unwrap(), page);
}

#[tokio::test]
async fn update_itwin_group_member_sends_the_role_ids_and_decodes_the_member() {
    let body = seed_example("003", Place::RequestBody);
    let answer = seed_example("003", Place::Response(200));
    let server = server_answering(200, Some(&answer)).await;
    let group = "99cf5e21-735c-4598-99eb-fe3940f96353";
    let role_ids = vec![
        "e968b640-02c4-41ef-b4f0-935918a82af3".to_owned(),
        "63e3533c-eb6d-48ee-a2b3-3a6c724340f2".to_owned(),
    ];

    let response = client_for(&server)
        .access_control()
        .update_itwin_group_member(ITWIN, group, GroupMemberUpdate::new(role_ids))
        .send_with_response()
        .await
        .expect("200 decodes");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(
        request.url.path(),
        format!("/accesscontrol/itwins/{ITWIN}/members/groups/{group}")
    );
    assert_common_headers(&request, V2);
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/json"
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&request.body).unwrap(),
        body
    );
    assert_eq!(response.status().as_u16(), 200);
    let member = &response.body().member;
    assert_eq!(member.id, group);
    assert_eq!(member.group_name.as_deref(), Some("Sample Group"));
    assert_eq!(member.roles.as_ref().map(Vec::len), Some(2));
}

#[tokio::test]
async fn revoke_itwin_share_sends_delete_and_accepts_204() {
    let server = server_answering(204, None).await;
    let share = "c2a4f0f0-8e3e-4f1b-a9d2-5b7e1c3d9f11";

    client_for(&server)
        .access_control()
        .revoke_itwin_share(ITWIN, share)
        .send()
        .await
        .expect("204 is success");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        request.url.path(),
        format!("/accesscontrol/itwins/{ITWIN}/shares/{share}")
    );
    assert_common_headers(&request, V2);
}

#[tokio::test]
async fn delete_itwin_image_sends_delete_with_the_v1_media_type() {
    let server = server_answering(204, None).await;

    let response = client_for(&server)
        .itwins()
        .delete_itwin_image(ITWIN)
        .send_with_response()
        .await
        .expect("204");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), format!("/itwins/{ITWIN}/image"));
    assert_common_headers(&request, V1);
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn delete_mapping_sends_delete_under_the_reporting_base_path() {
    let server = server_answering(204, None).await;
    let (imodel, mapping) = (
        "70a3d6d3-5385-4bc3-87c4-b6bf106e1c0a",
        "ddac51e3-3d37-4407-816e-52b9fc80d70a",
    );

    client_for(&server)
        .insights()
        .delete_mapping(imodel, mapping)
        .send()
        .await
        .expect("204");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(
        request.url.path(),
        format!("/insights/reporting/datasources/imodels/{imodel}/mappings/{mapping}")
    );
    assert_common_headers(&request, V1);
}

/// Runs `call` against a server answering each documented error of seed `prefix`.
async fn check_documented_errors<F, Fut>(prefix: &str, expected_statuses: &[u16], call: F)
where
    F: Fn(Client) -> Fut,
    Fut: std::future::Future<Output = Result<(), Error>>,
{
    let errors = seed_errors(prefix);
    let statuses: Vec<u16> = errors.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        statuses, expected_statuses,
        "documented errors of seed {prefix}"
    );
    for (status, body) in errors {
        let server = server_answering(status, Some(&body)).await;
        let error = call(client_for(&server))
            .await
            .expect_err("an error status fails the call");
        assert_api_error(error, status, &body);
    }
}

#[tokio::test]
async fn revoke_itwin_share_errors_are_typed() {
    check_documented_errors("000", &[401, 403, 404, 429], |c| async move {
        c.access_control()
            .revoke_itwin_share(ITWIN, "s")
            .send()
            .await
    })
    .await;
}

#[tokio::test]
async fn delete_itwin_image_errors_are_typed() {
    check_documented_errors("001", &[401, 403, 404, 429], |c| async move {
        c.itwins().delete_itwin_image(ITWIN).send().await
    })
    .await;
}

#[tokio::test]
async fn delete_mapping_errors_are_typed_with_their_target() {
    check_documented_errors("002", &[401, 404, 409, 429], |c| async move {
        c.insights().delete_mapping("m", "n").send().await
    })
    .await;
}

#[tokio::test]
async fn update_itwin_group_member_errors_are_typed_with_their_details() {
    check_documented_errors("003", &[401, 403, 404, 422, 429], |c| async move {
        let body = GroupMemberUpdate::new(vec!["r".to_owned()]);
        c.access_control()
            .update_itwin_group_member(ITWIN, "g", body)
            .send()
            .await
            .map(drop)
    })
    .await;
}

#[tokio::test]
async fn get_itwin_roles_errors_are_typed() {
    check_documented_errors("004", &[401, 403, 404, 429], |c| async move {
        c.access_control()
            .get_itwin_roles(ITWIN)
            .send()
            .await
            .map(drop)
    })
    .await;
}

#[tokio::test]
async fn hostile_ids_stay_inside_their_path_segment() {
    let server = server_answering(204, None).await;
    let client = client_for(&server);
    for (id, encoded) in [
        ("../../x", "..%2F..%2Fx"),
        ("a/b?c=d#e", "a%2Fb%3Fc%3Dd%23e"),
        ("a b\r\nX: y", "a%20b%0D%0AX%3A%20y"),
    ] {
        client
            .itwins()
            .delete_itwin_image(id)
            .send()
            .await
            .expect("sent");
        let requests = server.received_requests().await.unwrap();
        let last = requests.last().unwrap();
        assert_eq!(last.url.path(), format!("/itwins/{encoded}/image"));
        assert_eq!(last.url.query(), None);
    }
    let refused = client
        .itwins()
        .delete_itwin_image("..")
        .send()
        .await
        .expect_err("a dot segment is refused");
    assert!(
        matches!(refused, Error::InvalidRequest { .. }),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_body_that_does_not_match_the_definition_is_a_decode_error_with_its_position() {
    let server = server_answering(200, Some(&json!({"roles": [{"id": 42}]}))).await;

    let error = client_for(&server)
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("id must be a string");

    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}")
    };
    assert_eq!(decode.operation(), "get-itwin-roles");
    assert_eq!(decode.status().as_u16(), 200);
    assert_eq!(decode.path(), "roles[0].id");
    assert!(decode.excerpt().contains("42"), "{}", decode.excerpt());
    assert!(error.to_string().contains("roles[0].id"), "{error}");
}

#[tokio::test]
async fn an_error_body_in_another_format_keeps_the_raw_body() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path(format!("/accesscontrol/itwins/{ITWIN}/roles")))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .mount(&server)
        .await;

    let error = client_for(&server)
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("502");

    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 502);
    assert_eq!(api.code(), None);
    assert_eq!(api.body(), b"<html>Bad gateway</html>");
    assert!(error.to_string().contains("Bad gateway"), "{error}");
}

#[tokio::test]
async fn a_token_with_a_line_break_is_refused_before_sending() {
    let server = server_answering(200, Some(&json!({"roles": []}))).await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("abc\r\nX-Injected: 1")
        .build()
        .unwrap();

    let error = client
        .access_control()
        .get_itwin_roles(ITWIN)
        .send()
        .await
        .expect_err("refused");

    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
    assert!(
        !error.to_string().contains("abc"),
        "the token leaked: {error}"
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}
