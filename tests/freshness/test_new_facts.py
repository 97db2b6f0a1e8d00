"""The 2026-11-30 facts are in with their sources, and the audit's words beyond the sources stay out."""

from __future__ import annotations

import re

import pytest

from nhfind.core.crisis import crisis_lines
from nhfind.core.db.store import Store
from nhfind.core.models import Resource
from nhfind.core.search import get


def _get(store: Store, rid: str) -> Resource:
    resource = get(store, rid)
    assert resource is not None, rid
    return resource


def _source_url(resource: Resource, key: str) -> str:
    return resource.sources[key].url


def test_nearest_emergency_departments_have_sourced_addresses(real_store: Store) -> None:
    mercy = _get(real_store, "mercy-san-juan-er")
    assert mercy.address is not None and mercy.address.street == "6501 Coyle Avenue"
    assert mercy.main_phone is not None and mercy.main_phone.number == "(916) 537-5000"
    assert mercy.hours is not None and mercy.hours.always
    assert "dignityhealth.org" in _source_url(mercy, mercy.address.source)
    kaiser = _get(real_store, "kaiser-sacramento-er")
    assert kaiser.phones == () and kaiser.hours is None  # not found: unknown, not guessed
    general = _get(real_store, "emergency-departments")
    assert "Mercy San Juan" in general.description


def test_child_abuse_hotline_is_a_24_7_crisis_line(real_store: Store) -> None:
    hotline = _get(real_store, "child-abuse-hotline")
    assert hotline.main_phone is not None and hotline.main_phone.number == "(916) 875-5437"
    assert hotline.hours is not None and hotline.hours.always
    assert "minors" in hotline.populations and "trafficking-support" in hotline.categories
    assert hotline in crisis_lines(real_store).groups["24/7"]


def test_record_clearing_clinic_and_victim_witness_line(real_store: Store) -> None:
    clinic = _get(real_store, "public-defender-record-clearing")
    assert clinic.main_phone is not None and clinic.main_phone.number == "916-875-1835"
    assert clinic.hours is not None and clinic.hours.weekly == ("tue 14:00-16:00",)
    assert clinic.address is not None and clinic.address.postal_code == ""  # the page prints no ZIP
    da = _get(real_store, "da-victim-witness")
    assert da.is_law_enforcement and da.main_phone is not None and da.main_phone.number == "(916) 874-6218"


def test_maryhouse_hours_and_who_it_serves(real_store: Store) -> None:
    maryhouse = _get(real_store, "loaves-and-fishes-maryhouse")
    assert maryhouse.hours is not None and maryhouse.hours.weekly == ("mon-sun 07:00-14:30",)
    assert maryhouse.eligibility is not None and "transgender" in maryhouse.eligibility.value
    assert any(c.field == "eligibility" for c in maryhouse.conflicts)


@pytest.mark.parametrize("rid", ["sacramento-211", "crisis-text-line"])
def test_211_and_crisis_text_line_are_sourced_24_7(real_store: Store, rid: str) -> None:
    line = _get(real_store, rid)
    assert line.hours is not None and line.hours.always


def test_free_clinic_that_serves_sex_workers(real_store: Store) -> None:
    clinic = _get(real_store, "joan-viteri-memorial-clinic")
    assert clinic.cost_values == ("free",) and "people-in-sex-work" in clinic.populations
    assert clinic.phones == ()


def test_weave_has_no_text_line(real_store: Store) -> None:
    weave = _get(real_store, "weave-support-line")
    assert "text" not in weave.access and all(p.kind != "text" for p in weave.phones)


def test_diversion_programs_are_marked_law_enforcement(real_store: Store) -> None:
    for rid in ("pre-arrest-diversion", "prostitution-diversion-reset", "john-school"):
        assert _get(real_store, rid).is_law_enforcement, rid


@pytest.mark.parametrize(
    ("rid", "word"),
    [
        ("courage-worldwide", r"\bgirls\b"),
        ("calfresh", r"\bebt\b"),
        ("calfresh", r"\bmonthly\b"),
        ("calfresh", r"\blow income\b"),
        ("calworks", r"\bfamil"),
        ("snahc", r"\bmidtown\b"),
        ("lsnc-legal-aid", r"\bfree lawyer\b"),
        ("loaves-and-fishes", r"\bfree food\b"),
        ("3strands-global-foundation", r"\bstate investigators\b"),
    ],
)
def test_words_beyond_the_sources_stay_out(real_store: Store, rid: str, word: str) -> None:
    resource = _get(real_store, rid)
    text = " ".join([resource.name, resource.description, resource.organization, *resource.keywords,
                     *resource.populations]).lower()  # fmt: skip
    assert not re.search(word, text), (rid, word)


@pytest.mark.parametrize("rid", ["loaves-and-fishes", "loaves-and-fishes-maryhouse", "naloxone-distribution"])
def test_no_walk_in_without_a_source_saying_so(real_store: Store, rid: str) -> None:
    assert "walk-in" not in _get(real_store, rid).access
