"""Settings come from the config file, then the environment, then flags."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tui.config import ConfigError, config_path, load_settings


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_config_file_sets_annotator_labels_tags_and_keys(tmp_path: Path) -> None:
    write_config(
        'annotator = "maria"\nlabels = ["PERSON", "ORG"]\ntags = ["claim"]\n[keys]\naccept = "y"\n'
    )
    settings = load_settings(environ={})
    assert settings.annotator == "maria"
    assert settings.labels == ("PERSON", "ORG")
    assert settings.tags == ("claim",)
    assert settings.keys == {"accept": "y"}


def test_environment_beats_config_file(tmp_path: Path) -> None:
    write_config('annotator = "maria"\nstore = "/somewhere"\n')
    settings = load_settings(
        environ={"NEWSREAD_ANNOTATOR": "li", "NEWSREAD_STORE": str(tmp_path / "s")}
    )
    assert settings.annotator == "li"
    assert settings.store == tmp_path / "s"


def test_bad_value_names_file_and_key() -> None:
    path = write_config('labels = "PERSON"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(environ={})
    assert str(path) in str(error.value) and "'labels'" in str(error.value)


def test_broken_toml_is_one_line_exit_2(tmp_path: Path) -> None:
    path = write_config("annotator = \n")
    result = subprocess.run(
        [sys.executable, "-m", "tui", "--store", str(tmp_path / "s")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and str(path) in result.stderr


def test_config_command_prints_the_path() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tui", "config"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    assert str(config_path()) in result.stdout


def test_a_scare_quotes_value_that_is_not_a_boolean_names_the_key() -> None:
    path = write_config('scare_quotes = "yes"\n')
    with pytest.raises(ConfigError) as error:
        load_settings(environ={})
    assert str(path) in str(error.value) and "'scare_quotes'" in str(error.value)
