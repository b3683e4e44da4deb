"""The named complaints roles (Code 4.1, 9.4-9.7): who holds each today, and the checks on a designation.

Admins name a person to a role from a date, until another date or until further notice (``roleDesignationCreate``
and ``roleDesignationUpdate``, audited through ``backend.records``). Hazard escalations go to the senior lead;
Ombudsman liaison to the complaints officer; the governing body's updates to the Member Responsible for Complaints.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.accounts.models import User, UserRole
from backend.complaints.models import RoleDesignation
from backend.context import STAFF_ROLES
from backend.errors import gather
from backend.timeutil import local_date

MAX_NOTE = 2_000
#: The named role only a manager (or an administrator) may hold: senior managers sign off improvement actions.
SENIOR_MANAGER = "senior_manager"
MANAGER_ROLES = ("manager", "admin")


def holder(role: str, on: dt.date | None = None) -> User | None:
    """The active member of staff who holds ``role`` on the UK day ``on`` (today); None when nobody does.

    When designations overlap (a handover), the one that started last wins.
    """
    on = on or local_date()
    designation = (
        RoleDesignation.select(RoleDesignation.person)
        .join(User, on=(RoleDesignation.person == User.id))
        .where(
            RoleDesignation.role == role,
            RoleDesignation.starts_on <= on,
            (RoleDesignation.ends_on.is_null()) | (RoleDesignation.ends_on >= on),
            User.is_active == True,  # noqa: E712
        )
        .order_by(RoleDesignation.starts_on.desc(), RoleDesignation.id.desc())
        .first()
    )
    return User.get_by_id(designation.person_id) if designation is not None else None  # type: ignore[attr-defined]


def holders(role: str, on: dt.date | None = None) -> list[User]:
    """Every active member of staff who holds ``role`` on the UK day ``on`` (today), by name; empty when nobody does.

    For roles several people hold at once, such as senior managers."""
    on = on or local_date()
    return list(
        User.select()
        .join(RoleDesignation, on=(RoleDesignation.person == User.id))
        .where(
            RoleDesignation.role == role,
            RoleDesignation.starts_on <= on,
            (RoleDesignation.ends_on.is_null()) | (RoleDesignation.ends_on >= on),
            User.is_active == True,  # noqa: E712
        )
        .distinct()
        .order_by(User.display_name, User.id)
    )


def validate_designation(record: Any, values: dict[str, Any]) -> None:
    """Refuse a designation of someone not active staff, a senior manager who is not a manager, or one that ends
    before it starts (every problem at once). Its last day may be the day before its first: it is withdrawn.

    The manager check runs when the role or the person is given (naming someone, or changing who or which role),
    not when only the dates or the note change, so a designation can always be ended."""
    with gather() as problems:
        for name in ("starts_on", "ends_on"):
            value = values.get(name)
            if isinstance(value, str):
                try:
                    values[name] = dt.date.fromisoformat(value)
                except ValueError:
                    problems.add(name, "invalid")
        person_id = values.get("person", getattr(record, "person_id", None))
        if "person" in values and person_id is not None and not _is_staff(int(person_id)):
            problems.add("person", "not_staff")
        elif (
            ("person" in values or "role" in values)
            and values.get("role", getattr(record, "role", None)) == SENIOR_MANAGER
            and person_id is not None
            and not is_manager(int(person_id))
        ):
            problems.add("person", "not_manager")
        if len(values.get("note") or "") > MAX_NOTE:
            problems.add("note", "too_long", maximum=MAX_NOTE)
        starts = values.get("starts_on", getattr(record, "starts_on", None))
        ends = values.get("ends_on", getattr(record, "ends_on", None))
        # A last day the day before the first withdraws a designation made by mistake: it was never held.
        if isinstance(starts, dt.date) and isinstance(ends, dt.date) and ends < starts - dt.timedelta(days=1):
            problems.add("ends_on", "before_start")


def is_manager(user_id: int) -> bool:
    """Whether the person is an active manager or administrator."""
    return (
        User.select()
        .join(UserRole, on=(UserRole.user == User.id))
        .where(User.id == user_id, User.is_active == True, UserRole.role.in_(MANAGER_ROLES))  # noqa: E712
        .exists()
    )


def senior_managers(on: dt.date | None = None) -> list[User]:
    """The senior managers on the UK day ``on`` (today) who still hold a manager's role, by name.

    A designation of someone who is no longer a manager (or never was) does not count: sign-off and the overdue
    digest then fall back to every manager, rather than to someone who may not sign off."""
    return [user for user in holders(SENIOR_MANAGER, on) if is_manager(user.id)]


def _is_staff(user_id: int) -> bool:
    return (
        User.select()
        .join(UserRole, on=(UserRole.user == User.id))
        .where(User.id == user_id, User.is_active == True, UserRole.role.in_(STAFF_ROLES))  # noqa: E712
        .exists()
    )
