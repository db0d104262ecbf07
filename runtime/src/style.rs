//! Parameter values on the wire as the OpenAPI `style` and `explode` of a parameter say, for any
//! `Serialize` value: a primitive, an array or an object.
//!
//! The value is first turned into JSON, so that every model type (structs, `oneOf` enums, maps)
//! is written the way its JSON is: booleans as `true`/`false`, numbers as JSON writes them,
//! enums as their wire value. Nulls (and so `None` fields) are left out. An array or object
//! nested inside another has no style of its own; it is written as compact JSON, except under
//! `deepObject`, which nests (`filter[range][min]=1`).
//!
//! Each function returns text already percent-encoded for where it goes, with the style's
//! delimiters (`,` `.` `;` `=` `|`, `[` `]`) left as they are and the same characters inside
//! values encoded, so that a server can split the value again.

use std::borrow::Cow;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::Serialize;
use serde_json::{Map, Value};

/// Everything but RFC 3986 unreserved characters: a path parameter stays one segment.
const PATH_SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The bytes [`PATH_SEGMENT`] leaves as they are (RFC 3986 unreserved), as a table.
const UNRESERVED: [bool; 256] = {
    let mut table = [false; 256];
    let mut b: u8 = 0;
    loop {
        table[b as usize] = b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~');
        if b == u8::MAX {
            break table;
        }
        b += 1;
    }
};

/// Query names and values: as a path segment, but OData's `$top` and lists stay readable.
const QUERY_COMPONENT: &AsciiSet = &PATH_SEGMENT
    .remove(b'$')
    .remove(b',')
    .remove(b':')
    .remove(b'\'');

/// One item of a comma-separated query value: a comma inside it must not read as a delimiter.
const QUERY_ITEM: &AsciiSet = &QUERY_COMPONENT.add(b',');

/// How a query parameter or a form body property is written (`style` of the definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryStyle {
    /// `color=blue`; an array as `color=blue&color=black` (exploded) or `color=blue,black`.
    Form,
    /// An array as `color=blue%20black`.
    SpaceDelimited,
    /// An array as `color=blue|black`.
    PipeDelimited,
    /// An array as `color=blue%09black`: Swagger 2.0's `collectionFormat: tsv`.
    TabDelimited,
    /// An object as `color[R]=100&color[G]=200`.
    DeepObject,
}

/// How a path parameter is written (`style` of the definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathStyle {
    /// `blue`, `blue,black`, `R,100,G,200` (exploded: `R=100,G=200`).
    Simple,
    /// `.blue`, `.blue,black` (exploded: `.blue.black`).
    Label,
    /// `;color=blue`, `;color=blue,black` (exploded: `;color=blue;color=black`).
    Matrix,
}

/// Where query-like pairs go: the URL's query, or an `application/x-www-form-urlencoded` body
/// (which writes a space as `+` and encodes every delimiter inside values).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PairTarget {
    Query,
    FormBody,
}

/// `value` as JSON, the form every style is defined on.
pub(super) fn to_json(value: &impl Serialize) -> Result<Value, String> {
    serde_json::to_value(value).map_err(|e| e.to_string())
}

/// A primitive's text; arrays and objects nested in a styled value are written as JSON.
fn text(value: &Value) -> Cow<'_, str> {
    match value {
        Value::String(s) => Cow::Borrowed(s),
        Value::Null => Cow::Borrowed(""),
        Value::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Value::Number(n) => Cow::Owned(n.to_string()),
        nested => Cow::Owned(nested.to_string()),
    }
}

fn present(items: &[Value]) -> impl Iterator<Item = &Value> {
    items.iter().filter(|v| !v.is_null())
}

fn present_entries(map: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    map.iter().filter(|(_, v)| !v.is_null())
}

