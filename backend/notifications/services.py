"""Turn an event into deliveries (one per recipient and channel), send them, retry, dead-letter."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from itertools import islice
from typing import Any

from peewee import IntegrityError

from backend.accounts.models import User
from backend.audit.services import record_audit
from backend.complaints.models import Complaint, Hazard
from backend.config import current
from backend.context import Actor
from backend.db import db, is_postgres, transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, Problems, gather
from backend.events.models import Delivery, OutboxEvent
from backend.events.services import record_event
from backend.i18n import N_, locale_for, translations
from backend.notifications import people, preferences
from backend.notifications.catalogue import BLOCKS, DIGEST_INTRO, STATUTORY_PRIORITY, EventSpec, Recipient, recipient_id
from backend.notifications.compose import Composed, Part, action_text, call_to_action, sample_action
from backend.notifications.models import CHANNELS, ChannelStatus, Letter, MessageTemplate, Preference
from backend.notifications.registry import EVENTS
from backend.notifications.templates import check_template, compiled_wording, effective_source, one_line, render_source
from backend.notifications.wording import person_wording_for, with_copy_note, wording_for
from backend.notifications.written import WRITTEN_EVENTS, plan_written_copy, written_channel
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)


def plan_deliveries(event: OutboxEvent) -> list[int]:
    """Create the event's deliveries (safe to run twice) and return the ids ready to send now."""
    spec = EVENTS.get(event.name)
    if spec is None or spec.name in BLOCKS:
        return []
    subject_id = recipient_id(event.payload)
    planned: list[tuple[Delivery | None, Reader]] = []
    if subject_id is None:
        # Someone without an account, reached by the details recorded with their contact.
        person = people.person_reader(event.payload.get("person_id"))
        if person is not None:
            planned.append((_plan_for_person(event, spec, person), person))
    elif (subject_user := User.get_or_none(User.id == subject_id)) is not None:
        readers: list[tuple[User, int | None]] = [(subject_user, None)]
        if spec.topic != "account":
            readers += [(advocate, subject_user.id) for advocate in preferences.advocates_for(subject_user.id)]
        planned += [(_plan_one(event, spec, subject_user, reader, copy_for), reader) for reader, copy_for in readers]
    ready = []
    for delivery, reader in planned:
        if delivery is not None and delivery.status == "pending":
            ready.append(delivery.id)
            if delivery.channel == "call" and spec.statutory:
                ready += _written_copy(delivery, reader)
            elif delivery.channel == "sms" and not isinstance(reader, User) and spec.name in WRITTEN_EVENTS:
                # Someone without an account who chose texts: the full message goes in writing too, by
                # the channel the text names; with none, it waits as a letter flagged for staff.
                channel = written_channel(reader)
                if channel is None:
                    plan_follow_up(delivery, reader, "letter", status="unreachable")
                else:
                    ready.append(plan_follow_up(delivery, reader, channel))
        if delivery is not None and isinstance(reader, User):
            written = plan_written_copy(delivery, reader)
            ready += [written] if written is not None else []
    return ready


def _written_copy(call: Delivery, reader: Reader) -> list[int]:
    """A statutory message read out by phone is also sent in writing, as the Code requires (6.9,
    6.19, 2.4): by post where there is an address, else by email. Returns the ids ready to send."""
    if letter_possible(reader):
        return [plan_follow_up(call, reader, "letter")]
    email = (
        preferences.available(reader, "email", preferences.failing_channels(reader.id))
        if isinstance(reader, User)
        else people.available(reader, "email", people.failing_channels(reader.id))
    )
    return [plan_follow_up(call, reader, "email")] if email else []


