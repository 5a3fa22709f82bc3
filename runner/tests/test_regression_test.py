"""`dbt-incident regression-test`, proven by dbt on DuckDB: each generated test compiles, fails on its incident's
data, and passes on healthy data (and on the other incidents' data).

The tests are generated into a temporary copy of integration_tests/ (never into the repository) and run with
`dbt test --select tag:regression` against the session's scenario warehouses (conftest `scenario_build`).
The same builds prove `dbt-incident logs` on a live dbt.log.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from dbt_harness import INTEGRATION_DIR, REPOSITORY_ROOT, Warehouse

from dbt_incident.artifacts import TestMetadata, load_manifest
from dbt_incident.cli import cli
from dbt_incident.errors import NodeNotInManifest
from dbt_incident.regression_test import (
    IncidentRef,
    build_regression_test,
    parse_dates,
    partition_filter,
    restore_refs,
)

pytestmark = pytest.mark.dbt

PACKAGE = "dbt_incident_integration_tests"
# scenario -> (failing test name prefix, partition column, affected date, generated file name)
SCENARIOS = {
    "null_spike": ("not_null_stg_events_customer_id", "event_date", "2026-11-30", "not_null_stg_events"),
    "duplicate_rows": ("unique_stg_orders_order_id", "order_date", "2026-11-28", "unique_stg_orders"),
    "new_status_value": ("accepted_values_stg_orders_status", "order_date", "2026-11-30", "accepted_values_stg_orders"),
}


def _copy_project(destination: Path) -> Path:
    """integration_tests/ without its build output, with the package linked from the repository root."""
    shutil.copytree(
        INTEGRATION_DIR,
        destination,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages", ".user.yml", "regression"),
    )
    (destination / "dbt_packages").mkdir()
    (destination / "dbt_packages" / "dbt_incident").symlink_to(REPOSITORY_ROOT, target_is_directory=True)
    return destination


def _generate(project: Path, target: Path, *arguments: str) -> Path:
    outcome = CliRunner().invoke(
        cli, ["regression-test", "--project-dir", str(project), "--target-path", str(target), *arguments]
    )
    assert outcome.exit_code == 0, outcome.output
    return Path(outcome.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def regression_project(tmp_path_factory: pytest.TempPathFactory, scenario_build) -> dict:
    """The copied project with one generated regression test per scenario, plus extra ones (see below)."""
    project = _copy_project(tmp_path_factory.mktemp("regression") / "integration_tests")
    builds = {name: scenario_build(name) for name in SCENARIOS}
    files: dict[str, Path] = {}
    for name, (prefix, column, day, _) in SCENARIOS.items():
        failing = [
            unique_id
            for unique_id, status in builds[name].build.statuses().items()
            if status == "fail" and unique_id.startswith(f"test.{PACKAGE}.{prefix}")
        ]
        assert failing, f"{name}: {prefix} did not fail in the scenario build"
        files[name] = _generate(
            project, builds[name].target_path, "--test", failing[0], "--partition-column", column, "--dates", day
        )
    null_spike_target = builds["null_spike"].target_path
    # The same not_null test pinned to the day before the spike: must pass even on the incident's data.
    files["day_before"] = _generate(
        project,
        null_spike_target,
        "--test",
        "not_null_stg_events_customer_id",
        "--partition-column",
        "event_date",
        "--dates",
        "2026-11-29",
        "--slug",
        "not_null_stg_events_day_before",
    )
    # A singular test, from its compiled SQL with refs restored.
    files["singular"] = _generate(project, null_spike_target, "--test", "assert_latest_event_partition_complete")
    # A package generic test: the run's manifest has none applied yet, so one is declared on fct_events here.
    manifest = load_manifest(null_spike_target / "manifest.json")
    template = manifest.nodes[next(uid for uid in manifest.nodes if uid.startswith(f"test.{PACKAGE}.not_null_fct_events_event_id"))]
    package_test = dataclasses.replace(
        template,
        unique_id=f"test.{PACKAGE}.dbt_incident_row_count_within_history_fct_events_event_date.0",
        name="dbt_incident_row_count_within_history_fct_events_event_date",
        test_metadata=TestMetadata(
            "row_count_within_history",
            "dbt_incident",
            {"column_name": "event_date", "min_ratio": 0.5, "model": "{{ get_where_subquery(ref('fct_events')) }}"},
        ),
    )
    extended = dataclasses.replace(manifest, nodes={**manifest.nodes, package_test.unique_id: package_test})
    generated = build_regression_test(
        extended,
        incident=IncidentRef("incident incident_20261130_020000", date(2026, 11, 30)),
        test_id=package_test.unique_id,
        dates=parse_dates(["2026-11-29..2026-11-30"]),
        partition_column="event_date",
    )
    files["package"] = project / "tests" / "regression" / generated.file_name
    files["package"].write_text(generated.sql)
    return {"project": project, "files": files, "builds": builds}


def _regression_statuses(project: Path, warehouse: Warehouse, root: Path, variables: dict) -> tuple[dict[str, str], str]:
    copy = dataclasses.replace(warehouse, project_dir=project)
    run = copy.dbt("test", "--select", "tag:regression", variables=variables, target_path=root)
    assert run.exit_code in (0, 1), run.output[-3000:]
    statuses = {unique_id.split(".")[2]: status for unique_id, status in run.statuses().items()}
    return statuses, run.output


def test_generated_regression_tests_fail_only_on_their_incident_data(
    regression_project: dict, scenario_build, tmp_path: Path
) -> None:
    project, files = regression_project["project"], regression_project["files"]
    names = {key: path.stem for key, path in files.items()}
    assert all(path.parent == project / "tests" / "regression" for path in files.values())
    assert names["null_spike"].startswith("test_incident_20") and names["null_spike"].endswith("_not_null_stg_events")

    healthy = scenario_build(None)
    statuses, output = _regression_statuses(project, healthy.warehouse, tmp_path / "healthy", healthy.variables)
    assert statuses == {name: "pass" for name in names.values()}, output[-3000:]

    for scenario in SCENARIOS:
        build = regression_project["builds"][scenario]
        statuses, output = _regression_statuses(project, build.warehouse, tmp_path / scenario, build.variables)
        expected = {name: "pass" for name in names.values()}
        expected[names[scenario]] = "fail"
        assert statuses == expected, (scenario, output[-3000:])


def test_generated_not_null_test_is_a_pinned_singular_test_with_a_header(regression_project: dict) -> None:
    text = regression_project["files"]["null_spike"].read_text()
    lines = text.splitlines()
    assert lines[0].startswith("-- Regression test for dbt invocation ")
    assert "not_null test test.dbt_incident_integration_tests.not_null_stg_events_customer_id" in lines[1]
    assert "-- Pinned to the affected partitions: 2026-11-30." in lines
    assert "{{ config(tags=['regression']) }}" in lines
    assert text.endswith(
        "select *\nfrom {{ ref('stg_events') }}\nwhere customer_id is null\n  and event_date = cast('2026-11-30' as date)\n"
    )
    singular = regression_project["files"]["singular"].read_text()
    assert "{{ ref('fct_events') }}" in singular and '"main"."fct_events"' not in singular
    assert "cast('2026-11-30' as date)" in singular  # the var the run rendered stays pinned
    package = regression_project["files"]["package"].read_text()
    assert "{{ dbt_incident.test_row_count_within_history(" in package
    assert "as_of='2026-11-30'" in package and "days=2" in package and "model=ref('fct_events')" in package


def test_regression_test_never_overwrites_without_force(regression_project: dict) -> None:
    project = regression_project["project"]
    target = regression_project["builds"]["null_spike"].target_path
    arguments = ["regression-test", "--project-dir", str(project), "--target-path", str(target), "--test",
                 "not_null_stg_events_customer_id", "--partition-column", "event_date", "--dates", "2026-11-30"]
    before = regression_project["files"]["null_spike"].read_text()
    outcome = CliRunner().invoke(cli, arguments)
    assert outcome.exit_code == 2 and "file exists; pass --force" in outcome.output
    assert regression_project["files"]["null_spike"].read_text() == before
    outcome = CliRunner().invoke(cli, [*arguments, "--force"])
    assert outcome.exit_code == 0, outcome.output
    # the default test is the run's first failing test; --model/--condition writes a condition test
    outcome = CliRunner().invoke(
        cli,
        ["regression-test", "--project-dir", str(project), "--target-path", str(target), "--model", "stg_events",
         "--condition", "customer_id is null", "--partition-column", "event_date", "--dates", "2026-11-30"],
    )
    assert outcome.exit_code == 0, outcome.output
    written = Path(outcome.stdout.strip().splitlines()[-1])
    assert written.name.endswith("_stg_events_condition.sql")
    assert "where (customer_id is null)\n  and event_date = cast('2026-11-30' as date)" in written.read_text()
    written.unlink()
    outcome = CliRunner().invoke(
        cli, ["regression-test", "--project-dir", str(project), "--target-path", str(target), "--test", "no_such_test"]
    )
    assert outcome.exit_code == 2 and "'no_such_test' is not a data test" in outcome.output


def test_logs_reads_the_live_dbt_log_of_the_scenario_build(regression_project: dict) -> None:
    from dbt_incident.dbt_logs import logs_for_run

    build = regression_project["builds"]["null_spike"]
    report = logs_for_run(INTEGRATION_DIR, build.target_path, build.warehouse.root / "logs")
    assert report.matched_by == "invocation_id"
    by_id = {node.unique_id: node for node in report.nodes}
    failing = next(uid for uid in by_id if ".not_null_stg_events_customer_id." in uid)
    assert any("Failure in test not_null_stg_events_customer_id" in entry.message for entry in by_id[failing].entries)
    assert "build" in (report.invocation.command or "")


def test_partition_filter_and_restore_refs_units(regression_project: dict) -> None:
    days = parse_dates(["2026-11-27..2026-11-28", "2026-11-30"])
    assert partition_filter("d", days) == (
        "(d between cast('2026-11-27' as date) and cast('2026-11-28' as date) or d = cast('2026-11-30' as date))"
    )
    assert partition_filter("ts", days[-1:], "timestamp") == (
        "(ts >= cast('2026-11-30' as timestamp) and ts < cast('2026-12-01' as timestamp))"
    )
    manifest = load_manifest(regression_project["builds"]["null_spike"].target_path / "manifest.json")
    events = manifest.nodes[f"model.{PACKAGE}.stg_events"].relation_name
    raw = next(node for node in manifest.sources.values() if node.name == "events").relation_name
    sql, restored = restore_refs(f"select * from {events} join {raw} using (event_id)", manifest)
    assert sql == "select * from {{ ref('stg_events') }} join {{ source('raw', 'events') }} using (event_id)"
    assert len(restored) == 2
    with pytest.raises(NodeNotInManifest):
        build_regression_test(manifest, incident=IncidentRef("x", date(2026, 11, 30)), model="nope", condition="1=1")
