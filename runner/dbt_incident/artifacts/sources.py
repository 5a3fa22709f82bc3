"""Parse `sources.json` (`dbt source freshness` output): schemas v1-v3 and dbt Fusion's variant."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from dbt_incident.artifacts.reading import (
    as_float,
    as_mapping,
    as_text,
    load_artifact,
    parse_timestamp,
    schema_version,
)
from dbt_incident.artifacts.types import FreshnessResult, FreshnessStatus, SourceFreshnessResults
from dbt_incident.errors import NotADbtArtifact

ARTIFACT = "sources.json"
_STATUS_BY_TEXT = {status.value: status for status in FreshnessStatus}


def load_sources(path: str | Path) -> SourceFreshnessResults:
    """Read and parse a `sources.json` file.

    Raises:
        ArtifactNotFound, ArtifactInvalid: unreadable file; NotADbtArtifact: not a sources.json.
    """
    return load_artifact(path, ARTIFACT, parse_sources)


def parse_sources(document: Mapping[str, Any], path: Path) -> SourceFreshnessResults:
    """Turn a decoded sources.json into `SourceFreshnessResults`.

    Statuses are lower-cased (Fusion writes `Pass`); results that errored at run time keep their `error`
    text as `message`. Raises NotADbtArtifact when `results` is missing or the schema URL is another kind.
    """
    version, warnings = schema_version(document, path, ARTIFACT, "sources")
    results_field = document.get("results")
    if not isinstance(results_field, list):
        raise NotADbtArtifact(f"{path}: not a dbt {ARTIFACT}: field 'results' (a list) is missing")
    metadata = as_mapping(document.get("metadata"))
    results = []
    for entry in results_field:
        if not isinstance(entry, dict) or not as_text(entry.get("unique_id")):
            continue
        raw_status = as_text(entry.get("status")) or ""
        criteria = as_mapping(entry.get("criteria"))
        results.append(
            FreshnessResult(
                unique_id=as_text(entry.get("unique_id")) or "",
                status=_STATUS_BY_TEXT.get(raw_status.strip().lower(), FreshnessStatus.UNKNOWN),
                raw_status=raw_status,
                max_loaded_at=parse_timestamp(entry.get("max_loaded_at")),
                snapshotted_at=parse_timestamp(entry.get("snapshotted_at")),
                age_seconds=as_float(entry.get("max_loaded_at_time_ago_in_s")),
                warn_after=_threshold(criteria.get("warn_after")),
                error_after=_threshold(criteria.get("error_after")),
                message=as_text(entry.get("error")) or as_text(entry.get("message")),
            )
        )
    return SourceFreshnessResults(
        path=path,
        schema_version=version,
        dbt_version=as_text(metadata.get("dbt_version")),
        invocation_id=as_text(metadata.get("invocation_id")),
        generated_at=parse_timestamp(metadata.get("generated_at")),
        results=tuple(results),
        warnings=tuple(warnings),
    )


def _threshold(value: Any) -> str | None:
    """`{count: 24, period: hour}` as "24 hour"; None when no threshold is set (count or period null)."""
    threshold = as_mapping(value)
    count, period = threshold.get("count"), as_text(threshold.get("period"))
    if count is None or not period:
        return None
    return f"{count} {period}"
