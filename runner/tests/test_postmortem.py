"""`dbt-incident postmortem`: the blameless agenda, its attendees, and never overwriting."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from incident_story import assert_matches_golden, at, resolved_incident

from dbt_incident.cli import cli
from dbt_incident.postmortem import attendees, build_agenda


def test_agenda_of_a_resolved_incident_matches_the_golden_file(tmp_path: Path) -> None:
    agenda = build_agenda(resolved_incident(tmp_path), now=at(4, 0))
    assert_matches_golden(agenda, "postmortem_agenda.md")
    for heading in (
        "### 1. Timeline review",
        "### 2. Root cause analysis",
        "### 3. What went well",
        "### 4. What could be improved",
        "### 5. Action items",
    ):
        assert heading in agenda


def test_attendees_are_responders_exposure_owners_and_node_owners_once_each(tmp_path: Path) -> None:
    rows = attendees(resolved_incident(tmp_path))
    assert rows == [
        ("alice", "incident responder"),
        ("bob", "incident responder"),
        (
            "Analytics Engineering <analytics@example.com>",
            "affected team: owner of executive_kpi_dashboard (dashboard)",
        ),
        ("Data Platform <platform@example.com>", "system owner of a failing node"),
    ]


def test_key_intervals_come_from_the_record(tmp_path: Path) -> None:
    agenda = build_agenda(resolved_incident(tmp_path), now=at(4, 0))
    assert "(time to acknowledge): 11 min 07 s" in agenda  # failure 02:03:00 -> opened 02:14:07
    assert "first stakeholder notification delivered: 5 min 53 s" in agenda
    assert "resolved (duration): 1 h 04 min" in agenda
    assert "**Hold by**: 2026-12-02T03:18:37Z" in agenda


def test_postmortem_cli_writes_into_the_incident_folder_and_never_overwrites(tmp_path: Path) -> None:
    incident = resolved_incident(tmp_path)
    runner = CliRunner()
    first = runner.invoke(cli, ["postmortem", "--project-dir", str(tmp_path)])
    assert first.exit_code == 0 and Path(first.stdout.strip()) == incident.folder / "postmortem.md"
    (incident.folder / "postmortem.md").write_text("edited by the team\n")
    again = runner.invoke(cli, ["postmortem", "--project-dir", str(tmp_path)])
    assert again.exit_code == 2 and "file exists; pass --force" in again.stderr
    assert (incident.folder / "postmortem.md").read_text() == "edited by the team\n"
    forced = runner.invoke(cli, ["postmortem", "--project-dir", str(tmp_path), "--force"])
    assert forced.exit_code == 0 and "## Attendees" in (incident.folder / "postmortem.md").read_text()
