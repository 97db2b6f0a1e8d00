"""Regenerate nhfind/core/zip_centroids_ca.csv: California ZIP centroids for `--near`.

Not run at build or run time (nhfind never fetches anything): a maintainer runs it by hand after
`pip install zipcodes==3.0.0` (MIT; it embeds its data, no download) and commits the CSV.

Source of the coordinates: GeoNames postal codes (https://www.geonames.org/, CC BY 4.0), as embedded in the
`zipcodes` package 3.0.0 (https://pypi.org/project/zipcodes/). A ZIP centroid is an approximate point for the
whole ZIP area, not a geocoded street address.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import zipcodes  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent.parent / "nhfind" / "core" / "zip_centroids_ca.csv"


def main() -> None:
    rows = sorted(
        (z["zip_code"], f"{float(z['lat']):.4f}", f"{float(z['long']):.4f}", z["city"])
        for z in zipcodes.filter_by(state="CA")
        # a few ZIPs carry 0,0 for "no coordinates": leave them out rather than place them off Africa
        if z["lat"] and z["long"] and float(z["lat"]) != 0 and float(z["long"]) != 0
    )
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["zip", "lat", "lon", "city"])
        writer.writerows(rows)
    sys.stderr.write(f"wrote {len(rows)} ZIPs to {OUT}\n")


if __name__ == "__main__":
    main()
