"""Scoring attributions against a hand-made gold, and reading GUM's CoNLL-U news files.

Used by ``bench/attribution.py`` and the gold tests; no spaCy here, only offsets.  The
rules are those of the held-out evaluation the detector is judged on:

* a predicted and a gold content match when each covers at least half of the other's word
  tokens (one-to-one, greedy, best overlap first);
* a speaker is right when the gold speaker (or the name it refers to) and the predicted
  speaker phrase or its linked entity share a word that is neither a title nor a stopword.

GUM (texts CC BY 2.5 Wikinews, annotations CC BY 4.0) gives sentences, paragraphs and
coreference chains: :func:`read_gum` rebuilds an article's text (sentences joined by a space,
paragraphs at ``# newpar`` by a blank line) and maps every token and entity mention to
character offsets into it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_WORD = re.compile(r"\w+")
_STOP = frozenset(
    "a an the of and or in on at to for by with from as is was his her its their our my "
    "he she it they we i you who that this these those also mr mrs ms dr st jr sr "
    "s said says".split()
)
_TITLES = frozenset(
    "president minister prime secretary general director chief spokesman spokeswoman "
    "spokesperson governor senator sen rep representative mayor professor prof emeritus "
    "chairman chairwoman chair head leader official officials coauthor author editor "
    "undersecretary deputy major crown prosecutor qc sc king queen pope "
    "mister sir lady lord".split()
)


@dataclass(frozen=True, slots=True)
class GumToken:
    """One CoNLL-U token with its character offsets in the rebuilt text."""

    start: int
    end: int
    form: str
    lemma: str
    upos: str
    deprel: str
    head: int  # index into the document's token list, -1 for the root


@dataclass(frozen=True, slots=True)
class GumMention:
    """An entity mention: character span, coreference chain id, entity type."""

    start: int
    end: int
    chain: str
    etype: str
    first_token: int
    last_token: int


@dataclass(slots=True)
class GumDoc:
    """A GUM article rebuilt as newsread would import it."""

    name: str
    text: str
    tokens: list[GumToken] = field(default_factory=list)
    mentions: list[GumMention] = field(default_factory=list)


_BRACKET = re.compile(r"\((\d+)-([a-z]+)[^()]*(\))?|(\d+)\)")


def read_gum(path: str | Path) -> GumDoc:
    """The article of one GUM ``.conllu`` file (module docstring)."""
    path = Path(path)
    paragraphs: list[list[tuple[str, list[list[str]]]]] = []
    sentence_rows: list[list[str]] = []
    sentence_text = ""
    for line in path.read_text("utf-8").splitlines():
        if line.startswith("# newpar") and not line.startswith("# newpar_block"):
            paragraphs.append([])
        elif line.startswith("# text = "):
            sentence_text = line[len("# text = ") :]
            sentence_rows = []
            if not paragraphs:
                paragraphs.append([])
            paragraphs[-1].append((sentence_text, sentence_rows))
        elif line and not line.startswith("#"):
            row = line.split("\t")
            if "-" in row[0] or "." in row[0]:
                continue
            sentence_rows.append(row)
    doc = GumDoc(path.stem.removeprefix("GUM_news_"), "")
    pieces: list[str] = []
    offset = 0
    open_mentions: dict[str, list[tuple[int, str, int]]] = {}
    for p_index, paragraph in enumerate(p for p in paragraphs if p):
        for s_index, (sent, rows) in enumerate(paragraph):
            sep = "" if not pieces else ("\n\n" if s_index == 0 and p_index else " ")
            pieces.append(sep + sent)
            offset += len(sep)
            base = len(doc.tokens)
            cursor = 0
            for row in rows:
                at = sent.find(row[1], cursor)
                if at < 0:
                    at = cursor
                start = offset + at
                end = start + len(row[1])
                cursor = at + len(row[1])
                head = int(row[6]) - 1 + base if row[6] != "0" else -1
                doc.tokens.append(GumToken(start, end, row[1], row[2], row[3], row[7], head))
                index = len(doc.tokens) - 1
                for item in row[9].split("|"):
                    if item.startswith("Entity="):
                        _entities(doc, open_mentions, item[len("Entity=") :], start, end, index)
            offset += len(sent)
    doc.text = "".join(pieces)
    doc.mentions.sort(key=lambda m: (m.start, -m.end))
    return doc


def _entities(
    doc: GumDoc,
    open_mentions: dict[str, list[tuple[int, str, int]]],
    value: str,
    start: int,
    end: int,
    index: int,
) -> None:
    """Open and close the mentions of one token's ``Entity=`` value."""
    for match in _BRACKET.finditer(value):
        if match.group(1):
            open_mentions.setdefault(match.group(1), []).append((start, match.group(2), index))
            if match.group(3):
                _close(doc, open_mentions, match.group(1), end, index)
        else:
            _close(doc, open_mentions, match.group(4), end, index)


