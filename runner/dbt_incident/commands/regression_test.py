"""`dbt-incident regression-test`: write the incident's regression test (a singular dbt test)."""

from __future__ import annotations

import click

from dbt_incident.commands._options import artifact_options, force_option


@click.command("regression-test")
@artifact_options
@click.option(
    "--test",
    "test_id",
    default=None,
    help="The failing test (unique_id or name). Default: the run's first failing test.",
)
@click.option(
    "--model", default=None, help="A model (or source_name.table) to test with --condition instead."
)
@click.option(
    "--condition",
    default=None,
    help="With --model: a SQL condition true for a bad row (customer_id is null).",
)
@click.option(
    "--partition-column",
    default=None,
    help="Column to filter the affected dates on. Default: the model's partition_by field.",
)
@click.option(
    "--dates",
    multiple=True,
    help="Affected dates: 2026-11-30, a comma list, or a range 2026-11-28..2026-11-30 (repeatable).",
)
@click.option(
    "--from-profile",
    "profile_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="JSON of `dbt-incident profile --format json`: its flagged partitions are the affected dates.",
)
@click.option(
    "--slug", "slug_text", default=None, help="Text for the file name's slug (default: test kind and model)."
)
@force_option
def regression_test(
    project_dir: str,
    target_path: str | None,
    test_id: str | None,
    model: str | None,
    condition: str | None,
    partition_column: str | None,
    dates: tuple[str, ...],
    profile_path: str | None,
    slug_text: str | None,
    force: bool,
) -> None:
    """Write tests/regression/test_incident_<YYYYMMDD>_<slug>.sql: a singular test tagged `regression` that
    fails on the incident's data and passes once it is fixed.

    Derived from the failing test (not_null, unique, accepted_values, relationships, this package's generic
    tests, singular tests from their compiled SQL with refs restored) or from --model and --condition.
    Never overwrites without --force. Prints the file's path.
    """
    from dbt_incident.errors import ConfigError
    from dbt_incident.regression_test import write_regression_test

    if (model is None) != (condition is None):
        raise ConfigError("regression-test: --model and --condition go together")
    if test_id and model:
        raise ConfigError("regression-test: pass --test, or --model with --condition, not both")
    destination, generated = write_regression_test(
        project_dir,
        target_path,
        test=test_id,
        model=model,
        condition=condition,
        partition_column=partition_column,
        dates=dates,
        profile_path=profile_path,
        slug_text=slug_text,
        force=force,
    )
    for note in generated.notes:
        click.echo(f"Note: {note}", err=True)
    click.echo(str(destination))
