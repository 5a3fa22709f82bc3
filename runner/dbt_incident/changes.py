"""What changed recently under the failing nodes: git commits, and nodes modified against a previous manifest.

`recent_changes(project_dir, manifest, failing_ids, since=...)` is the library entry point behind
`dbt-incident changes` (and the short version `triage` shows through `summary_lines`):

1. The watched files: the files of the failing nodes and of every node in their upstream lineage, read from
   the manifest (`original_file_path`, the properties file in `patch_path`, the files of the macros they use
   from `depends_on.macros` via `Manifest.macro_paths`), plus the project files `dbt_project.yml`,
   `packages.yml`, `dependencies.yml` and `package-lock.yml`. Paths are resolved against the folder of the
   package that owns them (the project itself, or `<packages-install-path>/<package>` for an installed
   package, following symlinks of local packages) and then made relative to the git repository root, so a
   dbt project in a subfolder of the repository works. Files outside the repository (packages installed from
   the hub or git, dbt's own macros) cannot have commits and are counted in `outside_repository`.
2. The commits: one `git log --since` over the window (committer date, merges diffed against their first
   parent so a pull request merged in the window counts even if its commits are older), kept when they
   touched a watched file.
3. With a previous manifest (`--state DIR`, dbt's `state:modified` idea): lineage nodes that are new,
   removed, whose body checksum changed, or whose config changed.

Each commit becomes a `report.TimelineEntry(at, what, origin="git")` through `timeline_entries`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from dbt_incident.artifacts import Manifest, load_manifest
from dbt_incident.artifacts.reading import parse_timestamp
from dbt_incident.errors import ArtifactNotFound, ConfigError, GitError
from dbt_incident.lineage import Lineage

# Project-level files whose change can break any node: config, vars, package versions.
PROJECT_FILES = ("dbt_project.yml", "packages.yml", "dependencies.yml", "package-lock.yml")
GIT_TIMEOUT_SECONDS = 60
_RELATIVE_WINDOW = re.compile(r"^\s*(\d+)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_WINDOW_UNITS = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}
_RECORD, _FIELD = "\x1e", "\x1f"


@dataclass(frozen=True)
class WatchedFile:
    """A repository file (path relative to the repository root, `/`-separated) and why it is watched.

    `owners` are the unique_ids whose definition, properties or macros live in it, or `project` for the
    project-level files.
    """

    path: str
    owners: tuple[str, ...]


@dataclass(frozen=True)
class Commit:
    """A commit of the window that touched watched files.

    `committed_at` (committer date, UTC) is when it landed; `authored_at` when it was written. `files` are
    the watched files it touched (repository-relative); `nodes` the unique_ids owning them.
    """

    sha: str
    author: str
    author_email: str
    authored_at: datetime
    committed_at: datetime
    subject: str
    files: tuple[str, ...]
    nodes: tuple[str, ...]

    @property
    def short_sha(self) -> str:
        return self.sha[:10]


@dataclass(frozen=True)
class ModifiedNode:
    """A lineage node that differs from the previous manifest.

    `change` is `new` (absent before), `removed` (in the previous lineage, gone now), `body` (file checksum
    differs) or `config` (same body, different config; `detail` names the keys).
    """

    unique_id: str
    change: str
    detail: str = ""


@dataclass(frozen=True)
class ChangeReport:
    """Recent changes under the failing nodes.

    `since` / `until` bound the window (UTC). `failing` are the nodes the lineage starts from; `lineage`
    those and their ancestors. `modified` is None when no previous manifest was given.
    """

    repository_root: Path
    since: datetime
    until: datetime
    failing: tuple[str, ...]
    lineage: tuple[str, ...]
    watched: tuple[WatchedFile, ...]
    commits: tuple[Commit, ...]
    outside_repository: int
    modified: tuple[ModifiedNode, ...] | None = None
    state_path: Path | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """The start of a window: `90m`, `24h`, `3d`, `2w` before `now`, or an ISO date / date-time.

    Args:
        text: the option value. A date (`2026-11-28`) means its midnight UTC; a date-time without an offset
            is read as UTC.
        now: the end of the window (default: the current time, UTC).

    Returns:
        An aware UTC datetime.

    Raises:
        ConfigError: not a duration or an ISO date, or in the future.
    """
    now = now or datetime.now(timezone.utc)
    match = _RELATIVE_WINDOW.match(text or "")
    if match:
        amount, unit = int(match[1]), _WINDOW_UNITS[match[2].lower()]
        try:
            return now - timedelta(**{unit: amount})
        except (OverflowError, ValueError) as error:
            raise ConfigError(f"--since {text!r}: the window is too long to compute ({error})") from error
    value = (text or "").strip()
    start: datetime | None = None
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            start = datetime.combine(date.fromisoformat(value), time(0), tzinfo=timezone.utc)
        except ValueError:
            start = None
    elif "T" in value or " " in value:
        start = parse_timestamp(value.replace(" ", "T", 1))
    if start is None:
        raise ConfigError(
            f"--since {text!r}: expected a duration such as 90m, 24h, 3d, 2w, or an ISO date (2026-11-28) "
            "or date-time (2026-11-28T06:00:00Z)"
        )
    if start > now:
        raise ConfigError(f"--since {text!r} is in the future (now is {now.isoformat(timespec='seconds')})")
    return start


def failing_node_ids(result: Any) -> tuple[str, ...]:
    """The unique_ids a triage's root failures start their lineage from (each root and its tested node)."""
    ids: list[str] = []
    for failure in result.failures:
        ids.append(failure.unique_id)
        if failure.tested_node:
            ids.append(failure.tested_node)
    return tuple(dict.fromkeys(ids))


