"""`dbt-incident rerun` and `backfill`: the printed commands, and `--execute` with a stand-in dbt executable
that records its arguments and exits with a chosen code (real dbt runs in test_regression_test.py)."""

from __future__ import annotations

import json
import shlex
import stat
from pathlib import Path

import pytest
from artifact_builder import PROJECT, data_test, model, result, write_artifacts
from click.testing import CliRunner

from dbt_incident.cli import cli
from dbt_incident.containment import affected_dates_from_profile, backfill_dates
from dbt_incident.errors import ConfigError

FAKE_DBT = """#!/bin/sh
printf '%s\\n' "$*" >> "$FAKE_DBT_CALLS"
echo "fake dbt: $1"
echo "second line"
if [ "$1" = "$FAKE_DBT_FAIL_ON" ]; then exit 3; fi
exit 0
"""


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    """A project whose last run has a failing test on fct_orders and an erroring model stg_payments."""
    folder = tmp_path / "project"
    write_artifacts(
        folder / "target",
        [
            model("stg_orders"),
            model("fct_orders", [f"model.{PROJECT}.stg_orders"]),
            model("stg_payments"),
            data_test("not_null_fct_orders_order_id", "not_null", "fct_orders", "order_id"),
        ],
        [
            result(f"model.{PROJECT}.stg_orders", "success"),
            result(f"model.{PROJECT}.fct_orders", "success"),
            result(
                f"model.{PROJECT}.stg_payments",
                "error",
                "Database Error: relation raw.payments does not exist",
            ),
            result(f"test.{PROJECT}.not_null_fct_orders_order_id", "fail", "Got 4 results", failures=4),
        ],
    )
    return folder


@pytest.fixture()
def fake_dbt(tmp_path: Path) -> dict[str, str]:
    executable = tmp_path / "fake-dbt"
    executable.write_text(FAKE_DBT)
    executable.chmod(executable.stat().st_mode | stat.S_IEXEC)
    calls = tmp_path / "calls.txt"
    return {"DBT_INCIDENT_DBT": str(executable), "FAKE_DBT_CALLS": str(calls), "FAKE_DBT_FAIL_ON": "none"}


def _calls(environment: dict[str, str]) -> list[str]:
    path = Path(environment["FAKE_DBT_CALLS"])
    return path.read_text().splitlines() if path.exists() else []


def test_rerun_prints_isolate_dev_and_verify_commands_with_a_preserved_state(project: Path) -> None:
    outcome = CliRunner(env={"DBT_INCIDENT_DBT": None}).invoke(cli, ["rerun", "--project-dir", str(project)])
    assert outcome.exit_code == 0, outcome.output
    state = project / "incident_state" / "inv-1"
    lines = outcome.output.splitlines()
    assert f"   dbt build --select result:error+ result:fail+ --state {state}" in lines
    assert f"   dbt build --select result:error+ result:fail+ --state {state} --target dev --defer" in lines
    assert "   dbt test --select stg_payments+ fct_orders+" in lines
    assert any(line.startswith("   mkdir -p ") and "run_results.json" in line for line in lines)
    assert "result:error / result:fail selectors read run_results.json" in outcome.output
    assert not state.exists()  # printing changes nothing


def test_rerun_execute_preserves_artifacts_runs_in_order_and_propagates_the_exit_code(
    project: Path, fake_dbt: dict[str, str]
) -> None:
    runner = CliRunner(env=fake_dbt)
    outcome = runner.invoke(cli, ["rerun", "--project-dir", str(project), "--execute"])
    assert outcome.exit_code == 0, outcome.output
    state = project / "incident_state" / "inv-1"
    assert (state / "run_results.json").read_text() == (project / "target" / "run_results.json").read_text()
    assert _calls(fake_dbt) == [
        f"build --select result:error+ result:fail+ --state {state}",
        "test --select stg_payments+ fct_orders+",
    ]
    # streamed output of each command, after the command line
    assert "fake dbt: build\nsecond line\n" in outcome.output and "fake dbt: test" in outcome.output

    Path(fake_dbt["FAKE_DBT_CALLS"]).unlink()
    outcome = CliRunner(env={**fake_dbt, "FAKE_DBT_FAIL_ON": "build"}).invoke(
        cli, ["rerun", "--project-dir", str(project), "--execute", "--dev-target", "dev_ann"]
    )
    assert outcome.exit_code == 3, outcome.output
    assert _calls(fake_dbt) == [
        f"build --select result:error+ result:fail+ --state {state} --target dev_ann --defer"
    ]
    assert "isolate-dev exited with code 3; stopping" in outcome.output


def test_rerun_with_an_explicit_state_folder_needs_its_run_results(project: Path, tmp_path: Path) -> None:
    outcome = CliRunner().invoke(
        cli, ["rerun", "--project-dir", str(project), "--state", str(tmp_path / "empty")]
    )
    assert outcome.exit_code == 2
    assert "--state must be a folder holding the failed run's run_results.json" in outcome.output
    outcome = CliRunner(env={"DBT_INCIDENT_DBT": None}).invoke(
        cli, ["rerun", "--project-dir", str(project), "--state", str(project / "target")]
    )
    assert outcome.exit_code == 0 and "mkdir" not in outcome.output
    assert f"--state {project / 'target'}" in outcome.output


