"""A whole incident with fixed times, for golden files: opened, notes, a notification, checks, resolution."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from incident_fixtures import write_failing_run

from dbt_incident.incident_record import (
    Incident,
    add_note,
    load_incident,
    open_incident,
    record_event,
    resolve_incident,
    tick,
)
from dbt_incident.session import load_triage
from dbt_incident.timeline import TimelineEvent

GOLDEN = Path(__file__).resolve().parent / "golden"


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 11, 30, hour, minute, second, tzinfo=timezone.utc)


def resolved_incident(project: Path, *, resolve: bool = True) -> Incident:
    """The story of one P1 incident in `project` (its target/ holds the failed run)."""
    write_failing_run(project / "target")
    base = project / "incidents"
    open_incident(
        base,
        result=load_triage(project, None),
        responders=["alice"],
        snapshot_from=project / "target",
        now=at(2, 14, 7),
    )
    add_note(
        base,
        "fct_orders.amount is null for orders loaded since 01:00",
        author="alice",
        kind="what",
        now=at(2, 16),
    )
    add_note(
        base, "Executive KPI dashboard shows revenue 30% low", author="bob", kind="impact", now=at(2, 18)
    )
    folder = next(path for path in base.iterdir() if path.is_dir())
    record_event(
        load_incident(folder),
        TimelineEvent(
            at(2, 20),
            "notification",
            "Slack notification 'opened' delivered (attempt 1)",
            data={"channel": "slack", "event": "opened", "delivered": True, "attempts": 1, "status": 200},
        ),
    )
    add_note(base, "Orders export changed amount to a string column yesterday", author="alice", now=at(2, 41))
    tick(base, "1", by="alice", now=at(3, 10))
    tick(base, "2", by="bob", now=at(3, 12))
    if resolve:
        resolve_incident(
            base,
            root_cause="The orders export started sending amount as an empty string; stg_orders cast it to null.",
            resolution="Cast empty strings explicitly in stg_orders. Reran dbt build --select stg_orders+ and backfilled 2026-11-29.",
            by="alice",
            now=at(3, 18, 37),
        )
    return load_incident(folder)


def assert_matches_golden(text: str, name: str) -> None:
    """Compare with `golden/<name>`; `DBT_INCIDENT_REGENERATE_GOLDEN=1` rewrites it instead."""
    import os

    path = GOLDEN / name
    if os.environ.get("DBT_INCIDENT_REGENERATE_GOLDEN") == "1":
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"{name} differs from the golden file"
