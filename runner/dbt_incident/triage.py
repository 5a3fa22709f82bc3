"""Triage: from one invocation's artifacts to root failures, their collateral, blast radius and severity.

`triage(artifacts, config)` is the library entry point behind `dbt-incident triage` and `report`.
A root failure is a node that failed on its own; collateral is what failed or was skipped only because a
root failed upstream (skipped children, tests of a model that did not build). Collateral is grouped under
its nearest root by one breadth-first search over the lineage.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from dbt_incident.artifacts import (
    Artifacts,
    FreshnessResult,
    FreshnessStatus,
    Manifest,
    Node,
    Result,
    RunResults,
    Status,
)
from dbt_incident.classification import Classification, Kind, classify_freshness, classify_result, test_cause
from dbt_incident.config import ProjectConfig
from dbt_incident.lineage import DATA_RESOURCE_TYPES, Lineage
from dbt_incident.next_steps import next_steps
from dbt_incident.severity import (
    CRITICALITY_LEVELS,
    Severity,
    SeverityDecision,
    SeveritySignals,
    decide,
    declared_criticality,
    rule_decision,
)

BUILD_RESOURCE_TYPES = frozenset({"model", "seed", "snapshot"})
_BUILD_COMMANDS = frozenset({"run", "build", "seed", "snapshot"})


@dataclass(frozen=True)
class ExposureImpact:
    """An exposure in a root's blast radius, with its owner (`name <email>`) from the manifest."""

    unique_id: str
    name: str
    type: str | None
    owner: str | None
    url: str | None


@dataclass(frozen=True)
class SourceState:
    """An upstream source of a root with its freshness state from sources.json.

    `freshness` is pass / warn / error / runtime error, or `not_checked` when sources.json has no result
    for it. `age_seconds` is `max_loaded_at_time_ago_in_s`.
    """

    unique_id: str
    freshness: str
    age_seconds: float | None
    max_loaded_at: datetime | None


@dataclass(frozen=True)
class Collateral:
    """A node that failed or was skipped because of a root: its status and why it is counted as collateral."""

    unique_id: str
    resource_type: str
    status: str
    reason: str


@dataclass(frozen=True)
class RootFailure:
    """One root failure with everything a responder needs about it.

    `failures` is the failing row count of a test (rows), or None. `execution_time` is in seconds.
    `downstream` lists the unique_ids of models, snapshots and seeds below it (nearest first);
    `downstream_counts` counts every descendant by resource type, tests included.
    """

    unique_id: str
    resource_type: str
    name: str
    status: str
    kind: Kind
    cause: str
    classification_rule: str
    severity: Severity
    severity_reason: str
    message: str | None
    failures: int | None
    collateral: tuple[Collateral, ...]
    downstream: tuple[str, ...]
    downstream_counts: dict[str, int]
    exposures: tuple[ExposureImpact, ...]
    upstream_sources: tuple[SourceState, ...]
    tested_node: str | None
    test_name: str | None
    column_name: str | None
    file_path: str | None
    compiled_path: str | None
    relation_name: str | None
    started_at: datetime | None
    completed_at: datetime | None
    execution_time: float | None
    owners: tuple[str, ...]
    next_steps: tuple[str, ...]
    adapter_response: dict[str, object] = field(default_factory=dict)
    bigquery_job: dict[str, object] | None = None
    affected_partitions: tuple[str, ...] = ()
    failing_rows: tuple[dict[str, object], ...] = ()
    failing_rows_origin: str | None = None


@dataclass(frozen=True)
class Triage:
    """The triage of one dbt invocation (plus source freshness when sources.json is present)."""

    target_path: Path
    severity: Severity | None
    severity_reason: str
    invocation_id: str | None
    generated_at: datetime | None
    dbt_version: str | None
    command: str | None
    project_name: str | None
    adapter_type: str | None
    started_at: datetime | None
    completed_at: datetime | None
    elapsed_seconds: float | None
    failures: tuple[RootFailure, ...]
    unattributed: tuple[Collateral, ...]
    result_counts: dict[str, int]
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    recent_changes: tuple[str, ...] = ()
    # every distinct descendant of every root, counted once by resource type (roots' blast radii overlap)
    downstream_totals: dict[str, int] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """True when at least one root failure was found (exit code 1)."""
        return bool(self.failures)


