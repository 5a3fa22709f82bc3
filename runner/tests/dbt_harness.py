"""Run dbt on the `integration_tests/` project from pytest, one isolated warehouse and target folder per run.

Used by every test that proves SQL by running it: DuckDB by default (a file in the test's tmp folder),
PostgreSQL and the BigQuery emulator when `DBT_INCIDENT_TARGET` selects them.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
INTEGRATION_DIR = REPOSITORY_ROOT / "integration_tests"
DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")
DEFAULT_TIMEOUT_SECONDS = 900
TRACED_DBT = Path(__file__).resolve().parent / "dbt_traced.py"


def dbt_command() -> list[str]:
    """The dbt executable; through `dbt_traced.py` when `DBT_INCIDENT_TRACE_DIR` asks for a macro trace."""
    if os.environ.get("DBT_INCIDENT_TRACE_DIR"):
        return [sys.executable, str(TRACED_DBT)]
    return [DBT_EXECUTABLE]


@dataclass(frozen=True)
class DbtRun:
    """The outcome of one dbt invocation: exit code, console output and the artifacts folder."""

    exit_code: int
    output: str
    target_path: Path

    def run_results(self) -> dict[str, Any]:
        return json.loads((self.target_path / "run_results.json").read_text())

    def json_output(self) -> dict[str, Any]:
        """The JSON document that `dbt show/compile --output json` printed (its `{` and `}` on lines of their
        own, amid dbt's log lines); an AssertionError with the output's tail when there is none."""
        match = re.search(r"^\{\s*$.*?^\}\s*$", self.output, re.MULTILINE | re.DOTALL)
        assert match, f"no JSON document in dbt's output:\n{self.output[-3000:]}"
        return json.loads(match.group(0))

    def statuses(self) -> dict[str, str]:
        """unique_id -> status of every result in run_results.json."""
        return {result["unique_id"]: result["status"] for result in self.run_results()["results"]}


@dataclass
class Warehouse:
    """An isolated integration_tests warehouse: its own DuckDB file (or schema) and target folder."""

    root: Path
    target: str = os.environ.get("DBT_INCIDENT_TARGET", "duckdb")
    schema_suffix: str = ""
    # The dbt project to run in: integration_tests/, or a temporary copy of it (generated files stay out).
    project_dir: Path = INTEGRATION_DIR

    @property
    def duckdb_path(self) -> Path:
        return self.root / "warehouse.duckdb"

    def environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        environment["DBT_PROFILES_DIR"] = str(INTEGRATION_DIR)
        environment["DBT_INCIDENT_TARGET"] = self.target
        environment["DBT_INCIDENT_DUCKDB_PATH"] = str(self.duckdb_path)
        environment["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "False"
        environment.setdefault("DBT_LOG_PATH", str(self.root / "logs"))
        if self.schema_suffix:
            environment["POSTGRES_SCHEMA"] = f"dbt_incident_it_{self.schema_suffix}"
            environment["BIGQUERY_DATASET"] = f"dbt_incident_it_{self.schema_suffix}"
        return environment

    def dbt(
        self,
        *arguments: str,
        variables: dict[str, Any] | None = None,
        target_path: Path | None = None,
        timeout: int = DEFAULT_TIMEOUT_SECONDS,
    ) -> DbtRun:
        """Run `dbt <arguments>` in integration_tests/ and return its exit code, output and target folder."""
        target_path = target_path or self.root / "target"
        command = [*dbt_command(), *arguments, "--target-path", str(target_path)]
        if variables:
            command += ["--vars", json.dumps(variables)]
        completed = subprocess.run(
            command,
            cwd=self.project_dir,
            env=self.environment(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return DbtRun(completed.returncode, completed.stdout + completed.stderr, target_path)


def install_package_dependencies() -> None:
    """`dbt deps` once: links the package from ../ into integration_tests/dbt_packages."""
    completed = subprocess.run(
        [DBT_EXECUTABLE, "deps"],
        cwd=INTEGRATION_DIR,
        env={**os.environ, "DBT_PROFILES_DIR": str(INTEGRATION_DIR)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"dbt deps failed:\n{completed.stdout}\n{completed.stderr}")