def _close(
    doc: GumDoc, open_mentions: dict[str, list[tuple[int, str, int]]], chain: str, end: int, i: int
) -> None:
    stack = open_mentions.get(chain)
    if stack:
        start, etype, first = stack.pop()
        doc.mentions.append(GumMention(start, end, chain, etype, first, i))


# -- scoring ----------------------------------------------------------------------


def words(text: str, start: int, end: int) -> set[int]:
    """The start offsets of the word tokens inside ``start:end`` (the unit of overlap)."""
    return {m.start() for m in _WORD.finditer(text, start, end)}


def _coverage(a: set[int], b: set[int]) -> float:
    return len(a & b) / len(a) if a else 0.0


def match(
    text: str, gold: Sequence[tuple[int, int]], predicted: Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """One-to-one pairs ``(gold index, predicted index)`` whose contents each cover at
    least half of the other's word tokens, greedily by the smaller coverage."""
    gold_words = [words(text, s, e) for s, e in gold]
    pred_words = [words(text, s, e) for s, e in predicted]
    candidates = []
    for gi, gw in enumerate(gold_words):
        for pi, pw in enumerate(pred_words):
            low = min(_coverage(gw, pw), _coverage(pw, gw))
            if low >= 0.5:
                candidates.append((-low, gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _, gi, pi in candidates:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            pairs.append((gi, pi))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    """Precision, recall and F1 rounded to three places."""
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 3), "r": round(r, 3), "f1": round(f, 3)}


def content_words(phrase: str) -> set[str]:
    """The words of a speaker phrase that can identify it (no titles, no stopwords)."""
    found = {w.lower() for w in _WORD.findall(phrase)}
    found = {w.removesuffix("s") if w.endswith("'s") else w for w in found}
    return {w for w in found if w not in _STOP and w not in _TITLES and not w.isdigit()}


def speaker_right(gold: Iterable[str], predicted: Iterable[str]) -> bool:
    """True when a gold phrase and a predicted phrase share an identifying word."""
    gold_words = set().union(*(content_words(g) for g in gold if g))
    pred_words = set().union(*(content_words(p) for p in predicted if p))
    return bool(gold_words & pred_words)


def stretches(attribution: Mapping[str, Any]) -> list[tuple[int, int]]:
    """The quoted stretches of one attribution (as a dict with ``kind``/``quoted``)."""
    kind = attribution["kind"]
    if kind in ("direct", "partial"):
        return [(attribution["start"], attribution["end"])]
    if kind == "mixed":
        return [(q["start"], q["end"]) for q in attribution.get("quoted", ())]
    return []


def _phrases(attribution: Mapping[str, Any], text: str) -> list[str]:
    found = []
    for key in ("speaker", "speaker_ref"):
        value = attribution.get(key)
        if isinstance(value, Mapping):
            found.append(text[value["start"] : value["end"]])
        elif isinstance(value, str):
            found.append(value)
    return found


def score(
    golds: Sequence[Mapping[str, Any]], predictions: Sequence[Sequence[Mapping[str, Any]]]
) -> dict[str, Any]:
    """Scores of predicted attributions against gold records (``gold.jsonl`` lines).

    ``predictions[i]`` are the attributions predicted for ``golds[i]["text"]``, as dicts
    with ``start``, ``end``, ``kind``, ``quoted`` and ``speaker``/``speaker_ref`` spans.
    """
    tp = n_pred = n_gold = 0
    q_tp = q_pred = q_gold = 0
    speakers_right = speakers_total = 0
    for gold, predicted in zip(golds, predictions, strict=True):
        text = gold["text"]
        gold_items = gold["attributions"]
        pairs = match(
            text,
            [(g["start"], g["end"]) for g in gold_items],
            [(p["start"], p["end"]) for p in predicted],
        )
        tp += len(pairs)
        n_pred += len(predicted)
        n_gold += len(gold_items)
        for gi, pi in pairs:
            gold_phrases = _phrases(gold_items[gi], text)
            if not gold_phrases:
                continue
            speakers_total += 1
            if speaker_right(gold_phrases, _phrases(predicted[pi], text)):
                speakers_right += 1
        gold_q = [s for g in gold_items for s in stretches(g)]
        pred_q = [s for p in predicted for s in stretches(p)]
        q_tp += len(match(text, gold_q, pred_q))
        q_pred += len(pred_q)
        q_gold += len(gold_q)
    return {
        "quoted": prf(q_tp, q_pred, q_gold),
        "all": prf(tp, n_pred, n_gold),
        "speaker_accuracy": round(speakers_right / speakers_total, 3) if speakers_total else 0.0,
        "counts": {"gold": n_gold, "predicted": n_pred, "matched": tp},
    }
