"""brat standoff: a ``.txt`` file and, beside it, a ``.ann`` file of labelled ranges.

``T`` lines are text-bound annotations (``T1<TAB>ORG 0 8<TAB>Colombia``); ``R`` lines
relations (``R1<TAB>SPEAKER Arg1:T2 Arg2:T1``), of which newsread keeps ``SPEAKER``
(speaker -> quote, the quote a ``QUOTE`` range); ``#`` lines are notes and are not
annotations.  What newsread cannot keep is refused with its ``file:line`` and the
whole document is left out rather than imported without it: a discontinuous range
(``ORG 0 5;9 14``, which spaCy cannot represent), an event, attribute, normalisation
or equivalence line, another relation.  Offsets are characters of the ``.txt`` file.
A brat document marks the whole text, so its labels are gold and make it done.
:func:`brat_ann` writes the ``.ann`` of an article (round-trip tests, moving data).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.gold import (
    QUOTE,
    SPEAKER,
    GoldText,
    gold_article,
    gold_status,
    stamp_of,
)
from annotate.model import Annotations, Article, Span

FORMAT = "brat"
ANN = ".ann"


def ann_beside(path: Path) -> Path | None:
    """The ``.ann`` file of a brat ``.txt``, when there is one."""
    ann = path.with_suffix(ANN)
    return ann if ann.is_file() else None


def read_brat(
    text: str,
    ann_lines: Iterable[str],
    where: str,
    *,
    ann_where: str,
    as_suggestions: bool = False,
    annotator: str | None = None,
    now: float | None = None,
) -> Iterator[Imported | Failure]:
    """The article of one brat document, or one failure naming the ``.ann`` line."""
    try:
        gold = GoldText(text, gold_status(as_suggestions), annotator, stamp_of(None, now))
        spans: dict[str, Span] = {}
        relations: list[tuple[str, str, Any, str]] = []
        for number, line in enumerate(ann_lines, start=1):
            _read_line(gold, line.rstrip("\r\n"), f"line {number}", spans, relations)
        entities, quotes = gold.assemble(spans, relations)
    except FormatError as exc:
        yield Failure(ann_where, str(exc))
        return
    title = gold.text.strip().split("\n", 1)[0][:120]
    article, annotations = gold_article(
        gold, entities, quotes, fmt=FORMAT, source=where, title=title,
        as_suggestions=as_suggestions,
    )  # fmt: skip
    yield Imported(article, annotations, where)


def _read_line(
    gold: GoldText,
    line: str,
    what: str,
    spans: dict[str, Span],
    relations: list[tuple[str, str, Any, str]],
) -> None:
    if not line.strip() or line.startswith("#"):
        return
    key, _, rest = line.partition("\t")
    body = rest.split("\t", 1)[0]
    if key.startswith("T"):
        label, _, ranges = body.partition(" ")
        if ";" in ranges:
            raise FormatError(
                f"{what}: {key} is a discontinuous range ({ranges!r}); newsread keeps "
                f"continuous spans only: split it into separate annotations in brat"
            )
        parts = ranges.split()
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            raise FormatError(f"{what}: {key} needs 'LABEL start end', found {body[:60]!r}")
        if key in spans:
            raise FormatError(f"{what}: {key} is defined twice")
        spans[key] = gold.entity(int(parts[0]), int(parts[1]), label, f"{what}: {key}")
        covered = rest.split("\t", 1)[1] if "\t" in rest else None
        raw = gold.raw[int(parts[0]) : int(parts[1])]
        if covered is not None and covered != raw.replace("\n", " "):
            raise FormatError(
                f"{what}: {key} text {covered[:40]!r} differs from the .txt at "
                f"{parts[0]}:{parts[1]} ({raw[:40]!r})"
            )
        return
    if key.startswith("R"):
        fields = body.split()
        args = dict(a.partition(":")[::2] for a in fields[1:])
        if len(fields) != 3 or set(args) != {"Arg1", "Arg2"}:
            raise FormatError(f"{what}: {key} needs 'LABEL Arg1:T.. Arg2:T..'")
        relations.append((args["Arg1"], args["Arg2"], fields[0], f"{what}: {key}"))
        return
    kind = {"E": "an event", "A": "an attribute", "M": "an attribute", "N": "a normalisation",
            "*": "an equivalence"}.get(key[:1], "an unknown annotation")  # fmt: skip
    raise FormatError(f"{what}: {key[:20]!r} is {kind}, which newsread cannot keep")


def brat_ann(article: Article, annotations: Annotations) -> str:
    """The ``.ann`` of an article whose ``.txt`` is ``article.text``."""
    lines: list[str] = []
    count = 0

    def add(start: int, end: int, label: str) -> str:
        nonlocal count
        count += 1
        covered = article.text[start:end].replace("\n", " ")
        lines.append(f"T{count}\t{label} {start} {end}\t{covered}")
        return f"T{count}"

    for span in annotations.entities:
        add(span.start, span.end, span.label)
    for number, quote in enumerate(annotations.quotes, start=1):
        child = add(quote.start, quote.end, QUOTE)
        if quote.speaker is not None:
            head = add(quote.speaker.start, quote.speaker.end, SPEAKER)
            lines.append(f"R{number}\t{SPEAKER} Arg1:{head} Arg2:{child}")
    return "".join(f"{line}\n" for line in lines)
