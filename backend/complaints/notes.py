"""Staff notes on a complaint: call notes, internal and third-party correspondence, investigation documents.

The Code (5.12) asks for the full record of a complaint, including correspondence with other parties and
supporting documents. Much of that is for staff alone, so notes are a record of their own: the resident,
their advocate and panel members never see them, on any page or through the API. A note is written once;
a correction is a further note. Files kept with a note are linked to the note only, so they are never among
the contact's files that the resident sees, and only staff can open them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, BinaryIO

from backend.audit.services import record_audit
from backend.complaints import files, restricted, steps
from backend.complaints.models import NOTE_KINDS, CaseNote, Complaint, Contact, NoteFile
from backend.complaints.policies import HANDLER_ROLES
from backend.context import Actor
from backend.db import transaction
from backend.errors import Invalid, NotFound
from backend.text import clean

MAX_BODY = 20_000


def can_read_notes(actor: Actor) -> bool:
    """Staff (and the system) read notes; residents, advocates and panel members never do."""
    return actor.has_role(*HANDLER_ROLES)


def add_note(actor: Actor, complaint_id: int, kind: str, body: str, uploads: Sequence[Any] = ()) -> CaseNote:
    """Keep a staff note (with any files) on a complaint, at whatever status it is; return the note.

    Raises NotAllowed("complaint.add_note") for anyone who is not staff (or a read-only token),
    NotFound("complaint") when there is no such complaint, Invalid("kind", "required" | "unsupported"),
    Invalid("body", "required" | "too_long") or Invalid("attachments", ...) for a file that is refused.
    """
    steps.require_role(actor, "add_note")
    if not kind:
        raise Invalid("kind", "required")
    if kind not in NOTE_KINDS:
        raise Invalid("kind", "unsupported")
    cleaned = clean(body)
    if not cleaned:
        raise Invalid("body", "required")
    if len(cleaned) > MAX_BODY:
        raise Invalid("body", "too_long", maximum=MAX_BODY)
    complaint = Complaint.get_or_none(Complaint.id == complaint_id)
    if complaint is None:
        raise NotFound("complaint", complaint_id)
    steps.require_step(actor, complaint, "add_note")
    prepared = files.prepare(uploads)
    try:
        with transaction():
            note = CaseNote.create(
                complaint=complaint.id, kind=kind, body=cleaned, stage=complaint.stage, created_by=actor.user_id
            )
            record_audit(actor, "complaint.note_added", "complaint", complaint.id, {"note": _after(note.id, kind)})
            _record_files(actor, note, prepared)
    except BaseException:
        files.discard(prepared)
        raise
    return note


def _after(note_id: int, kind: str) -> dict[str, Any]:
    return {"before": None, "after": {"id": note_id, "kind": kind}}


def _record_files(actor: Actor, note: CaseNote, prepared: Sequence[files.Prepared]) -> None:
    for item in prepared:
        row = NoteFile.create(
            note=note.id,
            file_name=item.file_name,
            media_type=item.kind.media_type,
            family=item.kind.family,
            size=item.stored.size,
            sha256=item.stored.sha256,
            storage_key=item.stored.key,
            uploaded_by=actor.user_id,
        )
        record_audit(actor, "note_file.added", "note_file", row.id, {"sha256": {"before": None, "after": row.sha256}})


def open_note_file(actor: Actor, file_id: int) -> tuple[NoteFile, BinaryIO]:
    """A note's file and its bytes, for staff.

    Raises NotFound alike for a missing file and for anyone who is not staff, so ids reveal nothing.
    """
    if not can_read_notes(actor) or not 0 < file_id < 2**63:
        raise NotFound("note_file", file_id)
    row = NoteFile.get_or_none(NoteFile.id == file_id)
    if row is None:
        raise NotFound("note_file", file_id)
    complaint = Complaint.get_by_id(CaseNote.get_by_id(row.note_id).complaint_id)  # type: ignore[attr-defined]
    contact = Contact.get_by_id(complaint.contact_id)  # type: ignore[attr-defined]
    if not restricted.may_see_contact(actor, contact):
        raise NotFound("note_file", file_id)
    if contact.restricted_kind is not None:
        restricted.record_reads(actor.user_id, actor.token_id, [contact.id], "file")
    try:
        return row, files.open_stored(row.storage_key, row.size, row.sha256)
    except FileNotFoundError:
        raise NotFound("note_file", file_id) from None
