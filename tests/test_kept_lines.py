"""Kept export lines (``annotate.export.lines``, kept by the store through its rewrite hook,
``store.trailer``) and the streamed read of exports (``store.reading``).

The oracle is the line built from objects -- ``task_from_article`` on the article as its
file holds it, the object path ``test_export_fast_path`` checks against the exporter
of before -- and the export of a read-only ``Store`` through that object path.  A kept
line must be exactly the built line of the content it sits with, replaying the same
warnings, after every kind of decision, undo and redo, a crash and its replay, an
import; and an export must write the same bytes and warnings whatever is kept or
stale, while really using the kept lines when they are there.
"""

from __future__ import annotations

import io
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest

import annotate.formats.prodigy_jsonl as prodigy
from annotate.edits import make_edit
from annotate.export.lines import KeptLines, kept_line
from annotate.export.writers import DEFAULT_STATUSES, STATUSES, export_jsonl, selected_articles
from annotate.formats.prodigy_jsonl import LINE_FORMAT, default_line
from annotate.formats.select import Selection
from annotate.formats.tokens import cache_tokens
from annotate.model import Annotations, Article, ArticleStatus, Quote, Span, Statement, Status
from store import Store, StoreCorrupt
from store.articles import ArticleFile
from store.files import ArticleFiles
from store.index import INDEX_NAME, read_index
from store.reading import StreamedStore
from store.reading import open_source as open_for_export
from store.trailer import find_extra
from tests.store_support import article_files, check_kept, make_article, pending


def open_store(root: Path, **options: Any) -> Store:
    """``Store.open`` with the hook that keeps export lines, as the app opens it."""
    return Store.open(root, on_rewrite=KeptLines(), **options)


@pytest.fixture(autouse=True)
def _tokens_cached_and_no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every batch caches its tokens (as an import's do); the tests fold when they say."""
    monkeypatch.setattr(Store, "TOKENIZE_BATCH", 1)
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)


# -- oracles (``built``, ``check_kept``: tests/store_support.py) ------------------


def export(
    root: Path, capsys: pytest.CaptureFixture[str], *, objects: bool = False, **chosen: object
) -> tuple[bytes, str, int]:
    """The JSONL export (as the command reads the store, or through objects from a
    read-only ``Store``): bytes, warnings, and how many lines were built."""
    capsys.readouterr()
    statuses = chosen.get("statuses", DEFAULT_STATUSES)
    selection = chosen.get("selection", Selection())
    assert isinstance(statuses, tuple) and isinstance(selection, Selection)
    out = io.BytesIO()
    with _counting("line_from_docs") as counter:
        if objects:
            with open_store(root, readonly=True) as store:
                export_jsonl(list(selected_articles(store, statuses, None, selection)), out)
        else:
            source = open_for_export(root)
            try:
                export_jsonl(selected_articles(source, statuses, None, selection), out)
            finally:
                source.close()
    return out.getvalue(), capsys.readouterr().err, counter[0]


@contextmanager
def _counting(name: str) -> Iterator[list[int]]:
    """Counts the calls of ``annotate.formats.prodigy_jsonl.<name>``: ``line_from_docs``
    is every line an export builds instead of finding it kept, ``default_line`` every
    line the store builds to keep."""
    original, calls = getattr(prodigy, name), [0]

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    setattr(prodigy, name, counting)
    try:
        yield calls
    finally:
        setattr(prodigy, name, original)


