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
    from spacy.tokens import Doc, Token

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


class GenderModel:
    """Votes per name word, computed once per article on first use (module docstring)."""

    def __init__(self, doc: Doc, people: Sequence[tuple[int, int]]) -> None:
        self.doc = doc
        self.people = people
        self._votes: dict[str, list[int]] | None = None

    def _count(self) -> dict[str, list[int]]:
        votes: dict[str, list[int]] = {}
        doc = self.doc
        for start, end in self.people:
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or not len(span):
                continue
            vote: int | None = None  # 0 male, 1 female
            before = doc[span.start - 1].lower_ if span.start else ""
            if before in _MALE_HONORIFICS:
                vote = 0
            elif before in _FEMALE_HONORIFICS:
                vote = 1
            elif span.root.dep_ in ("nsubj", "nsubjpass"):
                for token in doc[span.end : min(len(doc), span.end + _WINDOW)]:
                    if token.pos_ == "PROPN" or "\n" in token.text:
                        break  # another name (its pronoun may be that one's), another paragraph
                    if token.lower_ in _MALE_PRONOUNS:
                        vote = 0
                        break
                    if token.lower_ in _FEMALE_PRONOUNS:
                        vote = 1
                        break
            if vote is None:
                continue
            for word in span:
                if (
                    word.pos_ == "PROPN"
                    and word.lower_ not in _MALE_HONORIFICS | _FEMALE_HONORIFICS
                ):
                    votes.setdefault(word.text, [0, 0])[vote] += 1
        return votes

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
