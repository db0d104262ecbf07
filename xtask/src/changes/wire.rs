//! What the generated code sends and reads over the wire, read from the code itself: the
//! `Request` a request builder assembles (route, parameters by the Rust field they come
//! from, body), and the strings an enum's variants stand for.

use std::collections::BTreeMap;

use syn::visit::{self, Visit};
use syn::{Expr, ImplItem, ItemImpl, Pat, ReturnType};

use super::text::{literal, render, string};

/// The request one builder sends, as its `fn request(&self) -> Request` assembles it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Request {
    /// `Request::new(operation, method, path, ..)`.
    pub route: Option<Route>,
    /// The parameters, by the field of the builder whose value they send (or by their wire
    /// name when no field is read, as for a header of constant value).
    pub params: BTreeMap<String, Param>,
    /// How the body is sent: each `..._body` call with its literal arguments.
    pub body: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: String,
    pub path: String,
}

impl Route {
    /// `GET /things/{id}`.
    pub fn text(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Param {
    /// "the query", "a header" or "the path".
    pub location: &'static str,
    /// The name on the wire.
    pub name: String,
    /// How the value is serialized: the arguments after the value of `..._styled` calls.
    pub style: String,
}

impl Request {
    /// Adds what `other` (a part of the builder: the parameters struct it holds) sends.
    pub fn merge(&mut self, other: &Request) {
        if self.route.is_none() {
            self.route.clone_from(&other.route);
        }
        for (key, param) in &other.params {
            self.params
                .entry(key.clone())
                .or_insert_with(|| param.clone());
        }
        self.body.extend(other.body.iter().cloned());
    }
}

/// What the functions of `block` that return a `Request` send.
pub fn request_of(block: &ItemImpl) -> Option<Request> {
    let mut reader = RequestReader::default();
    for item in &block.items {
        if let ImplItem::Fn(function) = item {
            let returns_request = matches!(&function.sig.output,
                ReturnType::Type(_, ty) if render(ty.as_ref()) == "Request");
            if returns_request {
                reader.found = true;
                reader.visit_block(&function.block);
            }
        }
    }
    reader.found.then_some(reader.request)
}

#[derive(Default)]
struct RequestReader {
    found: bool,
    request: Request,
}

impl<'ast> Visit<'ast> for RequestReader {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        let is_new = matches!(call.func.as_ref(), Expr::Path(p)
            if p.path.segments.len() >= 2
                && p.path.segments.iter().rev().take(2).map(|s| s.ident.to_string())
                    .eq(["new", "Request"]));
        if is_new {
            let args: Vec<&Expr> = call.args.iter().collect();
            if let [_operation, method, path, ..] = args.as_slice() {
                let method = match method {
                    Expr::Path(p) => p
                        .path
                        .segments
                        .last()
                        .map_or_else(String::new, |s| s.ident.to_string().to_uppercase()),
                    other => render(*other),
                };
                self.request.route = Some(Route {
                    method,
                    path: string(path).unwrap_or_else(|| render(*path)),
                });
            }
        }
        visit::visit_expr_call(self, call);
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        visit::visit_expr_method_call(self, call);
        let method = call.method.to_string();
        let location = match method.trim_end_matches("_styled") {
            "query" => "the query",
            "header" => "a header",
            "path_param" => "the path",
            _ if method.ends_with("_body") => {
                let literals: Vec<String> = call
                    .args
                    .iter()
                    .filter_map(string)
                    .map(|s| format!("{s:?}"))
                    .collect();
                self.request
                    .body
                    .push(format!("{method}({})", literals.join(", ")));
                return;
            }
            _ => return,
        };
        let args: Vec<&Expr> = call.args.iter().collect();
        let Some(name) = args.first().and_then(|a| string(a)) else {
            return;
        };
        let field = args.get(1).and_then(|a| self_field(a));
        let style = args
            .iter()
            .skip(2)
            .map(|a| render(*a))
            .collect::<Vec<_>>()
            .join(", ");
        self.request.params.insert(
            field.unwrap_or_else(|| name.clone()),
            Param {
                location,
                name,
                style,
            },
        );
    }
}

/// The field of `self` an expression reads: `order_by` in `self.params.order_by.as_ref()`.
fn self_field(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Field(field) if rooted_at_self(&field.base) => match &field.member {
            syn::Member::Named(ident) => Some(ident.to_string()),
            syn::Member::Unnamed(index) => Some(index.index.to_string()),
        },
        Expr::Field(field) => self_field(&field.base),
        Expr::MethodCall(call) => {
            self_field(&call.receiver).or_else(|| call.args.iter().find_map(self_field))
        }
        Expr::Call(call) => call.args.iter().find_map(self_field),
        Expr::Reference(reference) => self_field(&reference.expr),
        Expr::Paren(paren) => self_field(&paren.expr),
        _ => None,
    }
}

