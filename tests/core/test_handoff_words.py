"""What a client reads: a summary in English and Spanish for every service, and no label half in each language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from nhfind.core.dataset import load_dataset
from nhfind.core.models import CONFIDENTIALITY, COSTS, Resource
from nhfind.locale import compile_catalogs, read_po, translation
from tests.conftest import REAL_DATA, ROOT

DATASET = load_dataset(REAL_DATA)
CATALOG = ROOT / "nhfind" / "locale" / "es" / "LC_MESSAGES" / "nhfind.po"
TRANSLATED = ("nhfind/core/card.py", "nhfind/cli/show.py", "nhfind/tui/screens/card.py")


@pytest.mark.parametrize("resource", DATASET.resources, ids=lambda r: r.id)
def test_every_service_has_a_client_summary_in_english_and_spanish(resource: Resource) -> None:
    assert resource.client_summary and resource.client_summary_es
    assert resource.client_summary != resource.description  # our words for the client, not the worker's note


@pytest.mark.parametrize("resource", DATASET.resources, ids=lambda r: r.id)
def test_a_summary_has_no_number_the_record_does_not(resource: Resource) -> None:
    record = str(resource.to_dict())
    for summary in (resource.client_summary, resource.client_summary_es):
        for number in re.findall(r"\d+", summary):
            assert number in record, f"{resource.id}: {number} is not in the record"


def _msgids() -> set[str]:
    found = {*COSTS.values(), *CONFIDENTIALITY.values()}
    for name in TRANSLATED:
        source = (ROOT / name).read_text(encoding="utf-8")
        for match in re.finditer(r"\b(?:N_|_)\(\s*(\"(?:[^\"\\]|\\.)*\")\s*\)", source):
            found.add(ast.literal_eval(match.group(1)))
    return found


def test_every_message_has_a_spanish_translation() -> None:
    catalog = read_po(CATALOG)
    missing = sorted(m for m in _msgids() if not catalog.get(m))
    assert not missing, f"add to {CATALOG.name}: {missing}"
    for message in _msgids():  # placeholders survive translation
        assert set(re.findall(r"{\w+}", message)) == set(re.findall(r"{\w+}", catalog[message])), message


def test_the_build_compiles_the_catalog_gettext_reads(tmp_path: Path) -> None:
    target = tmp_path / "es" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "nhfind.po").write_bytes(CATALOG.read_bytes())
    [mo] = compile_catalogs(tmp_path)
    import gettext

    es = gettext.translation("nhfind", localedir=tmp_path, languages=["es"])
    assert es.gettext("Hours") == "Horario" and es.gettext("Scan to call") == "Escanee para llamar"
    assert es.gettext("not a message") == "not a message"
    installed = ROOT / "nhfind" / "locale" / "es" / "LC_MESSAGES" / "nhfind.mo"
    assert installed.read_bytes() == mo.read_bytes(), "the installed catalog is stale: reinstall (pip install -e .)"
    assert translation("es").gettext("Hours") == "Horario"
