"""annotate.formats is pure: no store, no TinyDB, no Textual (and the CLI stays light)."""

from __future__ import annotations

import subprocess
import sys

MODULES = ("base", "conll", "docbin", "html", "offsets", "prodigy_jsonl", "readers", "select")


def _loaded(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_formats_import_neither_store_nor_textual() -> None:
    imports = "\n".join(f"import annotate.formats.{name}" for name in (*MODULES, "tokens"))
    loaded = _loaded(imports + "\nimport annotate.formats.textcat")
    assert "annotate.formats.prodigy_jsonl" in loaded
    for banned in ("store", "tinydb", "textual"):
        assert not any(m == banned or m.startswith(f"{banned}.") for m in loaded), banned


def test_import_and_export_commands_load_no_spacy_until_run() -> None:
    loaded = _loaded("import tui.cli.import_cmd, tui.cli.export_cmd")
    assert "tui.cli.export_cmd" in loaded
    assert "spacy" not in loaded and "trafilatura" not in loaded and "rich" not in loaded
