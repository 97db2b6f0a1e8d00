"""Where a service is relative to a ZIP code: the packaged California ZIP-centroid table and straight-line miles.

Core module: pure Python. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.

No street address is geocoded (that needs a network service): a service with a street address and a ZIP code is
placed at that ZIP's centroid, so every distance is "about N mi (ZIP centroid)". A service with no street address
(a hotline, a confidential location, a city-only address) gets no distance at all, never a made-up one.

The table (zip_centroids_ca.csv beside this module) holds every California ZIP with coordinates from GeoNames
(https://www.geonames.org/, CC BY 4.0) as embedded in the `zipcodes` package 3.0.0 (MIT); scripts/
make_zip_centroids.py regenerates it.
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from nhfind.core.errors import UsageError

if TYPE_CHECKING:
    from nhfind.core.models import Address, Resource

TABLE = Path(__file__).resolve().parent / "zip_centroids_ca.csv"
SOURCE = "GeoNames postal-code centroids (CC BY 4.0) via the zipcodes package 3.0.0"
"""Attribution shown with distances."""
EARTH_RADIUS_MI = 3958.8
REMOTE_ACCESS = frozenset({"call", "text", "online", "via-211"})
"""Ways in that need no visit: a service reached only these ways has no fixed place to go to."""
_ZIP = re.compile(r"^(\d{5})(?:-\d{4})?$")

# Placement kinds, best first (the order `sort_key` uses after distance).
LOCATED = "zip-centroid"
NO_ZIP = "no-zip"
ZIP_UNKNOWN = "zip-unknown"
CITY_ONLY = "city-only"
ADDRESS_UNKNOWN = "address-unknown"
CONFIDENTIAL = "confidential"
NO_FIXED_PLACE = "no-fixed-place"
KINDS = (LOCATED, ZIP_UNKNOWN, NO_ZIP, CITY_ONLY, ADDRESS_UNKNOWN, CONFIDENTIAL, NO_FIXED_PLACE)


@dataclass(frozen=True)
class Centroid:
    """The centre point of one ZIP code area."""

    zip: str
    lat: float
    lon: float
    city: str


@dataclass(frozen=True)
class Placement:
    """Where a service is as far as the data says, and how far from the origin when that can be said honestly."""

    kind: str
    """One of KINDS: only "zip-centroid" has a distance."""
    miles: float | None = None
    """Straight-line miles between the two ZIP centroids; None unless kind is "zip-centroid"."""
    zip: str = ""
    """The service's ZIP code where the data gives one."""
    at: str = ""
    """For a service offered at several places: the one this placement is for (the nearest), else blank."""

    @property
    def text(self) -> str:
        """Plain words: "about 2.3 mi (ZIP centroid)", "phone / no fixed place", "location kept confidential"."""
        where = f" at {self.at}" if self.at else ""
        if self.miles is not None:
            if self.miles < 0.05:
                return f"same ZIP ({self.zip}){where}"
            return f"about {self.miles:.1f} mi (ZIP centroid){where}"
        if self.kind == LOCATED:
            return f"ZIP {self.zip}{where}"
        if self.kind == ZIP_UNKNOWN:
            return f"ZIP {self.zip} not in table: no distance"
        return LABELS.get(self.kind, "no distance")


LABELS = {
    LOCATED: "with a distance",
    ZIP_UNKNOWN: "ZIP not in table",
    NO_ZIP: "street but no ZIP: no distance",
    CITY_ONLY: "city only: no distance",
    ADDRESS_UNKNOWN: "address not found",
    CONFIDENTIAL: "location kept confidential",
    NO_FIXED_PLACE: "phone / no fixed place",
}
"""Short words for each kind of placement, for tables and counts."""


@lru_cache(maxsize=1)
def _table() -> dict[str, Centroid]:
    with TABLE.open(encoding="utf-8", newline="") as handle:
        return {
            row["zip"]: Centroid(row["zip"], float(row["lat"]), float(row["lon"]), row["city"])
            for row in csv.DictReader(handle)
        }


def centroid(zip_code: str) -> Centroid | None:
    """The centroid of a California ZIP code ("95660" or "95660-1234"), or None when the table lacks it."""
    match = _ZIP.match(zip_code.strip())
    return _table().get(match[1]) if match else None


def origin(zip_code: str) -> Centroid:
    """The centroid of the ZIP a user gave, to measure from.

    Raises:
        UsageError: not a 5-digit ZIP, or not a California ZIP in the table.
    """
    text = zip_code.strip()
    if not _ZIP.match(text):
        shown = zip_code if len(zip_code) <= 20 else zip_code[:20] + "..."
        raise UsageError(f"{shown!r} is not a ZIP code: give 5 digits, such as 95660 (North Highlands)")
    found = centroid(text)
    if found is None:
        raise UsageError(f"ZIP {text} is not in nhfind's California ZIP table: give a California ZIP such as 95660")
    return found


def miles(a: Centroid, b: Centroid) -> float:
    """Great-circle (straight-line) miles between two points (haversine)."""
    lat1, lat2 = math.radians(a.lat), math.radians(b.lat)
    dlat, dlon = lat2 - lat1, math.radians(b.lon - a.lon)
    h = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_MI * math.asin(math.sqrt(min(1.0, h)))


def _place_address(address: Address, start: Centroid | None) -> Placement:
    if address.confidential:
        return Placement(CONFIDENTIAL)
    if not address.street.strip():
        return Placement(CITY_ONLY if address.city.strip() else ADDRESS_UNKNOWN, zip=address.postal_code)
    point = centroid(address.postal_code) if address.postal_code.strip() else None
    if point is None:
        return Placement(ZIP_UNKNOWN if address.postal_code.strip() else NO_ZIP, zip=address.postal_code)
    return Placement(LOCATED, miles(start, point) if start else None, zip=point.zip)


def nearest(resource: Resource, start: Centroid | None = None) -> tuple[Placement, Address | None]:
    """The placement of the service's nearest place to `start` (its first, without a start or on a tie), and that
    place. A service offered at several places says which one in `Placement.at`."""
    addresses = resource.addresses
    if not addresses:
        remote = bool(resource.access) and set(resource.access) <= REMOTE_ACCESS
        return Placement(NO_FIXED_PLACE if remote else ADDRESS_UNKNOWN), None
    placement, address = min(((_place_address(a, start), a) for a in addresses), key=lambda p: sort_key(p[0]))
    if len(addresses) > 1:
        placement = replace(placement, at=address.street or address.city)
    return placement, address


def place(resource: Resource, start: Centroid | None = None) -> Placement:
    """Where `resource` is, and its distance from `start` when it has a street address with a known ZIP; for a
    service offered at several places, the nearest one.

    Args:
        resource: the service.
        start: the origin (see `origin`); None gives the placement without a distance.
    """
    return nearest(resource, start)[0]


def at_nearest(resource: Resource, start: Centroid) -> Resource:
    """The service with its place nearest to `start` as its address (for a card handed to someone there)."""
    address = nearest(resource, start)[1]
    return resource.at(address) if address is not None and address != resource.address else resource


def sort_key(placement: Placement) -> tuple[int, float]:
    """Nearest first; then services placed without a distance, in KINDS order."""
    if placement.miles is not None:
        return (0, placement.miles)
    return (1 + (KINDS.index(placement.kind) if placement.kind in KINDS else len(KINDS)), 0.0)
