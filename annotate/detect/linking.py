"""Speaker = the entity: the phrase as written, and the PERSON/ORG/GPE/NORP it stands for.

A speaker phrase is kept as written (``Governor of Washington Chris Gregoire``,
``Malaysia's Prime Minister, Najib Razak``, ``he``, ``the minister``); the attribution's
``speaker_ref`` links what it names:

* a pronoun resolves through :class:`annotate.detect.speakers.Resolver` (salience and
  agreement), then the mention it resolves to is linked like any phrase;
* a phrase with a name inside links the name (a PERSON first: the title, the country of
  ``Malaysia's Prime Minister`` and an organisation in ``spokesman for X`` are not the
  speaker), unless the name is the whole phrase (then there is nothing more to say);
* a title or description with no name (``the prime minister``, ``the newspaper``) links
  the entity that was last introduced with that role word in the article
  (``Prime Minister Najib Razak`` … ``the prime minister said``).

Roles are learnt from the entities of the article as they appear, so a description only
links to someone named before it.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotate.detect.speakers import PRONOUNS, Mention, Resolver, trim
from annotate.model import Origin, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

SPEAKER = "SPEAKER"
_LINKED = ("PERSON", "ORG", "GPE", "NORP")
# Descriptions of organisations (``the newspaper`` → the paper named before).
ORG_NOUNS = frozenset(
    "newspaper paper agency ministry department company firm group party government "
    "court church magazine broadcaster network union council committee army military "
    "police institute university organisation organization association".split()
)
_ROLE_WINDOW = 4  # tokens before a name searched for its title


class Linker:
    """Builds speaker spans and their links for one article (module docstring)."""

    def __init__(
        self, doc: Doc, text: str, resolver: Resolver, entities: Sequence[tuple[int, int, str]]
    ) -> None:
        self.doc = doc
        self.text = text
        self.resolver = resolver
        self.entities = sorted(e for e in entities if e[2] in _LINKED)
        self._starts = [e[0] for e in self.entities]
        self.person_roles = resolver.lexicon.person_nouns
        self.roles = self.person_roles | ORG_NOUNS
        # (offset where the role was given, role word, entity span)
        self._given: list[tuple[int, str, tuple[int, int, str]]] = []
        self._learnt_to = 0

    def _inside(self, start: int, end: int) -> list[tuple[int, int, str]]:
        lo = bisect_left(self._starts, start)
        found = []
        for s, e, label in self.entities[lo:]:
            if s >= end:
                break
            if e <= end:
                found.append((s, e, label))
        return found

    def _learn(self, upto: int) -> None:
        """Record the roles given to the entities named before ``upto``: a title before
        the name (``Prime Minister Najib Razak``, ``the newspaper El Tiempo``) or an
        appositive (``Najib Razak, the prime minister``), read from the parse so that a
        modifier (the ``Russian`` of ``the Russian government``) is never given the role."""
        doc = self.doc
        for s, e, label in self.entities:
            if s < self._learnt_to:
                continue
            if s >= upto:
                break
            span = doc.char_span(s, e, alignment_mode="expand")
            if span is None or not len(span):
                continue
            root = span.root
            candidates = [t for t in root.children if t.dep_ in ("compound", "appos", "nmod")]
            if root.dep_ in ("appos", "compound"):  # "…, the minister" / "El Tiempo newspaper"
                candidates.append(root.head)
            # A person takes a person's role, an organisation an organisation's: the
            # "Washington Post" of "Washington Post reporter" is not "the reporter".
            roles = self.person_roles if label == "PERSON" else ORG_NOUNS
            for token in candidates:
                for word in (token, *(c for c in token.children if c.dep_ == "compound")):
                    if word.lower_ in roles and not (s <= word.idx < e):
                        self._given.append((s, word.lower_, (s, e, label)))
            for word in span:  # the title inside the entity ("President Ivan Duque")
                if word.lower_ in roles and word.pos_ in ("PROPN", "NOUN"):
                    self._given.append((s, word.lower_, (s, e, label)))
        self._learnt_to = max(self._learnt_to, upto)

    def link(self, start: int, end: int, head: int | None = None) -> tuple[int, int, str] | None:
        """The entity a phrase names or was introduced with (module docstring).

        A PERSON anywhere in the phrase is the speaker; another entity only when it holds
        the phrase's head (``head`` offset): the ``US`` of ``the US president`` or the
        ministry of ``a spokesman for the ministry`` only modifies who speaks.
        """
        inside = self._inside(start, end)
        people = [e for e in inside if e[2] == "PERSON"]
        if people:
            chosen: tuple[int, int, str] | None = people[-1]
        else:
            at = end - 1 if head is None else head
            chosen = next((e for e in reversed(inside) if e[0] <= at < e[1]), None)
        if chosen is not None:
            return chosen
        after = self._appositive(end)
        if after is not None:
            return after
        self._learn(start)
        words = [w.lower().strip(".,'’") for w in self.text[start:end].split()]
        wanted = [w.removesuffix("'s") for w in words if w.removesuffix("'s") in self.roles]
        if not wanted:
            return None
        for at, role, entity in reversed(self._given):
            if at < start and role in wanted and entity[1] <= start:
                return entity
        return None

    def _appositive(self, end: int) -> tuple[int, int, str] | None:
        """A PERSON named right after the phrase and a comma (``Malaysia's Prime
        Minister, Najib Razak said``), when the parse did not attach it."""
        rest = self.text[end : end + 3]
        if not rest.startswith(","):
            return None
        at = end + 1 + (len(rest) - 1 - len(rest[1:].lstrip()))
        index = bisect_left(self._starts, at)
        if index < len(self.entities) and self.entities[index][0] == at:
            entity = self.entities[index]
            return entity if entity[2] == "PERSON" else None
        return None

    def spans(self, head: Token) -> tuple[Span | None, Span | None]:
        """``(speaker, speaker_ref)`` for a speaker head token, remembering the speaker
        for later pronouns."""
        text = self.text
        resolver = self.resolver
        ref: tuple[int, int] | None = None
        if head.pos_ == "PRON" or head.lower_ in PRONOUNS:
            start, end = trim(text, head.idx, head.idx + len(head))
            resolved = resolver.resolve(head)
            if resolved is not None:
                entity = self.link(resolved.start, resolved.end, self.doc[resolved.head].idx)
                ref = (entity[0], entity[1]) if entity else (resolved.start, resolved.end)
                resolver.remember(resolved, at=head.idx)
        else:
            mention = resolver.mention(head)
            start, end = mention.start, mention.end
            entity = self.link(start, end, head.idx)
            if entity is not None and (entity[0], entity[1]) != (start, end):
                ref = (entity[0], entity[1])
                # A later pronoun refers to the person, not to the title phrase.
                resolver.remember(
                    Mention(entity[0], entity[1], _head_of(self.doc, entity), entity[2]),
                    at=start,
                )
            else:
                resolver.remember(mention)
        speaker = Span(start, end, SPEAKER, origin=Origin.RULE) if end > start else None
        link = Span(ref[0], ref[1], SPEAKER, origin=Origin.RULE) if ref else None
        return speaker, link


def _head_of(doc: Doc, entity: tuple[int, int, str]) -> int:
    span = doc.char_span(entity[0], entity[1], alignment_mode="expand")
    return span.root.i if span is not None and len(span) else 0
