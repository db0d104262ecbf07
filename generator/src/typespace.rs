//! The type space: turns schemas into Rust type uses, defining a named type for every
//! component schema and for each inline object or enum, named after where it appears.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{
    AdditionalProperties, Components, ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat,
    StringType, Type, VariantOrUnknownOrEmpty,
};

use crate::error::{Error, Result};
use crate::model::{Field, TypeDef, TypeKind, TypeRef, Variant};
use crate::names;
use crate::pointer::Pointer;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How deep `allOf` parts may nest before they are taken for a cycle.
const MAX_ALL_OF_DEPTH: usize = 16;

pub struct TypeSpace<'a> {
    file: &'a Path,
    components: Option<&'a Components>,
    /// Every defined type by Rust name, with the pointer of the schema that defined it.
    defs: BTreeMap<String, (Pointer, TypeDef)>,
}

impl<'a> TypeSpace<'a> {
    /// Defines a type for every component schema.
    pub fn new(file: &'a Path, components: Option<&'a Components>) -> Result<Self> {
        let mut space = TypeSpace {
            file,
            components,
            defs: BTreeMap::new(),
        };
        if let Some(components) = components {
            let base = Pointer::root().push("components").push("schemas");
            for (key, schema) in &components.schemas {
                let at = base.push(key);
                let name = names::upper_camel(key);
                match schema {
                    ReferenceOr::Item(schema) => space.define_component(&name, schema, &at)?,
                    ReferenceOr::Reference { reference } => {
                        let target = space.named_ref(reference, &at)?;
                        space.define(&name, None, TypeKind::Alias(target), &at)?;
                    }
                }
            }
        }
        Ok(space)
    }

