"""The search box: a Textual ``Input`` that does not lay out the screen per keystroke.

``Input`` assigns its ``virtual_size`` (a layout reactive) on every change of its
value, and the layout that follows sets it back, so each typed letter cost a layout
pass of the whole screen (measured with ``bench/keys.py``, ``search_ms``).  This box
has a fixed size (``newsread.tcss``): its new scroll range is applied in place first,
so Input's own assignment finds nothing to change.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Input


class FilterBox(Input):
    """The ``/`` search box of the article list."""

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Input.virtual_size, size)
            self._scroll_update(size)
        super()._watch_value(value)
