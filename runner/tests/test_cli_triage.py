"""`dbt-incident triage` and `report` from the command line: outputs, exit codes, bad input."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from shared_paths import public_artifact

from dbt_incident.cli import cli

AIRBNB = "DucAnhNTT__dbt-hands-on-Airbnb-Analysis__1.6.6__run-error-skipped"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_triage_json_contract_on_a_failed_job_exits_1():
    outcome = run("triage", "--target-path", str(public_artifact(AIRBNB)), "--format", "json")
    assert outcome.exit_code == 1
    document = json.loads(outcome.stdout)
    assert document["severity"] == "P2"
    assert document["invocation_id"] == "c361c3f9-f8dd-4453-912b-8764b6026c9c"
    [root] = document["failures"]
    assert set(root) >= {
        "unique_id",
        "resource_type",
        "status",
        "kind",
        "cause",
        "severity",
        "message",
        "failures",
        "collateral",
        "downstream",
        "exposures",
        "upstream_sources",
    }
    assert root["collateral"] == ["model.dbtlearn.mart_fullmoon_reviews"]
    assert root["upstream_sources"] == [
        {
            "unique_id": "source.dbtlearn.airbnb.reviews",
            "freshness": "not_checked",
            "age_seconds": None,
            "max_loaded_at": None,
        }
    ]


def test_triage_text_and_markdown_name_the_root_and_the_next_step():
    text = run("triage", "--target-path", str(public_artifact(AIRBNB)))
    assert text.exit_code == 1
    assert "model.dbtlearn.fct_reviews" in text.stdout and "undefined_macro" in text.stdout
    markdown = run("triage", "--target-path", str(public_artifact(AIRBNB)), "--format", "markdown")
    assert markdown.stdout.startswith("# dbt incident triage: compilation_error in fct_reviews")
    assert "`dbt build --select fct_reviews+ --target dev  # reproduce and verify the fix`" in markdown.stdout


def test_triage_of_a_clean_run_exits_0(tmp_path):
    outcome = run(
        "triage",
        "--target-path",
        str(public_artifact("yu-iskw__dbt-artifacts-parser__schema-ladder/dbt-1.9.0")),
        "--format",
        "json",
    )
    assert outcome.exit_code == 0
    assert json.loads(outcome.stdout)["failures"] == []


def test_empty_results_exit_0_with_a_warning():
    outcome = run(
        "triage",
        "--format",
        "json",
        "--target-path",
        str(public_artifact("AlainS7__durham-environmental-monitoring__1.11.0b3__run-empty-results")),
    )
    assert outcome.exit_code == 0
    document = json.loads(outcome.stdout)
    assert document["failures"] == [] and any("nothing ran" in warning for warning in document["warnings"])


def test_output_file_is_written(tmp_path):
    destination = tmp_path / "triage.json"
    outcome = run(
        "triage",
        "--target-path",
        str(public_artifact(AIRBNB)),
        "--format",
        "json",
        "--output",
        str(destination),
    )
    assert outcome.exit_code == 1
    assert json.loads(destination.read_text())["failures"][0]["unique_id"] == "model.dbtlearn.fct_reviews"

    # An existing file is never replaced without --force: one line naming it, exit 2, the file untouched.
    destination.write_text("kept")
    arguments = ["triage", "--target-path", str(public_artifact(AIRBNB)), "--output", str(destination)]
    refused = run(*arguments)
    assert refused.exit_code == 2
    assert f"{destination}: file exists; pass --force to overwrite it" in refused.output
    assert destination.read_text() == "kept"
    assert run(*arguments, "--force").exit_code == 1 and "fct_reviews" in destination.read_text()


def test_debug_prints_the_traceback_and_keeps_the_exit_code(tmp_path):
    missing = str(tmp_path / "nowhere")
    plain = CliRunner().invoke(cli, ["triage", "--target-path", missing])
    debugged = CliRunner().invoke(cli, ["--debug", "triage", "--target-path", missing])
    assert plain.exit_code == debugged.exit_code == 2
    assert "Traceback" not in plain.output and plain.output.startswith("Error: ")
    assert "Traceback (most recent call last)" in debugged.output
    assert debugged.output.rstrip().splitlines()[-1] == plain.output.rstrip()


def _target_with(tmp_path, name: str, content: bytes):
    target = tmp_path / "target"
    target.mkdir()
    (target / name).write_bytes(content)
    return target


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda tmp: tmp / "nowhere", "target folder not found"),
        (lambda tmp: (tmp / "empty").mkdir() or tmp / "empty", "run_results.json not found"),
        (
            lambda tmp: _target_with(
                tmp, "run_results.json", b'{"metadata": {"dbt_schema_version": "x"}, "res'
            ),
            "not valid JSON",
        ),
        (
            lambda tmp: _target_with(tmp, "run_results.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary"),
            "binary file",
        ),
        (
            lambda tmp: _target_with(tmp, "run_results.json", b'{"name": "my-app", "version": "1.0.0"}'),
            "not a dbt run_results.json: field 'results'",
        ),
        (
            lambda tmp: _target_with(tmp, "run_results.json", b"[1, 2, 3]"),
            "expected a JSON object, found list",
        ),
        (lambda tmp: _target_with(tmp, "run_results.json", b""), "is empty"),
        (
            lambda tmp: _target_with(
                tmp,
                "run_results.json",
                b'{"metadata": {"dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json"}, "nodes": {}}',
            ),
            "this is a dbt manifest artifact, expected run_results.json",
        ),
    ],
    ids=[
        "missing-folder",
        "missing-run-results",
        "truncated",
        "binary",
        "not-dbt",
        "list",
        "empty",
        "wrong-kind",
    ],
)
def test_bad_input_is_one_line_naming_the_file_and_exit_2(tmp_path, setup, expected):
    target = setup(tmp_path)
    outcome = CliRunner().invoke(cli, ["triage", "--target-path", str(target)])
    assert outcome.exit_code == 2
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and expected in lines[0]
    assert str(target) in lines[0]
    assert "Traceback" not in outcome.output


def test_bad_manifest_beside_good_run_results_names_the_manifest(tmp_path):
    target = tmp_path / "target"
    shutil.copytree(public_artifact(AIRBNB), target)
    (target / "manifest.json").write_text('{"nodes": ')
    outcome = CliRunner().invoke(cli, ["triage", "--target-path", str(target)])
    assert outcome.exit_code == 2
    assert "manifest.json is not valid JSON" in outcome.stderr


def test_report_writes_the_playbook_template_and_refuses_to_overwrite(tmp_path):
    arguments = ["report", "--target-path", str(public_artifact(AIRBNB)), "--output-dir", str(tmp_path)]
    first = CliRunner().invoke(cli, arguments)
    assert first.exit_code == 0
    path = tmp_path / "incident_report_20231112_fct-reviews-undefined-macro.md"
    assert first.stdout.strip() == str(path)
    text = path.read_text()
    for heading in (
        "# Incident Report:",
        "**Severity**: P2",
        "**Duration**:",
        "## Summary",
        "## Timeline",
        "## Root Cause",
        "## Impact",
        "## Resolution",
        "## Prevention",
        "## Action Items",
        "## Lessons Learned",
        "- [ ] Data is correct",
        "- [ ] Prevention measures identified",
    ):
        assert heading in text
    assert (
        "2023-11-12 14:55:06 UTC — model.dbtlearn.fct_reviews error: compilation_error / undefined_macro"
        in text
    )
    path.write_text("edited by the responder")
    second = CliRunner().invoke(cli, arguments)
    assert second.exit_code == 2 and "--force" in second.stderr
    assert path.read_text() == "edited by the responder"
    assert CliRunner().invoke(cli, [*arguments, "--force"]).exit_code == 0
    assert path.read_text().startswith("# Incident Report:")


def test_every_command_has_a_docstring_and_every_option_has_help():
    from dbt_incident.cli import COMMANDS

    context = cli.make_context("dbt-incident", [], resilient_parsing=True)
    for name in COMMANDS:
        command = cli.get_command(context, name)
        assert command.help, f"{name} has no docstring"
        for parameter in command.params:
            if parameter.param_type_name == "option":
                assert parameter.help, f"{name} {parameter.name} has no help"


def test_every_command_is_in_the_readme_and_the_command_reference():
    from shared_paths import REPOSITORY_ROOT

    from dbt_incident.cli import COMMANDS

    readme = (REPOSITORY_ROOT / "README.md").read_text()
    reference = (REPOSITORY_ROOT / "docs" / "commands.md").read_text()
    for name in COMMANDS:
        assert f"dbt-incident {name}" in readme or f"`{name} " in readme, f"{name} missing from README.md"
        if name not in ("triage", "report", "profile"):
            assert f"dbt-incident {name}" in reference, f"{name} missing from docs/commands.md"


def test_a_pipe_named_run_results_is_refused_without_blocking(tmp_path):
    import os

    target = tmp_path / "target"
    target.mkdir()
    os.mkfifo(target / "run_results.json")
    outcome = CliRunner().invoke(cli, ["triage", "--target-path", str(target)])
    assert outcome.exit_code == 2
    assert "not a regular file" in outcome.stderr


def test_non_finite_numbers_never_reach_the_json_contract(tmp_path):
    target = tmp_path / "target"
    shutil.copytree(public_artifact(AIRBNB), target)
    document = json.loads((target / "run_results.json").read_text())
    document["elapsed_time"] = float("inf")
    document["results"][0]["execution_time"] = float("nan")
    (target / "run_results.json").write_text(json.dumps(document))  # writes Infinity / NaN tokens
    outcome = run("triage", "--target-path", str(target), "--format", "json", "--no-changes")
    assert outcome.exit_code == 1
    parsed = json.loads(outcome.stdout, parse_constant=lambda token: pytest.fail(f"non-JSON token {token}"))
    assert parsed["elapsed_seconds"] is None


def test_an_integer_beyond_python_limits_is_one_line(tmp_path):
    target = _target_with(
        tmp_path, "run_results.json", b'{"results": [], "elapsed_time": ' + b"9" * 5000 + b"}"
    )
    outcome = CliRunner().invoke(cli, ["triage", "--target-path", str(target)])
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith(f"Error: {target / 'run_results.json'}")
    assert "internal error" not in outcome.stderr