def triage(
    artifacts: Artifacts, config: ProjectConfig | None = None, dbt_log_text: str | None = None
) -> Triage:
    """Classify, group and rank everything that failed in the artifacts.

    Args:
        artifacts: from `dbt_incident.artifacts.load_artifacts`.
        config: the project's `dbt-incident.yml` (criticality overrides); defaults when None.
        dbt_log_text: the run's `logs/dbt.log`, when available: on BigQuery it names the job of a node
            whose query raised (dbt leaves its `adapter_response` empty).

    Returns:
        A `Triage` whose `failures` are the root failures, most severe first. An empty run_results
        (`results: []`) gives no failures and a warning that nothing ran.
    """
    config = config or ProjectConfig()
    run_results, manifest = artifacts.run_results, artifacts.manifest
    results = run_results.results if run_results else ()
    embedded = dict(run_results.embedded_nodes) if run_results else {}
    lineage = _lineage(manifest, embedded)
    lookup = _NodeLookup(manifest, embedded)
    freshness = {
        result.unique_id: result for result in (artifacts.sources.results if artifacts.sources else ())
    }
    warnings = list(artifacts.warnings)
    if run_results is not None and not results:
        warnings.append(f"{run_results.path}: 'results' is empty: nothing ran in this invocation")
    unknown = Counter(result.raw_status for result in results if result.status is Status.UNKNOWN)
    for raw_status, count in unknown.items():
        warnings.append(
            f"{count} result(s) have a status dbt-incident does not know ({raw_status!r}); not counted"
        )

    by_id = {result.unique_id: result for result in results}
    collateral_reasons = _collateral(results, by_id, lookup)
    root_results = [
        result
        for result in results
        if result.status.is_problem and result.unique_id not in collateral_reasons
    ]
    stale = [
        item
        for item in freshness.values()
        if item.status in (FreshnessStatus.WARN, FreshnessStatus.ERROR, FreshnessStatus.RUNTIME_ERROR)
    ]
    starts = {result.unique_id: _walk_start(result.unique_id, lookup) for result in root_results}
    # A warning never makes dbt skip anything, and neither does a stale source (freshness is a separate
    # command), so warned roots and stale sources claim no collateral.
    warned = {result.unique_id for result in root_results if result.status is Status.WARN}
    claiming = {root: start for root, start in starts.items() if root not in warned}
    owners = lineage.nearest_roots(claiming, set(collateral_reasons)) if lineage else {}
    unattributed: list[Collateral] = []
    blocking_roots = [result.unique_id for result in root_results if result.status is not Status.WARN]
    grouped: dict[str, list[Collateral]] = {}
    for unique_id, reason in collateral_reasons.items():
        item = Collateral(unique_id, _resource_type(unique_id, lookup), by_id[unique_id].status.value, reason)
        root = owners.get(unique_id)
        if root is None and len(blocking_roots) == 1:
            root = blocking_roots[0]
            item = Collateral(
                item.unique_id,
                item.resource_type,
                item.status,
                f"{reason}; attributed to the only failed node "
                f"(no lineage {'for this node' if lineage else 'without manifest.json'})",
            )
        if root is None:
            unattributed.append(item)
        else:
            grouped.setdefault(root, []).append(item)

    context = _Context(lookup, lineage, freshness, config)
    failures = [
        _root_from_result(result, tuple(grouped.get(result.unique_id, ())), starts[result.unique_id], context)
        for result in root_results
    ]
    failures += [
        _root_from_freshness(item, tuple(grouped.get(item.unique_id, ())), context) for item in stale
    ]
    failures.sort(
        key=lambda failure: (
            failure.severity.rank,
            failure.completed_at.timestamp() if failure.completed_at else float("inf"),
            failure.unique_id,
        )
    )
    descendants: dict[str, str] = {}
    if lineage is not None:
        for failure in failures:
            for unique_id in context.downstream(failure.tested_node or failure.unique_id):
                descendants[unique_id] = _resource_type(unique_id, lookup)
    severity, reason = _incident_severity(
        failures, results, lookup, run_results.command if run_results else None
    )
    started, completed = _invocation_window(artifacts, results)
    return Triage(
        target_path=artifacts.target_path,
        severity=severity,
        severity_reason=reason,
        invocation_id=(run_results.invocation_id if run_results else None)
        or (artifacts.sources.invocation_id if artifacts.sources else None),
        generated_at=(run_results.generated_at if run_results else None)
        or (artifacts.sources.generated_at if artifacts.sources else None),
        dbt_version=(run_results.dbt_version if run_results else None)
        or (manifest.dbt_version if manifest else None),
        command=run_results.command if run_results else "source freshness",
        project_name=manifest.project_name if manifest else None,
        adapter_type=manifest.adapter_type if manifest else None,
        started_at=started,
        completed_at=completed,
        elapsed_seconds=run_results.elapsed_time if run_results else None,
        failures=tuple(failures),
        unattributed=tuple(unattributed),
        result_counts=dict(Counter(result.status.value for result in results)),
        warnings=tuple(warnings),
        missing=artifacts.missing,
        downstream_totals=dict(Counter(descendants.values())),
    )


