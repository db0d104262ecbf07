//! The change report of `cargo xtask regen --report`: pairs of definitions under
//! `fixtures/changes/` (`<case>.before.yaml`, `<case>.after.yaml`), each with a snapshot of the
//! report and assertions on how each change is classified; and the `--deny-breaking` verdict
//! and the git side of the comparison.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::compare::{self, Change, Kind};
use generator::model::Api;
use generator::ApiSettings;
use xtask::changes;

fn model(case: &str, side: &str) -> Api {
    let name = format!("{case}.{side}.yaml");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/changes")
        .join(&name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let (api, _) = crate::support::model_of(Path::new(&name), &text, &ApiSettings::default())
        .unwrap_or_else(|e| panic!("{e}"));
    api
}

/// The changes of a case, checked to be the same on a second run and to vanish when a side is
/// compared with itself.
fn changes_of(case: &str) -> Vec<Change> {
    let (before, after) = (model(case, "before"), model(case, "after"));
    let changes = compare::compare(&before, &after);
    assert_eq!(changes, compare::compare(&before, &after), "deterministic");
    assert!(compare::compare(&before, &before).is_empty());
    assert!(compare::compare(&after, &after).is_empty());
    assert!(!changes.is_empty(), "{case}: the fixtures differ");
    changes
}

fn snapshot_text(changes: &[Change]) -> String {
    format!(
        "{}\n\n{}",
        compare::summary(changes),
        compare::report(changes)
    )
}

/// The kind of the change of `item` whose description contains `words`; fails if none.
fn kind_of(changes: &[Change], item: &str, words: &str) -> Kind {
    changes
        .iter()
        .find(|c| c.item == item && c.what.contains(words))
        .unwrap_or_else(|| panic!("no change of `{item}` saying `{words}` in {changes:#?}"))
        .kind
}

fn kinds(changes: &[Change]) -> Vec<Kind> {
    let mut kinds: Vec<Kind> = changes.iter().map(|c| c.kind).collect();
    kinds.dedup();
    kinds
}

#[test]
fn removed_operation_is_breaking() {
    let changes = changes_of("removed_operation");
    insta::assert_snapshot!("removed_operation", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(&changes, "things::delete_thing", "operation removed"),
        Kind::Breaking
    );
}

#[test]
fn new_optional_field_is_additive() {
    let changes = changes_of("new_optional_field");
    insta::assert_snapshot!("new_optional_field", snapshot_text(&changes));
    assert_eq!(kinds(&changes), [Kind::Additive]);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::Thing: field `nickname`",
            "`Option<String>`"
        ),
        Kind::Additive
    );
}

#[test]
fn field_that_became_required_is_breaking() {
    let changes = changes_of("field_became_required");
    insta::assert_snapshot!("field_became_required", snapshot_text(&changes));
    assert_eq!(kinds(&changes), [Kind::Breaking]);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingCreate: field `display_name`",
            "now required: `new` takes it as an argument and requests must set it"
        ),
        Kind::Breaking
    );
    // `Thing` is only received: its field's type changes, but no request has to set it.
    let received = "things::models::Thing: field `display_name`";
    assert_eq!(kind_of(&changes, received, "now required"), Kind::Breaking);
    assert!(!kind_of_text(&changes, received).contains("requests must set it"));
}

fn kind_of_text<'c>(changes: &'c [Change], item: &str) -> &'c str {
    &changes
        .iter()
        .find(|c| c.item == item)
        .expect("change of item")
        .what
}

#[test]
fn removed_enum_value_is_breaking() {
    let changes = changes_of("enum_value_removed");
    insta::assert_snapshot!("enum_value_removed", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingClass: variant `Endeavor`",
            "removed"
        ),
        Kind::Breaking
    );
}

#[test]
fn new_enum_value_is_additive_because_the_enum_is_open() {
    let changes = changes_of("enum_value_added");
    insta::assert_snapshot!("enum_value_added", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingClass: variant `WorkPackage`",
            "#[non_exhaustive]"
        ),
        Kind::Additive
    );
    // What the report relies on: the generated enum is open and non-exhaustive.
    let (_, models) = crate::support::module_of(
        Path::new("enum_value_added.after.yaml"),
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("fixtures/changes/enum_value_added.after.yaml"),
        )
        .unwrap(),
        &ApiSettings::default(),
        false,
    )
    .unwrap();
    let enum_at = models.find("pub enum ThingClass").expect("enum generated");
    let before_enum = &models[..enum_at];
    assert!(before_enum.trim_end().ends_with("#[non_exhaustive]"));
    assert!(models[enum_at..].contains("Unknown(String)"));
}

#[test]
fn changed_field_type_is_breaking() {
    let changes = changes_of("type_changed");
    insta::assert_snapshot!("type_changed", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingCreate: field `size`",
            "from `Option<i32>` to `Option<String>`"
        ),
        Kind::Breaking
    );
}

