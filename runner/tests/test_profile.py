"""`dbt-incident profile`: parsing the incident_profile document, findings, rendering, the suggested command."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from dbt_incident.cli import cli
from dbt_incident.errors import DbtInvocationError
from dbt_incident.profile import (
    BEGIN_MARKER,
    END_MARKER,
    Profile,
    build_operation_args,
    find_anomalies,
    parse_profile_output,
)
from dbt_incident.profile_command import suggest_profile_command
from dbt_incident.profile_render import render_json, render_markdown, render_text

DOCUMENT: dict[str, Any] = {
    "format_version": 1,
    "model": "fct_events",
    "resolved_as": "model",
    "unique_id": "model.shop.fct_events",
    "relation": '"db"."main"."fct_events"',
    "as_of": "2026-11-30",
    "days": 2,
    "baseline_days": 28,
    "null_window_days": 1,
    "granularity": "day",
    "partition_column": "event_date",
    "timestamp_column": "event_at",
    "columns": ["event_date", "customer_id", "status"],
    "column_types": {"event_date": "DATE", "customer_id": "INTEGER", "status": "VARCHAR"},
    "row_history": [
        {
            "partition_date": "2026-11-29",
            "row_count": 4100,
            "baseline_mean": 4000.0,
            "deviation_percent": 2.5,
            "flag": "ok",
        },
        {
            "partition_date": "2026-11-30",
            "row_count": 41,
            "baseline_mean": 4000.0,
            "deviation_percent": -98.98,
            "flag": "low",
        },
    ],
    "null_counts": [
        {
            "column_name": "customer_id",
            "row_count": 41,
            "null_count": 35,
            "null_proportion": 0.8537,
            "baseline_null_proportion": 0.0,
            "flag": "spike",
        },
        {
            "column_name": "status",
            "row_count": 41,
            "null_count": 0,
            "null_proportion": 0.0,
            "baseline_null_proportion": 0.0,
            "flag": "ok",
        },
    ],
    "distinct_profile": [
        {
            "column_name": "status",
            "value": "pending_payment",
            "value_status": "new",
            "window_count": 2,
            "baseline_count": 0,
            "distinct_count": 4,
        },
        {
            "column_name": "status",
            "value": "placed",
            "value_status": "top",
            "window_count": 30,
            "baseline_count": 900,
            "distinct_count": 4,
        },
    ],
    "freshness": {
        "timestamp_column": "event_at",
        "newest_value": "2026-11-27T23:00:00",
        "reference_time": "2026-12-01T00:00:00",
        "lag_seconds": 262800,
        "row_count": 100,
    },
}


def _printed(document: dict[str, Any]) -> str:
    return (
        f"12:00:00  Running with dbt\n{BEGIN_MARKER}\n{json.dumps(document)}\n{END_MARKER}\n12:00:01 done\n"
    )


def test_parse_profile_output_reads_the_document_between_the_markers() -> None:
    assert parse_profile_output(_printed(DOCUMENT)) == DOCUMENT


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("no markers here", "printed no JSON document"),
        (f"{BEGIN_MARKER}\n{{not json\n{END_MARKER}", "invalid JSON"),
        (f"{BEGIN_MARKER}\n[1, 2]\n{END_MARKER}", "not an object"),
        (_printed({**DOCUMENT, "format_version": 99}), "format_version 99"),
    ],
)
def test_parse_profile_output_rejects_what_it_cannot_read(text: str, message: str) -> None:
    with pytest.raises(DbtInvocationError, match=message):
        parse_profile_output(text)


def test_find_anomalies_flags_partitions_columns_values_and_staleness() -> None:
    findings = {(f.section, f.subject, f.kind) for f in find_anomalies(DOCUMENT)}
    assert findings == {
        ("row_history", "2026-11-30", "low"),
        ("null_counts", "customer_id", "spike"),
        ("distinct_profile", "status", "new_values"),
        ("freshness", "event_at", "stale"),
    }


def test_find_anomalies_is_quiet_on_a_healthy_document() -> None:
    healthy = {
        **DOCUMENT,
        "row_history": DOCUMENT["row_history"][:1],
        "null_counts": DOCUMENT["null_counts"][1:],
        "distinct_profile": DOCUMENT["distinct_profile"][1:],
        "freshness": {**DOCUMENT["freshness"], "lag_seconds": 3600},
    }
    assert find_anomalies(healthy) == ()


def test_build_operation_args_uses_the_columns_for_nulls_and_distinct_values() -> None:
    arguments = build_operation_args("fct_orders", partition_column="order_date", days=3, columns=["status"])
    assert arguments == {
        "model": "fct_orders",
        "format": "json",
        "partition_column": "order_date",
        "days": 3,
        "critical_columns": ["status"],
        "distinct_columns": ["status"],
    }


def test_renderers_show_the_findings_in_text_markdown_and_json() -> None:
    profile = Profile(document=DOCUMENT, findings=find_anomalies(DOCUMENT))
    text = render_text(profile)
    assert "2026-11-30" in text and "[low] row_history 2026-11-30" in text
    markdown = render_markdown(profile)
    assert "| partition_date |" in markdown and "`spike` null_counts **customer_id**" in markdown
    rendered = json.loads(render_json(profile))
    assert rendered["profile"] == DOCUMENT
    assert {finding["kind"] for finding in rendered["findings"]} == {"low", "spike", "new_values", "stale"}


def test_renderers_show_bytes_per_diagnostic_only_when_the_adapter_reported_them() -> None:
    unreported = {"bytes_processed": None, "bytes_billed": None, "bytes_estimate": None}
    quiet = Profile(document={**DOCUMENT, "cost": {"row_history": unreported}})
    assert "Bytes per diagnostic" not in render_text(quiet)
    bigquery = {
        **DOCUMENT,
        "maximum_bytes_billed": 10_000_000,
        "cost": {
            "row_history": {"bytes_processed": 0, "bytes_billed": 0, "bytes_estimate": None},
            "null_counts": {
                "bytes_processed": 52_428_800,
                "bytes_billed": 52_428_800,
                "bytes_estimate": 9_000_000,
            },
        },
    }
    profile = Profile(document=bigquery)
    assert "Bytes per diagnostic (limit: 10000000 bytes)" in render_text(profile)
    markdown = render_markdown(profile)
    assert "| null_counts | 52428800 | 52428800 | 9000000 |" in markdown
    assert "| row_history | 0 | 0 |  |" in markdown


def test_suggest_profile_command_builds_a_shell_safe_command_line() -> None:
    command = suggest_profile_command("fct_orders", "order_date", ["status", "Mixed Case", "status"], days=3)
    assert shlex.split(command) == [
        "dbt-incident",
        "profile",
        "fct_orders",
        "--partition-column",
        "order_date",
        "--days",
        "3",
        "--columns",
        "status",
        "--columns",
        "Mixed Case",
    ]
    assert suggest_profile_command("fct_orders") == "dbt-incident profile fct_orders"
    with pytest.raises(ValueError, match="model_name"):
        suggest_profile_command(" ")


def test_profile_command_exits_1_and_renders_when_something_looks_wrong(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run_profile(model: str, **options: Any) -> Profile:
        calls.append({"model": model, **options})
        return Profile(document=DOCUMENT, findings=find_anomalies(DOCUMENT))

    monkeypatch.setattr("dbt_incident.profile.run_profile", fake_run_profile)
    result = CliRunner().invoke(
        cli,
        [
            "profile",
            "fct_events",
            "--partition-column",
            "event_date",
            "--columns",
            "a,b",
            "--columns",
            "c",
            "--vars",
            "{incident_scenario: volume_drop}",
            "--format",
            "markdown",
        ],
    )
    assert result.exit_code == 1, result.output
    assert "**Looks wrong:**" in result.output
    assert calls[0]["columns"] == ["a", "b", "c"]
    assert calls[0]["variables"] == {"incident_scenario": "volume_drop"}


def test_profile_command_reports_dbt_failures_as_one_error_line(monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(model: str, **options: Any) -> Profile:
        raise DbtInvocationError(
            "dbt run-operation incident_profile failed for x: column 'nope' does not exist"
        )

    monkeypatch.setattr("dbt_incident.profile.run_profile", failing)
    result = CliRunner().invoke(cli, ["profile", "x"])
    assert result.exit_code == 2
    assert "Error: dbt run-operation incident_profile failed for x" in result.output


def test_profile_command_checks_its_options_and_output_before_running_dbt(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[dict[str, Any]] = []

    def fake_run_profile(model: str, **options: Any) -> Profile:
        calls.append({"model": model, **options})
        return Profile(document=DOCUMENT, findings=())

    monkeypatch.setattr("dbt_incident.profile.run_profile", fake_run_profile)
    runner = CliRunner()
    alone = runner.invoke(cli, ["profile", "fct_events", "--baseline-days", "14"])
    assert alone.exit_code == 2 and "--baseline-days needs --partition-column" in alone.output
    zero = runner.invoke(cli, ["profile", "fct_events", "--partition-column", "d", "--baseline-days", "0"])
    assert zero.exit_code == 2 and "--baseline-days" in zero.output
    existing = tmp_path / "profile.json"
    existing.write_text("kept")
    refused = runner.invoke(cli, ["profile", "fct_events", "--output", str(existing)])
    assert refused.exit_code == 2 and f"{existing}: file exists; pass --force" in refused.output
    assert calls == [] and existing.read_text() == "kept"  # refused before dbt was asked anything
    arguments = ["--partition-column", "d", "--baseline-days", "14", "--timestamp-column", "event_at"]
    written = runner.invoke(cli, ["profile", "fct_events", *arguments, "--output", str(existing), "--force"])
    assert written.exit_code == 0 and f"Wrote {existing}" in written.output
    assert (calls[0]["baseline_days"], calls[0]["timestamp_column"]) == (14, "event_at")
    assert existing.read_text() != "kept"


def test_build_operation_args_passes_baseline_and_timestamp_column() -> None:
    arguments = build_operation_args(
        "fct_orders", partition_column="order_date", baseline_days=28, timestamp_column="updated_at"
    )
    assert (arguments["baseline_days"], arguments["timestamp_column"]) == (28, "updated_at")
    assert "baseline_days" not in build_operation_args("fct_orders")


def test_dbt_errors_name_the_cli_option_beside_the_macro_argument() -> None:
    from dbt_incident.profile import _name_cli_options

    reason = (
        "Compilation Error in macro incident_profile (macros/commands/incident_profile.sql) "
        "dbt_incident.incident_profile: argument 'critical_columns' names column 'nope', which does not exist"
    )
    assert _name_cli_options(reason) == (
        "dbt_incident.incident_profile: argument 'critical_columns' (--columns) names column 'nope',"
        " which does not exist"
    )
    assert _name_cli_options("Database Error: no such table") == "Database Error: no such table"
