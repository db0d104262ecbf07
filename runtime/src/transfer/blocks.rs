//! Azure's block upload: the ids of the blocks and the body of Put Block List.
//!
//! A blob is uploaded as blocks of up to 4000 MiB each, at most 50,000 of them, each stored
//! with Put Block (`?comp=block&blockid=<id>`) and committed in order with Put Block List
//! (`?comp=blocklist`). Within one blob, every block id must have the same length before
//! Base64 encoding (Azure refuses a Put Block whose id is longer or shorter than those of the
//! blob's uncommitted blocks).

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;

/// The most blocks a blob can have.
pub(crate) const MAX_BLOCKS: u64 = 50_000;
/// The largest block Azure takes (4000 MiB).
pub(crate) const MAX_BLOCK_SIZE: u64 = 4000 * 1024 * 1024;

/// The id of the block at `index` (from 0): Base64 of `block-` and six digits, 16 characters
/// for every index below a million, so that all ids of a blob have one length.
pub(crate) fn block_id(index: u64) -> String {
    STANDARD.encode(format!("block-{index:06}"))
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

#[cfg(test)]
mod tests {
    use super::*;

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
