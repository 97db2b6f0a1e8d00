"""The core: records, the database build, read-only access and the one query layer.

Pure Python + sqlite-utils. Never imports typer, rich, textual, nhfind.cli or nhfind.tui.
"""
