"""Reading artifact files: JSON decoding with one-line errors, schema-version detection, field coercion."""

from __future__ import annotations

import gc
import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, TypeVar

from dbt_incident.errors import ArtifactInvalid, ArtifactNotFound, NotADbtArtifact

_SCHEMA_PATTERN = re.compile(r"/dbt/(?P<kind>[a-z-]+)/v(?P<version>\d+)(?:\.json)?\s*$")

# The schema versions this runner was written against, per artifact kind (dbt 0.19 .. 1.11 / Fusion).
KNOWN_SCHEMA_VERSIONS: dict[str, range] = {
    "run-results": range(1, 7),
    "manifest": range(1, 13),
    "sources": range(1, 4),
    "catalog": range(1, 2),
}


def read_json_object(path: Path, artifact: str) -> dict[str, Any]:
    """Read `path` as a JSON object.

    Args:
        path: the file.
        artifact: the artifact name for messages (`run_results.json`, ...).

    Raises:
        ArtifactNotFound: the file does not exist (or is a folder).
        ArtifactInvalid: unreadable, binary, not UTF-8, not JSON (with line and column), truncated.
        NotADbtArtifact: valid JSON but not an object.
    """
    try:
        if not path.exists():
            raise ArtifactNotFound(
                f"{path}: {artifact} not found" + (" (a broken symlink)" if path.is_symlink() else "")
            )
        if path.is_dir():
            raise ArtifactNotFound(f"{path}: is a folder, expected the file {artifact}")
        if not path.is_file():
            raise ArtifactInvalid(f"{path}: {artifact} is not a regular file (a device, pipe or socket)")
        with path.open("rb") as stream:
            head = stream.read(8192)
            if b"\x00" in head:
                raise ArtifactInvalid(f"{path}: {artifact} is a binary file, expected JSON")
            raw = head + stream.read()
    except OSError as error:
        raise ArtifactInvalid(f"{path}: cannot read {artifact}: {error.strerror or error}") from error
    if not raw.strip():
        raise ArtifactInvalid(f"{path}: {artifact} is empty")
    document = _fast_decode(raw)
    if document is not None:
        if not isinstance(document, dict):
            raise NotADbtArtifact(
                f"{path}: not a dbt {artifact}: expected a JSON object, found {type(document).__name__}"
            )
        return document
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ArtifactInvalid(f"{path}: {artifact} is not UTF-8 text (byte {error.start})") from error
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        hint = " (the file looks truncated)" if error.pos >= len(text.rstrip()) - 1 else ""
        raise ArtifactInvalid(
            f"{path}: {artifact} is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}{hint}"
        ) from error
    except RecursionError as error:
        raise ArtifactInvalid(f"{path}: {artifact} is nested too deeply to be a dbt artifact") from error
    except ValueError as error:  # e.g. an integer longer than Python's 4300-digit limit
        raise ArtifactInvalid(f"{path}: {artifact} is not readable JSON: {error}") from error
    if not isinstance(document, dict):
        raise NotADbtArtifact(
            f"{path}: not a dbt {artifact}: expected a JSON object, found {type(document).__name__}"
        )
    return document


Parsed = TypeVar("Parsed")


