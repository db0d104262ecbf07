//! Generated items written straight as text in the layout prettyplease gives their tokens.
//!
//! Making tokens, parsing them with syn and printing them with prettyplease costs about 0.1 s
//! of CPU per MB of Rust, and an API with tens of thousands of operations and schemas
//! (Microsoft Graph) makes tens of MB of it. The most frequent items (an operation's client
//! method and request builder, a model's open enum and struct) have few and fixed shapes, so
//! their text is written here directly, for the cases whose layout is certain: every line that
//! has a place to break fits within prettyplease's margin, or breaks where prettyplease
//! breaks it, as these functions lay out. Anything else is `None` and left to the item's
//! tokens, which stay the reference: debug builds format those too and check that the text
//! is the same (`unparse::by_part`), and the tests here compare the two at every width.

pub mod models;

use proc_macro2::Literal;

pub(super) use super::syntax::type_text;

/// prettyplease's line width: a group whose line would be longer breaks.
pub(super) const MARGIN: usize = 89;

/// A Rust string literal of `value`, escaped as quote escapes it.
pub(super) fn literal(value: &str) -> String {
    // Printable ASCII other than `"` and `\` is written as it is; the rest is escaped.
    if value
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        let mut text = String::with_capacity(value.len() + 2);
        text.push('"');
        text.push_str(value);
        text.push('"');
        return text;
    }
    Literal::string(value).to_string()
}

/// `///` comments, as prettyplease prints `#[doc = "..."]` attributes.
pub(super) fn push_docs(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        out.push_str(indent);
        out.push_str("///");
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
}

/// Whether `line` (ending in `suffix`) at `indent` fits within the margin, as prettyplease
/// measures it: the trailing comma of a `last` item is not part of its width.
pub(super) fn fits(indent: usize, line: &str, suffix: &str, last: bool) -> bool {
    let width = if last {
        line.len() - suffix.len()
    } else {
        line.len()
    };
    indent + width <= MARGIN
}

/// A line that prettyplease could break: written when it fits within the margin.
pub(super) fn push_line(out: &mut String, indent: &str, line: &str) -> Option<()> {
    (indent.len() + line.len() <= MARGIN).then(|| {
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    })
}

/// A line that ends in a type, which prettyplease breaks inside the type's generic arguments
/// where the line is too long: one argument per line, a level in, each broken the same way.
/// `prefix` and `suffix` have no place to break; a `last` item's suffix is a trailing comma,
/// which prettyplease prints only when it breaks, so it does not count in the width.
pub(super) fn push_typed(
    out: &mut String,
    indent: usize,
    prefix: &str,
    ty: &str,
    suffix: &str,
    last: bool,
) {
    let width = prefix.len() + ty.len() + if last { 0 } else { suffix.len() };
    let parts = (indent + width > MARGIN)
        .then(|| generic_parts(ty))
        .flatten();
    push_indent(out, indent);
    out.push_str(prefix);
    match parts {
        Some((head, args)) => {
            out.push_str(head);
            out.push_str("<\n");
            let count = args.len();
            for (i, arg) in args.into_iter().enumerate() {
                push_typed(out, indent + 4, "", arg, ",", i + 1 == count);
            }
            push_indent(out, indent);
            out.push('>');
        }
        None => out.push_str(ty),
    }
    out.push_str(suffix);
    out.push('\n');
}

/// `indent` spaces.
fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// `Head<A, B>` as `Head` and its arguments at the top level; `None` for a type without
/// generic arguments.
fn generic_parts(ty: &str) -> Option<(&str, Vec<&str>)> {
    let open = ty.find('<')?;
    let inner = ty.get(open + 1..)?.strip_suffix('>')?;
    let mut args = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                args.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    args.push(inner[start..].trim());
    Some((&ty[..open], args))
}

/// An associated function's signature up to its opening brace: on one line when it fits,
/// otherwise one parameter per line. A parameter is a receiver (`&self`) or `(name, type)`.
pub(super) fn push_signature(
    out: &mut String,
    head: &str,
    params: &[(String, Option<String>)],
    output: &str,
) -> Option<()> {
    let param_text = |(name, ty): &(String, Option<String>)| match ty {
        Some(ty) => format!("{name}: {ty}"),
        None => name.clone(),
    };
    let joined: Vec<String> = params.iter().map(param_text).collect();
    let one_line = format!("{head}({}) -> {output} {{", joined.join(", "));
    if push_line(out, "    ", &one_line).is_some() {
        return Some(());
    }
    out.push_str(&format!("    {head}(\n"));
    for (i, (name, ty)) in params.iter().enumerate() {
        match ty {
            Some(ty) => push_typed(out, 8, &format!("{name}: "), ty, ",", i + 1 == params.len()),
            None => out.push_str(&format!("        {name},\n")),
        }
    }
    push_typed(out, 4, ") -> ", output, " {", false);
    Some(())
}

/// A field of a struct literal: `field: value`, or the shorthand `field` without a value.
pub(super) struct Init {
    field: String,
    value: Option<String>,
}

impl Init {
    pub(super) fn new(field: &str, value: Option<String>) -> Init {
        Init {
            field: field.to_owned(),
            value,
        }
    }

    fn flat(&self) -> String {
        match &self.value {
            Some(value) => format!("{}: {value}", self.field),
            None => self.field.clone(),
        }
    }
}

/// A struct literal that ends a function body at `indent`: on one line only when it is at
/// most 34 columns wide (prettyplease breaks any wider one, fitting or not), otherwise one
/// field per line, a `name: name.into()` too long for its line broken before `.into()`.
pub(super) fn push_struct_literal(
    out: &mut String,
    indent: usize,
    path: &str,
    inits: &[Init],
) -> Option<()> {
    let flat: Vec<String> = inits.iter().map(Init::flat).collect();
    let flat = flat.join(", ");
    if path.len() + flat.len() + 4 <= 34 {
        let line = if inits.is_empty() {
            format!("{path} {{}}")
        } else {
            format!("{path} {{ {flat} }}")
        };
        return push_line(out, &" ".repeat(indent), &line);
    }
    out.push_str(&format!("{:indent$}{path} {{\n", ""));
    let inner = indent + 4;
    for (i, init) in inits.iter().enumerate() {
        let line = format!("{},", init.flat());
        if fits(inner, &line, ",", i + 1 == inits.len()) {
            out.push_str(&format!("{:inner$}{line}\n", ""));
            continue;
        }
        let converted = format!("{}.into()", init.field);
        if init.value.as_deref() != Some(converted.as_str()) || init.field.len() <= 4 {
            return None;
        }
        let field = &init.field;
        out.push_str(&format!(
            "{:inner$}{field}: {field}\n{:w$}.into(),\n",
            "",
            "",
            w = inner + 4
        ));
    }
    out.push_str(&format!("{:indent$}}}\n", ""));
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped_as_quote_escapes_them() {
        for value in [
            "",
            "plain",
            "it's",
            "a \"quote\"",
            "back\\slash",
            "tab\there",
            "new\nline",
            "nul\0",
            "é",
            "\u{200b}",
            "{id}/$count",
            "~`!@#%^&*()",
        ] {
            assert_eq!(
                literal(value),
                Literal::string(value).to_string(),
                "{value:?}"
            );
        }
    }
}