/// The text of a path (percent-encoded, one segment) or header (as is) value in the `simple`,
/// `label` or `matrix` style of RFC 6570; `None` for a null.
pub(super) fn expand(
    name: &str,
    style: PathStyle,
    explode: bool,
    value: &Value,
    encode: fn(&str) -> Cow<'_, str>,
) -> Option<String> {
    let (prefix, separator) = match (style, explode) {
        (PathStyle::Simple, _) | (_, false) => ("", ","),
        (PathStyle::Label, true) => (".", "."),
        (PathStyle::Matrix, true) => (";", ";"),
    };
    // What goes before the value: `.` for label, `;color=` for matrix (`;color` alone when the
    // value is empty).
    let lead = |empty: bool| match style {
        PathStyle::Simple => String::new(),
        PathStyle::Label => ".".to_owned(),
        PathStyle::Matrix if empty => format!(";{}", encode(name)),
        PathStyle::Matrix => format!(";{}=", encode(name)),
    };
    let parts: Vec<String> = match value {
        Value::Null => return None,
        Value::Array(items) => {
            let items = present(items).map(|item| encode(&text(item)).into_owned());
            match (style, explode) {
                (PathStyle::Matrix, true) => {
                    let name = encode(name);
                    items.map(|item| format!("{name}={item}")).collect()
                }
                _ => items.collect(),
            }
        }
        Value::Object(map) => present_entries(map)
            .flat_map(|(key, value)| {
                let key = encode(key).into_owned();
                let value = encode(&text(value)).into_owned();
                if explode {
                    vec![format!("{key}={value}")]
                } else {
                    vec![key, value]
                }
            })
            .collect(),
        primitive => {
            let text = encode(&text(primitive)).into_owned();
            return Some(format!("{}{text}", lead(text.is_empty())));
        }
    };
    Some(if explode && style != PathStyle::Simple {
        format!("{prefix}{}", parts.join(separator))
    } else {
        format!("{}{}", lead(parts.is_empty()), parts.join(separator))
    })
}

/// [`expand`] of a value made for it: a `simple` string is moved into the result when it needs
/// no encoding, not copied.
pub(super) fn expand_value(
    name: &str,
    style: PathStyle,
    explode: bool,
    value: Value,
    encode: fn(&str) -> Cow<'_, str>,
) -> Option<String> {
    match value {
        Value::String(text) if style == PathStyle::Simple => {
            let encoded = match encode(&text) {
                Cow::Owned(encoded) => Some(encoded),
                Cow::Borrowed(_) => None,
            };
            Some(encoded.unwrap_or(text))
        }
        value => expand(name, style, explode, &value, encode),
    }
}

/// Percent-encoding of one path segment.
pub(super) fn path_encode(text: &str) -> Cow<'_, str> {
    // Ids are made of unreserved characters only: a table look-up per byte finds that out
    // faster than the encoder's own scan.
    if text.bytes().all(|b| UNRESERVED[usize::from(b)]) {
        return Cow::Borrowed(text);
    }
    utf8_percent_encode(text, PATH_SEGMENT).into()
}

/// Header values are not percent-encoded; the header check refuses what a header cannot hold.
pub(super) fn header_encode(text: &str) -> Cow<'_, str> {
    Cow::Borrowed(text)
}

/// The `name=value` pairs (each part encoded for `target`) of a query parameter or a form body
/// property, appended to `out`.
pub(super) fn pairs(
    name: &str,
    style: QueryStyle,
    explode: bool,
    value: &Value,
    target: PairTarget,
    out: &mut Vec<(String, String)>,
) {
    let encode = |text: &str, in_list: bool| -> String {
        match target {
            PairTarget::Query if in_list => utf8_percent_encode(text, QUERY_ITEM).to_string(),
            PairTarget::Query => utf8_percent_encode(text, QUERY_COMPONENT).to_string(),
            PairTarget::FormBody => url::form_urlencoded::byte_serialize(text.as_bytes()).collect(),
        }
    };
    let delimiter = match style {
        QueryStyle::SpaceDelimited => encode(" ", false),
        QueryStyle::PipeDelimited => "|".to_owned(),
        QueryStyle::TabDelimited => encode("\t", false),
        QueryStyle::Form | QueryStyle::DeepObject => ",".to_owned(),
    };
    match value {
        Value::Null => {}
        Value::Array(items) => {
            let items: Vec<String> = present(items)
                .map(|item| encode(&text(item), !explode))
                .collect();
            if items.is_empty() {
                return;
            }
            let name = encode(name, false);
            // Only the form style has an exploded array; deepObject defines none, and is sent
            // as an exploded form rather than not at all.
            if explode && matches!(style, QueryStyle::Form | QueryStyle::DeepObject) {
                out.extend(items.into_iter().map(|item| (name.clone(), item)));
            } else {
                out.push((name, items.join(&delimiter)));
            }
        }
        Value::Object(map) => match style {
            QueryStyle::DeepObject => deep_object(&encode(name, false), map, &encode, out),
            QueryStyle::Form if explode => out.extend(
                present_entries(map)
                    .map(|(key, value)| (encode(key, false), encode(&text(value), false))),
            ),
            _ => {
                let parts: Vec<String> = present_entries(map)
                    .flat_map(|(key, value)| [encode(key, true), encode(&text(value), true)])
                    .collect();
                if !parts.is_empty() {
                    out.push((encode(name, false), parts.join(&delimiter)));
                }
            }
        },
        primitive => out.push((encode(name, false), encode(&text(primitive), false))),
    }
}

