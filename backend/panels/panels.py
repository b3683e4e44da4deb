"""Panels and their people: create and edit a panel, the staff who support it, and residents' memberships.

Staff run these (any staff role; a read-only token changes nothing). Every service checks first (permission, that
the row is there, every problem with the input at once, then state), then writes the change, its audit entry and an
outbox event in one transaction.

A member is a resident holding the ``panel_member`` role. A panel has one chair and one vice-chair at a time: two
chair memberships whose dates overlap are refused, so the record always says who chaired on any day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from peewee import IntegrityError

from backend.accounts.models import User
from backend.audit.services import field_changes, record_audit
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotFound, Problems, gather
from backend.events.services import record_event
from backend.lessons import sharing
from backend.panels.access import require_staff
from backend.panels.models import (
    ApprovalBody,
    Panel,
    PanelMembership,
    PanelRole,
    PanelSupport,
    PapersBy,
    SignOffRule,
)
from backend.text import clean
from backend.timeutil import local_date, utcnow

NAME_MAX = 120
TEXT_MAX = 10_000
DUTY_MAX = 100
REWARD_RULE_MAX = 2_000
QUORUM_RANGE = (1, 50)
WORKING_DAYS_RANGE = (1, 250)
REWARD_PENCE_RANGE = (0, 100_000)
#: The issue asks for a follow-up review 6 to 12 months after the landlord's response.
FOLLOW_UP_MONTHS_RANGE = (6, 12)
#: Roles a panel has only one of at a time.
SINGLE_ROLES = frozenset({PanelRole.CHAIR, PanelRole.VICE_CHAIR})

PANEL_FIELDS = (
    "name",
    "terms_of_reference",
    "sign_off_rule",
    "quorum",
    "response_working_days",
    "approval_body",
    "senior_lead_id",
    "reward_rule",
    "reward_pence",
    "follow_up_months",
)
MEMBERSHIP_FIELDS = (
    "role",
    "started_on",
    "ended_on",
    "training_done_on",
    "training_note",
    "confidentiality_signed_on",
    "conflicts",
    "rewards_opt_out",
    "papers_by",
)


# Checks every panels service shares (reviews and meetings use them too).


def text(
    problems: Problems, name: str, value: str | None, maximum: int, required: bool = False, line: bool = False
) -> str:
    """The text cleaned of invisible ends; records "required", "too_long" or (a ``line``) "hidden_characters".

    The lessons' check (``backend.lessons.sharing.text``), taking a value that is not text as its text.
    """
    plain = value if isinstance(value, str) or value is None else str(value)
    return sharing.text(problems, name, plain, maximum, required=required, line=line)


def day(problems: Problems, name: str, value: Any, required: bool = False) -> dt.date | None:
    """A UK day from a date or ISO text; records "required" (when required and missing) or "invalid"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raw = clean(value if isinstance(value, str) else None)
    if not raw:
        if required:
            problems.add(name, "required")
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.add(name, "invalid")
        return None


def number(problems: Problems, name: str, value: Any, bounds: tuple[int, int]) -> int | None:
    """A whole number within ``bounds``; records "out_of_range" otherwise."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        problems.add(name, "out_of_range", minimum=low, maximum=high)
        return None
    return value


def choice(problems: Problems, name: str, value: Any, vocabulary: Any) -> str:
    """A code of the vocabulary; records "unsupported" otherwise."""
    if value not in vocabulary.codes():
        problems.add(name, "unsupported")
    return str(value)


def active_staff(user_id: int | None) -> User | None:
    """The active member of staff with this id, or None."""
    if not user_id:
        return None
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    return user if user is not None and user.role_names() & STAFF_ROLES else None


def iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def values_of(row: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a row as the audit trail records them (dates as ISO text, keys as ids)."""
    return {name: iso(getattr(row, name)) for name in names}


def get_panel(panel_id: int) -> Panel:
    """The panel; raise NotFound("panel") when there is none."""
    panel = Panel.get_or_none(Panel.id == panel_id)
    if panel is None:
        raise NotFound("panel", panel_id)
    return panel


# Panels.


