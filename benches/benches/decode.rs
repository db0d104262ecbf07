//! Decoding a 1,000-item page: through the generated types as the client decodes (with the path
//! of a failure kept), through the generated types with plain serde_json, and into an
//! equivalent plain struct.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use itwin_platform::access_control::models::UserMembersResponse;
use itwin_platform::runtime::__private::decode_json;
use itwin_platform::runtime::StatusCode;
use serde::Deserialize;
use serde_json::json;

fn page() -> Vec<u8> {
    let members: Vec<_> = (0..1000)
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
struct PlainRole {
    id: String,
    #[serde(rename = "displayName")]
    display_name: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainLinks {
    #[serde(rename = "self")]
    this: PlainLink,
    next: Option<PlainLink>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainLink {
    href: String,
}

fn decoding(c: &mut Criterion) {
    let body = page();
    let mut group = c.benchmark_group("decode");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("generated types, as the client decodes", |b| {
        b.iter(|| {
            let page: UserMembersResponse =
                decode_json("get-itwin-user-members", StatusCode::OK, black_box(&body)).unwrap();
            assert_eq!(page.members.len(), 1000);
        })
    });
    group.bench_function("generated types, serde_json", |b| {
        b.iter(|| {
            let page: UserMembersResponse = serde_json::from_slice(black_box(&body)).unwrap();
            assert_eq!(page.members.len(), 1000);
        })
    });
    group.bench_function("plain struct, serde_json", |b| {
        b.iter(|| {
            let page: PlainPage = serde_json::from_slice(black_box(&body)).unwrap();
            assert_eq!(page.members.len(), 1000);
        })
    });
    group.finish();
}

criterion_group!(benches, decoding);
criterion_main!(benches);
