"""Copy the attachments a manifest lists out of the store into a backup, and back in, checking every checksum.

Only a local store (``file:``) has its files copied into a backup. A store elsewhere, such as an object store,
keeps its objects where they are: a backup then holds only the manifest, and the store's own versioning keeps old
objects (see docs/backups.md). :func:`copies_files` is the one place that decides this for a store; a new kind of
store that can copy its content into a backup says so there.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from backend.attachments.storage import CHUNK_SIZE, LocalStorage, Storage
from backend.backups.snapshot import Entry

MISSING = "missing"
DIFFERS = "differs"

# A backup copies each file whole, whatever its size: the upload limits applied when it was sent.
WHOLE = 2**63


@dataclass(frozen=True, order=True)
class Problem:
    """An attachment that is not where it should be (``missing``), or whose content is not what the database says
    (``differs``)."""

    key: str
    what: str


def copies_files(store: Storage) -> bool:
    """Whether a backup holds copies of this store's files: yes for a local folder, no for a store elsewhere."""
    return isinstance(store, LocalStorage)


def unique(entries: Iterable[Entry]) -> dict[str, Entry]:
    """The entries by key: two rows that point at one stored file need it copied once."""
    return {entry.key: entry for entry in entries}


def copy_out(store: Storage, entries: Iterable[Entry], folder: Path) -> list[Problem]:
    """Copy every listed attachment from ``store`` into ``folder``, under its own key; return what could not be.

    A file that is missing, or whose size or checksum is not the database's, is reported and not kept.
    """
    copies = LocalStorage(folder)
    problems = []
    for key, entry in unique(entries).items():
        try:
            with store.open(key) as stream:
                stored = copies.put(key, stream, WHOLE)
        except (FileNotFoundError, ValueError):
            problems.append(Problem(key, MISSING))
            continue
        if (stored.size, stored.sha256) != (entry.size, entry.sha256):
            copies.delete(key)
            problems.append(Problem(key, DIFFERS))
    return sorted(problems)


def check_store(store: Storage, entries: Iterable[Entry], skip: frozenset[str] = frozenset()) -> list[Problem]:
    """Read every listed attachment from ``store`` and compare its size and checksum with the manifest's.

    ``skip`` holds keys already known to be missing (the backup could not copy them), which are not checked.
    """
    problems = []
    for key, entry in unique(entries).items():
        if key in skip:
            continue
        try:
            with store.open(key) as stream:
                size, sha256 = _digest(stream)
        except (FileNotFoundError, ValueError):
            problems.append(Problem(key, MISSING))
            continue
        if (size, sha256) != (entry.size, entry.sha256):
            problems.append(Problem(key, DIFFERS))
    return sorted(problems)


def copy_in(folder: Path, store: LocalStorage, entries: Iterable[Entry], skip: frozenset[str]) -> None:
    """Copy every listed attachment from a backup's ``folder`` into ``store``, under its own key.

    A file the store already holds with the right content is left as it is. ``skip`` holds keys the backup
    could not copy. Raises FileNotFoundError for a file the backup's folder lacks.
    """
    copies = LocalStorage(folder)
    existing = {problem.key for problem in check_store(store, entries, skip)}
    for key in unique(entries):
        if key in skip or key not in existing:
            continue
        with copies.open(key) as stream:
            store.put(key, stream, WHOLE)


def _digest(stream: BinaryIO) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK_SIZE):
        size += len(chunk)
        digest.update(chunk)
    return size, digest.hexdigest()
