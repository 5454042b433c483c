"""Run a terminal program in a pseudo-terminal and time the marks it writes (bench helper)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from pathlib import Path


def read_marks(path: Path) -> dict[str, float]:
    """``event -> first time`` from a NEWSREAD_TRACE file."""
    marks: dict[str, float] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            event, _, stamp = line.partition(" ")
            marks.setdefault(event, float(stamp))
    return marks


def run_in_terminal(
    argv: Sequence[str],
    trace: Path,
    wait_for: str,
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (120, 40),
    timeout: float = 120.0,
    screen_texts: Sequence[bytes] = (),
) -> dict[str, float]:
    """Start ``argv`` on a pty of ``size``; return its marks (seconds since spawn).

    The program's output is drained continuously (a full pty would block it), and it
    is sent ``q`` then killed once the mark ``wait_for`` appears.  When every byte
    string of ``screen_texts`` has been written to the terminal, the extra mark
    ``screen`` records it: what a person sees, independent of the app's own marks.
    """
    master, slave = pty.openpty()
    cols, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, **(env or {}), "NEWSREAD_TRACE": str(trace), "TERM": "xterm-256color"}
    started = time.time()
    proc = subprocess.Popen(
        list(argv), stdin=slave, stdout=slave, stderr=slave, env=full_env, close_fds=True
    )
    os.close(slave)
    output = b""
    seen_at: float | None = None
    try:
        deadline = started + timeout
        while time.time() < deadline and wait_for not in read_marks(trace):
            ready, _, _ = select.select([master], [], [], 0.005)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if seen_at is None and screen_texts:
                    output += chunk
                    if all(text in output for text in screen_texts):
                        seen_at = time.time()
            if proc.poll() is not None:
                break
        os.write(master, b"q")
        end = time.time() + 5
        while proc.poll() is None and time.time() < end:
            ready, _, _ = select.select([master], [], [], 0.05)
            if ready:
                try:
                    os.read(master, 65536)
                except OSError:
                    break
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        os.close(master)
    marks = {event: stamp - started for event, stamp in read_marks(trace).items()}
    if seen_at is not None:
        marks["screen"] = seen_at - started
    return marks
