"""`nhfind db publish`: a folder Datasette serves read-only, searchable and faceted, checked with `datasette --get`."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from nhfind.cli import app

DATASETTE = Path(sys.executable).parent / "datasette"


def _publish(real_db: Path, folder: Path, *extra: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["--db", str(real_db), "db", "publish", "--output", str(folder), *extra])
    return result.exit_code, result.stdout, result.stderr


def _get(folder: Path, path: str) -> str:
    exe = str(DATASETTE) if DATASETTE.exists() else shutil.which("datasette")
    if exe is None:
        pytest.fail("datasette is not installed: pip install -e '.[test]'")
    command = [exe, str(folder / "nhfind.db"), "-m", str(folder / "metadata.json"), "--get", path]
    proc = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture(scope="module")
def site(real_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("site") / "published"
    code, out, err = _publish(real_db, folder)
    assert code == 0, err
    assert "datasette" in out
    return folder


def test_datasette_answers_a_search_on_the_published_folder(site: Path) -> None:
    rows = json.loads(_get(site, "/nhfind/directory.json?_search=shelter&_shape=array"))
    ids = [r["id"] for r in rows]
    assert "emergency-shelter" in ids
    assert all("record" not in r for r in rows)  # the JSON record stays out of the directory


def test_facets_on_category_cost_and_confidentiality(site: Path) -> None:
    page = json.loads(_get(site, "/nhfind/directory.json?_search=shelter"))
    assert {"category", "cost", "confidentiality"} <= set(page["facet_results"])
    no_police = json.loads(
        _get(site, "/nhfind/directory.json?category__arraycontains=trafficking-support"
                   "&confidentiality__not=law-enforcement&_shape=array")
    )  # fmt: skip
    ids = {r["id"] for r in no_police}
    assert "human-trafficking-hotline" in ids and "sheriff-vice-trafficking" not in ids


def test_metadata_describes_the_directory_and_hides_the_machinery(site: Path) -> None:
    meta = json.loads((site / "metadata.json").read_text(encoding="utf-8"))
    tables = meta["databases"]["nhfind"]["tables"]
    assert meta["title"] and meta["license"] and meta["source"]
    assert tables["directory"]["fts_table"] == "services_fts"
    assert "law-enforcement" in tables["directory"]["columns"]["confidentiality"]
    assert "shelter = Shelter" in tables["directory"]["columns"]["category"]
    listing = json.loads(_get(site, "/nhfind.json"))
    hidden = {t["name"] for t in listing["tables"] if t["hidden"]}
    assert {"services", "search_terms", "openings"} <= hidden
    page = _get(site, "/nhfind/directory")
    assert 'name="_search"' in page  # the search box


def test_the_published_database_still_opens_in_nhfind(site: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(site / "nhfind.db"), "show", "child-abuse-hotline"])
    assert result.exit_code == 0 and "(916) 875-5437" in result.stdout


def test_publish_refuses_a_folder_with_files_in_it(real_db: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    code, _out, err = _publish(real_db, tmp_path)
    assert code == 2 and "--force" in err and err.count("\n") == 1
    assert not (tmp_path / "nhfind.db").exists()
    code, _out, _err = _publish(real_db, tmp_path, "--force")
    assert code == 0 and (tmp_path / "metadata.json").is_file() and (tmp_path / "notes.txt").is_file()
