"""Staff accounts, as admins manage them: invite, team and line manager, and closing a leaver's account.

A leaver's open cases and actions are handed over by ``backend.complaints.handover``, which closes the account
with :func:`close_account` in the same transaction.
"""

from __future__ import annotations

from typing import Any

from backend.accounts import policies, tokens
from backend.accounts.auth import end_all_sessions
from backend.accounts.models import User
from backend.accounts.services import MAX_NAME, create_user
from backend.accounts.users import get_user, normalise_email, snapshot
from backend.audit.services import field_changes, record_audit
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, Problems, gather
from backend.names import check_name
from backend.timeutil import utcnow

MAX_TEAM = 100
# The deepest line of managers above anyone: a bound on the walk that refuses circles.
MAX_CHAIN = 50


def _require_admin(actor: Actor, action: str) -> None:
    if not policies.can_manage_users(actor):
        raise NotAllowed(action)


def active_staff(user_id: int) -> User | None:
    """The active account with a staff role (staff, manager or admin) that has this id, or None."""
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    if user is None or not user.role_names() & STAFF_ROLES:
        return None
    return user


def _check_team(problems: Problems, user_id: int | None, team: str | None, manager_id: int | None) -> str | None:
    """The team as stored; record a team too long, or a manager who is no active staff or closes a circle."""
    cleaned = (team or "").strip() or None
    if cleaned is not None and len(cleaned) > MAX_TEAM:
        problems.add("team", "too_long", maximum=MAX_TEAM)
    if manager_id is None:
        return cleaned
    if active_staff(manager_id) is None:
        problems.add("manager", "not_staff")
    elif user_id is not None and _manages(user_id, manager_id):
        # Someone can't be their own manager, nor their manager's manager, however far up.
        problems.add("manager", "circular")
    return cleaned


def _manages(user_id: int, manager_id: int) -> bool:
    """Whether ``user_id`` is ``manager_id`` or stands somewhere above them in the line of managers."""
    current: int | None = manager_id
    for _ in range(MAX_CHAIN):
        if current is None:
            return False
        if current == user_id:
            return True
        row = User.get_or_none(User.id == current)
        current = row.manager_id if row is not None else None  # type: ignore[attr-defined]
    return True


def invite_staff(
    actor: Actor,
    email: str,
    display_name: str,
    roles: list[str],
    team: str | None = None,
    manager_id: int | None = None,
) -> User:
    """Create a staff account that sets its password from an emailed link, with its team and line manager.

    Raises NotAllowed (admins only), Invalid listing every problem (email, display_name, roles, team,
    manager), or Conflict("email_taken").
    """
    _require_admin(actor, "user.invite")
    with gather() as problems:
        with problems.check():
            normalise_email(email)
        with problems.check():
            check_name("display_name", display_name, MAX_NAME)
        if not roles or not set(roles) <= STAFF_ROLES:
            problems.add("roles", "not_staff_roles")
        team = _check_team(problems, None, team, manager_id)
    with transaction():
        user = create_user(actor, email, display_name, roles)
        if team is not None or manager_id is not None:
            _save_team(actor, user, team, manager_id)
    return user


def set_team(actor: Actor, user_id: int, team: str | None, manager_id: int | None) -> User:
    """Set a member of staff's team (what residents are told handles their case) and line manager.

    Empty values clear them. Raises NotAllowed (admins only), NotFound("user") for someone who is not
    staff, and Invalid (team too long; manager not active staff, or a circle of managers).
    """
    _require_admin(actor, "user.set_team")
    user = get_user(user_id)
    if not user.role_names() & STAFF_ROLES:
        raise NotFound("user", user_id)
    with gather() as problems:
        team = _check_team(problems, user.id, team, manager_id)
    with transaction():
        _save_team(actor, user, team, manager_id)
    return user


def _save_team(actor: Actor, user: User, team: str | None, manager_id: int | None) -> None:
    before = {"team": user.team, "manager_id": user.manager_id}  # type: ignore[attr-defined]
    after = {"team": team, "manager_id": manager_id}
    changes = field_changes(before, after)
    if changes:
        user.team = team
        user.manager = manager_id  # type: ignore[assignment]
        user.updated_at = utcnow()
        user.save()
        record_audit(actor, "account.team_changed", "user", user.id, changes)


def check_leaver(actor: Actor, user_id: int) -> User:
    """The account an admin may close. Raises NotAllowed, NotFound("user"), or Conflict("cannot_deactivate_self")."""
    _require_admin(actor, "user.deactivate")
    user = get_user(user_id)
    if user.id == actor.user_id:
        raise Conflict("cannot_deactivate_self")
    return user


def close_account(actor: Actor, user: User, changes: dict[str, Any] | None = None) -> None:
    """In the current transaction: close the account, end every session and revoke every token, audited.

    ``changes`` adds to the audit entry (what was handed over). Closing a closed account changes nothing more.
    """
    before = snapshot(user)
    user.is_active = False
    user.updated_at = utcnow()
    user.save()
    record_audit(
        actor, "account.deactivated", "user", user.id, {**field_changes(before, snapshot(user)), **(changes or {})}
    )
    end_all_sessions(user.id)
    tokens.revoke_all_tokens(actor, user.id)
