//! The `style` and `explode` of parameters and form body properties, as the model keeps them.

use openapiv3::{MediaType, Parameter, ParameterData, PathStyle, QueryStyle};

use crate::load::TSV_EXTENSION;
use crate::model::{FormEncoding, Style};

/// How `parameter` is written.
pub fn parameter_style(parameter: &Parameter) -> Style {
    let data = parameter.parameter_data_ref();
    match parameter {
        Parameter::Query { style, .. } => query_style(style, data.explode, data),
        Parameter::Path { style, .. } => {
            let explode = data.explode.unwrap_or(false);
            match style {
                PathStyle::Simple => Style::Simple { explode },
                PathStyle::Label => Style::Label { explode },
                PathStyle::Matrix => Style::Matrix { explode },
            }
        }
        Parameter::Header { .. } | Parameter::Cookie { .. } => Style::Simple {
            explode: data.explode.unwrap_or(false),
        },
    }
}

fn query_style(style: &QueryStyle, explode: Option<bool>, data: &ParameterData) -> Style {
    if data.extensions.get(TSV_EXTENSION).and_then(|v| v.as_str()) == Some("tsv") {
        return Style::TabDelimited;
    }
    match style {
        // `explode` defaults to true for `form` only.
        QueryStyle::Form => Style::Form {
            explode: explode.unwrap_or(true),
        },
        QueryStyle::SpaceDelimited => Style::SpaceDelimited,
        QueryStyle::PipeDelimited => Style::PipeDelimited,
        QueryStyle::DeepObject => Style::DeepObject,
    }
}

/// The properties of a form body whose `encoding` gives another style than exploded `form`.
///
/// The loader has written out `explode: true` where a `form` encoding leaves it implicit, so
/// that `explode` here is what the definition means (openapiv3 reads an absent one as false).
pub fn form_encodings(media: &MediaType) -> Vec<FormEncoding> {
    media
        .encoding
        .iter()
        .filter_map(|(property, encoding)| {
            let tsv = encoding
                .extensions
                .get(TSV_EXTENSION)
                .and_then(|v| v.as_str());
            let style = match (&encoding.style, tsv) {
                (_, Some("tsv")) => Style::TabDelimited,
                (None | Some(QueryStyle::Form), _) => Style::Form {
                    explode: encoding.explode,
                },
                (Some(QueryStyle::SpaceDelimited), _) => Style::SpaceDelimited,
                (Some(QueryStyle::PipeDelimited), _) => Style::PipeDelimited,
                (Some(QueryStyle::DeepObject), _) => Style::DeepObject,
            };
            (style != Style::Form { explode: true }).then(|| FormEncoding {
                property: property.clone(),
                style,
            })
        })
        .collect()
}
