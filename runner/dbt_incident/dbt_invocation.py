"""Run dbt in-process through its programmatic runner (`dbt.cli.main.dbtRunner`), capturing its output.

dbt-core is imported here lazily, so the commands that never run dbt (triage, report, notify) do not pay
for importing it.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dbt_incident.errors import DbtInvocationError


@dataclass(frozen=True)
class DbtInvocation:
    """dbt's `dbtRunnerResult` (`result.result` holds the task's results), printed output and errors."""

    result: Any
    output: str
    errors: tuple[str, ...]

    @property
    def success(self) -> bool:
        return bool(self.result.success)

    def failure_reason(self) -> str:
        """dbt's error in one line (error events first, then the exception, then the output's tail)."""
        reason = "; ".join(self.errors) or (str(self.result.exception) if self.result.exception else "")
        reason = reason or self.output[-2000:]
        # dbt appends the macro call stack ("> in macro ..."); the first lines carry the message.
        return " ".join(line.strip() for line in reason.split("> in macro")[0].splitlines() if line.strip())


def invoke_dbt(
    arguments: Sequence[str],
    *,
    project_dir: str | os.PathLike[str] = ".",
    profiles_dir: str | os.PathLike[str] | None = None,
    target: str | None = None,
    variables: dict[str, Any] | None = None,
) -> DbtInvocation:
    """Run `dbt <arguments> --project-dir ... [--profiles-dir] [--target] [--vars]` in this process.

    Raises:
        DbtInvocationError: dbt-core is not installed, or `project_dir` has no dbt_project.yml.
    """
    try:
        from dbt.cli.main import dbtRunner
    except ImportError as error:  # pragma: no cover - dbt-core is a dependency
        raise DbtInvocationError(f"dbt-core is not installed: {error}") from error
    project = Path(project_dir)
    if not (project / "dbt_project.yml").is_file():
        raise DbtInvocationError(f"{project}: no dbt_project.yml (pass --project-dir)")
    # dbt writes run_results.json, manifest.json and its log on every invocation: into a scratch folder, so
    # the failed run's artifacts and log (the evidence) are never overwritten by a diagnostic query.
    scratch = tempfile.mkdtemp(prefix="dbt-incident-")
    command = [*arguments, "--project-dir", str(project), "--target-path", scratch, "--log-path", scratch]
    if profiles_dir is not None:
        command += ["--profiles-dir", str(profiles_dir)]
    if target:
        command += ["--target", target]
    if variables:
        command += ["--vars", json.dumps(variables)]
    errors: list[str] = []

    def collect_errors(event: Any) -> None:
        if getattr(event.info, "level", "") == "error":
            message = event.info.msg
            if message and message.strip():
                errors.append(message.strip())

    captured = io.StringIO()
    try:
        with contextlib.redirect_stdout(captured):
            result = dbtRunner(callbacks=[collect_errors]).invoke(command)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return DbtInvocation(result, captured.getvalue(), tuple(errors))
