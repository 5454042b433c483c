"""The highlight palette: every label and highlight style, styled once, shared by all.

Textual resolves a widget's component classes by styling one virtual node per class,
again on every restyle of that widget (each focus change, hover…).  With a class per
entity label that cost about 2 ms per class on every focus change of the reader.  The
palette is a hidden widget that owns these classes instead: it is never focused nor
hovered, so it is styled once (and again only when the theme changes), and the reader
and the legend read their colours from it.  It is mounted after the first paint, so
the article text shows at once and the colours follow a moment later.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from textual.message import Message
from textual.widget import Widget

from tui.labels import LABEL_CLASSES, label_class

HIGHLIGHT_CLASSES = frozenset(
    {
        "palette--quote",
        "palette--reported",
        "palette--speaker",
        "palette--cue",
        "palette--rejected",
        "palette--focused",
        "palette--tag",
        "palette--selection",
    }
)


class LabelPalette(Widget):
    """A hidden widget whose component classes hold the highlight colours (from the .tcss)."""

    DEFAULT_CSS = """
    LabelPalette {
        display: none;
    }
    """

    COMPONENT_CLASSES = set(LABEL_CLASSES | HIGHLIGHT_CLASSES)

    @dataclass
    class Changed(Message):
        """The colours changed (first styling or a theme switch): repaint highlights."""

        palette: LabelPalette

    def style(self, component: str) -> Style:
        """The Rich style of one component class (``palette--quote``, ``label--ORG``…)."""
        return self.get_component_rich_style(component, partial=True)

    def label_style(self, label: str) -> Style:
        """The style of an entity label; ``QUOTE`` and ``REPORTED`` give the attribution
        styles (a quotation, reported speech)."""
        if label == "QUOTE":
            return self.style("palette--quote")
        if label == "REPORTED":
            return self.style("palette--reported")
        return self.style(label_class(label))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self.post_message(self.Changed(self))

    def on_mount(self) -> None:
        self.post_message(self.Changed(self))
