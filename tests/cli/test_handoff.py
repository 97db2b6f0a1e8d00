"""Hand-offs a client can trust: printable HTML cards, vCards a contacts app imports, Spanish, the crisis card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import vobject

from nhfind.core.db.write import build
from tests.cli.conftest import Nhfind
from tests.conftest import ROOT

HANDOFF_DATA = ROOT / "tests" / "fixtures" / "handoff"


@pytest.fixture(scope="session")
def handoff_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made-up services whose numbers have the shapes that once went wrong (extension, letters, keyword, code)."""
    path = tmp_path_factory.mktemp("handoff") / "handoff.db"
    build(HANDOFF_DATA, path)
    return path


def test_html_card_is_one_printable_file_with_a_qr_code_and_links(nhfind: Nhfind, handoff_db: Path) -> None:
    result = nhfind("card", "test-extension-line", "test-keyword-text", "--format", "html", db=handoff_db)
    page = result.out
    assert result.code == 0 and page.startswith("<!DOCTYPE html>")
    assert page.count("<svg") == 2  # an inline QR code per card
    assert 'href="tel:+16504034300;ext=4385"' in page and 'href="sms:741741?body=HOME"' in page
    assert "@media print" in page and "break-after: page" in page  # two cards to a letter page
    assert not re.search(r"<(script|link)\b|@import|src=|url\(", page)  # self-contained: nothing fetched
    assert "Scan to call" in page and "Scan to text" in page


def test_vcard_imports_as_a_contact(nhfind: Nhfind, handoff_db: Path) -> None:
    result = nhfind("card", "test-extension-line", "test-vanity-line", "--format", "vcard", db=handoff_db)
    cards = list(vobject.readComponents(result.out))
    assert [c.fn.value for c in cards] == ["Extension Line", "Vanity Line"]
    first, second = cards
    assert first.version.value == "4.0" and first.org.value == ["Test Hand-off Services"]
    assert first.tel.value == "tel:+16504034300;ext=4385" and first.tel.params["TYPE"] == ["voice"]
    assert first.url.value == "https://handoff.example.org"
    assert "Information dated 2026 — call ahead. Last checked 2026-11-29." in first.note.value  # as on the card
    assert "Call and dial the extension" in first.note.value
    tels = {(t.params["TYPE"][0], t.value) for t in second.contents["tel"] if isinstance(t, vobject.base.ContentLine)}
    assert tels == {("voice", "tel:+18002324636"), ("text", "tel:+19167877678")}
    assert all(len(line.encode()) <= 75 for line in result.out.splitlines())  # folded as RFC 6350 asks


def test_card_in_spanish_reads_as_spanish(nhfind: Nhfind, fixture_db: Path) -> None:
    out = nhfind("card", "test-sti-testing", "--lang", "es").out
    assert "Llame" in out and "Horario" in out and "lun-vie 8:00-16:00" in out and "cerrado dom" in out
    assert "Fechas" in out and "Información con fecha de 2016–2025: llame antes." in out
    for english in ("Call ", "Hours", "Details change", "What to bring", "Mon-Fri"):
        assert english not in out


def test_nhfind_lang_picks_spanish_and_lang_overrides_it(nhfind: Nhfind) -> None:
    assert "Horario" in nhfind("card", "test-sti-testing", env={"NHFIND_LANG": "es"}).out
    assert "Hours" in nhfind("card", "test-sti-testing", "--lang", "en", env={"NHFIND_LANG": "es"}).out


def test_the_spanish_summary_leads_a_spanish_card(nhfind: Nhfind, handoff_db: Path) -> None:
    out = nhfind("card", "test-extension-line", "--lang", "es", db=handoff_db).out
    assert "Una oficina inventada para pruebas." in out and "A made-up office" not in out
    english = nhfind("card", "test-extension-line", db=handoff_db).out
    assert "A made-up office for tests." in english


def test_source_notes_on_a_spanish_card_stay_whole_in_one_english_row(nhfind: Nhfind) -> None:
    out = nhfind("card", "test-primary-care", "--lang", "es").out
    rows = {line[:15].strip(): line for line in out.splitlines() if line[:15].strip()}
    assert "An old page says so." not in rows["Horario"]
    assert "En inglés" in rows and "Hours: An old page says so." in out


def test_show_in_spanish(nhfind: Nhfind) -> None:
    out = nhfind("show", "test-sti-testing", "--lang", "es").out
    assert "CONTACTO" in out and "CÓMO LLEGAR" in out and "Horario: lun-vie 8:00-16:00" in out


def test_an_unknown_language_is_one_clear_line(nhfind: Nhfind) -> None:
    result = nhfind("card", "test-sti-testing", "--lang", "fr")
    assert result.code == 2 and result.out == "" and "use one of en, es" in result.err
    assert result.err.count("\n") == 1


def test_crisis_card_holds_every_crisis_line_in_the_selectors_order(nhfind: Nhfind) -> None:
    out = nhfind("card", "--crisis", db=ROOT / "nhfind" / "_data" / "nhfind.db").out
    names = ["911 emergency", "988 Suicide", "National Human Trafficking Hotline", "WEAVE", "Crisis Text Line",
             "County Behavioral Health access line"]  # fmt: skip
    for name in names:
        assert name in out
    assert "Text HOME to 741741" in out and max(len(line) for line in out.splitlines()) <= 80
    assert out.index("911 emergency") < out.index("988 Suicide")


def test_crisis_card_takes_no_ids(nhfind: Nhfind) -> None:
    result = nhfind("card", "--crisis", "test-sti-testing")
    assert result.code == 2 and "no ids" in result.err


def test_card_without_ids_says_what_to_give(nhfind: Nhfind) -> None:
    result = nhfind("card")
    assert result.code == 2 and "--crisis" in result.err


BUNDLED = ROOT / "nhfind" / "_data" / "nhfind.db"


def test_spanish_crisis_card_keeps_the_sources_english_whole_in_one_row(nhfind: Nhfind) -> None:
    out = nhfind("card", "--crisis", "--lang", "es", db=BUNDLED).out
    flat = " ".join(out.split())
    assert "Mensaje 911 (Text to 911" not in flat and "(Call 988;" not in flat  # no English glued to a Spanish row
    assert "En inglés" in out
    assert "911: Text to 911; Call if you can; send a text to 911 only when calling is not possible or not safe" in flat
    english = nhfind("card", "--crisis", db=BUNDLED).out
    assert "En inglés" not in english and "911 (Text to 911; Call if you can;" in " ".join(english.split())
    for ids in (["--crisis"], ["weave-support-line", "the-source"]):  # a Spanish printout dials as the English one
        html = {lang: nhfind("card", *ids, "--lang", lang, "--format", "html", db=BUNDLED).out for lang in ("en", "es")}
        links = [html[lang].count('href="') for lang in ("en", "es")]
        assert links[0] == links[1] > 2


def test_vcard_note_dates_the_service_as_its_card_does(nhfind: Nhfind) -> None:
    card = " ".join(nhfind("card", "weave-support-line", db=BUNDLED).out.split())
    [contact] = vobject.readComponents(nhfind("card", "weave-support-line", "--format", "vcard", db=BUNDLED).out)
    assert "Information undated — call ahead. Last checked 2026-11-29." in card
    assert "Information undated — call ahead. Last checked 2026-11-29." in contact.note.value
    assert "2020" not in contact.note.value and "2021" not in contact.note.value  # pages behind no phone or hours
