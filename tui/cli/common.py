"""Helpers shared by the commands."""

from __future__ import annotations

import sys


def fail(message: str, code: int = 2) -> int:
    """Print ``newsread: message`` on stderr (one line) and return ``code``."""
    print(f"newsread: {' '.join(message.split())}", file=sys.stderr)
    return code
