"""Which annotation-tool export a file is, for the kinds a file name alone cannot tell.

``readers`` asks :func:`read_annotated` first: it answers for a ``.json`` file (a
Label Studio export, never article text), a brat document (a ``.txt`` with a ``.ann``
beside it, or the ``.ann`` itself) and returns ``None`` for everything else, which
``readers`` then reads as before.  doccano lines are told apart inside JSONL files
(``doccano.read_json_lines``), CoNLL-U-like files inside the CoNLL reader.  Keeping
the choice here leaves opening and bounding files to ``readers`` alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotate.formats.base import Failure, FormatError, Imported
from annotate.formats.brat import ANN, ann_beside, read_brat
from annotate.formats.label_studio import read_label_studio
from annotate.formats.opening import MAX_JSON_BYTES, MAX_TEXT_BYTES, open_regular, read_limited

JSON_SUFFIXES = (".json",)


def read_annotated(
    path: Path, *, as_suggestions: bool, annotator: str | None, now: float
) -> Iterator[Imported | Failure] | None:
    """The items of ``path`` when it is a Label Studio or brat file, else ``None``.

    Raises ``OSError`` or ``FormatError`` (not a regular file, too large) like any
    read; ``readers`` turns them into a failure.  Every read is bounded.
    """
    suffix = path.suffix.lower()
    where = str(path)
    if suffix in JSON_SUFFIXES:
        return read_label_studio(
            _read(path, MAX_JSON_BYTES),
            where,
            as_suggestions=as_suggestions,
            annotator=annotator,
            now=now,
        )
    if suffix == ANN:
        txt = path.with_suffix(".txt")
        if not txt.is_file():
            return iter([Failure(where, "a brat .ann file needs its .txt beside it")])
        return _brat(txt, path, as_suggestions, annotator, now)
    if suffix == ".txt":
        ann = ann_beside(path)
        if ann is not None:
            return _brat(path, ann, as_suggestions, annotator, now)
    return None


def _brat(
    txt: Path, ann: Path, as_suggestions: bool, annotator: str | None, now: float
) -> Iterator[Imported | Failure]:
    try:
        text = _read(txt, MAX_TEXT_BYTES).decode("utf-8-sig")
        ann_text = _read(ann, MAX_TEXT_BYTES * 4).decode("utf-8-sig")
    except (OSError, FormatError) as exc:
        yield Failure(str(txt), str(exc))
        return
    except UnicodeDecodeError as exc:
        yield Failure(str(txt), f"not UTF-8 text (offset {exc.start}); brat files are UTF-8")
        return
    if "\x00" in text or "\x00" in ann_text:
        yield Failure(str(txt), "binary file (it contains NUL bytes), not text")
        return
    yield from read_brat(
        text,
        ann_text.split("\n"),  # not splitlines(): U+2028 may sit in covered text
        str(txt),
        ann_where=str(ann),
        as_suggestions=as_suggestions,
        annotator=annotator,
        now=now,
    )


def _read(path: Path, limit: int) -> bytes:
    """A regular file's bytes, at most ``limit`` (else :class:`FormatError`)."""
    with open_regular(path) as handle:
        return read_limited(handle, limit)
