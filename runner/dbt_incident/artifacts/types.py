"""Typed, frozen views of the dbt artifacts: only the fields the runner uses.

Field sources are named in each docstring (artifact and JSON path), so a reader can check them against
dbt's published schemas (https://schemas.getdbt.com/).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any


class Status(str, Enum):
    """A run_results `results[].status`, mirroring dbt's RunStatus / TestStatus values."""

    SUCCESS = "success"
    ERROR = "error"
    FAIL = "fail"
    WARN = "warn"
    SKIPPED = "skipped"
    PASS = "pass"
    RUNTIME_ERROR = "runtime error"
    NO_OP = "no-op"
    PARTIAL_SUCCESS = "partial success"
    UNKNOWN = "unknown"

    @property
    def is_problem(self) -> bool:
        """True for statuses a responder must look at (error, fail, warn, runtime error, partial success)."""
        return self in PROBLEM_STATUSES


PROBLEM_STATUSES = frozenset(
    {Status.ERROR, Status.FAIL, Status.WARN, Status.RUNTIME_ERROR, Status.PARTIAL_SUCCESS}
)


class FreshnessStatus(str, Enum):
    """A sources.json `results[].status` (dbt Fusion writes them capitalised; they are normalised)."""

    PASS = "pass"
    WARN = "warn"
    ERROR = "error"
    RUNTIME_ERROR = "runtime error"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Timing:
    """One `results[].timing[]` entry (`compile` or `execute`), times in UTC."""

    name: str
    started_at: datetime | None
    completed_at: datetime | None


@dataclass(frozen=True)
class Result:
    """One `run_results.json` `results[]` entry.

    `status` is the normalised status; `raw_status` what the file said (legacy files store adapter
    messages such as "SELECT 1254575" there). `failures` is the failing row count of a test (int) or None.
    `execution_time` is in seconds. `adapter_response` is kept as the adapter wrote it (BigQuery: job_id,
    location, project_id, bytes_processed, bytes_billed).
    """

    unique_id: str
    status: Status
    raw_status: str
    message: str | None
    failures: int | None
    execution_time: float
    thread_id: str | None
    timing: tuple[Timing, ...]
    adapter_response: Mapping[str, Any]
    compiled_code: str | None
    relation_name: str | None

    @property
    def resource_type(self) -> str:
        """The resource type spelled in the unique_id (`model`, `test`, `macro`, ...), or `unknown`."""
        prefix = self.unique_id.split(".", 1)[0]
        return prefix if prefix and "." in self.unique_id else "unknown"

    @property
    def started_at(self) -> datetime | None:
        """Earliest timing start (UTC), or None when dbt wrote no timing (skipped nodes)."""
        starts = [entry.started_at for entry in self.timing if entry.started_at]
        return min(starts) if starts else None

    @property
    def completed_at(self) -> datetime | None:
        """Latest timing end (UTC), or None."""
        ends = [entry.completed_at for entry in self.timing if entry.completed_at]
        return max(ends) if ends else None


@dataclass(frozen=True)
class RunResults:
    """A parsed `run_results.json`.

    `schema_version` is the number in `metadata.dbt_schema_version` (None for the legacy pre-0.19 format);
    `command` is `args.which` (run, build, test, run-operation, ...); `elapsed_time` is in seconds.
    `embedded_nodes` holds the node bodies that legacy (pre-0.19) files embed in each result, so lineage
    can be partly recovered without a manifest. `warnings` are notes about how the file was read.
    """

    path: Path
    schema_version: int | None
    dbt_version: str | None
    invocation_id: str | None
    generated_at: datetime | None
    invocation_started_at: datetime | None
    elapsed_time: float | None
    command: str | None
    selector: tuple[str, ...]
    results: tuple[Result, ...]
    embedded_nodes: Mapping[str, Node] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class TestMetadata:
    """`nodes[test].test_metadata`: the generic test's `name`, `namespace` (package) and `kwargs`."""

    name: str
    namespace: str | None
    kwargs: Mapping[str, Any]


