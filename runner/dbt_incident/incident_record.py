"""The incident record: one folder per incident, `incidents/<id>/`, that the team commits or attaches to a ticket.

Layout of `incidents/incident_20261130_021407/` (the id is the playbook's `incident_YYYYMMDD_HHMMSS`, from
the UTC time the incident was opened):

- `incident.yml`: the record (id, title, severity, status, started_at, detected_at, resolved_at,
  duration_seconds, responders, affected nodes, failures, exposures and owners, invocation, root cause,
  resolution, ticked checklist items), rewritten atomically under the incident lock;
- `timeline.jsonl`: the append-only timeline (`dbt_incident.timeline`);
- `artifacts/`: a copy of the failing run's `run_results.json`, `manifest.json` and `sources.json` taken at
  `open`, so the report still describes the failing run after the fix has been rerun (skip with
  `--no-snapshot`; a large project's manifest can weigh tens of MB);
- later: the incident report, `postmortem.md`, written by their commands.

`started_at` is when the responder opened (acknowledged) the incident, the playbook's `INCIDENT_START`;
the duration is `resolved_at - started_at`. `detected_at` is when dbt reported the failure (the earliest
completion time of a root failure in run_results.json, else the invocation's end).
"""

from __future__ import annotations

import getpass
import os
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dbt_incident.errors import ConfigError, IncidentAlreadyOpen, IncidentNotFound
from dbt_incident.files import write_atomic
from dbt_incident.report import VALIDATION_CHECKLIST
from dbt_incident.timeline import (
    NOTE_KINDS,
    TimelineEvent,
    append_events_locked,
    format_time,
    incident_lock,
    parse_time,
    read_timeline,
    utc_now,
)
from dbt_incident.triage import ExposureImpact  # an exposure in the blast radius, as the record keeps it

if TYPE_CHECKING:
    from dbt_incident.triage import Triage

RECORD_FILE = "incident.yml"
ARTIFACTS_DIR = "artifacts"
SNAPSHOT_FILES = ("run_results.json", "manifest.json", "sources.json")
ID_FORMAT = "incident_%Y%m%d_%H%M%S"
STATUS_OPEN, STATUS_RESOLVED = "open", "resolved"
SEVERITIES = ("P0", "P1", "P2", "P3")


@dataclass(frozen=True)
class FailureSummary:
    """A root failure as kept in the record: enough to notify, write the commit message and the agenda."""

    unique_id: str
    name: str
    resource_type: str
    status: str
    kind: str
    cause: str
    severity: str
    test_name: str | None = None
    column_name: str | None = None
    tested_node: str | None = None
    failing_rows: int | None = None
    message: str | None = None
    file_path: str | None = None


@dataclass(frozen=True)
class Incident:
    """One incident record (`incident.yml`) and the folder holding it. Times are UTC.

    `duration_seconds` is set on resolution (`resolved_at - started_at`, seconds). `checklist` maps a
    validation item to `{"at": ISO time, "by": name}` for items ticked by hand.
    """

    id: str
    folder: Path
    title: str
    severity: str
    status: str
    started_at: datetime
    detected_at: datetime | None = None
    resolved_at: datetime | None = None
    duration_seconds: float | None = None
    responders: tuple[str, ...] = ()
    affected_nodes: tuple[str, ...] = ()
    failures: tuple[FailureSummary, ...] = ()
    exposures: tuple[ExposureImpact, ...] = ()
    owners: tuple[str, ...] = ()
    downstream_counts: Mapping[str, int] = field(default_factory=dict)
    invocation_id: str | None = None
    dbt_command: str | None = None
    project_name: str | None = None
    severity_reason: str | None = None
    root_cause: str | None = None
    resolution: str | None = None
    checklist: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    artifacts: str | None = None

    @property
    def is_open(self) -> bool:
        """True until the incident is resolved."""
        return self.status == STATUS_OPEN

    def elapsed_seconds(self, now: datetime | None = None) -> float:
        """Seconds from `started_at` to resolution, or to `now` while open."""
        if self.duration_seconds is not None:
            return self.duration_seconds
        return max(((now or utc_now()) - self.started_at).total_seconds(), 0.0)

    @property
    def artifacts_path(self) -> Path | None:
        """The snapshot of the failing run's artifacts, when one was taken at `open`."""
        return self.folder / self.artifacts if self.artifacts else None

    def to_document(self) -> dict[str, Any]:
        """The record as the YAML document written to `incident.yml` (key order is the reading order)."""
        return {
            "id": self.id,
            "title": self.title,
            "severity": self.severity,
            "severity_reason": self.severity_reason,
            "status": self.status,
            "started_at": format_time(self.started_at),
            "detected_at": format_time(self.detected_at) if self.detected_at else None,
            "resolved_at": format_time(self.resolved_at) if self.resolved_at else None,
            "duration_seconds": self.duration_seconds,
            "responders": list(self.responders),
            "invocation_id": self.invocation_id,
            "dbt_command": self.dbt_command,
            "project_name": self.project_name,
            "affected_nodes": list(self.affected_nodes),
            "failures": [_drop_none(vars(item)) for item in self.failures],
            "exposures": [_drop_none(vars(item)) for item in self.exposures],
            "owners": list(self.owners),
            "downstream_counts": dict(self.downstream_counts),
            "root_cause": self.root_cause,
            "resolution": self.resolution,
            "checklist": {item: dict(done) for item, done in self.checklist.items()},
            "artifacts": self.artifacts,
        }


