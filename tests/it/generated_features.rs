//! Generated operations of spec/ that use the generator's features beyond plain JSON calls,
//! against a real HTTP server on loopback: binary uploads, answers shaped by `Prefer`, OData
//! query options, date-times, three-state fields, `Location` on 201, and statuses that choose
//! the body type.

use crate::support;

use itwin_platform::itwins::models::{ITwinQueryScope, ITwinUpdate};
use itwin_platform::itwins::UploadITwinImageContentType;
use itwin_platform::runtime::{Answer, HttpMethod, Request};
use itwin_platform::{Client, Error, RetryPolicy};
use serde_json::{json, Value};
use support::spec_value;
use wiremock::matchers::{any, body_bytes, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";

async fn server() -> MockServer {
    MockServer::start().await
}

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .access_token("test-token")
        // Each test checks how one answer surfaces; retries have tests of their own.
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("valid settings")
}

fn example(file: &str, pointer: &str) -> Value {
    spec_value(file, pointer)
}

#[tokio::test]
async fn an_image_is_uploaded_as_raw_bytes_with_its_media_type() {
    let server = server().await;
    let png: Vec<u8> = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 255];
    let answer = example(
        "itwins.json",
        "/paths/~1{id}~1image/put/responses/201/content/application~1json/example",
    );
    Mock::given(method("PUT"))
        .and(path(format!("/itwins/{ITWIN}/image")))
        .and(header("content-type", "image/png"))
        .and(body_bytes(png.clone()))
        .respond_with(ResponseTemplate::new(201).set_body_json(&answer))
        .expect(1)
        .mount(&server)
        .await;

    let uploaded = client_for(&server)
        .itwins()
        .upload_itwin_image(ITWIN, UploadITwinImageContentType::ImagePng, png)
        .send()
        .await
        .expect("201 decodes");
    assert_eq!(
        serde_json::to_value(&uploaded).unwrap()["image"]["smallImageName"],
        answer["image"]["smallImageName"]
    );
}

#[tokio::test]
async fn the_builder_type_chooses_the_answer_shape_and_sends_prefer() {
    let server = server().await;
    let examples = "/paths/~1/get/responses/200/content/application~1json/examples";
    let minimal = example("itwins.json", &format!("{examples}/minimal/value"));
    let full = example("itwins.json", &format!("{examples}/representation/value"));
    Mock::given(method("GET"))
        .and(header("prefer", "return=minimal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&minimal))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(header("prefer", "return=representation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&full))
        .mount(&server)
        .await;
    let itwins = client_for(&server).itwins();

    let page = itwins
        .get_my_itwins()
        .send()
        .await
        .expect("minimal decodes");
    assert_eq!(page.itwins.len(), 1);

    let page = itwins
        .get_my_itwins()
        .representation()
        .send()
        .await
        .expect("representation decodes");
    let first = &page.itwins[0];
    // Fields only the full shape has, with their types: an instant and an open enum.
    let created = first.created_date_time.expect("createdDateTime");
    assert_eq!(created.to_rfc3339(), "2016-01-18T21:03:00.370465900+00:00");
    assert_eq!(first.status.as_ref().map(|s| s.as_str()), Some("Active"));
}

/// Get iTwin is shaped by `Prefer` like the lists (the itwins-client sends it on this call): the
/// summary by default, with the Account id the minimal iTwin carries, the full iTwin on request.
#[tokio::test]
async fn get_itwin_answers_the_summary_unless_the_representation_is_asked_for() {
    let server = server().await;
    let examples = "/paths/~1{id}/get/responses/200/content/application~1json/examples";
    let minimal = example("itwins.json", &format!("{examples}/minimal/value"));
    let full = example("itwins.json", &format!("{examples}/representation/value"));
    Mock::given(method("GET"))
        .and(path(format!("/itwins/{ITWIN}")))
        .and(header("prefer", "return=minimal"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&minimal))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(format!("/itwins/{ITWIN}")))
        .and(header("prefer", "return=representation"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&full))
        .expect(1)
        .mount(&server)
        .await;
    let itwins = client_for(&server).itwins();

    let summary = itwins
        .get_itwin(ITWIN)
        .send()
        .await
        .expect("minimal decodes");
    assert_eq!(
        summary.itwin.itwin_account_id.as_deref(),
        minimal["iTwin"]["iTwinAccountId"].as_str()
    );
    let whole = itwins
        .get_itwin(ITWIN)
        .representation()
        .send()
        .await
        .expect("representation decodes");
    assert_eq!(
        whole
            .itwin
            .geographic_location
            .as_ref()
            .and_then(|v| v.as_deref()),
        full["iTwin"]["geographicLocation"].as_str()
    );
}

