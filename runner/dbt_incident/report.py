"""The incident report (markdown) following the playbook's template, filled from the triage.

`build_report(triage, ...)` returns the text; `report_filename(triage)` the playbook's file name
`incident_report_<YYYYMMDD>_<slug>.md`; `write_report` writes it atomically, never over an existing file
without `force`. Sections a machine cannot know (resolution, prevention, lessons) are left to fill, with
prompts; the validation checklist is the playbook's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from dbt_incident.files import write_atomic
from dbt_incident.render.formatting import duration_text, one_line, time_text
from dbt_incident.render.markdown import headline
from dbt_incident.triage import RootFailure, Triage

VALIDATION_CHECKLIST = (
    "Data is correct",
    "All tests passing",
    "Downstream systems healthy",
    "Stakeholders notified",
    "Incident documented",
    "Prevention measures identified",
)
TO_FILL = "_To fill._"


@dataclass(frozen=True)
class IncidentFacts:
    """What an incident record (`dbt-incident open`) adds to the report; built by `incident_report`.

    `duration_seconds` is the incident's duration (resolved) or its elapsed time so far (open);
    `checklist_done` the validation items ticked or evidenced in the record.
    """

    id: str
    severity: str
    severity_reason: str | None
    status: str
    started_at: datetime
    resolved_at: datetime | None
    duration_seconds: float
    responders: tuple[str, ...] = ()
    root_cause: str | None = None
    resolution: str | None = None
    impact_notes: tuple[str, ...] = ()
    summary_notes: tuple[str, ...] = ()
    checklist_done: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the report's timeline: when (UTC), what, and where it came from (run, git, note...)."""

    at: datetime
    what: str
    origin: str = "run"


def incident_date(result: Triage) -> datetime:
    """The UTC moment the incident is dated by: invocation start, else artifact time, else now."""
    return result.started_at or result.generated_at or result.completed_at or datetime.now(timezone.utc)


def slug(text: str, limit: int = 48) -> str:
    """A file-name slug: lower-case ASCII letters, digits and hyphens (`fct_orders null spike` -> `fct-orders-null-spike`)."""
    ascii_text = text.encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return cleaned[:limit].rstrip("-") or "incident"


def report_slug(result: Triage) -> str:
    """The slug of a triage: first root's name and cause, or `no-failure`."""
    if not result.failures:
        return "no-failure"
    first = result.failures[0]
    return slug(f"{first.name} {first.cause}")


def report_filename(result: Triage) -> str:
    """`incident_report_<YYYYMMDD>_<slug>.md` (the playbook's name, with a slug so two incidents a day differ)."""
    return f"incident_report_{incident_date(result):%Y%m%d}_{report_slug(result)}.md"


def run_timeline(result: Triage) -> list[TimelineEntry]:
    """Timeline entries from the run: invocation start, each root failure with its timestamp, end."""
    entries = []
    if result.started_at:
        entries.append(
            TimelineEntry(
                result.started_at,
                f"dbt {result.command or 'invocation'} started "
                f"(invocation {result.invocation_id or 'unknown'})",
            )
        )
    for failure in result.failures:
        moment = failure.completed_at or failure.started_at
        if moment:
            entries.append(
                TimelineEntry(
                    moment, f"{failure.unique_id} {failure.status}: {failure.kind.value} / {failure.cause}"
                )
            )
    if result.completed_at:
        entries.append(TimelineEntry(result.completed_at, f"dbt {result.command or 'invocation'} finished"))
    return entries


