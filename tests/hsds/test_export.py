"""`nhfind export --format hsds / hsds-json / csv-template`: valid HSDS 3.0, stable, and round-trippable."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import uuid
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from nhfind.core import hsds_export, hsds_import
from nhfind.core.db.store import Store
from nhfind.core.search import search, vocabulary
from tests.hsds.conftest import FIXTURES, SCHEMA_DIR, Env


def _registry() -> Registry:
    resources = [
        (path.name, DRAFT202012.create_resource(json.loads(path.read_text(encoding="utf-8"))))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
        if path.name != "openapi.json"
    ]
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(schema_file: str) -> jsonschema.Draft202012Validator:
    """A validator for one bundled HSDS schema, resolving its $refs to the other files."""
    return jsonschema.Draft202012Validator(
        {"$ref": schema_file}, registry=REGISTRY, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _export(db: Path) -> list[dict[str, Any]]:
    store = Store(db)
    services: list[dict[str, Any]] = json.loads(hsds_export.to_json(search(store).results, vocabulary(store)))
    return services


def test_the_validator_rejects_a_broken_service() -> None:
    """Guards the tests below: the schema set really validates (a vacuous validator would pass anything)."""
    errors = list(validator("service.json").iter_errors({"id": "not-a-uuid", "status": "open",
                                                        "phones": [{"id": str(uuid.uuid4())}]}))  # fmt: skip
    messages = " ".join(e.message for e in errors)
    assert "'name' is a required property" in messages
    assert "is not a 'uuid'" in messages and "'number' is a required property" in messages


@pytest.mark.parametrize("which", ["fixture_db", "real_db"])
def test_every_exported_service_validates_against_the_hsds_schema(which: str, request: pytest.FixtureRequest) -> None:
    services = _export(request.getfixturevalue(which))
    assert services
    check = validator("service.json")
    for service in services:
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in check.iter_errors(service)]
        assert not errors, f"{service['name']}: {errors[:3]}"
        assert service.get("url", "https://").startswith(("http://", "https://"))


def _read_package(folder: Path) -> dict[str, tuple[list[str], list[dict[str, str]]]]:
    out = {}
    for name, (path, _columns) in hsds_export.table_fields().items():
        with (folder / path).open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            out[name] = (list(reader.fieldnames or []), list(reader))
    return out


@pytest.mark.parametrize("which", ["fixture_db", "real_db"])
def test_the_tabular_package_follows_the_descriptor(which: str, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    store = Store(request.getfixturevalue(which))
    hsds_export.write_package(search(store).results, vocabulary(store), tmp_path / "pkg")
    descriptor = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor["version"].startswith("3.0") and descriptor["license"]["type"] == "CC-BY-SA-4.0"
    assert "Open Referral" in (tmp_path / "pkg" / "README.txt").read_text(encoding="utf-8")
    tables = _read_package(tmp_path / "pkg")
    keys: dict[str, set[str]] = {}
    for resource in descriptor["resources"]:
        header, rows = tables[resource["name"]]
        fields = resource["schema"]["fields"]
        assert header == [f["name"] for f in fields], resource["path"]
        for number, row in enumerate(rows, start=2):
            where = f"{resource['path']} row {number}"
            for f in fields:
                value = row[f["name"]]
                if f.get("constraints", {}).get("required"):
                    assert value != "" or f["name"] in ("description",), f"{where}: {f['name']} is required"
                if value and f.get("format") == "uuid":
                    assert str(uuid.UUID(value)) == value, where
                if value and f["type"] == "number":
                    float(value)
                if value and f["type"] == "date":
                    dt.date.fromisoformat(value)
                if value and f["type"] == "time":
                    dt.time.fromisoformat(value)
        keys[resource["name"]] = {row["id"] for row in rows}
        assert len(keys[resource["name"]]) == len(rows), f"{resource['path']}: ids not unique"
    assert tables["service"][1], "no services exported"
    for resource in descriptor["resources"]:
        for fk in resource["schema"].get("foreignKeys", []):
            target = keys[fk["reference"]["resource"]]
            for row in tables[resource["name"]][1]:
                value = row[fk["fields"]]
                assert not value or value in target, f"{resource['path']}: {fk['fields']} {value} dangles"


def test_exporting_twice_gives_identical_files(env: Env, tmp_path: Path) -> None:
    assert env.run("export", "--format", "hsds", "--output", str(tmp_path / "a"))[0] == 0
    assert env.run("export", "--format", "hsds", "--output", str(tmp_path / "b"))[0] == 0
    assert env.run("export", "--format", "hsds-json", "--output", str(tmp_path / "a.json"))[0] == 0
    assert env.run("export", "--format", "hsds-json", "--output", str(tmp_path / "b.json"))[0] == 0
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert "services.csv" in names and names == sorted(p.name for p in (tmp_path / "b").iterdir())
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()


@pytest.mark.parametrize("which", ["fixture_db", "real_db"])
def test_round_trip_export_import_export_is_identical(
    env: Env, tmp_path: Path, which: str, request: pytest.FixtureRequest
) -> None:
    """export hsds -> nhfind import -> export hsds gives the same files, byte for byte."""
    shutil.copyfile(request.getfixturevalue(which), env.bundled)
    count = len(Store(env.bundled).all_ids())
    first, second = tmp_path / "first", tmp_path / "second"
    assert env.run("export", "--format", "hsds", "--output", str(first))[0] == 0
    code, out, err = env.run("import", str(first))
    assert code == 0, err
    assert f"imported {count} services" in out
    # every record now comes from the overlay (same ids), graded "imported"
    code, out, _ = env.run("show", Store(env.bundled).all_ids()[0], "--format", "json")
    assert set(json.loads(out)["sources"]) == {"import"} and json.loads(out)["sources"]["import"]["grade"] == "imported"
    assert env.run("export", "--format", "hsds", "--output", str(second))[0] == 0
    for path in sorted(first.iterdir()):
        assert path.read_bytes() == (second / path.name).read_bytes(), path.name


def test_json_round_trip_is_identical(fixture_store: Store, tmp_path: Path) -> None:
    vocab = vocabulary(fixture_store)
    first = hsds_export.to_json(search(fixture_store).results, vocab)
    (tmp_path / "x.json").write_text(first, encoding="utf-8")
    again = hsds_import.read(tmp_path / "x.json", vocab)
    assert hsds_export.to_json(again.resources, vocab) == first


def test_categories_go_out_as_open_eligibility_or_local_terms(fixture_store: Store) -> None:
    services = {s["attributes"][0]["value"]: s for s in _export(fixture_store.path)}
    terms = [a["taxonomy_term"] for a in services["test-sti-testing"]["attributes"] if a["link_type"] == "category"]
    assert {(t["taxonomy"], t["code"]) for t in terms} == {
        ("Open Eligibility", "106-06-04-02"),  # sexual-health
        ("Open Eligibility", "106-06"),  # medical-care
    }
    assert {t["name"] for t in terms} == {"Disease Screening", "Medical Care"}  # Open Eligibility's own names
    populations = {a["taxonomy_term"]["code"] for a in services["test-sti-testing"]["attributes"]
                   if a["link_type"] == "population"}  # fmt: skip
    assert populations == {"nhfind:population:adults", "nhfind:population:youth"}
    costs = {c["option"]: c.get("amount") for c in services["test-primary-care"]["cost_options"]}
    assert costs == {"sliding-scale": None, "medi-cal": None}
    police = services["test-police-tips"]["attributes"]
    assert "nhfind:confidentiality:law-enforcement" in {a["taxonomy_term"]["code"] for a in police}


def test_hostile_text_is_inert_in_the_package_and_survives_the_round_trip(env: Env, tmp_path: Path) -> None:
    assert env.run("export", "--format", "hsds", "--output", str(tmp_path / "p"))[0] == 0
    services = (tmp_path / "p" / "services.csv").read_text(encoding="utf-8")
    assert "\x1b" not in services and "\x07" not in services
    rows = {r["name"]: r for r in csv.DictReader(io.StringIO(services))}
    assert '\'=HYPERLINK("http://evil.example","click")' in rows  # a spreadsheet shows it as text
    phones = (tmp_path / "p" / "phones.csv").read_text(encoding="utf-8")
    assert "'+1 916 555 0177" in phones
    assert env.run("import", str(tmp_path / "p"))[0] == 0
    code, out, _ = env.run("show", "test-formula", "--format", "json")
    record = json.loads(out)
    assert record["name"] == '=HYPERLINK("http://evil.example","click")'  # the apostrophe was ours, not data
    assert record["phones"][0]["number"] == "+1 916 555 0177"


def test_hsds_export_needs_an_output_folder_and_refuses_to_overwrite(env: Env, tmp_path: Path) -> None:
    code, _, err = env.run("export", "--format", "hsds")
    assert code == 2 and "--output DIR" in err
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("mine")
    code, _, err = env.run("export", "--format", "hsds", "--output", str(tmp_path / "full"))
    assert code == 2 and "--force" in err
    assert (tmp_path / "full" / "keep.txt").read_text() == "mine"


def test_csv_template_lists_the_documented_columns(env: Env, tmp_path: Path) -> None:
    code, out, _ = env.run("export", "--format", "csv-template")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][:3] == ["id", "name", "organization"] and "hours" in rows[0] and "source" in rows[0]
    assert len(rows) == 2 and rows[1][0].startswith("#") and all(rows[1])  # every column explained
    (tmp_path / "blank.csv").write_text(out, encoding="utf-8")
    code, _, err = env.run("import", str(tmp_path / "blank.csv"))
    assert code == 2 and "no services" in err


def test_organizations_carry_their_descriptions_out_and_back(env: Env, tmp_path: Path) -> None:
    fixture = hsds_import.read(FIXTURES / "hsds3.json", vocabulary(Store(env.bundled)))
    assert fixture.organizations == {"harbor-light-test-mission": "A fictional mission for tests."}
    assert env.run("import", str(FIXTURES / "hsds3.json"))[0] == 0
    assert env.run("export", "warmline", "--format", "hsds-json", "--output", str(tmp_path / "w.json"))[0] == 0
    (service,) = json.loads((tmp_path / "w.json").read_text(encoding="utf-8"))
    assert service["organization"]["description"] == "A fictional mission for tests."
    assert env.run("export", "--format", "hsds", "--output", str(tmp_path / "p"))[0] == 0
    with (tmp_path / "p" / "organizations.csv").open(encoding="utf-8", newline="") as handle:
        descriptions = {row["name"]: row["description"] for row in csv.DictReader(handle)}
    assert descriptions["Test Health Clinic"] == "A fictional clinic for tests."  # from data/ (the base database)