def _drop_none(values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in values.items() if value is not None}


def incidents_dir(project_dir: str | Path, incidents_dir_option: str | Path | None = None) -> Path:
    """`--incidents-dir` when given, else `<project-dir>/incidents`."""
    return Path(incidents_dir_option) if incidents_dir_option else Path(project_dir) / "incidents"


def default_author() -> str:
    """Who is writing: `$DBT_INCIDENT_RESPONDER`, else the login name."""
    return os.environ.get("DBT_INCIDENT_RESPONDER") or getpass.getuser()


# ---------------------------------------------------------------- reading


def load_incident(folder: Path) -> Incident:
    """Read `folder/incident.yml`.

    Raises:
        IncidentNotFound: the file is missing. ConfigError: not YAML, or a required field is missing
            (the message names the file and the field).
    """
    import yaml

    path = folder / RECORD_FILE
    if not path.is_file():
        raise IncidentNotFound(f"{path}: incident record not found")
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise ConfigError(f"{path}: not valid YAML: {str(error).splitlines()[0]}") from error
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level")
    for required in ("id", "title", "severity", "status", "started_at"):
        if not document.get(required):
            raise ConfigError(f"{path}: field '{required}' is missing")

    def time_field(name: str) -> datetime | None:
        value = document.get(name)
        if not value:
            return None
        try:
            return parse_time(str(value))
        except ValueError as error:
            raise ConfigError(f"{path}: field '{name}' is {value!r}, not an ISO 8601 time") from error

    return Incident(
        id=str(document["id"]),
        folder=folder,
        title=str(document["title"]),
        severity=str(document["severity"]),
        status=str(document["status"]),
        started_at=time_field("started_at"),  # type: ignore[arg-type]
        detected_at=time_field("detected_at"),
        resolved_at=time_field("resolved_at"),
        duration_seconds=_float_or_none(document.get("duration_seconds")),
        responders=tuple(str(name) for name in document.get("responders") or ()),
        affected_nodes=tuple(str(name) for name in document.get("affected_nodes") or ()),
        failures=tuple(
            FailureSummary(**{key: item.get(key) for key in FailureSummary.__dataclass_fields__})
            for item in document.get("failures") or ()
            if isinstance(item, dict)
        ),
        exposures=tuple(
            ExposureImpact(**{key: item.get(key) for key in ExposureImpact.__dataclass_fields__})
            for item in document.get("exposures") or ()
            if isinstance(item, dict)
        ),
        owners=tuple(str(name) for name in document.get("owners") or ()),
        downstream_counts={str(k): int(v) for k, v in (document.get("downstream_counts") or {}).items()},
        invocation_id=document.get("invocation_id"),
        dbt_command=document.get("dbt_command"),
        project_name=document.get("project_name"),
        severity_reason=document.get("severity_reason"),
        root_cause=document.get("root_cause"),
        resolution=document.get("resolution"),
        checklist={
            str(item): {str(k): str(v) for k, v in (done or {}).items()}
            for item, done in (document.get("checklist") or {}).items()
        },
        artifacts=document.get("artifacts"),
    )


def _float_or_none(value: Any) -> float | None:
    return None if value is None else float(value)


def list_incidents(base: Path) -> list[Incident]:
    """Every incident record under `base`, oldest id first (ids sort by their UTC start time)."""
    if not base.is_dir():
        return []
    return [
        load_incident(folder)
        for folder in sorted(base.iterdir())
        if folder.is_dir() and (folder / RECORD_FILE).is_file()
    ]


