"""Options shared by several commands, defined once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def output_options(function: F) -> F:
    """Add `--format [text|markdown|json]` and `--output PATH` to a command."""
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


def artifact_options(function: F) -> F:
    """Add `--project-dir` and `--target-path`, the places the dbt artifacts are read from."""
    function = click.option(
        "--target-path",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder holding run_results.json (and manifest.json, sources.json). Default: <project-dir>/target.",
    )(function)
    function = click.option(
        "--project-dir",
        type=click.Path(file_okay=False),
        default=".",
        show_default=True,
        help="The dbt project (its dbt_project.yml and the optional dbt-incident.yml config).",
    )(function)
    return function
