"""Query time of nhfind.core.search on the bundled data, in-process (a benchmark, not a test).

    python benchmarks/search.py [--db PATH] [--rounds N]

Builds data/ into a temporary database (or uses --db), runs every query of tests/relevance/queries.toml plus
typing prefixes and hostile text, and prints the median and 95th percentile per kind of query. Target: median
<= 2 ms. Each search opens its own read-only connection, as the CLI and the TUI do, so that cost is included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nhfind.core.db.store import Store  # noqa: E402
from nhfind.core.db.write import build  # noqa: E402
from nhfind.core.search import search  # noqa: E402


def timings(store: Store, texts: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of every search (CPU time shows the cost on a busy machine)."""
    wall, cpu = [], []
    for _ in range(rounds):
        for text in texts:
            start, start_cpu = time.perf_counter_ns(), time.process_time_ns()
            search(store, text, limit=20)
            wall.append((time.perf_counter_ns() - start) / 1e6)
            cpu.append((time.process_time_ns() - start_cpu) / 1e6)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="an nhfind database (default: build data/ into a temp file)")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "nhfind.db"
        if not args.db:
            build(ROOT / "data", db)
        store = Store(db)
        queries = [q["text"] for q in tomllib.loads((ROOT / "tests/relevance/queries.toml").read_text())["queries"]]
        kinds = {
            "relevance suite": queries,
            "typing (prefixes)": ["s", "sh", "she", "shel", "shelt", "na", "nar", "narc", "food s", "food st"],
            "typos (correction path)": ["shelterr", "calfrsh", "narcn", "lawer", "detx", "foood stamps"],
            "nothing found": ["xyzzy", "qqqq zzzz"],
            "hostile": ['"', "NEAR(", "*", "a" * 5000, "' OR 1=1 --", "where can i get " * 40],
        }
        search(store, "warm up")  # load the vocabulary cache once, as a long-running TUI would
        suite: list[float] = []
        print(f"{'kind':<26}{'queries':>8}{'median ms':>11}{'p95 ms':>9}{'median CPU ms':>15}")
        for kind, texts in kinds.items():
            wall, cpu = timings(store, texts, args.rounds)
            suite += wall if kind == "relevance suite" else []
            p95 = statistics.quantiles(wall, n=20)[-1]
            print(
                f"{kind:<26}{len(texts):>8}{statistics.median(wall):>11.3f}{p95:>9.3f}{statistics.median(cpu):>15.3f}"
            )
        median = statistics.median(suite)
        print(f"\nmedian over the relevance suite: {median:.3f} ms (target <= 2 ms): {'ok' if median <= 2 else 'SLOW'}")


if __name__ == "__main__":
    main()