def find_incident(base: Path, incident_id: str | None = None, *, open_only: bool = False) -> Incident:
    """The incident a command works on.

    Args:
        base: the incidents folder.
        incident_id: an explicit id (`--incident`); default: the most recent open incident, else (unless
            `open_only`) the most recent incident.
        open_only: refuse resolved incidents (note, check, resolve).

    Raises:
        IncidentNotFound: no such id, nothing open, or no incident at all (the message names `base`).
    """
    if incident_id:
        folder = base / incident_id
        if not (folder / RECORD_FILE).is_file():
            raise IncidentNotFound(f"{folder}: no incident {incident_id!r} (see `dbt-incident status --all`)")
        incident = load_incident(folder)
        if open_only and not incident.is_open:
            raise IncidentNotFound(f"incident {incident.id} is already {incident.status}")
        return incident
    incidents = list_incidents(base)
    open_incidents = [incident for incident in incidents if incident.is_open]
    if open_incidents:
        return open_incidents[-1]
    if open_only or not incidents:
        raise IncidentNotFound(
            f"{base}: no open incident (start one with `dbt-incident open`"
            + (", or pass --incidents-dir)" if not incidents else ")")
        )
    return incidents[-1]


def timeline(incident: Incident) -> tuple[list[TimelineEvent], list[str]]:
    """The incident's timeline events (file order) and warnings about skipped lines."""
    return read_timeline(incident.folder)


# ---------------------------------------------------------------- writing


def _write_record(incident: Incident) -> None:
    """Rewrite `incident.yml` atomically; the caller holds the incident lock."""
    import yaml

    text = yaml.safe_dump(incident.to_document(), sort_keys=False, allow_unicode=True, width=110)
    write_atomic(incident.folder / RECORD_FILE, text, force=True)


def seed_from_triage(result: Triage) -> dict[str, Any]:
    """The fields of a new record that come from the triage: failures, affected nodes, exposures, owners."""
    from dbt_incident.render.formatting import one_line
    from dbt_incident.render.markdown import headline

    failures = tuple(
        FailureSummary(
            unique_id=failure.unique_id,
            name=failure.name,
            resource_type=failure.resource_type,
            status=failure.status,
            kind=failure.kind.value,
            cause=failure.cause,
            severity=failure.severity.value,
            test_name=failure.test_name,
            column_name=failure.column_name,
            tested_node=failure.tested_node,
            failing_rows=failure.failures,
            message=one_line(failure.message, 400) if failure.message else None,
            file_path=failure.file_path,
        )
        for failure in result.failures
    )
    affected = dict.fromkeys(
        node
        for failure in result.failures
        for node in ([failure.tested_node] if failure.tested_node else [failure.unique_id])
        + list(failure.downstream)
    )
    exposures = {
        exposure.unique_id: exposure for failure in result.failures for exposure in failure.exposures
    }
    counts = dict(result.downstream_totals)
    moments = [failure.completed_at or failure.started_at for failure in result.failures]
    moments = [moment for moment in moments if moment]
    return {
        "title": headline(result) if result.failures else None,
        "severity": result.severity.value if result.severity else None,
        "severity_reason": result.severity_reason if result.severity else None,
        "detected_at": min(moments) if moments else (result.completed_at or result.generated_at),
        "failures": failures,
        "affected_nodes": tuple(affected),
        "exposures": tuple(exposures.values()),
        "owners": tuple(dict.fromkeys(owner for failure in result.failures for owner in failure.owners)),
        "downstream_counts": counts,
        "invocation_id": result.invocation_id,
        "dbt_command": result.command,
        "project_name": result.project_name,
    }


def _new_id(base: Path, now: datetime) -> str:
    identifier = now.strftime(ID_FORMAT)
    candidate, number = identifier, 2
    while (base / candidate).exists():
        candidate, number = f"{identifier}_{number}", number + 1
    return candidate


def _snapshot(target_path: Path, destination: Path) -> bool:
    """Copy the run's artifacts into `destination` (each file atomically); False when there was none."""
    copied = False
    for name in SNAPSHOT_FILES:
        source = target_path / name
        if not source.is_file():
            continue
        destination.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", dir=destination)
        os.close(handle)
        try:
            shutil.copyfile(source, temporary)
            os.replace(temporary, destination / name)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        copied = True
    return copied


