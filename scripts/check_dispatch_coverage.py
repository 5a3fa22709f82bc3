"""Fail when a dispatch branch of the dbt package was not executed by any test.

Lists every `default__`, `bigquery__`, `postgres__` and `duckdb__` macro defined under `macros/` and reads
the macro traces the test suite wrote (`runner/tests/dbt_traced.py`: one JSON line per dbt_incident macro
that a dbt invocation entered with `execute` true, with the dbt command and adapter type). A branch counts
as executed when a trace names it. The report says, per branch, on which adapters it ran and whether it
only ran under `dbt compile` (rendered for a real target, with introspection queries, but the SQL it
returns was not run by that invocation).

Usage:
    DBT_INCIDENT_TRACE_DIR=.ci/dispatch-trace make test
    python scripts/check_dispatch_coverage.py --trace-dir .ci/dispatch-trace

Exit codes: 0 every branch executed, 1 some branch never executed, 2 no trace at all (bad usage).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[1]
PACKAGE_NAME = "dbt_incident"
BRANCH_PREFIXES = ("default", "bigquery", "postgres", "duckdb")
COMPILE_ONLY_COMMANDS = frozenset({"compile", "parse", "ls", "list", "docs"})
# `{% macro bigquery__failed_jobs(` and `{%- macro default___date_literal(` (helpers start with `_`).
_MACRO_DEFINITION = re.compile(
    r"\{%-?\s*macro\s+(?P<name>(?P<prefix>" + "|".join(BRANCH_PREFIXES) + r")__\w+)\s*\(", re.MULTILINE
)


@dataclass(frozen=True)
class Branch:
    """One dispatch implementation: its macro name, adapter prefix and defining file (relative path)."""

    name: str
    prefix: str
    path: str

    @property
    def unique_id(self) -> str:
        return f"macro.{PACKAGE_NAME}.{self.name}"


def list_branches(macros_dir: Path) -> list[Branch]:
    """Every `<adapter>__<name>` macro defined in the `.sql` files under `macros_dir`, sorted by name."""
    branches = []
    for path in sorted(macros_dir.rglob("*.sql")):
        for match in _MACRO_DEFINITION.finditer(path.read_text(encoding="utf-8")):
            relative = path.relative_to(macros_dir.parent).as_posix()
            branches.append(Branch(match.group("name"), match.group("prefix"), relative))
    return sorted(branches, key=lambda branch: branch.name)


def read_traces(trace_dir: Path) -> dict[str, set[tuple[str, str]]]:
    """macro unique_id -> {(dbt command, adapter type)} from every `trace-*.jsonl` file in `trace_dir`.

    Raises:
        ValueError: a line is not a JSON object with a `macro` key (names file and line).
    """
    entered: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for path in sorted(trace_dir.glob("trace-*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                macro = record["macro"]
            except (ValueError, KeyError, TypeError) as error:
                raise ValueError(f"{path}:{number}: not a macro trace line ({error})") from error
            entered[macro].add((str(record.get("command", "")), str(record.get("adapter", ""))))
    return entered


def coverage_report(
    branches: list[Branch], entered: dict[str, set[tuple[str, str]]]
) -> tuple[list[str], int]:
    """(report lines, number of branches never executed)."""
    lines = []
    missing = 0
    for branch in branches:
        runs = entered.get(branch.unique_id, set())
        if not runs:
            missing += 1
            lines.append(f"NOT EXECUTED  {branch.name}  ({branch.path})")
            continue
        executed_on = sorted({adapter for command, adapter in runs if command not in COMPILE_ONLY_COMMANDS})
        compiled_on = sorted({adapter for command, adapter in runs if command in COMPILE_ONLY_COMMANDS})
        how = []
        if executed_on:
            how.append("ran on " + ", ".join(executed_on))
        if compiled_on and set(compiled_on) - set(executed_on):
            how.append("compiled for " + ", ".join(sorted(set(compiled_on) - set(executed_on))))
        lines.append(f"ok            {branch.name}  ({'; '.join(how)})")
    return lines, missing


def main(argv: list[str] | None = None) -> int:
    """Print the coverage of every dispatch branch; exit 1 when one was never executed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trace-dir", type=Path, required=True, help="folder of trace-*.jsonl files")
    parser.add_argument(
        "--macros-dir", type=Path, default=REPOSITORY_ROOT / "macros", help="the package's macros folder"
    )
    arguments = parser.parse_args(argv)
    if not arguments.trace_dir.is_dir() or not any(arguments.trace_dir.glob("trace-*.jsonl")):
        print(
            f"check_dispatch_coverage: no trace-*.jsonl in {arguments.trace_dir}; "
            "run the tests with DBT_INCIDENT_TRACE_DIR set",
            file=sys.stderr,
        )
        return 2
    branches = list_branches(arguments.macros_dir)
    lines, missing = coverage_report(branches, read_traces(arguments.trace_dir))
    print("\n".join(lines))
    print(f"{len(branches) - missing} of {len(branches)} dispatch branches executed by a test")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
