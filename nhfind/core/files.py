"""Writing files safely: every file nhfind writes (databases, the overlay, exports) is written through here.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
A reader (another nhfind, a TUI worker) must find the old file or the new one, never half of one, and a power cut
must not leave a renamed but empty file: so the new content goes to a temp file beside the target, is flushed to
disk, and then takes the target's name in one os.replace.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from nhfind.core.errors import NhfindError

PRIVATE = 0o600
"""The mode of the user's own files (overlay.json, merged.db): what they imported is theirs alone."""
LOCK_NAME = "nhfind.lock"
"""The lock file every writer of the user's data folder holds (see folder_lock)."""
LOCK_WAIT = 30.0
"""Seconds a writer waits for another one (an import of 100,000 services takes about this long) before giving up."""


def fsync_file(path: Path) -> None:
    """Flush a written file's content to disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def default_mode() -> int:
    """The mode a new file gets under the user's umask (0o666 minus the umask)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def remove_stale_temps(folder: Path, name: str) -> int:
    """Remove temp files of `name` left in `folder` by an nhfind that was killed (SIGKILL, a power cut).

    Only files of our own naming (`.NAME.PID.*.tmp`) whose process no longer runs: a writer at work keeps its file.
    Returns how many were removed.
    """
    removed = 0
    pattern = re.compile(rf"^\.{re.escape(name)}\.(\d+)\.[^/]*\.tmp$")
    try:
        candidates = list(Path(folder).iterdir())
    except OSError:
        return 0
    for candidate in candidates:
        match = pattern.match(candidate.name)
        if match and int(match[1]) != os.getpid() and not _pid_alive(int(match[1])):
            with contextlib.suppress(OSError):
                if candidate.is_dir() and not candidate.is_symlink():
                    shutil.rmtree(candidate)
                else:
                    candidate.unlink()
                removed += 1
    return removed


def replace_atomically(path: Path, write: Callable[[Path], Any], mode: int | None = None) -> None:
    """Call `write(tmp_path)` for a temp file beside `path`, flush it to disk, then move it over `path` in one step.

    `write` must create the file at tmp_path (it does not exist when called). A failure at any point (SIGTERM and
    SIGHUP included: the CLI turns them into SystemExit) removes the temp file and leaves `path` as it was; temp
    files of killed runs are removed first. The file gets `mode`, or what the umask gives a new file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temps(path.parent, path.name)
    # the name is known before the file exists, so a signal at any moment finds it in `tmp` for the clean-up below
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")
    try:
        write(tmp)
        fsync_file(tmp)
        os.chmod(tmp, default_mode() if mode is None else mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def folder_lock(folder: Path, wait: float = LOCK_WAIT) -> Iterator[None]:
    """Hold the lock of the user's data folder: one writer at a time (imports, resets, updates, recompiles).

    Readers take no lock (they read files that are only ever replaced whole). A second writer waits up to `wait`
    seconds, then gives up with one line; the lock is the operating system's (flock/msvcrt), so a killed nhfind
    never leaves it held.

    Raises:
        NhfindError: another nhfind kept the folder busy, or the folder cannot hold a lock file.
    """
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    except FileExistsError:
        raise NhfindError(f"{folder} is a file, not a folder: move it away or set NHFIND_DATA_DIR") from None
    except NotADirectoryError:
        raise NhfindError(f"{folder} is not a folder (part of its path is a file): set NHFIND_DATA_DIR") from None
    except OSError as exc:
        raise NhfindError(
            f"cannot write to {folder} ({exc.strerror}): set NHFIND_DATA_DIR to a writable folder"
        ) from None
    try:
        deadline = time.monotonic() + wait
        while not _try_lock(fd):
            if time.monotonic() >= deadline:
                raise NhfindError(
                    f"another nhfind is changing {folder} (an import, update or reset): wait for it to finish, "
                    "then try again"
                )
            time.sleep(0.05)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _try_lock(fd: int) -> bool:
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except ImportError:  # Windows
        if sys.platform != "win32":
            raise
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False
    except OSError as exc:
        # busy: wait; any other answer means a file system without locks (some network shares): go ahead unlocked
        return exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK)


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
