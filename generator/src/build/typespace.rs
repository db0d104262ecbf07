//! The type space: turns schemas into Rust type uses, defining a named type for every
//! component schema and for each inline object or enum, named after where it appears.

use std::borrow::{Borrow, Cow};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::Path;

use openapiv3::{
    AdditionalProperties, Components, ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat,
    StringType, Type, VariantOrUnknownOrEmpty,
};

use crate::diagnostics::{Diagnostics, Error, Result};
use crate::model::{Field, OneOfVariant, TypeDef, TypeKind, TypeRef, Variant};
use crate::names;
use crate::pointer::{unescaped, Pointer};
use crate::refs::Resolver;

const SCHEMA_PREFIX: &str = "#/components/schemas/";

/// How deep `allOf` parts may nest before they are taken for a cycle.
const MAX_ALL_OF_DEPTH: usize = 16;

/// How deep inline schemas may nest before they are taken for a cycle.
const MAX_INLINE_DEPTH: usize = 32;

pub struct TypeSpace<'a> {
    file: &'a Path,
    components: Option<&'a Components>,
    /// Every defined type by Rust name, with the pointer of the schema that defined it.
    defs: BTreeMap<String, (Pointer, TypeDef)>,
    /// The Rust name of each component schema key (two keys may want the same name).
    component_names: BTreeMap<String, String>,
    /// Those names, which inline types must not take.
    taken_by_components: BTreeSet<String>,
    /// The name of the type each schema pointer defined (or is defining), so that a schema
    /// reached again keeps it: every schema is built once, however many places reach it.
    by_pointer: HashMap<String, String>,
    /// Names given to types still being built (a recursive schema reaches itself first).
    pending: HashSet<String>,
    /// The type of each schema that a `$ref` outside `#/components/schemas/<key>` leads to, by
    /// the pointer it leads to; `None` while it is being built.
    by_reference: HashMap<String, Option<TypeRef>>,
    refs: &'a Resolver<'a>,
    /// The build's sink: constructs read leniently (unsupported ones are given
    /// `serde_json::Value`).
    diagnostics: &'a RefCell<Diagnostics>,
    /// How deep `type_of` is in inline schemas.
    depth: usize,
    /// Component schemas (by key) that are types of the runtime (by name there).
    replacements: &'a BTreeMap<String, String>,
    /// The variant name of each enum value met so far: the same values come back in enum after
    /// enum (Microsoft Graph lists its properties in a `$select` enum of every operation).
    variant_names: HashMap<String, String>,
}

