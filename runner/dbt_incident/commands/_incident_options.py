"""Options shared by the incident-record commands (open, note, status, check, resolve, notify, ...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from dbt_incident.commands._options import project_dir_option

F = TypeVar("F", bound=Callable[..., Any])


def incidents_dir_option(function: F) -> F:
    """Add `--project-dir` and `--incidents-dir` (where the `incidents/<id>/` folders live)."""
    function = click.option(
        "--incidents-dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Folder holding the incident folders. Default: <project-dir>/incidents.",
    )(function)
    function = project_dir_option(function)
    return function


def incident_option(function: F) -> F:
    """Add `--incident ID`: work on this incident instead of the open one."""
    return click.option(
        "--incident",
        "incident_id",
        default=None,
        metavar="ID",
        help="The incident id (incident_YYYYMMDD_HHMMSS). Default: the open incident, else the latest.",
    )(function)