def build_report(
    result: Triage,
    *,
    title: str | None = None,
    responder: str | None = None,
    extra_timeline: Iterable[TimelineEntry] = (),
    generated_at: datetime | None = None,
    incident: IncidentFacts | None = None,
) -> str:
    """The incident report as markdown.

    Args:
        result: the triage.
        title: report title; default: the triage headline.
        responder: the responder's name; default left to fill.
        extra_timeline: entries from other origins (git commits, notes, notifications) merged by time.
        generated_at: when the report is written (UTC); default now.
        incident: the incident record's facts: severity, duration, responders, root cause, resolution,
            impact notes and checklist come from it instead of being left to fill.
    """
    generated_at = generated_at or datetime.now(timezone.utc)
    title = title or headline(result)
    timeline = sorted([*run_timeline(result), *extra_timeline], key=lambda entry: entry.at)
    severity = result.severity.value if result.severity else "none"
    header = [
        f"**Date**: {incident_date(result):%Y-%m-%d} (UTC)",
        f"**Severity**: {severity} — {result.severity_reason}",
        f"**Duration**: {duration_text(_run_duration(result))} (dbt run timings"
        f"{'; incident duration to fill on resolution' if result.failures else ''})",
        f"**Responder**: {responder or TO_FILL}",
    ]
    if incident:
        header = _incident_header(result, incident, responder)
    lines = [
        f"# Incident Report: {title}",
        "",
        *header,
        f"**Invocation**: `{result.invocation_id or 'unknown'}` — `dbt {result.command or '?'}`, "
        f"dbt {result.dbt_version or '?'}, {result.adapter_type or 'adapter unknown'}",
        "",
        "## Summary",
        "",
        summary_paragraph(result)
        + "".join(f" Reported: {note}" for note in (incident.summary_notes if incident else ())),
        "",
        "## Timeline",
        "",
        *(
            f"- {entry.at:%Y-%m-%d %H:%M:%S} UTC — {entry.what}"
            + (f" _({entry.origin})_" if entry.origin != "run" else "")
            for entry in timeline
        ),
        f"- {generated_at:%Y-%m-%d %H:%M:%S} UTC — report generated by dbt-incident",
        "",
        "## Root Cause",
        "",
    ]
    root_cause = incident.root_cause if incident else None
    if root_cause:
        lines += [f"**Recorded root cause**: {root_cause}", ""]
    if not result.failures:
        lines += ["Nothing failed in this invocation.", ""]
    for failure in result.failures:
        lines += _root_cause_block(failure, recorded=bool(root_cause))
    lines += ["## 5 Whys", "", *_five_whys(result, root_cause), ""]
    impact = _impact_lines(result)
    if incident and incident.impact_notes:
        impact[-1] = "- Business impact: " + " ".join(incident.impact_notes)
    lines += ["## Impact", "", *impact, ""]
    lines += ["## Resolution", "", *_resolution_lines(incident), ""]
    lines += [
        "## Prevention",
        "",
        TO_FILL + " The test or monitor that would have caught this earlier "
        "(`dbt-incident regression-test`).",
        "",
        "## Action Items",
        "",
        "| type | action | owner | due |",
        "| --- | --- | --- | --- |",
        *_action_items(result),
        "",
        "## Lessons Learned",
        "",
        TO_FILL,
        "",
        "## Validation",
        "",
        *(
            f"- [{'x' if incident and item in incident.checklist_done else ' '}] {item}"
            for item in VALIDATION_CHECKLIST
        ),
        "",
    ]
    if result.warnings or result.missing:
        lines += [
            "## Notes on the evidence",
            "",
            *(f"- {note}" for note in (*result.warnings, *result.missing)),
            "",
        ]
    return "\n".join(lines)


def summary_paragraph(result: Triage) -> str:
    """One paragraph: what failed, how it is classified, what it affects."""
    if not result.failures:
        return "The dbt invocation finished without failures."
    parts = []
    for failure in result.failures:
        impact = f"{len(failure.collateral)} collateral node(s), {len(failure.downstream)} downstream"
        if failure.exposures:
            impact += ", exposures " + ", ".join(exposure.name for exposure in failure.exposures)
        parts.append(
            f"`{failure.name}` ({failure.resource_type}) {failure.status}: {failure.kind.value} / "
            f"{failure.cause} — {impact}"
        )
    collateral_total = sum(len(failure.collateral) for failure in result.failures)
    return (
        f"dbt `{result.command or 'invocation'}` had {len(result.failures)} root failure(s) and "
        f"{collateral_total} collateral node(s). " + "; ".join(parts) + "."
    )


def _run_duration(result: Triage) -> float | None:
    if result.started_at and result.completed_at:
        return max((result.completed_at - result.started_at).total_seconds(), 0.0)
    return result.elapsed_seconds


def _incident_header(result: Triage, incident: IncidentFacts, responder: str | None) -> list[str]:
    """Header lines from the incident record: its id, severity, duration (or elapsed time), responders."""
    reason = incident.severity_reason or result.severity_reason
    state = "" if incident.resolved_at else " so far (incident still open)"
    return [
        f"**Date**: {incident.started_at:%Y-%m-%d} (UTC)",
        f"**Incident**: {incident.id} ({incident.status})",
        f"**Severity**: {incident.severity} — {reason}",
        f"**Duration**: {round(incident.duration_seconds / 60)} minutes ({duration_text(incident.duration_seconds)})"
        f"{state}; dbt run {duration_text(_run_duration(result))}",
        f"**Responder**: {', '.join(incident.responders) or responder or TO_FILL}",
    ]


def _resolution_lines(incident: IncidentFacts | None) -> list[str]:
    if incident is None or not incident.resolution:
        return [TO_FILL + " What was changed, rerun or backfilled (commands, commits)."]
    lines = [incident.resolution, ""]
    if incident.resolved_at:
        lines.append(
            f"Resolved at {incident.resolved_at:%Y-%m-%d %H:%M:%S} UTC after "
            f"{duration_text(incident.duration_seconds)}."
        )
    return lines