/// `prefix[key]=value` for each property, nesting into inner objects (`prefix[a][b]=value`) and
/// repeating the name for each item of an inner array.
fn deep_object(
    prefix: &str,
    map: &Map<String, Value>,
    encode: &dyn Fn(&str, bool) -> String,
    out: &mut Vec<(String, String)>,
) {
    for (key, value) in present_entries(map) {
        let name = format!("{prefix}[{}]", encode(key, false));
        match value {
            Value::Object(inner) => deep_object(&name, inner, encode, out),
            Value::Array(items) => {
                out.extend(present(items).map(|item| (name.clone(), encode(&text(item), false))))
            }
            primitive => out.push((name, encode(&text(primitive), false))),
        }
    }
}

/// The pairs of an `application/x-www-form-urlencoded` body: each property of `body` (an
/// object) written in its own style, `form` and exploded unless `encodings` names it.
pub(super) fn form_pairs(
    body: &Value,
    encodings: &[(&str, QueryStyle, bool)],
) -> Result<Vec<(String, String)>, String> {
    let Value::Object(map) = body else {
        return Err("a form body must be an object (a struct or a map)".to_owned());
    };
    let mut out = Vec::new();
    for (name, value) in map {
        let (style, explode) = encodings
            .iter()
            .find(|(n, _, _)| n == name)
            .map_or((QueryStyle::Form, true), |(_, style, explode)| {
                (*style, *explode)
            });
        pairs(name, style, explode, value, PairTarget::FormBody, &mut out);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    //! The rows of the style examples table of the OpenAPI Specification (3.0.4 and 3.1.1,
    //! which follow RFC 6570 for `label`): a parameter `color` that is empty, `blue`,
    //! `["blue", "black", "brown"]` or `{"R": 100, "G": 200, "B": 150}`.

    use super::*;

    #[test]
    fn the_unreserved_shortcut_encodes_as_the_encoder_does() {
        for c in (0u8..=255).map(char::from).chain(['€']) {
            let text = format!("a{c}b");
            let encoded = utf8_percent_encode(&text, PATH_SEGMENT).to_string();
            assert_eq!(path_encode(&text), encoded, "{c:?}");
        }
    }
    use serde_json::json;

    fn empty() -> Value {
        json!("")
    }
    fn string() -> Value {
        json!("blue")
    }
    fn array() -> Value {
        json!(["blue", "black", "brown"])
    }
    fn object() -> Value {
        json!({"R": 100, "G": 200, "B": 150})
    }

    fn path(style: PathStyle, explode: bool, value: Value) -> String {
        expand("color", style, explode, &value, path_encode).unwrap()
    }

    fn query(style: QueryStyle, explode: bool, value: Value) -> String {
        let mut out = Vec::new();
        pairs("color", style, explode, &value, PairTarget::Query, &mut out);
        let parts: Vec<String> = out.into_iter().map(|(n, v)| format!("{n}={v}")).collect();
        parts.join("&")
    }

    #[test]
    fn matrix() {
        use PathStyle::Matrix;
        assert_eq!(path(Matrix, false, empty()), ";color");
        assert_eq!(path(Matrix, false, string()), ";color=blue");
        assert_eq!(path(Matrix, false, array()), ";color=blue,black,brown");
        assert_eq!(path(Matrix, false, object()), ";color=R,100,G,200,B,150");
        assert_eq!(path(Matrix, true, empty()), ";color");
        assert_eq!(path(Matrix, true, string()), ";color=blue");
        assert_eq!(
            path(Matrix, true, array()),
            ";color=blue;color=black;color=brown"
        );
        assert_eq!(path(Matrix, true, object()), ";R=100;G=200;B=150");
    }

    #[test]
    fn label() {
        use PathStyle::Label;
        assert_eq!(path(Label, false, empty()), ".");
        assert_eq!(path(Label, false, string()), ".blue");
        assert_eq!(path(Label, false, array()), ".blue,black,brown");
        assert_eq!(path(Label, false, object()), ".R,100,G,200,B,150");
        assert_eq!(path(Label, true, empty()), ".");
        assert_eq!(path(Label, true, string()), ".blue");
        assert_eq!(path(Label, true, array()), ".blue.black.brown");
        assert_eq!(path(Label, true, object()), ".R=100.G=200.B=150");
    }

    #[test]
    fn simple() {
        use PathStyle::Simple;
        assert_eq!(path(Simple, false, string()), "blue");
        assert_eq!(path(Simple, false, array()), "blue,black,brown");
        assert_eq!(path(Simple, false, object()), "R,100,G,200,B,150");
        assert_eq!(path(Simple, true, string()), "blue");
        assert_eq!(path(Simple, true, array()), "blue,black,brown");
        assert_eq!(path(Simple, true, object()), "R=100,G=200,B=150");
    }

    #[test]
    fn form() {
        use QueryStyle::Form;
        assert_eq!(query(Form, false, empty()), "color=");
        assert_eq!(query(Form, false, string()), "color=blue");
        assert_eq!(query(Form, false, array()), "color=blue,black,brown");
        assert_eq!(query(Form, false, object()), "color=R,100,G,200,B,150");
        assert_eq!(query(Form, true, empty()), "color=");
        assert_eq!(query(Form, true, string()), "color=blue");
        assert_eq!(
            query(Form, true, array()),
            "color=blue&color=black&color=brown"
        );
        assert_eq!(query(Form, true, object()), "R=100&G=200&B=150");
    }

    #[test]
    fn space_pipe_and_tab_delimited() {
        use QueryStyle::{PipeDelimited, SpaceDelimited, TabDelimited};
        assert_eq!(
            query(SpaceDelimited, false, array()),
            "color=blue%20black%20brown"
        );
        assert_eq!(
            query(SpaceDelimited, false, object()),
            "color=R%20100%20G%20200%20B%20150"
        );
        assert_eq!(
            query(PipeDelimited, false, array()),
            "color=blue|black|brown"
        );
        assert_eq!(
            query(PipeDelimited, false, object()),
            "color=R|100|G|200|B|150"
        );
        assert_eq!(
            query(TabDelimited, false, array()),
            "color=blue%09black%09brown"
        );
    }

    #[test]
    fn deep_object() {
        assert_eq!(
            query(QueryStyle::DeepObject, true, object()),
            "color[R]=100&color[G]=200&color[B]=150"
        );
        let nested = json!({"range": {"min": 1, "max": null}, "tags": ["a b", "c"]});
        assert_eq!(
            query(QueryStyle::DeepObject, true, nested),
            "color[range][min]=1&color[tags]=a%20b&color[tags]=c"
        );
    }

    #[test]
    fn delimiters_inside_values_are_encoded() {
        let values = json!(["a,b", "c|d", "e f"]);
        assert_eq!(
            query(QueryStyle::Form, false, values.clone()),
            "color=a%2Cb,c%7Cd,e%20f"
        );
        assert_eq!(
            query(QueryStyle::PipeDelimited, false, values.clone()),
            "color=a%2Cb|c%7Cd|e%20f"
        );
        assert_eq!(
            path(PathStyle::Matrix, false, values),
            ";color=a%2Cb,c%7Cd,e%20f"
        );
        assert_eq!(
            path(PathStyle::Simple, true, json!({"k=": "v/;"})),
            "k%3D=v%2F%3B"
        );
    }

    #[test]
    fn primitives_are_written_as_json_writes_them_and_nulls_are_left_out() {
        let value = json!({"on": true, "off": false, "n": 1.5, "i": -3, "gone": null});
        assert_eq!(
            query(QueryStyle::Form, true, value),
            "on=true&off=false&n=1.5&i=-3"
        );
        assert_eq!(query(QueryStyle::Form, true, Value::Null), "");
        assert_eq!(query(QueryStyle::Form, false, json!([])), "");
        assert_eq!(
            query(QueryStyle::Form, true, json!([1, null, 2])),
            "color=1&color=2"
        );
        assert_eq!(
            query(QueryStyle::Form, true, json!([[1, 2]])),
            "color=%5B1,2%5D"
        );
    }

    #[test]
    fn headers_are_simple_and_not_percent_encoded() {
        let header = |explode, value: Value| {
            expand("X", PathStyle::Simple, explode, &value, header_encode).unwrap()
        };
        assert_eq!(header(false, array()), "blue,black,brown");
        assert_eq!(header(true, object()), "R=100,G=200,B=150");
        assert_eq!(header(false, json!("a b/c")), "a b/c");
    }

    #[test]
    fn form_bodies_take_each_property_in_its_own_style() {
        let body = json!({"tags": ["a b", "c&d"], "ids": [1, 2], "filter": {"x": 1}, "n": null});
        let encodings = [
            ("ids", QueryStyle::Form, false),
            ("filter", QueryStyle::DeepObject, true),
        ];
        let pairs = form_pairs(&body, &encodings).unwrap();
        let text: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={v}")).collect();
        assert_eq!(text.join("&"), "tags=a+b&tags=c%26d&ids=1,2&filter[x]=1");
        assert!(form_pairs(&json!([1]), &[]).is_err());
    }
}
