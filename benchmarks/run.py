"""Measure nhfind at several sizes and print one Markdown table, every figure from this one run.

    python benchmarks/run.py --sizes 1000,10000,100000

For each size: generate synthetic data (benchmarks/generate.py), build it with `nhfind db build` (time, database
size, peak memory), time ranked searches through the query layer next to three baselines, and time whole-process CLI
look-ups next to `python -c pass`, a do-nothing Typer app and `sqlite-utils search`.

The baselines, each answering as nhfind does (first page of 20 and the total, fresh read-only connection):
  A  the textbook ranked FTS5 query (join, ORDER BY rank, LIMIT) with its total counted in the full-text index
     alone: the fair one (a careful hand-written query; no vocabulary, weights or exact-name boost);
  B  the same page with the total counted through the join (every match's services row read): the first scale
     round's "plain ranked FTS5 join", kept so its figures compare;
  C  a LIKE scan over name and description, no index.
Every row carries the 1-minute load average when it was measured (a shared machine: compare figures of one run).
Medians and 95th percentiles; peak memory is each child's ru_maxrss (os.wait4). Commands being compared run
interleaved, round-robin, so a busy machine slows them alike. Standard library only (plus the tools measured).

Targets (issues 8 and 20) apply at 100,000 services: build <= 10 s and <= 500 MiB; search p50 <= 10 ms and p95 <=
30 ms; CLI <= 1.1x the Typer app and <= 0.8x sqlite-utils; CLI peak <= 40 MiB; TUI <= 33 ms median / <= 100 ms p95
per keystroke and <= 80 MiB. The "met" column says yes/NO against them at every size (smaller sizes should pass
trivially).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import generate  # noqa: E402  (benchmarks/generate.py, beside this file)

from nhfind.core import fts  # noqa: E402
from nhfind.core import search as core_search  # noqa: E402
from nhfind.core.db import rank  # noqa: E402
from nhfind.core.db.store import Store  # noqa: E402
from nhfind.core.models import Filters  # noqa: E402

MIB = 1024 * 1024
LIMIT = 20
"""Results per query: what the CLI shows by default and more than a TUI screen holds."""


@dataclass(frozen=True)
class Query:
    """One benchmark query: a label, the user's text and filters."""

    label: str
    text: str
    filters: Filters = Filters()


QUERIES = (
    Query("common word", "support"),
    Query("prefix", "shel"),
    Query("two-letter prefix", "sh"),
    Query("word + category + cost", "clinic", Filters(categories=("medical-care",), costs=("free",))),
    Query("two words", "family support"),
    Query("word with a longer sibling", "help"),
    Query("word", "food"),
    Query("common word + cost", "support", Filters(costs=("free",))),
)
CLI_QUERY = "support"

AGREEMENT_WORDS = (
    "support",
    "shel",
    "clinic",
    "food",
    "family support",
    "help",
    "counseling",
    "housing",
    "pro",
    "test",
)
"""Common words (and prefixes) whose first page is compared with full bm25's: above rank.EXACT_RANKING matches the
query layer ranks a capped candidate set (nhfind.core.db.rank.CANDIDATES)."""

AGREEMENT_FILTERED = (
    ("clinic", Filters(categories=("medical-care",), costs=("free",))),
    ("support", Filters(costs=("free",))),
    ("shel", Filters(exclude_law_enforcement=True)),
    ("food", Filters(costs=("free",))),
    ("help", Filters(languages=("es",))),
    ("counseling", Filters(costs=("free",))),
    ("housing", Filters(categories=("housing",))),
    ("test", Filters(categories=("sexual-health",))),
    ("family support", Filters(costs=("free",))),
    ("legal", Filters(categories=("legal-aid",))),
)
"""Words with filters whose first page is compared with full bm25's: above rank.EXACT_FILTERED matches the filters
leave, the query layer ranks a capped candidate set."""

TYPER_APP = '''\
import typer

app = typer.Typer()


@app.command()
def main(query: str, limit: int = 20) -> None:
    """Do nothing."""


app()
'''


@dataclass
class Row:
    """One line of the table."""

    size: str
    measure: str
    median: str = ""
    p95: str = ""
    note: str = ""
    target: str = ""
    met: str = ""
    load: str = field(default_factory=lambda: f"{os.getloadavg()[0]:.1f}")
    """The 1-minute load average when the row was measured."""


