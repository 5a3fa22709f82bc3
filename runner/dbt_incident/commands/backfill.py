"""`dbt-incident backfill`: rebuild a model and its downstream for a date range; `--execute` runs it."""

from __future__ import annotations

import click

from dbt_incident.commands._options import artifact_options


@click.command()
@click.argument("model")
@click.option("--start", default=None, help="First date to rebuild, YYYY-MM-DD (included).")
@click.option("--end", default=None, help="Last date to rebuild, YYYY-MM-DD (included). Default: --start.")
@click.option(
    "--from-profile",
    "profile_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="JSON written by `dbt-incident profile --format json`: its flagged partitions give the dates.",
)
@click.option(
    "--full-refresh", is_flag=True, help="Add --full-refresh (rebuilds incremental models from scratch)."
)
@click.option(
    "--start-var", default="start_date", show_default=True, help="The dbt var the model reads as range start."
)
@click.option(
    "--end-var", default="end_date", show_default=True, help="The dbt var the model reads as range end."
)
@click.option(
    "--target", default=None, help="Profile target to build in (default: the profile's default target)."
)
@artifact_options
@click.option("--execute", is_flag=True, help="Run the command (in --project-dir), not only print it.")
@click.pass_context
def backfill(
    ctx: click.Context,
    model: str,
    start: str | None,
    end: str | None,
    profile_path: str | None,
    full_refresh: bool,
    start_var: str,
    end_var: str,
    target: str | None,
    project_dir: str,
    target_path: str | None,
    execute: bool,
) -> None:
    """Print (and with --execute run) dbt build --select MODEL+ --vars '{"start_date": ..., "end_date": ...}'.

    Dates: --start/--end; else the partitions flagged in --from-profile; else the UTC date the failed run
    started (from run_results.json). MODEL is checked against manifest.json when it is there.
    """
    from dbt_incident.artifacts import load_artifacts
    from dbt_incident.containment import backfill_dates, backfill_plan, check_model, render_plan
    from dbt_incident.containment import execute as run_plan
    from dbt_incident.session import resolve_target_path

    folder = resolve_target_path(project_dir, target_path)
    artifacts = load_artifacts(folder) if (folder / "run_results.json").is_file() else None
    check_model(artifacts.manifest if artifacts else None, model)
    run_results = artifacts.run_results if artifacts else None
    started = (run_results.invocation_started_at or run_results.generated_at) if run_results else None
    first, last, source = backfill_dates(
        start, end, profile_path=profile_path, run_date=started.date() if started else None
    )
    plan = backfill_plan(
        model,
        first,
        last,
        full_refresh=full_refresh,
        start_var=start_var,
        end_var=end_var,
        target=target,
        dates_source=source,
    )
    click.echo(render_plan(plan, executing=execute), nl=False)
    if execute:
        click.echo("")
        ctx.exit(run_plan(plan, project_dir, click.echo))
