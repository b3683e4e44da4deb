"""Survey invitations: invite after events, send when due, remind once, expire."""

from __future__ import annotations

from huey import crontab

from backend.surveys import batches, invitations
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.task(retries=3, retry_delay=30)
@with_connection
def invite_for_event(event_id: int) -> int:
    """Create the invitations this event calls for. Safe to run twice. Returns how many were created."""
    return len(invitations.invite_for_event(event_id))


@huey.periodic_task(crontab(minute="*/5"))
@with_connection
def run_survey_invitations() -> dict[str, int]:
    """Invite for new events, send what is due, remind once, expire what has run out, and release the
    anonymous answers that have waited long enough to join a group."""
    return {
        "invited": invitations.invite_for_new_events(),
        "sent": invitations.send_due_invitations(),
        "reminded": invitations.send_reminders(),
        "expired": invitations.expire_invitations(),
        "released": batches.release_all_ready(),
    }
