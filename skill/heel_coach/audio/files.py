"""File writing shared by the audio tools and the manifest (kept free of the MP3 codecs, so
reading a manifest at request time does not load them)."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["write_atomic"]


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temp file in the same directory + os.replace: readers never see half a file."""
    import tempfile  # here, not at import: it pulls shutil, random, bz2 and lzma into every
    # Lambda cold start, which only reads manifests (tracks are written by the audio tools)

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