impl<'a> TypeSpace<'a> {
    /// Defines a type for every component schema.
    pub fn new(
        file: &'a Path,
        components: Option<&'a Components>,
        refs: &'a Resolver<'a>,
        diagnostics: &'a RefCell<Diagnostics>,
        replacements: &'a BTreeMap<String, String>,
    ) -> Result<Self> {
        let mut space = TypeSpace {
            file,
            components,
            defs: BTreeMap::new(),
            component_names: BTreeMap::new(),
            taken_by_components: BTreeSet::new(),
            by_pointer: HashMap::new(),
            pending: HashSet::new(),
            by_reference: HashMap::new(),
            refs,
            diagnostics,
            depth: 0,
            replacements,
            variant_names: HashMap::new(),
        };
        if let Some(components) = components {
            // Names first, so that references between schemas know them; keys that map to
            // the same Rust name are told apart by a number, in the definition's order. Keys
            // whose name is reserved come last, so that a schema named `StringModel` keeps
            // its name and `String` is the one numbered.
            // Replaced schemas get no type of their own.
            let generated = |key: &&String| !replacements.contains_key(*key);
            let (usable, reserved): (Vec<&String>, Vec<&String>) = components
                .schemas
                .keys()
                .filter(generated)
                .partition(|key| !names::is_reserved_model_name(&names::upper_camel(key)));
            for key in usable.into_iter().chain(reserved) {
                let name = space.free_name(&names::upper_camel(key));
                space.component_names.insert(key.clone(), name.clone());
                space.taken_by_components.insert(name);
            }
            let base = Pointer::root().push("components").push("schemas");
            for (key, schema) in components.schemas.iter().filter(|(k, _)| generated(k)) {
                let at = base.push(key);
                let name = space.component_names[key].clone();
                match schema {
                    ReferenceOr::Item(schema) => space.define_component(&name, schema, &at)?,
                    ReferenceOr::Reference { reference } => {
                        let target = space.named_ref(reference, &name, &at)?;
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
        let is_component = |at: &Pointer| {
            at.as_str().rsplit_once('/').map(|(parent, _)| parent) == Some(component.as_str())
        };
        let mut kept: HashSet<&str> = HashSet::new();
        let mut pending: Vec<&TypeRef> = roots.into_iter().collect();
        for (name, (at, def)) in &self.defs {
            if is_component(at) && kept.insert(name) {
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
        let kept: HashSet<String> = kept.into_iter().map(str::to_owned).collect();
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
            ReferenceOr::Reference { reference } => self.named_ref(reference, hint, at),
            ReferenceOr::Item(schema) => {
                // Merged `allOf` parts copy properties that may lead back to the same schema:
                // past a depth no definition needs, that is a cycle, not more nesting.
                if self.depth >= MAX_INLINE_DEPTH {
                    let construct = "a schema nested this deep (a cycle through `allOf`)";
                    return Ok(self.unsupported(at, construct));
                }
                self.depth += 1;
                let ty = self.inline(schema.borrow(), hint, at);
                self.depth -= 1;
                ty
            }
        }
    }

    /// Whether a schema (resolved through `$ref`) allows `null`.
    pub fn is_nullable(schema: &ReferenceOr<Box<Schema>>) -> bool {
        matches!(schema, ReferenceOr::Item(s) if s.schema_data.nullable)
    }

    /// The type a `$ref` names: its component's type, or the type of the schema it leads to
    /// elsewhere (named `hint` if it defines one), built once per place it leads to.
    fn named_ref(&mut self, reference: &str, hint: &str, at: &Pointer) -> Result<TypeRef> {
        if let Some(runtime_type) = reference
            .strip_prefix(SCHEMA_PREFIX)
            .and_then(|key| self.replacements.get(key))
        {
            return Ok(TypeRef::Runtime(runtime_type.clone()));
        }
        if let Some(name) = reference
            .strip_prefix(SCHEMA_PREFIX)
            .and_then(|key| self.component_names.get(key))
        {
            return Ok(TypeRef::Named(name.clone()));
        }
        let (schema, target) = match self.refs.resolve::<Schema>(reference, at) {
            Ok(found) => found,
            Err(e)
                if reference.starts_with(SCHEMA_PREFIX)
                    && e.message.contains("points to nothing") =>
            {
                return Err(self.error(
                    at,
                    format!("$ref `{reference}` points to a schema that does not exist"),
                ))
            }
            Err(e) => return Err(e),
        };
        let component = reference
            .strip_prefix('#')
            .and_then(|_| target.as_str().strip_prefix("/components/schemas/"))
            .filter(|key| !key.contains('/'))
            .map(unescaped);
        // A reference to a reference to a component.
        if let Some(key) = component {
            if let Some(runtime_type) = self.replacements.get(&key) {
                return Ok(TypeRef::Runtime(runtime_type.clone()));
            }
            if let Some(name) = self.component_names.get(&key) {
                return Ok(TypeRef::Named(name.clone()));
            }
        }
        if let Some(name) = self.defined_at(&target) {
            return Ok(TypeRef::Named(name));
        }
        match self.by_reference.get(target.as_str()) {
            Some(Some(ty)) => return Ok(ty.clone()),
            // A schema that holds itself without defining a type (an array of itself).
            Some(None) => {
                let construct = "a schema that holds itself without an object between";
                return Ok(self.unsupported(at, construct));
            }
            None => {}
        }
        self.by_reference.insert(target.as_str().to_owned(), None);
        let depth = std::mem::take(&mut self.depth);
        let ty = self.inline(&schema, hint, &target);
        self.depth = depth;
        let ty = ty?;
        self.by_reference
            .insert(target.as_str().to_owned(), Some(ty.clone()));
        Ok(ty)
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
        if defines_type(schema) {
            // Named before it is built, so that a schema that reaches itself refers to it.
            let name = self.free_name(hint);
            self.by_pointer.insert(at.as_str().to_owned(), name.clone());
            self.pending.insert(name.clone());
            let kind = self.object_or_enum(schema, &name, at)?;
            self.pending.remove(&name);
            if let Some(kind) = kind {
                self.define(&name, schema.schema_data.description.clone(), kind, at)?;
            }
            return Ok(TypeRef::Named(name));
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
            // `allOf: [$ref]` is how 3.0 adds a description or `nullable` to a reference, and
            // so is `allOf: [$ref, {description: ...}]`: parts that only annotate add no type.
            SchemaKind::AllOf { all_of } => match typed_parts(all_of).as_slice() {
                [(i, part)] => self.type_of(part, hint, &at.push("allOf").push(i))?,
                [] if !all_of.is_empty() => TypeRef::Json,
                _ => self.unsupported(at, "an empty `allOf`"),
            },
            SchemaKind::OneOf { .. } | SchemaKind::AnyOf { .. } => {
                self.unsupported(at, "an empty `oneOf`/`anyOf`")
            }
            SchemaKind::Not { .. } => self.unsupported(at, "`not`"),
        })
    }

    /// A struct for an object with properties, an enum for a string enum, `None` otherwise.
    fn object_or_enum(
        &mut self,
        schema: &Schema,
        name: &str,
        at: &Pointer,
    ) -> Result<Option<TypeKind>> {
        if !defines_type(schema) {
            return Ok(None);
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) if !object.properties.is_empty() => {
                Ok(Some(TypeKind::Struct(self.fields(object, name, at)?)))
            }
            SchemaKind::Type(Type::String(string)) if !string.enumeration.is_empty() => {
                Ok(Some(TypeKind::Enum(self.variants(string, at)?)))
            }
            SchemaKind::AllOf { all_of } => {
                let mut origins = BTreeMap::new();
                let merged = self.merge_all_of(all_of, at, name, &mut origins, 0)?;
                let fields = self.fields_from(&merged, name, at, &origins)?;
                Ok(Some(TypeKind::Struct(fields)))
            }
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts }
                if !parts.is_empty() =>
            {
                let keyword = match &schema.schema_kind {
                    SchemaKind::OneOf { .. } => "oneOf",
                    _ => "anyOf",
                };
                let tag = schema.schema_data.discriminator.as_ref();
                Ok(Some(self.one_of(parts, tag, name, &at.push(keyword))?))
            }
            _ => Ok(None),
        }
    }

    /// An enum with a variant per alternative, named after the schema it refers to.
    fn one_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        discriminator: Option<&openapiv3::Discriminator>,
        owner: &str,
        at: &Pointer,
    ) -> Result<TypeKind> {
        let mut variants: Vec<OneOfVariant> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let ty = self.type_of(part, &format!("{owner}Variant{}", i + 1), &at.push(i))?;
            let key = match part {
                ReferenceOr::Reference { reference } => reference.strip_prefix(SCHEMA_PREFIX),
                ReferenceOr::Item(_) => None,
            };
            let base = match (&ty, key) {
                (TypeRef::Named(name), Some(_)) => name.clone(),
                _ => format!("Variant{}", i + 1),
            };
            // `Other` is the enum's own catch-all; every name is checked against all the
            // names given before it, so no two variants can share one.
            let rust_name = names::numbered(&base, |n| {
                n == "Other" || variants.iter().any(|v| v.rust_name == n)
            });
            let tag_value = discriminator.map(|d| {
                let reference = key.map(|k| format!("{SCHEMA_PREFIX}{k}"));
                // A schema listed twice with two values mapped to it (`any` and `custom` to
                // `AnyEvent`) takes them in order: one tag per variant.
                let taken =
                    |value: &String| variants.iter().any(|v| v.tag_value.as_ref() == Some(value));
                d.mapping
                    .iter()
                    .find(|(value, target)| {
                        (Some(*target) == reference.as_ref() || Some(target.as_str()) == key)
                            && !taken(value)
                    })
                    .map(|(value, _)| value.clone())
                    .unwrap_or_else(|| key.unwrap_or(&rust_name).to_owned())
            });
            variants.push(OneOfVariant {
                rust_name,
                ty,
                tag_value,
            });
        }
        Ok(TypeKind::OneOf {
            variants,
            tag: discriminator.map(|d| d.property_name.clone()),
        })
    }

