"""Sending: claimed before it goes, once even with two workers, again only after a crash, and with
quotas that keep one recipient from being flooded and bulk mail from delaying statutory letters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from backend import config
from backend.db import transaction
from backend.events.models import Delivery, OutboxEvent
from backend.events.services import record_event
from backend.notifications import sending
from backend.notifications.models import PortalMessage
from backend.notifications.services import due_deliveries, plan_deliveries
from backend.timeutil import utcnow
from tasks.dispatch import sweep_outbox
from tests import factories
from tests.conftest import read_mail


def planned(name: str, payload: dict) -> Delivery:
    """An event's delivery, planned but not yet sent (as the dispatcher leaves it for the queue)."""
    with transaction():
        event = OutboxEvent.create(name=name, payload=payload)
    (delivery_id,) = plan_deliveries(event)
    return Delivery.get_by_id(delivery_id)


def with_settings(monkeypatch: pytest.MonkeyPatch, **overrides) -> None:
    monkeypatch.setattr(config, "_current", config.current().with_overrides(**overrides))


def test_a_claimed_delivery_cannot_be_claimed_again() -> None:
    delivery = planned("feedback.received", {"user_id": factories.make_user("resident").id, "reference": "LL-1"})
    now = utcnow()
    assert sending.claim(delivery.id, now) is True
    assert sending.claim(delivery.id, now) is False
    claimed = Delivery.get_by_id(delivery.id)
    assert claimed.status == "sending" and claimed.lease_until > now and claimed.attempts == 1


def test_a_delivery_being_sent_by_another_worker_is_left_alone(mail_dir: Path) -> None:
    delivery = planned("feedback.received", {"user_id": factories.make_user("resident").id, "reference": "LL-1"})
    sending.claim(delivery.id, utcnow())  # another worker is sending it right now
    sending.send_delivery(delivery.id)
    sweep_outbox.call_local()
    assert read_mail(mail_dir) == []


def test_sent_delivery_records_the_channels_message_id(mail_dir: Path) -> None:
    delivery = planned("feedback.received", {"user_id": factories.make_user("resident").id, "reference": "LL-1"})
    sending.send_delivery(delivery.id)
    (message,) = read_mail(mail_dir)
    sent = Delivery.get_by_id(delivery.id)
    assert (sent.status, sent.provider_id, sent.lease_until) == ("sent", message["Message-ID"], None)


def test_an_expired_lease_with_no_record_of_sending_is_sent_again_once(mail_dir: Path) -> None:
    delivery = planned("feedback.received", {"user_id": factories.make_user("resident").id, "reference": "LL-1"})
    sending.claim(delivery.id, utcnow() - dt.timedelta(hours=1))  # a worker died an hour ago mid-send
    live = planned("feedback.received", {"user_id": factories.make_user("resident").id, "reference": "LL-2"})
    sending.claim(live.id, utcnow())  # a worker is sending this one now: its lease is running
    assert sending.recover_deliveries() == [delivery.id]
    assert Delivery.get_by_id(live.id).status == "sending"
    sweep_outbox.call_local()
    assert [m["Subject"] for m in read_mail(mail_dir)] == ["We have your feedback: LL-1"]
    assert Delivery.get_by_id(delivery.id).status == "sent"
    assert sending.recover_deliveries() == []


def test_a_delivery_that_keeps_killing_workers_is_given_up(mail_dir: Path) -> None:
    delivery = planned("feedback.received", {"user_id": factories.make_user("resident").id, "reference": "LL-1"})
    Delivery.update(attempts=sending.MAX_ATTEMPTS - 1).where(Delivery.id == delivery.id).execute()
    sending.claim(delivery.id, utcnow() - dt.timedelta(hours=1))
    sending.recover_deliveries()
    assert Delivery.get_by_id(delivery.id).status == "dead"


