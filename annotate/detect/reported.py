"""Reported speech without (or beyond) quotation marks: ``X said the border was secure``.

An attribution here needs three things from the parse, so that not every ``said`` turns
into one: a cue (a verb of speech, of cognition when enabled, or of finding such as
``found``/``show``), a clausal complement of that cue (``ccomp``; ``xcomp`` for verbs of
asking, ``asked them not to …``), and a subject that can be a source (a noun, a name or a
personal pronoun, never inside a quotation).  The content is the complement's subtree
without a leading ``that``.  ``according to X`` is the other shape: the content is the rest
of its sentence (the clause it modifies), the speaker the object of ``to``.

A cue inside another clause's content is not an attribution of its own (``said he
believes …`` is one statement), except under ``according to``, which only names the
outlet that reported it.  :mod:`annotate.detect.quotes` then merges these with the
quotations: a clause holding quoted words becomes ``mixed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotate.detect.attribution import ArticleIndex
from annotate.detect.cues import CueKind, Lexicon
from annotate.detect.speakers import PRONOUNS, adjacent_phrase, subject_of

if TYPE_CHECKING:
    from spacy.tokens import Token

_CLAUSE_DEPS = frozenset({"ccomp"})
_SOURCE_POS = frozenset({"NOUN", "PROPN", "PRON"})
_EDGE = frozenset({"that", ",", ":", ";", "-", "–", "—", '"', "“", "”", "'", "‘", "’", "."})
_MIN_WORDS = 3
_FINITE = frozenset({"VBD", "VBZ", "VBP"})


@dataclass(slots=True)
class Reported:
    """A reported clause: content offsets, cue offsets, speaker head, and its shape
    (``clause`` for a cue with a complement, ``according`` for ``according to X``)."""

    start: int
    end: int
    cue: tuple[int, int]
    speaker: Token | None
    how: str
    cue_index: int


def _content(art: ArticleIndex, first: int, last: int) -> tuple[int, int] | None:
    """Character span of tokens ``first..last`` without edge punctuation or ``that``,
    cut at the first line break (a parse never links paragraphs correctly)."""
    doc = art.doc
    while first <= last and doc[first].lower_ in _EDGE | {"and", "but"} | {" "}:
        first += 1
    while last >= first and (doc[last].text in _EDGE or doc[last].is_space):
        last -= 1
    if last - first + 1 < _MIN_WORDS:
        return None
    start, end = doc[first].idx, doc[last].idx + len(doc[last])
    newline = art.text.find("\n", start, end)
    if newline >= 0:
        end = newline
    return (start, end) if end > start else None


def _is_source(art: ArticleIndex, speaker: Token, kind: CueKind | None) -> bool:
    """A subject that can say, think or find something (not ``which``, ``this``, ``I``)."""
    if speaker.pos_ not in _SOURCE_POS or art.in_content(speaker.idx):
        return False
    if speaker.pos_ == "PRON":
        return speaker.lower_ in PRONOUNS and speaker.lower_ not in ("him", "her", "them")
    if kind is CueKind.COGNITION:  # "a person believes", not "the data fears"
        return (
            speaker.pos_ == "PROPN"
            or speaker.lower_ in art.lexicon.person_nouns
            or speaker.ent_type_ in ("PERSON", "ORG", "GPE", "NORP")
            or speaker.tag_ == "NNS"
        )
    return True


def _clause_cue(art: ArticleIndex, token: Token, cognition: bool) -> Reported | None:
    lexicon = art.lexicon
    lemma = token.lemma_.lower()
    finding = lemma in lexicon.findings
    kind = lexicon.kind(token)
    if kind is CueKind.ADJACENT and not finding:
        return None
    if kind is None and not finding:
        return None
    if kind is CueKind.COGNITION and not cognition:
        return None
    if any(c.dep_ in ("auxpass", "neg") for c in token.children):
        return None  # "it was reported that": no source; "did not say why": nothing said
    if kind is not None and kind is not CueKind.ADJACENT:
        as_clause = _as_cue(art, token)
        if as_clause is not None:
            return as_clause
    deps = _CLAUSE_DEPS | ({"xcomp"} if lemma in lexicon.directives else frozenset())
    lo, hi = art.sentence(token.idx)  # sentences cut at line breaks
    clauses = [
        c
        for c in token.children
        if c.dep_ in deps and c.pos_ in ("VERB", "AUX") and lo <= c.idx < hi
    ]
    # The complement after the cue first ("said that …"), then one before ("…, he said").
    clause = min(clauses, key=lambda c: (c.i < token.i, abs(c.i - token.i)), default=None)
    if clause is None:
        return None
    if lemma in lexicon.directives and token.tag_ not in _FINITE:
        return None  # "a petition asking the government to …": no speaker, a request
    if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in clause.children):
        return None  # "determine whether …": a question, not a statement
    speaker = subject_of(token)
    if speaker is not None and speaker.lemma_.lower() in lexicon.speech_nouns:
        speaker = _issuer(speaker) or speaker  # "a statement from the ministry said"
    if speaker is None or not _is_source(art, speaker, kind) or not lo <= speaker.idx < hi:
        return None
    first, last = clause.left_edge.i, clause.right_edge.i
    if speaker.i > first and speaker.i <= last:
        return None
    last = _extend_conj(token, clause, last, lexicon)
    window = art.token_range(lo, hi)  # a parse running over a line break is cut there
    first, last = max(first, window.start), min(last, window.stop - 1)
    span = _content(art, first, last)
    if span is None:
        return None
    cue = (token.idx, token.idx + len(token))
    return Reported(span[0], span[1], cue, speaker, "clause", token.i)


def _issuer(noun: Token) -> Token | None:
    """Who a statement is from: ``the minister's claim``, ``a statement from / by X``."""
    for child in noun.children:
        if child.dep_ == "poss" and child.pos_ in ("PROPN", "NOUN"):
            return child
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
            if target is not None and target.pos_ in ("PROPN", "NOUN"):
                return target
    return None


