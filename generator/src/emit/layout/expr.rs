//! Expressions of generated code, with the places prettyplease may break them, and their
//! layout.
//!
//! Each kind of expression is one of prettyplease's boxes: the arguments of a call, the
//! elements of an array or tuple, the fields of a struct literal and the links of a method
//! chain each go one per line, a level in, when the box does not fit on its line.

use std::borrow::Cow;

use super::types::write_generic_arguments;
use super::{fits, push_break, push_separated, separated_width, write_attribute, INDENT};

/// An expression of generated code.
pub enum Expr<'a> {
    /// Text with no place to break: a name, a path, a literal, `None`.
    Word(Cow<'a, str>),
    /// `&expr`.
    Ref(Box<Expr<'a>>),
    /// `function(arguments)`, the function a path.
    Call(Cow<'a, str>, Vec<Expr<'a>>),
    /// `receiver.links`: fields, method calls, `.await` and `?` after a receiver.
    Chain(Box<Expr<'a>>, Vec<Link<'a>>),
    /// `Path { fields }`.
    Struct(Cow<'a, str>, Vec<FieldInit<'a>>),
    /// `[elements]`.
    Array(Vec<Expr<'a>>),
    /// `(elements)`, of two or more.
    Tuple(Vec<Expr<'a>>),
    /// `path::<Type>`.
    Turbofish(Cow<'a, str>, Cow<'a, str>),
    /// A macro call around one expression: `vec![element]`, `open_enum!(Name)`.
    Macro(Cow<'a, str>, Brackets, Box<Expr<'a>>),
    /// A closure whose body is not a block: its head (`move |[a, b]|`) and body.
    Closure(Cow<'a, str>, Box<Expr<'a>>),
    /// An element of a list with an outer attribute `#[path(arguments)]`:
    /// `#[cfg(feature = "x")] expr`.
    Attributed(Attribute<'a>, Box<Expr<'a>>),
}

/// An outer attribute with arguments, `#[path(arguments)]`.
pub struct Attribute<'a> {
    pub path: Cow<'a, str>,
    pub arguments: Vec<Cow<'a, str>>,
}

impl Attribute<'_> {
    fn width(&self) -> usize {
        self.path.len() + "#[()]".len() + separated_width(self.arguments.iter().map(|a| a.len()))
    }

    fn write(&self, out: &mut String, indent: usize) {
        write_attribute(out, indent, &self.path, &self.arguments);
    }

    fn write_flat(&self, out: &mut String) {
        out.push_str("#[");
        out.push_str(&self.path);
        out.push('(');
        out.push_str(&self.arguments.join(", "));
        out.push_str(")]");
    }
}

/// The delimiters of a macro call's tokens.
#[derive(Clone, Copy)]
pub enum Brackets {
    /// `name!(tokens)`.
    Round,
    /// `name![tokens]`.
    Square,
}

impl Brackets {
    fn open(self) -> &'static str {
        match self {
            Brackets::Round => "!(",
            Brackets::Square => "![",
        }
    }

    fn close(self) -> char {
        match self {
            Brackets::Round => ')',
            Brackets::Square => ']',
        }
    }
}

/// What follows the receiver of a method chain.
pub enum Link<'a> {
    /// `.field`.
    Field(Cow<'a, str>),
    /// `.method::<Type>(arguments)`, the type optional.
    Method(Cow<'a, str>, Option<Cow<'a, str>>, Vec<Expr<'a>>),
    /// `.await`.
    Await,
    /// `?`, which has no place to break before it.
    Try,
}

/// A field of a struct literal: `name: value`, or `name` alone for the shorthand.
pub struct FieldInit<'a> {
    pub name: Cow<'a, str>,
    pub value: Option<Expr<'a>>,
}

/// prettyplease prints a struct literal on one line only when it is at most this wide (from its
/// path to the space before its closing brace), even where a wider one would fit.
const STRUCT_LITERAL_WIDTH: usize = 34;

