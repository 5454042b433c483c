"""Re-kinding an attribution (``annotate.actions.rekind``) on plain objects, and the
store's encoding of the result: the kind and the quoted words survive a round trip."""

from __future__ import annotations

from annotate import actions
from annotate.edits import apply_edit
from annotate.model import Article, Quote, QuoteKind, Status
from annotate.tokens import tokenize
from store.codec import edit_doc, edit_from_doc
from tests.kinds_support import DIRECT, INDIRECT, MIXED, TEXT, at, kinds_annotations


def quote_of(content: str) -> Quote:
    return next(q for q in kinds_annotations().quotes if TEXT[q.start : q.end] == content)


def test_reported_speech_re_kinded_to_mixed_lists_the_marked_words_inside() -> None:
    annotations = kinds_annotations()
    mixed = quote_of(MIXED)
    edit = actions.rekind(annotations, mixed.id, QuoteKind.INDIRECT, "ann", TEXT)
    assert edit is not None
    indirect = edit.after[0]
    assert isinstance(indirect, Quote)
    assert (indirect.kind, indirect.quoted, indirect.status) == (
        QuoteKind.INDIRECT,
        (),
        Status.ACCEPTED,
    )
    back = actions.rekind(apply_edit(annotations, edit), mixed.id, QuoteKind.MIXED, "ann", TEXT)
    assert back is not None and isinstance(back.after[0], Quote)
    assert back.after[0].quoted == (at("dead on arrival"),)  # found again from the marks


def test_a_quotation_re_kinded_to_mixed_becomes_its_quoted_words() -> None:
    direct = quote_of(DIRECT)
    edit = actions.rekind(kinds_annotations(), direct.id, QuoteKind.MIXED, "ann", TEXT)
    assert edit is not None and isinstance(edit.after[0], Quote)
    assert edit.after[0].quoted == (at(DIRECT),)
    assert edit.after[0].speaker_status is Status.ACCEPTED  # decided as shown, like accept


def test_re_kind_to_the_same_kind_or_of_an_entity_is_no_decision() -> None:
    annotations = kinds_annotations()
    indirect = quote_of(INDIRECT)
    assert actions.rekind(annotations, indirect.id, QuoteKind.INDIRECT, "ann", TEXT) is None
    entity = annotations.entities[0]
    assert actions.rekind(annotations, entity.id, QuoteKind.DIRECT, "ann", TEXT) is None


def test_undoing_a_re_kind_restores_the_quote_exactly() -> None:
    annotations = kinds_annotations()
    edit = actions.rekind(annotations, quote_of(MIXED).id, QuoteKind.PARTIAL, "ann", TEXT)
    assert edit is not None
    assert apply_edit(apply_edit(annotations, edit), edit.inverted()) == annotations


def test_the_store_codec_keeps_kind_and_quoted_words() -> None:
    edit = actions.rekind(kinds_annotations(), quote_of(DIRECT).id, QuoteKind.MIXED, "a", TEXT)
    assert edit is not None
    assert edit_from_doc(edit_doc(edit)) == edit


def test_moving_an_edge_of_a_mixed_attribution_keeps_its_quoted_words_inside_it() -> None:
    annotations = kinds_annotations()
    mixed = quote_of(MIXED)
    tokens = tokenize(Article.from_text(TEXT))
    edit = None
    for _ in range(4):  # the end walks back over "and would fail" and the closing mark
        edit = actions.move_edge(
            annotations, mixed.id, tokens, edge="end", delta=-1, annotator="a", text=TEXT
        )
        assert edit is not None
        annotations = apply_edit(annotations, edit)
    moved = actions.find(annotations, mixed.id)
    assert isinstance(moved, Quote)
    assert all(moved.start <= a < b <= moved.end for a, b in moved.quoted)
    assert moved.quoted  # "dead on arrival" still inside, or its part that is
