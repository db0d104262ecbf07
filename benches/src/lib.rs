//! Benchmarks live in `benches/`; `cargo xtask bench` runs them and prints one table.
//!
//! What several of them share: the loopback HTTP server ([`server`]), the calls each benchmark
//! makes both through the generated client and by hand ([`cases`]), and the allocator that
//! counts what they allocate ([`counting`]).

pub mod cases;
pub mod counting;
pub mod server;
