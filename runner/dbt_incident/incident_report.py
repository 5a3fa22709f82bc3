"""The incident report of a recorded incident: the triage report merged with the incident record.

`build_incident_report` feeds `report.build_report` with the record's facts (severity, duration,
responders, root cause, resolution, impact notes, checklist) and one merged timeline: the failing run's
timings, the record's events (opening, notes, checks, notifications, resolution) and, when the
`dbt_incident.changes` module is installed (`dbt-incident changes`), the git commits of the window that
touched the failing lineage. The report is written into the incident folder by default.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from dbt_incident.incident_record import Incident, checklist_state, timeline
from dbt_incident.report import IncidentFacts, TimelineEntry, build_report, slug
from dbt_incident.timeline import TimelineEvent, utc_now
from dbt_incident.triage import Triage

COMMIT_WINDOW_BEFORE = timedelta(hours=24)  # the playbook's `git log --since="24 hours ago"`


def report_filename(incident: Incident) -> str:
    """`incident_report_<YYYYMMDD>_<slug>.md`, dated by the incident's UTC start, slug from its title."""
    return f"incident_report_{incident.started_at:%Y%m%d}_{slug(incident.title)}.md"


def incident_facts(
    incident: Incident, events: list[TimelineEvent], now: datetime | None = None
) -> IncidentFacts:
    """The record's facts as the report takes them."""
    return IncidentFacts(
        id=incident.id,
        severity=incident.severity,
        severity_reason=incident.severity_reason,
        status=incident.status,
        started_at=incident.started_at,
        resolved_at=incident.resolved_at,
        duration_seconds=incident.elapsed_seconds(now),
        responders=incident.responders,
        root_cause=incident.root_cause,
        resolution=incident.resolution,
        impact_notes=tuple(event.text for event in events if event.kind == "impact"),
        summary_notes=tuple(
            f"{event.kind}: {event.text}" for event in events if event.kind in ("what", "who", "when")
        ),
        checklist_done=tuple(state.item for state in checklist_state(incident, events) if state.done),
    )


def is_new_failure(incident: Incident, project_dir: str | Path, target_path: str | Path | None) -> bool:
    """True when the target folder holds a failed run of another invocation than the (resolved) incident's.

    `report` then reports that run alone instead of the old incident. A passing run (the fix rerun) or
    missing artifacts leave the incident as the report's subject.
    """
    from dbt_incident.errors import ArtifactNotFound
    from dbt_incident.session import load_triage

    try:
        current = load_triage(project_dir, target_path)
    except ArtifactNotFound:
        return False
    return current.failed and current.invocation_id != incident.invocation_id


def timeline_entries(incident: Incident, events: list[TimelineEvent], result: Triage) -> list[TimelineEntry]:
    """The record's events as report timeline entries; the run's own events are skipped when the report's
    triage is the same invocation (the report adds them from the triage, to the microsecond)."""
    same_run = bool(result.invocation_id) and result.invocation_id == incident.invocation_id
    entries = []
    for event in events:
        if event.kind == "run" and same_run:
            continue
        author = f" — {event.author}" if event.author else ""
        entries.append(TimelineEntry(event.at, f"{event.text}{author}", origin=event.kind))
    return entries


def _default_commit_source(
    project_dir: Path, result: Triage, since: datetime, until: datetime
) -> tuple[list[TimelineEntry], list[str]]:
    """Commits under the failing lineage from `dbt_incident.changes` (`dbt-incident changes`), if installed.

    Returns:
        (entries, notes): no entries and no note when the module is absent; no entries and a note when git
        history could not be read (not a repository, no manifest): the report never fails for it.
    """
    import importlib

    try:
        changes = importlib.import_module("dbt_incident.changes")
    except ImportError:
        return [], []
    from dbt_incident.artifacts import load_manifest
    from dbt_incident.errors import DbtIncidentError

    manifest_path = result.target_path / "manifest.json"
    if not manifest_path.is_file():
        return [], [f"commits not merged: {manifest_path} is missing (the lineage needs it)"]
    try:
        report = changes.recent_changes(
            project_dir,
            load_manifest(manifest_path),
            changes.failing_node_ids(result),
            since=since,
            until=until,
        )
    except DbtIncidentError as error:
        return [], [f"commits not merged: {error}"]
    return list(changes.timeline_entries(report)), []


def build_incident_report(
    incident: Incident,
    result: Triage,
    *,
    project_dir: Path | None = None,
    generated_at: datetime | None = None,
    commit_source: Callable[[Path, Triage, datetime, datetime], tuple[list[TimelineEntry], list[str]]]
    | None = None,
) -> str:
    """The report of `incident`, with the triage of its failing run (`result`).

    Args:
        incident: the record.
        result: the triage (of the snapshot taken at `open`, or of the target folder).
        project_dir: the git work tree to read commits from; None: no commits.
        generated_at: UTC time of writing; default now (also the end of an open incident's elapsed time).
        commit_source: returns (commit entries, notes) for (project_dir, triage, since, until); default:
            `dbt_incident.changes` when installed. The window is 24 hours before detection to resolution.
    """
    generated_at = generated_at or utc_now()
    events, warnings = timeline(incident)
    entries = timeline_entries(incident, events, result)
    if project_dir is not None:
        start = (incident.detected_at or incident.started_at) - COMMIT_WINDOW_BEFORE
        end = incident.resolved_at or generated_at
        commits, notes = (commit_source or _default_commit_source)(project_dir, result, start, end)
        entries += commits
        warnings += notes
    text = build_report(
        result,
        title=incident.title,
        extra_timeline=entries,
        generated_at=generated_at,
        incident=incident_facts(incident, events, generated_at),
    )
    if warnings:
        text += "\n".join(["## Notes on the record", "", *(f"- {warning}" for warning in warnings), ""])
    return text
