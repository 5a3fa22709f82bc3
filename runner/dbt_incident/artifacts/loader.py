"""Load the artifacts of one dbt invocation from a target folder, and check they belong together."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from dbt_incident.artifacts.manifest import load_manifest
from dbt_incident.artifacts.reading import paused_gc
from dbt_incident.artifacts.run_results import load_run_results
from dbt_incident.artifacts.sources import load_sources
from dbt_incident.artifacts.types import Manifest, RunResults, SourceFreshnessResults
from dbt_incident.errors import ArtifactNotFound

# What each optional file adds, said plainly when it is missing.
MISSING_FILE_NOTES = {
    "manifest.json": "manifest.json is missing: no lineage, collateral grouping by lineage, blast radius, "
    "exposures or owners; skipped nodes are attributed only when one root failure explains them",
    "sources.json": "sources.json is missing: no source freshness states (run `dbt source freshness` to add them)",
}


@dataclass(frozen=True)
class Artifacts:
    """The artifacts of one dbt invocation. `run_results` may be None only for freshness-only folders."""

    target_path: Path
    run_results: RunResults | None
    manifest: Manifest | None
    sources: SourceFreshnessResults | None
    warnings: tuple[str, ...] = field(default_factory=tuple)
    missing: tuple[str, ...] = field(default_factory=tuple)


def load_artifacts(target_path: str | Path) -> Artifacts:
    """Read `run_results.json`, `manifest.json` and `sources.json` from a dbt target folder.

    `run_results.json` is required unless `sources.json` is there (a `dbt source freshness` job);
    the others are optional, and what their absence costs is reported in `missing`.

    Raises:
        ArtifactNotFound: the folder does not exist, or holds neither run_results.json nor sources.json.
        ArtifactInvalid / NotADbtArtifact: a file is present but unreadable or not the expected artifact.
    """
    folder = Path(target_path)
    if not folder.exists():
        raise ArtifactNotFound(
            f"{folder}: target folder not found (pass --target-path to the dbt target folder)"
        )
    if not folder.is_dir():
        raise ArtifactNotFound(
            f"{folder}: is a file, expected the dbt target folder holding run_results.json"
        )
    run_results_path, manifest_path, sources_path = (
        folder / name for name in ("run_results.json", "manifest.json", "sources.json")
    )
    if not run_results_path.exists() and not sources_path.exists():
        raise ArtifactNotFound(
            f"{run_results_path}: run_results.json not found (nor sources.json) in {folder}"
        )
    with paused_gc():
        run_results = load_run_results(run_results_path) if run_results_path.exists() else None
        manifest = load_manifest(manifest_path) if manifest_path.exists() else None
        sources = load_sources(sources_path) if sources_path.exists() else None
    warnings = [
        *(run_results.warnings if run_results else ()),
        *(manifest.warnings if manifest else ()),
        *(sources.warnings if sources else ()),
    ]
    missing = [
        MISSING_FILE_NOTES[name]
        for name, part in (("manifest.json", manifest), ("sources.json", sources))
        if part is None
    ]
    if run_results is not None and manifest is not None:
        warnings.extend(consistency_warnings(run_results, manifest))
    return Artifacts(folder, run_results, manifest, sources, tuple(warnings), tuple(missing))


def consistency_warnings(run_results: RunResults, manifest: Manifest) -> list[str]:
    """Warn when run_results and manifest look like two different invocations.

    Results that are never manifest nodes (run-operation macros, hooks named `operation.*`, exposures)
    are not counted. Returns at most one warning.
    """
    checked = [
        result.unique_id
        for result in run_results.results
        if result.resource_type in ("model", "test", "seed", "snapshot", "source", "unit_test")
    ]
    absent = [
        unique_id
        for unique_id in checked
        if manifest.get(unique_id) is None and unique_id not in manifest.exposures
    ]
    if not absent:
        return []
    share = f"{len(absent)} of {len(checked)}"
    return [
        f"{run_results.path}: {share} results are not nodes of {manifest.path} (for example {absent[0]}): "
        "the two files may come from different dbt invocations; lineage for those nodes is unknown"
    ]