def _plan_one(
    event: OutboxEvent, spec: EventSpec, subject_user: User, reader: User, copy_for: int | None
) -> Delivery | None:
    channel = preferences.channel_for(reader, spec.topic)
    key = f"{event.id}:{reader.id}:{copy_for or '-'}"
    existing = Delivery.get_or_none(Delivery.idempotency_key == key)
    if existing is not None:
        return existing
    locale = locale_for(reader.locale)
    frequency = preferences.frequency_for(reader.id, spec.topic)
    status = {"off": "skipped", "daily": "held", "weekly": "held"}.get(frequency, "pending")
    if channel is None and spec.statutory and spec.topic != "account":
        # No way to reach them: staff must act on the letter that could not be addressed.
        channel, status = "letter", "unreachable"
    subject = body = action = ""
    if channel is None:
        status = "skipped"
    else:
        subject, body, action = wording_for(event, spec, subject_user, reader, channel, locale)
        if copy_for is not None:
            body = with_copy_note(body, subject_user, locale)
    return _create(
        event,
        spec,
        key,
        channel,
        status,
        locale,
        (subject, body, action),
        recipient_user_id=reader.id,
        copy_for_user_id=copy_for,
    )


def _plan_for_person(event: OutboxEvent, spec: EventSpec, person: people.PersonReader) -> Delivery:
    """One delivery to someone without an account, in the language recorded on their contact."""
    key = f"{event.id}:person:{person.id}"
    existing = Delivery.get_or_none(Delivery.idempotency_key == key)
    if existing is not None:
        return existing
    channel = people.channel_for(person)
    status = "pending"
    if channel is None:
        channel, status = ("letter", "unreachable") if spec.statutory else (None, "skipped")
    words = person_wording_for(event, spec, person, channel) if channel else ("", "", "")
    return _create(event, spec, key, channel, status, person.locale, words, recipient_person_id=person.id)


def case_contact_id(payload: Mapping[str, Any]) -> int | None:
    """The contact (the case) an event is about: the one it names, else its hazard's or its complaint's; None if none.

    A delivery keeps it so that a need-to-know case hides its messages (hazard notices among them) too.
    """
    for name, model in (("contact_id", None), ("hazard_id", Hazard), ("complaint_id", Complaint)):
        key = payload.get(name)
        if not isinstance(key, int) or isinstance(key, bool):
            continue
        if model is None:
            return key
        row = model.select(model.contact).where(model.id == key).first()
        if row is not None:
            return int(row.contact_id)
    return None


def _create(
    event: OutboxEvent,
    spec: EventSpec,
    key: str,
    channel: str | None,
    status: str,
    locale: str,
    words: tuple[str, str, str],
    **recipient: Any,
) -> Delivery:
    subject, body, action = words
    problem = "no_channel" if channel is None else ("no_postal_address" if status == "unreachable" else None)
    try:
        with transaction():
            return Delivery.create(
                event=event,
                idempotency_key=key,
                channel=channel or "none",
                status=status,
                topic=spec.topic,
                locale=locale,
                subject=subject,
                body=body,
                action=action,
                priority=STATUTORY_PRIORITY if spec.statutory else 0,
                last_error=problem,
                complaint_id=event.payload.get("complaint_id"),
                contact_id=case_contact_id(event.payload),
                **recipient,
            )
    except IntegrityError:
        return Delivery.get(Delivery.idempotency_key == key)


Reader = User | people.PersonReader


def reader_of(delivery: Delivery) -> Reader | None:
    """Who a delivery is for: an account, or someone without one; None if they are no longer there."""
    if delivery.recipient_person_id is not None:
        return people.person_reader(delivery.recipient_person_id)
    return User.get_or_none(User.id == delivery.recipient_user_id)


def letter_possible(reader: Reader) -> bool:
    if isinstance(reader, User):
        return preferences.available(reader, "letter", set())
    return people.available(reader, "letter", set())


def plan_follow_up(delivery: Delivery, reader: Reader, channel: str, status: str = "pending") -> int:
    """After a failure, the same message to the same person by ``channel``. Returns its id.

    Safe to run twice: the follow-up on a channel is made once.
    """
    spec = EVENTS[delivery.event.name]
    key = f"{delivery.idempotency_key}:{channel}"
    existing = Delivery.get_or_none(Delivery.idempotency_key == key)
    if existing is not None:
        return int(existing.id)
    if isinstance(reader, User):
        subject_user = User.get_or_none(User.id == (delivery.copy_for_user_id or recipient_id(delivery.event.payload)))
        subject, body, action = wording_for(
            delivery.event, spec, subject_user or reader, reader, channel, delivery.locale
        )
        if delivery.copy_for_user_id is not None and subject_user is not None:
            body = with_copy_note(body, subject_user, delivery.locale)
        recipient: dict[str, Any] = {"recipient_user_id": reader.id, "copy_for_user_id": delivery.copy_for_user_id}
    else:
        subject, body, action = person_wording_for(delivery.event, spec, reader, channel)
        recipient = {"recipient_person_id": reader.id}
    follow_up = _create(
        delivery.event, spec, key, channel, status, delivery.locale, (subject, body, action), **recipient
    )
    return int(follow_up.id)


