"""Scare quotes are not suggested by default (issue 13): a quotation of at most three
words that nobody says, and a partial one reading as a name or title with no cue.

A blank pipeline with a sentencizer: the rule reads the detector's output, not the model.
"""

from __future__ import annotations

import pytest
import spacy

from annotate.detect.nlp import load_model
from annotate.detect.pipeline import annotations_from_doc
from annotate.detect.quotes import is_scare_quote
from annotate.model import Origin, Quote, QuoteKind, Span
from tests.test_config import write_config
from tui.config import load_settings

TEXT = (
    'The firm called it a "streamlined" process. "We will win," Doe said. '
    'The court called it "an abuse of power by the state" today.'
)


def contents(scare_quotes: bool) -> list[str]:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    found = annotations_from_doc(nlp(TEXT), scare_quotes=scare_quotes)
    return [TEXT[q.start : q.end] for q in found.quotes]


def test_a_short_unattributed_quotation_is_left_out_by_default() -> None:
    assert contents(scare_quotes=False) == ["We will win,", "an abuse of power by the state"]


def test_the_setting_brings_it_back() -> None:
    assert "streamlined" in contents(scare_quotes=True)


def quote(
    text: str, needle: str, kind: QuoteKind, *, cue: bool = False, speaker: bool = False
) -> Quote:
    start = text.index(needle)
    mark = Span(0, 3, "CUE", origin=Origin.RULE)
    return Quote(
        start,
        start + len(needle),
        kind,
        cue=mark if cue else None,
        speaker=Span(0, 3, "SPEAKER", origin=Origin.RULE) if speaker else None,
    )


def test_what_counts_as_a_scare_quote() -> None:
    text = 'Doe said "we will win this" and named the robot "Robogee." in the "Bay Area Cup".'
    short = quote(text, "we will win this", QuoteKind.PARTIAL)
    assert not is_scare_quote(short, text)  # four words: a quotation
    three = quote(text, "we will win", QuoteKind.PARTIAL)
    assert is_scare_quote(three, text)
    assert not is_scare_quote(quote(text, "we will win", QuoteKind.PARTIAL, cue=True), text)
    assert not is_scare_quote(quote(text, "we will win", QuoteKind.DIRECT), text)  # a statement
    # A name or title: left out even with a speaker taken from the sentence, not with a cue.
    assert is_scare_quote(quote(text, "Robogee.", QuoteKind.PARTIAL, speaker=True), text)
    assert is_scare_quote(quote(text, "Bay Area Cup", QuoteKind.PARTIAL, speaker=True), text)
    assert not is_scare_quote(quote(text, "Bay Area Cup", QuoteKind.PARTIAL, cue=True), text)
    # The quoted words of a reported clause, and reported speech, are never judged here.
    assert not is_scare_quote(quote(text, "we will win", QuoteKind.MIXED), text)
    assert not is_scare_quote(quote(text, "we will win", QuoteKind.INDIRECT), text)


def test_config_file_sets_scare_quotes() -> None:
    assert load_settings(environ={}).scare_quotes is False
    write_config("scare_quotes = true\n")
    assert load_settings(environ={}).scare_quotes is True


@pytest.mark.model
def test_with_the_real_model_a_headline_scare_quote_goes_a_short_statement_stays() -> None:
    nlp = load_model()
    headline = "UN chief ‘deeply alarmed’ by escalation in Gaza"
    statement = "His message was clear: “We stay.”"
    assert annotations_from_doc(nlp(headline)).quotes == ()
    assert annotations_from_doc(nlp(headline), scare_quotes=True).quotes
    kept = annotations_from_doc(nlp(statement)).quotes
    assert [(statement[q.start : q.end], q.kind) for q in kept] == [("We stay.", QuoteKind.DIRECT)]
