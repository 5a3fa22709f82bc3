"""Print every benchmark figure of dbt-incident: triage at scale, start-up cost, diagnostic cost.

`make bench` (or `.venv/bin/python benchmarks/run.py`) prints three tables:

1. Triage at scale: for generated dbt 1.11 projects of 1k, 10k and 50k nodes (`generate_project.py`),
   wall time, CPU time and peak memory (max RSS) of `dbt-incident triage --format json` in a fresh
   process, against the floor (a bare `json.load` of the same two files in a fresh process) and, when
   installed, `dbt-artifacts-parser`. Each child's figures come from `os.wait4`, so they are that
   process's own. Growth is judged by the marginal time per node between sizes (linear: about constant).
2. Start-up: median wall time of `dbt-incident --help`, and the import cost of the commands that must
   not import dbt-core, with a check that no `dbt` module is loaded after importing them.
3. Diagnostic cost: on DuckDB, `benchmarks/diagnostics.py` (50M rows; `--with-diagnostics`, slow); on
   BigQuery, what each diagnostic's compiled SQL reads (metadata only, or which partitions), when the
   BigQuery emulator of `scripts/bigquery_emulator.sh` serves.

Exit code 0 when every target is met, 1 when one is missed (the table says which), 2 on a setup error.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from generate_project import GENERATOR_VERSION, Expectation, generate  # noqa: E402

PYTHON = sys.executable
CLI = str(Path(sys.executable).with_name("dbt-incident"))
TIME_TARGET = 1.5  # triage wall time / bare json.load wall time, at the largest size
MEMORY_TARGET = 2.0  # triage peak RSS / bare json.load peak RSS, at the largest size
HELP_TARGET_MS = 150.0
# Commands that only read artifacts and files: importing them must not import dbt-core or an adapter.
DBT_FREE_COMMANDS = ("triage", "report", "notify")
FLOOR_CODE = (
    "import json, sys\n"
    "for name in sys.argv[1:]:\n"
    "    with open(name, encoding='utf-8') as handle:\n"
    "        json.load(handle)\n"
)
ORJSON_FLOOR_CODE = "import orjson, sys\nfor name in sys.argv[1:]:\n    with open(name, 'rb') as handle:\n        orjson.loads(handle.read())\n"
PARSER_CODE = (
    "import json, sys\n"
    "from dbt_artifacts_parser.parser import parse_manifest, parse_run_results\n"
    "with open(sys.argv[1], encoding='utf-8') as handle:\n    parse_manifest(json.load(handle))\n"
    "with open(sys.argv[2], encoding='utf-8') as handle:\n    parse_run_results(json.load(handle))\n"
)
# The triage step alone (artifacts already loaded), timed inside one child: the algorithmic part.
TRIAGE_STEP_CODE = (
    "import json, sys, time\n"
    "from dbt_incident.artifacts import load_artifacts\n"
    "from dbt_incident.artifacts.reading import paused_gc\n"
    "from dbt_incident.triage import triage\n"
    "with paused_gc():\n"
    "    artifacts = load_artifacts(sys.argv[1])\n"
    "    start = time.process_time()\n"
    "    result = triage(artifacts)\n"
    "    print(json.dumps({'seconds': time.process_time() - start}))\n"
)


@dataclass(frozen=True)
class Measure:
    """One child process: wall seconds, CPU seconds (user + system), peak RSS in MiB, exit code."""

    wall: float
    cpu: float
    peak_mib: float
    returncode: int
    stdout: str = ""


def measure(command: list[str], *, capture: bool = False) -> Measure:
    """Run `command` in a fresh process and return its own wall time, CPU time and peak memory.

    `os.wait4` reports the resource usage of that one child (ru_maxrss is in KiB on Linux). Output goes
    to temporary files, so a large stdout never blocks the child.

    Raises:
        RuntimeError: the child exited with a code other than 0 or 1 (its stderr tail is in the message).
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out if capture else subprocess.DEVNULL, stderr=err)
        # wait4 reaps the child and returns its own resource usage (not the sum over all children).
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{command[0]} exited {process.returncode}: {stderr.strip()[-500:]}")
    return Measure(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, stdout)