class _NodeLookup:
    """Nodes by unique_id from the manifest, else from legacy run_results' embedded node bodies."""

    def __init__(self, manifest: Manifest | None, embedded: dict[str, Node]) -> None:
        self.manifest = manifest
        self.embedded = embedded

    def get(self, unique_id: str) -> Node | None:
        node = self.manifest.get(unique_id) if self.manifest else None
        return node or self.embedded.get(unique_id)


@dataclass(frozen=True)
class _Context:
    lookup: _NodeLookup
    lineage: Lineage | None
    freshness: dict[str, FreshnessResult]
    config: ProjectConfig
    # start node -> its descendants, walked once per start (blast radius, then the incident's totals)
    below: dict[str, list[str]] = field(default_factory=dict)

    def downstream(self, start: str) -> list[str]:
        if start not in self.below:
            self.below[start] = self.lineage.downstream(start) if self.lineage else []
        return self.below[start]


def _lineage(manifest: Manifest | None, embedded: dict[str, Node]) -> Lineage | None:
    if manifest is not None:
        return Lineage.from_manifest(manifest)
    if embedded:
        return Lineage.from_nodes(embedded.values())
    return None


def _resource_type(unique_id: str, lookup: _NodeLookup) -> str:
    node = lookup.get(unique_id)
    if node is not None:
        return node.resource_type
    return unique_id.split(".", 1)[0] if "." in unique_id else "unknown"


def _walk_start(unique_id: str, lookup: _NodeLookup) -> str:
    """Where a root's blast radius starts: the tested node for a test, the node itself otherwise."""
    node = lookup.get(unique_id)
    if node is not None and node.resource_type in ("test", "unit_test") and node.attached_node:
        return node.attached_node
    return unique_id


def _collateral(results: tuple[Result, ...], by_id: dict[str, Result], lookup: _NodeLookup) -> dict[str, str]:
    """Which results are collateral, with the reason: skipped nodes, and tests of nodes that did not build."""
    reasons: dict[str, str] = {}
    for result in results:
        if result.status is Status.SKIPPED:
            reasons[result.unique_id] = "skipped because an upstream node failed"
            continue
        if not result.status.is_problem:
            continue
        node = lookup.get(result.unique_id)
        if node is None or node.resource_type not in ("test", "unit_test"):
            continue
        failed_parents = [
            parent
            for parent in node.parents
            if parent in by_id
            and by_id[parent].status in (Status.ERROR, Status.SKIPPED, Status.RUNTIME_ERROR)
        ]
        if failed_parents:
            reasons[result.unique_id] = f"test of {failed_parents[0]}, which did not build in this run"
    return reasons


def _root_from_result(
    result: Result, collateral: tuple[Collateral, ...], start: str, context: _Context
) -> RootFailure:
    node = context.lookup.get(result.unique_id)
    classification = classify_result(result, node)
    resource_type = node.resource_type if node else result.resource_type
    is_test = resource_type in ("test", "unit_test")
    test_name = test_cause(node, result.unique_id)[1] if is_test else None
    tested = start if is_test and start != result.unique_id else None
    downstream, counts, exposures, sources = _impact(start, context)
    is_build_error = resource_type in BUILD_RESOURCE_TYPES and result.status in (
        Status.ERROR,
        Status.RUNTIME_ERROR,
        Status.PARTIAL_SUCCESS,
    )
    decision = decide(
        SeveritySignals(
            is_warning=result.status is Status.WARN,
            is_build_error=is_build_error,
            is_test_failure=classification.kind is Kind.TEST_FAILURE,
            is_stale_source=False,
            exposure_ids=tuple(exposure.unique_id for exposure in exposures),
            root_criticality=_root_criticality(result.unique_id, tested, context),
            affected_criticality=_affected_criticality(downstream, exposures, context),
        )
    )
    return RootFailure(
        unique_id=result.unique_id,
        resource_type=resource_type,
        name=node.name if node else result.unique_id.rsplit(".", 1)[-1],
        status=result.status.value,
        kind=classification.kind,
        cause=classification.cause,
        classification_rule=classification.rule,
        severity=decision.level,
        severity_reason=decision.reason,
        message=result.message,
        failures=result.failures,
        collateral=collateral,
        downstream=tuple(downstream),
        downstream_counts=counts,
        exposures=tuple(exposures),
        upstream_sources=tuple(sources),
        tested_node=tested,
        test_name=test_name,
        column_name=node.column_name if node else None,
        file_path=node.original_file_path if node else None,
        compiled_path=_compiled_path(node),
        relation_name=result.relation_name or (node.relation_name if node else None),
        started_at=result.started_at,
        completed_at=result.completed_at,
        execution_time=result.execution_time,
        owners=_owners(exposures, node, context.lookup.get(tested) if tested else None),
        next_steps=tuple(
            next_steps(
                classification.kind,
                classification.cause,
                result.unique_id,
                node,
                context.lookup.get(tested) if tested else None,
            )
        ),
        adapter_response=dict(result.adapter_response),
    )


