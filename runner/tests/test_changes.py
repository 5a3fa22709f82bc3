"""`dbt-incident changes`: commits in a window under the failing lineage, in a real temporary git repository.

The repository holds the dbt project in a subfolder (`analytics/`), a local package elsewhere in the
repository (linked from `analytics/dbt_packages/`), and commits at controlled author and committer dates.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from artifact_builder import PROJECT, data_test, model, result, source, write_artifacts
from click.testing import CliRunner

from dbt_incident.artifacts import load_manifest
from dbt_incident.changes import (
    changes_for_run,
    compare_state,
    parse_since,
    summary_lines,
    timeline_entries,
)
from dbt_incident.cli import cli
from dbt_incident.errors import ConfigError, GitError

NOW = datetime.now(timezone.utc).replace(microsecond=0)
FAILING_TEST = f"test.{PROJECT}.not_null_fct_orders_order_id"


def _git(repo: Path, *arguments: str, at: datetime | None = None, committed: datetime | None = None) -> str:
    environment = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Ann Analyst",
        "GIT_AUTHOR_EMAIL": "ann@example.com",
        "GIT_COMMITTER_NAME": "Ann Analyst",
        "GIT_COMMITTER_EMAIL": "ann@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(repo),
    }
    if at is not None:
        environment["GIT_AUTHOR_DATE"] = at.isoformat()
        environment["GIT_COMMITTER_DATE"] = (committed or at).isoformat()
    completed = subprocess.run(
        ["git", *arguments], cwd=repo, env=environment, capture_output=True, text=True, check=True, timeout=30
    )
    return completed.stdout


def _commit(
    repo: Path, files: dict[str, str], message: str, at: datetime, committed: datetime | None = None
) -> str:
    for relative, text in files.items():
        path = repo / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        _git(repo, "add", relative)
    _git(repo, "commit", "-q", "-m", message, at=at, committed=committed)
    return _git(repo, "rev-parse", "HEAD").strip()


def _manifest_nodes(stg_checksum: str = "stg_orders", fct_materialized: str = "table") -> list[dict]:
    stg = model("stg_orders", [f"source.{PROJECT}.raw.orders"])
    stg["depends_on"]["macros"] = [f"macro.{PROJECT}.cents_to_dollars", "macro.dbt.run_query"]
    stg["checksum"]["checksum"] = stg_checksum
    fct = model("fct_orders", [stg["unique_id"]], materialized=fct_materialized)
    fct["depends_on"]["macros"] = ["macro.mypkg.safe_divide"]
    fct["patch_path"] = f"{PROJECT}://models/schema.yml"
    other = model("other_model")
    return [stg, fct, other, data_test("not_null_fct_orders_order_id", "not_null", "fct_orders", "order_id")]


def _write_run(folder: Path, nodes: list[dict]) -> Path:
    write_artifacts(
        folder,
        nodes,
        [result(FAILING_TEST, "fail", "Got 3 results, configured to fail if != 0", failures=3)],
        sources=[source("raw", "orders")],
    )
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["macros"] = {
        f"macro.{PROJECT}.cents_to_dollars": {"original_file_path": "macros/cents_to_dollars.sql"},
        "macro.mypkg.safe_divide": {"original_file_path": "macros/safe_divide.sql"},
        "macro.dbt.run_query": {"original_file_path": "macros/etc/statement.sql"},
    }
    manifest_path.write_text(json.dumps(manifest))
    return folder


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A git repository with the dbt project in `analytics/` and commits spread over five days."""
    repo = tmp_path_factory.mktemp("repo")
    _git(repo, "init", "-q", "-b", "main")
    project = repo / "analytics"
    shas = {}
    shas["initial"] = _commit(
        repo,
        {
            "README.md": "docs\n",
            "analytics/dbt_project.yml": f"name: {PROJECT}\nprofile: shop\n",
            "analytics/packages.yml": "packages:\n  - local: ../pkgs/mypkg\n",
            "analytics/models/stg_orders.sql": "select 1 as order_id\n",
            "analytics/models/fct_orders.sql": "select * from {{ ref('stg_orders') }}\n",
            "analytics/models/other_model.sql": "select 1 as x\n",
            "analytics/models/schema.yml": "version: 2\n",
            "analytics/models/sources.yml": "version: 2\n",
            "analytics/macros/cents_to_dollars.sql": "{% macro cents_to_dollars(c) %}{{ c }} / 100{% endmacro %}\n",
            "pkgs/mypkg/dbt_project.yml": "name: mypkg\n",
            "pkgs/mypkg/macros/safe_divide.sql": "{% macro safe_divide(a, b) %}{{ a }} / {{ b }}{% endmacro %}\n",
        },
        "Initial project",
        NOW - timedelta(days=5),
    )
    # A pull request branch: authored and committed three days ago, merged (no fast-forward) 10 minutes ago.
    _git(repo, "checkout", "-q", "-b", "feature")
    shas["branch"] = _commit(
        repo,
        {"analytics/models/schema.yml": "version: 2\nmodels: []\n"},
        "Document fct_orders",
        NOW - timedelta(days=3),
    )
    _git(repo, "checkout", "-q", "main")
    shas["stg"] = _commit(
        repo,
        {"analytics/models/stg_orders.sql": "select 2 as order_id\n"},
        "Change stg_orders",
        NOW - timedelta(hours=3),
    )
    shas["other"] = _commit(
        repo,
        {"analytics/models/other_model.sql": "select 2 as x\n"},
        "Unrelated model",
        NOW - timedelta(hours=2),
    )
    shas["macro"] = _commit(
        repo,
        {
            "analytics/macros/cents_to_dollars.sql": "{% macro cents_to_dollars(c) %}{{ c }}/100.0{% endmacro %}\n"
        },
        "Fix cents rounding",
        NOW - timedelta(hours=1),
    )
    shas["package"] = _commit(
        repo,
        {
            "pkgs/mypkg/macros/safe_divide.sql": "{% macro safe_divide(a, b) %}{{ a }} / nullif({{ b }}, 0){% endmacro %}\n"
        },
        "safe_divide: nullif",
        NOW - timedelta(minutes=40),
    )
    shas["readme"] = _commit(repo, {"README.md": "more docs\n"}, "Docs", NOW - timedelta(minutes=30))
    shas["project"] = _commit(
        repo,
        {"analytics/packages.yml": "packages:\n  - local: ../pkgs/mypkg\n# pinned\n"},
        "Pin packages",
        NOW - timedelta(minutes=20),
    )
    _git(
        repo,
        "merge",
        "-q",
        "--no-ff",
        "-m",
        "Merge feature",
        "feature",
        at=NOW - timedelta(days=3),
        committed=NOW - timedelta(minutes=10),
    )
    shas["merge"] = _git(repo, "rev-parse", "HEAD").strip()
    (project / "dbt_packages").mkdir()
    (project / "dbt_packages" / "mypkg").symlink_to(repo / "pkgs" / "mypkg", target_is_directory=True)
    target = _write_run(project / "target", _manifest_nodes())
    return {"repo": repo, "project": project, "target": target, "shas": shas}


