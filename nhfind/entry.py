"""The `nhfind` process: start-up and exit, tuned for a lookup that lives a tenth of a second; nhfind.cli does the work.

A lookup creates tens of thousands of objects while importing Typer, Click and nhfind, and every one of them lives
until the process ends. Python's cyclic garbage collector walks them anyway: during the imports (several times, as
allocations pass its thresholds) and again at exit, only to find nothing to free. Here the collector is paused for
the imports, what they created is frozen (never walked again), and at exit what the command created is frozen too.
The collector runs normally while a command works (the TUI and `db build` at 100,000 services included).

After a command that only reads (nhfind.cli.QUICK_EXIT), the process ends without the interpreter's teardown, which
would free every module and object one by one for the operating system to reclaim anyway: output is flushed and
atexit handlers run first, as in a normal exit; if anything is unusual (a thread still running, an exit code that is
not a number, a flush that fails) the normal exit runs instead. benchmarks/cli.py measures what this saves
(docs/performance.md).

Deliberately tiny and free of imports: it must run before Typer is imported.
"""

import gc
import sys


def main() -> None:
    """Console-script entry point (`nhfind`, `python -m nhfind`)."""
    gc.disable()
    try:
        import nhfind.cli as cli
    finally:
        gc.freeze()
        gc.enable()
    try:
        cli.main()
    except SystemExit as exc:
        if cli.quick_exit:
            _leave(exc.code)
        raise
    finally:
        gc.freeze()


def _leave(code: object) -> None:
    """End the process now with `code`, as a normal exit would end it, skipping only the teardown; or return."""
    import atexit
    import os
    import threading

    if not (code is None or isinstance(code, int)) or threading.active_count() > 1:
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
        atexit._run_exitfuncs()
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:  # noqa: BLE001 - the normal exit reports it as it always has
        return
    os._exit(code or 0)
