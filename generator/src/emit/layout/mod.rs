//! How generated Rust is laid out: in prettyplease's layout, so that it reads as formatted code
//! and the generated files stay what prettyplease would print, without its cost.
//!
//! prettyplease is a pretty printer of Oppen's kind: text in nested boxes, each box printed on
//! one line when it fits within the margin, otherwise broken at its places to break: a
//! consistent box at all of them (one argument, field or chained call per line), a level in.
//! Whether a box fits counts the text after it up to the next place to break outside it (a
//! `,` after an argument does count, the trailing comma of a last argument, printed only when
//! broken, does not). The functions here write each construct the generator emits with the
//! boxes prettyplease gives it, deciding each box as they go: [`expr`] for expressions,
//! [`types`] for types broken at their generic arguments, [`items`] for signatures, headers,
//! statements and match arms, and this module for lines, docs, attributes and string literals.
//! Measured against prettyplease itself in the tests, at widths on either side of the margin.

pub mod expr;
pub mod items;
pub mod types;

/// prettyplease's line width: a box whose line would be longer breaks.
pub const MARGIN: usize = 89;

/// The room prettyplease leaves a line however deep its indent: a line indented past
/// `MARGIN - MIN_SPACE` may run past the margin.
const MIN_SPACE: usize = 60;

/// One level of indentation.
pub const INDENT: usize = 4;

/// The column where `out` ends and the indent its last line started with.
fn position(out: &str) -> (usize, usize) {
    let start = out.rfind('\n').map_or(0, |i| i + 1);
    let line = &out.as_bytes()[start..];
    let indent = line.iter().take_while(|b| **b == b' ').count();
    (line.len(), indent)
}

/// Whether text `width` wide fits after the end of `out` on its line.
pub fn fits(out: &str, width: usize) -> bool {
    let (column, indent) = position(out);
    column + width <= MARGIN.max(MIN_SPACE + indent)
}

/// The width of items `widths` wide on one line, `, ` between them.
pub fn separated_width(widths: impl IntoIterator<Item = usize>) -> usize {
    let (mut sum, mut count) = (0usize, 0usize);
    for width in widths {
        sum += width;
        count += 1;
    }
    sum + ", ".len() * count.saturating_sub(1)
}

/// `items` on the line, each written by `write`, `, ` between them.
pub fn push_separated<T>(out: &mut String, items: &[T], mut write: impl FnMut(&mut String, &T)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(out, item);
    }
}

/// `indent` spaces.
pub fn push_indent(out: &mut String, indent: usize) {
    const SPACES: &str = "                                                                ";
    let mut left = indent;
    while left > 0 {
        let n = left.min(SPACES.len());
        out.push_str(&SPACES[..n]);
        left -= n;
    }
}

/// A line break, and the indent of the next line.
pub fn push_break(out: &mut String, indent: usize) {
    out.push('\n');
    push_indent(out, indent);
}

/// Outer doc comments, one per line of `lines` (each with its leading space, as
/// [`super::docs::doc_lines`] gives them).
pub fn push_docs(out: &mut String, indent: usize, lines: &[String]) {
    for line in lines {
        push_doc(out, indent, line);
    }
}

/// One outer doc attribute, as prettyplease prints `#[doc = "..."]`: a `///` comment, or for a
/// text with a line break a `/** */` block, or the attribute itself where no comment can hold
/// the text.
pub fn push_doc(out: &mut String, indent: usize, text: &str) {
    push_doc_of(out, indent, text, DocStyle::Outer);
}

/// One inner doc attribute (`//!`), as [`push_doc`].
pub fn push_inner_doc(out: &mut String, indent: usize, text: &str) {
    push_doc_of(out, indent, text, DocStyle::Inner);
}

#[derive(Clone, Copy, PartialEq)]
enum DocStyle {
    Outer,
    Inner,
}

fn push_doc_of(out: &mut String, indent: usize, text: &str, style: DocStyle) {
    push_indent(out, indent);
    let outer = style == DocStyle::Outer;
    // prettyplease's `///` would read back as `////` for an outer doc that starts with `/`.
    let comment = !(text.contains('\n') || outer && text.starts_with('/'));
    if comment {
        out.push_str(if outer { "///" } else { "//!" });
        out.push_str(text.trim_end_matches(' '));
    } else if can_be_block_comment(text) && !(outer && text.starts_with(['*', '/'])) {
        out.push_str(if outer { "/**" } else { "/*!" });
        push_trimmed_lines(out, text);
        out.push_str("*/");
    } else {
        out.push_str(if outer { "#[doc = " } else { "#![doc = " });
        out.push_str(&literal(text));
        out.push(']');
    }
    out.push('\n');
}

/// `text` with the spaces that end each of its lines but the last removed.
fn push_trimmed_lines(out: &mut String, text: &str) {
    let mut lines = text.split('\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_some() {
            out.push_str(line.trim_end_matches(' '));
            out.push('\n');
        } else {
            out.push_str(line);
        }
    }
}

/// Whether `text` can go in a `/* */` comment: its own `/*` and `*/` nest, and it does not end
/// in `/`.
fn can_be_block_comment(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i + 1 < bytes.len() {
        match (bytes[i], bytes[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => match depth.checked_sub(1) {
                Some(d) => {
                    depth = d;
                    i += 2;
                }
                None => return false,
            },
            _ => i += 1,
        }
    }
    depth == 0 && !text.ends_with('/')
}

/// A Rust string literal of `value`, escaped as proc-macro2 escapes it (and so as the generated
/// files always had it): printable characters as they are, the rest as `escape_debug` writes
/// them, `'` unescaped, and NUL as `\0` (`\x00` before an octal digit).
pub fn literal(value: &str) -> String {
    let mut text = String::with_capacity(value.len() + 2);
    text.push('"');
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ' '..='~' if c != '"' && c != '\\' => text.push(c),
            '\0' if chars.peek().is_some_and(|next| ('0'..='7').contains(next)) => {
                text.push_str("\\x00")
            }
            '\0' => text.push_str("\\0"),
            '\'' => text.push(c),
            other => text.extend(other.escape_debug()),
        }
    }
    text.push('"');
    text
}

