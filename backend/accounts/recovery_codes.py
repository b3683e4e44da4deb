"""New recovery codes held for the page that shows them, until the person has saved them.

Recovery codes are stored only as hashes, so the plain codes exist once, when they are made. So
that the page showing them can be reloaded or switched to another language (it is a GET after the
POST that made them), they are kept with the server-side session that made them: sealed, for at
most ``HOLD_SECONDS``, and dropped when the person says they have saved them, leaves the page or
signs out.
"""

from __future__ import annotations

import hashlib

from backend.accounts.models import UserSession
from backend.accounts.sealing import SealBroken, seal, unseal

SEAL_PURPOSE = "held-recovery-codes"
# Long enough to print them or copy them into a password manager; short enough that a browser left
# open on the page stops showing them.
HOLD_SECONDS = 1800


def _key_hash(session_key: str) -> str:
    return hashlib.sha256(session_key.encode()).hexdigest()


def hold(session_key: str, codes: list[str]) -> None:
    """Keep ``codes`` with the live session whose key is ``session_key``, in place of any held before."""
    (
        UserSession.update(held_recovery_codes=seal(SEAL_PURPOSE, " ".join(codes)))
        .where(UserSession.key_hash == _key_hash(session_key), UserSession.revoked_at.is_null())
        .execute()
    )


def held(session_key: str) -> list[str]:
    """Return the codes held for this live session; an empty list when none are, or they are too old."""
    row = (
        UserSession.select(UserSession.held_recovery_codes)
        .where(UserSession.key_hash == _key_hash(session_key), UserSession.revoked_at.is_null())
        .first()
    )
    if row is None or not row.held_recovery_codes:
        return []
    try:
        return unseal(SEAL_PURPOSE, row.held_recovery_codes, max_age=HOLD_SECONDS).split()
    except SealBroken:
        return []


def release(session_key: str) -> None:
    """Forget the codes held for this session, if any."""
    UserSession.update(held_recovery_codes=None).where(UserSession.key_hash == _key_hash(session_key)).execute()