    /// The properties and required names of every part of an `allOf`, as one object: the
    /// parts are flattened into one struct, so that no field sits one level deeper than on
    /// the wire.
    ///
    /// `origins` receives, for each property, where its schema is and the type it belongs to,
    /// so that an inline schema of a referenced part is the one type that part defines, not a
    /// copy per struct that merges it (copies of copies grow exponentially through cycles).
    fn merge_all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        at: &Pointer,
        owner: &str,
        origins: &mut BTreeMap<String, (Pointer, String)>,
        depth: usize,
    ) -> Result<ObjectType> {
        if depth > MAX_ALL_OF_DEPTH {
            return Err(self.error(
                at,
                "`allOf` parts refer to each other in a cycle".to_owned(),
            ));
        }
        let mut merged = ObjectType::default();
        for (i, part) in typed_parts(parts) {
            let part_at = at.push("allOf").push(i);
            // Where the part's own properties are, and the type that names their inline schemas.
            let (schema, schema_at, part_owner) = match part {
                ReferenceOr::Item(schema) => {
                    (Cow::Borrowed(schema), part_at.clone(), owner.to_owned())
                }
                ReferenceOr::Reference { reference } => {
                    let (schema, target) = self.component(reference, &part_at)?;
                    let owner = target
                        .as_str()
                        .strip_prefix("/components/schemas/")
                        .and_then(|key| self.component_names.get(&unescaped(key)))
                        .cloned()
                        .unwrap_or_else(|| owner.to_owned());
                    (schema, target, owner)
                }
            };
            let object = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(object)) => {
                    for name in object.properties.keys() {
                        let origin = schema_at.push("properties").push(name);
                        origins.insert(name.clone(), (origin, part_owner.clone()));
                    }
                    object.clone()
                }
                SchemaKind::AllOf { all_of } => {
                    self.merge_all_of(all_of, &schema_at, &part_owner, origins, depth + 1)?
                }
                _ => {
                    self.unsupported(&part_at, "an `allOf` part that is not an object");
                    continue;
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

    /// The schema a `$ref` leads to, and where it is.
    fn component(&self, reference: &str, at: &Pointer) -> Result<(Cow<'a, Schema>, Pointer)> {
        let key = reference.strip_prefix(SCHEMA_PREFIX);
        if let Some(ReferenceOr::Item(schema)) =
            key.and_then(|key| self.components.and_then(|c| c.schemas.get(key)))
        {
            let target = Pointer::root().push("components").push("schemas");
            return Ok((Cow::Borrowed(schema), target.push(key.unwrap_or_default())));
        }
        let (schema, target) = self.refs.resolve::<Schema>(reference, at)?;
        Ok((Cow::Owned(schema), target))
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
        self.fields_from(object, owner, at, &BTreeMap::new())
    }

    /// The fields of `object`, each property's schema read at its place in `origins` (merged
    /// `allOf` parts) or under `at`.
    fn fields_from(
        &mut self,
        object: &ObjectType,
        owner: &str,
        at: &Pointer,
        origins: &BTreeMap<String, (Pointer, String)>,
    ) -> Result<Vec<Field>> {
        let mut fields: Vec<Field> = Vec::with_capacity(object.properties.len());
        for (json_name, schema) in &object.properties {
            let (field_at, field_owner) = match origins.get(json_name) {
                Some((origin, owner)) => (origin.clone(), owner.as_str()),
                None => (at.push("properties").push(json_name), owner),
            };
            // Properties such as `displayName` and `display_name` would share a field name.
            let rust_name = names::numbered_snake(&names::snake(json_name), |n| {
                fields.iter().any(|f| f.rust_name == n)
            });
            let hint = format!("{field_owner}{}", names::upper_camel(json_name));
            let ty = self.type_of(schema, &hint, &field_at)?;
            let description = match schema {
                ReferenceOr::Item(s) => {
                    with_notes(s).or_else(|| annotation_parts(s).find_map(with_notes))
                }
                ReferenceOr::Reference { .. } => None,
            };
            let nullable = Self::is_nullable(schema)
                || matches!(schema, ReferenceOr::Item(s) if annotation_parts(s).any(|p| p.schema_data.nullable));
            fields.push(Field {
                json_name: json_name.clone(),
                rust_name,
                ty,
                required: object.required.iter().any(|r| r == json_name),
                nullable,
                description,
                flatten: false,
                boxed: false,
            });
        }
        let others = match &object.additional_properties {
            Some(AdditionalProperties::Schema(schema)) => Some(self.type_of(
                schema,
                &format!("{owner}Value"),
                &at.push("additionalProperties"),
            )?),
            Some(AdditionalProperties::Any(true)) => Some(TypeRef::Json),
            _ => None,
        };
        if let Some(value) = others {
            fields.push(Field {
                json_name: String::new(),
                rust_name: "additional_properties".to_owned(),
                ty: TypeRef::Map(Box::new(value)),
                required: true,
                nullable: false,
                description: Some("Properties the schema does not name.".to_owned()),
                flatten: true,
                boxed: false,
            });
        }
        // A required name without a property has no schema to build a field from. It is left
        // out: decoding accepts the property present or not (unknown properties are ignored),
        // where a required field of unknown type would make every caller invent a value.
        for (i, required) in object.required.iter().enumerate() {
            if !object.properties.contains_key(required) {
                let message = format!(
                    "`{required}` is required but not a property; it is left out of the type"
                );
                self.warn(&at.push("required").push(i), message);
            }
        }
        Ok(fields)
    }

    fn variants(&mut self, string: &StringType, at: &Pointer) -> Result<Vec<Variant>> {
        let mut variants: Vec<Variant> = Vec::new();
        // Sets beside the list: an enum can have thousands of values.
        let mut values: HashSet<&str> = HashSet::new();
        let mut taken: HashSet<String> = HashSet::from(["Unknown".to_owned()]);
        for (index, value) in string.enumeration.iter().enumerate() {
            let Some(value) = value else { continue };
            if !values.insert(value) {
                let message = format!("enum value `{value}` is listed twice; it is one variant");
                self.warn(&at.push("enum").push(index), message);
                continue;
            }
            let camel = self
                .variant_names
                .entry(value.clone())
                .or_insert_with(|| names::upper_camel(value));
            // Values such as `a-b` and `a_b` (or `unknown`) would share a variant name.
            let rust_name = names::numbered(camel, |n| taken.contains(n));
            taken.insert(rust_name.clone());
            variants.push(Variant {
                value: value.clone(),
                rust_name,
            });
        }
        Ok(variants)
    }

    fn defined_at(&self, at: &Pointer) -> Option<String> {
        self.by_pointer.get(at.as_str()).cloned()
    }

    /// `name`, or `name` with a number if a type or a component schema has it already; a
    /// name the models file uses for something else (`String`, `DateTime`, `Option`) first
    /// gets the suffix `Model`, so that `String` is defined as `StringModel`.
    fn free_name(&self, name: &str) -> String {
        let taken = |candidate: &str| {
            self.defs.contains_key(candidate)
                || self.taken_by_components.contains(candidate)
                // Models import the runtime types that replace schemas.
                || self.replacements.values().any(|r| r == candidate)
                || self.pending.contains(candidate)
        };
        let name = &names::unreserved(name.to_owned(), names::is_reserved_model_name, "Model");
        names::numbered(name, taken)
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
        self.by_pointer
            .insert(at.as_str().to_owned(), name.to_owned());
        self.defs.insert(name.to_owned(), (at.clone(), def));
        Ok(())
    }

    /// `serde_json::Value` for a construct the generator does not support, with a warning.
    fn unsupported(&mut self, at: &Pointer, construct: &str) -> TypeRef {
        let message =
            format!("{construct} is not supported; its values are kept as serde_json::Value");
        self.warn(at, message);
        TypeRef::Json
    }

    /// A warning for what the generator reads leniently (the message says how).
    fn warn(&mut self, at: &Pointer, message: String) {
        self.diagnostics
            .borrow_mut()
            .warn(self.file, at.as_str(), message);
    }

    fn error(&self, at: &Pointer, message: String) -> Error {
        Error::new(self.file, at.as_str(), message)
    }
}

/// Whether a schema defines a named type: an object with properties, a string enum, an
/// `allOf` of several typed parts, a `oneOf`/`anyOf`.
fn defines_type(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(object)) => !object.properties.is_empty(),
        SchemaKind::Type(Type::String(string)) => !string.enumeration.is_empty(),
        SchemaKind::AllOf { all_of } => typed_parts(all_of).len() > 1,
        SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
            !parts.is_empty()
        }
        _ => false,
    }
}