def _check_panel(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(PANEL_FIELDS)):
        problems.add(name, "unknown_field")
    for name, value in values.items():
        if name == "name":
            checked[name] = text(problems, name, value, NAME_MAX, required=True, line=True)
        elif name == "terms_of_reference":
            checked[name] = text(problems, name, value, TEXT_MAX)
        elif name == "reward_rule":
            checked[name] = text(problems, name, value, REWARD_RULE_MAX)
        elif name == "sign_off_rule":
            checked[name] = choice(problems, name, value, SignOffRule)
        elif name == "approval_body":
            checked[name] = choice(problems, name, value, ApprovalBody)
        elif name == "quorum":
            checked[name] = number(problems, name, value, QUORUM_RANGE)
        elif name == "response_working_days":
            checked[name] = number(problems, name, value, WORKING_DAYS_RANGE)
        elif name == "follow_up_months":
            checked[name] = number(problems, name, value, FOLLOW_UP_MONTHS_RANGE)
        elif name == "reward_pence":
            checked[name] = None if value is None else number(problems, name, value, REWARD_PENCE_RANGE)
        elif name == "senior_lead_id":
            if value is not None and active_staff(value) is None:
                problems.add(name, "not_staff")
            checked["senior_lead"] = value
    return checked


def _panel_snapshot(panel: Panel) -> dict[str, Any]:
    return {
        **values_of(panel, tuple(name for name in PANEL_FIELDS if name != "senior_lead_id")),
        "senior_lead_id": panel.senior_lead_id,  # type: ignore[attr-defined]
    }


def _name_taken(name: str, other_than: int | None = None) -> bool:
    query = Panel.select().where(Panel.name == name)
    if other_than is not None:
        query = query.where(Panel.id != other_than)
    return bool(query.exists())


def create_panel(actor: Actor, values: Mapping[str, Any]) -> Panel:
    """Create a panel from ``values`` (see PANEL_FIELDS; only ``name`` is required). Staff only.

    Raises NotAllowed, or Invalid listing every problem: ``name`` "required", "too_long", "hidden_characters" or
    "taken"; ``terms_of_reference``/``reward_rule`` "too_long"; ``sign_off_rule``/``approval_body``
    "unsupported"; ``quorum``, ``response_working_days``, ``follow_up_months``, ``reward_pence`` "out_of_range";
    ``senior_lead_id`` "not_staff"; a field not of a panel "unknown_field".
    """
    require_staff(actor, "panel.create")
    with gather() as problems:
        checked = _check_panel(problems, {"name": "", **values})
        if checked.get("name") and _name_taken(checked["name"]):
            problems.add("name", "taken")
    try:
        with transaction():
            panel = Panel.create(**checked)
            record_audit(actor, "panel.created", "panel", panel.id, field_changes(None, _panel_snapshot(panel)))
            record_event("panels.panel_created", {"panel_id": panel.id})
    except IntegrityError:
        raise Conflict("changed") from None  # another panel took the name at the same moment
    return panel


def update_panel(actor: Actor, panel_id: int, values: Mapping[str, Any]) -> Panel:
    """Change a panel: only the fields given in ``values`` change. Staff only.

    Raises NotAllowed, NotFound("panel"), or Invalid as :func:`create_panel`. Returns the panel unchanged (nothing
    audited) when nothing differs.
    """
    require_staff(actor, "panel.update")
    panel = get_panel(panel_id)
    with gather() as problems:
        checked = _check_panel(problems, values)
        if checked.get("name") and _name_taken(checked["name"], panel.id):
            problems.add("name", "taken")
    before = _panel_snapshot(panel)
    for name, value in checked.items():
        setattr(panel, name, value)
    changes = field_changes(before, _panel_snapshot(panel))
    if not changes:
        return get_panel(panel_id)
    with transaction():
        Panel.update(**checked, updated_at=utcnow()).where(Panel.id == panel.id).execute()
        record_audit(actor, "panel.updated", "panel", panel.id, changes)
        record_event("panels.panel_updated", {"panel_id": panel.id})
    return get_panel(panel_id)


def add_support(actor: Actor, panel_id: int, person_id: int | None, duty: str = "") -> PanelSupport:
    """Add a member of staff to those who support the panel, with what they do for it. Staff only.

    Raises NotAllowed, NotFound("panel"), Invalid (``person_id`` "not_staff"; ``duty`` "too_long" or
    "hidden_characters"), or Conflict("already_supporting").
    """
    require_staff(actor, "panel.support_add")
    panel = get_panel(panel_id)
    with gather() as problems:
        if active_staff(person_id) is None:
            problems.add("person_id", "not_staff")
        duty = text(problems, "duty", duty, DUTY_MAX, line=True)
    with transaction():
        if PanelSupport.select().where(PanelSupport.panel == panel.id, PanelSupport.person == person_id).exists():
            raise Conflict("already_supporting")
        support = PanelSupport.create(panel=panel.id, person=person_id, duty=duty)
        changes = {"support": {"before": None, "after": {"person_id": person_id, "duty": duty}}}
        record_audit(actor, "panel.support_added", "panel", panel.id, changes)
        record_event("panels.support_added", {"panel_id": panel.id, "support_id": support.id})
    return support


