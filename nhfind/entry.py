"""The `nhfind` process: start-up and exit, tuned for a lookup that lives a tenth of a second; nhfind.cli does the work.

A lookup creates tens of thousands of objects while importing Typer, Click and nhfind, and every one of them lives
until the process ends. Python's cyclic garbage collector walks them anyway: during the imports (several times, as
allocations pass its thresholds) and again at exit, only to find nothing to free. Here the collector is paused for
the imports, what they created is frozen (never walked again), and at exit what the command created is frozen too,
so the operating system reclaims the memory instead. Nothing else changes: the collector runs normally while a
command works (the TUI and `db build` at 100,000 services included), output is flushed and atexit handlers run.
benchmarks/cli.py measures what this saves (docs/performance.md).

Deliberately tiny and free of imports: it must run before Typer is imported.
"""

import gc


def main() -> None:
    """Console-script entry point (`nhfind`, `python -m nhfind`)."""
    gc.disable()
    try:
        from nhfind.cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    try:
        run()
    finally:
        gc.freeze()
