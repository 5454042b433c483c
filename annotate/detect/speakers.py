"""Who said it: the speaker noun phrase of a reporting verb, and what a pronoun refers to.

The speaker is read from spaCy's dependency parse (the subject of the cue verb, its
titles and modifiers kept whole: ``Colombian Defense Minister Diego Molano``), with a
fallback on adjacent words for when the parse is missing or broken, which happens
around stray quotation marks (``decisively.”Sullivan said`` is one token ``”Sullivan``).
Spans are trimmed of quotation marks and punctuation at character level for that reason.

A pronoun speaker (``he said``) is kept as written and resolved to the nearest fitting
mention before it: earlier speakers first (a story keeps quoting the same people), then
subjects, then named entities, sentence by sentence backwards.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.detect.cues import Lexicon
from annotate.detect.gender import FEMALE_NOUNS, MALE_NOUNS, GenderModel

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_LEFT_DEPS = frozenset({"det", "amod", "compound", "poss", "nmod", "nummod", "quantmod"})
_RIGHT_DEPS = frozenset({"flat", "compound", "conj", "cc", "nummod"})
_CLIMB_DEPS = frozenset({"conj", "advcl", "xcomp", "ccomp"})
_NOUNISH = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM", "PART"})
_EDGE_CHARS = " \n\t“”\"‘’'«»„‟‹›,.;:!?-–—()[]"
_PASSIVE_SPEAKER_VERBS = frozenset({"quote", "cite", "hear", "report"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
MALE_FEMALE = frozenset({"he", "she", "him", "her"})
NEUTER = frozenset({"it"})
PLURAL = frozenset({"they", "them"})
PRONOUNS = MALE_FEMALE | NEUTER | PLURAL
_MAX_SPEAKER_TOKENS = 14
_LOOKBACK_SENTENCES = 5
_SALIENT_SENTENCES = 3  # the pronoun's sentence and the two before it


@dataclass(frozen=True, slots=True)
class Mention:
    """A candidate speaker: character offsets, its head token index and entity label."""

    start: int
    end: int
    head: int
    label: str | None = None


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``start:end`` without quotation marks, punctuation or spaces at either edge.

    A trailing full stop of an abbreviation (``Jr.``, ``U.S.``) is kept.
    """
    while start < end and text[start] in _EDGE_CHARS:
        start += 1
    while end > start and text[end - 1] in _EDGE_CHARS:
        if text[end - 1] == "." and end - start > 2 and text[end - 3] in " .":
            break
        end -= 1
    return start, end


def subject_of(cue: Token) -> Token | None:
    """The speaker head of a reporting verb from the parse, or ``None``.

    Its own subject first; the agent of a passive (``was stated by X``); the subject
    of the verb it depends on when it has none (``added …, criticizing …``); the noun
    a relative clause modifies (``the minister, who said``).
    """
    verb = cue
    for _ in range(4):
        for child in verb.children:
            if child.dep_ == "nsubj":
                if child.lower_ in _RELATIVE and verb.dep_ == "relcl":
                    return verb.head
                return child
            if child.dep_ == "nsubjpass" and verb.lemma_ in _PASSIVE_SPEAKER_VERBS:
                if child.lower_ != "it":
                    return child  # "X was quoted as saying"
            if child.dep_ == "agent":
                for grandchild in child.children:
                    if grandchild.dep_ == "pobj":
                        return grandchild
        if verb.dep_ == "acl" and verb.head.pos_ == "NOUN" and verb.head.head is not verb.head:
            verb = verb.head.head  # "issued a statement saying": the issuer speaks
            continue
        if verb.dep_ == "pcomp" and verb.head.dep_ in ("prep", "advcl"):
            governor = verb.head.head
            if governor.lemma_ in _PASSIVE_SPEAKER_VERBS and verb.head.lower_ == "as":
                for child in governor.children:
                    if child.dep_ == "dobj":
                        return child  # "quoted the minister as saying"
            verb = governor  # "said, before adding": adding -> before -> said
            continue
        if verb.dep_ not in _CLIMB_DEPS or verb.head is verb:
            return None
        verb = verb.head
    return None


_ROLE_WORDS = frozenset({"head", "chief", "minister", "secretary", "president", "director"})


def _is_title(head: Token) -> bool:
    """A capitalised role noun (``Governor of Washington Chris Gregoire``)."""
    from annotate.detect.cues import default_lexicon

    return head.lower_ in default_lexicon().person_nouns


