//! An enum that keeps values it does not know, so that new service values decode.

use super::super::layout::expr::{Brackets, Expr};
use super::super::layout::items::{
    push_const, push_header, push_impl_header, push_statement, push_variant,
};
use super::super::layout::literal;
use super::super::layout::push_doc;
use crate::model::Variant;

/// An open enum (after its docs): the variants and their wire values, with `Unknown` for the
/// rest; the runtime's macro writes the conversions, which are the same for every such enum.
pub fn push_open_enum(out: &mut String, name: &str, variants: &[Variant]) {
    out.push_str("#[derive(Debug, Clone, PartialEq, Eq, Hash)]\n#[non_exhaustive]\n");
    push_header(out, 0, &format!("pub enum {name}"), &[], " {");
    for variant in variants {
        push_doc(out, 4, &format!(" `{}`", variant.value));
        push_variant(out, 4, &variant.rust_name, None);
    }
    out.push_str(
        "    /// A value this version of the crate does not know.\n    Unknown(String),\n}\n",
    );
    push_impl_header(
        out,
        0,
        &[],
        Some("crate::runtime::__private::OpenEnum"),
        name,
    );
    let values = variants
        .iter()
        .map(|v| {
            Expr::Tuple(vec![
                Expr::word(format!("Self::{}", v.rust_name)),
                Expr::word(literal(&v.value)),
            ])
        })
        .collect();
    push_const(
        out,
        4,
        "const VALUES: &'static [(Self, &'static str)] = ",
        &Expr::Array(values).reference(),
    );
    out.push_str("}\n");
    let conversions = Expr::Macro(
        "crate::runtime::__private::open_enum".into(),
        Brackets::Round,
        Box::new(Expr::word(name)),
    );
    push_statement(out, 0, &conversions, true);
}
