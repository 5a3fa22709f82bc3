"""`dbt-incident logs`: the errors and warnings of the run from dbt.log, matched to the failing nodes."""

from __future__ import annotations

import click

from dbt_incident.commands._options import artifact_options, output_options


@click.command()
@artifact_options
@click.option(
    "--log-path",
    type=click.Path(exists=True),
    default=None,
    help="dbt.log, or the folder holding it. Default: $DBT_LOG_PATH, else <project-dir>/logs.",
)
@click.option(
    "--all-invocations",
    is_flag=True,
    help="Show every invocation in the file, not only the one of run_results.json.",
)
@click.option("--errors-only", is_flag=True, help="Leave out warnings.")
@output_options
def logs(
    project_dir: str,
    target_path: str | None,
    log_path: str | None,
    all_invocations: bool,
    errors_only: bool,
    output_format: str,
    output_path: str | None,
    force: bool,
) -> None:
    """Show the errors and warnings of the run from dbt.log (debug, text or JSON log format).

    The run is the invocation of run_results.json (by invocation_id, else target path, else time; the last
    invocation of the file when none matches, with a note). Records are grouped under the failing nodes they
    concern. Exit code 0 (informational), 2 when dbt.log is missing or unreadable.
    """
    from dbt_incident.dbt_logs import logs_for_run, render_log_report
    from dbt_incident.session import emit

    report = logs_for_run(
        project_dir,
        target_path,
        log_path,
        all_invocations=all_invocations,
        levels=("error",) if errors_only else ("error", "warn"),
    )
    emit(render_log_report(report, output_format), output_path, output_format, force=force)
