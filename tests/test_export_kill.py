"""A spaCy export killed at any moment leaves the old export or the new one, never a mix.

A helper process imports newsread once, then forks one real ``newsread export
--format spacy`` per request; the test SIGKILLs that export at 20 seeded random
moments of its run and compares the target folder's files (names and SHA-256) with
the old export and the new one, which differ in every file.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from annotate.model import Annotations, Article, Span, Statement, Status
from store import Store
from tui.cli import main

KILLS = 20

SERVER = """
import os, sys
from tui.cli import main
from annotate.detect.nlp import load_model
load_model("blank:en")
args = sys.argv[1:]
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        sys.stdin.close()
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os._exit(main(args))
    print(pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print(status, flush=True)
"""


def _store(path: Path, articles: int = 24, sentences: int = 80) -> None:
    """Done articles, long enough that writing the files is a good part of an export
    (kills then land while files are written), each with accepted entities and a tag."""
    names = ("Ann Lee", "Bob Ray", "Kim Ode", "Tom Cruz")
    places = ("Oslo", "Lima", "Rome", "Riga")
    batch = []
    for i in range(articles):
        who, where = names[i % 4], places[(i // 4) % 4]
        text = " ".join(
            f"{who} flew to {where} on day {i}.{n} and said the talks went well."
            for n in range(sentences)
        )
        spans = []
        for part, label in ((who, "PERSON"), (where, "GPE")):
            start = text.index(part)
            spans.append(Span(start, start + len(part), label, status=Status.ACCEPTED))
        first = text.index(".") + 1
        article = replace(Article.from_text(text), analysis={"model": "m", "version": "1"})
        tagged = Statement(0, first, ("claim",))
        batch.append((article, Annotations(entities=tuple(spans), statements=(tagged,))))
    with Store.open(path) as store:
        store.add_articles(batch)


def _files(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


def _export(store: Path, out: Path, split: str) -> None:
    args = ["export", "--format", "spacy", "--eval-split", split, "--out", str(out)]
    assert main(["--store", str(store), *args]) == 0


def test_a_killed_spacy_export_leaves_the_old_folder_or_the_new_one(tmp_path: Path) -> None:
    store, target = tmp_path / "store", tmp_path / "corpus"
    _store(store)
    _export(store, tmp_path / "old", "0.5")
    _export(store, tmp_path / "new", "0.2")
    old, new = _files(tmp_path / "old"), _files(tmp_path / "new")
    assert old.keys() == new.keys() and len(old) == 4
    assert all(old[name] != new[name] for name in old)  # any mix shows
    args = ["--store", str(store), "export", "--format", "spacy", "--out", str(target)]
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert server.stdin is not None and server.stdout is not None
    stdin, stdout = server.stdin, server.stdout

    def writing(since: float) -> bool:
        """Whether the export has begun writing its files (into a fresh folder beside
        the target, or -- were it to write in place -- into the target itself)."""
        fresh = [f for d in tmp_path.glob(".corpus.export-*") for f in d.glob("*.spacy")]
        touched = [f for f in target.glob("*") if f.stat().st_mtime > since]
        return bool(fresh or touched)

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        return True

    def run(delay: float | None = None, *, from_writing: bool = False) -> tuple[int, float]:
        """One export; killed ``delay`` s after its start (or after it began writing);
        returns its exit status and how long it had been writing when it ended."""
        since = time.time()
        stdin.write("go\n")
        stdin.flush()
        pid = int(stdout.readline())
        wrote_at = None
        if from_writing or delay is None:
            while alive(pid) and not writing(since):
                time.sleep(0.001)
            wrote_at = time.perf_counter()
        if delay is not None:
            time.sleep(delay)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        status = int(stdout.readline())
        return status, time.perf_counter() - (wrote_at or time.perf_counter())

    try:
        shutil.copytree(tmp_path / "old", target)
        assert run()[0] == 0  # a whole run gives the new export
        assert _files(target) == new
        shutil.rmtree(target)
        shutil.copytree(tmp_path / "old", target)
        started = time.perf_counter()
        status, window = run()  # a warm run: how long it takes, how long it writes
        took = time.perf_counter() - started
        assert status == 0 and 0 < window < took
        rng = random.Random(12)
        seen = []
        for kill in range(KILLS):
            shutil.rmtree(target)
            shutil.copytree(tmp_path / "old", target)
            if kill % 2:  # anywhere in the run
                run(rng.uniform(0.0, 1.1) * took)
            else:  # while it writes its files and swaps them in
                run(rng.uniform(0.0, 2.0) * window, from_writing=True)
            found = _files(target)
            assert found in (old, new), sorted(found)
            seen.append("new" if found == new else "old")
        assert run()[0] == 0
        assert _files(target) == new
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".corpus.")]
        assert leftovers == []  # killed exports' folders are gone after the next one
    finally:
        stdin.close()
        server.wait(timeout=30)
    print(
        f"{KILLS} kills, {took:.2f} s runs writing {window:.2f} s: {seen.count('old')} old, "
        f"{seen.count('new')} new"
    )
