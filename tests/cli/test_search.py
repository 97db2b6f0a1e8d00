"""`nhfind search` and `nhfind export`: filters, formats, fields, limits, and that both agree."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from nhfind.core.writers import COLUMNS
from tests.cli.conftest import Nhfind, Result


def records(result: Result) -> list[dict[str, Any]]:
    assert result.code == 0, result.err
    rows: list[dict[str, Any]] = json.loads(result.out)
    return rows


def test_category_is_repeatable_and_ors(nhfind: Nhfind) -> None:
    both = records(nhfind("search", "-c", "shelter", "-c", "food", "--format", "json"))
    assert {c for r in both for c in r["categories"]} >= {"shelter", "food"}
    assert all({"shelter", "food"} & set(r["categories"]) for r in both)
    shelter = records(nhfind("search", "--category", "shelter", "--format", "json"))
    assert len(shelter) < len(both)


def test_cost_filter(nhfind: Nhfind) -> None:
    free = records(nhfind("search", "--cost", "free", "--format", "json"))
    everything = records(nhfind("search", "--format", "json", "--limit", "100"))
    assert free and all("free" in r["cost"]["value"] for r in free)
    assert len(free) == sum(1 for r in everything if r["cost"] and "free" in r["cost"]["value"])


def test_confidentiality_and_confidential_shortcut(nhfind: Nhfind) -> None:
    exact = records(nhfind("search", "--confidentiality", "confidential", "--format", "json"))
    assert exact and all(r["confidentiality"]["value"] == "confidential" for r in exact)
    shortcut = records(nhfind("search", "--confidential", "--format", "json"))
    assert {r["id"] for r in exact} <= {r["id"] for r in shortcut}
    assert all(r["confidentiality"]["value"] in ("confidential", "anonymous-ok") for r in shortcut)


def test_no_law_enforcement_drops_police(nhfind: Nhfind) -> None:
    with_police = records(nhfind("search", "trafficking", "--format", "json"))
    assert any(r["confidentiality"] and r["confidentiality"]["value"] == "law-enforcement" for r in with_police)
    result = nhfind("search", "trafficking", "--no-law-enforcement", "--format", "json")
    assert result.code == 1 or all(
        not r["confidentiality"] or r["confidentiality"]["value"] != "law-enforcement" for r in json.loads(result.out)
    )


def test_population_filter(nhfind: Nhfind) -> None:
    women = records(nhfind("search", "--population", "women", "--format", "json"))
    assert women and all("women" in r["populations"] for r in women)


def test_limit_cuts_and_says_so_on_stderr(nhfind: Nhfind) -> None:
    result = nhfind("search", "--limit", "2", "--format", "json")
    assert len(records(result)) == 2
    assert "2 of" in result.err and "--limit" in result.err


@pytest.mark.parametrize("bad", [["--limit", "0"], ["--limit", "-5"], ["--format", "yaml"], ["--cost", "cheap"]])
def test_bad_options_are_one_line_exit_2(nhfind: Nhfind, bad: list[str]) -> None:
    result = nhfind("search", "x", *bad)
    assert result.code == 2
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert "--help" in result.err or "nhfind facets" in result.err


def test_piped_default_is_csv_with_stable_header(nhfind: Nhfind) -> None:
    result = nhfind("search", "std")
    rows = list(csv.reader(io.StringIO(result.out)))
    assert rows[0] == list(COLUMNS)
    assert rows[1][0] == "test-sti-testing"


def test_every_format(nhfind: Nhfind) -> None:
    ids = [r["id"] for r in records(nhfind("search", "--format", "json"))]
    jsonl = nhfind("search", "--format", "jsonl").out.splitlines()
    assert [json.loads(line)["id"] for line in jsonl] == ids
    tsv = list(csv.reader(io.StringIO(nhfind("search", "--format", "tsv").out), delimiter="\t"))
    assert [row[0] for row in tsv[1:]] == ids
    md = nhfind("search", "--format", "md").out.splitlines()
    assert md[0].startswith("| name |") and len(md) == len(ids) + 2
    table = nhfind("search", "std", "--format", "table", "--fields", "name,id").out
    assert "Free STI Testing" in table and "test-sti-testing" in table


def test_fields_pick_columns_in_every_format(nhfind: Nhfind, fixture_db: Path) -> None:
    out = nhfind("search", "--format", "csv", "--fields", "name,phone").out
    assert next(csv.reader(io.StringIO(out))) == ["name", "phone"]
    assert all(set(r) == {"id", "hours"} for r in records(nhfind("search", "-f", "json", "--fields", "id,hours")))
    table = nhfind("search", "std", "--format", "table", "--fields", "name,phone", env={"COLUMNS": "200"}).out
    assert "916-555-0101" in table and "Organization" not in table


def test_unknown_field_lists_the_known_ones(nhfind: Nhfind) -> None:
    result = nhfind("search", "--format", "csv", "--fields", "name,telephone")
    assert result.code == 2 and "telephone" in result.err and "phones" in result.err


def test_no_results_exit_1_with_a_hint(nhfind: Nhfind) -> None:
    result = nhfind("search", "zzzzqqq", "--format", "csv")
    assert result.code == 1 and "no results" in result.err
    assert result.out.strip() == ",".join(COLUMNS)


@pytest.mark.parametrize(
    "filters",
    [[], ["-c", "medical-care"], ["--cost", "free", "--no-law-enforcement"], ["--confidential"], ["-p", "adults"]],
)
def test_export_csv_gives_the_same_records_as_search_json(nhfind: Nhfind, filters: list[str]) -> None:
    searched = records(nhfind("search", *filters, "--format", "json", "--limit", "1000"))
    exported = list(csv.DictReader(io.StringIO(nhfind("export", *filters, "--format", "csv").out)))
    assert [r["id"] for r in exported] == [r["id"] for r in searched]


def test_export_neutralises_formulas_and_escapes(nhfind: Nhfind) -> None:
    out = nhfind("export", "--format", "csv").out
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["test-formula"]["name"].startswith("'=")
    assert rows["test-formula"]["phone"].startswith("'+")
    assert "\x1b" not in out and "\x07" not in out
    for row in rows.values():
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


def test_export_writes_atomically_and_refuses_to_overwrite(nhfind: Nhfind, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert nhfind("export", "-f", "json", "--output", str(target)).code == 0
    first = json.loads(target.read_text())
    target.write_text("keep me")
    refused = nhfind("export", "-f", "json", "--output", str(target))
    assert refused.code == 2 and "--force" in refused.err and target.read_text() == "keep me"
    assert nhfind("export", "-f", "json", "--output", str(target), "--force").code == 0
    assert json.loads(target.read_text()) == first
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temp file left behind


def test_export_to_an_impossible_path_is_one_line(nhfind: Nhfind, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("")
    result = nhfind("export", "--output", str(tmp_path / "a-file" / "out.csv"))
    assert result.code == 2 and result.err.count("\n") == 1 and "Traceback" not in result.err


def test_export_filters_and_formats(nhfind: Nhfind) -> None:
    md = nhfind("export", "--population", "women", "--format", "md").out
    assert "Emergency Shelter Beds" in md and "Community Meal Hall" not in md
    jsonl = nhfind("export", "--cost", "free", "--format", "jsonl", "--fields", "id,cost").out.splitlines()
    assert jsonl and all("free" in json.loads(line)["cost"] for line in jsonl)


def test_json_field_names_are_stable_and_documented(nhfind: Nhfind) -> None:
    """Scripts depend on these names: each field and flat column the output carries is listed in docs/json.md."""
    from tests.conftest import ROOT

    page = ROOT.joinpath("docs", "json.md").read_text(encoding="utf-8")
    fields = page.split("\n## Full records", 1)[1].split("\n## ", 1)[0]
    columns = page.split("\n## Flat columns", 1)[1].split("\n## ", 1)[0]
    record = records(nhfind("search", "std", "--format", "json"))[0]
    for key in record:
        assert f"| `{key}` |" in fields, f"JSON field {key!r} is not documented in docs/json.md"
    for column in COLUMNS:
        assert f"`{column}`" in columns, f"flat column {column!r} is not documented in docs/json.md"
    stable = ("id", "name", "organization", "description", "categories", "cost", "confidentiality", "populations",
              "phones", "website", "address", "hours", "languages", "sources", "last_verified")  # fmt: skip
    assert set(stable) <= set(record)