    /// The types to generate, sorted by name: every component schema, and the inline types
    /// that `roots` (what the operations use) reach. An inline type nothing reaches, such as the
    /// enum of a header the runtime sets itself, is left out.
    pub fn into_types<'r>(self, roots: impl IntoIterator<Item = &'r TypeRef>) -> Vec<TypeDef> {
        let component = Pointer::root().push("components").push("schemas");
        let mut kept: BTreeSet<&str> = BTreeSet::new();
        let mut pending: Vec<&TypeRef> = roots.into_iter().collect();
        for (name, (at, def)) in &self.defs {
            if at.parent().as_ref() == Some(&component) && kept.insert(name) {
                pending.extend(def.kind.uses());
            }
        }
        while let Some(ty) = pending.pop() {
            if let TypeRef::Named(name) = ty.innermost() {
                if let Some((name, (_, def))) = self.defs.get_key_value(name.as_str()) {
                    if kept.insert(name) {
                        pending.extend(def.kind.uses());
                    }
                }
            }
        }
        let kept: BTreeSet<String> = kept.into_iter().map(str::to_owned).collect();
        self.defs
            .into_iter()
            .filter(|(name, _)| kept.contains(name))
            .map(|(_, (_, def))| def)
            .collect()
    }

    /// The type of a schema (inline or boxed) found at `at`; an inline object or enum becomes a
    /// type named `hint`.
    pub fn type_of<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        at: &Pointer,
    ) -> Result<TypeRef> {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(reference, at),
            ReferenceOr::Item(schema) => self.inline(schema.borrow(), hint, at),
        }
    }

    /// Whether a schema (resolved through `$ref`) allows `null`.
    pub fn is_nullable(schema: &ReferenceOr<Box<Schema>>) -> bool {
        matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable)
    }

    fn named_ref(&self, reference: &str, at: &Pointer) -> Result<TypeRef> {
        let Some(key) = reference.strip_prefix(SCHEMA_PREFIX) else {
            return Err(self.error(
                at,
                format!("$ref `{reference}` is not a local component schema"),
            ));
        };
        let exists = self.components.is_some_and(|c| c.schemas.contains_key(key));
        if !exists {
            return Err(self.error(
                at,
                format!("$ref `{reference}` points to a schema that does not exist"),
            ));
        }
        Ok(TypeRef::Named(names::upper_camel(key)))
    }

    fn define_component(&mut self, name: &str, schema: &Schema, at: &Pointer) -> Result<()> {
        let description = schema.schema_data.description.clone();
        if let Some(kind) = self.object_or_enum(schema, name, at)? {
            return self.define(name, description, kind, at);
        }
        let target = self.inline(schema, name, at)?;
        self.define(name, description, TypeKind::Alias(target), at)
    }

    fn inline(&mut self, schema: &Schema, hint: &str, at: &Pointer) -> Result<TypeRef> {
        // A schema reached again (a shared parameter or response) keeps the type it defined.
        if let Some(name) = self.defined_at(at) {
            return Ok(TypeRef::Named(name));
        }
        if let Some(kind) = self.object_or_enum(schema, hint, at)? {
            self.define(hint, schema.schema_data.description.clone(), kind, at)?;
            return Ok(TypeRef::Named(hint.to_owned()));
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => string_type(string),
            SchemaKind::Type(Type::Boolean(_)) => TypeRef::Boolean,
            SchemaKind::Type(Type::Integer(int)) => match &int.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            },
            SchemaKind::Type(Type::Number(number)) => match &number.format {
                VariantOrUnknownOrEmpty::Item(openapiv3::NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            },
            SchemaKind::Type(Type::Array(array)) => match &array.items {
                Some(items) => TypeRef::Array(Box::new(self.type_of(
                    items,
                    &format!("{hint}Item"),
                    &at.push("items"),
                )?)),
                None => TypeRef::Array(Box::new(TypeRef::Json)),
            },
            SchemaKind::Type(Type::Object(object)) => self.map_of(object, hint, at)?,
            SchemaKind::Any(_) => TypeRef::Json,
            // `allOf: [$ref]` is how 3.0 adds a description or `nullable` to a reference.
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.type_of(&all_of[0], hint, &at.push("allOf").push(0))?
            }
            SchemaKind::AllOf { .. } => return Err(self.unsupported(at, "allOf")),
            SchemaKind::OneOf { .. } => return Err(self.unsupported(at, "oneOf")),
            SchemaKind::AnyOf { .. } => return Err(self.unsupported(at, "anyOf")),
            SchemaKind::Not { .. } => return Err(self.unsupported(at, "not")),
        })
    }

    /// A struct for an object with properties, an enum for a string enum, `None` otherwise.
    fn object_or_enum(
        &mut self,
        schema: &Schema,
        name: &str,
        at: &Pointer,
    ) -> Result<Option<TypeKind>> {
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                Ok(Some(TypeKind::Struct(self.fields(object, name, at)?)))
            }
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                Ok(Some(TypeKind::Enum(self.variants(string, at)?)))
            }
            SchemaKind::AllOf { all_of } if all_of.len() > 1 => {
                let merged = self.merge_all_of(all_of, at, 0)?;
                Ok(Some(TypeKind::Struct(self.fields(&merged, name, at)?)))
            }
            _ => Ok(None),
        }
    }

    /// The properties and required names of every part of an `allOf`, as one object: the
    /// parts are flattened into one struct, so that no field sits one level deeper than on
    /// the wire.
    fn merge_all_of(
        &self,
        parts: &[ReferenceOr<Schema>],
        at: &Pointer,
        depth: usize,
    ) -> Result<ObjectType> {
        if depth > MAX_ALL_OF_DEPTH {
            return Err(self.error(
                at,
                "`allOf` parts refer to each other in a cycle".to_owned(),
            ));
        }
        let mut merged = ObjectType::default();
        for (i, part) in parts.iter().enumerate() {
            let part_at = at.push("allOf").push(i);
            let schema = match part {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => self.component(reference, &part_at)?,
            };
            let object = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => object.clone(),
                SchemaKind::AllOf { all_of } => self.merge_all_of(all_of, &part_at, depth + 1)?,
                _ => {
                    return Err(self.error(
                        &part_at,
                        "an `allOf` part must be an object schema".to_owned(),
                    ))
                }
            };
            for (name, property) in object.properties {
                merged.properties.insert(name, property);
            }
            for name in object.required {
                if !merged.required.contains(&name) {
                    merged.required.push(name);
                }
            }
        }
        Ok(merged)
    }

    /// The component schema a `$ref` names.
    fn component(&self, reference: &str, at: &Pointer) -> Result<&'a Schema> {
        self.named_ref(reference, at)?;
        let key = &reference[SCHEMA_PREFIX.len()..];
        match self.components.and_then(|c| c.schemas.get(key)) {
            Some(ReferenceOr::Item(schema)) => Ok(schema),
            _ => Err(self.error(
                at,
                format!("$ref `{reference}` points to another $ref, which is not supported here"),
            )),
        }
    }

    fn map_of(&mut self, object: &ObjectType, hint: &str, at: &Pointer) -> Result<TypeRef> {
        let value = match &object.additional_properties {
            Some(AdditionalProperties::Schema(schema)) => self.type_of(
                schema,
                &format!("{hint}Value"),
                &at.push("additionalProperties"),
            )?,
            _ => TypeRef::Json,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    fn fields(&mut self, object: &ObjectType, owner: &str, at: &Pointer) -> Result<Vec<Field>> {
        let mut fields: Vec<Field> = Vec::with_capacity(object.properties.len());
        for (json_name, schema) in &object.properties {
            let field_at = at.push("properties").push(json_name);
            let rust_name = names::snake(json_name);
            if let Some(other) = fields.iter().find(|f| f.rust_name == rust_name) {
                return Err(self.error(
                    &field_at,
                    format!(
                        "properties `{}` and `{json_name}` both map to the field `{rust_name}`",
                        other.json_name
                    ),
                ));
            }
            let hint = format!("{owner}{}", names::upper_camel(json_name));
            let ty = self.type_of(schema, &hint, &field_at)?;
            let description = match schema {
                ReferenceOr::Item(s) => s.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name,
                ty,
                required: object.required.iter().any(|r| r == json_name),
                nullable: Self::is_nullable(schema),
                description,
            });
        }
        for required in &object.required {
            if !object.properties.contains_key(required) {
                return Err(self.error(
                    &at.push("required"),
                    format!("`{required}` is required but not a property"),
                ));
            }
        }
        Ok(fields)
    }

    fn variants(&self, string: &StringType, at: &Pointer) -> Result<Vec<Variant>> {
        let mut variants: Vec<Variant> = Vec::new();
        for (index, value) in string.enumeration.iter().enumerate() {
            let Some(value) = value else { continue };
            let rust_name = names::upper_camel(value);
            if rust_name == "Unknown" || variants.iter().any(|v| v.rust_name == rust_name) {
                return Err(self.error(
                    &at.push("enum").push(index),
                    format!("enum value `{value}` maps to a variant name `{rust_name}` that is already taken"),
                ));
            }
            variants.push(Variant {
                value: value.clone(),
                rust_name,
            });
        }
        Ok(variants)
    }

    fn defined_at(&self, at: &Pointer) -> Option<String> {
        self.defs
            .iter()
            .find(|(_, (pointer, _))| pointer == at)
            .map(|(name, _)| name.clone())
    }

    fn define(
        &mut self,
        name: &str,
        description: Option<String>,
        kind: TypeKind,
        at: &Pointer,
    ) -> Result<()> {
        if let Some((first, _)) = self.defs.get(name) {
            return Err(self.error(
                at,
                format!("the type name `{name}` is already used by the schema at {first}"),
            ));
        }
        let def = TypeDef {
            name: name.to_owned(),
            description,
            kind,
        };
        self.defs.insert(name.to_owned(), (at.clone(), def));
        Ok(())
    }

    fn unsupported(&self, at: &Pointer, construct: &str) -> Error {
        self.error(at, format!("`{construct}` schemas are not supported yet"))
    }

    fn error(&self, at: &Pointer, message: String) -> Error {
        Error::new(self.file, at.as_str(), message)
    }
}

/// Strings with a format users work with as a type of its own: instants, dates and UUIDs.
fn string_type(string: &StringType) -> TypeRef {
    match &string.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => TypeRef::Uuid,
        _ => TypeRef::String,
    }
}
