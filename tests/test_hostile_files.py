"""Hostile and huge input files (issue #12): only regular files are read, every read bounded.

Each repro of the issue is here: a FIFO, ``/dev/zero`` and ``/dev/urandom`` behind
article names, ``yes`` on stdin, a CoNLL document and a JSONL line over the article
limit, a file of garbage lines.  Each gives a clean one-line error naming the file,
exit code 1, the neighbours imported, and nothing else stored.  The CLI runs in a
subprocess where a hang is possible, so a regression fails on the subprocess
timeout instead of hanging the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotate.formats.admit import MAX_ERRORS_SHOWN, capped
from annotate.formats.base import Failure, FormatError
from annotate.formats.opening import bounded_lines, open_regular, read_limited
from annotate.formats.readers import iter_paths, read_path
from annotate.limits import MAX_ARTICLE_CHARS
from store import Store

ARTICLE = "Geneva talks\n\nMaria Lopez met the envoy in Geneva on Monday."


def cli(tmp_path: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """``newsread --store tmp/store ARGS`` in a fresh process (never hangs the suite)."""
    env = {**os.environ, "NEWSREAD_CONFIG": str(tmp_path / "c.toml"), "HOME": str(tmp_path)}
    return subprocess.run(
        [sys.executable, "-m", "tui", "--store", str(tmp_path / "store"), *args],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )


def titles(store_path: Path) -> list[str]:
    with Store.open(store_path, readonly=True) as store:
        return sorted(s.title for s in store.list_articles())


def folder_with(tmp_path: Path, middle: str) -> Path:
    """``a.txt``, then whatever ``middle`` names (made by the caller), then ``c.txt``."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("First\n\nThe mayor of Geneva spoke.", "utf-8")
    (folder / "c.txt").write_text("Third\n\nThe council of Lyon voted.", "utf-8")
    return folder / middle


def test_a_fifo_in_a_folder_is_skipped_and_named(tmp_path: Path) -> None:
    fifo = folder_with(tmp_path, "b.txt")
    os.mkfifo(fifo)
    result = cli(tmp_path, "import", str(fifo.parent))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"newsread: {fifo}: a FIFO, not a regular file; skipped"]
    assert titles(tmp_path / "store") == ["First", "Third"]


def test_a_fifo_named_on_the_command_line_is_refused(tmp_path: Path) -> None:
    fifo = folder_with(tmp_path, "b.txt")
    os.mkfifo(fifo)
    result = cli(tmp_path, "analyze", str(fifo), str(fifo.parent / "a.txt"))
    assert result.returncode == 1
    assert "a FIFO" in result.stderr and len(result.stderr.splitlines()) == 1
    assert [json.loads(line)["title"] for line in result.stdout.splitlines()] == ["First"]


@pytest.mark.parametrize(("device", "name"), [("/dev/zero", "z.txt"), ("/dev/urandom", "r.jsonl")])
def test_symlinks_are_followed_to_regular_files_only(
    tmp_path: Path, device: str, name: str
) -> None:
    link = folder_with(tmp_path, name)
    link.symlink_to(device)
    (link.parent / "d.txt").symlink_to(link.parent / "a.txt")  # to a regular file: read
    result = cli(tmp_path, "import", str(link.parent), str(link))
    assert result.returncode == 1
    expected = f"newsread: {link}: a character device, not a regular file; skipped"
    errors = result.stderr.splitlines()
    assert errors[:2] == [expected, expected]
    assert errors[2:] == [
        f"newsread: {link.parent / 'd.txt'}: skipped, the store already holds this text "
        f"(article {errors[2].rsplit(' ', 1)[-1]}"
    ]
    assert titles(tmp_path / "store") == ["First", "Third"]  # d.txt is a.txt: a duplicate


def test_open_regular_refuses_what_is_not_a_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "f")
    for path in (tmp_path / "f", Path("/dev/null"), tmp_path):
        with pytest.raises((FormatError, IsADirectoryError)):
            open_regular(path).close()


def test_stdin_is_read_within_the_limit(tmp_path: Path) -> None:
    """``yes "Text." | newsread import -`` stops at the limit with one line."""
    command = (
        f"yes Text. | {sys.executable} -m tui --store {tmp_path / 'store'} import - {{}}"
    ).format(tmp_path / "in" / "a.txt")
    folder_with(tmp_path, "unused")
    env = {**os.environ, "NEWSREAD_CONFIG": str(tmp_path / "c.toml"), "HOME": str(tmp_path)}
    result = subprocess.run(
        ["sh", "-c", command], capture_output=True, text=True, timeout=120, env=env
    )
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("newsread: <stdin>: too large (over ")
    assert titles(tmp_path / "store") == ["First"]


