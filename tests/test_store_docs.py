"""``Store.docs``, the export's fast read, and the token packs it reads with it.

``docs`` must give exactly what ``get`` gives -- including decisions still in the
journal, after a crash too -- and token packs are a cache: written for big batches
only, checked when read, and never a reason to write stale data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotate.edits import Item
from annotate.export.lines import KeptLines
from annotate.export.writers import DEFAULT_STATUSES, export_jsonl, selected_articles
from annotate.formats.select import Selection
from annotate.formats.tokens import CachedTokens, cache_tokens, tokenizer_name
from annotate.model import Annotations, Article, Quote, Span, Statement, Status
from store import Store, StoreCorrupt
from store.articles import ArticleDocs
from store.history import item_order
from store.tokens import PACKS_DIR, TokenPacks, write_pack
from tests.store_support import decide, make_article, pending, tag


@pytest.fixture(autouse=True)
def _no_background_fold(monkeypatch: pytest.MonkeyPatch) -> None:
    """Decisions stay in the journal until a test folds them."""
    monkeypatch.setattr(Store, "FOLD_AFTER_IDLE", 3600.0)


def _objects(docs: ArticleDocs) -> tuple[Article, Annotations]:
    """The documents as ``get`` gives them: objects, each group in reading order."""

    def group(cls: Any, items: list[dict[str, Any]]) -> tuple[Item, ...]:
        return tuple(sorted((cls.from_dict(d) for d in items), key=item_order))

    return Article.from_dict(docs.article), Annotations(
        entities=group(Span, docs.entities),  # type: ignore[arg-type]
        quotes=group(Quote, docs.quotes),  # type: ignore[arg-type]
        statements=group(Statement, docs.statements),  # type: ignore[arg-type]
        sentences=tuple((a, b) for a, b in docs.sentences),
    )


def _worked_on(path: Path, articles: int = 4) -> list[str]:
    """A store with decisions on every article: the first ones folded into the files,
    the last ones (one per article) left in the journal; the store is then dropped
    without folding, as a crash would."""
    store = Store.open(path, on_rewrite=KeptLines())
    made = [make_article(i, quote=True) for i in range(articles)]
    store.add_articles(made)
    for article, suggested in made:
        first, second = pending(store, article.id)[:2]
        store.save_decision(article.id, decide(first))
        store.save_decision(article.id, decide(second, Status.REJECTED, annotator="bob"))
        quote = suggested.quotes[0]
        store.save_decision(article.id, decide(quote))  # type: ignore[arg-type]
    store.flush_index()  # folded into the article files
    for article, _ in made[1:]:
        store.save_decision(article.id, decide(pending(store, article.id)[0], annotator="cy"))
        store.save_decision(article.id, tag(0, 5, ("claim",)))
    store.undo(made[-1][0].id)  # an undo in the journal too
    store._release()  # killed: the last decisions are only in the journal
    return [a.id for a, _ in made]


def test_docs_give_what_get_gives_including_unfolded_decisions(tmp_path: Path) -> None:
    ids = _worked_on(tmp_path / "store")
    with Store.open(tmp_path / "store", readonly=True) as reader:
        unfolded = [i for i in ids if i in reader._files.cache.unfolded]
        assert len(unfolded) == len(ids) - 1  # replayed from the journal, in memory
        for article_id in ids:
            assert _objects(reader.docs(article_id)) == reader.get(article_id)
        # The journal's decisions are there, not the files' older state.
        last = reader.docs(ids[-1])
        assert [s["tags"] for s in last.statements] == []  # the tag was undone
        assert any(e.get("annotator") == "cy" for e in last.entities)
    with Store.open(tmp_path / "store") as writer:  # folds what the journal held
        for article_id in ids:
            assert writer._read_file(article_id).seq > 0
            assert _objects(writer.docs(article_id)) == writer.get(article_id)


def test_docs_read_from_the_file_when_nothing_is_in_memory(tmp_path: Path) -> None:
    ids = _worked_on(tmp_path / "store")
    with Store.open(tmp_path / "store"):  # fold everything into the files
        pass
    with Store.open(tmp_path / "store", readonly=True) as reader:
        for article_id in ids:
            docs = reader.docs(article_id)
            assert article_id not in reader._files.cache  # nothing was cached by reading
            assert _objects(docs) == reader.get(article_id)
            assert all(d["type"] == "entity" for d in docs.entities)
        with pytest.raises(KeyError):
            reader.docs("0" * 16)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: b"{not json", "not valid JSON"),
        (lambda data: b"  ", "empty"),
        (lambda data: json.dumps({**data, "article": {}}).encode(), "holds no article"),
        (
            lambda data: json.dumps(
                {**data, "items": {"1": {**data["items"]["1"], "type": "sculpture"}}}
            ).encode(),
            "malformed",
        ),
        (
            lambda data: json.dumps(
                {**data, "article": {"1": {**data["article"]["1"], "id": "ab" * 8}}}
            ).encode(),
            "holds article",
        ),
    ],
)
def test_a_damaged_file_is_named(tmp_path: Path, damage: Any, message: str) -> None:
    ids = _worked_on(tmp_path / "store", articles=1)
    with Store.open(tmp_path / "store"):
        pass
    path = Store.open(tmp_path / "store", readonly=True)._article_path(ids[0])
    data = json.loads(path.read_bytes())
    with Store.open(tmp_path / "store", readonly=True) as reader:
        path.write_bytes(damage(data))
        with pytest.raises(StoreCorrupt, match=message) as raised:
            reader.docs(ids[0])
        assert str(path) in str(raised.value)


# -- token packs ----------------------------------------------------------------------


def _articles(count: int) -> list[tuple[Article, Annotations | None]]:
    return [make_article(100 + i) for i in range(count)]


def test_a_failure_to_tokenize_does_not_stop_an_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotate.formats.tokens as tokens

    def broken(article: Article) -> CachedTokens:
        raise RuntimeError("no tokenizer today")

    monkeypatch.setattr(Store, "TOKENIZE_BATCH", 1)
    monkeypatch.setattr(tokens, "cache_tokens", broken)
    with Store.open(tmp_path / "store", on_rewrite=KeptLines()) as store:
        assert store.add_articles(_articles(2)) == [True, True]
        assert any("no tokenizer today" in n for n in store.notices)
        assert len(store) == 2


def test_small_batches_are_not_tokenized(tmp_path: Path) -> None:
    """The seeds of a first start (2 articles) must not load the tokenizer."""
    with Store.open(tmp_path / "store", on_rewrite=KeptLines()) as store:
        assert Store.TOKENIZE_BATCH > 2
        store.add_articles(_articles(2))
        assert not (tmp_path / "store" / PACKS_DIR).exists()
        assert all(store.docs(s.id).tokens is None for s in store.list_articles())


def test_big_batches_cache_their_tokens(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Store, "TOKENIZE_BATCH", 3)
    made = _articles(4)
    with Store.open(tmp_path / "store", on_rewrite=KeptLines()) as store:
        store.add_articles(made[:3])
        store.add_articles(made)  # the first three are there already: not tokenized again
        packs = sorted((tmp_path / "store" / PACKS_DIR).iterdir())
        assert len(packs) == 2
        assert len(TokenPacks(tmp_path / "store")) == 4
        for article, _ in made:
            cached = CachedTokens.from_bytes(store.docs(article.id).tokens)
            assert cached is not None and cached.fits(article.text, article.meta)
            assert cached.json == cache_tokens(article).json
            assert cached.tokenizer == tokenizer_name(article.meta)


def test_packs_are_checked_when_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "store"
    first = write_pack(root, [("a" * 16, b"one"), ("b" * 16, b"two")])
    second = write_pack(root, [("b" * 16, b"newer")])
    assert first and second and write_pack(root, []) is None
    packs = TokenPacks(root)
    assert (packs.get("a" * 16), packs.get("b" * 16), packs.get("c" * 16)) == (
        b"one",
        b"newer",  # the later pack wins
        None,
    )
    packs.close()
    monkeypatch.setattr(TokenPacks, "OPEN_PACKS", 1)  # one open file at a time is enough
    packs = TokenPacks(root)
    for _ in range(2):
        assert [packs.get(i) for i in ("a" * 16, "b" * 16)] == [b"one", b"newer"]
        assert len(packs._open) == 1
    packs.close()
    second.write_bytes(second.read_bytes()[:-1])  # cut short: ignored as a whole
    (root / PACKS_DIR / "junk.pack").write_bytes(b"")
    packs = TokenPacks(root)
    assert (packs.get("a" * 16), packs.get("b" * 16)) == (b"one", b"two")
    packs.close()


def _export(path: Path, *, objects: bool = False, selection: Selection | None = None) -> bytes:
    """The JSONL export of a store: the fast path, or the object path with ``objects``."""
    out = path.parent / "out.jsonl"
    with Store.open(path, readonly=True) as store, out.open("wb") as handle:
        chosen = selected_articles(
            store, ("new", *DEFAULT_STATUSES), None, selection or Selection()
        )
        export_jsonl(list(chosen) if objects else chosen, handle)
    return out.read_bytes()


def test_the_fast_export_writes_the_bytes_of_the_object_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cached, stale, damaged and missing token caches, decisions folded and not."""
    monkeypatch.setattr(Store, "TOKENIZE_BATCH", 1)
    path = tmp_path / "store"
    ids = _worked_on(path)  # their tokens are cached
    whitespace = Article.from_text("Ann  Lee\nsaid so .", meta={"tokenization": "whitespace"})
    uncached = make_article(200, quote=True)
    with Store.open(path, on_rewrite=KeptLines()) as store:
        store.add_articles([(whitespace, None)])
        store.add_article(*uncached)  # one by one: no tokens cached
        store.save_decision(uncached[0].id, decide(pending(store, uncached[0].id)[0]))
        store.save_decision(ids[0], decide(pending(store, ids[0])[0], annotator="cy"))
        store._release()  # these decisions only in the journal
        stale, broken = (cache_tokens(store.get(i)[0]) for i in ids[1:3])
    write_pack(  # a later pack wins: a stale and a damaged record
        path,
        [
            (
                ids[1],
                stale._replace(tokenizer="blank:en spacy-0.1 tokens-1", json=b"[]").to_bytes(),
            ),
            (ids[2], broken.to_bytes()[:-5]),
        ],
    )
    with Store.open(path, readonly=True) as reader:

        def cached(article_id: str) -> CachedTokens | None:
            return CachedTokens.from_bytes(reader.docs(article_id).tokens)

        article = Article.from_dict(reader.docs(ids[1]).article)
        assert cached(ids[0]) is not None and cached(whitespace.id) is not None
        assert not cached(ids[1]).fits(article.text, article.meta)  # type: ignore[union-attr]
        assert cached(ids[2]) is None and cached(uncached[0].id) is None
    for selection in (Selection(), Selection.of(["PERSON"]), Selection.of(None, "cy")):
        fast = _export(path, selection=selection)
        assert fast == _export(path, objects=True, selection=selection)
        assert fast.count(b"\n") >= 1
    assert b'"_annotator_id":"cy"' in _export(path)  # the journal's decision is exported


def test_export_names_a_file_whose_values_are_damaged(tmp_path: Path) -> None:
    ids = _worked_on(tmp_path / "store", articles=2)
    with Store.open(tmp_path / "store") as store:
        path = store._article_path(ids[0])
    data = json.loads(path.read_bytes())
    # the decided quote (written after the base's suggestion, see store.versions)
    quote = [k for k, item in data["items"].items() if item["type"] == "quote"][-1]
    data["items"][quote]["start"] = str(data["items"][quote]["start"])  # from_dict takes it
    path.write_bytes(json.dumps(data).encode())
    assert _export(tmp_path / "store") == _export(tmp_path / "store", objects=True)
    with Store.open(tmp_path / "store", readonly=True) as reader:
        data["items"][quote]["start"] = "twelve"
        path.write_bytes(json.dumps(data).encode())
        chosen = selected_articles(reader, DEFAULT_STATUSES, None, Selection())
        with pytest.raises(StoreCorrupt, match="malformed") as raised:
            with (tmp_path / "out.jsonl").open("wb") as out:
                export_jsonl(chosen, out)
        assert str(path) in str(raised.value)
