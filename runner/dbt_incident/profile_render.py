"""Render a Profile: rich text for the terminal, markdown for tickets and chat, JSON (the stable contract)."""

from __future__ import annotations

import io
import json
from typing import Any

from dbt_incident.profile import Profile

ROW_HISTORY_COLUMNS = (
    "partition_date",
    "row_count",
    "baseline_mean",
    "baseline_median",
    "deviation_percent",
    "flag",
)
NULL_COLUMNS = (
    "column_name",
    "row_count",
    "null_count",
    "null_proportion",
    "baseline_null_proportion",
    "flag",
)
DISTINCT_COLUMNS = (
    "column_name",
    "value",
    "value_status",
    "window_count",
    "baseline_count",
    "distinct_count",
)
FRESHNESS_COLUMNS = ("timestamp_column", "newest_value", "reference_time", "lag_seconds", "row_count")
COST_COLUMNS = ("diagnostic", "bytes_processed", "bytes_billed", "bytes_estimate")


def _cell(value: Any) -> str:
    return "" if value is None else str(value)


def _row_history_baseline(document: dict[str, Any]) -> str:
    """What the row history's baseline is, in words: the earlier partitions of the window, or those before it."""
    if document.get("row_history_baseline") == "window":
        return (
            f"latest {document.get('null_window_days')} against the {document.get('baseline_days')}"
            " earlier partition(s) of the window"
        )
    return f"baseline: {document.get('baseline_days')} partition(s) before the window"


def _sections(profile: Profile) -> list[tuple[str, tuple[str, ...], list[dict[str, Any]]]]:
    document = profile.document
    sections: list[tuple[str, tuple[str, ...], list[dict[str, Any]]]] = []
    if document.get("row_history") is not None:
        title = (
            f"Rows per partition of {document.get('partition_column')} ({_row_history_baseline(document)})"
        )
        sections.append((title, ROW_HISTORY_COLUMNS, document["row_history"]))
    compared = (
        f"latest {document.get('null_window_days')} partition(s) against the rest of the window"
        if document.get("partition_column")
        else "whole table"
    )
    if document.get("null_counts") is not None:
        sections.append((f"Nulls per column ({compared})", NULL_COLUMNS, document["null_counts"]))
    if document.get("distinct_profile") is not None:
        rows = [row for row in document["distinct_profile"] if row.get("value") is not None]
        sections.append((f"Distinct values: top, new and vanished ({compared})", DISTINCT_COLUMNS, rows))
    if isinstance(document.get("freshness"), dict):
        sections.append(("Freshness (UTC)", FRESHNESS_COLUMNS, [document["freshness"]]))
    cost = _cost_rows(document)
    if cost:
        limit = document.get("maximum_bytes_billed")
        title = "Bytes per diagnostic" + (f" (limit: {limit} bytes)" if limit is not None else "")
        sections.append((title, COST_COLUMNS, cost))
    return sections


def _cost_rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per diagnostic from the document's `cost` (bytes; BigQuery), or none when no adapter reported
    any byte count (DuckDB, PostgreSQL: every value null)."""
    cost = document.get("cost")
    if not isinstance(cost, dict):
        return []
    rows = [{"diagnostic": name, **values} for name, values in cost.items() if isinstance(values, dict)]
    reported = any(row.get(column) is not None for row in rows for column in COST_COLUMNS[1:])
    return rows if reported else []


def _heading(profile: Profile) -> str:
    document = profile.document
    return (
        f"Profile of {document.get('model')} ({document.get('relation')}), as of {document.get('as_of')}, "
        f"{document.get('days')} day(s)"
    )


def render_text(profile: Profile, *, width: int = 120) -> str:
    """A rich rendering (tables, anomalies highlighted) as plain text of at most `width` columns."""
    from rich.console import Console
    from rich.table import Table

    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, color_system=None)
    console.print(_heading(profile))
    flagged = {(finding.section, finding.subject) for finding in profile.findings}
    for title, columns, rows in _sections(profile):
        table = Table(title=title, title_justify="left")
        for column in columns:
            table.add_column(
                column,
                justify="left" if column in ("column_name", "value", "flag", "diagnostic") else "right",
            )
        for row in rows:
            subject = str(row.get("partition_date") or row.get("column_name"))
            style = "bold" if any((section, subject) in flagged for section in _section_names()) else None
            table.add_row(*(_cell(row.get(column)) for column in columns), style=style)
        console.print(table)
    if profile.findings:
        console.print("Looks wrong:")
        for finding in profile.findings:
            console.print(
                f"  - [{finding.kind}] {finding.section} {finding.subject}: {finding.detail}", markup=False
            )
    else:
        console.print("Nothing looks wrong in this window.")
    return buffer.getvalue()


def _section_names() -> tuple[str, ...]:
    return ("row_history", "null_counts", "distinct_profile", "freshness")


def render_markdown(profile: Profile) -> str:
    """Markdown: a heading, the findings first, then one table per section."""
    lines = [f"## {_heading(profile)}", ""]
    if profile.findings:
        lines.append("**Looks wrong:**")
        lines.append("")
        for finding in profile.findings:
            lines.append(f"- `{finding.kind}` {finding.section} **{finding.subject}**: {finding.detail}")
    else:
        lines.append("Nothing looks wrong in this window.")
    for title, columns, rows in _sections(profile):
        lines += ["", f"### {title}", "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        for row in rows:
            cells = [_cell(row.get(column)).replace("|", "\\|") for column in columns]
            lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def render_json(profile: Profile) -> str:
    """JSON: {"profile": <the incident_profile document>, "findings": [{section, subject, kind, detail}]}."""
    findings = [finding.__dict__ for finding in profile.findings]
    return json.dumps({"profile": profile.document, "findings": findings}, indent=2, sort_keys=True) + "\n"