def repository_root(folder: str | Path) -> Path:
    """The top folder of the git repository holding `folder`.

    Raises:
        GitError: git is not installed, or `folder` is not inside a git working tree.
    """
    output = _git(Path(folder), "rev-parse", "--show-toplevel")
    return Path(output.strip()).resolve()


def watched_files(
    project_dir: str | Path,
    manifest: Manifest,
    lineage_ids: Iterable[str],
    root: Path,
) -> tuple[tuple[WatchedFile, ...], int]:
    """The repository files of the lineage nodes, their properties files and macros, plus project files.

    Args:
        project_dir: the dbt project folder (where `dbt_project.yml` is).
        manifest: the manifest the lineage comes from.
        lineage_ids: unique_ids of the failing nodes and their ancestors.
        root: the git repository root (`repository_root`).

    Returns:
        (files sorted by path, number of referenced files outside the repository).
    """
    project = Path(project_dir).resolve()
    package_roots = _package_roots(project, manifest)
    owners: dict[str, list[str]] = {}
    outside: set[str] = set()

    def add(package: str | None, relative: str | None, owner: str) -> None:
        if not relative:
            return
        base = package_roots.get(package or manifest.project_name or "")
        if base is None:
            outside.add(f"{package}://{relative}")
            return
        absolute = Path(os.path.realpath(base / relative))
        try:
            key = absolute.relative_to(root).as_posix()
        except ValueError:
            outside.add(str(absolute))
            return
        owners.setdefault(key, [])
        if owner not in owners[key]:
            owners[key].append(owner)

    for unique_id in lineage_ids:
        node = manifest.get(unique_id)
        if node is None:
            continue
        package = node.package_name or manifest.project_name
        add(package, node.original_file_path, unique_id)
        if node.patch_path:
            patch_package, _, patch_file = node.patch_path.rpartition("://")
            add(patch_package or package, patch_file, unique_id)
        for macro_id in node.macros:
            macro_package = macro_id.split(".")[1] if macro_id.count(".") >= 2 else None
            add(macro_package, manifest.macro_paths.get(macro_id), unique_id)
    for name in PROJECT_FILES:
        add(manifest.project_name, name, "project")
    files = tuple(WatchedFile(path, tuple(owners[path])) for path in sorted(owners))
    return files, len(outside)


def git_commits(
    root: Path, since: datetime, until: datetime, watched: Sequence[WatchedFile]
) -> tuple[Commit, ...]:
    """Commits with a committer date in [since, until] that touched a watched file, newest first.

    One `git log` over the window (`--no-renames`, so a rename shows both paths; merges are diffed against
    their first parent). Raises GitError when git fails.
    """
    by_path = {item.path: item for item in watched}
    output = _git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        f"--since={since.isoformat()}",
        f"--until={until.isoformat()}",
        "--no-renames",
        "--diff-merges=first-parent",
        "--name-only",
        f"--format={_RECORD}%H{_FIELD}%an{_FIELD}%ae{_FIELD}%aI{_FIELD}%cI{_FIELD}%s",
    )
    commits: list[Commit] = []
    for record in output.split(_RECORD)[1:]:
        header, _, names = record.partition("\n")
        parts = header.split(_FIELD)
        if len(parts) < 6:
            continue
        sha, author, email, authored, committed, subject = parts[:6]
        touched = [name for name in dict.fromkeys(names.splitlines()) if name in by_path]
        if not touched:
            continue
        committed_at = parse_timestamp(committed)
        authored_at = parse_timestamp(authored)
        if committed_at is None or authored_at is None:
            continue
        nodes = [owner for name in touched for owner in by_path[name].owners if owner != "project"]
        commits.append(
            Commit(
                sha=sha,
                author=author,
                author_email=email,
                authored_at=authored_at,
                committed_at=committed_at,
                subject=subject,
                files=tuple(touched),
                nodes=tuple(dict.fromkeys(nodes)),
            )
        )
    return tuple(commits)


