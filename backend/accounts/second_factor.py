"""A second factor for sign-in: an authenticator app (TOTP, RFC 6238, through pyotp) and recovery codes.

A factor protects sign-in once a first code has confirmed it. A TOTP code is accepted in the
30-second step before or after the current one, and never twice: the step of the last code
accepted is stored, and a conditional UPDATE lets only one of two simultaneous uses win. Recovery
codes have 80 random bits each, so a SHA-256 of the code is enough to store.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import time
from typing import Any

import pyotp
from pyotp.utils import strings_equal

from backend.accounts import policies
from backend.accounts.auth import claim_attempt, end_all_sessions, failure_key, forgive_attempt
from backend.accounts.models import RecoveryCode, SecondFactor, SecuritySetting, User, UserRole
from backend.accounts.passwords import verify_password
from backend.accounts.sealing import SealBroken, seal, unseal
from backend.accounts.users import get_user
from backend.audit.services import record_audit
from backend.config import current
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed
from backend.events.services import record_event
from backend.timeutil import utcnow

logger = logging.getLogger(__name__)

ISSUER = "Learnloop"
SEAL_PURPOSE = "second-factor"
STEP_SECONDS = 30
RECOVERY_CODES = 10
REQUIRED_FOR_STAFF = "second_factor_required_for_staff"


def recovery_code_hash(code: str) -> str:
    """The stored form of a recovery code; spaces, dashes and case do not matter."""
    return hashlib.sha256(_normalise(code).encode()).hexdigest()


def _normalise(code: str) -> str:
    return "".join(c for c in code.upper() if c.isalnum())


def _new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode()  # 16 characters, 80 bits
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def confirmed_factor(user_id: int) -> SecondFactor | None:
    """Return the person's confirmed authenticator, or None."""
    return SecondFactor.get_or_none(SecondFactor.user == user_id, SecondFactor.confirmed_at.is_null(False))


def is_enabled(user_id: int) -> bool:
    return confirmed_factor(user_id) is not None


def required_for_staff() -> bool:
    """Whether an admin has required a second factor for every staff role."""
    row = SecuritySetting.get_or_none(SecuritySetting.key == REQUIRED_FOR_STAFF)
    return bool(row and row.value)


def must_enrol(user: User) -> bool:
    """Whether this person must set up a second factor before going on (staff, when admins require it)."""
    return bool(user.role_names() & STAFF_ROLES) and required_for_staff() and not is_enabled(user.id)


def _signed_in_user(actor: Actor) -> User:
    if actor.user_id is None or actor.token_id is not None or not actor.can_write:
        # A second factor is managed in a signed-in browser, never with an API token.
        raise NotAllowed("second_factor.manage")
    return get_user(actor.user_id)


def start_enrolment(actor: Actor) -> SecondFactor:
    """Return the unconfirmed authenticator to show the signed-in person, making one if needed.

    Raises ``NotAllowed`` for tokens and ``Conflict("second_factor_enabled")`` when one is already set up.
    """
    user = _signed_in_user(actor)
    with transaction():
        factor = SecondFactor.get_or_none(SecondFactor.user == user.id)
        if factor is not None and factor.confirmed_at is not None:
            raise Conflict("second_factor_enabled")
        if factor is None:
            factor = SecondFactor.create(user=user, secret=seal(SEAL_PURPOSE, pyotp.random_base32()))
    return factor


def authenticator_key(factor: SecondFactor) -> str:
    """The authenticator's key, as the person types it into their app (it is stored sealed).

    Raises ``SealBroken`` when the secret key changed since it was set up: the factor must be reset.
    """
    return unseal(SEAL_PURPOSE, factor.secret)


def provisioning_uri(factor: SecondFactor, user: User) -> str:
    """The ``otpauth://`` address that authenticator apps read from the QR code."""
    return pyotp.TOTP(authenticator_key(factor)).provisioning_uri(name=user.email, issuer_name=ISSUER)


def _matching_step(factor: SecondFactor, code: str) -> int | None:
    """The time step (the current one, or one either side) whose code is ``code``, else None.

    A key sealed under an earlier secret key matches nothing: recovery codes still work, and an
    admin can reset the factor.
    """
    code = code.strip().replace(" ", "")
    if len(code) != 6 or not code.isdigit():
        return None
    try:
        totp = pyotp.TOTP(authenticator_key(factor))
    except SealBroken:
        logger.warning("second factor %s was sealed under another secret key", factor.id)
        return None
    now_step = int(time.time()) // STEP_SECONDS
    for step in (now_step - 1, now_step, now_step + 1):
        if strings_equal(totp.generate_otp(step), code):
            return step
    return None


def _use_step(factor: SecondFactor, step: int) -> bool:
    """Record ``step`` as used unless it (or a later one) already was; True when this call won."""
    updated = (
        SecondFactor.update(last_used_step=step)
        .where(
            SecondFactor.id == factor.id,
            SecondFactor.last_used_step.is_null() | (SecondFactor.last_used_step < step),
        )
        .execute()
    )
    return updated == 1


