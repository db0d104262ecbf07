//! A `multipart/form-data` request body as typed parts: one field per property of its object
//! schema, each sent the way OpenAPI 3.0 says (text, JSON, a file, or one part per item), with
//! the content type and headers of the media type's `encoding` object.

use openapiv3::{MediaType, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind, Type};

use super::Builder;
use crate::diagnostics::Result;
use crate::model::{FormPart, MultipartForm, PartHeader, PartKind, TypeRef};
use crate::names;
use crate::pointer::Pointer;

/// Part headers the form itself writes: `Content-Type` comes from the encoding's
/// `contentType` (the specification says to ignore it among the headers), and
/// `Content-Disposition` carries the part's name and file name.
const FORM_HEADERS: &[&str] = &["content-type", "content-disposition"];

impl Builder<'_> {
    /// The typed parts of a multipart body at `at` (its media type object); `None`, with a
    /// warning, when its schema is not an object with properties: the caller then fills a
    /// `MultipartForm` of the runtime.
    pub(super) fn multipart(
        &mut self,
        media: &MediaType,
        type_name: &str,
        at: &Pointer,
    ) -> Result<Option<MultipartForm>> {
        let schema_at = at.push("schema");
        let resolved = match &media.schema {
            Some(schema) => Some(self.resolved_schema(schema, &schema_at)?),
            None => None,
        };
        let object = match &resolved {
            Some((schema, object_at)) => match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                    Some((object, object_at))
                }
                _ => None,
            },
            None => None,
        };
        let Some((object, object_at)) = object else {
            let message = "a multipart/form-data body whose schema is not an object with properties: the caller gives its parts as a `MultipartForm`";
            let warn_at = if media.schema.is_some() {
                &schema_at
            } else {
                at
            };
            self.unsupported(warn_at, message);
            return Ok(None);
        };
        let mut parts: Vec<FormPart> = Vec::with_capacity(object.properties.len());
        let mut field_names: Vec<String> = Vec::new();
        for (name, property) in &object.properties {
            let property_at = object_at.push("properties").push(name);
            let hint = format!("{type_name}{}", names::upper_camel(name));
            let kind = self.part_kind(property, &hint, &property_at)?;
            let rust_name = names::numbered(&names::snake(name), |n| {
                field_names.iter().any(|taken| taken == n)
            });
            field_names.push(rust_name.clone());
            let encoding = media.encoding.get(name);
            let content_type = encoding
                .and_then(|e| e.content_type.as_deref())
                .and_then(concrete_media_type);
            let mut headers = Vec::new();
            let encoding_at = at.push("encoding").push(name).push("headers");
            for (header, value) in encoding.iter().flat_map(|e| &e.headers) {
                if FORM_HEADERS.contains(&header.to_ascii_lowercase().as_str()) {
                    continue;
                }
                let header_at = encoding_at.push(header);
                let (value, header_at) = self.resolve(value, "headers", &header_at)?;
                let ty = match &value.format {
                    ParameterSchemaOrContent::Schema(schema) => self.types.type_of(
                        schema,
                        &format!("{hint}{}", names::upper_camel(header)),
                        &header_at.push("schema"),
                    )?,
                    ParameterSchemaOrContent::Content(_) => TypeRef::String,
                };
                let field =
                    names::numbered(&format!("{rust_name}_{}", names::snake(header)), |n| {
                        field_names.iter().any(|taken| taken == n)
                    });
                field_names.push(field.clone());
                headers.push(PartHeader {
                    name: header.clone(),
                    rust_name: field,
                    ty,
                    required: value.required,
                    description: value.description.clone(),
                });
            }
            let description = match property {
                ReferenceOr::Item(schema) => schema.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            parts.push(FormPart {
                name: name.clone(),
                rust_name,
                required: object.required.contains(name),
                description,
                kind,
                content_type,
                headers,
            });
        }
        let description = resolved.and_then(|(schema, _)| schema.schema_data.description);
        Ok(Some(MultipartForm {
            type_name: type_name.to_owned(),
            description,
            parts,
        }))
    }

    /// Whether a multipart body's schema has a file property (or an array of files); a
    /// schema that cannot be read has none here, and is reported where it is built.
    pub(super) fn has_file_parts(&self, media: &MediaType, at: &Pointer) -> bool {
        let Some(Ok((schema, schema_at))) = media
            .schema
            .as_ref()
            .map(|schema| self.resolved_schema(schema, at))
        else {
            return false;
        };
        let SchemaKind::Type(Type::Object(object)) = &schema.schema_kind else {
            return false;
        };
        object.properties.values().any(|property| {
            let Ok((property, property_at)) = self.resolved_schema(property, &schema_at) else {
                return false;
            };
            match &property.schema_kind {
                SchemaKind::Type(Type::Array(array)) => array.items.as_ref().is_some_and(|items| {
                    self.resolved_schema(items, &property_at)
                        .is_ok_and(|(item, _)| is_binary(&item))
                }),
                _ => is_binary(&property),
            }
        })
    }

    /// How a property is sent: a file, text, JSON, or one part per item of an array.
    fn part_kind(
        &mut self,
        property: &ReferenceOr<Box<Schema>>,
        hint: &str,
        at: &Pointer,
    ) -> Result<PartKind> {
        let (schema, schema_at) = self.resolved_schema(property, at)?;
        if is_binary(&schema) {
            return Ok(PartKind::File);
        }
        if let SchemaKind::Type(Type::Array(array)) = &schema.schema_kind {
            if let Some(items) = &array.items {
                let items_at = schema_at.push("items");
                let (item, _) = self.resolved_schema(items, &items_at)?;
                if is_binary(&item) {
                    return Ok(PartKind::Files);
                }
                if is_primitive(&item) {
                    let ty = self
                        .types
                        .type_of(items, &format!("{hint}Item"), &items_at)?;
                    return Ok(PartKind::TextEach(ty));
                }
            }
        }
        let ty = self.types.type_of(property, hint, at)?;
        Ok(if is_primitive(&schema) {
            PartKind::Text(ty)
        } else {
            PartKind::Json(ty)
        })
    }

    /// A schema with its `$ref`s followed, and where it is.
    fn resolved_schema<S: std::borrow::Borrow<Schema> + Clone>(
        &self,
        schema: &ReferenceOr<S>,
        at: &Pointer,
    ) -> Result<(Schema, Pointer)> {
        match schema {
            ReferenceOr::Item(schema) => Ok((schema.borrow().clone(), at.clone())),
            ReferenceOr::Reference { reference } => self.refs.resolve::<Schema>(reference, at),
        }
    }
}

/// `type: string, format: binary`: a file.
fn is_binary(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(string))
            if matches!(&string.format, openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary))
    )
}

/// A string (enums included), number, integer or boolean: sent as text.
fn is_primitive(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(_) | Type::Number(_) | Type::Integer(_) | Type::Boolean(_))
    )
}

/// The first media type of an encoding's `contentType` (`image/png, image/jpeg` lists the
/// ones allowed), unless it is a wildcard such as `image/*`, which names no type to send.
fn concrete_media_type(content_type: &str) -> Option<String> {
    let first = content_type.split(',').next()?.trim();
    (!first.is_empty() && !first.contains('*')).then(|| first.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_listed_media_type_is_sent_and_wildcards_are_not() {
        assert_eq!(
            concrete_media_type("image/png, image/jpeg").as_deref(),
            Some("image/png")
        );
        assert_eq!(concrete_media_type("image/*"), None);
        assert_eq!(concrete_media_type(""), None);
    }
}
