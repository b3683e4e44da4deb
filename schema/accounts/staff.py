"""Staff accounts in the API (admins): invite, roles, team and line manager, and a leaver's handover."""

from __future__ import annotations

import strawberry

from backend.accounts import services, staff
from backend.complaints import handover
from backend.context import Role
from schema.access import ADMIN_ROLES
from schema.context import Context
from schema.engine.mutations import Mutations, Outcome, parse_id

mutations = Mutations()


@strawberry.input(description="A member of staff to invite: they choose their password from an emailed link.")
class PersonInviteInput:
    email: str = strawberry.field(description="The address they will sign in with; at most 254 characters.")
    display_name: str = strawberry.field(description="Their name, on one line; at most 120 characters.")
    roles: list[Role] = strawberry.field(description="Their staff roles: staff, manager or admin (at least one).")
    team: str | None = strawberry.field(
        default=None, description="The team residents are told handles their cases; at most 100 characters."
    )
    manager_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Person id of their line manager, who is told when their cases are at risk."
    )


@strawberry.input(description="The roles someone holds, replacing those they hold now.")
class PersonRolesSetInput:
    id: strawberry.ID = strawberry.field(description="The Person's id.")
    roles: list[Role] = strawberry.field(description="Every role they should hold (at least one).")


@strawberry.input(description="A member of staff's team and line manager; empty values clear them.")
class PersonTeamSetInput:
    id: strawberry.ID = strawberry.field(description="The Person's id; they must hold a staff role.")
    team: str | None = strawberry.field(
        default=None, description="The team residents are told handles their cases; at most 100 characters."
    )
    manager_id: strawberry.ID | None = strawberry.field(
        default=None, description="The Person id of their line manager: active staff, and not someone they manage."
    )


@strawberry.input(description="Someone who is leaving, and who takes over their work.")
class PersonDeactivateInput:
    id: strawberry.ID = strawberry.field(description="The Person id of the leaver.")
    successor_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The Person id of the active member of staff who takes over their open complaints, outstanding "
        "actions, remedies and the people they manage. Needed only when there is any.",
    )


HANDED_OVER = {
    "complaints_handed_over": (int, "How many active complaints went to the successor."),
    "actions_handed_over": (int, "How many outstanding actions and remedies went to the successor."),
}


@mutations.add("personInvite", roles=ADMIN_ROLES, payload="PersonInvited")
def invite(context: Context, data: PersonInviteInput) -> Outcome:
    """Create a staff account (admins); the person is emailed a link to choose their password."""
    manager_id = parse_id(data.manager_id, "user") if data.manager_id is not None else None
    user = staff.invite_staff(
        context.actor, data.email, data.display_name, [str(role) for role in data.roles], data.team, manager_id
    )
    return Outcome(user.id)


@mutations.add("personRolesSet", roles=ADMIN_ROLES, payload="PersonRolesSet")
def set_roles(context: Context, data: PersonRolesSetInput) -> Outcome:
    """Replace someone's roles (admins). An admin cannot remove their own admin role."""
    user = services.set_roles(context.actor, parse_id(data.id, "user"), [str(role) for role in data.roles])
    return Outcome(user.id)


@mutations.add("personTeamSet", roles=ADMIN_ROLES, payload="PersonTeamSet")
def set_team(context: Context, data: PersonTeamSetInput) -> Outcome:
    """Set a member of staff's team and line manager (admins)."""
    manager_id = parse_id(data.manager_id, "user") if data.manager_id is not None else None
    return Outcome(staff.set_team(context.actor, parse_id(data.id, "user"), data.team, manager_id).id)


@mutations.add("personDeactivate", roles=ADMIN_ROLES, payload="PersonDeactivated", extra=HANDED_OVER)
def deactivate(context: Context, data: PersonDeactivateInput) -> Outcome:
    """Close a leaver's account at once (admins): sessions end, tokens are revoked, and their work goes to the
    successor in the same step."""
    leaver_id = parse_id(data.id, "user")
    successor_id = parse_id(data.successor_id, "user") if data.successor_id is not None else None
    work = handover.hand_over_and_close(context.actor, leaver_id, successor_id)
    return Outcome(
        leaver_id,
        {
            "complaints_handed_over": len(work.complaints),
            "actions_handed_over": len(work.actions) + len(work.remedies),
        },
    )
