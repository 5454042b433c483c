"""Garbage collection between key presses (``tui.collector``), alone and in the app."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator

import pytest

from store import Store
from tui import collector as collector_module
from tui.app import NewsreadApp
from tui.collector import FULL_QUIET_S, IdleCollector
from tui.config import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Cycle:
    """Garbage only the cyclic collector frees."""

    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _collector_restored() -> Iterator[None]:
    """These tests switch the process's collector off and freeze objects: undo that."""
    yield
    gc.unfreeze()
    gc.enable()


def make() -> tuple[IdleCollector, Clock, list[Callable[[], None]]]:
    clock = Clock()
    frames: list[Callable[[], None]] = []
    return IdleCollector(frames.append, clock), clock, frames


def test_start_switches_automatic_collection_off_and_freezes() -> None:
    idle, _, _ = make()
    idle.start()
    assert not gc.isenabled()
    assert gc.get_freeze_count() > 0


def test_input_collects_the_young_generations_after_its_frame() -> None:
    idle, _, frames = make()
    idle.start()
    idle.touched()
    idle.touched()  # a second key before the frame: still one collection pending
    assert len(frames) == 1 and idle.collections == [0, 0, 0]
    garbage = Cycle()
    del garbage
    before = gc.get_count()[0]
    assert before > 0
    frames.pop()()  # the frame is painted
    assert idle.collections == [0, 1, 0]
    assert gc.get_count()[0] < before
    idle.touched()  # the next key schedules again
    assert len(frames) == 1


def test_full_collection_only_once_input_is_quiet_and_once_per_pause() -> None:
    idle, clock, _ = make()
    idle.start()
    assert idle.tick() is None  # no input yet: nothing due
    idle.touched()
    clock.now += FULL_QUIET_S / 2
    assert idle.tick() is None
    clock.now += FULL_QUIET_S
    assert idle.tick() == 2
    clock.now += FULL_QUIET_S * 5
    assert idle.tick() is None  # the pause already had its collection
    idle.touched()
    clock.now += FULL_QUIET_S
    assert idle.tick() == 2
    assert idle.collections[2] == 2


def test_backlog_of_allocations_forces_a_young_collection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    idle, _, _ = make()
    idle.start()
    monkeypatch.setattr(collector_module, "BACKLOG", 1_000)
    kept = [Cycle() for _ in range(2_000)]  # a thread allocating while nobody types
    assert idle.tick() == 1
    assert gc.get_count()[0] < 1_000
    assert len(kept) == 2_000


def test_tick_switches_automatic_collection_off_again() -> None:
    idle, _, _ = make()
    idle.start()
    gc.enable()  # as srsly's msgpack reader does while spaCy loads
    idle.tick()
    assert not gc.isenabled()


async def test_app_collects_between_keys_and_restores_the_collector(
    seeded_store: Store, settings: Settings
) -> None:
    app = NewsreadApp(seeded_store, settings, analyze=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert not gc.isenabled()  # started after the first frame
        young = app._collector.collections[1]
        await pilot.press("j")
        await pilot.pause()
        await pilot.pause()
        assert app._collector.collections[1] > young
    assert gc.isenabled()  # the process goes on after the app