def load_artifact(
    path: str | Path, artifact: str, parse: Callable[[Mapping[str, Any], Path], Parsed]
) -> Parsed:
    """Read `path` (read_json_object) and parse it with `parse(document, path)`, the one boundary where an
    artifact's fields of an unexpected type or value become one ArtifactInvalid naming the file.

    Raises:
        ArtifactNotFound, ArtifactInvalid: unreadable file or a field of an unexpected shape or value.
        NotADbtArtifact: not the artifact `artifact` names (raised by `parse`).
    """
    path = Path(path)
    document = read_json_object(path, artifact)
    try:
        return parse(document, path)
    except (TypeError, ValueError, OverflowError, AttributeError, KeyError) as error:
        raise ArtifactInvalid(
            f"{path}: {artifact} has a field of an unexpected shape or value ({type(error).__name__}: {error})"
        ) from error


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while artifacts are decoded and parsed.

    A 50k-node manifest becomes millions of dicts, lists and dataclasses, none of which can be garbage
    (the tree has no cycles); with the collector on, each of its generational passes rescans all that
    was built so far, which doubled the load time of large manifests (see benchmarks/README.md).
    The previous state is restored on exit, also when parsing raises.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _fast_decode(raw: bytes) -> Any | None:
    """Decode with orjson (up to 1.8x faster than `json` on a 160 MB manifest), or None.

    orjson builds its own document tree before the Python objects, so decoding peaks higher than `json`
    (benchmarks/README.md measures both against the 2x memory target).

    None means "use the standard library": orjson is not installed, or it refused the bytes (invalid
    UTF-8, NaN, integers beyond 64 bits, invalid JSON), so `json` either reads them (it is more lenient)
    or raises the error whose message `read_json_object` turns into one line.
    """
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; the fallback keeps odd installs working
        return None
    try:
        return orjson.loads(raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw)
    except orjson.JSONDecodeError:
        return None


def schema_version(
    document: Mapping[str, Any], path: Path, artifact: str, expected_kind: str
) -> tuple[int | None, list[str]]:
    """Read `metadata.dbt_schema_version` and check it names the expected artifact kind.

    Returns the version number (None when the file has no metadata or no usable version) and warnings
    (an unknown version is read best effort, with one warning naming it).

    Raises:
        NotADbtArtifact: the schema URL names another artifact kind (a manifest given as run_results...).
    """
    metadata = document.get("metadata")
    if not isinstance(metadata, dict):
        return None, []
    url = metadata.get("dbt_schema_version")
    if not isinstance(url, str):
        return None, [f"{path}: {artifact} has no metadata.dbt_schema_version; read best effort"]
    match = _SCHEMA_PATTERN.search(url)
    if not match:
        return None, [f"{path}: unrecognised metadata.dbt_schema_version {url!r}; read best effort"]
    kind, version = match["kind"], int(match["version"])
    if kind != expected_kind:
        raise NotADbtArtifact(
            f"{path}: metadata.dbt_schema_version is {url!r}: this is a dbt {kind} artifact, expected {artifact}"
        )
    warnings = []
    if version not in KNOWN_SCHEMA_VERSIONS[kind]:
        warnings.append(
            f"{path}: {artifact} schema v{version} (dbt {metadata.get('dbt_version', '?')}) is not one this "
            f"version of dbt-incident knows; read best effort by the fields present"
        )
    return version, warnings


def parse_timestamp(value: Any) -> datetime | None:
    """An ISO-8601 timestamp from an artifact as an aware UTC datetime; None when absent or unreadable."""
    if not isinstance(value, str) or not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        # Python 3.10 does not accept every fraction width dbt writes; trim the fraction to microseconds.
        match = re.match(r"^(.*?T\d{2}:\d{2}:\d{2})(?:\.(\d+))?(.*)$", text)
        if not match:
            return None
        fraction = (match[2] or "0")[:6].ljust(6, "0")
        try:
            parsed = datetime.fromisoformat(f"{match[1]}.{fraction}{match[3]}")
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    return parsed.astimezone(timezone.utc)


def as_text(value: Any) -> str | None:
    """A string field, or None for null / missing / non-string values (numbers are rendered)."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def as_mapping(value: Any) -> Mapping[str, Any]:
    """A JSON object field, or an empty mapping."""
    return value if isinstance(value, dict) else {}


def as_strings(value: Any) -> tuple[str, ...]:
    """A list-of-strings field (ignoring non-strings), or (); a lone string becomes a one-item tuple."""
    if isinstance(value, str):
        return (value,)
    if isinstance(value, (list, tuple)):
        return tuple(item for item in value if isinstance(item, str))
    return ()


def as_float(value: Any) -> float | None:
    """A number field as float, or None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def as_count(value: Any) -> int | None:
    """A row-count field (`failures`) as int, or None when absent or not a number (e.g. "Test failure")."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
