"""`dbt-incident rerun`: the dbt commands that isolate the failure and verify a fix; `--execute` runs them."""

from __future__ import annotations

import click

from dbt_incident.commands._options import artifact_options


@click.command()
@artifact_options
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder holding the failed run's run_results.json. Default: a copy of the target folder's artifacts "
    "in <project-dir>/incident_state/<invocation_id>/ (dbt rewrites target/ at every run).",
)
@click.option(
    "--dev-target",
    default=None,
    help="Profile target for the development variant (--target NAME --defer); with --execute, run that one.",
)
@click.option("--execute", is_flag=True, help="Run the commands (in --project-dir), not only print them.")
@click.pass_context
def rerun(
    ctx: click.Context,
    project_dir: str,
    target_path: str | None,
    state_dir: str | None,
    dev_target: str | None,
    execute: bool,
) -> None:
    """Print the commands to isolate and verify: dbt build --select result:error+ result:fail+ --state ...,
    its dev-target variant, and dbt test --select <model>+.

    With --execute: copy the failed run's artifacts (unless --state is given), rebuild in the run's target (or
    in --dev-target), then test; dbt's output is streamed and the first failing exit code is the exit code.
    The dbt executable is `dbt` on PATH, or $DBT_INCIDENT_DBT.
    """
    from dbt_incident.containment import execute as run_plan
    from dbt_incident.containment import render_plan, rerun_plan
    from dbt_incident.session import load_triage, resolve_target_path

    folder = resolve_target_path(project_dir, target_path)
    result = load_triage(project_dir, folder)
    plan = rerun_plan(
        result, project_dir=project_dir, target_path=folder, state_dir=state_dir, dev_target=dev_target
    )
    click.echo(render_plan(plan, executing=execute), nl=False)
    if execute and plan.commands:
        click.echo("")
        ctx.exit(run_plan(plan, project_dir, click.echo))
