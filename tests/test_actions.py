"""What each annotation key means, on plain objects (no app, blank tokenizer)."""

from __future__ import annotations

from dataclasses import replace

from annotate import actions
from annotate.edits import apply_edit
from annotate.model import (
    Annotations,
    Article,
    ArticleStatus,
    Origin,
    Quote,
    Span,
    Statement,
    Status,
)
from annotate.tokens import tokenize
from tests.tui_support import TEXT, at, fixture_annotations


def by_text(annotations: Annotations, needle: str, nth: int = 0) -> actions.Focusable:
    start, end = at(needle, nth)
    return next(i for i in actions.focusables(annotations) if (i.start, i.end) == (start, end))


def test_step_visits_pending_in_reading_order_and_wraps() -> None:
    ann = fixture_annotations()
    order = []
    current = None
    for _ in range(len(actions.focusables(ann)) + 1):
        item = actions.step(ann, current)
        assert item is not None
        order.append(TEXT[item.start : item.end])
        current = item.id
    assert order[:3] == ["Jane Doe", "balanced and fair,", "We will cut taxes,"]
    assert order[-1] == order[0]  # wrapped around
    back = actions.step(ann, by_text(ann, "Jane Doe").id, backwards=True)
    assert back is not None and TEXT[back.start : back.end] == "Monday"


def test_step_skips_decided_until_nothing_is_pending() -> None:
    ann = fixture_annotations()
    jane = by_text(ann, "Jane Doe")
    ann = apply_edit(ann, actions.accept(ann, jane.id, "t"))  # type: ignore[arg-type]
    first = actions.step(ann, None)
    assert first is not None and first.id != jane.id
    everything = apply_edit(ann, actions.accept_all(ann, "t"))  # type: ignore[arg-type]
    assert actions.step(everything, None) is not None  # review mode visits all
    assert actions.accept_all(everything, "t") is None


def test_accepting_a_quote_accepts_its_speaker() -> None:
    ann = fixture_annotations()
    quote = by_text(ann, "We will cut taxes,")
    edit = actions.accept(ann, quote.id, "ann")
    assert edit is not None
    (after,) = edit.after
    assert isinstance(after, Quote)
    assert after.status is Status.ACCEPTED and after.speaker_status is Status.ACCEPTED
    assert after.annotator == "ann" and after.timestamp


def test_relabel_only_applies_to_entities() -> None:
    ann = fixture_annotations()
    doe = by_text(ann, "Doe", nth=1)
    edit = actions.relabel(ann, doe.id, "PERSON", "t")
    assert edit is not None and edit.after[0].label == "PERSON"
    assert actions.relabel(ann, by_text(ann, "We will cut taxes,").id, "ORG", "t") is None


def test_move_edge_snaps_to_tokens_and_rejects_what_it_swallows() -> None:
    ann = fixture_annotations()
    tokens = tokenize(Article.from_text(TEXT))
    doe = by_text(ann, "Doe", nth=1)
    edit = actions.move_edge(ann, doe.id, tokens, edge="end", delta=2, annotator="t")
    assert edit is not None
    moved = edit.after[0]
    assert TEXT[moved.start : moved.end] == "Doe told reporters"
    shrink = actions.move_edge(ann, doe.id, tokens, edge="end", delta=-1, annotator="t")
    assert shrink is None  # one token is the minimum: nothing to do
    jane = by_text(ann, "Jane Doe")
    grown = actions.move_edge(ann, jane.id, tokens, edge="end", delta=30, annotator="t", text=TEXT)
    assert grown is not None
    assert TEXT[grown.after[0].start : grown.after[0].end].endswith("according to officials.")
    assert [i.id for i in grown.after] == [jane.id]  # stops at the paragraph, rejects none
    doe_grown = actions.move_edge(ann, doe.id, tokens, edge="end", delta=4, annotator="t")
    assert doe_grown is not None
    swallowed = [TEXT[i.start : i.end] for i in doe_grown.after if i.id != doe.id]
    assert swallowed == ["Springfield"]
    assert all(
        getattr(i, "status", None) is Status.REJECTED for i in doe_grown.after if i.id != doe.id
    )


