"""Write a seeded synthetic data/ folder of N services, for benchmarks only.

    python benchmarks/generate.py --n 100000 --seed 1 --out /tmp/bench-data
    nhfind db build --data /tmp/bench-data --output /tmp/bench.db

The output is the real input format (see data/README.md): DIR/vocabulary.toml (a copy of data/vocabulary.toml) and
DIR/organizations/*.toml, about 10 services per organization file, so `nhfind db build` runs its real validation and
write path over it. Every record is plainly fake: names drawn from word lists, "(synthetic)" organizations,
example.org addresses, 555-01xx phone numbers, and a description that says so. Nothing here is a real service.

Sizes and mixes aim at a county or statewide 211 export: 1 to 3 categories (a few common, a long tail), ~60-word
descriptions whose words follow a Zipf-like curve over a few thousand terms (so a common word such as "support"
matches a large share of the index, as in real data), optional facts present at rates like the bundled data's.
Standard library only; the same --n and --seed always give the same bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import random
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VOCABULARY = ROOT / "data" / "vocabulary.toml"
SERVICES_PER_FILE = 10

# Vocabulary ids as in data/vocabulary.toml, with weights: a few categories hold most services, as in 211 data.
CATEGORIES = {
    "food": 14, "housing": 12, "medical-care": 11, "mental-health": 9, "benefits": 8, "jobs": 7,
    "substance-use": 6, "family-support": 6, "legal-aid": 5, "shelter": 5, "sexual-health": 3,
    "crisis-line": 3, "information": 3, "violence-support": 2, "harm-reduction": 2, "community": 2,
    "exit-programs": 1, "trafficking-support": 1, "diversion": 1, "reporting": 1, "emergency": 0.5,
}  # fmt: skip
POPULATIONS = {
    "anyone": 30, "adults": 15, "families": 8, "youth": 7, "women": 6, "unhoused": 6, "residents": 5,
    "children": 4, "minors": 3, "mothers": 2, "people-who-use-drugs": 2, "lgbtq": 2, "uninsured": 2,
    "foster-youth": 1, "native-american": 1, "trafficking-survivors": 1, "people-in-sex-work": 1,
}  # fmt: skip
ACCESS = {"call": 30, "walk-in": 20, "appointment": 18, "referral": 8, "online": 8, "text": 5, "via-211": 3, "court": 1}
LANGUAGES = {"en": 50, "es": 30, "ru": 5, "vi": 5}
COSTS = {"free": 50, "low-cost": 10, "sliding-scale": 12, "medi-cal": 15, "insurance": 8, "unknown": 5}
CONFIDENTIALITY = {"confidential": 40, "standard": 35, "anonymous-ok": 15, "unknown": 7, "law-enforcement": 3}
GRADES = {"high": 60, "medium": 30, "low": 10}

# What a service is called, per category: "<place> <qualifier> <kind>", e.g. "Oakmont Family Food Pantry".
KINDS = {
    "food": ["Food Pantry", "Community Kitchen", "Meal Program", "Food Bank", "Grocery Share"],
    "housing": ["Housing Navigation", "Rapid Rehousing", "Transitional Housing", "Rental Assistance"],
    "medical-care": ["Health Clinic", "Medical Center", "Urgent Care", "Community Clinic", "Mobile Clinic"],
    "mental-health": ["Counseling Center", "Wellness Program", "Peer Support", "Behavioral Health"],
    "benefits": ["Benefits Office", "Enrollment Help", "Assistance Desk"],
    "jobs": ["Career Center", "Job Training", "Employment Services", "Workforce Program"],
    "substance-use": ["Recovery Center", "Detox Program", "Treatment Services", "Sober Living"],
    "family-support": ["Family Resource Center", "Parenting Program", "Child Care Help"],
    "legal-aid": ["Legal Clinic", "Law Project", "Record Clearing Clinic", "Tenant Rights"],
    "shelter": ["Shelter", "Night Shelter", "Emergency Beds", "Respite Center"],
    "sexual-health": ["Testing Clinic", "Sexual Health Clinic", "PrEP Program"],
    "crisis-line": ["Crisis Line", "Support Line", "Warmline", "Helpline"],
    "information": ["Referral Line", "Resource Desk", "Information Line"],
    "violence-support": ["Safe House", "Advocacy Program", "Survivor Services"],
    "harm-reduction": ["Syringe Services", "Harm Reduction Outreach", "Naloxone Program"],
    "community": ["Neighborhood Council", "Community Association", "Residents Group"],
    "exit-programs": ["Exit Program", "Pathways Program", "New Start Program"],
    "trafficking-support": ["Survivor Advocacy", "Anti-Trafficking Program"],
    "diversion": ["Diversion Program", "Court Alternative"],
    "reporting": ["Tip Line", "Reporting Line"],
    "emergency": ["Emergency Line"],
}  # fmt: skip
PLACES = [
    "Oakmont", "Riverbend", "Cedar Hill", "Maple Grove", "Lakeside", "Pine Valley", "Harbor View", "Stonebridge",
    "Willow Creek", "Fairview", "Brookside", "Elm Park", "Sunnyslope", "Westfield", "Northgate", "Eastwood",
    "Granite Bay", "Meadowlark", "Redwood", "Silver Lake", "Foxhollow", "Ashford", "Clearwater", "Highland",
    "Juniper", "Kingsley", "Linden", "Marigold", "Norwood", "Orchard", "Prairie", "Quarry", "Ridgecrest",
    "Sagebrush", "Timberline", "Upland", "Valley Oak", "Whitmore", "Yarrow", "Zephyr", "Alder", "Birchwood",
    "Copperfield", "Driftwood", "Evergreen", "Fernhill", "Goldfield", "Hawthorne", "Ironwood", "Jasmine",
]  # fmt: skip
QUALIFIERS = [
    "", "", "", "Community", "Family", "Youth", "Neighborhood", "County", "Women's", "Veterans", "Senior",
    "Downtown", "Mobile", "Regional", "Open Door", "New Hope", "Bridge", "Unity", "Harvest", "Beacon",
]  # fmt: skip
ORG_KINDS = ["Community Services", "Health Network", "Outreach", "Alliance", "Foundation", "Coalition",
             "Collective", "Partners", "Center", "Mission", "Association", "Project"]  # fmt: skip
STREETS = ["Main St", "Oak Ave", "Elm St", "Watt Ave", "Center Blvd", "Mill Rd", "Park Way", "Lake Dr",
           "Hill St", "River Rd", "Pine St", "First Ave", "Second St", "Market St", "Orchard Ln"]  # fmt: skip
CITIES = ["Exampleton", "Sampleville", "Testburg", "Mockford", "Placeholder City", "Fakeport"]

# Description words: a domain core (frequent) and a generated long tail, drawn on a Zipf-like curve.
CORE_WORDS = (  # noqa: SIM905 (a paragraph of words reads better than a 120-item list)
    "support services help people clients care program free community access offers provides staff "
    "appointment walk referral housing food health clinic counseling case management family youth adults "
    "children women safety confidential treatment recovery shelter emergency crisis legal benefits job training "
    "education transportation meals groceries testing prevention outreach advocacy resources local county "
    "residents eligible income documents language interpreters weekdays evenings weekends phone call visit "
    "apply enrollment assistance short term long stay bed night day week month year basic needs mental "
    "wellness peer groups classes workshops navigation connect partners intake screening medical dental vision "
    "prescriptions insurance uninsured low cost sliding scale fee discount vouchers clothing hygiene showers "
    "laundry storage mail address identification records court fines tickets rent deposit utilities energy"
).split()
SYLLABLES = ("ka", "lo", "mi", "ne", "ru", "ta", "vi", "zo", "ber", "dan", "fel", "gor", "hal", "jin", "kor",
             "lum", "mar", "nor", "pel", "quin", "ros", "sel", "tor", "vel", "wen", "yar")  # fmt: skip
SENTENCE_OPENERS = ("This synthetic record describes", "Staff here", "The program", "Clients can", "It", "Visitors")


class Picker:
    """Seeded weighted choices, with the cumulative weights computed once."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cum: dict[int, tuple[list[str], list[float]]] = {}

    def weighted(self, table: dict[str, float], k: int = 1) -> list[str]:
        key = id(table)
        if key not in self._cum:
            self._cum[key] = (list(table), list(itertools.accumulate(table.values())))
        names, cum = self._cum[key]
        chosen = self.rng.choices(names, cum_weights=cum, k=k * 2)
        return list(dict.fromkeys(chosen))[:k]


