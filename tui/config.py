"""Settings: one object, filled from defaults, a TOML file, the environment and flags.

Precedence, lowest first: built-in defaults, the config file
(``<platformdirs user config>/newsread/config.toml``, moved by ``NEWSREAD_CONFIG``),
environment variables (``NEWSREAD_STORE``, ``NEWSREAD_MODEL``, ``NEWSREAD_ANNOTATOR``),
then command-line flags.  Because every path can be moved by the environment, tests
point the whole app at ``tmp_path`` and never touch the user's real data.

This module must not import Textual: the plain commands (``analyze``, ``export``…)
read settings too and should start fast.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from platformdirs import user_config_dir, user_data_dir

APP_NAME = "newsread"

ONTONOTES_LABELS: tuple[str, ...] = (
    "PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART",
    "LAW", "LANGUAGE", "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL",
)  # fmt: skip
DEFAULT_TAGS: tuple[str, ...] = ("claim", "accusation", "denial", "promise", "opinion")


class ConfigError(ValueError):
    """The config file is unreadable or holds a wrong value; the message names the key."""


def default_store_path() -> Path:
    """Where the store lives unless told otherwise: the user data folder."""
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "store"


def config_path() -> Path:
    """The config file: ``NEWSREAD_CONFIG`` or the platformdirs user config folder."""
    override = os.environ.get("NEWSREAD_CONFIG")
    if override:
        return Path(override).expanduser()
    return Path(user_config_dir(APP_NAME, appauthor=False)) / "config.toml"


def _default_annotator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "annotator"


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything configurable, each with a default."""

    store: Path = field(default_factory=default_store_path)
    """The store folder."""
    model: str | None = None
    """spaCy pipeline name; ``None`` picks en_core_web_sm if installed, else the PyPI copy."""
    annotator: str = field(default_factory=_default_annotator)
    """Recorded with every decision."""
    labels: tuple[str, ...] = ONTONOTES_LABELS
    """Entity labels offered by the label picker, in digit order (1–9 pick the first nine)."""
    tags: tuple[str, ...] = DEFAULT_TAGS
    """Statement tags offered by the tag picker."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """Remapped keys: binding id -> key(s), e.g. ``accept = "y"``."""
    scare_quotes: bool = False
    """Suggest scare quotes too: quotations of at most three words with no cue and no
    speaker, and quoted names or titles (off: each costs a rejection, few are quotes)."""

    def with_overrides(self, **values: Any) -> Settings:
        """A copy where every value that is not ``None`` replaces the current one."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})


def _str_tuple(data: Mapping[str, Any], key: str, source: Path) -> tuple[str, ...] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{source}: '{key}' must be a list of non-empty strings")
    return tuple(value)


def check_settings(settings: Settings) -> Settings:
    """``settings``, or :class:`ConfigError` when a name would be unsafe to store or draw.

    The annotator is written into every decision and exported; labels and tags end in
    exports and on the screen.  Each must be a short printable token (see
    :func:`annotate.terminal_text.check_token`), like what an import accepts.
    """
    from annotate.terminal_text import check_token

    try:
        check_token(settings.annotator, "annotator", spaces=True)
        for label in settings.labels:
            check_token(label, "label")
        for tag in settings.tags:
            check_token(tag, "tag")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return settings


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from the config file and the environment (flags are applied by the CLI)."""
    env = os.environ if environ is None else environ
    path = config_path()
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read config ({exc})") from exc
    settings = Settings()
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        raise ConfigError(f"{path}: [keys] must map binding ids to key names")
    for key in ("store", "model", "annotator"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f"{path}: '{key}' must be a string")
    if "scare_quotes" in data and not isinstance(data["scare_quotes"], bool):
        raise ConfigError(f"{path}: 'scare_quotes' must be true or false")
    settings = settings.with_overrides(
        store=Path(data["store"]).expanduser() if "store" in data else None,
        model=data.get("model"),
        annotator=data.get("annotator"),
        labels=_str_tuple(data, "labels", path),
        tags=_str_tuple(data, "tags", path),
        keys=dict(keys) or None,
        scare_quotes=data.get("scare_quotes"),
    )
    return settings.with_overrides(
        store=Path(env["NEWSREAD_STORE"]).expanduser() if env.get("NEWSREAD_STORE") else None,
        model=env.get("NEWSREAD_MODEL") or None,
        annotator=env.get("NEWSREAD_ANNOTATOR") or None,
    )
