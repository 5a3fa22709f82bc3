"""`dbt-incident status`: the open incident, its elapsed time, the validation checklist and the timeline."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incident_option, incidents_dir_option


@click.command()
@incidents_dir_option
@incident_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for the terminal; json: the record, elapsed_seconds, checklist and timeline.",
)
@click.option("--all", "show_all", is_flag=True, help="List every incident (id, status, severity, title).")
def status(
    project_dir: str, incidents_dir: str | None, incident_id: str | None, output_format: str, show_all: bool
) -> None:
    """Show the open incident (else the latest): elapsed time, validation checklist with what is done, timeline.

    Tick checklist items with `dbt-incident check N`.
    """
    import json

    from dbt_incident.incident_record import (
        find_incident,
        list_incidents,
        status_document,
        status_text,
    )
    from dbt_incident.incident_record import (
        incidents_dir as resolve_dir,
    )

    base = resolve_dir(project_dir, incidents_dir)
    if show_all:
        incidents = list_incidents(base)
        if output_format == "json":
            click.echo(json.dumps([item.to_document() for item in incidents], indent=2))
        else:
            for item in incidents:
                click.echo(f"{item.id}  {item.status:<8}  {item.severity}  {item.title}")
        return
    incident = find_incident(base, incident_id)
    if output_format == "json":
        click.echo(json.dumps(status_document(incident), indent=2, ensure_ascii=False))
    else:
        click.echo(status_text(incident), nl=False)
