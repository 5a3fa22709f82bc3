"""Parse `run_results.json`: schemas v1-v6, dbt Fusion's output, and the legacy pre-0.19 format."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dbt_incident.artifacts.manifest import parse_node
from dbt_incident.artifacts.reading import (
    as_count,
    as_float,
    as_mapping,
    as_strings,
    as_text,
    load_artifact,
    parse_timestamp,
    schema_version,
)
from dbt_incident.artifacts.types import Node, Result, RunResults, Status, Timing
from dbt_incident.errors import NotADbtArtifact

ARTIFACT = "run_results.json"
_STATUS_BY_TEXT = {status.value: status for status in Status}
# Words dbt wrote before statuses were enums (legacy files) or that other writers use.
_STATUS_ALIASES = {"skip": Status.SKIPPED, "runtimeerror": Status.RUNTIME_ERROR, "noop": Status.NO_OP}


def load_run_results(path: str | Path) -> RunResults:
    """Read and parse a `run_results.json` file.

    Raises:
        ArtifactNotFound, ArtifactInvalid: unreadable file; NotADbtArtifact: not a run_results document.
    """
    return load_artifact(path, ARTIFACT, parse_run_results)


def parse_run_results(document: Mapping[str, Any], path: Path) -> RunResults:
    """Turn a decoded run_results document into `RunResults`.

    Reads `metadata.dbt_schema_version` first; unknown versions are read by the fields present with one
    warning. Legacy files (no `metadata`) embed each node and mark failures in `error`/`fail`/`warn`/`skip`.

    Raises:
        NotADbtArtifact: no `results` list, or the schema URL names another artifact.
    """
    version, warnings = schema_version(document, path, ARTIFACT, "run-results")
    results_field = document.get("results")
    if not isinstance(results_field, list):
        raise NotADbtArtifact(f"{path}: not a dbt {ARTIFACT}: field 'results' (a list) is missing")
    metadata = as_mapping(document.get("metadata"))
    legacy = not metadata
    args = as_mapping(document.get("args"))
    results: list[Result] = []
    embedded: dict[str, Node] = {}
    skipped_entries = 0
    for index, entry in enumerate(results_field):
        if not isinstance(entry, dict):
            skipped_entries += 1
            continue
        node_body = as_mapping(entry.get("node"))
        unique_id = as_text(entry.get("unique_id")) or as_text(node_body.get("unique_id")) or ""
        if not unique_id:
            warnings.append(f"{path}: results[{index}] has an empty unique_id; kept as 'unknown.{index}'")
            unique_id = f"unknown.{index}"
        if node_body:
            embedded[unique_id] = parse_node(unique_id, node_body)
        results.append(_parse_result(entry, unique_id, legacy))
    if skipped_entries:
        warnings.append(f"{path}: {skipped_entries} entries of 'results' are not objects and were ignored")
    selector = args.get("select") or args.get("models") or ()
    return RunResults(
        path=path,
        schema_version=version,
        dbt_version=as_text(metadata.get("dbt_version")),
        invocation_id=as_text(metadata.get("invocation_id")),
        generated_at=parse_timestamp(metadata.get("generated_at") or document.get("generated_at")),
        invocation_started_at=parse_timestamp(metadata.get("invocation_started_at")),
        elapsed_time=as_float(document.get("elapsed_time")),
        command=as_text(args.get("which")),
        selector=as_strings(selector),
        results=tuple(results),
        embedded_nodes=embedded,
        warnings=tuple(warnings),
    )


def _parse_result(entry: Mapping[str, Any], unique_id: str, legacy: bool) -> Result:
    raw_status = entry.get("status")
    status = _legacy_status(entry, raw_status) if legacy else normalise_status(raw_status)
    message = as_text(entry.get("message"))
    if legacy and not message:
        message = as_text(entry.get("error")) or (as_text(raw_status) if status is Status.SUCCESS else None)
    failures = as_count(entry.get("failures"))
    if failures is None and legacy and status in (Status.FAIL, Status.WARN):
        failures = as_count(raw_status)
    node_body = as_mapping(entry.get("node"))
    compiled = (
        as_text(entry.get("compiled_code"))
        or as_text(entry.get("compiled_sql"))
        or as_text(node_body.get("compiled_code"))
        or as_text(node_body.get("compiled_sql"))
        or as_text(node_body.get("injected_sql"))
    )
    return Result(
        unique_id=unique_id,
        status=status,
        raw_status="" if raw_status is None else str(raw_status),
        message=message,
        failures=failures,
        execution_time=as_float(entry.get("execution_time")) or 0.0,
        thread_id=as_text(entry.get("thread_id")),
        timing=tuple(_parse_timing(item) for item in entry.get("timing") or () if isinstance(item, dict)),
        adapter_response=as_mapping(entry.get("adapter_response")),
        compiled_code=compiled,
        relation_name=as_text(entry.get("relation_name")) or as_text(node_body.get("relation_name")),
    )


def normalise_status(raw: Any) -> Status:
    """A `status` value as a `Status`; unknown values (future dbt, other writers) become `Status.UNKNOWN`."""
    if not isinstance(raw, str):
        return Status.UNKNOWN
    text = raw.strip().lower()
    return (
        _STATUS_BY_TEXT.get(text)
        or _STATUS_ALIASES.get(text.replace(" ", "").replace("_", ""))
        or (Status.UNKNOWN)
    )


def _legacy_status(entry: Mapping[str, Any], raw: Any) -> Status:
    """Pre-0.19 results: booleans `error`/`fail`/`warn`/`skip` decide; `status` may be an adapter message."""
    if entry.get("error"):
        return Status.ERROR
    if entry.get("skip"):
        return Status.SKIPPED
    if entry.get("fail"):
        return Status.FAIL
    if entry.get("warn"):
        return Status.WARN
    status = normalise_status(raw)
    if status is not Status.UNKNOWN:
        return status
    if isinstance(raw, str) and raw.strip().upper() == "ERROR":
        return Status.ERROR
    node = as_mapping(entry.get("node"))
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and node.get("resource_type") == "test":
        return Status.FAIL if raw else Status.PASS
    # "SELECT 1254575", "CREATE VIEW", "INSERT 0 5": the adapter's message stored as status means success.
    return Status.SUCCESS if isinstance(raw, str) and raw.strip() else Status.UNKNOWN


def _parse_timing(item: Mapping[str, Any]) -> Timing:
    return Timing(
        name=as_text(item.get("name")) or "",
        started_at=parse_timestamp(item.get("started_at")),
        completed_at=parse_timestamp(item.get("completed_at")),
    )
