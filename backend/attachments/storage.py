"""Keep attachment content somewhere, under keys that this module makes up.

:class:`Storage` is what the rest of the system sees; :class:`LocalStorage` keeps files in a folder,
:class:`backend.attachments.s3.S3Storage` in an S3-compatible bucket, and
:func:`backend.attachments.stores.store_from_url` picks one from a URL. A key is never derived from a client's file
name, so nothing a client sends can choose or escape the place its content is written to. Every store takes the same
shape of key, so content moves between stores under the key it has.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import unquote, urlsplit

CHUNK_SIZE = 64 * 1024
# Two levels of fan-out from the digest keep any one folder small; the random part makes every upload its own
# file, so deleting one attachment never removes another that happens to have the same content. An S3 store, which
# cannot know the digest before the end of the upload, makes keys of the same shape from random hex alone.
LOCAL_KEY = re.compile(r"[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}-[0-9a-f]{32}")


class NotStored(Exception):
    """The store could not take the content: it is full (``reason`` "full") or failing ("unavailable").

    Nothing of the content is kept.
    """

    def __init__(self, reason: str):
        super().__init__(f"the store did not keep the content: {reason}")
        self.reason = reason


class TooLarge(Exception):
    """The content is longer than the limit it was saved under."""

    def __init__(self, max_bytes: int):
        super().__init__(f"content is larger than {max_bytes} bytes")
        self.max_bytes = max_bytes


@dataclass(frozen=True)
class Stored:
    """Where saved content can be found again, how long it is, and its SHA-256 digest in hex."""

    key: str
    size: int
    sha256: str


class Storage(Protocol):
    def save(self, stream: BinaryIO, max_bytes: int) -> Stored:
        """Copy ``stream`` to its end into new storage and return where it went.

        Raises :class:`TooLarge` when the content exceeds ``max_bytes``, and :class:`NotStored` when the store is
        full or failing; either way it keeps nothing of it.
        """

    def put(self, key: str, stream: BinaryIO, max_bytes: int) -> Stored:
        """Copy ``stream`` under ``key``, a key some store made, replacing what is there (moving between stores).

        Raises ValueError for a key no store could have made, and otherwise as :meth:`save`.
        """

    def open(self, key: str) -> BinaryIO:
        """Open the content saved under ``key`` for reading; raise FileNotFoundError for an unknown key."""

    def delete(self, key: str) -> None:
        """Delete the content saved under ``key``; a key that is already gone is not an error."""

    def check(self) -> None:
        """Return when the store can take new content; raise :class:`StorageUnusable` saying why it can't.

        Readiness checks call it often, so it must be cheap, and it must leave nothing behind.
        """


class StorageUnusable(Exception):
    """The store cannot keep content now. ``reason`` is a short code for operators (``missing``, ``not_writable``)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class LocalStorage:
    """Keep content in files under one folder, readable by the owner only."""

    def __init__(self, root: str | os.PathLike[str]):
        # Made absolute now, so a later change of working directory cannot move the storage.
        self.root = Path(root).absolute()

    def save(self, stream: BinaryIO, max_bytes: int) -> Stored:
        """Copy ``stream`` in chunks to a new file and return its key, size and digest.

        The content goes to a temporary file in the root folder first and is renamed into place only when
        complete, so a reader never sees half a file. Raises :class:`TooLarge` when the content exceeds
        ``max_bytes``, after removing the temporary file; no more than ``max_bytes + 1`` bytes are read.
        Raises :class:`NotStored` ("full") when the disk or the owner's quota is full.
        """
        return self._write(stream, max_bytes, None)

    def put(self, key: str, stream: BinaryIO, max_bytes: int) -> Stored:
        """Copy ``stream`` to the file for ``key`` (a key some store made), as :meth:`save` does."""
        self._path(key)
        return self._write(stream, max_bytes, key)

    def _write(self, stream: BinaryIO, max_bytes: int, key: str | None) -> Stored:
        try:
            return self._write_file(stream, max_bytes, key)
        except OSError as error:
            if error.errno in (errno.ENOSPC, errno.EDQUOT):
                raise NotStored("full") from error
            raise

    def _write_file(self, stream: BinaryIO, max_bytes: int, key: str | None) -> Stored:
        if max_bytes < 0:
            raise ValueError("max_bytes must not be negative")
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=".upload-", suffix=".part")  # mode 0o600
        try:
            with os.fdopen(descriptor, "wb") as out:
                size, digest = _copy_limited(stream, out, max_bytes)
                out.flush()
                os.fsync(out.fileno())
            key = key or f"{digest[:2]}/{digest[2:4]}/{digest}-{secrets.token_hex(16)}"
            path = self._path(key)
            for folder in (path.parent.parent, path.parent):
                # One level at a time: os.makedirs ignores the mode for the folders between.
                folder.mkdir(mode=0o700, exist_ok=True)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _sync_folder(path.parent)
        return Stored(key=key, size=size, sha256=digest)

    def open(self, key: str) -> BinaryIO:
        """Open the content saved under ``key`` for reading.

        Raises ValueError for a key this storage could not have made, and FileNotFoundError for one it has not.
        """
        return self._path(key).open("rb")

    def delete(self, key: str) -> None:
        """Delete the content saved under ``key``; raise ValueError for a key this storage could not have made."""
        self._path(key).unlink(missing_ok=True)

    def check(self) -> None:
        """Write and remove a small file in the root folder; raise :class:`StorageUnusable` when that fails.

        A missing folder is an error rather than something to create: it usually means a volume that is not
        mounted, and content saved on the disk beneath the mount point would be lost when it is.
        """
        if not self.root.is_dir():
            raise StorageUnusable("missing")
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.root, prefix=".check-", suffix=".part")
        except OSError:
            raise StorageUnusable("not_writable") from None
        os.close(descriptor)
        Path(temporary).unlink(missing_ok=True)

    def _path(self, key: str) -> Path:
        # Only keys of the exact shape save() makes are accepted: no "..", no absolute path, no backslash,
        # no temporary file, nothing outside the root.
        if not LOCAL_KEY.fullmatch(key):
            raise ValueError(f"not a storage key: {key!r}")
        return self.root.joinpath(*key.split("/"))


