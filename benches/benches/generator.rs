//! Generator cost: each definition of spec/, and synthetic definitions of growing size up to
//! 2,000 operations and 1,000 schemas, to show how the cost grows.

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use generator::{ApiSettings, Input, Output, Settings};
use serde_json::{json, Map, Value};

/// A definition with `operations` operations (half GET with query options, half POST with a
/// body) over `schemas` object schemas that refer to each other, with enums and arrays.
fn synthetic(operations: usize, schemas: usize) -> String {
    let mut components = Map::new();
    for i in 0..schemas {
        let next = (i + 1) % schemas;
        components.insert(
            format!("Thing{i}"),
            json!({
                "type": "object",
                "description": format!("Thing number {i}."),
                "required": ["id", "name"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "name": {"type": "string"},
                    "count": {"type": "integer", "format": "int32"},
                    "createdDateTime": {"type": "string", "format": "date-time"},
                    "state": {"type": "string", "enum": ["Active", "Inactive", "Trial"]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "next": {"$ref": format!("#/components/schemas/Thing{next}")},
                    "others": {"type": "array", "items": {"$ref": format!("#/components/schemas/Thing{next}")}},
                    "note": {"type": "string", "nullable": true}
                }
            }),
        );
    }
    components.insert(
        "ErrorResponse".into(),
        json!({"type": "object", "properties": {"error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}}),
    );
    let mut paths = Map::new();
    for i in 0..operations {
        let schema = json!({"$ref": format!("#/components/schemas/Thing{}", i % schemas)});
        let error = json!({"description": "Not found.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}}});
        let accept = json!({"name": "Accept", "in": "header", "schema": {"type": "string", "enum": ["application/vnd.bentley.itwin-platform.v1+json"]}});
        let operation = if i % 2 == 0 {
            json!({"get": {
                "operationId": format!("get-thing-{i}"),
                "description": "Gets a thing.",
                "parameters": [
                    {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
                    {"name": "$top", "in": "query", "schema": {"type": "integer", "format": "int32"}},
                    {"name": "$filter", "in": "query", "schema": {"type": "string"}},
                    accept
                ],
                "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": schema}}}, "404": error}
            }})
        } else {
            json!({"post": {
                "operationId": format!("create-thing-{i}"),
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}, accept],
                "requestBody": {"required": true, "content": {"application/json": {"schema": schema.clone()}}},
                "responses": {"201": {"description": "Created", "content": {"application/json": {"schema": schema}}}, "404": error}
            }})
        };
        paths.insert(format!("/things{i}/{{id}}"), operation);
    }
    let definition = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "v1"},
        "servers": [{"url": "https://api.bentley.com/synthetic"}],
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(components)}
    });
    serde_json::to_string(&definition).expect("JSON")
}

fn generate(name: &str, text: &str) -> usize {
    let generated = generator::generate(&Settings {
        input: Input::Definition {
            file: Path::new(name),
            text: Some(text),
            api: ApiSettings::default(),
        },
        output: Output::Modules,
        strict: false,
    })
    .unwrap_or_else(|e| panic!("{e}"));
    generated.files.values().map(String::len).sum()
}

fn definitions(c: &mut Criterion) {
    let spec = xtask::spec_dir(&xtask::workspace_root());
    let mut group = c.benchmark_group("generator");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(4));
    for file in ["access-control.json", "itwins.json", "insights.json"] {
        let text = std::fs::read_to_string(spec.join(file)).expect("definition");
        group.bench_function(file, |b| b.iter(|| generate(file, black_box(&text))));
    }
    group.finish();

    let mut group = c.benchmark_group("generator-synthetic");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(6));
    for (operations, schemas) in [(250, 125), (500, 250), (1000, 500), (2000, 1000)] {
        let text = synthetic(operations, schemas);
        group.throughput(Throughput::Elements(operations as u64));
        group.bench_with_input(
            BenchmarkId::from_parameter(format!("{operations}ops-{schemas}schemas")),
            &text,
            |b, text| b.iter(|| generate("synthetic.json", black_box(text))),
        );
    }
    group.finish();
}

criterion_group!(benches, definitions);
criterion_main!(benches);
