"""The Typer root app: global options, sub-commands, and error handling that never shows a traceback.

Sub-commands are loaded lazily: the root group knows only their names and the module that registers them, so a
lookup imports and builds just the one command it runs (Typer otherwise builds every command's options on every
run, and each module's imports with it). Bare `nhfind` on a terminal opens the TUI (the only road to Textual).
"""

# No `from __future__ import annotations` here: Typer reads command signatures at run time, and string
# annotations would be eval'd (compiled) on every run, ~2 ms of a lookup's start-up.

import contextlib
import errno
import os
import sys
import warnings
from collections.abc import Sequence
from importlib import import_module
from typing import Annotated, Any

import click
import typer
from typer.core import TyperArgument, TyperGroup

from nhfind import __version__
from nhfind.cli.context import State
from nhfind.core.errors import NhfindError, NhfindWarning


def say(message: str) -> None:
    """One line on stderr (nhfind.cli.render.say: through `inert`); deferred import, so `--help` stays light."""
    from nhfind.cli.render import say as render_say

    render_say(message)


_warned: set[str] = set()


def _show_warning(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    """Core's warnings (nhfind.core.errors.warn): each distinct one once, as one line on stderr."""
    if issubclass(category, NhfindWarning):
        text = str(message)
        if text not in _warned:
            _warned.add(text)
            say(f"warning: {text}")
    else:
        _original_showwarning(message, category, *args, **kwargs)


_original_showwarning = warnings.showwarning


def _stdout_gone() -> None:
    """Point stdout at /dev/null, so that the interpreter's last flush has nowhere to fail."""
    with contextlib.suppress(OSError, AttributeError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


COMMANDS: dict[str, str] = {
    "search": "nhfind.cli.search",
    "export": "nhfind.cli.search",
    "show": "nhfind.cli.show",
    "card": "nhfind.cli.card",
    "crisis": "nhfind.cli.crisis",
    "categories": "nhfind.cli.browse",
    "facets": "nhfind.cli.browse",
    "import": "nhfind.cli.importer",
    "db": "nhfind.cli.db",
    "tui": "nhfind.cli.tui",
}
"""Command name -> the module whose `register(app)` adds it (to any Typer app). Order: the order of `--help`."""

QUICK_EXIT = frozenset({"search", "show", "card", "crisis", "categories", "facets"})
"""Commands that only read the database and write to stdout and stderr: when one has run, the process may end
without the interpreter's teardown (nhfind.entry). `export` (it may write a file), `import`, `db` and the TUI end
normally."""

quick_exit = False
"""True once a QUICK_EXIT command has been invoked (read by nhfind.entry when the process exits)."""


def _restore_argument_help(command: click.Command, callback: Any) -> None:
    """Put back the help of positional arguments (QUERY, ID) that `--help` would otherwise show blank.

    Typer 0.24.2 sets TyperArgument.help and then calls click.Argument.__init__, which since Click 8.3 takes a `help`
    of its own and resets it to None (sqlite-utils 4.2.1 needs Click >= 8.3.1, so Click cannot be held back).
    Reads the annotations directly: command modules carry real annotations, so this costs microseconds.
    """
    annotations = getattr(callback, "__annotations__", {})
    for param in command.params:
        if isinstance(param, TyperArgument) and not param.help:
            for meta in getattr(annotations.get(param.name), "__metadata__", ()):
                if getattr(meta, "help", None):
                    param.help = meta.help


GLOBAL_FLAGS = frozenset({"--no-color", "--no-overlay"})
GLOBAL_VALUED = frozenset({"--db"})
"""The root's options, accepted anywhere on the line (`nhfind search x --db f`), not only before the sub-command."""


def hoist_global_options(args: list[str]) -> list[str]:
    """`args` with the global options moved in front of the sub-command; nothing after `--` is touched."""
    front: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg == "--":
            rest += args[i:]
            break
        if arg in GLOBAL_FLAGS or arg.split("=", 1)[0] in GLOBAL_VALUED and "=" in arg:
            front.append(arg)
        elif arg in GLOBAL_VALUED and i + 1 < len(args):
            front += args[i : i + 2]
            i += 1
        else:
            rest.append(arg)
        i += 1
    return front + rest


class _Group(TyperGroup):
    """The root group: lazy sub-commands; every user-reachable error as one line on stderr and exit code 2."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, hoist_global_options(args))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in super().list_commands(ctx) if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        holder = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False, add_completion=False)
        import_module(COMMANDS[cmd_name]).register(holder)
        # build only the command asked for, not its module's siblings
        infos = [c for c in holder.registered_commands if c.name == cmd_name]
        if infos:
            command = typer.main.get_command_from_info(infos[0], pretty_exceptions_short=True, rich_markup_mode=None)
            _restore_argument_help(command, infos[0].callback)
        else:
            holder.registered_commands = []
            holder.registered_groups = [g for g in holder.registered_groups if g.name == cmd_name]
            command = typer.main.get_group(holder).commands[cmd_name]
        self.commands[cmd_name] = command
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as exc:
            from difflib import get_close_matches

            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches and "Did you mean" not in exc.message:
                message = f"{exc.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
                raise click.UsageError(message, exc.ctx) from exc
            raise

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **kwargs: Any,
    ) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        try:
            rv = super().main(args, prog_name, complete_var, False, windows_expand_args, **kwargs)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # `nhfind db` alone: the help is the answer
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            # click prints usage + hint + error on three lines; ours is one line that says what to do
            where = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx else "nhfind"
            message = " ".join(exc.format_message().split())
            say(f"{message} (see '{where} --help')")
            sys.exit(exc.exit_code)
        except click.Abort:
            typer.echo("nhfind: aborted", err=True)
            sys.exit(1)
        sys.exit(rv if isinstance(rv, int) else 0)

    def invoke(self, ctx: click.Context) -> Any:
        _warned.clear()
        warnings.showwarning = _show_warning
        warnings.simplefilter("always", NhfindWarning)  # _show_warning says each distinct one once per command
        try:
            rv = super().invoke(ctx)
            sys.stdout.flush()  # here, so that a full disk or a closed pipe is handled below, not at exit
            return rv
        except NhfindError as exc:
            if os.environ.get("NHFIND_DEBUG"):
                raise
            say(str(exc))
            raise typer.Exit(2) from None
        except BrokenPipeError:
            # a reader such as `head` went away: it has what it wanted, and that is not an error (as in ripgrep)
            _stdout_gone()
            raise typer.Exit(0) from None
        except OSError as exc:
            # stdout on a full disk or a closed descriptor; any other OSError a command did not turn into a message
            if os.environ.get("NHFIND_DEBUG"):
                raise
            _stdout_gone()
            where = str(exc.filename)[:200] if exc.filename else "standard output"
            if exc.errno == errno.EBADF:
                say(f"cannot write to {where}: it is closed; send the output to a file or a pipe")
            elif exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
                say(f"cannot write to {where}: the disk is full; free some space or write elsewhere")
            else:
                say(f"cannot write to {where} ({exc.strerror or exc}): write elsewhere")
            raise typer.Exit(2) from None
        finally:
            global quick_exit
            quick_exit = ctx.invoked_subcommand in QUICK_EXIT  # set by click once it has found the sub-command


app = typer.Typer(
    cls=_Group,
    name="nhfind",
    help=(
        "Offline finder for support resources in North Highlands and Sacramento County, CA.\n\n"
        "Bare `nhfind` on a terminal opens the interactive finder.\n\n"
        "Exit codes: 0 results, 1 no results, 2 usage or data error. NHFIND_DB picks another database; "
        "NO_COLOR turns colour off. The options below also work after the sub-command."
    ),
    epilog=(
        "Examples:\n\n"
        "  nhfind search shelter\n\n"
        "  nhfind search clinic --cost free --format json\n\n"
        "  nhfind crisis\n\n"
        "  nhfind show human-trafficking-hotline\n\n"
        "  nhfind show weave\n\n"
        "  nhfind card 988 --lang es\n\n"
        "  nhfind export --format csv --output resources.csv"
    ),
    no_args_is_help=False,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nhfind {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db_path: Annotated[
        str | None, typer.Option("--db", envvar="NHFIND_DB", help="Database file to read (default: the bundled one).")
    ] = None,
    no_color: Annotated[bool, typer.Option("--no-color", help="No colour (also: NO_COLOR=1).")] = False,
    no_overlay: Annotated[
        bool, typer.Option("--no-overlay", help="Ignore your imported records; read the bundled data alone.")
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Offline finder for support resources in North Highlands and Sacramento County, CA."""
    ctx.obj = State(db=db_path, color=not no_color and not os.environ.get("NO_COLOR"), no_overlay=no_overlay)
    if ctx.invoked_subcommand is None:
        if sys.stdin.isatty() and sys.stdout.isatty():
            from nhfind.cli.tui import launch  # deferred: the only road to Textual

            launch(ctx.obj)
        else:
            typer.echo(ctx.get_help())


class _ClosedStdout:
    """Stands in for a closed stdout (`nhfind ... >&-`): writing says so, as one line and exit 2."""

    encoding = "utf-8"
    errors = "strict"

    def write(self, _text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM / SIGHUP: leave through SystemExit, so every `finally` runs and temp files are removed.

    Python ignores (and prints with a traceback) an exception raised inside a weakref callback or `__del__`, such as
    the import machinery's module-lock callback: a signal that lands there is handled again 10 ms later instead."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib") or frame.f_code.co_name == "__del__":
            import signal

            if hasattr(signal, "setitimer"):
                signal.signal(signal.SIGALRM, lambda _n, f: _terminate(signum, f))
                signal.setitimer(signal.ITIMER_REAL, 0.01)
                return
            break
        frame = frame.f_back
    raise SystemExit(128 + signum)


def _unreadable_argument() -> str | None:
    """The first argument or nhfind variable that is not valid UTF-8 (a byte such as 0xff typed or pasted)."""
    values = [*sys.argv[1:], *(os.environ.get(v, "") for v in ("NHFIND_DB", "NHFIND_DATA_DIR"))]
    for value in values:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return repr(os.fsencode(value))[:60]
    return None


def main() -> None:
    """Entry point: run the app (errors are handled by _Group; here interrupts, signals and odd streams)."""
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _terminate)
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()
    bad = _unreadable_argument()
    if bad is not None:
        say(f"{bad} is not valid UTF-8 text: type it again, or set your terminal to UTF-8")
        sys.exit(2)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        # a reader such as `head` went away: not an error
        _stdout_gone()
        sys.exit(0)