def open_incident(
    base: Path,
    *,
    result: Triage | None = None,
    title: str | None = None,
    severity: str | None = None,
    responders: Iterable[str] = (),
    force: bool = False,
    snapshot_from: Path | None = None,
    now: datetime | None = None,
    context_note: str | None = None,
) -> Incident:
    """Create `base/<id>/` with `incident.yml` and a timeline that starts with the opening and the failing run.

    Args:
        base: the incidents folder (created when missing).
        result: the triage of the failing run; None when no artifacts were found.
        title: default: the triage headline (`compilation_error in fct_reviews`).
        severity: P0-P3; default: the triage's severity.
        responders: names of the responders (the first one opens it).
        force: open even though another incident is open.
        snapshot_from: the dbt target folder to copy the artifacts from (None: no snapshot).
        now: the opening time (UTC); default now. The id derives from it.
        context_note: a line recorded in the opening event (for example why no artifacts were read).

    Raises:
        IncidentAlreadyOpen: another incident is open and `force` is false (names it).
        ConfigError: severity not P0-P3, or no title / severity given and the triage has none.
    """
    now = (now or utc_now()).replace(microsecond=0)
    seeded = seed_from_triage(result) if result is not None else {}
    severity = (severity or seeded.get("severity") or "").upper() or None
    if severity is None:
        raise ConfigError(
            "open: the triage gives no severity (no artifacts, or nothing failed); pass --severity P0|P1|P2|P3"
        )
    if severity not in SEVERITIES:
        raise ConfigError(f"open: --severity is {severity!r}, expected one of {', '.join(SEVERITIES)}")
    title = (title or seeded.get("title") or "").strip()
    if not title:
        raise ConfigError("open: the triage found no failure to name the incident after; pass --title")
    responders = tuple(dict.fromkeys(name.strip() for name in responders if name and name.strip()))
    base.mkdir(parents=True, exist_ok=True)
    # One lock for the whole folder serialises two `open` at once: only one of them sees "nothing open".
    with incident_lock(base):
        open_incidents = [incident for incident in list_incidents(base) if incident.is_open]
        if open_incidents and not force:
            current = open_incidents[-1]
            raise IncidentAlreadyOpen(
                f"incident {current.id} ({current.title!r}) is still open in {base}; resolve it first "
                "or pass --force to open another"
            )
        incident_id = _new_id(base, now)
        folder = base / incident_id
        folder.mkdir()
        try:
            return _create(
                folder,
                incident_id,
                now,
                seeded,
                title,
                severity,
                responders,
                snapshot_from,
                result,
                context_note,
            )
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)  # never leave a folder without its record behind
            raise


def _create(
    folder: Path,
    incident_id: str,
    now: datetime,
    seeded: dict[str, Any],
    title: str,
    severity: str,
    responders: tuple[str, ...],
    snapshot_from: Path | None,
    result: Triage | None,
    context_note: str | None,
) -> Incident:
    """Write the new record, its first timeline events and the artifact snapshot (under the base lock)."""
    with incident_lock(folder):
        snapshot = bool(snapshot_from) and _snapshot(Path(snapshot_from), folder / ARTIFACTS_DIR)
        if severity != seeded.get("severity"):
            seeded["severity_reason"] = (
                f"set by the responder (triage said {seeded['severity']})" if seeded.get("severity") else None
            )
        incident = Incident(
            id=incident_id,
            folder=folder,
            title=title,
            severity=severity,
            status=STATUS_OPEN,
            started_at=now,
            responders=responders,
            artifacts=ARTIFACTS_DIR if snapshot else None,
            **{key: value for key, value in seeded.items() if key not in ("title", "severity")},
        )
        opened_text = f"Incident opened ({severity}): {title}"
        if context_note:
            opened_text += f" — {context_note}"
        events = [
            TimelineEvent(
                now,
                "opened",
                opened_text,
                author=responders[0] if responders else None,
                data={"severity": severity, "invocation_id": incident.invocation_id},
            )
        ]
        if result is not None:
            from dbt_incident.report import run_timeline

            events = [
                TimelineEvent(entry.at.replace(microsecond=0), "run", entry.what)
                for entry in run_timeline(result)
            ] + events
        _write_record(incident)
        append_events_locked(folder, events)
    return incident


