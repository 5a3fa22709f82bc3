"""Settings read from a dbt project's `dbt_project.yml` (`test-paths`, `log-path`, `packages-install-path`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def project_setting(project_dir: str | Path, key: str) -> Any:
    """The top-level `key` of `<project_dir>/dbt_project.yml`, or None when the file or key is absent or the
    file is not readable YAML (callers then use dbt's default for that setting)."""
    project_file = Path(project_dir) / "dbt_project.yml"
    if not project_file.is_file():
        return None
    import yaml

    try:
        document = yaml.safe_load(project_file.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return None
    return document.get(key) if isinstance(document, dict) else None
