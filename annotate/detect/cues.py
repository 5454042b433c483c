"""Which words introduce a quotation: the reporting-verb lexicon of the quote detector.

Two sources, both data: ``annotate/data/quote_verbs.txt`` (257 inflected forms from
GenderGapTracker, MIT) and ``annotate/data/lexicon.toml`` (lemmas this project adds,
verbs of opinion, verbs that only count right next to a quotation, multi-word cues,
person nouns).  Verbs are told apart because they attribute differently: a verb of
speech governing a fragment attributes it (``denounced “foreign interference”``), a
verb of opinion only when no verb of speech governs it (``said X does not believe …
“respond harshly”`` is the sayer's), and ``continued`` only as ``“…,” he continued``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


class CueKind(StrEnum):
    """How strongly a verb attributes a quotation."""

    SPEECH = "speech"
    COGNITION = "cognition"
    ADJACENT = "adjacent"


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The word lists, lower-cased."""

    forms: frozenset[str]
    speech: frozenset[str]
    cognition: frozenset[str]
    adjacent_only: frozenset[str]
    phrases: tuple[tuple[str, ...], ...]
    person_nouns: frozenset[str]
    findings: frozenset[str] = frozenset()
    directives: frozenset[str] = frozenset()
    speech_nouns: frozenset[str] = frozenset()

    @property
    def phrase_lengths(self) -> tuple[int, ...]:
        """The lengths of the multi-word cues, longest first."""
        return tuple(sorted({len(p) for p in self.phrases if len(p) > 1}, reverse=True))

    @property
    def all_cues(self) -> frozenset[str]:
        """Every lemma that can introduce a reported clause (a quick pre-filter)."""
        return self.speech | self.cognition | self.findings | self.directives

    def kind(self, token: Token) -> CueKind | None:
        """The cue kind of ``token``, or ``None`` when it is not a reporting verb.

        With a tagger, only verbs count (``states`` in "United States" is a noun); a
        pipeline without one falls back to the word forms.
        """
        pos = token.pos_
        if pos and pos != "VERB" and not _mistagged_verb(token):
            return None
        lower = token.lower_
        lemma = token.lemma_.lower() or lower
        if lemma in self.adjacent_only or lower in self.adjacent_only:
            return CueKind.ADJACENT
        if lemma in self.cognition or lower in self.cognition:
            return CueKind.COGNITION
        if lower in self.forms or lemma in self.forms or lemma in self.speech:
            return CueKind.SPEECH
        return None

    def phrase_at(self, tokens: list[Token]) -> int:
        """How many tokens of a multi-word cue start ``tokens`` (0 when none does)."""
        for phrase in self.phrases:
            n = len(phrase)
            words = [t.lower_ for t in tokens[:n]]
            if tuple(words) == phrase:
                return n
        return 0


def _mistagged_verb(token: Token) -> bool:
    """``The Department of Agriculture notes, “…”``: the tagger calls ``notes`` a noun,
    but a noun heading the sentence with a subject of its own is the verb."""
    return (
        token.pos_ == "NOUN"
        and token.dep_ == "ROOT"
        and any(c.dep_ == "nsubj" for c in token.children)
    )


def _words(values: object) -> frozenset[str]:
    if not isinstance(values, list):
        return frozenset()
    return frozenset(str(v).strip().lower() for v in values if str(v).strip())


@cache
def default_lexicon() -> Lexicon:
    """The packaged lexicon, read once per process."""
    data_dir = resources.files("annotate").joinpath("data")
    forms = frozenset(
        line.strip().lower()
        for line in data_dir.joinpath("quote_verbs.txt").read_text("utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )
    data = tomllib.loads(data_dir.joinpath("lexicon.toml").read_text("utf-8"))
    return Lexicon(
        forms=forms,
        speech=_words(data.get("speech")),
        cognition=_words(data.get("cognition")),
        adjacent_only=_words(data.get("adjacent_only")),
        phrases=tuple(tuple(p.lower().split()) for p in data.get("phrases", ())),
        person_nouns=_words(data.get("person_nouns")),
        findings=_words(data.get("findings")),
        directives=_words(data.get("directives")),
        speech_nouns=_words(data.get("speech_nouns")),
    )
