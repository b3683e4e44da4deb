"""Helper process for the crash test: set up a database and log contacts as staff would.

``python -m tests.crash_fanout setup N`` migrates the database named by the ``LEARNLOOP_*``
environment, makes a member of staff and a resident, and logs N contacts on the resident's behalf,
each of which queues an acknowledgement for the worker to send. ``fanout N`` makes N residents and one event
sent to all of them (N deliveries queued at once, as a landlord-wide message makes). ``status`` prints the deliveries'
statuses as JSON. ``sweep SECONDS`` runs the periodic sweep again and again meanwhile, so that it
races the workers for the same deliveries.
"""

from __future__ import annotations

import json
import sys

from backend.config import load_settings


def setup(count: int) -> None:
    from backend.accounts.models import User, UserRole
    from backend.complaints.intake import NewContact, submit_contact
    from backend.context import Actor
    from backend.db import db
    from backend.migrate import migrate_up
    from portal.app import create_app

    create_app(load_settings())  # the database, the queue and the after-commit dispatcher
    with db.connection_context():
        migrate_up(db.obj)
        staff = User.create(email="handler@example.org", display_name="Case Handler")
        UserRole.create(user=staff, role="staff")
        resident = User.create(email="resident@example.org", display_name="Gwen Pritchard")
        UserRole.create(user=resident, role="resident")
        actor = Actor(user_id=staff.id, roles=frozenset({"staff"}), label=f"user:{staff.id}")
        for n in range(count):
            data = NewContact(
                channel="phone",
                description=f"Call {n}: the boiler is still not working.",
                resident_id=resident.id,
                nation="wales",  # no home on record, so staff say where it is
                logged_via="console",
            )
            submit_contact(actor, data)


def fanout(count: int) -> None:
    """Make ``count`` residents and one event's deliveries to each of them, and queue every one to send."""
    from backend.accounts.models import User
    from backend.db import db, transaction
    from backend.events.models import Delivery, OutboxEvent
    from backend.migrate import migrate_up
    from backend.notifications.services import plan_fanout
    from backend.timeutil import utcnow
    from portal.app import create_app
    from tasks.dispatch import deliver
    from tasks.queue import configure_queue

    settings = load_settings()
    create_app(settings)
    configure_queue(settings, immediate=False)
    with db.connection_context():
        migrate_up(db.obj)
        now = utcnow()
        with transaction():
            rows = [
                {
                    "email": f"tenant{n}@example.org",
                    "display_name": f"Tenant {n}",
                    "locale": "en",
                    "email_verified_at": now,
                }
                for n in range(count)
            ]
            for start in range(0, count, 500):
                User.insert_many(rows[start : start + 500]).execute()
            event = OutboxEvent.create(name="feedback.received", payload={"broadcast": True}, dispatched_at=now)
        ids = User.select(User.id).where(User.email.startswith("tenant")).order_by(User.id)
        shared = {"reference": "LL-2026-FANOUT", "days": "5", "link": settings.base_url}
        plan_fanout(event, (row.id for row in ids), shared)
        for row in Delivery.select(Delivery.id).where(Delivery.event == event.id).order_by(Delivery.id):
            deliver(row.id)


def sweep(seconds: float) -> None:
    """Run the periodic sweep over and over, as the scheduler does each minute, while workers send."""
    import time

    from tasks.dispatch import sweep_outbox
    from tasks.queue import configure_queue

    settings = load_settings()
    from portal.app import create_app

    create_app(settings)
    configure_queue(settings, immediate=False)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sweep_outbox.call_local()
        time.sleep(0.05)


def status() -> None:
    from backend.db import db, init_database
    from backend.events.models import Delivery

    settings = load_settings()
    init_database(settings.database_url, settings.instance_path)
    with db.connection_context():
        rows = Delivery.select(Delivery.status, Delivery.subject)
        print(json.dumps([[row.status, row.subject] for row in rows]))


if __name__ == "__main__":
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]))
    elif sys.argv[1] == "fanout":
        fanout(int(sys.argv[2]))
    elif sys.argv[1] == "sweep":
        sweep(float(sys.argv[2]))
    else:
        status()
