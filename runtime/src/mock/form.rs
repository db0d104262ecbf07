//! Decoding of a received `application/x-www-form-urlencoded` body into the operation's body
//! type, the way the client writes it: a list in the default style (`form`, exploded) is the
//! name repeated, `tags=a&tags=b`, which a plain URL-encoded deserializer cannot read into a
//! `Vec`. Here the values of each name are kept together, and the target type says what they
//! are: a sequence takes them all (one value is a list of one), anything else exactly one,
//! parsed from its text as the client wrote it (numbers and booleans as JSON writes them).

use serde::de::value::{Error, MapDeserializer, SeqDeserializer, StringDeserializer};
use serde::de::{DeserializeOwned, Error as _, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;

/// Decodes `bytes` (`name=value` pairs joined with `&`) into `T`.
pub(super) fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut names: Vec<(String, Values)> = Vec::new();
    for (name, value) in url::form_urlencoded::parse(bytes) {
        match names.iter_mut().find(|(known, _)| *known == name) {
            Some((_, values)) => values.0.push(value.into_owned()),
            None => names.push((name.into_owned(), Values(vec![value.into_owned()]))),
        }
    }
    T::deserialize(MapDeserializer::new(names.into_iter()))
}

/// The values a name had in the form, in order.
struct Values(Vec<String>);

impl Values {
    /// The one value a field that is not a sequence takes.
    fn single(self) -> Result<String, Error> {
        let count = self.0.len();
        let mut values = self.0.into_iter();
        match (values.next(), count) {
            (Some(value), 1) => Ok(value),
            _ => Err(Error::custom(format_args!(
                "expected one value, found {count}"
            ))),
        }
    }
}

impl<'de> IntoDeserializer<'de, Error> for Values {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// `deserialize_<type>` methods that parse the single value's text.
macro_rules! parse_single {
    ($($method:ident => $visit:ident,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let text = self.single()?;
            let value = text
                .parse()
                .map_err(|e| Error::custom(format_args!("`{text}`: {e}")))?;
            visitor.$visit(value)
        }
    )*};
}

impl<'de> serde::Deserializer<'de> for Values {
    type Error = Error;

    /// Without a type to say, one value is text and several a sequence.
    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.0.len() == 1 {
            visitor.visit_string(self.single()?)
        } else {
            self.deserialize_seq(visitor)
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        // Each item is a `Values` of one, so that items are parsed as single fields are.
        let items = self.0.into_iter().map(|item| Values(vec![item]));
        visitor.visit_seq(SeqDeserializer::new(items))
    }

    /// A name that is present has a value: absent ones are the missing `None` fields.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    /// A unit variant named by the value.
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let variant: StringDeserializer<Error> = self.single()?.into_deserializer();
        visitor.visit_enum(variant)
    }

    parse_single! {
        deserialize_bool => visit_bool,
        deserialize_i8 => visit_i8,
        deserialize_i16 => visit_i16,
        deserialize_i32 => visit_i32,
        deserialize_i64 => visit_i64,
        deserialize_i128 => visit_i128,
        deserialize_u8 => visit_u8,
        deserialize_u16 => visit_u16,
        deserialize_u32 => visit_u32,
        deserialize_u64 => visit_u64,
        deserialize_u128 => visit_u128,
        deserialize_f32 => visit_f32,
        deserialize_f64 => visit_f64,
        deserialize_char => visit_char,
    }

    forward_to_deserialize_any! {
        str string bytes byte_buf unit unit_struct tuple tuple_struct map struct identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    use super::*;
    use crate::request::Body;
    use crate::{HttpMethod, Request};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "lowercase")]
    enum Kind {
        Drawing,
        Photo,
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Upload {
        title: String,
        pages: i32,
        draft: bool,
        kind: Kind,
        tags: Vec<String>,
        sizes: Option<Vec<u64>>,
        single: Vec<String>,
        note: Option<String>,
    }

    /// The body the client sends for `body`.
    fn sent(body: &impl Serialize) -> Vec<u8> {
        let request = Request::new("upload", HttpMethod::Post, "/uploads", "application/json")
            .form_body(Some(body));
        match request.body {
            Some(Body::Bytes { bytes, .. }) => bytes.to_vec(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn what_the_client_sends_decodes_back_with_its_lists() {
        let upload = Upload {
            title: "Site plan & notes".into(),
            pages: -12,
            draft: true,
            kind: Kind::Photo,
            tags: vec!["north".into(), "a b".into(), "c=d".into()],
            sizes: Some(vec![1, 2]),
            single: vec!["only".into()],
            note: None,
        };
        let bytes = sent(&upload);
        assert!(
            String::from_utf8_lossy(&bytes).contains("tags=north&tags=a+b&tags=c%3Dd"),
            "a list is the name repeated"
        );
        assert_eq!(decode::<Upload>(&bytes).unwrap(), upload);
    }

    #[test]
    fn a_field_that_takes_one_value_refuses_several() {
        #[derive(Debug, Deserialize)]
        struct One {
            #[allow(dead_code, reason = "only decoded")]
            n: i32,
        }
        let error = decode::<One>(b"n=1&n=2").unwrap_err().to_string();
        assert!(error.contains("expected one value, found 2"), "{error}");
        assert!(decode::<One>(b"n=x").is_err());
    }
}