/// Favorites take the same filters and query scope as Get my iTwins (as the itwins-client
/// sends them), each under its wire name.
#[tokio::test]
async fn favorites_send_the_itwin_filters_and_the_query_scope() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/itwins/favorites"))
        .and(query_param("number", "00001"))
        .and(query_param("displayName", "White River"))
        .and(query_param("parentId", "p-1"))
        .and(query_param("iTwinAccountId", "a-1"))
        .and(query_param("$search", "River"))
        .and(header("x-itwin-query-scope", "OrganizationAdmin"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"iTwins": []})))
        .expect(1)
        .mount(&server)
        .await;
    let page = client_for(&server)
        .itwins()
        .get_my_favorite_itwins()
        .number("00001")
        .display_name("White River")
        .parent_id("p-1")
        .itwin_account_id("a-1")
        .search("River")
        .x_itwin_query_scope(ITwinQueryScope::OrganizationAdmin)
        .send()
        .await
        .expect("the filtered request matches");
    assert!(page.itwins.is_empty());
}

#[tokio::test]
async fn odata_options_go_on_the_query_under_their_dollar_names() {
    let server = server().await;
    Mock::given(method("GET"))
        .and(path("/itwins/"))
        .and(query_param("$top", "10"))
        .and(query_param("$skip", "20"))
        .and(query_param("$search", "River & Co"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"iTwins": []})))
        .expect(1)
        .mount(&server)
        .await;
    client_for(&server)
        .itwins()
        .get_my_itwins()
        .top(10)
        .skip(20)
        .search("River & Co")
        .send()
        .await
        .expect("the query matches");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        Some("$search=River%20%26%20Co&$top=10&$skip=20")
    );
}

#[tokio::test]
async fn an_optional_nullable_field_is_left_out_sent_as_null_or_sent_as_a_value() {
    let server = server().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"iTwin": {"id": ITWIN}})))
        .mount(&server)
        .await;
    let mut update = ITwinUpdate::default();
    update.display_name = Some("Renamed".into());
    update.geographic_location = Some(None);
    update.latitude = Some(Some(40.5));
    client_for(&server)
        .itwins()
        .update_itwin(ITWIN, update)
        .send()
        .await
        .expect("200 decodes");
    let requests = server.received_requests().await.unwrap();
    let sent: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(
        sent,
        json!({"displayName": "Renamed", "geographicLocation": null, "latitude": 40.5})
    );
}

#[tokio::test]
async fn location_and_status_of_a_201_are_there_with_the_body() {
    let server = server().await;
    let created = example(
        "itwins.json",
        "/paths/~1/post/responses/201/content/application~1json/example",
    );
    let location = format!("https://api.bentley.com/itwins/{ITWIN}");
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(201)
                .insert_header("location", location.as_str())
                .set_body_json(&created),
        )
        .mount(&server)
        .await;
    let body = example(
        "itwins.json",
        "/paths/~1/post/requestBody/content/application~1json/example",
    );
    let answer = client_for(&server)
        .itwins()
        .create_itwin(serde_json::from_value(body).unwrap())
        .send_with_response()
        .await
        .expect("201 decodes");
    assert_eq!(answer.status().as_u16(), 201);
    assert_eq!(answer.location(), Some(location.as_str()));
    assert_eq!(
        serde_json::to_value(answer.body()).unwrap()["iTwin"]["displayName"],
        created["iTwin"]["displayName"]
    );
}

/// How a generated status enum decodes: a documented status picks its variant, any other
/// success status is a decode error that names it.
#[derive(Debug, PartialEq)]
enum JobAnswer {
    Ok(Value),
    Accepted,
}

fn job_answer(answer: &Answer) -> Result<JobAnswer, Error> {
    match answer.status() {
        200 => answer.json().map(JobAnswer::Ok),
        202 => Ok(JobAnswer::Accepted),
        _ => Err(answer.undocumented_status()),
    }
}

#[tokio::test]
async fn the_status_chooses_the_body_type() {
    let server = server().await;
    for (status, route) in [(200, "/done"), (202, "/queued"), (203, "/odd")] {
        let mut response = ResponseTemplate::new(status);
        if status != 202 {
            response = response.set_body_json(json!({"state": "done"}));
        }
        Mock::given(path(route))
            .respond_with(response)
            .mount(&server)
            .await;
    }
    let client = client_for(&server);
    let call = |route: &'static str| {
        let request = Request::new("create-job", HttpMethod::Post, route, "application/json");
        client.execute_by_status(request, job_answer)
    };
    assert_eq!(
        call("/done").await.unwrap().into_body(),
        JobAnswer::Ok(json!({"state": "done"}))
    );
    assert_eq!(
        call("/queued").await.unwrap().into_body(),
        JobAnswer::Accepted
    );
    let error = call("/odd").await.expect_err("203 is not documented");
    assert!(matches!(error, Error::Decode(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(203));
    assert!(
        error.to_string().contains("documents no 203 answer"),
        "{error}"
    );
}

#[tokio::test]
async fn a_binary_answer_comes_back_as_its_bytes() {
    let server = server().await;
    let png = vec![0x89, b'P', b'N', b'G', 0, 255, 10, 13];
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "image/png")
                .set_body_bytes(png.clone()),
        )
        .mount(&server)
        .await;
    let request = Request::new("get-thumbnail", HttpMethod::Get, "/thumbnail", "image/png");
    let answer = client_for(&server)
        .execute_bytes(request)
        .await
        .expect("200");
    assert_eq!(answer.header("content-type"), Some("image/png"));
    assert_eq!(answer.into_body(), png);
}

