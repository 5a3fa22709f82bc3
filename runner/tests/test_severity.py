"""Severity rules (playbook P0-P3) and declared criticality, on small synthetic projects."""

from __future__ import annotations

from artifact_builder import PROJECT, data_test, exposure, model, result, source, write_artifacts

from dbt_incident.artifacts import load_artifacts
from dbt_incident.config import load_project_config
from dbt_incident.severity import Severity
from dbt_incident.triage import triage

STG, FCT, MART = (f"model.{PROJECT}.{name}" for name in ("stg_orders", "fct_orders", "mart_revenue"))


def _project(extra_results=(), exposure_meta=None, fct_meta=None, test_severity="ERROR"):
    nodes = [
        model("stg_orders", [f"source.{PROJECT}.raw.orders"]),
        model("fct_orders", [STG], meta=fct_meta),
        model("mart_revenue", [FCT]),
        model("dim_side"),
        data_test(
            "not_null_fct_orders_customer_id", "not_null", "fct_orders", "customer_id", severity=test_severity
        ),
    ]
    exposures = [exposure("revenue_dashboard", [MART], meta=exposure_meta)]
    return nodes, exposures


def _triage(tmp_path, results, **project):
    nodes, exposures = _project(**project)
    folder = write_artifacts(
        tmp_path / "target", nodes, results, sources=[source("raw", "orders")], exposures=exposures
    )
    return triage(load_artifacts(folder), load_project_config(tmp_path))


def test_model_error_that_leaves_an_exposure_unbuilt_is_p1_partial_outage(tmp_path):
    result_ = _triage(
        tmp_path,
        [
            result(STG, "success"),
            result(
                FCT,
                "error",
                'Database Error in model fct_orders\n  Binder Error: Referenced column "amount" not found',
            ),
            result(MART, "skipped"),
            result(f"test.{PROJECT}.not_null_fct_orders_customer_id", "skipped"),
            result(f"model.{PROJECT}.dim_side", "success"),
        ],
    )
    root = result_.failures[0]
    assert (root.unique_id, root.cause, root.severity) == (FCT, "missing_column", Severity.P1)
    assert root.severity_reason.startswith("exposure_models_unbuilt")
    assert sorted(item.unique_id for item in root.collateral) == sorted(
        [MART, f"test.{PROJECT}.not_null_fct_orders_customer_id"]
    )
    assert [exposure.owner for exposure in root.exposures] == ["Analytics <analytics@example.com>"]
    assert result_.severity is Severity.P1


def test_error_test_failure_feeding_an_exposure_is_p1_and_warn_is_p3(tmp_path):
    test_id = f"test.{PROJECT}.not_null_fct_orders_customer_id"
    failing = _triage(tmp_path / "a", [result(FCT, "success"), result(test_id, "fail", "Got 12 results", 12)])
    assert failing.failures[0].severity is Severity.P1
    assert failing.failures[0].severity_reason.startswith("failing_test_feeds_exposure")
    assert failing.failures[0].failures == 12
    warning = _triage(
        tmp_path / "b",
        [result(FCT, "success"), result(test_id, "warn", "Got 12 results", 12)],
        test_severity="WARN",
    )
    assert warning.failures[0].severity is Severity.P3


def test_a_run_where_nothing_was_built_is_p0(tmp_path):
    result_ = _triage(
        tmp_path,
        [
            result(STG, "error", "Database Error\n  permission denied for schema raw"),
            result(FCT, "skipped"),
            result(MART, "skipped"),
            result(f"model.{PROJECT}.dim_side", "error", "Database Error\n  permission denied"),
        ],
    )
    assert result_.severity is Severity.P0
    assert result_.severity_reason.startswith("nothing_built")
    assert {failure.cause for failure in result_.failures} == {"permission_denied"}


def test_criticality_on_an_affected_exposure_raises_and_on_the_root_lowers(tmp_path):
    test_id = f"test.{PROJECT}.not_null_fct_orders_customer_id"
    raised = _triage(
        tmp_path / "a",
        [result(FCT, "success"), result(test_id, "fail", None, 3)],
        exposure_meta={"incident": {"criticality": "critical"}},
    )
    assert raised.failures[0].severity is Severity.P0
    assert (
        "criticality critical declared on affected exposure.shop.revenue_dashboard"
        in raised.failures[0].severity_reason
    )
    lowered = _triage(
        tmp_path / "b",
        [result(FCT, "success"), result(test_id, "fail", None, 3)],
        fct_meta={"incident": {"criticality": "low"}},
    )
    assert lowered.failures[0].severity is Severity.P3


def test_project_config_criticality_applies_by_name_or_glob(tmp_path):
    (tmp_path).mkdir(exist_ok=True)
    (tmp_path / "dbt-incident.yml").write_text("criticality:\n  'exposure.*': high\n  dim_side: critical\n")
    result_ = _triage(
        tmp_path, [result(f"model.{PROJECT}.dim_side", "error", "Database Error\n  syntax error at or near")]
    )
    assert result_.failures[0].severity is Severity.P0
    assert "criticality critical declared on model.shop.dim_side" in result_.failures[0].severity_reason


def test_test_of_a_model_that_failed_is_collateral_not_a_root(tmp_path):
    test_id = f"test.{PROJECT}.not_null_fct_orders_customer_id"
    result_ = _triage(
        tmp_path,
        [
            result(FCT, "error", "Database Error\n  division by zero"),
            result(test_id, "error", "Catalog Error: Table with name fct_orders does not exist"),
        ],
    )
    assert [failure.unique_id for failure in result_.failures] == [FCT]
    assert [item.unique_id for item in result_.failures[0].collateral] == [test_id]


def test_duckdb_runtime_error_with_a_warehouse_message_is_a_database_error(tmp_path):
    message = (
        "Runtime Error in model fct_orders (models/fct_orders.sql)\n  Binder Error: Referenced column "
        '"amount" not found in FROM clause!'
    )
    result_ = _triage(tmp_path, [result(FCT, "error", message)])
    root = result_.failures[0]
    assert (root.kind.value, root.cause) == ("database_error", "missing_column")
    assert "dbt-duckdb" in root.classification_rule
