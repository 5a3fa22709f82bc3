"""Where the read-only shared material lives: `shared/` beside the repository clone (CI and developers)."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[2]
SHARED_DIR = Path(os.environ.get("DBT_INCIDENT_SHARED_DIR", REPOSITORY_ROOT.parent / "shared"))
PUBLIC_ARTIFACTS = SHARED_DIR / "fixtures" / "public-artifacts"


def public_artifact(folder: str) -> Path:
    """The path of one public fixture folder (fails the test loudly when shared/ is absent)."""
    path = PUBLIC_ARTIFACTS / folder
    assert path.is_dir(), f"public fixture folder missing: {path} (set DBT_INCIDENT_SHARED_DIR)"
    return path