def same_export(root: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """The command's export equals the object export, bytes and warnings, for the
    default statuses and for all; returns how many lines the default one built."""
    built_lines = 0
    for statuses in (DEFAULT_STATUSES, STATUSES):
        fast, fast_warnings, builds = export(root, capsys, statuses=statuses)
        slow, slow_warnings, _ = export(root, capsys, objects=True, statuses=statuses)
        assert fast == slow
        assert fast_warnings == slow_warnings
        if statuses == DEFAULT_STATUSES:
            built_lines = builds
    return built_lines


# -- a store worked on with every kind of decision -------------------------------------


def _article_with_everything(index: int) -> tuple[Article, Annotations]:
    """``store_support.make_article`` with a pending quote and its speaker."""
    return make_article(index, entities=5, quote=True)


class Worker:
    """Makes random decisions of every kind on a store, as a person would."""

    def __init__(self, store: Store, rng: random.Random) -> None:
        self.store = store
        self.rng = rng

    def step(self) -> str:
        store, rng = self.store, self.rng
        article_id = rng.choice([s.id for s in store.list_articles()])
        article, annotations = store.get(article_id)
        todo = pending(store, article_id)
        roll = rng.random()
        who = rng.choice(["ann", "bob", None])
        when = 1_700_000_000.0 + rng.randrange(50)
        if roll < 0.3 and todo:
            span = rng.choice(todo)
            status = rng.choice([Status.ACCEPTED, Status.REJECTED])
            edit = make_edit(str(status), [span], [replace(span, status=status)], who, when)
            kind = "accept/reject"
        elif roll < 0.4 and annotations.entities:
            span = rng.choice(annotations.entities)
            relabelled = replace(span, label=rng.choice(["ORG", "GPE", "NORP"]), id="")
            relabelled = replace(relabelled, status=Status.ACCEPTED)
            edit = make_edit("relabel", [span], [relabelled], who, when)
            kind = "relabel"
        elif roll < 0.5:
            start = rng.randrange(len(article.text) - 4)
            span = Span(start, start + rng.randrange(1, 4), "PERSON", status=Status.ACCEPTED)
            if any(e.id == span.id for e in annotations.entities):
                return "skip"
            edit = make_edit("add", [], [span], who, when)  # often off token boundaries
            kind = "add"
        elif roll < 0.6 and annotations.quotes:
            quote = annotations.quotes[0]
            decided = replace(
                quote,
                status=rng.choice([Status.ACCEPTED, Status.REJECTED]),
                speaker_status=rng.choice([Status.ACCEPTED, Status.REJECTED, Status.PENDING]),
            )
            if decided == quote:
                return "skip"
            edit = make_edit("quote", [quote], [decided], who, when)
            kind = "quote"
        elif roll < 0.7:
            start = rng.randrange(len(article.text) - 10)
            tags = tuple(rng.sample(["claim", "denial", "opinion"], rng.randrange(1, 3)))
            statement = Statement(start, start + 10, tags)
            if any(s.id == statement.id for s in annotations.statements):
                return "skip"
            edit = make_edit("tag", [], [statement], who, when)
            kind = "tag"
        elif roll < 0.9:
            if not store.undo(article_id):
                return "skip"
            if rng.random() < 0.5:  # a redo has to follow its undo
                store.redo(article_id)
                return "redo"
            return "undo"
        else:
            return "redo" if store.redo(article_id) else "skip"
        store.save_decision(article_id, edit)
        return kind


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kept_lines_are_the_built_lines_after_every_kind_of_decision(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], seed: int
) -> None:
    root = tmp_path / "store"
    store = open_store(root)
    store.add_articles([_article_with_everything(i) for i in range(4)])
    rng = random.Random(seed)
    kinds: set[str] = set()
    for step in range(60):
        kinds.add(Worker(store, rng).step())
        if step % 6 == 5:
            roll = rng.random()
            if roll < 0.5:
                store.flush_index()  # folded: every reviewed article keeps its line
                reviewed = [s for s in store.list_articles() if str(s.status) != "new"]
                assert check_kept(root) == len(reviewed)
                assert same_export(root, capsys) == 0  # and the export builds none
            elif roll < 0.8:
                same_export(root, capsys)  # decisions in the journal: those are built
            else:
                store._release()  # killed; the next writer replays the journal
                store = open_store(root)
                check_kept(root)  # replayed articles are rewritten, lined on close
                same_export(root, capsys)
    store.close()
    with open_store(root, readonly=True) as reader:
        reviewed = [s for s in reader.list_articles() if str(s.status) != "new"]
    assert check_kept(root) == len(reviewed) > 0
    assert same_export(root, capsys) == 0
    assert {"accept/reject", "relabel", "add", "quote", "tag", "undo", "redo"} <= kinds


def test_warnings_of_a_kept_line_are_replayed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = Article.from_text("Ann Lee visited Oslo today.")
    off = Span(1, 6, "PERSON", status=Status.ACCEPTED, annotator="ann", timestamp=5.0)
    with open_store(tmp_path / "store") as store:
        store.add_articles([(article, Annotations(entities=(off,)))])
    kept = kept_line(find_extra(next(article_files(tmp_path / "store")).read_bytes(), article.id))
    assert kept is not None and len(kept.warnings) == 1
    assert "does not fall on token boundaries" in kept.warnings[0]
    data, warnings, builds = export(tmp_path / "store", capsys)
    assert builds == 0 and warnings.count("does not fall on token boundaries") == 1
    assert (data, warnings) == export(tmp_path / "store", capsys, objects=True)[:2]