def test_changes_lists_commits_touching_the_failing_lineage_files_only(repository: dict) -> None:
    shas = repository["shas"]
    report = changes_for_run(repository["project"], None, since="24h", now=NOW + timedelta(minutes=1))

    found = {commit.sha: commit for commit in report.commits}
    # the model upstream of the failing test, its macro, a local package macro, packages.yml, and the merge
    # of a branch whose own commit is older than the window
    assert set(found) == {shas["stg"], shas["macro"], shas["package"], shas["project"], shas["merge"]}
    assert found[shas["stg"]].files == ("analytics/models/stg_orders.sql",)
    assert found[shas["stg"]].nodes == (f"model.{PROJECT}.stg_orders",)
    assert found[shas["package"]].files == ("pkgs/mypkg/macros/safe_divide.sql",)
    assert found[shas["merge"]].files == ("analytics/models/schema.yml",)
    assert found[shas["project"]].nodes == ()  # project-level file: no node owns it
    # newest first, committer dates, the author as written
    assert next(commit.sha for commit in report.commits) == shas["merge"]
    assert found[shas["merge"]].authored_at == NOW - timedelta(days=3)
    assert found[shas["merge"]].committed_at == NOW - timedelta(minutes=10)
    assert found[shas["stg"]].author == "Ann Analyst"
    # paths are relative to the repository root, not to the dbt project subfolder
    watched = {item.path for item in report.watched}
    assert "analytics/models/fct_orders.sql" in watched and "analytics/dbt_project.yml" in watched
    assert "analytics/models/other_model.sql" not in watched
    assert report.repository_root == repository["repo"].resolve()
    # dbt's own macro (macro.dbt.run_query) is not in the repository
    assert report.outside_repository == 1
    assert report.modified is None


def test_changes_window_is_bounded_by_since(repository: dict) -> None:
    shas = repository["shas"]
    report = changes_for_run(repository["project"], None, since="90m", now=NOW + timedelta(minutes=1))
    assert {commit.sha for commit in report.commits} == {
        shas["macro"],
        shas["package"],
        shas["project"],
        shas["merge"],
    }
    iso = (NOW - timedelta(days=4)).date().isoformat()
    report = changes_for_run(repository["project"], None, since=iso, now=NOW + timedelta(minutes=1))
    assert shas["branch"] in {commit.sha for commit in report.commits}
    assert shas["initial"] not in {commit.sha for commit in report.commits}


