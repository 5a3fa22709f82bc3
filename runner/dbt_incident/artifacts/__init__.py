"""The one boundary where dbt artifacts become typed, frozen objects.

`load_artifacts(target_path)` reads `run_results.json` (required), `manifest.json`, `sources.json` (both
optional) from a dbt target folder; `load_run_results`, `load_manifest`, `load_sources` read one file each.
Everything downstream of this package works on the dataclasses of `dbt_incident.artifacts.types`.
"""

from dbt_incident.artifacts.loader import Artifacts, load_artifacts
from dbt_incident.artifacts.manifest import load_manifest, parse_manifest
from dbt_incident.artifacts.run_results import load_run_results, parse_run_results
from dbt_incident.artifacts.sources import load_sources, parse_sources
from dbt_incident.artifacts.types import (
    Exposure,
    FreshnessResult,
    FreshnessStatus,
    Manifest,
    Node,
    Result,
    RunResults,
    SourceFreshnessResults,
    Status,
    TestMetadata,
    Timing,
)

__all__ = [
    "Artifacts",
    "Exposure",
    "FreshnessResult",
    "FreshnessStatus",
    "Manifest",
    "Node",
    "Result",
    "RunResults",
    "SourceFreshnessResults",
    "Status",
    "TestMetadata",
    "Timing",
    "load_artifacts",
    "load_manifest",
    "load_run_results",
    "load_sources",
    "parse_manifest",
    "parse_run_results",
    "parse_sources",
]