def test_portal_message_is_written_with_the_sent_mark_so_never_twice(
    monkeypatch: pytest.MonkeyPatch, clock_at: Any
) -> None:
    """A worker that fails between writing the inbox message and marking it sent leaves no message behind,
    so the retry writes the only one."""
    resident = factories.make_user("resident")
    resident.contact_channel = "portal"
    resident.save()
    delivery = planned("feedback.received", {"user_id": resident.id, "reference": "LL-1"})
    mark_sent = sending.mark_sent

    def fails_after_the_message_is_written(delivery_id: int, provider_id: str | None) -> bool:
        assert PortalMessage.select().where(PortalMessage.user == resident).count() == 1
        raise ConnectionError("the worker lost the database")

    monkeypatch.setattr(sending, "mark_sent", fails_after_the_message_is_written)
    sending.send_delivery(delivery.id)
    assert Delivery.get_by_id(delivery.id).status == "failed"
    monkeypatch.setattr(sending, "mark_sent", mark_sent)
    clock_at(utcnow() + dt.timedelta(seconds=sending.BACKOFF_SECONDS + 1))
    sending.send_delivery(delivery.id)
    sending.send_delivery(delivery.id)  # and a sent one is never written again
    assert PortalMessage.select().where(PortalMessage.user == resident).count() == 1
    sent = Delivery.get_by_id(delivery.id)
    assert sent.status == "sent" and sent.provider_id.startswith("portal:")


def test_one_recipient_gets_at_most_their_hourly_share_of_bulk_messages(monkeypatch, mail_dir: Path) -> None:
    with_settings(monkeypatch, messages_per_recipient_per_hour=3)
    target = factories.make_user("resident")
    for n in range(6):
        with transaction():
            record_event("feedback.received", {"user_id": target.id, "reference": f"LL-{n}"})
    assert len(read_mail(mail_dir)) == 3
    waiting = Delivery.select().where(Delivery.recipient_user_id == target.id, Delivery.status == "pending")
    assert waiting.count() == 3 and all(d.next_attempt_at > utcnow() for d in waiting)
    other = factories.make_user("resident")
    with transaction():
        record_event("feedback.received", {"user_id": other.id, "reference": "LL-OTHER"})
    assert len(read_mail(mail_dir)) == 4  # others are not held up


def test_statutory_messages_are_not_held_by_the_per_recipient_quota(monkeypatch, mail_dir: Path) -> None:
    with_settings(monkeypatch, messages_per_recipient_per_hour=1)
    resident = factories.make_user("resident")
    for n in range(3):
        with transaction():
            record_event("feedback.received", {"user_id": resident.id, "reference": f"LL-{n}"})
    for complaint_id in range(3):
        with transaction():
            record_event("complaint.withdrawn", {"user_id": resident.id, "complaint_id": complaint_id})
    subjects = [m["Subject"] for m in read_mail(mail_dir)]
    assert sum("feedback" in s for s in subjects) == 1
    assert sum("withdrawn" in s for s in subjects) == 3


def test_bulk_messages_use_only_their_share_of_the_channel(monkeypatch, mail_dir: Path) -> None:
    with_settings(monkeypatch, email_per_minute=4, bulk_share_percent=50, messages_per_recipient_per_hour=0)
    for n in range(4):
        with transaction():
            record_event("feedback.received", {"user_id": factories.make_user("resident").id, "reference": f"B{n}"})
    assert len(read_mail(mail_dir)) == 2  # half of the minute's four
    resident = factories.make_user("resident")
    for complaint_id in range(2):
        with transaction():
            record_event("complaint.withdrawn", {"user_id": resident.id, "complaint_id": complaint_id})
    assert len(read_mail(mail_dir)) == 4  # statutory letters still go


def test_statutory_deliveries_are_due_first() -> None:
    resident = factories.make_user("resident")
    bulk = planned("feedback.received", {"user_id": resident.id, "reference": "LL-1"})
    statutory = planned("complaint.withdrawn", {"user_id": resident.id, "complaint_id": 1})
    assert due_deliveries()[:2] == [statutory.id, bulk.id]
    assert (statutory.priority, bulk.priority) == (sending.STATUTORY_PRIORITY, 0)