def fall_back_to_letter(delivery: Delivery, reader: Reader) -> int | None:
    """A statutory message whose channel failed goes at once as a letter to post; with no postal
    address, the letter is flagged ``unreachable`` for staff to act. Returns the letter's id when it
    is ready to send, else None."""
    if delivery.topic == "account" or delivery.priority < STATUTORY_PRIORITY:
        return None  # account notices carry links for one address; bulk messages can wait
    if delivery.channel == "letter":
        return None  # a letter is only stored: it fails for want of an address, and is flagged then
    if not letter_possible(reader):
        plan_follow_up(delivery, reader, "letter", status="unreachable")
        return None
    return plan_follow_up(delivery, reader, "letter")


RETRYABLE = ("dead", "failed", "bounced", "unreachable")


def retry_delivery(actor: Actor, delivery_id: int) -> Delivery:
    """Put a dead, failed, bounced or unreachable delivery back in the queue (staff, from the delivery
    log), for instance once a postal address has been recorded."""
    if not actor.can_write or not actor.is_staff:
        raise NotAllowed("delivery.retry")
    delivery = Delivery.get_or_none(Delivery.id == delivery_id)
    if delivery is None:
        raise NotFound("delivery", delivery_id)
    if delivery.status not in RETRYABLE:
        raise Conflict("not_retryable")
    with transaction():
        before = delivery.status
        changed = (
            Delivery.update(status="pending", attempts=0, next_attempt_at=None, lease_until=None)
            .where(Delivery.id == delivery.id, Delivery.status == before)
            .execute()
        )
        if not changed:
            raise Conflict("not_retryable")
        record_audit(
            actor, "delivery.retried", "delivery", delivery.id, {"status": {"before": before, "after": "pending"}}
        )
    return Delivery.get_by_id(delivery.id)


def due_deliveries(limit: int = 500) -> list[int]:
    """Deliveries whose time has come, statutory ones first."""
    now = utcnow()
    query = (
        Delivery.select(Delivery.id)
        .where(
            (Delivery.status.in_(["pending", "failed"]))
            & (Delivery.next_attempt_at.is_null() | (Delivery.next_attempt_at <= now))
        )
        .order_by(Delivery.priority.desc(), Delivery.id)
        .limit(limit)
    )
    return [row.id for row in query]


def mark_letter_posted(actor: Actor, letter_id: int) -> Letter:
    if not actor.can_write or not actor.is_staff:
        raise NotAllowed("letter.post")
    letter = Letter.get_or_none(Letter.id == letter_id)
    if letter is None:
        raise NotFound("letter", letter_id)
    if letter.status != "posted":
        with transaction():
            Letter.update(status="posted", posted_at=utcnow(), posted_by=actor.user_id).where(
                Letter.id == letter.id
            ).execute()
            record_audit(
                actor, "letter.posted", "letter", letter.id, {"status": {"before": letter.status, "after": "posted"}}
            )
    return Letter.get_by_id(letter.id)