def best_of(command: list[str], repeat: int) -> Measure:
    """The median wall / CPU and the largest peak memory of `repeat` fresh runs."""
    runs = [measure(command) for _ in range(repeat)]
    return Measure(
        statistics.median(run.wall for run in runs),
        statistics.median(run.cpu for run in runs),
        max(run.peak_mib for run in runs),
        runs[-1].returncode,
    )


def project(workdir: Path, nodes: int, seed: int) -> tuple[Path, Expectation]:
    """The generated project of this size, reused from `workdir` when the generator has not changed."""
    folder = workdir / f"nodes-{nodes}-seed-{seed}-v{GENERATOR_VERSION}"
    stamp = folder / "expectation.json"
    if stamp.exists():
        data = json.loads(stamp.read_text())
        data["roots"] = tuple(data["roots"])
        return folder, Expectation(**data)
    shutil.rmtree(folder, ignore_errors=True)
    expectation = generate(nodes, folder, seed)
    stamp.write_text(json.dumps(asdict(expectation)))
    return folder, expectation


def has_module(name: str) -> bool:
    """True when `name` imports in the benchmark's Python (checked in a child, so nothing is imported here)."""
    return subprocess.run([PYTHON, "-c", f"import {name}"], capture_output=True).returncode == 0


def check_triage(folder: Path, expectation: Expectation) -> str:
    """Run the triage once and compare its roots and collateral with what the generator planted."""
    result = measure([CLI, "triage", "--format", "json", "--target-path", str(folder)], capture=True)
    document = json.loads(result.stdout)
    roots = sorted(failure["unique_id"] for failure in document["failures"])
    collateral = sum(len(failure["collateral"]) for failure in document["failures"])
    if roots == sorted(expectation.roots) and collateral == expectation.skipped:
        return "ok"
    return f"MISMATCH ({len(roots)} roots, {collateral} collateral)"


