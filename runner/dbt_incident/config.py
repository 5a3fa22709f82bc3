"""The project config file `dbt-incident.yml` (optional, next to `dbt_project.yml`).

```yaml
criticality:            # raise or lower severity: unique_id, name or glob -> critical | high | medium | low
  "exposure.*": high
  fct_orders: critical
```
Other sections (`notify`, ...) are read by the modules that use them from `ProjectConfig.sections`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dbt_incident.errors import ConfigError
from dbt_incident.severity import CRITICALITY_LEVELS

CONFIG_FILE_NAME = "dbt-incident.yml"


@dataclass(frozen=True)
class ProjectConfig:
    """The parsed config file: `criticality` (pattern -> word) and every top-level section as read."""

    path: Path | None = None
    criticality: Mapping[str, str] = field(default_factory=dict)
    sections: Mapping[str, Any] = field(default_factory=dict)


def load_project_config(project_dir: str | Path | None) -> ProjectConfig:
    """Read `<project_dir>/dbt-incident.yml`; an absent file gives the defaults.

    Raises:
        ConfigError: not YAML, not a mapping, or a criticality word outside critical/high/medium/low
            (the message names the file and the field).
    """
    if project_dir is None:
        return ProjectConfig()
    path = Path(project_dir) / CONFIG_FILE_NAME
    if not path.is_file():
        return ProjectConfig()
    import yaml

    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(f"{path}: not valid YAML: {first_line}") from error
    if not isinstance(document, dict):
        raise ConfigError(f"{path}: expected a mapping at the top level, found {type(document).__name__}")
    criticality = document.get("criticality") or {}
    if not isinstance(criticality, dict):
        raise ConfigError(f"{path}: field 'criticality' must map node names to critical/high/medium/low")
    checked: dict[str, str] = {}
    for pattern, word in criticality.items():
        word_text = str(word).strip().lower()
        if word_text not in CRITICALITY_LEVELS:
            raise ConfigError(
                f"{path}: field 'criticality.{pattern}' is {word!r}, expected one of "
                f"{', '.join(CRITICALITY_LEVELS)}"
            )
        checked[str(pattern)] = word_text
    return ProjectConfig(path=path, criticality=checked, sections=document)