#[test]
fn moved_parameter_breaks_only_when_the_signature_changes() {
    let changes = changes_of("parameter_moved");
    insta::assert_snapshot!("parameter_moved", snapshot_text(&changes));
    // Optional query → required path: the setter becomes an argument.
    assert_eq!(
        kind_of(
            &changes,
            "things::get_things: parameter `owner_id`",
            "moved from the query to the path, now required"
        ),
        Kind::Breaking
    );
    // Required query → path: still the same argument, only the URL differs.
    assert_eq!(
        kind_of(
            &changes,
            "things::get_thing: parameter `id`",
            "moved from the query to the path"
        ),
        Kind::Wire
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::get_thing",
            "now calls `GET /things/thing/{id}`"
        ),
        Kind::Wire
    );
    assert!(!changes
        .iter()
        .any(|c| c.kind == Kind::Breaking && c.item.starts_with("things::get_thing:")));
}

#[test]
fn added_and_reordered_parameters() {
    let changes = changes_of("parameters_added");
    insta::assert_snapshot!("parameters_added", snapshot_text(&changes));
    assert_eq!(
        kind_of(
            &changes,
            "things::get_parts: parameter `region`",
            "new required parameter"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::get_parts: parameter `search`",
            "new optional parameter"
        ),
        Kind::Additive
    );
    // `id` and `kind` are both `impl Into<String>`: swapped, calls still compile.
    assert_eq!(
        kind_of(&changes, "things::get_parts", "arguments reordered"),
        Kind::Breaking
    );
}

#[test]
fn changed_answers() {
    let changes = changes_of("response_changed");
    insta::assert_snapshot!("response_changed", snapshot_text(&changes));
    assert_eq!(
        kind_of(
            &changes,
            "jobs::get_job",
            "`send` now returns `JobDetails` (was `ResultModel`)"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(&changes, "jobs::cancel_job", "`send` now returns `()`"),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "jobs::create_job: answer `CreateJobResponse::NoContent`",
            "new success status 204"
        ),
        Kind::Additive
    );
    assert_eq!(
        kind_of(&changes, "jobs::models::JobDetails", "new type"),
        Kind::Additive
    );
}

#[test]
fn renamed_operation_and_type_are_breaking() {
    let changes = changes_of("operation_renamed");
    insta::assert_snapshot!("operation_renamed", snapshot_text(&changes));
    assert_eq!(
        kind_of(
            &changes,
            "things::get_thing",
            "method renamed to `get_thing_details`"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::models::Thing",
            "renamed to `ThingDetails`"
        ),
        Kind::Breaking
    );
    assert!(
        !changes.iter().any(|c| c.what.starts_with("new ")),
        "a rename is not also an addition: {changes:#?}"
    );
}

#[test]
fn documentation_changes_are_only_documentation() {
    let changes = changes_of("docs_only");
    insta::assert_snapshot!("docs_only", snapshot_text(&changes));
    assert_eq!(kinds(&changes), [Kind::Docs]);
    assert_eq!(
        kind_of(&changes, "things::get_thing", "summary changed"),
        Kind::Docs
    );
    assert_eq!(
        kind_of(&changes, "things::get_thing", "description added"),
        Kind::Docs
    );
    assert!(!compare::has_breaking(&changes));
}

#[test]
fn mix_of_changes_is_sorted_by_kind() {
    let changes = changes_of("mixed");
    insta::assert_snapshot!("mixed", snapshot_text(&changes));
    let sorted = {
        let mut sorted = changes.clone();
        sorted.sort();
        sorted
    };
    assert_eq!(changes, sorted);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::Thing: field `legacy_code`",
            "removed"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(&changes, "things::delete_thing", "new operation"),
        Kind::Additive
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::models::Status: variant `Archived`",
            "new enum value"
        ),
        Kind::Additive
    );
    assert_eq!(
        kind_of(
            &changes,
            "things",
            "`Accept: application/vnd.bentley.itwin-platform.v2+json`"
        ),
        Kind::Wire
    );
    assert_eq!(
        kind_of(&changes, "things::get_things", "summary changed"),
        Kind::Docs
    );
    assert_eq!(
        compare::summary(&changes),
        "1 breaking, 4 additive, 1 wire only, 1 documentation only"
    );
}

#[test]
fn deny_breaking_fails_only_on_breaking_changes() {
    let breaking = changes_of("enum_value_removed");
    let additive = changes_of("enum_value_added");
    let docs = changes_of("docs_only");
    let error = changes::verdict(&breaking, true).unwrap_err();
    assert!(error.contains("1 breaking change"), "{error}");
    assert_eq!(changes::verdict(&breaking, false), Ok(()));
    assert_eq!(changes::verdict(&additive, true), Ok(()));
    assert_eq!(changes::verdict(&docs, true), Ok(()));
    assert_eq!(changes::verdict(&[], true), Ok(()));
}

