"""`dbt-incident postmortem`: write the blameless post-mortem meeting agenda into the incident folder."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incident_option, incidents_dir_option
from dbt_incident.commands._options import force_option


@click.command()
@incidents_dir_option
@incident_option
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write here instead of <incident folder>/postmortem.md.",
)
@force_option
def postmortem(
    project_dir: str, incidents_dir: str | None, incident_id: str | None, output_path: str | None, force: bool
) -> None:
    """Write the post-mortem agenda: attendees from responders and exposure owners, timeline review,
    root cause with 5 whys, what went well, what could be improved, typed action items.

    Never overwrites an existing agenda without --force. Prints the file's path.
    """
    from pathlib import Path

    from dbt_incident.incident_record import find_incident
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.postmortem import write_agenda

    incident = find_incident(resolve_dir(project_dir, incidents_dir), incident_id)
    click.echo(str(write_agenda(incident, output=Path(output_path) if output_path else None, force=force)))
