"""TUI speed, headless: keystroke-to-repainted-results and start-to-first-paint, next to a bare Textual app.

Run: python benchmarks/tui.py [--db PATH] [--rows N] [--runs N]

- keystroke: from posting a key to the search box until a frame showing that key's results has been composed
  (the app's `_display` hook, which Textual calls with the rendered update). The typing debounce is set to 0 here so
  the figure is the work a keystroke costs; in use the first key after a pause searches at once and keys typed faster
  than 150 ms apart are coalesced.
- first paint: from constructing the app to its first composed frame, for FinderApp and for a bare App (one Static),
  interleaved in the same process so machine noise hits both alike. The finder paints a one-line frame first, then
  mounts its widgets; "search box and first results" times that second step (keys typed meanwhile are kept).
- --rows N: also time keystrokes on a database of N synthetic services (copies of the bundled records), to show the
  results list draws only the visible rows.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nhfind.core.db.locate import PACKAGED_DB  # noqa: E402
from nhfind.core.db.store import Store  # noqa: E402
from nhfind.core.db.write import build  # noqa: E402
from nhfind.tui.app import FinderApp  # noqa: E402
from nhfind.tui.screens.search import SearchScreen  # noqa: E402

TYPING = ["food", "\b\b\b\b", "shelter", "\b\b\b\b\b\b\b", "detox", "\b\b\b\b\b", "sti test", "\b" * 8, "legal aid"]
"""What is typed, key by key ("\\b" is backspace): words found, narrowed, and cleared again."""


class _FirstPaint:
    """Mixin: note when the first frame is composed."""

    created: float
    painted: float | None = None

    def _display(self, screen: Any, renderable: Any) -> None:
        if renderable is not None and self.painted is None:
            self.painted = time.perf_counter()
        super()._display(screen, renderable)  # type: ignore[misc]


class BareApp(_FirstPaint, App[None]):
    def compose(self) -> ComposeResult:
        yield Static("bare")


class TimedFinder(_FirstPaint, FinderApp):
    """FinderApp that also reports when a frame showing the latest answer has been composed."""

    def __init__(self, store: Store) -> None:
        super().__init__(store)
        self.ready: float | None = None
        """When the first frame with the search box and the first results was composed."""
        self.waiting_for = -1
        self.shown_at: float | None = None
        self.shown = asyncio.Event()

    def _display(self, screen: Any, renderable: Any) -> None:
        super()._display(screen, renderable)
        search = self.screen_stack[0] if self.screen_stack else None
        if renderable is not None and self.ready is None and isinstance(search, SearchScreen) and search.searches_shown:
            self.ready = time.perf_counter()
        waiting = renderable is not None and self.waiting_for >= 0 and isinstance(search, SearchScreen)
        if waiting and search.searches_shown > self.waiting_for:  # type: ignore[union-attr]
            self.shown_at = time.perf_counter()
            self.waiting_for = -1
            self.shown.set()


async def first_paint(cls: type[App[None]], *args: Any, ready: list[float] | None = None) -> float:
    """Milliseconds from construction to the first frame (and, into `ready`, to the search box with results)."""
    created = time.perf_counter()
    app = cls(*args)
    async with app.run_test(size=(80, 24)) as pilot:
        while app.painted is None or (ready is not None and app.ready is None):  # type: ignore[attr-defined]
            await pilot.pause()
        painted = app.painted  # type: ignore[attr-defined]
    if ready is not None:
        ready.append((app.ready - created) * 1000)  # type: ignore[attr-defined]
    return (painted - created) * 1000


async def keystrokes(db: Path, size: tuple[int, int]) -> list[float]:
    app = TimedFinder(Store(db))
    times: list[float] = []
    async with app.run_test(size=size) as pilot:
        screen = app.screen_stack[0]
        assert isinstance(screen, SearchScreen)
        screen.DEBOUNCE = 0
        await app.workers.wait_for_complete()
        await pilot.pause()
        for chunk in TYPING:
            for char in chunk:
                key = "backspace" if char == "\b" else ("space" if char == " " else char)
                app.shown.clear()
                app.waiting_for = screen.searches_shown
                start = time.perf_counter()
                app.post_message(events.Key(key, None if char == "\b" else char))
                await asyncio.wait_for(app.shown.wait(), 10)
                assert app.shown_at is not None
                times.append((app.shown_at - start) * 1000)
                await pilot.pause()
    return times


def synthetic_db(rows: int, out: Path) -> Path:
    """A database of `rows` services: the bundled data/ records copied under new ids."""
    import shutil

    data = out / "data"
    shutil.copytree(ROOT / "data", data)
    orgs = sorted((data / "organizations").glob("*.toml"))
    originals = [p.read_text() for p in orgs]
    services = sum(len(tomllib.loads(t).get("services", [])) for t in originals)
    copies = max(0, rows // max(services, 1) - 1)
    for n in range(copies):
        for path, text in zip(orgs, originals, strict=True):
            org = tomllib.loads(text)["organization"]["id"]
            twin = text.replace(f'id = "{org}"', f'id = "{org}-copy{n}"')
            ids = [s["id"] for s in tomllib.loads(text).get("services", [])]
            for sid in ids:
                twin = twin.replace(f'id = "{sid}"', f'id = "{sid}-copy{n}"')
            (data / "organizations" / f"{path.stem}-copy{n}.toml").write_text(twin)
    db = out / "synthetic.db"
    build(data, db)
    return db


def summary(name: str, values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"{name:<44} median {statistics.median(values):7.2f} ms   p95 {p95:7.2f} ms   (n={len(values)})"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=PACKAGED_DB, help="database (default: the bundled one)")
    parser.add_argument("--rows", type=int, default=0, help="also time a synthetic database of this many services")
    parser.add_argument("--runs", type=int, default=15, help="first-paint runs per app")
    args = parser.parse_args()
    if not args.db.is_file():
        sys.exit(f"no database at {args.db}: run `nhfind db build` first")

    bare: list[float] = []
    finder: list[float] = []
    usable: list[float] = []
    await first_paint(BareApp)  # warm imports for both
    await first_paint(TimedFinder, Store(args.db))
    for _ in range(args.runs):
        bare.append(await first_paint(BareApp))
        finder.append(await first_paint(TimedFinder, Store(args.db), ready=usable))
    count = len(Store(args.db).all_ids())
    print(summary("first paint, bare Textual app", bare))
    print(summary("first paint, nhfind finder", finder))
    print(summary("search box and first results on screen", usable))
    ratio = statistics.median(finder) / statistics.median(bare)
    print(f"{'first paint ratio finder / bare (medians)':<44} {ratio:.2f}x")
    for size in ((80, 24), (200, 50)):
        print(summary(f"keystroke to results, {count} services, {size[0]}x{size[1]}", await keystrokes(args.db, size)))
    if args.rows:
        with tempfile.TemporaryDirectory() as tmp:
            db = synthetic_db(args.rows, Path(tmp))
            n = len(Store(db).all_ids())
            for size in ((80, 24), (200, 50)):
                print(summary(f"keystroke to results, {n} services, {size[0]}x{size[1]}", await keystrokes(db, size)))


if __name__ == "__main__":
    asyncio.run(main())
