"""The targets of the detection engine, on hand-labelled data, with the real model.

``tests/data/seed_quotes_gold.jsonl`` labels every quotation of the two seed articles;
``char_hint`` is an offset into the RAW seed file, so a detected quotation is matched
through the offset map cleaning keeps in ``Article.meta``.  Targets: every direct
quotation found with the right speaker, at least 90% of partial quotations with the
right speaker, and the quoted name not reported as a quotation.  A speaker matches
when the gold speaker's last word (the surname, "embassy", "States") is in the
detected name (the resolved name for a pronoun).

The gold labels quotations, the detector reports attributions: a quoted fragment inside a
reported clause (``denounced … “foreign interference”``) is a ``quoted`` stretch of a
``mixed`` attribution, so the quotations looked up here are the ``direct`` and
``partial`` attributions and the quoted stretches of the ``mixed`` ones (with the
speaker of their attribution); ``indirect`` ones have no quotation to match.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from annotate.clean import clean_article
from annotate.detect.nlp import load_model
from annotate.detect.pipeline import analyze
from annotate.model import Annotations, Article, Quote, QuoteKind, quotations
from annotate.offsets import raw_offset
from seeds import seed_files

if TYPE_CHECKING:
    from spacy.language import Language

DATA = Path(__file__).parent / "data"
GOLD = [json.loads(line) for line in (DATA / "seed_quotes_gold.jsonl").read_text().splitlines()]
TEXTACY = [
    json.loads(line)
    for line in (DATA / "direct_quotations_cases.jsonl").read_text().splitlines()
    if line.strip()
]

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_model()


@pytest.fixture(scope="module")
def analysed(nlp: Language) -> dict[str, tuple[str, Article, Annotations]]:
    """file name -> (raw text, cleaned article, annotations) for both seeds."""
    raws = {p.name: p.read_text(encoding="utf-8") for p in seed_files()}
    articles = [clean_article(raw, source=name) for name, raw in raws.items()]
    return {a.source: (raws[a.source], a, ann) for a, ann in analyze(nlp, articles)}


def matching(article: Article, quotes: tuple[Quote, ...], gold: dict[str, Any]) -> Quote | None:
    """The detected quotation whose content starts where the gold one does in the raw file."""
    for quote in quotations(quotes):
        if raw_offset(article.meta, quote.start) == gold["char_hint"]:
            assert article.text[quote.start :].startswith(gold["quote_prefix"])
            return quote
    return None


def speaker_ok(article: Article, quote: Quote, gold: dict[str, Any]) -> bool:
    named = quote.named_speaker
    if named is None:
        return False
    surname = gold["speaker"].split()[-1].lower()
    return surname in article.text[named.start : named.end].lower()


def test_gold_hints_point_into_the_raw_files(
    analysed: dict[str, tuple[str, Article, Annotations]],
) -> None:
    for entry in GOLD:
        raw = analysed[entry["file"]][0]
        for gold in entry["quotes"]:
            assert raw[gold["char_hint"] :].startswith(gold["quote_prefix"])


def test_every_direct_quote_is_found_with_its_speaker(
    analysed: dict[str, tuple[str, Article, Annotations]],
) -> None:
    checked = 0
    for entry in GOLD:
        _, article, annotations = analysed[entry["file"]]
        for gold in (g for g in entry["quotes"] if g["kind"] == "direct"):
            quote = matching(article, annotations.quotes, gold)
            assert quote is not None, gold["quote_prefix"]
            assert quote.kind is QuoteKind.DIRECT, gold["quote_prefix"]
            assert article.text[quote.start : quote.end] == gold["text"].strip()
            assert speaker_ok(article, quote, gold), (gold, quote)
            checked += 1
    assert checked == 6


def test_partial_quotes_with_the_right_speaker(
    analysed: dict[str, tuple[str, Article, Annotations]],
) -> None:
    right, total, misses = 0, 0, []
    for entry in GOLD:
        _, article, annotations = analysed[entry["file"]]
        for gold in (g for g in entry["quotes"] if g["kind"] == "partial"):
            total += 1
            quote = matching(article, annotations.quotes, gold)
            if (
                quote is not None
                and quote.kind is QuoteKind.PARTIAL
                and speaker_ok(article, quote, gold)
            ):
                right += 1
            else:
                misses.append(gold["quote_prefix"])
    assert total == 17
    assert right / total >= 0.9, misses


def test_the_quoted_name_is_not_a_quote(
    analysed: dict[str, tuple[str, Article, Annotations]],
) -> None:
    names = [(e["file"], g) for e in GOLD for g in e["quotes"] if g["kind"] == "name"]
    assert names
    for file, gold in names:
        _, article, annotations = analysed[file]
        assert matching(article, annotations.quotes, gold) is None


def test_nothing_but_the_gold_is_reported(
    analysed: dict[str, tuple[str, Article, Annotations]],
) -> None:
    """Every reported quotation is one of the labelled ones (no spurious quotations)."""
    for entry in GOLD:
        _, article, annotations = analysed[entry["file"]]
        hints = {g["char_hint"] for g in entry["quotes"] if g["kind"] != "name"}
        reported = {raw_offset(article.meta, q.start) for q in quotations(annotations.quotes)}
        assert reported == hints


@pytest.mark.parametrize("case", TEXTACY, ids=[c["text"][:30] for c in TEXTACY])
def test_textacy_direct_quotation_cases(nlp: Language, case: dict[str, Any]) -> None:
    article = clean_article(case["text"])
    ((_, annotations),) = analyze(nlp, [article])
    text = article.text
    direct = [q for q in annotations.quotes if q.kind is QuoteKind.DIRECT]
    assert len(direct) == len(case["expected"])
    for quote, expected in zip(direct, case["expected"], strict=True):
        assert text[quote.start : quote.end] == expected["content"].strip('"')
        assert quote.speaker is not None and quote.cue is not None
        speaker = text[quote.speaker.start : quote.speaker.end]
        assert all(name in speaker for name in expected["speaker"])
        assert text[quote.cue.start : quote.cue.end] == expected["cue"][0]