def test_new_articles_keep_no_line_and_lose_it_when_every_decision_is_undone(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    with open_store(root) as store:
        article, suggested = make_article(1)
        store.add_articles([(article, suggested)])
        assert check_kept(root) == 0  # pending suggestions only: nothing to export
        span = pending(store, article.id)[0]
        store.save_decision(
            article.id, make_edit("accept", [span], [replace(span, status=Status.ACCEPTED)], "a")
        )
        store.flush_index()
        assert check_kept(root) == 1
        store.undo(article.id)
        store.flush_index()
        assert check_kept(root) == 0


# -- what makes a kept line unusable ---------------------------------------------------


def _reviewed_store(root: Path, articles: int = 3) -> list[str]:
    made = [make_article(i, entities=4, quote=True) for i in range(articles)]
    with open_store(root) as store:
        store.add_articles(made)
        for article, _ in made:
            span = pending(store, article.id)[0]
            edit = make_edit("accept", [span], [replace(span, status=Status.ACCEPTED)], "ann", 9.0)
            store.save_decision(article.id, edit)
    return [a.id for a, _ in made]


def test_a_line_made_by_another_builder_version_is_built_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "store"
    _reviewed_store(root)
    assert same_export(root, capsys) == 0
    monkeypatch.setattr(prodigy, "LINE_FORMAT", LINE_FORMAT + 1)
    assert same_export(root, capsys) == 3


def test_an_article_rewritten_without_its_line_or_with_a_cut_one_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    ids = _reviewed_store(root)
    first, second = (next((root / "articles").glob(f"*/{i}.json")) for i in ids[:2])
    stored = ArticleFile(first, readonly=True).read()
    ArticleFile(first).write(stored.state, stored.seq)  # as a newsread keeping no lines
    raw = second.read_bytes()
    line_at = raw.index(b',"export":{"1":') + len(b',"export":{"1":')
    second.write_bytes(raw[:line_at] + raw[line_at + 1 :])  # a byte short: not a kept line
    assert kept_line(find_extra(second.read_bytes(), ids[1])) is None
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(second.read_bytes())  # (nor a TinyDB file any more)
    second.write_bytes(raw)
    assert same_export(root, capsys) == 1  # the first article's line is built


def test_a_reader_never_pairs_a_kept_line_with_other_content(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Decisions still in the journal (a writer running, or killed) are exported, not
    the line kept before them; a writer killed while it adds articles leaves them out
    of the index, and they are exported too."""
    root = tmp_path / "store"
    ids = _reviewed_store(root)
    store = open_store(root)
    span = pending(store, ids[0])[0]
    store.save_decision(
        ids[0], make_edit("accept", [span], [replace(span, status=Status.ACCEPTED)], "x")
    )
    late = make_article(9, entities=3)
    store.add_article(*late)
    accepted = replace(late[1].entities[0], status=Status.ACCEPTED)
    store.save_decision(late[0].id, make_edit("accept", [late[1].entities[0]], [accepted], "y"))
    store._release()
    assert same_export(root, capsys) >= 2  # the two articles with journal decisions
    data, _, _ = export(root, capsys)
    assert b'"_annotator_id":"x"' in data and b'"_annotator_id":"y"' in data
    with open_store(root):  # the writer recovers: replays, folds, writes the index
        pass
    assert late[0].id in read_index(root)[0]
    assert same_export(root, capsys) == 1  # the late article: added alone, no tokens cached
    assert check_kept(root) == 3


# -- the streamed read ----------------------------------------------------------------


def _listing(root: Path, stream: bool) -> list[tuple[str, str, float]]:
    source = StreamedStore.open(root) if stream else open_store(root, readonly=True)
    assert source is not None
    try:
        return [(a.id, a.status, a.updated) for a in source.listing(extra=stream)]
    finally:
        source.close()


def test_the_stream_lists_what_the_store_lists(tmp_path: Path) -> None:
    root = tmp_path / "store"
    ids = _reviewed_store(root, articles=5)
    assert _listing(root, True) == _listing(root, False)
    store = open_store(root)
    store.add_articles([make_article(i, entities=2) for i in range(10, 13)])  # indexed
    single = make_article(20, entities=2)
    store.add_article(*single)  # not indexed yet
    span = pending(store, ids[1])[0]
    store.save_decision(
        ids[1], make_edit("accept", [span], [replace(span, status=Status.ACCEPTED)], "b")
    )
    store._decisions.fold_step()  # ids[1] folded, its file newer than the index
    span = pending(store, ids[2])[0]
    store.save_decision(
        ids[2], make_edit("reject", [span], [replace(span, status=Status.REJECTED)], "c")
    )
    store._release()  # ids[2]'s decision only in the journal
    (root / "articles" / ids[3][:2] / f"{ids[3]}.json").unlink()  # gone (by hand)
    streamed = _listing(root, True)
    assert streamed == _listing(root, False)
    assert [i for i, _, _ in streamed][-1] == single[0].id  # unindexed: last, in order
    assert ids[3] not in {i for i, _, _ in streamed}


def test_the_stream_holds_no_summary_and_reads_an_index_one_line_at_a_time(
    tmp_path: Path,
) -> None:
    root = tmp_path / "store"
    _reviewed_store(root, articles=4)
    raw = (root / INDEX_NAME).read_bytes()
    assert raw.count(b"\n") == 5  # a header, one line per summary, the end
    from tinydb import TinyDB

    with TinyDB(root / INDEX_NAME) as db:  # still one TinyDB document
        assert len(db.table("articles")) == 4
    assert set(read_index(root)[0]) == {i for i, _, _ in _listing(root, False)}
    stream = StreamedStore.open(root)
    assert stream is not None and stream._held == {} and stream._unindexed == []
    stream.close()


def test_what_cannot_be_streamed_opens_as_a_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _reviewed_store(root)
    index = root / INDEX_NAME
    summaries = orjson.loads(index.read_bytes())
    index.write_bytes(orjson.dumps(summaries))  # an older newsread's layout: one line
    assert StreamedStore.open(root) is None
    assert isinstance(open_for_export(root), Store)
    assert same_export(root, capsys) == 0  # the Store path uses kept lines too
    assert StreamedStore.open(tmp_path / "nowhere") is None


def test_an_index_out_of_list_order_is_read_as_the_store_reads_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "store"
    _reviewed_store(root)
    index = root / INDEX_NAME
    head, *entries, tail = index.read_bytes().split(b"\n")
    entries = [e.rstrip(b",") for e in entries]
    entries[0], entries[1] = entries[1], entries[0]
    index.write_bytes(b"\n".join([head, b",\n".join(entries), tail]))
    assert StreamedStore.open(root) is None  # a cache in another order: the store sorts it
    assert same_export(root, capsys) == 0


# -- the builder, the background fold, an import ---------------------------------------


def test_the_background_fold_keeps_the_lines(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 0.01)
    root = tmp_path / "store"
    store = open_store(root)
    article, suggested = make_article(1)
    store.add_articles([(article, suggested)])
    store._extras.version = None  # as in the app: the builder is not loaded yet
    span = pending(store, article.id)[0]
    store.save_decision(
        article.id, make_edit("accept", [span], [replace(span, status=Status.ACCEPTED)], "a")
    )
    path = next(article_files(root))
    for _ in range(500):  # the background thread loads the builder, folds, keeps the line
        if kept_line(find_extra(path.read_bytes(), article.id)) is not None:
            break
        time.sleep(0.01)
    assert check_kept(root) == 1
    store.close()


def test_an_import_keeps_the_lines_of_reviewed_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tui.cli import main

    source = tmp_path / "source"
    _reviewed_store(source, articles=3)
    exported = tmp_path / "tasks.jsonl"
    assert main(["--store", str(source), "export", "--out", str(exported)]) == 0
    target = tmp_path / "target"
    assert main(["--store", str(target), "import", str(exported)]) == 0
    assert check_kept(target) == 3
    again = tmp_path / "again.jsonl"
    assert main(["--store", str(target), "export", "--out", str(again)]) == 0
    assert again.read_bytes() == exported.read_bytes()


def test_default_line_never_tokenizes() -> None:
    article = Article.from_text("Ann Lee visited Oslo.")
    tokens = cache_tokens(article)
    assert default_line(article, Annotations(), tokens, status="done") is not None
    other = tokens._replace(tokenizer="blank:en spacy-0.0 tokens-1")
    assert default_line(article, Annotations(), other, status="done") is None


# -- the format version ---------------------------------------------------------------

GOLDEN_LINE = (
    b'{"text":"Ann Lee said so .","meta":{"id":"d90327bc242fef81","title":"Ann Lee said so .",'
    b'"source":"","extra":{"tokenization":"whitespace"}},"tokens":[{"text":"Ann","start":0,'
    b'"end":3,"id":0,"ws":true},{"text":"Lee","start":4,"end":7,"id":1,"ws":true},{"text":'
    b'"said","start":8,"end":12,"id":2,"ws":true},{"text":"so","start":13,"end":15,"id":3,'
    b'"ws":true},{"text":".","start":16,"end":17,"id":4,"ws":false}],"spans":[{"start":0,'
    b'"end":7,"label":"PERSON","token_start":0,"token_end":1}],"relations":[{"head":1,'
    b'"child":3,"head_span":{"start":0,"end":7,"label":"PERSON","token_start":0,"token_end":1},'
    b'"child_span":{"start":13,"end":15,"label":"QUOTE","token_start":3,"token_end":3},'
    b'"label":"SPEAKER"}],"quotes":[{"start":13,"end":15,"label":"QUOTE","token_start":3,'
    b'"token_end":3,"kind":"direct","speaker":{"start":0,"end":7,"label":"PERSON",'
    b'"token_start":0,"token_end":1},"cue":null,"speaker_ref":null}],"statements":[{"start":0,'
    b'"end":17,"tags":["claim"]}],"answer":"accept","_input_hash":-1527789906,'
    b'"_task_hash":1465297411,"_annotator_id":"bob","_timestamp":8}\n'
)
"""The line of version 3 of the builder (version 2 changed the lines of articles in
progress, version 3 the relation of a speaker over an entity or resolving elsewhere; this
done article's speaker is its entity, so its line is version 1's) for the article of the
test below (whitespace
tokens: spaCy's rules play no part, so a spaCy upgrade does not change it)."""


def test_line_format_3_is_what_the_builder_writes() -> None:
    """Kept lines are exported as they were made while ``LINE_FORMAT`` is unchanged:
    a change to what the builder writes must come with a new ``LINE_FORMAT`` (and this
    line updated), or stores would export stale lines."""
    article = Article.from_text("Ann Lee said so .", meta={"tokenization": "whitespace"})
    annotations = Annotations(
        entities=(Span(0, 7, "PERSON", status=Status.ACCEPTED, annotator="ann", timestamp=7.0),),
        quotes=(
            Quote(
                13,
                15,
                speaker=Span(0, 7, "PERSON"),
                status=Status.ACCEPTED,
                speaker_status=Status.ACCEPTED,
                annotator="ann",
                timestamp=8.0,
            ),
        ),
        statements=(Statement(0, 17, ("claim",), annotator="bob", timestamp=8.0),),
    )
    line = default_line(article, annotations, cache_tokens(article), status="done")
    assert line is not None
    assert LINE_FORMAT == 3
    assert line.line == GOLDEN_LINE


def test_article_files_the_index_does_not_list_are_exported_as_the_store_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file copied into ``articles/`` by hand, or left by a writer that crashed before
    it wrote the index, is exported -- and a damaged one is named -- as a read-only
    ``Store`` does, whatever else the store folder holds."""
    root, other = tmp_path / "store", tmp_path / "other"
    _reviewed_store(root, articles=2)
    late = _reviewed_store(other, articles=4)[3]  # listed after the articles of ``root``
    source = next((other / "articles").glob(f"*/{late}.json"))
    copied = root / "articles" / late[:2] / source.name
    copied.parent.mkdir(exist_ok=True)
    copied.write_bytes(source.read_bytes())
    same_export(root, capsys)
    assert late in {i for i, _, _ in _listing(root, True)}
    copied.write_bytes(source.read_bytes()[:-40])  # cut short: not JSON any more
    with pytest.raises(StoreCorrupt) as by_store:
        export(root, capsys, objects=True)
    with pytest.raises(StoreCorrupt) as by_stream:
        export(root, capsys)
    assert str(copied) in str(by_stream.value) and str(by_stream.value) == str(by_store.value)


def _file_of(root: Path, article_id: str) -> Path:
    return next((root / "articles").glob(f"*/{article_id}.json"))


def test_a_hand_edit_is_exported_and_the_writer_makes_the_line_again(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A relabelling by hand (``sed``) of an article's items: its kept line no longer
    belongs to the content beside it, so the export builds the line from the content,
    and the writer keeps the right one again."""
    root = tmp_path / "store"
    ids = _reviewed_store(root)
    path = _file_of(root, ids[0])
    raw = path.read_bytes()
    line_at = raw.index(b',"export":')
    assert raw[line_at:].count(b'"label":"PERSON"') > 0  # the kept line has it too
    path.write_bytes(raw[:line_at].replace(b'"label":"PERSON"', b'"label":"NORP"') + raw[line_at:])
    assert same_export(root, capsys) == 1
    data, _, _ = export(root, capsys)
    article, annotations = built_from_file(path)
    assert [e.label for e in annotations.entities if e.status is Status.ACCEPTED] == ["NORP"]
    with open_store(root) as store:
        store.flush_index()  # the writer notices the line is not the content's and redoes it
    assert check_kept(root) == 3
    assert same_export(root, capsys) == 0
    assert export(root, capsys)[0] == data


def built_from_file(path: Path) -> tuple[Article, Annotations]:
    state = ArticleFile(path, readonly=True).read().state
    return state.article, state.annotations


@pytest.mark.parametrize("where", [b'"tokens":[', b'"kept_line"', b'"check":'])
def test_a_damaged_byte_in_the_kept_line_is_named_not_exported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], where: bytes
) -> None:
    """One damaged byte anywhere in an article file -- here in its kept line or the
    document describing it -- makes the file unreadable (``StoreCorrupt`` naming it)
    for the export and for the app, as any damage did before lines were kept."""
    root = tmp_path / "store"
    ids = _reviewed_store(root)
    path = _file_of(root, ids[1])
    raw = path.read_bytes()
    at = raw.index(where, raw.index(b',"export":'))
    path.write_bytes(raw[:at] + b"\x00" + raw[at + 1 :])  # a quote gone: not JSON
    with pytest.raises(StoreCorrupt) as by_stream:
        export(root, capsys)
    with pytest.raises(StoreCorrupt) as by_store:
        export(root, capsys, objects=True)
    with pytest.raises(StoreCorrupt) as by_app:
        open_store(root).close()
    for raised in (by_stream, by_store, by_app):
        assert str(path) in str(raised.value)


def _without_lines(root: Path) -> None:
    """Rewrite every article file as a newsread that keeps no lines would."""
    for path in article_files(root):
        stored = ArticleFile(path, readonly=True).read()
        ArticleFile(path).write(stored.state, stored.seq)


def test_missing_lines_are_made_once_each_without_filling_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Store, "CACHE_SIZE", 2)
    root = tmp_path / "store"
    _reviewed_store(root, articles=6)
    _without_lines(root)
    with open_store(root) as store, _counting("default_line") as built_lines:
        store.flush_index()  # finds the six articles without a line and makes them
        assert built_lines[0] == 6
        assert len(store._files.cache) <= Store.CACHE_SIZE
    assert check_kept(root) == 6


