//! A deterministic sample of definitions to compile: the same ids, seed and size always pick
//! the same definitions, whatever order the ids come in and on whatever machine.

/// The seed of `cargo xtask corpus --compile N`; change it to look at other definitions.
pub const DEFAULT_SEED: u64 = 10;

/// `count` of `ids` (or all of them, if fewer), chosen by a seeded hash of each id, sorted.
pub fn select(ids: &[String], count: usize, seed: u64) -> Vec<String> {
    let mut ranked: Vec<(u64, &String)> = ids.iter().map(|id| (score(seed, id), id)).collect();
    // Ties (a hash collision) fall back to the id, so the order is total.
    ranked.sort();
    ranked.dedup_by(|a, b| a.1 == b.1);
    let mut chosen: Vec<String> = ranked
        .into_iter()
        .take(count)
        .map(|(_, id)| id.clone())
        .collect();
    chosen.sort();
    chosen
}

/// FNV-1a of the seed's bytes then the id's: stable across Rust versions, unlike `DefaultHasher`.
fn score(seed: u64, id: &str) -> u64 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    seed.to_le_bytes()
        .iter()
        .chain(id.as_bytes())
        .fold(OFFSET, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(PRIME)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("api{i}.example.com")).collect()
    }

    #[test]
    fn the_sample_is_sorted_distinct_and_of_the_asked_size() {
        let chosen = select(&ids(100), 10, DEFAULT_SEED);
        assert_eq!(chosen.len(), 10);
        let mut sorted = chosen.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(chosen, sorted);
    }

    #[test]
    fn the_order_of_the_input_does_not_matter() {
        let forward = ids(50);
        let mut backward = forward.clone();
        backward.reverse();
        assert_eq!(select(&forward, 7, 3), select(&backward, 7, 3));
    }

    #[test]
    fn the_seed_changes_the_sample() {
        assert_ne!(select(&ids(100), 10, 1), select(&ids(100), 10, 2));
    }

    #[test]
    fn asking_for_more_than_there_are_gives_them_all() {
        let all = ids(5);
        let mut expected = all.clone();
        expected.sort();
        assert_eq!(select(&all, 50, DEFAULT_SEED), expected);
    }

    #[test]
    fn the_hash_is_pinned() {
        // FNV-1a of eight zero bytes: a changed hash would silently change every sample.
        assert_eq!(score(0, ""), 0xa8c7_f832_281a_39c5);
        assert_eq!(score(0, "abc"), 0xab20_dcdb_6214_056b);
    }
}
