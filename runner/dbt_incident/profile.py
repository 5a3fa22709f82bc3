"""Run the package's `incident_profile` run-operation and read its JSON document.

`run_profile` invokes dbt in-process (dbt's programmatic `dbtRunner`, imported lazily so that importing this
module stays cheap), captures what the macro prints, and parses the one JSON document between the markers
`-- dbt_incident:profile:begin --` and `-- dbt_incident:profile:end --`. `find_anomalies` turns the document
into findings: the partitions and columns that look wrong. Rendering lives in `profile_render.py`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from dbt_incident.errors import DbtInvocationError
from dbt_incident.render.formatting import count_text

BEGIN_MARKER = "-- dbt_incident:profile:begin --"
END_MARKER = "-- dbt_incident:profile:end --"
SUPPORTED_FORMAT_VERSION = 1
# A timestamp column whose newest value is older than this is reported as stale (seconds).
STALE_AFTER_SECONDS = 36 * 3600


@dataclass(frozen=True)
class Finding:
    """One thing that looks wrong: section (row_history, null_counts, distinct_profile, freshness),
    subject (a partition date or a column), kind (missing, low, high, spike, all_null, new_values,
    vanished_values, stale) and a one-line detail."""

    section: str
    subject: str
    kind: str
    detail: str


@dataclass(frozen=True)
class Profile:
    """The parsed `incident_profile` document plus the findings derived from it."""

    document: dict[str, Any]
    findings: tuple[Finding, ...] = field(default=())

    @property
    def model(self) -> str:
        return str(self.document.get("model", ""))


def build_operation_args(
    model: str,
    *,
    partition_column: str | None = None,
    days: int | None = None,
    columns: Sequence[str] | None = None,
    distinct_columns: Sequence[str] | None = None,
    as_of: str | None = None,
    baseline_days: int | None = None,
    timestamp_column: str | None = None,
) -> dict[str, Any]:
    """The `--args` of `dbt run-operation incident_profile` (format json) for these options.

    `columns` become the macro's `critical_columns` (null counts) and, unless `distinct_columns` is given,
    also its distinct-profile columns. `baseline_days` (partitions) compares the row history with that many
    partitions before the window instead of the window's earlier partitions.
    """
    arguments: dict[str, Any] = {"model": model, "format": "json"}
    if partition_column:
        arguments["partition_column"] = partition_column
    if days is not None:
        arguments["days"] = days
    if columns:
        arguments["critical_columns"] = list(columns)
    chosen_distinct = list(distinct_columns) if distinct_columns else list(columns or [])
    if chosen_distinct:
        arguments["distinct_columns"] = chosen_distinct
    if as_of:
        arguments["as_of"] = as_of
    if baseline_days is not None:
        arguments["baseline_days"] = baseline_days
    if timestamp_column:
        arguments["timestamp_column"] = timestamp_column
    return arguments


def parse_profile_output(text: str) -> dict[str, Any]:
    """Return the JSON document printed between the profile markers in `text` (the last one if several).

    Raises:
        DbtInvocationError: no complete marked document, invalid JSON, or a format_version this runner does
            not know (the message names what was found).
    """
    end = text.rfind(END_MARKER)
    begin = text.rfind(BEGIN_MARKER, 0, end if end >= 0 else None)
    if begin < 0 or end < 0:
        raise DbtInvocationError(
            "incident_profile printed no JSON document between "
            f"'{BEGIN_MARKER}' and '{END_MARKER}' (is the dbt_incident package installed in the project?)"
        )
    payload = text[begin + len(BEGIN_MARKER) : end].strip()
    try:
        document = json.loads(payload)
    except json.JSONDecodeError as error:
        raise DbtInvocationError(f"incident_profile printed invalid JSON: {error}") from error
    if not isinstance(document, dict):
        raise DbtInvocationError("incident_profile printed JSON that is not an object")
    version = document.get("format_version")
    if version != SUPPORTED_FORMAT_VERSION:
        raise DbtInvocationError(
            f"incident_profile document has format_version {version!r}; this runner reads "
            f"{SUPPORTED_FORMAT_VERSION} (upgrade dbt-incident or the dbt_incident package)"
        )
    return document


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _latest_partitions(document: dict[str, Any]) -> str:
    """`the latest partition` or `the latest 2 partitions` (null_window_days of the document)."""
    count = document.get("null_window_days")
    return (
        f"the latest {count} partitions" if isinstance(count, int) and count > 1 else "the latest partition"
    )


def find_anomalies(document: dict[str, Any]) -> tuple[Finding, ...]:
    """The partitions and columns that look wrong in a profile document.

    Row history: every partition flagged missing, low or high. Null counts: columns flagged spike or
    all_null. Distinct profile: columns with values new in the window or vanished from it. Freshness: a
    newest value older than STALE_AFTER_SECONDS, or no value at all.
    """
    findings: list[Finding] = []
    latest = _latest_partitions(document)
    for row in document.get("row_history") or []:
        flag = row.get("flag")
        if flag in ("missing", "low", "high"):
            mean = row.get("baseline_mean")
            deviation = row.get("deviation_percent")
            row_count = row.get("row_count")
            detail = count_text(row_count, "row") if isinstance(row_count, int) else f"{row_count} rows"
            if mean is not None:
                detail += f" against a baseline mean of {mean}"
            if deviation is not None:
                detail += f" ({deviation:+}%)"
            findings.append(Finding("row_history", str(row.get("partition_date")), str(flag), detail))
    for row in document.get("null_counts") or []:
        flag = row.get("flag")
        if flag in ("spike", "all_null"):
            detail = f"null proportion {row.get('null_proportion')} ({row.get('null_count')} of {row.get('row_count')})"
            if row.get("baseline_null_proportion") is not None:
                detail += f" in {latest} against {row.get('baseline_null_proportion')} before"
            findings.append(Finding("null_counts", str(row.get("column_name")), str(flag), detail))
    values: dict[tuple[str, str], list[str]] = {}
    for row in document.get("distinct_profile") or []:
        status = row.get("value_status")
        if status in ("new", "vanished"):
            values.setdefault((str(row.get("column_name")), status), []).append(str(row.get("value")))
    for (column, status), listed in values.items():
        kind = "new_values" if status == "new" else "vanished_values"
        where = (
            f"in {latest}, never in the earlier partitions"
            if status == "new"
            else f"in the earlier partitions, not in {latest}"
        )
        findings.append(Finding("distinct_profile", column, kind, f"{', '.join(listed)} ({where})"))
    freshness = document.get("freshness")
    if isinstance(freshness, dict):
        lag = _number(freshness.get("lag_seconds"))
        column = str(freshness.get("timestamp_column"))
        if freshness.get("newest_value") is None:
            findings.append(Finding("freshness", column, "stale", "no rows: the table or window is empty"))
        elif lag is not None and lag > STALE_AFTER_SECONDS:
            detail = f"newest value {freshness.get('newest_value')} UTC is {lag / 3600:.1f} hours old"
            findings.append(Finding("freshness", column, "stale", detail))
    return tuple(findings)


# incident_profile's arguments and the `dbt-incident profile` options that set them.
CLI_OPTIONS = {
    "partition_column": "--partition-column",
    "days": "--days",
    "critical_columns": "--columns",
    "distinct_columns": "--columns",
    "as_of": "--as-of",
    "baseline_days": "--baseline-days",
    "timestamp_column": "--timestamp-column",
    "model": "MODEL",
}


def _name_cli_options(reason: str) -> str:
    """dbt's error with the CLI option beside each macro argument it names: `argument 'as_of' (--as-of)`, and
    without dbt's `Compilation Error in macro ... (macros/...)` prefix before the package's own message."""
    start = reason.find("dbt_incident.")
    reason = reason[start:] if start > 0 else reason
    for argument, option in CLI_OPTIONS.items():
        reason = reason.replace(f"argument '{argument}' ", f"argument '{argument}' ({option}) ")
    return reason


def run_profile(
    model: str,
    *,
    partition_column: str | None = None,
    days: int | None = None,
    columns: Sequence[str] | None = None,
    distinct_columns: Sequence[str] | None = None,
    as_of: str | None = None,
    baseline_days: int | None = None,
    timestamp_column: str | None = None,
    project_dir: str | os.PathLike[str] = ".",
    profiles_dir: str | os.PathLike[str] | None = None,
    target: str | None = None,
    variables: dict[str, Any] | None = None,
) -> Profile:
    """Run `dbt run-operation incident_profile` (format json) in-process and parse what it prints.

    Args:
        model: model name, `source_name.table_name` or relation string (resolved by the macro).
        partition_column: date/timestamp column for the per-day row history (none: no row history).
        days: window in days (default: the package's `dbt_incident_days`, 7).
        columns: columns for null counts and the distinct profile (none: null counts of every column).
        distinct_columns: columns for the distinct profile when they differ from `columns`.
        as_of: last day of the window `YYYY-MM-DD` (default: today, UTC).
        baseline_days: row-history baseline of that many partitions (days) before the window (an extra query
            on the partition column); none: the latest day against the earlier days of the window, which the
            profile then reads only once.
        timestamp_column: column for freshness (default: the partition column when it is a timestamp).
        project_dir, profiles_dir, target, variables: passed to dbt (`--project-dir`, ...).

    Returns:
        The parsed Profile with its findings.

    Raises:
        DbtInvocationError: dbt is not installed, the project cannot be loaded, the macro failed (the
            message carries dbt's error, e.g. a missing column), or its output cannot be parsed.
    """
    from dbt_incident.dbt_invocation import invoke_dbt

    arguments = build_operation_args(
        model,
        partition_column=partition_column,
        days=days,
        columns=columns,
        distinct_columns=distinct_columns,
        as_of=as_of,
        baseline_days=baseline_days,
        timestamp_column=timestamp_column,
    )
    invocation = invoke_dbt(
        ["run-operation", "incident_profile", "--args", json.dumps(arguments), "--quiet"],
        project_dir=project_dir,
        profiles_dir=profiles_dir,
        target=target,
        variables=variables,
    )
    if not invocation.success:
        reason = _name_cli_options(invocation.failure_reason())
        raise DbtInvocationError(f"dbt run-operation incident_profile failed for {model}: {reason}")
    output = invocation.output
    document = parse_profile_output(output)
    return Profile(document=document, findings=find_anomalies(document))
