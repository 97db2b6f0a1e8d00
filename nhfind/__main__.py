"""`python -m nhfind`: the same as the `nhfind` command."""

from nhfind.entry import main

main()