def end_support(actor: Actor, panel_id: int, support_id: int) -> Panel:
    """Take a member of staff off those who support the panel. Staff only.

    Raises NotAllowed or NotFound("panel_support": none, or one of another panel).
    """
    require_staff(actor, "panel.support_end")
    support = PanelSupport.get_or_none((PanelSupport.id == support_id) & (PanelSupport.panel == panel_id))
    if support is None:
        raise NotFound("panel_support", support_id)
    with transaction():
        support.delete_instance()
        changes = {"support": {"before": {"person_id": support.person_id, "duty": support.duty}, "after": None}}  # type: ignore[attr-defined]
        record_audit(actor, "panel.support_ended", "panel", panel_id, changes)
        record_event("panels.support_ended", {"panel_id": panel_id})
    return get_panel(panel_id)


# Memberships.


def panel_member(user_id: int | None) -> User | None:
    """The active resident with this id who holds the panel_member role, or None."""
    if not user_id:
        return None
    user = User.get_or_none(User.id == user_id, User.is_active == True)  # noqa: E712
    return user if user is not None and {"resident", "panel_member"} <= user.role_names() else None


def _check_membership(problems: Problems, values: Mapping[str, Any]) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(MEMBERSHIP_FIELDS)):
        problems.add(name, "unknown_field")
    today = local_date()
    for name, value in values.items():
        if name == "role":
            checked[name] = choice(problems, name, value, PanelRole)
        elif name == "papers_by":
            checked[name] = choice(problems, name, value, PapersBy)
        elif name == "started_on":
            checked[name] = day(problems, name, value, required=True)
        elif name in ("ended_on", "training_done_on", "confidentiality_signed_on"):
            checked[name] = day(problems, name, value)
            if name != "ended_on" and checked[name] is not None and checked[name] > today:
                problems.add(name, "in_future")
        elif name == "training_note":
            checked[name] = text(problems, name, value, TEXT_MAX)
        elif name == "conflicts":
            checked[name] = text(problems, name, value, TEXT_MAX)
        elif name == "rewards_opt_out":
            checked[name] = bool(value)
    return checked


def _overlapping(panel_id: int, started_on: dt.date, ended_on: dt.date | None, other_than: int | None) -> Any:
    """A query for the panel's memberships whose dates overlap ``started_on`` to ``ended_on`` (None: open)."""
    query = PanelMembership.select().where(
        PanelMembership.panel == panel_id,
        PanelMembership.ended_on.is_null() | (PanelMembership.ended_on >= started_on),
    )
    if ended_on is not None:
        query = query.where(PanelMembership.started_on <= ended_on)
    if other_than is not None:
        query = query.where(PanelMembership.id != other_than)
    return query


def _check_dates_and_roles(
    problems: Problems, panel_id: int, person_id: int, merged: Mapping[str, Any], other_than: int | None = None
) -> None:
    """Record the problems of a membership as it would be: dates in order, no overlap for the person, one chair."""
    started, ended = merged.get("started_on"), merged.get("ended_on")
    if started is None:
        return
    if ended is not None and ended < started:
        problems.add("ended_on", "before_start")
        return
    overlapping = _overlapping(panel_id, started, ended, other_than)
    if overlapping.where(PanelMembership.person == person_id).exists():
        problems.add("started_on", "overlaps")
    role = merged.get("role")
    if role in SINGLE_ROLES and overlapping.where(PanelMembership.role == role).exists():
        problems.add("role", "role_taken")


