"""Scrutiny panels in the API: panels, the staff who support them and residents' memberships, with the mutations
that manage them (staff), and the panel's make-up beside all residents.

A panel member sees only their own current panels (OWN_PANEL) and the memberships of those panels, where each
member is shown by display name only; never the staff who support the panel, nor the senior lead.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from backend.accounts.models import User
from backend.errors import NotFound
from backend.panels import makeup, panels
from backend.panels.models import Panel, PanelMembership, PanelSupport
from schema.access import STAFF_ACCESS
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Access, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id
from schema.panels.access import OWN_PANEL

mutations = Mutations()
#: What an update input says of a field it leaves out.
KEPT = "Kept as it is when not given."


def display_name_of(key: str) -> Any:
    """SQL: the display name of the person a row's ``key`` names."""
    return lambda alias: User.select(User.display_name).where(User.id == getattr(alias, key))


PANEL = Resource(
    name="Panel",
    plural="panels",
    model=Panel,
    description="A residents' scrutiny panel: its terms of reference, how it signs off, and its members and reviews.",
    members=[
        Column("name", "Its name."),
        Column("terms_of_reference", "Its terms of reference."),
        Column("sign_off_rule", "Who signs off its reports: chair, chair_or_vice or quorum."),
        Column("quorum", "How many members make a quorum for a sign-off by quorum."),
        Column("response_working_days", "Working days the landlord has to respond to a recommendation."),
        Column("approval_body", "Who approves the landlord's responses: executive, committee or board."),
        ToOne("senior_lead", "The senior lead told of late evidence (staff only)."),
        Column("reward_rule", "The reward for taking part, in words."),
        Column("reward_pence", "The reward per completed review, in pence. Null: none."),
        Column("follow_up_months", "Months after the landlord's response that a follow-up review is due."),
        Column("created_at", "When it was recorded."),
        Column("archived_at", "When it stopped meeting. Null: active."),
        Column("updated_at", "When it last changed."),
        ToMany("memberships", "Its members, past and present.", target="PanelMembership"),
        ToMany("support", "The staff who support it (staff only).", target="PanelSupport"),
        ToMany("reviews", "Its reviews, current and past.", target="ScrutinyReview"),
        ToMany("work_programme", "The topics on its work programme.", target="WorkProgrammeItem"),
    ],
    access={
        **STAFF_ACCESS,
        "panel_member": Access(
            (
                "name",
                "termsOfReference",
                "signOffRule",
                "quorum",
                "responseWorkingDays",
                "approvalBody",
                "rewardRule",
                "rewardPence",
                "followUpMonths",
                "createdAt",
                "archivedAt",
                "updatedAt",
                "memberships",
                "reviews",
                "workProgramme",
            ),
            where=OWN_PANEL,
        ),
    },
    search=("name",),
    default_order=("name", "id"),
)
PANEL_SUPPORT = Resource(
    name="PanelSupport",
    plural="panelSupports",
    model=PanelSupport,
    description="A member of staff who supports a panel. Staff only: members never see staff names.",
    members=[
        ToOne("panel", "The panel."),
        ToOne("person", "The member of staff."),
        Column("duty", "What they do for the panel."),
        Column("created_at", "When it was recorded."),
    ],
    access=STAFF_ACCESS,
    default_order=("id",),
)
MEMBERSHIP = Resource(
    name="PanelMembership",
    plural="panelMemberships",
    model=PanelMembership,
    description="A resident's time on a panel. Members of the panel see each other's names, roles and dates only.",
    members=[
        ToOne("panel", "The panel."),
        ToOne("person", "The resident (staff only)."),
        Computed("member_name", "The member's display name.", kind="string", sql=display_name_of("person")),
        Column("role", "member, chair or vice_chair."),
        Column("started_on", "The UK day they joined."),
        Column("ended_on", "The UK day they left. Null: a current member."),
        Column("training_done_on", "When they finished the induction training. Null: not yet."),
        Column("training_note", "What training they did."),
        Column("confidentiality_signed_on", "When they signed the confidentiality agreement. Null: not signed."),
        Column("conflicts", "Interests they declared. Empty: none."),
        Column("rewards_opt_out", "They asked not to receive rewards."),
        Column("papers_by", "How they receive meeting papers: email, post or large_print."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
    ],
    access={
        **STAFF_ACCESS,
        "panel_member": Access(
            ("panel", "memberName", "role", "startedOn", "endedOn"),
            where={"panel": OWN_PANEL},
        ),
    },
    default_order=("startedOn", "id"),
)

RESOURCES = [PANEL, PANEL_SUPPORT, MEMBERSHIP]


def given(data: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The input's fields that were given (not UNSET), by name."""
    return {name: getattr(data, name) for name in names if getattr(data, name) is not strawberry.UNSET}


SIGN_OFF = "Who signs off its reports: chair, chair_or_vice or quorum."
APPROVAL = "Who approves the landlord's responses: executive, committee or board."


@strawberry.input(description="A new panel. Only the name is required.")
class PanelCreateInput:
    name: str = strawberry.field(description="Its name, unique, up to 120 characters on one line.")
    terms_of_reference: str = strawberry.field(default="", description="Up to 10,000 characters.")
    sign_off_rule: str = strawberry.field(default="chair", description=SIGN_OFF)
    quorum: int = strawberry.field(default=3, description="From 1 to 50.")
    response_working_days: int = strawberry.field(default=40, description="From 1 to 250.")
    approval_body: str = strawberry.field(default="executive", description=APPROVAL)
    senior_lead_id: strawberry.ID | None = strawberry.field(default=None, description="An active member of staff.")
    reward_rule: str = strawberry.field(default="", description="Up to 2,000 characters.")
    reward_pence: int | None = strawberry.field(default=None, description="From 0 to 100,000. Null: none.")
    follow_up_months: int = strawberry.field(default=6, description="From 6 to 12.")


@strawberry.input(description="Change a panel: only the fields given change.")
class PanelUpdateInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    name: str | None = strawberry.field(default=strawberry.UNSET, description="Unique, up to 120 characters.")
    terms_of_reference: str | None = strawberry.field(default=strawberry.UNSET, description="Up to 10,000.")
    sign_off_rule: str | None = strawberry.field(default=strawberry.UNSET, description=SIGN_OFF)
    quorum: int | None = strawberry.field(default=strawberry.UNSET, description="From 1 to 50.")
    response_working_days: int | None = strawberry.field(default=strawberry.UNSET, description="From 1 to 250.")
    approval_body: str | None = strawberry.field(default=strawberry.UNSET, description=APPROVAL)
    senior_lead_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="An active member of staff; null: none."
    )
    reward_rule: str | None = strawberry.field(default=strawberry.UNSET, description="Up to 2,000 characters.")
    reward_pence: int | None = strawberry.field(default=strawberry.UNSET, description="From 0 to 100,000; null.")
    follow_up_months: int | None = strawberry.field(default=strawberry.UNSET, description="From 6 to 12.")


PANEL_NAMES = (
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


def _panel_values(data: Any) -> dict[str, Any]:
    values = given(data, PANEL_NAMES)
    if values.get("senior_lead_id") is not None:
        values["senior_lead_id"] = reference_id(values["senior_lead_id"])
    return values


@mutations.add("panelCreate", roles=STAFF, payload="PanelCreated")
def create(context: Context, data: PanelCreateInput) -> Outcome:
    """Create a scrutiny panel (staff)."""
    return Outcome(panels.create_panel(context.actor, _panel_values(data)).id)


@mutations.add("panelUpdate", roles=STAFF, payload="PanelUpdated")
def update(context: Context, data: PanelUpdateInput) -> Outcome:
    """Change a panel's terms of reference, sign-off rule, quorum, response time, approval body, senior lead,
    reward rule or follow-up months (staff); what is not given is kept."""
    panel_id = parse_id(data.id, "panel")
    return Outcome(panels.update_panel(context.actor, panel_id, _panel_values(data)).id)


@strawberry.input(description="A member of staff to support a panel.")
class PanelSupportAddInput:
    panel_id: strawberry.ID = strawberry.field(description="The panel.")
    person_id: strawberry.ID = strawberry.field(description="An active member of staff.")
    duty: str = strawberry.field(default="", description="What they do for the panel, up to 100 characters.")


@strawberry.input(description="A member of staff who no longer supports a panel.")
class PanelSupportEndInput:
    panel_id: strawberry.ID = strawberry.field(description="The panel.")
    id: strawberry.ID = strawberry.field(description="The support record.")


@mutations.add("panelSupportAdd", roles=STAFF, payload="PanelSupportAdded")
def add_support(context: Context, data: PanelSupportAddInput) -> Outcome:
    """Add a member of staff to those who support a panel (staff)."""
    support = panels.add_support(
        context.actor, parse_id(data.panel_id, "panel"), reference_id(data.person_id), data.duty
    )
    return Outcome(support.id)


@mutations.add("panelSupportEnd", roles=STAFF, payload="PanelSupportEnded", resource="Panel")
def end_support(context: Context, data: PanelSupportEndInput) -> Outcome:
    """Take a member of staff off those who support a panel (staff); the payload holds the panel."""
    panel = panels.end_support(context.actor, parse_id(data.panel_id, "panel"), parse_id(data.id, "panel_support"))
    return Outcome(panel.id)


MEMBERSHIP_NAMES = (
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


@strawberry.input(description="A resident with the panel_member role joining a panel.")
class PanelMembershipAddInput:
    panel_id: strawberry.ID = strawberry.field(description="The panel.")
    person_id: strawberry.ID = strawberry.field(description="An active resident with the panel_member role.")
    started_on: dt.date = strawberry.field(description="The UK day they join.")
    role: str = strawberry.field(default="member", description="member, chair or vice_chair (one of each at a time).")
    ended_on: dt.date | None = strawberry.field(default=None, description="The UK day they leave; null: open.")
    training_done_on: dt.date | None = strawberry.field(default=None, description="Not in the future.")
    training_note: str = strawberry.field(default="", description="Up to 10,000 characters.")
    confidentiality_signed_on: dt.date | None = strawberry.field(default=None, description="Not in the future.")
    conflicts: str = strawberry.field(default="", description="Interests declared, up to 10,000 characters.")
    rewards_opt_out: bool = strawberry.field(default=False, description="True: they asked not to receive rewards.")
    papers_by: str = strawberry.field(default="email", description="email, post or large_print.")


@strawberry.input(description="Change a membership: only the fields given change.")
class PanelMembershipUpdateInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    role: str | None = strawberry.field(default=strawberry.UNSET, description="member, chair or vice_chair.")
    started_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    training_done_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description="Null clears it.")
    training_note: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    confidentiality_signed_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description="Null clears.")
    conflicts: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    rewards_opt_out: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Kept as it is when not given."
    )
    papers_by: str | None = strawberry.field(default=strawberry.UNSET, description="email, post or large_print.")


