"""`dbt-incident commit-message`: the playbook's fix commit template filled from the record."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from click.testing import CliRunner
from incident_story import resolved_incident

from dbt_incident.cli import cli
from dbt_incident.commit_message import commit_message


def test_commit_message_of_a_resolved_incident_is_filled_and_wrapped(tmp_path: Path) -> None:
    incident = resolved_incident(tmp_path)
    assert commit_message(incident) == (
        "Fix: Cast empty strings explicitly in stg_orders\n"
        "\n"
        "Root cause: The orders export started sending amount as an empty string;\n"
        "  stg_orders cast it to null.\n"
        "Solution: Cast empty strings explicitly in stg_orders. Reran dbt build\n"
        "  --select stg_orders+ and backfilled 2026-11-29.\n"
        "Tested: All tests passing (checked by bob at 2026-11-30T03:12:00Z); Data\n"
        "  is correct (checked by alice at 2026-11-30T03:10:00Z)\n"
        "\n"
        "Resolves incident: incident_20261130_021407\n"
    )
    assert all(len(line) <= 72 for line in commit_message(incident).splitlines())


def test_commit_message_of_an_open_incident_keeps_the_playbook_prompts(tmp_path: Path) -> None:
    message = commit_message(replace(resolved_incident(tmp_path, resolve=False), checklist={}))
    lines = message.splitlines()
    assert lines[0] == "Fix: test_failure in not_null_fct_orders_amount"
    assert lines[2] == "Root cause: [What caused the issue]"
    assert lines[3] == "Solution: [What was changed]"
    assert (
        lines[4].startswith("Tested: [How it was validated e.g. `dbt build --select")
        and "fct_orders+" in message
    )
    assert lines[-1] == "Resolves incident: incident_20261130_021407"


def test_commit_message_cli_options_and_output_file(tmp_path: Path) -> None:
    resolved_incident(tmp_path)
    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        [
            "commit-message",
            "--project-dir",
            str(tmp_path),
            "--summary",
            "null amounts in fct_orders",
            "--tested",
            "dbt build --select stg_orders+ on dev: 14 passed",
        ],
    )
    assert outcome.exit_code == 0
    assert outcome.stdout.startswith("Fix: null amounts in fct_orders\n\nRoot cause: The orders export")
    assert "Tested: dbt build --select stg_orders+ on dev: 14 passed\n" in outcome.stdout
    target = tmp_path / "COMMIT_MSG"
    written = runner.invoke(cli, ["commit-message", "--project-dir", str(tmp_path), "--output", str(target)])
    assert written.exit_code == 0 and target.read_text().endswith(
        "Resolves incident: incident_20261130_021407\n"
    )
    missing = runner.invoke(cli, ["commit-message", "--project-dir", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and missing.stderr.startswith("Error: ")
