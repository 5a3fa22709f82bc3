"""What to run next for a root failure: exact commands, per kind and cause (the playbook's Phase 2-3)."""

from __future__ import annotations

import shlex

from dbt_incident.artifacts.types import Node
from dbt_incident.classification import Kind

_CAUSE_ADVICE = {
    "undefined_macro": "Install package dependencies (`dbt deps`) or fix the macro name; check packages.yml",
    "missing_ref": "A ref/source points at a node that does not exist or is disabled: check recent renames",
    "missing_column": "An upstream column was renamed or dropped: `dbt-incident changes` lists recent "
    "commits on the lineage; compare the upstream schema",
    "missing_relation": "An upstream table or view does not exist: was it dropped, renamed, or never built?",
    "permission_denied": "The dbt service account lost a grant: check warehouse roles / IAM",
    "timeout": "The query ran past its limit: check warehouse load and the model's data volume",
    "resources_exceeded": "The query ran out of resources: check data volume (a duplicated upstream?) and joins",
    "quota_exceeded": "A warehouse quota was hit: retry later or raise the quota",
    "bytes_billed_limit": "maximum_bytes_billed stopped the query: check for a missing partition filter",
    "partition_filter_required": "Add a filter on the partition column (require_partition_filter is set)",
    "syntax_error": "Fix the SQL: open the compiled SQL path below",
    "duplicate_merge_key": "The incremental merge found duplicate keys in the new batch: check upstream dupes",
    "connection_error": "The warehouse connection dropped: retry once, then check warehouse status",
    "freshness": "The loader stopped: check the ingestion job (Fivetran/Airbyte/scheduler) for this source",
}


def quote(argument: str) -> str:
    """Shell-quote one argument for a command the responder copies."""
    return shlex.quote(argument)


def profile_command(model: Node, columns: list[str] | None = None) -> str:
    """The `dbt-incident profile` command that examines a model's data (row history, nulls, distinct values).

    The partition column comes from the model's `partition_by` config (BigQuery style) when present.
    """
    command = ["dbt-incident", "profile", model.name]
    partition_by = model.config.get("partition_by")
    if isinstance(partition_by, dict) and isinstance(partition_by.get("field"), str):
        command += ["--partition-column", partition_by["field"]]
    for column in columns or []:
        command += ["--columns", column]
    return " ".join(quote(part) for part in command)


def next_steps(kind: Kind, cause: str, unique_id: str, node: Node | None, tested: Node | None) -> list[str]:
    """Commands and checks for one root failure, most useful first."""
    steps: list[str] = []
    name = node.name if node is not None else unique_id.rsplit(".", 1)[-1]
    if (
        kind is Kind.TEST_FAILURE
        and tested is not None
        and tested.resource_type in ("model", "snapshot", "seed")
    ):
        column = node.column_name if node is not None else None
        steps.append(profile_command(tested, [column] if column else None))
        steps.append(f"dbt test --select {quote(name)} --store-failures  # see the failing rows")
    elif kind is Kind.TEST_FAILURE and tested is not None and tested.resource_type == "source":
        steps.append(f"dbt test --select {quote('source:' + (tested.source_name or '') + '.' + tested.name)}")
    if cause in _CAUSE_ADVICE:
        steps.append(_CAUSE_ADVICE[cause])
    if kind in (Kind.COMPILATION_ERROR, Kind.DATABASE_ERROR, Kind.RUNTIME_ERROR, Kind.UNKNOWN):
        target = node.name if node is not None else name
        steps.append(f"dbt build --select {quote(target)}+ --target dev  # reproduce and verify the fix")
    if kind is Kind.STALE_SOURCE and node is not None and node.source_name:
        steps.append(f"dbt source freshness --select {quote('source:' + node.source_name + '.' + node.name)}")
    return steps
