"""``newsread import`` end to end: real files, a real store, the summary and the messages."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from annotate.model import Status
from seeds import seed_files
from store import Store
from tests.store_support import make_article
from tui.cli import main
from tui.cli.import_cmd import ImportSummary, Reporter, import_paths, make_progress

WIKIGOLD = Path(__file__).parent / "data" / "wikigold" / "wikigold.conll.txt"


def _run(store: Path, *args: str) -> int:
    return main(["--store", str(store), "--annotator", "imp", "import", *args])


def _texts(path: Path) -> dict[str, str]:
    with Store.open(path, readonly=True) as store:
        return {s.id: store.get(s.id)[0].text for s in store.list_articles()}


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    (folder / "nested").mkdir(parents=True)
    for seed in seed_files():
        (folder / seed.name).write_bytes(seed.read_bytes())
    (folder / "nested" / "note.md").write_text("# A note\n\nThe *council* met.", "utf-8")
    (folder / "nested" / "image.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (folder / "latin1.txt").write_bytes("Caf\u00e9 cr\u00e8me".encode("latin-1"))
    (folder / "empty.txt").write_text("   \n", "utf-8")
    lines = [
        json.dumps({"text": "Line one article.", "meta": {"title": "One"}}),
        "{not json",
        json.dumps({"text": "Kim met Lee.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}),
        json.dumps({"text": "Half good.", "spans": [{"start": 0, "end": 99, "label": "X"}]}),
    ]
    (folder / "tasks.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


def test_import_reads_every_kind_and_reports_each_bad_input(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path = tmp_path / "store"
    code = _run(store_path, str(inbox), str(WIKIGOLD))
    out, err = capsys.readouterr()
    assert code == 1  # some inputs failed, the rest is in
    assert out.strip() == (
        "imported 150 articles (3559 annotations), skipped 0 duplicates, 5 failed"
    )
    for name, reason in [
        ("image.txt", "binary"),
        ("latin1.txt", "not UTF-8"),
        ("empty.txt", "empty file"),
        ("tasks.jsonl:2", "invalid JSON"),
        ("tasks.jsonl:4", "outside the text"),
    ]:
        assert any(name in line and reason in line for line in err.splitlines()), name
    assert all(line.startswith("newsread: ") for line in err.splitlines())
    texts = _texts(store_path)
    assert len(texts) == 150
    assert "The council met." in "\n".join(texts.values())
    assert "Half good." not in texts.values()  # never half an article


def test_imported_annotations_are_gold_unless_asked(tmp_path: Path) -> None:
    data = tmp_path / "kim.jsonl"
    task = {"text": "Kim met Lee.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
    data.write_text(json.dumps(task) + "\n", "utf-8")
    for flag, status in (([], Status.ACCEPTED), (["--as-suggestions"], Status.PENDING)):
        store_path = tmp_path / f"store-{status}"
        assert _run(store_path, *flag, str(data)) == 0
        with Store.open(store_path, readonly=True) as store:
            (summary,) = store.list_articles()
            (entity,) = store.get(summary.id)[1].entities
        assert (entity.label, entity.status, entity.annotator) == ("PERSON", status, "imp")


def test_reimport_skips_duplicates_and_says_so(
    inbox: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store_path = tmp_path / "store"
    seeds = [str(inbox / s.name) for s in seed_files()]
    assert _run(store_path, *seeds) == 0
    capsys.readouterr()
    assert _run(store_path, *seeds) == 0
    out, err = capsys.readouterr()
    assert "imported 0 articles (0 annotations), skipped 2 duplicates, 0 failed" in out
    assert err.count("already holds this text") == 2
    assert len(_texts(store_path)) == 2


def test_stdin_is_read_with_a_dash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    payload = b"Headline from a pipe\n\nBody text.\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(payload)))
    assert _run(tmp_path / "store", "-") == 0
    assert "imported 1 article " in capsys.readouterr().out
    (text,) = _texts(tmp_path / "store").values()
    assert text == "Headline from a pipe\n\nBody text."


def test_missing_path_is_a_failure_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _run(tmp_path / "store", str(tmp_path / "missing.txt")) == 1
    assert "missing.txt: no such file or folder" in capsys.readouterr().err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_long_runs(inbox: Path, store: Store) -> None:
    assert make_progress(10, io.StringIO()) is None
    assert make_progress(2, _Terminal()) is None
    assert make_progress(10, _Terminal()) is not None
    terminal = _Terminal()
    summary = ImportSummary()
    import_paths(
        store,
        [str(inbox)],
        summary,
        as_suggestions=False,
        annotator="x",
        stdin=io.BytesIO(),
        reporter=Reporter(terminal),
    )
    assert summary.imported == 5 and len(summary.failures) == 5
    shown = terminal.getvalue()
    assert "importing" in shown  # the bar was drawn
    assert "image.txt" in shown and "binary" in shown  # messages printed above it


def test_a_reader_crash_costs_only_its_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import annotate.formats.readers as readers

    def explode(html: str, *, source: str) -> None:
        raise RuntimeError("parser fell over")

    monkeypatch.setattr(readers, "article_from_html", explode)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.html").write_text("<html><body><p>x</p></body></html>", "utf-8")
    (tmp_path / "in" / "b.txt").write_text("Still imported\n\nBody.", "utf-8")
    assert _run(tmp_path / "store", str(tmp_path / "in")) == 1
    out, err = capsys.readouterr()
    assert "imported 1 article " in out and "1 failed" in out
    assert "a.html: could not be read (RuntimeError: parser fell over)" in err


def test_a_full_disk_stops_the_import_with_one_line_and_a_true_count(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import errno

    import store.durable
    import tui.cli.import_cmd as import_cmd

    root = tmp_path / "store"
    with Store.open(root) as existing:
        existing.add_articles([make_article(i, 2) for i in range(3)])  # a backup is taken
    lines = [json.dumps({"text": f"Article number {i} about Oslo."}) for i in range(40)]
    (tmp_path / "many.jsonl").write_text("\n".join(lines) + "\n", "utf-8")
    monkeypatch.setattr(import_cmd, "BATCH", 10)
    real = store.durable.write_all
    articles_written = 0

    def filling(fd: int, payload: bytes) -> None:
        nonlocal articles_written
        if articles_written >= 23:  # full: nothing more goes in, of any file
            raise OSError(errno.ENOSPC, "No space left on device")
        articles_written += b'"article":' in payload
        real(fd, payload)

    monkeypatch.setattr(store.durable, "write_all", filling)
    assert _run(root, str(tmp_path / "many.jsonl")) == 1
    out, err = capsys.readouterr()
    assert "imported 23 articles" in out
    assert err.count("\n") == 1 and err.startswith(f"newsread: disk full: the store {root} ")
    assert "Traceback" not in err
    monkeypatch.setattr(store.durable, "write_all", real)
    texts = _texts(root)
    assert len(texts) == 3 + 23
    assert sum("Oslo" in t for t in texts.values()) == 23
