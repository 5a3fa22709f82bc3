"""The incident record: open, note, check, status, resolve; locking, atomic writes, one-line errors."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from incident_fixtures import FAILING_TEST, FCT_ORDERS, write_failing_run

from dbt_incident.cli import cli
from dbt_incident.errors import ConfigError, IncidentAlreadyOpen, IncidentNotFound
from dbt_incident.incident_record import (
    add_note,
    checklist_item,
    find_incident,
    load_incident,
    open_incident,
    resolve_incident,
    tick,
)
from dbt_incident.session import load_triage
from dbt_incident.timeline import read_timeline

OPENED = datetime(2026, 11, 30, 2, 14, 7, tzinfo=timezone.utc)


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, env=env)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_failing_run(tmp_path / "target")
    return tmp_path


@pytest.fixture
def opened(project: Path):
    result = load_triage(project, None)
    return open_incident(
        project / "incidents",
        result=result,
        responders=["alice"],
        snapshot_from=project / "target",
        now=OPENED,
    )


def test_open_seeds_the_record_from_the_triage_and_snapshots_the_artifacts(project: Path, opened) -> None:
    assert opened.id == "incident_20261130_021407"
    folder = project / "incidents" / "incident_20261130_021407"
    document = yaml.safe_load((folder / "incident.yml").read_text())
    assert document["status"] == "open" and document["severity"] == "P1"
    assert "failing_test_feeds_exposure" in document["severity_reason"]
    assert document["started_at"] == "2026-11-30T02:14:07Z"
    assert document["detected_at"] == "2026-11-30T02:03:00Z"  # the failing test's completion
    assert document["title"] == "test_failure in not_null_fct_orders_amount"
    assert document["affected_nodes"] == [FCT_ORDERS, "model.shop.fct_revenue"]
    assert document["responders"] == ["alice"]
    assert document["invocation_id"] == "inv-1"
    [failure] = document["failures"]
    assert (failure["unique_id"], failure["cause"], failure["failing_rows"]) == (FAILING_TEST, "not_null", 42)
    assert document["exposures"][0]["owner"] == "Analytics Engineering <analytics@example.com>"
    assert "Data Platform <platform@example.com>" in document["owners"]
    assert document["downstream_counts"] == {"model": 1, "test": 1, "exposure": 1}
    assert sorted(path.name for path in (folder / "artifacts").iterdir()) == [
        "manifest.json",
        "run_results.json",
    ]
    events, warnings = read_timeline(folder)
    assert not warnings
    assert [event.kind for event in events] == ["run", "run", "run", "opened"]
    assert events[-1].author == "alice" and events[-1].text.startswith("Incident opened (P1)")
    assert load_incident(folder) == opened  # what was written reads back the same


def test_open_refuses_a_second_incident_while_one_is_open_unless_forced(project: Path, opened) -> None:
    with pytest.raises(IncidentAlreadyOpen, match=r"incident_20261130_021407 .* still open"):
        open_incident(project / "incidents", title="Second", severity="P3", now=OPENED)
    second = open_incident(project / "incidents", title="Second", severity="P3", now=OPENED, force=True)
    assert second.id == "incident_20261130_021407_2"  # same second: a suffix, never a clash
    assert find_incident(project / "incidents").id == second.id  # the latest open one


def test_open_cli_prints_the_folder_and_the_refusal_is_one_line(project: Path) -> None:
    arguments = ["open", "--project-dir", str(project), "--responder", "alice"]
    first = run(*arguments)
    assert first.exit_code == 0, first.output
    folder = Path(first.stdout.strip())
    assert folder.parent == project / "incidents" and folder.name.startswith("incident_")
    assert "Opened incident_" in first.stderr and "(P1)" in first.stderr
    second = run(*arguments)
    assert second.exit_code == 2
    assert second.stderr.count("\n") == 1 and second.stderr.startswith("Error: incident incident_")
    assert "--force" in second.stderr


def test_open_without_artifacts_needs_a_severity_and_a_title(tmp_path: Path) -> None:
    refused = run("open", "--project-dir", str(tmp_path))
    assert refused.exit_code == 2 and "pass --severity" in refused.stderr
    opened = run("open", "--project-dir", str(tmp_path), "--severity", "p2", "--title", "Revenue looks low")
    assert opened.exit_code == 0, opened.output
    incident = find_incident(tmp_path / "incidents")
    assert (incident.severity, incident.title, incident.failures, incident.artifacts) == (
        "P2",
        "Revenue looks low",
        (),
        None,
    )
    events, _ = read_timeline(incident.folder)
    assert [event.kind for event in events] == ["opened"] and "no dbt artifacts read" in events[0].text


def test_note_appends_a_timestamped_entry_and_its_author_joins_the_responders(project: Path, opened) -> None:
    at = datetime(2026, 11, 30, 2, 20, tzinfo=timezone.utc)
    incident, event = add_note(
        project / "incidents", "KPI dashboard shows revenue 30% low", author="bob", kind="impact", now=at
    )
    assert incident.responders == ("alice", "bob")
    assert load_incident(opened.folder).responders == ("alice", "bob")
    events, _ = read_timeline(opened.folder)
    assert events[-1] == event
    assert (event.at, event.kind, event.author) == (at, "impact", "bob")
    with pytest.raises(ConfigError, match="--kind is 'why'"):
        add_note(project / "incidents", "x", kind="why")
    outcome = run("note", "Checked stg_orders: fine", "--project-dir", str(project), "--author", "carol")
    assert outcome.exit_code == 0
    assert (
        outcome.stdout.startswith("incident_20261130_021407 ")
        and "note (carol): Checked stg_orders" in outcome.stdout
    )


NOTE_WRITER = """
import sys, time
from pathlib import Path
from dbt_incident.incident_record import add_note
base, author, count, gate = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
(gate.parent / f"ready_{author}").touch()
while not gate.exists():  # both writers start together, after their imports
    time.sleep(0.01)
