"""The triage as markdown, for a ticket, a chat thread or a pull request."""

from __future__ import annotations

from dbt_incident.render.formatting import duration_text, one_line, time_text
from dbt_incident.triage import RootFailure, Triage


def render_markdown(result: Triage) -> str:
    """A markdown summary: severity with its reason, then each root failure with impact and next steps."""
    lines = [f"# dbt incident triage: {headline(result)}", ""]
    lines += [
        f"- **Severity**: {result.severity.value if result.severity else 'none'} — {result.severity_reason}",
        f"- **Invocation**: `{result.invocation_id or 'unknown'}` (`dbt {result.command or '?'}`, "
        f"dbt {result.dbt_version or '?'}, {result.adapter_type or 'adapter unknown'})",
        f"- **Window**: {time_text(result.started_at)} → {time_text(result.completed_at)} "
        f"({duration_text(result.elapsed_seconds)})",
        "- **Results**: "
        + (
            ", ".join(f"{count} {status}" for status, count in sorted(result.result_counts.items())) or "none"
        ),
        "",
    ]
    for index, failure in enumerate(result.failures, start=1):
        lines += failure_markdown(index, failure)
    if result.recent_changes:
        lines += ["## Recent changes", "", *(f"- {line.strip()}" for line in result.recent_changes), ""]
    if result.unattributed:
        lines += ["## Skipped, cause not attributed", ""]
        lines += [f"- `{item.unique_id}` ({item.status}): {item.reason}" for item in result.unattributed]
        lines.append("")
    notes = [*result.warnings, *result.missing]
    if notes:
        lines += ["## Notes", "", *(f"- {note}" for note in notes), ""]
    return "\n".join(lines).rstrip() + "\n"


def headline(result: Triage) -> str:
    """One line: how many root failures and of which node, or that nothing failed."""
    if not result.failures:
        return "nothing failed"
    first = result.failures[0]
    more = f" and {len(result.failures) - 1} more" if len(result.failures) > 1 else ""
    return f"{first.kind.value} in {first.name}{more}"


def failure_markdown(index: int, failure: RootFailure) -> list[str]:
    """The markdown block of one root failure."""
    lines = [
        f"## {index}. {failure.severity.value} · {failure.kind.value} / {failure.cause} · `{failure.unique_id}`",
        "",
    ]
    lines.append(
        f"- **Status**: {failure.status}"
        + (f", {failure.failures} failing rows" if failure.failures is not None else "")
    )
    if failure.tested_node:
        lines.append(
            f"- **Tested node**: `{failure.tested_node}`"
            + (f", column `{failure.column_name}`" if failure.column_name else "")
        )
    lines.append(f"- **Severity reason**: {failure.severity_reason}")
    if failure.message:
        lines.append(f"- **Message**: {one_line(failure.message, 600)}")
    if failure.file_path or failure.compiled_path:
        lines.append(
            f"- **Files**: `{failure.file_path or '?'}`"
            + (f", compiled SQL `{failure.compiled_path}`" if failure.compiled_path else "")
        )
    if failure.collateral:
        lines.append(
            f"- **Collateral** ({len(failure.collateral)}): "
            + ", ".join(f"`{item.unique_id}` ({item.status})" for item in failure.collateral)
        )
    lines.append(
        f"- **Downstream**: {len(failure.downstream)} models/snapshots/seeds"
        + (
            ": " + ", ".join(f"`{unique_id}`" for unique_id in failure.downstream[:15])
            if failure.downstream
            else ""
        )
        + (" …" if len(failure.downstream) > 15 else "")
    )
    if failure.exposures:
        lines.append(
            "- **Exposures**: "
            + ", ".join(
                f"{exposure.name} (owner: {exposure.owner or 'unknown'})" for exposure in failure.exposures
            )
        )
    if failure.upstream_sources:
        lines.append(
            "- **Upstream sources**: "
            + ", ".join(f"`{source.unique_id}` ({source.freshness})" for source in failure.upstream_sources)
        )
    if failure.affected_partitions:
        lines.append("- **Affected partitions**: " + ", ".join(failure.affected_partitions))
    if failure.bigquery_job:
        lines.append(f"- **BigQuery job**: {failure.bigquery_job['line']}")
    if failure.next_steps:
        lines += [
            "- **Next steps**:",
            *(
                f"  - `{step}`" if step.startswith(("dbt ", "dbt-incident ")) else f"  - {step}"
                for step in failure.next_steps
            ),
        ]
    lines.append("")
    return lines
