"""Turn the hand annotation (``annotations.py``) into ``gold.jsonl`` with character offsets.

    python tests/data/gum_attributions/build.py [GUM_DIR]

The texts are rebuilt from the GUM CoNLL-U files by :func:`annotate.evaluation.read_gum`;
each annotated string is located in it (content: the first occurrence at or after the
previous attribution's content; speaker and cue: the whole-word occurrence nearest the
content, outside it), and a string that cannot be found stops the build.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))
sys.path.insert(0, str(HERE))

from annotations import ARTICLES  # noqa: E402

from annotate.evaluation import read_gum  # noqa: E402


def _nearest(text: str, phrase: str, start: int, end: int) -> dict[str, object]:
    best: tuple[int, int] | None = None
    pattern = re.compile(r"(?<!\w)" + re.escape(phrase) + r"(?!\w)")
    for m in pattern.finditer(text):
        if m.start() < end and start < m.end():
            continue
        distance = start - m.end() if m.end() <= start else m.start() - end
        if best is None or distance < best[0]:
            best = (distance, m.start())
    if best is None:
        raise SystemExit(f"not found: {phrase!r}")
    return {"start": best[1], "end": best[1] + len(phrase), "text": phrase}


def build(gum_dir: Path) -> list[dict[str, object]]:
    records = []
    for name, items in ARTICLES.items():
        doc = read_gum(gum_dir / f"GUM_news_{name}.conllu")
        text = doc.text
        cursor = 0
        attributions = []
        for kind, content, speaker, cue, quoted, ref in items:
            start = text.find(content, cursor)
            if start < 0:
                raise SystemExit(f"{name}: content not found: {content[:60]!r}")
            end = start + len(content)
            cursor = start
            record: dict[str, object] = {
                "kind": kind,
                "start": start,
                "end": end,
                "text": content,
                "speaker": _nearest(text, speaker, start, end) if speaker else None,
                "speaker_ref": ref,
                "cue": _nearest(text, cue, start, end) if cue else None,
            }
            if quoted:
                spans = []
                for q in quoted:
                    at = text.find(q, start, end)
                    if at < 0:
                        raise SystemExit(f"{name}: quoted stretch not in content: {q!r}")
                    spans.append({"start": at, "end": at + len(q)})
                record["quoted"] = spans
            attributions.append(record)
        records.append({"name": name, "text": text, "attributions": attributions})
    return records


if __name__ == "__main__":
    gum = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parents[1] / "gum_news"
    out = HERE / "gold.jsonl"
    with out.open("w", encoding="utf-8") as handle:
        for record in build(gum):
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(out)
