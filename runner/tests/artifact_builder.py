"""Write small, valid dbt 1.11-shaped artifacts (manifest v12, run_results v6) for focused tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

PROJECT = "shop"


def model(
    name: str, parents: list[str] = (), meta: dict[str, Any] | None = None, **config: Any
) -> dict[str, Any]:
    return {
        "unique_id": f"model.{PROJECT}.{name}",
        "resource_type": "model",
        "name": name,
        "package_name": PROJECT,
        "original_file_path": f"models/{name}.sql",
        "path": f"{name}.sql",
        "depends_on": {"nodes": list(parents), "macros": []},
        "config": {"materialized": "table", "meta": meta or {}, **config},
        "meta": meta or {},
        "relation_name": f'"warehouse"."main"."{name}"',
        "checksum": {"name": "sha256", "checksum": name},
    }


def data_test(
    name: str,
    test: str,
    model_name: str,
    column: str | None = None,
    severity: str = "ERROR",
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    model_id = f"model.{PROJECT}.{model_name}"
    return {
        "unique_id": f"test.{PROJECT}.{name}",
        "resource_type": "test",
        "name": name,
        "package_name": PROJECT,
        "original_file_path": "models/schema.yml",
        "path": f"{name}.sql",
        "depends_on": {"nodes": [model_id], "macros": [f"macro.dbt.test_{test}"]},
        "config": {"severity": severity, "meta": meta or {}},
        "test_metadata": {"name": test, "namespace": None, "kwargs": {"column_name": column}},
        "column_name": column,
        "attached_node": model_id,
        "meta": {},
    }


def source(name: str, table: str) -> dict[str, Any]:
    return {
        "unique_id": f"source.{PROJECT}.{name}.{table}",
        "resource_type": "source",
        "name": table,
        "source_name": name,
        "package_name": PROJECT,
        "original_file_path": "models/sources.yml",
        "loaded_at_field": "_loaded_at",
        "relation_name": f'"warehouse"."raw"."{table}"',
    }


def exposure(
    name: str,
    parents: list[str],
    owner: str = "Analytics",
    email: str = "analytics@example.com",
    meta: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "unique_id": f"exposure.{PROJECT}.{name}",
        "name": name,
        "type": "dashboard",
        "owner": {"name": owner, "email": email},
        "depends_on": {"nodes": parents},
        "meta": meta or {},
    }


def result(
    unique_id: str,
    status: str,
    message: str | None = None,
    failures: int | None = None,
    at: str = "2026-11-30T02:00:00Z",
) -> dict[str, Any]:
    timing = [] if status == "skipped" else [{"name": "execute", "started_at": at, "completed_at": at}]
    return {
        "unique_id": unique_id,
        "status": status,
        "message": message,
        "failures": failures,
        "timing": timing,
        "thread_id": "Thread-1",
        "execution_time": 1.5,
        "adapter_response": {},
    }


def write_artifacts(
    folder: Path,
    nodes: list[dict],
    results: list[dict],
    sources: list[dict] = (),
    exposures: list[dict] = (),
    command: str = "build",
) -> Path:
    """Write manifest.json and run_results.json into `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    manifest = {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
            "dbt_version": "1.11.2",
            "project_name": PROJECT,
            "adapter_type": "duckdb",
            "invocation_id": "inv-1",
        },
        "nodes": {node["unique_id"]: node for node in nodes},
        "sources": {item["unique_id"]: item for item in sources},
        "exposures": {item["unique_id"]: item for item in exposures},
        "macros": {},
        "docs": {},
        "metrics": {},
        "groups": {},
        "selectors": {},
        "disabled": {},
    }
    run_results = {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json",
            "dbt_version": "1.11.2",
            "generated_at": "2026-11-30T02:05:00Z",
            "invocation_id": "inv-1",
            "invocation_started_at": "2026-11-30T01:59:00Z",
        },
        "results": results,
        "elapsed_time": 360.0,
        "args": {"which": command},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest))
    (folder / "run_results.json").write_text(json.dumps(run_results))
    return folder