impl<'a> Expr<'a> {
    /// Text with no place to break.
    pub fn word(text: impl Into<Cow<'a, str>>) -> Expr<'a> {
        Expr::Word(text.into())
    }

    /// `function(arguments)`.
    pub fn call(function: impl Into<Cow<'a, str>>, arguments: Vec<Expr<'a>>) -> Expr<'a> {
        Expr::Call(function.into(), arguments)
    }

    /// `&self`.
    pub fn reference(self) -> Expr<'a> {
        Expr::Ref(Box::new(self))
    }

    /// `Some(self)`.
    pub fn some(self) -> Expr<'a> {
        Expr::call("Some", vec![self])
    }

    /// `receiver.links`.
    pub fn chain(receiver: Expr<'a>, links: Vec<Link<'a>>) -> Expr<'a> {
        Expr::Chain(Box::new(receiver), links)
    }

    /// `self.field`, then `links`.
    pub fn self_field(field: impl Into<Cow<'a, str>>, links: Vec<Link<'a>>) -> Expr<'a> {
        let mut all = vec![Link::Field(field.into())];
        all.extend(links);
        Expr::chain(Expr::word("self"), all)
    }

    /// `Path { fields }`.
    pub fn structure(path: impl Into<Cow<'a, str>>, fields: Vec<FieldInit<'a>>) -> Expr<'a> {
        Expr::Struct(path.into(), fields)
    }

    /// The width of the expression on one line.
    pub fn width(&self) -> usize {
        match self {
            Expr::Word(text) => text.len(),
            Expr::Ref(inner) => 1 + inner.width(),
            Expr::Call(function, arguments) => function.len() + 2 + list_width(arguments),
            Expr::Chain(receiver, links) => {
                receiver.width() + links.iter().map(Link::width).sum::<usize>()
            }
            Expr::Struct(path, fields) if fields.is_empty() => path.len() + 3,
            Expr::Struct(path, fields) => path.len() + 5 + fields_width(fields),
            Expr::Array(elements) | Expr::Tuple(elements) => 2 + list_width(elements),
            Expr::Turbofish(path, ty) => path.len() + "::<>".len() + ty.len(),
            Expr::Macro(name, _, inner) => name.len() + "![]".len() + inner.width(),
            Expr::Closure(head, body) => head.len() + 1 + body.width(),
            Expr::Attributed(attribute, inner) => attribute.width() + 1 + inner.width(),
        }
    }

    /// The expression on one line.
    pub fn write_flat(&self, out: &mut String) {
        match self {
            Expr::Word(text) => out.push_str(text),
            Expr::Ref(inner) => {
                out.push('&');
                inner.write_flat(out);
            }
            Expr::Call(function, arguments) => {
                out.push_str(function);
                out.push('(');
                write_flat_list(out, arguments);
                out.push(')');
            }
            Expr::Chain(receiver, links) => {
                receiver.write_flat(out);
                for link in links {
                    link.write_flat(out);
                }
            }
            Expr::Struct(path, fields) => write_flat_struct(out, path, fields),
            Expr::Array(elements) => {
                out.push('[');
                write_flat_list(out, elements);
                out.push(']');
            }
            Expr::Tuple(elements) => {
                out.push('(');
                write_flat_list(out, elements);
                out.push(')');
            }
            Expr::Turbofish(path, ty) => {
                out.push_str(path);
                out.push_str("::<");
                out.push_str(ty);
                out.push('>');
            }
            Expr::Macro(name, brackets, inner) => {
                out.push_str(name);
                out.push_str(brackets.open());
                inner.write_flat(out);
                out.push(brackets.close());
            }
            Expr::Closure(head, body) => {
                out.push_str(head);
                out.push(' ');
                body.write_flat(out);
            }
            Expr::Attributed(attribute, inner) => {
                attribute.write_flat(out);
                out.push(' ');
                inner.write_flat(out);
            }
        }
    }

    /// Writes the expression at the end of `out`, breaking the boxes that do not fit.
    ///
    /// `indent` is the indent of the lines its boxes break to, a level in; `trailing` the width
    /// of the text after it up to prettyplease's next place to break (a `,` or `;`); and
    /// `statement` whether it begins a statement, where prettyplease keeps a short receiver
    /// (`self`) on the line of its first field or method.
    pub fn write(&self, out: &mut String, indent: usize, trailing: usize, statement: bool) {
        match self {
            Expr::Word(text) => out.push_str(text),
            Expr::Ref(inner) => {
                out.push('&');
                inner.write(out, indent, trailing, false);
            }
            Expr::Call(function, arguments) => {
                out.push_str(function);
                write_arguments(out, indent, arguments, trailing);
            }
            Expr::Chain(receiver, links) => {
                write_chain(out, indent, receiver, links, trailing, statement)
            }
            Expr::Struct(path, fields) => write_struct(out, indent, path, fields, trailing),
            Expr::Array(elements) => write_list(out, indent, "[", elements, "]", trailing),
            Expr::Tuple(elements) => write_list(out, indent, "(", elements, ")", trailing),
            Expr::Turbofish(path, ty) => {
                out.push_str(path);
                out.push_str("::<");
                write_generic_arguments(out, indent, &[ty], trailing);
            }
            Expr::Macro(name, brackets, inner) => {
                // The macro's tokens on a line of their own where they do not fit.
                out.push_str(name);
                out.push_str(brackets.open());
                if fits(out, inner.width() + 1 + trailing) {
                    inner.write_flat(out);
                } else {
                    push_break(out, indent + INDENT);
                    inner.write_flat(out);
                    push_break(out, indent);
                }
                out.push(brackets.close());
            }
            Expr::Closure(head, body) => write_closure(out, indent, head, body, trailing),
            Expr::Attributed(attribute, inner) => {
                // Alone, an attribute's place to break is the enclosing list's (see
                // `write_list`).
                attribute.write(out, indent);
                out.push(' ');
                inner.write(out, indent, trailing, false);
            }
        }
    }

    /// Whether a lone argument is printed without the call's own box: an expression with
    /// delimiters of its own.
    fn is_blocklike(&self) -> bool {
        matches!(
            self,
            Expr::Struct(..) | Expr::Array(_) | Expr::Tuple(_) | Expr::Closure(..)
        )
    }

    /// Whether the expression is an identifier of at most a level's width (`self`, `api`),
    /// which prettyplease keeps on the line of what follows it at the start of a statement.
    fn is_short_identifier(&self) -> bool {
        matches!(self, Expr::Word(text)
            if text.len() <= INDENT
                && text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    }
}

