//! The change report of `cargo xtask regen --report`: pairs of definitions under
//! `fixtures/changes/` (`<case>.before.yaml`, `<case>.after.yaml`), each generated and the two
//! modules compared as the report compares them, with a snapshot of the report and assertions
//! on how each change is classified; the rules read from the generated code, not from the
//! generator (edited output is classified by what it says); and the `--deny-breaking` verdict
//! and the git side of the comparison.

use std::path::{Path, PathBuf};
use std::process::Command;

use generator::ApiSettings;
use xtask::changes::{self, Change, Files, Kind};

/// The module each pair of fixtures generates.
fn module_of(case: &str) -> &'static str {
    match case {
        "response_changed" => "jobs",
        "bodies_and_pages" => "members",
        _ => "things",
    }
}

/// The API module the generator makes of one side of a case, as `regen` lays it out.
fn generated(case: &str, side: &str) -> Files {
    let name = format!("{case}.{side}.yaml");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/changes")
        .join(&name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{name}: {e}"));
    let module = module_of(case);
    let settings = ApiSettings {
        module: Some(module.to_owned()),
        ..Default::default()
    };
    let (module_rs, models_rs) =
        crate::support::module_of(Path::new(&name), &text, &settings, false)
            .unwrap_or_else(|e| panic!("{e}"));
    Files::from([
        (PathBuf::from(module).join("mod.rs"), module_rs),
        (PathBuf::from(module).join("models.rs"), models_rs),
    ])
}

fn compare(old: &Files, new: &Files) -> Vec<Change> {
    changes::compare(old, new).unwrap_or_else(|e| panic!("{e}"))
}

/// The changes of a case, checked to be the same on a second run and to vanish when a side is
/// compared with itself.
fn changes_of(case: &str) -> Vec<Change> {
    let (before, after) = (generated(case, "before"), generated(case, "after"));
    let changes = compare(&before, &after);
    assert_eq!(changes, compare(&before, &after), "deterministic");
    assert_eq!(compare(&before, &before), []);
    assert_eq!(compare(&after, &after), []);
    assert!(!changes.is_empty(), "{case}: the fixtures differ");
    changes
}

fn snapshot_text(changes: &[Change]) -> String {
    format!(
        "{}\n\n{}",
        changes::summary(changes),
        changes::report(changes)
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

/// The generated files with `from` replaced by `to` in the file of `name`: output as another
/// generator (or a hand) might write it.
fn edited(mut files: Files, name: &str, from: &str, to: &str) -> Files {
    let text = files
        .iter_mut()
        .find(|(path, _)| path.ends_with(name))
        .map(|(_, text)| text)
        .expect("generated file");
    assert!(text.contains(from), "`{from}` is not in {name}");
    *text = text.replace(from, to);
    files
}

#[test]
fn removed_operation_is_breaking() {
    let changes = changes_of("removed_operation");
    insta::assert_snapshot!("removed_operation", snapshot_text(&changes));
    // The builder goes with its method: one change, not one per item.
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
            "things::models::Thing::nickname",
            "new optional field (`Option<String>`)"
        ),
        Kind::Additive
    );
}

#[test]
fn new_field_of_a_struct_users_can_build_with_a_literal_is_breaking() {
    // The same change, in output whose struct is not `#[non_exhaustive]`.
    let open = |side| {
        edited(
            generated("new_optional_field", side),
            "models.rs",
            "#[non_exhaustive]\npub struct Thing {",
            "pub struct Thing {",
        )
    };
    let changes = compare(&open("before"), &open("after"));
    assert_eq!(
        kind_of(
            &changes,
            "things::models::Thing::nickname",
            "not `#[non_exhaustive]`"
        ),
        Kind::Breaking
    );
}

#[test]
fn field_that_became_required_is_breaking() {
    let changes = changes_of("field_became_required");
    insta::assert_snapshot!("field_became_required", snapshot_text(&changes));
    assert_eq!(kinds(&changes), [Kind::Breaking]);
    for model in ["Thing", "ThingCreate"] {
        let field = format!("things::models::{model}::display_name");
        assert_eq!(
            kind_of(&changes, &field, "now required (type `String`"),
            Kind::Breaking
        );
        let new = format!("things::models::{model}::new");
        assert_eq!(
            kind_of(&changes, &new, "new argument `display_name`"),
            Kind::Breaking
        );
    }
}

#[test]
fn field_that_became_optional_is_breaking_where_new_changes() {
    let changes = changes_of("field_became_optional");
    insta::assert_snapshot!("field_became_optional", snapshot_text(&changes));
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingCreate::display_name",
            "now optional (type `Option<String>`, was `String`)"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingCreate::new",
            "argument `display_name` removed"
        ),
        Kind::Breaking
    );
    // Its only required field gone, `ThingUpdate` is built with `Default` instead of `new`.
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingUpdate::new",
            "associated function removed"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingUpdate",
            "now implements `Default`"
        ),
        Kind::Additive
    );
    assert!(
        !changes
            .iter()
            .any(|c| c.item.starts_with("things::models::Thing::")),
        "`Thing` did not change: {changes:#?}"
    );
}