# -- measuring ----------------------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100)."""
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def timed(fn: Callable[[], object], reps: int, warmup: int = 2) -> list[float]:
    """Wall seconds of `reps` calls after `warmup` unmeasured ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(reps):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


SPAWNER = """\
import os, sys, time
argv = sys.argv[1:]
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, 1)
    os.execv(argv[0], argv)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss)
"""
"""Runs one command and reports (wall s, exit code, ru_maxrss KiB). Why a separate small process: Linux carries a
parent's resident size into a forked child's ru_maxrss (even across exec), so forking from this runner, which has
nhfind and its data loaded, would report the runner's size for every child. `python -S` keeps the spawner ~8 MiB,
below any Python child it measures."""


def run_child(argv: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, int, int]:
    """Run a command to the end with its output discarded: (wall seconds, exit code, peak RSS in bytes)."""
    done = subprocess.run(
        [sys.executable, "-S", "-c", SPAWNER, *argv], capture_output=True, text=True, env=env, check=False
    )
    try:
        wall, code, rss = done.stdout.split()
    except ValueError:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}") from None
    if int(code) not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited {code}: {done.stderr.strip()}")
    return float(wall), int(code), int(rss) * 1024  # ru_maxrss is KiB on Linux


def child_env() -> dict[str, str]:
    """The environment for measured commands: no NHFIND_DB, and bytecode caching on (as on a user's machine; an
    environment with PYTHONDONTWRITEBYTECODE would recompile nhfind's sources on every run, but not the
    dependencies' already-compiled ones, which would be an unfair comparison)."""
    return {k: v for k, v in os.environ.items() if k not in ("NHFIND_DB", "PYTHONDONTWRITEBYTECODE")}


def interleaved(commands: dict[str, Sequence[str]], reps: int) -> dict[str, tuple[list[float], int]]:
    """Run each command `reps` times, round-robin (one warm-up round first): name -> (walls, peak RSS)."""
    walls: dict[str, list[float]] = {name: [] for name in commands}
    peak = dict.fromkeys(commands, 0)
    env = child_env()
    for round_ in range(reps + 1):
        for name, argv in commands.items():
            wall, _, rss = run_child(argv, env)
            if round_:
                walls[name].append(wall)
            peak[name] = max(peak[name], rss)
    return {name: (walls[name], peak[name]) for name in commands}


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def verdict(ok: bool) -> str:
    return "yes" if ok else "NO"


# -- the baselines the query layer is compared with ---------------------------------------------------------------


def _filter_sql(filters: Filters) -> tuple[str, list[str]]:
    sql, params = "", []
    for facet, values in filters.facet_values().items():
        if values:
            marks = ",".join("?" * len(values))
            sql += f" AND s.id IN (SELECT service_id FROM facets WHERE facet = ? AND value IN ({marks}))"
            params += [facet, *values]
    return sql, params


def _page_and_total(db: Path, page_sql: str, count_sql: str, params: list[str]) -> Callable[[], object]:
    """A baseline as nhfind answers: the first page and the total, on a fresh read-only connection per call."""

    def call() -> object:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            return conn.execute(page_sql, params).fetchall(), conn.execute(count_sql, params).fetchone()
        finally:
            conn.close()

    return call


def plain_fts(db: Path, query: Query) -> Callable[[], object]:
    """The textbook ranked FTS5 query: join, ORDER BY rank, LIMIT; and its total counted in the full-text index
    alone (no join), as a careful hand-written query would (unweighted bm25, no exact-name boost, no vocabulary).
    With filters, the page and the count both need the services row (the filters are on service ids)."""
    match = fts.expression(fts.tokens(query.text))
    where, params = _filter_sql(query.filters)
    body = f"FROM services_fts f JOIN services s ON s.rowid = f.rowid WHERE services_fts MATCH ?{where}"
    count = f"SELECT count(*) {body}" if where else "SELECT count(*) FROM services_fts WHERE services_fts MATCH ?"
    return _page_and_total(db, f"SELECT s.record {body} ORDER BY rank LIMIT {LIMIT}", count, [match, *params])


def join_counted_fts(db: Path, query: Query) -> Callable[[], object]:
    """The same ranked page, with the total counted through the join (each match's services row read): the
    baseline of the first scale round, kept for comparison with its figures."""
    match = fts.expression(fts.tokens(query.text))
    where, params = _filter_sql(query.filters)
    body = f"FROM services_fts f JOIN services s ON s.rowid = f.rowid WHERE services_fts MATCH ?{where}"
    return _page_and_total(db, f"SELECT s.record {body} ORDER BY rank LIMIT {LIMIT}", f"SELECT count(*) {body}",
                           [match, *params])  # fmt: skip


def like_scan(db: Path, query: Query) -> Callable[[], object]:
    """No full-text index: LIKE over name and description of every row, sorted by name (and a count)."""
    pattern = f"%{query.text}%"
    where, params = _filter_sql(query.filters)
    body = f"FROM services s WHERE (s.name LIKE ? OR s.description LIKE ?){where}"
    return _page_and_total(db, f"SELECT s.record {body} ORDER BY s.name LIMIT {LIMIT}", f"SELECT count(*) {body}",
                           [pattern, pattern, *params])  # fmt: skip


# -- one size -----------------------------------------------------------------------------------------------------


def tool(name: str) -> str:
    """A console script from this interpreter's environment (the venv), else from PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        raise SystemExit(f"run: {name} not found: install nhfind with `pip install -e '.[test]'` in this venv")
    return found


def bench_build(size: int, work: Path, seed: int, rows: list[Row]) -> Path:
    data, db = work / f"data-{size}", work / f"nhfind-{size}.db"
    start = time.perf_counter()
    files = generate.generate(size, seed, data)
    gen_s = time.perf_counter() - start
    db.unlink(missing_ok=True)
    wall, _, rss = run_child([tool("nhfind"), "db", "build", "--data", str(data), "--output", str(db)], child_env())
    mib = db.stat().st_size / MIB
    rows.append(
        Row(
            f"{size:,}",
            "build: `nhfind db build` (whole process)",
            f"{wall:.2f} s",
            "",
            f"{files:,} files, {mib:.1f} MiB db, {rss / MIB:.0f} MiB peak; generated in {gen_s:.1f} s",
            "<= 10 s, <= 500 MiB at 100k",
            verdict(wall <= 10 and rss <= 500 * MIB),
        )  # fmt: skip
    )
    return db


def bench_search(size: int, db: Path, reps: int, rows: list[Row]) -> None:
    store = Store(db)
    for query in QUERIES:
        total = core_search.search(store, query.text, query.filters, limit=LIMIT).total

        def ours(q: Query = query) -> object:
            return core_search.search(store, q.text, q.filters, limit=LIMIT)

        runs = {
            "nhfind query layer": timed(ours, reps),
            "baseline A: ranked FTS5 page, total counted in the index": timed(plain_fts(db, query), reps),
            "baseline B: ranked FTS5 page, total counted through the join": timed(
                join_counted_fts(db, query), max(3, reps // 4), warmup=1
            ),
            "baseline C: LIKE scan, no index": timed(like_scan(db, query), max(3, reps // 4), warmup=1),
        }
        page = core_search.search(store, query.text, query.filters, limit=LIMIT)
        counts = timed(lambda q=query, p=page: core_search.facet_counts(store, p, q.filters), reps)
        filters = "".join(
            f" --{'category' if facet == 'category' else facet} {v}"
            for facet, values in query.filters.facet_values().items()
            for v in values
        )
        ours_p50, ours_p95 = statistics.median(runs["nhfind query layer"]), percentile(runs["nhfind query layer"], 95)
        for name, walls in runs.items():
            p50, p95 = statistics.median(walls), percentile(walls, 95)
            first = name == "nhfind query layer"
            rows.append(
                Row(
                    f"{size:,}",
                    f"search {query.label} `{query.text}{filters}`: {name}" if first else f"  ... {name}",
                    ms(p50),
                    ms(p95),
                    f"{total:,} matches" if first else f"nhfind is {ours_p50 / p50:.2f}x this",
                    "p50 <= 10 ms, p95 <= 30 ms" if first else "",
                    verdict(ours_p50 <= 0.010 and ours_p95 <= 0.030) if first else "",
                )
            )
        rows.append(
            Row(
                f"{size:,}",
                "  ... filter counts of the same search (what the TUI's filter panel shows)",
                ms(statistics.median(counts)),
                ms(percentile(counts, 95)),
                "exact counts of every facet value (core.search.facet_counts)",
                "<= 50 ms",
                verdict(statistics.median(counts) <= 0.050),
            )
        )


def bench_agreement(size: int, db: Path, rows: list[Row]) -> None:
    """The share of the query layer's first page that full bm25 (every match scored) also puts on its first page."""
    store = Store(db)
    searches = {
        "common words": [(text, Filters()) for text in AGREEMENT_WORDS],
        "words with filters": list(AGREEMENT_FILTERED),
    }
    for what, pairs in searches.items():
        shares: dict[str, float] = {}
        for text, filters in pairs:
            page = [r.id for r in core_search.search(store, text, filters, limit=LIMIT).results]
            capped = rank.EXACT_RANKING, rank.EXACT_FILTERED, rank.LISTS
            rank.EXACT_RANKING, rank.EXACT_FILTERED, rank.LISTS = sys.maxsize, sys.maxsize, False
            try:
                full = [r.id for r in core_search.search(store, text, filters, limit=LIMIT).results]
            finally:
                rank.EXACT_RANKING, rank.EXACT_FILTERED, rank.LISTS = capped
            label = text + "".join(f" +{v}" for values in filters.facet_values().values() for v in values)
            label += " -police" if filters.exclude_law_enforcement else ""
            shares[label] = len(set(page) & set(full)) / max(1, len(full))
        rows.append(
            Row(
                f"{size:,}",
                f"first page shared with full bm25 (mean of {what})",
                f"{statistics.mean(shares.values()):.0%}",
                "",
                "; ".join(f"{text} {share:.0%}" for text, share in shares.items()),
            )
        )


def bench_cli(size: int, db: Path, reps: int, typer_app: Path, rows: list[Row]) -> None:
    commands = {
        "nhfind": [tool("nhfind"), "--db", str(db), "search", CLI_QUERY, "-n", str(LIMIT), "-f", "csv"],
        "python -c pass": [sys.executable, "-c", "pass"],
        "do-nothing Typer app": [sys.executable, str(typer_app), CLI_QUERY],
        "sqlite-utils search": [
            tool("sqlite-utils"),
            "search",
            str(db),
            "services",
            CLI_QUERY,
            "--limit",
            str(LIMIT),
            "--csv",
        ],  # fmt: skip
    }
    results = interleaved(commands, reps)
    ours = statistics.median(results["nhfind"][0])
    typer_s = statistics.median(results["do-nothing Typer app"][0])
    su = statistics.median(results["sqlite-utils search"][0])
    peak = results["nhfind"][1]
    for name, (walls, rss) in results.items():
        first = name == "nhfind"
        rows.append(
            Row(
                f"{size:,}",
                f"CLI `nhfind search {CLI_QUERY} -n {LIMIT} -f csv` (whole process)" if first else f"  ... {name}",
                ms(statistics.median(walls)),
                ms(percentile(walls, 95)),
                (
                    f"{ours / typer_s:.2f}x Typer app, {ours / su:.2f}x sqlite-utils; {rss / MIB:.1f} MiB peak"
                    if first
                    else f"{rss / MIB:.1f} MiB peak"
                ),  # fmt: skip
                "<= 1.1x Typer, <= 0.8x sqlite-utils, <= 40 MiB" if first else "",
                verdict(ours <= 1.1 * typer_s and ours <= 0.8 * su and peak <= 40 * MIB) if first else "",
            )
        )


TUI_CHILD = """\
import asyncio, json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import tui
from nhfind.core.db.store import Store

db, runs = Path(sys.argv[2]), int(sys.argv[3])


async def measure():
    bare, finder, usable = [], [], []
    await tui.first_paint(tui.BareApp)  # warm the imports of both
    await tui.first_paint(tui.TimedFinder, Store(db))
    for _ in range(runs):
        bare.append(await tui.first_paint(tui.BareApp))
        finder.append(await tui.first_paint(tui.TimedFinder, Store(db), ready=usable))
    keys = await tui.keystrokes(db, (80, 24))
    sys.stderr.write(json.dumps([bare, finder, usable, keys]) + "\\n")


asyncio.run(measure())
"""
"""The TUI figures, measured by benchmarks/tui.py's headless harness in a process of their own: its ru_maxrss is the
TUI's peak memory, and a TUI too slow to answer is stopped at the time limit instead of stalling the run."""


def bench_tui(size: int, db: Path, runs: int, limit: float, rows: list[Row]) -> None:
    n, what = f"{size:,}", "TUI keystroke-to-repaint, first paint, peak memory"
    if not (HERE / "tui.py").exists():
        rows.append(Row(n, what, note="n/a: TUI not built yet"))
        return
    argv = [sys.executable, "-S", "-c", SPAWNER, sys.executable, "-c", TUI_CHILD, str(HERE), str(db), str(runs)]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env(),
                            start_new_session=True)  # fmt: skip
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        rows.append(Row(n, what, note=f"did not finish in {limit:.0f} s (first paints and {len(tui_keys())} keys)",
                        target="p50 <= 33 ms, p95 <= 100 ms, <= 80 MiB", met="NO"))  # fmt: skip
        return
    try:
        bare, finder, usable, keys = json.loads(err.strip().splitlines()[-1])
        _wall, _code, rss_kib = out.split()
    except (ValueError, IndexError):
        last = err.strip().splitlines()[-1] if err.strip() else "no output"
        rows.append(Row(n, what, note=f"failed: {last}", target="p50 <= 33 ms, p95 <= 100 ms, <= 80 MiB", met="NO"))
        return
    rss = int(rss_kib) * 1024
    key_p50, key_p95 = statistics.median(keys) / 1000, percentile(keys, 95) / 1000
    rows += [
        Row(n, "TUI keystroke to repainted results (80x24, headless, debounce 0)", ms(key_p50), ms(key_p95),
            f"{len(keys)} keys; {rss / MIB:.1f} MiB peak (whole TUI process)",
            "p50 <= 33 ms, p95 <= 100 ms, <= 80 MiB",
            verdict(key_p50 <= 0.033 and key_p95 <= 0.100 and rss <= 80 * MIB)),
        Row(n, "TUI first paint: nhfind finder", ms(statistics.median(finder) / 1000),
            ms(percentile(finder, 95) / 1000),
            f"{statistics.median(finder) / statistics.median(bare):.2f}x bare app; search box and first results "
            f"{ms(statistics.median(usable) / 1000)}"),
        Row(n, "  ... bare Textual app", ms(statistics.median(bare) / 1000), ms(percentile(bare, 95) / 1000)),
    ]  # fmt: skip


