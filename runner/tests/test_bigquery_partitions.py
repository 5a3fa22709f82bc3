"""BigQuery partition-aware diagnostics on the local emulator: row history from INFORMATION_SCHEMA.PARTITIONS,
ingestion-time pseudo-columns, and literal filters on the raw partition column.

Executed on the emulator (one `dbt compile` and one `dbt show`, never concurrently): `partition_row_history` on
a table partitioned by the requested DATE column (with `require_partition_filter`) reads its counts from
`INFORMATION_SCHEMA.PARTITIONS` (a null partition, `__NULL__`, left out) and returns the same counts as the
counted scans it replaces (a view over the table, and a `where` filter, both fall back to the scan); an
ingestion-time partitioned table is counted on `_PARTITIONDATE`.

Compiled for the `bigquery` target and parsed with sqlglot (read="bigquery") only: the literal-filter rule
(the emulator does not enforce `require_partition_filter`), and the other diagnostics on `_PARTITIONDATE` /
`_PARTITIONTIME`. Not reachable on the emulator at all: the metadata path for ingestion-time tables (the
emulator drops their partitioning from tables.get and files their rows under `__NULL__`), so such tables take
the counted scan here.
"""

from __future__ import annotations

import datetime
import os

import pytest
from bigquery_sql import (
    EMULATOR_PROJECT,
    SPLIT_MARKER,
    compiled_inline,
    emulator_dataset,
    parse_bigquery,
    partition_filters,
)
from dbt_harness import Warehouse
from sqlglot import exp

pytestmark = [pytest.mark.dbt, pytest.mark.bigquery]
DATASET = f"dbt_incident_bq_partitions_{os.getpid()}"
AS_OF = "2026-11-30"
# Rows per day of the partitioned table: 11-27 has none (a missing partition), one row has a null date.
ROWS_PER_DAY = {
    "2026-11-24": 3,
    "2026-11-25": 4,
    "2026-11-26": 2,
    "2026-11-28": 5,
    "2026-11-29": 1,
    "2026-11-30": 6,
}


def _relation(identifier: str) -> str:
    return (
        f"api.Relation.create(database='{EMULATOR_PROJECT}', schema='{DATASET}', identifier='{identifier}')"
    )


def _call(macro: str, identifier: str, *positional: str, **arguments: object) -> str:
    """`dbt_incident.<macro>(<relation>, <positional>..., name=value...)` as Jinja source."""
    values = [_relation(identifier), *(repr(value) for value in positional)]
    values += [f"{name}={value!r}" for name, value in arguments.items()]
    return f"dbt_incident.{macro}({', '.join(values)})"


def _history(identifier: str, column: str, **arguments: object) -> str:
    return _call(
        "partition_row_history",
        identifier,
        column,
        **{"days": 4, "baseline_days": 3, "as_of": AS_OF, **arguments},
    )


WINDOW = {"days": 4, "as_of": AS_OF}
# name -> (Jinja call, the partition column its WHERE clauses must compare raw with literals).
CALLS = {
    "metadata": (_history("by_day", "event_date"), "event_date"),
    "metadata_weekly": (
        _history("by_day", "event_date", granularity="week", days=1, baseline_days=1),
        "event_date",
    ),
    "view_scan": (_history("by_day_view", "event_date"), "event_date"),
    "other_column_scan": (_history("by_day", "loaded_on"), "loaded_on"),
    "where_scan": (_history("by_day", "event_date", where="amount >= 0"), "event_date"),
    "ingestion_time": (_history("by_ingestion", "_PARTITIONDATE"), "_PARTITIONDATE"),
    "null_counts": (_call("null_counts", "by_day", partition_column="event_date", **WINDOW), "event_date"),
    # incident_profile's one window scan (per day: rows and non-null counts of every column).
    "partition_scan": (
        f"dbt_incident._partition_scan({_relation('by_day')},"
        f" dbt_incident._find_column('t', 'c', {_relation('by_day')}, 'event_date'),"
        f" dbt_incident._find_columns('t', 'c', {_relation('by_day')}, none),"
        " modules.datetime.date(2026, 11, 24), modules.datetime.date(2026, 12, 1), none)",
        "event_date",
    ),
    "distinct_profile": (
        _call("distinct_profile", "by_day", ["amount"], partition_column="event_date", **WINDOW),
        "event_date",
    ),
    "freshness": (
        _call("freshness", "by_day", "event_date", partition_column="event_date", **WINDOW),
        "event_date",
    ),
    "ingestion_null_counts": (
        _call("null_counts", "by_ingestion", partition_column="_PARTITIONDATE", **WINDOW),
        "_PARTITIONDATE",
    ),
    "ingestion_freshness": (
        _call("freshness", "by_ingestion", "_PARTITIONTIME", partition_column="_PARTITIONTIME", **WINDOW),
        "_PARTITIONTIME",
    ),
}
ROW_HISTORY = {
    name for name in CALLS if name == "metadata" or name.endswith(("_scan", "_weekly", "ingestion_time"))
}


@pytest.fixture(scope="module")
def partitioned_dataset():  # type: ignore[no-untyped-def]
    values = ", ".join(
        f"({index * 100 + number}, date '{day}', date '{day}', {number})"
        for index, (day, count) in enumerate(ROWS_PER_DAY.items())
        for number in range(count)
    )
    with emulator_dataset(
        DATASET,
        [
            f"create or replace table `{DATASET}`.by_day (event_id int64, event_date date, loaded_on date,"
            " amount int64) partition by event_date options (require_partition_filter = true)",
            f"insert into `{DATASET}`.by_day values {values}, (9999, null, date '2026-11-30', 1)",
            f"create or replace view `{DATASET}`.by_day_view as select * from `{DATASET}`.by_day",
            f"create or replace table `{DATASET}`.by_ingestion (event_id int64) partition by _PARTITIONDATE",
            f"insert into `{DATASET}`.by_ingestion (event_id) values (1), (2)",
        ],
    ):
        yield