def _use_recovery_code(user_id: int, code: str) -> bool:
    updated = (
        RecoveryCode.update(used_at=utcnow())
        .where(
            RecoveryCode.user == user_id,
            RecoveryCode.code_hash == recovery_code_hash(code),
            RecoveryCode.used_at.is_null(),
        )
        .execute()
    )
    return updated == 1


def _throttle(user_id: int) -> list[tuple[str, int]]:
    return [(failure_key(f"second-factor:{user_id}"), current().sign_in_max_failures)]


def check_code(user: User, code: str) -> str:
    """Accept a code from the person's authenticator, or one of their recovery codes; return which.

    Returns ``"totp"`` or ``"recovery"``. Raises ``Throttled`` after too many wrong codes in the
    sign-in window, ``Invalid("code", "used")`` for an authenticator code whose step was already
    used (the person should wait for the next one), and ``Invalid("code", "incorrect")`` for any
    other wrong code, including a used recovery code.
    """
    attempt = claim_attempt(_throttle(user.id))  # counted before it is checked: guesses in parallel gain nothing
    factor = confirmed_factor(user.id)
    used = None
    replayed = False
    if factor is not None:
        step = _matching_step(factor, code)
        if step is not None:
            replayed = not _use_step(factor, step)
            used = None if replayed else "totp"
        elif _use_recovery_code(user.id, code):
            used = "recovery"
    if used is None:
        # A replay counts as a failure too: to the throttle it is one more guess.
        raise Invalid("code", "used" if replayed else "incorrect")
    forgive_attempt(attempt)
    if used == "recovery":
        with transaction():
            record_audit(_self(user), "second_factor.recovery_code_used", "user", user.id, {})
    return used


def _self(user: User) -> Actor:
    return Actor(user_id=user.id, roles=user.role_names(), label=f"user:{user.id}")


def confirm_enrolment(
    actor: Actor, code: str, keep_session_key: str | None = None, password: str | None = None
) -> list[str]:
    """Turn the authenticator on with its password and first code; return the recovery codes, shown once.

    The password is asked again because turning a second factor on locks everyone else out: with a
    stolen session alone, someone could otherwise shut the owner out of their own account. Every
    other session of the person ends, so no browser stays signed in without the second factor.
    Raises ``NotAllowed``, ``Conflict("second_factor_enabled" | "second_factor_not_started")``,
    ``Throttled``, ``Invalid("current_password", "incorrect")`` or ``Invalid("code", "incorrect")``.
    """
    user = _signed_in_user(actor)
    factor = SecondFactor.get_or_none(SecondFactor.user == user.id)
    if factor is None:
        raise Conflict("second_factor_not_started")
    if factor.confirmed_at is not None:
        raise Conflict("second_factor_enabled")
    check_password(user, password or "")
    step = _matching_step(factor, code)
    if step is None:
        raise Invalid("code", "incorrect")
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    with transaction():
        SecondFactor.update(confirmed_at=utcnow(), last_used_step=step).where(SecondFactor.id == factor.id).execute()
        _store_recovery_codes(user.id, codes)
        ended = end_all_sessions(user.id, keep=keep_session_key)
        record_audit(
            actor,
            "second_factor.enabled",
            "user",
            user.id,
            {"second_factor": {"before": False, "after": True}, "other_sessions": {"before": ended, "after": 0}},
        )
    return codes


def _store_recovery_codes(user_id: int, codes: list[str]) -> None:
    """Make ``codes`` the person's recovery codes; every earlier one stops working."""
    RecoveryCode.delete().where(RecoveryCode.user == user_id).execute()
    RecoveryCode.insert_many([{"user": user_id, "code_hash": recovery_code_hash(c)} for c in codes]).execute()


def disable(actor: Actor, password: str, code: str) -> None:
    """Turn the signed-in person's second factor off; it needs their password and a code.

    Raises ``NotAllowed``, ``Conflict("second_factor_not_enabled" | "second_factor_required")``,
    ``Throttled``, ``Invalid("current_password", "incorrect")`` or ``Invalid("code", "incorrect" | "used")``.
    """
    user = _signed_in_user(actor)
    if not is_enabled(user.id):
        raise Conflict("second_factor_not_enabled")
    if user.role_names() & STAFF_ROLES and required_for_staff():
        raise Conflict("second_factor_required")
    _check_password_and_code(user, password, code)
    with transaction():
        _remove(user.id)
        record_audit(
            actor, "second_factor.disabled", "user", user.id, {"second_factor": {"before": True, "after": False}}
        )


def _check_password_and_code(user: User, password: str, code: str) -> None:
    """Check both, counting failures under the same throttle as codes at sign-in."""
    check_password(user, password)
    check_code(user, code)


