"""Helpers for the BigQuery legs: is the emulator serving, and static checks of BigQuery SQL with sqlglot.

Where the local emulator differs from BigQuery (region-qualified INFORMATION_SCHEMA.JOBS,
INFORMATION_SCHEMA.COLUMN_FIELD_PATHS, errors outside the time-travel window), a branch is compiled for the
`bigquery` target against the emulator and its SQL parsed with sqlglot's BigQuery dialect instead of run.
"""

from __future__ import annotations

import os
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlglot
from dbt_harness import DbtRun, install_package_dependencies
from sqlglot import exp

EMULATOR_ENDPOINT = os.environ.get("BIGQUERY_API_ENDPOINT", "http://127.0.0.1:9050")
EMULATOR_PROJECT = os.environ.get("BIGQUERY_PROJECT", "dbt-incident-test")
SPLIT_MARKER = "-- dbt_incident_split --"


def emulator_serving() -> bool:
    """True when the BigQuery emulator answers a datasets.list call within 3 seconds."""
    url = f"{EMULATOR_ENDPOINT}/bigquery/v2/projects/{EMULATOR_PROJECT}/datasets"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def bigquery_leg_skip_reason() -> str | None:
    """Why the emulator leg cannot run here, or None when it can (DBT_INCIDENT_BIGQUERY=1 and serving)."""
    if os.environ.get("DBT_INCIDENT_BIGQUERY") != "1":
        return "BigQuery emulator leg: set DBT_INCIDENT_BIGQUERY=1 after `bash scripts/bigquery_emulator.sh start`"
    if not emulator_serving():
        return f"BigQuery emulator leg: nothing serves {EMULATOR_ENDPOINT} (bash scripts/bigquery_emulator.sh start)"
    return None


def compiled_inline(run: DbtRun) -> list[str]:
    """The SQL of `dbt compile --inline ... --output json`, split at SPLIT_MARKER comments."""
    compiled = run.json_output()["compiled"]
    return [part.strip() for part in compiled.split(SPLIT_MARKER) if part.strip()]


def parse_bigquery(sql: str) -> exp.Expression:
    """Parse one statement with sqlglot's BigQuery dialect (raises sqlglot.errors.ParseError)."""
    return sqlglot.parse_one(sql, read="bigquery")


def _is_literal(node: exp.Expression) -> bool:
    if isinstance(node, exp.Literal):
        return True
    if isinstance(node, (exp.Cast, exp.TryCast)):
        return isinstance(node.this, exp.Literal)
    return False


def partition_filters(tree: exp.Expression, column: str) -> list[exp.Expression]:
    """Every comparison in a WHERE clause that involves `column`; asserts each is `column <op> literal`.

    Fails (AssertionError) when the column sits inside a function or cast in a WHERE clause (which defeats
    pruning and fails `require_partition_filter`), or is compared with something other than a literal.
    """
    found: list[exp.Expression] = []
    for where in tree.find_all(exp.Where):
        for node in where.find_all(exp.Column):
            if node.name.lower() != column.lower():
                continue
            parent = node.parent
            assert isinstance(parent, (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.EQ)), (
                f"partition column {column} is wrapped in {type(parent).__name__}: {parent.sql('bigquery')}"
            )
            other = parent.expression if parent.this is node else parent.this
            assert _is_literal(other), f"{column} compared with a non-literal: {parent.sql('bigquery')}"
            found.append(parent)
    return found


def emulator_client():  # type: ignore[no-untyped-def]
    """A google-cloud-bigquery client for the emulator (anonymous credentials), to set up test tables."""
    from google.api_core.client_options import ClientOptions
    from google.auth.credentials import AnonymousCredentials
    from google.cloud import bigquery

    return bigquery.Client(
        project=EMULATOR_PROJECT,
        credentials=AnonymousCredentials(),
        client_options=ClientOptions(api_endpoint=EMULATOR_ENDPOINT),
    )


@contextmanager
def emulator_dataset(dataset: str, statements: Iterable[str]) -> Iterator[Any]:
    """A BigQuery dataset of its own on the emulator, for a module fixture: skips unless the emulator leg runs,
    installs the package, creates `dataset`, runs `statements` (each within 60 s), gives the client, and drops
    the dataset with everything in it on exit."""
    reason = bigquery_leg_skip_reason()
    if reason:
        pytest.skip(reason)
    install_package_dependencies()
    client = emulator_client()
    for statement in [f"create schema if not exists `{dataset}`", *statements]:
        client.query(statement).result(timeout=60)
    try:
        yield client
    finally:
        client.query(f"drop schema if exists `{dataset}` cascade").result(timeout=60)
