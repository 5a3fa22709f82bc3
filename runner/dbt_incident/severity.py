"""Severity (P0-P3) of each root failure and of the incident, with the rule that decided, in words.

The playbook defines: P0 critical (data loss, security breach, complete outage); P1 high (incorrect data
affecting decisions, partial outage); P2 medium (delayed data, degraded performance); P3 low (minor
issues, cosmetic problems). `RULES` maps dbt signals onto those levels; declared criticality
(`meta: {incident: {criticality: ...}}` on nodes, sources and exposures, or the `criticality` map of the
project's `dbt-incident.yml`) raises or lowers the result.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from fnmatch import fnmatchcase
from typing import Any


class Severity(str, Enum):
    """Playbook severity levels; P0 is the most severe."""

    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"

    @property
    def rank(self) -> int:
        """0 for P0 ... 3 for P3 (lower is more severe)."""
        return int(self.value[1])

    @classmethod
    def most_severe(cls, levels: Iterable[Severity]) -> Severity | None:
        ordered = sorted(levels, key=lambda level: level.rank)
        return ordered[0] if ordered else None


CRITICALITY_LEVELS = {"critical": Severity.P0, "high": Severity.P1, "medium": Severity.P2, "low": Severity.P3}

# The rules, in the order they are tried. Each: (name, severity, when it applies, why that level).
RULES: tuple[tuple[str, Severity, str, str], ...] = (
    ("nothing_built", Severity.P0, "the run built no model, seed or snapshot at all", "complete outage"),
    (
        "warn_only",
        Severity.P3,
        "the failure is a warning (test severity warn, freshness warn)",
        "minor issue: nothing was blocked",
    ),
    (
        "exposure_models_unbuilt",
        Severity.P1,
        "a model, seed or snapshot failed to build and an exposure depends on it",
        "partial outage: a dashboard or application reads data that was not refreshed",
    ),
    (
        "failing_test_feeds_exposure",
        Severity.P1,
        "an error-severity test failed on data that an exposure depends on",
        "incorrect data affecting decisions",
    ),
    ("stale_source", Severity.P2, "a source is past its freshness error_after threshold", "delayed data"),
    (
        "build_error",
        Severity.P2,
        "a model, seed or snapshot failed to build; no exposure depends on it",
        "delayed data in internal tables",
    ),
    (
        "failing_test",
        Severity.P2,
        "an error-severity test failed; no exposure depends on the tested data",
        "incorrect data, not yet feeding a declared decision surface",
    ),
    (
        "other_error",
        Severity.P2,
        "anything else that failed (a test that could not run, a hook, unknown)",
        "degraded: a check or step did not complete",
    ),
)
_RULES_BY_NAME = {name: (level, when, why) for name, level, when, why in RULES}


@dataclass(frozen=True)
class SeverityDecision:
    """A severity and the reason in words (rule name, what it saw, declared criticality applied)."""

    level: Severity
    reason: str


@dataclass(frozen=True)
class SeveritySignals:
    """What the rules look at for one root failure."""

    is_warning: bool
    is_build_error: bool
    is_test_failure: bool
    is_stale_source: bool
    exposure_ids: tuple[str, ...]
    root_criticality: tuple[str, str] | None  # (level word, where it was declared)
    affected_criticality: tuple[str, str] | None


def rule_decision(rule: str, detail: str = "") -> SeverityDecision:
    """The decision of one named rule from `RULES`, with an optional detail appended."""
    level, when, why = _RULES_BY_NAME[rule]
    reason = f"{rule}: {when} ({why})"
    return SeverityDecision(level, f"{reason}; {detail}" if detail else reason)


def decide(signals: SeveritySignals) -> SeverityDecision:
    """Apply `RULES` to one root failure, then declared criticality.

    Criticality declared on the root node itself replaces the computed level (raise or lower); declared on
    an affected downstream node or exposure it can only raise it. A warning stays one level below the
    declared criticality (a warning on a critical asset is P1, not P0).
    """
    exposures = f"exposures affected: {', '.join(signals.exposure_ids)}" if signals.exposure_ids else ""
    if signals.is_warning:
        decision = rule_decision("warn_only")
    elif signals.is_build_error and signals.exposure_ids:
        decision = rule_decision("exposure_models_unbuilt", exposures)
    elif signals.is_test_failure and signals.exposure_ids:
        decision = rule_decision("failing_test_feeds_exposure", exposures)
    elif signals.is_stale_source:
        decision = rule_decision("stale_source", exposures)
    elif signals.is_build_error:
        decision = rule_decision("build_error")
    elif signals.is_test_failure:
        decision = rule_decision("failing_test")
    else:
        decision = rule_decision("other_error", exposures)
    return _apply_criticality(decision, signals)


def _apply_criticality(decision: SeverityDecision, signals: SeveritySignals) -> SeverityDecision:
    level = decision.level
    notes = []
    if signals.root_criticality:
        word, where = signals.root_criticality
        declared = _warning_adjusted(CRITICALITY_LEVELS[word], signals.is_warning)
        if declared != level:
            notes.append(f"criticality {word} declared on {where} sets {declared.value}")
            level = declared
    if signals.affected_criticality:
        word, where = signals.affected_criticality
        declared = _warning_adjusted(CRITICALITY_LEVELS[word], signals.is_warning)
        if declared.rank < level.rank:
            notes.append(f"criticality {word} declared on affected {where} raises it to {declared.value}")
            level = declared
    if not notes:
        return decision
    return SeverityDecision(level, f"{decision.reason}; " + "; ".join(notes))


def _warning_adjusted(level: Severity, is_warning: bool) -> Severity:
    if not is_warning or level is Severity.P3:
        return level
    return Severity(f"P{level.rank + 1}")


def declared_criticality(
    unique_id: str, name: str, meta: Mapping[str, Any], configured: Mapping[str, str]
) -> str | None:
    """The criticality word declared for one node: the config file's map first, then its `meta`.

    `meta` spellings accepted: `{incident: {criticality: high}}`, `{incident_criticality: high}`,
    `{criticality: high}`. The config map's keys are unique_ids, names or shell globs (`exposure.*`).
    Unknown words are ignored (the config loader rejects them in the file).
    """
    for pattern, word in configured.items():
        if pattern in (unique_id, name) or fnmatchcase(unique_id, pattern):
            return word
    incident_meta = meta.get("incident")
    candidates = [
        incident_meta.get("criticality") if isinstance(incident_meta, dict) else None,
        meta.get("incident_criticality"),
        meta.get("criticality"),
    ]
    for candidate in candidates:
        if isinstance(candidate, str) and candidate.strip().lower() in CRITICALITY_LEVELS:
            return candidate.strip().lower()
    return None
