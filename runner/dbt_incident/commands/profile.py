"""`dbt-incident profile`: what does the data of one model look like right now?"""

from __future__ import annotations

import click

from dbt_incident.commands._options import output_options


def _split_columns(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


@click.command("profile")
@click.argument("model")
@click.option(
    "--partition-column",
    default=None,
    help="Date or timestamp column: row count per day against its baseline.",
)
@click.option(
    "--days", type=click.IntRange(1, 3660), default=None, help="Window in days ending at --as-of (default 7)."
)
@click.option(
    "--columns",
    multiple=True,
    help="Columns for null counts and distinct values (repeat, or comma-separated). Default: nulls of every column.",
)
@click.option("--as-of", default=None, help="Last day of the window, YYYY-MM-DD (default: today, UTC).")
@click.option(
    "--baseline-days",
    type=click.IntRange(1, 3660),
    default=None,
    help="Row history only: compare each day with this many days before the window (default: the latest day"
    " against the window's earlier days). Needs --partition-column.",
)
@click.option(
    "--timestamp-column",
    default=None,
    help="Timestamp column for freshness (default: the partition column when it is a timestamp).",
)
@click.option(
    "--project-dir", type=click.Path(file_okay=False), default=".", show_default=True, help="The dbt project."
)
@click.option(
    "--profiles-dir", type=click.Path(file_okay=False), default=None, help="Folder of profiles.yml."
)
@click.option("--target", default=None, help="dbt target (from profiles.yml) to query.")
@click.option(
    "--vars", "variables", default=None, help="dbt vars as a JSON or YAML mapping, as in dbt --vars."
)
@output_options
def profile(
    model: str,
    partition_column: str | None,
    days: int | None,
    columns: tuple[str, ...],
    as_of: str | None,
    baseline_days: int | None,
    timestamp_column: str | None,
    project_dir: str,
    profiles_dir: str | None,
    target: str | None,
    variables: str | None,
    output_format: str,
    output_path: str | None,
    force: bool,
) -> None:
    """Profile MODEL (a model, source_name.table_name or relation): rows per day, nulls, new values, freshness.

    Runs the dbt_incident package's `incident_profile` run-operation and flags the partitions and columns that
    look wrong. Exit code 1 when something looks wrong, 0 when nothing does.
    """
    from dbt_incident.files import refuse_existing
    from dbt_incident.profile import run_profile
    from dbt_incident.profile_render import render_json, render_markdown, render_text
    from dbt_incident.session import emit, parse_vars

    if baseline_days is not None and not partition_column:
        raise click.UsageError(
            "--baseline-days needs --partition-column (it sets the row history's baseline)"
        )
    if output_path:
        refuse_existing(output_path, force=force)  # before dbt runs: a query may cost money
    parsed_vars = parse_vars(variables)
    result = run_profile(
        model,
        partition_column=partition_column,
        days=days,
        columns=_split_columns(columns) or None,
        as_of=as_of,
        baseline_days=baseline_days,
        timestamp_column=timestamp_column,
        project_dir=project_dir,
        profiles_dir=profiles_dir,
        target=target,
        variables=parsed_vars,
    )
    renderer = {"text": render_text, "markdown": render_markdown, "json": render_json}[output_format]
    text = renderer(result)
    emit(text, output_path, output_format, force=force)
    if result.findings:
        raise click.exceptions.Exit(1)