def add_note(
    base: Path,
    text: str,
    *,
    author: str | None = None,
    kind: str = "note",
    incident_id: str | None = None,
    now: datetime | None = None,
) -> tuple[Incident, TimelineEvent]:
    """Append a timestamped note to the open incident's timeline; a new author joins the responders.

    Args:
        kind: `note`, or the playbook's quick-assessment answers `what`, `when`, `who`, `impact`.

    Raises:
        IncidentNotFound: no open incident. ConfigError: empty text or an unknown kind.
    """
    if not text.strip():
        raise ConfigError("note: the note text is empty")
    if kind not in NOTE_KINDS:
        raise ConfigError(f"note: --kind is {kind!r}, expected one of {', '.join(NOTE_KINDS)}")
    incident = find_incident(base, incident_id, open_only=True)
    author = author or default_author()
    event = TimelineEvent((now or utc_now()).replace(microsecond=0), kind, text.strip(), author=author)
    with incident_lock(incident.folder):
        incident = load_incident(
            incident.folder
        )  # re-read under the lock: another writer may have changed it
        append_events_locked(incident.folder, [event])
        if author not in incident.responders:
            incident = replace(incident, responders=(*incident.responders, author))
            _write_record(incident)
    return incident, event


def record_event(incident: Incident, event: TimelineEvent) -> None:
    """Append one event (a notification attempt, ...) to an incident's timeline, open or resolved."""
    with incident_lock(incident.folder):
        append_events_locked(incident.folder, [event])


def checklist_item(item: str) -> str:
    """The checklist item named by `item`: its number (1-6) or a case-insensitive prefix or substring.

    Raises:
        ConfigError: no item or several items match (the message lists the items).
    """
    text = item.strip()
    numbered = "; ".join(f"{number} {name}" for number, name in enumerate(VALIDATION_CHECKLIST, start=1))
    if text.isdigit() and 1 <= int(text) <= len(VALIDATION_CHECKLIST):
        return VALIDATION_CHECKLIST[int(text) - 1]
    lowered = text.lower()
    matches = [name for name in VALIDATION_CHECKLIST if name.lower().startswith(lowered)] or [
        name for name in VALIDATION_CHECKLIST if lowered and lowered in name.lower()
    ]
    if len(matches) != 1:
        reason = "matches several items" if matches else "matches no item"
        raise ConfigError(f"check: {item!r} {reason} of the validation checklist ({numbered})")
    return matches[0]


def tick(
    base: Path,
    item: str,
    *,
    by: str | None = None,
    undo: bool = False,
    incident_id: str | None = None,
    now: datetime | None = None,
) -> tuple[Incident, str]:
    """Tick (or with `undo` untick) a validation checklist item of an incident, and record it in the timeline.

    Ticking works on resolved incidents too (documentation and prevention often come after resolution).

    Raises:
        IncidentNotFound, ConfigError (see `checklist_item`).
    """
    name = checklist_item(item)
    incident = find_incident(base, incident_id)
    by = by or default_author()
    now = (now or utc_now()).replace(microsecond=0)
    with incident_lock(incident.folder):
        incident = load_incident(incident.folder)
        checklist = {key: dict(value) for key, value in incident.checklist.items()}
        if undo:
            checklist.pop(name, None)
        else:
            checklist[name] = {"at": format_time(now), "by": by}
        incident = replace(incident, checklist=checklist)
        _write_record(incident)
        verb = "unticked" if undo else "ticked"
        append_events_locked(
            incident.folder,
            [TimelineEvent(now, "check", f"Validation {verb}: {name}", author=by, data={"item": name})],
        )
    return incident, name


def resolve_incident(
    base: Path,
    *,
    root_cause: str,
    resolution: str,
    by: str | None = None,
    incident_id: str | None = None,
    now: datetime | None = None,
) -> Incident:
    """Close the open incident: status resolved, `resolved_at`, `duration_seconds`, root cause, resolution.

    Raises:
        IncidentNotFound: no open incident (or the id given is already resolved).
        ConfigError: empty root cause or resolution.
    """
    if not root_cause.strip() or not resolution.strip():
        raise ConfigError("resolve: --root-cause and --resolution must both say something")
    incident = find_incident(base, incident_id, open_only=True)
    now = (now or utc_now()).replace(microsecond=0)
    with incident_lock(incident.folder):
        incident = load_incident(incident.folder)
        if not incident.is_open:
            raise IncidentNotFound(f"incident {incident.id} is already {incident.status}")
        duration = max((now - incident.started_at).total_seconds(), 0.0)
        incident = replace(
            incident,
            status=STATUS_RESOLVED,
            resolved_at=now,
            duration_seconds=duration,
            root_cause=root_cause.strip(),
            resolution=resolution.strip(),
        )
        _write_record(incident)
        append_events_locked(
            incident.folder,
            [
                TimelineEvent(
                    now,
                    "resolved",
                    f"Incident resolved after {round(duration / 60)} min. Root cause: {root_cause.strip()}",
                    author=by or default_author(),
                    data={"duration_seconds": duration},
                )
            ],
        )
    return incident