def test_add_span_rejects_overlapped_entities_and_undo_restores() -> None:
    ann = fixture_annotations()
    start, _ = at("reporters")
    _, end = at("Springfield")
    edit = actions.add_span(ann, start, end, "ORG", "t")
    assert edit is not None
    after = apply_edit(ann, edit)
    springfield = next(s for s in after.entities if TEXT[s.start : s.end] == "Springfield")
    added = next(s for s in after.entities if s.origin is Origin.USER)
    assert springfield.status is Status.REJECTED and added.status is Status.ACCEPTED
    assert apply_edit(after, edit.inverted()) == ann


def test_set_speaker_and_clear_it() -> None:
    ann = fixture_annotations()
    quote = by_text(ann, "We will cut taxes,")
    officials = Span(*at("officials"), "PERSON")
    edit = actions.set_speaker(ann, quote.id, officials, "t")
    assert edit is not None
    changed = edit.after[0]
    assert isinstance(changed, Quote) and changed.speaker is not None
    assert TEXT[changed.speaker.start : changed.speaker.end] == "officials"
    assert changed.speaker.origin is Origin.USER and changed.speaker_ref is None
    cleared = actions.set_speaker(ann, quote.id, None, "t")
    assert cleared is not None and cleared.after[0].speaker is None  # type: ignore[union-attr]
    assert actions.set_speaker(ann, by_text(ann, "Monday").id, officials, "t") is None


def test_tags_add_change_and_remove_a_statement() -> None:
    ann = fixture_annotations()
    start, end = actions.sentence_around(ann, at("Monday")[0], TEXT)
    assert "Monday" in TEXT[start:end]
    added = actions.tag(ann, start, end, ["claim", "claim", "denial"], "t")
    assert added is not None
    ann = apply_edit(ann, added)
    assert [s.tags for s in ann.statements] == [("claim", "denial")]
    assert actions.tag(ann, start, end, ["claim", "denial"], "t") is None  # unchanged
    removed = actions.tag(ann, start, end, [], "t")
    assert removed is not None and apply_edit(ann, removed).statements == ()


def test_sentence_falls_back_to_paragraph_without_analysis() -> None:
    text = "First line.\nSecond line here."
    assert actions.sentence_around(Annotations(), 14, text) == (12, len(text))
    assert (
        actions.statement_at(Annotations(statements=(Statement(0, 5, ("claim",)),)), 0, 5)
        is not None
    )


def test_edges_move_by_the_export_tokens_of_a_conll_article() -> None:
    """A CoNLL import keeps its own tokens; the UI must step over exactly those."""
    text = "New York-based Acme Corp. hired 3,000 staff"
    conll = Article.from_text(text, meta={"tokenization": "whitespace"})
    tokens = tokenize(conll)
    assert [text[a:b] for a, b in zip(tokens.starts, tokens.ends, strict=True)] == text.split()
    spacy_tokens = tokenize(Article.from_text(text))
    assert len(spacy_tokens) > len(tokens)  # spaCy would split "York-based", "Corp." …


def test_moving_a_quote_edge_decides_its_speaker() -> None:
    """`}` on a quote accepts it as shown: its speaker too, or the export says speaker=None."""
    ann = fixture_annotations()
    tokens = tokenize(Article.from_text(TEXT))
    quote = by_text(ann, "We will cut taxes,")
    edit = actions.move_edge(ann, quote.id, tokens, edge="end", delta=-1, annotator="t")
    assert edit is not None
    (moved,) = edit.after
    assert isinstance(moved, Quote)
    assert moved.status is Status.ACCEPTED and moved.speaker_status is Status.ACCEPTED


