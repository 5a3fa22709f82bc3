"""The `dbt-incident` command line: a Click group whose commands are imported only when they run.

Each command lives in `dbt_incident/commands/<name>.py`, parses options and calls one library function.
Commands are registered by import path in `COMMANDS`, so `dbt-incident --help` stays fast and dbt-core is
imported only by the commands that run dbt.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from dbt_incident import __version__

# name -> "module:attribute". Keep sorted by the order a responder meets them.
COMMANDS: dict[str, tuple[str, str]] = {
    "triage": (
        "dbt_incident.commands.triage:triage",
        "List, classify and rank what failed, with blast radius.",
    ),
    "report": (
        "dbt_incident.commands.report:report",
        "Write the incident report (markdown) from the triage.",
    ),
}


class LazyGroup(click.Group):
    """A click.Group that imports a command's module only when that command is invoked or its help shown."""

    def __init__(self, *args: Any, lazy_commands: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.lazy_commands) + sorted(super().list_commands(ctx))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy_commands:
            return super().get_command(ctx, cmd_name)
        module_name, attribute = self.lazy_commands[cmd_name][0].split(":")
        return getattr(importlib.import_module(module_name), attribute)

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; turn library errors into one line `Error: ...` and their exit code (2)."""
        from dbt_incident.errors import DbtIncidentError

        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except DbtIncidentError as error:
            if debug:
                raise
            click.echo(f"Error: {error}", err=True)
            ctx.exit(error.exit_code)
        except Exception as error:  # the last line of defence: one line, never a traceback
            if debug:
                raise
            click.echo(
                f"Error: internal error: {type(error).__name__}: {error} (rerun with --debug)", err=True
            )
            ctx.exit(2)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Short help comes from COMMANDS, so `--help` imports no command module.
        rows = [(name, help_text) for name, (_, help_text) in self.lazy_commands.items()]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(cls=LazyGroup, lazy_commands=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dbt-incident")
@click.option("--debug", is_flag=True, help="Show the full traceback of an error instead of one line.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Take a dbt production incident from the failed job to the committed regression test."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point (`dbt-incident`)."""
    cli.main(args=argv, prog_name="dbt-incident")
