"""The status line under the reader: the screen's progress state, drawn in one line.

The screen keeps a :class:`Progress` value as a reactive and this bar draws it in its
watcher, so a decision, an analysis or a filter changes a field of the state and the
line follows; nobody calls "update the status" by hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from annotate.terminal_text import one_line
from tui.widgets.text_lines import TextLines


@dataclass(frozen=True, slots=True)
class Progress:
    """What the status line says: the open article's and the corpus's progress."""

    article_decided: int | None = None
    """Decided items of the open article (``None``: no article open)."""
    article_total: int = 0
    done: int = 0
    started: int = 0
    total: int = 0
    shown: int = 0
    """Rows the list shows (fewer than ``total`` while a filter is typed)."""
    model: str = ""
    training: str = ""
    """A training started from the app (``tui.training``), while it runs."""
    annotator: str = ""
    readonly: bool = False

    def line(self) -> str:
        """``article 3/10 · done 1/52 (1%) · 4 started · model ready · @jane``."""
        parts = ["READ-ONLY"] if self.readonly else []
        if self.article_decided is not None:
            parts.append(f"article {self.article_decided}/{self.article_total}")
        percent = f" ({100 * self.done // self.total}%)" if self.total else ""
        parts.append(f"done {self.done}/{self.total}{percent} · {self.started} started")
        if self.shown != self.total:
            parts.append(f"{self.shown} shown")
        if self.model:
            parts.append(self.model)
        if self.training:
            parts.append(self.training)
        parts.append(f"@{one_line(self.annotator)}")
        return " · ".join(parts)


class StatusBar(TextLines):
    """One line of progress; repainted only when its text changes."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        padding: 0 1;
        background: $boost;
        color: $text-muted;
    }
    """

    def show(self, progress: Progress) -> None:
        """Draw ``progress``."""
        self.set_content(Text(progress.line()))