@strawberry.input(description="End a membership.")
class PanelMembershipEndInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    ended_on: dt.date = strawberry.field(description="The UK day they left, not before they joined.")


@mutations.add("panelMembershipAdd", roles=STAFF, payload="PanelMembershipAdded")
def add_membership(context: Context, data: PanelMembershipAddInput) -> Outcome:
    """Put a resident with the panel_member role on a panel (staff): one chair and one vice-chair at a time."""
    values = given(data, MEMBERSHIP_NAMES)
    membership = panels.add_membership(
        context.actor, parse_id(data.panel_id, "panel"), reference_id(data.person_id), values
    )
    return Outcome(membership.id)


@mutations.add("panelMembershipUpdate", roles=STAFF, payload="PanelMembershipUpdated")
def update_membership(context: Context, data: PanelMembershipUpdateInput) -> Outcome:
    """Change a membership's role, dates, training, confidentiality, conflicts, rewards choice or papers (staff)."""
    values = given(data, tuple(name for name in MEMBERSHIP_NAMES if name != "ended_on"))
    for name in ("role", "started_on", "training_note", "conflicts", "papers_by", "rewards_opt_out"):
        if name in values and values[name] is None:
            values.pop(name)  # null keeps what these have: they can't be cleared
    membership = panels.update_membership(context.actor, parse_id(data.id, "panel_membership"), values)
    return Outcome(membership.id)


