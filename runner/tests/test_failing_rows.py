"""`triage --failing-rows`: failing rows read from the warehouse through dbt, affected partitions named."""

from __future__ import annotations

import json

import pytest
from artifact_builder import PROJECT, data_test, model
from click.testing import CliRunner
from dbt_harness import INTEGRATION_DIR

from dbt_incident.artifacts.manifest import parse_node
from dbt_incident.cli import cli
from dbt_incident.failing_rows import affected_partitions, partition_query, refined_cause


def test_affected_partitions_prefer_partition_date_then_any_all_date_column():
    rows = (
        {"partition_date": "2026-11-29", "row_count": 0},
        {"partition_date": "2026-11-27", "row_count": 3},
    )
    assert affected_partitions(rows) == ("2026-11-27", "2026-11-29")
    assert affected_partitions(({"customer_id": None, "loaded": "2026-11-30T02:00:00"},)) == ("2026-11-30",)
    assert affected_partitions(({"customer_id": None},)) == ()


def test_row_count_failures_say_drop_or_spike_from_failure_reason():
    from types import SimpleNamespace

    failure = SimpleNamespace(test_name="row_count_within_history", cause="volume_drop")
    assert refined_cause(failure, ({"failure_reason": "volume_spike"},)) == "volume_spike"
    assert refined_cause(failure, ({"failure_reason": "missing_partition"},)) == "missing_partition"
    assert refined_cause(
        failure, ({"failure_reason": "volume_drop"}, {"failure_reason": "volume_spike"})
    ) == ("volume_drop")


def test_partition_query_for_not_null_and_accepted_values_escapes_values():
    tested = parse_node(
        f"model.{PROJECT}.events",
        {**model("events"), "columns": {"event_date": {"name": "event_date", "data_type": "date"}}},
    )
    not_null = parse_node(f"test.{PROJECT}.nn", data_test("nn", "not_null", "events", "customer_id"))
    assert partition_query(not_null, tested) == (
        'select event_date as partition_date, count(*) as failing_rows from "warehouse"."main"."events" '
        "where customer_id is null group by event_date order by event_date"
    )
    body = data_test("av", "accepted_values", "events", "status")
    body["test_metadata"]["kwargs"]["values"] = ["placed", "it's"]
    sql = partition_query(parse_node(f"test.{PROJECT}.av", body), tested)
    assert "not in ('placed', 'it''s')" in sql
    relationships = parse_node(
        f"test.{PROJECT}.rel", data_test("rel", "relationships", "events", "customer_id")
    )
    assert partition_query(relationships, tested) is None


@pytest.mark.dbt
def test_failing_rows_of_the_null_spike_name_the_latest_partition(scenario_build, monkeypatch):
    build = scenario_build("null_spike")
    monkeypatch.setenv("DBT_INCIDENT_DUCKDB_PATH", str(build.warehouse.duckdb_path))
    for name, value in build.warehouse.environment().items():
        if name.startswith(("DBT_INCIDENT_", "POSTGRES_", "BIGQUERY_")):
            monkeypatch.setenv(name, value)
    outcome = CliRunner().invoke(
        cli,
        [
            "triage",
            "--project-dir",
            str(INTEGRATION_DIR),
            "--target-path",
            str(build.target_path),
            "--no-changes",
            "--failing-rows",
            "--profiles-dir",
            str(INTEGRATION_DIR),
            "--vars",
            json.dumps(build.variables),
            "--format",
            "json",
        ],
    )
    assert outcome.exit_code == 1, outcome.output
    document = json.loads(outcome.stdout)
    not_null = next(f for f in document["failures"] if f["test_name"] == "not_null")
    assert not_null["affected_partitions"] == ["2026-11-30"]
    assert not_null["failing_rows"] and all(row["customer_id"] is None for row in not_null["failing_rows"])
    assert "compiled test query" in not_null["failing_rows_origin"]
    assert document["warnings"] == []
