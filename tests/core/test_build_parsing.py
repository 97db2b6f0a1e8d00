"""The build's fast paths give what the plain ones give: rtoml's values are tomllib's, record_json is json.dumps."""

from __future__ import annotations

import datetime as dt
import json
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nhfind.core import dataset, fts
from nhfind.core.dataset import load_dataset, parse_toml
from nhfind.core.db.write import record_json
from nhfind.core.errors import DataError
from nhfind.core.models import plain
from tests.conftest import FIXTURE_DATA, REAL_DATA


def _same(a: Any, b: Any, where: str = "") -> None:
    """Equal values of the same types, dict keys in the same order (what the build reads: order, dates, floats)."""
    if isinstance(a, dt.datetime) and isinstance(b, dt.datetime):  # rtoml's tzinfo is its own class: same offset
        assert (a.replace(tzinfo=None), a.utcoffset(), str(a)) == (b.replace(tzinfo=None), b.utcoffset(), str(b))
        return
    assert type(a) is type(b), where
    if isinstance(a, dict):
        assert list(a) == list(b), where
        for key in a:
            _same(a[key], b[key], f"{where}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), where
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same(x, y, f"{where}[{i}]")
    elif isinstance(a, float) and math.isnan(a):
        assert math.isnan(b), where
    else:
        assert a == b, where


@pytest.mark.parametrize("folder", [REAL_DATA, FIXTURE_DATA], ids=["data", "fixture"])
def test_every_data_file_parses_to_tomllibs_values(folder: Path) -> None:
    files = sorted(folder.rglob("*.toml"))
    assert len(files) > 3
    for path in files:
        text = path.read_text(encoding="utf-8")
        _same(parse_toml(text), tomllib.loads(text), path.name)


EDGES = [
    "a = 1979-05-27T07:32:00-08:00\nb = 1979-05-27T07:32:00.5Z\nc = 1979-05-27T07:32:00\nd = 1979-05-27\ne = 07:32:00",
    "a = 1e400\nb = -inf\nc = nan\nd = 6.02e23\ne = 0.1\nf = 99999999999999999999",
    'a = { b = 1, c = [1, "x", { d = true }] }\nz = 1\n[t]\ny = 2\nb = 3\n[[s]]\nq = 1\n[[s]]\nq = 2',
    "a = \"\\u00e9\\t\\\"q\\\"\"\nb = '''x\n y'''\n\"quoted key\" = 1",
]


@pytest.mark.parametrize("text", EDGES)
def test_dates_floats_tables_and_order_read_as_tomllib_reads_them(text: str) -> None:
    _same(parse_toml(text), tomllib.loads(text))


@pytest.mark.parametrize(
    "text", ["a = 1\na = 2", "\ufeffa = 1", "a = 01", "[a]\nb = 1\n[a]", 'a = "x\ny"', "x = [1, 2", "a ="]
)
def test_what_tomllib_refuses_is_refused_with_its_message(text: str) -> None:
    with pytest.raises(tomllib.TOMLDecodeError) as plain_error:
        tomllib.loads(text)
    with pytest.raises(ValueError) as ours:  # tomli's TOMLDecodeError (or tomllib's): a ValueError, line and column
        parse_toml(text)
    assert str(ours.value) == str(plain_error.value)


def test_a_damaged_file_gives_one_line_with_file_and_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    import shutil

    shutil.copytree(FIXTURE_DATA, data)
    (data / "organizations" / "test-clinic.toml").write_text('[organization]\nid = "test-clinic"\nname = "x\n')
    with pytest.raises(DataError) as info:
        load_dataset(data)
    message = str(info.value)
    assert "\n" not in message
    assert "test-clinic.toml" in message and "line 3" in message


def test_without_rtoml_the_values_are_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (REAL_DATA / "vocabulary.toml").read_text(encoding="utf-8")
    fast = parse_toml(text)
    monkeypatch.setattr(dataset, "_fast_loads", None)
    _same(parse_toml(text), fast)


@pytest.mark.parametrize("folder", [REAL_DATA, FIXTURE_DATA], ids=["data", "fixture"])
def test_record_json_is_the_records_plain_json(folder: Path) -> None:
    for resource in load_dataset(folder).resources:
        assert record_json(resource) == json.dumps(plain(resource), sort_keys=True, ensure_ascii=False)
        assert json.loads(record_json(resource)) == resource.to_dict()


@given(st.lists(st.text(), max_size=8))
def test_the_search_terms_words_are_the_words_of_each_text(texts: list[str]) -> None:
    assert fts.distinct_words(texts) == {word for text in texts for word in fts.words(text)}


def test_the_search_terms_words_of_plain_and_accented_text() -> None:
    texts = ["Free HIV_testing, 24/7!", "clínica Straße", "café\u0301 ﷺ x2 don't", "", "a-b.c"]
    assert fts.distinct_words(texts) == {word for text in texts for word in fts.words(text)}
    assert fts.distinct_words(["Free HIV_testing, 24/7!"]) == {"free", "hiv", "testing", "24", "7"}
