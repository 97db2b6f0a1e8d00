# Checks every file of the offline bundle against SHA256SUMS before anything is installed.
# scripts/bundle.py copies this text into install.sh and install.ps1 (run as `python - FOLDER SCRIPT`), so it is
# checked by no other copy of itself: plain ASCII, standard library only, one line on stderr and exit 1 on failure.
import hashlib
import os
import re
import sys

here, script = sys.argv[1], sys.argv[2]


def stop(what):
    sys.stderr.write(script + ": " + what + "\n")
    sys.exit(1)


again = "copy the whole bundle folder again from the original"
try:
    with open(os.path.join(here, "SHA256SUMS"), "rb") as f:
        lines = f.read().decode("utf-8").splitlines()
except (OSError, UnicodeError):
    stop("SHA256SUMS is missing or unreadable in " + here + ": " + again)
listed = {}
for number, line in enumerate(lines, 1):
    m = re.fullmatch(r"([0-9a-f]{64}) [ *]([A-Za-z0-9._+/-]+)", line.strip())
    if not m or m.group(2).startswith("/") or ".." in m.group(2).split("/"):
        stop(f"SHA256SUMS line {number} is damaged: {again}")
    listed[m.group(2)] = m.group(1)
if not any(name.startswith("wheels/nhfind-") for name in listed):
    stop("SHA256SUMS lists no nhfind wheel: " + again)
wheels = os.path.join(here, "wheels")
extra = sorted(n for n in (os.listdir(wheels) if os.path.isdir(wheels) else []) if "wheels/" + n not in listed)
if extra:
    stop("wheels/" + extra[0] + " is not part of this bundle (not in SHA256SUMS): remove it, or " + again)
for name, expected in sorted(listed.items()):
    digest = hashlib.sha256()
    try:
        with open(os.path.join(here, *name.split("/")), "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        stop(name + " is missing: " + again)
    if digest.hexdigest() != expected:
        stop(name + " is damaged (its checksum does not match SHA256SUMS): " + again)