def save_template(actor: Actor, event: str, channel: str, locale: str, subject: str, body: str) -> Any:
    """Save staff's wording for an event, channel and language, after checking it.

    Raises NotAllowed, Invalid (``unsupported`` event, channel or language; else every problem with the
    subject and the body at once: ``syntax`` with the line, ``unknown_placeholder`` with the name, ``required``
    for an empty body, or an empty subject on any channel but text messages).
    """
    if not actor.can_write or not actor.has_role("manager", "admin"):
        raise NotAllowed("template.save")
    spec = EVENTS.get(event)
    if spec is None:
        raise Invalid("event", "unsupported")
    if channel not in CHANNELS:
        raise Invalid("channel", "unsupported")
    if locale not in current().enabled_locales:
        raise Invalid("locale", "unsupported")
    with gather() as problems:
        _check_wording(problems, spec, subject, body)
        # Every channel but a text message shows the subject: an email without one would look like spam.
        if channel != "sms" and not subject.strip():
            problems.add("subject", "required")
        if not body.strip():
            problems.add("body", "required")
    with transaction():
        row = MessageTemplate.get_or_none(
            MessageTemplate.event == event, MessageTemplate.channel == channel, MessageTemplate.locale == locale
        )
        before = {"subject": row.subject, "body": row.body} if row else {"subject": None, "body": None}
        if row is None:
            row = MessageTemplate.create(
                event=event, channel=channel, locale=locale, subject=subject, body=body, updated_by=actor.user_id
            )
        elif (row.subject, row.body) != (subject, body):
            # Only a real change moves updated_at: other languages are asked to review after English changes.
            row.subject, row.body, row.updated_at = subject, body, utcnow()
            row.updated_by = actor.user_id  # type: ignore[assignment]
            row.save()
        changes = {
            k: {"before": before[k], "after": v} for k, v in (("subject", subject), ("body", body)) if before[k] != v
        }
        if changes:
            record_audit(actor, "template.saved", "message_template", row.id, changes)
    return row


def _check_wording(problems: Problems, spec: EventSpec, subject: str, body: str) -> None:
    """Record every problem with the subject and with the body, so that one does not hide the other."""
    allowed = {"name", *spec.variables}
    for field, source in (("subject", subject), ("body", body)):
        with problems.check():
            check_template(field, source, allowed)


def preview(event: str, channel: str, locale: str, subject: str | None = None, body: str | None = None) -> Composed:
    """Render an event with its sample values, using the given (unsaved) wording if any, followed by
    its sample call to action with secret links marked as the delivery log shows them.

    Raises ``Invalid`` as :func:`save_template` does, or ``render_failed``.
    """
    spec = EVENTS[event]
    saved_subject, saved_body, _origin = effective_source(event, channel, locale)
    subject = saved_subject if subject is None else subject
    body = saved_body if body is None else body
    with gather() as problems:
        _check_wording(problems, spec, subject, body)
    values = {"name": "Sam Okafor", **spec.variables}
    rendered = Part(render_source(body, values), sample_action(spec, locale))
    return Composed(one_line(render_source(subject, values)), (rendered,))


FANOUT_BATCH = 500


def plan_fanout(event: OutboxEvent, recipient_ids: Iterable[int], shared: Mapping[str, Any] | None = None) -> int:
    """Make one event's deliveries for many people, streamed in batches. Returns how many were made.

    Each wording is compiled once per channel and language, preferences and failing channels are
    loaded once per batch, and deliveries are inserted a batch at a time; recipients are never all
    in memory. Safe to run twice: existing deliveries are left alone.
    """
    spec = EVENTS[event.name]
    shared = dict(shared or {})
    compiled: dict[tuple[str, str], tuple[Any, Any]] = {}
    insert = _fanout_insert()
    now: Any = utcnow() if is_postgres() else str(utcnow())  # the text SQLite stores, without an adapter
    priority = STATUTORY_PRIORITY if spec.statutory else 0
    made = 0
    iterator = iter(recipient_ids)
    while chunk := list(islice(iterator, FANOUT_BATCH)):
        users = list(
            User.select(
                User.id,
                User.display_name,
                User.email,
                User.phone,
                User.phone_verified_at,
                User.locale,
                User.contact_channel,
                User.home,
            ).where(User.id.in_(chunk), User.is_active == True)  # noqa: E712
        )
        failing: dict[int, set[str]] = defaultdict(set)
        for row in ChannelStatus.select(ChannelStatus.user, ChannelStatus.channel).where(ChannelStatus.user.in_(chunk)):
            failing[row.user_id].add(row.channel)  # type: ignore[attr-defined]
        frequency = {
            row.user_id: row.frequency  # type: ignore[attr-defined]
            for row in Preference.select(Preference.user, Preference.frequency).where(
                Preference.user.in_(chunk), Preference.topic == spec.topic
            )
        }
        rows = []
        for user in users:
            channel = preferences.channel_for(user, spec.topic, failing[user.id])
            locale = locale_for(user.locale)
            how_often = "immediate" if spec.statutory else frequency.get(user.id, "immediate")
            status = {"off": "skipped", "daily": "held", "weekly": "held"}.get(how_often, "pending")
            subject = body = action = ""
            if channel is None:
                status = "skipped"
            else:
                if (channel, locale) not in compiled:
                    compiled[(channel, locale)] = compiled_wording(spec, channel, locale)
                subject_template, body_template = compiled[(channel, locale)]
                values = {**shared, "name": user.display_name}
                subject, body = one_line(subject_template.render(**values)), body_template.render(**values).strip()
                recipient = Recipient(spec.name, event.payload, user, user, channel, locale)
                action = action_text(call_to_action(spec, recipient), channel, reveal=False)
            rows.append(
                (
                    event.id,
                    f"{event.id}:{user.id}:-",
                    channel or "none",
                    user.id,
                    status,
                    0,
                    now,
                    now,
                    spec.topic,
                    locale,
                    subject,
                    body,
                    action,
                    priority,
                )
            )
        with transaction():
            # One prepared statement for the batch: building SQL row by row costs more than sending it.
            db.cursor().executemany(insert, rows)
        made += len(rows)
    return made