# ---------------------------------------------------------------- status


@dataclass(frozen=True)
class ChecklistState:
    """One validation item: done or not, and the evidence (who ticked it, or what the record shows)."""

    number: int
    item: str
    done: bool
    evidence: str | None


def checklist_state(incident: Incident, events: Iterable[TimelineEvent]) -> list[ChecklistState]:
    """The validation checklist with what is done: items ticked by hand, plus two read from the record.

    "Stakeholders notified" is done once a notification was delivered; "Incident documented" once an
    incident report exists in the incident folder.
    """
    delivered = [
        event for event in events if event.kind == "notification" and event.data.get("delivered") is True
    ]
    reports = sorted(incident.folder.glob("incident_report_*.md"))
    states = []
    for number, item in enumerate(VALIDATION_CHECKLIST, start=1):
        ticked = incident.checklist.get(item)
        evidence = f"ticked by {ticked.get('by', '?')} at {ticked.get('at', '?')}" if ticked else None
        if not ticked and item == "Stakeholders notified" and delivered:
            evidence = f"{len(delivered)} notification(s) delivered, last {format_time(delivered[-1].at)}"
        if not ticked and item == "Incident documented" and reports:
            evidence = f"report {reports[-1].name}"
        states.append(ChecklistState(number, item, evidence is not None, evidence))
    return states


def status_document(incident: Incident, now: datetime | None = None) -> dict[str, Any]:
    """The status as a JSON-ready mapping: the record, the elapsed seconds, the checklist and the timeline."""
    events, warnings = timeline(incident)
    document = incident.to_document()
    document["elapsed_seconds"] = incident.elapsed_seconds(now)
    document["checklist"] = [
        {"number": state.number, "item": state.item, "done": state.done, "evidence": state.evidence}
        for state in checklist_state(incident, events)
    ]
    document["timeline"] = [
        {"at": format_time(event.at), "kind": event.kind, "text": event.text, "author": event.author}
        for event in events
    ]
    document["warnings"] = warnings
    return document


def status_text(incident: Incident, now: datetime | None = None, *, recent: int = 8) -> str:
    """A plain-text status: the incident, its elapsed time, the checklist and the last timeline events."""
    from dbt_incident.render.formatting import duration_text

    events, warnings = timeline(incident)
    elapsed = incident.elapsed_seconds(now)
    lines = [
        f"{incident.id} [{incident.status}] {incident.severity} — {incident.title}",
        f"  started   {format_time(incident.started_at)}"
        + (
            f"   (dbt reported the failure at {format_time(incident.detected_at)})"
            if incident.detected_at
            else ""
        ),
        (
            f"  resolved  {format_time(incident.resolved_at)} after {duration_text(elapsed)}"
            if incident.resolved_at
            else f"  elapsed   {duration_text(elapsed)} (open)"
        ),
        f"  responders {', '.join(incident.responders) or 'none recorded'}",
    ]
    if incident.exposures:
        lines.append(
            "  exposures "
            + ", ".join(f"{item.name} (owner: {item.owner or 'unknown'})" for item in incident.exposures)
        )
    if incident.root_cause:
        lines.append(f"  root cause {incident.root_cause}")
    lines += ["", "Validation checklist (tick with `dbt-incident check N`):"]
    for state in checklist_state(incident, events):
        mark = "x" if state.done else " "
        lines.append(
            f"  [{mark}] {state.number}. {state.item}" + (f" — {state.evidence}" if state.evidence else "")
        )
    if events:
        lines += ["", f"Timeline (last {min(recent, len(events))} of {len(events)}):"]
        for event in events[-recent:]:
            who = f" ({event.author})" if event.author else ""
            lines.append(f"  {format_time(event.at)} {event.kind:<12} {event.text}{who}")
    lines += [f"warning: {warning}" for warning in warnings]
    return "\n".join(lines) + "\n"
