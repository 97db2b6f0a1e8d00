"""nhfind: an offline finder for support resources in North Highlands and Sacramento County.

Holds the version only; never imports nhfind.cli or nhfind.tui.
"""

__version__ = "0.1.0"