#[test]
fn apis_added_or_removed_from_the_manifest() {
    let (things, jobs) = (
        model("removed_operation", "before"),
        model("response_changed", "before"),
    );
    let changes = compare::compare_all(
        &[things.clone(), jobs.clone()],
        std::slice::from_ref(&things),
    );
    assert_eq!(changes.len(), 1);
    assert_eq!(kind_of(&changes, "jobs", "API removed"), Kind::Breaking);
    let changes = compare::compare_all(&[], &[things, jobs]);
    assert_eq!(kinds(&changes), [Kind::Additive]);
    assert_eq!(changes.len(), 2);
}

/// A scratch folder of its own under the system's temporary directory, outside any git
/// repository, holding a manifest and one definition.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("itwin-changes-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("spec")).unwrap();
        std::fs::write(
            dir.join("spec/manifest.toml"),
            "[[api]]\nname = \"Things\"\nfile = \"things.yaml\"\n\
             server = \"https://api.bentley.com/things\"\n\
             accept = \"application/vnd.bentley.itwin-platform.v1+json\"\n\
             module = \"things\"\nsource = \"https://example.invalid/things\"\n",
        )
        .unwrap();
        let scratch = Scratch(dir);
        scratch.definition("enum_value_removed.before.yaml");
        scratch
    }

    fn definition(&self, fixture: &str) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("fixtures/changes")
            .join(fixture);
        std::fs::copy(from, self.0.join("spec/things.yaml")).unwrap();
    }

    fn git(&self, args: &[&str]) {
        let status = Command::new("git")
            .arg("-C")
            .arg(&self.0)
            .args([
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
            ])
            .args(args)
            .output()
            .expect("git runs");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn working_tree_is_compared_with_the_committed_definitions() {
    let scratch = Scratch::new("git");
    scratch.git(&["init", "--quiet"]);
    scratch.git(&["add", "."]);
    scratch.git(&["commit", "--quiet", "-m", "definitions"]);
    scratch.definition("enum_value_removed.after.yaml");

    let comparison = changes::since(&scratch.0, None).unwrap();
    assert!(comparison.base.starts_with("HEAD ("), "{}", comparison.base);
    assert!(comparison.notes.is_empty(), "{:?}", comparison.notes);
    assert_eq!(comparison.changes.len(), 1);
    assert_eq!(
        kind_of(
            &comparison.changes,
            "things::models::ThingClass: variant `Endeavor`",
            "removed"
        ),
        Kind::Breaking
    );
    assert!(changes::verdict(&comparison.changes, true).is_err());
    let short = changes::short_report(&comparison);
    assert!(
        short.contains("1 breaking")
            && short.contains("breaking: things::models::ThingClass: variant `Endeavor`"),
        "{short}"
    );

    // Once committed, the change is not one against HEAD, but still one against the commit
    // before; a base git does not know is an error.
    scratch.git(&["commit", "--quiet", "-am", "remove a value"]);
    assert!(changes::since(&scratch.0, None).unwrap().changes.is_empty());
    let previous = changes::since(&scratch.0, Some("HEAD~1")).unwrap();
    assert_eq!(previous.changes.len(), 1);
    let error = changes::since(&scratch.0, Some("no-such-branch")).unwrap_err();
    assert!(error.contains("no-such-branch"), "{error}");
}

#[test]
fn without_git_history_every_api_is_new() {
    let scratch = Scratch::new("nogit");
    let comparison = changes::since(&scratch.0, None).unwrap();
    assert_eq!(kinds(&comparison.changes), [Kind::Additive]);
    assert_eq!(
        kind_of(&comparison.changes, "things", "new API"),
        Kind::Additive
    );
    assert!(
        comparison
            .notes
            .iter()
            .any(|n| n.contains("every API counts as new")),
        "{:?}",
        comparison.notes
    );
    assert!(changes::verdict(&comparison.changes, true).is_ok());

    // A definition that is not in the commit counts as new too.
    scratch.git(&["init", "--quiet"]);
    scratch.git(&["add", "spec/manifest.toml"]);
    scratch.git(&["commit", "--quiet", "-m", "manifest only"]);
    let comparison = changes::since(&scratch.0, None).unwrap();
    assert_eq!(kinds(&comparison.changes), [Kind::Additive]);
    assert!(
        comparison.notes[0].contains("spec/things.yaml is not in HEAD"),
        "{:?}",
        comparison.notes
    );
}

#[test]
fn changed_bodies_and_an_answer_that_became_a_page() {
    let changes = changes_of("bodies_and_pages");
    insta::assert_snapshot!("bodies_and_pages", snapshot_text(&changes));
    assert_eq!(
        kind_of(
            &changes,
            "members::add_members: request body",
            "from `Vec<String>` to `Vec<Member>`"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "members::touch_members: request body",
            "new optional body"
        ),
        Kind::Additive
    );
    assert_eq!(
        kind_of(&changes, "members::get_members", "`into_stream`"),
        Kind::Additive
    );
    assert_eq!(
        kind_of(
            &changes,
            "members::models::MemberList: field `links`",
            "new optional field"
        ),
        Kind::Additive
    );
}
