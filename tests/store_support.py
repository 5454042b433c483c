"""Helpers for the store tests, and the programs they run in subprocesses.

As a module: small articles with pending suggestions and decisions on them.  As a
script (``python tests/store_support.py ROLE STORE``) it is the *other process* of a
test:

``crash-writer``  opens the store (printing ``OPEN``), then commits, undoes and redoes
                  decisions at full speed, printing ``BEGIN …`` before and ``OK``
                  after each call returns, until it is killed;
``hold-writer``   opens the store for writing, commits the decisions it reads on stdin
                  (``accept ARTICLE SPAN``) answering ``OK``, and closes on ``quit``;
``import-writer`` opens the store (``OPEN``), then adds batches of articles as an import
                  does, printing ``BEGIN FIRST COUNT`` before and ``OK`` after each
                  ``add_articles`` returns, until it is killed (the index's log is
                  compacted often, so kills land in compactions too).
"""

from __future__ import annotations

import random
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

if __name__ == "__main__":  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from annotate.edits import Edit, make_edit
from annotate.model import (
    Annotations,
    Article,
    ArticleStatus,
    Quote,
    QuoteKind,
    Span,
    Statement,
    Status,
)
from store import Store, StoreError

LABELS = ("PERSON", "ORG", "GPE")


def make_article(
    index: int, entities: int = 6, *, quote: bool = False
) -> tuple[Article, Annotations]:
    """An analysed article whose ``entities`` names are pending entity suggestions."""
    parts, spans, offset = [f"Story {index}. "], [], len(f"Story {index}. ")
    for n in range(entities):
        name = f"Name{index}x{n}"
        sentence = f"{name} spoke today. "
        spans.append(Span(offset, offset + len(name), LABELS[n % len(LABELS)]))
        parts.append(sentence)
        offset += len(sentence)
    quotes: tuple[Quote, ...] = ()
    if quote:
        said = f'"We are ready," said Name{index}x0. '
        start = offset
        parts.append(said)
        speaker = Span(start + 21, start + 21 + len(f"Name{index}x0"), "PERSON")
        quotes = (Quote(start + 1, start + 14, QuoteKind.DIRECT, speaker=speaker),)
    text = "".join(parts)
    article = Article.from_text(text, title=f"Story {index}", source=f"test/{index}.txt")
    article = replace(article, analysis={"model": "test", "version": "0"})
    return article, Annotations(entities=tuple(spans), quotes=quotes)


def decide(span: Span, status: Status = Status.ACCEPTED, annotator: str = "tester") -> Edit:
    """The edit that gives ``span`` a decision."""
    return make_edit(str(status), [span], [replace(span, status=status)], annotator)


def tag(start: int, end: int, tags: tuple[str, ...], annotator: str = "tester") -> Edit:
    """The edit that adds a tagged statement."""
    return make_edit("tag", [], [Statement(start, end, tags)], annotator)


def pending(store: Store, article_id: str) -> list[Span]:
    """The article's entity suggestions that still wait for a decision."""
    _, annotations = store.get(article_id)
    return [s for s in annotations.entities if s.status is Status.PENDING]


def accepted(store: Store) -> set[tuple[str, str]]:
    """Every accepted entity as ``(article id, span id)``."""
    found = set()
    for summary in store.list_articles():
        _, found_in = store.get(summary.id)
        found |= {(summary.id, s.id) for s in found_in.entities if s.status is Status.ACCEPTED}
    return found


def files_on_disk(root: Path) -> dict[str, tuple[int, int, int]]:
    """Every file under ``root`` with its inode, mtime and size: any write changes it."""
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            st = path.stat()
            found[str(path.relative_to(root))] = (st.st_ino, st.st_mtime_ns, st.st_size)
    return found


# -- kept export lines (annotate.export.lines) ----------------------------------------------------


def built(article: Article, annotations: Annotations, status: str) -> tuple[bytes, list[str]]:
    """An article's JSONL line and warnings as the object path builds them."""
    from annotate.formats.prodigy_jsonl import answer_for, dumps, task_from_article
    from annotate.formats.select import Selection

    warnings: list[str] = []
    task = task_from_article(
        article,
        Selection().apply(annotations),
        report=warnings.append,
        answer=answer_for(status),
        status=status,
    )
    return dumps(task), warnings


def article_files(root: Path) -> Iterator[Path]:
    """The article files of the store at ``root``."""
    yield from sorted((root / "articles").glob("*/*.json"))


