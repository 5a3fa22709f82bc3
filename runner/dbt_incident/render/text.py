"""The triage as a rich terminal summary."""

from __future__ import annotations

import io

from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from dbt_incident.render.formatting import count_text, duration_text, one_line, time_text
from dbt_incident.render.markdown import headline
from dbt_incident.triage import Triage

SEVERITY_STYLES = {"P0": "bold white on red", "P1": "bold red", "P2": "bold yellow", "P3": "cyan"}


def render_text(result: Triage, *, width: int = 110, color: bool = False) -> str:
    """Render the triage for a terminal; `color` adds ANSI styles (on when writing to a TTY)."""
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=color, no_color=not color, highlight=False)
    level = result.severity.value if result.severity else "OK"
    title = Text.assemble((f" {level} ", SEVERITY_STYLES.get(level, "bold green")), "  ", headline(result))
    summary = Text()
    summary.append(f"{result.severity_reason}\n")
    summary.append(
        f"invocation {result.invocation_id or 'unknown'} · dbt {result.command or '?'} · "
        f"dbt {result.dbt_version or '?'} · {result.adapter_type or 'adapter unknown'}\n"
    )
    summary.append(
        f"{time_text(result.started_at)} → {time_text(result.completed_at)} "
        f"({duration_text(result.elapsed_seconds)}) · results: "
        + (", ".join(f"{count} {status}" for status, count in sorted(result.result_counts.items())) or "none")
    )
    console.print(Panel(summary, title=title, title_align="left"))
    if result.failures:
        table = Table(show_lines=True, expand=True)
        for column in ("sev", "root failure", "kind / cause", "impact", "message"):
            table.add_column(column, overflow="fold")
        for failure in result.failures:
            impact = [f"{len(failure.collateral)} collateral", f"{len(failure.downstream)} downstream"]
            impact += [
                f"⇢ {exposure.name} ({exposure.owner or 'no owner'})" for exposure in failure.exposures
            ]
            stale = [
                source.unique_id
                for source in failure.upstream_sources
                if source.freshness in ("warn", "error")
            ]
            impact += [f"stale upstream: {unique_id}" for unique_id in stale]
            if failure.affected_partitions:
                impact.append("partitions: " + ", ".join(failure.affected_partitions))
            table.add_row(
                Text(failure.severity.value, SEVERITY_STYLES.get(failure.severity.value, "")),
                f"{failure.unique_id}\n{failure.status}"
                + (f", {count_text(failure.failures, 'row')}" if failure.failures is not None else ""),
                f"{failure.kind.value}\n{failure.cause}",
                "\n".join(impact),
                one_line(failure.message or "", 240),
            )
        console.print(table)
        for failure in result.failures:
            if failure.bigquery_job:
                console.print(f"BigQuery job of {failure.name}: {failure.bigquery_job['line']}", markup=False)
        for failure in result.failures:
            if failure.next_steps:
                console.print(Text(f"Next for {failure.name}:", style="bold"))
                for step in failure.next_steps:
                    # never wrapped: a responder copies these commands into a shell
                    console.print(f"  {step}", markup=False, soft_wrap=True)
    if result.recent_changes:
        console.print(Text("Recent changes:", style="bold"))
        for line in result.recent_changes:
            console.print(f"  {line.strip()}", markup=False)
    for item in result.unattributed:
        console.print(f"skipped, cause not attributed: {item.unique_id}", markup=False)
    for note in (*result.warnings, *result.missing):
        console.print(Text(f"note: {note}", style="dim"))
    return buffer.getvalue()