def triage_at_scale(sizes: list[int], repeat: int, workdir: Path, seed: int) -> tuple[list[str], bool]:
    """Section 1: rows of the table, and whether the targets are met at the largest size."""
    orjson_available, parser_available = has_module("orjson"), has_module("dbt_artifacts_parser")
    lines = [
        "## Triage at scale (fresh process each; wall = median of "
        f"{repeat}, peak = max RSS; floor = bare json.load of manifest.json + run_results.json)",
        "",
        "| nodes | manifest MiB | run_results MiB | roots | skipped | check | triage s | triage CPU s "
        "| floor s | floor CPU s | time ratio | CPU ratio | triage MiB | floor MiB | memory ratio | triage step s "
        "| orjson floor s | dbt-artifacts-parser s |",
        "|" + "---|" * 18,
    ]
    rows = []
    for nodes in sizes:
        folder, expectation = project(workdir, nodes, seed)
        files = [str(folder / "manifest.json"), str(folder / "run_results.json")]
        check = check_triage(folder, expectation)
        triage = best_of([CLI, "triage", "--format", "json", "--target-path", str(folder)], repeat)
        floor = best_of([PYTHON, "-c", FLOOR_CODE, *files], repeat)
        step = json.loads(measure([PYTHON, "-c", TRIAGE_STEP_CODE, str(folder)], capture=True).stdout)
        fast_floor = best_of([PYTHON, "-c", ORJSON_FLOOR_CODE, *files], repeat) if orjson_available else None
        parser = measure([PYTHON, "-c", PARSER_CODE, *files]) if parser_available else None
        rows.append((nodes, triage, floor, step["seconds"]))
        lines.append(
            f"| {expectation.nodes:,} | {os.path.getsize(files[0]) / 2**20:.0f} | {os.path.getsize(files[1]) / 2**20:.0f} "
            f"| {len(expectation.roots)} | {expectation.skipped:,} | {check} | {triage.wall:.2f} | {triage.cpu:.2f} "
            f"| {floor.wall:.2f} | {floor.cpu:.2f} | {triage.wall / floor.wall:.2f}x | {triage.cpu / floor.cpu:.2f}x | {triage.peak_mib:.0f} "
            f"| {floor.peak_mib:.0f} | {triage.peak_mib / floor.peak_mib:.2f}x | {step['seconds']:.3f} "
            f"| {f'{fast_floor.wall:.2f}' if fast_floor else 'not installed'} "
            f"| {f'{parser.wall:.2f}' if parser else 'not installed (pip install dbt-artifacts-parser)'} |"
        )
    lines += [
        "",
        "Growth (linear when the marginal cost per node stays about constant; quadratic would multiply it):",
        "",
    ]
    for nodes, triage, floor, step in rows:
        lines.append(
            f"- {nodes:>6,} nodes: triage {triage.wall / nodes * 1e6:6.1f} us/node wall, {triage.cpu / nodes * 1e6:6.1f} "
            f"us/node CPU (floor {floor.cpu / nodes * 1e6:5.1f}); triage step alone {step / nodes * 1e6:5.1f} us/node"
        )
    verdict_ok = True
    if len(rows) >= 3:
        (n1, t1, f1, s1), (n2, t2, f2, s2), (n3, t3, f3, s3) = rows[0], rows[-2], rows[-1]

        def marginal_growth(first: float, middle: float, last: float) -> float:
            low, high = (middle - first) / (n2 - n1), (last - middle) / (n3 - n2)
            return high / low if low > 0 else float("inf")

        growth = marginal_growth(t1.cpu, t2.cpu, t3.cpu)
        verdict_ok = growth < 2.0
        lines.append(
            f"- growth factor {n1:,}->{n3:,}: {t3.cpu / t1.cpu:.1f}x the CPU time for {n3 / n1:.0f}x the nodes; "
            f"marginal CPU per node {n2:,}->{n3:,} over {n1:,}->{n2:,}: triage {growth:.2f}, "
            f"floor {marginal_growth(f1.cpu, f2.cpu, f3.cpu):.2f}, triage step {marginal_growth(s1, s2, s3):.2f} "
            f"({'linear' if verdict_ok else 'NOT linear'}: 1.0 is linear, a quadratic walk would give about "
            f"{(n3 + n2) / (n2 + n1):.1f})"
        )
    _, triage, floor, _ = rows[-1]
    time_ok = triage.wall / floor.wall <= TIME_TARGET
    memory_ok = triage.peak_mib / floor.peak_mib <= MEMORY_TARGET
    lines += [
        "",
        f"Targets at {rows[-1][0]:,} nodes: time ratio {triage.wall / floor.wall:.2f}x (target <= {TIME_TARGET}x) "
        f"{'met' if time_ok else 'MISSED'}; memory ratio {triage.peak_mib / floor.peak_mib:.2f}x "
        f"(target <= {MEMORY_TARGET}x) {'met' if memory_ok else 'MISSED'}; growth {'linear' if verdict_ok else 'NOT linear'}.",
    ]
    return lines, time_ok and memory_ok and verdict_ok


IMPORT_CODE = (
    "import importlib, json, sys, time\n"
    "start = time.perf_counter()\n"
    "importlib.import_module(sys.argv[1])\n"
    "elapsed = time.perf_counter() - start\n"
    "dbt = sorted(name for name in sys.modules if name == 'dbt' or name.startswith(('dbt.', 'dbt_common', 'agate')))\n"
    "print(json.dumps({'ms': elapsed * 1000, 'dbt_modules': dbt}))\n"
)


def start_up(repeat: int) -> tuple[list[str], bool]:
    """Section 2: `--help` median wall time and the dbt-free import of the artifact-only commands."""
    runs = sorted(measure([CLI, "--help"]).wall * 1000 for _ in range(repeat))
    bare = statistics.median(measure([PYTHON, "-c", "pass"]).wall * 1000 for _ in range(repeat))
    help_ms = statistics.median(runs)
    help_ok = help_ms < HELP_TARGET_MS
    lines = [
        "## Start-up",
        "",
        f"`dbt-incident --help`: median {help_ms:.0f} ms over {repeat} runs (min {runs[0]:.0f}, max {runs[-1]:.0f}; "
        f"target < {HELP_TARGET_MS:.0f} ms {'met' if help_ok else 'MISSED'}); a bare `python -c pass` takes {bare:.0f} ms.",
        "",
        "| command | module | import ms (median) | dbt modules loaded |",
        "|---|---|---|---|",
    ]
    sys.path.insert(0, str(ROOT / "runner"))
    from dbt_incident.cli import COMMANDS

    all_ok = help_ok
    for name in DBT_FREE_COMMANDS:
        if name not in COMMANDS:
            lines.append(f"| {name} | (not registered yet) | - | - |")
            continue
        module = COMMANDS[name][0].split(":")[0]
        figures = [
            json.loads(measure([PYTHON, "-c", IMPORT_CODE, module], capture=True).stdout) for _ in range(5)
        ]
        loaded = figures[0]["dbt_modules"]
        all_ok = all_ok and not loaded
        lines.append(
            f"| {name} | `{module}` | {statistics.median(item['ms'] for item in figures):.0f} "
            f"| {'none' if not loaded else 'FAIL: ' + ', '.join(loaded[:5])} |"
        )
    return lines, all_ok


