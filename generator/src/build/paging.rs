//! Which response types are pages of a list: a struct with exactly one array field and a
//! `_links` object whose `next` has an `href` string.

use crate::model::{Field, PageType, TypeDef, TypeKind, TypeRef};

/// The page types among `types`, sorted by name.
pub(super) fn page_types(types: &[TypeDef]) -> Vec<PageType> {
    types
        .iter()
        .filter_map(|def| page_type(types, def))
        .collect()
}

fn page_type(types: &[TypeDef], def: &TypeDef) -> Option<PageType> {
    // Aliases are left out: the trait is implemented once, on the struct itself.
    let TypeKind::Struct(fields) = &def.kind else {
        return None;
    };
    let mut arrays = fields.iter().filter(|f| matches!(f.ty, TypeRef::Array(_)));
    let items = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    let links = field_named(fields, "_links")?;
    let next = field_named(struct_fields_of(types, &links.ty)?, "next")?;
    let href = field_named(struct_fields_of(types, &next.ty)?, "href")?;
    let TypeRef::Array(item) = &items.ty else {
        return None;
    };
    (href.ty == TypeRef::String).then(|| PageType {
        type_name: def.name.clone(),
        items: items.clone(),
        item: (**item).clone(),
        links: links.clone(),
        next: next.clone(),
        href: href.clone(),
    })
}

fn field_named<'f>(fields: &'f [Field], json_name: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.json_name == json_name)
}

fn struct_fields_of<'t>(types: &'t [TypeDef], ty: &TypeRef) -> Option<&'t [Field]> {
    match ty {
        TypeRef::Named(name) => struct_fields(types, name),
        _ => None,
    }
}

/// The fields of the struct `name` names, through aliases.
fn struct_fields<'t>(types: &'t [TypeDef], name: &str) -> Option<&'t [Field]> {
    let mut name = name;
    for _ in 0..types.len() {
        match &types.iter().find(|t| t.name == name)?.kind {
            TypeKind::Struct(fields) => return Some(fields),
            TypeKind::Alias(TypeRef::Named(target)) => name = target,
            _ => return None,
        }
    }
    None
}