def _root_from_freshness(
    item: FreshnessResult, collateral: tuple[Collateral, ...], context: _Context
) -> RootFailure:
    node = context.lookup.get(item.unique_id)
    classification = classify_freshness(item.status.value)
    downstream, counts, exposures, _ = _impact(item.unique_id, context)
    decision = decide(
        SeveritySignals(
            is_warning=item.status is FreshnessStatus.WARN,
            is_build_error=False,
            is_test_failure=False,
            is_stale_source=item.status is FreshnessStatus.ERROR,
            exposure_ids=tuple(exposure.unique_id for exposure in exposures),
            root_criticality=_root_criticality(item.unique_id, None, context),
            affected_criticality=_affected_criticality(downstream, exposures, context),
        )
    )
    age = f"{item.age_seconds / 3600:.1f} hours" if item.age_seconds is not None else "unknown age"
    thresholds = ", ".join(
        f"{name} {value}"
        for name, value in (("warn_after", item.warn_after), ("error_after", item.error_after))
        if value
    )
    message = item.message or (
        f"Source freshness {item.status.value}: newest row loaded {age} ago"
        f" (max_loaded_at {item.max_loaded_at.isoformat() if item.max_loaded_at else 'unknown'})"
        + (f"; thresholds {thresholds}" if thresholds else "")
    )
    cause = "freshness" if item.status is not FreshnessStatus.RUNTIME_ERROR else "freshness_check_error"
    if item.status is FreshnessStatus.RUNTIME_ERROR:  # the freshness query itself failed: not known stale
        classification = Classification(Kind.RUNTIME_ERROR, cause, "source freshness status runtime error")
    return RootFailure(
        unique_id=item.unique_id,
        resource_type="source",
        name=(
            f"{node.source_name}.{node.name}"
            if node and node.source_name
            else ".".join(item.unique_id.split(".")[2:]) or item.unique_id
        ),
        status=item.status.value,
        kind=classification.kind,
        cause=cause,
        classification_rule=classification.rule,
        severity=decision.level,
        severity_reason=decision.reason,
        message=message,
        failures=None,
        collateral=collateral,
        downstream=tuple(downstream),
        downstream_counts=counts,
        exposures=tuple(exposures),
        upstream_sources=(
            SourceState(item.unique_id, item.status.value, item.age_seconds, item.max_loaded_at),
        ),
        tested_node=None,
        test_name="freshness",
        column_name=node.loaded_at_field if node else None,
        file_path=node.original_file_path if node else None,
        compiled_path=None,
        relation_name=node.relation_name if node else None,
        started_at=None,
        completed_at=item.snapshotted_at,
        execution_time=None,
        owners=_owners(exposures, node, None),
        next_steps=tuple(next_steps(classification.kind, cause, item.unique_id, node, None)),
    )


def _impact(
    start: str, context: _Context
) -> tuple[list[str], dict[str, int], list[ExposureImpact], list[SourceState]]:
    """Blast radius (data nodes below), counts by type, exposures with owners, upstream sources."""
    if context.lineage is None:
        return [], {}, [], []
    below = context.downstream(start)
    lookup = context.lookup
    downstream = [
        unique_id for unique_id in below if _resource_type(unique_id, lookup) in DATA_RESOURCE_TYPES
    ]
    counts = dict(Counter(_resource_type(unique_id, lookup) for unique_id in below))
    exposures: list[ExposureImpact] = []
    manifest_exposures = lookup.manifest.exposures if lookup.manifest else {}
    for unique_id in below:
        exposure = manifest_exposures.get(unique_id)
        if exposure is not None:
            exposures.append(
                ExposureImpact(
                    unique_id, exposure.label or exposure.name, exposure.type, exposure.owner, exposure.url
                )
            )
    above = [start, *context.lineage.upstream(start)]
    sources = []
    for unique_id in above:
        if _resource_type(unique_id, lookup) != "source":
            continue
        state = context.freshness.get(unique_id)
        sources.append(
            SourceState(
                unique_id,
                state.status.value if state else "not_checked",
                state.age_seconds if state else None,
                state.max_loaded_at if state else None,
            )
        )
    return downstream, counts, exposures, sources


