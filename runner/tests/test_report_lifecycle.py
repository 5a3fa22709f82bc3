"""`dbt-incident report` with an incident record: merged timeline, filled sections, written in the folder."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from incident_fixtures import write_passing_run
from incident_story import assert_matches_golden, at, resolved_incident

from dbt_incident.cli import cli
from dbt_incident.incident_report import build_incident_report, report_filename
from dbt_incident.report import TimelineEntry
from dbt_incident.session import load_triage


def fake_commits(project_dir: Path, result, since: datetime, until: datetime):
    assert (since, until) == (at(2, 3).replace(day=29), at(3, 18, 37))  # 24 h before detection -> resolution
    return [
        TimelineEntry(
            at(1, 5), "Commit 1a2b3c4 by dana: Orders export v2 (touched models/stg_orders.sql)", "git"
        )
    ], []


def test_report_of_a_resolved_incident_matches_the_golden_file(tmp_path: Path) -> None:
    incident = resolved_incident(tmp_path)
    result = load_triage(tmp_path, incident.artifacts_path)
    text = build_incident_report(
        incident, result, project_dir=tmp_path, generated_at=at(4, 0), commit_source=fake_commits
    )
    assert_matches_golden(text, "incident_report_resolved.md")
    assert "**Duration**: 64 minutes (1 h 04 min); dbt run 4 min 00 s" in text
    assert "**Recorded root cause**: The orders export started sending amount as an empty string" in text
    assert "- Business impact: Executive KPI dashboard shows revenue 30% low" in text
    assert "## 5 Whys" in text and "## Resolution\n\nCast empty strings explicitly" in text
    assert "- [x] Data is correct" in text and "- [x] Stakeholders notified" in text
    timeline = text.split("## Timeline")[1].split("## Root Cause")[0]
    order = [
        "Commit 1a2b3c4",
        "dbt build started",
        "not_null_fct_orders_amount fail",
        "Incident opened",
        "fct_orders.amount is null",
        "Slack notification 'opened' delivered",
        "Validation ticked",
        "Incident resolved after 64 min",
        "report generated",
    ]
    positions = [timeline.index(item) for item in order]
    assert positions == sorted(positions)
    assert timeline.count("dbt build started") == 1  # the run's events are not doubled
    assert "| prevent | Regression test for `not_null_fct_orders_amount`" in text


def test_report_cli_writes_into_the_incident_folder_from_the_snapshot_even_after_a_passing_rerun(
    tmp_path: Path,
) -> None:
    incident = resolved_incident(tmp_path)
    write_passing_run(tmp_path / "target")  # the fix was rerun: target/ no longer shows the failure
    runner = CliRunner()
    outcome = runner.invoke(cli, ["report", "--project-dir", str(tmp_path)])
    assert outcome.exit_code == 0, outcome.output
    path = Path(outcome.stdout.strip())
    assert path == incident.folder / report_filename(incident)
    assert path.name == "incident_report_20261130_test-failure-in-not-null-fct-orders-amount.md"
    text = path.read_text()
    assert "### `test.shop.not_null_fct_orders_amount` — test_failure / not_null" in text
    assert "**Incident**: incident_20261130_021407 (resolved)" in text
    again = runner.invoke(cli, ["report", "--project-dir", str(tmp_path)])
    assert again.exit_code == 2 and "pass --force" in again.stderr
    # the record now shows the incident as documented
    status = runner.invoke(cli, ["status", "--project-dir", str(tmp_path)]).stdout
    assert f"[x] 5. Incident documented — report {path.name}" in status
    # --no-incident: the triage alone, of the current (passing) run, in --output-dir
    alone = runner.invoke(
        cli, ["report", "--project-dir", str(tmp_path), "--no-incident", "--output-dir", str(tmp_path)]
    )
    assert (
        alone.exit_code == 0
        and "Nothing failed in this invocation." in Path(alone.stdout.strip()).read_text()
    )


def test_report_without_the_changes_module_or_git_still_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    incident = resolved_incident(tmp_path)
    result = load_triage(tmp_path, incident.artifacts_path)
    monkeypatch.setitem(sys.modules, "dbt_incident.changes", None)  # import fails: module absent
    absent = build_incident_report(incident, result, project_dir=tmp_path, generated_at=at(4, 0))
    assert "(git)" not in absent and "commits not merged" not in absent
    monkeypatch.delitem(sys.modules, "dbt_incident.changes")
    try:
        import dbt_incident.changes  # noqa: F401
    except ImportError:
        pytest.skip("dbt_incident.changes is not installed yet")
    outside_git = build_incident_report(incident, result, project_dir=tmp_path, generated_at=at(4, 0))
    assert "commits not merged:" in outside_git  # not a git repository: said, not fatal


def test_report_on_the_integration_warehouse_null_spike_incident(tmp_path: Path, scenario_build) -> None:
    """A real failed dbt build (DuckDB): open, note, resolve, report; exposures and owners from dbt's manifest."""
    build = scenario_build("null_spike")
    runner = CliRunner()
    project = tmp_path
    opened = runner.invoke(
        cli,
        [
            "open",
            "--project-dir",
            str(project),
            "--target-path",
            str(build.target_path),
            "--responder",
            "alice",
        ],
    )
    assert opened.exit_code == 0, opened.output
    runner.invoke(
        cli, ["note", "KPI dashboard numbers look wrong", "--kind", "impact", "--project-dir", str(project)]
    )
    resolved = runner.invoke(
        cli,
        [
            "resolve",
            "--project-dir",
            str(project),
            "--root-cause",
            "null spike in raw events",
            "--resolution",
            "reloaded",
        ],
    )
    assert resolved.exit_code == 0
    report = runner.invoke(cli, ["report", "--project-dir", str(project)])
    assert report.exit_code == 0, report.output
    text = Path(report.stdout.strip()).read_text()
    assert "**Recorded root cause**: null spike in raw events" in text
    assert "Business impact: KPI dashboard numbers look wrong" in text
    assert "owner: Analytics Engineering <analytics@example.com>" in text
    agenda = runner.invoke(cli, ["postmortem", "--project-dir", str(project)])
    assert (
        "Analytics Engineering <analytics@example.com> — affected team"
        in Path(agenda.stdout.strip()).read_text()
    )


def test_report_after_resolution_does_not_reuse_the_old_incident_for_a_new_failed_run(tmp_path: Path) -> None:
    resolved_incident(tmp_path)
    run_results = tmp_path / "target" / "run_results.json"
    document = json.loads(run_results.read_text())
    document["metadata"]["invocation_id"] = "inv-2"  # a new failed run, no incident opened for it yet
    run_results.write_text(json.dumps(document))
    outcome = CliRunner().invoke(
        cli, ["report", "--project-dir", str(tmp_path), "--output-dir", str(tmp_path)]
    )
    assert (
        outcome.exit_code == 0
        and "is resolved and the target folder holds another failed run" in outcome.stderr
    )
    text = Path(outcome.stdout.strip()).read_text()
    assert "**Incident**:" not in text and "`inv-2`" in text
