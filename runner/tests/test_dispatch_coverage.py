"""`scripts/check_dispatch_coverage.py` and the macro trace it reads (`runner/tests/dbt_traced.py`)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from dbt_harness import REPOSITORY_ROOT, Warehouse, install_package_dependencies

SCRIPT = REPOSITORY_ROOT / "scripts" / "check_dispatch_coverage.py"
_spec = importlib.util.spec_from_file_location("check_dispatch_coverage", SCRIPT)
coverage = importlib.util.module_from_spec(_spec)
sys.modules["check_dispatch_coverage"] = coverage
_spec.loader.exec_module(coverage)


def test_list_branches_finds_every_adapter_prefix_including_private_helpers(tmp_path):
    macros = tmp_path / "macros"
    (macros / "diagnostics").mkdir(parents=True)
    (macros / "diagnostics" / "x.sql").write_text(
        "{% macro x() %}{{ return(adapter.dispatch('x', 'dbt_incident')()) }}{% endmacro %}\n"
        "{% macro default__x() %}select 1{% endmacro %}\n"
        "{%- macro bigquery__x() -%}select 2{%- endmacro %}\n"
        "{% macro default___helper(a) %}{% endmacro %}\n"
        "{% macro postgres__y (a) %}{% endmacro %}{% macro duckdb__y() %}{% endmacro %}\n"
        "{% macro snowflake__x() %}{% endmacro %}{# not a branch we run #}\n"
    )
    names = [branch.name for branch in coverage.list_branches(macros)]
    assert names == ["bigquery__x", "default___helper", "default__x", "duckdb__y", "postgres__y"]


def test_the_real_package_has_the_failed_jobs_branches():
    names = {branch.name for branch in coverage.list_branches(REPOSITORY_ROOT / "macros")}
    assert {"default__failed_jobs", "bigquery__failed_jobs"} <= names


def test_coverage_fails_on_a_branch_no_trace_names_and_reports_compile_only(tmp_path, capsys):
    macros = tmp_path / "macros"
    macros.mkdir()
    (macros / "a.sql").write_text(
        "{% macro default__a() %}{% endmacro %}{% macro bigquery__a() %}{% endmacro %}"
    )
    traces = tmp_path / "traces"
    traces.mkdir()
    record = {"macro": "macro.dbt_incident.default__a", "command": "build", "adapter": "duckdb"}
    (traces / "trace-1.jsonl").write_text(json.dumps(record) + "\n")
    assert coverage.main(["--trace-dir", str(traces), "--macros-dir", str(macros)]) == 1
    assert "NOT EXECUTED  bigquery__a  (macros/a.sql)" in capsys.readouterr().out
    record = {"macro": "macro.dbt_incident.bigquery__a", "command": "compile", "adapter": "bigquery"}
    (traces / "trace-2.jsonl").write_text(json.dumps(record) + "\n")
    assert coverage.main(["--trace-dir", str(traces), "--macros-dir", str(macros)]) == 0
    output = capsys.readouterr().out
    assert "ok            bigquery__a  (compiled for bigquery)" in output
    assert "ok            default__a  (ran on duckdb)" in output
    assert "2 of 2 dispatch branches executed by a test" in output


def test_coverage_refuses_an_empty_trace_folder(tmp_path):
    assert coverage.main(["--trace-dir", str(tmp_path)]) == 2


@pytest.mark.dbt
def test_traced_dbt_records_the_branch_dispatch_picked_and_not_the_others(tmp_path, monkeypatch):
    """A real dbt run through dbt_traced.py: DuckDB enters default__failed_jobs, never bigquery__failed_jobs."""
    install_package_dependencies()
    trace_dir = tmp_path / "trace"
    monkeypatch.setenv("DBT_INCIDENT_TRACE_DIR", str(trace_dir))
    run = Warehouse(root=tmp_path, target="duckdb").dbt(
        "show", "--inline", "{{ dbt_incident.failed_jobs(since='2026-11-29', until='2026-11-30') }}"
    )
    assert run.exit_code == 0, run.output[-3000:]
    entered = coverage.read_traces(trace_dir)
    assert ("show", "duckdb") in entered["macro.dbt_incident.default__failed_jobs"]
    assert "macro.dbt_incident.bigquery__failed_jobs" not in entered
    assert "macro.dbt_incident._failed_jobs_window" in entered


def test_read_traces_names_file_and_line_of_a_bad_record(tmp_path):
    (tmp_path / "trace-9.jsonl").write_text('{"macro": "m"}\nnot json\n')
    with pytest.raises(ValueError, match=r"trace-9\.jsonl:2: not a macro trace line"):
        coverage.read_traces(Path(tmp_path))
