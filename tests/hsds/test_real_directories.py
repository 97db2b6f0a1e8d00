"""Real public directories import without losing a phone: Ohana API's sample CSV, the HSDS 3.0 examples in every
API shape, OpenReferral UK's example, schedules as published, and our own CSV export read back."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from nhfind.core import hsds_export, hsds_import
from nhfind.core.db.store import Store
from nhfind.core.models import Hours, Resource
from nhfind.core.search import vocabulary
from tests.hsds.conftest import FIXTURES, Env

OHANA = FIXTURES / "ohana-sample-csv"
SPEC = FIXTURES / "hsds3-spec"
UK = FIXTURES / "openreferral-uk"


def _read(env: Env, path: Path, today: dt.date | None = None) -> hsds_import.ImportResult:
    return hsds_import.read(path, vocabulary(Store(env.bundled)), today=today)


# -- Ohana API ----------------------------------------------------------------------------------------------------


def test_ohana_sample_csv_gives_services_their_location_phone_address_and_hours(env: Env) -> None:
    result = _read(env, OHANA)
    assert result.format == "Ohana API CSV"
    services = {r.name: r for r in result.resources}
    assert len(services) == 21  # 23 rows, one defunct and one inactive
    assert all(r.phones for r in services.values())
    assert all(r.address is not None and r.address.street for r in services.values())
    # location 22 publishes hours; its second service has none of its own and gets the place's
    example = services["Example Service Name"]
    assert example.hours is not None and example.hours.weekly == (
        "mon-fri 08:00-17:00", "sat 10:00-18:00", "sun 11:00-17:00")  # fmt: skip
    passport = services["Passport Photos"]  # its own hours and numbers win over the location's
    assert passport.hours is not None and passport.hours.weekly == (
        "mon 08:00-12:00", "mon 14:00-16:00", "wed 10:00-15:00")  # fmt: skip
    assert passport.phones[0].number == "123-456-7890 ext. 123" and passport.phones[0].label == "Passport Photos"
    fair_oaks = services["Fair Oaks Adult Activity Center"]
    assert fair_oaks.organization == "Peninsula Family Service"  # through its location
    assert fair_oaks.address is not None and fair_oaks.address.street == "2600 Middlefield Road"
    assert fair_oaks.address.note == "Accessibility: disabled parking; ramp; restroom; wheelchair."
    # the location's full text, which the service cut short, is the description (and not repeated as a note)
    assert fair_oaks.description.startswith("A walk-in center") and "Formerly known as" in fair_oaks.description
    assert set(fair_oaks.language_values) >= {"es"}  # "Spanish, Tagalog" on the location
    assert [p.kind for p in fair_oaks.phones] == ["voice", "fax"]
    assert "Meal Sites/Home-delivered Mea" in fair_oaks.keywords  # comma-separated keywords
    assert services["Project Read"].service_area == "Daly City"
    assert services["Passport Photos"].categories  # taxonomy_ids 108-05 -> information
    warnings = " ".join(result.warning_lines())
    assert "got their location's" in warnings and "holiday" in warnings


def test_db_layers_labels_an_ohana_import_as_such(env: Env) -> None:
    code, out, err = env.run("import", str(OHANA))
    assert code == 0, err
    assert "(Ohana API CSV)" in out
    code, out, _ = env.run("db", "layers")
    assert code == 0 and "Ohana API CSV" in out and "HSDS 3.0" not in out


# -- HSDS 3.0 shapes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "file", ["organization_full.json", "service_full.json", "service_at_location_full.json", "csv"]
)
def test_the_spec_examples_give_community_counselling_once_with_one_phone(env: Env, file: str) -> None:
    result = _read(env, SPEC / file)
    assert [r.name for r in result.resources] == ["Community Counselling"]
    service = result.resources[0]
    assert service.organization == "Example Organization Inc."
    assert [p.number for p in service.phones] == ["+44 1234 234567 ext. 100"]  # linked four ways, kept once
    assert service.address is not None and service.address.street.startswith("1-30 Main Street")
    assert service.language_values == ("ur",)


def test_lists_of_services_and_services_at_locations_import(env: Env) -> None:
    for file in ("service_list.json", "service_at_location_list.json"):
        assert [r.name for r in _read(env, SPEC / file).resources] == ["Community Counselling"]


@pytest.mark.parametrize(
    ("file", "what"),
    [("location.json", "this is an HSDS location, not a service"),
     ("taxonomy.json", "this is an HSDS taxonomy, not a service"),
     ("taxonomy_term.json", "this is an HSDS taxonomy term, not a service"),
     ("organization_list.json", "lists HSDS organizations without their services")],
)  # fmt: skip
def test_what_is_not_a_service_is_refused_in_one_line(env: Env, file: str, what: str) -> None:
    code, out, err = env.run("import", str(SPEC / file))
    assert code == 2 and out == ""
    assert what in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not (env.data_dir / "overlay.json").exists()


def test_languages_given_only_by_id_are_left_out_not_blank(env: Env) -> None:
    result = _read(env, UK / "service_full.json")
    assert result.resources[0].languages is None
    assert "languages given without a code or a name were left out" in result.warning_lines()


# -- schedules as published ---------------------------------------------------------------------------------------


def test_an_expired_schedule_is_never_open(env: Env) -> None:
    """OpenReferral UK's example is valid only on 2005-01-01: no weekly hours, a note, never "open"."""
    code, _, err = env.run("import", str(UK / "service_full.json"))
    assert code == 0 and "ended" in err
    code, out, _ = env.run("search", "counselling", "--format", "json")
    [record] = [r for r in json.loads(out) if r["name"] == "Community Counselling"]
    assert record["hours"]["weekly"] == [] and "ended on 2005-01-01" in record["hours"]["note"]
    code, out, _ = env.run("search", "counselling", "--open-at", "thu 11:00", "--format", "json")
    assert "Community Counselling" not in out
    code, text, _ = env.run("show", record["id"])
    hours_line = next(line for line in text.splitlines() if line.startswith("Hours:"))
    assert "unknown" in hours_line.lower() and "Thu" not in hours_line


