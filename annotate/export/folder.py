"""An export folder replaced whole: a kill leaves the old export or the new one, never a mix.

A spaCy export is several files that belong together (``train.spacy`` and
``dev.spacy`` split the same articles; the textcat pair follows them).  Written one
by one into the target, a kill between two renames left a new ``train.spacy`` beside
an old ``dev.spacy`` sharing 788 documents.  :func:`swapped_folder` gives a fresh
folder beside the target instead; when every file in it is written and fsynced, one
``renameat2(RENAME_EXCHANGE)`` swaps it with the old export (or one ``rename`` puts it
in place when there is none), and only then is the old export deleted.  Where the
system cannot exchange (not Linux, or a filesystem without it), the old folder is
renamed aside first: a kill in between leaves the target missing and the old export
beside it under a dotted name, never a mix.

Temporary folders are named ``.<target>.export-<pid>-<random>``; one whose process is
gone (a killed export) is removed by the next export to the same target.
"""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import tempfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from annotate.disk import fsync_dir

_LEFTOVER = re.compile(r"^\.[\w.]+\.spacy\.\w+\.tmp$")
"""A file an older newsread, killed while writing a DocBin in place, left behind."""
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class FolderError(Exception):
    """The target cannot take an export (one line, naming it)."""


def _exchange(first: Path, second: Path) -> bool:
    """Swap two paths atomically; ``False`` when the system cannot."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    code = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if code == 0:
        return True
    errno = ctypes.get_errno()
    if errno in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: not on this filesystem
        return False
    raise OSError(errno, os.strerror(errno), str(second))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _prefix(target: Path) -> str:
    return f".{target.name}.export-"


def _remove_stale(target: Path) -> None:
    """Remove the temporary folders of exports to ``target`` whose process is gone."""
    prefix = _prefix(target)
    for found in target.parent.glob(f"{prefix}*"):
        pid = found.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(found, ignore_errors=True)


def check_target(target: Path, names: Collection[str]) -> None:
    """Refuse a target that is a file, or a folder holding anything but ``names``: the
    whole folder is replaced, and nothing else in it may be lost."""
    if target.exists() and not target.is_dir():
        raise FolderError(f"{target} is not a folder")
    if target.is_dir():
        others = sorted(
            p.name for p in target.iterdir() if p.name not in names and not _LEFTOVER.match(p.name)
        )
        if others:
            shown = ", ".join(others[:3]) + (", …" if len(others) > 3 else "")
            raise FolderError(
                f"{target} holds other files ({shown}); an export replaces the whole "
                f"folder: give an empty or new folder, or a previous export"
            )


@contextmanager
def swapped_folder(target: Path, names: Collection[str]) -> Iterator[Path]:
    """A fresh folder beside ``target`` to write an export into; on success it replaces
    ``target`` whole (see module doc), on failure it is removed and ``target`` stays."""
    target = target.expanduser()
    if target.is_symlink():
        target = target.resolve()
    check_target(target, names)
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale(target)
    fresh = Path(tempfile.mkdtemp(prefix=f"{_prefix(target)}{os.getpid()}-", dir=target.parent))
    try:
        yield fresh
        fsync_dir(fresh)
        if not target.exists():
            os.rename(fresh, target)
        elif _exchange(fresh, target):
            pass  # ``fresh`` now holds the old export
        else:
            aside = Path(
                tempfile.mkdtemp(prefix=f"{_prefix(target)}{os.getpid()}-", dir=target.parent)
            )
            aside.rmdir()
            os.rename(target, aside)
            os.rename(fresh, target)
            fresh = aside
        fsync_dir(target.parent)
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