def test_diagnostics_compile_for_bigquery_with_literal_filters_on_the_raw_partition_column(
    partitioned_dataset, tmp_path
):
    """Compiled against the emulator and parsed with sqlglot (read="bigquery"): every WHERE comparison on the
    partition column is `column <op> literal` (no cast or function around it), which is what lets BigQuery
    prune and what a `require_partition_filter` table demands (the emulator does not enforce that option, so
    this static check is the proof). Row history reads INFORMATION_SCHEMA.PARTITIONS only for a table
    partitioned by the requested column; ingestion-time tables are filtered on the pseudo-columns."""
    warehouse = Warehouse(root=tmp_path, target="bigquery", schema_suffix="partitions")
    compiled = warehouse.dbt(
        "compile",
        "--inline",
        f"\n{SPLIT_MARKER}\n".join("{{ " + call + " }}" for call, _ in CALLS.values()),
        "--output",
        "json",
        timeout=300,
    )
    assert compiled.exit_code == 0, compiled.output[-3000:]
    sql = dict(zip(CALLS, compiled_inline(compiled), strict=True))
    for name, query in sql.items():
        tree = parse_bigquery(query)
        uses_metadata = "INFORMATION_SCHEMA.PARTITIONS" in query
        assert uses_metadata == (name in {"metadata", "metadata_weekly"}), name
        filters = partition_filters(tree, CALLS[name][1])
        if uses_metadata:
            # The counts are literal rows: the table itself is not read at all (0 bytes).
            assert not [table for table in tree.find_all(exp.Table) if table.name.startswith("by_")], name
            assert filters == [], name
        elif name in ROW_HISTORY:
            bounds = {type(node).__name__: node.expression.sql("bigquery") for node in filters}
            assert bounds == {"GTE": "CAST('2026-11-24' AS DATE)", "LT": "CAST('2026-12-01' AS DATE)"}, name
        else:
            assert filters, f"{name}: no filter on the partition column:\n{query}"
    # The day counts are inlined from metadata; 11-27 (no partition) is absent, the null partition skipped.
    assert "(date '2026-11-28', 5)" in sql["metadata"] and "2026-11-27'," not in sql["metadata"]
    assert "(date '2026-11-23', 15), (date '2026-11-30', 6)" in sql["metadata_weekly"]  # ISO weeks (Monday)
    assert "_PARTITIONTIME >= CAST('2026-11-27 00:00:00' AS TIMESTAMP)" in parse_bigquery(
        sql["ingestion_freshness"]
    ).sql("bigquery")


def test_row_history_from_metadata_equals_the_counted_scan_on_the_emulator(partitioned_dataset, tmp_path):
    warehouse = Warehouse(root=tmp_path, target="bigquery", schema_suffix="partitions")
    union = "\nunion all\n".join(
        f"select '{name}' as path, partition_date, row_count, flag from ({{{{ {CALLS[name][0]} }}}})"
        for name in ("metadata", "view_scan", "where_scan")
    )
    # Ingestion-time rows land in today's partition (UTC): the emulator cannot load a past _PARTITIONTIME.
    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    ingestion = _history("by_ingestion", "_PARTITIONDATE", as_of=today, days=1, baseline_days=0)
    union += f"\nunion all\nselect 'ingestion', partition_date, row_count, flag from ({{{{ {ingestion} }}}})"
    shown = warehouse.dbt("show", "--inline", union, "--limit", "100", "--output", "json", timeout=300)
    assert shown.exit_code == 0, shown.output[-3000:]
    by_path: dict[str, dict[str, tuple[int, str]]] = {}
    for row in shown.json_output()["show"]:
        by_path.setdefault(row["path"], {})[str(row["partition_date"])] = (row["row_count"], row["flag"])
    expected = {
        "2026-11-27": (0, "missing"),
        "2026-11-28": (5, "ok"),
        "2026-11-29": (1, "low"),
        "2026-11-30": (6, "ok"),
    }
    assert by_path["metadata"] == expected
    assert by_path["view_scan"] == expected
    assert by_path["where_scan"] == expected
    assert by_path["ingestion"] == {today: (2, "ok")}


def test_bigquery_leg_gives_up_within_seconds_when_nothing_listens(monkeypatch):
    """The guard in front of every emulator test. dbt-bigquery itself cannot fail fast on a closed port: its
    profile settings (job_retries 0, job_creation_timeout_seconds, job_retry_deadline_seconds, all set in
    integration_tests/profiles.yml) bound query jobs, but the relation-cache listing and tables.get use
    google-cloud-bigquery's default retry (600 s deadline), which no profile setting reaches; measured: `dbt
    show` against a closed port still ran after 5 minutes, and with `--no-populate-cache` failed after 106 s."""
    import time

    import bigquery_sql

    monkeypatch.setenv("DBT_INCIDENT_BIGQUERY", "1")
    monkeypatch.setattr(bigquery_sql, "EMULATOR_ENDPOINT", "http://127.0.0.1:9")
    started = time.monotonic()
    reason = bigquery_sql.bigquery_leg_skip_reason()
    assert time.monotonic() - started < 5
    assert reason == (
        "BigQuery emulator leg: nothing serves http://127.0.0.1:9 (bash scripts/bigquery_emulator.sh start)"
    )
