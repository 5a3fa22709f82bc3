"""The blameless post-mortem meeting agenda (playbook phase 6), written into the incident folder.

`postmortem.md` holds: attendees (responders, the owners of the exposures in the blast radius as the
affected teams, the owners of the failing nodes as system owners), then the playbook's agenda: 1 timeline
review (the merged timeline and the intervals that matter: failure to acknowledgement, to first
notification, to resolution), 2 root cause analysis (recorded root cause, 5 whys), 3 what went well,
4 what could be improved (each with the facts the record shows and prompts), 5 action items typed
mitigate / prevent / detect with owners to fill. The meeting is due within 48 hours of resolution.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from pathlib import Path

from dbt_incident.files import write_atomic
from dbt_incident.incident_analysis import TO_FILL, action_items, five_whys
from dbt_incident.incident_record import Incident, timeline
from dbt_incident.render.formatting import duration_text, one_line
from dbt_incident.timeline import TimelineEvent, format_time, utc_now

AGENDA_FILE = "postmortem.md"
DUE_WITHIN = timedelta(hours=48)


def _email(owner: str) -> str | None:
    match = re.search(r"<([^>]+@[^>]+)>", owner)
    return match.group(1).lower() if match else None


def attendees(incident: Incident) -> list[tuple[str, str]]:
    """`(who, role)` rows: responders, exposure owners (affected teams), other node owners (system owners).

    The same person (same e-mail, else same text) appears once, with their roles joined.
    """
    rows: dict[str, tuple[str, list[str]]] = {}

    def add(who: str, role: str) -> None:
        key = _email(who) or who.strip().lower()
        if key in rows:
            if role not in rows[key][1]:
                rows[key][1].append(role)
        else:
            rows[key] = (who.strip(), [role])

    for responder in incident.responders:
        add(responder, "incident responder")
    exposure_owners = set()
    for exposure in incident.exposures:
        if exposure.owner:
            add(exposure.owner, f"affected team: owner of {exposure.name} ({exposure.type or 'exposure'})")
            exposure_owners.add(exposure.owner)
    for owner in incident.owners:
        if owner not in exposure_owners:
            add(owner, "system owner of a failing node")
    return [(who, "; ".join(roles)) for who, roles in rows.values()]


def _interval(start: datetime | None, end: datetime | None) -> str:
    if not start or not end:
        return "unknown"
    seconds = (end - start).total_seconds()
    return duration_text(seconds) if seconds >= 0 else f"-{duration_text(-seconds)}"


def key_intervals(incident: Incident, events: Sequence[TimelineEvent]) -> list[str]:
    """The intervals a post-mortem reviews, computed from the record and timeline (UTC)."""
    delivered = [
        item for item in events if item.kind == "notification" and item.data.get("delivered") is True
    ]
    lines = [
        f"- dbt reported the failure → incident opened (time to acknowledge): "
        f"{_interval(incident.detected_at, incident.started_at)}",
        f"- incident opened → first stakeholder notification delivered: "
        f"{_interval(incident.started_at, delivered[0].at) if delivered else 'no notification delivered'}",
        f"- incident opened → resolved (duration): "
        f"{_interval(incident.started_at, incident.resolved_at) if incident.resolved_at else 'still open'}",
    ]
    return lines


def _went_well(incident: Incident, events: Sequence[TimelineEvent]) -> list[str]:
    facts = []
    tests = [failure for failure in incident.failures if failure.test_name]
    if tests:
        facts.append(
            f"dbt tests caught the problem in the pipeline ({', '.join(f'`{f.test_name}`' for f in tests[:5])})"
        )
    if any(item.kind == "notification" and item.data.get("delivered") is True for item in events):
        facts.append("Stakeholders were notified through Slack")
    notes = sum(item.kind in ("note", "what", "when", "who", "impact") for item in events)
    if notes:
        facts.append(f"The investigation was documented as it happened ({notes} timeline notes)")
    return [*(f"- Fact: {fact}" for fact in facts), "- " + TO_FILL + " What helped the responders most?"]


def _improve(incident: Incident, events: Sequence[TimelineEvent]) -> list[str]:
    facts = []
    failed = [item for item in events if item.kind == "notification" and item.data.get("delivered") is False]
    if failed:
        facts.append(f"{len(failed)} notification attempt(s) failed (see the timeline)")
    if not incident.exposures:
        facts.append(
            "No exposure with an owner is declared downstream: the affected teams had to be found by hand"
        )
    if not any(item.kind == "impact" for item in events):
        facts.append(
            "The business impact was not written down during the incident (`dbt-incident note --kind impact`)"
        )
    if (
        incident.detected_at
        and incident.started_at
        and (incident.started_at - incident.detected_at) > timedelta(hours=1)
    ):
        facts.append(
            f"The incident was opened {_interval(incident.detected_at, incident.started_at)} after dbt reported the failure"
        )
    return [
        *(f"- Fact: {fact}" for fact in facts),
        "- " + TO_FILL + " What slowed detection, diagnosis or the fix?",
    ]


def build_agenda(incident: Incident, *, now: datetime | None = None) -> str:
    """The agenda as markdown (see the module docstring)."""
    now = now or utc_now()
    events, warnings = timeline(incident)
    reference = incident.resolved_at or now
    lines = [
        f"# Post-mortem: {incident.title}",
        "",
        f"**Incident**: {incident.id} · **Severity**: {incident.severity} · **Status**: {incident.status}",
        f"**Started**: {format_time(incident.started_at)} · **Resolved**: "
        f"{format_time(incident.resolved_at) if incident.resolved_at else 'still open'} · **Duration**: "
        f"{duration_text(incident.elapsed_seconds(now))}{'' if incident.resolved_at else ' so far'}",
        f"**Hold by**: {format_time(reference + DUE_WITHIN)} (within 48 hours of resolution)",
        "",
        "This is a blameless review: we look for the conditions in systems and processes that let the "
        "incident happen, not for who made a mistake. Everyone acted on what they knew at the time.",
        "",
        "## Attendees",
        "",
    ]
    people = attendees(incident)
    lines += [f"- {who} — {role}" for who, role in people] or ["- " + TO_FILL]
    if not incident.exposures:
        lines.append(
            "- _No exposure owners are declared downstream: invite the teams that read the affected tables._"
        )
    lines += [
        "",
        "## Agenda",
        "",
        "### 1. Timeline review (10 min)",
        "",
        *key_intervals(incident, events),
        "",
    ]
    lines += ["| time (UTC) | kind | what | who |", "| --- | --- | --- | --- |"]
    for event in events:
        lines.append(
            f"| {format_time(event.at)} | {event.kind} | {one_line(event.text, 200).replace('|', '/')} | {event.author or ''} |"
        )
    lines += ["", "### 2. Root cause analysis (15 min)", ""]
    lines.append(f"Recorded root cause: {incident.root_cause or TO_FILL}")
    lines.append(f"Resolution: {incident.resolution or TO_FILL}")
    lines += ["", "5 whys:", "", *five_whys(incident.failures), ""]
    lines += ["### 3. What went well (10 min)", "", *_went_well(incident, events), ""]
    lines += ["### 4. What could be improved (10 min)", "", *_improve(incident, events), ""]
    lines += [
        "### 5. Action items (15 min)",
        "",
        "| type | action | owner | due |",
        "| --- | --- | --- | --- |",
        *(
            f"| {kind} | {action} | {TO_FILL} | |"
            for kind, action in action_items(incident.failures, incident.exposures)
        ),
        "",
        "Types: mitigate (limit this incident's damage), prevent (stop a recurrence), detect (catch it sooner).",
        "",
    ]
    if warnings:
        lines += ["## Notes on the record", "", *(f"- {warning}" for warning in warnings), ""]
    return "\n".join(lines)


def write_agenda(
    incident: Incident, *, output: Path | None = None, force: bool = False, now: datetime | None = None
) -> Path:
    """Write the agenda to `output` (default `<incident folder>/postmortem.md`); never overwrites without `force`.

    Raises:
        OutputExists: the file exists and `force` is false.
    """
    return write_atomic(output or incident.folder / AGENDA_FILE, build_agenda(incident, now=now), force=force)
