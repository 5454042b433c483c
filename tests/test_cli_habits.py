"""Command-line habits (issue 13): global options after the command too, and ``analyze``
reading HTML files and folders of them exactly as ``import`` does (article text, not
markup)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from store import Store
from tui.cli import main

STORY = (
    "The minister said the border was secure, and officials denied that the talks had "
    "failed after a long night of negotiations in the capital."
)
PAGE = f"""<!DOCTYPE html>
<html><head><title>Border talks fail | Daily News</title></head>
<body><nav>Home | World | Sport</nav>
<article><h1>Border talks fail</h1>
<p>{STORY}</p>
<p>"We are ready," Anna Smith told reporters on Monday, adding that more talks would
follow next week in Geneva with both delegations of the two countries.</p>
</article><footer>Copyright Daily News</footer></body></html>
"""


def article_file(tmp_path: Path, name: str = "story.txt") -> Path:
    path = tmp_path / name
    path.write_text(f"Border talks fail\n\n{STORY}\n", encoding="utf-8")
    return path


def sources(store_path: Path) -> list[str]:
    store = Store.open(store_path, readonly=True)
    try:
        return [store.get(s.id)[0].source for s in store.list_articles()]
    finally:
        store.close()


def test_store_after_the_command(tmp_path: Path) -> None:
    path = article_file(tmp_path)
    assert main(["import", "--store", str(tmp_path / "after"), str(path)]) == 0
    assert sources(tmp_path / "after") == [str(path)]


def test_after_the_command_beats_before_it(tmp_path: Path) -> None:
    path = article_file(tmp_path)
    before, after = tmp_path / "before", tmp_path / "after"
    assert main(["--store", str(before), "import", "--store", str(after), str(path)]) == 0
    assert sources(after) == [str(path)]
    assert not before.exists() or sources(before) == []


def test_annotator_and_model_after_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conll = tmp_path / "doc.conll"
    conll.write_text("Kim B-PER\nsaid O\nhello O\n", encoding="utf-8")
    store_path = tmp_path / "s"
    assert main(["import", str(conll), "--annotator", "kim", "--store", str(store_path)]) == 0
    store = Store.open(store_path, readonly=True)
    try:
        (summary,) = store.list_articles()
        _, annotations = store.get(summary.id)
    finally:
        store.close()
    assert [e.annotator for e in annotations.entities] == ["kim"]
    capsys.readouterr()
    assert main(["stats", "--model", "no_such_model_xyz", "--store", str(store_path)]) == 0


def analyzed(capsys: pytest.CaptureFixture[str], *paths: Path) -> list[dict[str, object]]:
    code = main(["analyze", "--model", "blank:en", *map(str, paths)])
    out = capsys.readouterr()
    assert code == 0, out.err
    return [json.loads(line) for line in out.out.splitlines()]


def test_analyze_reads_a_folder_of_html_pages_as_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "a.html").write_text(PAGE, encoding="utf-8")
    (folder / "b.htm").write_text(PAGE.replace("Geneva", "Vienna"), encoding="utf-8")
    records = analyzed(capsys, folder)
    assert len(records) == 2
    for record in records:
        text = str(record["text"])
        assert record["title"] == "Border talks fail"
        assert STORY in text
        assert "<" not in text and "DOCTYPE" not in text and "Home | World" not in text


def test_analyze_reads_one_html_page_as_import_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    (record,) = analyzed(capsys, page)
    assert record["title"] == "Border talks fail" and "<p>" not in str(record["text"])
    assert main(["--store", str(tmp_path / "s"), "import", str(page)]) == 0
    store = Store.open(tmp_path / "s", readonly=True)
    try:
        (summary,) = store.list_articles()
        imported, _ = store.get(summary.id)
    finally:
        store.close()
    assert imported.text == record["text"]  # one reader for both commands


def test_a_reader_that_goes_away_stops_the_command_without_a_traceback(
    seeded_store: Store, tmp_path: Path
) -> None:
    """``newsread stats | head -1``: the pipe closes before the report is written."""
    import os
    import subprocess
    import sys

    assert seeded_store.list_articles()  # something to report
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tui", "--store", str(tmp_path / "store"), "stats"],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        os.close(write_end)
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
    assert done.returncode == 1
