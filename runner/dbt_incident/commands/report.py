"""`dbt-incident report`: write the incident report from the triage."""

from __future__ import annotations

from pathlib import Path

import click

from dbt_incident.commands._incident_options import incident_option
from dbt_incident.commands._options import artifact_options, force_option, warehouse_options


@click.command()
@artifact_options
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for incident_report_<YYYYMMDD>_<slug>.md. Default: the incident folder when an incident "
    "record exists, else the current folder.",
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Exact file to write instead of the default name in --output-dir.",
)
@click.option("--title", default=None, help="Report title (default: what failed, from the triage).")
@click.option("--responder", default=None, help="The responder's name for the report header.")
@click.option(
    "--incidents-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder holding the incident folders. Default: <project-dir>/incidents.",
)
@incident_option
@click.option("--no-incident", is_flag=True, help="Ignore incident records: report on the triage alone.")
@force_option
@warehouse_options
def report(
    project_dir: str,
    target_path: str | None,
    output_dir: str | None,
    output_path: str | None,
    title: str | None,
    responder: str | None,
    incidents_dir: str | None,
    incident_id: str | None,
    no_incident: bool,
    force: bool,
    failing_rows: bool,
    profiles_dir: str | None,
    dbt_target: str | None,
    dbt_vars: str | None,
) -> None:
    """Write the incident report (markdown, the playbook's template) from the last dbt invocation.

    When an incident record exists (`dbt-incident open`; the open one, else the latest, or --incident),
    the report is written into its folder, reads the artifacts snapshot taken at `open`, and merges the
    record: one timeline (run timings, commits, notes, notifications, resolution), severity, duration,
    responders, root cause, impact notes, resolution and the ticked checklist. It always has a 5-whys
    section and action items typed mitigate/prevent/detect. Never overwrites an existing report without
    --force; writes atomically. Prints the report's path.
    """
    from dbt_incident.errors import IncidentNotFound
    from dbt_incident.incident_record import find_incident
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.report import build_report, report_filename, write_report
    from dbt_incident.session import WarehouseAccess, load_triage, parse_vars

    warehouse = WarehouseAccess(profiles_dir, dbt_target, parse_vars(dbt_vars)) if failing_rows else None

    incident = None
    if not no_incident:
        try:
            incident = find_incident(resolve_dir(project_dir, incidents_dir), incident_id)
        except IncidentNotFound:
            if incident_id:
                raise
    if incident is not None and not incident.is_open and not incident_id:
        from dbt_incident.incident_report import is_new_failure

        if is_new_failure(incident, project_dir, target_path):
            click.echo(
                f"note: {incident.id} is resolved and the target folder holds another failed run: reporting "
                f"on that run alone (pass --incident {incident.id} to report the incident)",
                err=True,
            )
            incident = None
    if incident is None:
        result = load_triage(project_dir, target_path, warehouse=warehouse)
        text = build_report(result, title=title, responder=responder)
        destination = Path(output_path) if output_path else Path(output_dir or ".") / report_filename(result)
    else:
        from dbt_incident.incident_report import build_incident_report
        from dbt_incident.incident_report import report_filename as incident_filename

        snapshot = incident.artifacts_path
        use_snapshot = target_path is None and snapshot is not None and snapshot.is_dir()
        result = load_triage(project_dir, snapshot if use_snapshot else target_path, warehouse=warehouse)
        text = build_incident_report(incident, result, project_dir=Path(project_dir))
        if title:
            text = text.replace(f"# Incident Report: {incident.title}", f"# Incident Report: {title}", 1)
        folder = Path(output_dir) if output_dir else incident.folder
        destination = Path(output_path) if output_path else folder / incident_filename(incident)
    write_report(text, destination, force=force)
    click.echo(str(destination))
