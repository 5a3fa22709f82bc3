"""Containment and fix: the dbt commands that isolate and verify the failure (`rerun`) and rebuild a date range
(`backfill`), printed for the responder and run on request.

`rerun_plan(triage, ...)` and `backfill_plan(model, start, end, ...)` return a `Plan`: the commands as argument
lists (printed shell-quoted with `shlex.join`) and notes; `execute(plan)` runs them one after the other in the
project folder, streaming dbt's output line by line, and stops at the first non-zero exit code, which it
returns. Nothing goes through a shell.

Why `--state`: dbt's `result:<status>` selector reads `run_results.json` from the folder given to `--state`,
and dbt rewrites `target/` at every invocation, so the failed run's `run_results.json` and `manifest.json` are
first copied to `<project>/incident_state/<invocation_id>/` (the `preserve` step) and `--state` points there.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from dbt_incident.errors import ArtifactNotFound, ConfigError, DbtInvocationError

STATE_FOLDER = "incident_state"
STATE_FILES = ("run_results.json", "manifest.json")
DEFAULT_START_VAR, DEFAULT_END_VAR = "start_date", "end_date"


@dataclass(frozen=True)
class PlannedCommand:
    """One step: `step` names it (preserve, isolate, isolate-dev, verify, backfill), `why` says what it does.

    `argv` is the dbt command line; `copy` (preserve step only) lists (source, destination) files that
    `execute` copies itself instead of running a command. `runs` is False for steps only printed.
    """

    step: str
    why: str
    argv: tuple[str, ...] = ()
    copy: tuple[tuple[Path, Path], ...] = ()
    runs: bool = True

    @property
    def shell(self) -> str:
        """The step as one shell-quoted line (POSIX shells)."""
        if self.copy:
            destination = self.copy[0][1].parent
            sources = " ".join(shlex.quote(str(source)) for source, _ in self.copy)
            return (
                f"mkdir -p {shlex.quote(str(destination))} && cp {sources} {shlex.quote(str(destination))}/"
            )
        return shlex.join(self.argv)


@dataclass(frozen=True)
class Plan:
    """The commands of a containment step, in order, with the notes a responder should read first."""

    title: str
    commands: tuple[PlannedCommand, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)


def dbt_executable() -> str:
    """The dbt to run: `$DBT_INCIDENT_DBT` when set, else `dbt` on PATH."""
    return os.environ.get("DBT_INCIDENT_DBT") or "dbt"


def rerun_plan(
    result: Any,
    *,
    project_dir: str | Path,
    target_path: str | Path,
    state_dir: str | Path | None = None,
    dev_target: str | None = None,
    dbt: str | None = None,
) -> Plan:
    """The commands that isolate the failure and verify a fix, from a triage.

    Args:
        result: the `Triage` of the failed run.
        project_dir: the dbt project (commands run there).
        target_path: the failed run's artifacts folder.
        state_dir: a folder already holding the failed run's run_results.json (and manifest.json); when None,
            a preserve step copies them to `<project_dir>/incident_state/<invocation_id>/`.
        dev_target: the profile target for the development variant (`--target DEV --defer`); when given,
            `execute` runs that variant instead of rebuilding in the run's own target.
        dbt: the dbt executable (default `dbt_executable()`).

    Returns:
        Steps preserve (when needed), isolate, isolate-dev, verify. With no root failure the plan is empty.

    Raises:
        ArtifactNotFound: `state_dir` has no run_results.json.
    """
    dbt = dbt or dbt_executable()
    commands: list[PlannedCommand] = []
    notes: list[str] = []
    if not result.failures:
        return Plan("Rerun", (), ("nothing failed in this run: nothing to rerun",))
    target = Path(target_path)
    if state_dir is None:
        # an invocation_id from a file: only letters, digits, "-" and "_" reach the path (no "..", no "/")
        key = re.sub(r"[^A-Za-z0-9_-]", "_", result.invocation_id or "") or "run"
        # absolute: the commands run with the project as working folder, the user may be elsewhere
        state = (Path(project_dir) / STATE_FOLDER / key).resolve()
        copies = tuple((target / name, state / name) for name in STATE_FILES if (target / name).is_file())
        commands.append(
            PlannedCommand(
                "preserve",
                "copy the failed run's artifacts out of target/, which the next dbt invocation rewrites",
                copy=copies,
            )
        )
        notes.append(
            f"--state {state}: dbt's result:error / result:fail selectors read run_results.json from the --state "
            f"folder; the failed run's artifacts are copied there first (add {STATE_FOLDER}/ to .gitignore)"
        )
    else:
        state = Path(state_dir).resolve()
        if not (state / "run_results.json").is_file():
            raise ArtifactNotFound(
                f"{state / 'run_results.json'}: --state must be a folder holding the failed run's run_results.json"
            )
        notes.append(f"--state {state}: the result: selectors read the failed run's run_results.json there")
    selection = ("--select", "result:error+", "result:fail+", "--state", str(state))
    commands.append(
        PlannedCommand(
            "isolate",
            "rebuild and retest what errored or failed, and everything downstream, in the run's target",
            argv=(dbt, "build", *selection),
            runs=dev_target is None,
        )
    )
    commands.append(
        PlannedCommand(
            "isolate-dev",
            "the same in a development target; --defer reads unselected upstream models from the failed run's "
            "relations (its manifest in --state), so dev needs no full build",
            argv=(dbt, "build", *selection, "--target", dev_target or "dev", "--defer"),
            runs=dev_target is not None,
        )
    )
    selectors = failing_selectors(result)
    if selectors:
        argv = (dbt, "test", "--select", *(f"{name}+" for name in selectors))
        if dev_target:
            argv += ("--target", dev_target)
        commands.append(
            PlannedCommand(
                "verify", "run the tests of the failing models and of everything downstream", argv=argv
            )
        )
    return Plan("Rerun", tuple(commands), tuple(notes))


def failing_selectors(result: Any) -> list[str]:
    """dbt selectors (model names, `name.v2` for versions, `source:src.table`) of the nodes that failed.

    A failing test contributes the node it tests; an erroring model, seed or snapshot itself.
    """
    selectors: list[str] = []
    for failure in result.failures:
        unique_id = failure.tested_node or failure.unique_id
        parts = unique_id.split(".")
        if parts[0] in ("model", "seed", "snapshot") and len(parts) >= 3:
            selectors.append(".".join(parts[2:]))
        elif parts[0] == "source" and len(parts) >= 4:
            selectors.append(f"source:{parts[2]}.{parts[3]}")
    return list(dict.fromkeys(selectors))


def parse_iso_date(value: str | date, option: str) -> date:
    """An ISO date (YYYY-MM-DD). Raises ConfigError naming the option and the value."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError as error:
        raise ConfigError(f"{option} {value!r} is not an ISO date (YYYY-MM-DD)") from error


