"""Writing files safely: every file nhfind writes (databases, the overlay, exports) is written through here.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
A reader (another nhfind, a TUI worker) must find the old file or the new one, never half of one, and a power cut
must not leave a renamed but empty file: so the new content goes to a temp file beside the target, is flushed to
disk, and then takes the target's name in one os.replace.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def fsync_file(path: Path) -> None:
    """Flush a written file's content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_atomically(path: Path, write: Callable[[Path], Any]) -> None:
    """Call `write(tmp_path)` for a temp file beside `path`, flush it to disk, then move it over `path` in one step.

    `write` must create the file at tmp_path (it does not exist when called). A failure at any point removes the
    temp file and leaves `path` as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()
        write(tmp)
        fsync_file(tmp)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def replace_folder(path: Path, files: dict[str, bytes]) -> None:
    """Make `path` a folder holding exactly `files` (name -> content): built and flushed in a temp folder beside it,
    then moved into place. A folder cannot be swapped in one step, so an existing one is first renamed aside and
    removed after; a failure before the swap leaves `path` as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", dir=path.parent))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
            fsync_file(tmp / name)
        old = None
        if path.exists():
            old = path.with_name(f".{path.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            path.rename(old)
        tmp.chmod(0o755)
        tmp.rename(path)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True) if old.is_dir() else old.unlink()
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
