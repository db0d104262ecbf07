//! The example's code against the mock server of `itwin-platform` (feature `test-util`):
//! typed answers, the definitions' examples, errors, retries, expectations, and the requests
//! the code sent.

use itwin_platform::access_control::models::{Role, RoleCreate, RolesResponse};
use itwin_platform::mock::MockServer;
use itwin_platform::runtime::{HttpMethod, Request};
use itwin_platform::Error;
use itwin_platform_mock_example::{ensure_role, role_names};

const ITWIN: &str = "ae8f3a5c-2d1b-4b8e-9d47-1f2a3b4c5d6e";

fn role(id: &str, name: &str) -> Role {
    let mut role = Role::new(id);
    role.display_name = Some(name.to_owned());
    role
}

#[tokio::test]
async fn a_typed_answer_reaches_the_code() {
    let mock = MockServer::start().await;
    mock.access_control()
        .get_itwin_roles()
        .id(ITWIN)
        .respond(RolesResponse::new(vec![
            role("r2", "Reader"),
            role("r1", "Admin"),
            Role::new("r3"),
        ]))
        .mount()
        .await;
    let names = role_names(&mock.client(), ITWIN).await.unwrap();
    assert_eq!(names, ["Admin", "Reader", "r3"]);
}

#[tokio::test]
async fn a_mock_for_one_id_does_not_answer_another() {
    let mock = MockServer::start().await;
    mock.access_control()
        .get_itwin_roles()
        .id("other-itwin")
        .respond(RolesResponse::new(vec![role("r1", "Admin")]))
        .mount()
        .await;
    let error = role_names(&mock.client(), ITWIN).await.unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(501));
}

#[tokio::test]
async fn the_definitions_example_answers_and_the_sent_body_is_typed() {
    let mock = MockServer::start().await;
    mock.access_control()
        .get_itwin_roles()
        .respond(RolesResponse::new(vec![role("r1", "Admin")]))
        .mount()
        .await;
    let create = mock
        .access_control()
        .create_itwin_role()
        .id(ITWIN)
        .respond_example()
        .times(1)
        .mount()
        .await;
    let id = ensure_role(&mock.client(), ITWIN, "Auditor", "Reads audit logs")
        .await
        .unwrap();
    // The id of the Access Control definition's example of a created role.
    assert_eq!(id, "faa3dca1-a901-4659-9da1-d9f29ddcc288");
    let received = create.received().await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].body,
        Some(RoleCreate::new("Auditor", "Reads audit logs"))
    );
    assert_eq!(received[0].path_param("id"), Some(ITWIN));
    assert_eq!(
        received[0].header("authorization"),
        Some(format!("Bearer {}", itwin_platform::mock::TEST_TOKEN).as_str())
    );
}

#[tokio::test]
async fn an_error_answer_is_a_typed_api_error() {
    let mock = MockServer::start().await;
    mock.access_control()
        .get_itwin_roles()
        .id(ITWIN)
        .respond_error(404, "iTwinNotFound", "Requested iTwin is not available.")
        .mount()
        .await;
    let error = role_names(&mock.client(), ITWIN).await.unwrap_err();
    let Error::Api(api) = &error else {
        panic!("not an API error: {error:?}");
    };
    assert_eq!(api.status().as_u16(), 404);
    assert_eq!(api.code(), Some("iTwinNotFound"));
    assert_eq!(api.message(), Some("Requested iTwin is not available."));
}

#[tokio::test]
async fn answers_are_served_in_order_so_a_throttled_call_is_retried() {
    let mock = MockServer::start().await;
    let roles = mock
        .access_control()
        .get_itwin_roles()
        .id(ITWIN)
        .respond_throttled(0)
        .respond(RolesResponse::new(vec![role("r1", "Admin")]))
        .times(3)
        .mount()
        .await;
    let names = role_names(&mock.client(), ITWIN).await.unwrap();
    assert_eq!(names, ["Admin"]);
    assert_eq!(roles.received().await.len(), 2);
    // The last answer is served again for every later call: three calls in all, as expected.
    assert_eq!(role_names(&mock.client(), ITWIN).await.unwrap(), ["Admin"]);
}

#[tokio::test]
#[should_panic(expected = "create-itwin-role")]
async fn an_unmet_expectation_fails_the_test() {
    let mock = MockServer::start().await;
    mock.access_control()
        .get_itwin_roles()
        .respond(RolesResponse::new(vec![role("r1", "Auditor")]))
        .mount()
        .await;
    mock.access_control()
        .create_itwin_role()
        .respond_example()
        .times(1)
        .mount()
        .await;
    // The role exists, so the code creates none: the expectation of one creation is unmet.
    ensure_role(&mock.client(), ITWIN, "Auditor", "")
        .await
        .unwrap();
    mock.verify().await;
}

#[tokio::test]
async fn an_unmocked_call_names_the_nearest_operation() {
    let mock = MockServer::start().await;
    let typo = Request::new(
        "typo",
        HttpMethod::Post,
        "/accesscontrol/itwins/{id}/rolez",
        itwin_platform::access_control::ACCEPT,
    )
    .path_param("id", &"x");
    let error = mock.client().execute_empty(typo).await.unwrap_err();
    let api = error.api().expect("an API error");
    assert_eq!(api.status().as_u16(), 501);
    assert_eq!(
        api.message(),
        Some(
            "no mock matches POST /accesscontrol/itwins/x/rolez; nearest operation: \
             create-itwin-role (POST /accesscontrol/itwins/{id}/roles)"
        )
    );
    // An operation of the SDK that no mock is mounted for is named itself.
    let error = role_names(&mock.client(), ITWIN).await.unwrap_err();
    let message = error.api().and_then(|api| api.message()).unwrap();
    assert!(
        message
            .ends_with("nearest operation: get-itwin-roles (GET /accesscontrol/itwins/{id}/roles)"),
        "{message}"
    );
}