def date_span(start: date, end: date) -> list[date]:
    """Every date from `start` to `end`, both included."""
    return [start + timedelta(days=offset) for offset in range((end - start).days + 1)]


@dataclass(frozen=True)
class AffectedDates:
    """Dates an incident touched and where they were learned (`source`), plus what the source says of the
    model and its partition column (None when unknown)."""

    dates: tuple[date, ...]
    source: str
    model: str | None = None
    partition_column: str | None = None


def affected_dates_from_profile(path: str | Path) -> AffectedDates:
    """The affected partitions from `dbt-incident profile --format json` output.

    Row-history findings (partitions flagged missing, low or high) give their dates. Without them, null or
    distinct-value findings give the window they were measured on: the `null_window_days` days ending at
    `as_of`. No finding gives no dates.

    Raises:
        ArtifactNotFound: no such file. ConfigError: not the JSON of `dbt-incident profile`.
    """
    path = Path(path)
    if not path.is_file():
        raise ArtifactNotFound(
            f"{path}: profile output not found (write it with dbt-incident profile --format json --output)"
        )
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: not JSON: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("profile"), dict):
        raise ConfigError(f"{path}: not the JSON of dbt-incident profile (no 'profile' object)")
    profile = document["profile"]
    findings = [item for item in document.get("findings") or [] if isinstance(item, dict)]
    dates: set[date] = set()
    for finding in findings:
        if finding.get("section") == "row_history":
            try:
                dates.add(date.fromisoformat(str(finding.get("subject"))[:10]))
            except ValueError:
                continue
    source = f"{path} (partitions flagged by the row history)"
    if not dates and any(item.get("section") in ("null_counts", "distinct_profile") for item in findings):
        try:
            as_of = date.fromisoformat(str(profile.get("as_of"))[:10])
            window = int(profile.get("null_window_days") or 1)
        except (TypeError, ValueError):
            as_of, window = None, 0
        if as_of is not None:
            dates.update(as_of - timedelta(days=offset) for offset in range(max(window, 1)))
            source = f"{path} (the {window}-day window where nulls or new values were found)"
    return AffectedDates(
        tuple(sorted(dates)),
        source if dates else f"{path} (no partition flagged)",
        model=str(profile["model"]) if profile.get("model") else None,
        partition_column=str(profile["partition_column"]) if profile.get("partition_column") else None,
    )


