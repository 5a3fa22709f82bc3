"""Glue shared by commands: locate artifacts, run the triage, render, and write or print the output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from dbt_incident.artifacts import load_artifacts
from dbt_incident.artifacts.reading import paused_gc
from dbt_incident.config import load_project_config
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


def load_triage(project_dir: str | Path, target_path: str | Path | None) -> Triage:
    """Load the artifacts and the project config, and triage them (raises the artifact errors).

    The garbage collector is paused throughout: the artifacts are an acyclic tree of millions of objects
    that each collection pass would rescan (benchmarks/README.md).
    """
    with paused_gc():
        artifacts = load_artifacts(resolve_target_path(project_dir, target_path))
        return triage(artifacts, load_project_config(project_dir))


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


def emit(text: str, output_path: str | None, output_format: str, *, force: bool = True) -> None:
    """Print `text`, or write it atomically to `output_path` (plain text there: no terminal colours)."""
    if output_path is None:
        click.echo(text, nl=False)
        return
    write_atomic(output_path, text, force=force)
    click.echo(f"Wrote {output_path}", err=True)
