"""`failed_jobs(since, until)`: the default branch runs on DuckDB (no rows, a note); the BigQuery branch reads
region-qualified INFORMATION_SCHEMA.JOBS, which the local emulator does not serve, so it is compiled for the
emulator's `bigquery` target and its SQL parsed with sqlglot's BigQuery dialect instead of run.
"""

from __future__ import annotations

import pytest
from bigquery_sql import (
    SPLIT_MARKER,
    bigquery_leg_skip_reason,
    compiled_inline,
    parse_bigquery,
    partition_filters,
)
from dbt_harness import Warehouse, install_package_dependencies
from sqlglot import exp

pytestmark = pytest.mark.dbt


@pytest.fixture(scope="module", autouse=True)
def _dependencies() -> None:
    install_package_dependencies()


def test_failed_jobs_default_branch_returns_no_rows_and_says_why(tmp_path):
    run = Warehouse(root=tmp_path, target="duckdb").dbt(
        "show",
        "--inline",
        "{{ dbt_incident.failed_jobs(since='2026-11-29', until='2026-11-30 06:00') }}",
        "--output",
        "json",
        timeout=300,
    )
    assert run.exit_code == 0, run.output[-3000:]
    assert run.json_output()["show"] == []
    assert "dbt_incident.failed_jobs: failed_jobs reads BigQuery INFORMATION_SCHEMA.JOBS" in run.output
    assert "a duckdb target keeps no job history" in run.output


def test_failed_jobs_rejects_a_window_that_ends_before_it_starts(tmp_path):
    run = Warehouse(root=tmp_path, target="duckdb").dbt(
        "compile",
        "--inline",
        "{{ dbt_incident.failed_jobs(since='2026-11-30 08:00', until='2026-11-30 06:00') }}",
    )
    assert run.exit_code != 0
    assert (
        "dbt_incident.failed_jobs: argument 'since' must be before until (2026-11-30 06:00:00)" in run.output
    )


@pytest.mark.bigquery
def test_failed_jobs_bigquery_sql_filters_creation_time_with_literals(tmp_path):
    """Compiled for BigQuery (the emulator lacks region-qualified JOBS) and parsed with sqlglot."""
    reason = bigquery_leg_skip_reason()
    if reason:
        pytest.skip(reason)
    calls = [
        "{{ dbt_incident.failed_jobs(since='2026-11-29', until='2026-11-30 06:00') }}",
        "{{ dbt_incident.failed_jobs(since='2026-11-29 22:00:00', until='2026-11-30', location='europe-west1', project='other-proj', limit=10) }}",
    ]
    run = Warehouse(root=tmp_path, target="bigquery", schema_suffix="failed_jobs").dbt(
        "compile", "--inline", f"\n{SPLIT_MARKER}\n".join(calls), "--output", "json", timeout=300
    )
    assert run.exit_code == 0, run.output[-3000:]
    default_window, explicit = compiled_inline(run)
    assert "`dbt-incident-test`.`region-us`.INFORMATION_SCHEMA.JOBS" in default_window
    assert "`other-proj`.`region-europe-west1`.INFORMATION_SCHEMA.JOBS" in explicit
    for sql, since, until in (
        (default_window, "2026-11-29 00:00:00", "2026-11-30 06:00:00"),
        (explicit, "2026-11-29 22:00:00", "2026-12-01 00:00:00"),
    ):
        tree = parse_bigquery(sql)
        filters = partition_filters(tree, "creation_time")
        bounds = {type(node).__name__: node.expression.sql("bigquery") for node in filters}
        assert bounds == {
            "GTE": f"CAST('{since}' AS TIMESTAMP)",
            "LT": f"CAST('{until}' AS TIMESTAMP)",
        }
        selected = [projection.alias_or_name for projection in tree.expressions]
        assert selected[:7] == [
            "job_id",
            "creation_time",
            "end_time",
            "user_email",
            "statement_type",
            "error_reason",
            "error_message",
        ]
        assert tree.args["limit"].expression.sql() in ("1000", "10")
        assert any(isinstance(node, exp.Unnest) for node in tree.find_all(exp.Unnest))
