"""Classify a failed node: its `kind` (what sort of failure) and `cause` (why), with the rule that decided.

Structured fields decide first (status, resource type, `test_metadata.name`, freshness status); message
patterns of the common adapters (BigQuery, Snowflake, PostgreSQL, DuckDB, Databricks/Spark) decide the rest.
The rules are data: `MESSAGE_RULES` is the one readable table, checked top to bottom.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from dbt_incident.artifacts.types import Node, Result, Status


class Kind(str, Enum):
    """What sort of failure a root is."""

    COMPILATION_ERROR = "compilation_error"
    DATABASE_ERROR = "database_error"
    TEST_FAILURE = "test_failure"
    STALE_SOURCE = "stale_source"
    RUNTIME_ERROR = "runtime_error"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Classification:
    """`kind`, `cause` and the rule (in words) that decided them."""

    kind: Kind
    cause: str
    rule: str


@dataclass(frozen=True)
class MessageRule:
    """A message pattern (case-insensitive regex) and the cause it means; `adapters` is documentation."""

    cause: str
    pattern: str
    adapters: str


# Checked top to bottom; the first match wins, so specific causes come before general ones.
MESSAGE_RULES: tuple[MessageRule, ...] = (
    MessageRule("partition_filter_required", r"without a filter over column\(s\)", "BigQuery"),
    MessageRule(
        "bytes_billed_limit", r"exceeded limit for bytes billed|bytesBilledLimitExceeded", "BigQuery"
    ),
    MessageRule(
        "quota_exceeded",
        r"quota exceeded|rateLimitExceeded|too many (concurrent )?(queries|requests)",
        "BigQuery, Snowflake",
    ),
    MessageRule(
        "resources_exceeded",
        r"resources exceeded|out of memory|memory limit|OutOfMemory|could not allocate|"
        r"disk (is )?full|No space left",
        "BigQuery, DuckDB, PostgreSQL, Spark",
    ),
    MessageRule(
        "timeout",
        r"timed? ?out|timeout|statement timeout|canceling statement due to|query exceeded.*time|"
        r"exceeded the maximum execution time|job execution was cancelled",
        "all",
    ),
    MessageRule(
        "undefined_macro",
        r"'[\w.]+' is undefined|macro '?[\w.]+'? (is )?not found|no macro named|"
        r"Could not find a macro|is not a valid macro",
        "dbt (Jinja)",
    ),
    MessageRule(
        "missing_ref",
        r"depends on a (node|source) named .* which (was not found|is disabled)|"
        r"Model '.*' \(.*\) depends on",
        "dbt (parsing)",
    ),
    MessageRule(
        "missing_column",
        r"Unrecognized name|column \"?[\w.]+\"? does not exist|Referenced column .* not found|"
        r"invalid identifier|UNRESOLVED_COLUMN|cannot resolve .*column|Name [\w.]+ not found inside|"
        r"column .* (is )?not found|No such column|Binder Error: .*column",
        "BigQuery, PostgreSQL, DuckDB, Snowflake, Spark",
    ),
    MessageRule(
        "missing_relation",
        r"Not found: (Table|Dataset|View)|relation \"?[\w.\"]+\"? does not exist|"
        r"Table with name .* does not exist|Catalog Error: (Table|View)|"
        r"Object '.*' does not exist|TABLE_OR_VIEW_NOT_FOUND|Table or view not found|"
        r"schema \"?\w+\"? does not exist",
        "BigQuery, PostgreSQL, DuckDB, Snowflake, Spark",
    ),
    MessageRule(
        "permission_denied",
        r"access denied|permission denied|insufficient privileges|not authori[sz]ed|"
        r"PERMISSION_DENIED|does not have .*permission|must be owner of",
        "all",
    ),
    MessageRule(
        "duplicate_merge_key",
        r"MERGE must match at most one source row|Duplicate row detected during DML|"
        r"duplicate key value violates unique constraint|Constraint Error: Duplicate key",
        "BigQuery, Snowflake, PostgreSQL, DuckDB",
    ),
    MessageRule(
        "type_mismatch",
        r"No matching signature|Could not cast|invalid input syntax for type|Conversion Error|"
        r"is not recognized|cannot be cast|Bad (int64|double|numeric) value|"
        r"operator does not exist|Invalid cast",
        "all",
    ),
    MessageRule("division_by_zero", r"division by zero|divide by zero", "all"),
    MessageRule(
        "syntax_error",
        r"syntax error|Parser Error|ParseException|mismatched input|unexpected '|Expected end of input",
        "all",
    ),
    MessageRule(
        "contract_violation", r"contract.*(violat|mismatch)|This model has an enforced contract", "dbt"
    ),
    MessageRule(
        "connection_error",
        r"server closed the connection|could not connect|connection refused|Connection reset|"
        r"could not translate host|SSL SYSCALL error|Failed to connect",
        "all",
    ),
)
# Causes that only the warehouse reports (as opposed to dbt's own Jinja or parsing).
WAREHOUSE_CAUSES = frozenset(
    {
        "partition_filter_required",
        "bytes_billed_limit",
        "quota_exceeded",
        "resources_exceeded",
        "timeout",
        "permission_denied",
        "missing_column",
        "missing_relation",
        "duplicate_merge_key",
        "type_mismatch",
        "division_by_zero",
        "syntax_error",
        "connection_error",
    }
)
_COMPILED_RULES = tuple((rule, re.compile(rule.pattern, re.IGNORECASE)) for rule in MESSAGE_RULES)

# This package's generic tests and the cause a failure of each means (issue: generic tests).
PACKAGE_TEST_CAUSES = {
    "row_count_within_history": "volume_drop",
    "partitions_complete": "missing_partition",
    "null_proportion_at_most": "null_spike",
    "fresh_within": "stale_data",
    "distinct_values_within_history": "new_values",
    "schema_unchanged": "schema_change",
}
STANDARD_TEST_CAUSES = {"not_null", "unique", "accepted_values", "relationships"}
# Generic tests of other packages whose meaning is one of ours (dbt_utils, dbt_expectations, elementary).
EQUIVALENT_TEST_CAUSES = {
    "unique_combination_of_columns": "unique",
    "not_null_proportion": "null_spike",
    "expect_column_values_to_not_be_null": "not_null",
    "expect_column_values_to_be_unique": "unique",
    "expect_column_values_to_be_in_set": "accepted_values",
    "recency": "stale_data",
    "expect_row_values_to_have_recent_data": "stale_data",
    "expect_table_row_count_to_be_between": "volume_drop",
    "volume_anomalies": "volume_drop",
    "freshness_anomalies": "stale_data",
    "schema_changes": "schema_change",
}


def message_cause(message: str | None) -> MessageRule | None:
    """The first `MESSAGE_RULES` entry whose pattern matches the message, or None."""
    if not message:
        return None
    for rule, pattern in _COMPILED_RULES:
        if pattern.search(message):
            return rule
    return None


def message_kind(message: str | None) -> Kind | None:
    """The kind dbt names at the start of its error messages ("Compilation Error in model ...")."""
    if not message:
        return None
    head = message.lstrip()[:200].lower()
    if head.startswith(("compilation error", "parsing error")) or "compilation error in" in head:
        return Kind.COMPILATION_ERROR
    if head.startswith("database error") or "database error in" in head:
        return Kind.DATABASE_ERROR
    if head.startswith("runtime error") or "runtime error in" in head:
        return Kind.RUNTIME_ERROR
    return None


def test_cause(node: Node | None, unique_id: str) -> tuple[str, str]:
    """The cause of a failing data test from `test_metadata.name`, and the test's name.

    Singular tests (no `test_metadata`) are `custom`; unknown generic tests are `custom` too, but keep
    their name. Without a manifest node the name is guessed from the unique_id (`not_null_orders_id`).
    """
    if node is not None and node.resource_type == "unit_test":
        return "unit_test", node.name
    if node is not None and node.test_metadata is not None:
        name = node.test_metadata.name
    elif node is not None:
        return "custom", node.name
    else:
        short_name = unique_id.split(".")[2] if unique_id.count(".") >= 2 else unique_id
        name = next(
            (
                known
                for known in (*STANDARD_TEST_CAUSES, *PACKAGE_TEST_CAUSES)
                if short_name.startswith(known)
            ),
            short_name,
        )
        if unique_id.startswith("unit_test."):
            return "unit_test", short_name
    if name in STANDARD_TEST_CAUSES:
        return name, name
    if name in PACKAGE_TEST_CAUSES:
        return PACKAGE_TEST_CAUSES[name], name
    return EQUIVALENT_TEST_CAUSES.get(name, "custom"), name


def classify_result(result: Result, node: Node | None) -> Classification:
    """Classify one failed result (status error, fail, warn, runtime error, partial success, unknown).

    Order: a failing test (status fail/warn) is a test failure whose cause is the test type; then dbt's
    own message prefix decides the kind and `MESSAGE_RULES` the cause; unmatched errors keep kind from
    the status and cause `unknown`.
    """
    resource_type = node.resource_type if node is not None else result.resource_type
    is_test = resource_type in ("test", "unit_test")
    if is_test and result.status in (Status.FAIL, Status.WARN):
        cause, test_name = test_cause(node, result.unique_id)
        return Classification(
            Kind.TEST_FAILURE, cause, f"status {result.status.value} on {resource_type} {test_name}"
        )
    kind = message_kind(result.message)
    rule = message_cause(result.message)
    if result.status is Status.PARTIAL_SUCCESS:
        return Classification(
            kind or Kind.RUNTIME_ERROR,
            rule.cause if rule else "partial_success",
            "status partial success: some batches failed"
            + (f"; message matches {rule.cause}" if rule else ""),
        )
    if kind is None:
        if rule is not None:
            kind = (
                Kind.COMPILATION_ERROR
                if rule.cause in ("undefined_macro", "missing_ref")
                else Kind.DATABASE_ERROR
            )
        elif result.status is Status.RUNTIME_ERROR:
            kind = Kind.RUNTIME_ERROR
        else:
            kind = Kind.UNKNOWN
    if rule is not None and kind is Kind.RUNTIME_ERROR and rule.cause in WAREHOUSE_CAUSES:
        # dbt-duckdb (and some other adapters) raise the warehouse's own errors as "Runtime Error".
        return Classification(
            Kind.DATABASE_ERROR,
            rule.cause,
            f"message matches the {rule.cause} pattern ({rule.adapters}); reported by the adapter as a "
            "Runtime Error, which is how dbt-duckdb raises warehouse errors",
        )
    if rule is not None:
        return Classification(kind, rule.cause, f"message matches the {rule.cause} pattern ({rule.adapters})")
    if kind is Kind.COMPILATION_ERROR:
        return Classification(
            kind, "compilation", "message starts with 'Compilation Error'; no narrower pattern"
        )
    return Classification(kind, "unknown", f"status {result.status.value}; no message pattern matched")


def classify_freshness(status: str) -> Classification:
    """A source whose `dbt source freshness` status is warn or error is a stale source."""
    return Classification(Kind.STALE_SOURCE, "freshness", f"source freshness status {status}")
