"""Inter-annotator agreement: how far the annotators' versions of the same articles agree.

Pure computation over plain annotations (the store hands each article's versions in;
``newsread agreement`` prints the result), so every figure is testable against a hand
computation and an independent implementation.

What an annotator *claims* in a version: its **accepted** entities (label), attribution
contents (quotes, as ``QUOTE``) and speakers (``SPEAKER``, of accepted quotes whose
speaker is accepted), and its statement tags.  Rejected and pending items claim nothing.

- **Exact-span F1** per pair: items with the same start, end and label agree;
  ``2·matches / (|A| + |B|)``, per label and overall.
- **Overlap F1**: items with the same label that share a character agree, matched one
  to one (greedily in reading order: the earliest unmatched overlapping item).
- **Cohen's κ** per pair on token-level entity tags: each token of an article both
  annotated gets the label of the accepted entity covering it, else ``O``.  Tokens are
  words and punctuation marks (``\\w+|[^\\w\\s]``): a common unit for any two versions,
  finer than the exports' tokens where they differ, which only adds units both agree on.
- **Krippendorff's α** (nominal) over all annotators on the same token tags; an
  annotator without a version of an article is *missing* there, not ``O``.
- **Statement tag κ** per pair and tag: the units are the article's sentences and every
  tagged statement span; a unit has the tag or not.
- **Speaker links** per pair: of the attribution contents both claim exactly, the share
  whose speakers name the same entity -- the mention the speaker resolves to
  (``speaker_ref``), else the speaker as written, compared as text (case and spacing
  aside), so ``he → Chris Gregoire`` and ``Governor Chris Gregoire`` only agree through
  their resolution; an undecided or missing speaker names nothing.
- **Disagreements** per article: items (entities, contents, speakers, statement tags)
  not claimed by every annotator of the article, most first, so a reviewer starts where
  it matters.

A figure that is undefined (no unit, or every unit in one category) is ``None``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotate.model import Annotations, Status
from annotate.statements import is_tagged

KINDS = ("entities", "quotes", "speakers")
"""The span kinds compared with F1."""
OUTSIDE = "O"
_TOKEN = re.compile(r"\w+|[^\w\s]")

Claim = tuple[int, int, str]
"""An item an annotator claims: start, end, label."""


@dataclass(frozen=True, slots=True)
class ArticleVersions:
    """One article's text and its annotators' versions (``done``: names whose version
    is finished)."""

    id: str
    title: str
    text: str
    versions: Mapping[str, Annotations]
    sentences: tuple[tuple[int, int], ...] = ()
    done: frozenset[str] = frozenset()


def claims(annotations: Annotations) -> dict[str, list[Claim]]:
    """What a version claims, by kind (see the module)."""
    entities = [
        (s.start, s.end, s.label) for s in annotations.entities if s.status is Status.ACCEPTED
    ]
    accepted = [q for q in annotations.quotes if q.status is Status.ACCEPTED]
    quotes = [(q.start, q.end, "QUOTE") for q in accepted]
    speakers = [
        (q.speaker.start, q.speaker.end, "SPEAKER")
        for q in accepted
        if q.speaker is not None and q.speaker_status is Status.ACCEPTED
    ]
    return {"entities": entities, "quotes": quotes, "speakers": speakers}


def speaker_links(annotations: Annotations, text: str) -> dict[tuple[int, int], str]:
    """The entity each accepted attribution's speaker names, by content span (module)."""
    links: dict[tuple[int, int], str] = {}
    for quote in annotations.quotes:
        if quote.status is not Status.ACCEPTED:
            continue
        decided = quote.speaker_status is Status.ACCEPTED
        mention = (quote.speaker_ref or quote.speaker) if decided else None
        name = text[mention.start : mention.end] if mention is not None else ""
        links[(quote.start, quote.end)] = " ".join(name.split()).casefold()
    return links


def tags_of(annotations: Annotations) -> dict[tuple[int, int], frozenset[str]]:
    """Statement tags by statement span (pending and rejected tag suggestions claim
    nothing)."""
    return {(s.start, s.end): frozenset(s.tags) for s in annotations.statements if is_tagged(s)}