def _criticality_of(unique_id: str, context: _Context) -> str | None:
    node = context.lookup.get(unique_id)
    manifest = context.lookup.manifest
    exposure = manifest.exposures.get(unique_id) if manifest else None
    name = node.name if node else exposure.name if exposure else unique_id.rsplit(".", 1)[-1]
    meta = node.meta if node else exposure.meta if exposure else {}
    return declared_criticality(unique_id, name, meta, context.config.criticality)


def _root_criticality(unique_id: str, tested: str | None, context: _Context) -> tuple[str, str] | None:
    for candidate in (unique_id, tested):
        if candidate and (word := _criticality_of(candidate, context)):
            return word, candidate
    return None


def _affected_criticality(
    downstream: list[str], exposures: list[ExposureImpact], context: _Context
) -> tuple[str, str] | None:
    best: tuple[str, str] | None = None
    for unique_id in [*downstream, *(exposure.unique_id for exposure in exposures)]:
        word = _criticality_of(unique_id, context)
        if word and (best is None or CRITICALITY_LEVELS[word].rank < CRITICALITY_LEVELS[best[0]].rank):
            best = (word, unique_id)
    return best


def _owners(exposures: list[ExposureImpact], node: Node | None, tested: Node | None) -> tuple[str, ...]:
    owners = [exposure.owner for exposure in exposures if exposure.owner]
    owners += [candidate.owner for candidate in (node, tested) if candidate is not None and candidate.owner]
    return tuple(dict.fromkeys(owners))


def _compiled_path(node: Node | None) -> str | None:
    """`target/compiled/<package>/<path>`: where dbt writes the compiled SQL of the node."""
    if node is None or node.resource_type in ("source", "seed"):
        return None
    if node.compiled_path:
        return node.compiled_path
    if node.package_name and node.original_file_path:
        if node.resource_type == "test" and node.path:
            return (
                f"target/compiled/{node.package_name}/{node.original_file_path.rsplit('/', 1)[0]}/{node.path}"
            )
        return f"target/compiled/{node.package_name}/{node.original_file_path}"
    return None


def _incident_severity(
    failures: list[RootFailure], results: tuple[Result, ...], lookup: _NodeLookup, command: str | None
) -> tuple[Severity | None, str]:
    built = [result for result in results if _resource_type(result.unique_id, lookup) in BUILD_RESOURCE_TYPES]
    if (
        failures
        and built
        and (command is None or command in _BUILD_COMMANDS)
        and not any(result.status in (Status.SUCCESS, Status.NO_OP) for result in built)
    ):
        decision: SeverityDecision = rule_decision(
            "nothing_built", f"{len(built)} models/seeds/snapshots selected, none succeeded"
        )
        return decision.level, decision.reason
    if not failures:
        return None, "nothing failed"
    worst = failures[0]
    return worst.severity, f"{worst.unique_id}: {worst.severity_reason}"


def _invocation_window(
    artifacts: Artifacts, results: tuple[Result, ...]
) -> tuple[datetime | None, datetime | None]:
    """Start (invocation_started_at, else the earliest timing) and end (latest timing, else generated_at)."""
    run_results = artifacts.run_results
    starts = [result.started_at for result in results if result.started_at]
    ends = [result.completed_at for result in results if result.completed_at]
    started = (run_results.invocation_started_at if run_results else None) or (
        min(starts) if starts else None
    )
    completed = max(ends) if ends else (run_results.generated_at if run_results else None)
    return started, completed


def _with_bigquery_jobs(
    failures: list[RootFailure], run_results: RunResults | None, dbt_log_text: str | None
) -> list[RootFailure]:
    """Attach each failure's BigQuery job (from `adapter_response`, else dbt.log): URL, bytes, error."""
    if run_results is None:
        return failures
    from dbt_incident.bigquery_jobs import format_job_line, link_failed_results

    jobs = {job.unique_id: job for job in link_failed_results(run_results, dbt_log_text)}
    if not jobs:
        return failures
    linked = []
    for failure in failures:
        job = jobs.get(failure.unique_id)
        if job is None:
            linked.append(failure)
            continue
        details = {
            "job_id": job.job_id,
            "location": job.location,
            "project_id": job.project_id,
            "console_url": job.console_url,
            "bytes_processed": job.bytes_processed,
            "bytes_billed": job.bytes_billed,
            "slot_ms": job.slot_ms,
            "source": job.source,
            "line": format_job_line(job),
        }
        linked.append(replace(failure, bigquery_job=details))
    return linked
