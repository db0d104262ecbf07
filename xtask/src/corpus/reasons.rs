//! Refusal messages grouped into classes, so that a thousand `$ref`s to a thousand different
//! missing schemas count as one reason.

use std::collections::BTreeMap;

use serde::Serialize;

/// The class of a refusal: its message with the file, the JSON pointer, quoted names, pointers
/// and numbers replaced by `…`.
pub fn class(refusal: &str) -> String {
    let message = strip_location(refusal);
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {
                // A quoted name: keep the quotes, drop what is between them.
                let mut closed = false;
                for inner in chars.by_ref() {
                    if inner == c {
                        closed = true;
                        break;
                    }
                }
                out.push(c);
                out.push('…');
                if closed {
                    out.push(c);
                }
            }
            '0'..='9' if !out.ends_with(|p: char| p.is_alphanumeric() || p == '_') => {
                let mut number = String::from(c);
                while let Some(n) = chars.next_if(|n| n.is_ascii_digit() || *n == '.') {
                    number.push(n);
                }
                // `2xx` is a word, not a number.
                if chars.peek().is_some_and(|n| n.is_alphabetic()) {
                    out.push_str(&number);
                } else {
                    out.push('N');
                }
            }
            '#' | '/' if out.is_empty() || out.ends_with(' ') => {
                // A bare pointer or path, e.g. `at /paths/~1a/get` inside the message.
                while chars
                    .peek()
                    .is_some_and(|n| !n.is_whitespace() && *n != ',')
                {
                    chars.next();
                }
                out.push('…');
            }
            _ => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `spec/a.json: at /paths/~1x: message` → `message` (the error's Display form).
fn strip_location(refusal: &str) -> &str {
    let Some(at) = refusal.find(": at ") else {
        return refusal;
    };
    let after = &refusal[at + ": at ".len()..];
    match after.find(": ") {
        Some(end) => &after[end + 2..],
        None => after,
    }
}

/// One class of refusals: how many definitions, and the first of them (sorted by id) as an
/// example to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Ranked {
    pub class: String,
    pub count: usize,
    pub example: String,
}

/// Classes of `(id, refusal)` pairs, most frequent first (ties by class, so the order is stable).
pub fn rank<'a>(refusals: impl IntoIterator<Item = (&'a str, &'a str)>) -> Vec<Ranked> {
    let mut classes: BTreeMap<String, (usize, &str)> = BTreeMap::new();
    for (id, refusal) in refusals {
        let entry = classes.entry(class(refusal)).or_insert((0, id));
        entry.0 += 1;
        entry.1 = entry.1.min(id);
    }
    let mut ranked: Vec<Ranked> = classes
        .into_iter()
        .map(|(class, (count, example))| Ranked {
            class,
            count,
            example: example.to_owned(),
        })
        .collect();
    ranked.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.class.cmp(&b.class)));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_and_pointer_are_not_part_of_the_class() {
        assert_eq!(
            class("/tmp/api/a.json: at /paths/~1x~1{id}/get: the operation has no 2xx answer"),
            "the operation has no 2xx answer"
        );
    }

    #[test]
    fn quoted_names_and_numbers_are_blanked() {
        let one = class("a.json: at /components/schemas/Pet: `required` names `id`, which is not a property of `Pet`");
        let two =
            class("b.yaml: at /x: `required` names `name`, which is not a property of `Owner`");
        assert_eq!(one, two);
        assert_eq!(one, "`…` names `…`, which is not a property of `…`");
        assert_eq!(
            class("f: at /: OpenAPI version \"3.1.0\" is not supported"),
            "OpenAPI version \"…\" is not supported"
        );
        assert_eq!(class("f: at /: status 600 is odd"), "status N is odd");
    }

    #[test]
    fn bare_pointers_in_the_message_are_blanked() {
        assert_eq!(
            class("f: at /a: $ref to #/paths/~1x/get/parameters/0, at /paths/~1y"),
            "$ref to …, at …"
        );
    }

    #[test]
    fn an_unclosed_quote_does_not_swallow_the_class() {
        assert_eq!(class("f: at /: bad `name"), "bad `…");
    }

    #[test]
    fn ranking_counts_classes_and_names_the_first_example() {
        let refusals = [
            ("c", "f: at /x: `a` is missing"),
            ("b", "f: at /y: `b` is missing"),
            ("a", "f: at /z: no 2xx answer"),
        ];
        let ranked = rank(refusals.iter().map(|(i, r)| (*i, *r)));
        assert_eq!(
            ranked,
            vec![
                Ranked {
                    class: "`…` is missing".into(),
                    count: 2,
                    example: "b".into()
                },
                Ranked {
                    class: "no 2xx answer".into(),
                    count: 1,
                    example: "a".into()
                },
            ]
        );
    }
}
