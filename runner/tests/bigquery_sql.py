"""Helpers for the BigQuery legs: is the emulator serving, and static checks of BigQuery SQL with sqlglot.

Where the local emulator differs from BigQuery (region-qualified INFORMATION_SCHEMA.JOBS,
INFORMATION_SCHEMA.COLUMN_FIELD_PATHS, errors outside the time-travel window), a branch is compiled for the
`bigquery` target against the emulator and its SQL parsed with sqlglot's BigQuery dialect instead of run.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request

import sqlglot
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


def compiled_inline(output: str) -> list[str]:
    """The SQL of `dbt compile --inline ... --output json`, split at SPLIT_MARKER comments."""
    match = re.search(r"^\{\s*$.*?^\}\s*$", output, re.MULTILINE | re.DOTALL)
    if not match:
        raise AssertionError(f"no JSON in dbt compile output:\n{output[-3000:]}")
    compiled = json.loads(match.group(0))["compiled"]
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