def check_kept(root: Path) -> int:
    """Every article file's kept line is the built line of the very content it sits
    with (and a new article keeps none); returns how many files keep one."""
    from annotate.export.lines import kept_line
    from annotate.formats.select import Selection
    from store.articles import ArticleFile
    from store.summary import summarize
    from store.trailer import find_extra

    found = 0
    for path in article_files(root):
        state = ArticleFile(path, readonly=True).read().state
        summary = summarize(state.article, state.annotations, state.order)
        kept = kept_line(find_extra(path.read_bytes(), state.article.id))
        if summary.status is ArticleStatus.NEW:
            assert kept is None, f"{path.name}: a new article keeps no line"
            continue
        if kept is None:
            continue
        line, warnings = built(state.article, state.annotations, str(summary.status))
        assert bytes(kept.line) == line, path.name
        assert list(kept.warnings) == warnings
        assert (kept.status, kept.updated, kept.answer) == (
            str(summary.status),
            summary.updated,
            "accept" if summary.status is ArticleStatus.DONE else "ignore",
        )
        chosen = Selection().apply(state.annotations)
        assert kept.total == len(chosen.entities) + len(chosen.quotes) + len(chosen.statements)
        found += 1
    return found


class Writer:
    """``tests/store_support.py hold-writer``: another newsread writing to the store."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, __file__, "hold-writer", str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        self.greeting = self.read()

    def read(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def send(self, line: str) -> str:
        assert self.process.stdin is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        return self.read()

    def quit(self) -> str:
        """Close the writer; returns what it said on closing (``CLOSED`` and any error)."""
        said = self.send("quit")
        assert said.startswith("CLOSED")
        self.process.wait(timeout=30)
        return said


def _say(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def crash_writer(path: Path, seed: int) -> None:
    """Decide, undo and redo at random, announcing each call and its return."""
    rng = random.Random(seed)
    Store.JOURNAL_LIMIT = 8  # fold often, in decisions and in the background (in the
    Store.FOLD_AFTER_IDLE = 0.005  # short pauses below), so kills land in rewrites too
    store = Store.open(path)
    assert not store.readonly
    _say("OPEN")
    ids = [s.id for s in store.list_articles()]
    while True:
        article_id = rng.choice(ids)
        history, cursor = store.history(article_id)
        roll = rng.random()
        todo = pending(store, article_id)
        if todo and roll < 0.7:
            span = rng.choice(todo)
            _say(f"BEGIN accept {article_id} {span.id}")
            store.save_decision(article_id, decide(span))
        elif cursor and roll < 0.9:
            _say(f"BEGIN undo {article_id} {history[cursor - 1].after[0].id}")
            store.undo(article_id)
        elif cursor < len(history):
            _say(f"BEGIN redo {article_id} {history[cursor].after[0].id}")
            store.redo(article_id)
        else:
            continue
        _say("OK")
        if rng.random() < 0.01:
            time.sleep(rng.uniform(0.01, 0.04))  # a person's pause: the journal is folded


def hold_writer(path: Path) -> None:
    """Hold the writer lock; commit what stdin asks for (and write nothing else: no
    background fold, so the test can compare the files on disk)."""
    Store.FOLD_AFTER_IDLE = 3600.0
    store = Store.open(path)
    _say("READONLY" if store.readonly else "READY")
    for line in sys.stdin:
        words = line.split()
        if words[:1] == ["accept"]:
            article_id, span_id = words[1], words[2]
            span = next(s for s in pending(store, article_id) if s.id == span_id)
            try:
                store.save_decision(article_id, decide(span, annotator="other"))
            except StoreError as exc:
                _say(f"ERROR {exc}")
                continue
            _say("OK")
        elif words[:1] == ["quit"]:
            break
    try:
        store.close()
    except StoreError as exc:
        _say(f"CLOSED {exc}")
    else:
        _say("CLOSED")


def import_writer(path: Path, first: int) -> None:
    """Add batches of new articles (numbered from ``first``), announcing each."""
    import store.index

    store.index.LOG_MIN = 12
    Store.FOLD_AFTER_IDLE = 3600.0
    writer = Store.open(path)
    assert not writer.readonly
    _say("OPEN")
    while True:
        count = 1 + first % 4
        _say(f"BEGIN {first} {count}")
        writer.add_articles([make_article(i, 2) for i in range(first, first + count)], backup=False)
        _say("OK")
        first += count


if __name__ == "__main__":
    role, store_path = sys.argv[1], Path(sys.argv[2])
    if role == "crash-writer":
        crash_writer(store_path, int(sys.argv[3]))
    elif role == "hold-writer":
        hold_writer(store_path)
    elif role == "import-writer":
        import_writer(store_path, int(sys.argv[3]))
    else:
        raise SystemExit(f"unknown role {role}")
