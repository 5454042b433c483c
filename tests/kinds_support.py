"""An article with every attribution kind, with fixed suggestions, for the app's tests.

Reported speech (``indirect``), a reported clause holding quoted words (``mixed``) and a
quotation whose pronoun speaker is linked to a named person (``direct``): what the
reader, the side panel and the kind picker must tell apart.
"""

from __future__ import annotations

from annotate.model import Annotations, Article, Origin, Quote, QuoteKind, Span
from store import Store
from tests.tui_support import sentences

TEXT = (
    "Border talks\n\n"
    "Minister Anna Smith said the border was secure. "
    'Officials said the plan was "dead on arrival" and would fail.\n\n'
    '"We are ready," she said on Monday.'
)
INDIRECT = "the border was secure"
MIXED = 'the plan was "dead on arrival" and would fail'
DIRECT = "We are ready,"


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    """Offsets of the ``nth`` occurrence of ``needle`` in TEXT."""
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


def rule(needle: str, label: str, nth: int = 0) -> Span:
    """A rule-made span on ``needle``."""
    return Span(*at(needle, nth), label, origin=Origin.RULE)


def kinds_annotations() -> Annotations:
    """Two entities and one attribution of each of three kinds, all pending."""
    anna = Span(*at("Anna Smith"), "PERSON", origin=Origin.MODEL)
    linked = rule("Anna Smith", "SPEAKER")
    return Annotations(
        entities=(anna, Span(*at("Monday"), "DATE", origin=Origin.MODEL)),
        quotes=(
            Quote(
                *at(INDIRECT),
                QuoteKind.INDIRECT,
                speaker=rule("Minister Anna Smith", "SPEAKER"),
                speaker_ref=linked,
                cue=rule("said", "CUE"),
            ),
            Quote(
                *at(MIXED),
                QuoteKind.MIXED,
                speaker=rule("Officials", "SPEAKER"),
                cue=rule("said", "CUE", nth=1),
                quoted=(at("dead on arrival"),),
            ),
            Quote(
                *at(DIRECT),
                QuoteKind.DIRECT,
                speaker=rule("she", "SPEAKER"),
                speaker_ref=linked,
                cue=rule("said", "CUE", nth=2),
            ),
        ),
        sentences=sentences(TEXT),
    )


def add_kinds_article(store: Store) -> str:
    """Store the article (analysed, as if the model had run); returns its id."""
    article = Article.from_text(TEXT, title="Border talks", source="kinds.txt")
    article = Article.from_dict({**article.to_dict(), "analysis": {"model": "fixture"}})
    store.add_articles([(article, kinds_annotations())])
    return article.id
