"""The Textual TUI. Imported only when the interactive finder is launched."""
