"""Conventions every command keeps: help with examples, exit codes, one-line errors, colour, version, completion,
hostile input, and importing only what a command needs."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
import typer

from nhfind import __version__
from nhfind.cli import app
from tests.cli.conftest import ENTRY_POINT, Installed, Nhfind


def _walk(command: click.Command, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        ctx = click.Context(command)
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            assert sub is not None, f"{' '.join(path + (name,))} is listed but cannot be loaded"
            found += _walk(sub, path + (name,))
    return found


COMMANDS = _walk(typer.main.get_command(app))


def test_every_command_is_reachable() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"search", "export", "show", "card", "crisis", "categories", "facets", "db build", "db info"} <= names


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "nhfind")
def test_every_command_has_help_with_examples(nhfind: Nhfind, path: tuple[str, ...]) -> None:
    result = nhfind(*path, "--help")
    assert result.code == 0, result.err
    command = dict(COMMANDS)[path]
    assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
    assert "Examples:" in result.out, f"{' '.join(path)} --help shows no examples"
    example_lines = result.out.split("Examples:", 1)[1]
    assert f"nhfind {' '.join(path)}".strip() in example_lines


def test_version() -> None:
    result = typer.testing.CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"nhfind {__version__}"


def test_python_dash_m_runs_the_same_app(fixture_db: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "nhfind", "--db", str(fixture_db), "search", "std", "--format", "json"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["id"] == "test-sti-testing"


def test_shell_completion_script_and_completions(installed: Installed) -> None:
    script = installed("--show-completion", "bash")
    assert script.code == 0 and "_nhfind_completion" in script.out
    proc = subprocess.run(
        [str(ENTRY_POINT)], capture_output=True, text=True, timeout=60,
        env={"COMP_WORDS": "nhfind cr", "COMP_CWORD": "1", "_NHFIND_COMPLETE": "complete_bash", "PATH": ""},
    )  # fmt: skip
    assert proc.stdout.split() == ["crisis"]


def test_unknown_command_suggests_one_line(nhfind: Nhfind) -> None:
    result = nhfind("serch", "shelter")
    assert result.code == 2 and "Did you mean 'search'?" in result.err and result.err.count("\n") == 1


def test_unknown_global_option_one_line(nhfind: Nhfind) -> None:
    result = nhfind("--colour", "search")
    assert result.code == 2 and "No such option" in result.err and result.err.count("\n") == 1


def test_missing_or_foreign_database_is_one_line_exit_2(nhfind: Nhfind, tmp_path: Path) -> None:
    missing = nhfind("search", "x", db=tmp_path / "nope.db")
    assert missing.code == 2 and "no database at" in missing.err and "Traceback" not in missing.err
    junk = tmp_path / "junk.db"
    junk.write_text("not a database at all" * 100)
    for command in (["search", "x"], ["show", "x"], ["crisis"], ["categories"], ["card", "x"], ["db", "info"]):
        result = nhfind(*command, db=junk)
        assert result.code == 2 and result.err.count("\n") == 1 and "nhfind db build" in result.err, command


def test_nhfind_db_environment_variable(fixture_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = typer.testing.CliRunner().invoke(app, ["search", "std", "-f", "json"], env={"NHFIND_DB": str(fixture_db)})
    assert result.exit_code == 0 and json.loads(result.stdout)[0]["id"] == "test-sti-testing"


def test_colour_on_a_terminal_and_off_with_no_color(nhfind: Nhfind) -> None:
    args = ("search", "trafficking", "--format", "table", "--fields", "name,confidentiality")
    coloured = nhfind(*args, env={"NO_COLOR": "", "FORCE_COLOR": "1"}).out
    assert "\x1b[1;31m" in coloured  # the law-enforcement badge is bold red
    flag = nhfind("--no-color", *args, env={"NO_COLOR": "", "FORCE_COLOR": "1"}).out
    env = nhfind(*args, env={"NO_COLOR": "1", "FORCE_COLOR": "1"}).out
    for out in (flag, env):
        assert "POLICE / LAW ENFORCEMENT" in out and "31m" not in out


def test_table_shows_rich_markup_literally(nhfind: Nhfind) -> None:
    out = nhfind("search", "--format", "table", "--fields", "organization", env={"COLUMNS": "200"}).out
    assert "[bold red]Markup Org[/bold red]" in out
    assert "\x1b" not in nhfind("search", "--format", "table", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).out.replace(
        "\x1b[1m", ""
    ).replace("\x1b[0m", "").replace("\x1b[2m", "")


HOSTILE = [
    '"', "'", '"unclosed', "AND", "OR", "NOT", "NEAR(", "NEAR(a b", "(((", "*", "a*", "-", "name:x", "^x",
    "'; DROP TABLE services; --", "1 OR 1=1", "%", "_", "\\", "\x1b[31mred", "\x1b]8;;http://x\x07link",
    "[bold]x[/bold]", "[link=http://x]y[/link]", "🏠 shelter", "Ω≈ç√", "a" * 5000, "std " * 1250, " ", "",
]  # fmt: skip


@pytest.mark.parametrize("query", HOSTILE, ids=lambda q: repr(q[:20]))
@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_hostile_queries_answer_or_refuse_cleanly(nhfind: Nhfind, query: str, fmt: str) -> None:
    result = nhfind("search", "--format", fmt, "--", query)
    assert result.code in (0, 1, 2)
    assert "Traceback" not in result.out + result.err
    if result.code == 2:
        assert result.err.strip() and result.err.count("\n") == 1
    assert "\x1b[31m" not in result.out and "\x07" not in result.out


def test_installed_entry_point_search_show_card(installed: Installed) -> None:
    found = installed("search", "std", "--format", "json")
    assert found.code == 0 and json.loads(found.out)[0]["id"] == "test-sti-testing"
    assert "Free STI Testing" in installed("show", "test-sti-testing").out
    assert "FREE STI TESTING" in installed("card", "test-sti-testing").out
    none = installed("search", "zzzzqqq")
    assert none.code == 1 and "no results" in none.err
    bad = installed("search", "x", "--format", "yaml")
    assert bad.code == 2 and bad.err.count("\n") == 1 and "Traceback" not in bad.err


@pytest.mark.parametrize("query", ['"', "NEAR(", "\x1b[31mred", "[bold]x[/bold]", "🏠", "a" * 5000])
def test_installed_entry_point_survives_hostile_queries(installed: Installed, query: str) -> None:
    result = installed("search", "--", query)
    assert result.code in (0, 1) and "Traceback" not in result.err


def test_piped_export_parses_as_csv_and_formulas_are_inert(installed: Installed, fixture_db: Path) -> None:
    reader = "import csv,sys; rows=list(csv.DictReader(sys.stdin)); print(len(rows)); print(rows[0]['id'])"
    export = subprocess.Popen(
        [str(ENTRY_POINT), "--db", str(fixture_db), "export", "--format", "csv"], stdout=subprocess.PIPE
    )
    parsed = subprocess.run([sys.executable, "-c", reader], stdin=export.stdout, capture_output=True, text=True)
    export.wait(timeout=60)
    count, first = parsed.stdout.split()
    searched = json.loads(installed("search", "--format", "json", "--limit", "1000").out)
    assert int(count) == len(searched) and first == searched[0]["id"]
    rows = list(csv.DictReader(io.StringIO(installed("export", "--format", "csv").out)))
    assert next(r for r in rows if r["id"] == "test-formula")["name"].startswith("'=")


def test_closed_pipe_is_not_an_error(fixture_db: Path) -> None:
    if not ENTRY_POINT.exists():
        pytest.skip("entry point not installed")
    proc = subprocess.run(
        f"'{ENTRY_POINT}' --db '{fixture_db}' export --format jsonl | head -c 10", shell=True,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr


def test_import_cli_does_not_import_textual() -> None:
    code = "import sys, nhfind.cli; sys.exit(1 if 'textual' in sys.modules else 0)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize(
    ("args", "banned"),
    [
        (["search", "shelter", "--format", "csv"], {"textual", "rich", "sqlite_utils"}),
        (["show", "test-sti-testing"], {"textual", "rich", "sqlite_utils"}),
        (["crisis"], {"textual", "rich", "sqlite_utils"}),
        (["card", "test-sti-testing"], {"textual", "rich", "sqlite_utils"}),
        (["search", "shelter", "--format", "table"], {"textual", "sqlite_utils"}),
    ],
)
def test_a_lookup_imports_only_what_it_needs(fixture_db: Path, args: list[str], banned: set[str]) -> None:
    code = (
        "import sys, io\n"
        "from nhfind.cli import main\n"
        f"sys.argv = ['nhfind', '--db', {str(fixture_db)!r}, *{args!r}]\n"
        "real = sys.stdout; sys.stdout = io.StringIO()\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        f"real.write(' '.join(sorted(m for m in {sorted(banned)!r} if m in sys.modules)))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.stdout == "", f"{' '.join(args)} imported {proc.stdout} ({proc.stderr[-200:]})"


def test_a_terminal_gets_a_table_a_pipe_gets_csv(fixture_db: Path) -> None:
    import os
    import pty

    if not ENTRY_POINT.exists():
        pytest.skip("entry point not installed")
    leader, follower = pty.openpty()
    env = {**os.environ, "COLUMNS": "120"}
    proc = subprocess.run(
        [str(ENTRY_POINT), "--db", str(fixture_db), "search", "std"], stdout=follower, stderr=subprocess.PIPE,
        env=env, timeout=60,
    )  # fmt: skip
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    screen = b"".join(chunks).decode()
    assert proc.returncode == 0 and "─" * 20 in screen and "Free STI Testing" in screen
    piped = subprocess.run(
        [str(ENTRY_POINT), "--db", str(fixture_db), "search", "std"], capture_output=True, text=True, timeout=60
    )
    assert piped.stdout.startswith("id,name,organization,")


def test_debug_variable_shows_the_traceback(fixture_db: Path, tmp_path: Path) -> None:
    from nhfind.core.errors import DatabaseError

    result = typer.testing.CliRunner().invoke(
        app, ["--db", str(tmp_path / "none.db"), "search", "x"], env={"NHFIND_DEBUG": "1"}
    )
    assert isinstance(result.exception, DatabaseError)


@pytest.mark.parametrize(("command", "words"), [("search", "Words to look for"), ("card", "One or more service ids")])
def test_positional_arguments_have_help(nhfind: Nhfind, command: str, words: str) -> None:
    assert words in nhfind(command, "--help").out


READ_ONLY = ("search", "export", "show", "card", "crisis", "categories", "facets", "db info", "db layers")
"""Commands whose examples are safe to run in a test: they write nothing (import, db update/rollback/reset do)."""


def _examples() -> list[str]:
    lines = []
    for _, command in COMMANDS:
        for line in (command.epilog or "").splitlines():
            line = line.strip()
            words = line.split()
            if words[:1] != ["nhfind"] or any(s in line for s in (">", "|", "--output", " -o ", ";")):
                continue
            if words[1:2] == ["--db"]:
                words = [words[0], *words[3:]]
            if any(" ".join(words[1:]).startswith(command) for command in READ_ONLY):
                lines.append(line)
    return sorted(set(lines))


EMPTY_EXAMPLE = "# finds nothing"
"""How an epilog marks an example that is meant to show the empty answer (exit 1), e.g.
`nhfind search xyzzy  # finds nothing: exit 1, with categories and crisis lines on stderr`."""


@pytest.mark.parametrize("example", _examples())
def test_every_help_example_runs(real_db: Path, tmp_path: Path, example: str) -> None:
    """The read-only examples a user copies from --help work on the real data and find something; an example that
    finds nothing is a broken example unless its line says it is meant to (EMPTY_EXAMPLE)."""
    import shlex

    args = shlex.split(example, comments=True)[1:]
    if args[:1] == ["--db"]:
        args = args[2:]
    env = {"NHFIND_DATA_DIR": str(tmp_path)}  # never the user's own imported records
    result = typer.testing.CliRunner().invoke(app, ["--db", str(real_db), *args], env=env)
    if EMPTY_EXAMPLE in example:
        assert result.exit_code == 1, (example, "is documented as finding nothing", result.stdout, result.stderr)
    else:
        assert result.exit_code == 0, (example, "finds nothing or fails on the bundled data", result.stderr)


def test_install_completion_writes_into_the_shell_config(installed: Installed, tmp_path: Path) -> None:
    import os

    env = {**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"}
    proc = subprocess.run(
        [str(ENTRY_POINT), "--install-completion", "bash"], capture_output=True, text=True, env=env, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert "nhfind" in (tmp_path / ".bashrc").read_text()
    scripts = list(tmp_path.rglob("nhfind*"))
    assert scripts and "_nhfind_completion" in scripts[0].read_text()


def test_db_build_output_option(nhfind: Nhfind, tmp_path: Path) -> None:
    from tests.conftest import FIXTURE_DATA

    target = tmp_path / "elsewhere.db"
    built = nhfind("db", "build", "--data", str(FIXTURE_DATA), "--output", str(target), db=tmp_path / "unused.db")
    assert built.code == 0 and target.is_file() and not (tmp_path / "unused.db").exists()
    assert nhfind("search", "std", "-f", "json", db=target).code == 0


def test_a_phone_is_never_broken_over_two_lines_in_an_80_column_table(nhfind: Nhfind) -> None:
    phones = {r["phones"][0]["number"] for r in json.loads(nhfind("search", "--format", "json").out) if r["phones"]}
    table = nhfind("search", "--format", "table", env={"COLUMNS": "80", "NO_COLOR": "1"}).out
    assert phones and max(len(line) for line in table.splitlines()) <= 80
    assert {p for p in phones if p not in table} == set()  # each number whole on one line, as a client reads it
