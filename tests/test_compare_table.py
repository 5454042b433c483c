"""The palette's "Compare with the other annotators": one column per annotator."""

from __future__ import annotations

from rich.console import Console

from annotate.model import Annotations, Article, Span, Status
from tui.screens.report import compare_table


def test_each_annotator_has_a_column_and_names_are_escaped() -> None:
    article = Article.from_text("Kim met Lee in Oslo.", title="T\x1b[2J")
    kim = Span(0, 3, "PERSON", status=Status.ACCEPTED)
    versions = {
        "alice": Annotations(entities=(kim,)),
        "bob\x1b]0;x\x07": Annotations(entities=(Span(0, 3, "ORG", status=Status.ACCEPTED),)),
    }
    table = compare_table(article, versions)
    assert table is not None and table.row_count >= 1
    console = Console(width=120, record=True, color_system=None)
    console.print(table)
    shown = console.export_text()
    assert "alice" in shown and "PERSON" in shown and "ORG" in shown
    assert "\x1b" not in shown and "\\x1b" in shown


def test_nothing_decided_gives_no_table() -> None:
    article = Article.from_text("Kim met Lee.", title="T")
    assert compare_table(article, {}) is None
