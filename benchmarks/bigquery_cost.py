"""What each diagnostic reads on BigQuery, from its compiled SQL: metadata only, or which partitions.

BigQuery bills the bytes of the partitions a query scans; a filter on the partition column with literal
bounds prunes the rest (https://cloud.google.com/bigquery/docs/querying-partitioned-tables), and
`INFORMATION_SCHEMA` views are metadata (https://cloud.google.com/bigquery/docs/information-schema-intro).
`scan_profile(sql)` parses one statement with sqlglot's BigQuery dialect and says which of the two it
is; `bigquery_scan_lines(root)` compiles the integration project's diagnostic models and generic tests
against the BigQuery emulator (`scripts/bigquery_emulator.sh`) and tabulates every compiled file.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import sqlglot
from sqlglot import exp

_BOUND_OPERATORS = (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.EQ, exp.Between, exp.In)


@dataclass(frozen=True)
class ScanProfile:
    """What a statement reads: `metadata_only` (INFORMATION_SCHEMA / __TABLES__ alone), the data tables
    it reads, the literal-bounded predicates that prune them, and the tables read with no such filter."""

    metadata_only: bool
    tables: tuple[str, ...]
    bounds: tuple[str, ...]
    unfiltered: tuple[str, ...]

    def summary(self) -> str:
        """One cell of the table: `metadata only`, `partitions <bounds>`, or `FULL SCAN of <tables>`."""
        if self.metadata_only:
            return "metadata only (INFORMATION_SCHEMA)"
        if self.unfiltered:
            return "FULL SCAN of " + ", ".join(self.unfiltered)
        return "partitions where " + "; ".join(self.bounds)


def _is_metadata(table: exp.Table) -> bool:
    text = table.sql(dialect="bigquery").upper()
    return "INFORMATION_SCHEMA" in text or "__TABLES__" in text


def _literal_bound(predicate: exp.Expression) -> bool:
    """A comparison of a column with literals only (dates, timestamps, numbers, strings, casts of them)."""
    if not any(isinstance(node, exp.Column) for node in predicate.walk()):
        return False
    sides = [value for key, value in predicate.args.items() if key != "this" and value is not None]
    operands = [item for side in sides for item in (side if isinstance(side, list) else [side])]
    if isinstance(predicate, (exp.GT, exp.GTE, exp.LT, exp.LTE, exp.EQ)):
        left, right = predicate.this, predicate.expression
        column_side, other = (left, right) if isinstance(left, exp.Column) else (right, left)
        if not isinstance(column_side, exp.Column):
            return False
        operands = [other]
    return all(
        not any(isinstance(node, (exp.Column, exp.Select)) for node in operand.walk()) for operand in operands
    )


def _bounds_above(table: exp.Table) -> list[str]:
    """Literal-bounded WHERE predicates of the SELECT reading `table`, or of the SELECTs wrapping it
    as a derived table (`from (select * from t) where day >= '2026-11-01'` prunes `t` too)."""
    select = table.find_ancestor(exp.Select)
    while select is not None:
        where = select.args.get("where")
        found = [
            predicate.sql(dialect="bigquery")
            for predicate in (where.find_all(*_BOUND_OPERATORS) if where is not None else ())
            if _literal_bound(predicate)
        ]
        if found:
            return found
        parent = select.parent
        if not isinstance(parent, exp.Subquery):
            return []
        select = parent.find_ancestor(exp.Select)
    return []


def scan_profile(sql: str) -> ScanProfile:
    """Classify one compiled statement (BigQuery dialect).

    A data table counts as filtered when the SELECT that reads it directly has, in its WHERE clause, a
    comparison of a column with literal bounds (what prunes partitions when that column is the
    partition column). CTEs and subqueries are followed to the SELECT that names the table.

    Raises:
        sqlglot.errors.ParseError: the SQL is not valid BigQuery SQL.
    """
    tables: list[str] = []
    bounds: list[str] = []
    unfiltered: list[str] = []
    statements = [statement for statement in sqlglot.parse(sql, read="bigquery") if statement is not None]
    cte_names = {cte.alias_or_name for statement in statements for cte in statement.find_all(exp.CTE)}
    metadata = True
    for statement in statements:
        for table in statement.find_all(exp.Table):
            if table.name in cte_names and not table.db:
                continue
            if _is_metadata(table):
                continue
            metadata = False
            name = ".".join(part.sql(dialect="bigquery") for part in table.parts)
            tables.append(name)
            found = _bounds_above(table)
            if found:
                bounds.extend(found)
            else:
                unfiltered.append(name)
    return ScanProfile(
        metadata_only=metadata,
        tables=tuple(dict.fromkeys(tables)),
        bounds=tuple(dict.fromkeys(bounds)),
        unfiltered=tuple(dict.fromkeys(unfiltered)),
    )


def _first_error(output: str) -> str:
    """The most specific error line of a dbt run's output (the line under `Compilation Error in ...`)."""
    lines = [line.strip() for line in output.splitlines()]
    for index, line in enumerate(lines):
        if ("Compilation Error in" in line or "Database Error in" in line) and index + 1 < len(lines):
            return f"{line} {lines[index + 1]}"
    return next((line for line in lines if "Error" in line), "see dbt output")


