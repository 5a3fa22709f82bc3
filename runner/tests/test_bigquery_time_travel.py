"""`schema_diff_as_of(relation, as_of_time)`: a table's columns now against the same table FOR SYSTEM_TIME AS OF
an earlier time.

Executed on the BigQuery emulator (which serves `FOR SYSTEM_TIME AS OF`, also across `create or replace`, as
BigQuery does): a table replaced with a changed schema is compared with its previous version. The error for a
time outside the time-travel window is raised in Jinja before any query (the emulator would answer with no
rows where BigQuery errors), so it is checked on the emulator target too. The `default__` branch (no time
travel) runs on DuckDB.
"""

from __future__ import annotations

import datetime
import os
import time

import pytest
from bigquery_sql import EMULATOR_PROJECT, emulator_dataset
from dbt_harness import Warehouse, install_package_dependencies

DATASET = f"dbt_incident_bq_time_travel_{os.getpid()}"
RELATION = f"api.Relation.create(database='{EMULATOR_PROJECT}', schema='{DATASET}', identifier='orders')"


def _utc_now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None, microsecond=0)


@pytest.fixture(scope="module")
def replaced_table():  # type: ignore[no-untyped-def]
    """A table replaced with another schema; yields the UTC time (string) between the two versions."""
    with emulator_dataset(
        DATASET,
        [
            f"create or replace table `{DATASET}`.orders (order_id int64, status string, amount int64, note string)",
            f"insert into `{DATASET}`.orders values (1, 'placed', 10, 'a')",
        ],
    ) as client:
        time.sleep(1.5)
        between = _utc_now()
        time.sleep(1.5)
        client.query(
            f"create or replace table `{DATASET}`.orders (order_id int64, amount numeric, status string, channel string)"
        ).result(timeout=60)
        yield between.strftime("%Y-%m-%d %H:%M:%S")


@pytest.mark.dbt
@pytest.mark.bigquery
def test_schema_diff_as_of_compares_a_replaced_table_with_its_previous_version(replaced_table, tmp_path):
    warehouse = Warehouse(root=tmp_path, target="bigquery", schema_suffix="time_travel")
    call = f"{{{{ dbt_incident.schema_diff_as_of({RELATION}, '{replaced_table}') }}}}"
    shown = warehouse.dbt("show", "--inline", call, "--output", "json", timeout=300)
    assert shown.exit_code == 0, shown.output[-3000:]
    changes = {(row["column_name"], row["change_type"]) for row in shown.json_output()["show"]}
    assert changes == {
        ("note", "removed"),
        ("channel", "added"),
        ("amount", "type_changed"),
        ("amount", "moved"),
        ("status", "moved"),
    }
    rows = {row["column_name"]: row for row in shown.json_output()["show"]}
    assert (rows["amount"]["expected_type"], rows["amount"]["actual_type"]) == ("int64", "numeric")

    too_old = (_utc_now() - datetime.timedelta(days=8)).strftime("%Y-%m-%d %H:%M:%S")
    refused = warehouse.dbt(
        "compile",
        "--inline",
        f"{{{{ dbt_incident.schema_diff_as_of({RELATION}, '{too_old}') }}}}",
        timeout=300,
    )
    assert refused.exit_code != 0
    assert (
        f"dbt_incident.schema_diff_as_of: argument 'as_of_time' value '{too_old}' is outside the time-travel"
        " window of" in refused.output
    )
    assert "168 hours (7.0 days)" in refused.output


@pytest.mark.dbt
def test_schema_diff_as_of_says_duckdb_has_no_time_travel(tmp_path):
    install_package_dependencies()
    run = Warehouse(root=tmp_path, target="duckdb").dbt(
        "compile",
        "--inline",
        "{{ dbt_incident.schema_diff_as_of(api.Relation.create(identifier='x'), '2026-11-30 06:00') }}",
        timeout=300,
    )
    assert run.exit_code != 0
    assert (
        "dbt_incident.schema_diff_as_of: needs time travel (BigQuery FOR SYSTEM_TIME AS OF); a duckdb"
        in run.output
    )
