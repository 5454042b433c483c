"""Who said a quotation, and with which verb: the attribution strategies.

:mod:`annotate.detect.quotes` finds the quotations and decides what they are; this module
answers "who said it?" for one quotation, each strategy a method of
:class:`Attributor`, from the most specific to the most general:

* :meth:`Attributor.trailing` — a cue right after the closing mark (``“…,” X said``,
  ``“…,” said X``, ``“…,” X, who …, told``);
* :meth:`Attributor.leading` — a cue right before the opening mark (``X said: “``,
  ``X told reporters that “``, ``according to X, “``);
* :meth:`Attributor.governing` — the reporting verb the quoted words depend on in the
  parse (``denounced “foreign interference”``), speech preferred over opinion;
* :meth:`Attributor.in_sentence` — any reporting verb of the sentence;
* :meth:`Attributor.colon_subject` — ``Smith was blunt: “…”`` / ``Putin: “…”``;
* :meth:`Attributor.previous_sentence` — ``Smith said X. “…”``;
* :meth:`Attributor.sentence_subject` — who the sentence is about, for a fragment
  with no reporting verb at all.

Each returns an :class:`Attribution` (cue offsets, speaker head token) or ``None``.
:class:`ArticleIndex` holds the lookups they share (tokens by offset, sentences cut
at line breaks, paragraphs, quoted ranges).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.detect.cues import CueKind, Lexicon
from annotate.detect.quotemarks import QuoteMarks
from annotate.detect.speakers import PRONOUNS, Resolver, adjacent_phrase, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

INTRO = (":", ",", "—", "–")
_LINE = re.compile(r"[^\n]+")
_OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "attr", "oprd", "iobj"})
# A verb attributing the quotation before it is finite ("said", "says") or a perfect
# participle ("has said"); "“…”, criticizing X" or "“…” to find" start another clause.
_ATTRIBUTING_TAGS = frozenset({"VBD", "VBZ", "VBP", "VBN"})
_WINDOW = 10  # tokens searched for a cue next to a quotation
_PHRASE_WINDOW = 14  # words back to "in the words of" / "according to" before a quotation
_SKIP_TOKENS = frozenset(",.;:-–—“”\"‘’'«»")


@dataclass(slots=True)
class Attribution:
    """What a strategy found: the cue's character span, the speaker's head token (the
    noun phrase and any pronoun resolution come later), and which strategy found it."""

    cue: tuple[int, int] | None = None
    speaker: Token | None = None
    how: str = ""


class ArticleIndex:
    """Lookups over one Doc: tokens by offset, sentences, paragraphs, quoted ranges."""

    def __init__(
        self,
        doc: Doc,
        marks: list[QuoteMarks],
        sentences: Sequence[tuple[int, int]],
        lexicon: Lexicon,
        text: str,
    ) -> None:
        self.doc = doc
        self.text = text
        self.lexicon = lexicon
        self.marks = marks
        self.token_starts: list[int] = doc.to_array("IDX").tolist() if len(doc) else []
        self.has_parse, self.has_tags = annotated(doc, "DEP"), annotated(doc, "TAG")
        self.sentences = _within_paragraphs(self.text, sentences)
        self.sentence_starts = [s[0] for s in self.sentences]
        self.contents = sorted((m.start, m.end) for m in marks)
        self.content_starts = [c[0] for c in self.contents]

    def token_at(self, offset: int) -> int:
        """Index of the token containing (or nearest before) ``offset``."""
        return max(0, bisect_right(self.token_starts, offset) - 1)

    def token_range(self, start: int, end: int) -> range:
        """Indices of tokens overlapping ``start:end``."""
        if end <= start or not self.token_starts:
            return range(0)
        first = self.token_at(start)
        token = self.doc[first]
        if token.idx + len(token) <= start:
            first += 1
        return range(first, bisect_left(self.token_starts, end))

    def in_content(self, offset: int) -> bool:
        """True when ``offset`` is inside some quotation's content."""
        index = bisect_right(self.content_starts, offset) - 1
        return index >= 0 and offset < self.contents[index][1]

    def sentence(self, offset: int) -> tuple[int, int]:
        """The sentence containing ``offset``."""
        index = max(0, bisect_right(self.sentence_starts, offset) - 1)
        return self.sentences[index] if self.sentences else (0, len(self.text))

    def paragraph(self, start: int, end: int) -> tuple[int, int]:
        """Bounds of the paragraph(s) around ``start:end``."""
        para_end = self.text.find("\n", end)
        return self.text.rfind("\n", 0, start) + 1, len(self.text) if para_end < 0 else para_end

    def cue_kind(self, token: Token) -> CueKind | None:
        """The cue kind of a token outside quoted content."""
        if self.in_content(token.idx):
            return None
        return self.lexicon.kind(token)


