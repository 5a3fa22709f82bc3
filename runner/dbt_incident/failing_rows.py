"""Read the failing rows of failed data tests from the warehouse, and name the affected partitions.

A test's failing rows come from its `store_failures` table when dbt stored them (the result's
`relation_name`), else from re-running the test's compiled query (`compiled_code` in run_results.json),
through `dbt show --inline` (dbt's programmatic runner): any adapter the project's profile reaches works.
Re-running reads the data as it is now, which the output says.

The partitions are read from the rows' date columns: `partition_date` (this package's generic tests),
else any column whose values are all dates (a row's partition), capped at `MAX_PARTITIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from dbt_incident.artifacts.types import Node
from dbt_incident.errors import DbtIncidentError
from dbt_incident.triage import RootFailure, Triage

MAX_ROWS = 100
MAX_PARTITIONS = 31
_DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}")
_PARTITION_COLUMNS = ("partition_date", "event_date", "date_day", "partition", "date")


@dataclass(frozen=True)
class FailingRows:
    """Up to `MAX_ROWS` failing rows of one test (column name -> value) and where they came from."""

    unique_id: str
    rows: tuple[dict[str, Any], ...]
    origin: str  # "stored failures <relation>" or "re-ran the compiled test query"


def affected_partitions(rows: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    """The distinct partitions (`YYYY-MM-DD`, sorted) named by failing rows; () when none is recognised."""
    if not rows:
        return ()
    columns = list(rows[0])
    preferred = [column for column in _PARTITION_COLUMNS if column in columns]
    candidates = preferred or [column for column in columns if all(_as_date(row.get(column)) for row in rows)]
    if not candidates:
        return ()
    dates = {_as_date(row.get(candidates[0])) for row in rows}
    return tuple(sorted(value for value in dates if value))[:MAX_PARTITIONS]


def refined_cause(failure: RootFailure, rows: tuple[dict[str, Any], ...]) -> str:
    """This package's tests say in `failure_reason` which way a partition was off: volume_spike vs drop."""
    reasons = {str(row.get("failure_reason")) for row in rows if row.get("failure_reason")}
    if failure.test_name == "row_count_within_history" and reasons:
        if reasons <= {"volume_spike"}:
            return "volume_spike"
        if reasons <= {"missing_partition"}:
            return "missing_partition"
        return "volume_drop"
    return failure.cause


def partition_query(test: Node | None, tested: Node | None) -> str | None:
    """SQL counting the failing rows per partition for dbt's not_null, unique and accepted_values tests,
    whose own failing rows carry no date: `select <partition column> as partition_date, count(*) ...`.

    The partition column comes from `next_steps.partition_column_of` (the model's `partition_by`, else a
    documented date column). None when the test is another kind or no partition column is known.
    """
    from dbt_incident.next_steps import partition_column_of

    if test is None or test.test_metadata is None or tested is None or not tested.relation_name:
        return None
    column = test.column_name or test.test_metadata.kwargs.get("column_name")
    partition = partition_column_of(tested, test)
    if not isinstance(column, str) or not column or not partition:
        return None
    name, relation = test.test_metadata.name, tested.relation_name
    if name == "not_null":
        condition = f"{column} is null"
    elif name == "accepted_values":
        values = test.test_metadata.kwargs.get("values")
        if not isinstance(values, list) or not values:
            return None
        literals = ", ".join("'" + str(value).replace("'", "''") + "'" for value in values)
        condition = f"{column} is not null and cast({column} as varchar) not in ({literals})"
    elif name == "unique":
        condition = f"{column} in (select {column} from {relation} group by {column} having count(*) > 1)"
    else:
        return None
    return (
        f"select {partition} as partition_date, count(*) as failing_rows from {relation} "
        f"where {condition} group by {partition} order by {partition}"
    )


