"""`nhfind import PATH` and the interchange exports (hsds, hsds-json, csv-template): Open Referral HSDS and our
spreadsheet template, in and out."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from nhfind.cli import prose
from nhfind.cli.context import state
from nhfind.cli.render import say
from nhfind.core.badges import CHECK
from nhfind.core.db.store import Store
from nhfind.core.errors import NhfindError
from nhfind.core.models import Resource
from nhfind.core.writers import inert, json_text

IMPORT_EXAMPLES = (
    "Examples:\n\n"
    "  nhfind import ./hsds-package/            (a folder with datapackage.json, or HSDS 1.1 CSVs)\n\n"
    "  nhfind import services.json              (HSDS 3.0 JSON: a service, a page or a list)\n\n"
    "  nhfind export --format csv-template -o mine.csv; (fill it in); nhfind import mine.csv\n\n"
    "  nhfind db gaps -o gaps.csv; (fill new_value, source_url, checked_on); nhfind import gaps.csv\n\n"
    "  nhfind import pkg/ --dry-run             (check only)\n\n"
    "  nhfind import pkg/ --dry-run --format json\n\n"
    "Imported records go to your overlay (see `nhfind db layers`) and are marked 'imported: check before "
    "relying'. An import lands whole or not at all."
)
_PROGRESS_FROM = 200
"""Show a progress bar from this many services on (smaller imports finish before a bar would be seen)."""


def register(app: typer.Typer) -> None:
    app.command("import", epilog=IMPORT_EXAMPLES)(import_)


_PROGRESS_STEPS = 50
"""The bar is drawn again at most this many times (every 2%): drawing is a write to the terminal."""


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr (only on a terminal), cleared when done; yields the callback for the core reader.

    Plain ASCII redrawn with a carriage return: no colour, no escape sequence, nothing a dumb terminal or a
    non-UTF-8 locale could garble, and no Rich to import (~0.1 s of an import of 5,000 services)."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    try:
        columns = os.get_terminal_size(sys.stderr.fileno()).columns
    except (OSError, ValueError):
        columns = 80
    drawn = {"width": 0, "next": 0}

    def update(done: int, total: int) -> None:
        if total < _PROGRESS_FROM or (done < drawn["next"] and done < total):
            return
        drawn["next"] = done + max(1, total // _PROGRESS_STEPS)
        count = f" {done:,}/{total:,}"
        room = max(10, min(40, columns - len("reading services [] ") - len(count) - 1))
        filled = room * done // total
        line = f"reading services [{'=' * filled}{' ' * (room - filled)}]{count}"
        sys.stderr.write("\r" + line.ljust(drawn["width"]))
        sys.stderr.flush()
        drawn["width"] = len(line)

    try:
        yield update
    finally:
        if drawn["width"]:
            sys.stderr.write("\r" + " " * drawn["width"] + "\r")
            sys.stderr.flush()


def import_(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="An HSDS package folder, an HSDS .json file or a filled-in template .csv.")
    ],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Read and check everything, write nothing.")] = False,
    fmt: prose.TextFormatOption = prose.TextFormat.text,
) -> None:
    """Import services from an Open Referral HSDS package or our spreadsheet template into your overlay."""
    from nhfind.core import hsds_import
    from nhfind.core.db import layers, locate
    from nhfind.core.search import get, open_store, vocabulary

    st = state(ctx)
    if st.db or os.environ.get(locate.ENV_VAR):
        raise NhfindError("import writes to your overlay, which --db / NHFIND_DB bypass: run it without --db")
    base = Store(locate.base_database())
    vocab = vocabulary(base)
    current = open_store()  # base + overlay: what a filled gaps worksheet corrects
    source = locate.expand(path, "the file")
    # the merged database starts from a copy of the base: made on another thread while the package is read
    with layers.copying_base() if not dry_run else contextlib.nullcontext() as staged:
        try:
            with _progress(True) as progress:
                result = hsds_import.read(source, vocab, progress=progress, lookup=lambda rid: get(current, rid))
        except (AttributeError, TypeError, KeyError, IndexError, RecursionError) as exc:
            # a value of the wrong shape the reader did not expect (text where an object belongs, say): one line,
            # not a traceback
            raise NhfindError(
                f"{path} holds a value of a shape nhfind cannot read ({type(exc).__name__}: {str(exc)[:80]}); "
                "check it against HSDS 3.0 or the template; nothing was imported"
            ) from None
        notes = [f"warning: {line}" for line in result.warning_lines()]
        bundled = set(base.all_ids())
        replaced = sum(1 for r in result.resources if r.id in bundled)
        if replaced:
            notes.append(f"{replaced} imported services replace bundled records with the same id")
        if not result.resources or dry_run:
            for note in notes:
                say(note)
            if not result.resources:
                raise NhfindError(f"{path} holds no services to import: check it is the right file")
            if fmt is prose.TextFormat.json:
                _json_report("checked", path, result.format, [r.id for r in result.resources], replaced, notes)
                return
            checked = f"checked {len(result.resources)} services in {path} ({result.format}); nothing written"
            sys.stdout.write(inert(checked) + "\n")
            return
        if len(result.resources) >= _PROGRESS_FROM and sys.stderr.isatty():
            sys.stderr.write(f"nhfind: writing {len(result.resources)} services into your database...\n")
        # written before anything is printed, so a reader that goes away (`| head`) cannot cut an import in half
        added, total = layers.add(
            result.resources, str(result.path.resolve()), result.format, result.organizations, staged=staged
        )
        for note in notes:
            say(note)
        if fmt is prose.TextFormat.json:
            _json_report("imported", path, result.format, [r.id for r in result.resources], replaced, notes, total)
            return
        sys.stdout.write(
            inert(f"imported {added} services from {path} ({result.format}); your overlay holds {total}.") + "\n"
            f"They are marked 'imported: {CHECK}'. `nhfind db layers` shows the layers.\n"
        )


def _json_report(
    action: str, path: Path, fmt: str, ids: list[str], replaced: int, notes: list[str], overlay: int | None = None
) -> None:
    """What `import` did (or, with --dry-run, would do), for scripts: stable keys, warnings included."""
    report = {"action": action, "path": str(path), "format": fmt, "services": len(ids), "ids": ids,
              "replaces_bundled": replaced, "notes": notes, "overlay_services": overlay}  # fmt: skip
    sys.stdout.write(json_text(report, indent=2) + "\n")  # notes quote the file: its controls escaped


def export_package(store: Store, resources: Sequence[Resource], fmt: str, output: Path | None, force: bool) -> None:
    """Write the hsds, hsds-json or csv-template export (called by `nhfind export`)."""
    from nhfind.cli.render import say, write_output
    from nhfind.core import hsds_export, template
    from nhfind.core.search import vocabulary

    orgs = {oid: description for oid, _name, description in store.organizations()}
    if fmt == "hsds":
        if output is None:
            raise NhfindError("--format hsds writes a folder of CSV files: add --output DIR")
        try:
            count = hsds_export.write_package(resources, vocabulary(store), output, force=force, orgs=orgs)
        except FileExistsError:
            raise NhfindError(
                f"{output} exists and is not empty: add --force to replace it, or choose another --output"
            ) from None
        except OSError as exc:
            raise NhfindError(f"cannot write {output} ({exc.strerror}): choose another --output") from None
        say(f"wrote an HSDS 3.0 package of {count} services to {output}/")
        if not count:
            raise typer.Exit(1)
        return
    vocab = vocabulary(store)
    text = hsds_export.to_json(resources, vocab, orgs) if fmt == "hsds-json" else template.template_text()
    if output is None:
        sys.stdout.write(text)
        return
    write_output(output, text, force)
    what = f"{len(resources)} services" if fmt == "hsds-json" else "a blank template"
    say(f"wrote {what} to {output}")