def check_password(user: User, password: str) -> None:
    """Check the signed-in person's password again before a change to how they sign in.

    Counted under the same throttle as codes. An account with no password (one that signs in only
    by emailed links) has nothing to check. Raises ``Throttled`` or ``Invalid("current_password", "incorrect")``.
    """
    if user.password_hash is None:
        return
    attempt = claim_attempt(_throttle(user.id))
    if not verify_password(user.password_hash, password):
        raise Invalid("current_password", "incorrect")
    forgive_attempt(attempt)


def replace_recovery_codes(actor: Actor, password: str, code: str) -> list[str]:
    """Make new recovery codes for the signed-in person in place of all the old ones; return them.

    The plain codes are returned once and never stored. Needs the person's password and a code
    (from the app, or a recovery code). Raises ``NotAllowed``, ``Conflict("second_factor_not_enabled")``,
    ``Throttled``, ``Invalid("current_password", "incorrect")`` or ``Invalid("code", "incorrect" | "used")``.
    """
    user = _signed_in_user(actor)
    if not is_enabled(user.id):
        raise Conflict("second_factor_not_enabled")
    _check_password_and_code(user, password, code)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    with transaction():
        before = remaining_recovery_codes(user.id)
        _store_recovery_codes(user.id, codes)
        record_audit(
            actor,
            "second_factor.recovery_codes_replaced",
            "user",
            user.id,
            {"unused_recovery_codes": {"before": before, "after": len(codes)}},
        )
    return codes


def _remove(user_id: int) -> None:
    SecondFactor.delete().where(SecondFactor.user == user_id).execute()
    RecoveryCode.delete().where(RecoveryCode.user == user_id).execute()


def remaining_recovery_codes(user_id: int) -> int:
    return RecoveryCode.select().where(RecoveryCode.user == user_id, RecoveryCode.used_at.is_null()).count()


def user_to_reset(actor: Actor, user_id: int) -> User:
    """Return the person whose second factor ``actor`` may reset, changing nothing (admins only).

    Admins reset anyone's but their own: their own they turn off from their account, with their
    password and a code. Raises ``NotAllowed``, ``NotFound("user")``,
    ``Conflict("own_second_factor")`` or ``Conflict("second_factor_not_enabled")``.
    """
    if not policies.can_manage_users(actor) or actor.token_id is not None:
        raise NotAllowed("second_factor.reset")
    user = get_user(user_id)
    if user.id == actor.user_id:
        raise Conflict("own_second_factor")
    if not is_enabled(user.id):
        raise Conflict("second_factor_not_enabled")
    return user


def reset(actor: Actor, user_id: int) -> None:
    """Remove someone's second factor (they lost their phone) and tell them by email (admins only).

    Raises what :func:`user_to_reset` raises.
    """
    user = user_to_reset(actor, user_id)
    with transaction():
        _remove(user.id)
        record_audit(actor, "second_factor.reset", "user", user.id, {"second_factor": {"before": True, "after": False}})
        record_event("account.second_factor_reset", {"user_id": user.id})


def set_required_for_staff(actor: Actor, required: bool) -> None:
    """Require (or stop requiring) a second factor for every staff role (admins only; audited).

    Raises ``NotAllowed``.
    """
    if not policies.can_manage_users(actor) or actor.token_id is not None:
        raise NotAllowed("security_setting.change")
    with transaction():
        row = SecuritySetting.get_or_none(SecuritySetting.key == REQUIRED_FOR_STAFF)
        before = bool(row and row.value)
        if row is None:
            row = SecuritySetting.create(key=REQUIRED_FOR_STAFF, value=required, updated_by=actor.user_id)
        else:
            SecuritySetting.update(value=required, updated_at=utcnow(), updated_by=actor.user_id).where(
                SecuritySetting.id == row.id
            ).execute()
        if before != required:
            record_audit(
                actor,
                "security_setting.changed",
                "security_setting",
                row.id,
                {REQUIRED_FOR_STAFF: {"before": before, "after": required}},
            )


def staff_overview(actor: Actor) -> list[dict[str, Any]]:
    """Every active member of staff with whether their second factor is on (admins only), by name.

    Raises ``NotAllowed``.
    """
    if not policies.can_manage_users(actor):
        raise NotAllowed("second_factor.list")

    staff = (
        User.select(User.id, User.display_name, User.email)
        .join(UserRole, on=UserRole.user)
        .where(UserRole.role.in_(sorted(STAFF_ROLES)), User.is_active == True)  # noqa: E712
        .distinct()
        .order_by(User.display_name, User.id)
    )
    enabled = {
        row.user_id  # type: ignore[attr-defined]
        for row in SecondFactor.select(SecondFactor.user).where(SecondFactor.confirmed_at.is_null(False))
    }
    return [{"id": u.id, "name": u.display_name, "email": u.email, "enabled": u.id in enabled} for u in staff]
