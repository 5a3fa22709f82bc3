"""The fix commit message of the playbook (step 10), filled from the incident record.

```
Fix: <brief description of the fix>

Root cause: <what caused the issue>
Solution: <what was changed>
Tested: <how it was validated>

Resolves incident: incident_YYYYMMDD_HHMMSS
```
Fields the record does not hold yet are left as the playbook's bracketed prompts, so an unfinished
message is visible as such rather than plausible. Lines are wrapped at 72 characters (git convention);
the subject is cut at 72.
"""

from __future__ import annotations

import textwrap

from dbt_incident.incident_record import Incident
from dbt_incident.render.formatting import one_line

SUBJECT_LIMIT = 72
BODY_WIDTH = 72


def _tested_line(incident: Incident) -> str:
    """What the record says about validation: ticked checks, else the command that would verify the fix."""
    done = [
        item
        for item in ("All tests passing", "Data is correct", "Downstream systems healthy")
        if item in incident.checklist
    ]
    if done:
        return "; ".join(
            f"{item} (checked by {incident.checklist[item].get('by', '?')} at {incident.checklist[item].get('at', '?')})"
            for item in done
        )
    nodes = [_selector(failure.tested_node or failure.unique_id) for failure in incident.failures]
    selection = " ".join(f"{name}+" for name in dict.fromkeys(nodes))
    hint = f" e.g. `dbt build --select {selection}`" if selection else ""
    return f"[How it was validated{hint}]"


def _selector(unique_id: str) -> str:
    """dbt's selector for a node: `source:raw.events` for `source.pkg.raw.events`, else the node's name."""
    parts = unique_id.split(".")
    if parts[0] == "source" and len(parts) >= 4:
        return f"source:{parts[-2]}.{parts[-1]}"
    return parts[-1] if parts[0] != "model" or len(parts) < 4 or not parts[-1].startswith("v") else parts[-2]


def _paragraph(label: str, text: str) -> list[str]:
    return textwrap.wrap(
        f"{label}: {text}",
        width=BODY_WIDTH,
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    ) or [f"{label}:"]


def commit_message(incident: Incident, *, summary: str | None = None, tested: str | None = None) -> str:
    """The commit message for the fix of `incident`.

    Args:
        incident: the record (root cause and resolution come from `dbt-incident resolve`).
        summary: the subject after `Fix: `; default: the resolution's first sentence, else the incident title.
        tested: how the fix was validated; default: the ticked validation checks, else a prompt.

    Returns:
        The message, ending with a newline, ready for `git commit -F -`.
    """
    subject = summary or (
        incident.resolution.split(". ")[0].rstrip(".") if incident.resolution else incident.title
    )
    subject = one_line(f"Fix: {subject}", SUBJECT_LIMIT)
    lines = [subject, ""]
    lines += _paragraph(
        "Root cause",
        one_line(incident.root_cause, 2000) if incident.root_cause else "[What caused the issue]",
    )
    lines += _paragraph(
        "Solution", one_line(incident.resolution, 2000) if incident.resolution else "[What was changed]"
    )
    lines += _paragraph("Tested", one_line(tested, 2000) if tested else _tested_line(incident))
    lines += ["", f"Resolves incident: {incident.id}"]
    return "\n".join(lines) + "\n"
