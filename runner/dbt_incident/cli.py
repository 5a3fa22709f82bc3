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
    "profile": (
        "dbt_incident.commands.profile:profile",
        "Profile a model's data: rows per day, nulls, new values.",
    ),
    "open": ("dbt_incident.commands.open:open_command", "Open an incident record, seeded from the triage."),
    "note": ("dbt_incident.commands.note:note", "Add a timestamped note to the timeline."),
    "status": ("dbt_incident.commands.status:status", "Open incident, elapsed time, checklist."),
    "check": ("dbt_incident.commands.check:check", "Tick an item of the validation checklist."),
    "notify": ("dbt_incident.commands.notify:notify", "Post the incident to Slack."),
    "changes": ("dbt_incident.commands.changes:changes", "Recent commits under the failing lineage."),
    "logs": ("dbt_incident.commands.logs:logs", "Errors and warnings of the run from dbt.log."),
    "rerun": ("dbt_incident.commands.rerun:rerun", "Commands to isolate and verify (--execute runs them)."),
    "backfill": ("dbt_incident.commands.backfill:backfill", "Rebuild a model and downstream for dates."),
    "resolve": ("dbt_incident.commands.resolve:resolve", "Close the incident: root cause, resolution."),
    "commit-message": ("dbt_incident.commands.commit_message:commit_message", "The fix commit message."),
    "postmortem": ("dbt_incident.commands.postmortem:postmortem", "Write the post-mortem agenda."),
    "regression-test": ("dbt_incident.commands.regression_test:regression_test", "Write a regression test."),
    "report": (
        "dbt_incident.commands.report:report",
        "Write the incident report (markdown) from the triage.",
    ),
}


def _fail(ctx: click.Context, error: BaseException, message: str, exit_code: int, debug: bool) -> None:
    """Print `message` (one line) to standard error, after the traceback when `debug`, and exit `exit_code`."""
    if debug:
        import traceback

        traceback.print_exception(error)
    click.echo(message, err=True)
    ctx.exit(exit_code)


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
        """Run the command; turn errors into one line `Error: ...` and their exit code (2).

        With `--debug` the full traceback is printed first (standard error); the exit code stays the same.
        """
        from dbt_incident.errors import DbtIncidentError

        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort):
            raise
        except DbtIncidentError as error:
            _fail(ctx, error, f"Error: {error}", error.exit_code, debug)
        except OSError as error:  # a file the command reads or writes: permission, not a folder, disk full
            where = f"{error.filename}: " if error.filename else ""
            _fail(ctx, error, f"Error: {where}{error.strerror or error}", 2, debug)
        except Exception as error:  # the last line of defence: one line, never a traceback
            message = f"Error: internal error: {type(error).__name__}: {error} (rerun with --debug)"
            _fail(ctx, error, message, 2, debug)

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
