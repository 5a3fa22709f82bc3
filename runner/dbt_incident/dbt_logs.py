"""Read dbt's own log file (`logs/dbt.log`): the errors and warnings of one run, matched to its failing nodes.

dbt writes `dbt.log` in one of three formats (`--log-format-file`, dbt >= 1.5; one file may mix them when
the format changed between runs, and it appends every invocation):

- `debug` (the default): a header `=== HH:MM:SS.ffffff | <invocation_id> ===` per invocation, then lines
  `HH:MM:SS.ffffff [level] [thread]: message`; the node a worker thread runs is announced by
  `Began running node <unique_id>` / `Finished running node <unique_id>`.
- `json`: one object per line, `info.level` (debug/info/warn/error), `info.invocation_id`, `info.ts` (UTC),
  `info.msg`, `info.name` (the event), and `data.node_info.unique_id` for node events.
- `text`: `HH:MM:SS  message`, with neither level, thread nor invocation id. Levels are inferred from dbt's
  colours (red: error, yellow WARN/WARNING: warn) or, without colours, from dbt's wording (`Failure in`,
  `Runtime Error`, `ERROR creating`, `FAIL n`, `[WARNING]`...). Invocations start at `Running with dbt=`.

Lines that do not start a record (SQL, tracebacks, multi-line messages) continue the previous record.
`read_dbt_log` streams the file and keeps only error and warning records; `log_report` picks the run's
invocation (by `invocation_id` from run_results.json, else the target path dbt wrote the artifacts to, else
the time of the run, else the last invocation, saying which) and matches each record to a failing node (the
record's node, a unique_id in the message, or a failing node's name in the message).
"""

from __future__ import annotations

import ast
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from dbt_incident.artifacts import Manifest, RunResults, Status
from dbt_incident.artifacts.reading import parse_timestamp
from dbt_incident.errors import ArtifactInvalid, ArtifactNotFound

LOG_FILE_NAME = "dbt.log"
LEVELS = ("error", "warn")
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DEBUG_HEADER = re.compile(
    r"^=+ (?P<time>\d{2}:\d{2}:\d{2}(?:\.\d+)?) \| (?P<invocation>[0-9a-fA-F-]{8,}) =+\s*$"
)
_DEBUG_LINE = re.compile(
    r"^(?P<time>\d{2}:\d{2}:\d{2}\.\d+) \[(?P<level>\w+)\s*\] \[(?P<thread>[^\]]*)\]: ?(?P<message>.*)$"
)
_TEXT_LINE = re.compile(r"^(?P<time>\d{2}:\d{2}:\d{2})  (?P<message>.*)$")
_NODE_START = re.compile(r"^Began running node (?P<unique_id>\S+)")
_NODE_END = re.compile(r"^Finished running node (?P<unique_id>\S+)")
_UNIQUE_ID = re.compile(r"\b(?:model|test|seed|snapshot|source|unit_test|analysis|operation)\.[\w.-]+\w")
_RED, _YELLOW = "\x1b[31m", "\x1b[33m"
_TEXT_ERROR = re.compile(
    r"\b(?:Failure in|Runtime Error|Database Error|Compilation Error|Parsing Error|Dependency Error|"
    r"Internal Error|Encountered an error|ERROR creating|ERROR SKIP|FAIL \d+|\[ERROR\b|configured to fail)"
)
_TEXT_WARN = re.compile(r"\[WARN(?:ING)?\b|\bWARN \d+|\bWarning in\b|configured to warn")
# Summary lines dbt colours red without being errors, and debug-level records the text format keeps.
_TEXT_NOT_ERROR = re.compile(r"^(?:Completed with|Done\. PASS=|Marking all children)")


@dataclass(frozen=True)
class Invocation:
    """One dbt invocation in the log.

    `key` is the invocation_id (debug and JSON formats) or `#n` (text format, n counted from 1 in the file).
    `first_time` / `last_time` are the record times as written (`HH:MM:SS[.ffffff]`, or ISO for JSON);
    `command` and `target_path` come from the `running dbt with arguments` / `MainReportArgs` record;
    `run_results_path` from `Wrote artifact RunExecutionResult to <path>`.
    """

    key: str
    invocation_id: str | None
    first_line: int
    first_time: str | None = None
    last_time: str | None = None
    command: str | None = None
    target_path: str | None = None
    run_results_path: str | None = None


