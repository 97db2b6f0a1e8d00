"""The real data/: every resource the seed article names is there, and every fact has a source."""

from __future__ import annotations

from pathlib import Path

import pytest

from nhfind.core.dataset import load_dataset, sources_hash
from nhfind.core.db.locate import PACKAGED_DB
from nhfind.core.db.store import Store
from nhfind.core.models import GRADES, Resource
from nhfind.core.search import get, search
from tests.conftest import REAL_DATA

# Every organization and program the seed article names, and the lines every outreach worker needs
# (shared/facts/contacts.tsv): the service id that holds it.
NAMED_IN_ARTICLE = {
    "911": "emergency-911",
    "Sheriff's non-emergency line": "sheriff-non-emergency",
    "Sheriff's Vice unit trafficking detectives": "sheriff-vice-trafficking",
    "California DOJ / Attorney General trafficking work": "ca-doj-human-trafficking",
    "FBI Sacramento Field Office": "fbi-sacramento",
    "National Human Trafficking Hotline (and its text line)": "human-trafficking-hotline",
    "County STD/HIV clinics": "county-sexual-health-clinic",
    "Harm Reduction Services": "harm-reduction-services",
    "Elica Health Centers": "elica-health-centers",
    "Emergency departments": "emergency-departments",
    "County detox": "county-detox",
    "Sacramento Native American Health Center": "snahc",
    "Turning Point Community Programs": "turning-point",
    "Medication-assisted treatment": "medication-assisted-treatment",
    "Naloxone distribution": "naloxone-distribution",
    "Courage Worldwide": "courage-worldwide",
    "Saint John's Program for Real Change": "saint-johns-program",
    "Sacramento Steps Forward coordinated entry": "coordinated-entry",
    "Emergency shelter": "emergency-shelter",
    "Transitional housing": "transitional-housing",
    "Rapid re-housing": "rapid-rehousing",
    "Permanent supportive housing": "permanent-supportive-housing",
    "Sacramento Works": "sacramento-works",
    "Women's Empowerment": "womens-empowerment",
    "Legal Services of Northern California": "lsnc-legal-aid",
    "CalFresh": "calfresh",
    "CalWORKs": "calworks",
    "North Highlands Community Planning Group": "north-highlands-community-planning-group",
    "Neighborhood watch": "neighborhood-watch",
    "3Strands Global Foundation": "3strands-global-foundation",
    "County supervisor's office": "county-supervisor",
    "Sacramento Children's Home": "childrens-home-family-services",
    "Stanford Youth Solutions": "stanford-sierra-youth-families",
    "Parent support groups": "parent-support-groups",
    "Wellspring Women's Center": "wellspring-womens-center",
    "Loaves & Fishes": "loaves-and-fishes",
    "Pre-arrest diversion": "pre-arrest-diversion",
    "Sacramento County Prostitution Diversion Program": "prostitution-diversion-reset",
    "John School": "john-school",
    "211 Sacramento": "sacramento-211",
    "988 Suicide & Crisis Lifeline": "lifeline-988",
    "WEAVE 24/7 line": "weave-support-line",
    "County behavioral-health access line": "county-behavioral-health-access",
    "Mental Health Urgent Care Clinic": "mental-health-urgent-care",
}


@pytest.mark.parametrize(("named", "service_id"), sorted(NAMED_IN_ARTICLE.items()))
def test_every_named_resource_is_in_the_database(real_store: Store, named: str, service_id: str) -> None:
    resource = get(real_store, service_id)
    assert resource is not None, f"{named}: no record {service_id!r}"
    assert resource.description and resource.last_verified and resource.record_sources


def test_enough_records_for_a_directory(real_store: Store) -> None:
    assert search(real_store, "").total >= 30


def _all(real_store: Store) -> tuple[Resource, ...]:
    return search(real_store, "").results


def test_every_contact_fact_cites_a_known_source(real_store: Store) -> None:
    for resource in _all(real_store):
        keys = [p.source for p in resource.phones]
        keys += [f.source for f in (resource.website, resource.email, resource.cost, resource.confidentiality,
                                    resource.eligibility, resource.languages, resource.what_to_bring) if f]  # fmt: skip
        keys += [x.source for x in (resource.address, resource.hours) if x]
        for key in keys:
            source = resource.sources.get(key)
            assert source is not None, f"{resource.id}: fact cites {key!r} with no source"
            assert source.grade in GRADES, f"{resource.id}: grade {source.grade!r}"
            assert source.url == "seed article" or source.url.startswith("http")


def test_no_grade_none_and_no_not_found_values(real_store: Store) -> None:
    for resource in _all(real_store):
        text = str(resource.to_dict())
        assert "NOT FOUND" not in text, resource.id
        assert all(s.grade != "none" for s in resource.sources.values())


def test_law_enforcement_is_marked(real_store: Store) -> None:
    for service_id in (
        "sheriff-non-emergency",
        "sheriff-vice-trafficking",
        "fbi-sacramento",
        "ca-doj-human-trafficking",
    ):
        resource = get(real_store, service_id)
        assert resource is not None and resource.is_law_enforcement, service_id


def test_hotline_numbers_match_the_facts_table(real_store: Store) -> None:
    hotline = get(real_store, "human-trafficking-hotline")
    assert hotline is not None
    numbers = {p.number for p in hotline.phones}
    assert "1-888-373-7888" in numbers and "233733" in numbers


def test_conflicts_are_kept(real_store: Store) -> None:
    supervisor = get(real_store, "county-supervisor")
    assert supervisor is not None
    assert any("2" in c.text and "4" in c.text for c in supervisor.conflicts)


def test_ids_are_unique_and_sorted() -> None:
    dataset = load_dataset(REAL_DATA)
    ids = [r.id for r in dataset.resources]
    assert ids == sorted(set(ids))


@pytest.mark.skipif(not PACKAGED_DB.exists(), reason="no packaged database (not installed from this checkout)")
def test_shipped_database_is_not_stale() -> None:
    shipped = Store(PACKAGED_DB).meta()["sources_hash"]
    assert shipped == sources_hash(Path(REAL_DATA)), "the bundled database is stale: run `nhfind db build`"
