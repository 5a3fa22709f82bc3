"""The diagnostic macros and the generic tests, proven by running dbt on DuckDB (integration_tests/).

One `dbt build` of the diagnostics seeds and models (each macro's output compared with an expected seed by
`equality_exact`) and of the tests of the generic tests (must_pass_* / must_fail_*), shared by the module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from dbt_harness import DbtRun, Warehouse, install_package_dependencies

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Warehouse, DbtRun]:
    install_package_dependencies()
    warehouse = Warehouse(root=tmp_path_factory.mktemp("diagnostics"))
    run = warehouse.dbt(
        "build", "--select", "path:seeds/diagnostics", "path:models/diagnostics", "path:models/generic_tests"
    )
    return warehouse, run


def _tests(run: DbtRun) -> dict[str, dict[str, Any]]:
    """test name -> its run result."""
    return {
        result["unique_id"].split(".")[2]: result
        for result in run.run_results()["results"]
        if result["unique_id"].startswith("test.")
    }


def _rows_of_test(warehouse: Warehouse, run: DbtRun, name: str) -> list[dict[str, Any]]:
    """Run a test's compiled SQL (its failing rows) directly on the DuckDB warehouse."""
    [path] = list((run.target_path / "compiled").rglob(f"{name}.sql"))
    with duckdb.connect(str(warehouse.duckdb_path), read_only=True) as connection:
        cursor = connection.execute(path.read_text())
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_every_diagnostic_macro_output_equals_its_expected_seed(built: tuple[Warehouse, DbtRun]) -> None:
    _, run = built
    assert run.exit_code == 0, run.output[-4000:]
    tests = _tests(run)
    equality = [name for name in tests if name.startswith("equality_exact")]
    assert len(equality) >= 15
    assert {tests[name]["status"] for name in equality} == {"pass"}


def test_equality_check_fails_on_a_wrong_expectation(built: tuple[Warehouse, DbtRun]) -> None:
    warehouse, run = built
    rows = _rows_of_test(warehouse, run, "equality_exact_detects_a_wrong_expectation")
    assert {row["difference"] for row in rows} >= {"unexpected in model", "row count differs"}


def test_generic_tests_pass_on_healthy_data_and_fail_on_each_incident(
    built: tuple[Warehouse, DbtRun],
) -> None:
    warehouse, run = built
    tests = _tests(run)
    must_pass = [name for name in tests if name.startswith("must_pass_")]
    must_fail = [name for name in tests if name.startswith("must_fail_")]
    assert len(must_pass) >= 8 and len(must_fail) >= 9
    for name in must_pass:
        assert tests[name]["status"] == "pass", name
        assert _rows_of_test(warehouse, run, name) == [], name
    for name in must_fail:  # error_if "<1": a pass means the test found failures
        assert tests[name]["status"] == "pass", name
        assert _rows_of_test(warehouse, run, name), name


def test_failing_rows_explain_themselves(built: tuple[Warehouse, DbtRun]) -> None:
    warehouse, run = built

    def rows(name: str) -> list[dict[str, Any]]:
        return _rows_of_test(warehouse, run, name)

    [missing] = rows("must_fail_partitions_complete_missing_day_mid_window")
    assert str(missing["partition_date"]) == "2026-11-27"
    assert (missing["row_count"], missing["expected_min_rows"], missing["failure_reason"]) == (
        0,
        1,
        "missing_partition",
    )
    assert {row["failure_reason"] for row in rows("must_fail_partitions_complete_empty_filtered_set")} == {
        "missing_partition"
    }
    [partial] = rows("must_fail_row_count_within_history_partial_latest_partition")
    assert str(partial["partition_date"]) == "2026-11-29"
    assert partial["failure_reason"] == "volume_drop"
    assert (partial["row_count"], partial["expected_min"], partial["expected_max"]) == (1, 2.0, 8.0)
    [spike] = rows("must_fail_null_proportion_at_most_null_spike")
    assert (spike["column_name"], spike["null_proportion"], spike["max_proportion"]) == (
        "Mixed Case Amount",
        0.75,
        0.5,
    )
    assert spike["failure_reason"] == "null_proportion_above_max"
    [against_baseline] = rows("must_fail_null_proportion_at_most_against_baseline")
    assert against_baseline["failure_reason"] == "null_spike_against_baseline"
    [new_value] = rows("must_fail_distinct_values_within_history_new_status_value")
    assert (new_value["value"], new_value["failure_reason"], new_value["window_count"]) == (
        "refunded",
        "new_value",
        1,
    )
    [stale] = rows("must_fail_fresh_within_stale_table")
    assert (stale["lag_seconds"], stale["max_age_seconds"], stale["failure_reason"]) == (
        45000,
        21600,
        "stale",
    )
    [empty] = rows("must_fail_fresh_within_empty_filtered_set")
    assert (empty["row_count"], empty["failure_reason"]) == (0, "empty")
    renamed = {
        (row["column_name"], row["change_type"]) for row in rows("must_fail_schema_unchanged_renamed_column")
    }
    assert renamed == {("amount", "removed"), ("Mixed Case Amount", "added")}
    moved = {
        (row["column_name"], row["change_type"]) for row in rows("must_fail_schema_unchanged_order_checked")
    }
    assert moved == {("event_at", "moved"), ("event_date", "moved")}


