"""The legend: which colour means which label, with counts for the open article."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rich.style import Style
from rich.text import Text

from annotate.model import Annotations, QuoteKind, Status
from annotate.terminal_text import one_line
from tui.widgets.text_lines import TextLines


class Legend(TextLines):
    """Label swatches with the number of (not rejected) entities of each label.

    The colours come from the shared palette, so a label looks the same in the
    reader and here.  A rejection changes one count: only its rows are repainted.
    """

    DEFAULT_CSS = """
    Legend {
        height: 1fr;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._annotations = Annotations()
        self._style_for: Callable[[str], Style] = lambda label: Style()

    def use_palette(self, style_for: Callable[[str], Style]) -> None:
        """Take label colours from the palette (until then the legend is uncoloured)."""
        self._style_for = style_for
        self.show(self._annotations)

    def show(self, annotations: Annotations) -> None:
        """Update the legend for the open article."""
        self._annotations = annotations
        self.set_content(self._render_legend())  # most keys change no count: no repaint

    def _render_legend(self) -> Text:
        counts = Counter(
            s.label
            for s in self._annotations.entities
            if s.status is Status.ACCEPTED or s.status is Status.PENDING
        )
        kinds = Counter(q.kind for q in self._annotations.quotes if q.status is not Status.REJECTED)
        quotes = kinds[QuoteKind.DIRECT] + kinds[QuoteKind.PARTIAL]
        reported = kinds[QuoteKind.INDIRECT] + kinds[QuoteKind.MIXED]
        text = Text()
        if not counts and not quotes and not reported:
            text.append("no highlights yet", style="dim")
            return text
        for label, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            style = self._style_for(label)
            text.append(f" {one_line(label)} ", style=style)
            text.append(f" {count}\n")
        if quotes:
            style = self._style_for("QUOTE")
            text.append(" “QUOTE” ", style=style)
            text.append(f" {quotes}\n")
        if reported:  # reported speech (mixed too): a style and a mark of its own
            text.append(" SAID› REPORTED ", style=self._style_for("REPORTED"))
            text.append(f" {reported}\n")
        text.rstrip()
        return text
