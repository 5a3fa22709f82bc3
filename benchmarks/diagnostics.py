"""Benchmark: the cost of incident_profile's diagnostics on a large DuckDB table (issue 3, performance).

`python benchmarks/diagnostics.py [--rows N]` builds (once, cached under benchmarks/.data/) a DuckDB table of
N rows (default 50 million) x 20 columns over 60 days, asks the dbt package for the exact SQL that
`incident_profile` runs (`format: sql`, through `dbt run-operation` on integration_tests/), then times, side by
side, on the 7 days ending 2026-11-30:

- row history + null counts of incident_profile (2 queries, all 20 columns);
- the floor: one query reading the same 20 columns of the same 7 days once (`count(c01), ..., count(c20)`);
- the naive approach: one null-count query per column plus one row-count-per-day query;
- the distinct profile of incident_profile (all 20 columns, window and baseline) against one
  value-count query per column.

Each figure is the median of 3 runs (after one warm-up) in seconds. Target: row history + null counts within
1.3x of the floor, and well ahead of the per-column approach.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = Path(__file__).resolve().parent / ".data"
INTEGRATION_DIR = ROOT / "integration_tests"
DEFAULT_ROWS = 50_000_000
COLUMNS = [f"c{index:02d}" for index in range(1, 21)]
AS_OF = "2026-11-30"
DAYS = 60
WINDOW_START = "2026-11-24"
WINDOW_END = "2026-12-01"


def build_table(path: Path, rows: int) -> None:
    """Create main.bench_events: `rows` rows over 60 days ending AS_OF, 20 columns with ~5 % nulls each."""
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".building")
    temporary.unlink(missing_ok=True)
    expressions = []
    for index, name in enumerate(COLUMNS, start=1):
        value = (
            f"((i * {index * 7919}) % {10 ** (2 + index % 4)})"
            if index % 3
            else f"'v' || ((i * {index}) % {5 + index * 3})"
        )
        expressions.append(f"case when hash(i, {index}) % 20 = 0 then null else {value} end as {name}")
    with duckdb.connect(str(temporary)) as connection:
        connection.execute(
            f"""
            create table bench_events as
            select
                cast(date '{AS_OF}' - interval {DAYS - 1} day + to_days(cast(i * {DAYS} // {rows} as integer))
                     as date) as event_date,
                {", ".join(expressions)}
            from range({rows}) as t(i)
            """
        )
    temporary.rename(path)


def profile_sql(path: Path) -> dict[str, str]:
    """The SQL incident_profile runs on the table (section -> SQL), from `format: sql`."""
    arguments = {
        "model": "main.bench_events",
        "partition_column": "event_date",
        "days": 7,
        "as_of": AS_OF,
        "distinct_columns": COLUMNS,
        "format": "sql",
    }
    with tempfile.TemporaryDirectory() as target:
        environment = {
            **os.environ,
            "DBT_PROFILES_DIR": str(INTEGRATION_DIR),
            "DBT_INCIDENT_TARGET": "duckdb",
            "DBT_INCIDENT_DUCKDB_PATH": str(path),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
            "DBT_LOG_PATH": target,
        }
        dbt = str(Path(sys.executable).parent / "dbt")
        completed = subprocess.run(
            [
                dbt,
                "run-operation",
                "incident_profile",
                "--args",
                json.dumps(arguments),
                "--quiet",
                "--target-path",
                target,
            ],
            cwd=INTEGRATION_DIR,
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    if completed.returncode != 0:
        raise RuntimeError(
            f"dbt run-operation incident_profile failed:\n{completed.stdout}\n{completed.stderr}"
        )
    pattern = re.compile(
        r"-- dbt_incident:profile:sql:(\w+) --\n(.*?)\n-- dbt_incident:profile:sql:end --", re.S
    )
    return dict(pattern.findall(completed.stdout))


def _timed(connection: duckdb.DuckDBPyConnection, queries: list[str], repeats: int = 3) -> float:
    def once() -> float:
        start = time.perf_counter()
        for query in queries:
            connection.execute(query).fetchall()
        return time.perf_counter() - start

    once()  # warm-up: file pages in the OS cache for every approach alike
    return statistics.median(once() for _ in range(repeats))


def figures(rows: int = DEFAULT_ROWS) -> list[tuple[str, float, str]]:
    """Run the benchmark; return rows (measurement, seconds, note). Builds the cached table when missing."""
    path = DATA_DIR / f"diagnostics_{rows}.duckdb"
    build_table(path, rows)
    sql = profile_sql(path)
    window = f"event_date >= date '{WINDOW_START}' and event_date < date '{WINDOW_END}'"
    baseline = f"event_date >= date '{WINDOW_START}' - interval 28 day and event_date < date '{WINDOW_END}'"
    floor = f"select {', '.join(f'count({c})' for c in COLUMNS)} from bench_events where {window}"
    naive_nulls = [f"select count(*) - count({c}) from bench_events where {window}" for c in COLUMNS]
    naive_history = f"select event_date, count(*) from bench_events where {baseline} group by 1"
    naive_distinct = [
        f"select {c}, count(*) filter (where event_date = date '{AS_OF}'), count(*) from bench_events "
        f"where {window} group by 1"
        for c in COLUMNS
    ]
    with duckdb.connect(str(path), read_only=True) as connection:
        profile = _timed(connection, [sql["row_history"], sql["null_counts"]])
        floor_time = _timed(connection, [floor])
        naive = _timed(connection, [naive_history, *naive_nulls])
        distinct = _timed(connection, [sql["distinct_profile"]])
        naive_distinct_time = _timed(connection, naive_distinct)
    return [
        (
            "incident_profile row history + null counts (7 days, 20 columns)",
            profile,
            f"{profile / floor_time:.2f}x floor",
        ),
        ("floor: one count(c01..c20) query over the same 7 days", floor_time, "1.00x floor"),
        ("naive: one query per column + row history", naive, f"{naive / floor_time:.2f}x floor"),
        ("incident_profile distinct profile (20 columns, window vs baseline)", distinct, ""),
        (
            "naive distinct: one value-count query per column",
            naive_distinct_time,
            f"{naive_distinct_time / distinct:.2f}x ours",
        ),
    ]


def render(rows: list[tuple[str, float, str]], table_rows: int) -> str:
    width = max(len(name) for name, _, _ in rows)
    lines = [f"Diagnostics on DuckDB, {table_rows:,} rows x 20 columns over 60 days (median of 3, seconds)"]
    lines += [f"  {name.ljust(width)}  {seconds:8.3f}s  {note}" for name, seconds, note in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Print the figures side by side. `--rows N` for a smaller table (the cache is per row count)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help="table size (default 50,000,000)")
    arguments = parser.parse_args(argv)
    print(render(figures(arguments.rows), arguments.rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
