"""Subject access requests (UK GDPR article 15): log one, compile its export, the DPO's review, release, extend,
refuse or withdraw.

Only administrators and the data protection officer (the named role ``dpo``) see requests or act on them. Anyone
else asking about a request gets :class:`NotFound`, the same answer as for a request that does not exist, so the
pages never say whether someone asked. The DPO approves each export, and never one they compiled themselves.

Every step is one conditional UPDATE on the request's status, so of two people acting at once only the first wins
(the other gets :class:`Conflict`), and writes its audit entry in the same transaction. The audit entry names the
request and the step, never what the person asked for or what the export holds.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any, BinaryIO

from peewee import fn

from backend.accounts.models import Home, User
from backend.attachments.checksums import Damaged, open_verified
from backend.attachments.storage import Storage, TooLarge
from backend.audit.services import record_audit
from backend.complaints import roles
from backend.complaints.files import storage
from backend.complaints.models import Contact
from backend.complaints.restricted import may_see_contact
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, gather
from backend.privacy import deadline
from backend.privacy.export import build_export, third_party_names
from backend.privacy.models import (
    OPEN_STATUSES,
    AccessRequestStatus,
    ReleaseMethod,
    SubjectAccessRequest,
)
from backend.timeutil import local_date, utcnow

ENTITY = "subject_access_request"
DPO = "dpo"
MAX_NOTE = 2_000
MAX_REASON = 2_000
MAX_CHANNEL = 40
MAX_THIRD_PARTIES = 4_000
MAX_THIRD_PARTY_NAMES = 50
#: The largest export kept; a person with more than this is a case for the DPO to answer by hand, in parts.
MAX_EXPORT_BYTES = 500 * 1024 * 1024


def dpo_id(on: dt.date | None = None) -> int | None:
    """The id of the data protection officer today; None when nobody holds the role."""
    holder = roles.holder(DPO, on)
    return holder.id if holder is not None else None


def may_handle(actor: Actor) -> bool:
    """Whether the actor sees subject access requests: an administrator, the data protection officer, or the system
    (the command line, run by whoever holds the server)."""
    if actor.has_role("system"):
        return True
    if actor.user_id is None:
        return False
    return actor.has_role("admin") or (actor.is_staff and actor.user_id == dpo_id())


def _require(actor: Actor, request_id: object = None) -> None:
    if not may_handle(actor):
        raise NotFound(ENTITY, request_id)


def get_request(actor: Actor, request_id: int) -> SubjectAccessRequest:
    """Return the request; raise NotFound when there is none or the actor may not see requests."""
    _require(actor, request_id)
    found = SubjectAccessRequest.get_or_none(SubjectAccessRequest.id == request_id)
    if found is None:
        raise NotFound(ENTITY, request_id)
    return found


def list_requests(actor: Actor, open_only: bool = False, limit: int = 200) -> list[SubjectAccessRequest]:
    """Return requests, the soonest deadline first (closed ones after, newest first); NotFound for other actors."""
    _require(actor)
    query = SubjectAccessRequest.select()
    if open_only:
        query = query.where(SubjectAccessRequest.status.in_(OPEN_STATUSES))
    is_open = SubjectAccessRequest.status.in_(OPEN_STATUSES)
    deadline_day = fn.COALESCE(SubjectAccessRequest.extended_to, SubjectAccessRequest.due_on)
    return list(
        query.order_by(is_open.desc(), deadline_day, SubjectAccessRequest.id.desc()).limit(max(1, min(limit, 1000)))
    )


def nation_of(person: User) -> str:
    """The nation whose bank holidays count for the person: their home's, else England's."""
    home = Home.get_or_none(Home.id == person.home_id) if person.home_id else None  # type: ignore[attr-defined]
    return home.nation if home is not None else "england"


def current_deadline(request: SubjectAccessRequest) -> dt.date:
    """The day the request must be answered by: the extended day when there is one."""
    return request.extended_to or request.due_on


def days_left(request: SubjectAccessRequest, today: dt.date | None = None) -> int:
    """Working days left to the deadline (0 on the day itself); negative calendar days once it has passed."""
    person = User.get_by_id(request.person_id)  # type: ignore[attr-defined]
    return deadline.working_days_left(current_deadline(request), today or local_date(), nation_of(person))


def log_request(
    actor: Actor,
    person_id: int,
    received_at: dt.datetime | None = None,
    channel: str = "",
    note: str = "",
    third_parties: str = "",
) -> SubjectAccessRequest:
    """Record a request from the account ``person_id`` and start its one-month clock; return it.

    ``received_at`` (naive UTC, now when None) may not be in the future. Raises NotFound when the actor may not
    handle requests or there is no such account, Invalid for a bad value (every problem at once).
    """
    _require(actor)
    person = User.get_or_none(User.id == person_id)
    if person is None:
        raise NotFound("user", person_id)
    received_at = received_at or utcnow()
    with gather() as problems:
        if received_at > utcnow():
            problems.add("received_at", "in_future")
        _check_text(problems, "channel", channel, MAX_CHANNEL)
        _check_text(problems, "note", note, MAX_NOTE)
        _check_third_parties(problems, third_parties)
    received_on = local_date(received_at)
    with transaction():
        request = SubjectAccessRequest.create(
            person=person.id,
            received_at=received_at,
            received_on=received_on,
            due_on=deadline.due_on(received_on, nation_of(person)),
            channel=channel.strip(),
            note=note.strip(),
            third_parties=third_parties.strip(),
            logged_by=actor.user_id,
        )
        record_audit(
            actor,
            "subject_access_request.logged",
            ENTITY,
            request.id,
            {
                "person_id": {"before": None, "after": person.id},
                "due_on": {"before": None, "after": str(request.due_on)},
            },
        )
    return request


def _check_text(problems: Any, field: str, value: str, limit: int) -> None:
    if len(value or "") > limit:
        problems.add(field, "too_long", maximum=limit)


def _check_third_parties(problems: Any, value: str) -> None:
    _check_text(problems, "third_parties", value, MAX_THIRD_PARTIES)
    if len(third_party_names(value)) > MAX_THIRD_PARTY_NAMES:
        problems.add("third_parties", "too_many", maximum=MAX_THIRD_PARTY_NAMES)


def _storage() -> Storage:
    # The attachments storage (``LEARNLOOP_ATTACHMENTS_URL``, see ``storage_from_url``), where evidence is kept too.
    return storage()


def _move(
    actor: Actor,
    request: SubjectAccessRequest,
    allowed: Iterable[str],
    action: str,
    values: dict[Any, Any],
) -> SubjectAccessRequest:
    """Apply ``values`` if the request is still in one of ``allowed``; audit ``action``; return it re-read."""
    with transaction():
        moved = (
            SubjectAccessRequest.update({**values, SubjectAccessRequest.updated_at: utcnow()})
            .where(SubjectAccessRequest.id == request.id, SubjectAccessRequest.status.in_(tuple(allowed)))
            .execute()
        )
        if moved != 1:
            raise Conflict("status_changed", status=request.status)
        changes = {
            "status": {"before": request.status, "after": values.get(SubjectAccessRequest.status, request.status)}
        }
        record_audit(actor, f"subject_access_request.{action}", ENTITY, request.id, changes)
    return SubjectAccessRequest.get_by_id(request.id)


def compile_request(actor: Actor, request_id: int, third_parties: str | None = None) -> SubjectAccessRequest:
    """Gather everything held about the person into a zip, store it, and put the request up for the DPO's review.

    A request sent back by the DPO is compiled afresh; the earlier zip is deleted. ``third_parties`` (one name a
    line) replaces the list of other people to take out, when given. Raises NotFound (not visible), Conflict
    (already approved, released or closed), Invalid (the list is too long).
    """
    request = get_request(actor, request_id)
    if request.status != AccessRequestStatus.RECEIVED:
        raise Conflict("not_received", status=request.status)
    if third_parties is not None:
        with gather() as problems:
            _check_third_parties(problems, third_parties)
        request.third_parties = third_parties.strip()
    person = User.get_by_id(request.person_id)  # type: ignore[attr-defined]
    stream, summary = build_export(person, request, actor)
    try:
        with stream:
            stored = _storage().save(stream, MAX_EXPORT_BYTES)
    except TooLarge:
        raise Conflict("too_large", maximum=MAX_EXPORT_BYTES) from None
    old_key = request.export_key
    try:
        updated = _move(
            actor,
            request,
            (AccessRequestStatus.RECEIVED,),
            "compiled",
            {
                SubjectAccessRequest.status: AccessRequestStatus.COMPILED,
                SubjectAccessRequest.third_parties: request.third_parties,
                SubjectAccessRequest.compiled_by: actor.user_id,
                SubjectAccessRequest.compiled_at: utcnow(),
                SubjectAccessRequest.export_key: stored.key,
                SubjectAccessRequest.export_size: stored.size,
                SubjectAccessRequest.export_sha256: stored.sha256,
                SubjectAccessRequest.summary: summary,
                SubjectAccessRequest.review_note: "",
            },
        )
    except Conflict:
        _storage().delete(stored.key)  # someone else compiled it first: keep theirs
        raise
    if old_key:
        _storage().delete(old_key)
    return updated


def restricted_in(request: SubjectAccessRequest) -> list[int]:
    """The ids of the need-to-know cases the compiled export holds (from its summary)."""
    if not request.summary:
        return []
    return [int(contact_id) for contact_id in json.loads(request.summary).get("restricted_contact_ids", [])]


def may_open(actor: Actor, request: SubjectAccessRequest) -> bool:
    """Whether the actor may read the compiled export: only someone cleared for every need-to-know case in it."""
    return all(
        may_see_contact(actor, contact) for contact in Contact.select().where(Contact.id.in_(restricted_in(request)))
    )


DOWNLOADABLE = (AccessRequestStatus.COMPILED, AccessRequestStatus.APPROVED)


def open_export(actor: Actor, request_id: int) -> tuple[SubjectAccessRequest, BinaryIO]:
    """Open the request's zip for reading (the DPO's review, or its release); check it is the one stored.

    Raises NotFound when the actor may not see it, nothing is compiled (or what was is sent back), or it holds a
    need-to-know case the actor is not cleared for; Conflict(``checksum``) when the stored bytes no longer match
    those recorded at compiling.
    """
    request = get_request(actor, request_id)
    if not request.export_key or request.status not in DOWNLOADABLE:
        raise NotFound("export", request_id)  # a zip sent back to be compiled again is not the export any more
    if not may_open(actor, request):
        raise NotFound("export", request_id)
    try:
        # Checked as it is read; a stream that cannot seek (S3) is spooled to a temporary file on the way.
        stream = open_verified(_storage(), request.export_key, request.export_size or 0, request.export_sha256 or "")
    except FileNotFoundError:
        raise NotFound("export", request_id) from None
    except Damaged:
        raise Conflict("checksum") from None
    record_audit(actor, "subject_access_request.export_opened", ENTITY, request.id)
    return request, stream


def approve_request(actor: Actor, request_id: int, note: str = "") -> SubjectAccessRequest:
    """The DPO approves the compiled export for release. Raises NotFound, NotAllowed(``not_dpo``) for anyone but
    the DPO, NotAllowed(``own_export``) for an export they (or the command line) compiled, Conflict (not compiled),
    Invalid (note)."""
    request = get_request(actor, request_id)
    if actor.user_id != dpo_id():
        raise NotAllowed("approve_subject_access", "not_dpo")
    # Separation of duties: never one's own export. An export compiled from the command line names nobody (whoever
    # runs it holds the server, perhaps the DPO), so it must be compiled again in the console before approval.
    if request.compiled_by_id in (None, actor.user_id):  # type: ignore[attr-defined]
        raise NotAllowed("approve_subject_access", "own_export")
    with gather() as problems:
        _check_text(problems, "note", note, MAX_REASON)
    return _move(
        actor,
        request,
        (AccessRequestStatus.COMPILED,),
        "approved",
        {
            SubjectAccessRequest.status: AccessRequestStatus.APPROVED,
            SubjectAccessRequest.reviewed_by: actor.user_id,
            SubjectAccessRequest.reviewed_at: utcnow(),
            SubjectAccessRequest.review_note: note.strip(),
        },
    )


def send_back_request(actor: Actor, request_id: int, reason: str) -> SubjectAccessRequest:
    """The DPO sends the export back to be compiled again, saying why. Raises as :func:`approve_request`, and
    Invalid when the reason is missing or too long."""
    request = get_request(actor, request_id)
    if actor.user_id != dpo_id():
        raise NotAllowed("approve_subject_access", "not_dpo")
    _reason(reason)
    return _move(
        actor,
        request,
        (AccessRequestStatus.COMPILED, AccessRequestStatus.APPROVED),
        "sent_back",
        {
            SubjectAccessRequest.status: AccessRequestStatus.RECEIVED,
            SubjectAccessRequest.reviewed_by: actor.user_id,
            SubjectAccessRequest.reviewed_at: utcnow(),
            SubjectAccessRequest.review_note: reason.strip(),
        },
    )


def release_request(actor: Actor, request_id: int, method: str) -> SubjectAccessRequest:
    """Record that the approved export reached the person, and how; the stored zip is then deleted (the person has
    their copy, and the landlord keeps no second one). Its size and checksum stay as a record of what was sent.

    Raises NotFound, Conflict (not approved), Invalid(``method``)."""
    request = get_request(actor, request_id)
    if method not in ReleaseMethod.codes():
        raise Invalid("method", "invalid")
    released = _move(
        actor,
        request,
        (AccessRequestStatus.APPROVED,),
        "released",
        {
            SubjectAccessRequest.status: AccessRequestStatus.RELEASED,
            SubjectAccessRequest.released_by: actor.user_id,
            SubjectAccessRequest.released_at: utcnow(),
            SubjectAccessRequest.release_method: method,
            SubjectAccessRequest.export_key: None,
        },
    )
    if request.export_key:
        _storage().delete(request.export_key)
    return released


def extend_request(actor: Actor, request_id: int, extended_to: dt.date, reason: str) -> SubjectAccessRequest:
    """Extend the deadline by up to two further months (complex or numerous requests), with the reason told to the
    person. Only within the first month: the law says the person must be told before it ends.

    Raises NotFound, Conflict (closed, or already extended), Invalid (``extended_to`` not after the first deadline,
    past three months from receipt, or the first month is over; ``reason`` missing or too long).
    """
    request = get_request(actor, request_id)
    if request.extended_to is not None:
        raise Conflict("already_extended")
    person = User.get_by_id(request.person_id)  # type: ignore[attr-defined]
    with gather() as problems:
        if local_date() > request.due_on:
            problems.add("extended_to", "first_month_over")
        elif extended_to <= request.due_on:
            problems.add("extended_to", "not_later")
        elif extended_to > deadline.latest_extension(request.received_on, nation_of(person)):
            problems.add("extended_to", "too_late")
        with problems.check():
            _reason(reason)
    return _move(
        actor,
        request,
        OPEN_STATUSES,
        "extended",
        {
            SubjectAccessRequest.extended_to: extended_to,
            SubjectAccessRequest.extension_reason: reason.strip(),
            SubjectAccessRequest.extended_by: actor.user_id,
            SubjectAccessRequest.extended_at: utcnow(),
        },
    )


def close_request(actor: Actor, request_id: int, status: str, reason: str) -> SubjectAccessRequest:
    """Refuse or withdraw an open request, with the reason. Any compiled export is deleted.

    Raises NotFound, Conflict (already closed or released), Invalid (``status``, ``reason``).
    """
    request = get_request(actor, request_id)
    if status not in (AccessRequestStatus.REFUSED, AccessRequestStatus.WITHDRAWN):
        raise Invalid("status", "invalid")
    _reason(reason)
    closed = _move(
        actor,
        request,
        OPEN_STATUSES,
        status,
        {
            SubjectAccessRequest.status: status,
            SubjectAccessRequest.closed_reason: reason.strip(),
            SubjectAccessRequest.closed_by: actor.user_id,
            SubjectAccessRequest.closed_at: utcnow(),
            SubjectAccessRequest.export_key: None,
        },
    )
    if request.export_key:
        _storage().delete(request.export_key)
    return closed


def _reason(reason: str) -> None:
    if not (reason or "").strip():
        raise Invalid("reason", "required")
    if len(reason) > MAX_REASON:
        raise Invalid("reason", "too_long", maximum=MAX_REASON)


def find_people(actor: Actor, text: str, limit: int = 20) -> list[User]:
    """Accounts whose email address or name contains ``text`` (at least 3 characters), by name; NotFound for
    actors who may not handle requests."""
    _require(actor)
    text = (text or "").strip().lower()[:254]
    if len(text) < 3:
        return []
    return list(
        User.select()
        .where(User.email.contains(text) | User.display_name.contains(text))
        .order_by(User.display_name, User.id)
        .limit(limit)
    )
