"""Belief cues (``believes``, ``fears``) report a clause by default; the config turns them off."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_config import write_config
from tui.config import ConfigError, load_settings

TEXT = (
    "Budget talks\n\n"
    "The minister believes the border is secure. John Smith said that the talks had failed.\n"
)


def test_config_file_sets_cognition_cues() -> None:
    assert load_settings(environ={}).cognition_cues is True
    write_config("cognition_cues = false\n")
    assert load_settings(environ={}).cognition_cues is False
    write_config('cognition_cues = "no"\n')
    with pytest.raises(ConfigError, match="'cognition_cues'"):
        load_settings(environ={})


def _reported(tmp_path: Path, config: str) -> list[str]:
    (tmp_path / "a.txt").write_text(TEXT, "utf-8")
    (tmp_path / "c.toml").write_text(config, "utf-8")
    env = {**os.environ, "NEWSREAD_CONFIG": str(tmp_path / "c.toml")}
    out = subprocess.run(
        [sys.executable, "-m", "tui", "analyze", str(tmp_path / "a.txt")],
        capture_output=True, text=True, env=env, check=True, timeout=300,
    ).stdout  # fmt: skip
    record = json.loads(out.splitlines()[0])
    return [record["text"][q["start"] : q["end"]] for q in record["quotes"]]


@pytest.mark.model
def test_analyze_follows_the_setting(tmp_path: Path) -> None:
    default = _reported(tmp_path, "")
    assert "the border is secure" in default and "the talks had failed" in default
    speech_only = _reported(tmp_path, "cognition_cues = false\n")
    assert "the border is secure" not in speech_only and "the talks had failed" in speech_only
