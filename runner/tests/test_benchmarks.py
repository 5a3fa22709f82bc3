"""The benchmark's generator and the triage agree, and the speed-ups keep results identical.

Nothing here is timed: `benchmarks/run.py` measures; these tests prove that what it measures is a
correct triage of a realistically shaped project, and that the fast paths (orjson, paused GC) read the
same documents and raise the same errors as the standard library path.
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path

import pytest

from dbt_incident.artifacts import load_artifacts
from dbt_incident.artifacts.reading import paused_gc, read_json_object
from dbt_incident.errors import ArtifactInvalid, NotADbtArtifact
from dbt_incident.lineage import Lineage
from dbt_incident.triage import triage

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from bigquery_cost import scan_profile  # noqa: E402
from generate_project import generate  # noqa: E402


@pytest.fixture(scope="module")
def generated_1k(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("generated-1k")
    return folder, generate(1000, folder, seed=7)


def test_triage_of_generated_1k_project_finds_the_planted_roots_and_collateral(generated_1k) -> None:
    folder, expectation = generated_1k
    artifacts = load_artifacts(folder)
    result = triage(artifacts)

    assert expectation.nodes == 1000
    assert (expectation.errors, expectation.test_failures, expectation.test_warnings) == (2, 2, 1)
    assert expectation.longest_skipped_chain >= 8, "the run must hold a long skipped chain"
    assert sorted(failure.unique_id for failure in result.failures) == sorted(expectation.roots)
    assert result.result_counts["skipped"] == expectation.skipped
    assert sum(len(failure.collateral) for failure in result.failures) == expectation.skipped
    assert result.unattributed == ()
    assert result.warnings == ()
    lineage = Lineage.from_manifest(artifacts.manifest)
    for failure in result.failures:
        if failure.status == "warn":
            assert failure.collateral == (), "a warning never makes dbt skip anything"
            continue
        start = failure.tested_node or failure.unique_id
        below = set(lineage.downstream(start))
        assert {item.unique_id for item in failure.collateral} <= below
    errors = [failure for failure in result.failures if failure.status == "error"]
    assert max(len(failure.collateral) for failure in errors) >= 100, "a hub model error skips a big subtree"
    assert result.severity is not None and result.severity.value == "P0"


def test_generator_writes_the_same_bytes_for_the_same_seed(tmp_path: Path) -> None:
    first = generate(400, tmp_path / "a", seed=3)
    second = generate(400, tmp_path / "b", seed=3)
    generate(400, tmp_path / "c", seed=4)
    assert first == second
    for name in ("manifest.json", "run_results.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    assert (tmp_path / "a" / "manifest.json").read_bytes() != (tmp_path / "c" / "manifest.json").read_bytes()


def test_generated_artifacts_have_dbt_1_11_shapes(generated_1k) -> None:
    folder, _ = generated_1k
    manifest = json.loads((folder / "manifest.json").read_text())
    run_results = json.loads((folder / "run_results.json").read_text())
    assert manifest["metadata"]["dbt_schema_version"].endswith("/manifest/v12.json")
    assert run_results["metadata"]["dbt_schema_version"].endswith("/run-results/v6.json")
    kinds = {body["resource_type"] for body in manifest["nodes"].values()}
    assert kinds == {"model", "test", "seed", "snapshot"}
    assert manifest["sources"] and manifest["exposures"] and manifest["macros"] and manifest["unit_tests"]
    model = next(body for body in manifest["nodes"].values() if body["resource_type"] == "model")
    for key in ("raw_code", "compiled_code", "config", "columns", "depends_on", "checksum", "relation_name"):
        assert key in model
    assert set(model["depends_on"]) == {"macros", "nodes"}
    tests = [body for body in manifest["nodes"].values() if body["resource_type"] == "test"]
    assert len(tests) > 500
    assert {result["status"] for result in run_results["results"]} == {
        "success",
        "pass",
        "error",
        "fail",
        "warn",
        "skipped",
    }


def test_generated_manifest_validates_against_dbt_artifacts_parser(generated_1k) -> None:
    parser = pytest.importorskip("dbt_artifacts_parser.parser")
    folder, _ = generated_1k
    manifest = parser.parse_manifest(json.loads((folder / "manifest.json").read_text()))
    run_results = parser.parse_run_results(json.loads((folder / "run_results.json").read_text()))
    assert type(manifest).__name__ == "ManifestV12"
    assert type(run_results).__name__ == "RunResultsV6"


def test_fast_json_path_reads_what_the_standard_library_reads(tmp_path: Path) -> None:
    document = {"metadata": {"x": "é ✓"}, "nodes": {"a": [1, 2.5, None, True]}, "big": 2**70}
    plain = tmp_path / "plain.json"
    plain.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with_bom = tmp_path / "bom.json"
    with_bom.write_bytes(b"\xef\xbb\xbf" + plain.read_bytes())
    not_a_number = tmp_path / "nan.json"
    not_a_number.write_text('{"execution_time": NaN}')
    assert read_json_object(plain, "manifest.json") == document
    assert read_json_object(with_bom, "manifest.json") == document
    assert json.dumps(read_json_object(not_a_number, "run_results.json")) == '{"execution_time": NaN}'


def test_fast_json_path_keeps_the_one_line_errors(tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.json"
    truncated.write_text('{"nodes": {"a": 1},\n "sources": ')
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"name": "café"}'.encode("latin-1"))
    array = tmp_path / "array.json"
    array.write_text("[1, 2]")
    with pytest.raises(
        ArtifactInvalid,
        match=r"not valid JSON: Expecting value at line 2 column 13 \(the file looks truncated\)",
    ):
        read_json_object(truncated, "manifest.json")
    with pytest.raises(ArtifactInvalid, match=r"is not UTF-8 text \(byte 13\)"):
        read_json_object(latin1, "manifest.json")
    with pytest.raises(NotADbtArtifact, match="expected a JSON object, found list"):
        read_json_object(array, "manifest.json")


def test_paused_gc_restores_the_collector_even_when_parsing_fails() -> None:
    assert gc.isenabled()
    with pytest.raises(ValueError), paused_gc():
        assert not gc.isenabled()
        raise ValueError("parse failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled(), "a collector disabled by the caller stays disabled"
    finally:
        gc.enable()


def test_scan_profile_tells_metadata_partition_pruned_and_full_scans_apart() -> None:
    metadata = scan_profile(
        "select table_name, column_name, data_type from `p`.`d`.INFORMATION_SCHEMA.COLUMNS "
        "where table_name = 'orders'"
    )
    pruned = scan_profile(
        "with days as (select date(created_at) as day, count(*) as n from `p`.`d`.`orders` "
        "where created_at >= timestamp('2026-11-23') and created_at < timestamp('2026-11-30') group by 1) "
        "select * from days"
    )
    wrapped = scan_profile(
        "select d, count(*) from (select * from `p`.`d`.`orders` where false limit 0) "
        "where d >= cast('2026-11-26' as date) and d < cast('2026-12-01' as date) group by 1"
    )
    full = scan_profile(
        "select count(*) from `p`.`d`.`orders` o join `p`.`d`.`customers` c using (id) where o.x = c.y"
    )
    assert metadata.metadata_only and metadata.summary().startswith("metadata only")
    assert not pruned.metadata_only and pruned.unfiltered == ()
    assert pruned.summary().startswith("partitions where") and "2026-11-23" in pruned.summary()
    assert wrapped.unfiltered == () and "2026-11-26" in wrapped.summary()
    assert full.unfiltered == ("`p`.`d`.`orders`", "`p`.`d`.`customers`")
    assert full.summary().startswith("FULL SCAN")
