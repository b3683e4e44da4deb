"""Text phone-verification codes, outside the delivery log that staff read."""

from __future__ import annotations

from backend.accounts import phone
from tasks.dispatch import with_connection
from tasks.queue import huey


@huey.task(retries=3, retry_delay=30)
@with_connection
def send_phone_code(verification_id: int, expires: str | None = None) -> None:
    """Text one verification's code; a code that has expired or been replaced is not sent."""
    phone.send_phone_code(verification_id, expires)


def enqueue_phone_code(verification_id: int, expires: str) -> None:
    """Queue a code for texting (installed as the backend's code sender)."""
    send_phone_code(verification_id, expires)
