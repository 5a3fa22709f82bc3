"""Analysis prompts shared by the incident report and the post-mortem agenda: the 5 whys, action items.

The first "why" is answered from what dbt recorded (the failing node, its classification and message);
the record's root cause, when the responder gave one, closes the chain. The middle answers are the team's
to give: a machine that guessed them would hand a post-mortem a plausible wrong story.
"""

from __future__ import annotations

from collections.abc import Sequence

from dbt_incident.incident_record import FailureSummary
from dbt_incident.render.formatting import count_text, one_line
from dbt_incident.triage import ExposureImpact

TO_FILL = "_To fill._"
ACTION_TYPES = ("mitigate", "prevent", "detect")


def _first_answer(failure: FailureSummary) -> str:
    if failure.test_name:
        target = (failure.tested_node or failure.name).rsplit(".", 1)[-1]
        column = f".{failure.column_name}" if failure.column_name else ""
        rows = f" on {count_text(failure.failing_rows, 'row')}" if failure.failing_rows is not None else ""
        return f"the test `{failure.test_name}` failed on `{target}{column}`{rows} ({failure.kind} / {failure.cause})"
    message = f": {one_line(failure.message, 200)}" if failure.message else ""
    return f"`{failure.name}` ({failure.resource_type}) ended with {failure.status}, {failure.kind} / {failure.cause}{message}"


def five_whys(failures: Sequence[FailureSummary], root_cause: str | None = None) -> list[str]:
    """The 5-whys chain as markdown lines: why 1 answered from the run, 2-4 to fill, 5 the process question.

    Args:
        failures: the root failures (first one leads the chain; others are listed as further chains).
        root_cause: the recorded root cause, shown as the answer the chain must reach.
    """
    if not failures:
        lead = "Why did the incident happen? → " + TO_FILL
    else:
        lead = f"Why did the data fail? → {_first_answer(failures[0])}"
    lines = [
        f"1. {lead}",
        "2. Why did that happen? → " + TO_FILL,
        "3. Why did that happen? → " + TO_FILL,
        "4. Why did that happen? → " + TO_FILL,
        "5. Why was it not caught or communicated earlier? → " + TO_FILL,
    ]
    if root_cause:
        lines += ["", f"Recorded root cause (where the chain must arrive): {root_cause}"]
    if len(failures) > 1:
        lines += ["", "Other root failures, each its own chain:"]
        lines += [f"- {_first_answer(failure)}" for failure in failures[1:]]
    return lines


def action_items(
    failures: Sequence[FailureSummary], exposures: Sequence[ExposureImpact]
) -> list[tuple[str, str]]:
    """Suggested action items `(type, action)`, type one of mitigate / prevent / detect; owners are to fill."""
    items: list[tuple[str, str]] = []
    for failure in failures:
        if failure.kind == "test_failure" and failure.tested_node:
            items.append(
                (
                    "prevent",
                    f"Regression test for `{failure.tested_node.rsplit('.', 1)[-1]}` "
                    f"(`dbt-incident regression-test --test {failure.unique_id}`)",
                )
            )
        elif failure.kind == "stale_source":
            items.append(("detect", f"Alert on the freshness of `{failure.name}` before the scheduled run"))
        else:
            items.append(
                (
                    "mitigate",
                    f"Fix and rebuild `{failure.name}` and its downstream (`dbt build --select {failure.name}+`)",
                )
            )
    causes = sorted({failure.cause for failure in failures})
    if causes:
        items.append(("detect", f"Add monitoring for the failing signal ({one_line(', '.join(causes), 80)})"))
    if not exposures:
        items.append(("detect", "Declare exposures with owners for the dashboards reading these tables"))
    items.append(("prevent", "Update the playbook / troubleshooting guide with what this incident taught"))
    return items
