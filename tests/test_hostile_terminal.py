"""No control or bidi character from a file ever reaches the terminal (issue #12).

A hostile store holds escape sequences (OSC 52 clipboard, OSC 2 title, CSI 2J clear),
a C1 CSI (U+009B) and bidi overrides in every string field: labels, annotator names,
tags, title, source, meta.  The app is driven over every item and every rendered
segment is checked; every CLI command is run in a subprocess and its stdout and
stderr are checked.  Import refuses the hostile labels outright (naming file and
line), so a store built by newsread never holds them; the app test builds its store
through the API, as an older version or another tool could have.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from annotate.edits import make_edit
from annotate.formats.readers import read_path
from annotate.model import Annotations, Article, Origin, Quote, QuoteKind, Span, Statement, Status
from annotate.terminal_text import SafeWriter, check_token, escape, json_safe, one_line
from store import Store
from tui.app import NewsreadApp
from tui.config import Settings

OSC52 = "\x1b]52;c;UFdORUQ=\x1b\\"
CLEAR = "\x1b[2J\x1b[HCLR"
TITLE = "\x1b]2;TITLE\x1b\\bob"
C1 = "\x9b31m"
BIDI = "\u202egnp.exe\u202c\u2066x\u2069"
HOSTILE = (OSC52, CLEAR, TITLE, C1, BIDI, "bell\x07\x7f")
TEXT = "Geneva and Maria Lopez met.\n\n“We agree,” Lopez said in Geneva on Monday."


def unsafe_in(output: str) -> list[str]:
    """Every character of ``output`` that must not reach a terminal."""
    return [
        c
        for c in output
        if (ord(c) < 0x20 and c not in "\n\t")
        or 0x7F <= ord(c) <= 0x9F
        or 0x202A <= ord(c) <= 0x202E
        or 0x2066 <= ord(c) <= 0x2069
    ]


def test_the_sanitiser() -> None:
    assert one_line(OSC52) == "\\x1b]52;c;UFdORUQ=\\x1b\\"
    assert one_line("a\nb\tc") == "a\\nb\\tc" and escape("a\nb\tc") == "a\nb\tc"
    assert one_line(BIDI) == "\\u202egnp.exe\\u202c\\u2066x\\u2069"
    assert one_line(C1) == "\\x9b31m"
    for value in HOSTILE:
        assert unsafe_in(one_line(value)) == [] and unsafe_in(escape(value)) == []
        with pytest.raises(ValueError, match="not a short printable token"):
            check_token(value, "label")
    assert check_token("WORK_OF_ART", "label") == "WORK_OF_ART"
    assert json.loads(json_safe(json.dumps(BIDI + C1, ensure_ascii=False).encode())) == BIDI + C1
    assert unsafe_in(json_safe(json.dumps(BIDI + C1, ensure_ascii=False).encode()).decode()) == []


def hostile_store(path: Path) -> Store:
    """A store whose every string field is hostile (written through the API)."""
    store = Store.open(path)
    article = Article.from_text(
        TEXT, title=f"Geneva {OSC52} talks {BIDI}", source=f"evil{TITLE}\n{BIDI}.txt"
    )
    article = Article.from_dict(
        {
            **article.to_dict(),
            "meta": {"byline": CLEAR, "captions": [C1]},
            "analysis": {"model": OSC52, "version": C1},
        }
    )
    quote_start = TEXT.index("“")
    quote_end = TEXT.index("”") + 1
    lopez = TEXT.index("Lopez said")
    annotations = Annotations(
        entities=tuple(
            Span(
                start,
                end,
                label,
                origin=Origin.USER,
                status=Status.ACCEPTED,
                annotator=TITLE,
                timestamp=1.0,
            )
            for (start, end), label in zip(
                [(0, 6), (11, 22), (lopez, lopez + 5), (TEXT.rindex("Geneva"), len(TEXT) - 11)],
                (OSC52, CLEAR, C1, BIDI),
                strict=True,
            )
        ),
        quotes=(
            Quote(
                quote_start,
                quote_end,
                QuoteKind.DIRECT,
                speaker=Span(lopez, lopez + 5, TITLE, origin=Origin.RULE),
                annotator=BIDI,
                timestamp=1.0,
            ),
        ),
        statements=(
            Statement(quote_start, quote_end, tags=(CLEAR, BIDI), annotator=C1, timestamp=1.0),
        ),
    )
    store.add_article(article, annotations)
    return store


async def test_the_app_never_draws_a_hostile_string(tmp_path: Path) -> None:
    store = hostile_store(tmp_path / "store")
    settings = Settings(store=tmp_path / "store", annotator=TITLE)
    app = NewsreadApp(store, settings, analyze=False)
    screens: list[str] = []
    try:
        async with app.run_test(size=(160, 40)) as pilot:
            await pilot.pause()
            app.say(f"cannot read {TITLE}{BIDI}", severity="error")
            for key in ("tab",) * 7:
                await pilot.press(key)
                await pilot.pause()
                strips = app.screen._compositor.render_strips()
                screens.append("\n".join("".join(s.text for s in strip) for strip in strips))
    finally:
        store.close()
    everything = "\n".join(screens)
    assert unsafe_in(everything) == []
    # Shown, escaped, rather than silently dropped:
    assert "\\x1b]52;c;UFdORUQ=" in everything  # a label, in the reader and the panel
    assert "\\x1b]2;TITLE" in everything  # the annotator, in the panel and status line
    assert "\\u202e" in everything  # a bidi override, escaped


def run(tmp_path: Path, *args: str, stdin: str | None = None) -> tuple[int, str]:
    """``newsread ARGS`` in a fresh process: exit code and stdout + stderr as text."""
    env = {**os.environ, "NEWSREAD_CONFIG": str(tmp_path / "c.toml"), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "tui", *args],
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        timeout=300,
        env=env,
    )
    return result.returncode, (result.stdout + result.stderr).decode("utf-8")


def test_import_refuses_hostile_labels_and_annotators_naming_file_and_line(
    tmp_path: Path,
) -> None:
    path = tmp_path / "evil.jsonl"
    good = {"text": "Kim met Lee.", "spans": [{"start": 0, "end": 3, "label": "PERSON"}]}
    records = [
        {"text": "Geneva and Maria Lopez met.", "spans": [{"start": 0, "end": 6, "label": label}]}
        for label in HOSTILE
    ]
    spans = [{"start": 0, "end": 3, "label": "PERSON"}]
    records.append(
        {"text": "Bob met Ann.", "spans": spans, "_annotator_id": TITLE, "answer": "accept"}
    )
    path.write_text("\n".join(json.dumps(r) for r in [good, *records]) + "\n", "utf-8")
    items = list(read_path(path))
    assert [type(i).__name__ for i in items] == ["Imported"] + ["Failure"] * 7
    assert [i.where for i in items[1:]] == [f"{path}:{n}" for n in range(2, 9)]
    assert "label '\\x1b]52;c;UFdORUQ=\\x1b\\' is not a short printable token" in str(items[1])
    assert "annotator '\\x1b]2;TITLE\\x1b\\bob'" in str(items[-1])


def test_every_cli_command_writes_only_safe_text(tmp_path: Path) -> None:
    """The issue's repros, through the real entry point; all output is checked."""
    inbox = tmp_path / f"in{TITLE}"
    inbox.mkdir()
    evil = inbox / "evil.jsonl"
    evil.write_text(
        json.dumps(
            {
                "text": "Geneva and Maria Lopez met.",
                "spans": [
                    {"start": 0, "end": 6, "label": OSC52},
                    {"start": 11, "end": 22, "label": CLEAR},
                ],
                "_annotator_id": TITLE,
                "answer": "accept",
            }
        )
        + "\n"
        + json.dumps({"text": f"Meta {BIDI}\n\nKim met Lee.", "meta": {"by": C1 + BIDI}})
        + "\n",
        "utf-8",
    )
    (inbox / f"x\x1b]0;PWNED\x07{BIDI}\nline.txt").write_text(
        f"Title {CLEAR}\n\nThe mayor of Geneva{C1} said “yes{BIDI}” on Monday.", "utf-8"
    )
    (inbox / f"empty\x1b]0;PWNED\x07{BIDI}\nline.txt").write_text(" \n", "utf-8")
    (inbox / "nul.txt").write_bytes(b"\x1b]0;PWNED\x07\x00\x00")
    store = tmp_path / f"store{BIDI}"
    commands: list[tuple[str, ...]] = [
        ("--store", str(store), "import", str(inbox)),
        ("--store", str(store), "import", str(inbox / f"missing{OSC52}.txt")),
        ("--store", str(store), "--annotator", TITLE, "stats"),
        ("--store", str(store), "stats"),
        ("--store", str(store), "stats", "--json"),
        ("analyze", str(inbox)),
        ("analyze", str(inbox / f"x{TITLE}.txt")),
        ("--store", str(tmp_path / f"none{CLEAR}"), "stats"),
        ("--store", str(store), "export", "--format", "jsonl"),
        ("--store", str(store), "export", "--format", "conll"),
        ("--store", str(store), "export", "--format", "textcat"),
        ("--store", str(store), "--model", f"m{OSC52}", "analyze", str(inbox)),
        ("config",),
    ]
    outputs = {}
    for command in commands:
        code, output = run(tmp_path, *command)
        outputs[command] = output
        assert unsafe_in(output) == [], (command, output)
        assert "Traceback" not in output, (command, output)
    code, output = run(tmp_path, "--store", str(store), "import", "-", stdin=f"A {OSC52}\n\nB.")
    assert unsafe_in(output) == [] and code == 0
    first = outputs[commands[0]]
    assert (
        "evil.jsonl:1: 'spans[0]' label '\\x1b]52;c;UFdORUQ=\\x1b\\' is not a short printable token"
        in (first)
    )
    assert "empty\\x1b]0;PWNED\\x07\\u202egnp.exe\\u202c\\u2066x\\u2069\\nline.txt: empty" in first
    assert "imported 2 articles" in first  # the clean record and the hostile file name
    assert "x\\x1b]2;TITLE\\x1b\\bob.txt: no such file" in outputs[commands[6]]