def compare_state(current: Manifest, previous: Manifest, failing: Sequence[str]) -> tuple[ModifiedNode, ...]:
    """The lineage nodes of `failing` that differ between two manifests (dbt's `state:modified`).

    A node is `new` when the previous manifest lacks it, `body` when both have a checksum and they differ,
    `config` when the body is the same and `config` differs (dbt's rendered config; `detail` names the keys),
    and `removed` when it was in the previous lineage of the same nodes and is gone.
    """
    current_ids = _lineage_ids(current, failing)
    previous_ids = _lineage_ids(previous, failing)
    modified: list[ModifiedNode] = []
    for unique_id in current_ids:
        node, before = current.get(unique_id), previous.get(unique_id)
        if node is None:
            continue
        if before is None:
            modified.append(ModifiedNode(unique_id, "new", "not in the previous manifest"))
        elif node.checksum and before.checksum and node.checksum != before.checksum:
            modified.append(
                ModifiedNode(unique_id, "body", f"checksum {before.checksum[:10]} -> {node.checksum[:10]}")
            )
        else:
            keys = _changed_keys(node.config, before.config)
            if keys:
                modified.append(ModifiedNode(unique_id, "config", "changed: " + ", ".join(keys)))
    for unique_id in previous_ids:
        if current.get(unique_id) is None and previous.get(unique_id) is not None:
            modified.append(ModifiedNode(unique_id, "removed", "in the previous manifest, gone now"))
    return tuple(modified)


def recent_changes(
    project_dir: str | Path,
    manifest: Manifest,
    failing: Sequence[str],
    *,
    since: datetime,
    until: datetime | None = None,
    previous: Manifest | None = None,
    state_path: Path | None = None,
) -> ChangeReport:
    """Commits in the window under the failing nodes' lineage, and (with `previous`) the modified nodes.

    Args:
        project_dir: the dbt project folder; it must be inside a git working tree.
        manifest: the manifest of the failed run.
        failing: unique_ids the lineage starts from (`failing_node_ids(triage)`).
        since, until: the window (aware datetimes; `until` defaults to now).
        previous: a previous manifest to compare checksums with (`--state`).
        state_path: where `previous` was read from, for the report.

    Raises:
        GitError: no git, not a repository, or git log failed.
    """
    until = until or datetime.now(timezone.utc)
    root = repository_root(project_dir)
    lineage = Lineage.from_manifest(manifest)
    lineage_ids = list(
        dict.fromkeys([*failing, *(parent for node in failing for parent in lineage.upstream(node))])
    )
    notes: list[str] = []
    unknown = [unique_id for unique_id in failing if manifest.get(unique_id) is None]
    if unknown:
        notes.append(f"{len(unknown)} failing node(s) are not in {manifest.path} (for example {unknown[0]})")
    if not failing:
        notes.append("no failing nodes in the run: only the project files are watched")
    watched, outside = watched_files(project_dir, manifest, lineage_ids, root)
    if outside:
        notes.append(
            f"{outside} file(s) of the lineage are outside the repository (installed packages, dbt's own "
            "macros): their changes show as package version bumps in packages.yml / package-lock.yml"
        )
    commits = git_commits(root, since, until, watched)
    modified = compare_state(manifest, previous, failing) if previous is not None else None
    return ChangeReport(
        repository_root=root,
        since=since,
        until=until,
        failing=tuple(failing),
        lineage=tuple(lineage_ids),
        watched=watched,
        commits=commits,
        outside_repository=outside,
        modified=modified,
        state_path=state_path,
        notes=tuple(notes),
    )


