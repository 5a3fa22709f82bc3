"""`dbt-incident report`: write the incident report from the triage."""

from __future__ import annotations

from pathlib import Path

import click

from dbt_incident.commands._options import artifact_options, force_option


@click.command()
@artifact_options
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False),
    default=".",
    show_default=True,
    help="Folder for incident_report_<YYYYMMDD>_<slug>.md.",
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
@force_option
def report(
    project_dir: str,
    target_path: str | None,
    output_dir: str,
    output_path: str | None,
    title: str | None,
    responder: str | None,
    force: bool,
) -> None:
    """Write the incident report (markdown, the playbook's template) from the last dbt invocation.

    Never overwrites an existing report without --force; writes atomically. Prints the report's path.
    """
    from dbt_incident.report import build_report, report_filename, write_report
    from dbt_incident.session import load_triage

    result = load_triage(project_dir, target_path)
    destination = Path(output_path) if output_path else Path(output_dir) / report_filename(result)
    write_report(build_report(result, title=title, responder=responder), destination, force=force)
    click.echo(str(destination))
