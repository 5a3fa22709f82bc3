"""Small text helpers shared by the renderers and the report."""

from __future__ import annotations

from datetime import datetime


def time_text(value: datetime | None) -> str:
    """`2026-11-30 02:14:07 UTC`, or `unknown`."""
    return value.strftime("%Y-%m-%d %H:%M:%S UTC") if value else "unknown"


def duration_text(seconds: float | None) -> str:
    """`1 h 04 min`, `3 min 12 s`, `0.4 s`, or `unknown`."""
    if seconds is None:
        return "unknown"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, remainder = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {remainder:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def count_text(count: int, noun: str, plural: str | None = None) -> str:
    """`1 row`, `0 rows`, `3 rows` (`plural` when adding an s is wrong: `count_text(2, "query", "queries")`)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def one_line(text: str, limit: int = 300) -> str:
    """Collapse whitespace to one line and cut at `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