def changes_for_run(
    project_dir: str | Path,
    target_path: str | Path | None,
    *,
    since: str = "24h",
    state_dir: str | Path | None = None,
    now: datetime | None = None,
) -> ChangeReport:
    """Load the failed run's artifacts, triage them, and report the recent changes under its failures.

    Args:
        project_dir: the dbt project (inside a git repository).
        target_path: the failed run's artifacts folder (default `<project_dir>/target`).
        since: the window start as accepted by `parse_since`.
        state_dir: a folder holding a previous `manifest.json` to compare with.
        now: the window end (default: now, UTC).

    Raises:
        ArtifactNotFound: no run_results.json or no manifest.json (the lineage needs it).
        ConfigError: bad `since`. GitError: git problems.
    """
    from dbt_incident.session import load_triage, resolve_target_path

    now = now or datetime.now(timezone.utc)
    start = parse_since(since, now)
    folder = resolve_target_path(project_dir, target_path)
    result = load_triage(project_dir, folder)
    manifest_path = folder / "manifest.json"
    if not manifest_path.is_file():
        raise ArtifactNotFound(
            f"{manifest_path}: manifest.json not found: it is needed to find the files of the failing nodes"
        )
    manifest = load_manifest(manifest_path)
    previous = None
    state_path = None
    if state_dir is not None:
        state_path = Path(state_dir)
        state_path = state_path if state_path.name == "manifest.json" else state_path / "manifest.json"
        if not state_path.is_file():
            raise ArtifactNotFound(f"{state_path}: no manifest.json in the --state folder")
        previous = load_manifest(state_path)
    return recent_changes(
        project_dir,
        manifest,
        failing_node_ids(result),
        since=start,
        until=now,
        previous=previous,
        state_path=state_path,
    )


def timeline_entries(report: ChangeReport) -> list[Any]:
    """Each commit as a `report.TimelineEntry(at=committed_at, what, origin="git")`, oldest first."""
    from dbt_incident.report import TimelineEntry

    return [
        TimelineEntry(
            at=commit.committed_at,
            what=f"Commit {commit.short_sha} by {commit.author}: {commit.subject} (touched {', '.join(commit.files)})",
            origin="git",
        )
        for commit in sorted(report.commits, key=lambda item: item.committed_at)
    ]


def summary_lines(report: ChangeReport, limit: int = 3) -> list[str]:
    """A few lines for the triage: the newest commits under the failing lineage and the modified nodes."""
    window = _window_text(report)
    lines: list[str] = []
    if report.commits:
        lines.append(f"{len(report.commits)} commit(s) in the {window} touched the failing lineage:")
        for commit in report.commits[:limit]:
            lines.append(
                f"  {commit.short_sha} {commit.committed_at:%Y-%m-%d %H:%M} UTC {commit.author}: "
                f"{commit.subject} ({', '.join(commit.files[:3])}{', ...' if len(commit.files) > 3 else ''})"
            )
        if len(report.commits) > limit:
            lines.append(f"  ... and {len(report.commits) - limit} more (dbt-incident changes)")
    else:
        lines.append(
            f"No commit in the {window} touched the {len(report.watched)} files of the failing lineage."
        )
    if report.modified:
        shown = ", ".join(f"{item.unique_id} ({item.change})" for item in report.modified[:limit])
        more = f", and {len(report.modified) - limit} more" if len(report.modified) > limit else ""
        lines.append(f"Modified against the previous manifest: {shown}{more}")
    elif report.modified is not None:
        lines.append("No lineage node differs from the previous manifest.")
    return lines


def render_changes(report: ChangeReport, output_format: str = "text") -> str:
    """The report as `text`, `markdown` or `json` (json: the fields of the dataclasses, times ISO UTC)."""
    if output_format == "json":
        return json.dumps(_as_json(report), indent=2, sort_keys=True) + "\n"
    markdown = output_format == "markdown"
    heading = "## " if markdown else ""
    bullet = "- " if markdown else "  "
    code = (lambda text: f"`{text}`") if markdown else (lambda text: text)
    lines = [
        f"{heading}Recent changes under the failing nodes ({_window_text(report)}: "
        f"{report.since:%Y-%m-%d %H:%M} to {report.until:%Y-%m-%d %H:%M} UTC)",
        "",
        f"Repository {report.repository_root}; {len(report.failing)} failing node(s), "
        f"{len(report.lineage)} node(s) in their lineage, {len(report.watched)} watched file(s).",
        "",
    ]
    if report.commits:
        lines.append(f"{heading.replace('## ', '### ')}Commits ({len(report.commits)}, newest first)")
        for commit in report.commits:
            lines.append(
                f"{bullet}{code(commit.short_sha)} {commit.committed_at:%Y-%m-%d %H:%M} UTC "
                f"{commit.author} <{commit.author_email}>: {commit.subject}"
            )
            for path in commit.files:
                owners = next((item.owners for item in report.watched if item.path == path), ())
                lines.append(f"{'  ' if markdown else '      '}- {code(path)} ({', '.join(owners)})")
    else:
        lines.append("No commit in the window touched the watched files.")
    if report.modified is not None:
        lines.append("")
        lines.append(f"{heading.replace('## ', '### ')}Modified against {report.state_path}")
        if report.modified:
            for item in report.modified:
                lines.append(f"{bullet}{code(item.unique_id)}: {item.change} ({item.detail})")
        else:
            lines.append("No node of the lineage differs from the previous manifest.")
    if report.notes:
        lines.append("")
        lines.extend(f"{bullet}Note: {note}" for note in report.notes)
    return "\n".join(lines) + "\n"