def test_backfill_prints_a_quoted_build_command_and_runs_it_with_execute(
    project: Path, fake_dbt: dict[str, str]
) -> None:
    arguments = [
        "backfill",
        "fct_orders",
        "--start",
        "2026-11-28",
        "--end",
        "2026-11-30",
        "--project-dir",
        str(project),
    ]
    outcome = CliRunner(env={"DBT_INCIDENT_DBT": None}).invoke(cli, arguments)
    assert outcome.exit_code == 0, outcome.output
    command = next(line.strip() for line in outcome.output.splitlines() if line.strip().startswith("dbt "))
    assert command == (
        'dbt build --select fct_orders+ --vars \'{"start_date": "2026-11-28", "end_date": "2026-11-30"}\''
    )
    assert shlex.split(command)[-1] == '{"start_date": "2026-11-28", "end_date": "2026-11-30"}'
    assert "--full-refresh" not in outcome.output and "(3 days)" in outcome.output

    outcome = CliRunner(env=fake_dbt).invoke(
        cli,
        [
            *arguments,
            "--full-refresh",
            "--start-var",
            "from",
            "--end-var",
            "to",
            "--target",
            "prod",
            "--execute",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    assert _calls(fake_dbt) == [
        'build --select fct_orders+ --vars {"from": "2026-11-28", "to": "2026-11-30"} --full-refresh --target prod'
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--start", "2026-11-30", "--end", "2026-11-28"], "--start 2026-11-30 is after --end 2026-11-28"),
        (["--start", "2026-02-30"], "--start '2026-02-30' is not an ISO date (YYYY-MM-DD)"),
        (["--start", "yesterday"], "is not an ISO date"),
    ],
)
def test_backfill_refuses_bad_dates(project: Path, options: list[str], message: str) -> None:
    outcome = CliRunner().invoke(cli, ["backfill", "fct_orders", *options, "--project-dir", str(project)])
    assert outcome.exit_code == 2
    assert message in outcome.output


def test_backfill_refuses_a_model_the_manifest_does_not_know(project: Path) -> None:
    outcome = CliRunner().invoke(
        cli, ["backfill", "fct_order", "--start", "2026-11-30", "--project-dir", str(project)]
    )
    assert outcome.exit_code == 2
    assert "'fct_order' is not a model" in outcome.output and "did you mean fct_orders" in outcome.output


def test_backfill_dates_default_to_the_profile_findings_then_the_run_date(
    project: Path, tmp_path: Path
) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "profile": {
                    "model": "fct_events",
                    "as_of": "2026-11-30",
                    "partition_column": "event_date",
                    "null_window_days": 2,
                },
                "findings": [
                    {"section": "row_history", "subject": "2026-11-29", "kind": "low", "detail": "10 rows"},
                    {
                        "section": "row_history",
                        "subject": "2026-11-27",
                        "kind": "missing",
                        "detail": "0 rows",
                    },
                ],
            }
        )
    )
    outcome = CliRunner(env={"DBT_INCIDENT_DBT": None}).invoke(
        cli, ["backfill", "fct_orders", "--from-profile", str(profile), "--project-dir", str(project)]
    )
    assert outcome.exit_code == 0, outcome.output
    assert '"start_date": "2026-11-27", "end_date": "2026-11-29"' in outcome.output
    assert "partitions flagged by the row history" in outcome.output

    nulls = tmp_path / "nulls.json"
    nulls.write_text(
        json.dumps(
            {
                "profile": {
                    "model": "stg_events",
                    "as_of": "2026-11-30",
                    "partition_column": "event_date",
                    "null_window_days": 2,
                },
                "findings": [
                    {"section": "null_counts", "subject": "customer_id", "kind": "spike", "detail": "0.85"}
                ],
            }
        )
    )
    affected = affected_dates_from_profile(nulls)
    assert [day.isoformat() for day in affected.dates] == ["2026-11-29", "2026-11-30"]
    assert affected.partition_column == "event_date" and affected.model == "stg_events"

    # nothing given: the day the failed run started (run_results invocation_started_at 2026-11-30T01:59Z)
    outcome = CliRunner(env={"DBT_INCIDENT_DBT": None}).invoke(
        cli, ["backfill", "fct_orders", "--project-dir", str(project)]
    )
    assert outcome.exit_code == 0, outcome.output
    assert '"start_date": "2026-11-30", "end_date": "2026-11-30"' in outcome.output
    assert "the failed run's start date" in outcome.output
    with pytest.raises(ConfigError, match="no dates given and none known"):
        backfill_dates(None, None)


def test_rerun_of_a_clean_run_has_nothing_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "clean"
    write_artifacts(
        folder / "target", [model("stg_orders")], [result(f"model.{PROJECT}.stg_orders", "success")]
    )
    outcome = CliRunner().invoke(cli, ["rerun", "--project-dir", str(folder), "--execute"])
    assert outcome.exit_code == 0
    assert "nothing failed in this run" in outcome.output