#[test]
fn removed_enum_value_is_breaking() {
    let changes = changes_of("enum_value_removed");
    insta::assert_snapshot!("enum_value_removed", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingClass::Endeavor",
            "variant removed (it stood for `Endeavor`)"
        ),
        Kind::Breaking
    );
}

#[test]
fn new_variant_is_additive_only_when_the_enum_is_non_exhaustive() {
    let changes = changes_of("enum_value_added");
    insta::assert_snapshot!("enum_value_added", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingClass::WorkPackage",
            "the enum is `#[non_exhaustive]`"
        ),
        Kind::Additive
    );
    // The rule reads the attribute from the output: without it, a `match` breaks.
    let exhaustive = |side| {
        edited(
            generated("enum_value_added", side),
            "models.rs",
            "#[non_exhaustive]\npub enum ThingClass",
            "pub enum ThingClass",
        )
    };
    let changes = compare(&exhaustive("before"), &exhaustive("after"));
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingClass::WorkPackage",
            "the enum is exhaustive"
        ),
        Kind::Breaking
    );
}

#[test]
fn new_media_type_of_an_exhaustive_enum_is_breaking() {
    let changes = changes_of("media_type_added");
    insta::assert_snapshot!("media_type_added", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(
            &changes,
            "things::UploadThingImageContentType::ImageJpeg",
            "stands for `image/jpeg`"
        ),
        Kind::Breaking
    );
}

#[test]
fn changed_field_type_is_breaking() {
    let changes = changes_of("type_changed");
    insta::assert_snapshot!("type_changed", snapshot_text(&changes));
    assert_eq!(changes.len(), 1);
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingCreate::size",
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
        kind_of(&changes, "things::get_things", "new argument `owner_id`"),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(&changes, "things::GetThings::owner_id", "method removed"),
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
    assert!(!changes.iter().any(|c| c.kind == Kind::Breaking
        && (c.item.starts_with("things::get_thing:") || c.item.starts_with("things::GetThing:"))));
}

#[test]
fn added_and_reordered_parameters() {
    let changes = changes_of("parameters_added");
    insta::assert_snapshot!("parameters_added", snapshot_text(&changes));
    assert_eq!(
        kind_of(&changes, "things::get_parts", "new argument `region`"),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::GetParts::search",
            "new method `search(self, search: impl Into<String>) -> Self`"
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
            "jobs::GetJob::send",
            "now returns `Result<models::JobDetails, Error>` (was `Result<models::ResultModel, Error>`)"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "jobs::CancelJob::send",
            "now returns `Result<(), Error>`"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(
            &changes,
            "jobs::CreateJobResponse::NoContent",
            "new variant (stands for `204`"
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
            "method renamed to `get_thing_details` (builder `GetThingDetails`, was `GetThing`)"
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
        !changes
            .iter()
            .any(|c| c.what.starts_with("new ") || c.what.contains("removed")),
        "a rename is neither an addition nor a removal: {changes:#?}"
    );
}

#[test]
fn wire_renames_are_wire_only() {
    let changes = changes_of("wire_renamed");
    insta::assert_snapshot!("wire_renamed", snapshot_text(&changes));
    assert!(!changes::has_breaking(&changes));
    assert_eq!(
        kind_of(
            &changes,
            "things::models::Thing::display_name",
            "serialized as `display_name` (was `displayName`)"
        ),
        Kind::Wire
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::models::ThingState::InProgress",
            "now stands for `in_progress` (was `in-progress`)"
        ),
        Kind::Wire
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::get_things: parameter `top`",
            "sent as `top` (was `$top`)"
        ),
        Kind::Wire
    );
    // A serde rename in the output is a wire change, whatever produced it.
    let before = generated("wire_renamed", "after");
    let after = edited(
        before.clone(),
        "models.rs",
        "pub id: String,",
        "#[serde(rename = \"ID\")]\n    pub id: String,",
    );
    assert_eq!(
        kind_of(
            &compare(&before, &after),
            "things::models::Thing::id",
            "serialized as `ID` (was `id`)"
        ),
        Kind::Wire
    );
}

