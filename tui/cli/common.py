"""Helpers shared by the commands."""

from __future__ import annotations

import sys

from annotate.terminal_text import one_line


def fail(message: str, code: int = 2) -> int:
    """Print ``newsread: message`` on stderr (one line) and return ``code``.

    Messages carry untrusted text (file names, paths, labels): every control or bidi
    character is shown as an escape, so a file name cannot retitle the terminal or
    split the error line in two.
    """
    print(f"newsread: {one_line(message)}", file=sys.stderr)
    return code