def tui_keys() -> str:
    """The keys benchmarks/tui.py types, as one string (for the time-out note)."""
    try:
        import tui  # benchmarks/tui.py

        return "".join(tui.TYPING)
    except ImportError:
        return ""


# -- table --------------------------------------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    header = Row("size", "measure", "median", "p95", "note", "target (at 100k)", "met", "load")
    fields = ("size", "measure", "median", "p95", "note", "target", "met", "load")
    lines = [header, Row(*(["---"] * len(fields)))] + rows
    return "\n".join("| " + " | ".join(getattr(r, f) for f in fields) + " |" for r in lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="comma-separated service counts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=40, help="timed calls per search")
    parser.add_argument("--cli-reps", type=int, default=15, help="timed runs per CLI command")
    parser.add_argument("--tui-runs", type=int, default=5, help="first-paint runs per app")
    parser.add_argument("--tui-limit", type=float, default=120, help="seconds the TUI measurement may take per size")
    parser.add_argument("--work", type=Path, help="keep generated data and databases here (default: a temp dir)")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes takes numbers separated by commas, e.g. 1000,10000,100000")
    if not sizes or min(sizes) < 1 or args.reps < 1 or args.cli_reps < 1:
        parser.error("--sizes, --reps and --cli-reps must be positive")

    work = args.work or Path(tempfile.mkdtemp(prefix="nhfind-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    typer_app = work / "typer_app.py"
    typer_app.write_text(TYPER_APP)
    # As an installed package would be: compiled once (see child_env).
    compileall.compile_dir(str(ROOT / "nhfind"), quiet=1)
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        for size in sizes:
            sys.stderr.write(f"run: {size:,} services...\n")
            db = bench_build(size, work, args.seed, rows)
            bench_search(size, db, args.reps, rows)
            bench_agreement(size, db, rows)
            bench_cli(size, db, args.cli_reps, typer_app, rows)
            bench_tui(size, db, args.tui_runs, args.tui_limit, rows)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(table(rows))
    cpu = os.cpu_count()
    print(
        f"\n{time.strftime('%Y-%m-%d')}, Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}, "
        f"{cpu} CPUs; seed {args.seed}; {args.reps} calls per search, {args.cli_reps} runs per CLI command; "
        f"whole run {time.perf_counter() - started:.0f} s."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
