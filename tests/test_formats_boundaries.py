"""The CLI stays light: its commands load no spaCy until run.

That annotate.formats imports no store, TinyDB or Textual is an import-linter
contract (pyproject.toml), which sees deferred imports too.
"""

from __future__ import annotations

import subprocess
import sys


def _loaded(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_import_and_export_commands_load_no_spacy_until_run() -> None:
    loaded = _loaded("import tui.cli.import_cmd, tui.cli.export_cmd")
    assert "tui.cli.export_cmd" in loaded
    assert "spacy" not in loaded and "trafilatura" not in loaded and "rich" not in loaded