@contextmanager
def _counting_reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The article files the store parses, by id."""
    original, read = ArticleFiles.read_file, []

    def counting(self: ArticleFiles, article_id: str, path: Path | None = None) -> Any:
        read.append(article_id)
        return original(self, article_id, path)

    monkeypatch.setattr(ArticleFiles, "read_file", counting)
    yield read


@pytest.fixture
def spacy_upgraded(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """From here on, tokens are made by another spaCy: the cached ones no longer fit."""
    import annotate.formats.tokens as tokens_module

    monkeypatch.setattr(tokens_module, "_spacy_version", lambda: "99.0.0")
    tokens_module._tokenizer_name.cache_clear()
    yield
    tokens_module._tokenizer_name.cache_clear()


def test_after_a_spacy_upgrade_lines_that_cannot_be_made_are_not_read_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    """Lines made by another spaCy are stale, and the cached tokens too: no line can be
    made until the tokens are, so the writer must not read every reviewed article
    again and again for lines it cannot make."""
    root = tmp_path / "store"
    _reviewed_store(root)
    request.getfixturevalue("spacy_upgraded")
    with open_store(root) as store, _counting_reads(monkeypatch) as read:
        store.flush_index()
        store.flush_index()
        assert read == [] and not store._extras.stale
    assert check_kept(root) == 3  # the old lines are still theirs, only stale


def test_a_line_that_cannot_be_made_is_tried_once_a_session(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from store.tokens import write_pack

    root = tmp_path / "store"
    ids = _reviewed_store(root)
    _without_lines(root)
    other, _ = make_article(99, entities=9)
    write_pack(root, [(ids[0], cache_tokens(other).to_bytes())])  # tokens of another text
    with open_store(root) as store, _counting_reads(monkeypatch) as read:
        store.flush_index()
        store.flush_index()
        assert read.count(ids[0]) == 1
    assert check_kept(root) == 2


def test_a_decision_that_folds_leaves_the_line_to_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past ``JOURNAL_LIMIT`` a decision folds one article itself; building its line
    there would make the keystroke pay for it (3.9 ms instead of 2.3 ms for an article
    of 2,000 entities), so the file is written without one, made later."""
    monkeypatch.setattr(Store, "JOURNAL_LIMIT", 2)
    root = tmp_path / "store"
    store = open_store(root)
    made = [make_article(i, entities=4) for i in range(2)]
    store.add_articles(made)
    with _counting("default_line") as built_lines:
        for article, _ in made:  # the second decision passes the limit: it folds one
            span = pending(store, article.id)[0]
            edit = make_edit("accept", [span], [replace(span, status=Status.ACCEPTED)], "a")
            store.save_decision(article.id, edit)
        assert built_lines[0] == 0
    folded = ArticleFile(_file_of(root, made[0][0].id), readonly=True).read()
    assert folded.seq > 0 and made[0][0].id in store._extras.deferred
    assert check_kept(root) == 0
    store.close()  # (or the background fold, in a pause) makes the line
    assert check_kept(root) == 2