def test_a_quote_with_a_pending_speaker_is_pending_until_accept_all() -> None:
    """An accepted quote whose speaker waits keeps the article from being done; A decides it."""
    ann = fixture_annotations()
    quote = by_text(ann, "We will cut taxes,")
    assert isinstance(quote, Quote)
    half = replace(quote, status=Status.ACCEPTED)  # as an older newsread left it
    others = [
        replace(e, status=Status.ACCEPTED) if e.id != quote.id else half
        for e in actions.focusables(ann)
    ]
    ann = ann.replace(
        entities=tuple(i for i in others if isinstance(i, Span)),
        quotes=tuple(
            replace(i, speaker_status=Status.ACCEPTED) if i.id != quote.id else i
            for i in others
            if isinstance(i, Quote)
        ),
    )
    assert ann.pending == 1 and ann.status(analysed=True) is not ArticleStatus.DONE
    assert actions.step(ann, None) == half  # tab goes to the speaker that waits
    edit = actions.accept_all(ann, "t")
    assert edit is not None and [i.id for i in edit.before] == [quote.id]
    done = apply_edit(ann, edit)
    assert done.pending == 0 and done.status(analysed=True) is ArticleStatus.DONE


def test_changing_the_speaker_clears_the_old_cue_and_a_cue_can_be_set_again() -> None:
    ann = fixture_annotations()
    quote = by_text(ann, "balanced and fair,")
    assert isinstance(quote, Quote) and quote.cue is not None
    edit = actions.set_speaker(ann, quote.id, Span(*at("officials"), "PERSON"), "t")
    assert edit is not None
    changed = edit.after[0]
    assert isinstance(changed, Quote) and changed.cue is None
    ann = apply_edit(ann, edit)
    assert actions.set_cue(ann, quote.id, None, "t") is None  # nothing to clear
    marked = actions.set_cue(ann, quote.id, Span(*at("according to"), "CUE"), "t")
    assert marked is not None
    cue = marked.after[0].cue  # type: ignore[union-attr]
    assert cue is not None and TEXT[cue.start : cue.end] == "according to"
    ann = apply_edit(ann, marked)
    cleared = actions.set_cue(ann, quote.id, None, "t")
    assert cleared is not None and cleared.after[0].cue is None  # type: ignore[union-attr]
    assert actions.set_cue(ann, by_text(ann, "Monday").id, None, "t") is None


def _accepted_overlaps(ann: Annotations) -> list[tuple[int, int]]:
    ok = [e for e in ann.entities if e.status is Status.ACCEPTED]
    return [(a.start, b.start) for a in ok for b in ok if a is not b and a.overlaps(b.start, b.end)]


def test_accepting_or_relabelling_an_entity_rejects_the_entities_it_overlaps() -> None:
    """Found by the export oracle: two accepted entities over the same words, which
    the screen showed and no DocBin could hold."""
    ann = fixture_annotations()
    start, end = at("Jane")
    drawn = actions.add_span(ann, start, end, "PERSON", "ann")  # rejects "Jane Doe"
    assert drawn is not None
    ann = apply_edit(ann, drawn)
    jane_doe = by_text(ann, "Jane Doe")
    assert jane_doe.status is Status.REJECTED
    for edit in (
        actions.accept(ann, jane_doe.id, "ann"),
        actions.relabel(ann, jane_doe.id, "ORG", "ann"),
    ):
        assert edit is not None
        after = apply_edit(ann, edit)
        assert _accepted_overlaps(after) == []
        assert by_text(after, "Jane Doe").status is Status.ACCEPTED
    again = apply_edit(ann, actions.accept(ann, jane_doe.id, "ann"))  # type: ignore[arg-type]
    redrawn = actions.add_span(again, start, end, "PERSON", "ann")  # the same span again
    assert redrawn is not None and _accepted_overlaps(apply_edit(again, redrawn)) == []


def test_accept_all_keeps_the_first_of_overlapping_suggestions() -> None:
    ann = fixture_annotations()
    start, end = at("Jane")
    extra = Span(start, end, "PERSON", origin=Origin.RULE)
    ann = ann.replace(entities=(*ann.entities, extra))
    after = apply_edit(ann, actions.accept_all(ann, "ann"))  # type: ignore[arg-type]
    assert _accepted_overlaps(after) == []
    assert by_text(after, "Jane Doe").status is Status.ACCEPTED  # first in reading order
    assert next(e for e in after.entities if e.id == extra.id).status is Status.REJECTED
    assert after.status(analysed=True) is ArticleStatus.DONE
