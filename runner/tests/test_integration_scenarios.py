"""The integration_tests warehouse: healthy by default, and each injected incident fails the job for exactly
its intended reason (the right node, the right status, the right downstream skipped).

Runs dbt for real on `DBT_INCIDENT_TARGET` (DuckDB by default; the same assertions hold on PostgreSQL,
because the generated data is integer arithmetic, identical on every warehouse). Warehouses come from the
session fixture `scenario_build` (conftest.py): one per scenario, shared with other test modules.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from conftest import INCIDENT_SCENARIOS, ScenarioBuild
from dbt_harness import Warehouse

pytestmark = pytest.mark.dbt

PROJECT = "dbt_incident_integration_tests"
PASSING = {"success", "pass"}
FAILING = {"error", "fail", "warn", "runtime error", "partial success"}
SOURCES = {f"source.{PROJECT}.raw.{table}" for table in ("events", "orders", "customers")}
WAREHOUSE_MODELS = {"stg_events", "stg_orders", "stg_customers", "fct_events", "fct_orders", "dim_customers"}
WAREHOUSE_MODELS |= {"fct_daily_activity"}
EXPOSURES = {
    f"exposure.{PROJECT}.executive_kpi_dashboard",
    f"exposure.{PROJECT}.customer_retention_dashboard",
}
# Healthy row counts: deterministic, the same on every warehouse (generated from day ordinals and row numbers).
HEALTHY_EVENTS_TOTAL = 99273
HEALTHY_EVENTS_AS_OF = 4460  # Monday 2026-11-30
NULL_SPIKE_NULLS = 3780  # 85 % of the latest partition
DUPLICATED_ORDERS = 197  # the orders of 2026-11-28, delivered twice


@dataclass(frozen=True)
class Incident:
    """What a scenario must break: every failing node (by label, see `label`) with its status, the root's
    failure count and message, and the warehouse models skipped because of it."""

    root: str
    failing: dict[str, str]
    failures: int | None
    skipped_models: frozenset[str]
    message_contains: str = ""


ORDERS_DOWNSTREAM = frozenset({"fct_orders", "dim_customers", "fct_daily_activity"})
# The dbt_incident checks on the raw sources (severity warn) flag null_spike, column_renamed and
# new_status_value on arrival without blocking staging, so the error-severity root is the one the issue
# names; the mart checks on fct_events / fct_orders are error severity and are the roots of volume_drop and
# (with the freshness error) stale_source.
EXPECTED: dict[str, Incident] = {
    "volume_drop": Incident(
        "row_count_within_history:fct_events",
        {"row_count_within_history:fct_events": "fail"},
        1,
        frozenset({"dim_customers", "fct_daily_activity"}),
    ),
    "null_spike": Incident(
        "not_null:stg_events.customer_id",
        {"not_null:stg_events.customer_id": "fail", "null_proportion_at_most:events.customer_id": "warn"},
        NULL_SPIKE_NULLS,
        frozenset({"fct_events", "dim_customers", "fct_daily_activity"}),
    ),
    "column_renamed": Incident(
        "model.stg_orders",
        {"model.stg_orders": "error", "schema_unchanged:orders": "warn"},
        None,
        ORDERS_DOWNSTREAM,
        message_contains="amount",
    ),
    "duplicate_rows": Incident(
        "unique:stg_orders.order_id",
        {"unique:stg_orders.order_id": "fail"},
        DUPLICATED_ORDERS,
        ORDERS_DOWNSTREAM,
    ),
    "new_status_value": Incident(
        "accepted_values:stg_orders.status",
        {"accepted_values:stg_orders.status": "fail", "distinct_values_within_history:orders.status": "warn"},
        1,
        ORDERS_DOWNSTREAM,
    ),
    "stale_source": Incident(
        "partitions_complete:fct_orders",
        {"partitions_complete:fct_orders": "fail", "fresh_within:fct_orders.ordered_at": "fail"},
        3,  # the three daily partitions the feed never delivered
        frozenset({"dim_customers", "fct_daily_activity"}),
    ),
}


def label(unique_id: str, manifest: dict[str, Any]) -> str:
    """A readable, hash-free name for a result: `model.stg_orders`, `singular:<test name>`,
    `not_null:stg_events.customer_id` (generic test: its type, then the node and column it is on)."""
    kind, _, name = unique_id.split(".")[:3]
    node = manifest["nodes"].get(unique_id, {})
    metadata = node.get("test_metadata")
    if kind != "test":
        return f"{kind}.{name}"
    if not metadata:
        return f"singular:{name}"
    attached = (node.get("attached_node") or "").split(".")[-1] or node["sources"][0][-1]
    column = node.get("column_name") or (metadata.get("kwargs") or {}).get("column_name")
    return f"{metadata['name']}:{attached}" + (f".{column}" if column else "")


def results_by_label(build: ScenarioBuild) -> dict[str, dict[str, Any]]:
    manifest = json.loads((build.target_path / "manifest.json").read_text())
    return {label(result["unique_id"], manifest): result for result in build.build.run_results()["results"]}


def show_rows(warehouse: Warehouse, sql: str, variables: dict[str, Any]) -> list[dict[str, Any]]:
    """The rows of `dbt show --inline sql` (at most 100) on the warehouse."""
    # its own target folder: the scenario build's run_results.json, which other test modules read, stays intact
    run = warehouse.dbt(
        "--quiet",
        "show",
        "--inline",
        sql,
        "--limit",
        "100",
        "--output",
        "json",
        variables=variables,
        target_path=warehouse.root / "show-target",
    )
    assert run.exit_code == 0, run.output[-3000:]
    return json.loads(run.output[run.output.index("{") : run.output.rindex("}") + 1])["show"]


def test_healthy_job_passes_freshness_and_build_with_seasonal_deterministic_data(scenario_build):
    healthy = scenario_build(None)
    assert healthy.freshness is not None
    assert healthy.freshness.exit_code == 0, healthy.freshness.output[-3000:]
    assert healthy.freshness_statuses() == dict.fromkeys(SOURCES, "pass")

    assert healthy.build.exit_code == 0, healthy.build.output[-4000:]
    statuses = healthy.build.statuses()
    assert {
        status for unique_id, status in statuses.items() if not unique_id.startswith("exposure.")
    } == PASSING
    labels = set(results_by_label(healthy))
    assert {f"model.{model}" for model in WAREHOUSE_MODELS} <= labels
    assert "model.int_orders_enriched" not in labels  # ephemeral: compiled into fct_orders, never run
    assert "singular:assert_daily_activity_reconciles_with_orders" in labels
    for test_type in ("not_null", "unique", "accepted_values", "relationships"):
        assert any(name.startswith(f"{test_type}:") for name in labels), test_type
    assert set(statuses) >= EXPOSURES

    days = show_rows(
        healthy.warehouse,
        "select activity_date, events, orders from {{ ref('fct_daily_activity') }} order by activity_date",
        healthy.variables,
    )
    assert len(days) == 28
    assert days[-1] == {"activity_date": "2026-11-30", "events": HEALTHY_EVENTS_AS_OF, "orders": 339}
    assert sum(day["events"] for day in days) == HEALTHY_EVENTS_TOTAL
    assert min(day["events"] for day in days) > 1000
    weekend = {
        day["activity_date"] for day in days if date.fromisoformat(day["activity_date"]).weekday() >= 5
    }
    assert len(weekend) == 8
    weekday_events = [day["events"] for day in days if day["activity_date"] not in weekend]
    weekend_events = [day["events"] for day in days if day["activity_date"] in weekend]
    assert max(weekend_events) < 0.75 * min(weekday_events)


def test_incremental_fact_rerun_merges_the_last_partitions_without_duplicating(scenario_build, tmp_path):
    healthy = scenario_build(None)
    assert healthy.build.exit_code == 0, healthy.build.output[-3000:]
    rerun = healthy.warehouse.dbt(
        "build", "--select", "fct_events", variables=healthy.variables, target_path=tmp_path / "target"
    )
    assert rerun.exit_code == 0, rerun.output[-3000:]
    [model] = [
        result for result in rerun.run_results()["results"] if result["unique_id"].startswith("model.")
    ]
    assert model["status"] == "success"
    assert "max(event_date)" in model["compiled_code"]  # the is_incremental() branch compiled
    assert set(rerun.statuses().values()) == {"success", "pass"}  # unique and not_null still hold


@pytest.mark.parametrize("scenario", INCIDENT_SCENARIOS)
def test_incident_fails_exactly_its_node_and_skips_its_downstream(scenario_build, scenario):
    expected = EXPECTED[scenario]
    build = scenario_build(scenario)
    assert build.build.exit_code == 1, build.build.output[-3000:]
    results = results_by_label(build)
    failing = {name: result["status"] for name, result in results.items() if result["status"] in FAILING}
    assert failing == expected.failing, build.build.output[-3000:]
    root = results[expected.root]
    assert root["failures"] == expected.failures
    assert expected.message_contains in (root["message"] or "")

    skipped = {name for name, result in results.items() if result["status"] == "skipped"}
    assert {model for model in WAREHOUSE_MODELS if f"model.{model}" in skipped} == expected.skipped_models
    unaffected = WAREHOUSE_MODELS - expected.skipped_models - {expected.root.removeprefix("model.")}
    assert {results[f"model.{model}"]["status"] for model in unaffected} == {"success"}
    # Every scenario starves the high-criticality dashboard.
    assert "exposure.executive_kpi_dashboard" in skipped


def test_column_renamed_is_a_database_error_naming_the_missing_column(scenario_build):
    build = scenario_build("column_renamed")
    results = results_by_label(build)
    message = results["model.stg_orders"]["message"]
    assert "amount" in message
    assert any(hint in message.lower() for hint in ("not found", "does not exist", "unrecognized name"))
    tests_on_stg_orders = [result["status"] for name, result in results.items() if ":stg_orders" in name]
    assert tests_on_stg_orders
    assert set(tests_on_stg_orders) == {"skipped"}


def test_stale_source_fails_freshness_only_on_orders(scenario_build):
    build = scenario_build("stale_source")
    assert build.freshness is not None
    assert build.freshness.exit_code == 1, build.freshness.output[-3000:]
    statuses = build.freshness_statuses()
    assert statuses == {
        f"source.{PROJECT}.raw.events": "pass",
        f"source.{PROJECT}.raw.customers": "pass",
        f"source.{PROJECT}.raw.orders": "error",
    }
    sources = json.loads((build.target_path / "sources.json").read_text())
    [orders] = [result for result in sources["results"] if result["unique_id"].endswith(".raw.orders")]
    assert 3 * 86400 <= orders["max_loaded_at_time_ago_in_s"] < 4 * 86400  # the feed stopped 3 days ago


def test_volume_drop_leaves_a_near_empty_latest_partition_visible_in_the_fact(scenario_build):
    build = scenario_build("volume_drop")
    days = show_rows(
        build.warehouse,
        "select event_date, count(*) as events from {{ ref('fct_events') }} group by event_date order by event_date",
        build.variables,
    )
    by_date = {day["event_date"]: day["events"] for day in days}
    assert len(by_date) == 28
    assert by_date["2026-11-30"] == HEALTHY_EVENTS_AS_OF // 100
    assert by_date["2026-11-23"] > 3000  # the same weekday a week earlier is complete


def test_unknown_scenario_is_refused_with_one_line_naming_the_var_and_value(tmp_path, dbt_package_installed):
    run = Warehouse(root=tmp_path).dbt(
        "run-operation", "load_raw_warehouse", variables={"incident_scenario": "volume_dorp"}
    )
    assert run.exit_code == 1
    assert "load_raw_warehouse: var 'incident_scenario' must be null or one of" in run.output
    assert "got 'volume_dorp'" in run.output


def test_every_injectable_scenario_has_an_expectation():
    assert set(EXPECTED) == set(INCIDENT_SCENARIOS)
