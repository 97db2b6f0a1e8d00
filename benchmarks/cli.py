"""Whole-process start-up of `nhfind search shelter --format csv`, next to the floor and the yardsticks.

Runs, on the same machine and the same database, each command RUNS times (after WARMUP untimed runs) and reports
the median wall-clock time of the whole process:

  python -c pass                         the interpreter alone (the floor)
  typer do-nothing app                   a Typer app with one command that does nothing
  sqlite-utils search DB services shelter the generic tool on the same file
  nhfind search shelter --format csv     ours

Targets (issue 3): nhfind <= 1.1x the do-nothing Typer app and <= 0.8x sqlite-utils search.
Standard library only; run from a checkout with its venv:

    .venv/bin/python benchmarks/cli.py [--runs 20] [--db PATH]
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


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"benchmark: {' '.join(cmd)} failed ({result.returncode}): {result.stderr.decode()[:200]}")
    return elapsed


def median_ms(cmd: list[str], runs: int, warmup: int, env: dict[str, str]) -> float:
    for _ in range(warmup):
        timed(cmd, env)
    return statistics.median(timed(cmd, env) for _ in range(runs)) * 1000


def tool(name: str) -> str:
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    if not found:
        sys.exit(f"benchmark: {name} not found; run with the project's venv python (pip install -e '.[test]')")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per command (default 20)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
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
        }  # fmt: skip
        results = {name: median_ms(cmd, args.runs, args.warmup, env) for name, cmd in commands.items()}

    width = max(map(len, results))
    print(f"median of {args.runs} runs each (after {args.warmup} warm-up), whole process, {sys.platform}")
    for name, ms in results.items():
        print(f"  {name:<{width}}  {ms:7.1f} ms")
    ours = results["nhfind search shelter --format csv"]
    vs_typer = ours / results["typer do-nothing app"]
    vs_su = ours / results["sqlite-utils search"]
    print(f"nhfind / typer do-nothing = {vs_typer:.2f}x (target <= 1.10x) {'ok' if vs_typer <= 1.10 else 'MISSED'}")
    print(f"nhfind / sqlite-utils     = {vs_su:.2f}x (target <= 0.80x) {'ok' if vs_su <= 0.80 else 'MISSED'}")


if __name__ == "__main__":
    main()