# -- F1 ----------------------------------------------------------------------------------


@dataclass(slots=True)
class _Tally:
    """Matches and sizes, per label, summed over articles."""

    matched: Counter[str] = field(default_factory=Counter)
    sizes: Counter[str] = field(default_factory=Counter)

    def add(self, a: Sequence[Claim], b: Sequence[Claim], matches: Iterable[str]) -> None:
        self.matched.update(matches)
        self.sizes.update(label for _, _, label in a)
        self.sizes.update(label for _, _, label in b)

    def report(self) -> dict[str, Any]:
        labels = sorted(self.sizes)
        total = sum(self.sizes.values())
        overall = _f1(sum(self.matched.values()), total)
        return {
            "overall": overall,
            "by_label": {label: _f1(self.matched[label], self.sizes[label]) for label in labels},
        }


def _f1(matched: int, sizes: int) -> float | None:
    return 2 * matched / sizes if sizes else None


def exact_matches(a: Sequence[Claim], b: Sequence[Claim]) -> list[str]:
    """Labels of the items both claim exactly."""
    other = Counter(b)
    found = []
    for item in a:
        if other[item] > 0:
            other[item] -= 1
            found.append(item[2])
    return found


def overlap_matches(a: Sequence[Claim], b: Sequence[Claim]) -> list[str]:
    """Labels of the one-to-one matches of same-label overlapping items (greedy, in
    reading order)."""
    used = [False] * len(b)
    ordered = sorted(range(len(b)), key=lambda i: (b[i][0], b[i][1]))
    found = []
    for start, end, label in sorted(a):
        for i in ordered:
            s, e, other = b[i]
            if s >= end:
                break
            if not used[i] and other == label and s < end and start < e:
                used[i] = True
                found.append(label)
                break
    return found


# -- κ and α -------------------------------------------------------------------------------


def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's κ of two raters' labels of the same units."""
    n = len(a)
    if n == 0:
        return None
    agree = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    count_a, count_b = Counter(a), Counter(b)
    expected = sum(count_a[c] * count_b[c] for c in count_a) / (n * n)
    if expected == 1.0:
        return None
    return (agree / n - expected) / (1 - expected)


def krippendorff_alpha(units: Iterable[Counter[str]]) -> float | None:
    """Krippendorff's α (nominal) from each unit's count of values (missing values
    simply not counted; units with fewer than two values are not pairable)."""
    disagreement = 0.0
    totals: Counter[str] = Counter()
    for counts in units:
        m = sum(counts.values())
        if m < 2:
            continue
        disagreement += (m * m - sum(v * v for v in counts.values())) / (m - 1)
        totals.update(counts)
    n = sum(totals.values())
    expected = n * n - sum(v * v for v in totals.values())
    if n < 2 or expected == 0:
        return None
    return 1 - (n - 1) * disagreement / expected


def token_spans(text: str) -> list[tuple[int, int]]:
    """The token units of κ and α (see the module)."""
    return [m.span() for m in _TOKEN.finditer(text)]


def token_tags(tokens: Sequence[tuple[int, int]], entities: Sequence[Claim]) -> list[str]:
    """Each token's entity label (of the first accepted entity covering it), else ``O``."""
    tags = [OUTSIDE] * len(tokens)
    starts = [s for s, _ in tokens]
    from bisect import bisect_left

    for start, end, label in sorted(entities, reverse=True):  # the first one wins
        i = bisect_left(starts, start)
        if i > 0 and tokens[i - 1][1] > start:
            i -= 1
        while i < len(tokens) and tokens[i][0] < end:
            tags[i] = label
            i += 1
    return tags


# -- the whole report ----------------------------------------------------------------------


@dataclass(slots=True)
class _Pair:
    articles: int = 0
    exact: dict[str, _Tally] = field(default_factory=lambda: {k: _Tally() for k in KINDS})
    overlap: dict[str, _Tally] = field(default_factory=lambda: {k: _Tally() for k in KINDS})
    tokens_a: list[str] = field(default_factory=list)
    tokens_b: list[str] = field(default_factory=list)
    tag_units: list[tuple[frozenset[str], frozenset[str]]] = field(default_factory=list)
    links_compared: int = 0
    links_agreed: int = 0


