//! Items and statements: signatures, item headers, fields and variants, `use` lists,
//! statements and match arms, each on its lines at an indent.

use super::expr::{write_in_block, Expr};
use super::types::write_type;
use super::{fits, push_break, push_indent, push_separated, separated_width, INDENT};

/// A parameter of a function: a receiver (`&self`) or `name: Type`.
pub struct Param<'a> {
    pub name: &'a str,
    pub ty: Option<&'a str>,
}

impl Param<'_> {
    fn width(&self) -> usize {
        self.name.len() + self.ty.map_or(0, |t| 2 + t.len())
    }
}

/// A function's signature up to its opening brace, at `indent`: `head` (`pub fn name`), the
/// parameters on its line where the whole signature fits, otherwise one per line a level in;
/// then the return type, broken in its generic arguments where it does not fit.
pub fn push_signature(
    out: &mut String,
    indent: usize,
    head: &str,
    params: &[Param<'_>],
    output: &str,
) {
    push_indent(out, indent);
    out.push_str(head);
    out.push('(');
    let params_width = separated_width(params.iter().map(Param::width));
    // From the parameters to the brace: the return type's boxes come after the parameters'.
    let rest = ") -> ".len() + output.len() + " {".len();
    if params.is_empty() || fits(out, params_width + rest) {
        push_separated(out, params, |out, param| {
            out.push_str(param.name);
            if let Some(ty) = param.ty {
                out.push_str(": ");
                out.push_str(ty);
            }
        });
    } else {
        let inner = indent + INDENT;
        for (i, param) in params.iter().enumerate() {
            push_break(out, inner);
            out.push_str(param.name);
            if let Some(ty) = param.ty {
                out.push_str(": ");
                write_type(out, inner, ty, usize::from(i + 1 != params.len()));
            }
            out.push(',');
        }
        push_break(out, indent);
    }
    out.push_str(") -> ");
    write_type(out, indent, output, " {".len());
    out.push_str(" {\n");
}

/// A function at `indent` whose body is one expression: its signature (as [`push_signature`]),
/// the expression as the body's value, and the closing brace.
pub fn push_fn(
    out: &mut String,
    indent: usize,
    head: &str,
    params: &[Param<'_>],
    output: &str,
    body: &Expr<'_>,
) {
    push_signature(out, indent, head, params, output);
    push_statement(out, indent + INDENT, body, false);
    push_indent(out, indent);
    out.push_str("}\n");
}

/// An item's header up to its opening brace (`pub struct Name<Shape = Minimal> {`), at
/// `indent`: `head`, then its generic parameters (on the line, or one per line where the
/// header does not fit), then `tail`.
pub fn push_header(out: &mut String, indent: usize, head: &str, generics: &[&str], tail: &str) {
    push_indent(out, indent);
    out.push_str(head);
    if !generics.is_empty() {
        out.push('<');
        write_generic_params(out, indent, generics, tail.len());
    }
    out.push_str(tail);
    out.push('\n');
}

/// An `impl` block's header up to its opening brace, at `indent`: `impl<generics> Trait for
/// Type {`, the trait's `for` on a line of its own where the header is too long.
pub fn push_impl_header(
    out: &mut String,
    indent: usize,
    generics: &[&str],
    trait_: Option<&str>,
    self_ty: &str,
) {
    push_indent(out, indent);
    out.push_str("impl");
    let after_generics = match trait_ {
        // Up to the place to break before `for`.
        Some(trait_) => 1 + trait_.len(),
        None => 1 + self_ty.len() + " {".len(),
    };
    if !generics.is_empty() {
        out.push('<');
        write_generic_params(out, indent, generics, after_generics);
    }
    out.push(' ');
    if let Some(trait_) = trait_ {
        write_type(out, indent, trait_, 0);
        if fits(out, " for ".len() + self_ty.len() + " {".len()) {
            out.push(' ');
        } else {
            push_break(out, indent);
        }
        out.push_str("for ");
    }
    write_type(out, indent, self_ty, " {".len());
    out.push_str(" {\n");
}

/// Generic parameters after their `<`, and the `>`: on the line where they fit with the
/// `trailing` text, otherwise one per line.
fn write_generic_params(out: &mut String, indent: usize, params: &[&str], trailing: usize) {
    if fits(
        out,
        separated_width(params.iter().map(|p| p.len())) + ">".len() + trailing,
    ) {
        push_separated(out, params, |out, p| out.push_str(p));
    } else {
        for param in params {
            push_break(out, indent + INDENT);
            out.push_str(param);
            out.push(',');
        }
        push_break(out, indent);
    }
    out.push('>');
}

/// A named field of a struct, at `indent`: `prefix` (`pub name: `) and its type, broken in
/// its generic arguments where the line is too long.
pub fn push_field(out: &mut String, indent: usize, prefix: &str, ty: &str) {
    push_indent(out, indent);
    out.push_str(prefix);
    write_type(out, indent, ty, ",".len());
    out.push_str(",\n");
}

/// A variant of an enum, at `indent`: `Name,`, or with `ty`, `Name(Type),`, the type on a
/// line of its own where the line is too long.
pub fn push_variant(out: &mut String, indent: usize, name: &str, ty: Option<&str>) {
    push_indent(out, indent);
    out.push_str(name);
    if let Some(ty) = ty {
        out.push('(');
        if fits(out, ty.len() + "),".len()) {
            out.push_str(ty);
        } else {
            push_break(out, indent + INDENT);
            write_type(out, indent + INDENT, ty, 0);
            out.push(',');
            push_break(out, indent);
        }
        out.push(')');
    }
    out.push_str(",\n");
}

/// `pub type Name = Type;` and `type Item = Type;`: `head` (`pub type Name = `) and the type.
pub fn push_type_alias(out: &mut String, indent: usize, head: &str, ty: &str) {
    push_indent(out, indent);
    out.push_str(head);
    write_type(out, indent, ty, ";".len());
    out.push_str(";\n");
}

/// `use path::{names};` (`use path::Name;` for one name): the names on the line where they fit,
/// otherwise as many per line as fit.
pub fn push_use(out: &mut String, indent: usize, head: &str, names: &[&str]) {
    push_indent(out, indent);
    out.push_str(head);
    match names {
        [] => {}
        [one] => out.push_str(one),
        _ => {
            out.push('{');
            if fits(
                out,
                separated_width(names.iter().map(|n| n.len())) + "};".len(),
            ) {
                push_separated(out, names, |out, n| out.push_str(n));
            } else {
                push_break(out, indent + INDENT);
                for (i, name) in names.iter().enumerate() {
                    let last = i + 1 == names.len();
                    let chunk = name.len() + usize::from(!last);
                    if i > 0 {
                        if fits(out, 1 + chunk) {
                            out.push(' ');
                        } else {
                            push_break(out, indent + INDENT);
                        }
                    }
                    out.push_str(name);
                    out.push(',');
                }
                push_break(out, indent);
            }
            out.push('}');
        }
    }
    out.push_str(";\n");
}

/// An expression statement at `indent`: with `;`, or the value of the block without.
pub fn push_statement(out: &mut String, indent: usize, expr: &Expr<'_>, semicolon: bool) {
    push_indent(out, indent);
    expr.write(out, indent, usize::from(semicolon), true);
    if semicolon {
        out.push(';');
    }
    out.push('\n');
}

/// `let pattern = value;` at `indent`.
pub fn push_let(out: &mut String, indent: usize, pattern: &str, value: &Expr<'_>) {
    push_indent(out, indent);
    out.push_str("let ");
    out.push_str(pattern);
    out.push_str(" = ");
    value.write(out, indent, ";".len(), false);
    out.push_str(";\n");
}

/// `place = value;` at `indent`.
pub fn push_assign(out: &mut String, indent: usize, place: &Expr<'_>, value: &Expr<'_>) {
    push_indent(out, indent);
    place.write(out, indent, " = ".len(), false);
    out.push_str(" = ");
    value.write(out, indent, ";".len(), false);
    out.push_str(";\n");
}

/// A constant or static at `indent`: `head` (`pub const NAME: Type = `) and its value.
pub fn push_const(out: &mut String, indent: usize, head: &str, value: &Expr<'_>) {
    push_indent(out, indent);
    out.push_str(head);
    value.write(out, indent, ";".len(), false);
    out.push_str(";\n");
}

/// A match arm at `indent`: `pattern => body,`, the body in braces on a line of its own where
/// it does not fit (the comma does not count: prettyplease prints it only on one line).
pub fn push_arm(out: &mut String, indent: usize, pattern: &str, body: &Expr<'_>) {
    push_indent(out, indent);
    out.push_str(pattern);
    out.push_str(" => ");
    if fits(out, body.width()) {
        body.write_flat(out);
        out.push(',');
    } else {
        write_in_block(out, indent, body);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::super::expr::Link;
    use super::super::oracle::assert_laid_out;
    use super::*;

    #[test]
    fn signatures_break_their_parameters_then_their_return_type() {
        for width in 0..90 {
            let name = format!("n{}", "x".repeat(width));
            let ty = format!("Vec<{name}>");
            let output = format!("Result<ApiResponse<models::{name}>, Error>");
            let mut out = String::from("impl A {\n");
            let params = [
                Param {
                    name: "&self",
                    ty: None,
                },
                Param {
                    name: "id",
                    ty: Some("impl Into<String>"),
                },
                Param {
                    name: &name,
                    ty: Some(&ty),
                },
            ];
            push_signature(&mut out, 4, "pub fn call", &params, &output);
            out.push_str("        todo!()\n    }\n");
            push_signature(&mut out, 4, "pub async fn send", &params[..1], &output);
            out.push_str("        todo!()\n    }\n}\n");
            assert_laid_out(&out);
        }
    }

    #[test]
    fn headers_break_their_generics_and_before_for() {
        for width in 0..90 {
            let name = format!("N{}", "x".repeat(width));
            let mut out = String::new();
            push_header(
                &mut out,
                0,
                &format!("pub struct {name}"),
                &["Shape = Minimal"],
                " {",
            );
            out.push_str("    a: u8,\n}\n");
            push_impl_header(
                &mut out,
                0,
                &["Shape: ResponseShape"],
                None,
                &format!("{name}<Shape>"),
            );
            out.push_str("    const A: u8 = 1;\n}\n");
            push_impl_header(
                &mut out,
                0,
                &[],
                Some("crate::runtime::__private::OpenEnum"),
                &name,
            );
            out.push_str("    const A: u8 = 1;\n}\n");
            push_impl_header(&mut out, 0, &["'a"], None, &format!("{name}<'a>"));
            out.push_str("    const A: u8 = 1;\n}\n");
            push_header(&mut out, 0, &format!("pub enum {name}"), &[], " {");
            push_variant(&mut out, 4, &name, Some(&format!("Box<models::{name}>")));
            push_variant(&mut out, 4, "Other", None);
            out.push_str("}\n");
            push_type_alias(
                &mut out,
                0,
                &format!("pub type {name} = "),
                "Vec<std::collections::BTreeMap<String, serde_json::Value>>",
            );
            assert_laid_out(&out);
        }
    }

    #[test]
    fn use_lists_fill_their_lines() {
        for count in 1..30 {
            let names: Vec<String> = (0..count).map(|i| format!("Name{i}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut out = String::new();
            push_use(&mut out, 0, "use crate::runtime::", &names);
            out.push_str("mod m {\n");
            push_use(&mut out, 4, "use crate::runtime::", &names);
            out.push_str("}\n");
            assert_laid_out(&out);
        }
    }

    #[test]
    fn statements_and_arms_break_their_expressions() {
        for width in 0..90 {
            let name = format!("n{}", "x".repeat(width));
            let mut out = String::from("fn f() {\n");
            let place = Expr::self_field("params", vec![Link::Field(name.as_str().into())]);
            let value = Expr::word(name.as_str()).some();
            push_assign(&mut out, 4, &place, &value);
            push_let(
                &mut out,
                4,
                "links",
                &Expr::self_field(
                    name.as_str(),
                    vec![Link::Method("as_ref".into(), None, vec![]), Link::Try],
                ),
            );
            push_const(
                &mut out,
                4,
                "const EXAMPLE: Option<&'static str> = ",
                &Expr::word(format!("\"{name}\"")).some(),
            );
            push_indent(&mut out, 4);
            out.push_str("match x {\n");
            push_arm(
                &mut out,
                8,
                "200",
                &Expr::chain(
                    Expr::word("answer"),
                    vec![
                        Link::Method("json".into(), None, vec![]),
                        Link::Method(
                            "map".into(),
                            None,
                            vec![Expr::word(format!("Self::{name}"))],
                        ),
                    ],
                ),
            );
            push_arm(
                &mut out,
                8,
                &format!("Self::{name}"),
                &Expr::word("\"application/json\""),
            );
            out.push_str("        _ => 1,\n    }\n}\n");
            assert_laid_out(&out);
        }
    }
}
