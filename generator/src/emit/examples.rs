//! The table of example sites that the conformance test walks: for every JSON body a definition
//! documents, where it is and which generated type its examples must round-trip through.

use super::layout::expr::{Expr, FieldInit};
use super::layout::items::push_const;
use super::layout::literal;
use super::rust::{push_format_imports, type_text};
use crate::model::{Api, Direction};

/// `tests/generated/examples.rs`: `SITES`, one entry per example site of every API, given with
/// the definition file it comes from.
pub fn table(apis: &[(String, &Api)]) -> String {
    let mut out = String::from(
        "//! Every JSON body of every definition that may carry examples, with the generated
//! types its examples must decode into and re-encode from.
use super::{round_trip, Direction, Site};
",
    );
    let all_types = apis
        .iter()
        .flat_map(|(_, api)| api.example_sites.iter().flat_map(|s| s.types.iter()));
    push_format_imports(&mut out, all_types, "itwin_platform::runtime");
    let mut sites = Vec::new();
    for (file, api) in apis {
        let models = format!("itwin_platform::{}::models::", api.module);
        for site in &api.example_sites {
            let field = |name: &'static str, value: Expr<'static>| FieldInit {
                name: name.into(),
                value: Some(value),
            };
            let direction = match site.direction {
                Direction::Request => "Direction::Request",
                Direction::Response => "Direction::Response",
            };
            let round_trips = site
                .types
                .iter()
                .map(|ty| Expr::Turbofish("round_trip".into(), type_text(ty, &models).into()))
                .collect();
            sites.push(Expr::structure(
                "Site",
                vec![
                    field("file", Expr::word(literal(file))),
                    field("pointer", Expr::word(literal(&site.pointer))),
                    field("direction", Expr::word(direction)),
                    field("round_trips", Expr::Array(round_trips).reference()),
                ],
            ));
        }
    }
    push_const(
        &mut out,
        0,
        "pub const SITES: &[Site] = ",
        &Expr::Array(sites).reference(),
    );
    out
}