@mutations.add("panelMembershipEnd", roles=STAFF, payload="PanelMembershipEnded")
def end_membership(context: Context, data: PanelMembershipEndInput) -> Outcome:
    """End a membership on the day given (staff)."""
    return Outcome(panels.end_membership(context.actor, parse_id(data.id, "panel_membership"), data.ended_on).id)


@strawberry.type(description="One group of a dimension of a panel's make-up; null where a small number is hidden.")
class PanelMakeupGroup:
    group: str = strawberry.field(description="The group's code, e.g. age_25_34, rented, LS6, cy or not_recorded.")
    panel: int | None = strawberry.field(description="The panel's current members in it.")
    panel_share: int | None = strawberry.field(description="Their share of the panel, in percent.")
    residents: int | None = strawberry.field(description="All active residents in it.")
    residents_share: int | None = strawberry.field(description="Their share of all residents, in percent.")


@strawberry.type(description="A panel's make-up by one dimension, beside all residents.")
class PanelMakeupDimension:
    dimension: str = strawberry.field(description="age_band, tenure, area, language or disability.")
    panel_total: int | None = strawberry.field(description="The panel's current members; null when hidden.")
    residents_total: int | None = strawberry.field(description="All active residents; null when hidden.")
    groups: list[PanelMakeupGroup] = strawberry.field(description="Its groups, in order of their codes.")


@only_for(STAFF)
@strawberry.type
class PanelsQuery:
    @strawberry.field(
        description="A panel's current members beside all active residents by age band, tenure, area (postcode "
        "district), language and disability (equality answers given with consent only), small numbers hidden. "
        "Staff only. Empty for a panel that is not there."
    )
    def panel_makeup(
        self,
        info: Info[Context, None],
        panel_id: Annotated[strawberry.ID, strawberry.argument(description="The panel.")],
    ) -> list[PanelMakeupDimension]:
        try:
            figures = makeup.panel_makeup(info.context.actor, parse_id(panel_id, "panel"))
        except NotFound:
            return []
        return [
            PanelMakeupDimension(
                dimension=d.dimension,
                panel_total=d.panel_total,
                residents_total=d.residents_total,
                groups=[
                    PanelMakeupGroup(
                        group=g.group,
                        panel=g.panel,
                        panel_share=g.panel_share,
                        residents=g.residents,
                        residents_share=g.residents_share,
                    )
                    for g in d.groups
                ],
            )
            for d in figures
        ]


QUERIES = [PanelsQuery]