/// Answers each request with the next of `answers`, repeating the last.
struct InTurn(std::sync::Mutex<std::collections::VecDeque<ResponseTemplate>>);

impl InTurn {
    fn new(answers: impl IntoIterator<Item = ResponseTemplate>) -> Self {
        InTurn(std::sync::Mutex::new(answers.into_iter().collect()))
    }
}

impl wiremock::Respond for InTurn {
    fn respond(&self, _: &wiremock::Request) -> ResponseTemplate {
        let mut answers = self.0.lock().unwrap();
        match answers.len() {
            0 => ResponseTemplate::new(500),
            1 => answers[0].clone(),
            _ => answers.pop_front().unwrap(),
        }
    }
}

#[tokio::test]
async fn an_extraction_run_is_waited_for_through_its_status_operation() {
    let server = server().await;
    let imodel = "5e19bee0-3aea-4355-a9f0-c6df9989ee7d";
    let job = "jg0156461l5abeom8v1mslhlkc-cmar9d9hjof2hu4tidj4rmiur5i6crul";
    Mock::given(method("POST"))
        .and(path(format!(
            "/insights/reporting/datasources/imodels/{imodel}/extraction/run"
        )))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"run": {"id": job}})))
        .expect(1)
        .mount(&server)
        .await;
    let status = |state: &str| {
        ResponseTemplate::new(200).set_body_json(json!({"status": {
            "state": state, "reason": "", "containsIssues": false,
            "_links": {"logs": {"href": "https://api.bentley.com/insights/reporting/datasources/extraction/status/x/logs"}}
        }}))
    };
    Mock::given(method("GET"))
        .and(path(format!(
            "/insights/reporting/datasources/extraction/status/{job}"
        )))
        .respond_with(InTurn::new([
            status("Queued"),
            status("Running"),
            status("Succeeded"),
        ]))
        .expect(3)
        .mount(&server)
        .await;

    let client = client_for(&server);
    let run = client
        .insights()
        .run_extraction(imodel)
        .send()
        .await
        .unwrap();
    let done = run
        .wait(&client)
        .interval(std::time::Duration::from_millis(5))
        .await
        .expect("the run succeeds on the third poll");
    assert_eq!(
        done.status.state,
        itwin_platform::insights::models::ExtractionState::Succeeded
    );
}

#[tokio::test]
async fn an_access_control_job_that_ends_partly_completed_is_an_error_naming_the_state() {
    let server = server().await;
    let job =
        json!({"id": "fb936e1f-5a60-4fe0-8237-e7afbf47512b", "itwinId": ITWIN, "status": "Active"});
    let mut ended = job.clone();
    ended["status"] = json!("PartialCompleted");
    Mock::given(method("GET"))
        .and(path(format!(
            "/accesscontrol/itwins/{ITWIN}/jobs/fb936e1f-5a60-4fe0-8237-e7afbf47512b"
        )))
        .respond_with(InTurn::new([
            ResponseTemplate::new(200).set_body_json(&job),
            ResponseTemplate::new(200).set_body_json(&ended),
        ]))
        .expect(2)
        .mount(&server)
        .await;
    let started: itwin_platform::access_control::models::JobMinimal =
        serde_json::from_value(job).unwrap();

    let error = started
        .wait(&client_for(&server))
        .interval(std::time::Duration::from_millis(5))
        .await
        .unwrap_err();
    let Error::Wait(wait) = &error else {
        panic!("not a wait error: {error}");
    };
    assert_eq!(wait.last_state.as_deref(), Some("PartialCompleted"));
    assert_eq!(wait.operation, "get-itwin-job");
}

#[tokio::test]
async fn a_documented_error_code_is_matched_as_the_apis_enum_and_others_stay_readable() {
    use itwin_platform::itwins::models::ErrorCode;
    let server = server().await;
    let not_found = example(
        "itwins.json",
        "/paths/~1{id}~1image/delete/responses/404/content/application~1json/example",
    );
    Mock::given(method("DELETE"))
        .and(path(format!("/itwins/{ITWIN}/image")))
        .respond_with(ResponseTemplate::new(404).set_body_json(&not_found))
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path(format!("/itwins/{ITWIN}")))
        .respond_with(ResponseTemplate::new(409).set_body_json(
            json!({"error": {"code": "SomethingNew", "message": "a code added later"}}),
        ))
        .mount(&server)
        .await;
    let client = client_for(&server);

    let error = client
        .itwins()
        .delete_itwin_image(ITWIN)
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.code_as(), Some(ErrorCode::ImageNotFound));
    let error = client
        .itwins()
        .delete_itwin(ITWIN)
        .send()
        .await
        .unwrap_err();
    assert_eq!(
        error.code_as::<ErrorCode>(),
        Some(ErrorCode::Unknown("SomethingNew".to_owned()))
    );
}
