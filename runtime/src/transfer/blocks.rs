//! Azure's block upload: the ids of the blocks and the body of Put Block List.
//!
//! A blob is uploaded as blocks of up to 4000 MiB each, at most 50,000 of them, each stored
//! with Put Block (`?comp=block&blockid=<id>`) and committed in order with Put Block List
//! (`?comp=blocklist`). Within one blob, every block id must have the same length before
//! Base64 encoding (Azure refuses a Put Block whose id is longer or shorter than those of the
//! blob's uncommitted blocks).

/// The most blocks a blob can have.
pub(crate) const MAX_BLOCKS: u64 = 50_000;
/// The largest block Azure takes (4000 MiB).
pub(crate) const MAX_BLOCK_SIZE: u64 = 4000 * 1024 * 1024;

/// The id of the block at `index` (from 0): Base64 of `block-` and six digits, 16 characters
/// for every index below a million, so that all ids of a blob have one length.
pub(crate) fn block_id(index: u64) -> String {
    base64(format!("block-{index:06}").as_bytes())
}

/// The body of Put Block List: every block, in order, as the latest version of that id.
pub(crate) fn block_list(ids: &[String]) -> String {
    let mut xml = String::with_capacity(64 + ids.len() * 36);
    xml.push_str(r#"<?xml version="1.0" encoding="utf-8"?><BlockList>"#);
    for id in ids {
        xml.push_str("<Latest>");
        xml.push_str(id);
        xml.push_str("</Latest>");
    }
    xml.push_str("</BlockList>");
    xml
}

/// Standard Base64 with padding (RFC 4648 §4): block ids are short, so a dependency would cost
/// more than these lines.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = [
            group[0],
            *group.get(1).unwrap_or(&0),
            *group.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= group.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }

    #[test]
    fn block_ids_have_one_length() {
        assert_eq!(block_id(0), "YmxvY2stMDAwMDAw");
        let lengths: std::collections::BTreeSet<usize> = [0, 1, 9, 10, 4_999, 49_999, 999_999]
            .into_iter()
            .map(|i| block_id(i).len())
            .collect();
        assert_eq!(lengths.len(), 1, "{lengths:?}");
    }

    #[test]
    fn the_block_list_names_every_block_in_order() {
        let ids = [block_id(0), block_id(1)];
        assert_eq!(
            block_list(&ids),
            r#"<?xml version="1.0" encoding="utf-8"?><BlockList><Latest>YmxvY2stMDAwMDAw</Latest><Latest>YmxvY2stMDAwMDAx</Latest></BlockList>"#
        );
    }
}