def _within_paragraphs(text: str, sentences: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence bounds cut at line breaks: a headline never shares a sentence with the
    paragraph under it, whatever the parser decided (paragraphs without a parser)."""
    if not sentences:
        sentences = [(0, len(text))]
    bounds = []
    for start, end in sentences:
        for match in _LINE.finditer(text, start, end):
            bounds.append(match.span())
    return bounds


def annotated(doc: Doc, attr: str) -> bool:
    """``doc.has_annotation(attr)`` at C speed (that one walks every token in Python)."""
    return bool(len(doc)) and bool(doc.to_array(attr).any())


class Attributor:
    """The attribution strategies over one article (module docstring)."""

    def __init__(self, art: ArticleIndex, resolver: Resolver) -> None:
        self.art = art
        self.resolver = resolver

    def sentence_subject(self, mark: QuoteMarks) -> Attribution | None:
        """A fragment with no reporting verb at all belongs to the person or organisation
        its sentence is about (``Newbold apologized for using the word ‘scrum’``)."""
        art = self.art
        start, end = art.sentence(mark.start)
        doc = art.doc
        span = doc.char_span(min(start, mark.open_at), max(end, mark.after), "expand")
        if span is None or not len(span):
            return None
        root = span.root
        for token in span:
            if token.dep_ != "nsubj" or token.head != root or art.in_content(token.idx):
                continue
            if token.pos_ == "PRON":
                return Attribution(None, token, "subject") if _usable_speaker(token) else None
            label = self.resolver.mention(token).label
            if (
                label in ("PERSON", "ORG", "GPE", "NORP")
                or token.pos_ == "PROPN"
                or (token.lower_ in art.lexicon.person_nouns)
            ):
                return Attribution(None, token, "subject")
            return None
        return None

    def speech(self, attribution: Attribution | None) -> bool:
        """True when the attribution's cue is a verb of speech (or ``according to``)."""
        if attribution is None or attribution.cue is None:
            return False
        token = self.art.doc[self.art.token_at(attribution.cue[0])]
        return self.art.cue_kind(token) is CueKind.SPEECH or token.lower_ == "according"

    def colon_subject(self, mark: QuoteMarks, before: str) -> Attribution | None:
        """``Smith was blunt: “…”`` / ``Putin: “…”``: the clause's subject, if a person
        or organisation, speaks the quotation a colon introduces (no cue)."""
        art = self.art
        start = art.text.rfind(before, 0, mark.open_at)
        tokens = art.token_range(max(0, start), mark.open_at)
        doc = art.doc
        heads = [doc[i] for i in tokens if doc[i].dep_ in ("nsubj", "nsubjpass")]
        if not heads and len(before.split()) <= 6:
            heads = [doc[i] for i in tokens if doc[i].pos_ in ("PROPN", "NOUN")][-1:]
        for head in heads:
            if art.in_content(head.idx):
                continue
            mention = self.resolver.mention(head)
            if (
                mention.label in ("PERSON", "ORG", "GPE", "NORP")
                or head.pos_ == "PROPN"
                or (head.lower_ in art.lexicon.person_nouns)
            ):
                return Attribution(None, head, "colon-subject")
        return None

    def previous_sentence(self, mark: QuoteMarks, para_start: int) -> Attribution | None:
        """A direct quotation with no attribution of its own belongs to whoever the
        sentence before it has speaking (``Smith said the plan failed. “It never
        worked.”``), within the paragraph or, for a quotation opening a paragraph,
        the last sentence of the paragraph before."""
        art = self.art
        sentence_start = art.sentence(mark.start)[0]
        start = min(sentence_start, mark.open_at)
        if start <= para_start and art.text[para_start : mark.open_at].strip():
            return None
        previous_end = start - 1
        while previous_end > 0 and art.text[previous_end - 1].isspace():
            previous_end -= 1
        if previous_end <= 0:
            return None
        prev_start, _ = art.sentence(previous_end - 1)
        doc = art.doc
        tokens = art.token_range(prev_start, previous_end)
        for wanted in (CueKind.SPEECH, CueKind.COGNITION):  # "Reeves believes …. “…”"
            for i in reversed(tokens):
                token = doc[i]
                if art.cue_kind(token) is wanted:
                    speaker = self.speaker_for(token, tokens.start, tokens.stop, after_first=False)
                    if speaker is not None:
                        return Attribution(self.cue_span(token), speaker, "previous")
        for i in reversed(tokens):  # "Senator Cornyn issued a statement. “Like many …”"
            token = doc[i]
            if token.dep_ == "dobj" and token.lemma_.lower() in art.lexicon.speech_nouns:
                verb = token.head
                speaker = self.speaker_for(verb, tokens.start, tokens.stop, after_first=False)
                if speaker is not None and verb.pos_ == "VERB":
                    return Attribution(self.cue_span(verb, token), speaker, "previous")
        return None

    def cue_span(self, first: Token, last: Token | None = None) -> tuple[int, int]:
        last = last or first
        return first.idx, last.idx + len(last)

    def speaker_for(self, cue: Token, lo: int, hi: int, after_first: bool) -> Token | None:
        """The speaker head of ``cue`` within tokens ``lo:hi``: parse first, then adjacency."""
        art = self.art
        if art.has_parse:
            subject = subject_of(cue)
            if subject is not None and not art.in_content(subject.idx):
                a, b = sorted((subject.idx, cue.idx))
                if "\n" not in art.text[a:b]:  # a parse never links paragraphs correctly
                    return subject if _usable_speaker(subject) else None
        order = (True, False) if after_first else (False, True)
        for after in order:
            head = adjacent_phrase(art.doc, cue, after, lo, hi)
            if head is None or art.in_content(head.idx) or not _usable_speaker(head):
                continue
            if art.has_parse and head.dep_ in _OBJECT_DEPS and not after_first:
                continue  # "criticizing Minister Molano": an object is not the speaker
            return head
        return None

    def trailing(self, start: int, end: int, invites: bool) -> Attribution | None:
        """A cue within the first words after the closing mark (``,” X said``).

        The words before the cue must read as its subject (a noun phrase, possibly with
        an appositive or a ``, who …,`` clause); a conjunction or another verb first
        means the sentence went on to something else.  ``invites`` is true when the
        quotation ends with a comma, ``?`` or ``!``: then any finite verb right after a
        short subject attributes it (``“…,” she shrugged``), listed as a cue or not.
        """
        art = self.art
        doc = art.doc
        tokens = art.token_range(start, end)
        if not tokens:
            return None
        lo, hi = tokens.start, tokens.stop
        seen_words = 0
        i = lo
        while i < hi:
            token = doc[i]
            text = token.text
            if text in _SKIP_TOKENS:
                i += 1
                continue
            if text in ("!", "?") or seen_words >= _WINDOW:
                break
            if token.lower_ in ("who", "which", "whose") and i > lo and doc[i - 1].text == ",":
                i = _after_next_comma(doc, i, hi)
                continue
            phrase = art.lexicon.phrase_at(list(doc[i : min(hi, i + 3)]))
            if phrase:
                last = doc[i + phrase - 1]
                speaker = adjacent_phrase(doc, last, True, lo, hi)
                return Attribution(self.cue_span(token, last), speaker, "according")
            finite = not art.has_tags or (
                # A base form right after the mark is a mis-tagged present ("reply Burton").
                (token.tag_ in _ATTRIBUTING_TAGS or (token.tag_ == "VB" and seen_words == 0))
                and not any(c.dep_ == "auxpass" for c in token.children)  # "was announced"
            )
            kind = art.cue_kind(token)
            if kind is CueKind.COGNITION and not invites:
                kind = None  # "“…” we know": an opinion verb attributes only "“…,” X thinks"
            if kind is not None and finite:
                reported = _reported_speech(token)
                if reported is not None:  # "the transcript cited Bolton as saying"
                    return Attribution(self.cue_span(reported[1]), reported[0], "after")
                speaker = self.speaker_for(token, lo, hi, after_first=seen_words == 0)
                return Attribution(self.cue_span(token), speaker, "after")
            if (
                invites
                and finite
                and token.pos_ == "VERB"
                and 0 < seen_words <= 6
                and not art.in_content(token.idx)
            ):
                speaker = self.speaker_for(token, lo, hi, after_first=False)
                if speaker is not None and speaker.i < token.i:
                    return Attribution(self.cue_span(token), speaker, "after")
            if _is_other_verb(token) or token.pos_ in ("SCONJ",):
                break
            if token.pos_ == "CCONJ" and i + 1 < hi and _is_other_verb(doc[i + 1]):
                break
            seen_words += 1
            i += 1
        return None

    def leading(self, start: int, open_at: int) -> Attribution | None:
        """A cue just before the opening mark (``X said: “`` / ``X told reporters that “``)."""
        art = self.art
        doc = art.doc
        tokens = art.token_range(start, open_at)
        if not tokens:
            return None
        lo, hi = tokens.start, tokens.stop
        before = art.text[start:open_at].rstrip()
        colon = before.endswith(INTRO)
        steps = 0
        for i in reversed(tokens):
            token = doc[i]
            if token.text in _SKIP_TOKENS or not token.text.strip():
                continue
            steps += 1
            if steps > _PHRASE_WINDOW:
                break
            for length in art.lexicon.phrase_lengths:  # "in the words of X, Y, “…”"
                first = i - length + 1
                if first >= lo and art.lexicon.phrase_at(list(doc[first : i + 1])) == length:
                    speaker = adjacent_phrase(doc, doc[i], True, lo, hi)
                    how = "colon" if colon else "before"
                    return Attribution(self.cue_span(doc[first], token), speaker, how)
            if steps > 8:
                continue  # further back, only a multi-word cue still introduces the quote
            kind = art.cue_kind(token)
            if kind is not None:
                if kind is CueKind.ADJACENT and not colon:
                    return None
                speaker = self.speaker_for(token, lo, hi, after_first=False)
                if i == hi - 1 or (steps == 1):
                    how = "next"
                elif colon:
                    how = "colon"
                elif doc[hi - 1].lower_ == "that":
                    how = "that"
                else:
                    how = "before"
                return Attribution(self.cue_span(token), speaker, how)
            if _is_other_verb(token):
                return None
        return None

    def governing(self, tokens: range, para: tuple[int, int]) -> Attribution | None:
        """The reporting verb the quoted words depend on in the parse (same paragraph)."""
        art = self.art
        if not art.has_parse or not tokens:
            return None
        doc = art.doc
        inside = set(tokens)
        speech: Token | None = None
        opinion: Token | None = None
        for i in tokens:
            token = doc[i]
            if token.head.i in inside and token.head.i != i:
                continue
            node = token
            for _ in range(12):
                head = node.head
                if head.i == node.i or not (para[0] <= head.idx < para[1]):
                    break
                node = head
                if node.i in inside:
                    continue
                kind = art.cue_kind(node)
                if kind is CueKind.SPEECH:
                    speech = speech or node
                    break
                if kind is CueKind.COGNITION:
                    opinion = opinion or node
            if speech is not None:
                break
        cue = speech or opinion
        if cue is None:
            return None
        reported = _reported_speech(cue)
        if reported is not None:
            return Attribution(self.cue_span(reported[1]), reported[0], "governing")
        start, end = art.sentence(cue.idx)
        span = art.token_range(start, end)
        speaker = self.speaker_for(cue, span.start, span.stop, after_first=False)
        return Attribution(self.cue_span(cue), speaker, "governing")

    def in_sentence(self, mark: QuoteMarks, lead_start: int) -> Attribution | None:
        """The nearest reporting verb of the quotation's sentence, ``according to`` included."""
        art = self.art
        doc = art.doc
        start, end = art.sentence(mark.start)
        start = min(start, lead_start)
        tokens = art.token_range(start, max(end, mark.after))
        best: tuple[int, int, Token] | None = None
        for i in tokens:
            token = doc[i]
            if art.in_content(token.idx):
                continue
            if token.lower_ == "according":
                phrase = art.lexicon.phrase_at(list(doc[i : min(tokens.stop, i + 3)]))
                if phrase:
                    last = doc[i + phrase - 1]
                    head = adjacent_phrase(doc, last, True, tokens.start, tokens.stop)
                    if head is not None:
                        return Attribution(self.cue_span(token, last), head, "according")
            kind = art.cue_kind(token)
            if kind in (CueKind.SPEECH, CueKind.COGNITION):
                distance = min(abs(token.idx - mark.open_at), abs(token.idx - mark.after))
                rank = (0 if kind is CueKind.SPEECH else 1, distance)
                if best is None or rank < best[:2]:
                    best = (rank[0], rank[1], token)
        if best is None:
            return None
        cue = best[2]
        speaker = self.speaker_for(cue, tokens.start, tokens.stop, after_first=False)
        return Attribution(self.cue_span(cue), speaker, "sentence")

    # -- building ----------------------------------------------------------------


def _reported_speech(cue: Token) -> tuple[Token, Token] | None:
    """``quoted/cited X as saying``: X speaks, ``saying`` is the cue (not the quoter)."""
    if cue.lemma_ not in ("quote", "cite"):
        return None
    speaker = next((c for c in cue.children if c.dep_ == "dobj"), None)
    for prep in cue.children:
        if prep.lower_ == "as":
            verb = next((c for c in prep.children if c.dep_ == "pcomp"), None)
            if speaker is not None and verb is not None:
                return speaker, verb
    return None


def _after_next_comma(doc: Doc, i: int, hi: int) -> int:
    """The token after the comma closing a ``, who …,`` clause that starts at ``i``."""
    for j in range(i + 1, min(hi, i + 16)):
        if doc[j].text == ",":
            return j + 1
    return hi


def _is_other_verb(token: Token) -> bool:
    """A verb that is not a reporting verb: the words belong to another clause."""
    if token.pos_ == "VERB":
        return True
    return token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass", "neg")


def _usable_speaker(token: Token) -> bool:
    """Relative and demonstrative pronouns are not speakers (``which said``, ``this``)."""
    if token.pos_ == "PRON" or token.tag_ in ("WDT", "WP"):
        return token.lower_ in PRONOUNS or token.lower_ in ("i", "we", "you")
    return token.pos_ != "DET"
