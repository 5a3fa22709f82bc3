"""`dbt-incident logs`: errors and warnings from real dbt.log files in dbt's debug, text and JSON formats.

The samples in `fixtures/dbt_logs/` were written by dbt 1.11 on integration_tests/ (see their README): two
invocations per file, a not_null failure (null_spike) then a model error with skipped children (column_renamed).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from dbt_incident.artifacts import load_manifest, load_run_results
from dbt_incident.cli import cli
from dbt_incident.dbt_logs import log_report, read_dbt_log, render_log_report
from dbt_incident.errors import ArtifactInvalid

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "dbt_logs"
PACKAGE = "dbt_incident_integration_tests"
NOT_NULL = f"test.{PACKAGE}.not_null_stg_events_customer_id.2a45ff2545"
STG_ORDERS = f"model.{PACKAGE}.stg_orders"
FCT_ORDERS = f"model.{PACKAGE}.fct_orders"
# How the log format lets the run's invocation be found.
MATCHED_BY = {"debug": "invocation_id", "json": "invocation_id", "text": "time"}


@pytest.fixture(scope="module")
def manifest():
    return load_manifest(FIXTURES / "manifest.json")


@pytest.mark.parametrize("log_format", ["debug", "text", "json"])
def test_logs_match_the_failing_test_of_the_run_in_every_format(log_format: str, manifest) -> None:
    log = read_dbt_log(FIXTURES / log_format / "dbt.log")
    assert log.formats == (log_format,)
    assert len(log.invocations) == 2
    run_results = load_run_results(FIXTURES / log_format / "null_spike" / "run_results.json")

    report = log_report(log, run_results, manifest)

    assert report.matched_by == MATCHED_BY[log_format]
    assert report.invocation is not None and report.invocation.key == log.invocations[0].key
    assert "incident_scenario: null_spike" in (report.invocation.command or "")
    by_id = {node.unique_id: node for node in report.nodes}
    assert list(by_id) == [NOT_NULL]
    messages = [entry.message for entry in by_id[NOT_NULL].entries]
    assert any(
        re.match(r"\d+ of 17 FAIL 3780 not_null_stg_events_customer_id", message) for message in messages
    )
    assert "Failure in test not_null_stg_events_customer_id (models/staging/_staging.yml)" in messages
    assert any("Got 3780 results, configured to fail if != 0" in message for message in messages)
    # every error of the run is matched to the failing node; what is left are dbt's deprecation warnings
    assert {entry.level for entry in report.other} == {"warn"}
    assert all("Deprecat" in entry.message for entry in report.other)
    # records of the other invocation are not shown
    assert not any("stg_orders" in entry.message for entry in report.all_entries())


@pytest.mark.parametrize("log_format", ["debug", "text", "json"])
def test_logs_match_a_model_error_and_its_skipped_children(log_format: str, manifest) -> None:
    log = read_dbt_log(FIXTURES / log_format / "dbt.log")
    run_results = load_run_results(FIXTURES / log_format / "column_renamed" / "run_results.json")

    report = log_report(log, run_results, manifest)

    assert report.invocation is not None and report.invocation.key == log.invocations[1].key
    by_id = {node.unique_id: node for node in report.nodes}
    assert next(iter(by_id)) == STG_ORDERS  # errors first
    error_text = "\n".join(entry.message for entry in by_id[STG_ORDERS].entries)
    assert 'Binder Error: Referenced column "amount" not found in FROM clause!' in error_text
    assert "ERROR creating sql view model main.stg_orders" in error_text
    assert any("SKIP relation main.fct_orders" in entry.message for entry in by_id[FCT_ORDERS].entries)
    # skipped tests of fct_orders say nothing at error level: they are left out
    assert all(node.status != "skipped" or node.entries for node in report.nodes)
    assert {entry.level for entry in report.other} == {"warn"}


def test_logs_debug_format_attributes_thread_records_to_the_running_node(manifest) -> None:
    log = read_dbt_log(FIXTURES / "debug" / "dbt.log")
    fail_line = next(entry for entry in log.entries if "FAIL 3780" in entry.message)
    assert fail_line.unique_id == NOT_NULL and fail_line.thread and fail_line.thread.startswith("Thread-")
    assert (
        log.invocations[0].invocation_id
        == load_run_results(FIXTURES / "debug" / "null_spike" / "run_results.json").invocation_id
    )
    assert log.invocations[1].run_results_path and log.invocations[1].run_results_path.endswith(
        "run_results.json"
    )


def test_logs_without_colours_infer_levels_from_dbt_wording(tmp_path: Path, manifest) -> None:
    plain = tmp_path / "dbt.log"
    plain.write_text(re.sub(r"\x1b\[[0-9;]*m", "", (FIXTURES / "text" / "dbt.log").read_text()))
    run_results = load_run_results(FIXTURES / "text" / "column_renamed" / "run_results.json")
    report = log_report(read_dbt_log(plain), run_results, manifest)
    by_id = {node.unique_id: node for node in report.nodes}
    assert any("Runtime Error in model stg_orders" in entry.message for entry in by_id[STG_ORDERS].entries)
    assert all(not entry.message.startswith("Completed with") for entry in report.all_entries())


def test_logs_mixed_formats_and_unknown_invocation_fall_back_to_the_last_one(
    tmp_path: Path, manifest
) -> None:
    mixed = tmp_path / "dbt.log"
    mixed.write_text(
        (FIXTURES / "json" / "dbt.log").read_text() + (FIXTURES / "debug" / "dbt.log").read_text()
    )
    log = read_dbt_log(mixed)
    assert log.formats == ("debug", "json") and len(log.invocations) == 4
    json_run = load_run_results(FIXTURES / "json" / "column_renamed" / "run_results.json")
    assert log_report(log, json_run, manifest).invocation.key == json_run.invocation_id

    foreign = load_run_results(FIXTURES / "text" / "null_spike" / "run_results.json")  # not in this file
    object.__setattr__(foreign, "generated_at", None)
    report = log_report(log, foreign, manifest)
    assert report.matched_by == "last invocation"
    assert report.invocation.key == log.invocations[-1].key
    assert "not in" in report.notes[0]
    every = log_report(log, foreign, manifest, all_invocations=True)
    assert every.matched_by == "all" and every.error_count > report.error_count


def test_logs_cli_reads_the_project_log_and_run_artifacts(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "logs").mkdir(parents=True)
    shutil.copy(FIXTURES / "debug" / "dbt.log", project / "logs" / "dbt.log")
    (project / "target").mkdir()
    shutil.copy(FIXTURES / "debug" / "column_renamed" / "run_results.json", project / "target")
    shutil.copy(FIXTURES / "manifest.json", project / "target")
    runner = CliRunner(env={"DBT_LOG_PATH": None})

    outcome = runner.invoke(cli, ["logs", "--project-dir", str(project)])
    assert outcome.exit_code == 0, outcome.output
    assert f"{STG_ORDERS} (error)" in outcome.output
    assert "Binder Error" in outcome.output and "null_spike" not in outcome.output

    outcome = runner.invoke(cli, ["logs", "--project-dir", str(project), "--errors-only", "--format", "json"])
    assert outcome.exit_code == 0, outcome.output
    import json

    document = json.loads(outcome.output)
    assert document["matched_by"] == "invocation_id"
    assert [node["unique_id"] for node in document["nodes"]][:2] == [STG_ORDERS, FCT_ORDERS]
    assert document["other"] == []  # warnings left out

    outcome = runner.invoke(cli, ["logs", "--project-dir", str(tmp_path / "nowhere")])
    assert outcome.exit_code == 2 and "dbt.log not found" in outcome.output


def test_logs_refuse_files_that_are_not_dbt_logs(tmp_path: Path) -> None:
    binary = tmp_path / "dbt.log"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(ArtifactInvalid, match="binary"):
        read_dbt_log(binary)
    prose = tmp_path / "notes.log"
    prose.write_text("hello\nworld\n")
    with pytest.raises(ArtifactInvalid, match="no dbt log record"):
        read_dbt_log(prose)


def test_logs_markdown_render_fences_multi_line_messages(manifest) -> None:
    log = read_dbt_log(FIXTURES / "json" / "dbt.log")
    run_results = load_run_results(FIXTURES / "json" / "column_renamed" / "run_results.json")
    text = render_log_report(log_report(log, run_results, manifest), "markdown")
    assert text.startswith("## dbt log: ")
    assert f"### {STG_ORDERS} (error)" in text and "  ```" in text