def test_token_packs_read_unlocked_are_not_kept_when_an_import_writes_one_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The background fold reads the token packs' indexes without the store's lock;
    an import writing a pack meanwhile must not be hidden from the store for the rest
    of the session by the reader made before it."""
    import threading

    import store.extras as extras

    root = tmp_path / "store"
    store = open_store(root)
    store.add_articles([make_article(1)])
    store._extras.close_packs()
    late, _ = made = make_article(2)
    real, calls = extras.TokenPacks, []

    def read_while_an_import_runs(at: Path) -> Any:
        calls.append(at)
        packs = real(at)
        if len(calls) == 1:  # the import takes the lock the background let go of
            importer = threading.Thread(target=store.add_articles, args=([made],))
            importer.start()
            importer.join()
        return packs

    monkeypatch.setattr(extras, "TokenPacks", read_while_an_import_runs)
    with store._lock:  # as the background fold calls it
        store._load_hook_unlocked()
    assert store._extras._packs is not None and store._extras._packs.head(late.id) is not None
    store.close()


def test_making_missing_lines_keeps_what_was_edited_by_hand_meanwhile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """While the writer is open, one article it holds in memory gets a new title by
    hand, another (not in memory) has its decisions set back to pending: making their
    missing lines must neither put the old content back nor label a line with the old
    status."""
    root = tmp_path / "store"
    ids = _reviewed_store(root)
    _without_lines(root)
    with open_store(root) as store:
        store.get(ids[0])  # held in memory
        held, undone = _file_of(root, ids[0]), _file_of(root, ids[1])
        data = orjson.loads(held.read_bytes())
        data["article"]["1"]["title"] = "Edited by hand"
        held.write_bytes(orjson.dumps(data))
        data = orjson.loads(undone.read_bytes())
        for item in data["items"].values():
            item["status"] = "pending"
        undone.write_bytes(orjson.dumps(data))
        store.flush_index()  # makes the missing lines
        assert store.summary(ids[1]).status is ArticleStatus.NEW
    assert built_from_file(held)[0].title == "Edited by hand"
    assert check_kept(root) == 2  # the undone article is new again: it keeps none
    exported, _, _ = export(root, capsys)
    assert [orjson.loads(line)["meta"]["id"] for line in exported.splitlines()] == [
        ids[0],
        ids[2],
    ]
    assert same_export(root, capsys) == 0
