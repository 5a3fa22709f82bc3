"""Named exceptions: the error contract of the library.

Library code raises these; `dbt_incident.cli` turns each into one line `Error: ...` and an exit code
(2 for bad input, usage, configuration and internal errors). `--debug` shows the traceback instead.
"""

from __future__ import annotations


class DbtIncidentError(Exception):
    """Base class of every error the runner reports to the user as one line with exit code 2."""

    exit_code = 2


class ArtifactNotFound(DbtIncidentError):
    """A required artifact file (run_results.json, manifest.json, ...) or folder does not exist."""


class ArtifactInvalid(DbtIncidentError):
    """An artifact file exists but cannot be read: not JSON, truncated, binary, or a field has a wrong type."""


class NotADbtArtifact(ArtifactInvalid):
    """A JSON file that is valid JSON but is not the dbt artifact that was expected."""


class UnsupportedArtifactVersion(ArtifactInvalid):
    """A field the runner needs is missing in an artifact whose schema version it does not know."""


class NodeNotInManifest(DbtIncidentError):
    """A unique_id that the caller asked for is not a node, source or exposure of the manifest."""


class ConfigError(DbtIncidentError):
    """The project config file (`dbt-incident.yml`) or an option value is invalid."""


class OutputExists(DbtIncidentError):
    """A report, record or test file already exists and `--force` was not given."""


class IncidentNotFound(DbtIncidentError):
    """No open incident record exists where one is needed."""


class DbtInvocationError(DbtIncidentError):
    """dbt could not be run (not installed, bad project) or its output could not be understood."""


class IncidentAlreadyOpen(DbtIncidentError):
    """`open` was asked while another incident is still open and `--force` was not given."""


class NotificationFailed(DbtIncidentError):
    """A notification could not be delivered (after retries); the failure is recorded in the timeline."""


class IncidentLocked(DbtIncidentError):
    """The incident folder's lock file stayed held by another process longer than the timeout."""


class GitError(DbtIncidentError):
    """git is not installed, the project is not in a git repository, or a git command failed."""
