"""`dbt-incident open`: acknowledge an incident and create its record folder."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incidents_dir_option


@click.command("open")
@incidents_dir_option
@click.option(
    "--target-path",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder of the failing run's artifacts (run_results.json, manifest.json). Default: <project-dir>/target.",
)
@click.option("--title", default=None, help="Short title. Default: what failed, from the triage.")
@click.option(
    "--severity",
    type=click.Choice(["P0", "P1", "P2", "P3"], case_sensitive=False),
    default=None,
    help="P0 critical ... P3 low. Default: the triage's severity (required when there is no failed run).",
)
@click.option(
    "--responder",
    "responders",
    multiple=True,
    help="A responder's name (repeatable). Default: $DBT_INCIDENT_RESPONDER, else the login name.",
)
@click.option("--no-snapshot", is_flag=True, help="Do not copy the run's artifacts into the incident folder.")
@click.option("--force", is_flag=True, help="Open a new incident even though another one is still open.")
def open_command(
    project_dir: str,
    incidents_dir: str | None,
    target_path: str | None,
    title: str | None,
    severity: str | None,
    responders: tuple[str, ...],
    no_snapshot: bool,
    force: bool,
) -> None:
    """Open an incident: create incidents/<id>/ with incident.yml and timeline.jsonl, seeded from the triage.

    The id is incident_YYYYMMDD_HHMMSS from the UTC time of opening. When the target folder holds
    artifacts, the record gets the failing nodes, the affected nodes, exposures and owners, the invocation
    and the triage's severity, and the artifacts are copied to incidents/<id>/artifacts/. Refuses while
    another incident is open unless --force. Prints the incident folder.
    """
    from pathlib import Path

    from dbt_incident.errors import ArtifactNotFound
    from dbt_incident.incident_record import default_author, open_incident
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.session import load_triage, resolve_target_path

    target = resolve_target_path(project_dir, target_path)
    result, note = None, None
    try:
        result = load_triage(project_dir, target_path)
    except ArtifactNotFound as error:
        note = f"no dbt artifacts read ({error})"
        click.echo(f"warning: {note}", err=True)
    incident = open_incident(
        resolve_dir(project_dir, incidents_dir),
        result=result,
        title=title,
        severity=severity,
        responders=responders or (default_author(),),
        force=force,
        snapshot_from=None if no_snapshot or result is None else Path(target),
        context_note=note,
    )
    click.echo(f"Opened {incident.id} ({incident.severity}): {incident.title}", err=True)
    click.echo(str(incident.folder))
