"""Every table holds at 80 and 120 columns: no line is wider than the terminal, no id or phone number is split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app

TABLES = [
    ("search", "--limit", "100"),
    ("search", "police"),
    ("search", "--language", "es", "--limit", "100"),
    ("search", "--open-now", "--limit", "100"),
    ("search", "clinic", "--near", "95660", "--open-at", "sat 10:00"),
    ("search", "--near", "95660", "--language", "es", "--limit", "100"),
    ("search", "--fields", "id,name,phone", "--limit", "100"),
    ("search", "--fields", "name,phone,last_verified,id,organization", "--limit", "100"),
]


def run(db: Path, *args: str, width: int) -> tuple[str, str]:
    result = CliRunner().invoke(app, ["--db", str(db), *args], env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert result.exit_code == 0, result.stderr
    return result.stdout, result.stderr


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("args", TABLES, ids=" ".join)
def test_table_fits_and_never_splits_an_id_or_a_phone(real_db: Path, args: tuple[str, ...], width: int) -> None:
    out, _ = run(real_db, *args, "--format", "table", width=width)
    plain = [a for n, a in enumerate(args) if a != "--fields" and (n == 0 or args[n - 1] != "--fields")]
    records = json.loads(run(real_db, *plain, "--format", "json", "--fields", "id,phone,last_verified", width=width)[0])
    assert records
    lines = out.splitlines()
    fields = args[args.index("--fields") + 1].split(",") if "--fields" in args else ["id", "phone"]
    if "--fields" not in args:
        assert all(len(line.rstrip()) <= width for line in lines), "a line is wider than the terminal"
    for record in records:
        for field in ("id", "phone"):
            whole = record[field]
            if whole and field in fields:
                assert any(whole in line for line in lines), f"{whole!r} is split or missing at {width} columns"
    dates = [r["last_verified"] for r in records] if "last_verified" in fields else []
    assert all(any(d in line for line in lines) for d in dates)


def test_a_narrow_table_says_what_it_left_out_and_keeps_the_police_badge(real_db: Path) -> None:
    out, err = run(real_db, "search", "police", "--format", "table", width=80)
    assert "POLICE / LAW ENFORCEMENT" in out
    assert "left out to fit 80 columns" in err
    wide, err = run(real_db, "search", "police", "--format", "table", width=200)
    assert "left out" not in err and "Organization" in wide and "Cost" in wide


@pytest.mark.parametrize("width", [60, 80, 120])
@pytest.mark.parametrize("args", [("show", "calfresh"), ("show", "lsnc-legal-aid", "--lang", "es"),
                                  ("card", "calfresh", "weave-support-line"), ("card", "--crisis")])  # fmt: skip
def test_show_and_card_wrap_to_the_terminal_and_indent_continuations(
    real_db: Path, args: tuple[str, ...], width: int
) -> None:
    out, _ = run(real_db, *args, width=width)
    lines = out.splitlines()
    assert len(lines) > 10
    limit = min(width, 100 if args[0] == "show" else 80)
    too_long = [line for line in lines if len(line) > limit and " " in line.strip()]  # only a lone URL may stay long
    assert not too_long
    if args[0] == "show":
        assert any(line.startswith("    ") for line in lines), "continuation lines are indented"
        words = " ".join(out.split())
        assert "[dha_calfresh: high" in words or "lsnc" in words  # nothing lost across the wraps
