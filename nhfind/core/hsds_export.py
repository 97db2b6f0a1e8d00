"""Records -> Open Referral HSDS 3.0: service objects (schema/service.json) and the Tabular Data Package.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

Deterministic: ids are uuid5 of our ids, records and rows are sorted, nothing depends on the clock, so exporting
twice gives identical files. The mapping (also in docs/data.md):

- service: name, description; website -> url (a bare www.example.org gets https://); email; eligibility ->
  eligibility_description; last_verified -> assured_date; cost note -> fees_description; conflicts -> alert;
  status is always "active".
- phones: number, kind -> type, label/hours/instructions/note -> description ("; "-joined).
- hours: one weekly schedule per range (freq WEEKLY, byday, opens_at, closes_at, timezone -8 = Los Angeles wall
  time, note -> notes); 24/7 is every day 00:00:00-23:59:00; hours known only as a note are one schedule with
  notes alone.
- address (and each further place of a service offered at several): one physical location with one address
  (country US); a confidential location has no address and the
  attribute nhfind:location:confidential; an incomplete address (a city only, say) has no address row either but
  attributes nhfind:address:street/city/state/postal_code with the known parts; the address note -> location
  description.
- cost: one cost_option per value (option = our code, amount_description = its meaning; free has amount 0 USD).
- languages: language objects (code = ISO 639-1, name from our vocabulary). what_to_bring -> required_documents;
  service_area -> service_areas.
- categories: attributes whose taxonomy terms come from Open Eligibility (code, official name) or, where it has no
  term, from our local extension taxonomy "nhfind" (code nhfind:<category>).
- populations, access, confidentiality, keywords and our ids: attributes with nhfind terms
  (nhfind:population:<v>, nhfind:access:<v>, nhfind:confidentiality:<v>, nhfind:keyword + value, nhfind:id + value).
Sources are not exported (HSDS 3.0 has no per-fact source); the package says where it comes from in its descriptor.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from nhfind.core.files import replace_folder
from nhfind.core.hours import parse_range
from nhfind.core.models import CONFIDENTIALITY, COSTS, Resource, Vocabulary
from nhfind.core.parse import DAYS, RRULE_DAYS, spreadsheet_safe
from nhfind.core.writers import inert

HSDS_DIR = Path(__file__).resolve().parent.parent / "_hsds"
"""The HSDS 3.0 descriptor and licence (CC BY-SA 4.0) and the Open Eligibility terms (CC BY-SA 3.0)."""
NAMESPACE = uuid.UUID("5b1f6a3e-2f0c-5d7e-9a41-6e68666e6401")
"""Fixed namespace for our uuid5 ids: never change it, or every exported id changes."""
LOCAL = "nhfind"
"""Our local extension taxonomy's name and code prefix."""
OPEN_ELIGIBILITY = "Open Eligibility"
TIMEZONE_OFFSET = -8
"""Written as every schedule's `timezone` (HSDS: a UTC offset): Los Angeles's standard offset. The times are Los
Angeles wall-clock times all year (daylight saving included); nhfind's importer reads -8 and -7 that way."""

TAXONOMIES = {
    OPEN_ELIGIBILITY: "Open Eligibility human-services taxonomy (Aunt Bertha, 2013; CC BY-SA 3.0).",
    LOCAL: "nhfind's local extension: categories Open Eligibility lacks, and populations, access, "
    "confidentiality, keywords and record ids.",
}


def uid(kind: str, key: str) -> str:
    """A stable uuid5 for one of our things ("service", "test-sti-testing")."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}/{key}"))


@lru_cache(maxsize=1)
def open_eligibility_names() -> dict[str, str]:
    """Open Eligibility code -> official name."""
    with (HSDS_DIR / "open-eligibility.csv").open(encoding="utf-8", newline="") as handle:
        return {row["taxonomy_id"]: row["name"] for row in csv.DictReader(handle)}


@lru_cache(maxsize=1)
def descriptor() -> dict[str, Any]:
    """The HSDS 3.0 Tabular Data Package descriptor (datapackage.json)."""
    data: dict[str, Any] = json.loads((HSDS_DIR / "datapackage.json").read_text(encoding="utf-8"))
    return data


def table_fields() -> dict[str, tuple[str, list[str]]]:
    """resource name -> (CSV file name, column names), in the descriptor's order."""
    return {r["name"]: (r["path"], [f["name"] for f in r["schema"]["fields"]]) for r in descriptor()["resources"]}


