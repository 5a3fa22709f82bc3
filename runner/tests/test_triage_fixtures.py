"""Triage on real failed jobs from public projects: roots, collateral, classification, severity."""

from __future__ import annotations

import json

import pytest
from shared_paths import PUBLIC_ARTIFACTS, public_artifact

from dbt_incident.artifacts import load_artifacts
from dbt_incident.classification import Kind
from dbt_incident.severity import Severity
from dbt_incident.triage import triage


def test_airbnb_compilation_error_is_the_one_root_with_the_skipped_mart_as_collateral():
    result = triage(
        load_artifacts(public_artifact("DucAnhNTT__dbt-hands-on-Airbnb-Analysis__1.6.6__run-error-skipped"))
    )
    assert [failure.unique_id for failure in result.failures] == ["model.dbtlearn.fct_reviews"]
    root = result.failures[0]
    assert (root.kind, root.cause) == (Kind.COMPILATION_ERROR, "undefined_macro")
    assert [item.unique_id for item in root.collateral] == ["model.dbtlearn.mart_fullmoon_reviews"]
    assert root.collateral[0].status == "skipped"
    assert root.downstream == ("model.dbtlearn.mart_fullmoon_reviews",)
    assert [source.unique_id for source in root.upstream_sources] == ["source.dbtlearn.airbnb.reviews"]
    assert root.upstream_sources[0].freshness == "not_checked"
    assert result.severity is Severity.P2 and "build_error" in result.severity_reason
    assert not result.unattributed


def test_run_results_alone_still_classifies_and_attributes_the_single_root():
    result = triage(
        load_artifacts(public_artifact("OpenLineage__OpenLineage__0.20.0__bigquery-run-error-skipped"))
    )
    assert [(failure.unique_id, failure.kind, failure.cause) for failure in result.failures] == [
        ("model.dbt_bigquery_test.test_second_parallel_dbt_model", Kind.DATABASE_ERROR, "syntax_error")
    ]
    collateral = result.failures[0].collateral
    assert [item.unique_id for item in collateral] == ["model.dbt_bigquery_test.test_third_dbt_model"]
    assert "without manifest.json" in collateral[0].reason
    assert any(
        note.startswith("manifest.json is missing") and "blast radius" in note for note in result.missing
    )


def test_failing_tests_are_roots_with_their_test_type_as_cause_and_tested_model():
    result = triage(load_artifacts(public_artifact("OpenLineage__OpenLineage__0.20.0__bigquery-test-fail")))
    causes = sorted((failure.cause, failure.test_name) for failure in result.failures)
    assert causes == [
        ("custom", "expect_column_median_to_be_between"),
        ("custom", "expect_column_quantile_values_to_be_between"),
        ("unique", "unique"),
        ("unique", "unique"),
    ]
    unique_first = next(
        f for f in result.failures if f.unique_id.startswith("test.dbt_bigquery_test.unique_test_first")
    )
    assert unique_first.tested_node == "model.dbt_bigquery_test.test_first_dbt_model"
    assert unique_first.failures is not None and unique_first.failures > 0
    assert unique_first.next_steps[0].startswith("dbt-incident profile test_first_dbt_model")
    assert all(failure.kind is Kind.TEST_FAILURE for failure in result.failures)


def test_stale_source_alone_is_p2_with_its_downstream():
    result = triage(
        load_artifacts(public_artifact("DucAnhNTT__dbt-hands-on-Airbnb-Analysis__1.6.6__freshness-error"))
    )
    assert [(failure.unique_id, failure.kind, failure.severity) for failure in result.failures] == [
        ("source.dbtlearn.airbnb.reviews", Kind.STALE_SOURCE, Severity.P2)
    ]
    root = result.failures[0]
    assert "model.dbtlearn.fct_reviews" in root.downstream
    assert "error_after 24 hour" in root.message
    assert result.severity is Severity.P2 and "stale_source" in result.severity_reason


def test_freshness_warn_only_is_p3():
    result = triage(load_artifacts(public_artifact("hsg09__AWS_DBT_Snowflake__1.11.7__sources-warn")))
    assert len(result.failures) == 4
    assert {failure.severity for failure in result.failures} == {Severity.P3}
    assert result.severity is Severity.P3


def test_run_operation_macro_result_does_not_crash_and_nothing_failed():
    result = triage(load_artifacts(public_artifact("Tvkoushik__dbt-airbnb-analytics__1.8.2__run-operation")))
    assert result.failures == () and result.severity is None


def test_empty_results_is_not_an_error_and_says_nothing_ran():
    result = triage(
        load_artifacts(
            public_artifact("AlainS7__durham-environmental-monitoring__1.11.0b3__run-empty-results")
        )
    )
    assert result.failures == ()
    assert any("nothing ran" in warning for warning in result.warnings)


def test_legacy_error_is_a_database_connection_error_with_embedded_lineage():
    result = triage(
        load_artifacts(public_artifact("DoSomething__quasar__legacy-pre0.19__postgres/2020-02-05_0800dc0"))
    )
    assert [(failure.kind, failure.cause) for failure in result.failures] == [
        (Kind.DATABASE_ERROR, "missing_column")
    ]


def test_versioned_models_unit_tests_and_exposure_no_ops_triage_clean():
    result = triage(
        load_artifacts(
            public_artifact("godatadriven__dbt-bouncer__1.11.2__duckdb-build-noop-unittests-versioned")
        )
    )
    assert result.failures == ()
    assert result.result_counts["no-op"] == 2


@pytest.mark.parametrize(
    "folder",
    sorted(
        {path.parent for path in PUBLIC_ARTIFACTS.rglob("run_results.json")}
        | {path.parent for path in PUBLIC_ARTIFACTS.rglob("sources.json")}
    ),
    ids=lambda path: str(path.relative_to(PUBLIC_ARTIFACTS)),
)
def test_every_public_failed_job_folder_triages_and_serialises(folder):
    from dbt_incident.render.json_contract import triage_to_dict

    result = triage(load_artifacts(folder))
    document = json.loads(json.dumps(triage_to_dict(result)))
    assert set(document) >= {"severity", "severity_reason", "invocation_id", "generated_at", "failures"}
    assert (document["severity"] is None) == (not document["failures"])
    for failure in document["failures"]:
        assert failure["kind"] in {kind.value for kind in Kind}
        assert failure["severity"] in {"P0", "P1", "P2", "P3"}
