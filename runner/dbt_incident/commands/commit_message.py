"""`dbt-incident commit-message`: the fix commit message filled from the incident record."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incident_option, incidents_dir_option
from dbt_incident.commands._options import force_option


@click.command("commit-message")
@incidents_dir_option
@incident_option
@click.option(
    "--summary", default=None, help="Subject after 'Fix: ' (default: the resolution, else the title)."
)
@click.option(
    "--tested", default=None, help="How the fix was validated (default: the ticked validation checks)."
)
@click.option(
    "--output",
    "output_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write the message to this file (for `git commit -F FILE`) instead of printing it.",
)
@force_option
def commit_message(
    project_dir: str,
    incidents_dir: str | None,
    incident_id: str | None,
    summary: str | None,
    tested: str | None,
    output_path: str | None,
    force: bool,
) -> None:
    """Print the playbook's fix commit message (Fix / Root cause / Solution / Tested / Resolves incident).

    Filled from the open incident, else the latest one; use with `dbt-incident commit-message | git commit -F -`.
    """
    from dbt_incident.commit_message import commit_message as build
    from dbt_incident.incident_record import find_incident
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.session import emit

    incident = find_incident(resolve_dir(project_dir, incidents_dir), incident_id)
    emit(build(incident, summary=summary, tested=tested), output_path, "text", force=force)