def _days_of(spec: str) -> tuple[list[int], str, str]:
    openings = parse_range(spec)
    first = openings[0]
    days = sorted({o.day for o in openings})
    opens = f"{first.opens // 60:02d}:{first.opens % 60:02d}:00"
    closes_min = first.closes % (24 * 60)
    closes = f"{closes_min // 60:02d}:{closes_min % 60:02d}:00"
    if first.closes == 24 * 60:
        closes = "24:00:00"
    return days, opens, closes


def _uri(text: str) -> str:
    """HSDS wants a URI: a bare "www.example.org" from our data gets https:// in front."""
    return text if "://" in text or text.startswith("mailto:") else f"https://{text}"


class _Terms:
    """Taxonomy terms made while exporting, each once."""

    def __init__(self, vocab: Vocabulary, org_descriptions: dict[str, str] | None = None) -> None:
        self.vocab = vocab
        self.org_descriptions = org_descriptions or {}
        self.terms: dict[str, dict[str, Any]] = {}

    def term(self, taxonomy: str, code: str, name: str, description: str) -> dict[str, Any]:
        key = f"{taxonomy}/{code}"
        if key not in self.terms:
            self.terms[key] = {
                "id": uid("taxonomy_term", key),
                "code": code,
                "name": name,
                "description": description,
                "taxonomy": taxonomy,
                "taxonomy_id": uid("taxonomy", taxonomy),
            }
        return self.terms[key]

    def category(self, category: str) -> dict[str, Any]:
        label, meaning, oe = self.vocab.categories.get(category, (category, category, f"{LOCAL}:{category}"))
        if oe.startswith(f"{LOCAL}:"):
            return self.term(LOCAL, oe, label, meaning)
        return self.term(OPEN_ELIGIBILITY, oe, open_eligibility_names().get(oe, label), meaning)

    def local(self, facet: str, value: str, meaning: str) -> dict[str, Any]:
        return self.term(LOCAL, f"{LOCAL}:{facet}:{value}", value, meaning or value)


def _attribute(link_entity: str, link_id: str, term: dict[str, Any], link_type: str, value: str = "") -> dict[str, Any]:
    attribute = {
        "id": uid("attribute", f"{link_id}/{term['id']}/{value}"),
        "link_id": link_id,
        "taxonomy_term_id": term["id"],
        "link_type": link_type,
        "link_entity": link_entity,
        "taxonomy_term": dict(term),
    }
    if value:
        attribute["value"] = value
    return attribute


