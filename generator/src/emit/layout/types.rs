//! Types, broken where prettyplease breaks them: inside their generic arguments, one per line.

use super::{fits, push_break, push_separated, separated_width, INDENT};

/// Writes `ty` (a type as the generator writes it, such as `Option<Vec<models::Pet>>`) at the
/// end of `out`. Where the type and the `trailing` text after it (up to prettyplease's next
/// place to break) do not fit, its generic arguments go one per line at `indent` plus a level,
/// each broken the same way.
pub fn write_type(out: &mut String, indent: usize, ty: &str, trailing: usize) {
    match generic_parts(ty) {
        Some((head, arguments)) => {
            out.push_str(head);
            out.push('<');
            write_generic_arguments(out, indent, &arguments, trailing);
        }
        None => out.push_str(ty),
    }
}

/// The generic arguments of a type or path after its `<`, and the closing `>`: on the line
/// where they fit, otherwise one per line.
pub fn write_generic_arguments(
    out: &mut String,
    indent: usize,
    arguments: &[&str],
    trailing: usize,
) {
    let width = separated_width(arguments.iter().map(|a| a.len()));
    if fits(out, width + ">".len() + trailing) {
        push_separated(out, arguments, |out, a| out.push_str(a));
    } else {
        let inner = indent + INDENT;
        for (i, argument) in arguments.iter().enumerate() {
            push_break(out, inner);
            let last = i + 1 == arguments.len();
            write_type(out, inner, argument, usize::from(!last));
            out.push(',');
        }
        push_break(out, indent);
    }
    out.push('>');
}

/// `Head<A, B>` as `Head` and its generic arguments; `None` for a type without them.
pub fn generic_parts(ty: &str) -> Option<(&str, Vec<&str>)> {
    let open = ty.find('<')?;
    let inner = ty.get(open + 1..)?.strip_suffix('>')?;
    let mut arguments = Vec::new();
    let (mut depth, mut start) = (0usize, 0usize);
    for (i, c) in inner.char_indices() {
        match c {
            '<' | '(' | '[' => depth += 1,
            '>' | ')' | ']' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                arguments.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    arguments.push(inner[start..].trim());
    Some((&ty[..open], arguments))
}

#[cfg(test)]
mod tests {
    use super::super::oracle::assert_laid_out;
    use super::super::push_indent;
    use super::*;

    #[test]
    fn generic_arguments_break_where_the_line_is_too_long() {
        for width in 40..90 {
            let name = "N".repeat(width);
            for ty in [
                format!("Option<Vec<models::{name}>>"),
                format!("std::collections::BTreeMap<String, Vec<{name}>>"),
                format!("Result<ApiResponse<{name}>, Error>"),
                format!("BoxStream<'static, Result<ApiResponse<models::{name}>, Error>>"),
            ] {
                let mut out = String::from("struct S {\n");
                push_indent(&mut out, 4);
                out.push_str("pub field: ");
                write_type(&mut out, 4, &ty, 1);
                out.push_str(",\n}\n");
                assert_laid_out(&out);
            }
        }
    }

    #[test]
    fn types_split_at_their_top_level_arguments() {
        assert_eq!(
            generic_parts("Result<ApiResponse<Vec<u8>>, Error>"),
            Some(("Result", vec!["ApiResponse<Vec<u8>>", "Error"]))
        );
        assert_eq!(
            generic_parts("Option<&'static [(Self, &'static str)]>"),
            Some(("Option", vec!["&'static [(Self, &'static str)]"]))
        );
        assert_eq!(generic_parts("models::Pet"), None);
    }
}
