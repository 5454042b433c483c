"""A report in a modal screen: the agreement between annotators (palette: "Annotator
agreement", ``newsread agreement``'s tables) and the other annotators' choices on the
open article (palette: "Compare with the other annotators")."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


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