def _emulator_serving(endpoint: str, project: str) -> bool:
    try:
        with urllib.request.urlopen(
            f"{endpoint}/bigquery/v2/projects/{project}/datasets", timeout=2
        ) as response:
            return response.status == 200
    except OSError:
        return False


def bigquery_scan_lines(root: Path) -> list[str]:
    """Compile the diagnostic models and generic tests on the emulator and tabulate what each reads.

    Returns markdown lines; when the emulator does not serve or dbt cannot compile, one line that says
    the section was not measured and why.
    """
    endpoint = os.environ.get("BIGQUERY_API_ENDPOINT", "http://127.0.0.1:9050")
    project = os.environ.get("BIGQUERY_PROJECT", "dbt-incident-test")
    header = "BigQuery (from compiled SQL, sqlglot read='bigquery'):"
    if not (root / "scripts" / "bigquery_emulator.sh").exists():
        return [f"- {header} not measured: scripts/bigquery_emulator.sh is not there yet."]
    if not _emulator_serving(endpoint, project):
        return [
            f"- {header} not measured: the BigQuery emulator does not serve at {endpoint} "
            "(start it with `bash scripts/bigquery_emulator.sh start`, then rerun)."
        ]
    project_dir = root / "integration_tests"
    with tempfile.TemporaryDirectory(prefix="dbt-incident-bq-compile-") as scratch:
        # A dataset of its own, so the benchmark never touches what the test suite builds. The inputs are
        # built empty (`--empty`): the diagnostics introspect their columns at compile time, and only the
        # compiled SQL is analysed.
        environment = {
            **os.environ,
            "DBT_INCIDENT_TARGET": "bigquery",
            "BIGQUERY_DATASET": os.environ.get("DBT_INCIDENT_BENCH_DATASET", "dbt_incident_bench"),
        }
        dbt = str(Path(sys.executable).with_name("dbt"))
        common = [
            "--project-dir", str(project_dir), "--profiles-dir", str(project_dir),
            "--target-path", f"{scratch}/target", "--log-path", f"{scratch}/logs",
        ]  # fmt: skip
        diagnostics = ["path:models/diagnostics/test_*", "path:models/generic_tests"]
        inputs = [dbt, "build", "--empty", *common, "--select", *(f"+{item}" for item in diagnostics)]
        inputs += ["--exclude", *diagnostics]
        subprocess.run(inputs, env=environment, capture_output=True, text=True, timeout=900)
        compile_command = [dbt, "compile", *common, "--select", *diagnostics]
        completed = subprocess.run(
            compile_command, env=environment, capture_output=True, text=True, timeout=900
        )
        base = Path(scratch, "target", "compiled")
        compiled = sorted(
            path
            for path in base.rglob("*.sql")
            if (path.parent.name == "diagnostics" and path.name.startswith("test_"))
            or (path.parent.name.endswith(".yml") and "generic_tests" in path.parts)
        )
        if not compiled:
            reason = _first_error(completed.stdout)
            return [f"- {header} not measured: `dbt compile --target bigquery` compiled nothing: {reason}"]
        lines = [header, "", "| compiled diagnostic or test | reads |", "|---|---|"]
        for path in compiled:
            try:
                summary = scan_profile(path.read_text()).summary()
            except sqlglot.errors.ParseError as error:
                summary = f"not parsed: {str(error).splitlines()[0]}"
            lines.append(f"| `{path.name}` | {summary} |")
        full = sum("FULL SCAN" in line for line in lines)
        lines += ["", f"{full} of {len(compiled)} compiled diagnostics and tests scan a whole table."]
        if completed.returncode != 0:
            lines.append(
                "(`dbt compile` on the emulator stopped at an error, so only the files above were compiled: "
                + _first_error(completed.stdout)
                + ")"
            )
        return lines
