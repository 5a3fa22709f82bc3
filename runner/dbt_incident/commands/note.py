"""`dbt-incident note`: append a timestamped entry to the open incident's timeline."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incident_option, incidents_dir_option


@click.command()
@click.argument("text")
@incidents_dir_option
@incident_option
@click.option(
    "--author", default=None, help="Who writes it. Default: $DBT_INCIDENT_RESPONDER, else the login name."
)
@click.option(
    "--kind",
    type=click.Choice(["note", "what", "when", "who", "impact"]),
    default="note",
    show_default=True,
    help="The playbook's quick assessment: what is broken, when it broke, who is affected, the impact.",
)
def note(
    text: str,
    project_dir: str,
    incidents_dir: str | None,
    incident_id: str | None,
    author: str | None,
    kind: str,
) -> None:
    """Append TEXT to the open incident's timeline with the UTC time and the author.

    Safe when several responders write at once (file lock, fsync). `--kind impact` notes fill the report's
    business impact; `what`/`who` notes its summary.
    """
    from dbt_incident.incident_record import add_note
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.timeline import format_time

    incident, event = add_note(
        resolve_dir(project_dir, incidents_dir), text, author=author, kind=kind, incident_id=incident_id
    )
    click.echo(f"{incident.id} {format_time(event.at)} {event.kind} ({event.author}): {event.text}")
