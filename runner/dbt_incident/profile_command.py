"""Build the exact `dbt-incident profile ...` command line for a model (printed by triage as the next step).

Pure string building, no dbt import: the triage calls it for every failing data test, so it must be cheap.
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence


def suggest_profile_command(
    model_name: str,
    partition_column: str | None = None,
    columns: Sequence[str] | None = None,
    *,
    days: int | None = None,
    as_of: str | None = None,
    project_dir: str | None = None,
    target: str | None = None,
) -> str:
    """Return the shell command that profiles `model_name` (every argument shell-quoted).

    Args:
        model_name: the model (as dbt names it, e.g. `fct_orders` or `fct_orders.v2`), a source
            `source_name.table_name`, or a relation string.
        partition_column: the date/timestamp column to count rows per day on (omitted when unknown).
        columns: the columns to profile for nulls and distinct values (for example the failing test's column).
        days: window length in days (omitted: the package default, 7).
        as_of: last day of the window, `YYYY-MM-DD` (omitted: today, UTC).
        project_dir: `--project-dir` to add when the command is not run from the project folder.
        target: dbt target name to add.

    Returns:
        One line such as `dbt-incident profile fct_orders --partition-column order_date --columns status`
        (one `--columns` per column).

    Raises:
        ValueError: `model_name` is empty or `days` is not a positive whole number.
    """
    if not model_name or not model_name.strip():
        raise ValueError("suggest_profile_command: model_name must be a non-empty string")
    if days is not None and (isinstance(days, bool) or not isinstance(days, int) or days < 1):
        raise ValueError(f"suggest_profile_command: days must be a positive whole number, got {days!r}")
    parts = ["dbt-incident", "profile", model_name.strip()]
    if partition_column:
        parts += ["--partition-column", partition_column]
    if days is not None:
        parts += ["--days", str(days)]
    unique_columns = [column for column in dict.fromkeys(columns or []) if column]
    if unique_columns:
        for column in unique_columns:
            parts += ["--columns", column]
    if as_of:
        parts += ["--as-of", as_of]
    if project_dir:
        parts += ["--project-dir", project_dir]
    if target:
        parts += ["--target", target]
    return shlex.join(parts)
