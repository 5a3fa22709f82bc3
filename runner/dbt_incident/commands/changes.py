"""`dbt-incident changes`: git commits and modified nodes under the failing nodes' lineage."""

from __future__ import annotations

import click

from dbt_incident.commands._options import artifact_options, output_options


@click.command()
@artifact_options
@click.option(
    "--since",
    default="24h",
    show_default=True,
    help="Window start: a duration before now (90m, 24h, 3d, 2w) or an ISO date / date-time (UTC).",
)
@click.option(
    "--state",
    "state_dir",
    type=click.Path(exists=True),
    default=None,
    help="Folder (or file) of a previous manifest.json: also list lineage nodes new, removed or changed since.",
)
@output_options
def changes(
    project_dir: str,
    target_path: str | None,
    since: str,
    state_dir: str | None,
    output_format: str,
    output_path: str | None,
    force: bool,
) -> None:
    """List the recent commits that touched the files of the failing nodes and of their upstream lineage.

    Files come from the manifest (SQL, properties .yml, macros used) plus dbt_project.yml and packages.yml;
    the project may be a subfolder of the git repository. Exit code 0 (informational), 2 on bad input.
    """
    from dbt_incident.changes import changes_for_run, render_changes
    from dbt_incident.session import emit

    report = changes_for_run(project_dir, target_path, since=since, state_dir=state_dir)
    emit(render_changes(report, output_format), output_path, output_format, force=force)
