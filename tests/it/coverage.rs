//! Every operation that the APIs' catalogues (spec/catalogues/) list is in the definitions and callable
//! through the committed client; the per-API report is pinned so that a change shows up.

use xtask::coverage::{measure, report};
use xtask::workspace_root;

#[test]
fn every_catalogued_operation_is_defined_and_generated() {
    let root = workspace_root();
    let coverage = measure(&root).unwrap_or_else(|e| panic!("{e}"));
    let table = report(&coverage);
    println!("{table}");
    for api in &coverage {
        assert!(
            !api.catalogued.is_empty(),
            "{}: no catalogue read",
            api.name
        );
        assert!(
            api.missing().is_empty(),
            "{}: missing {:?}",
            api.name,
            api.missing()
        );
        assert_eq!(
            api.generated, api.defined,
            "{}: not all generated",
            api.name
        );
    }
    insta::assert_snapshot!("coverage_per_api", table);
}