def service_object(resource: Resource, terms: _Terms) -> dict[str, Any]:
    """One record as an HSDS 3.0 service object with its organization, phones, schedules, location and attributes."""
    r = resource
    vocab = terms.vocab
    sid = uid("service", r.id)
    oid = uid("organization", r.organization_id)
    service: dict[str, Any] = {"id": sid, "organization_id": oid, "name": r.name, "description": r.description}
    if r.website:
        service["url"] = _uri(str(r.website.value))
    if r.email:
        service["email"] = str(r.email.value)
    service["status"] = "active"
    if r.cost and r.cost.note:
        service["fees_description"] = r.cost.note
    if r.eligibility:
        service["eligibility_description"] = str(r.eligibility.value)
    if r.last_verified:
        service["assured_date"] = r.last_verified
    if r.conflicts:
        service["alert"] = " | ".join(c.text for c in r.conflicts)
    service["organization"] = {
        "id": oid,
        "name": r.organization,
        "description": terms.org_descriptions.get(r.organization_id, ""),
        "attributes": [
            _attribute("organization", oid, terms.local("id", "organization", "nhfind organization id"), "id",
                       r.organization_id)
        ],
    }  # fmt: skip
    service["phones"] = [
        {
            "id": uid("phone", f"{r.id}/{i}"),
            "service_id": sid,
            "number": p.number,
            "type": p.kind,
            **(
                {"description": d}
                if (d := "; ".join(x for x in (p.label, p.hours, p.instructions, p.note) if x))
                else {}
            ),
        }
        for i, p in enumerate(r.phones)
    ]
    schedules: list[dict[str, Any]] = []
    if r.hours:
        specs = ["mon-sun 00:00-23:59"] if r.hours.always else list(r.hours.weekly)
        for i, spec in enumerate(specs):
            days, opens, closes = _days_of(spec)
            schedule = {
                "id": uid("schedule", f"{r.id}/{i}"),
                "service_id": sid,
                "freq": "WEEKLY",
                "wkst": "MO",
                "byday": ",".join(RRULE_DAYS[d] for d in days),
                "opens_at": opens,
                "closes_at": closes,
                "timezone": TIMEZONE_OFFSET,
            }
            if r.hours.note:
                schedule["notes"] = r.hours.note
            schedules.append(schedule)
        if not specs and r.hours.note:  # hours known only as words ("1st Friday"): a schedule of notes alone
            schedules.append({"id": uid("schedule", f"{r.id}/0"), "service_id": sid, "notes": r.hours.note})
    service["schedules"] = schedules
    service["service_areas"] = (
        [{"id": uid("service_area", r.id), "service_id": sid, "name": r.service_area}] if r.service_area else []
    )
    locations: list[dict[str, Any]] = []
    for i, a in enumerate(r.addresses):
        key = r.id if i == 0 else f"{r.id}/{i}"  # the first keeps the id it always had
        lid = uid("location", key)
        location: dict[str, Any] = {
            "id": lid,
            "location_type": "physical",
            "organization_id": oid,
            "name": r.organization,
        }
        if a.note:
            location["description"] = a.note
        parts = {"street": a.street, "city": a.city, "state": a.state, "postal_code": a.postal_code}
        complete = all(parts.values())  # the tabular format requires every part of an address
        location["addresses"] = (
            []
            if a.confidential or not complete
            else [
                {
                    "id": uid("address", key),
                    "location_id": lid,
                    "address_1": a.street,
                    "city": a.city,
                    "state_province": a.state,
                    "postal_code": a.postal_code,
                    "country": "US",
                    "address_type": "physical",
                }
            ]
        )
        location["attributes"] = (
            [_attribute("location", lid, terms.local("location", "confidential", "Location kept confidential: call."),
                        "location")]
            if a.confidential
            else []
            if complete
            else [_attribute("location", lid, terms.local("address", part, f"Part of an incomplete address: {part}."),
                             "address", value) for part, value in parts.items() if value]
        )  # fmt: skip
        locations.append(
            {"id": uid("service_at_location", key), "service_id": sid, "location_id": lid, "location": location}
        )
    service["service_at_locations"] = locations
    service["languages"] = [
        {
            "id": uid("language", f"{r.id}/{code}"),
            "service_id": sid,
            "name": vocab.languages.get(code, code),
            "code": code,
        }
        for code in r.language_values
    ]
    service["cost_options"] = [
        {
            "id": uid("cost_option", f"{r.id}/{value}"),
            "service_id": sid,
            "option": value,
            **({"currency": "USD", "amount": 0} if value == "free" else {}),
            "amount_description": COSTS.get(value, value),
        }
        for value in r.cost_values
        if value != "unknown"
    ]
    service["required_documents"] = (
        [{"id": uid("required_document", r.id), "service_id": sid, "document": str(r.what_to_bring.value)}]
        if r.what_to_bring
        else []
    )
    attributes = [_attribute("service", sid, terms.local("id", "service", "nhfind record id"), "id", r.id)]
    attributes += [_attribute("service", sid, terms.category(c), "category") for c in r.categories]
    attributes += [
        _attribute("service", sid, terms.local("population", p, vocab.populations.get(p, "")), "population")
        for p in r.populations
    ]
    attributes += [
        _attribute("service", sid, terms.local("access", a, vocab.access.get(a, "")), "access") for a in r.access
    ]
    if r.confidentiality and r.confidentiality_value != "unknown":
        value = r.confidentiality_value
        attributes.append(
            _attribute("service", sid, terms.local("confidentiality", value, CONFIDENTIALITY.get(value, "")),
                       "confidentiality")
        )  # fmt: skip
    attributes += [
        _attribute("service", sid, terms.local("keyword", "keyword", "A search word."), "keyword", k)
        for k in r.keywords
    ]
    service["attributes"] = attributes
    return service


Orgs = dict[str, str] | None
"""organization id -> description (Store.organizations), for the required organization description."""


def service_objects(resources: Iterable[Resource], vocab: Vocabulary, orgs: Orgs = None) -> list[dict[str, Any]]:
    """HSDS 3.0 service objects for `resources`, sorted by our id."""
    terms = _Terms(vocab, orgs)
    return [service_object(r, terms) for r in sorted(resources, key=lambda r: r.id)]


