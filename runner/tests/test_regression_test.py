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

from dbt_incident.artifacts import TestMetadata as Metadata
from dbt_incident.artifacts import load_manifest
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
# key -> (scenario, --test (a name, or a name prefix ending in *), partition column, affected date, --slug).
# Each incident yields the staging test it breaks and, where the warehouse has one, the failing dbt_incident
# package test on its source; `day_before` is the not_null test pinned to a healthy day of the null_spike data.
GENERATED = {
    "not_null": ("null_spike", "not_null_stg_events_customer_id", "event_date", "2026-11-30", None),
    "null_proportion": (
        "null_spike",
        "dbt_incident_source_null_proportion_at_most_raw_events*",
        "event_date",
        "2026-11-30",
        "null_proportion_raw_events",
    ),
    "day_before": (
        "null_spike",
        "not_null_stg_events_customer_id",
        "event_date",
        "2026-11-29",
        "not_null_day_before",
    ),
    "unique": ("duplicate_rows", "unique_stg_orders_order_id", "order_date", "2026-11-28", None),
    "accepted_values": (
        "new_status_value",
        "accepted_values_stg_orders_status__placed__shipped__delivered__returned__cancelled",
        "order_date",
        "2026-11-30",
        None,
    ),
    "distinct_values": (
        "new_status_value",
        "dbt_incident_source_distinct_values_within_history_raw_orders*",
        "order_date",
        "2026-11-30",
        "distinct_values_raw_orders",
    ),
}
SCENARIOS = ("null_spike", "duplicate_rows", "new_status_value")
# What the regression run builds before testing: the staging views and fct_events (skipped in the failed jobs).
MODELS = ("path:models/staging", "fct_events")


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
    """The copied project with the generated regression tests of GENERATED, plus one package test declared here."""
    project = _copy_project(tmp_path_factory.mktemp("regression") / "integration_tests")
    builds = {name: scenario_build(name) for name in SCENARIOS}
    files: dict[str, Path] = {}
    for key, (scenario, test, column, day, slug_text) in GENERATED.items():
        if test and test.endswith("*"):  # the package's source tests carry their arguments in their names
            nodes = load_manifest(builds[scenario].target_path / "manifest.json").nodes
            test = next(node.unique_id for node in nodes.values() if node.name.startswith(test[:-1]))
        arguments = [*(["--test", test] if test else []), *(["--slug", slug_text] if slug_text else [])]
        if column:
            arguments += ["--partition-column", column, "--dates", day]
        files[key] = _generate(project, builds[scenario].target_path, *arguments)
    # A singular test of the healthy job (every singular test of the incident jobs was skipped), from its
    # compiled SQL with refs restored: it must compile and pass on healthy data.
    healthy = scenario_build(None)
    healthy_manifest = load_manifest(healthy.target_path / "manifest.json")
    singular = next(
        unique_id
        for unique_id, status in healthy.build.statuses().items()
        if status == "pass"
        and unique_id in healthy_manifest.nodes
        and healthy_manifest.nodes[unique_id].resource_type == "test"
        and healthy_manifest.nodes[unique_id].test_metadata is None
    )
    files["singular"] = _generate(project, healthy.target_path, "--test", singular)
    # A package generic test declared on a model (the warehouse applies them to sources): pinned to two days.
    manifest = load_manifest(builds["duplicate_rows"].target_path / "manifest.json")
    template = manifest.nodes[
        next(uid for uid in manifest.nodes if uid.startswith(f"test.{PACKAGE}.not_null_fct_events_event_id"))
    ]
    package_test = dataclasses.replace(
        template,
        unique_id=f"test.{PACKAGE}.dbt_incident_row_count_within_history_fct_events_event_date.0",
        name="dbt_incident_row_count_within_history_fct_events_event_date",
        test_metadata=Metadata(
            "row_count_within_history",
            "dbt_incident",
            {
                "column_name": "event_date",
                "min_ratio": 0.5,
                "model": "{{ get_where_subquery(ref('fct_events')) }}",
            },
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
    files["row_count"] = project / "tests" / "regression" / generated.file_name
    files["row_count"].write_text(generated.sql)
    return {"project": project, "files": files, "builds": builds}


def _regression_statuses(
    project: Path, source: Warehouse, root: Path, variables: dict, exclude: tuple[str, ...] = ()
) -> tuple[dict[str, str], str]:
    """Copy the scenario's DuckDB file, build staging + fct_events there and run the regression tests."""
    root.mkdir(parents=True)
    shutil.copy(source.duckdb_path, root / "warehouse.duckdb")
    warehouse = Warehouse(root=root, target="duckdb", project_dir=project)
    # `dbt run` then `dbt test`, not `dbt build`: build would skip the models (and their tests) below a failing
    # regression test on a source, hiding the other tests' outcomes.
    models = warehouse.dbt("run", "--select", *MODELS, variables=variables, target_path=root / "target")
    assert models.exit_code == 0, models.output[-3000:]
    arguments = ["test", "--select", "tag:regression", *(["--exclude", *exclude] if exclude else [])]
    run = warehouse.dbt(*arguments, variables=variables, target_path=root / "target")
    assert run.exit_code in (0, 1), run.output[-3000:]
    statuses = {
        unique_id.split(".")[2]: status
        for unique_id, status in run.statuses().items()
        if unique_id.split(".")[2].startswith("test_incident_")
    }
    return statuses, run.output


def test_generated_regression_tests_fail_only_on_their_incident_data(
    regression_project: dict, scenario_build, tmp_path: Path
) -> None:
    project, files = regression_project["project"], regression_project["files"]
    names = {key: path.stem for key, path in files.items()}
    assert len(set(names.values())) == len(names)
    assert all(path.parent == project / "tests" / "regression" for path in files.values())
    assert names["not_null"].startswith("test_incident_20") and names["not_null"].endswith(
        "_not_null_stg_events"
    )

    healthy = scenario_build(None)
    statuses, output = _regression_statuses(
        project, healthy.warehouse, tmp_path / "healthy", healthy.variables
    )
    assert statuses == {name: "pass" for name in names.values()}, output[-3000:]

    for scenario in SCENARIOS:
        build = regression_project["builds"][scenario]
        # the singular test reads marts the incident jobs skipped: it is proven on the healthy warehouse only
        statuses, output = _regression_statuses(
            project, build.warehouse, tmp_path / scenario, build.variables, exclude=(names["singular"],)
        )
        failing = {key for key, spec in GENERATED.items() if spec[0] == scenario and key != "day_before"}
        expected = {
            name: ("fail" if key in failing else "pass") for key, name in names.items() if key != "singular"
        }
        assert statuses == expected, (scenario, output[-3000:])


def test_generated_not_null_test_is_a_pinned_singular_test_with_a_header(regression_project: dict) -> None:
    text = regression_project["files"]["not_null"].read_text()
    lines = text.splitlines()
    assert lines[0].startswith("-- Regression test for dbt invocation ")
    assert "not_null test test.dbt_incident_integration_tests.not_null_stg_events_customer_id" in lines[1]
    assert "-- Pinned to the affected partitions: 2026-11-30." in lines
    assert "{{ config(tags=['regression']) }}" in lines
    assert text.endswith(
        "select *\nfrom {{ ref('stg_events') }}\nwhere customer_id is null\n  and event_date = cast('2026-11-30' as date)\n"
    )
    singular = regression_project["files"]["singular"].read_text()
    assert "{{ ref(" in singular and '"main".' not in singular  # relation names turned back into refs
    package = regression_project["files"]["row_count"].read_text()
    assert "{{ dbt_incident.test_row_count_within_history(" in package
    assert "as_of='2026-11-30'" in package and "days=2" in package and "model=ref('fct_events')" in package
    source_test = regression_project["files"]["null_proportion"].read_text()
    assert "{{ dbt_incident.test_null_proportion_at_most(" in source_test
    assert "model=source('raw', 'events')" in source_test and "as_of='2026-11-30'" in source_test
    assert "days=1" in source_test and "max_proportion=0.05" in source_test


def test_regression_test_never_overwrites_without_force(regression_project: dict) -> None:
    project = regression_project["project"]
    target = regression_project["builds"]["null_spike"].target_path
    arguments = [
        "regression-test",
        "--project-dir",
        str(project),
        "--target-path",
        str(target),
        "--test",
        "not_null_stg_events_customer_id",
        "--partition-column",
        "event_date",
        "--dates",
        "2026-11-30",
    ]
    before = regression_project["files"]["not_null"].read_text()
    outcome = CliRunner().invoke(cli, arguments)
    assert outcome.exit_code == 2 and "file exists; pass --force" in outcome.output
    assert regression_project["files"]["not_null"].read_text() == before
    outcome = CliRunner().invoke(cli, [*arguments, "--force"])
    assert outcome.exit_code == 0, outcome.output
    # the default test is the run's first failing test; --model/--condition writes a condition test
    outcome = CliRunner().invoke(
        cli,
        [
            "regression-test",
            "--project-dir",
            str(project),
            "--target-path",
            str(target),
            "--model",
            "stg_events",
            "--condition",
            "customer_id is null",
            "--partition-column",
            "event_date",
            "--dates",
            "2026-11-30",
        ],
    )
    assert outcome.exit_code == 0, outcome.output
    written = Path(outcome.stdout.strip().splitlines()[-1])
    assert written.name.endswith("_stg_events_condition.sql")
    assert "where (customer_id is null)\n  and event_date = cast('2026-11-30' as date)" in written.read_text()
    written.unlink()
    outcome = CliRunner().invoke(
        cli,
        [
            "regression-test",
            "--project-dir",
            str(project),
            "--target-path",
            str(target),
            "--test",
            "no_such_test",
        ],
    )
    assert outcome.exit_code == 2 and "'no_such_test' is not a data test" in outcome.output


def test_logs_reads_the_live_dbt_log_of_the_scenario_build(regression_project: dict) -> None:
    from dbt_incident.dbt_logs import logs_for_run

    build = regression_project["builds"]["null_spike"]
    report = logs_for_run(INTEGRATION_DIR, build.target_path, build.warehouse.root / "logs")
    assert report.matched_by == "invocation_id"
    by_id = {node.unique_id: node for node in report.nodes}
    failing = next(uid for uid in by_id if "null_proportion_at_most_raw_events" in uid)
    assert by_id[failing].status in ("fail", "warn")
    assert any(
        entry.message.startswith(("Failure in test ", "Warning in test ")) for entry in by_id[failing].entries
    )
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
        build_regression_test(
            manifest, incident=IncidentRef("x", date(2026, 11, 30)), model="nope", condition="1=1"
        )
