"""Shared pytest fixtures.

`scenario_build(name)` gives the integration_tests warehouse after a production-like job with one incident
injected (or healthy with `None`): the loader delivers raw data, `dbt source freshness` runs (healthy and
stale_source only, the two whose outcome depends on it), then `dbt build --selector warehouse`. Each scenario
is built at most once per pytest session, in its own DuckDB file (or PostgreSQL schema / BigQuery dataset
when `DBT_INCIDENT_TARGET` selects one), so every test module that needs a failed job reuses the same one.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from dbt_harness import DbtRun, Warehouse, install_package_dependencies

# The incidents `load_raw_warehouse` can inject (var `incident_scenario`); see integration_tests/README.md.
INCIDENT_SCENARIOS = (
    "volume_drop",
    "null_spike",
    "column_renamed",
    "stale_source",
    "duplicate_rows",
    "new_status_value",
)
# The selector (integration_tests/selectors.yml) for the simulated production warehouse: staging,
# intermediate and mart models with their tests and exposures, not the package's fixture models.
WAREHOUSE_SELECTOR = "warehouse"
FRESHNESS_SCENARIOS = (None, "stale_source")


@dataclass(frozen=True)
class ScenarioBuild:
    """One warehouse after the job: raw load, optional source freshness, build; artifacts in `target_path`.

    `seconds` is the wall time of the three dbt invocations together.
    """

    scenario: str | None
    warehouse: Warehouse
    load: DbtRun
    freshness: DbtRun | None
    build: DbtRun
    seconds: float

    @property
    def target_path(self) -> Path:
        """The folder holding manifest.json, run_results.json (of the build) and sources.json (if run)."""
        return self.build.target_path

    @property
    def variables(self) -> dict[str, Any]:
        """The `--vars` every invocation of this job was given."""
        return {"incident_scenario": self.scenario}

    def freshness_statuses(self) -> dict[str, str]:
        """source unique_id -> freshness status (pass, warn, error, runtime error) from sources.json."""
        sources = json.loads((self.target_path / "sources.json").read_text())
        return {result["unique_id"]: result["status"] for result in sources["results"]}


@pytest.fixture(scope="session")
def dbt_package_installed() -> None:
    """`dbt deps` once per session for integration_tests (links the package from ../)."""
    install_package_dependencies()


@pytest.fixture(scope="session")
def scenario_build(
    tmp_path_factory: pytest.TempPathFactory, dbt_package_installed: None
) -> Callable[[str | None], ScenarioBuild]:
    """A factory: `scenario_build("null_spike")` -> the ScenarioBuild, built on first use, then cached."""
    builds: dict[str | None, ScenarioBuild] = {}
    target = os.environ.get("DBT_INCIDENT_TARGET", "duckdb")

    def build(scenario: str | None) -> ScenarioBuild:
        if scenario is not None and scenario not in INCIDENT_SCENARIOS:
            raise ValueError(
                f"unknown incident scenario {scenario!r}; known: {', '.join(INCIDENT_SCENARIOS)}"
            )
        if scenario not in builds:
            name = scenario or "healthy"
            warehouse = Warehouse(
                root=tmp_path_factory.mktemp(f"scenario_{name}"), target=target, schema_suffix=f"scn_{name}"
            )
            variables = {"incident_scenario": scenario}
            started = time.monotonic()
            # A shared PostgreSQL schema or BigQuery dataset may hold a previous session's models.
            arguments = ["--args", "{fresh_warehouse: true}"] if target != "duckdb" else []
            load = warehouse.dbt("run-operation", "load_raw_warehouse", *arguments, variables=variables)
            assert load.exit_code == 0, f"load_raw_warehouse ({name}) failed:\n{load.output[-3000:]}"
            freshness = None
            if scenario in FRESHNESS_SCENARIOS:
                freshness = warehouse.dbt(
                    "source", "freshness", "--select", "source:raw", variables=variables
                )
            run = warehouse.dbt("build", "--selector", WAREHOUSE_SELECTOR, variables=variables)
            builds[scenario] = ScenarioBuild(
                scenario, warehouse, load, freshness, run, round(time.monotonic() - started, 1)
            )
        return builds[scenario]

    return build
