//! Parameters and form bodies in their OpenAPI styles, sent to a real HTTP server on loopback
//! and read back with a decoder that keeps repeated keys (`form_urlencoded::parse`): what a
//! server sees, not only the text the runtime wrote.

use itwin_platform::runtime::{HttpMethod, PathStyle, QueryStyle, Request};
use itwin_platform::{Client, Error};
use serde::Serialize;
use serde_json::json;
use url::form_urlencoded;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[derive(Serialize)]
struct Rgb {
    #[serde(rename = "R")]
    r: u8,
    #[serde(rename = "G")]
    g: u8,
    #[serde(rename = "B")]
    b: u8,
}

const RGB: Rgb = Rgb {
    r: 100,
    g: 200,
    b: 150,
};

/// A model form such as the generator makes: arrays, a nested object, optional fields.
#[derive(Serialize)]
struct NewColor {
    name: &'static str,
    tags: Vec<&'static str>,
    ids: Vec<i64>,
    rgb: Rgb,
    public: bool,
    weight: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    comment: Option<String>,
}

/// Sends `request` to a fresh server and returns what it received.
async fn received(request: Request) -> wiremock::Request {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(server.uri())
        .access_token("test-token")
        .build()
        .expect("valid settings");
    client.execute_empty(request).await.expect("sent");
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn pairs(encoded: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(encoded).into_owned().collect()
}

fn expected(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

fn get(path: &'static str) -> Request {
    Request::new("styles", HttpMethod::Get, path, "application/json")
}

#[tokio::test]
async fn query_arrays_objects_booleans_and_numbers_arrive_as_their_style_says() {
    let request = get("/colors")
        .query("tag", Some(&vec!["a b", "c&d"]))
        .query_styled("names", QueryStyle::Form, false, Some(&["x,y", "z"]))
        .query_styled(
            "words",
            QueryStyle::SpaceDelimited,
            false,
            Some(&["p", "q"]),
        )
        .query_styled("codes", QueryStyle::PipeDelimited, false, Some(&[1, 2]))
        .query_styled("filter", QueryStyle::DeepObject, true, Some(&RGB))
        .query("spread", Some(&json!({"k": "v", "gone": null})))
        .query("on", Some(&true))
        .query("ratio", Some(&0.25))
        .query("none", None::<&Vec<i32>>);
    let request = received(request).await;
    let query = request.url.query().unwrap_or_default();
    assert_eq!(
        pairs(query.as_bytes()),
        expected(&[
            ("tag", "a b"),
            ("tag", "c&d"),
            ("names", "x,y,z"),
            ("words", "p q"),
            ("codes", "1|2"),
            ("filter[R]", "100"),
            ("filter[G]", "200"),
            ("filter[B]", "150"),
            ("k", "v"),
            ("on", "true"),
            ("ratio", "0.25"),
        ])
    );
    // A comma inside an item stays apart from the delimiters.
    assert!(query.contains("names=x%2Cy,z"), "{query}");
}

#[tokio::test]
async fn path_values_keep_their_style_and_stay_in_their_segment() {
    let request = Request::new(
        "styles",
        HttpMethod::Get,
        "/colors/{ids}/{shade}/{name}/{key}",
        "application/json",
    )
    .path_param("ids", &[1, 2, 3])
    .path_param_styled("shade", PathStyle::Matrix, true, &RGB)
    .path_param_styled("name", PathStyle::Label, false, &["a/b", "c"])
    .path_param("key", &json!({"x": "../y"}));
    let request = received(request).await;
    assert_eq!(
        request.url.path(),
        "/colors/1,2,3/;R=100;G=200;B=150/.a%2Fb,c/x,..%2Fy"
    );
    assert_eq!(request.url.path_segments().unwrap().count(), 5);
}

#[tokio::test]
async fn headers_are_written_in_the_simple_style() {
    let request = get("/colors")
        .header("X-Ids", Some(&[1, 2]))
        .header_styled("X-Mix", true, Some(&RGB))
        .header("X-Absent", None::<&bool>);
    let request = received(request).await;
    let header = |name: &str| request.headers.get(name).map(|v| v.to_str().unwrap());
    assert_eq!(header("x-ids"), Some("1,2"));
    assert_eq!(header("x-mix"), Some("R=100,G=200,B=150"));
    assert_eq!(header("x-absent"), None);
}

#[tokio::test]
async fn form_bodies_send_arrays_as_repeated_keys_and_each_encoding_in_its_style() {
    let form = NewColor {
        name: "sky blue",
        tags: vec!["a", "b&c"],
        ids: vec![1, 2],
        rgb: RGB,
        public: false,
        weight: 1.5,
        note: None,
        comment: None,
    };
    let request = Request::new("styles", HttpMethod::Post, "/colors", "application/json")
        .form_body_styled(
            Some(&form),
            &[
                ("ids", QueryStyle::Form, false),
                ("rgb", QueryStyle::DeepObject, true),
            ],
        );
    let request = received(request).await;
    assert_eq!(
        request.headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        pairs(&request.body),
        expected(&[
            ("name", "sky blue"),
            ("tags", "a"),
            ("tags", "b&c"),
            ("ids", "1,2"),
            ("rgb[R]", "100"),
            ("rgb[G]", "200"),
            ("rgb[B]", "150"),
            ("public", "false"),
            ("weight", "1.5"),
        ])
    );

    // Without encodings, the nested object's properties are spread out (form, exploded).
    let request = Request::new("styles", HttpMethod::Post, "/colors", "application/json")
        .form_body(Some(&json!({"ids": [3, 4], "rgb": {"R": 1}})));
    let request = received(request).await;
    assert_eq!(
        pairs(&request.body),
        expected(&[("ids", "3"), ("ids", "4"), ("R", "1")])
    );
}

#[tokio::test]
async fn a_value_that_cannot_be_serialized_is_an_invalid_request_naming_the_parameter() {
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .access_token("test-token")
        .build()
        .expect("valid settings");
    // JSON objects need string keys.
    let bad: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
    let error = client
        .execute_empty(get("/colors").query("pairs", Some(&bad)))
        .await
        .unwrap_err();
    match error {
        Error::InvalidRequest { reason, .. } => {
            assert!(reason.contains("`pairs`"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    let error = client
        .execute_empty(get("/colors").form_body(Some(&[1, 2])))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest { .. }), "{error:?}");
}
