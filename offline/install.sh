#!/bin/sh
# nhfind offline installer for Linux and macOS. Needs Python 3.11 or newer and nothing from the network.
#
#   sh install.sh [FOLDER] [--bin DIR] [--no-launcher]
#
# FOLDER (default ~/nhfind) becomes a Python virtual environment made from the wheels in this folder only; an
# `nhfind` launcher goes in ~/.local/bin (or --bin DIR). Run it again from a newer bundle to upgrade: your imported
# records and data updates are kept. PYTHON=/path/to/python3 picks the Python to use.
#
# Order: find Python, check every file against SHA256SUMS, then install.py does the rest. Before Python is found
# only shell built-ins run, so even a bare system gets its one line.
set -u

here=.
case "$0" in */*) here=${0%/*} ;; esac
here=$(cd "$here" 2>/dev/null && pwd -P) || { echo "install.sh: cannot enter the bundle folder; run: sh /path/to/install.sh" >&2; exit 1; }


# The first Python 3.11+ among $PYTHON (alone, when set), python3, python3.14 ... python3.11, python.
version_of() {
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}
new_enough() {
    case "$1" in [0-9]*.[0-9]*) ;; *) return 1 ;; esac
    major=${1%%.*} minor=${1#*.}
    [ "$major" -gt 3 ] || { [ "$major" -eq 3 ] && [ "$minor" -ge 11 ]; }
}
python= found= found_version=
if [ -n "${PYTHON:-}" ]; then
    candidates=$PYTHON
else
    candidates="python3 python3.14 python3.13 python3.12 python3.11 python"
fi
for candidate in $candidates; do
    [ -n "${PYTHON:-}" ] && candidate=$PYTHON
    command -v "$candidate" >/dev/null 2>&1 || continue
    v=$(version_of "$candidate") || continue
    if new_enough "$v"; then python=$candidate; break; fi
    [ -n "$found" ] || { found=$candidate; found_version=$v; }
    [ -n "${PYTHON:-}" ] && break
done
if [ -z "$python" ]; then
    if [ -n "$found" ]; then
        echo "install.sh: nhfind needs Python 3.11 or newer, and $found here is Python $found_version: install a newer Python (README.txt), or name one: PYTHON=/path/to/python3.11 sh install.sh" >&2
    elif [ -n "${PYTHON:-}" ]; then
        echo "install.sh: PYTHON=$PYTHON does not run: name a Python 3.11 or newer, e.g. PYTHON=/usr/bin/python3.11 sh install.sh" >&2
    else
        echo "install.sh: nhfind needs Python 3.11 or newer, and no Python was found: install it first (README.txt), or name one: PYTHON=/path/to/python3 sh install.sh" >&2
    fi
    exit 1
fi
if ! "$python" -c 'import venv' >/dev/null 2>&1; then
    echo "install.sh: $python has no venv module, so it cannot make the environment nhfind lives in: name another Python, e.g. PYTHON=/usr/bin/python3.11 sh install.sh" >&2
    exit 1
fi

"$python" -I - "$here" install.sh <<'VERIFY' || exit 1
@VERIFY@
VERIFY

exec "$python" -I "$here/install.py" "$@"
