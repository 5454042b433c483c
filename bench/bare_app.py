"""The comparison for bench/startup.py: a bare Textual app with a list and a text pane."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Footer, Static

from tui import trace


class BareApp(App[None]):
    """Two static panes and a footer: the least a Textual app paints."""

    BINDINGS = [("q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Static("article list")
        yield Static("article text")
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(trace.mark, "first_paint")


if __name__ == "__main__":
    BareApp().run()
