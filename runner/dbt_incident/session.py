"""Glue shared by commands: locate artifacts, run the triage, render, and write or print the output."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import click

from dbt_incident.artifacts import Artifacts, load_artifacts
from dbt_incident.artifacts.reading import paused_gc
from dbt_incident.config import load_project_config
from dbt_incident.errors import ConfigError
from dbt_incident.files import write_atomic
from dbt_incident.triage import Triage, triage


def resolve_target_path(project_dir: str | Path, target_path: str | Path | None) -> Path:
    """Where the artifacts are: `--target-path` when given (relative to the current folder), else dbt's
    `DBT_TARGET_PATH` environment variable (relative to the project, as dbt resolves it), else
    `<project-dir>/target`."""
    if target_path:
        return Path(target_path)
    configured = os.environ.get("DBT_TARGET_PATH")
    return Path(project_dir) / (configured or "target")


def dbt_log_text(project_dir: str | Path) -> str | None:
    """The run's debug log: `$DBT_LOG_PATH/dbt.log`, else `<project-dir>/logs/dbt.log`; None when absent.

    Only the last 20 MB are read (dbt appends every invocation to the same file).
    """
    folder = os.environ.get("DBT_LOG_PATH")
    path = Path(folder) / "dbt.log" if folder else Path(project_dir) / "logs" / "dbt.log"
    if not path.is_file():
        return None
    limit = 20 * 1024 * 1024
    with path.open("rb") as stream:
        size = stream.seek(0, os.SEEK_END)
        stream.seek(max(size - limit, 0))
        return stream.read().decode("utf-8", errors="replace")


@dataclass(frozen=True)
class WarehouseAccess:
    """How to reach the warehouse through dbt for `--failing-rows`: profiles folder, target, `--vars`."""

    profiles_dir: str | None = None
    target: str | None = None
    variables: dict[str, Any] | None = None


def parse_vars(text: str | None) -> dict[str, Any] | None:
    """dbt's `--vars` text (YAML or JSON) as a dict; raises ConfigError naming the option when it is not one."""
    if not text:
        return None
    import yaml

    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"--vars: not valid YAML or JSON: {str(error).splitlines()[0]}") from error
    if not isinstance(value, dict):
        raise ConfigError(f"--vars: expected a mapping such as '{{key: value}}', got {text!r}")
    return value


def load_triage(
    project_dir: str | Path,
    target_path: str | Path | None,
    *,
    changes_since: str | None = None,
    warehouse: WarehouseAccess | None = None,
) -> Triage:
    """Load the artifacts and the project config, and triage them (raises the artifact errors).

    On BigQuery, dbt.log names the jobs of nodes whose query raised. With `changes_since` (e.g. "24h"),
    the triage carries a short summary of the git commits in that window that touched the failing
    lineage (`dbt-incident changes` has the full list); when git history cannot be read, the summary says
    why instead of failing the triage. With `warehouse`, each failed data test's failing rows are read
    from the warehouse through dbt and the affected partitions named (`failing_rows.with_failing_rows`).

    The garbage collector is paused throughout: the artifacts are an acyclic tree of millions of objects
    that each collection pass would rescan (benchmarks/README.md).
    """
    with paused_gc():
        artifacts = load_artifacts(resolve_target_path(project_dir, target_path))
        log_text = dbt_log_text(project_dir) if _looks_like_bigquery(artifacts) else None
        result = triage(artifacts, load_project_config(project_dir), dbt_log_text=log_text)
    if changes_since and result.failures and artifacts.manifest is not None:
        summary = _changes_summary(project_dir, artifacts, result, changes_since)
        result = replace(result, recent_changes=tuple(summary))
    if warehouse is not None and result.failures and artifacts.run_results is not None:
        from dbt_incident.failing_rows import with_failing_rows

        compiled = {item.unique_id: item.compiled_code for item in artifacts.run_results.results}
        result = with_failing_rows(
            result,
            compiled,
            artifacts.manifest.nodes if artifacts.manifest else None,
            project_dir=str(project_dir),
            profiles_dir=warehouse.profiles_dir,
            target=warehouse.target,
            variables=warehouse.variables,
        )
    return result


def _looks_like_bigquery(artifacts: Artifacts) -> bool:
    manifest = artifacts.manifest
    if manifest is not None and manifest.adapter_type:
        return manifest.adapter_type == "bigquery"
    results = artifacts.run_results.results if artifacts.run_results else ()
    return any("job_id" in result.adapter_response for result in results)


def _changes_summary(project_dir: str | Path, artifacts: Artifacts, result: Triage, since: str) -> list[str]:
    from dbt_incident.changes import failing_node_ids, parse_since, recent_changes, summary_lines
    from dbt_incident.errors import DbtIncidentError

    try:
        report = recent_changes(
            project_dir, artifacts.manifest, failing_node_ids(result), since=parse_since(since)
        )
    except DbtIncidentError as error:
        return [f"Recent changes not read: {error}"]
    return summary_lines(report)


def render(result: Triage, output_format: str) -> str:
    """The triage in `text`, `markdown` or `json`."""
    if output_format == "json":
        from dbt_incident.render.json_contract import render_json

        return render_json(result)
    if output_format == "markdown":
        from dbt_incident.render.markdown import render_markdown

        return render_markdown(result)
    from dbt_incident.render.text import render_text

    return render_text(result, color=sys.stdout.isatty())


def emit(text: str, output_path: str | None, output_format: str, *, force: bool = False) -> None:
    """Print `text`, or write it atomically to `output_path` (plain text there: no terminal colours).

    Raises:
        OutputExists: `output_path` exists and `force` is false (the message names the file and `--force`).
    """
    if output_path is None:
        click.echo(text, nl=False)
        return
    write_atomic(output_path, text, force=force)
    click.echo(f"Wrote {output_path}", err=True)
