"""Classification of root failures: structured fields first, then the message table, per adapter."""

from __future__ import annotations

import pytest

from dbt_incident.artifacts.run_results import normalise_status
from dbt_incident.artifacts.types import Result, Status
from dbt_incident.classification import MESSAGE_RULES, Kind, classify_result, message_cause


def _result(message: str | None, status: str = "error", unique_id: str = "model.shop.orders") -> Result:
    return Result(unique_id, normalise_status(status), status, message, None, 1.0, None, (), {}, None, None)


@pytest.mark.parametrize(
    ("message", "kind", "cause"),
    [
        # BigQuery
        (
            "Database Error in model orders (models/orders.sql)\n  Not found: Table proj:raw.orders was not found in "
            "location US",
            Kind.DATABASE_ERROR,
            "missing_relation",
        ),
        (
            "Database Error in model orders\n  Unrecognized name: amount_usd at [12:5]",
            Kind.DATABASE_ERROR,
            "missing_column",
        ),
        (
            "Database Error in model orders\n  Access Denied: Table proj:raw.orders: User does not have permission to "
            "query table",
            Kind.DATABASE_ERROR,
            "permission_denied",
        ),
        (
            "Database Error in model orders\n  Cannot query over table 'proj.raw.events' without a filter over "
            "column(s) 'event_date' that can be used for partition elimination",
            Kind.DATABASE_ERROR,
            "partition_filter_required",
        ),
        (
            "Database Error in model orders\n  Resources exceeded during query execution: The query could not be "
            "executed in the allotted memory.",
            Kind.DATABASE_ERROR,
            "resources_exceeded",
        ),
        (
            "Database Error in model orders\n  Quota exceeded: Your project exceeded quota for free query bytes "
            "scanned",
            Kind.DATABASE_ERROR,
            "quota_exceeded",
        ),
        (
            "Database Error in model orders\n  Query exceeded limit for bytes billed: 1000000. 20971520 or higher "
            "required.",
            Kind.DATABASE_ERROR,
            "bytes_billed_limit",
        ),
        (
            "Database Error in model orders\n  Job execution was cancelled: Job timed out after 6 hours",
            Kind.DATABASE_ERROR,
            "timeout",
        ),
        (
            'Database Error in model orders\n  Syntax error: Expected end of input but got identifier "bork" at [3:1]',
            Kind.DATABASE_ERROR,
            "syntax_error",
        ),
        # Snowflake
        (
            "Database Error in model orders\n  002003 (42S02): SQL compilation error:\n  Object 'RAW.ORDERS' does not "
            "exist or not authorized.",
            Kind.DATABASE_ERROR,
            "missing_relation",
        ),
        (
            "Database Error in model orders\n  000904 (42000): SQL compilation error: error line 3 at position 4\n  "
            "invalid identifier 'AMOUNT'",
            Kind.DATABASE_ERROR,
            "missing_column",
        ),
        # PostgreSQL
        (
            'Database Error in model orders\n  column "amount" does not exist\n  LINE 3:',
            Kind.DATABASE_ERROR,
            "missing_column",
        ),
        (
            'Database Error in model orders\n  relation "raw.orders" does not exist',
            Kind.DATABASE_ERROR,
            "missing_relation",
        ),
        (
            "Database Error in model orders\n  permission denied for schema raw",
            Kind.DATABASE_ERROR,
            "permission_denied",
        ),
        (
            "Database Error in model orders\n  canceling statement due to statement timeout",
            Kind.DATABASE_ERROR,
            "timeout",
        ),
        # DuckDB (dbt-duckdb raises warehouse errors as Runtime Error)
        (
            "Runtime Error in model orders (models/orders.sql)\n  Catalog Error: Table with name orders does not "
            "exist!",
            Kind.DATABASE_ERROR,
            "missing_relation",
        ),
        (
            'Runtime Error in model orders\n  Parser Error: syntax error at or near "form"',
            Kind.DATABASE_ERROR,
            "syntax_error",
        ),
        # dbt itself
        (
            "Compilation Error in model fct_reviews (models/fct_reviews.sql)\n  'dbt_utils' is undefined.",
            Kind.COMPILATION_ERROR,
            "undefined_macro",
        ),
        (
            "Compilation Error\n  Model 'model.shop.orders' (models/orders.sql) depends on a node named 'stg_x' "
            "which was not found",
            Kind.COMPILATION_ERROR,
            "missing_ref",
        ),
        (
            "Compilation Error in model orders\n  something dbt-incident has never seen",
            Kind.COMPILATION_ERROR,
            "compilation",
        ),
        ("an error no rule knows", Kind.UNKNOWN, "unknown"),
    ],
)
def test_error_messages_of_each_adapter_get_their_kind_and_cause(message, kind, cause):
    classification = classify_result(_result(message), None)
    assert (classification.kind, classification.cause) == (kind, cause)
    assert classification.rule


def test_a_failing_test_is_classified_by_its_test_type_before_its_message():
    classification = classify_result(
        _result("Got 3 results, configured to fail if != 0", "fail", "test.shop.not_null_orders_id.abc"), None
    )
    assert (classification.kind, classification.cause) == (Kind.TEST_FAILURE, "not_null")


def test_runtime_error_status_without_a_known_message_is_a_runtime_error():
    classification = classify_result(_result("boom", "runtime error"), None)
    assert classification.kind is Kind.RUNTIME_ERROR


def test_unknown_and_capitalised_statuses_are_normalised():
    assert normalise_status("Pass") is Status.PASS
    assert normalise_status("partial success") is Status.PARTIAL_SUCCESS
    assert normalise_status("reticulating") is Status.UNKNOWN
    assert normalise_status(None) is Status.UNKNOWN


def test_every_rule_pattern_is_a_valid_case_insensitive_regex_with_a_known_cause():
    assert len({rule.cause for rule in MESSAGE_RULES}) == len(MESSAGE_RULES)
    assert message_cause(None) is None
    assert message_cause("NOT FOUND: TABLE x").cause == "missing_relation"