@dataclass(frozen=True)
class Node:
    """A manifest node (`nodes`, `sources`, `unit_tests`): model, test, seed, snapshot, source, operation...

    `parents` are `depends_on.nodes` (or `parent_map`); `meta` merges `meta` and `config.meta`;
    `original_file_path` is relative to the project root of `package_name`; `compiled_path` is dbt's
    `compiled_path` when present. For tests, `attached_node` is the tested model (`attached_node`, else the
    first non-macro parent) and `column_name` the tested column. `severity` is `config.severity` (tests).
    """

    unique_id: str
    resource_type: str
    name: str
    package_name: str | None
    original_file_path: str | None
    path: str | None
    compiled_path: str | None
    database: str | None
    schema: str | None
    alias: str | None
    relation_name: str | None
    materialized: str | None
    parents: tuple[str, ...]
    macros: tuple[str, ...]
    tags: tuple[str, ...]
    meta: Mapping[str, Any]
    config: Mapping[str, Any]
    test_metadata: TestMetadata | None
    column_name: str | None
    attached_node: str | None
    severity: str | None
    version: str | None
    checksum: str | None
    owner: str | None
    language: str | None
    # sources only
    source_name: str | None = None
    loaded_at_field: str | None = None
    # `patch_path`: the properties (.yml) file that documents the node, as `<package>://<path>`
    patch_path: str | None = None
    # documented columns (`columns` of the node) as (name, data_type or None), in file order
    columns: tuple[tuple[str, str | None], ...] = ()


@dataclass(frozen=True)
class Exposure:
    """A manifest `exposures` entry: a dashboard, notebook, application... with its owner and parents."""

    unique_id: str
    name: str
    type: str | None
    label: str | None
    owner_name: str | None
    owner_email: str | None
    url: str | None
    maturity: str | None
    parents: tuple[str, ...]
    meta: Mapping[str, Any]
    tags: tuple[str, ...]

    @property
    def owner(self) -> str | None:
        """`name <email>`, the name alone or the email alone, whichever the manifest has."""
        if self.owner_name and self.owner_email:
            return f"{self.owner_name} <{self.owner_email}>"
        return self.owner_name or self.owner_email


@dataclass(frozen=True)
class Manifest:
    """A parsed `manifest.json`.

    `nodes` holds models, tests, seeds, snapshots, analyses, operations and unit tests; `sources` the
    sources; `exposures` the exposures; `macro_paths` maps macro unique_ids to their file paths.
    `parent_map` is the manifest's own map when present, else derived from `depends_on`.
    """

    path: Path
    schema_version: int | None
    dbt_version: str | None
    project_name: str | None
    adapter_type: str | None
    invocation_id: str | None
    nodes: Mapping[str, Node]
    sources: Mapping[str, Node]
    exposures: Mapping[str, Exposure]
    macro_paths: Mapping[str, str]
    parent_map: Mapping[str, tuple[str, ...]]
    warnings: tuple[str, ...] = ()

    def get(self, unique_id: str) -> Node | None:
        """The node or source with this unique_id, or None (exposures: see `exposures`)."""
        return self.nodes.get(unique_id) or self.sources.get(unique_id)


@dataclass(frozen=True)
class FreshnessResult:
    """One `sources.json` `results[]` entry. Ages are in seconds, times in UTC.

    `warn_after` / `error_after` are human strings such as "24 hour" (None where no threshold is set).
    """

    unique_id: str
    status: FreshnessStatus
    raw_status: str
    max_loaded_at: datetime | None
    snapshotted_at: datetime | None
    age_seconds: float | None
    warn_after: str | None
    error_after: str | None
    message: str | None


@dataclass(frozen=True)
class SourceFreshnessResults:
    """A parsed `sources.json` (`dbt source freshness` output)."""

    path: Path
    schema_version: int | None
    dbt_version: str | None
    invocation_id: str | None
    generated_at: datetime | None
    results: tuple[FreshnessResult, ...]
    warnings: tuple[str, ...] = ()