impl Link<'_> {
    fn width(&self) -> usize {
        match self {
            Link::Field(name) => 1 + name.len(),
            Link::Method(name, ty, arguments) => {
                1 + name.len() + ty.as_ref().map_or(0, |t| t.len() + 4) + 2 + list_width(arguments)
            }
            Link::Await => ".await".len(),
            Link::Try => 1,
        }
    }

    fn write_flat(&self, out: &mut String) {
        match self {
            Link::Field(name) => {
                out.push('.');
                out.push_str(name);
            }
            Link::Method(name, ty, arguments) => {
                out.push('.');
                out.push_str(name);
                if let Some(ty) = ty {
                    out.push_str("::<");
                    out.push_str(ty);
                    out.push('>');
                }
                out.push('(');
                write_flat_list(out, arguments);
                out.push(')');
            }
            Link::Await => out.push_str(".await"),
            Link::Try => out.push('?'),
        }
    }

    /// Whether prettyplease has a place to break before the link.
    fn breaks_before(&self) -> bool {
        !matches!(self, Link::Try)
    }
}

impl FieldInit<'_> {
    fn width(&self) -> usize {
        self.name.len() + self.value.as_ref().map_or(0, |v| 2 + v.width())
    }

    fn write_flat(&self, out: &mut String) {
        out.push_str(&self.name);
        if let Some(value) = &self.value {
            out.push_str(": ");
            value.write_flat(out);
        }
    }
}