def test_safe_writer_keeps_json_meaning_and_shows_other_controls() -> None:
    import io

    buffer = io.BytesIO()
    writer = SafeWriter(buffer)
    line = json.dumps({"label": BIDI + C1 + "é“"}, ensure_ascii=False).encode() + b"\n"
    assert writer.write(line) == len(line)
    writer.write(f"Geneva\tB-{OSC52}\n".encode())
    first, second = buffer.getvalue().decode().splitlines()
    assert json.loads(first) == {"label": BIDI + C1 + "é“"}
    assert second == "Geneva\tB-\\u001b]52;c;UFdORUQ=\\u001b\\"
    assert unsafe_in(buffer.getvalue().decode()) == []


def test_an_old_store_with_hostile_labels_exports_safely_to_stdout(tmp_path: Path) -> None:
    """Labels stored before import refused them: stdout shows escapes, JSONL keeps meaning."""
    store = hostile_store(tmp_path / "store")
    (summary,) = store.list_articles()
    quotes = store.get(summary.id)[1].quotes  # decided: the article is done, CoNLL takes it
    done = [replace(q, status=Status.ACCEPTED, speaker_status=Status.ACCEPTED) for q in quotes]
    store.save_decision(summary.id, make_edit("accept", quotes, done, "tester"))
    store.close()
    code, conll = run(tmp_path, "--store", str(tmp_path / "store"), "export", "--format", "conll")
    assert code == 0 and unsafe_in(conll) == []
    assert "B-\\u001b]52;c;UFdORUQ=\\u001b\\" in conll  # shown escaped, not dropped
    code, jsonl = run(tmp_path, "--store", str(tmp_path / "store"), "export", "--format", "jsonl")
    assert code == 0 and unsafe_in(jsonl) == []
    task = json.loads(jsonl.splitlines()[0])
    assert {span["label"] for span in task["spans"]} >= {OSC52, CLEAR, C1, BIDI}
