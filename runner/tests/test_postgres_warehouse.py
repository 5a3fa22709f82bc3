"""The PostgreSQL leg: the whole integration_tests project (the raw warehouse, every model, every diagnostic
model and its equality test, every generic test) built on a real PostgreSQL server.

Runs when DBT_INCIDENT_POSTGRES=1 (set by .ci/run after `bash scripts/postgres.sh start`); skipped with that
reason otherwise. One build per session, in a schema of its own.
"""

from __future__ import annotations

import json
import os

import pytest
from dbt_harness import DbtRun, Warehouse, install_package_dependencies

pytestmark = [
    pytest.mark.dbt,
    pytest.mark.postgres,
    pytest.mark.skipif(
        os.environ.get("DBT_INCIDENT_POSTGRES") != "1",
        reason="PostgreSQL leg: set DBT_INCIDENT_POSTGRES=1 after `bash scripts/postgres.sh start` (.ci/run does)",
    ),
]
PASSING = {"success", "pass", "no-op"}  # exposures are no-op in dbt build


@pytest.fixture(scope="module")
def postgres_build(tmp_path_factory) -> tuple[Warehouse, DbtRun]:
    install_package_dependencies()
    warehouse = Warehouse(
        root=tmp_path_factory.mktemp("postgres"), target="postgres", schema_suffix=f"pg{os.getpid()}"
    )
    loaded = warehouse.dbt("run-operation", "load_raw_warehouse", timeout=600)
    assert loaded.exit_code == 0, loaded.output[-3000:]
    return warehouse, warehouse.dbt("build", timeout=900)


def test_integration_project_builds_and_passes_on_postgres(postgres_build):
    _, run = postgres_build
    statuses = run.statuses()
    failing = {unique_id: status for unique_id, status in statuses.items() if status not in PASSING}
    assert not failing, f"not passing on PostgreSQL: {json.dumps(failing, indent=1)}\n{run.output[-4000:]}"
    assert run.exit_code == 0
    kinds = {unique_id.split(".", 1)[0] for unique_id in statuses}
    assert {"model", "test"} <= kinds


def test_failed_jobs_on_postgres_returns_no_rows_and_a_note(postgres_build):
    warehouse, _ = postgres_build
    run = warehouse.dbt(
        "show",
        "--inline",
        "{{ dbt_incident.failed_jobs(since='2026-11-29', until='2026-11-30') }}",
        "--output",
        "json",
    )
    assert run.exit_code == 0, run.output[-3000:]
    assert run.json_output()["show"] == []
    assert "a postgres target keeps no job history" in run.output
