"""`python -m nhfind`: the same as the `nhfind` command."""

from nhfind.cli import main

main()
