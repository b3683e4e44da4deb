"""Attachments to contacts and messages: checked by content and size before anything is kept, stored outside
the database, and opened only for people who may see the case."""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import BinaryIO

from backend.attachments.checksums import open_verified
from backend.attachments.filetypes import FileKind, sniff_file
from backend.attachments.names import clean_name, file_name
from backend.attachments.scripts import is_script_text
from backend.attachments.storage import (
    LocalStorage,
    NotStored,
    S3Options,
    Storage,
    Stored,
    TooLarge,
)
from backend.attachments.stores import store_from_url
from backend.audit.services import record_audit
from backend.complaints import restricted
from backend.complaints.models import Attachment, CaseMessage, Contact
from backend.complaints.policies import can_view_case
from backend.config import Settings, current
from backend.context import Actor
from backend.errors import Invalid, NotFound

logger = logging.getLogger(__name__)


@dataclass
class Upload:
    """A file as it arrived: the name the sender gave it (shown, never trusted) and its bytes."""

    file_name: str
    stream: BinaryIO


@dataclass(frozen=True)
class Prepared:
    file_name: str
    kind: FileKind
    stored: Stored


@lru_cache(maxsize=4)
def _storage_for(url: str, instance_path: Path, s3: S3Options) -> Storage:
    if url.startswith("file:") and not url.startswith("file:/"):
        relative = Path(url[len("file:") :])
        parts = relative.parts
        if parts and parts[0] == "instance":
            # A folder of the site's own instance folder (the default) is made with it, so a new site is ready
            # before its first upload. A folder named outside it is not: missing, it is a volume not mounted.
            root = instance_path.joinpath(*parts[1:])
            try:
                root.mkdir(mode=0o700, parents=True, exist_ok=True)
            except OSError:
                pass  # the readiness check says what is wrong with it
        else:
            root = relative.resolve()
        return LocalStorage(root)
    return store_from_url(url, s3)


def storage(settings: Settings | None = None, url: str | None = None) -> Storage:
    """The configured attachment store (a local folder by default), or the one at ``url`` reached the same way."""
    settings = settings or current()
    s3 = S3Options(
        endpoint_url=settings.s3_endpoint_url,
        region=settings.s3_region,
        access_key_id=settings.s3_access_key_id,
        secret_access_key=settings.s3_secret_access_key,
        server_side_encryption=settings.s3_server_side_encryption,
    )
    return _storage_for(url or settings.attachments_url, settings.instance_path, s3)


def open_stored(key: str, size: int, sha256: str) -> BinaryIO:
    """The content stored under ``key``, checked against the size and checksum recorded with it.

    Raises FileNotFoundError when it is gone, and :class:`~backend.attachments.checksums.Damaged` (logged) when it
    is not what was saved: nobody is given changed content as if it were what they or the resident sent.
    """
    return open_verified(storage(), key, size, sha256)


def _size(stream: BinaryIO) -> int | None:
    try:
        position = stream.tell()
        stream.seek(0, os.SEEK_END)
        size = stream.tell()
        stream.seek(position)
        return size
    except (OSError, ValueError):
        return None


def check(uploads: Sequence[Upload]) -> list[FileKind]:
    """Check every file's type by content, and its size where known.

    Raises ``Invalid("attachments", code, name=…)`` naming every file refused for the same reason as the
    first refused file (``too_large``, ``empty``, ``script`` or ``unsupported_type``), so someone sending
    several files learns of each problem file at once; or ``too_many``.
    """
    settings = current()
    if len(uploads) > settings.attachments_per_contact:
        raise Invalid("attachments", "too_many", maximum=settings.attachments_per_contact)
    kinds = []
    refused: dict[str, list[str]] = {}
    for upload in uploads:
        name = clean_name(upload.file_name)
        kind, code = _check_one(upload, settings.attachment_max_bytes)
        if code is not None:
            refused.setdefault(code, []).append(name)
        elif kind is not None:
            kinds.append(kind)
    if refused:
        code, names = next(iter(refused.items()))
        if code == "too_large":
            raise Invalid(
                "attachments", code, name="”, “".join(names), megabytes=settings.attachment_max_bytes // 2**20
            )
        raise Invalid("attachments", code, name="”, “".join(names))
    return kinds


