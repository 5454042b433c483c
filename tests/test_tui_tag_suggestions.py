"""Suggested statement tags decided in the app (Pilot), then read back from the store and
from the exports: what a person accepted is training data, what they rejected is not.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from annotate import actions
from annotate.model import Article, Statement, Status
from annotate.statements import suggested_statement
from store import Store
from tests.tui_support import TEXT, add_fixture_articles, running, sentences
from tui.cli import main
from tui.config import Settings
from tui.screens.pickers import TagPicker
from tui.widgets.article_view import ArticleView
from tui.widgets.details import describe
from tui.widgets.details_bar import describe_line

MAYOR = next(b for b in sentences(TEXT) if TEXT[b[0] : b[1]].startswith("Mayor"))
CRITICS = next(b for b in sentences(TEXT) if TEXT[b[0] : b[1]].startswith("Critics"))


def _store(root: Path) -> Store:
    store = Store.open(root)
    article_id, _ = add_fixture_articles(store)
    _, annotations = store.get(article_id)
    waiting = (suggested_statement(*MAYOR, ("denial",)), suggested_statement(*CRITICS, ("claim",)))
    store.save_analysis(article_id, annotations.replace(statements=waiting), {"model": "tags"})
    return store


def _statement(store: Store, bounds: tuple[int, int]) -> Statement:
    _, annotations = store.get(store.list_articles()[0].id)
    found = actions.statement_at(annotations, *bounds)
    assert found is not None
    return found


async def _focus(app_main: object, pilot: object, bounds: tuple[int, int]) -> None:
    for _ in range(12):
        item = app_main.focused_item  # type: ignore[attr-defined]
        if isinstance(item, Statement) and (item.start, item.end) == bounds:
            return
        await pilot.press("tab")  # type: ignore[attr-defined]
    raise AssertionError(f"could not focus the statement on {bounds}")


async def test_accept_reject_and_undo_a_tag_suggestion(tmp_path: Path, settings: Settings) -> None:
    store = _store(tmp_path / "store")
    try:
        async with running(store, settings) as (app, pilot):
            reader = app.main.query_one(ArticleView)
            assert "TAGS? denial" in reader.rendered_text  # said in text, not only colour
            assert "TAGS? claim" in reader.rendered_text
            await _focus(app.main, pilot, MAYOR)
            item = app.main.focused_item
            assert "TAG SUGGESTION" in describe(TEXT, app.main.annotations, item).plain
            assert "a accept · x reject" in describe_line(TEXT, item).plain
            await pilot.press("x")
            assert _statement(store, MAYOR).status is Status.REJECTED
            assert "TAGS✗ denial" in reader.rendered_text
            await pilot.press("u")  # undo: pending again, and focused again
            assert _statement(store, MAYOR).status is Status.PENDING
            assert app.main.focused_item == _statement(store, MAYOR)
            await pilot.press("x")
            await _focus(app.main, pilot, CRITICS)
            await pilot.press("a")
            assert "TAGS✓ claim" in reader.rendered_text
        accepted, rejected = _statement(store, CRITICS), _statement(store, MAYOR)
        assert (accepted.status, accepted.tags, accepted.annotator) == (
            Status.ACCEPTED,
            ("claim",),
            "tester",
        )
        assert rejected.status is Status.REJECTED and rejected.tags == ("denial",)
    finally:
        store.close()
    root = str(tmp_path / "store")
    assert main(["--store", root, "export", "--out", str(tmp_path / "a.jsonl")]) == 0
    (task,) = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text().splitlines()]
    assert task["statements"] == [{"start": CRITICS[0], "end": CRITICS[1], "tags": ["claim"]}]
    cats = tmp_path / "cats.jsonl"
    assert main(["--store", root, "export", "--format", "textcat", "--out", str(cats)]) == 0
    (record,) = [json.loads(line) for line in cats.read_text().splitlines()]
    assert record["text"] == TEXT[CRITICS[0] : CRITICS[1]] and record["cats"]["claim"] == 1.0


async def test_t_on_a_suggestion_opens_its_tags_and_saves_them_accepted(
    tmp_path: Path, settings: Settings
) -> None:
    store = _store(tmp_path / "store")
    try:
        async with running(store, settings) as (app, pilot):
            await _focus(app.main, pilot, CRITICS)
            before = _statement(store, CRITICS)
            await pilot.press("t")
            picker = app.screen
            assert isinstance(picker, TagPicker)
            assert picker.chosen == {"claim"}  # pre-checked with the suggested tags
            await pilot.press("enter")  # saved as suggested: accepted
            after = _statement(store, CRITICS)
            assert (after.id, after.origin, after.status) == (
                before.id,
                before.origin,
                Status.ACCEPTED,
            )
            await _focus(app.main, pilot, MAYOR)
            await pilot.press("t")
            await pilot.press("3", "enter")  # "denial" unchecked: no tag left = rejected
            assert _statement(store, MAYOR).status is Status.REJECTED
            assert _statement(store, MAYOR).id == suggested_statement(*MAYOR, ()).id
            await pilot.press("A")  # nothing pending: accept all has nothing to do
            assert _statement(store, MAYOR).status is Status.REJECTED
    finally:
        store.close()


@pytest.mark.parametrize("key", ["N", "P", "g"])
async def test_item_keys_do_not_break_on_a_focused_suggestion(
    tmp_path: Path, settings: Settings, key: str
) -> None:
    store = _store(tmp_path / "store")
    try:
        async with running(store, settings) as (app, pilot):
            await _focus(app.main, pilot, CRITICS)
            await pilot.press(key)
            if key == "g":
                await pilot.press("1")  # the item after the focus
            assert app.main.focused_item is not None
            await pilot.press("l", "s", "c", "left_square_bracket")  # nothing for a statement
            assert _statement(store, CRITICS).status is Status.PENDING
    finally:
        store.close()


@pytest.mark.model  # loads trained pipelines from disk (spacy.load), though no real model
async def test_a_trained_model_suggests_tags_in_a_new_article(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``newsread train`` on ten claims and ten denials, then the app using the model: a new
    article gets pending tag suggestions on its sentences (base: blank English plus a
    sentencizer saved to disk, so no real model is needed)."""
    from annotate.detect.nlp import load_model
    from tests.conftest import wait_for
    from tests.test_train_tags import CLAIMS, DENIALS, _store
    from tui.app import NewsreadApp

    base = load_model("blank:en", fresh=True)
    base.add_pipe("sentencizer")
    base.to_disk(tmp_path / "base")
    root = tmp_path / "store"
    _store(root, done=24)
    args = ["--store", str(root), "--model", str(tmp_path / "base"), "train", "--epochs", "6"]
    assert main(args) == 0
    capsys.readouterr()
    (model,) = [p for p in (root / "models").iterdir() if p.is_dir() and p.name[0] != "."]
    text = f"A new story. {CLAIMS[1]} {DENIALS[0]}"
    with Store.open(root) as store:
        article = Article.from_text(text, title="new")
        store.add_articles([(article, None)])
        app = NewsreadApp(store, Settings(store=root, annotator="ann", model=str(model)))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(lambda: store.get(article.id)[0].analysis is not None, timeout=120)
            await pilot.pause()
        _, found = store.get(article.id)
        summary = store.summary(article.id)
    tags = {text[s.start : s.end]: s.tags for s in found.statements}
    assert tags[CLAIMS[1]] == ("claim",) and tags[DENIALS[0]] == ("denial",)
    assert all(s.status is Status.PENDING for s in found.statements)
    assert summary.pending >= 2 and summary.statements == 0  # waiting, not a person's yet


async def test_learned_suggestions_refreshing_keep_the_pending_tag_suggestions(
    tmp_path: Path, settings: Settings
) -> None:
    """A decision refreshes the article's learned entity suggestions (a re-analysis of
    the entities alone): the model's pending tag suggestions must survive it."""
    from annotate.learn.lexicon import Learned
    from tui.learned import LearnedReady

    store = _store(tmp_path / "store")
    try:
        async with running(store, settings) as (app, pilot):
            article_id = store.list_articles()[0].id
            before = store.get(article_id)[1].statements
            app.on_learned_ready(LearnedReady(article_id, Learned()))
            await pilot.pause()
            assert store.get(article_id)[1].statements == before
            assert len(before) == 2
    finally:
        store.close()
