"""null_counts on BigQuery nested columns: STRUCT fields by field path, REPEATED columns as empty arrays.

Executed on the emulator (one `dbt show`): the field paths come from the table's API schema (tables.get), which
the emulator serves, so `bigquery___nested_columns` and `bigquery___non_null_count` run for real; the emulator
does not serve INFORMATION_SCHEMA.COLUMN_FIELD_PATHS, and the package does not need it. The compiled SQL is
also parsed with sqlglot (read="bigquery") to check the field paths are dotted column references and the
array count is `countif(array_length(...) > 0)`.
"""

from __future__ import annotations

import os

import pytest
from bigquery_sql import (
    EMULATOR_PROJECT,
    emulator_dataset,
    parse_bigquery,
)
from dbt_harness import Warehouse
from sqlglot import exp

pytestmark = [pytest.mark.dbt, pytest.mark.bigquery]
DATASET = f"dbt_incident_bq_nested_{os.getpid()}"


@pytest.fixture(scope="module")
def nested_dataset():  # type: ignore[no-untyped-def]
    # Four rows: a full one, a null customer, a customer whose address city is null, and an empty tags array.
    with emulator_dataset(
        DATASET,
        [
            f"create or replace table `{DATASET}`.customers (customer_id int64,"
            " customer struct<name string, address struct<city string, zip string>>, tags array<string>)",
            f"insert into `{DATASET}`.customers values"
            " (1, struct('ann' as name, struct('Oslo' as city, '0150' as zip) as address), ['vip', 'new']),"
            " (2, null, ['new']),"
            " (3, struct('bo' as name, struct(cast(null as string) as city, '0151' as zip) as address), ['x']),"
            " (4, struct('cy' as name, struct('Bergen' as city, '5003' as zip) as address), [])",
        ],
    ):
        yield


def test_null_counts_profile_struct_fields_by_path_and_empty_arrays_on_bigquery(nested_dataset, tmp_path):
    warehouse = Warehouse(root=tmp_path, target="bigquery", schema_suffix="nested")
    relation = (
        f"api.Relation.create(database='{EMULATOR_PROJECT}', schema='{DATASET}', identifier='customers')"
    )
    call = f"dbt_incident.null_counts({relation})"
    shown = warehouse.dbt(
        "show",
        "--inline",
        f"select column_name, row_count, null_count from ({{{{ {call} }}}})",
        "--limit",
        "100",
        "--output",
        "json",
        timeout=300,
    )
    assert shown.exit_code == 0, shown.output[-3000:]
    nulls = {row["column_name"]: (row["row_count"], row["null_count"]) for row in shown.json_output()["show"]}
    assert nulls == {
        "customer_id": (4, 0),
        "customer": (4, 1),
        # A field of a null STRUCT is null too: row 2 counts for every field path.
        "customer.name": (4, 1),
        "customer.address": (4, 1),
        "customer.address.city": (4, 2),
        "customer.address.zip": (4, 1),
        # REPEATED: BigQuery stores no NULL arrays, the empty array of row 4 is what is counted.
        "tags": (4, 1),
    }
    [compiled] = [path for path in (tmp_path / "target" / "compiled").rglob("*") if path.is_file()]
    tree = parse_bigquery(compiled.read_text())
    counted = {node.this.sql("bigquery") for node in tree.find_all(exp.Count)}
    assert {"`customer`.`address`.`city`", "`customer`.`name`", "`customer`"} <= counted
    [countif] = tree.find_all(exp.CountIf)
    assert isinstance(countif.this, exp.GT) and isinstance(countif.this.this, exp.ArraySize)
    assert countif.this.this.this.name == "tags" and countif.this.expression.name == "0"