/// The parts of an `allOf` that say something about the value's type, with their index: not
/// those that only annotate it (`{description: ...}`, `{nullable: true}`).
fn typed_parts(parts: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    parts
        .iter()
        .enumerate()
        .filter(|(_, part)| match part {
            ReferenceOr::Item(schema) => {
                !matches!(&schema.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default())
            }
            ReferenceOr::Reference { .. } => true,
        })
        .collect()
}

/// The `allOf` parts of a schema that only annotate it (a description, `nullable`).
fn annotation_parts(schema: &Schema) -> impl Iterator<Item = &Schema> {
    let parts = match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of.as_slice(),
        _ => &[],
    };
    parts.iter().filter_map(|part| match part {
        ReferenceOr::Item(part) if matches!(&part.schema_kind, SchemaKind::Any(any) if *any == openapiv3::AnySchema::default()) => Some(part),
        _ => None,
    })
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

/// A schema's description with what else a reader of the field needs: its default, whether
/// it is read- or write-only, and the values of an integer enum.
fn with_notes(schema: &Schema) -> Option<String> {
    let data = &schema.schema_data;
    let mut notes: Vec<String> = Vec::new();
    if let Some(default) = &data.default {
        notes.push(format!("Default: `{default}`."));
    }
    if data.read_only {
        notes.push("Read-only: set by the service, ignored in requests.".to_owned());
    }
    if data.write_only {
        notes.push("Write-only: sent in requests, never returned.".to_owned());
    }
    if let SchemaKind::Type(Type::Integer(int)) = &schema.schema_kind {
        let values: Vec<String> = int
            .enumeration
            .iter()
            .flatten()
            .map(i64::to_string)
            .collect();
        if !values.is_empty() {
            notes.push(format!("One of {}.", values.join(", ")));
        }
    }
    let description = data
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty());
    match (description, notes.is_empty()) {
        (None, true) => None,
        (Some(d), true) => Some(d.to_owned()),
        (None, false) => Some(notes.join(" ")),
        (Some(d), false) => Some(format!("{d}\n\n{}", notes.join(" "))),
    }
}

