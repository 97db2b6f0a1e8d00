"""`nhfind import`: each kind of package lands whole, tolerant of messy values, or is refused changing nothing."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections import Counter
from pathlib import Path

import pytest

from nhfind.core import hsds_import, parse
from nhfind.core.dataset import load_dataset
from nhfind.core.db.store import Store
from nhfind.core.errors import DataError
from nhfind.core.models import GRADES, IMPORTED_GRADE
from nhfind.core.search import vocabulary
from tests.conftest import FIXTURE_DATA
from tests.hsds.conftest import FIXTURES, Env

# (fixture, a word to search for, a service name it finds, a phone and the hours `show` must print)
CASES = [
    ("hsds3-tabular", "grocery", "Riverbend Grocery Pickup", "916-555-0140", "tue,thu 09:00-16:00; sat 10:30-12:00"),
    ("hsds3.json", "warmline", "Harbor Light Test Warmline", "916-555-0161", "mon,wed,fri 18:00-22:00"),
    ("hsds11-tabular", "clearing", "Oakridge Record Clearing Nights", "916-555-0170", "tue,thu 17:00-20:00"),
    ("spreadsheet.csv", "showers", "Maple Test Drop-in Centre", "916-555-0181", "mon-fri 09:00-15:30; sat 10:00-13:00"),
]


def _digest(*files: Path) -> dict[str, str]:
    return {str(f): hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "absent" for f in files}


@pytest.mark.parametrize(("fixture", "word", "name", "phone", "hours"), CASES, ids=[c[0] for c in CASES])
def test_imported_services_are_found_and_shown(
    env: Env, fixture: str, word: str, name: str, phone: str, hours: str
) -> None:
    code, out, err = env.run("import", str(FIXTURES / fixture))
    assert code == 0, err
    code, out, _ = env.run("search", word, "--format", "json")
    assert code == 0
    found = [r for r in json.loads(out) if r["name"] == name]
    assert len(found) == 1
    code, text, _ = env.run("show", found[0]["id"])
    assert code == 0
    flat = " ".join(text.split())  # `show` wraps to the terminal
    assert phone in flat and "CHECK BEFORE RELYING" in flat and "grade imported" in flat
    hours_line = next(line for line in text.splitlines() if line.startswith("Hours:"))
    assert "unknown" not in hours_line.lower()
    record = json.loads(env.run("show", found[0]["id"], "--format", "json")[1])
    assert hours == ("24/7" if record["hours"]["always"] else "; ".join(record["hours"]["weekly"]))
    # the bundled records are still there
    assert env.run("show", "test-sti-testing")[0] == 0


def test_all_fixtures_together_and_their_export_validates(env: Env, tmp_path: Path) -> None:
    from tests.hsds.test_export import validator

    for fixture, *_ in CASES:
        assert env.run("import", str(FIXTURES / fixture))[0] == 0
    code, out, _ = env.run("db", "layers")
    assert code == 0 and "overlay" in out and "8 services" in out and "14 services" in out
    code, out, _ = env.run("db", "info")
    assert "services: 14" in out and "oldest 2025-01-15" in out  # records without a date do not count as oldest
    assert env.run("export", "--format", "hsds-json", "--output", str(tmp_path / "all.json"))[0] == 0
    services = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert len(services) == 14
    for service in services:
        assert not list(validator("service.json").iter_errors(service)), service["name"]
    assert env.run("export", "--format", "hsds", "--output", str(tmp_path / "pkg"))[0] == 0


def test_imported_records_never_get_our_grades(env: Env) -> None:
    vocab = vocabulary(Store(env.bundled))
    for fixture, *_ in CASES:
        result = hsds_import.read(FIXTURES / fixture, vocab)
        assert result.resources
        for resource in result.resources:
            grades = {s.grade for s in resource.sources.values()}
            assert grades == {IMPORTED_GRADE}, resource.id
            assert all(resource.is_weak(key) for key in resource.sources)
    assert IMPORTED_GRADE in GRADES


def test_provenance_and_mapping_of_an_hsds3_package(env: Env) -> None:
    result = hsds_import.read(FIXTURES / "hsds3-tabular", vocabulary(Store(env.bundled)))
    by_name = {r.name: r for r in result.resources}
    assert "Lantern Old Program" not in by_name  # defunct
    grocery = by_name["Riverbend Grocery Pickup"]
    assert grocery.last_verified == "2026-10-01"  # assured_date
    assert grocery.sources["import"].url == str((FIXTURES / "hsds3-tabular").resolve())
    assert "pantry.example.org" in grocery.sources["import"].title
    assert grocery.categories == ("food",)  # Open Eligibility 102
    assert grocery.cost_values == ("free",)  # amount 0
    assert grocery.language_values == ("en", "es")  # "Spanish" by name
    assert grocery.address is not None and grocery.address.street == "12 Test River Road"
    assert grocery.address.note == "Side door by the car park."
    assert grocery.hours is not None and grocery.hours.note == "Closed on public holidays."
    testing = by_name["Lantern Evening Testing"]
    assert testing.categories == ("sexual-health",) and testing.populations == ("adults",)
    assert "Evening hours" in testing.keywords  # a term we do not use stays searchable
    assert [p.kind for p in testing.phones] == ["text", "voice"]  # sms, cell
    assert testing.phones[1].number == "916-555-0141 ext. 12"
    warnings = " ".join(result.warning_lines())
    assert "internal_color" in warnings and "defunct" in warnings


def test_hsds11_weekday_rows_are_joined_into_ranges(env: Env) -> None:
    result = hsds_import.read(FIXTURES / "hsds11-tabular", vocabulary(Store(env.bundled)))
    by_name = {r.name: r for r in result.resources}
    assert result.format.startswith("HSDS 1")
    benefits = by_name["Oakridge Benefits Help"]
    assert benefits.hours is not None and benefits.hours.weekly == ("mon,wed 09:00-12:00", "fri 13:00-16:30")
    assert benefits.categories == ("benefits",) and benefits.phones[0].kind == "fax"
    clearing = by_name["Oakridge Record Clearing Nights"]
    assert clearing.eligibility is not None and clearing.eligibility.value == "Adults with a California record"
    assert clearing.cost_values == ("free",) and clearing.language_values == ("en", "vi")
    assert clearing.address is not None and clearing.address.city == "North Highlands"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("9am", "09:00"), ("4:00 PM", "16:00"), ("17:00", "17:00"), ("17:00:00", "17:00"), ("12pm", "12:00"),
     ("12am", "00:00"), ("9:30 a.m.", "09:30"), ("0830", "08:30"), ("10 PM", "22:00")],
)  # fmt: skip
def test_times_are_read_tolerantly(text: str, expected: str) -> None:
    assert parse.parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13pm", "noonish", "9:75", ""])
def test_impossible_times_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a time"):
        parse.parse_time(text)


def _broken_copy(tmp_path: Path, file: str, row: int, column: str, value: str) -> Path:
    package = tmp_path / "broken"
    shutil.copytree(FIXTURES / "hsds3-tabular", package)
    with (package / file).open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
        fields = list(rows[0])
    rows[row - 2][column] = value
    with (package / file).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return package


@pytest.mark.parametrize(
    ("file", "row", "column", "value", "says"),
    [
        ("schedules.csv", 3, "opens_at", "25pm", "is not a time"),
        ("schedules.csv", 2, "byday", "XX", "is not a day"),
        ("phones.csv", 4, "service_id", "no-such-service", "is not an id in services.csv"),
        ("phones.csv", 2, "number", "", "required"),
        ("services.csv", 3, "name", "", "required"),
        ("services.csv", 2, "assured_date", "last spring", "is not a date"),
    ],
)
def test_a_broken_row_is_refused_and_nothing_changes(
    env: Env, tmp_path: Path, file: str, row: int, column: str, value: str, says: str
) -> None:
    # an earlier import, so there is an overlay and a merged database to keep intact
    assert env.run("import", str(FIXTURES / "spreadsheet.csv"))[0] == 0
    files = [env.data_dir / "overlay.json", env.data_dir / "merged.db", env.data_dir / "merged.json", env.bundled]
    before = _digest(*files)
    listing = sorted(p.name for p in env.data_dir.iterdir())
    code, out, err = env.run("import", str(_broken_copy(tmp_path, file, row, column, value)))
    assert code == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert (
        f"{file} row {row}, column '{column}'" in lines[0] and says in lines[0] and "nothing was imported" in lines[0]
    )
    assert _digest(*files) == before
    assert sorted(p.name for p in env.data_dir.iterdir()) == listing  # no temp files left behind
    code, out, _ = env.run("search", "grocery")
    assert code == 1  # nothing from the broken package


def test_a_broken_json_service_names_item_and_field(env: Env, tmp_path: Path) -> None:
    data = json.loads((FIXTURES / "hsds3.json").read_text(encoding="utf-8"))
    data["contents"][1]["schedules"][0]["closes_at"] = "half past never"
    (tmp_path / "bad.json").write_text(json.dumps(data), encoding="utf-8")
    code, _, err = env.run("import", str(tmp_path / "bad.json"))
    assert code == 2
    assert "bad.json item 2, field 'schedules[0].closes_at'" in err and "is not a time" in err
    assert not (env.data_dir / "overlay.json").exists()


def test_a_spreadsheet_with_an_unknown_category_suggests_the_right_one(env: Env, tmp_path: Path) -> None:
    text = (FIXTURES / "spreadsheet.csv").read_text(encoding="utf-8").replace("harm-reduction; food", "harm-reductoin")
    (tmp_path / "mine.csv").write_text(text, encoding="utf-8")
    code, _, err = env.run("import", str(tmp_path / "mine.csv"))
    assert code == 2
    assert "mine.csv row 3, column 'categories'" in err and "did you mean harm-reduction" in err


def test_dry_run_writes_nothing(env: Env) -> None:
    code, out, _ = env.run("import", str(FIXTURES / "hsds3.json"), "--dry-run")
    assert code == 0 and "checked 2 services" in out
    assert not env.data_dir.exists() or not any(env.data_dir.iterdir())


def test_reimporting_a_file_replaces_its_records(env: Env) -> None:
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    code, out, _ = env.run("import", str(FIXTURES / "hsds3.json"))
    assert code == 0 and "your overlay holds 2" in out


def test_data_files_may_not_claim_the_imported_grade(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_DATA, data)
    clinic = data / "organizations" / "test-clinic.toml"
    clinic.write_text(
        clinic.read_text(encoding="utf-8").replace('grade = "high"', 'grade = "imported"'), encoding="utf-8"
    )
    with pytest.raises(DataError, match="'imported' is not one of seed, high, medium, low"):
        load_dataset(data)


def test_warning_summary_counts_repeats() -> None:
    result = hsds_import.ImportResult((), "x", Path("."), Counter({"a thing": 3, "another": 1}))
    assert result.warning_lines() == ["3 x a thing", "another"]


def test_a_spreadsheet_saved_with_semicolons_is_read(env: Env, tmp_path: Path) -> None:
    with (FIXTURES / "spreadsheet.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with (tmp_path / "semi.csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    result = hsds_import.read(tmp_path / "semi.csv", vocabulary(Store(env.bundled)))
    assert {r.id for r in result.resources} == {"local-maple-test-drop-in-centre", "maple-safe-rooms"}
    rooms = {r.id: r for r in result.resources}["maple-safe-rooms"]
    assert rooms.hours is not None and rooms.hours.always and rooms.address is not None and rooms.address.confidential


def test_a_package_without_a_name_column_says_so(env: Env, tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(FIXTURES / "hsds3-tabular", package)
    text = (package / "services.csv").read_text(encoding="utf-8")
    (package / "services.csv").write_text(text.replace(",name,", ",title,", 1), encoding="utf-8")
    code, _, err = env.run("import", str(package))
    assert code == 2 and "services.csv row 1, column 'name': is missing from the header" in err


def test_a_number_and_hours_given_only_for_the_place_are_used(env: Env, tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    shutil.copytree(FIXTURES / "hsds11-tabular", package)
    location_rows = "\nph-3,loc-1,,,,,916-555-0179,,voice,,Front desk\n"
    (package / "phones.csv").write_text(
        (package / "phones.csv").read_text(encoding="utf-8").replace("\nph-2,,svc-2,,,,916-555-0171,,fax,,\n", "\n")
        .rstrip("\n") + location_rows, encoding="utf-8")  # fmt: skip
    with (package / "regular_schedules.csv").open("a", encoding="utf-8") as handle:
        handle.write("rs-6,,loc-1,,Saturday,10am,2pm\n")
    (package / "regular_schedules.csv").write_text(
        "\n".join(line for line in (package / "regular_schedules.csv").read_text(encoding="utf-8").splitlines()
                  if ",svc-2," not in line) + "\n", encoding="utf-8")  # fmt: skip
    result = hsds_import.read(package, vocabulary(Store(env.bundled)))
    by_name = {r.name: r for r in result.resources}
    benefits = by_name["Oakridge Benefits Help"]  # no number or hours of its own: the office's
    assert [p.number for p in benefits.phones] == ["916-555-0179"]
    assert benefits.hours is not None and benefits.hours.weekly == ("sat 10:00-14:00",)
    clearing = by_name["Oakridge Record Clearing Nights"]  # its own number and hours win
    assert [p.number for p in clearing.phones] == ["916-555-0170"]
    assert clearing.hours is not None and clearing.hours.weekly == ("tue,thu 17:00-20:00",)


@pytest.mark.parametrize("shape", ["page", "array", "one service"])
def test_hsds_json_comes_as_a_page_an_array_or_one_service(env: Env, tmp_path: Path, shape: str) -> None:
    services = json.loads((FIXTURES / "hsds3.json").read_text(encoding="utf-8"))["contents"]
    data = {"page": {"contents": services}, "array": services, "one service": services[0]}[shape]
    (tmp_path / "s.json").write_text(json.dumps(data), encoding="utf-8")
    result = hsds_import.read(tmp_path / "s.json", vocabulary(Store(env.bundled)))
    names = sorted(r.name for r in result.resources)
    expected = ["Harbor Light Test Night Shelter", "Harbor Light Test Warmline"]
    assert names == (expected[:1] if shape == "one service" else expected)
