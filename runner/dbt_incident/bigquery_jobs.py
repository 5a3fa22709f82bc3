"""Link each dbt result of a BigQuery run to its BigQuery job: console URL, bytes, slot time, job error.

Sources, in order of trust:
1. `run_results.json` `adapter_response` (dbt-bigquery's `BigQueryAdapterResponse`): `job_id`, `location`,
   `project_id`, `bytes_processed`, `bytes_billed`, `slot_ms`. dbt writes it for every node whose query
   finished, including tests that found failing rows; it is empty for nodes whose query raised an error and
   for dbt versions before 1.4 (no `job_id` then).
2. dbt's debug log (`logs/dbt.log`): dbt-bigquery logs a console link
   `https://console.cloud.google.com/bigquery?project=P&j=bq:LOCATION:JOB_ID&page=queryresults` for every
   job it starts, and again at error level for a job that failed. The text log names the thread, not the
   node, so a link is attributed to the node that the thread's last "Began running node <unique_id>" line
   announced. This is how a node that errored gets its job.
3. The rows of the package's `failed_jobs(since, until)` diagnostic (`INFORMATION_SCHEMA.JOBS`), keyed by
   `job_id`: they add the job's `error_result` (reason and message) and fill bytes that the artifact lacks.

The console URL format is the one dbt-bigquery itself logs (`BigQueryConnectionManager._bq_job_link`).
Byte counts are integers in bytes; `slot_ms` is slot-milliseconds. Nothing here contacts BigQuery.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import quote

from dbt_incident.artifacts.types import Result, RunResults, Status

FAILED_STATUSES = frozenset({Status.ERROR, Status.FAIL, Status.RUNTIME_ERROR, Status.WARN})
_JOB_LINK = re.compile(
    r"https://console\.cloud\.google\.com/bigquery\?project=(?P<project>[^&\s]+)"
    r"&j=bq:(?P<location>[^:&\s]+):(?P<job>[^&\s]+)&page=queryresults"
)
_THREAD = re.compile(r"\[(?P<thread>[^\]]+)\]:\s")
_BEGAN_NODE = re.compile(r"Began running node (?P<unique_id>\S+)")


@dataclass(frozen=True)
class BigQueryJob:
    """The BigQuery job behind one dbt result.

    `bytes_processed`, `bytes_billed` are bytes (None when unknown); `slot_ms` is slot-milliseconds.
    `source` says where the job id came from: `adapter_response`, `dbt.log` or `failed_jobs`.
    `error_reason` / `error_message` come from `INFORMATION_SCHEMA.JOBS.error_result` when the `failed_jobs`
    rows were given, otherwise from the dbt result message for an errored node.
    """

    unique_id: str
    job_id: str
    location: str | None
    project_id: str | None
    bytes_processed: int | None = None
    bytes_billed: int | None = None
    slot_ms: int | None = None
    source: str = "adapter_response"
    error_reason: str | None = None
    error_message: str | None = None

    @property
    def console_url(self) -> str | None:
        """The BigQuery console page of the job, or None without project and location."""
        return console_url(self.project_id, self.location, self.job_id)


def console_url(project_id: str | None, location: str | None, job_id: str) -> str | None:
    """`https://console.cloud.google.com/bigquery?project=P&j=bq:LOCATION:JOB&page=queryresults`.

    Returns None when project or location is missing (the console needs both to find a job).
    """
    if not project_id or not location:
        return None
    return (
        f"https://console.cloud.google.com/bigquery?project={quote(project_id, safe='-_.:')}"
        f"&j=bq:{quote(location, safe='-_')}:{quote(job_id, safe='-_')}&page=queryresults"
    )


def job_from_adapter_response(unique_id: str, adapter_response: Mapping[str, Any]) -> BigQueryJob | None:
    """The job a result's `adapter_response` names, or None (not BigQuery, dbt < 1.4, or the query raised)."""
    job_id = adapter_response.get("job_id")
    if not isinstance(job_id, str) or not job_id:
        return None
    return BigQueryJob(
        unique_id=unique_id,
        job_id=job_id,
        location=_text(adapter_response.get("location")),
        project_id=_text(adapter_response.get("project_id")),
        bytes_processed=_count(adapter_response.get("bytes_processed")),
        bytes_billed=_count(adapter_response.get("bytes_billed")),
        slot_ms=_count(adapter_response.get("slot_ms")),
    )


def jobs_from_log(log_text: str) -> dict[str, list[BigQueryJob]]:
    """unique_id -> the jobs dbt-bigquery logged while running that node, in log order.

    Reads dbt's text log (`logs/dbt.log`, debug level, as dbt writes it by default). Lines of threads that
    announced no node (connection checks, schema creation) are ignored.
    """
    node_by_thread: dict[str, str] = {}
    jobs: dict[str, list[BigQueryJob]] = {}
    for line in log_text.splitlines():
        thread_match = _THREAD.search(line)
        thread = thread_match.group("thread") if thread_match else ""
        began = _BEGAN_NODE.search(line)
        if began:
            node_by_thread[thread] = began.group("unique_id")
            continue
        link = _JOB_LINK.search(line)
        if not link or thread not in node_by_thread:
            continue
        unique_id = node_by_thread[thread]
        job = BigQueryJob(
            unique_id=unique_id,
            job_id=link.group("job"),
            location=link.group("location"),
            project_id=link.group("project"),
            source="dbt.log",
        )
        known = jobs.setdefault(unique_id, [])
        if all(existing.job_id != job.job_id for existing in known):
            known.append(job)
    return jobs