def backfill_dates(
    start: str | None,
    end: str | None,
    *,
    profile_path: str | Path | None = None,
    run_date: date | None = None,
) -> tuple[date, date, str]:
    """Decide the backfill range: explicit dates, else the profile's affected partitions, else the run's day.

    One explicit bound alone makes a one-day range. The fallback when nothing is known is the UTC date the
    failed run started (its partition), said in the returned source.

    Returns:
        (start, end, where the dates come from).

    Raises:
        ConfigError: a date is not ISO, start after end, or nothing is known at all.
    """
    if start or end:
        first = parse_iso_date(start or end or "", "--start" if start else "--end")
        last = parse_iso_date(end or start or "", "--end" if end else "--start")
        source = "--start/--end"
    elif profile_path is not None:
        affected = affected_dates_from_profile(profile_path)
        if not affected.dates:
            raise ConfigError(f"{affected.source}: no affected partition; pass --start and --end")
        first, last, source = affected.dates[0], affected.dates[-1], affected.source
    elif run_date is not None:
        first = last = run_date
        source = "the failed run's start date (UTC); pass --start/--end or --from-profile for another range"
    else:
        raise ConfigError(
            "backfill: no dates given and none known: pass --start and --end (or --from-profile)"
        )
    if first > last:
        raise ConfigError(f"--start {first.isoformat()} is after --end {last.isoformat()}")
    return first, last, source


def backfill_plan(
    model: str,
    start: date,
    end: date,
    *,
    full_refresh: bool = False,
    start_var: str = DEFAULT_START_VAR,
    end_var: str = DEFAULT_END_VAR,
    target: str | None = None,
    dates_source: str = "",
    dbt: str | None = None,
) -> Plan:
    """The command that rebuilds `model` and everything downstream for [start, end].

    `--vars` carries the dates as JSON strings (`{"start_date": "2026-11-28", ...}`: JSON is YAML, and quoted
    dates stay strings in `var()`); `--full-refresh` only when asked, since it rebuilds incremental models
    from scratch.

    Raises:
        ConfigError: an empty or blank model selector, or start after end.
    """
    model = model.strip()
    if not model or any(character.isspace() for character in model):
        raise ConfigError(f"backfill: MODEL must be one model name or selector without spaces, got {model!r}")
    if start > end:
        raise ConfigError(f"--start {start.isoformat()} is after --end {end.isoformat()}")
    selector = model if model.endswith("+") else f"{model}+"
    variables = json.dumps({start_var: start.isoformat(), end_var: end.isoformat()})
    argv: tuple[str, ...] = (dbt or dbt_executable(), "build", "--select", selector, "--vars", variables)
    if full_refresh:
        argv += ("--full-refresh",)
    if target:
        argv += ("--target", target)
    days = (end - start).days + 1
    notes = [
        f"dates {start.isoformat()} to {end.isoformat()} ({days} day{'s' if days > 1 else ''}), from {dates_source or 'the options'}",
        f"the model must filter on var('{start_var}') and var('{end_var}') for the range to matter; "
        "otherwise dbt rebuilds whatever its SQL selects",
    ]
    if full_refresh:
        notes.append(
            "--full-refresh rebuilds incremental models below the selection from scratch (all dates)"
        )
    why = f"rebuild {model} and everything downstream for the range, then run their tests"
    return Plan("Backfill", (PlannedCommand("backfill", why, argv=argv),), tuple(notes))