@dataclass(frozen=True)
class LogEntry:
    """One error or warning record of the log.

    `line` is 1-based; `time` as written; `timestamp` the UTC time (JSON format only); `invocation` the
    `Invocation.key`; `event` dbt's event name (JSON only); `unique_id` the node the record belongs to as
    the log says (JSON `node_info`, or the node the debug-format thread was running), else None.
    `message` has dbt's colour codes removed and keeps its continuation lines.
    """

    line: int
    level: str
    time: str
    timestamp: datetime | None
    invocation: str
    thread: str | None
    event: str | None
    unique_id: str | None
    message: str


@dataclass(frozen=True)
class DbtLog:
    """A parsed dbt.log: its formats seen (`debug`, `json`, `text`), invocations, and error/warn records."""

    path: Path
    formats: tuple[str, ...]
    invocations: tuple[Invocation, ...]
    entries: tuple[LogEntry, ...]

    def invocation(self, key: str) -> Invocation | None:
        return next((item for item in self.invocations if item.key == key), None)


@dataclass(frozen=True)
class NodeLog:
    """A failing node of the run (status from run_results) and the log records matched to it."""

    unique_id: str
    name: str
    status: str
    entries: tuple[LogEntry, ...]


@dataclass(frozen=True)
class LogReport:
    """The errors and warnings of one invocation, per failing node, and the rest (`other`).

    `matched_by` says how the invocation was chosen: `invocation_id`, `target path`, `time`,
    `last invocation`, or `all` (every invocation).
    """

    log_path: Path
    formats: tuple[str, ...]
    invocation: Invocation | None
    matched_by: str
    nodes: tuple[NodeLog, ...]
    other: tuple[LogEntry, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def error_count(self) -> int:
        return sum(1 for entry in self.all_entries() if entry.level == "error")

    def all_entries(self) -> Iterator[LogEntry]:
        for node in self.nodes:
            yield from node.entries
        yield from self.other


def resolve_log_path(project_dir: str | Path, log_path: str | Path | None = None) -> Path:
    """Where dbt.log is: `log_path` (a file, or a folder holding dbt.log), else `$DBT_LOG_PATH`, else the
    `log-path` of `dbt_project.yml` (older projects), else `<project_dir>/logs`.

    Raises:
        ArtifactNotFound: no dbt.log there (the message names the places looked at).
    """
    project = Path(project_dir)
    if log_path is not None:
        candidate = Path(log_path)
    elif os.environ.get("DBT_LOG_PATH"):
        candidate = Path(os.environ["DBT_LOG_PATH"])
    else:
        candidate = project / _project_log_path(project)
    path = candidate / LOG_FILE_NAME if candidate.is_dir() or candidate.suffix != ".log" else candidate
    if not path.is_file():
        raise ArtifactNotFound(
            f"{path}: dbt.log not found (pass --log-path, set DBT_LOG_PATH, or run dbt from the project "
            "so it writes logs/dbt.log)"
        )
    return path


def read_dbt_log(path: str | Path) -> DbtLog:
    """Stream a dbt.log and keep its invocations and its error and warning records.

    Raises:
        ArtifactNotFound: the file does not exist. ArtifactInvalid: it is binary or holds no dbt log record.
    """
    path = Path(path)
    if not path.is_file():
        raise ArtifactNotFound(f"{path}: dbt.log not found")
    parser = _Parser()
    with path.open("rb") as stream:
        head = stream.read(4096)
        if b"\x00" in head:
            raise ArtifactInvalid(f"{path}: is a binary file, expected dbt's log (dbt.log)")
        stream.seek(0)
        for number, raw in enumerate(stream, start=1):
            parser.feed(number, raw.decode("utf-8", errors="replace").rstrip("\r\n"))
    parser.flush()
    if not parser.formats:
        raise ArtifactInvalid(
            f"{path}: no dbt log record found (expected dbt's debug, text or JSON log format)"
        )
    return DbtLog(
        path, tuple(sorted(parser.formats)), tuple(parser.finished_invocations()), tuple(parser.entries)
    )


def select_invocation(
    log: DbtLog, run_results: RunResults | None, target_path: Path | None = None
) -> tuple[Invocation | None, str]:
    """The invocation of the run: by invocation_id, else target path, else time of day, else the last one.

    Returns (invocation or None when the log has none, how it was chosen).
    """
    if not log.invocations:
        return None, "no invocation"
    if run_results is not None and run_results.invocation_id:
        found = log.invocation(run_results.invocation_id)
        if found is not None:
            return found, "invocation_id"
    if target_path is not None:
        wanted = _real(target_path)
        for invocation in reversed(log.invocations):
            written = Path(invocation.run_results_path).parent if invocation.run_results_path else None
            declared = Path(invocation.target_path) if invocation.target_path else None
            if any(
                candidate is not None and candidate.is_absolute() and _real(candidate) == wanted
                for candidate in (written, declared)
            ):
                return invocation, "target path"
    moment = (run_results.generated_at or run_results.invocation_started_at) if run_results else None
    if moment is not None:
        clock = moment.astimezone(timezone.utc).strftime("%H:%M:%S")
        for invocation in reversed(log.invocations):
            first, last = (_clock(invocation.first_time), _clock(invocation.last_time))
            if first and last and first <= clock <= last:
                return invocation, "time"
    return log.invocations[-1], "last invocation"


def log_report(
    log: DbtLog,
    run_results: RunResults | None,
    manifest: Manifest | None = None,
    *,
    target_path: Path | None = None,
    all_invocations: bool = False,
    levels: Iterable[str] = LEVELS,
) -> LogReport:
    """The errors and warnings of the run's invocation, grouped under the failing nodes they concern.

    Args:
        log: from `read_dbt_log`.
        run_results: the run (its invocation_id and the failing nodes); None reads the last invocation and
            matches nothing.
        manifest: for node names (run_results alone only has unique_ids).
        target_path: the folder run_results.json was read from (to recognise the invocation in logs
            without invocation ids).
        all_invocations: keep the records of every invocation in the file.
        levels: `error`, `warn` or both.
    """
    wanted_levels = set(levels)
    notes: list[str] = []
    if all_invocations:
        invocation, matched_by = None, "all"
        entries = [entry for entry in log.entries if entry.level in wanted_levels]
    else:
        invocation, matched_by = select_invocation(log, run_results, target_path)
        entries = [
            entry
            for entry in log.entries
            if entry.level in wanted_levels and (invocation is None or entry.invocation == invocation.key)
        ]
        if matched_by == "last invocation" and run_results is not None:
            notes.append(
                f"the run's invocation ({run_results.invocation_id or 'no invocation_id'}) is not in {log.path}: "
                "showing the last invocation of the file (dbt rotates dbt.log at 10 MB into dbt.log.1 ...; "
                "or the run wrote its log elsewhere)"
            )
    failing = _failing_nodes(run_results, manifest)
    names = sorted(
        ((name, unique_id) for unique_id, (name, _) in failing.items()), key=lambda item: -len(item[0])
    )
    patterns = [(re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])"), unique_id) for name, unique_id in names]
    by_node: dict[str, list[LogEntry]] = {unique_id: [] for unique_id in failing}
    other: list[LogEntry] = []
    previous: tuple[str, str | None, str | None] | None = None  # (invocation, thread, node) of the last entry
    for entry in entries:
        node = _match(entry, failing, patterns)
        if (
            node is None
            and previous
            and entry.message[:1].isspace()
            and previous[:2] == (entry.invocation, entry.thread)
        ):
            node = previous[
                2
            ]  # an indented detail line of the end-of-run summary continues the record before
        previous = (entry.invocation, entry.thread, node)
        (by_node[node] if node else other).append(entry)
    nodes = tuple(
        NodeLog(unique_id, failing[unique_id][0], failing[unique_id][1], tuple(by_node[unique_id]))
        for unique_id in failing
        if by_node[unique_id] or failing[unique_id][1] != Status.SKIPPED.value
    )
    if "text" in log.formats:
        notes.append(
            "the text log format has no levels, threads or invocation ids: levels are inferred from dbt's "
            "colours and wording; dbt's default file format (debug) or --log-format-file json is more precise"
        )
    return LogReport(log.path, log.formats, invocation, matched_by, nodes, tuple(other), tuple(notes))


def logs_for_run(
    project_dir: str | Path,
    target_path: str | Path | None = None,
    log_path: str | Path | None = None,
    *,
    all_invocations: bool = False,
    levels: Iterable[str] = LEVELS,
) -> LogReport:
    """Read the run's artifacts (when present) and dbt.log, and build the `LogReport`.

    A missing run_results.json is not an error here: the last invocation of the log is shown, unmatched.

    Raises:
        ArtifactNotFound: no dbt.log. ArtifactInvalid: unreadable artifacts or log.
    """
    from dbt_incident.artifacts import load_manifest, load_run_results
    from dbt_incident.session import resolve_target_path

    folder = resolve_target_path(project_dir, target_path)
    run_results = (
        load_run_results(folder / "run_results.json") if (folder / "run_results.json").is_file() else None
    )
    manifest = load_manifest(folder / "manifest.json") if (folder / "manifest.json").is_file() else None
    log = read_dbt_log(resolve_log_path(project_dir, log_path))
    report = log_report(
        log, run_results, manifest, target_path=folder, all_invocations=all_invocations, levels=levels
    )
    if run_results is None:
        notes = (
            f"{folder / 'run_results.json'}: not found; records are not matched to failing nodes",
            *report.notes,
        )
        report = LogReport(
            report.log_path,
            report.formats,
            report.invocation,
            report.matched_by,
            report.nodes,
            report.other,
            notes,
        )
    return report


def render_log_report(report: LogReport, output_format: str = "text") -> str:
    """`text`, `markdown` or `json` (json: invocation, nodes with entries, other entries, notes)."""
    if output_format == "json":
        return json.dumps(_as_json(report), indent=2, sort_keys=True) + "\n"
    markdown = output_format == "markdown"
    invocation = report.invocation
    where = (
        "every invocation"
        if invocation is None
        else f"invocation {invocation.key} (matched by {report.matched_by})"
    )
    lines = [
        f"{'## ' if markdown else ''}dbt log: {report.error_count} error(s) and "
        f"{sum(1 for entry in report.all_entries() if entry.level == 'warn')} warning(s) in {where}",
        f"{report.log_path} ({', '.join(report.formats)} format)"
        + (f"; command: {invocation.command}" if invocation and invocation.command else ""),
        "",
    ]
    for node in report.nodes:
        lines.append(f"{'### ' if markdown else ''}{node.unique_id} ({node.status})")
        if not node.entries:
            lines.append(f"{'- ' if markdown else '  '}no log record names this node")
        for entry in node.entries:
            lines.extend(_entry_lines(entry, markdown))
        lines.append("")
    if report.other:
        lines.append(f"{'### ' if markdown else ''}Other errors and warnings")
        for entry in report.other:
            lines.extend(_entry_lines(entry, markdown))
        lines.append("")
    lines.extend(f"{'- ' if markdown else ''}Note: {note}" for note in report.notes)
    return "\n".join(lines).rstrip("\n") + "\n"


class _Parser:
    """A line-at-a-time state machine over the three formats; records are flushed when the next starts."""

    def __init__(self) -> None:
        self.formats: set[str] = set()
        self.entries: list[LogEntry] = []
        self.invocations: list[dict[str, Any]] = []
        self.threads: dict[str, str] = {}
        self.pending: dict[str, Any] | None = None

    def current(self, first_line: int, invocation_id: str | None = None) -> dict[str, Any]:
        if invocation_id is not None:
            for invocation in reversed(self.invocations):
                if invocation["invocation_id"] == invocation_id:
                    return invocation
            return self.start(first_line, invocation_id)
        if not self.invocations:
            return self.start(first_line, None)
        return self.invocations[-1]

    def start(self, first_line: int, invocation_id: str | None) -> dict[str, Any]:
        key = invocation_id or f"#{len(self.invocations) + 1}"
        invocation = {"key": key, "invocation_id": invocation_id, "first_line": first_line, "running": False}
        self.invocations.append(invocation)
        self.threads = {}
        return invocation

    def feed(self, number: int, raw: str) -> None:
        if raw.startswith("{"):
            try:
                document = json.loads(raw)
            except json.JSONDecodeError:
                document = None
            if isinstance(document, dict) and isinstance(document.get("info"), dict):
                self.flush()
                self.json_record(number, document)
                return
        line = _ANSI.sub("", raw)
        header = _DEBUG_HEADER.match(line)
        if header:
            self.flush()
            self.formats.add("debug")
            invocation = self.start(number, header["invocation"])
            invocation["first_time"] = header["time"]
            return
        debug = _DEBUG_LINE.match(line)
        if debug:
            self.flush()
            self.formats.add("debug")
            self.begin(number, debug["time"], debug["level"].lower(), debug["thread"], debug["message"], raw)
            return
        text = _TEXT_LINE.match(line)
        if text:
            self.flush()
            self.formats.add("text")
            self.begin(number, text["time"], _text_level(raw, text["message"]), None, text["message"], raw)
            return
        if self.pending is not None:
            self.pending["lines"].append(line)

    def begin(self, number: int, clock: str, level: str, thread: str | None, message: str, raw: str) -> None:
        if message.startswith("Running with dbt="):
            # Debug format: the header opened this invocation already; text format: a new invocation.
            invocation = self.invocations[-1] if self.invocations else None
            if invocation is None or invocation["running"]:
                invocation = self.start(number, None)
            invocation["running"] = True
        invocation = self.current(number)
        invocation.setdefault("first_time", clock)
        invocation["last_time"] = clock
        node = None
        if thread is not None:
            started, finished = _NODE_START.match(message), _NODE_END.match(message)
            if started:
                self.threads[thread] = started["unique_id"]
            elif finished:
                self.threads.pop(thread, None)
            node = self.threads.get(thread)
        self.pending = {
            "line": number,
            "time": clock,
            "level": level,
            "thread": thread,
            "node": node,
            "invocation": invocation,
            "lines": [message],
            "timestamp": None,
            "event": None,
        }

    def json_record(self, number: int, document: Mapping[str, Any]) -> None:
        self.formats.add("json")
        info = document["info"]
        data = document.get("data") if isinstance(document.get("data"), dict) else {}
        invocation = self.current(number, str(info.get("invocation_id") or "") or None)
        invocation["running"] = True
        clock = str(info.get("ts") or "")
        invocation.setdefault("first_time", clock)
        invocation["last_time"] = clock
        if info.get("name") == "MainReportArgs" and isinstance(data.get("args"), dict):
            self.remember_arguments(invocation, data["args"])
        message = _ANSI.sub("", str(info.get("msg") or ""))
        self.note_artifact(invocation, message)
        level = str(info.get("level") or "").lower()
        if level not in LEVELS:
            return
        node_info = data.get("node_info") if isinstance(data.get("node_info"), dict) else {}
        self.entries.append(
            LogEntry(
                line=number,
                level=level,
                time=clock,
                timestamp=parse_timestamp(clock),
                invocation=invocation["key"],
                thread=str(info.get("thread")) if info.get("thread") else None,
                event=str(info.get("name")) if info.get("name") else None,
                unique_id=str(node_info.get("unique_id")) if node_info.get("unique_id") else None,
                message=message,
            )
        )

    def flush(self) -> None:
        pending, self.pending = self.pending, None
        if pending is None:
            return
        invocation = pending["invocation"]
        message = "\n".join(pending["lines"]).rstrip()
        if message.startswith("running dbt with arguments"):
            self.remember_arguments(invocation, _arguments(message))
        self.note_artifact(invocation, message)
        if pending["level"] in LEVELS:
            self.entries.append(
                LogEntry(
                    line=pending["line"],
                    level=pending["level"],
                    time=pending["time"],
                    timestamp=None,
                    invocation=invocation["key"],
                    thread=pending["thread"],
                    event=None,
                    unique_id=pending["node"],
                    message=message,
                )
            )

    @staticmethod
    def remember_arguments(invocation: dict[str, Any], arguments: Mapping[str, Any]) -> None:
        for key in ("invocation_command", "target_path"):
            value = arguments.get(key)
            if isinstance(value, str) and value not in ("None", ""):
                invocation["command" if key == "invocation_command" else "target_path"] = value

    @staticmethod
    def note_artifact(invocation: dict[str, Any], message: str) -> None:
        if message.startswith("Wrote artifact RunExecutionResult to "):
            invocation["run_results_path"] = message.split(" to ", 1)[1].strip()

    def finished_invocations(self) -> list[Invocation]:
        return [
            Invocation(
                key=item["key"],
                invocation_id=item["invocation_id"],
                first_line=item["first_line"],
                first_time=item.get("first_time"),
                last_time=item.get("last_time"),
                command=item.get("command"),
                target_path=item.get("target_path"),
                run_results_path=item.get("run_results_path"),
            )
            for item in self.invocations
        ]


def _text_level(raw: str, message: str) -> str:
    """The level of a text-format record: dbt's colours first, then its wording."""
    if _TEXT_NOT_ERROR.match(message):
        return "info"
    if _YELLOW in raw and re.search(r"WARN", raw):
        return "warn"
    if _RED in raw or _TEXT_ERROR.search(message):
        return "error"
    if _TEXT_WARN.search(message):
        return "warn"
    return "info"


def _arguments(message: str) -> dict[str, Any]:
    """The dict of `running dbt with arguments {...}` (a Python repr), or the two keys read by pattern."""
    text = message.split("arguments", 1)[1].strip()
    try:
        value = ast.literal_eval(text)
        if isinstance(value, dict):
            return value
    except (ValueError, SyntaxError):
        pass
    found = {}
    for key in ("invocation_command", "target_path"):
        match = re.search(rf"'{key}': '([^']*)'", text)
        if match:
            found[key] = match[1]
    return found


def _failing_nodes(run_results: RunResults | None, manifest: Manifest | None) -> dict[str, tuple[str, str]]:
    """unique_id -> (name, status) of the results that did not succeed, errors first, then fail, warn, skipped."""
    if run_results is None:
        return {}
    order = {
        Status.ERROR: 0,
        Status.RUNTIME_ERROR: 0,
        Status.PARTIAL_SUCCESS: 1,
        Status.FAIL: 2,
        Status.WARN: 3,
        Status.SKIPPED: 4,
    }
    results = sorted(
        (result for result in run_results.results if result.status in order),
        key=lambda result: order[result.status],
    )
    failing: dict[str, tuple[str, str]] = {}
    for result in results:
        node = manifest.get(result.unique_id) if manifest else None
        node = node or run_results.embedded_nodes.get(result.unique_id)
        failing[result.unique_id] = (
            node.name if node else _name_from_id(result.unique_id),
            result.status.value,
        )
    return failing


def _name_from_id(unique_id: str) -> str:
    """A node's name from its unique_id: tests end in a hash (`test.pkg.name.hash`), others in the name."""
    parts = unique_id.split(".")
    if parts[0] == "test" and len(parts) >= 4 and re.fullmatch(r"[0-9a-f]{10}", parts[-1]):
        return parts[-2]
    return parts[-1]


def _match(
    entry: LogEntry, failing: Mapping[str, tuple[str, str]], patterns: list[tuple[re.Pattern[str], str]]
) -> str | None:
    if entry.unique_id in failing:
        return entry.unique_id
    for found in _UNIQUE_ID.findall(entry.message):
        if found in failing:
            return found
    first_line = entry.message.split("\n", 1)[0]
    for pattern, unique_id in patterns:
        if pattern.search(first_line):
            return unique_id
    return None


def _entry_lines(entry: LogEntry, markdown: bool) -> list[str]:
    head, *rest = entry.message.strip("\n").split("\n")
    prefix = f"line {entry.line} {entry.time} [{entry.level}]"
    if markdown:
        lines = [f"- `{prefix}` {head.strip()}"]
        if rest:
            lines += ["  ```", *(f"  {line}" for line in rest), "  ```"]
        return lines
    return [f"  {prefix} {head.strip()}", *(f"      {line}" for line in rest)]


def _as_json(report: LogReport) -> dict[str, Any]:
    def entry(item: LogEntry) -> dict[str, Any]:
        return {
            "line": item.line,
            "level": item.level,
            "time": item.time,
            "invocation": item.invocation,
            "thread": item.thread,
            "event": item.event,
            "unique_id": item.unique_id,
            "message": item.message,
        }

    invocation = report.invocation
    return {
        "log_path": str(report.log_path),
        "formats": list(report.formats),
        "invocation": None
        if invocation is None
        else {
            "key": invocation.key,
            "invocation_id": invocation.invocation_id,
            "command": invocation.command,
            "first_time": invocation.first_time,
            "last_time": invocation.last_time,
        },
        "matched_by": report.matched_by,
        "nodes": [
            {
                "unique_id": node.unique_id,
                "name": node.name,
                "status": node.status,
                "entries": [entry(item) for item in node.entries],
            }
            for node in report.nodes
        ],
        "other": [entry(item) for item in report.other],
        "notes": list(report.notes),
    }


def _clock(value: str | None) -> str | None:
    """`HH:MM:SS` of a record time (`HH:MM:SS.ffffff`, or an ISO timestamp in UTC)."""
    if not value:
        return None
    if "T" in value:
        moment = parse_timestamp(value)
        return moment.strftime("%H:%M:%S") if moment else None
    return value[:8]


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _project_log_path(project: Path) -> str:
    from dbt_incident.dbt_project import project_setting

    configured = project_setting(project, "log-path")
    return configured if isinstance(configured, str) else "logs"
