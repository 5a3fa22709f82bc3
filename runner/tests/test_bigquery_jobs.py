"""Unit tests of `dbt_incident.bigquery_jobs`: linking failed dbt results to their BigQuery jobs.

The modern `adapter_response` shape used here is the one dbt-bigquery 1.12 wrote against the local BigQuery
emulator (`test_bigquery_emulator.py` checks the same linking on a real run). The public OpenLineage
fixtures were written by dbt 1.3, whose BigQuery `adapter_response` has no `job_id`: they prove that
older artifacts are read without inventing jobs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dbt_incident.artifacts.run_results import load_run_results, parse_run_results
from dbt_incident.bigquery_jobs import (
    BigQueryJob,
    console_url,
    database_error_text,
    format_bytes,
    format_job_line,
    job_from_adapter_response,
    jobs_from_log,
    link_failed_results,
)

PUBLIC = Path("/work/shared/fixtures/public-artifacts")
if not PUBLIC.is_dir():
    PUBLIC = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "public-artifacts"
OPENLINEAGE_RUN_ERROR = (
    PUBLIC / "OpenLineage__OpenLineage__0.20.0__bigquery-run-error-skipped" / "run_results.json"
)
OPENLINEAGE_TEST_FAIL = PUBLIC / "OpenLineage__OpenLineage__0.20.0__bigquery-test-fail" / "run_results.json"

MODERN_RESPONSE = {
    "_message": "CREATE TABLE (1.0 rows, 1.5 GiB processed)",
    "code": "CREATE TABLE",
    "rows_affected": 1,
    "bytes_processed": 1610612736,
    "bytes_billed": 1610612736,
    "location": "US",
    "project_id": "dbt-incident-test",
    "job_id": "05057b9b-5474-45a5-8324-a093ea81244b",
    "slot_ms": 2500,
}

LOG_TEXT = """\
\x1b[0m10:40:11.176974 [debug] [MainThread]: BigQuery adapter: https://console.cloud.google.com/bigquery?project=p&j=bq:US:connection-check&page=queryresults
\x1b[0m10:40:19.538089 [debug] [Thread-1 (]: Began running node model.shop.orders
\x1b[0m10:40:19.653893 [debug] [Thread-1 (]: BigQuery adapter: https://console.cloud.google.com/bigquery?project=p&j=bq:EU:job-orders-1&page=queryresults
\x1b[0m10:40:19.707386 [debug] [Thread-2 (]: Began running node model.shop.customers
\x1b[0m10:40:19.839014 [debug] [Thread-1 (]: BigQuery adapter: https://console.cloud.google.com/bigquery?project=p&j=bq:EU:job-orders-2&page=queryresults
\x1b[0m10:40:19.915825 [error] [Thread-2 (]: https://console.cloud.google.com/bigquery?project=p&j=bq:EU:job-customers&page=queryresults
"""


def _run_results(*results: dict) -> object:
    document = {
        "metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json"},
        "results": list(results),
        "args": {"which": "build"},
    }
    return parse_run_results(document, Path("run_results.json"))


def _result(unique_id: str, status: str, adapter_response: dict, message: str | None = None) -> dict:
    return {
        "unique_id": unique_id,
        "status": status,
        "message": message,
        "adapter_response": adapter_response,
        "timing": [],
        "thread_id": "Thread-1",
        "execution_time": 1.0,
        "failures": None,
    }


def test_job_from_adapter_response_reads_every_bigquery_field():
    job = job_from_adapter_response("model.shop.orders", MODERN_RESPONSE)
    assert job == BigQueryJob(
        unique_id="model.shop.orders",
        job_id="05057b9b-5474-45a5-8324-a093ea81244b",
        location="US",
        project_id="dbt-incident-test",
        bytes_processed=1610612736,
        bytes_billed=1610612736,
        slot_ms=2500,
    )
    assert job.console_url == (
        "https://console.cloud.google.com/bigquery?project=dbt-incident-test"
        "&j=bq:US:05057b9b-5474-45a5-8324-a093ea81244b&page=queryresults"
    )


def test_job_from_adapter_response_is_none_without_job_id():
    assert job_from_adapter_response("model.x", {"_message": "OK", "code": "CREATE VIEW"}) is None
    assert job_from_adapter_response("model.x", {}) is None
    assert job_from_adapter_response("model.x", {"job_id": ""}) is None


def test_console_url_needs_project_and_location():
    assert console_url(None, "US", "abc") is None
    assert console_url("p", None, "abc") is None
    assert console_url("my-proj", "europe-west1", "abc") == (
        "https://console.cloud.google.com/bigquery?project=my-proj&j=bq:europe-west1:abc&page=queryresults"
    )


def test_jobs_from_log_attributes_links_to_the_node_of_their_thread():
    jobs = jobs_from_log(LOG_TEXT)
    assert set(jobs) == {"model.shop.orders", "model.shop.customers"}
    assert [job.job_id for job in jobs["model.shop.orders"]] == ["job-orders-1", "job-orders-2"]
    (customers_job,) = jobs["model.shop.customers"]
    assert (customers_job.location, customers_job.project_id, customers_job.source) == ("EU", "p", "dbt.log")


def test_link_failed_results_uses_adapter_response_then_log_and_skips_passing_nodes():
    run_results = _run_results(
        _result("model.shop.orders", "success", MODERN_RESPONSE),
        _result(
            "model.shop.customers",
            "error",
            {},
            "Database Error in model customers (models/customers.sql)\n"
            "  Access Denied: Table p:raw.customers: User does not have permission\n"
            "  compiled code at target/run/shop/models/customers.sql",
        ),
        _result("test.shop.unique_orders_id", "fail", {**MODERN_RESPONSE, "job_id": "job-test"}),
        _result("model.shop.downstream", "skipped", {}),
    )
    linked = link_failed_results(run_results, LOG_TEXT)
    assert [(job.unique_id, job.job_id, job.source) for job in linked] == [
        ("model.shop.customers", "job-customers", "dbt.log"),
        ("test.shop.unique_orders_id", "job-test", "adapter_response"),
    ]
    assert linked[0].error_message == "Access Denied: Table p:raw.customers: User does not have permission"


def test_link_failed_results_adds_error_and_bytes_from_failed_jobs_rows():
    run_results = _run_results(_result("model.shop.customers", "error", {}, "Database Error\n  boom"))
    rows = [
        {
            "JOB_ID": "job-customers",
            "error_reason": "bytesBilledLimitExceeded",
            "error_message": "Query exceeded limit for bytes billed: 1000000. 20971520 or higher required.",
            "total_bytes_processed": 20971520,
            "total_bytes_billed": None,
            "total_slot_ms": "1200",
        }
    ]
    (job,) = link_failed_results(run_results, LOG_TEXT, rows)
    assert (job.error_reason, job.bytes_processed, job.bytes_billed, job.slot_ms, job.source) == (
        "bytesBilledLimitExceeded",
        20971520,
        None,
        1200,
        "failed_jobs",
    )
    line = format_job_line(job)
    assert line.startswith("model.shop.customers: job bq:EU:job-customers (project p), 20.0 MiB processed")
    assert "error bytesBilledLimitExceeded: Query exceeded limit for bytes billed" in line
    assert line.endswith(
        "-> https://console.cloud.google.com/bigquery?project=p&j=bq:EU:job-customers&page=queryresults"
    )


def test_public_dbt_1_3_bigquery_artifacts_name_no_jobs():
    for path in (OPENLINEAGE_RUN_ERROR, OPENLINEAGE_TEST_FAIL):
        if not path.is_file():
            pytest.skip(f"public fixture {path} is not present")
        run_results = load_run_results(path)
        assert any(result.status.value in ("error", "fail") for result in run_results.results)
        assert link_failed_results(run_results) == []


def test_public_bigquery_error_message_keeps_the_warehouse_words():
    if not OPENLINEAGE_RUN_ERROR.is_file():
        pytest.skip("public fixture is not present")
    run_results = load_run_results(OPENLINEAGE_RUN_ERROR)
    (errored,) = [result for result in run_results.results if result.status.value == "error"]
    text = database_error_text(errored.message or "")
    assert text is not None and text.startswith("Syntax error: Expected end of input")


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 B"), (1023, "1023 B"), (1536, "1.5 KiB"), (1610612736, "1.5 GiB"), (3 * 1024**5, "3072.0 TiB")],
)
def test_format_bytes_uses_binary_units(count, expected):
    assert format_bytes(count) == expected
