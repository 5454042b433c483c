"""Shared fixtures: every test runs with its own config and store folders under tmp_path."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from store import Store
from tests.tui_support import add_fixture_articles
from tui.config import Settings
from tui.startup import ensure_seeds

TESTS = Path(__file__).parent
DATA = TESTS / "data"


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point config, store and platform folders at tmp_path so no test sees real data."""
    monkeypatch.setenv("NEWSREAD_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.setenv("NEWSREAD_STORE", str(tmp_path / "default-store"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("NEWSREAD_MODEL", raising=False)
    monkeypatch.delenv("NEWSREAD_ANNOTATOR", raising=False)
    monkeypatch.delenv("NEWSREAD_TRACE", raising=False)


@pytest.fixture(autouse=True)
def model_only_where_marked(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Fail a test that loads a real spaCy model without the ``model`` marker.

    ``pytest -m "not model"`` is the fast lane: it must never pay for the model, so
    an unmarked test sees an empty pipeline cache and a ``spacy.load`` that refuses
    (in the app's worker thread too: the attempt is recorded and checked afterwards).
    """
    if request.node.get_closest_marker("model") is not None:
        yield
        return
    import spacy

    from annotate.detect import nlp

    attempts: list[str] = []

    def refuse(name: object, *args: object, **kwargs: object) -> None:
        attempts.append(str(name))
        raise OSError(f"test not marked 'model' loaded the spaCy model {name!r}")

    monkeypatch.setattr(spacy, "load", refuse)
    monkeypatch.setattr(nlp, "_loaded", {k: v for k, v in nlp._loaded.items() if k == "blank:en"})
    yield
    assert not attempts, f"mark this test @pytest.mark.model: it loaded {attempts}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """An empty store on disk."""
    opened = Store.open(tmp_path / "store")
    yield opened
    opened.close()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    """A store holding the two bundled seed articles (not analysed yet)."""
    ensure_seeds(store)
    return store


@pytest.fixture
def fixture_store(store: Store) -> Store:
    """The store with the hand-annotated fixture article (tests.tui_support)."""
    add_fixture_articles(store)
    return store


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for an app under test: the real default model, a fixed annotator."""
    return Settings(store=tmp_path / "store", annotator="tester")


async def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    """Let the app run until ``condition`` holds (fails the test after ``timeout``)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.05)