def _as_json(report: ChangeReport) -> dict[str, Any]:
    def stamp(value: datetime) -> str:
        return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")

    return {
        "repository_root": str(report.repository_root),
        "since": stamp(report.since),
        "until": stamp(report.until),
        "failing": list(report.failing),
        "lineage": list(report.lineage),
        "watched": [{"path": item.path, "owners": list(item.owners)} for item in report.watched],
        "outside_repository": report.outside_repository,
        "commits": [
            {
                "sha": commit.sha,
                "author": commit.author,
                "author_email": commit.author_email,
                "authored_at": stamp(commit.authored_at),
                "committed_at": stamp(commit.committed_at),
                "subject": commit.subject,
                "files": list(commit.files),
                "nodes": list(commit.nodes),
            }
            for commit in report.commits
        ],
        "modified": None
        if report.modified is None
        else [
            {"unique_id": item.unique_id, "change": item.change, "detail": item.detail}
            for item in report.modified
        ],
        "state_path": str(report.state_path) if report.state_path else None,
        "notes": list(report.notes),
    }


def _window_text(report: ChangeReport) -> str:
    hours = (report.until - report.since).total_seconds() / 3600
    if hours < 1:
        return f"last {round(hours * 60)} minutes"
    if hours <= 72 and hours == int(hours):
        return f"last {int(hours)} hours"
    return f"last {hours / 24:.1f} days".replace(".0 days", " days")


def _lineage_ids(manifest: Manifest, failing: Sequence[str]) -> list[str]:
    lineage = Lineage.from_manifest(manifest)
    present = [unique_id for unique_id in failing if manifest.get(unique_id) is not None]
    return list(dict.fromkeys([*present, *(parent for node in present for parent in lineage.upstream(node))]))


def _changed_keys(current: Mapping[str, Any], previous: Mapping[str, Any]) -> list[str]:
    return sorted(key for key in set(current) | set(previous) if current.get(key) != previous.get(key))


def _package_roots(project: Path, manifest: Manifest) -> dict[str, Path]:
    """Installed packages' folders: `<project>/<packages-install-path>/<package>` when it exists."""
    from dbt_incident.dbt_project import project_setting

    configured = project_setting(project, "packages-install-path")
    install = configured if isinstance(configured, str) else "dbt_packages"
    folder = project / install
    roots: dict[str, Path] = {}
    if folder.is_dir():
        for entry in folder.iterdir():
            if entry.is_dir():
                roots[entry.name] = entry
    if manifest.project_name:
        roots[manifest.project_name] = project
    return roots


def _git(folder: Path, *arguments: str) -> str:
    if not folder.is_dir():
        raise GitError(f"{folder}: folder not found (pass --project-dir to the dbt project)")
    try:
        completed = subprocess.run(
            ["git", *arguments],
            cwd=folder,
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError as error:
        raise GitError(
            "git is not installed (or not on PATH): it is needed to list recent commits"
        ) from error
    except subprocess.TimeoutExpired as error:
        raise GitError(f"git {arguments[0]} took more than {GIT_TIMEOUT_SECONDS} s in {folder}") from error
    if completed.returncode != 0:
        message = (completed.stderr.strip().splitlines() or ["(no message)"])[-1]
        if "not a git repository" in completed.stderr:
            raise GitError(f"{folder}: not inside a git repository ({message})")
        raise GitError(f"git {' '.join(arguments[:1])} failed in {folder}: {message}")
    return completed.stdout
