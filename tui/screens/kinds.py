"""Re-kinding an attribution from the main screen: ``l`` on a quote picks its kind.

A quote's kind is its label (a quotation, mixed, reported speech, a partial quotation),
so the relabel key opens the same picker with the four kinds; the choice is an ordinary
undoable decision (:func:`annotate.actions.rekind`) saved through the store.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style

from annotate import actions
from annotate.model import Quote, QuoteKind

if TYPE_CHECKING:
    from tui.screens.annotate import AnnotateScreen

KIND_ORDER = (QuoteKind.DIRECT, QuoteKind.PARTIAL, QuoteKind.MIXED, QuoteKind.INDIRECT)
"""Picker order (digits 1–4): the quotation kinds first, then reported speech."""


def choose_kind(screen: AnnotateScreen, quote: Quote) -> None:
    """Open the kind picker for ``quote``; the chosen kind is saved as a decision."""
    from tui.screens.pickers import LabelPicker  # pickers load on first use, not at start

    quote_id = quote.id
    palette = screen.reader.palette

    def style_for(kind: str) -> Style:
        if palette is None:
            return Style()
        reported = kind in (QuoteKind.MIXED, QuoteKind.INDIRECT)
        return palette.label_style("REPORTED" if reported else "QUOTE")

    def chosen(kind: str | None) -> None:
        if kind and screen.article is not None:
            edit = actions.rekind(
                screen.annotations, quote_id, QuoteKind(kind), screen.annotator, screen.article.text
            )
            screen.apply_decision(edit, then=quote_id)

    kinds = [str(k) for k in KIND_ORDER]
    screen.app.push_screen(LabelPicker(kinds, str(quote.kind), style_for, title="Kind"), chosen)