def _copy_limited(stream: BinaryIO, out: BinaryIO, max_bytes: int) -> tuple[int, str]:
    """Copy ``stream`` to ``out`` and return the length and SHA-256 hex digest; raise TooLarge past ``max_bytes``."""
    digest = hashlib.sha256()
    size = 0
    while True:
        # Ask for at most one byte past the limit, so an oversized upload is never read further than that.
        chunk = stream.read(min(CHUNK_SIZE, max_bytes + 1 - size))
        if not chunk:
            return size, digest.hexdigest()
        size += len(chunk)
        if size > max_bytes:
            raise TooLarge(max_bytes)
        digest.update(chunk)
        out.write(chunk)


def _sync_folder(folder: Path) -> None:
    """Flush a folder's entries to disk, so that a rename survives a crash; a no-op where folders can't be opened."""
    if not hasattr(os, "O_DIRECTORY"):
        return
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@dataclass(frozen=True)
class S3Options:
    """How to reach an S3-compatible service. Empty values leave the choice to boto3's usual sources (the
    ``AWS_*`` environment, the shared credentials file, an instance role)."""

    endpoint_url: str = ""
    region: str = ""
    access_key_id: str = field(default="", repr=False)
    secret_access_key: str = field(default="", repr=False)
    server_side_encryption: str = ""


def storage_from_url(url: str) -> Storage:
    """Return the local storage that ``url`` names: ``file:///absolute/path`` or a plain path.

    Raises ValueError naming the scheme for any other scheme (:func:`backend.attachments.stores.store_from_url`
    also takes ``s3://``), and for a file URL on another host, a relative file URL, or one with a query or fragment.
    """
    if not url:
        raise ValueError("the storage URL is empty")
    parts = urlsplit(url)
    if not parts.scheme:
        return LocalStorage(url)
    if parts.scheme != "file":
        raise ValueError(f"unsupported storage scheme {parts.scheme!r}: use file:///absolute/path or a path")
    if parts.netloc not in ("", "localhost"):
        raise ValueError(f"a file storage URL must name this machine, not {parts.netloc!r}")
    if not parts.path.startswith("/") or parts.query or parts.fragment:
        raise ValueError("a file storage URL needs an absolute path and nothing after it: file:///absolute/path")
    return LocalStorage(unquote(parts.path))