def _tail_words(rng: random.Random, n: int) -> list[str]:
    words: set[str] = set()
    while len(words) < n:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _q(text: str) -> str:
    """A TOML basic string (JSON's escapes are valid TOML)."""
    return json.dumps(text)


def _qs(items: list[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


class Generator:
    """Builds organization files one at a time from one seeded random stream."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.pick = Picker(self.rng)
        self.words = CORE_WORDS + _tail_words(self.rng, 4000)
        # Zipf-like, flattened at the head: weight 1/(rank + 20), core words first, then the tail; the top word
        # ("support") lands in roughly 40% of descriptions, a mid-table one in a few percent.
        self.word_cum = list(itertools.accumulate(1.0 / (r + 20) for r in range(len(self.words))))

    def description(self, name: str) -> str:
        rng = self.rng
        target = rng.randint(45, 75)
        out: list[str] = [f"{name} is a synthetic benchmark record, not a real service."]
        count = len(out[0].split())
        while count < target:
            n = rng.randint(6, 14)
            body = rng.choices(self.words, cum_weights=self.word_cum, k=n)
            sentence = f"{rng.choice(SENTENCE_OPENERS)} {' '.join(body)}."
            out.append(sentence)
            count += n + 1
        return " ".join(out)

    def hours(self, source: str) -> str | None:
        roll = self.rng.random()
        if roll < 0.1:
            return f'hours = {{ value = "24/7", source = "{source}" }}'
        if roll < 0.7:
            opens, closes = self.rng.choice([(8, 17), (9, 17), (8, 16), (10, 18), (7, 15)])
            weekly = [f"mon-fri {opens:02d}:00-{closes:02d}:00"]
            if self.rng.random() < 0.3:
                weekly.append("sat 10:00-14:00")
            return f'hours = {{ weekly = {_qs(weekly)}, source = "{source}" }}'
        return None

    def service(self, org_id: str, index: int, place: str, number: int) -> str:
        rng, pick = self.rng, self.pick
        categories = pick.weighted(CATEGORIES, rng.choice((1, 1, 2, 2, 3)))
        kind = rng.choice(KINDS[categories[0]])
        name = " ".join(p for p in (place, rng.choice(QUALIFIERS), kind) if p)
        sid = f"{org_id}-s{index}"
        lines = [
            "[[services]]",
            f"id = {_q(sid)}",
            f"name = {_q(name)}",
            f"description = {_q(self.description(name))}",
            f"categories = {_qs(categories)}",
            f"populations = {_qs(pick.weighted(POPULATIONS, rng.randint(1, 3)))}",
            f"access = {_qs(pick.weighted(ACCESS, rng.randint(1, 2)))}",
            f"keywords = {_qs(rng.sample(CORE_WORDS, rng.randint(0, 5)))}",
            'service_area = "Synthetic County"',
            f"last_verified = {dt.date(2025, 1, 1) + dt.timedelta(days=rng.randrange(700))}",
            'sources = ["bench"]',
        ]
        if rng.random() < 0.85:
            lines.append(f'cost = {{ value = {_qs(pick.weighted(COSTS, rng.choice((1, 1, 2))))}, source = "bench" }}')
        if rng.random() < 0.9:
            lines.append(f'confidentiality = {{ value = {_q(pick.weighted(CONFIDENTIALITY)[0])}, source = "bench" }}')
        hours = self.hours("bench")
        if hours:
            lines.append(hours)
        if rng.random() < 0.5:
            languages = _qs(pick.weighted(LANGUAGES, rng.randint(1, 2)))
            lines.append(f'languages = {{ value = {languages}, source = "bench" }}')
        if rng.random() < 0.4:
            rule = f"Synthetic rule: {rng.choice(CORE_WORDS)} only."
            lines.append(f'eligibility = {{ value = "{rule}", source = "bench" }}')
        if rng.random() < 0.7:
            lines.append(f'website = {{ value = "https://{sid}.example.org", source = "bench" }}')
        if rng.random() < 0.7:
            street = f"{rng.randint(100, 9999)} {rng.choice(STREETS)}"
            lines.append(
                f'address = {{ street = {_q(street)}, city = {_q(rng.choice(CITIES))}, state = "CA", '
                f'postal_code = "{rng.randint(90000, 96199)}", source = "bench" }}'
            )
        for p in range(rng.choice((0, 1, 1, 1, 2, 2, 3))):
            lines += [
                "",
                "[[services.phones]]",
                f'number = "{rng.choice(("916", "530", "209"))}-555-01{(number + p) % 100:02d}"',
                f'kind = "{rng.choice(("voice", "voice", "voice", "hotline", "text"))}"',
                'source = "bench"',
            ]
        return "\n".join(lines)

    def organization(self, number: int, services: int) -> tuple[str, str]:
        rng = self.rng
        place = rng.choice(PLACES)
        org_id = f"bench-org-{number:06d}"
        name = f"{place} {rng.choice(ORG_KINDS)} {number} (synthetic)"
        head = "\n".join(
            [
                "# Synthetic benchmark data written by benchmarks/generate.py: not a real organization.",
                "[organization]",
                f"id = {_q(org_id)}",
                f"name = {_q(name)}",
                'description = "Synthetic organization for benchmarks; not real."',
                'sources = ["bench"]',
                "",
                "[sources.bench]",
                f'url = "https://{org_id}.example.org"',
                'page_date = ""',
                f'grade = "{self.pick.weighted(GRADES)[0]}"',
                'title = "Synthetic page"',
            ]
        )
        body = [self.service(org_id, i, place, number * 7 + i) for i in range(services)]
        return org_id, head + "\n\n" + "\n\n".join(body) + "\n"


def generate(n: int, seed: int, out: Path, per_file: int = SERVICES_PER_FILE) -> int:
    """Write N services into `out` (emptied first when it holds an earlier run). Returns the number of files."""
    out = Path(out)
    orgs_dir = out / "organizations"
    if orgs_dir.exists():
        shutil.rmtree(orgs_dir)
    orgs_dir.mkdir(parents=True)
    shutil.copyfile(VOCABULARY, out / "vocabulary.toml")
    gen = Generator(seed)
    files = 0
    for number, start in enumerate(range(0, n, per_file)):
        org_id, text = gen.organization(number, min(per_file, n - start))
        (orgs_dir / f"{org_id}.toml").write_text(text, encoding="utf-8")
        files += 1
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, required=True, help="number of services")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (its organizations/ is replaced)")
    parser.add_argument("--per-file", type=int, default=SERVICES_PER_FILE, help="services per organization file")
    args = parser.parse_args(argv)
    if args.n < 1 or args.per_file < 1:
        parser.error("--n and --per-file must be at least 1")
    files = generate(args.n, args.seed, args.out, args.per_file)
    sys.stderr.write(f"generate: {args.n} services in {files} files under {args.out}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
