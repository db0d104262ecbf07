//! Doc comments from the descriptions in a definition.

/// Outer docs from the definition's description, or `fallback` when it gives none: every public
/// item of the generated crate has a doc (it is built with `missing_docs` denied).
pub fn doc_or(description: Option<&str>, fallback: &str) -> Vec<String> {
    match description.map(str::trim).filter(|d| !d.is_empty()) {
        Some(description) => doc_lines(&[Some(description)]),
        None => doc_lines(&[Some(fallback)]),
    }
}

/// The lines of the doc attributes of `paragraphs`: each with its leading space, a blank line
/// between paragraphs.
pub fn doc_lines(paragraphs: &[Option<&str>]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for text in paragraphs
        .iter()
        .flatten()
        .map(|t| t.trim())
        .filter(|t| !t.is_empty())
    {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(
            continuations_indented(text)
                .into_iter()
                .map(|l| match l.as_str() {
                    "" => String::new(),
                    l => format!(" {l}"),
                }),
        );
    }
    lines
}

/// The text's lines, with lazy continuation lines (Markdown that lets a line go on a list item
/// without its indent, or on a block quote without its `>`) indented to the item's text or
/// given the quote's `>`, and a list item's over-indented continuation lines brought back to
/// the item's text, as rustdoc and clippy's `doc_lazy_continuation` want: rendered the
/// same, written out.
fn continuations_indented(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    // The column where the text of the list item being read starts.
    let mut item_text: Option<usize> = None;
    // The column of the `>` of the block quote being read.
    let mut quote: Option<usize> = None;
    // Tabs become four spaces: rustdoc renders a tab-indented line unlike the definition did
    // (clippy `tabs_in_doc_comments`).
    let text = text.replace('\t', "    ");
    for line in text.lines().map(str::trim_end) {
        let indent = line.len() - line.trim_start().len();
        if line.is_empty() {
            (item_text, quote) = (None, None);
            out.push(String::new());
        } else if line.trim_start().starts_with('>') {
            quote = Some(indent);
            out.push(line.to_owned());
        } else if let Some(marker) = list_marker_width(line.trim_start()) {
            (item_text, quote) = (Some(indent + marker), None);
            out.push(line.to_owned());
        } else if let Some(column) = quote {
            out.push(format!("{}> {}", " ".repeat(column), line.trim_start()));
        } else {
            match item_text {
                // Over-indented lines too (clippy `doc_overindented_list_items`): a
                // paragraph's continuation renders the same at any indent.
                Some(column) if indent != column => {
                    out.push(format!("{}{}", " ".repeat(column), line.trim_start()))
                }
                _ => out.push(line.to_owned()),
            }
        }
    }
    out
}

/// The width of a list item's marker and the spaces after it (`- `, `*   `, `12. `, `3) `): the
/// column where the item's text starts. CommonMark counts one to four spaces after the marker;
/// with five or more, the text starts after one (the rest make an indented code block).
fn list_marker_width(line: &str) -> Option<usize> {
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    let marker = if line.starts_with(['-', '*', '+']) {
        1
    } else if digits > 0 && digits < 10 && line[digits..].starts_with(['.', ')']) {
        digits + 1
    } else {
        return None;
    };
    let spaces = line[marker..].chars().take_while(|c| *c == ' ').count();
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

/// `Petstore` → `Petstore API`; a title that says it is an API already stays as it is. A
/// dotted name says so only by its last part (`Data2CRM.API`), not by a host (`api.video`).
pub fn api_name(title: &str) -> String {
    let title = title.trim();
    let says_api = title
        .split(|c: char| !c.is_alphanumeric() && c != '.')
        .filter_map(|word| word.trim_matches('.').rsplit('.').next())
        .any(|last| last.eq_ignore_ascii_case("api") || last.eq_ignore_ascii_case("apis"));
    if says_api {
        title.to_owned()
    } else {
        format!("{title} API")
    }
}

#[cfg(test)]
mod tests {
    use super::{api_name, continuations_indented};

    #[test]
    fn api_names_say_api_once() {
        assert_eq!(api_name("Petstore"), "Petstore API");
        assert_eq!(api_name("Bing Search API"), "Bing Search API");
        assert_eq!(api_name("GitHub v3 REST API"), "GitHub v3 REST API");
        assert_eq!(
            api_name("Currencytick API Documentation"),
            "Currencytick API Documentation"
        );
        assert_eq!(api_name("The Pets APIs."), "The Pets APIs.");
        assert_eq!(api_name("api.video"), "api.video API");
        assert_eq!(api_name("APIs.guru"), "APIs.guru API");
        assert_eq!(api_name("api.clarify.io"), "api.clarify.io API");
        assert_eq!(api_name("Data2CRM.API"), "Data2CRM.API");
    }

    #[test]
    fn lazy_continuations_of_list_items_are_indented() {
        assert_eq!(continuations_indented("a\tb"), ["a    b"]);
        let text = "Use the\n  - `a` index to search\nover a\n  - `b` index\n1. first\ngoes on\n\nNew paragraph.";
        assert_eq!(
            continuations_indented(text),
            [
                "Use the",
                "  - `a` index to search",
                "    over a",
                "  - `b` index",
                "1. first",
                "   goes on",
                "",
                "New paragraph.",
            ]
        );
    }

    #[test]
    fn continuations_line_up_with_the_text_after_a_wide_marker() {
        let text = "*   an item that goes\n  on here\n12.  numbered\n  on";
        assert_eq!(
            continuations_indented(text),
            [
                "*   an item that goes",
                "    on here",
                "12.  numbered",
                "     on"
            ]
        );
    }

    #[test]
    fn over_indented_continuations_of_list_items_are_brought_back() {
        let text = "* `allUsers`: anyone who is\n   on the internet.\n\n* `b`";
        assert_eq!(
            continuations_indented(text),
            [
                "* `allUsers`: anyone who is",
                "  on the internet.",
                "",
                "* `b`"
            ]
        );
    }

    #[test]
    fn lazy_continuations_of_block_quotes_get_their_marker() {
        let text = "Recommended.\n> Required for 3D Secure 2\nand for some merchants.\n\nAfter.";
        assert_eq!(
            continuations_indented(text),
            [
                "Recommended.",
                "> Required for 3D Secure 2",
                "> and for some merchants.",
                "",
                "After.",
            ]
        );
    }
}