def add_membership(actor: Actor, panel_id: int, person_id: int | None, values: Mapping[str, Any]) -> PanelMembership:
    """Put a resident on a panel, from ``values`` (see MEMBERSHIP_FIELDS; ``started_on`` is required). Staff only.

    Raises NotAllowed, NotFound("panel"), or Invalid listing every problem: ``person_id`` "not_panel_member" (not an
    active resident with the panel_member role); ``started_on`` "required", "invalid" or "overlaps" (they are
    already on the panel then); ``ended_on`` "before_start"; ``training_done_on``/``confidentiality_signed_on``
    "in_future"; ``role``/``papers_by`` "unsupported"; ``role`` "role_taken" (another chair or vice-chair then);
    texts "too_long".
    """
    require_staff(actor, "panel.membership_add")
    panel = get_panel(panel_id)
    with gather() as problems:
        if panel_member(person_id) is None:
            problems.add("person_id", "not_panel_member")
        checked = _check_membership(problems, {"role": PanelRole.MEMBER, "started_on": None, **values})
        if person_id:
            _check_dates_and_roles(problems, panel.id, person_id, checked)
    with transaction():
        Panel.update(updated_at=utcnow()).where(Panel.id == panel.id).execute()  # one change at a time per panel
        with gather() as problems:
            _check_dates_and_roles(problems, panel.id, person_id or 0, checked)
        membership = PanelMembership.create(panel=panel.id, person=person_id, **checked)
        after = {"person_id": person_id, **values_of(membership, MEMBERSHIP_FIELDS)}
        record_audit(actor, "panel.membership_added", "panel_membership", membership.id, field_changes(None, after))
        record_event("panels.membership_added", {"panel_id": panel.id, "membership_id": membership.id})
    return membership


def get_membership(membership_id: int) -> PanelMembership:
    membership = PanelMembership.get_or_none(PanelMembership.id == membership_id)
    if membership is None:
        raise NotFound("panel_membership", membership_id)
    return membership


def update_membership(actor: Actor, membership_id: int, values: Mapping[str, Any]) -> PanelMembership:
    """Change a membership: only the fields given change (ending one is :func:`end_membership`). Staff only.

    Raises NotAllowed, NotFound("panel_membership"), or Invalid as :func:`add_membership`. Returns it unchanged
    when nothing differs.
    """
    require_staff(actor, "panel.membership_update")
    membership = get_membership(membership_id)
    with gather() as problems:
        checked = _check_membership(problems, values)
        merged = {**values_of(membership, MEMBERSHIP_FIELDS), **checked}
        merged["started_on"] = checked.get("started_on", membership.started_on)
        merged["ended_on"] = checked.get("ended_on", membership.ended_on)
        if not problems.found:
            _check_dates_and_roles(
                problems,
                membership.panel_id,  # type: ignore[attr-defined]
                membership.person_id,  # type: ignore[attr-defined]
                merged,
                membership.id,
            )
    before = values_of(membership, MEMBERSHIP_FIELDS)
    for name, value in checked.items():
        setattr(membership, name, value)
    changes = field_changes(before, values_of(membership, MEMBERSHIP_FIELDS))
    if not changes:
        return get_membership(membership_id)
    with transaction():
        PanelMembership.update(**checked, updated_at=utcnow()).where(PanelMembership.id == membership.id).execute()
        record_audit(actor, "panel.membership_updated", "panel_membership", membership.id, changes)
        record_event(
            "panels.membership_updated",
            {"panel_id": membership.panel_id, "membership_id": membership.id},  # type: ignore[attr-defined]
        )
    return get_membership(membership_id)


def end_membership(actor: Actor, membership_id: int, ended_on: Any) -> PanelMembership:
    """End a membership on the UK day given (today or another). Staff only.

    Raises NotAllowed, NotFound("panel_membership"), Invalid (``ended_on`` "required", "invalid" or
    "before_start"), or Conflict("membership_ended") when it already ended.
    """
    require_staff(actor, "panel.membership_end")
    membership = get_membership(membership_id)
    with gather() as problems:
        ended = day(problems, "ended_on", ended_on, required=True)
        if ended is not None and ended < membership.started_on:
            problems.add("ended_on", "before_start")
    if membership.ended_on is not None:
        raise Conflict("membership_ended")
    with transaction():
        changed = (
            PanelMembership.update(ended_on=ended, updated_at=utcnow())
            .where(PanelMembership.id == membership.id, PanelMembership.ended_on.is_null())
            .execute()
        )
        if not changed:
            raise Conflict("membership_ended")
        changes = {"ended_on": {"before": None, "after": iso(ended)}}
        record_audit(actor, "panel.membership_ended", "panel_membership", membership.id, changes)
        record_event(
            "panels.membership_ended",
            {"panel_id": membership.panel_id, "membership_id": membership.id},  # type: ignore[attr-defined]
        )
    return get_membership(membership_id)