def _fanout_insert() -> str:
    columns = (
        "event_id",
        "idempotency_key",
        "channel",
        "recipient_user_id",
        "status",
        "attempts",
        "created_at",
        "updated_at",
        "topic",
        "locale",
        "subject",
        "body",
        "action",
        "priority",
    )
    marks = ", ".join([db.param] * len(columns))  # type: ignore[attr-defined]
    return (
        f"INSERT INTO delivery ({', '.join(columns)}) VALUES ({marks}) "  # noqa: S608 - fixed names
        "ON CONFLICT (idempotency_key) DO NOTHING"
    )


DIGEST_SUBJECT = N_("Your updates from %(landlord)s")


def send_digests(frequency: str, limit_people: int = 5000) -> list[int]:
    """Bundle each person's held messages (for those who chose ``frequency``) into one delivery.

    The held deliveries become ``digested``; the new deliveries' ids are returned, ready to send.
    """
    wanting = Preference.select(Preference.user, Preference.topic).where(Preference.frequency == frequency)
    topics_by_user: dict[int, set[str]] = {}
    for row in wanting:
        topics_by_user.setdefault(row.user_id, set()).add(row.topic)  # type: ignore[attr-defined]
    ready: list[int] = []
    for user_id, topics in list(topics_by_user.items())[:limit_people]:
        held = list(
            Delivery.select()
            .where(Delivery.recipient_user_id == user_id, Delivery.status == "held", Delivery.topic.in_(sorted(topics)))
            .order_by(Delivery.id)
        )
        user = User.get_or_none(User.id == user_id)
        if not held or user is None:
            continue
        channel = preferences.channel_for(user, "digest")  # a digest is never read out by phone
        locale = locale_for(user.locale)
        gettext = translations(locale).gettext
        parts = [gettext(DIGEST_INTRO) % {"name": user.display_name}]
        parts += ["\n\n".join(p for p in (d.subject, d.body, d.action) if p) for d in held]
        with transaction():
            event = record_event(f"digest.{frequency}", {"user_id": user_id, "count": len(held)})
            digest = Delivery.create(
                event=event,
                idempotency_key=f"digest:{event.id}:{user_id}",
                channel=channel or "none",
                recipient_user_id=user_id,
                topic="digest",
                locale=locale,
                status="pending" if channel else "skipped",
                subject=gettext(DIGEST_SUBJECT) % {"landlord": current().landlord_name},
                body="\n\n———\n\n".join(parts),
            )
            Delivery.update(status="digested", sent_at=utcnow(), digest_id=digest.id).where(
                Delivery.id.in_([d.id for d in held]), Delivery.status == "held"
            ).execute()
        if channel:
            ready.append(int(digest.id))
    return ready
