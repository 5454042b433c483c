"""The footer: the screen's keys in order of use, with ``?`` always in sight.

Textual's footer lists keys left to right and cuts the tail when the terminal is
narrow; the app's own keys come last, so at 80 columns ``?`` was cut first.  Here the
help key is docked at the right edge (like Textual's command-palette key), so it
always fits; the palette key is left out (``?`` names ``ctrl+p``).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """A footer whose help key is docked right."""

    DEFAULT_CSS = """
    KeyFooter FooterKey.-help {
        dock: right;
        padding: 0 1;
        margin: 0;
    }
    """

    def __init__(self) -> None:
        super().__init__(show_command_palette=False, compact=True)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action == "help":
                widget.add_class("-help")
            yield widget
