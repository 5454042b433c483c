"""The help screen: every newsread key as currently mapped, with its binding id, and a
legend for the marks and numbers the main screen shows.

Only bindings that newsread declares are listed (Textual's own, such as copying text
or its quit-help key, are not ours to explain), each with the id that ``[keys]`` in
the config file remaps.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

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
    "greater_than_sign": ">",
    "less_than_sign": "<",
    "slash": "/",
    "space": "space",
}

LEGEND = (
    ("○ ◐ ●", "article list: new (nothing decided) · in progress · done (nothing pending, "
              "every speaker decided)"),
    ("title 6", "the number after a title: suggestions still pending in that article"),
    ("PERSON✓ ✗", "reader: a label with ✓ is accepted, ✗ rejected, no mark pending"),
    ("PERSON↷", "reader: the model's label, replaced by what people chose in other articles"),
    ("QUOTE SPEAKER CUE", "the focused quote's speaker and cue; = SPEAKER is the name the "
                          "speaker resolves to"),
    ("article 3/10", "status line: decided / all items of the open article"),
    ("done 4/52 (7%)", "articles done of all; N started: articles in progress"),
    ("N shown", "rows the search shows; then the model state and @annotator"),
)  # fmt: skip


class KeyRow(NamedTuple):
    """One row of the help: keys as typed now, what they do, the id that remaps them."""

    keys: str
    description: str
    binding_id: str


def key_label(key: str) -> str:
    """A key as a person types it (``left_square_bracket`` -> ``[``)."""
    return KEY_NAMES.get(key, key)


def newsread_ids(node: DOMNode) -> set[str]:
    """Ids of the bindings newsread's own classes declare for ``node``."""
    ids: set[str] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("tui."):
            for binding in cls.__dict__.get("BINDINGS", []):
                if isinstance(binding, Binding) and binding.id:
                    ids.add(binding.id)
    return ids


def key_rows(node: DOMNode) -> list[KeyRow]:
    """The rows for ``node``'s newsread bindings, keys as mapped now (config included)."""
    ours = newsread_ids(node)
    by_id: dict[str, tuple[list[str], Binding]] = {}
    for key, bindings in node._bindings.key_to_bindings.items():
        for binding in bindings:
            if binding.id in ours:
                keys, _ = by_id.setdefault(binding.id, ([], binding))
                keys.append(key_label(key))
    rows = []
    digits: list[tuple[str, str]] = []
    for binding_id, (keys, binding) in by_id.items():
        if binding.action.startswith("quick_label("):
            digits.append((keys[0], binding_id))  # nine alike rows: fold them into one
            continue
        description = binding.tooltip or binding.description or binding.action
        rows.append(KeyRow(" / ".join(dict.fromkeys(keys)), description, binding_id))
    if digits:
        typed = f"{digits[0][0]}–{digits[-1][0]}"
        ids = f"{digits[0][1]}…{digits[-1][1]}"
        rows.append(KeyRow(typed, "Give the focused entity that label of the set", ids))
    return rows


def binding_rows(node: DOMNode) -> list[tuple[str, str]]:
    """``(keys, description)`` for each newsread binding of ``node``."""
    return [(row.keys, row.description) for row in key_rows(node)]


class HelpScreen(ModalScreen[None]):
    """Every key of the app, grouped by where it applies; escape or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss(None)", "Close", id="help_close",
                tooltip="Close the help"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > VerticalScroll {
        width: 100;
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
            ("Annotating (anywhere but the search box)", self.main),
            ("Drawing a new span (after v)", self._find(ArticleView)),
            ("Article list", self._find(ArticleList)),
            ("App", self.main.app),
        ]
        with VerticalScroll():
            yield Static(Text("newsread keys  (esc closes)", style="bold"))
            for title, node in sections:
                if node is None:
                    continue
                table = Table(title=title, title_justify="left", show_header=False, expand=True)
                table.add_column("keys", style="bold", width=16)
                table.add_column("action", ratio=1)
                table.add_column("binding id", style="dim", width=18)
                for row in key_rows(node):
                    table.add_row(Text(row.keys), Text(row.description), Text(row.binding_id))
                yield Static(table)
            legend = Table(title="What the screen shows", title_justify="left",
                           show_header=False, expand=True)  # fmt: skip
            legend.add_column("mark", style="bold", width=18)
            legend.add_column("meaning", ratio=1)
            for mark, meaning in LEGEND:
                legend.add_row(Text(mark), Text(meaning))
            yield Static(legend)
            yield Static(
                Text(
                    "ctrl+p: command palette (actions, go to article) · remap a key by its "
                    "binding id under [keys] in the config file (newsread config --example)",
                    style="dim",
                )
            )

    def _find(self, kind: type[Widget]) -> Widget | None:
        found = self.main.query(kind)
        return found.first() if found else None
