"""Leaflets enclosed with letters: one PDF per regime stage, kept in attachment storage.

An admin attaches a leaflet (for example "How we handle complaints: stage 2") to a stage; every letter
about that stage then says "Enclosed: …" and carries the leaflet's pages after its own.
"""

from __future__ import annotations

import io
import logging
from typing import BinaryIO

from backend.attachments.filetypes import PDF, sniff_file
from backend.attachments.storage import TooLarge
from backend.audit.services import field_changes, record_audit
from backend.complaints.files import open_stored, storage
from backend.complaints.journey import text
from backend.complaints.models import Complaint, RegimeStage, StageLeaflet
from backend.config import current
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotAllowed, NotFound
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)

MAX_TITLE = 200


def _require_admin(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role("admin"):
        raise NotAllowed(action)


def set_stage_leaflet(actor: Actor, stage_id: int, stream: BinaryIO, file_name: str, title: str) -> StageLeaflet:
    """Attach a PDF leaflet to a regime stage, replacing any earlier one.

    Raises NotAllowed (admins only), NotFound (no such stage), Invalid("title", "required"/"too_long"),
    Invalid("file", "not_pdf") for anything but a readable, unencrypted PDF, or Invalid("file", "too_large",
    megabytes=...).
    """
    _require_admin(actor, "stage_leaflet.set")
    stage = RegimeStage.get_or_none(RegimeStage.id == stage_id)
    if stage is None:
        raise NotFound("regime_stage", stage_id)
    title = text("title", title, MAX_TITLE)
    maximum = current().attachment_max_bytes
    data = stream.read(maximum + 1)
    if len(data) > maximum:
        raise Invalid("file", "too_large", megabytes=maximum // (1024 * 1024))
    if sniff_file(io.BytesIO(data)) != PDF or not _readable_pdf(data):
        raise Invalid("file", "not_pdf")
    try:
        stored = storage().save(io.BytesIO(data), maximum)
    except TooLarge:
        raise Invalid("file", "too_large", megabytes=maximum // (1024 * 1024)) from None
    name = (file_name or "leaflet.pdf").strip()[-200:] or "leaflet.pdf"
    old = StageLeaflet.get_or_none(StageLeaflet.stage == stage.id)
    with transaction():
        if old is not None:
            old.delete_instance()
        leaflet = StageLeaflet.create(
            stage=stage.id,
            title=title,
            file_name=name,
            size=stored.size,
            sha256=stored.sha256,
            storage_key=stored.key,
            uploaded_by=actor.user_id,
            uploaded_at=utcnow(),
        )
        before = {"title": old.title, "sha256": old.sha256} if old else None
        record_audit(
            actor,
            "stage_leaflet.set",
            "regime_stage",
            stage.id,
            field_changes(before, {"title": title, "sha256": stored.sha256}),
        )
    if old is not None:
        storage().delete(old.storage_key)
    return leaflet


def remove_stage_leaflet(actor: Actor, stage_id: int) -> None:
    """Stop enclosing a stage's leaflet. Raises NotAllowed, or NotFound when the stage has none."""
    _require_admin(actor, "stage_leaflet.remove")
    leaflet = StageLeaflet.get_or_none(StageLeaflet.stage == stage_id)
    if leaflet is None:
        raise NotFound("stage_leaflet", stage_id)
    with transaction():
        leaflet.delete_instance()
        record_audit(
            actor,
            "stage_leaflet.removed",
            "regime_stage",
            stage_id,
            field_changes({"title": leaflet.title}, {"title": None}),
        )
    storage().delete(leaflet.storage_key)


def leaflet_for(complaint_id: int | None, stage: int | None) -> StageLeaflet | None:
    """The leaflet of a complaint's stage (the stage a letter is about), or None."""
    complaint = Complaint.get_or_none(Complaint.id == complaint_id) if complaint_id is not None else None
    if complaint is None:
        return None
    number = stage or complaint.stage
    return (
        StageLeaflet.select()
        .join(RegimeStage)
        .where(RegimeStage.regime == complaint.regime_id, RegimeStage.number == number)  # type: ignore[attr-defined]
        .first()
    )


def leaflet_bytes(leaflet: StageLeaflet) -> bytes | None:
    """The leaflet's PDF, or None when its bytes are gone from storage (a letter still prints without it)."""
    try:
        with open_stored(leaflet.storage_key, leaflet.size, leaflet.sha256) as stream:
            return stream.read()
    except (OSError, ValueError):
        logger.warning("leaflet %s is missing from storage", leaflet.id)
        return None


def _readable_pdf(data: bytes) -> bool:
    # pypdf takes half a second to import: only checking an uploaded leaflet needs it.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        return not reader.is_encrypted and len(reader.pages) > 0
    except (PdfReadError, ValueError, KeyError, TypeError):
        return False
