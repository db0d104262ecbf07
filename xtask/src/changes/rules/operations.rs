//! The operations of an API: each method of its client with the builder it returns, compared
//! as one (a method renamed with its builder is one rename, found by the route the builder
//! sends), and what the builder sends over the wire, reported on the method.

use std::collections::BTreeSet;

use super::super::surface::{Function, Item, Module, Shape};
use super::super::wire::Request;
use super::{code, pair_up, renamed_in, replace_word, signatures, Found};
use crate::changes::report::Kind;

/// An operation of a module: a method of the API's client and the builder it returns.
struct Operation<'a> {
    name: &'a str,
    method: &'a Function,
    builder: Option<(&'a str, &'a Item)>,
}

impl Operation<'_> {
    fn route(&self) -> Option<String> {
        let (_, builder) = self.builder?;
        builder.request.as_ref()?.route.as_ref().map(|r| r.text())
    }

    fn builder_name(&self) -> &str {
        self.builder.map_or(self.method.output.as_str(), |(n, _)| n)
    }
}

fn operations(module: &Module) -> Vec<Operation<'_>> {
    let Some(client) = module.client.as_ref().and_then(|c| module.items.get(c)) else {
        return Vec::new();
    };
    client
        .methods
        .iter()
        .filter(|(_, f)| f.receiver.is_some())
        .filter_map(|(key, method)| {
            let name = key.strip_prefix("::")?;
            let builder_name = method.output.split('<').next().unwrap_or_default();
            let builder = module
                .items
                .get_key_value(builder_name)
                .filter(|(_, item)| matches!(item.shape, Shape::Struct(_)))
                .map(|(n, item)| (n.as_str(), item));
            Some(Operation {
                name,
                method,
                builder,
            })
        })
        .collect()
}

pub(super) fn compare<'a>(
    found: &mut Found,
    module: &str,
    old: &'a Module,
    new: &'a Module,
    done: &mut (BTreeSet<&'a str>, BTreeSet<&'a str>),
) {
    let (old_ops, new_ops) = (operations(old), operations(new));
    let (both, removed, added) = pair_up(&old_ops, &new_ops, |o| o.name);
    // A method whose builder sends the same route under a new name was renamed; one
    // without a route (no builder found) pairs with nothing.
    let (renamed, removed, added) = pair_up(&removed, &added, |o| {
        o.route().unwrap_or_else(|| format!("no route: {}", o.name))
    });
    done.0
        .extend(old_ops.iter().filter_map(|o| o.builder).map(|(b, _)| b));
    done.1
        .extend(new_ops.iter().filter_map(|o| o.builder).map(|(b, _)| b));
    for op in removed {
        let route = op.route().map(|r| format!(" (`{r}`)")).unwrap_or_default();
        found.push(
            Kind::Breaking,
            &format!("{module}::{}", op.name),
            format!(
                "operation removed{route}: the method and its builder `{}` no longer exist",
                op.builder_name()
            ),
        );
    }
    for op in added {
        let route = op.route().map(|r| format!("`{r}` ")).unwrap_or_default();
        found.push(
            Kind::Additive,
            &format!("{module}::{}", op.name),
            format!("new operation {route}(builder `{}`)", op.builder_name()),
        );
    }
    for (o, n) in renamed {
        found.push(
            Kind::Breaking,
            &format!("{module}::{}", o.name),
            format!(
                "method renamed to `{}` (builder `{}`, was `{}`), same route `{}`",
                n.name,
                n.builder_name(),
                o.builder_name(),
                n.route().unwrap_or_default()
            ),
        );
        operation(found, module, o, n);
    }
    for (o, n) in both {
        operation(found, module, o, n);
    }
}

/// Compares a method of the client and the builder it returns; what the builder sends is
/// reported on the method, where users start the call.
fn operation(found: &mut Found, module: &str, old: &Operation, new: &Operation) {
    let item = format!("{module}::{}", new.name);
    let (a, b) = (old.builder_name(), new.builder_name());
    let mut method = old.method.clone();
    if a != b {
        // A builder renamed with its method is part of the rename, reported once.
        if old.name == new.name {
            found.push(
                Kind::Breaking,
                &item,
                format!("request builder renamed from `{a}` to `{b}`"),
            );
        }
        method.output = replace_word(&method.output, a, b);
    }
    let mut touched = signatures::function(found, &item, &method, new.method, old.name != new.name);
    if let (Some((a, old_builder)), Some((b, new_builder))) = (old.builder, new.builder) {
        let path = format!("{module}::{b}");
        let old_builder = renamed_in(old_builder, a, b);
        touched.extend(super::item(found, &path, &old_builder, new_builder, a != b));
        if let (Some(x), Some(y)) = (&old_builder.request, &new_builder.request) {
            request(found, &item, x, y, &touched);
        }
    }
}

/// What an operation sends; a parameter or body whose Rust side changed (`touched`: the
/// names of changed arguments and builder methods) is reported there, not here.
fn request(
    found: &mut Found,
    path: &str,
    old: &Request,
    new: &Request,
    touched: &BTreeSet<String>,
) {
    if let (Some(a), Some(b)) = (&old.route, &new.route) {
        if a != b {
            found.push(
                Kind::Wire,
                path,
                format!("now calls `{}` (was `{}`)", b.text(), a.text()),
            );
        }
    }
    for (key, n) in &new.params {
        if touched.contains(key) {
            continue;
        }
        let Some(o) = old.params.get(key) else {
            found.push(
                Kind::Wire,
                path,
                format!("now sends `{}` in {}", n.name, n.location),
            );
            continue;
        };
        let item = format!("{path}: parameter `{key}`");
        if o.location != n.location {
            found.push(
                Kind::Wire,
                &item,
                format!(
                    "moved from {} to {}; it is passed the same way in Rust",
                    o.location, n.location
                ),
            );
        }
        if o.name != n.name {
            found.push(
                Kind::Wire,
                &item,
                format!("sent as `{}` (was `{}`)", n.name, o.name),
            );
        }
        if o.style != n.style {
            found.push(
                Kind::Wire,
                &item,
                format!(
                    "serialized with {} (was {})",
                    code(&n.style),
                    code(&o.style)
                ),
            );
        }
    }
    for (key, o) in &old.params {
        if !new.params.contains_key(key) && !touched.contains(key) {
            found.push(
                Kind::Wire,
                path,
                format!("no longer sends `{}` in {}", o.name, o.location),
            );
        }
    }
    if old.body != new.body && !touched.contains("body") {
        found.push(
            Kind::Wire,
            path,
            format!(
                "the body is now sent with {} (was {})",
                code(&new.body.join(", ")),
                code(&old.body.join(", "))
            ),
        );
    }
}
