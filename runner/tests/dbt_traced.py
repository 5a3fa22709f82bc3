"""Run the dbt CLI and record every `dbt_incident` macro it enters, for `scripts/check_dispatch_coverage.py`.

Usage: `python runner/tests/dbt_traced.py <dbt arguments>`, with `DBT_INCIDENT_TRACE_DIR` set to a folder.
`runner/tests/dbt_harness.py` runs dbt through this file whenever that variable is set (`.ci/run` sets it).

How "executed" is recorded: dbt calls every macro, including the implementation `adapter.dispatch` picks,
through `dbt.clients.jinja.MacroGenerator.__call__`. This wrapper patches that method to note the macro's
`unique_id` when the macro belongs to the `dbt_incident` package and the Jinja context has `execute` true
(so parse-time renders, which never reach the warehouse, do not count). On exit it appends one JSON line per
macro to `<trace dir>/trace-<pid>.jsonl`: `{"macro": ..., "command": ..., "target": ..., "adapter": ...}`,
where `command` is the dbt sub-command (`build`, `compile`, `run-operation`, ...) and `adapter` the type of
the active target, so the coverage report can say which branches ran against a warehouse and which were
only compiled. Nothing changes in dbt's behaviour or exit code.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import threading
from pathlib import Path

PACKAGE_NAME = "dbt_incident"
EXECUTING_COMMANDS = {"build", "run", "test", "seed", "snapshot", "run-operation", "show"}


def install_trace(trace_dir: Path, arguments: list[str]) -> None:
    """Patch dbt's macro call so every executed `dbt_incident` macro is written to `trace_dir` at exit."""
    from dbt.clients import jinja as dbt_jinja

    entered: set[tuple[str, str]] = set()
    lock = threading.Lock()
    original_call = dbt_jinja.MacroGenerator.__call__
    command = next((argument for argument in arguments if not argument.startswith("-")), "")

    def traced_call(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        macro = self.macro
        if getattr(macro, "package_name", None) == PACKAGE_NAME and (self.context or {}).get("execute"):
            adapter_type = ""
            target = (self.context or {}).get("target")
            if isinstance(target, dict):
                adapter_type = str(target.get("type", ""))
            with lock:
                entered.add((macro.unique_id, adapter_type))
        return original_call(self, *args, **kwargs)

    dbt_jinja.MacroGenerator.__call__ = traced_call  # type: ignore[method-assign]

    def write_trace() -> None:
        if not entered:
            return
        trace_dir.mkdir(parents=True, exist_ok=True)
        target_name = os.environ.get("DBT_INCIDENT_TARGET", "duckdb")
        lines = [
            json.dumps({"macro": macro, "command": command, "target": target_name, "adapter": adapter})
            for macro, adapter in sorted(entered)
        ]
        with (trace_dir / f"trace-{os.getpid()}.jsonl").open("a", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")

    atexit.register(write_trace)


def main() -> int:
    """Install the trace when `DBT_INCIDENT_TRACE_DIR` is set, then run dbt's CLI with our arguments."""
    arguments = sys.argv[1:]
    trace_dir = os.environ.get("DBT_INCIDENT_TRACE_DIR")
    if trace_dir:
        install_trace(Path(trace_dir), arguments)
    from dbt.cli.main import cli

    sys.argv = ["dbt", *arguments]
    try:
        cli()
    except SystemExit as exit_:
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