def diagnostic_cost(with_diagnostics: bool, diagnostic_rows: int | None) -> list[str]:
    """Section 3: DuckDB figures from benchmarks/diagnostics.py, BigQuery scan analysis from compiled SQL."""
    lines = ["## Diagnostic cost", ""]
    if not (HERE / "diagnostics.py").exists():
        lines.append("- DuckDB (50M rows): not measured: benchmarks/diagnostics.py is not there yet.")
    elif not with_diagnostics:
        lines.append(
            "- DuckDB (50M rows): skipped (slow: builds a 50M-row table once, then times incident_profile "
            "against the floor); run with `--with-diagnostics`."
        )
    else:
        import diagnostics as duckdb_bench  # benchmarks/diagnostics.py, written with the diagnostics

        rows = diagnostic_rows or duckdb_bench.DEFAULT_ROWS
        lines += [
            f"DuckDB, {rows:,} rows x 20 columns over 60 days (median of 9 or 5 shuffled rounds, seconds):",
            "",
            "| measurement | seconds | against |",
            "|---|---|---|",
        ]
        lines += [
            f"| {name} | {seconds:.3f} | {note} |" for name, seconds, note in duckdb_bench.figures(rows)
        ]
    lines.append("")
    from bigquery_cost import bigquery_scan_lines

    lines += bigquery_scan_lines(ROOT)
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the sections asked for and print their tables (markdown); see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="project sizes in nodes, comma separated")
    parser.add_argument("--repeat", type=int, default=3, help="fresh runs per measure (median wall time)")
    parser.add_argument("--seed", type=int, default=7, help="generator seed")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "dbt-incident-bench",
        help="where generated projects are cached (default: <tmp>/dbt-incident-bench)",
    )
    parser.add_argument("--quick", action="store_true", help="sizes 1000,10000 and one run each")
    parser.add_argument(
        "--with-diagnostics", action="store_true", help="also run the slow 50M-row DuckDB diagnostics"
    )
    parser.add_argument(
        "--diagnostic-rows", type=int, help="rows of the DuckDB diagnostics table (default 50,000,000)"
    )
    parser.add_argument("--only", choices=("scale", "startup", "diagnostics"), help="run one section only")
    arguments = parser.parse_args(argv)
    sizes = [1000, 10000] if arguments.quick else [int(size) for size in arguments.sizes.split(",")]
    repeat = 1 if arguments.quick else arguments.repeat
    if not Path(CLI).exists():
        print(f"run.py: {CLI} not found: run `make setup` first", file=sys.stderr)
        return 2
    arguments.workdir.mkdir(parents=True, exist_ok=True)
    print(
        f"# dbt-incident benchmarks ({time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]})\n"
    )
    ok = True
    if arguments.only in (None, "scale"):
        lines, met = triage_at_scale(sizes, repeat, arguments.workdir, arguments.seed)
        print("\n".join(lines) + "\n", flush=True)
        ok = ok and met
    if arguments.only in (None, "startup"):
        lines, met = start_up(max(15, repeat))
        print("\n".join(lines) + "\n", flush=True)
        ok = ok and met
    if arguments.only in (None, "diagnostics"):
        lines = diagnostic_cost(arguments.with_diagnostics, arguments.diagnostic_rows)
        print("\n".join(lines) + "\n", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