def test_changes_timeline_entries_and_summary_lines(repository: dict) -> None:
    report = changes_for_run(repository["project"], None, since="24h", now=NOW + timedelta(minutes=1))
    entries = timeline_entries(report)
    assert [entry.origin for entry in entries] == ["git"] * 5
    assert entries[0].at == NOW - timedelta(hours=3)  # oldest first
    assert "Change stg_orders" in entries[0].what and "analytics/models/stg_orders.sql" in entries[0].what
    lines = summary_lines(report, limit=2)
    assert lines[0] == "5 commit(s) in the last 24 hours touched the failing lineage:"
    assert "Merge feature" in lines[1] and lines[-1].strip().startswith("... and 3 more")


def test_changes_state_lists_new_body_config_and_removed_nodes(repository: dict, tmp_path: Path) -> None:
    previous_nodes = _manifest_nodes(stg_checksum="older", fct_materialized="view")
    # previously fct_orders also read stg_payments, which has since been removed
    payments = model("stg_payments")
    previous_nodes[1]["depends_on"]["nodes"].append(payments["unique_id"])
    state = _write_run(tmp_path / "prod", [*previous_nodes, payments])
    current = load_manifest(repository["target"] / "manifest.json")
    # a new node: a model added after the previous manifest
    current_nodes = _manifest_nodes()
    added = model("int_orders", [current_nodes[0]["unique_id"]])
    current_nodes[1]["depends_on"]["nodes"] = [added["unique_id"]]
    current = load_manifest(_write_run(tmp_path / "now", [*current_nodes, added]) / "manifest.json")

    modified = {
        item.unique_id: item
        for item in compare_state(current, load_manifest(state / "manifest.json"), [FAILING_TEST])
    }
    assert modified[f"model.{PROJECT}.int_orders"].change == "new"
    assert modified[f"model.{PROJECT}.stg_orders"].change == "body"
    assert modified[f"model.{PROJECT}.fct_orders"].change == "config"
    assert "materialized" in modified[f"model.{PROJECT}.fct_orders"].detail
    assert modified[f"model.{PROJECT}.stg_payments"].change == "removed"
    assert f"model.{PROJECT}.other_model" not in modified  # not in the lineage

    runner = CliRunner()
    outcome = runner.invoke(
        cli,
        ["changes", "--project-dir", str(repository["project"]), "--state", str(state), "--format", "json"],
    )
    assert outcome.exit_code == 0, outcome.output
    document = json.loads(outcome.output)
    assert {item["unique_id"]: item["change"] for item in document["modified"]} == {
        f"model.{PROJECT}.stg_orders": "body",
        f"model.{PROJECT}.fct_orders": "config",
        f"model.{PROJECT}.stg_payments": "removed",
    }
    assert len(document["commits"]) == 5


def test_changes_cli_text_output_names_commits_and_files(repository: dict) -> None:
    outcome = CliRunner().invoke(
        cli, ["changes", "--project-dir", str(repository["project"]), "--since", "24h"]
    )
    assert outcome.exit_code == 0, outcome.output
    assert "Change stg_orders" in outcome.output and "Unrelated model" not in outcome.output
    assert "analytics/models/stg_orders.sql (model.shop.stg_orders)" in outcome.output


def test_parse_since_accepts_durations_and_iso_dates_and_refuses_the_rest() -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
    assert parse_since("24h", now) == now - timedelta(hours=24)
    assert parse_since("3d", now) == now - timedelta(days=3)
    assert parse_since("90m", now) == now - timedelta(minutes=90)
    assert parse_since("2026-11-28", now) == datetime(2026, 11, 28, tzinfo=timezone.utc)
    assert parse_since("2026-11-28T06:30:00+02:00", now) == datetime(2026, 11, 28, 4, 30, tzinfo=timezone.utc)
    for bad in ("yesterday", "24", "2026-13-01", ""):
        with pytest.raises(ConfigError, match="--since"):
            parse_since(bad, now)
    with pytest.raises(ConfigError, match="in the future"):
        parse_since("2027-01-01", now)


def test_changes_outside_a_git_repository_is_a_one_line_error(tmp_path: Path) -> None:
    project = tmp_path / "project"
    _write_run(project / "target", _manifest_nodes())
    outcome = CliRunner().invoke(cli, ["changes", "--project-dir", str(project)])
    assert outcome.exit_code == 2
    assert "not inside a git repository" in outcome.output
    with pytest.raises(GitError):
        changes_for_run(project, None)
