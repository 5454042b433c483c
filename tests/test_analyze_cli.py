"""``newsread analyze``: JSON lines on stdout, one clear stderr line per bad file."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from annotate.clean import MAX_ARTICLE_CHARS
from seeds import seed_files
from tui.cli import main

pytestmark = pytest.mark.model
SEEDS = seed_files()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[Any], list[str]]:
    code = main(["analyze", *argv])
    out, err = capsys.readouterr()
    return code, [json.loads(line) for line in out.splitlines()], err.splitlines()


@pytest.fixture
def bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty": tmp_path / "empty.txt",
        "binary": tmp_path / "image.txt",
        "latin1": tmp_path / "latin1.txt",
        "huge": tmp_path / "huge.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    files["latin1"].write_bytes(
        "Caf\xe9 society\n\nThe minister said \xabno\xbb.".encode("latin-1")
    )
    files["huge"].write_bytes(b"The minister spoke again. " * (5_000_000 // 26 + 1))
    return files


def test_bad_files_are_reported_and_the_others_analysed(
    capsys: pytest.CaptureFixture[str], bad_files: dict[str, Path], tmp_path: Path
) -> None:
    missing = tmp_path / "missing.txt"
    paths = [SEEDS[0], bad_files["empty"], bad_files["binary"], bad_files["latin1"]]
    paths += [bad_files["huge"], missing, SEEDS[1]]
    code, records, errors = run(capsys, *map(str, paths))
    assert code == 1
    assert [r["source"] for r in records] == [str(SEEDS[0]), str(SEEDS[1])]
    assert errors == [
        f"newsread: {bad_files['empty']}: empty file",
        f"newsread: {bad_files['binary']}: binary file (it contains NUL or control bytes), "
        "not text",
        f"newsread: {bad_files['latin1']}: not UTF-8 text (byte 0xe9 at offset 3); "
        "convert it to UTF-8 first",
        f"newsread: {bad_files['huge']}: too large (over {4 * MAX_ARTICLE_CHARS:,} bytes); an "
        f"article may have at most {MAX_ARTICLE_CHARS:,} characters, split it into articles first",
        f"newsread: {missing}: no such file or folder",
    ]


def test_a_file_just_over_the_character_limit_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "long.txt"
    path.write_text("é" * (MAX_ARTICLE_CHARS + 1), encoding="utf-8")  # 2 MB of bytes
    code, records, errors = run(capsys, str(path))
    assert (code, records) == (1, [])
    assert errors == [
        f"newsread: {path}: too large ({MAX_ARTICLE_CHARS + 1:,} characters); an article may "
        f"have at most {MAX_ARTICLE_CHARS:,} characters, split it into articles first"
    ]


def test_output_format(capsys: pytest.CaptureFixture[str]) -> None:
    code, records, errors = run(capsys, str(SEEDS[1]))
    assert (code, errors) == (0, [])
    (record,) = records
    assert set(record) >= {"source", "id", "title", "text", "entities", "quotes"}
    text = record["text"]
    assert record["published"] == "2022-01-14"
    assert record["title"].startswith("Colombian Defense Minister")
    for entity in record["entities"]:
        assert set(entity) >= {"start", "end", "label", "text"}
        assert text[entity["start"] : entity["end"]] == entity["text"]
    kinds = {q["kind"] for q in record["quotes"]}
    assert kinds == {"direct", "partial", "mixed", "indirect"}
    for quote in record["quotes"]:
        assert text[quote["start"] : quote["end"]] == quote["text"]
        # A mixed attribution lists its quoted stretches, inside its content, in marks.
        assert ("quoted" in quote) == (quote["kind"] == "mixed")
        for stretch in quote.get("quoted", ()):
            assert quote["start"] <= stretch["start"] < stretch["end"] <= quote["end"]
            assert text[stretch["start"] - 1] in "“\"‘'"
        for key in ("speaker", "cue", "speaker_ref"):
            part = quote[key]
            if part is not None:
                assert text[part["start"] : part["end"]] == part["text"]
    he = next(q for q in record["quotes"] if q["text"].startswith("Our General Forces"))
    assert he["speaker"]["text"] == "he" and he["speaker_ref"]["text"] == "Molano"


def test_folders_and_stdin(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    (folder / "b.txt").write_text("Second\n\n“Yes,” she said.", encoding="utf-8")
    (folder / "sub" / "a.md").write_text("First\n\nThe mayor spoke.", encoding="utf-8")
    (folder / "skip.bin").write_bytes(b"\x00")
    stdin = io.TextIOWrapper(io.BytesIO("Piped\n\n“No,” he said.".encode()))
    monkeypatch.setattr(sys, "stdin", stdin)
    code, records, errors = run(capsys, str(folder), "-")
    assert (code, errors) == (0, [])
    assert [r["title"] for r in records] == ["Second", "First", "Piped"]
    assert records[2]["source"] == "-"
    assert records[0]["quotes"][0]["speaker"]["text"] == "she"


def test_boilerplate_only_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "footer.txt"
    path.write_text("Leave a Reply\n\nBack to top button\n", encoding="utf-8")
    code, _, errors = run(capsys, str(path))
    assert code == 1
    assert errors == [f"newsread: {path}: no article text after cleaning"]


def test_missing_model_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, records, errors = run(capsys, "--model", "no_such_model_xyz", str(SEEDS[0]))
    assert (code, records) == (2, [])
    assert len(errors) == 1 and "no_such_model_xyz" in errors[0] and "pip install" in errors[0]


def test_two_workers_give_the_same_output(capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(p) for p in SEEDS] * 3
    one = run(capsys, "--workers", "1", *paths)
    two = run(capsys, "--workers", "2", "--batch-size", "2", *paths)
    assert one[0] == two[0] == 0
    assert one[1] == two[1]


def test_bad_worker_count_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["analyze", "--workers", "0", str(SEEDS[0])])
    assert exit_info.value.code == 2
    assert "at least 1" in capsys.readouterr().err


def test_end_to_end_console_command(tmp_path: Path) -> None:
    """The real entry point in a fresh process: stdout is pure JSON lines, UTF-8."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "analyze", str(SEEDS[0]), str(bad)],
        capture_output=True,
        env={"PATH": "", "NEWSREAD_CONFIG": str(tmp_path / "c.toml"), "HOME": str(tmp_path)},
    )
    assert result.returncode == 1
    (line,) = result.stdout.decode("utf-8").splitlines()
    assert json.loads(line)["title"].startswith("Colombia accuses Russia of “interfering”")
    assert result.stderr.decode().count("\n") == 1 and str(bad) in result.stderr.decode()


def test_config_labels_restrict_the_entities(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('labels = ["PERSON", "GPE"]\n', encoding="utf-8")
    monkeypatch.setenv("NEWSREAD_CONFIG", str(config))
    code, records, _ = run(capsys, str(SEEDS[0]))
    assert code == 0
    assert {e["label"] for e in records[0]["entities"]} == {"PERSON", "GPE"}


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    """`newsread analyze … | head -c 10`: no traceback when the reader goes away."""
    paths = [str(p) for p in SEEDS] * 4
    env = {"PATH": "", "NEWSREAD_CONFIG": str(tmp_path / "c.toml"), "HOME": str(tmp_path)}
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "analyze", *paths],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)
    process.stdout.close()
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""