def noun_phrase(head: Token, text: str) -> tuple[int, int]:
    """Character span of the noun phrase headed by ``head``: modifiers and titles kept.

    Left modifiers (determiners, adjectives, compounds, possessives) and right name
    parts and coordinations (``Burton and Nick``) are included; relative clauses and
    most prepositional phrases are not (``the Russian embassy in Colombia`` gives
    ``the Russian embassy``), except ``of``/``for`` after a role noun
    (``a spokesman for the ministry``).  An appositive name after a role noun is kept
    (``the minister, Diego Molano``).
    """
    left = right = head.i
    for child in head.lefts:
        if child.dep_ in _LEFT_DEPS:
            left = min(left, child.left_edge.i)
    for child in head.rights:
        dep = child.dep_
        keep = dep in _RIGHT_DEPS and child.pos_ not in ("VERB", "AUX")
        keep = keep or (
            dep == "appos"
            and child.pos_ == "PROPN"
            and (
                head.pos_ != "PROPN" or _is_title(head)
            )  # "Malaysia's Prime Minister, Najib Razak"
        )
        keep = keep or (
            dep == "prep"
            and child.lower_ in ("of", "for")
            and (head.pos_ == "NOUN" or head.lower_ in _ROLE_WORDS or _is_title(head))
        )
        if keep:
            right = max(right, child.right_edge.i)
    if right - left >= _MAX_SPEAKER_TOKENS:
        left = right = head.i
    doc = head.doc
    start, end = doc[left].idx, doc[right].idx + len(doc[right])
    # A parse can run a noun phrase over a line break (a byline above the story).
    start = max(start, text.rfind("\n", start, head.idx) + 1)
    newline = text.find("\n", head.idx, end)
    if newline >= 0:
        end = newline
    return trim(text, start, end)


def adjacent_phrase(doc: Doc, cue: Token, after: bool, lo: int, hi: int) -> Token | None:
    """The head of the noun phrase right before (or after) ``cue``, inside tokens ``lo:hi``.

    The fallback when the parse gives no subject: ``said Burton`` or ``Burton said``.
    Adverbs and auxiliaries next to the verb are skipped (``Burton has also said``).
    """
    step = 1 if after else -1
    i = cue.i + step
    while lo <= i < hi and doc[i].pos_ in ("ADV", "AUX", "PART") and doc[i].lower_ != "'s":
        i += step
    if not (lo <= i < hi):
        return None
    if doc[i].pos_ == "PRON":
        return doc[i]
    run = []
    while lo <= i < hi and (doc[i].pos_ in _NOUNISH or (not doc[i].pos_ and doc[i].is_alpha)):
        run.append(doc[i])
        i += step
    nouns = [t for t in run if t.pos_ in ("PROPN", "NOUN") or not t.pos_]
    if not nouns:
        return None
    # The head of an English noun phrase is its last noun.
    return max(nouns, key=lambda t: t.i)


