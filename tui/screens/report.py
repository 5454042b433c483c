"""A report in a modal screen: the agreement between annotators (palette: "Annotator
agreement", ``newsread agreement``'s tables) and the other annotators' choices on the
open article (palette: "Compare with the other annotators")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from annotate.model import Annotations, Article
from annotate.terminal_text import one_line


class ReportScreen(ModalScreen[None]):
    """Rich renderables of plain text (never markup); escape or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Close", id="report_close", tooltip="Close"),
    ]

    DEFAULT_CSS = """
    ReportScreen {
        align: center middle;
    }
    ReportScreen > VerticalScroll {
        width: 110;
        max-width: 100%;
        height: 90%;
        border: round $accent;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, parts: list[RenderableType]) -> None:
        super().__init__()
        self.parts = parts

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(Group(*self.parts), id="report")


def compare_table(article: Article, versions: Mapping[str, Annotations]) -> Table | None:
    """Every annotator's choice on each item of ``article`` they decided differently or at
    all (``annotate.review.items``), one column each; ``None`` when nobody decided."""
    from annotate.review import items

    found = items(versions)
    if not found:
        return None
    table = Table(title=f"Every annotator's choices: {one_line(article.title)}")
    table.add_column("item")
    for name in versions:
        table.add_column(one_line(name) or "(unnamed)")
    for item in found:
        kind, start, end, tag = item.key
        what = one_line(article.text[start:end])[:40]
        label = f"{kind} {one_line(tag)} “{what}”" if tag else f"{kind} “{what}”"
        choices = [item.choices[n] for n in versions]
        table.add_row(Text(label), *(Text(one_line(c) if c else "—") for c in choices))
    return table
