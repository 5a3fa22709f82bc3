"""`dbt-incident triage`: what broke, why, how bad, who is affected."""

from __future__ import annotations

import click

from dbt_incident.commands._options import artifact_options, output_options, warehouse_options


@click.command()
@artifact_options
@output_options
@click.option(
    "--changes-since",
    default="24h",
    show_default=True,
    help="Summarise the git commits in this window (24h, 3d, 90m, a date) that touched the failing lineage.",
)
@click.option("--no-changes", is_flag=True, help="Do not read git history.")
@warehouse_options
@click.pass_context
def triage(
    ctx: click.Context,
    project_dir: str,
    target_path: str | None,
    output_format: str,
    output_path: str | None,
    force: bool,
    changes_since: str,
    no_changes: bool,
    failing_rows: bool,
    profiles_dir: str | None,
    dbt_target: str | None,
    dbt_vars: str | None,
) -> None:
    """List, classify and rank what failed in the last dbt invocation.

    Reads run_results.json (required), manifest.json and sources.json (optional) from the target folder.
    Exit code: 0 nothing failed, 1 failures found, 2 bad input.
    """
    from dbt_incident.session import WarehouseAccess, emit, load_triage, parse_vars, render

    warehouse = WarehouseAccess(profiles_dir, dbt_target, parse_vars(dbt_vars)) if failing_rows else None
    result = load_triage(
        project_dir, target_path, changes_since=None if no_changes else changes_since, warehouse=warehouse
    )
    emit(render(result, output_format), output_path, output_format, force=force)
    ctx.exit(1 if result.failed else 0)