def to_json(resources: Iterable[Resource], vocab: Vocabulary, orgs: Orgs = None) -> str:
    """A JSON array of service objects (`--format hsds-json`)."""
    return json.dumps(service_objects(resources, vocab, orgs), ensure_ascii=False, indent=2) + "\n"


def tables(resources: Iterable[Resource], vocab: Vocabulary, orgs: Orgs = None) -> dict[str, list[dict[str, Any]]]:
    """resource name (as in datapackage.json) -> rows, flattened from the service objects."""
    out: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in table_fields()}
    taxonomy_terms: dict[str, dict[str, Any]] = {}

    def put(table: str, row: dict[str, Any]) -> None:
        flat = {k: v for k, v in row.items() if not isinstance(v, list | dict)}
        out[table].setdefault(flat["id"], flat)

    def put_attributes(rows: list[dict[str, Any]]) -> None:
        for attribute in rows:
            term = attribute["taxonomy_term"]
            taxonomy_terms[term["id"]] = term
            put("attribute", attribute)

    for service in service_objects(resources, vocab, orgs):
        org = service["organization"]
        put("organization", org)
        put_attributes(org["attributes"])
        put("service", service)
        put_attributes(service["attributes"])
        for key, table in (("phones", "phone"), ("schedules", "schedule"), ("service_areas", "service_area"),
                           ("languages", "language"), ("cost_options", "cost_option"),
                           ("required_documents", "required_document")):  # fmt: skip
            for row in service[key]:
                put(table, row)
        for sal in service["service_at_locations"]:
            location = sal["location"]
            put("service_at_location", sal)
            put("location", location)
            put_attributes(location["attributes"])
            for address in location["addresses"]:
                put("address", address)
    for term in sorted(taxonomy_terms.values(), key=lambda t: (t["taxonomy"], t["code"])):
        put("taxonomy_term", term)
    for name in sorted({t["taxonomy"] for t in taxonomy_terms.values()}):
        put("taxonomy", {"id": uid("taxonomy", name), "name": name, "description": TAXONOMIES.get(name, name)})
    return {name: list(rows.values()) for name, rows in out.items()}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number ("-8") is a number to a spreadsheet too, not a formula
    text = str(value) if not isinstance(value, bool) else str(value).lower()
    return spreadsheet_safe(inert(text))


def csv_text(columns: list[str], rows: list[dict[str, Any]]) -> str:
    """One CSV file: the descriptor's columns, formula-safe cells, LF line ends."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


ATTRIBUTION = (
    "This folder is an Open Referral HSDS 3.0 Tabular Data Package written by nhfind.\n\n"
    "datapackage.json is the HSDS 3.0 descriptor: Human Services Data Specification: an Open Referral resource\n"
    "(https://openreferral.org/), licensed CC BY-SA 4.0 (see LICENSE-HSDS). Taxonomy terms with taxonomy\n"
    "'Open Eligibility' come from the Open Eligibility taxonomy (Aunt Bertha, 2013), CC BY-SA 3.0.\n"
    "The records come from nhfind's sourced data; check each service before relying on it.\n"
)


def package_files(resources: Iterable[Resource], vocab: Vocabulary, orgs: Orgs = None) -> dict[str, bytes]:
    """file name -> bytes of the whole Tabular Data Package (every CSV of the descriptor, header-only when empty)."""
    rows = tables(resources, vocab, orgs)
    files = {path: csv_text(columns, rows[name]).encode("utf-8") for name, (path, columns) in table_fields().items()}
    files["datapackage.json"] = (HSDS_DIR / "datapackage.json").read_bytes()
    files["LICENSE-HSDS"] = (HSDS_DIR / "LICENSE").read_bytes()
    files["README.txt"] = ATTRIBUTION.encode("utf-8")
    return files


def write_package(
    resources: Iterable[Resource], vocab: Vocabulary, out_dir: Path, force: bool = False, orgs: Orgs = None
) -> int:
    """Write the package into `out_dir` as a whole: built in a temp folder beside it, then moved into place.

    Returns:
        How many services were written.

    Raises:
        FileExistsError: `out_dir` exists and is not empty, and force is False.
        OSError: the folder could not be written; an existing `out_dir` is left as it was.
    """
    resources = list(resources)
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())) and not force:
        raise FileExistsError(str(out_dir))
    replace_folder(out_dir, package_files(resources, vocab, orgs))
    return len(resources)


__all__ = ["DAYS", "descriptor", "package_files", "service_objects", "tables", "to_json", "uid", "write_package"]