def _service_with(schedules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": "s-1", "name": "Test Drop-in", "organization": {"id": "o-1", "name": "Test Org"},
            "schedules": schedules}  # fmt: skip


def _hours_of(env: Env, tmp_path: Path, schedules: list[dict[str, Any]], today: dt.date) -> tuple[Hours, list[str]]:
    (tmp_path / "s.json").write_text(json.dumps(_service_with(schedules)), encoding="utf-8")
    result = _read(env, tmp_path / "s.json", today)
    hours = result.resources[0].hours
    assert hours is not None
    return hours, result.warning_lines()


def test_schedules_not_valid_today_and_rules_the_week_cannot_hold_are_notes(env: Env, tmp_path: Path) -> None:
    weekly: dict[str, Any] = {"freq": "WEEKLY", "byday": "MO", "opens_at": "09:00", "closes_at": "12:00"}
    schedules: list[dict[str, Any]] = [
        dict(weekly, valid_to="2026-01-31"),  # ended
        dict(weekly, byday="TU", valid_from="2026-06-01"),  # not yet
        dict(weekly, byday="WE", interval=2),  # every other week
        {"freq": "MONTHLY", "byday": "1FR,3FR", "opens_at": "10:00", "closes_at": "14:00"},
        dict(weekly, byday="TH"),  # the one that is plain weekly
    ]
    hours, warnings = _hours_of(env, tmp_path, schedules, dt.date(2026, 3, 2))
    assert hours.weekly == ("thu 09:00-12:00",)
    assert "ended on 2026-01-31" in hours.note and "From 2026-06-01" in hours.note
    assert "also: every 2 weeks on Wed 9 am-noon" in hours.note
    assert (
        "also: monthly on 1st Fri and 3rd Fri 10 am-2 pm" in hours.note
        and "From 2026-06-01: on Tue 9 am-noon" in hours.note
    )
    text = " ".join(warnings)
    assert "had ended" in text and "not valid yet" in text and "never counted as open" in text


@pytest.mark.parametrize(
    ("opens", "closes", "day", "expected"),
    [("09:00-08:00", "17:00-08:00", dt.date(2026, 1, 15), "mon 09:00-17:00"),
     ("09:00:00-08:00", "17:00:00-08:00", dt.date(2026, 7, 15), "mon 09:00-17:00"),  # our zone: wall time
     ("17:00Z", "23:00Z", dt.date(2026, 1, 15), "mon 09:00-15:00"),  # PST
     ("17:00Z", "23:00Z", dt.date(2026, 7, 15), "mon 10:00-16:00"),  # PDT
     ("02:00Z", "04:00Z", dt.date(2026, 1, 15), "sun 18:00-20:00")],  # the evening before, in Los Angeles
)  # fmt: skip
def test_times_with_offsets_are_los_angeles_wall_time(
    env: Env, tmp_path: Path, opens: str, closes: str, day: dt.date, expected: str
) -> None:
    schedule = {"freq": "WEEKLY", "byday": "MO", "opens_at": opens, "closes_at": closes}
    hours, warnings = _hours_of(env, tmp_path, [schedule], day)
    assert hours.weekly == (expected,)
    converted = "Z" in opens
    assert ("converted to Los Angeles time" in hours.note) is converted
    assert any("converted" in w for w in warnings) is converted


def test_a_schedule_listed_on_the_service_and_its_location_counts_once(env: Env, tmp_path: Path) -> None:
    schedule = {"id": "x", "freq": "WEEKLY", "byday": "MO,TU", "opens_at": "9am", "closes_at": "5pm"}
    service = _service_with([schedule])
    service["service_at_locations"] = [{"id": "sal", "schedules": [dict(schedule, id="y")], "location": {"id": "l"}}]
    (tmp_path / "s.json").write_text(json.dumps(service), encoding="utf-8")
    result = _read(env, tmp_path / "s.json")
    hours = result.resources[0].hours
    assert hours is not None and hours.weekly == ("mon-tue 09:00-17:00",)
    assert any("kept once" in w for w in result.warning_lines())


