"""Reading an import file within limits: what a package may hold before nhfind refuses it with one line.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
The readers (nhfind.core.hsds_import, nhfind.core.template) read every file through `read_text`, and every JSON
document through `loads_json`, so that a hostile or broken file fails early, in a blink and within little memory,
instead of after minutes or gigabytes (docs/guarantees.md states the limits):

- a file of a package must be a plain file inside the package folder (a link out of it is refused, so a package
  cannot make nhfind read /etc/passwd or a secret beside it);
- at most MAX_FILE_BYTES per file;
- JSON: at most MAX_DEPTH levels of nesting and MAX_CONTAINERS objects and arrays in all (HSDS needs about 6
  levels, and about 15 containers per service); no NaN or Infinity; no key given twice in one object.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from nhfind.core.importing import ImportProblem

MAX_FILE_BYTES = 200 * 1024 * 1024
"""200 MB: an HSDS JSON export of 100,000 services is about 150 MB."""
MAX_DEPTH = 64
"""Levels of nested objects and arrays in a JSON file (HSDS 3.0 uses about 6)."""
MAX_CONTAINERS = 2_000_000
"""Objects and arrays in one JSON file: room for 100,000 services with their locations, phones and schedules."""

_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
"""A JSON string, escapes included, written as an unrolled loop: 3x faster than an alternation per character."""
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")
_EMPTY_PAIR = re.compile(rb"\{\}|\[\]")


def read_text(path: Path, name: str, root: Path | None = None) -> str:
    """The text of one import file (UTF-8, a leading BOM dropped), after the checks above.

    Args:
        path: the file.
        name: how messages name it.
        root: the package folder the file must stay inside (links included); None for a file given by itself.

    Raises:
        ImportProblem: a link out of the package, not a plain file, too big, or unreadable.
        UnicodeDecodeError: not UTF-8 (the callers say so in their words).
    """
    if root is not None:
        try:
            inside = path.resolve().is_relative_to(Path(root).resolve())
        except (OSError, RuntimeError):
            inside = False
        if not inside:
            raise ImportProblem(name, "", "", "is a link to a file outside the package (copy the file into it)")
    try:
        stat = path.stat()
        if not path.is_file():
            raise ImportProblem(name, "", "", "is not a plain file")
        if stat.st_size > MAX_FILE_BYTES:
            raise ImportProblem(
                name,
                "",
                "",
                f"is {stat.st_size // 2**20} MB; nhfind imports files up to {MAX_FILE_BYTES // 2**20} MB "
                "(split it into several files)",
            )
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportProblem(name, "", "", f"cannot be read ({exc.strerror})") from None
    return raw.decode("utf-8-sig")


def _reject_constant(value: str) -> Any:
    raise ValueError(f"{value} is not a number nhfind accepts (write a plain number or text)")


def _finite(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(f"{text[:20]} is too large a number")
    return value


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        twice = ""
        for key, _ in pairs:
            if key in seen:
                twice = key
                break
            seen.add(key)
        raise ValueError(f"the key {twice[:40]!r} appears twice in one object (keep one)")
    return obj


def check_shape(text: str) -> None:
    """Refuse JSON nested too deeply or holding too many objects and arrays, before parsing it (C-speed scans).

    Raises:
        ValueError: saying which limit was passed.
    """
    brackets = _STRING.sub('""', text).encode("utf-8", "replace").translate(None, _NOT_BRACKETS)
    containers = brackets.count(b"{") + brackets.count(b"[")
    if containers > MAX_CONTAINERS:
        raise ValueError(f"it holds {containers:,} objects and arrays; nhfind reads at most {MAX_CONTAINERS:,}")
    for _level in range(MAX_DEPTH + 1):
        if not brackets:
            return
        brackets, removed = _EMPTY_PAIR.subn(b"", brackets)
        if not removed:
            return  # unbalanced: json.loads says where
    if brackets:
        raise ValueError(f"it nests objects and arrays more than {MAX_DEPTH} levels deep")


def loads_json(text: str, name: str) -> Any:
    """Parse an import file's JSON within the limits above.

    Raises:
        ImportProblem: naming the file and what is wrong.
    """
    try:
        check_shape(text)
        return json.loads(text, parse_constant=_reject_constant, parse_float=_finite, object_pairs_hook=_object)
    except RecursionError:
        raise ImportProblem(name, "", "", f"nests objects and arrays more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:
        raise ImportProblem(name, "", "", f"is not JSON nhfind can import ({exc})") from None
