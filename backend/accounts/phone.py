"""Phone verification: a number a person types in gets texts only after a code sent to it comes back.

The code is texted by a queued task (installed with :func:`set_code_sender`), outside the delivery
log that staff read. Requests are limited per person and per number, so nobody can use the
site to text a stranger more than a few times.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

import pyotp
from peewee import Case, Value, fn
from pyotp.utils import strings_equal

from backend.accounts.models import PhoneVerification, User
from backend.accounts.users import get_user, snapshot
from backend.audit.services import field_changes, record_audit
from backend.config import current
from backend.context import Actor
from backend.db import after_commit, transaction
from backend.errors import Conflict, Invalid, NotAllowed, Throttled
from backend.i18n import N_, locale_for, translations
from backend.notifications.sms import provider_for
from backend.ratelimit.services import hit
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)

CODE_MINUTES = 10
MAX_ATTEMPTS = 5
# Codes sent per hour, per person and per number.
PER_HOUR = 3
CODE_TEXT = N_("Your Learnloop code is %(code)s. It works for %(minutes)s minutes. Do not share it with anyone.")

_sender: Callable[[int, str], None] | None = None


def set_code_sender(sender: Callable[[int, str], None] | None) -> None:
    """Install the callable that queues a verification for texting, by its id and the time it
    expires (the composition root does this)."""
    global _sender
    _sender = sender


def number_key(phone: str) -> str:
    """One spelling of a number for counting: +44 7700 900999, 07700900999 and 00447700900999 alike.

    International numbers are written with + or 00; anything else starting with 0 is a UK number.
    """
    digits = "".join(c for c in phone if c.isdigit())
    if phone.strip().startswith("+"):
        return digits
    if digits.startswith("00"):
        return digits[2:]
    if digits.startswith("0"):
        return "44" + digits[1:]
    return digits


# What people put between the digits of a number; number_key_sql removes these (number_key removes any non-digit).
SEPARATORS = (" ", "\t", "-", "(", ")", ".", "/", "+")


def number_key_sql(phone: Any) -> Any:
    """SQL for :func:`number_key` of a phone column, for searching, the same on SQLite and PostgreSQL.

    A "(0)" is dropped too. Only the usual separators (SEPARATORS) are removed, so a number with other
    characters in it (``ext``) keeps them; an empty number gives an empty key.
    """
    # "+44 (0)113 ..." writes the 0 a caller inside the country dials: it is not part of the number.
    digits = fn.REPLACE(phone, "(0)", "")
    for separator in SEPARATORS:
        digits = fn.REPLACE(digits, separator, "")
    return Case(
        None,
        [
            (fn.SUBSTR(fn.LTRIM(phone), 1, 1) == "+", digits),
            (fn.SUBSTR(digits, 1, 2) == "00", fn.SUBSTR(digits, 3)),
            (fn.SUBSTR(digits, 1, 1) == "0", Value("44").concat(fn.SUBSTR(digits, 2))),
        ],
        digits,
    )


def _code(verification: PhoneVerification) -> str:
    return pyotp.HOTP(verification.secret).at(0)


def _user_for(actor: Actor) -> User:
    if actor.user_id is None or not actor.can_write:
        raise NotAllowed("phone.verify")
    return get_user(actor.user_id)


def request_phone_code(actor: Actor) -> PhoneVerification:
    """Text a code to the signed-in person's number, replacing any earlier code.

    Raises ``NotAllowed``, ``Invalid("phone", "required")`` when there is no number,
    ``Conflict("phone_verified")`` when it is already verified, and ``Throttled`` after
    too many codes for the person or the number in an hour.
    """
    user = _user_for(actor)
    if not user.phone:
        raise Invalid("phone", "required")
    if user.phone_verified_at is not None:
        raise Conflict("phone_verified")
    for key in (f"phone-code:user:{user.id}", f"phone-code:number:{number_key(user.phone)}"):
        wait = hit(key, PER_HOUR, 3600)
        if wait is not None:
            raise Throttled(wait)
    with transaction():
        PhoneVerification.delete().where(PhoneVerification.user == user.id).execute()
        verification = PhoneVerification.create(
            user=user,
            phone=user.phone,
            secret=pyotp.random_base32(),
            expires_at=utcnow() + dt.timedelta(minutes=CODE_MINUTES),
        )
        sender = _sender or send_phone_code
        stamp = verification.expires_at.isoformat()
        after_commit(lambda: sender(verification.id, stamp))
    return verification


def send_phone_code(verification_id: int, expires: str | None = None) -> None:
    """Text the code of one verification (a task calls this). Codes expired or replaced are not sent.

    ``expires`` is the expiry the verification had when it was queued: a database may give a new
    verification the id of the one it replaced, and that one's text must not go to the new number.
    """
    verification = PhoneVerification.get_or_none(PhoneVerification.id == verification_id)
    if verification is None or verification.expires_at <= utcnow():
        return
    if expires is not None and verification.expires_at.isoformat() != expires:
        return
    user = User.get_by_id(verification.user_id)  # type: ignore[attr-defined]  # peewee adds it at runtime
    text = translations(locale_for(user.locale)).gettext(CODE_TEXT) % {
        "code": _code(verification),
        "minutes": CODE_MINUTES,
    }
    provider_for(current()).send(verification.phone, text)


def _code_for_number(user: User) -> PhoneVerification | None:
    """Return the code last texted to the person's current number, live or not; None when none was."""
    return PhoneVerification.get_or_none(
        PhoneVerification.user == user.id, PhoneVerification.phone == (user.phone or "")
    )


def _usable(verification: PhoneVerification) -> bool:
    return verification.expires_at > utcnow() and verification.attempts < MAX_ATTEMPTS


def phone_code_pending(user_id: int) -> bool:
    """Return whether a code texted to the person's current, unverified number can still be used.

    Returns False for an unknown person.
    """
    user = User.get_or_none(User.id == user_id)
    if user is None or user.phone_verified_at is not None:
        return False
    verification = _code_for_number(user)
    return verification is not None and _usable(verification)


def verify_phone(actor: Actor, code: str) -> User:
    """Mark the signed-in person's number verified with the code texted to it; return the person.

    Raises ``NotAllowed``, ``Conflict("phone_verified")``, ``Invalid("code", "not_sent")`` when no
    code was texted to the current number, ``Invalid("code", "expired")`` when it has run out or
    been tried too often, and ``Invalid("code", "incorrect")``.
    """
    user = _user_for(actor)
    if user.phone_verified_at is not None:
        raise Conflict("phone_verified")
    verification = _code_for_number(user)
    if verification is None:
        raise Invalid("code", "not_sent")
    # Each try is counted before the code is compared, so parallel guesses get no more than MAX_ATTEMPTS.
    counted = (
        PhoneVerification.update(attempts=PhoneVerification.attempts + 1)
        .where(
            PhoneVerification.id == verification.id,
            PhoneVerification.attempts < MAX_ATTEMPTS,
            PhoneVerification.expires_at > utcnow(),
        )
        .execute()
    )
    if not counted:
        raise Invalid("code", "expired")
    if not strings_equal(_code(verification), code.strip().replace(" ", "")):
        raise Invalid("code", "incorrect")
    with transaction():
        before = snapshot(user)
        user.phone_verified_at = utcnow()
        user.save()
        PhoneVerification.delete().where(PhoneVerification.user == user.id).execute()
        record_audit(actor, "account.phone_verified", "user", user.id, field_changes(before, snapshot(user)))
    return user