def test_stdin_jsonl_is_read_a_bounded_line_at_a_time(tmp_path: Path) -> None:
    big = json.dumps({"text": "Big\n\n" + "word " * (MAX_ARTICLE_CHARS // 5 + 10)})
    lines = [json.dumps({"text": ARTICLE}), big, json.dumps({"text": "Other\n\nMore text."})]
    result = cli(tmp_path, "import", "-", stdin="\n".join(lines).encode())
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("newsread: <stdin>:2: ") and f"{MAX_ARTICLE_CHARS:,}" in line
    assert titles(tmp_path / "store") == ["Geneva talks", "Other"]


def test_the_article_limit_applies_to_each_conll_document(tmp_path: Path) -> None:
    path = tmp_path / "big.conll"
    words = MAX_ARTICLE_CHARS // 6 + 10
    with path.open("w", encoding="utf-8") as out:
        out.write("-DOCSTART- O\n\nEU B-ORG\nsays O\n\n-DOCSTART- O\n\n")
        out.write("words O\n" * words)
        out.write("\n-DOCSTART- O\n\nParis B-LOC\nagrees O\n")
    items = list(read_path(path))
    assert [type(i).__name__ for i in items] == ["Imported", "Failure", "Imported"]
    failure = items[1]
    assert isinstance(failure, Failure) and failure.where == f"{path}:6"
    assert "document too large" in failure.reason


def test_a_jsonl_line_over_the_limit_is_refused_and_not_held_whole(tmp_path: Path) -> None:
    path = tmp_path / "tasks.jsonl"
    huge = json.dumps({"text": "x" * (8 * MAX_ARTICLE_CHARS + 10)})
    path.write_text("\n".join([json.dumps({"text": ARTICLE}), huge, '{"text": "Ok."}']), "utf-8")
    items = list(read_path(path))
    assert [type(i).__name__ for i in items] == ["Imported", "Failure", "Imported"]
    assert items[1] == Failure(f"{path}:2", "line too long for one article; skipped")


def test_errors_per_file_are_capped(tmp_path: Path) -> None:
    path = folder_with(tmp_path, "junk.jsonl")
    path.write_text("{broken\n" * 100 + json.dumps({"text": ARTICLE}) + "\n", "utf-8")
    result = cli(tmp_path, "import", str(path.parent))
    assert result.returncode == 1
    errors = result.stderr.splitlines()
    assert len(errors) == MAX_ERRORS_SHOWN + 1
    assert errors[-1] == f"newsread: {path}: … and {100 - MAX_ERRORS_SHOWN} more errors"
    assert result.stdout.strip().endswith("100 failed")
    assert titles(tmp_path / "store") == ["First", "Geneva talks", "Third"]


def test_a_file_of_nothing_but_errors_is_abandoned() -> None:
    failures = (Failure(f"f:{n}", "bad") for n in range(10**9))
    items = list(capped(failures, "f", shown=2))
    assert items[:2] == [Failure("f:0", "bad"), Failure("f:1", "bad")]
    last = items[2]
    assert isinstance(last, Failure)
    assert last.count == 198 and "rest of the file was skipped" in last.reason


def test_bounded_reads(tmp_path: Path) -> None:
    path = tmp_path / "f"
    path.write_bytes(b"a" * 50 + b"\n" + b"b" * 5 + b"\n" + b"c" * 30)
    with path.open("rb") as handle:
        assert list(bounded_lines(handle, limit=20)) == [None, b"bbbbb\n", None]
    with path.open("rb") as handle, pytest.raises(FormatError, match="too large"):
        read_limited(handle, 40)
    with path.open("rb") as handle:
        assert len(read_limited(handle, 100)) == 87


def test_analyze_reads_html_and_folders_as_import_does(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    page = (
        "<!DOCTYPE html><html><head><title>Port strike ends</title></head><body><article>"
        "<h1>Port strike ends</h1><p>Dock workers in the northern port returned to work on "
        "Tuesday after the union accepted a new pay offer from the operators.</p>"
        "<p>The strike had stranded ships for ten days, the operators said.</p>"
        "</article></body></html>"
    )
    (folder / "page.html").write_text(page, "utf-8")
    (folder / ".hidden.txt").write_text("Hidden\n\nNot read.", "utf-8")
    result = cli(tmp_path, "analyze", str(folder))
    assert (result.returncode, result.stderr) == (0, "")
    (record,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert record["title"] == "Port strike ends" and "<" not in record["text"]
    assert [p for p in iter_paths([str(folder)]) if isinstance(p, Path)] == [folder / "page.html"]


def test_a_byte_order_mark_is_dropped_in_every_format(tmp_path: Path) -> None:
    bom = b"\xef\xbb\xbf"
    (tmp_path / "a.jsonl").write_bytes(bom + json.dumps({"text": ARTICLE}).encode() + b"\n")
    (tmp_path / "b.txt").write_bytes(bom + ARTICLE.encode())
    (tmp_path / "c.conll").write_bytes(bom + b"EU B-ORG\nsays O\n")
    for name in ("a.jsonl", "b.txt", "c.conll"):
        (item,) = read_path(tmp_path / name)
        assert not isinstance(item, Failure), item
        assert not item.article.text.startswith("\ufeff")