def test_exported_schedules_carry_their_timezone(fixture_store: Store) -> None:
    resources = [Resource.from_dict(json.loads(t)) for t in fixture_store.records(fixture_store.all_ids()).values()]
    services = hsds_export.service_objects(resources, vocabulary(fixture_store))
    schedules = [s for service in services for s in service["schedules"]]
    assert schedules and all(s["timezone"] == -8 for s in schedules)


# -- our own CSV export, read back --------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["fixture_db", "real_db"])
def test_csv_export_imports_back_and_exports_the_same(
    env: Env, tmp_path: Path, which: str, request: pytest.FixtureRequest
) -> None:
    shutil.copyfile(request.getfixturevalue(which), env.bundled)
    count = len(Store(env.bundled).all_ids())
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert env.run("export", "--format", "csv", "--output", str(first))[0] == 0
    code, out, err = env.run("import", str(first))
    assert code == 0, err
    assert f"imported {count} services" in out
    assert env.run("export", "--format", "csv", "--output", str(second))[0] == 0
    assert first.read_text(encoding="utf-8") == second.read_text(encoding="utf-8")


# -- every location of a service ----------------------------------------------------------------------------------


def _two_place_service(tmp_path: Path) -> Path:
    def place(key: str, street: str, city: str, zip_code: str) -> dict[str, Any]:
        address = {"id": f"a-{key}", "address_1": street, "city": city, "state_province": "CA",
                   "postal_code": zip_code, "country": "US", "address_type": "physical"}  # fmt: skip
        return {"id": f"sal-{key}", "location": {"id": f"l-{key}", "name": city, "addresses": [address]}}

    service = _service_with([])
    service["name"] = "Test Twin Clinics"
    service["phones"] = [{"id": "p", "number": "916-555-0190", "type": "voice"}]
    service["service_at_locations"] = [
        place("downtown", "1 Test Capitol Mall", "Sacramento", "95814"),
        place("north", "2 Test Watt Avenue", "North Highlands", "95660"),
    ]
    (tmp_path / "twins.json").write_text(json.dumps(service), encoding="utf-8")
    return tmp_path / "twins.json"


def test_every_location_is_kept_and_the_nearest_wins(env: Env, tmp_path: Path) -> None:
    assert env.run("import", str(_two_place_service(tmp_path)))[0] == 0
    code, out, _ = env.run("search", "twin", "--format", "json")
    [record] = [r for r in json.loads(out) if r["name"] == "Test Twin Clinics"]
    assert record["address"]["city"] == "Sacramento"  # as published: first
    assert [a["city"] for a in record["other_addresses"]] == ["North Highlands"]
    code, text, _ = env.run("show", record["id"])
    assert "Address: 1 Test Capitol Mall" in text and "Also at: 2 Test Watt Avenue, North Highlands" in text
    # near North Highlands, the North Highlands place is the one given, and the distance says which it is
    code, out, _ = env.run("search", "twin", "--near", "95660", "--format", "json")
    [near] = [r for r in json.loads(out) if r["name"] == "Test Twin Clinics"]
    assert near["address"]["city"] == "North Highlands"
    code, table, _ = env.run("search", "twin", "--near", "95660")
    assert "at 2 Test Watt Avenue" in table.replace("\n", " ") or "2 Test Watt" in table
    # both places go out in the HSDS export
    assert env.run("export", "--format", "hsds-json", "--output", str(tmp_path / "out.json"))[0] == 0
    [exported] = [s for s in json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
                  if s["name"] == "Test Twin Clinics"]  # fmt: skip
    cities = [sal["location"]["addresses"][0]["city"] for sal in exported["service_at_locations"]]
    assert cities == ["Sacramento", "North Highlands"]


def test_a_card_near_a_zip_gives_the_nearest_place(env: Env, tmp_path: Path) -> None:
    from nhfind.core import geo
    from nhfind.core.card import card_fields

    result = _read(env, _two_place_service(tmp_path))
    service = geo.at_nearest(result.resources[0], geo.origin("95660"))
    fields = dict(card_fields(service))
    assert fields["Where"].startswith("2 Test Watt Avenue") and "1 Test Capitol Mall" in fields["Also at"]


def test_hours_known_only_as_a_note_go_out_and_come_back(env: Env, tmp_path: Path) -> None:
    first = _read(env, UK / "service_full.json").resources[0]
    assert first.hours is not None and not first.hours.weekly and first.hours.note
    (tmp_path / "out.json").write_text(hsds_export.to_json([first], vocabulary(Store(env.bundled))), encoding="utf-8")
    again = _read(env, tmp_path / "out.json").resources[0]
    assert again.hours == first.hours