def read_failing_rows(
    failure: RootFailure,
    compiled_code: str | None,
    *,
    project_dir: str,
    profiles_dir: str | None = None,
    target: str | None = None,
    variables: dict[str, Any] | None = None,
) -> FailingRows | None:
    """Query the warehouse for one failed test's rows (stored failures first, else the compiled query).

    Returns None when the failure is not a data test or there is nothing to run.

    Raises:
        DbtInvocationError: dbt could not run the query (the message carries dbt's error).
    """
    if failure.resource_type != "test" or failure.kind.value != "test_failure":
        return None
    stored = (
        failure.relation_name
        if failure.relation_name and "dbt_test__audit" in failure.relation_name
        else None
    )
    if stored:
        sql, origin = f"select * from {stored}", f"stored failures {stored}"
    elif compiled_code and compiled_code.strip():
        sql, origin = compiled_code.strip().rstrip(";"), "re-ran the compiled test query (data as it is now)"
    else:
        return None
    rows = _show_rows(
        sql,
        MAX_ROWS,
        f"{failure.unique_id}: reading the failing rows",
        project_dir=project_dir,
        profiles_dir=profiles_dir,
        target=target,
        variables=variables,
    )
    return FailingRows(failure.unique_id, rows, origin)


def _show_rows(sql: str, limit: int, what: str, **connection: Any) -> tuple[dict[str, Any], ...]:
    """The rows of `dbt show --inline sql --limit limit` as dicts; raises DbtInvocationError naming `what`."""
    from dbt_incident.dbt_invocation import invoke_dbt
    from dbt_incident.errors import DbtInvocationError

    invocation = invoke_dbt(["show", "--inline", sql, "--limit", str(limit), "--quiet"], **connection)
    if not invocation.success:
        raise DbtInvocationError(f"{what} failed: {invocation.failure_reason()}")
    table = invocation.result.result.results[0].agate_table
    names = list(table.column_names)
    return tuple({name: _plain(value) for name, value in zip(names, row, strict=True)} for row in table.rows)


def with_failing_rows(
    result: Triage,
    compiled_code: dict[str, str | None],
    nodes: Mapping[str, Node] | None = None,
    *,
    project_dir: str,
    profiles_dir: str | None = None,
    target: str | None = None,
    variables: dict[str, Any] | None = None,
) -> Triage:
    """The triage with each failed data test's failing rows, affected partitions and refined cause.

    A test whose rows cannot be read keeps its triage and gets a warning; nothing here fails the triage.
    """
    failures = []
    warnings = list(result.warnings)
    nodes = nodes or {}
    for failure in result.failures:
        try:
            read = read_failing_rows(
                failure,
                compiled_code.get(failure.unique_id),
                project_dir=project_dir,
                profiles_dir=profiles_dir,
                target=target,
                variables=variables,
            )
        except DbtIncidentError as error:
            warnings.append(str(error))
            read = None
        if read is None:
            failures.append(failure)
            continue
        partitions = affected_partitions(read.rows)
        sql = (
            None
            if partitions
            else partition_query(nodes.get(failure.unique_id), nodes.get(failure.tested_node or ""))
        )
        if sql:
            try:
                partitions = affected_partitions(
                    _show_rows(
                        sql,
                        MAX_PARTITIONS,
                        f"{failure.unique_id}: counting failing rows per partition",
                        project_dir=project_dir,
                        profiles_dir=profiles_dir,
                        target=target,
                        variables=variables,
                    )
                )
            except DbtIncidentError as error:
                warnings.append(str(error))
        failures.append(
            replace(
                failure,
                failing_rows=read.rows[:20],
                failing_rows_origin=read.origin,
                affected_partitions=partitions,
                cause=refined_cause(failure, read.rows),
            )
        )
    return replace(result, failures=tuple(failures), warnings=tuple(warnings))


def _as_date(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DATE_TEXT.match(value):
        return value[:10]
    return None


def _plain(value: Any) -> Any:
    """JSON-ready: dates as ISO text, decimals as floats, everything else as is."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return str(value)