def _noun_cue(art: ArticleIndex, noun: Token) -> Reported | None:
    """``the minister's claim that the border was secure``: a noun of statement with a
    ``that`` clause and a named issuer (no issuer, no attribution)."""
    clause = next(
        (
            c
            for c in noun.rights
            if c.dep_ in ("acl", "ccomp")
            and c.pos_ in ("VERB", "AUX")
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)
        ),
        None,
    )
    if clause is None:
        return None
    speaker = _issuer(noun)
    if speaker is None or not _is_source(art, speaker, CueKind.SPEECH):
        return None
    lo, hi = art.sentence(noun.idx)
    window = art.token_range(lo, hi)
    first = max(clause.left_edge.i, window.start)
    last = min(clause.right_edge.i, window.stop - 1)
    span = _content(art, first, last)
    if span is None:
        return None
    return Reported(span[0], span[1], (noun.idx, noun.idx + len(noun)), speaker, "clause", noun.i)


def _extend_conj(token: Token, clause: Token, last: int, lexicon: Lexicon) -> int:
    """``claims that X was taken … and she was forced …``: a clause the parser hung on the
    cue as its conjunct (with a subject of its own, and not itself a reporting verb)
    continues the reported content."""
    for child in token.rights:
        if child.i <= last or child.dep_ != "conj" or child.pos_ not in ("VERB", "AUX"):
            continue
        if lexicon.kind(child) is not None or child.lemma_.lower() in lexicon.all_cues:
            break
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in child.children):
            last = max(last, child.right_edge.i)
        break
    return last


def _as_cue(art: ArticleIndex, token: Token) -> Reported | None:
    """``As Heald told The Huffington Post, ozone has dropped``: the cue sits in an
    ``as`` clause and reports the main clause it modifies."""
    if token.dep_ != "advcl" or not any(
        c.dep_ == "mark" and c.lower_ == "as" for c in token.children
    ):
        return None
    speaker = next((c for c in token.children if c.dep_ == "nsubj"), None)
    if speaker is None or not _is_source(art, speaker, art.lexicon.kind(token)):
        return None
    head = token.head
    lo, hi = art.sentence(token.idx)
    window = art.token_range(lo, hi)
    if not (lo <= head.idx < hi) or token.right_edge.i >= head.i:
        return None
    span = _content(art, token.right_edge.i + 1, min(head.right_edge.i, window.stop - 1))
    if span is None:
        return None
    cue = (token.idx, token.idx + len(token))
    return Reported(span[0], span[1], cue, speaker, "clause", token.i)


def _according(art: ArticleIndex, token: Token) -> Reported | None:
    """``according to X, CLAUSE`` / ``CLAUSE, according to X``."""
    doc = art.doc
    i = token.i
    if i + 1 >= len(doc) or doc[i + 1].lower_ != "to":
        return None
    to = doc[i + 1]
    speaker = next((c for c in to.children if c.dep_ == "pobj"), None)
    if speaker is None:
        speaker = adjacent_phrase(doc, to, True, i + 2, min(len(doc), i + 12))
    if speaker is None or art.in_content(speaker.idx):
        return None
    phrase_end = max(to.right_edge.i, token.right_edge.i, speaker.right_edge.i)
    tokens = art.token_range(*art.sentence(token.idx))  # sentences cut at line breaks
    lo, hi = tokens.start, tokens.stop - 1
    if phrase_end > hi:
        return None
    if i - lo <= 2:  # the phrase opens the sentence: the content is what follows
        first = phrase_end + 1
        root = token.head
        subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and subject.left_edge.i > first:
            first = subject.left_edge.i  # "According to X, quoting Y, the army …"
        span = _content(art, first, hi)
    elif phrase_end >= hi - 1:  # it closes the sentence: the content comes before
        span = _content(art, lo, i - 1)
    else:
        span = _content(art, phrase_end + 1, hi)
    if span is None:
        return None
    cue = (token.idx, to.idx + len(to))
    return Reported(span[0], span[1], cue, speaker, "according", token.i)


def find_reported(art: ArticleIndex, *, cognition: bool = True) -> list[Reported]:
    """The reported clauses of an article (module docstring), in text order."""
    if not art.has_parse:
        return []
    doc = art.doc
    lexicon = art.lexicon
    found: list[Reported] = []
    for sentence in doc.sents:
        for token in sentence:
            if token.lower_ == "according":
                if not art.in_content(token.idx):
                    item = _according(art, token)
                else:
                    continue
            elif token.pos_ == "NOUN" and token.lemma_.lower() in lexicon.speech_nouns:
                if art.in_content(token.idx):
                    continue
                item = _noun_cue(art, token)
            elif token.pos_ == "VERB":
                if art.in_content(token.idx):
                    continue
                lower = token.lower_
                if lower not in lexicon.forms and token.lemma_.lower() not in lexicon.all_cues:
                    continue
                item = _clause_cue(art, token, cognition)
            else:
                continue
            if item is not None:
                found.append(item)
    return _drop_nested(found)


def _drop_nested(found: list[Reported]) -> list[Reported]:
    """Without the cues that sit inside another clause's content (module docstring)."""
    clauses = [r for r in found if r.how == "clause"]
    kept = []
    for item in found:
        inside = any(
            other is not item and other.start <= item.cue[0] < other.end for other in clauses
        )
        if not inside:
            kept.append(item)
    return kept