class Resolver:
    """Resolves pronoun speakers to earlier mentions of one document."""

    def __init__(
        self,
        doc: Doc,
        text: str,
        lexicon: Lexicon,
        entities: Sequence[tuple[int, int, str]],
        sentences: Sequence[tuple[int, int]],
        quoted: Sequence[tuple[int, int]],
    ) -> None:
        self.doc = doc
        self.text = text
        self.lexicon = lexicon
        self.entities = sorted(entities)
        self._entity_starts = [e[0] for e in self.entities]
        self.sentences = list(sentences)
        self._sentence_starts = [s[0] for s in self.sentences]
        self.quoted = sorted(quoted)
        self._quoted_starts = [q[0] for q in self.quoted]
        self.person_words = {
            w for s, e, label in entities if label == "PERSON" for w in self.text[s:e].split()
        }
        self.gender = GenderModel(
            doc, [(s, e) for s, e, label in self.entities if label == "PERSON"]
        )
        # Speakers found so far as (where they speak, who they are): a resolved
        # pronoun speaks where the pronoun is, as the person it refers to.
        self.speakers: list[tuple[int, Mention]] = []
        self._subjects: dict[int, list[Mention]] = {}

    def in_quote(self, offset: int) -> bool:
        """True when ``offset`` lies inside quoted content."""
        index = bisect_right(self._quoted_starts, offset) - 1
        return index >= 0 and self.quoted[index][0] <= offset < self.quoted[index][1]

    def label_at(self, start: int, end: int) -> str | None:
        """The label of an entity overlapping ``start:end`` (the last one starting inside)."""
        index = bisect_right(self._entity_starts, end - 1) - 1
        while index >= 0:
            s, e, label = self.entities[index]
            if e > start:
                return label
            if s < start - 200:
                break
            index -= 1
        return None

    def mention(self, head: Token) -> Mention:
        """The noun phrase of ``head`` as a mention with its entity label."""
        start, end = noun_phrase(head, self.text)
        return Mention(start, end, head.i, self.label_at(head.idx, head.idx + len(head)))

    def remember(self, mention: Mention, at: int | None = None) -> None:
        """Record a speaker (speaking at offset ``at``), a candidate for later pronouns."""
        self.speakers.append((mention.start if at is None else at, mention))

    def fits(self, pronoun: str, mention: Mention) -> bool:
        """True when ``mention`` can be what ``pronoun`` refers to."""
        head = self.doc[mention.head]
        label = mention.label
        person = (
            label == "PERSON"
            # "Paris" of "Valeska Paris", whatever NER said (but not "the Warhol Factory")
            or self._named_person(mention)
            or (head.pos_ == "PROPN" and self.gender.known([head.text]))
            or (label is None and head.lower_ in self.lexicon.person_nouns)
            or head.lower_ in MALE_NOUNS
            or head.lower_ in FEMALE_NOUNS
        )
        if pronoun in MALE_FEMALE:
            if not person:
                return False
            gender = self.gender.of(head, self.text[mention.start : mention.end].split())
            wanted = "m" if pronoun in ("he", "him") else "f"
            return gender is None or gender == wanted
        if head.pos_ == "PRON":
            return False
        plural = head.tag_ in ("NNS", "NNPS")
        if pronoun in NEUTER:
            return not person and not plural and (label in ("ORG", "GPE") or label is None)
        return (
            label in ("ORG", "GPE", "NORP")
            or (plural and label != "PERSON")  # "researchers … they say"
            or (label is None and head.lower_ in ("government", "police", "army", "company"))
        )

    def _named_person(self, mention: Mention) -> bool:
        """Every capitalised word of the mention is a word of some PERSON's name."""
        names = [w for w in self.text[mention.start : mention.end].split() if w[:1].isupper()]
        return bool(names) and all(w.removesuffix("'s") in self.person_words for w in names)

    def fits_loosely(self, pronoun: str, mention: Mention) -> bool:
        """A second choice for ``he``/``she``: a short proper name the model did not call
        PERSON (the small model often labels a surname ORG, or nothing)."""
        head = self.doc[mention.head]
        return (
            pronoun in MALE_FEMALE
            and head.pos_ == "PROPN"
            and mention.label in (None, "ORG")
            and len(self.text[mention.start : mention.end].split()) <= 3
        )

    def _sentence_of(self, offset: int) -> int:
        return max(0, bisect_right(self._sentence_starts, offset) - 1)

    def _subjects_in(self, index: int) -> list[Mention]:
        if index not in self._subjects:
            start, end = self.sentences[index]
            span = self.doc.char_span(start, end, alignment_mode="expand")
            found = []
            if span is not None:
                for token in span:
                    if token.dep_ in ("nsubj", "nsubjpass") and token.pos_ in ("PROPN", "NOUN"):
                        found.append(self.mention(token))
            # The main clause's subject is the likeliest antecedent, then the others
            # from the nearest back ("The Department announced … that Moscow had …").
            found.sort(key=lambda m: (self.doc[m.head].head.dep_ != "ROOT", -m.start))
            self._subjects[index] = found
        return self._subjects[index]

    def _roles_in(self, index: int) -> list[Mention]:
        """Noun phrases headed by a role noun anywhere in the sentence, nearest last
        first (``a speech by the US president`` … ``he``)."""
        start, end = self.sentences[index]
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return []
        nouns = self.lexicon.person_nouns
        found = [self.mention(t) for t in span if t.pos_ == "NOUN" and t.lower_ in nouns]
        return sorted(found, key=lambda m: -m.start)

    def _groups(self, index: int, limit: int) -> tuple[list[Mention], list[Mention]]:
        """The candidates of one sentence before ``limit``: the salient ones (speakers,
        latest first, then subjects) and the others (named entities, role nouns)."""
        start, end = self.sentences[index]
        speakers = [(at, m) for at, m in self.speakers if start <= at < end and at < limit]
        entities = [
            Mention(s, e, self._head_index(s, e), label)
            for s, e, label in self.entities[
                bisect_right(self._entity_starts, start - 1) : bisect_right(
                    self._entity_starts, end - 1
                )
            ]
            if label in ("PERSON", "ORG", "GPE", "NORP") and e <= limit
        ]
        salient = [m for _, m in sorted(speakers, key=lambda x: -x[0])]
        salient += [m for m in self._subjects_in(index) if m.end <= limit]
        others = sorted(entities, key=lambda m: -m.start)
        others += [m for m in self._roles_in(index) if m.end <= limit]
        return salient, others

    def resolve(self, pronoun: Token) -> Mention | None:
        """The nearest fitting mention before ``pronoun`` (not inside quoted content).

        Salience first: the speakers and subjects of the pronoun's sentence and the
        _SALIENT_SENTENCES before it, then the other mentions of those sentences (an
        object, ``a doctor`` of ``pleaded with him to see a doctor, but he replied``,
        only when no subject fits), then everything further back, sentence by sentence.
        """
        word = pronoun.lower_
        if word not in PRONOUNS:
            return None
        limit = pronoun.idx
        current = self._sentence_of(limit)
        near = range(current, max(-1, current - _SALIENT_SENTENCES), -1)
        far = range(current - _SALIENT_SENTENCES, max(-1, current - _LOOKBACK_SENTENCES), -1)
        groups = {index: self._groups(index, limit) for index in near}
        order = [groups[i][0] for i in near] + [groups[i][1] for i in near]
        for index in far:
            order.extend(self._groups(index, limit))
        loose: Mention | None = None
        for group in order:
            for mention in group:
                if self.in_quote(mention.start):
                    continue
                if self.fits(word, mention):
                    return mention
                if loose is None and self.fits_loosely(word, mention):
                    loose = mention
        return loose

    def _head_index(self, start: int, end: int) -> int:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        return span.root.i if span is not None and len(span) else 0
