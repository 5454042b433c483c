"""The help screen: every key, as currently mapped (remapped keys included)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Static

from tui.widgets.article_list import ArticleList
from tui.widgets.article_view import ArticleView

KEY_NAMES = {
    "question_mark": "?",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "left_curly_bracket": "{",
    "right_curly_bracket": "}",
    "slash": "/",
    "space": "space",
}


def key_label(key: str) -> str:
    """A key as a person types it (``left_square_bracket`` -> ``[``)."""
    return KEY_NAMES.get(key, key)


def binding_rows(node: DOMNode) -> list[tuple[str, str]]:
    """``(keys, description)`` for each binding of ``node``, keys as mapped now."""
    by_action: dict[str, tuple[list[str], Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            keys, _ = by_action.setdefault(binding.action, ([], binding))
            keys.append(key_label(key))
    rows = []
    digits: list[str] = []
    for keys, binding in by_action.values():
        if binding.action.startswith("quick_label("):
            digits.extend(keys)  # nine rows saying the same thing: fold them into one
            continue
        description = binding.tooltip or binding.description or binding.action
        rows.append((" / ".join(dict.fromkeys(keys)), description))
    if digits:
        rows.append((f"{digits[0]}–{digits[-1]}", "Give the focused entity that label of the set"))
    return rows


class HelpScreen(ModalScreen[None]):
    """Every key of the app, grouped by where it applies; escape or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape,question_mark,q",
            "dismiss(None)",
            "Close",
            id="help_close",
            tooltip="Close the help",
        ),
    ]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 90;
        max-width: 100%;
        height: 90%;
        border: round $accent;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, main: DOMNode) -> None:
        super().__init__()
        self.main = main

    def compose(self) -> ComposeResult:
        sections: list[tuple[str, DOMNode | None]] = [
            ("Annotating (anywhere but the filter box)", self.main),
            ("Drawing a new span (after v)", self._find(ArticleView)),
            ("Article list", self._find(ArticleList)),
            ("App", self.main.app),
        ]
        with VerticalScroll():
            yield Static(Text("newsread keys", style="bold"))
            for title, node in sections:
                if node is None:
                    continue
                table = Table(title=title, title_justify="left", show_header=False, expand=True)
                table.add_column("keys", style="bold", width=22)
                table.add_column("action")
                for keys, description in binding_rows(node):
                    table.add_row(Text(keys), Text(description))
                yield Static(table)
            yield Static(
                Text(
                    "ctrl+p: command palette (actions, go to article) · keys can be remapped "
                    "by binding id in the config file (newsread config)",
                    style="dim",
                )
            )

    def _find(self, kind: type[Widget]) -> Widget | None:
        found = self.main.query(kind)
        return found.first() if found else None
