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


_PROFILED_TYPES = ("model", "snapshot", "seed", "source")


def partition_column_of(model: Node, test: Node | None = None) -> str | None:
    """The model's partition column: the test's `partition_column` argument (this package's tests), else
    the model's `partition_by.field` config (BigQuery style), else the first documented column typed or
    named as a date; None when nothing says."""
    if test is not None and test.test_metadata is not None:
        argument = test.test_metadata.kwargs.get("partition_column")
        if isinstance(argument, str) and argument:
            return argument
    partition_by = model.config.get("partition_by")
    if isinstance(partition_by, dict) and isinstance(partition_by.get("field"), str):
        return partition_by["field"]
    # else the first documented column typed as a date, or named like one (`event_date`, `order_day`)
    for name, data_type in model.columns:
        if data_type and data_type.strip().lower() == "date":
            return name
    for name, _ in model.columns:
        if name.lower().endswith(("_date", "_day")) or name.lower() in ("date", "day"):
            return name
    return None


def profile_command(model: Node, columns: list[str] | None = None, test: Node | None = None) -> str:
    """The `dbt-incident profile` command that examines a model's or source's data (row history, nulls,
    distinct values), with its partition column when known."""
    from dbt_incident.profile_command import suggest_profile_command

    name = (
        f"{model.source_name}.{model.name}"
        if model.resource_type == "source" and model.source_name
        else model.name
    )
    if model.version and model.resource_type == "model":
        name = f"{model.name}.v{model.version}"
    return suggest_profile_command(name, partition_column_of(model, test), columns)


def next_steps(kind: Kind, cause: str, unique_id: str, node: Node | None, tested: Node | None) -> list[str]:
    """Commands and checks for one root failure, most useful first."""
    steps: list[str] = []
    name = node.name if node is not None else unique_id.rsplit(".", 1)[-1]
    if kind is Kind.TEST_FAILURE and tested is not None and tested.resource_type in _PROFILED_TYPES:
        column = node.column_name if node is not None else None
        steps.append(profile_command(tested, [column] if column else None, node))
        steps.append(f"dbt test --select {quote(name)} --store-failures  # keep the failing rows")
    if cause in _CAUSE_ADVICE:
        steps.append(_CAUSE_ADVICE[cause])
    if kind in (Kind.COMPILATION_ERROR, Kind.DATABASE_ERROR, Kind.RUNTIME_ERROR, Kind.UNKNOWN):
        target = node.name if node is not None else name
        steps.append(f"dbt build --select {quote(target)}+ --target dev  # reproduce and verify the fix")
    if kind is Kind.STALE_SOURCE and node is not None and node.source_name:
        steps.append(f"dbt source freshness --select {quote('source:' + node.source_name + '.' + node.name)}")
    return steps
