"""Every real artifact under shared/fixtures/public-artifacts parses, with the counts its inventory records."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from shared_paths import PUBLIC_ARTIFACTS

from dbt_incident.artifacts import load_manifest, load_run_results, load_sources

INVENTORY = [
    json.loads(line) for line in (PUBLIC_ARTIFACTS / "INVENTORY.jsonl").read_text().splitlines() if line
]
_COUNT = re.compile(r"`(?P<status>[^`]+)` (?P<type>[\w()\s]+?) ×(?P<count>\d+)")
_NODE_COUNT = re.compile(r"(?P<type>\w+) ×(?P<count>\d+)")


def test_every_json_file_in_the_folder_is_in_the_inventory_and_parses():
    on_disk = sorted(PUBLIC_ARTIFACTS.rglob("*.json"))
    listed = {PUBLIC_ARTIFACTS / entry["file_path"] for entry in INVENTORY}
    assert len(on_disk) >= 55
    assert set(on_disk) <= listed
    loaders = {
        "run_results.json": load_run_results,
        "manifest.json": load_manifest,
        "sources.json": load_sources,
    }
    for path in on_disk:
        parsed = loaders[path.name](path)
        assert parsed.path == path


@pytest.mark.parametrize(
    "entry",
    [entry for entry in INVENTORY if entry["file"] == "run_results.json"],
    ids=lambda e: e["file_path"],
)
def test_run_results_status_and_type_counts_match_the_inventory(entry):
    parsed = load_run_results(PUBLIC_ARTIFACTS / entry["file_path"])
    expected = Counter()
    if "empty `results`" not in entry["status_summary"]:
        summary = entry["status_summary"].split(" — ")[0]
        for match in _COUNT.finditer(summary):
            kind = "unknown" if match["type"] == "(empty id)" else match["type"]
            expected[(match["status"], kind)] = int(match["count"])
        assert expected, entry["status_summary"]
    actual = Counter((result.raw_status, result.resource_type) for result in parsed.results)
    assert actual == expected
    which = re.search(r"args.which=`([\w-]+)`", entry["status_summary"])
    if which:
        assert parsed.command == which[1]


@pytest.mark.parametrize(
    "entry", [entry for entry in INVENTORY if entry["file"] == "manifest.json"], ids=lambda e: e["file_path"]
)
def test_manifest_node_and_source_counts_match_the_inventory(entry):
    parsed = load_manifest(PUBLIC_ARTIFACTS / entry["file_path"])
    nodes_part, sources_part, *rest = entry["status_summary"].removeprefix("nodes: ").split("; ")
    expected_nodes = {match["type"]: int(match["count"]) for match in _NODE_COUNT.finditer(nodes_part)}
    if rest:
        expected_nodes["unit_test"] = int(_NODE_COUNT.search(rest[0])["count"])
    actual_nodes = Counter(node.resource_type for node in parsed.nodes.values())
    assert dict(actual_nodes) == expected_nodes
    assert len(parsed.sources) == int(_NODE_COUNT.search(sources_part)["count"])
    # Every parent of every node is itself a node, a source or (cross-project) an external unique_id string.
    assert all(
        isinstance(parent, str) and parent for node in parsed.nodes.values() for parent in node.parents
    )


@pytest.mark.parametrize(
    "entry", [entry for entry in INVENTORY if entry["file"] == "sources.json"], ids=lambda e: e["file_path"]
)
def test_sources_freshness_statuses_match_the_inventory(entry):
    parsed = load_sources(PUBLIC_ARTIFACTS / entry["file_path"])
    match = _COUNT.search(entry["status_summary"])
    assert Counter(result.raw_status for result in parsed.results) == {match["status"]: int(match["count"])}
    assert all(result.status.value == match["status"].lower() for result in parsed.results)


def test_unknown_schema_version_is_read_best_effort_with_one_warning():
    path = Path(
        PUBLIC_ARTIFACTS,
        "OpenLineage__OpenLineage__1.8.5__handedited-oddities/invalid-schema-v12_3ee9176",
        "run_results.json",
    )
    parsed = load_run_results(path)
    assert parsed.schema_version == 12
    version_warnings = [warning for warning in parsed.warnings if "schema v12" in warning]
    assert len(version_warnings) == 1 and "best effort" in version_warnings[0]
    assert sum(result.status.value == "fail" for result in parsed.results) == 2


def test_string_failures_and_empty_unique_id_do_not_break_parsing():
    parsed = load_run_results(
        PUBLIC_ARTIFACTS
        / "OpenLineage__OpenLineage__1.8.5__handedited-oddities/head_8f02abf/run_results.json"
    )
    by_id = {result.unique_id: result for result in parsed.results}
    assert by_id["test.jaffle_shop.not_null_customers_customer_id.923d2d910a"].failures is None
    assert by_id["test.jaffle_shop.unique_customers_customer_id.d48e126d80"].failures == 1
    assert "unknown.20" in by_id
    assert any("empty unique_id" in warning for warning in parsed.warnings)


def test_legacy_results_keep_adapter_message_statuses_as_success_and_embed_nodes():
    parsed = load_run_results(
        PUBLIC_ARTIFACTS / "DoSomething__quasar__legacy-pre0.19__postgres/2019-10-12_89da8c3/run_results.json"
    )
    assert parsed.schema_version is None
    statuses = {result.unique_id: result.status.value for result in parsed.results}
    assert statuses == {
        "model.ds_dbt.email_subscription_topics_raw": "success",
        "model.ds_dbt.user_newsletter_subscriptions": "error",
    }
    errored = next(result for result in parsed.results if result.status.value == "error")
    assert "server closed the connection" in errored.message
    assert set(parsed.embedded_nodes) == set(statuses)


def test_fusion_capitalised_freshness_status_is_normalised():
    parsed = load_sources(
        PUBLIC_ARTIFACTS / "e-elikem__dbt_fundamentals__2.0.0-preview.199__fusion/sources.json"
    )
    assert [result.status.value for result in parsed.results] == ["pass"]
    assert parsed.results[0].error_after == "48 day"


def test_freshness_without_error_threshold_has_no_error_after():
    parsed = load_sources(
        PUBLIC_ARTIFACTS / "carlosofnyc__btc__1.10.11__sources-warn-no-error-after/sources.json"
    )
    assert parsed.results[0].error_after is None
    assert parsed.results[0].warn_after is not None