def agreement(articles: Iterable[ArticleVersions], *, done_only: bool = False) -> dict[str, Any]:
    """Every figure of the module, as a JSON-ready dict."""
    pairs: dict[tuple[str, str], _Pair] = {}
    alpha_units: list[Counter[str]] = []
    disagreements: list[dict[str, Any]] = []
    names: set[str] = set()
    counted = 0
    for article in articles:
        versions = {n: v for n, v in article.versions.items() if not done_only or n in article.done}
        if len(versions) < 2:
            continue
        counted += 1
        names |= set(versions)
        claimed = {n: claims(v) for n, v in versions.items()}
        tagged = {n: tags_of(v) for n, v in versions.items()}
        linked = {n: speaker_links(v, article.text) for n, v in versions.items()}
        tokens = token_spans(article.text)
        tags = {n: token_tags(tokens, c["entities"]) for n, c in claimed.items()}
        for column in zip(*tags.values(), strict=True):
            alpha_units.append(Counter(column))
        units = sorted(set(article.sentences).union(*(t.keys() for t in tagged.values())))
        for a, b in combinations(sorted(versions), 2):
            pair = pairs.setdefault((a, b), _Pair())
            pair.articles += 1
            for kind in KINDS:
                ca, cb = claimed[a][kind], claimed[b][kind]
                pair.exact[kind].add(ca, cb, exact_matches(ca, cb))
                pair.overlap[kind].add(ca, cb, overlap_matches(ca, cb))
            both = linked[a].keys() & linked[b].keys()
            pair.links_compared += len(both)
            pair.links_agreed += sum(linked[a][k] == linked[b][k] for k in both)
            pair.tokens_a += tags[a]
            pair.tokens_b += tags[b]
            empty: frozenset[str] = frozenset()
            pair.tag_units += [(tagged[a].get(u, empty), tagged[b].get(u, empty)) for u in units]
        disagreements.append(
            {
                "article": article.id,
                "title": article.title,
                "count": _disagreements(claimed, tagged),
            }
        )
    disagreements.sort(key=lambda d: (-d["count"], d["article"]))
    return {
        "annotators": sorted(names),
        "articles": counted,
        "done_only": done_only,
        "pairs": [_pair_report(a, b, p) for (a, b), p in sorted(pairs.items())],
        "alpha": krippendorff_alpha(alpha_units),
        "disagreements": disagreements,
    }


def _pair_report(a: str, b: str, pair: _Pair) -> dict[str, Any]:
    every_tag = sorted(set().union(*(x | y for x, y in pair.tag_units))) if pair.tag_units else []
    return {
        "a": a,
        "b": b,
        "articles": pair.articles,
        "exact": {kind: tally.report() for kind, tally in pair.exact.items()},
        "overlap": {kind: tally.report() for kind, tally in pair.overlap.items()},
        "token_kappa": cohen_kappa(pair.tokens_a, pair.tokens_b),
        "speaker_link": {
            "compared": pair.links_compared,
            "agreed": pair.links_agreed,
            "share": pair.links_agreed / pair.links_compared if pair.links_compared else None,
        },
        "tag_kappa": {
            tag: cohen_kappa(
                [str(tag in x) for x, _ in pair.tag_units],
                [str(tag in y) for _, y in pair.tag_units],
            )
            for tag in every_tag
        },
    }


def _disagreements(
    claimed: Mapping[str, Mapping[str, list[Claim]]],
    tagged: Mapping[str, Mapping[tuple[int, int], frozenset[str]]],
) -> int:
    """Items and statement tags not claimed by every annotator of the article."""
    everyone = len(claimed)
    seen: Counter[tuple[str, Claim]] = Counter()
    for kinds in claimed.values():
        seen.update({(kind, item) for kind, items in kinds.items() for item in items})
    tags: Counter[tuple[int, int, str]] = Counter()
    for statements in tagged.values():
        tags.update({(s, e, t) for (s, e), ts in statements.items() for t in ts})
    return sum(1 for n in seen.values() if n < everyone) + sum(
        1 for n in tags.values() if n < everyone
    )
