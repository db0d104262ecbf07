//! The client crate's `apis/mod.rs`: a module per API behind its feature, the accessors of the
//! API clients on the crate's `Client`, and the mock routes of every API.

use super::layout::expr::{Attribute, Expr};
use super::layout::items::{push_const, push_fn, Param};
use super::layout::literal;
use super::layout::{push_attribute, push_doc};
use super::module::has_client;
use super::rust::feature_name;
use crate::model::Api;

/// The text of `apis/mod.rs`.
pub fn module(apis: &[Api]) -> String {
    let mut out = String::new();
    for api in apis {
        push_doc(
            &mut out,
            0,
            &format!(
                " The {} API (feature `{}`).",
                api.title,
                feature_name(&api.module)
            ),
        );
        push_cfg_feature(&mut out, 0, &api.module);
        out.push_str(&format!("pub mod {};\n", api.module));
    }
    push_client_accessors(&mut out, apis);
    push_mock_routes(&mut out, apis);
    out
}

/// `#[cfg(feature = "<module's feature>")]`.
fn push_cfg_feature(out: &mut String, indent: usize, module: &str) {
    let feature = format!("feature = {}", literal(&feature_name(module)));
    push_attribute(out, indent, "cfg", &[&feature]);
}

/// `impl Client { pub fn access_control(&self) -> ... }` for the crate that holds all APIs.
fn push_client_accessors(out: &mut String, apis: &[Api]) {
    let with_client: Vec<&Api> = apis.iter().filter(|api| has_client(api)).collect();
    if with_client.is_empty() {
        out.push_str("impl crate::Client {}\n");
        return;
    }
    out.push_str("impl crate::Client {\n");
    for api in with_client {
        push_doc(out, 4, &format!(" The {} API.", api.title));
        push_cfg_feature(out, 4, &api.module);
        let client = format!("{}::{}", api.module, api.client_name);
        let receiver = [Param {
            name: "&self",
            ty: None,
        }];
        let value = Expr::call(format!("{client}::new"), vec![Expr::word("self.into()")]);
        let head = format!("pub fn {}", api.module);
        push_fn(out, 4, &head, &receiver, &client, &value);
    }
    out.push_str("}\n");
}

/// `MockServer::start`: a mock server that knows every compiled API's `ROUTES`, for the answer
/// to unmocked calls.
fn push_mock_routes(out: &mut String, apis: &[Api]) {
    out.push_str(
        "#[cfg(feature = \"test-util\")]
impl crate::mock::MockServer {
    /// Starts a server on a free local port, answering `501` to every call until mocks are
    /// mounted, with a message naming the nearest operation of the compiled APIs.
    pub async fn start() -> Self {
",
    );
    let tables = apis
        .iter()
        .map(|api| {
            let feature = format!("feature = {}", literal(&feature_name(&api.module)));
            let cfg = Attribute {
                path: "cfg".into(),
                arguments: vec![feature.into()],
            };
            Expr::Attributed(
                cfg,
                Box::new(Expr::word(format!("{}::mock::ROUTES", api.module))),
            )
        })
        .collect();
    push_const(
        out,
        8,
        "const ROUTES: &[&[crate::mock::OperationRoute]] = ",
        &Expr::Array(tables).reference(),
    );
    out.push_str("        Self::with_routes(ROUTES).await\n    }\n}\n");
}
