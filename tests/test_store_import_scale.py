"""An import into a big store: the index is appended to, not rewritten, and a kill at
any moment of it loses no article whose batch was acknowledged (``store.index``)."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import store_support

from store import Store
from store.reading import StreamedStore
from tests.store_support import make_article

SUPPORT = Path(store_support.__file__)
KILLS = 12


def _acknowledged(log: bytes) -> tuple[set[str], set[str]]:
    """The ids of the articles whose batch returned, and those of the batch in flight."""
    done: set[str] = set()
    in_flight: set[str] = set()
    for line in log.split(b"\n")[:-1]:
        words = line.decode().split()
        if words[:1] == ["BEGIN"]:
            first, count = int(words[1]), int(words[2])
            in_flight = {make_article(i, 2)[0].id for i in range(first, first + count)}
        elif words == ["OK"]:
            done |= in_flight
            in_flight = set()
    return done, in_flight


def _listed(path: Path, *, stream: bool) -> list[str]:
    source = StreamedStore.open(path) if stream else Store.open(path, readonly=True)
    assert source is not None, "the store could not be read as a stream"
    try:
        return [a.id for a in source.listing()]
    finally:
        source.close()


def test_a_kill_during_an_import_loses_no_acknowledged_article(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with Store.open(path) as store:
        store.add_articles([make_article(i, 2) for i in range(20)])
    expected = set(_listed(path, stream=False))
    rng = random.Random(3)
    batches = 0
    for run in range(KILLS):
        log = tmp_path / "writer.out"
        first = 1000 * (run + 1)
        with log.open("wb") as out:
            writer = subprocess.Popen(
                [sys.executable, str(SUPPORT), "import-writer", str(path), str(first)],
                stdout=out,
                stderr=subprocess.PIPE,
            )
            deadline = time.monotonic() + 30
            while not log.read_bytes().startswith(b"OPEN\n"):
                assert writer.poll() is None and time.monotonic() < deadline, "no start"
                time.sleep(0.005)
            time.sleep(rng.uniform(0.05, 0.3))
            writer.send_signal(signal.SIGKILL)
            _, err = writer.communicate()
        assert writer.returncode == -signal.SIGKILL, err.decode()
        done, in_flight = _acknowledged(log.read_bytes())
        batches += log.read_bytes().count(b"\nOK")
        listed = _listed(path, stream=False)
        assert len(listed) == len(set(listed))
        actual = set(listed)
        assert expected | done <= actual, f"run {run}: acknowledged articles are missing"
        assert actual - expected - done <= in_flight  # nothing else appeared
        assert _listed(path, stream=True) == listed  # the export's read lists the same
        expected = actual
    assert batches > 2 * KILLS  # the kills interrupted a busy import
    with Store.open(path) as store:  # the writer's recovery
        assert {s.id for s in store.list_articles()} == expected
    assert _listed(path, stream=True) == _listed(path, stream=False)