def _check_one(upload: Upload, limit: int) -> tuple[FileKind | None, str | None]:
    """The file's type, or the reason it is refused."""
    size = _size(upload.stream)
    if size is not None and size > limit:
        return None, "too_large"
    if size == 0:
        return None, "empty"
    upload.stream.seek(0)
    kind = sniff_file(upload.stream)
    upload.stream.seek(0)
    if kind is None:
        # Say so when it is a program or page written as text: the sender may think it is a letter.
        return None, "script" if is_script_text(upload.stream) else "unsupported_type"
    return kind, None


def prepare(uploads: Sequence[Upload]) -> list[Prepared]:
    """Check all the files, then store them. Nothing is stored unless every file passes.

    Raises Invalid("attachments", ...) as :func:`check` does, ``too_large``, or ``not_stored`` when the store is
    full or failing (then nothing of any file is kept).
    """
    kinds = check(uploads)
    store = storage()
    limit = current().attachment_max_bytes
    prepared: list[Prepared] = []
    try:
        for upload, kind in zip(uploads, kinds, strict=True):
            name = file_name(upload.file_name, kind)
            prepared.append(Prepared(name, kind, store.save(upload.stream, limit)))
    except TooLarge:
        discard(prepared)
        name = clean_name(uploads[len(prepared)].file_name)
        raise Invalid("attachments", "too_large", name=name, megabytes=limit // 2**20) from None
    except NotStored as error:
        discard(prepared)
        logger.error("attachments not kept: the store is %s", error.reason)
        raise Invalid("attachments", "not_stored") from None
    except BaseException:
        discard(prepared)
        raise
    return prepared


def prepare_keeping_words(uploads: Sequence[Upload]) -> tuple[list[Prepared], int]:
    """Check and store the files as :func:`prepare` does; when the store is full or failing, store none of them.

    Returns what was stored and how many files were not kept. For a resident's words sent with files: the words are
    saved whatever happens to the files, and the resident is told to send the files again. Raises Invalid as
    :func:`prepare` does for files that are refused for what they are.
    """
    try:
        return prepare(uploads), 0
    except Invalid as error:
        if error.code != "not_stored":
            raise
        return [], len(uploads)


def discard(prepared: Sequence[Prepared]) -> None:
    """Remove stored files whose database rows were never written (the transaction failed)."""
    store = storage()
    for item in prepared:
        store.delete(item.stored.key)


def record(
    actor: Actor, contact: Contact, message: CaseMessage | None, prepared: Sequence[Prepared]
) -> list[Attachment]:
    """Write the attachments' rows (metadata and checksum) in the current transaction."""
    rows = []
    for item in prepared:
        row = Attachment.create(
            contact=contact.id,
            message=message.id if message else None,
            file_name=item.file_name,
            media_type=item.kind.media_type,
            family=item.kind.family,
            size=item.stored.size,
            sha256=item.stored.sha256,
            storage_key=item.stored.key,
            uploaded_by=actor.user_id,
        )
        record_audit(actor, "attachment.added", "attachment", row.id, {"sha256": {"before": None, "after": row.sha256}})
        rows.append(row)
    return rows


def record_not_kept(actor: Actor, entity: str, entity_id: int, count: int) -> None:
    """Note in the audit trail that ``count`` files sent with a contact or message were not kept (store full)."""
    record_audit(actor, "attachments.not_kept", entity, entity_id, {"files": {"before": None, "after": count}})


def open_attachment(actor: Actor, attachment_id: int) -> tuple[Attachment, BinaryIO]:
    """The attachment and its bytes, for someone who may see the case.

    Raises NotFound alike for a missing attachment and one the actor may not see, so ids reveal nothing.
    """
    if not 0 < attachment_id < 2**63:
        raise NotFound("attachment", attachment_id)
    attachment = Attachment.get_or_none(Attachment.id == attachment_id)
    if attachment is None:
        raise NotFound("attachment", attachment_id)
    contact = Contact.get_by_id(attachment.contact_id)  # type: ignore[attr-defined]
    if not can_view_case(actor, contact.resident_id) or not restricted.may_see_contact(actor, contact):  # type: ignore[attr-defined]
        raise NotFound("attachment", attachment_id)
    if contact.restricted_kind is not None:
        restricted.record_reads(actor.user_id, actor.token_id, [contact.id], "file")
    try:
        return attachment, open_stored(attachment.storage_key, attachment.size, attachment.sha256)
    except FileNotFoundError:
        raise NotFound("attachment", attachment_id) from None
