//! Every example payload of the five seed pages decodes through the generated types and
//! re-encodes to equal JSON: nothing the platform sends is lost or invented by the models.

use crate::support;

use itwin_platform::access_control;
use itwin_platform::runtime::ServiceErrorResponse;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use support::{seed_examples, Place};

fn round_trip<T: DeserializeOwned + Serialize>(json: &Value) -> Value {
    let decoded: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("{} does not decode {json}: {e}", std::any::type_name::<T>()));
    serde_json::to_value(&decoded).expect("models always serialize")
}

/// Checks every example of a seed page with the type `type_for` picks; returns how many.
fn check_page(prefix: &str, type_for: impl Fn(Place) -> fn(&Value) -> Value) -> usize {
    let examples = seed_examples(prefix);
    for example in &examples {
        let round_trip = type_for(example.place);
        assert_eq!(
            round_trip(&example.json),
            example.json,
            "seed {prefix}, {:?}",
            example.place
        );
    }
    examples.len()
}

#[test]
fn revoke_itwin_share_examples() {
    let n = check_page("000", |_| round_trip::<ServiceErrorResponse>);
    assert_eq!(n, 4, "401, 403, 404, 429");
}

#[test]
fn delete_itwin_image_examples() {
    let n = check_page("001", |_| round_trip::<ServiceErrorResponse>);
    assert_eq!(n, 4, "401, 403, 404, 429");
}

#[test]
fn delete_mapping_examples() {
    let n = check_page("002", |_| round_trip::<ServiceErrorResponse>);
    assert_eq!(n, 4, "401, 404, 409, 429");
}

#[test]
fn update_itwin_group_member_examples() {
    let n = check_page("003", |place| match place {
        Place::RequestBody => round_trip::<access_control::models::GroupMemberUpdate>,
        Place::Response(200) => round_trip::<access_control::models::GroupMemberResponse>,
        Place::Response(_) => round_trip::<ServiceErrorResponse>,
    });
    assert_eq!(n, 7, "request, 200, 401, 403, 404, 422, 429");
}

#[test]
fn get_itwin_roles_examples() {
    let n = check_page("004", |place| match place {
        Place::Response(200) => round_trip::<access_control::models::RolesResponse>,
        _ => round_trip::<ServiceErrorResponse>,
    });
    assert_eq!(n, 5, "200, 401, 403, 404, 429");
}

#[test]
fn decoded_examples_carry_the_documented_values() {
    let roles: access_control::models::RolesResponse =
        serde_json::from_value(support::seed_example("004", Place::Response(200))).unwrap();
    assert_eq!(roles.roles.len(), 2);
    assert_eq!(
        roles.roles[1].display_name.as_deref(),
        Some("iTwin Contributor")
    );
    assert_eq!(
        roles.roles[1].permissions.as_deref(),
        Some(&["read".to_owned(), "write".to_owned()][..])
    );

    let invalid: ServiceErrorResponse =
        serde_json::from_value(support::seed_example("003", Place::Response(422))).unwrap();
    let details = &invalid.error.details;
    assert_eq!(details.len(), 3, "the 422 example has details");
    assert_eq!(details[0].target.as_deref(), Some("roleIds"));
    assert_eq!(details[2].target, None);
}
