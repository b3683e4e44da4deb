"""Limits on account email (registration, password reset, confirmation links) against mail bombing.

Each request counts once against the client's address and once against the email address it
names, in fixed one-hour windows kept in the database (:mod:`backend.ratelimit`), so the limits
hold across every web process. The count is made whether or not the address has an account, so
being refused says nothing about who is registered.
"""

from __future__ import annotations

from backend import config
from backend.ratelimit.services import hit

HOUR = 3600


def account_mail_allowed(email_key: str, client_address: str | None) -> bool:
    """Count one request that may send account email; return whether it is within both hourly limits.

    ``email_key`` is the normalised address (see ``users.email_key``), so that spelling
    variants share one count. A limit of 0 turns that limit off.
    """
    return account_mail_wait(email_key, client_address) is None


def account_mail_wait(email_key: str, client_address: str | None) -> int | None:
    """Count one request that may send account email; return the seconds to wait when over a limit.

    Returns ``None`` within both hourly limits. Only for answers that go to the address's owner:
    elsewhere, whether a limit was reached must not show.
    """
    settings = config.current()
    if client_address:
        client_key = "account-mail:client:" + client_address
        wait = hit(client_key, settings.account_mail_per_client_per_hour, HOUR)
        if wait is not None:
            # A client already refused adds nothing to the address's count.
            return wait
    return hit("account-mail:address:" + email_key, settings.account_mail_per_address_per_hour, HOUR)
