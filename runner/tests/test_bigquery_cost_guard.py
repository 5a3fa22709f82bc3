"""The cost guard of incident_profile on BigQuery: the bytes each diagnostic reports, and the refusal of a
diagnostic whose estimate is above the var `dbt_incident_maximum_bytes_billed`.

Executed on the emulator (one `dbt run-operation`): `bigquery___run_diagnostic` runs every section through
`adapter.execute`, reads the estimate from tables.get for the sections whose SQL names the table, and the
JSON document carries `cost` per section. The emulator reports 0 bytes for every job and numBytes 0 for every
table, so the numbers are zeros here and a refusal cannot be provoked by real data; the refusal itself
(`_check_bytes_estimate`) is proven on DuckDB in `test_diagnostic_macros.py` with an estimate passed in.
"""

from __future__ import annotations

import json
import os

import pytest
from bigquery_sql import emulator_dataset
from dbt_harness import Warehouse

from dbt_incident.profile import parse_profile_output

pytestmark = [pytest.mark.dbt, pytest.mark.bigquery]
DATASET = f"dbt_incident_bq_cost_{os.getpid()}"


@pytest.fixture(scope="module")
def cost_dataset():  # type: ignore[no-untyped-def]
    rows = ", ".join(
        f"({day * 10 + number}, date '2026-11-{day:02d}', '{'paid' if number else 'open'}')"
        for day in range(20, 31)
        for number in range(3)
    )
    with emulator_dataset(
        DATASET,
        [
            f"create or replace table `{DATASET}`.orders (order_id int64, order_date date, status string)"
            " partition by order_date",
            f"insert into `{DATASET}`.orders values {rows}",
        ],
    ):
        yield


def _profile_orders(tmp_path, schema_suffix: str, arguments: dict) -> dict:
    """incident_profile (format json) of the orders table over the 3 days ending 2026-11-30, with the var
    dbt_incident_maximum_bytes_billed set; returns the parsed document."""
    warehouse = Warehouse(root=tmp_path, target="bigquery", schema_suffix=schema_suffix)
    arguments = {
        "model": f"{DATASET}.orders",
        "partition_column": "order_date",
        "days": 3,
        "as_of": "2026-11-30",
        "format": "json",
        **arguments,
    }
    run = warehouse.dbt(
        "run-operation",
        "incident_profile",
        "--args",
        json.dumps(arguments),
        variables={"dbt_incident_maximum_bytes_billed": 10_000_000},
        timeout=300,
    )
    assert run.exit_code == 0, run.output[-3000:]
    return parse_profile_output(run.output)


def test_incident_profile_reports_bytes_per_diagnostic_and_checks_the_estimate_on_bigquery(
    cost_dataset, tmp_path
):
    arguments = {
        "baseline_days": 3,
        "critical_columns": ["status"],
        "distinct_columns": ["status"],
        "timestamp_column": "order_date",
    }
    document = _profile_orders(tmp_path, "cost", arguments)
    assert document["maximum_bytes_billed"] == 10_000_000
    assert [row["row_count"] for row in document["row_history"]] == [3, 3, 3]
    cost = document["cost"]
    assert set(cost) == {"row_history", "null_counts", "distinct_profile", "freshness"}
    # The emulator reports 0 bytes processed for every job (real BigQuery: the bytes read).
    assert {section: bytes["bytes_processed"] for section, bytes in cost.items()} == dict.fromkeys(cost, 0)
    # Row history is read from INFORMATION_SCHEMA.PARTITIONS: its SQL does not name the table, no estimate.
    assert cost["row_history"]["bytes_estimate"] is None
    # The others scan the table: estimated from tables.get numBytes (0 on the emulator) times references.
    for section in ("null_counts", "distinct_profile", "freshness"):
        assert cost[section]["bytes_estimate"] == 0, section


def test_incident_profile_reads_the_window_once_on_bigquery(cost_dataset, tmp_path):
    """Without baseline_days the profile runs one partition scan of the window; row history and null counts
    are computed from its rows (literal SQL on BigQuery: unions of one-row selects, no VALUES), so they name no
    table, get no estimate, and the guard applies to the scan."""
    document = _profile_orders(tmp_path, "cost_shared", {"critical_columns": ["status", "order_id"]})
    assert document["row_history_baseline"] == "window"
    history = [
        (row["partition_date"], row["row_count"], row["baseline_partitions"])
        for row in document["row_history"]
    ]
    assert history == [("2026-11-28", 3, 2), ("2026-11-29", 3, 2), ("2026-11-30", 3, 2)]
    nulls = {
        row["column_name"]: (row["row_count"], row["null_count"], row["baseline_row_count"])
        for row in document["null_counts"]
    }
    assert nulls == {"status": (3, 0, 6), "order_id": (3, 0, 6)}
    cost = document["cost"]
    assert set(cost) == {"partition_scan", "row_history", "null_counts"}
    assert cost["partition_scan"]["bytes_estimate"] == 0
    assert cost["row_history"]["bytes_estimate"] is None and cost["null_counts"]["bytes_estimate"] is None