for number in range(count):
    add_note(base, f"{author} note {number}", author=f"{author}.{number}")  # a new responder each time
"""


def test_two_processes_writing_notes_at_once_lose_nothing(project: Path, opened, tmp_path: Path) -> None:
    count = 60
    gate = tmp_path / "go"
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", NOTE_WRITER, str(project / "incidents"), author, str(count), str(gate)],
            env=environment,
        )
        for author in ("writer_a", "writer_b")
    ]
    deadline = time.monotonic() + 60
    while not all((tmp_path / f"ready_{author}").exists() for author in ("writer_a", "writer_b")):
        assert time.monotonic() < deadline, "the writers did not start"
        time.sleep(0.01)
    gate.touch()
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    events, warnings = read_timeline(opened.folder)
    assert not warnings  # every line is whole JSON
    notes = [event for event in events if event.kind == "note"]
    assert len(notes) == 2 * count
    for author in ("writer_a", "writer_b"):
        texts = [event.text for event in notes if event.text.startswith(author)]
        assert texts == [f"{author} note {n}" for n in range(count)]
    switches = sum(1 for before, after in itertools.pairwise(notes) if before.text[:8] != after.text[:8])
    assert switches > 1  # the two writers really ran at the same time
    # every note added its author to incident.yml (a read-modify-write): no update was lost either
    expected = {"alice", *(f"{author}.{n}" for author in ("writer_a", "writer_b") for n in range(count))}
    assert set(load_incident(opened.folder).responders) == expected


def test_check_names_items_by_number_or_words_and_status_shows_what_is_done(project: Path, opened) -> None:
    assert checklist_item("1") == "Data is correct"
    assert checklist_item("tests") == "All tests passing"
    with pytest.raises(ConfigError, match="matches no item"):
        checklist_item("coffee")
    tick(project / "incidents", "data is", by="alice", now=datetime(2026, 11, 30, 3, tzinfo=timezone.utc))
    assert run("check", "2", "--project-dir", str(project), "--by", "bob").stdout.endswith(
        "[x] All tests passing\n"
    )
    assert run("check", "2", "--undo", "--project-dir", str(project)).exit_code == 0
    status = run("status", "--project-dir", str(project))
    assert status.exit_code == 0
    lines = status.stdout.splitlines()
    assert lines[0] == f"incident_20261130_021407 [open] P1 — {opened.title}"
    assert any(line.strip().startswith("elapsed") and "(open)" in line for line in lines)
    assert "  [x] 1. Data is correct — ticked by alice at 2026-11-30T03:00:00Z" in lines
    assert "  [ ] 2. All tests passing" in lines
    assert any("executive_kpi_dashboard (owner: Analytics Engineering" in line for line in lines)
    document = json.loads(run("status", "--project-dir", str(project), "--format", "json").stdout)
    assert document["id"] == opened.id and document["elapsed_seconds"] > 0
    assert [item["done"] for item in document["checklist"]] == [True, False, False, False, False, False]
    assert [event["kind"] for event in document["timeline"]][-3:] == ["check", "check", "check"]


def test_resolve_closes_the_incident_and_computes_the_duration(project: Path, opened) -> None:
    resolved_at = datetime(2026, 11, 30, 3, 18, 37, tzinfo=timezone.utc)
    incident = resolve_incident(
        project / "incidents",
        root_cause="Upstream orders export sent amounts as empty strings",
        resolution="Cast empty strings to null in stg_orders; backfilled 2026-11-29.",
        by="alice",
        now=resolved_at,
    )
    assert (incident.status, incident.resolved_at, incident.duration_seconds) == (
        "resolved",
        resolved_at,
        3870.0,
    )
    document = yaml.safe_load((opened.folder / "incident.yml").read_text())
    assert document["duration_seconds"] == 3870.0 and document["root_cause"].startswith("Upstream orders")
    events, _ = read_timeline(opened.folder)
    assert events[-1].kind == "resolved" and "after 64 min" in events[-1].text
    with pytest.raises(IncidentNotFound, match="no open incident"):
        add_note(project / "incidents", "late note")
    again = run("resolve", "--project-dir", str(project), "--root-cause", "x", "--resolution", "y")
    assert again.exit_code == 2 and again.stderr.startswith("Error: ") and "no open incident" in again.stderr
    # status falls back to the latest incident, resolved
    assert (
        "resolved  2026-11-30T03:18:37Z after 1 h 04 min"
        in run("status", "--project-dir", str(project)).stdout
    )
    listing = run("status", "--all", "--project-dir", str(project)).stdout
    assert listing.startswith("incident_20261130_021407  resolved  P1")


def test_commands_without_an_incident_fail_with_one_line(tmp_path: Path) -> None:
    for arguments in (["status"], ["note", "hello"], ["check", "1"], ["status", "--incident", "incident_x"]):
        outcome = run(*arguments, "--project-dir", str(tmp_path))
        assert outcome.exit_code == 2, arguments
        assert outcome.stderr.startswith("Error: ") and outcome.stderr.count("\n") == 1, outcome.stderr


def test_a_torn_timeline_line_is_skipped_with_a_warning_not_fatal(project: Path, opened) -> None:
    with open(opened.folder / "timeline.jsonl", "a", encoding="utf-8") as stream:
        stream.write('{"at": "2026-11-30T02:30:00Z", "kind": "no')  # a killed writer
    events, warnings = read_timeline(opened.folder)
    assert len(events) == 4 and len(warnings) == 1 and "timeline.jsonl:5" in warnings[0]
    assert "warning: " in run("status", "--project-dir", str(project)).stdout
    add_note(project / "incidents", "after the crash", author="alice")
    events, warnings = read_timeline(opened.folder)
    assert events[-1].text == "after the crash" and len(warnings) == 1  # the next append starts a new line
