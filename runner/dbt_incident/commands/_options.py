"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def output_options(function: F) -> F:
    """Add `--format [text|markdown|json]`, `--output PATH` and `--force` (replace an existing PATH) to a command."""
    function = click.option(
        "--force", is_flag=True, help="Replace an existing --output file instead of refusing."
    )(function)
    function = click.option(
        "--output",
        "output_path",
        type=click.Path(dir_okay=False, writable=True),
        default=None,
        help="Write the output to this file (atomically) instead of standard output.",
    )(function)
    function = click.option(
        "--format",
        "output_format",
        type=click.Choice(["text", "markdown", "json"]),
        default="text",
        show_default=True,
        help="text: a rich terminal summary; markdown: for tickets and chat; json: the stable contract.",
    )(function)
    return function


def force_option(function: F) -> F:
    """Add `--force`: replace an existing output file."""
    return click.option("--force", is_flag=True, help="Replace an existing file instead of refusing.")(
        function
    )


def project_dir_option(function: F) -> F:
    """Add `--project-dir`: the dbt project (its target/ folder and the optional dbt-incident.yml config)."""
    return click.option(
        "--project-dir",
        type=click.Path(file_okay=False),
        default=".",
        show_default=True,
        help="The dbt project (its dbt_project.yml, target/ folder and the optional dbt-incident.yml config).",
    )(function)


def artifact_options(function: F) -> F:
    """Add `--project-dir` and `--target-path`, the places the dbt artifacts are read from."""
    function = click.option(
        "--target-path",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder holding run_results.json (and manifest.json, sources.json). Default: <project-dir>/target.",
    )(function)
    function = project_dir_option(function)
    return function


def warehouse_options(function: F) -> F:
    """Add `--failing-rows` and the dbt connection options it uses (`--profiles-dir`, `--target`, `--vars`)."""
    function = click.option(
        "--vars",
        "dbt_vars",
        default=None,
        help="dbt --vars (YAML or JSON) for the warehouse query, as the failed job was given them.",
    )(function)
    function = click.option(
        "--target", "dbt_target", default=None, help="dbt target (profile output) to query."
    )(function)
    function = click.option(
        "--profiles-dir", default=None, type=click.Path(file_okay=False), help="Folder of profiles.yml."
    )(function)
    function = click.option(
        "--failing-rows",
        is_flag=True,
        help="Query the warehouse (through dbt) for each failed test's rows: stored failures, else the "
        "compiled test query; names the affected partitions.",
    )(function)
    return function