def _operation(warehouse: Warehouse, arguments: dict[str, Any]) -> DbtRun:
    return warehouse.dbt("run-operation", "incident_profile", "--args", json.dumps(arguments))


def test_bad_arguments_give_a_compiler_error_naming_macro_argument_and_value(
    built: tuple[Warehouse, DbtRun],
) -> None:
    warehouse, _ = built
    missing = _operation(warehouse, {"model": "diag_events", "partition_column": "no_such_column"})
    assert missing.exit_code != 0
    assert (
        "dbt_incident.incident_profile: argument 'partition_column' names column 'no_such_column'"
        in missing.output
    )
    assert "diag_events" in missing.output
    injected = _operation(
        warehouse,
        {"model": "diag_events", "partition_column": "event_date", "days": "7; drop table diag_events"},
    )
    assert injected.exit_code != 0
    assert (
        "dbt_incident.incident_profile: argument 'days' must be a whole number, got 7; drop table"
        in injected.output
    )
    # `where` is pasted inside "(...)" of the one partition scan, which runs first: checked before it runs.
    window = {"model": "diag_events", "partition_column": "event_date", "as_of": "2026-11-30"}
    escape = "1=1) group by 1 union all select cast(null as date), 0, 0 from diag_events where (1=1"
    for where, reason in [
        (escape, "must be one SQL predicate with balanced parentheses and quotes"),
        ("1=1; select 42", 'must be one SQL predicate without ";" or comments'),
    ]:
        refused = _operation(warehouse, {**window, "where": where})
        assert refused.exit_code != 0, where
        assert f"dbt_incident.incident_profile: argument 'where' {reason}" in refused.output, where
    # Parentheses and quotes inside string literals do not count; a numeric string is a number, as for days.
    balanced = {"where": "status in ('a)', 'it''s (') and (1 = 1)", "baseline_days": "3", "format": "json"}
    accepted = _operation(warehouse, {**window, **balanced})
    assert accepted.exit_code == 0, accepted.output[-2000:]
    for arguments, message in [
        ({"baseline_days": 0}, "argument 'baseline_days' must be at least 1, got 0"),
        ({"granularity": "hour"}, "argument 'granularity' must be one of day, week, month, got hour"),
        ({"as_of": "0001-01-01"}, "argument 'as_of' must be a date between 1000-01-01 and 9998-12-31"),
    ]:
        run = _operation(warehouse, {**window, **arguments, "format": "json"})
        assert run.exit_code != 0 and f"dbt_incident.incident_profile: {message}" in run.output, arguments
    shouted = _operation(warehouse, {**window, "granularity": "DAY", "format": "json"})
    assert '"row_history_baseline": "window"' in shouted.output  # the same plan as 'day'
    quoted = warehouse.dbt("compile", "--inline", """{{ dbt_incident._quote_column('a "b"') }}""")
    assert '"a ""b"""' in quoted.output