def _five_whys(result: Triage, root_cause: str | None) -> list[str]:
    from dbt_incident.incident_analysis import five_whys
    from dbt_incident.incident_record import seed_from_triage

    return five_whys(seed_from_triage(result)["failures"], root_cause)


def _root_cause_block(failure: RootFailure, *, recorded: bool = False) -> list[str]:
    lines = [f"### `{failure.unique_id}` — {failure.kind.value} / {failure.cause}", ""]
    lines.append(f"- Classified by: {failure.classification_rule}")
    if failure.test_name:
        lines.append(
            f"- Test: `{failure.test_name}`"
            + (f" on `{failure.tested_node}`" if failure.tested_node else "")
            + (f", column `{failure.column_name}`" if failure.column_name else "")
            + (f", {failure.failures} failing rows" if failure.failures is not None else "")
        )
    if failure.affected_partitions:
        origin = f" ({failure.failing_rows_origin})" if failure.failing_rows_origin else ""
        lines.append("- Affected partitions: " + ", ".join(failure.affected_partitions) + origin)
    if failure.message:
        lines += [
            "- Message:",
            "",
            "  ```",
            *(f"  {line}" for line in failure.message.strip().splitlines()[:20]),
            "  ```",
        ]
    if failure.file_path:
        lines.append(f"- Source file: `{failure.file_path}`")
    if failure.compiled_path:
        lines.append(f"- Compiled SQL: `{failure.compiled_path}`")
    if failure.upstream_sources:
        lines.append(
            "- Upstream sources: "
            + ", ".join(
                f"`{source.unique_id}` (freshness: {source.freshness})" for source in failure.upstream_sources
            )
        )
    lines += ["- Why it happened: " + ("see the recorded root cause above" if recorded else TO_FILL), ""]
    return lines


def _impact_lines(result: Triage) -> list[str]:
    affected = list(
        dict.fromkeys(
            unique_id
            for failure in result.failures
            for unique_id in ([failure.tested_node] if failure.tested_node else [failure.unique_id])
            + list(failure.downstream)
        )
    )
    exposures = {
        exposure.unique_id: exposure for failure in result.failures for exposure in failure.exposures
    }
    counts = dict(result.downstream_totals)
    lines = [
        f"- Affected tables ({len(affected)}): "
        + (
            ", ".join(f"`{unique_id}`" for unique_id in affected[:30]) + (" …" if len(affected) > 30 else "")
            or "none"
        )
    ]
    lines.append(
        "- Affected exposures and owners: "
        + (
            ", ".join(
                f"{exposure.name} ({exposure.type or 'exposure'}, owner: {exposure.owner or 'unknown'})"
                for exposure in exposures.values()
            )
            or "none declared downstream"
        )
    )
    lines.append(
        "- Downstream counts: "
        + (", ".join(f"{count} {kind}" for kind, count in sorted(counts.items())) or "none")
    )
    skipped = sum(1 for failure in result.failures for item in failure.collateral if item.status == "skipped")
    lines.append(f"- Skipped in this run: {skipped + len(result.unattributed)} node(s)")
    lines.append("- Business impact: " + TO_FILL)
    return lines


def _action_items(result: Triage) -> list[str]:
    rows = []
    for failure in result.failures:
        if failure.kind.value == "test_failure" and failure.tested_node:
            rows.append(
                f"| prevent | Regression test for `{failure.name}` (`dbt-incident regression-test "
                f"--test {failure.unique_id}`) | {TO_FILL} | |"
            )
        elif failure.kind.value == "stale_source":
            rows.append(
                f"| detect | Alert on freshness of `{failure.name}` before the nightly run | {TO_FILL} | |"
            )
        else:
            rows.append(
                f"| mitigate | Fix and rebuild `{failure.name}` and its downstream "
                f"(`dbt build --select {failure.name}+`) | {TO_FILL} | |"
            )
    rows.append(
        f"| detect | Add monitoring for the failing signal ({one_line(', '.join(sorted({f.cause for f in result.failures})) or 'n/a', 80)}) | {TO_FILL} | |"
    )
    rows.append(f"| prevent | Conduct the post-mortem meeting (`dbt-incident postmortem`) | {TO_FILL} | |")
    return rows


def write_report(text: str, destination: Path, *, force: bool = False) -> Path:
    """Write the report atomically; raises `OutputExists` when the file exists and `force` is false."""
    return write_atomic(destination, text, force=force)


__all__ = [
    "IncidentFacts",
    "TimelineEntry",
    "build_report",
    "report_filename",
    "run_timeline",
    "slug",
    "time_text",
    "write_report",
]
