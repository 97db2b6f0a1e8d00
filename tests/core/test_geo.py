"""Near a ZIP code: the packaged centroid table, honest placements, nearest-first search."""

from __future__ import annotations

import csv

import pytest

from nhfind.core import geo
from nhfind.core.dataset import load_dataset
from nhfind.core.db.store import Store
from nhfind.core.errors import UsageError
from nhfind.core.models import Address, Filters, Resource
from nhfind.core.search import get, search
from tests.conftest import REAL_DATA


def resource(fixture_store: Store, rid: str) -> Resource:
    found = get(fixture_store, rid)
    assert found is not None
    return found


def test_table_holds_california_zips_with_coordinates() -> None:
    home = geo.centroid("95660")
    assert home is not None and home.city == "North Highlands"
    assert 38.5 < home.lat < 38.8 and -121.5 < home.lon < -121.2
    assert geo.centroid("95660-1234") == home
    assert geo.centroid("10001") is None  # New York: not in the California table
    with geo.TABLE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert all(row["zip"].startswith(("90", "91", "92", "93", "94", "95", "96")) for row in rows)
    assert all(32 < float(r["lat"]) < 42.1 and -124.5 < float(r["lon"]) < -114 for r in rows)


def test_every_zip_in_the_data_can_be_placed() -> None:
    dataset = load_dataset(REAL_DATA)
    zips = {r.address.postal_code for r in dataset.resources if r.address and r.address.postal_code}
    assert all(geo.centroid(z) is not None for z in zips), sorted(z for z in zips if geo.centroid(z) is None)


def test_origin_refuses_what_it_cannot_place() -> None:
    with pytest.raises(UsageError, match="5 digits"):
        geo.origin("9566")
    with pytest.raises(UsageError, match="California"):
        geo.origin("10001")
    assert geo.origin(" 95660 ").zip == "95660"


def test_miles_between_centroids() -> None:
    north_highlands, downtown = geo.origin("95660"), geo.origin("95814")
    assert 7 < geo.miles(north_highlands, downtown) < 11  # about 8.8 mi as the crow flies
    assert geo.miles(north_highlands, downtown) == pytest.approx(geo.miles(downtown, north_highlands))
    assert geo.miles(downtown, downtown) == 0


def test_street_and_zip_give_an_approximate_distance(fixture_store: Store) -> None:
    clinic = resource(fixture_store, "test-sti-testing")  # 1 Test Way, 95660
    placed = geo.place(clinic, geo.origin("95814"))
    assert placed.kind == geo.LOCATED and placed.miles is not None and 7 < placed.miles < 11
    assert placed.text.startswith("about ") and placed.text.endswith(" mi (ZIP centroid)")
    assert geo.place(clinic, geo.origin("95660")).text == "same ZIP (95660)"


def test_no_distance_without_street_and_zip(fixture_store: Store) -> None:
    start = geo.origin("95660")
    clinic = resource(fixture_store, "test-sti-testing")
    no_zip = clinic._replace(address=Address("site", street="1 Test Way", city="North Highlands", state="CA"))
    city_only = clinic._replace(address=Address("site", city="North Highlands", postal_code="95660"))
    unknown_zip = clinic._replace(address=Address("site", street="1 Test Way", postal_code="10001"))
    for variant, kind in ((no_zip, geo.NO_ZIP), (city_only, geo.CITY_ONLY), (unknown_zip, geo.ZIP_UNKNOWN)):
        placed = geo.place(variant, start)
        assert placed.kind == kind and placed.miles is None and " mi" not in placed.text


def test_hotlines_and_confidential_places_have_no_distance(fixture_store: Store) -> None:
    start = geo.origin("95660")
    shelter = geo.place(resource(fixture_store, "test-shelter-beds"), start)
    assert (shelter.kind, shelter.miles, shelter.text) == (geo.CONFIDENTIAL, None, "location kept confidential")
    tip_line = geo.place(resource(fixture_store, "test-police-tips"), start)  # call only, no address
    assert (tip_line.miles, tip_line.text) == (None, "phone / no fixed place")
    food = geo.place(resource(fixture_store, "test-food-hall"), start)  # walk-in but no address in the data
    assert (food.miles, food.text) == (None, "address not found")


def test_search_near_sorts_located_services_first_even_with_a_limit(fixture_store: Store) -> None:
    by_name = [r.id for r in search(fixture_store, "", limit=None).results]
    assert by_name[0] != "test-sti-testing"  # otherwise the next assertion proves nothing
    near = search(fixture_store, "", Filters(near="95814"), limit=1)
    assert [r.id for r in near.results] == ["test-sti-testing"]
    assert near.total == len(by_name)
    everything = search(fixture_store, "", Filters(near="95814")).results
    keys = [geo.sort_key(geo.place(r, geo.origin("95814"))) for r in everything]
    assert keys == sorted(keys)
    assert {r.id for r in everything} == set(by_name)


def test_search_near_keeps_other_filters(fixture_store: Store) -> None:
    page = search(fixture_store, "", Filters(near="95660", costs=("free",)))
    assert {r.id for r in page.results} == {"test-sti-testing", "test-shelter-beds", "test-food-hall"}
    assert page.results[0].id == "test-sti-testing"