def test_cost_guard_refuses_an_estimate_above_the_limit_and_a_bad_limit(
    built: tuple[Warehouse, DbtRun],
) -> None:
    """The refusal that bigquery___run_diagnostic applies before a diagnostic runs, called with estimates
    (bytes) passed in: the emulator reports numBytes 0 for every table, so it cannot provoke one. An estimate
    equal to the limit runs (the first call); one above it is a one-line compiler error."""
    # Runs before the in-process run_profile test below, which keeps the DuckDB file locked.
    warehouse, _ = built
    refused = warehouse.dbt(
        "compile",
        "--inline",
        "{{ dbt_incident._check_bytes_estimate('freshness', 'p.d.t', 1024, 1024) }}"
        " {{ dbt_incident._check_bytes_estimate('null_counts', '`p`.`d`.`t`', 2048, 1024) }}",
    )
    assert refused.exit_code != 0
    assert (
        "dbt_incident.incident_profile: diagnostic 'null_counts' on `p`.`d`.`t` was not run: it may process"
        " up to 2048 bytes (estimate), above var dbt_incident_maximum_bytes_billed = 1024 bytes"
    ) in refused.output
    bad_limit = warehouse.dbt(
        "run-operation",
        "incident_profile",
        "--args",
        json.dumps({"model": "diag_events"}),
        variables={"dbt_incident_maximum_bytes_billed": "10 GB"},
    )
    assert bad_limit.exit_code != 0
    assert (
        "dbt_incident.incident_profile: var 'dbt_incident_maximum_bytes_billed' must be a whole number of"
        " bytes >= 1, got 10 GB"
    ) in bad_limit.output


def test_incident_profile_prints_one_json_document_the_runner_parses(
    built: tuple[Warehouse, DbtRun], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dbt_incident.profile import run_profile

    warehouse, _ = built
    for key, value in warehouse.environment().items():
        monkeypatch.setenv(key, value)
    profile = run_profile(
        "diag_events",
        partition_column="event_at",
        columns=["status", "mixed case amount"],
        as_of="2026-11-30",
        project_dir=Path(__file__).resolve().parents[2] / "integration_tests",
    )
    document = profile.document
    assert document["format_version"] == 1
    assert document["resolved_as"] == "seed"
    assert [row["flag"] for row in document["row_history"]] == [
        "ok",
        "ok",
        "ok",
        "missing",
        "ok",
        "low",
        "ok",
    ]
    assert {(f.section, f.subject, f.kind) for f in profile.findings} == {
        ("row_history", "2026-11-27", "missing"),
        ("row_history", "2026-11-29", "low"),
        ("null_counts", "Mixed Case Amount", "spike"),
        ("distinct_profile", "status", "new_values"),
        ("distinct_profile", "Mixed Case Amount", "vanished_values"),
    }
    assert document["freshness"]["lag_seconds"] == 45000
    # DuckDB's adapter response has no byte counts: every section reports null bytes, and no limit is set.
    assert document["maximum_bytes_billed"] is None
    unreported = {"bytes_processed": None, "bytes_billed": None, "bytes_estimate": None}
    sections = ("partition_scan", "row_history", "null_counts", "distinct_profile", "freshness")
    assert document["cost"] == {section: unreported for section in sections}
    # One scan of the window fed both sections; the row history's baseline is the window's first 6 days.
    assert (document["row_history_baseline"], document["baseline_days"]) == ("window", 6)
    assert {row["baseline_partitions"] for row in document["row_history"]} == {5}  # 6 days, one missing

    # The same profile with a baseline before the window runs each section on its own (no partition scan):
    # the window's row counts and every null count must be identical to those the one scan produced.
    separate = run_profile(
        "diag_events",
        partition_column="event_at",
        columns=["status", "mixed case amount"],
        as_of="2026-11-30",
        baseline_days=6,
        project_dir=Path(__file__).resolve().parents[2] / "integration_tests",
    ).document
    assert separate["row_history_baseline"] == "before" and "partition_scan" not in separate["cost"]
    assert [(row["partition_date"], row["row_count"]) for row in separate["row_history"]] == [
        (row["partition_date"], row["row_count"]) for row in document["row_history"]
    ]
    assert separate["null_counts"] == document["null_counts"]