fn rooted_at_self(expr: &Expr) -> bool {
    match expr {
        Expr::Path(path) => path.path.is_ident("self"),
        Expr::Field(field) => rooted_at_self(&field.base),
        _ => false,
    }
}

/// The strings the impls of an enum map its variants to, by variant: `(Self::X, "x")` in a
/// table, `Self::X => "x"` in a `match`, or `200 => .. Self::Ok ..` (a status read as a
/// variant).
pub fn variant_strings(block: &ItemImpl, into: &mut BTreeMap<String, Vec<String>>) {
    let mut reader = VariantReader { into };
    reader.visit_item_impl(block);
}

struct VariantReader<'a> {
    into: &'a mut BTreeMap<String, Vec<String>>,
}

impl VariantReader<'_> {
    fn add(&mut self, variant: String, value: String) {
        let values = self.into.entry(variant).or_default();
        if !values.contains(&value) {
            values.push(value);
        }
    }
}

/// `X` of the path `Self::X`.
fn self_variant(path: &syn::Path) -> Option<String> {
    match path.segments.iter().collect::<Vec<_>>().as_slice() {
        [first, variant] if first.ident == "Self" => Some(variant.ident.to_string()),
        _ => None,
    }
}

impl<'ast> Visit<'ast> for VariantReader<'_> {
    fn visit_expr_tuple(&mut self, tuple: &'ast syn::ExprTuple) {
        if let [Expr::Path(path), value] = tuple.elems.iter().collect::<Vec<_>>().as_slice() {
            if let (Some(variant), Some(value)) = (self_variant(&path.path), string(value)) {
                self.add(variant, value);
            }
        }
        visit::visit_expr_tuple(self, tuple);
    }

    fn visit_arm(&mut self, arm: &'ast syn::Arm) {
        match &arm.pat {
            Pat::Path(path) => {
                if let (Some(variant), Some(value)) = (self_variant(&path.path), string(&arm.body))
                {
                    self.add(variant, value);
                }
            }
            Pat::Lit(lit) => {
                if let Some(value) = literal(&lit.lit) {
                    let mut paths = SelfPaths::default();
                    paths.visit_expr(&arm.body);
                    for variant in paths.0 {
                        self.add(variant, value.clone());
                    }
                }
            }
            _ => {}
        }
        visit::visit_arm(self, arm);
    }
}

/// The variants an expression names as `Self::X`.
#[derive(Default)]
struct SelfPaths(Vec<String>);

impl<'ast> Visit<'ast> for SelfPaths {
    fn visit_expr_path(&mut self, path: &'ast syn::ExprPath) {
        self.0.extend(self_variant(&path.path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(code: &str) -> ItemImpl {
        syn::parse_str(code).unwrap()
    }

    #[test]
    fn a_request_is_read_from_its_builder() {
        let request = request_of(&block(
            r#"impl GetThings {
                fn request(&self) -> Request {
                    Request::new("get-things", HttpMethod::Get, "/things/{id}", ACCEPT)
                        .path_param("id", &self.id)
                        .query("$top", self.params.top.as_ref())
                        .header("Prefer", Some(&Shape::PREFER))
                        .json_body("application/json", Some(&self.body))
                }
            }"#,
        ))
        .unwrap();
        assert_eq!(request.route.unwrap().text(), "GET /things/{id}");
        assert_eq!(request.params["id"].location, "the path");
        assert_eq!(request.params["top"].name, "$top");
        assert_eq!(request.params["Prefer"].location, "a header");
        assert_eq!(request.body, [r#"json_body("application/json")"#]);
        assert!(request_of(&block("impl X { fn f(&self) -> u8 { 1 } }")).is_none());
    }

    #[test]
    fn variants_are_read_with_the_strings_they_stand_for() {
        let mut strings = BTreeMap::new();
        variant_strings(
            &block(
                r#"impl X {
                    const VALUES: &'static [(Self, &'static str)] = &[(Self::A, "a")];
                    fn as_str(self) -> &'static str { match self { Self::B => "b/c" } }
                    fn from(s: u16) -> Self { match s { 204 => Ok(Self::C), _ => todo() } }
                }"#,
            ),
            &mut strings,
        );
        assert_eq!(strings["A"], ["a"]);
        assert_eq!(strings["B"], ["b/c"]);
        assert_eq!(strings["C"], ["204"]);
    }
}
