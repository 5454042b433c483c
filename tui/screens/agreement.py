"""The agreement screen (palette: "Annotator agreement"): ``newsread agreement``'s tables
in the app, computed in a worker so the app never waits on it."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class AgreementScreen(ModalScreen[None]):
    """The agreement report (rich tables of plain text); escape or q closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss(None)", "Close"),
    ]

    DEFAULT_CSS = """
    AgreementScreen {
        align: center middle;
    }
    AgreementScreen > VerticalScroll {
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
            yield Static(Group(*self.parts), id="agreement")
