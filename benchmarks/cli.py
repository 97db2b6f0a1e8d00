"""Whole-process start-up of `nhfind search shelter --format csv`, next to the floor and the yardsticks.

Runs, on the same machine and the same database, each command RUNS times (after WARMUP untimed rounds; the
commands take turns, so a busy spell slows all of them alike) and reports
the median wall-clock time of the whole process:

  python -c pass                         the interpreter alone (the floor)
  typer do-nothing app                   a Typer app with one command that does nothing
  sqlite-utils search DB services shelter the generic tool on the same file
  nhfind search shelter --format csv     ours (the installed `nhfind` command)
  the same without nhfind.entry          nhfind.cli.main() called directly: Python's default garbage collection
                                         during start-up and the interpreter's whole teardown at exit (shows
                                         what nhfind.entry saves)

Targets (issue 3): nhfind <= 1.1x the do-nothing Typer app and <= 0.8x sqlite-utils search.
Standard library only; run from a checkout with its venv:

    .venv/bin/python benchmarks/cli.py [--runs 30] [--db PATH] [--breakdown]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

TYPER_NOOP = """\
import typer

app = typer.Typer()


@app.command()
def main(query: str) -> None:
    pass


app()
"""


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds user+system) of one whole run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1):
        sys.exit(f"benchmark: {' '.join(cmd)} failed with exit code {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime


def interleaved(
    commands: dict[str, list[str]], runs: int, warmup: int, env: dict[str, str]
) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of every run of each command; runs are interleaved (one of each per round) so that a busy
    machine slows every command alike instead of whichever happened to run during the busy spell."""
    for _ in range(warmup):
        for cmd in commands.values():
            timed(cmd, env)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(runs):
        for name, cmd in commands.items():
            times[name].append(timed(cmd, env))
    return times


def median_ms(values: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in values) * 1000, statistics.median(c for _, c in values) * 1000


def round_ratios(ours: list[tuple[float, float]], other: list[tuple[float, float]]) -> tuple[float, float, float]:
    """Quartiles of ours / other wall time within each round: how much the ratio itself varies between rounds."""
    q1, q2, q3 = statistics.quantiles([a / b for (a, _), (b, _) in zip(ours, other, strict=True)], n=4)
    return q1, q2, q3


PLAIN_START = "import sys; sys.argv[0] = 'nhfind'; from nhfind.cli import main; main()"
"""nhfind's CLI started the way a plain Typer app is: no garbage-collector tuning, a full teardown at exit
(see nhfind/entry.py)."""

BREAKDOWN = r"""
import io, sys, time
clock = time.process_time
marks = [clock()]
import typer
marks.append(clock())
import nhfind.cli
marks.append(clock())
import nhfind.core.models
marks.append(clock())
import csv, json, sqlite3
marks.append(clock())
import nhfind.cli.search
marks.append(clock())
sys.argv = ["nhfind", "--db", DB, "search", "shelter", "--format", "csv"]
real, sys.stdout = sys.stdout, io.StringIO()
try:
    nhfind.cli.main()
except SystemExit:
    pass
marks.append(clock())
sys.stdout = real
print(*(round((b - a) * 1000, 3) for a, b in zip(marks, marks[1:])))
"""
PHASES = (
    "import typer (the do-nothing app pays this too)",
    "import nhfind.cli (root app, no sub-command)",
    "import nhfind.core.models (+ core.hours)",
    "import csv, json, sqlite3 (stdlib)",
    "import nhfind.cli.search and the rest of core",
    "run: build the command, query, write CSV",
)


def breakdown(runs: int, db: Path, env: dict[str, str]) -> None:
    """Median CPU time of each phase of `nhfind search shelter --format csv`, in fresh processes."""
    code = BREAKDOWN.replace("DB", repr(str(db)))
    samples = []
    for _ in range(runs):
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
        samples.append([float(x) for x in proc.stdout.split()])
    print("where nhfind's time goes (median CPU per phase, default garbage collection, exit not included):")
    for name, values in zip(PHASES, zip(*samples, strict=True), strict=True):
        print(f"  {name:<52} {statistics.median(values):6.1f} ms")


def tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        sys.exit(f"benchmark: {name} not found; run with the project's venv python (pip install -e '.[test]')")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30, help="timed runs per command (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--breakdown", action="store_true", help="also time each start-up phase of nhfind")
    parser.add_argument("--db", type=Path, default=ROOT / "nhfind" / "_data" / "nhfind.db", help="database file")
    args = parser.parse_args()
    if not args.db.is_file():
        sys.exit(f"benchmark: no database at {args.db}; run `nhfind db build` first")

    env = {k: v for k, v in os.environ.items() if not k.startswith(("NHFIND_", "PYTHON"))}
    with tempfile.TemporaryDirectory() as tmp:
        noop = Path(tmp) / "typer_noop.py"
        noop.write_text(TYPER_NOOP)
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "typer do-nothing app": [sys.executable, str(noop), "shelter"],
            "sqlite-utils search": [tool("sqlite-utils"), "search", str(args.db), "services", "shelter", "--csv"],
            "nhfind search shelter --format csv": [
                tool("nhfind"), "--db", str(args.db), "search", "shelter", "--format", "csv",
            ],
            "the same without nhfind.entry": [
                sys.executable, "-c", PLAIN_START, "--db", str(args.db), "search", "shelter", "--format", "csv",
            ],
        }  # fmt: skip
        times = interleaved(commands, args.runs, args.warmup, env)
        results = {name: median_ms(values) for name, values in times.items()}

    width = max(map(len, results))
    print(f"median of {args.runs} interleaved runs each (after {args.warmup} warm-up rounds), whole process")
    print(f"  {'command':<{width}}  {'wall':>8}  {'cpu':>8}")
    for name, (wall, cpu) in results.items():
        print(f"  {name:<{width}}  {wall:5.1f} ms  {cpu:5.1f} ms")
    ours = results["nhfind search shelter --format csv"]
    for label, other, target in (
        ("typer do-nothing", "typer do-nothing app", 1.10),
        ("sqlite-utils", "sqlite-utils search", 0.80),
    ):
        wall, cpu = (ours[i] / results[other][i] for i in (0, 1))
        verdict = "ok" if wall <= target else "MISSED"
        q1, q2, q3 = round_ratios(times["nhfind search shelter --format csv"], times[other])
        print(
            f"nhfind / {label:<16} = {wall:.2f}x wall, {cpu:.2f}x cpu (target <= {target:.2f}x) {verdict}"
            f"   [per round: median {q2:.2f}x, quartiles {q1:.2f}-{q3:.2f}x]"
        )
    if args.breakdown:
        breakdown(args.runs, args.db, env)


if __name__ == "__main__":
    main()
