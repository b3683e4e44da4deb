"""Check every stored file against its recorded checksum, and move every stored file from one store to another.

Every table whose rows point at stored content is listed in :data:`STORED_TABLES`. A key means the same in every
store (:mod:`backend.attachments.storage`), so a move copies each object under the key it has and the database
does not change: the rows are right for the new store the moment the copy ends, and for the old store until its
copies are deleted. That makes a move safe to stop and run again: what is already in the target and matches its
checksum is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from backend.attachments.checksums import Damaged, open_verified, verify
from backend.attachments.storage import NotStored, Storage
from backend.complaints.models import Attachment, NoteFile, StageLeaflet
from backend.db import BaseModel
from backend.lessons.models import ActionEvidence, StoryMedia
from backend.panels.models import PackItem
from backend.privacy.models import SubjectAccessRequest

#: Every model whose rows hold a key to stored content with the size and SHA-256 recorded when it was saved.
STORED_TABLES: tuple[type[BaseModel], ...] = (
    Attachment,
    NoteFile,
    StageLeaflet,
    ActionEvidence,
    StoryMedia,
    PackItem,
    SubjectAccessRequest,
)
#: The key, size and checksum columns of each table in :data:`STORED_TABLES`, when not ``storage_key``, ``size``
#: and ``sha256`` (a subject access export, kept until it is released).
KEY_COLUMNS: dict[type[BaseModel], tuple[str, str, str]] = {
    SubjectAccessRequest: ("export_key", "export_size", "export_sha256"),
}
BATCH = 500


@dataclass(frozen=True)
class StoredFile:
    """One stored file as the database records it: which row, its key, size and checksum."""

    table: str
    row_id: int
    key: str
    size: int
    sha256: str


@dataclass
class Tally:
    """What a check or a move found, file by file: the counts, and the files that are missing or damaged."""

    good: int = 0
    copied: int = 0
    deleted: int = 0
    missing: list[StoredFile] = field(default_factory=list)
    damaged: list[StoredFile] = field(default_factory=list)
    failed: list[StoredFile] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return len(self.missing) + len(self.damaged) + len(self.failed)


def stored_files() -> Iterator[StoredFile]:
    """Every stored file the database knows of, table by table in id order, read in batches."""
    for model in STORED_TABLES:
        table = model._meta.table_name  # type: ignore[attr-defined]
        key_name, size_name, sha_name = KEY_COLUMNS.get(model, ("storage_key", "size", "sha256"))
        key_column = getattr(model, key_name)
        last = 0
        while True:
            query = (
                model.select(model.id, key_column, getattr(model, size_name), getattr(model, sha_name))  # type: ignore[attr-defined]
                .where(model.id > last, key_column.is_null(False), key_column != "")  # type: ignore[attr-defined]
                .order_by(model.id)  # type: ignore[attr-defined]
                .limit(BATCH)
                .tuples()
            )
            rows: list[tuple[int, str, int, str]] = list(query)  # type: ignore[arg-type]
            for row_id, key, size, sha256 in rows:
                yield StoredFile(table, row_id, key, size, sha256)
            if len(rows) < BATCH:
                break
            last = rows[-1][0]


def verify_all(store: Storage, report: Callable[[str, StoredFile], None] | None = None) -> Tally:
    """Read every stored file in ``store`` and count those that match their checksum, are missing or damaged.

    ``report(outcome, file)`` is called for each file that is not good ("missing" or "damaged").
    """
    tally = Tally()
    for stored in stored_files():
        outcome = _check(store, stored)
        if outcome == "good":
            tally.good += 1
            continue
        getattr(tally, outcome).append(stored)
        if report is not None:
            report(outcome, stored)
    return tally


def move_all(
    source: Storage,
    target: Storage,
    delete_source: bool = False,
    report: Callable[[str, StoredFile], None] | None = None,
) -> Tally:
    """Copy every stored file from ``source`` to ``target`` under its key, checking each copy against its checksum.

    A file already in ``target`` and matching is skipped (``good``). A file missing or damaged in ``source`` is
    not copied (``missing``, ``damaged``); one the target would not take is ``failed``. Only when every file is in
    ``target`` and matches, and ``delete_source`` is set, are the source's copies deleted. ``report(outcome,
    file)`` is called for each file that is copied, missing, damaged or failed.
    """
    tally = Tally()
    for stored in stored_files():
        if _check(target, stored) == "good":
            tally.good += 1
            continue
        outcome = _copy(source, target, stored)
        if outcome == "copied":
            tally.copied += 1
        else:
            getattr(tally, outcome).append(stored)
        if report is not None:
            report(outcome, stored)
    if delete_source and not tally.problems:
        for stored in stored_files():
            source.delete(stored.key)
            tally.deleted += 1
    return tally


def _check(store: Storage, stored: StoredFile) -> str:
    try:
        verify(store, stored.key, stored.size, stored.sha256)
    except (FileNotFoundError, ValueError):
        return "missing"
    except Damaged:
        return "damaged"
    return "good"


def _copy(source: Storage, target: Storage, stored: StoredFile) -> str:
    try:
        content = open_verified(source, stored.key, stored.size, stored.sha256)
    except (FileNotFoundError, ValueError):
        return "missing"
    except Damaged:
        return "damaged"
    try:
        with content:
            target.put(stored.key, content, stored.size)
    except (NotStored, OSError):
        return "failed"
    # Read back what the target kept: the copy counts only once it is known to be the content that was saved.
    return "copied" if _check(target, stored) == "good" else "failed"
