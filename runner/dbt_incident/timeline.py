"""The incident timeline: an append-only JSON Lines file (`timeline.jsonl`) in the incident folder.

Each line is one event: `{"at": "2026-11-30T02:14:07Z", "kind": "note", "text": "...", "author": "...",
"data": {...}}`. `at` is UTC with second precision. Appends happen under the incident's file lock
(`filelock`), are one `write` of one line followed by `fsync`, so two responders writing notes at once
lose nothing and a crash never leaves half a record behind the lock. Readers skip a line they cannot
decode (a torn write from a killed process) and say so, rather than refusing the whole incident.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from dbt_incident.errors import IncidentLocked

TIMELINE_FILE = "timeline.jsonl"
LOCK_FILE = ".incident.lock"
LOCK_TIMEOUT_SECONDS = 30.0

# Event kinds, in words: what each records.
EVENT_KINDS = {
    "opened": "the incident was opened (acknowledged)",
    "run": "a dbt invocation event of the failing run (start, a root failure, end)",
    "note": "a free note from a responder",
    "what": "what is broken (specific table, dashboard, pipeline)",
    "when": "when it broke",
    "who": "who is affected (users, teams, systems)",
    "impact": "the business impact",
    "check": "a validation checklist item ticked or unticked",
    "notification": "a notification attempt (delivered or failed)",
    "severity": "the severity was changed",
    "resolved": "the incident was resolved",
    "commit": "a git commit in the window (merged into reports, not stored)",
}
NOTE_KINDS = ("note", "what", "when", "who", "impact")


def utc_now() -> datetime:
    """The current UTC time, truncated to whole seconds (the precision of the record)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def format_time(value: datetime) -> str:
    """`2026-11-30T02:14:07Z` (UTC, ISO 8601)."""
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 time written by `format_time` (or with an offset); naive times are UTC.

    Raises:
        ValueError: not an ISO 8601 time.
    """
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


@dataclass(frozen=True)
class TimelineEvent:
    """One timeline event: when (UTC), its kind (see `EVENT_KINDS`), text, author, and structured data."""

    at: datetime
    kind: str
    text: str
    author: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        """The event as one JSON line (no trailing newline)."""
        body: dict[str, Any] = {"at": format_time(self.at), "kind": self.kind, "text": self.text}
        if self.author:
            body["author"] = self.author
        if self.data:
            body["data"] = dict(self.data)
        return json.dumps(body, ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_json(cls, line: str) -> TimelineEvent:
        """Parse one line written by `to_json`.

        Raises:
            ValueError: not JSON, not an object, or `at` / `kind` / `text` missing or malformed.
        """
        body = json.loads(line)
        if not isinstance(body, dict):
            raise ValueError("not a JSON object")
        data = body.get("data")
        return cls(
            at=parse_time(str(body["at"])),
            kind=str(body["kind"]),
            text=str(body["text"]),
            author=str(body["author"]) if body.get("author") else None,
            data=data if isinstance(data, dict) else {},
        )


@contextmanager
def incident_lock(folder: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the incident folder's lock (`.incident.lock`) for a read-modify-write or an append.

    Raises:
        IncidentLocked: another process held the lock for longer than `timeout` seconds.
    """
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / LOCK_FILE), timeout=timeout)
    try:
        lock.acquire()
    except Timeout as error:
        raise IncidentLocked(
            f"{folder / LOCK_FILE}: another dbt-incident process has held the lock for {timeout:.0f} s; "
            "retry, or remove the lock file if no other process is running"
        ) from error
    try:
        yield
    finally:
        lock.release()


def append_events_locked(folder: Path, events: list[TimelineEvent]) -> None:
    """Append events to `folder/timeline.jsonl`; the caller holds `incident_lock(folder)`.

    One `write` of whole lines, then `flush` and `fsync`, so the lines are on disk when this returns.
    """
    if not events:
        return
    payload = "".join(event.to_json() + "\n" for event in events).encode("utf-8")
    path = folder / TIMELINE_FILE
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(descriptor).st_size
        if size and os.pread(descriptor, 1, size - 1) != b"\n":
            payload = b"\n" + payload  # a torn line from a killed writer stays on its own line

        written = 0
        while written < len(payload):
            written += os.write(descriptor, payload[written:])
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def append_events(folder: Path, events: list[TimelineEvent]) -> None:
    """Append events to the timeline under the incident lock (see `append_events_locked`)."""
    with incident_lock(folder):
        append_events_locked(folder, events)


def read_timeline(folder: Path) -> tuple[list[TimelineEvent], list[str]]:
    """Read `folder/timeline.jsonl`, ordered by event time (file order breaks ties: concurrent writers may
    append slightly out of order).

    Returns:
        (events, warnings): a line that cannot be decoded is skipped with a warning naming the file and line.
    """
    path = folder / TIMELINE_FILE
    if not path.exists():
        return [], []
    events, warnings = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            events.append(TimelineEvent.from_json(line))
        except (ValueError, KeyError) as error:
            warnings.append(f"{path}:{number}: timeline line skipped, not a timeline event ({error})")
    events.sort(key=lambda event: event.at)
    return events, warnings
