"""Safe file writes: atomic replace, never overwrite without force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from dbt_incident.errors import OutputExists


def refuse_existing(path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Check, before any work, that `path` may be written: it does not exist, or `force` is true.

    Returns:
        The path.

    Raises:
        OutputExists: the file exists and `force` is false (the message names the file and `--force`).
    """
    destination = Path(path)
    if os.path.lexists(destination) and not force:  # a dangling symlink is something existing, too
        raise OutputExists(f"{destination}: file exists; pass --force to overwrite it")
    return destination


def write_atomic(path: str | os.PathLike[str], text: str, *, force: bool = False) -> Path:
    """Write `text` (UTF-8) to `path` atomically: a temporary file in the same folder, then `os.replace`.

    Args:
        path: destination file; missing parent folders are created.
        text: full file contents.
        force: replace an existing file; without it an existing file is left untouched.

    Returns:
        The destination path.

    Raises:
        OutputExists: the file exists and `force` is false (the message names the file and `--force`).
    """
    destination = refuse_existing(path, force=force)
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{destination.name}.", dir=destination.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        # mkstemp creates the file 0600; give it the permissions a plain open() would (0666 less the umask)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, destination)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return destination
