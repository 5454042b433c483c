"""Which pronoun a mention takes: ``he`` or ``she`` agreement for pronoun resolution.

No list of first names: the article says it.  A named person's gender comes from the
pronouns that follow the name while it is the subject (``Gloria also became unable to
move her legs``; ``Thomas Sam … decided to treat his daughter himself``) and from an
honorific before it (``Mr``, ``Mrs``, ``Ms``); every word of the name carries the vote,
so ``Sam`` or ``Thomas`` alone later inherits it.  A description agrees by its noun
(``his sister``, ``the spokeswoman``).  Unknown stays unknown: it fits both pronouns.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

Gender = Literal["m", "f"]
_MALE_PRONOUNS = frozenset({"he", "him", "his", "himself"})
_FEMALE_PRONOUNS = frozenset({"she", "her", "hers", "herself"})
_MALE_HONORIFICS = frozenset({"mr", "mr.", "sir", "lord", "king", "prince"})
_FEMALE_HONORIFICS = frozenset({"mrs", "mrs.", "ms", "ms.", "miss", "lady", "queen", "princess"})
MALE_NOUNS = frozenset(
    "man boy father brother husband son uncle nephew grandfather king prince chairman "
    "spokesman congressman councilman businessman sportsman actor".split()
)
FEMALE_NOUNS = frozenset(
    "woman girl mother sister wife daughter aunt niece grandmother queen princess "
    "chairwoman spokeswoman congresswoman councilwoman businesswoman actress".split()
)
_WINDOW = 30  # tokens after a subject name searched for its pronoun


def _pronoun_vote(doc: Doc, name: Span) -> int | None:
    """0 (he) or 1 (she) from the pronoun that refers back to a subject name: a
    possessive or reflexive in its own sentence (``decided to treat his daughter
    himself``), or the subject opening the next sentence (``… . She died …``).  A subject
    pronoun in the same sentence is not evidence: ``Waters said he was a legend`` is
    about someone else as often as not."""
    sentence_end = name.sent.end
    for token in doc[name.end : min(len(doc), name.end + _WINDOW)]:
        if token.pos_ == "PROPN" or "\n" in token.text:
            return None  # another name (the pronoun may be that one's), another paragraph
        lower = token.lower_
        if token.i < sentence_end:
            own = lower in ("his", "himself", "herself") or (
                lower == "her" and token.dep_ == "poss"
            )
        else:
            own = token.i == sentence_end and lower in ("he", "she")
        if own:
            return 0 if lower in _MALE_PRONOUNS else 1
        if token.i >= sentence_end:
            return None
    return None


class GenderModel:
    """Votes per name word, computed once per article on first use (module docstring)."""

    def __init__(self, doc: Doc, people: Sequence[tuple[int, int]]) -> None:
        self.doc = doc
        self.people = people
        self._votes: dict[str, list[int]] | None = None

    def _names(self) -> list[Span]:
        """The PERSON entities and every proper-noun subject (the small model often calls
        a surname GPE or ORG, or nothing: ``Paris claims she …``)."""
        doc = self.doc
        spans = []
        for start, end in self.people:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is not None and len(span):
                spans.append(span)
        for token in doc:
            if (
                token.pos_ == "PROPN"
                and token.dep_ in ("nsubj", "nsubjpass")
                and not token.ent_type_ == "PERSON"
            ):
                first = min([token.i] + [c.i for c in token.lefts if c.dep_ == "compound"])
                spans.append(doc[first : token.i + 1])
        return spans

    def _count(self) -> dict[str, list[int]]:
        votes: dict[str, list[int]] = {}
        doc = self.doc
        for span in self._names():
            vote: int | None = None  # 0 male, 1 female
            before = doc[span.start - 1].lower_ if span.start else ""
            if before in _MALE_HONORIFICS:
                vote = 0
            elif before in _FEMALE_HONORIFICS:
                vote = 1
            elif span.root.dep_ in ("nsubj", "nsubjpass"):
                vote = _pronoun_vote(doc, span)
            if vote is None:
                continue
            for word in span:
                if (
                    word.pos_ == "PROPN"
                    and word.lower_ not in _MALE_HONORIFICS | _FEMALE_HONORIFICS
                ):
                    votes.setdefault(word.text, [0, 0])[vote] += 1
        return votes

    def known(self, words: Sequence[str]) -> bool:
        """True when some word of a name took ``he`` or ``she`` in the article: a person."""
        if self._votes is None:
            self._votes = self._count()
        return any(word in self._votes for word in words)

    def of(self, head: Token, words: Sequence[str]) -> Gender | None:
        """The gender of a mention with head ``head`` and the words ``words``."""
        lower = head.lower_
        if lower in MALE_NOUNS:
            return "m"
        if lower in FEMALE_NOUNS:
            return "f"
        if self._votes is None:
            self._votes = self._count()
        male = female = 0
        for word in words:
            counts = self._votes.get(word)
            if counts:
                male += counts[0]
                female += counts[1]
        if male > female:
            return "m"
        if female > male:
            return "f"
        return None