#[cfg(test)]
mod tests {
    use crate::model::TypeKind;

    /// The variant names of the `oneOf` type `name` in a definition with `schemas`.
    fn variant_names(schemas: &str, name: &str) -> Vec<String> {
        let text = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{}}, "components": {{"schemas": {{{schemas}}}}}}}"#
        );
        let definition = crate::load::parse(std::path::Path::new("a.json"), &text).unwrap();
        let api = crate::build::build(&definition, &Default::default(), false).unwrap();
        let def = api.types.iter().find(|t| t.name == name).unwrap();
        match &def.kind {
            TypeKind::OneOf { variants, .. } => {
                variants.iter().map(|v| v.rust_name.clone()).collect()
            }
            other => panic!("{name} is not a oneOf: {other:?}"),
        }
    }

    #[test]
    fn one_of_variant_names_never_collide() {
        let object = r#"{"type": "object", "properties": {"x": {"type": "string"}}}"#;
        let reference = |name: &str| format!(r##"{{"$ref": "#/components/schemas/{name}"}}"##);
        // `A` twice, then `A3`: numbering the second `A` after its position (`A3`) used to
        // give it the name of the third.
        let parts = [
            reference("A"),
            reference("A3"),
            reference("A"),
            reference("Other"),
            object.to_owned(),
            reference("Variant5"),
        ];
        let schemas = format!(
            r#""A": {object}, "A3": {object}, "Other": {object}, "Variant5": {object}, "U": {{"oneOf": [{}]}}"#,
            parts.join(", ")
        );
        let names = variant_names(&schemas, "U");
        assert_eq!(names, ["A", "A3", "A2", "Other2", "Variant5", "Variant52"]);
    }
}
