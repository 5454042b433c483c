"""A panel of Rich text that repaints only the lines that changed.

A ``Static`` repaints all of its rows on every update, and Textual then renders every
widget crossing those rows again.  The side panels change a line or two per decision
(a status mark, a count), so they draw through the Line API instead: after an update
only the rows whose text differs are refreshed.  Measured with ``bench/keys.py``, a
``Static`` legend re-rendered its 26 rows on every rejection, more than half of the
rows a decision's frame rendered.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from tui.widgets.text_layout import line_strip


class TextLines(Widget):
    """Shows a :class:`~rich.text.Text`, wrapped to the widget's width."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._content = Text()
        self._lines: list[Text] = []
        self._strips: dict[int, Strip] = {}

    @property
    def content(self) -> Text:
        """What the panel shows (for tests and debugging)."""
        return self._content

    def set_content(self, content: Text) -> None:
        """Show ``content``; only rows whose text changed are repainted."""
        if content != self._content:
            self._content = content
            self._relayout()

    def _relayout(self) -> None:
        width = self.content_region.width
        if width <= 0:
            return
        old, self._lines = self._lines, list(self._content.wrap(self.app.console, width))
        for y in range(max(len(old), len(self._lines))):
            if y >= len(old) or y >= len(self._lines) or old[y] != self._lines[y]:
                self._strips.pop(y, None)
                self.refresh(Region(0, y, width, 1))

    def on_resize(self) -> None:
        self._lines, self._strips = [], {}
        self._relayout()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips = {}

    def render_line(self, y: int) -> Strip:
        width = self.content_region.width
        strip = self._strips.get(y)
        if strip is None:
            line = self._lines[y] if y < len(self._lines) else Text()
            strip = self._strips[y] = line_strip(line, self.app.console, width, self.rich_style)
        return strip