#[test]
fn documentation_changes_are_only_documentation() {
    let changes = changes_of("docs_only");
    insta::assert_snapshot!("docs_only", snapshot_text(&changes));
    assert_eq!(kinds(&changes), [Kind::Docs]);
    for item in [
        "things",
        "things::get_thing",
        "things::models::Thing",
        "things::models::Thing::display_name",
    ] {
        assert_eq!(kind_of(&changes, item, "documentation changed"), Kind::Docs);
    }
    assert!(!changes::has_breaking(&changes));
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
            "things::models::Thing::legacy_code",
            "field removed"
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
            "things::models::Status::Archived",
            "new variant (stands for `Archived`"
        ),
        Kind::Additive
    );
    assert_eq!(
        kind_of(
            &changes,
            "things::ACCEPT",
            "`Accept: application/vnd.bentley.itwin-platform.v2+json`"
        ),
        Kind::Wire
    );
    assert_eq!(
        kind_of(&changes, "things::get_things", "documentation changed"),
        Kind::Docs
    );
    assert_eq!(
        changes::summary(&changes),
        "1 breaking, 4 additive, 1 wire only, 1 documentation only"
    );
}

#[test]
fn generated_code_that_is_not_rust_is_an_error() {
    let good = generated("removed_operation", "before");
    let bad = edited(good.clone(), "mod.rs", "pub struct", "pub struct {");
    let error = changes::compare(&good, &bad).unwrap_err();
    assert!(error.contains("things/mod.rs"), "{error}");
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
        generated("removed_operation", "before"),
        generated("response_changed", "before"),
    );
    let both: Files = things.clone().into_iter().chain(jobs).collect();
    let changes = compare(&both, &things);
    assert_eq!(changes.len(), 1);
    assert_eq!(kind_of(&changes, "jobs", "API removed"), Kind::Breaking);
    let changes = compare(&Files::new(), &both);
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

    /// Writes the API modules of the definitions, as `cargo xtask regen` does.
    fn regen(&self) {
        let files = changes::generated_apis(&self.0).unwrap();
        xtask::drift::write_all(&xtask::apis_dir(&self.0), &files).unwrap();
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
fn working_tree_is_compared_with_the_committed_generated_code() {
    let scratch = Scratch::new("git");
    scratch.regen();
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
            "things::models::ThingClass::Endeavor",
            "removed"
        ),
        Kind::Breaking
    );
    assert!(changes::verdict(&comparison.changes, true).is_err());
    let short = changes::short_report(&comparison);
    assert!(
        short.contains("1 breaking")
            && short.contains("breaking: things::models::ThingClass::Endeavor"),
        "{short}"
    );

    // Once regenerated and committed, the change is not one against HEAD, but still one
    // against the commit before; a base git does not know is an error.
    scratch.regen();
    scratch.git(&["commit", "--quiet", "-am", "remove a value"]);
    assert_eq!(changes::since(&scratch.0, None).unwrap().changes, []);
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

    // A commit without generated API modules has none to compare with either.
    scratch.git(&["init", "--quiet"]);
    scratch.git(&["add", "spec/manifest.toml"]);
    scratch.git(&["commit", "--quiet", "-m", "manifest only"]);
    let comparison = changes::since(&scratch.0, None).unwrap();
    assert_eq!(kinds(&comparison.changes), [Kind::Additive]);
    assert!(
        comparison.notes[0].contains("generated-client/src/apis is not in HEAD"),
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
            "members::add_members",
            "argument `body`: type changed from `Vec<String>` to `Vec<models::Member>`"
        ),
        Kind::Breaking
    );
    assert_eq!(
        kind_of(&changes, "members::TouchMembers::body", "new method `body("),
        Kind::Additive
    );
    assert_eq!(
        kind_of(&changes, "members::GetMembers::into_stream", "new method"),
        Kind::Additive
    );
    assert_eq!(
        kind_of(
            &changes,
            "members::models::MemberList::links",
            "new optional field"
        ),
        Kind::Additive
    );
}
