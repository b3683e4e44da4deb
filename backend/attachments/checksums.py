"""Give out stored content only when it is the content that was saved: the size and SHA-256 recorded then.

:func:`open_verified` reads the content to its end and checks it before the caller sees a byte, so a changed or
cut-short object is never sent as good. A file on local disk is checked in place and then read again from its
start (the second read comes from the page cache); content from a store that can only be streamed once (S3) is
copied while checking into a spooled temporary file, in memory up to :data:`SPOOL_MEMORY` and on disk (owner-only,
deleted on close) beyond. Neither ever holds more than the recorded size plus one chunk.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import tempfile
from typing import BinaryIO, cast

from backend.attachments.storage import CHUNK_SIZE, Storage

logger = logging.getLogger(__name__)

SPOOL_MEMORY = 1024 * 1024


class Damaged(OSError):
    """The stored content is not what was saved: its size or checksum differs (``reason`` says which)."""

    def __init__(self, key: str, reason: str):
        super().__init__(f"stored content {key} does not match its {reason}")
        self.key = key
        self.reason = reason


def open_verified(store: Storage, key: str, size: int, sha256: str) -> BinaryIO:
    """Open the content under ``key``, checked against ``size`` and ``sha256``, at its start.

    Raises :class:`Damaged` (and logs it) when it differs, and as the store's ``open`` does (FileNotFoundError for
    content that is not there).
    """
    stream = store.open(key)
    if stream.seekable():
        try:
            _check(stream, key, size, sha256, None)
            stream.seek(0)
        except BaseException:
            stream.close()
            raise
        return stream
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)
    try:
        with stream:
            _check(stream, key, size, sha256, cast(BinaryIO, spool))
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    return cast(BinaryIO, spool)


def verify(store: Storage, key: str, size: int, sha256: str) -> None:
    """Read the content under ``key`` to its end and raise :class:`Damaged` unless it matches; keep nothing."""
    with store.open(key) as stream:
        _check(stream, key, size, sha256, None)


def _check(stream: BinaryIO, key: str, size: int, sha256: str, copy: BinaryIO | None) -> None:
    digest = hashlib.sha256()
    read = 0
    # Read at most one byte past the recorded size: a swollen object is refused without reading it all.
    while chunk := stream.read(min(CHUNK_SIZE, size + 1 - read)):
        read += len(chunk)
        if read > size:
            break
        digest.update(chunk)
        if copy is not None:
            copy.write(chunk)
    if read != size:
        logger.error(
            "stored content %s is %s than recorded: not given out", key, "longer" if read > size else "shorter"
        )
        raise Damaged(key, "size")
    if not hmac.compare_digest(digest.hexdigest(), sha256.lower()):
        logger.error("stored content %s does not match its checksum: not given out", key)
        raise Damaged(key, "checksum")
