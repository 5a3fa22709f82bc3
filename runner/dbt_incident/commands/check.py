"""`dbt-incident check`: tick an item of the playbook's validation checklist."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incident_option, incidents_dir_option


@click.command()
@click.argument("item")
@incidents_dir_option
@incident_option
@click.option(
    "--by", default=None, help="Who checked it. Default: $DBT_INCIDENT_RESPONDER, else the login name."
)
@click.option("--undo", is_flag=True, help="Untick the item instead.")
def check(
    item: str,
    project_dir: str,
    incidents_dir: str | None,
    incident_id: str | None,
    by: str | None,
    undo: bool,
) -> None:
    """Tick validation ITEM: its number 1-6 or its words ("Data is correct", "tests").

    Items: 1 Data is correct, 2 All tests passing, 3 Downstream systems healthy, 4 Stakeholders notified,
    5 Incident documented, 6 Prevention measures identified. Recorded in the timeline.
    """
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.incident_record import tick

    incident, name = tick(
        resolve_dir(project_dir, incidents_dir), item, by=by, undo=undo, incident_id=incident_id
    )
    click.echo(f"{incident.id}: [{' ' if undo else 'x'}] {name}")
