"""`dbt-incident notify`: post the incident to Slack through an incoming webhook."""

from __future__ import annotations

import click

from dbt_incident.commands._incident_options import incident_option, incidents_dir_option


@click.command()
@click.argument("event", required=False, type=click.Choice(["opened", "update", "resolved"]))
@incidents_dir_option
@incident_option
@click.option("--message", default=None, help="Text of an update (default: the latest note of the timeline).")
@click.option("--dry-run", is_flag=True, help="Print the Slack payload (JSON) instead of sending it.")
def notify(
    event: str | None,
    project_dir: str,
    incidents_dir: str | None,
    incident_id: str | None,
    message: str | None,
    dry_run: bool,
) -> None:
    """Post EVENT (opened, update, resolved) of the incident to Slack; default: what is due next.

    The webhook URL is read from $DBT_INCIDENT_SLACK_WEBHOOK_URL (or the variable named by
    `notify.slack_webhook_url_env` in dbt-incident.yml) and is never printed or recorded. 429 and 5xx
    answers are retried with backoff. Every attempt is recorded in the timeline; a failure exits 2.
    """
    import json

    from dbt_incident.config import load_project_config
    from dbt_incident.incident_record import find_incident
    from dbt_incident.incident_record import incidents_dir as resolve_dir
    from dbt_incident.notify import build_message, default_event, notify_settings
    from dbt_incident.notify import notify as send

    incident = find_incident(resolve_dir(project_dir, incidents_dir), incident_id)
    event = event or default_event(incident)
    if dry_run:
        click.echo(json.dumps(build_message(incident, event, message=message), indent=2, ensure_ascii=False))
        return
    settings = notify_settings(load_project_config(project_dir))
    delivery = send(incident, event, settings, message=message)
    click.echo(f"{incident.id}: Slack notification '{event}' delivered (attempt {delivery.attempts})")
