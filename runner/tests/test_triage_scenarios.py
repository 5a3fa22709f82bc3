"""Triage of every injected incident on the integration warehouse (real dbt runs on DuckDB, or the target
selected by DBT_INCIDENT_TARGET): root node, kind, cause, collateral and severity."""

from __future__ import annotations

import pytest

from dbt_incident.artifacts import load_artifacts
from dbt_incident.config import load_project_config
from dbt_incident.triage import triage

pytestmark = pytest.mark.dbt

PROJECT = "dbt_incident_integration_tests"
EXPOSURES = {
    f"exposure.{PROJECT}.executive_kpi_dashboard",
    f"exposure.{PROJECT}.customer_retention_dashboard",
}

# scenario -> (root unique_id prefix, kind, cause, root severity, incident severity,
#              unique_ids that must be among the root's collateral)
EXPECTED = {
    "volume_drop": (
        f"test.{PROJECT}.dbt_incident_row_count_within_history_fct_events",
        "test_failure",
        "volume_drop",
        "P1",
        "P1",
        {f"model.{PROJECT}.dim_customers", f"model.{PROJECT}.fct_daily_activity"},
    ),
    "null_spike": (
        f"test.{PROJECT}.not_null_stg_events_customer_id",
        "test_failure",
        "not_null",
        "P1",
        "P1",
        {f"model.{PROJECT}.fct_events"},
    ),
    "column_renamed": (
        f"model.{PROJECT}.stg_orders",
        "database_error",
        "missing_column",
        "P1",
        "P1",
        {f"model.{PROJECT}.fct_orders", f"test.{PROJECT}.unique_stg_orders_order_id"},
    ),
    "duplicate_rows": (
        f"test.{PROJECT}.unique_stg_orders_order_id",
        "test_failure",
        "unique",
        "P1",
        "P1",
        {f"model.{PROJECT}.fct_orders"},
    ),
    "new_status_value": (
        f"test.{PROJECT}.accepted_values_stg_orders_status",
        "test_failure",
        "accepted_values",
        "P1",
        "P1",
        {f"model.{PROJECT}.fct_orders"},
    ),
    # P2 (delayed data) raised to P1: the stale orders feed the dashboard declared `criticality: high`.
    "stale_source": (f"source.{PROJECT}.raw.orders", "stale_source", "freshness", "P1", "P1", set()),
}


@pytest.mark.parametrize("scenario", list(EXPECTED))
def test_triage_names_the_root_kind_cause_collateral_and_severity(scenario_build, scenario):
    build = scenario_build(scenario)
    result = triage(load_artifacts(build.target_path), load_project_config(None))
    prefix, kind, cause, root_severity, incident_severity, collateral = EXPECTED[scenario]
    roots = [failure for failure in result.failures if failure.unique_id.startswith(prefix)]
    assert len(roots) == 1, [failure.unique_id for failure in result.failures]
    root = roots[0]
    assert (root.kind.value, root.cause, root.severity.value) == (kind, cause, root_severity)
    # tests' unique_ids end with a hash: expected collateral ids are prefixes
    collateral_ids = [item.unique_id for item in root.collateral]
    for expected in collateral:
        assert any(unique_id.startswith(expected) for unique_id in collateral_ids), (expected, collateral_ids)
    assert result.severity.value == incident_severity
    assert not result.unattributed
    if scenario == "stale_source":
        assert root.severity_reason.startswith("stale_source")
        assert "criticality high declared on affected exposure" in root.severity_reason
    else:
        assert {exposure.unique_id for exposure in root.exposures} == EXPOSURES
        assert all(exposure.owner and "@example.com" in exposure.owner for exposure in root.exposures)
    # Every root failure of the run is explained: error/fail roots are the injected incident's, warnings are
    # the early source checks that flag the same incident.
    blocking = [failure for failure in result.failures if failure.status in ("error", "fail")]
    assert root in blocking or scenario == "stale_source"
