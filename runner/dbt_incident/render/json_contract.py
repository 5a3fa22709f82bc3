"""The triage as a JSON document: the stable, documented contract (`docs/triage-json.md`).

Top level: `schema_version`, `severity` ("P0".."P3" or null), `severity_reason`, `invocation_id`,
`generated_at`, `failures` (root failures), `unattributed`, `result_counts`, `warnings`, `missing_artifacts`.
Times are ISO-8601 UTC strings; durations are seconds; `failures[].failures` is a row count or null.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from dbt_incident.triage import Collateral, RootFailure, Triage

CONTRACT_VERSION = 1


def _time(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value else None


def _collateral(item: Collateral) -> dict[str, Any]:
    return {
        "unique_id": item.unique_id,
        "resource_type": item.resource_type,
        "status": item.status,
        "reason": item.reason,
    }


def failure_to_dict(failure: RootFailure) -> dict[str, Any]:
    """One root failure as a JSON-ready dict (keys documented in `docs/triage-json.md`)."""
    return {
        "unique_id": failure.unique_id,
        "resource_type": failure.resource_type,
        "name": failure.name,
        "status": failure.status,
        "kind": failure.kind.value,
        "cause": failure.cause,
        "classification_rule": failure.classification_rule,
        "severity": failure.severity.value,
        "severity_reason": failure.severity_reason,
        "message": failure.message,
        "failures": failure.failures,
        "collateral": [item.unique_id for item in failure.collateral],
        "collateral_details": [_collateral(item) for item in failure.collateral],
        "downstream": list(failure.downstream),
        "downstream_counts": failure.downstream_counts,
        "exposures": [
            {
                "unique_id": exposure.unique_id,
                "name": exposure.name,
                "owner": exposure.owner,
                "type": exposure.type,
                "url": exposure.url,
            }
            for exposure in failure.exposures
        ],
        "upstream_sources": [
            {
                "unique_id": source.unique_id,
                "freshness": source.freshness,
                "age_seconds": source.age_seconds,
                "max_loaded_at": _time(source.max_loaded_at),
            }
            for source in failure.upstream_sources
        ],
        "tested_node": failure.tested_node,
        "test_name": failure.test_name,
        "column_name": failure.column_name,
        "file_path": failure.file_path,
        "compiled_path": failure.compiled_path,
        "relation_name": failure.relation_name,
        "started_at": _time(failure.started_at),
        "completed_at": _time(failure.completed_at),
        "execution_time": failure.execution_time,
        "owners": list(failure.owners),
        "next_steps": list(failure.next_steps),
        "bigquery_job": failure.bigquery_job,
        "affected_partitions": list(failure.affected_partitions),
        "failing_rows": list(failure.failing_rows),
        "failing_rows_origin": failure.failing_rows_origin,
    }


def triage_to_dict(result: Triage) -> dict[str, Any]:
    """The whole triage as a JSON-ready dict."""
    return {
        "schema_version": CONTRACT_VERSION,
        "severity": result.severity.value if result.severity else None,
        "severity_reason": result.severity_reason,
        "invocation_id": result.invocation_id,
        "generated_at": _time(result.generated_at),
        "dbt_version": result.dbt_version,
        "command": result.command,
        "project_name": result.project_name,
        "adapter_type": result.adapter_type,
        "started_at": _time(result.started_at),
        "completed_at": _time(result.completed_at),
        "elapsed_seconds": result.elapsed_seconds,
        "target_path": str(result.target_path),
        "result_counts": result.result_counts,
        "downstream_totals": result.downstream_totals,
        "failures": [failure_to_dict(failure) for failure in result.failures],
        "unattributed": [_collateral(item) for item in result.unattributed],
        "recent_changes": list(result.recent_changes),
        "warnings": list(result.warnings),
        "missing_artifacts": list(result.missing),
    }


def render_json(result: Triage) -> str:
    """The triage as indented JSON text (UTF-8, non-ASCII kept), ending with a newline."""
    return json.dumps(triage_to_dict(result), indent=2, ensure_ascii=False) + "\n"