def render_plan(plan: Plan, *, executing: bool = False) -> str:
    """The plan as text: each step's purpose and its shell-quoted command, then the notes."""
    lines = [f"{plan.title}:"]
    for number, command in enumerate(plan.commands, start=1):
        marker = "" if not executing else (" (runs)" if command.runs else " (not run)")
        lines.append(f"{number}. {command.step}{marker}: {command.why}")
        lines.append(f"   {command.shell}")
    if plan.notes:
        lines.append("")
        lines.extend(f"Note: {note}" for note in plan.notes)
    return "\n".join(lines) + "\n"


def execute(
    plan: Plan,
    cwd: str | Path,
    echo: Callable[[str], None],
    *,
    environment: dict[str, str] | None = None,
) -> int:
    """Run the plan's runnable steps in order in `cwd`, streaming output through `echo` (one line at a time).

    Returns:
        0 when every step succeeded, else the exit code of the first failing step (the rest are not run).

    Raises:
        DbtInvocationError: the executable is not found.
    """
    for command in plan.commands:
        if not command.runs:
            continue
        echo(f"$ {command.shell}")
        if command.copy:
            for source, destination in command.copy:
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, destination)
            continue
        code = _stream(command.argv, Path(cwd), echo, environment)
        if code != 0:
            echo(f"{command.step} exited with code {code}; stopping")
            return code
    return 0


def _stream(
    argv: Sequence[str], cwd: Path, echo: Callable[[str], None], environment: dict[str, str] | None
) -> int:
    try:
        process = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
    except FileNotFoundError as error:
        raise DbtInvocationError(
            f"{argv[0]}: not found (install dbt, or set DBT_INCIDENT_DBT to the dbt executable)"
        ) from error
    assert process.stdout is not None
    for line in _lines(process.stdout):
        echo(line)
    return process.wait()


def _lines(stream: Iterable[str]) -> Iterable[str]:
    for line in stream:
        yield line.rstrip("\n")


def check_model(manifest: Any, selector: str) -> None:
    """Refuse a plain model name that the manifest does not know (selectors with `:` `/` `*` pass as is).

    Raises:
        NodeNotInManifest: the name is no model, seed or snapshot of the manifest (the message suggests close names).
    """
    import difflib

    from dbt_incident.errors import NodeNotInManifest

    name = selector.strip().lstrip("+").rstrip("+")
    if manifest is None or any(character in name for character in ":/*,@"):
        return
    names = {
        ".".join(unique_id.split(".")[2:])
        for unique_id, node in manifest.nodes.items()
        if node.resource_type in ("model", "seed", "snapshot")
    } | {node.name for node in manifest.nodes.values() if node.resource_type in ("model", "seed", "snapshot")}
    if name not in names:
        close = difflib.get_close_matches(name, sorted(names), n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise NodeNotInManifest(
            f"backfill: {name!r} is not a model, seed or snapshot of {manifest.path}{hint}"
        )