def link_failed_results(
    run_results: RunResults,
    log_text: str | None = None,
    failed_job_rows: Iterable[Mapping[str, Any]] = (),
) -> list[BigQueryJob]:
    """One job per failed result (error, fail, runtime error, warn) of a BigQuery run, in result order.

    A result's job is the one in its `adapter_response`; otherwise the last job dbt logged for the node
    (the statement that raised). `failed_job_rows` are rows of the `failed_jobs` diagnostic (keys
    `job_id`, `error_reason`, `error_message`, `total_bytes_processed`, `total_bytes_billed`,
    `total_slot_ms`, case-insensitive): they add the job's error and missing byte counts. Results with no
    job anywhere are left out (the run was not on BigQuery, or dbt failed before starting a job).
    """
    logged = jobs_from_log(log_text) if log_text else {}
    rows_by_job = {}
    for row in failed_job_rows:
        lowered = {str(key).lower(): value for key, value in row.items()}
        if lowered.get("job_id"):
            rows_by_job[str(lowered["job_id"])] = lowered
    linked: list[BigQueryJob] = []
    for result in run_results.results:
        if result.status not in FAILED_STATUSES:
            continue
        job = _job_of(result, logged)
        if job is None:
            continue
        linked.append(_with_job_row(job, rows_by_job.get(job.job_id), result))
    return linked


def format_job_line(job: BigQueryJob) -> str:
    """One line for the playbook's "check BigQuery job errors" step.

    Example: `model.shop.orders: job bq:US:abc (project p), 1.5 GiB processed, 1.5 GiB billed,
    error accessDenied: Access Denied: Table p:d.t ... -> https://console.cloud.google.com/...`.
    """
    parts = [f"{job.unique_id}: job bq:{job.location or '?'}:{job.job_id}"]
    if job.project_id:
        parts[0] += f" (project {job.project_id})"
    if job.bytes_processed is not None:
        parts.append(f"{format_bytes(job.bytes_processed)} processed")
    if job.bytes_billed is not None:
        parts.append(f"{format_bytes(job.bytes_billed)} billed")
    if job.slot_ms is not None:
        parts.append(f"{job.slot_ms / 1000:.1f} slot-seconds")
    if job.error_message or job.error_reason:
        reason = f"{job.error_reason}: " if job.error_reason else ""
        message = " ".join((job.error_message or "").split())
        parts.append(f"error {reason}{_shorten(message, 160)}".rstrip(": "))
    line = ", ".join(parts)
    url = job.console_url
    return f"{line} -> {url}" if url else line


def format_bytes(count: int) -> str:
    """Bytes in binary units as BigQuery's console shows them: `0 B`, `12.0 KiB`, `1.5 GiB`, `2.0 TiB`."""
    value = float(count)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024 or unit == "TiB":
            return f"{int(value)} B" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")


def _job_of(result: Result, logged: Mapping[str, list[BigQueryJob]]) -> BigQueryJob | None:
    job = job_from_adapter_response(result.unique_id, result.adapter_response)
    if job is not None:
        return job
    from_log = logged.get(result.unique_id)
    return from_log[-1] if from_log else None


def _with_job_row(job: BigQueryJob, row: Mapping[str, Any] | None, result: Result) -> BigQueryJob:
    if row is not None:
        return replace(
            job,
            source=job.source if job.source != "dbt.log" else "failed_jobs",
            location=job.location or _text(row.get("location")),
            project_id=job.project_id or _text(row.get("project_id")),
            bytes_processed=_first_count(job.bytes_processed, row.get("total_bytes_processed")),
            bytes_billed=_first_count(job.bytes_billed, row.get("total_bytes_billed")),
            slot_ms=_first_count(job.slot_ms, row.get("total_slot_ms")),
            error_reason=_text(row.get("error_reason")),
            error_message=_text(row.get("error_message")),
        )
    if result.status in (Status.ERROR, Status.RUNTIME_ERROR) and result.message:
        return replace(job, error_message=database_error_text(result.message))
    return job


def database_error_text(message: str) -> str | None:
    """The warehouse's own words in a dbt error message, without dbt's framing lines.

    dbt writes `Database Error in model x (path)`, then the adapter's message, then `compiled code at ...`;
    this keeps the middle lines joined by spaces, or None when nothing is left.
    """
    kept = [
        line.strip()
        for line in message.splitlines()
        if line.strip()
        and not line.strip().lower().startswith(("database error in", "compiled code at", "runtime error in"))
    ]
    return " ".join(kept) or None


def _first_count(current: int | None, fallback: Any) -> int | None:
    return current if current is not None else _count(fallback)


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
