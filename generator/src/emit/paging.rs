//! `impl Page` for the page types of an API, and the stream methods of list operations.

use super::layout::expr::{Expr, Link};
use super::layout::items::{
    push_fn, push_impl_header, push_let, push_signature, push_statement, push_type_alias, Param,
};
use super::request::self_request;
use super::rust::{type_text, MODELS};
use crate::model::{Field, PageType};

/// `impl crate::runtime::__private::Page for ...` for one page type, in `models.rs`.
pub fn page_impl(page: &PageType) -> String {
    let mut out = String::new();
    let item = type_text(&page.item, "");
    push_impl_header(
        &mut out,
        0,
        &[],
        Some("crate::runtime::__private::Page"),
        &page.type_name,
    );
    push_type_alias(&mut out, 4, "type Item = ", &item);
    let receiver = |name| [Param { name, ty: None }];
    push_signature(
        &mut out,
        4,
        "fn next_link",
        &receiver("&self"),
        "Option<&str>",
    );
    push_let(&mut out, 8, "links", &access("self", &page.links));
    push_let(&mut out, 8, "next", &access("links", &page.next));
    let href = page.href.rust_name.as_str();
    let href = match (page.href.required, page.href.nullable) {
        (true, false) => {
            Expr::chain(Expr::word("next"), vec![field(href), method("as_str")]).some()
        }
        (false, true) => Expr::chain(
            Expr::word("next"),
            vec![field(href), method("as_ref"), Link::Try, method("as_deref")],
        ),
        _ => Expr::chain(Expr::word("next"), vec![field(href), method("as_deref")]),
    };
    push_statement(&mut out, 8, &href, false);
    out.push_str("    }\n");
    let items = page.items.rust_name.as_str();
    let map_or_len = || {
        Link::Method(
            "map_or".into(),
            None,
            vec![Expr::word("0"), Expr::word("Vec::len")],
        )
    };
    let count = match (page.items.required, page.items.nullable) {
        (true, false) => Expr::self_field(items, vec![method("len")]),
        (false, true) => Expr::self_field(
            items,
            vec![
                method("as_ref"),
                Link::Method("and_then".into(), None, vec![Expr::word("Option::as_ref")]),
                map_or_len(),
            ],
        ),
        _ => Expr::self_field(items, vec![method("as_ref"), map_or_len()]),
    };
    push_fn(
        &mut out,
        4,
        "fn item_count",
        &receiver("&self"),
        "usize",
        &count,
    );
    let all = match (page.items.required, page.items.nullable) {
        (true, false) => Expr::self_field(items, Vec::new()),
        (false, true) => {
            Expr::self_field(items, vec![method("flatten"), method("unwrap_or_default")])
        }
        _ => Expr::self_field(items, vec![method("unwrap_or_default")]),
    };
    let output = format!("Vec<{item}>");
    push_fn(
        &mut out,
        4,
        "fn into_items",
        &receiver("self"),
        &output,
        &all,
    );
    out.push_str("}\n");
    out
}

fn field(name: &str) -> Link<'_> {
    Link::Field(name.into())
}

fn method(name: &'static str) -> Link<'static> {
    Link::Method(name.into(), None, Vec::new())
}

/// A reference to `owner.field`, leaving `next_link` with `None` where it is absent or null.
fn access<'a>(owner: &'a str, field: &'a Field) -> Expr<'a> {
    let name = self::field(&field.rust_name);
    match (field.required, field.nullable) {
        (true, false) => Expr::chain(Expr::word(owner), vec![name]).reference(),
        (false, true) => Expr::chain(
            Expr::word(owner),
            vec![
                name,
                method("as_ref"),
                Link::Try,
                method("as_ref"),
                Link::Try,
            ],
        ),
        _ => Expr::chain(Expr::word(owner), vec![name, method("as_ref"), Link::Try]),
    }
}

/// `into_stream` and `into_pages` of a list operation whose answer is `page`, associated items
/// of its builder.
pub fn push_stream_methods(out: &mut String, page: &PageType) {
    let item = type_text(&page.item, MODELS);
    let page_type = format!("{MODELS}{}", page.type_name);
    let receiver = [Param {
        name: "self",
        ty: None,
    }];
    out.push_str(
        "    /// Every item of every page, following `_links.next`; pages are fetched as the stream is
    /// read, with the client's retries. Set the page size on this request first, if it
    /// has one (`top`).
",
    );
    let items = Expr::chain(
        Expr::word("self"),
        vec![
            Link::Field("client".into()),
            Link::Method(
                "items".into(),
                Some(page_type.as_str().into()),
                vec![self_request()],
            ),
        ],
    );
    let output = format!("BoxStream<'static, Result<{item}, Error>>");
    push_fn(out, 4, "pub fn into_stream", &receiver, &output, &items);
    out.push_str("    /// Every page with its status and headers, following `_links.next`.\n");
    let pages = Expr::chain(
        Expr::word("self"),
        vec![
            Link::Field("client".into()),
            Link::Method("pages".into(), None, vec![self_request()]),
        ],
    );
    let output = format!("BoxStream<'static, Result<ApiResponse<{page_type}>, Error>>");
    push_fn(out, 4, "pub fn into_pages", &receiver, &output, &pages);
}
