"""The package's generic tests on the integration warehouse: they pass on healthy data, and `dbt build` of each
injected incident scenario fails on the test that should catch it (read from run_results.json by the test's
`test_metadata.name`, the name the triage classifies on). incident_profile shows each anomaly too.
"""

from __future__ import annotations

import json

import pytest
from dbt_harness import INTEGRATION_DIR, DbtRun, Warehouse

pytestmark = pytest.mark.dbt

# scenario -> the dbt_incident tests (test_metadata.name, attached-to node name) that must fail in it
EXPECTED_FAILURES: dict[str | None, set[tuple[str, str]]] = {
    None: set(),
    "volume_drop": {("row_count_within_history", "fct_events")},
    "null_spike": {("null_proportion_at_most", "events")},
    "stale_source": {("partitions_complete", "fct_orders"), ("fresh_within", "fct_orders")},
    "new_status_value": {("distinct_values_within_history", "orders")},
    "column_renamed": {("schema_unchanged", "orders")},
}


@pytest.fixture(scope="module")
def scenario_builds(scenario_build) -> dict[str | None, tuple[Warehouse, DbtRun]]:
    """Each scenario's warehouse after the job, from the session-wide builds every module shares."""
    builds = {scenario: scenario_build(scenario) for scenario in EXPECTED_FAILURES}
    return {scenario: (build.warehouse, build.build) for scenario, build in builds.items()}


def _package_test_statuses(run: DbtRun) -> dict[tuple[str, str], str]:
    """(test_metadata.name, attached node name) -> status, for the dbt_incident generic tests."""
    manifest = json.loads((run.target_path / "manifest.json").read_text())
    statuses = run.statuses()
    found: dict[tuple[str, str], str] = {}
    for unique_id, node in manifest["nodes"].items():
        metadata = node.get("test_metadata") or {}
        if metadata.get("namespace") != "dbt_incident" or unique_id not in statuses:
            continue
        attached = (node.get("attached_node") or "").split(".")[-1] or node["sources"][0][-1]
        found[(metadata["name"], attached)] = statuses[unique_id]
    return found


@pytest.mark.parametrize("scenario", list(EXPECTED_FAILURES), ids=lambda s: s or "healthy")
def test_each_scenario_fails_the_generic_test_that_should_catch_it(
    scenario_builds: dict[str | None, tuple[Warehouse, DbtRun]], scenario: str | None
) -> None:
    _, run = scenario_builds[scenario]
    statuses = _package_test_statuses(run)
    ran = {key for key, status in statuses.items() if status in ("pass", "fail", "warn")}
    failed = {key for key, status in statuses.items() if status in ("fail", "warn")}  # source checks warn
    assert failed == EXPECTED_FAILURES[scenario], run.output[-3000:]
    assert EXPECTED_FAILURES[scenario] <= ran
    if scenario is None:
        assert run.exit_code == 0, run.output[-3000:]
        assert len(ran) >= 7  # every package test attached to the warehouse ran and passed
    else:
        assert run.exit_code == 1


def _profile(warehouse: Warehouse, monkeypatch: pytest.MonkeyPatch, model: str, **options: object):
    from dbt_incident.profile import run_profile

    for key, value in warehouse.environment().items():
        monkeypatch.setenv(key, value)
    return run_profile(model, as_of="2026-11-30", project_dir=INTEGRATION_DIR, **options)


def test_incident_profile_shows_each_scenario_anomaly(
    scenario_builds: dict[str | None, tuple[Warehouse, DbtRun]], monkeypatch: pytest.MonkeyPatch
) -> None:
    healthy = _profile(
        scenario_builds[None][0], monkeypatch, "raw.events", partition_column="event_date", days=3
    )
    assert healthy.findings == ()

    dropped = _profile(
        scenario_builds["volume_drop"][0], monkeypatch, "fct_events", partition_column="event_date"
    )
    assert ("row_history", "2026-11-30", "low") in {(f.section, f.subject, f.kind) for f in dropped.findings}

    nulls = _profile(
        scenario_builds["null_spike"][0],
        monkeypatch,
        "raw.events",
        partition_column="event_date",
        columns=["customer_id"],
    )
    [customer] = nulls.document["null_counts"]
    assert customer["flag"] == "spike" and customer["null_proportion"] > 0.8
    assert customer["baseline_null_proportion"] == 0

    statuses = _profile(
        scenario_builds["new_status_value"][0],
        monkeypatch,
        "raw.orders",
        partition_column="order_date",
        columns=["status"],
    )
    new_values = [
        row["value"] for row in statuses.document["distinct_profile"] if row["value_status"] == "new"
    ]
    assert new_values == ["pending_payment"]
