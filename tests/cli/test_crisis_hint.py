"""A search that finds nothing ends with the crisis lines, in `nhfind crisis`'s groups and order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nhfind.core import crisis
from tests.cli.conftest import Nhfind


def _hint_names(err: str, names: list[str]) -> list[str]:
    hint = err[err.index("in a crisis") :]
    return sorted((n for n in names if f"{n}:" in hint), key=lambda n: hint.index(f"{n}:"))


def test_no_results_hint_lists_the_crisis_lines_in_crisis_order(nhfind: Nhfind, crisis_db: Path) -> None:
    rows = json.loads(nhfind("crisis", "--format", "json", db=crisis_db).out)
    names = list(dict.fromkeys(r["name"] for r in rows))
    err = nhfind("search", "xyzzyq", db=crisis_db).err
    assert _hint_names(err, names) == names[: crisis.HINT_LINES]
    shown = names[: crisis.HINT_LINES]
    titles = [crisis.GROUP_TITLES[g] for g in dict.fromkeys(r["group"] for r in rows if r["name"] in shown)]
    assert [err.index(f"  {t}:") for t in titles] == sorted(err.index(f"  {t}:") for t in titles)


def test_the_hint_is_cut_to_the_first_lines_in_order(
    nhfind: Nhfind,
    crisis_db: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(crisis, "HINT_LINES", 2)
    rows = json.loads(nhfind("crisis", "--format", "json", db=crisis_db).out)
    names = list(dict.fromkeys(r["name"] for r in rows))
    assert _hint_names(nhfind("search", "xyzzyq", db=crisis_db).err, names) == names[:2]


def test_the_whole_hint_is_five_lines_at_most_crisis_lines_first(nhfind: Nhfind, crisis_db: Path) -> None:
    err = nhfind("search", "xyzzyq", db=crisis_db).err
    lines = err.splitlines()
    assert 3 <= len(lines) <= 5 and "in a crisis" in lines[0] and "try fewer words" in lines[-1]
