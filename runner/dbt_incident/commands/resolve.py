"""`dbt-incident resolve`: close the open incident with its root cause and resolution."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incident_option, incidents_dir_option


@click.command()
@incidents_dir_option
@incident_option
@click.option("--root-cause", required=True, help="What caused the incident (one or two sentences).")
@click.option("--resolution", required=True, help="What was done to fix it (changes, reruns, backfills).")
@click.option(
    "--by", default=None, help="Who resolves it. Default: $DBT_INCIDENT_RESPONDER, else the login name."
)
def resolve(
    project_dir: str,
    incidents_dir: str | None,
    incident_id: str | None,
    root_cause: str,
    resolution: str,
    by: str | None,
) -> None:
    """Resolve the open incident: record root cause and resolution, set resolved_at and the duration.

    Next: `dbt-incident notify resolved`, `dbt-incident report`, `dbt-incident postmortem`.
    """
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.incident_record import resolve_incident
    from dbt_incident.render.formatting import duration_text

    incident = resolve_incident(
        resolve_dir(project_dir, incidents_dir),
        root_cause=root_cause,
        resolution=resolution,
        by=by,
        incident_id=incident_id,
    )
    click.echo(f"Resolved {incident.id} after {duration_text(incident.duration_seconds)}")