/// `#[path(arguments)]` on a line of its own: on one line where it fits, otherwise one argument
/// per line, a level in (without a trailing comma, as the arguments are written).
pub fn push_attribute<S: AsRef<str>>(out: &mut String, indent: usize, path: &str, arguments: &[S]) {
    push_indent(out, indent);
    write_attribute(out, indent, path, arguments);
    out.push('\n');
}

/// `#[path(arguments)]` at the end of `out`, as [`push_attribute`] lays it out.
pub fn write_attribute<S: AsRef<str>>(
    out: &mut String,
    indent: usize,
    path: &str,
    arguments: &[S],
) {
    out.push_str("#[");
    out.push_str(path);
    out.push('(');
    let width = separated_width(arguments.iter().map(|a| a.as_ref().len()));
    if fits(out, width + ")]".len()) {
        push_separated(out, arguments, |out, a| out.push_str(a.as_ref()));
    } else {
        for (i, argument) in arguments.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            push_break(out, indent + INDENT);
            out.push_str(argument.as_ref());
        }
        push_break(out, indent);
    }
    out.push_str(")]");
}

#[cfg(test)]
pub(crate) mod oracle {
    //! prettyplease itself, to measure the layout against.

    /// What prettyplease prints for `text`, a Rust file.
    pub fn formatted(text: &str) -> String {
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("invalid Rust ({e}):\n{text}"));
        prettyplease::unparse(&file)
    }

    /// Asserts that `text` is laid out as prettyplease lays it out.
    #[track_caller]
    pub fn assert_laid_out(text: &str) {
        assert_laid_out_as(text, text);
    }

    /// Asserts that `text` is what prettyplease prints for `source`, the same code laid out
    /// any way. (prettyplease does not always print its own output the same again: the braces
    /// it puts around a closure body too long for its line make the body a block, which it
    /// then lays out as a statement.)
    #[track_caller]
    pub fn assert_laid_out_as(text: &str, source: &str) {
        assert_same_code_lines("written text", text, &formatted(source));
    }

    /// Asserts that a generated file's code is what prettyplease prints for it: the file but
    /// for its generated header and the blank lines between items, which prettyplease leaves
    /// out.
    #[track_caller]
    pub fn assert_file_laid_out(name: &str, text: &str) {
        let code = |text: &str| -> String {
            text.lines()
                .filter(|line| !line.trim().is_empty() && !line.starts_with("// @generated"))
                .map(|line| format!("{line}\n"))
                .collect()
        };
        assert_same_code_lines(name, &code(text), &code(&formatted(text)));
    }

    #[track_caller]
    fn assert_same_code_lines(name: &str, written: &str, expected: &str) {
        if written != expected {
            let line = written
                .lines()
                .zip(expected.lines())
                .position(|(a, b)| a != b)
                .unwrap_or(0);
            panic!(
                "{name}: not prettyplease's layout at line {}:\n--- written\n{written}\n--- prettyplease\n{expected}",
                line + 1
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::oracle::assert_laid_out;
    use super::*;

    #[test]
    fn literals_are_escaped_as_rust_reads_them_back() {
        for (value, text) in [
            ("", r#""""#),
            ("plain", r#""plain""#),
            ("it's", r#""it's""#),
            ("a \"quote\"", r#""a \"quote\"""#),
            ("back\\slash", r#""back\\slash""#),
            ("tab\there", r#""tab\there""#),
            ("new\nline", r#""new\nline""#),
            ("nul\0", r#""nul\0""#),
            ("nul\x007", r#""nul\x007""#),
            ("é", r#""é""#),
            ("\u{200b}", r#""\u{200b}""#),
            ("\u{301}", r#""\u{301}""#),
            ("{id}/$count", r#""{id}/$count""#),
        ] {
            assert_eq!(literal(value), text, "{value:?}");
        }
    }

    #[test]
    fn docs_are_comments_where_a_comment_holds_them() {
        let mut out = String::new();
        for text in [
            " plain",
            " trailing  ",
            "",
            " two\nlines ",
            "/starts with a slash",
            " a /* nested */ comment\nhere",
            " an unopened */ close\nhere",
            " ends in a slash\n/",
            "*star\nhere",
        ] {
            push_doc(&mut out, 0, text);
            out.push_str("struct S;\n");
        }
        assert_laid_out(&out);
    }

    #[test]
    fn inner_docs_are_comments_where_a_comment_holds_them() {
        let mut out = String::new();
        for text in [" plain", " two\nlines", " an unopened */ close\nhere"] {
            push_inner_doc(&mut out, 0, text);
        }
        out.push_str("struct S;\n");
        assert_laid_out(&out);
    }

    #[test]
    fn attributes_break_one_argument_per_line_when_too_long() {
        for width in 40..100 {
            let value = "x".repeat(width);
            let mut out = String::from("struct S {\n");
            let rename = format!("rename = \"{value}\"");
            let arguments = [rename.as_str(), "skip_serializing_if = \"Option::is_none\""];
            push_attribute(&mut out, 4, "serde", &arguments);
            out.push_str("    a: u8,\n}\n");
            assert_laid_out(&out);
        }
    }
}