fn list_width(elements: &[Expr<'_>]) -> usize {
    separated_width(elements.iter().map(Expr::width))
}

fn fields_width(fields: &[FieldInit<'_>]) -> usize {
    separated_width(fields.iter().map(FieldInit::width))
}

fn write_flat_list(out: &mut String, elements: &[Expr<'_>]) {
    push_separated(out, elements, |out, element| element.write_flat(out));
}

/// A call's `(arguments)`: a lone struct literal, array, tuple or closure keeps its own
/// delimiters on the call's line; other arguments are a list.
fn write_arguments(out: &mut String, indent: usize, arguments: &[Expr<'_>], trailing: usize) {
    match arguments {
        [only] if only.is_blocklike() => {
            out.push('(');
            only.write(out, indent, 1 + trailing, false);
            out.push(')');
        }
        _ => write_list(out, indent, "(", arguments, ")", trailing),
    }
}

/// `open elements close`: on one line where it fits with what follows, otherwise one element
/// per line a level in, each with a comma.
fn write_list(
    out: &mut String,
    indent: usize,
    open: &str,
    elements: &[Expr<'_>],
    close: &str,
    trailing: usize,
) {
    out.push_str(open);
    if !elements.is_empty() && !fits(out, list_width(elements) + close.len() + trailing) {
        let inner = indent + INDENT;
        for (i, element) in elements.iter().enumerate() {
            push_break(out, inner);
            let element = match element {
                // The attribute's place to break is the list's: broken, it has a line.
                Expr::Attributed(attribute, inner_element) => {
                    attribute.write(out, inner);
                    push_break(out, inner);
                    inner_element
                }
                other => other,
            };
            let last = i + 1 == elements.len();
            element.write(out, inner, usize::from(!last), false);
            out.push(',');
        }
        push_break(out, indent);
    } else {
        write_flat_list(out, elements);
    }
    out.push_str(close);
}

/// `Path { fields }` on one line (`Path {}` without fields).
fn write_flat_struct(out: &mut String, path: &str, fields: &[FieldInit<'_>]) {
    out.push_str(path);
    if fields.is_empty() {
        out.push_str(" {}");
    } else {
        out.push_str(" { ");
        push_separated(out, fields, |out, field| field.write_flat(out));
        out.push_str(" }");
    }
}

/// A struct literal: on one line where it is narrow and fits, otherwise a field per line.
fn write_struct(
    out: &mut String,
    indent: usize,
    path: &str,
    fields: &[FieldInit<'_>],
    trailing: usize,
) {
    let boxed = path.len() + 4 + fields_width(fields);
    if fields.is_empty() || (boxed <= STRUCT_LITERAL_WIDTH && fits(out, boxed + 1 + trailing)) {
        write_flat_struct(out, path, fields);
        return;
    }
    out.push_str(path);
    out.push_str(" {");
    let inner = indent + INDENT;
    for (i, field) in fields.iter().enumerate() {
        push_break(out, inner);
        out.push_str(&field.name);
        if let Some(value) = &field.value {
            out.push_str(": ");
            let last = i + 1 == fields.len();
            value.write(out, inner, usize::from(!last), false);
        }
        out.push(',');
    }
    push_break(out, indent);
    out.push('}');
}

/// A method chain: on one line where it fits, otherwise a link per line a level in (a short
/// receiver at the start of a statement keeps its first link).
fn write_chain(
    out: &mut String,
    indent: usize,
    receiver: &Expr<'_>,
    links: &[Link<'_>],
    trailing: usize,
    statement: bool,
) {
    let width = receiver.width() + links.iter().map(Link::width).sum::<usize>();
    if fits(out, width + trailing) {
        receiver.write_flat(out);
        for link in links {
            link.write_flat(out);
        }
        return;
    }
    let inner = indent + INDENT;
    let short_receiver = statement && receiver.is_short_identifier();
    let breaks = |i: usize| links[i].breaks_before() && !(i == 0 && short_receiver);
    // The text from `from` up to the next link with a place to break before it, or with the
    // chain's own trailing text where none follows.
    let up_to_break = |from: usize| -> usize {
        let mut width = 0;
        for (i, link) in links.iter().enumerate().skip(from) {
            if breaks(i) {
                return width;
            }
            width += link.width();
        }
        width + trailing
    };
    receiver.write(out, inner, up_to_break(0), false);
    // `short.method(arguments)` alone at the start of a statement: its arguments are indented
    // from the statement, not from the chain.
    let arguments_indent = if short_receiver && links.len() == 1 {
        indent
    } else {
        inner
    };
    for (i, link) in links.iter().enumerate() {
        if breaks(i) {
            push_break(out, inner);
        }
        let after = up_to_break(i + 1);
        match link {
            Link::Method(name, ty, arguments) => {
                out.push('.');
                out.push_str(name);
                if let Some(ty) = ty {
                    out.push_str("::<");
                    let rest = 2 + list_width(arguments) + after;
                    write_generic_arguments(out, arguments_indent, &[ty], rest);
                }
                write_arguments(out, arguments_indent, arguments, after);
            }
            other => other.write_flat(out),
        }
    }
}

/// A closure whose body is not a block: on its line where it fits, otherwise the body in a
/// block of its own.
///
/// prettyplease puts such a body in braces itself, but lays it out as it was (after `api`,
/// a chain breaks before its first call: `api\n.poll(id)`), and prints that text differently
/// once read back, since the braces make a block. Written as a block, the body is laid out as
/// a statement (`api.poll(id)\n.send()`), which prettyplease prints the same again.
fn write_closure(out: &mut String, indent: usize, head: &str, body: &Expr<'_>, trailing: usize) {
    out.push_str(head);
    out.push(' ');
    if fits(out, body.width() + trailing) {
        body.write_flat(out);
    } else {
        write_in_block(out, indent, body);
    }
}

/// `{`, then `body` as the block's one statement a level in, then `}` on a line at `indent`:
/// the body of a closure or match arm too long for its line.
pub fn write_in_block(out: &mut String, indent: usize, body: &Expr<'_>) {
    out.push('{');
    push_break(out, indent + INDENT);
    body.write(out, indent + INDENT, 0, true);
    push_break(out, indent);
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::super::oracle::assert_laid_out_as;
    use super::super::push_indent;
    use super::*;

    fn name(width: usize) -> String {
        format!("n{}", "x".repeat(width))
    }

    fn field(name: &str, value: Option<Expr<'static>>) -> FieldInit<'static> {
        FieldInit {
            name: Cow::Owned(name.to_owned()),
            value,
        }
    }

    /// `expr` in a `let`, as a statement and as the tail of a function body, against what
    /// prettyplease prints for the same code on one line.
    fn assert_in_statements(expr: &Expr<'_>) {
        let mut flat = String::new();
        expr.write_flat(&mut flat);
        let source = format!("fn f() {{ let value = {flat}; {flat}; {flat} }}");
        assert_laid_out_as(&in_statements(expr), &source);
    }

    /// As [`assert_in_statements`], against what prettyplease prints for the text as written:
    /// for the code that breaking makes (a closure body in braces is a block).
    fn assert_in_statements_as_written(expr: &Expr<'_>) {
        let written = in_statements(expr);
        assert_laid_out_as(&written, &written);
    }

    fn in_statements(expr: &Expr<'_>) -> String {
        let mut out = String::from("fn f() {\n");
        push_indent(&mut out, 4);
        out.push_str("let value = ");
        expr.write(&mut out, 4, 1, false);
        out.push_str(";\n");
        push_indent(&mut out, 4);
        expr.write(&mut out, 4, 1, true);
        out.push_str(";\n");
        push_indent(&mut out, 4);
        expr.write(&mut out, 4, 0, true);
        out.push_str("\n}\n");
        out
    }

    #[test]
    fn chains_break_before_each_link() {
        for width in 0..80 {
            let n = name(width);
            let request = Expr::call(
                "Request::new",
                vec![
                    Expr::word("\"op\""),
                    Expr::word("HttpMethod::Get"),
                    Expr::word(format!("\"/things/{n}\"")),
                    Expr::word("ACCEPT"),
                ],
            );
            let query = Link::Method(
                "query".into(),
                None,
                vec![
                    Expr::word(format!("\"{n}\"")),
                    Expr::self_field(n.clone(), vec![Link::Method("as_ref".into(), None, vec![])]),
                ],
            );
            assert_in_statements(&Expr::chain(request, vec![query]));
            let execute = Expr::chain(
                Expr::word("self"),
                vec![
                    Link::Field("client".into()),
                    Link::Method(
                        "execute_by_status".into(),
                        None,
                        vec![
                            Expr::chain(
                                Expr::word("self"),
                                vec![Link::Method("request".into(), None, vec![])],
                            ),
                            Expr::word(format!("{n}::from_answer")),
                        ],
                    ),
                    Link::Await,
                ],
            );
            assert_in_statements(&execute);
            let items = Expr::chain(
                Expr::word("self"),
                vec![
                    Link::Field("client".into()),
                    Link::Method("items".into(), Some(format!("models::{n}").into()), vec![]),
                    Link::Try,
                ],
            );
            assert_in_statements(&items);
            let short = Expr::chain(
                Expr::word("self"),
                vec![Link::Method(
                    "path_param".into(),
                    None,
                    vec![Expr::word(format!("\"{n}\"")), Expr::word("value")],
                )],
            );
            assert_in_statements(&short);
        }
    }

    #[test]
    fn struct_literals_break_when_wide() {
        for width in 0..80 {
            let n = name(width);
            let literal = Expr::structure(
                "Builder",
                vec![
                    field("client", Some(Expr::word("self.client.clone()"))),
                    field(
                        &n,
                        Some(Expr::chain(
                            Expr::word(n.clone()),
                            vec![Link::Method("into".into(), None, vec![])],
                        )),
                    ),
                    field("id", None),
                ],
            );
            assert_in_statements(&literal);
            let narrow = Expr::structure("S", vec![field(&n[..width.min(20) + 1], None)]);
            assert_in_statements(&narrow);
            assert_in_statements(&Expr::call("Some", vec![narrow]));
        }
    }

    #[test]
    fn calls_arrays_tuples_and_closures_break_their_elements() {
        for width in 0..80 {
            let n = name(width);
            let tuple = Expr::Tuple(vec![
                Expr::word(format!("Self::{n}")),
                Expr::word(format!("\"{n}\"")),
            ]);
            let array = Expr::Array(vec![tuple, Expr::word("(Self::B, \"b\")")]).reference();
            assert_in_statements(&array);
            let closure = Expr::Closure(
                "move |[a, b]|".into(),
                Box::new(Expr::chain(
                    Expr::word("api"),
                    vec![
                        Link::Method(
                            n.clone().into(),
                            None,
                            vec![Expr::word("a"), Expr::word("b")],
                        ),
                        Link::Method("send_with_response".into(), None, vec![]),
                    ],
                )),
            );
            let call = Expr::call(
                "Waiter::new",
                vec![Expr::word("self"), Expr::word("&SPEC"), closure],
            );
            // Broken, the closure's body is a block: prettyplease prints it as it is.
            assert_in_statements_as_written(&call);
            let some = Expr::call(
                "Some",
                vec![Expr::call(
                    "crate::runtime::__private::rfc3339",
                    vec![Expr::self_field(n.clone(), vec![]).reference()],
                )
                .reference()],
            );
            assert_in_statements(&some);
            let turbofish = Expr::Array(vec![Expr::Turbofish(
                "round_trip".into(),
                format!("itwin::models::{n}").into(),
            )]);
            assert_in_statements(&turbofish.reference());
            let file = Expr::call(
                "itwin_platform::runtime::FilePart::from",
                vec![Expr::word("input.bytes()")],
            );
            let form = Expr::structure(
                "itwin_platform::m::Form",
                vec![field(
                    &n,
                    Some(Expr::Macro("vec".into(), Brackets::Square, Box::new(file))),
                )],
            );
            assert_in_statements(&form);
        }
    }
}
