"""Which step of a complaint's journey can happen now, and who may take it: one table that decides.

Every service of the journey asks :func:`require_step` inside its transaction, the GraphQL field
``Complaint.availableSteps`` lists :func:`available_steps` for the viewer, and the resident's page, the
console and what the resident is told comes next all read that list. Nothing else decides.

A step the table does not allow now is ``Conflict(<code>)`` and changes nothing. A role that can never
take the step gets ``NotAllowed``. A complaint the actor may not see is ``NotFound``, as for one that is
not there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from backend.complaints import restricted
from backend.complaints.clocks import is_at_risk
from backend.complaints.models import ACTIVE_STATUSES, Clock, Complaint, ComplaintStage, Regime, ResponseDraft
from backend.complaints.policies import HANDLER_ROLES, can_act_for, can_view_case
from backend.context import Actor
from backend.errors import Conflict, NotAllowed, NotFound
from backend.i18n import N_
from backend.timeutil import local_date

# Who a step is open to. Staff roles act for the resident too; an advocate only with the resident's consent.
RESIDENT_SIDE = frozenset({"resident", "advocate", *HANDLER_ROLES})
STAFF = frozenset(HANDLER_ROLES)
# Who signs off a final response where the procedure wants it (the SPSO's): a manager or an admin.
MANAGERS = frozenset({"manager", "admin"})


@dataclass(frozen=True)
class State:
    """What the table looks at: everything about the complaint that opens or closes a step."""

    status: str
    stage: int
    # The regime's last stage: its answer closes the complaint, and the way on is the Ombudsman.
    final: bool
    respond_running: bool
    answered: bool
    referred: bool
    determined: bool
    # The current stage's answer will be late: it was extended, or a clock of the stage is at risk or breached.
    late: bool = False
    # The procedure lets complex complaints go straight to investigation (the SPSO's model procedure).
    direct_investigation: bool = False
    # A final response written by the handler waits for a manager's sign-off.
    awaiting_sign_off: bool = False


@dataclass(frozen=True)
class Need:
    """One condition of a step, and the Conflict code given when it does not hold."""

    holds: Callable[[State], bool]
    code: str


@dataclass(frozen=True)
class Rule:
    step: str
    label: str
    who: frozenset[str]
    needs: tuple[Need, ...]


ACTIVE = Need(lambda s: s.status in ACTIVE_STATUSES, "closed")
NOT_WITHDRAWN = Need(lambda s: s.status != "withdrawn", "withdrawn")

RULES: tuple[Rule, ...] = (
    Rule(
        "acknowledge",
        N_("Acknowledge the complaint"),
        STAFF,
        (ACTIVE, Need(lambda s: s.status == "received", "already_acknowledged")),
    ),
    Rule("assign", N_("Assign a case handler"), STAFF, (ACTIVE,)),
    Rule("offer_mediation", N_("Offer mediation"), STAFF, (ACTIVE,)),
    Rule(
        "extend",
        N_("Extend the response deadline"),
        STAFF,
        (ACTIVE, Need(lambda s: s.respond_running, "no_running_clock")),
    ),
    Rule(
        "respond",
        N_("Respond to the complaint"),
        STAFF,
        (
            ACTIVE,
            Need(lambda s: s.status != "responded", "already_responded"),
            # A stage answers the points defined when it was acknowledged, so it is acknowledged (defined)
            # first, even where the regime sets no acknowledgement deadline (the SPSO's frontline stage).
            Need(lambda s: s.status == "open", "not_acknowledged"),
            # A response waiting for a manager's sign-off is the stage's answer until it is signed off or returned.
            Need(lambda s: not s.awaiting_sign_off, "awaiting_sign_off"),
        ),
    ),
    Rule(
        "investigate",
        N_("Move to stage 2 (investigation)"),
        STAFF,
        (
            # The SPSO's model procedure: complex complaints go straight to investigation, and a frontline
            # complaint that cannot be resolved moves there without waiting for a frontline answer.
            ACTIVE,
            Need(lambda s: s.direct_investigation, "not_in_procedure"),
            Need(lambda s: s.stage == 1 and s.status in ("received", "open"), "not_frontline"),
            Need(lambda s: not s.awaiting_sign_off, "awaiting_sign_off"),
        ),
    ),
    Rule(
        "sign_off",
        N_("Sign off the final response"),
        MANAGERS,
        (ACTIVE, Need(lambda s: s.awaiting_sign_off, "nothing_to_sign_off")),
    ),
    Rule(
        "escalate",
        N_("Take the complaint to the next stage"),
        RESIDENT_SIDE,
        (
            # The Code (6.10-6.11): after an earlier stage's answer the resident may ask for the next stage,
            # even when staff have since closed the complaint; nothing follows the final stage but the Ombudsman.
            Need(lambda s: s.status in ACTIVE_STATUSES or (s.status == "closed" and not s.final), "closed"),
            Need(lambda s: not s.final, "final_stage"),
            Need(lambda s: s.status in ("responded", "closed"), "not_responded"),
        ),
    ),
    Rule(
        "refuse_escalation",
        N_("Refuse to take the complaint to the next stage"),
        STAFF,
        (
            # The Code (5.11): only on a valid ground of exclusion, the same request the resident could make.
            Need(lambda s: s.status in ("responded", "closed"), "not_responded"),
            Need(lambda s: not s.final, "final_stage"),
        ),
    ),
    Rule(
        "refuse",
        N_("Do not take the complaint forward"),
        STAFF,
        (ACTIVE, Need(lambda s: s.status != "responded", "already_responded")),
    ),
    Rule("withdraw", N_("Withdraw the complaint"), RESIDENT_SIDE, (ACTIVE,)),
    Rule(
        "close",
        N_("Close the complaint"),
        STAFF,
        (ACTIVE, Need(lambda s: s.status == "responded", "not_responded")),
    ),
    Rule(
        "refer",
        N_("Record a referral to the Ombudsman"),
        STAFF,
        (NOT_WITHDRAWN, Need(lambda s: not s.referred, "already_referred")),
    ),
    Rule(
        "record_determination",
        N_("Record the Ombudsman's determination"),
        STAFF,
        (Need(lambda s: s.referred, "not_referred"), Need(lambda s: not s.determined, "already_determined")),
    ),
    # The Ombudsman's orders are followed through like remedies: each with its due date and evidence.
    Rule("record_order", N_("Record an Ombudsman order"), STAFF, (Need(lambda s: s.referred, "not_referred"),)),
    Rule(
        "record_compliance",
        N_("Record that an Ombudsman order was complied with"),
        STAFF,
        (Need(lambda s: s.referred, "not_referred"),),
    ),
    Rule("add_information", N_("Add more information"), RESIDENT_SIDE, (ACTIVE,)),
    # Staff's own record (call notes, internal correspondence) goes on whatever happens to the complaint.
    Rule("add_note", N_("Add an internal note"), STAFF, ()),
    # Outstanding actions and remedies go on after the answer, so updates may follow a closed complaint.
    Rule("send_update", N_("Send the resident an update"), STAFF, (NOT_WITHDRAWN,)),
    # Remedies and actions promised in an answer are followed through, whatever happened to the complaint since.
    Rule("complete_remedy", N_("Mark a remedy as done"), STAFF, (Need(lambda s: s.answered, "not_responded"),)),
    Rule("complete_action", N_("Mark an action as done"), STAFF, (Need(lambda s: s.answered, "not_responded"),)),
    # The Code (5.7): before the answer, say which points are not the landlord's and where the resident was sent.
    Rule(
        "record_scope",
        N_("Say which points are not ours to put right"),
        STAFF,
        (
            ACTIVE,
            Need(lambda s: s.status != "responded", "already_responded"),
            Need(lambda s: s.status == "open", "not_acknowledged"),
        ),
    ),
    # The Code (5.9): when an answer will be late, agree with the resident how often they will hear from us.
    Rule(
        "agree_updates",
        N_("Agree how often to update the resident"),
        STAFF,
        (
            ACTIVE,
            Need(lambda s: s.status in ("received", "open"), "already_responded"),
            Need(lambda s: s.late, "not_late"),
        ),
    ),
    Rule(
        "merge",
        N_("Merge a contact into this complaint"),
        STAFF,
        (
            # The Code (6.8): a related issue joins a stage only before that stage's answer; otherwise it is a new
            # complaint (at stage 2 too: the stage-2 investigation has not answered yet, so the issue can join it).
            ACTIVE,
            Need(lambda s: s.status in ("received", "open"), "not_mergeable"),
        ),
    ),
)
RULE_FOR = {rule.step: rule for rule in RULES}
STEPS = tuple(RULE_FOR)
# What a resident (or their advocate) can ever do; everything else is for staff.
RESIDENT_STEPS = tuple(rule.step for rule in RULES if "resident" in rule.who)


def state_of(complaint: Complaint) -> State:
    """Read what the table needs about the complaint as it is stored now."""
    regime = Regime.get_by_id(complaint.regime_id)  # type: ignore[attr-defined]
    running = {
        clock.kind
        for clock in Clock.select(Clock.kind).where(
            Clock.complaint == complaint.id, Clock.stage == complaint.stage, Clock.status == "running"
        )
    }
    clocks_now = list(
        Clock.select(Clock.status, Clock.due_on, Clock.breached, Clock.at_risk_notified_at).where(
            Clock.complaint == complaint.id, Clock.stage == complaint.stage, Clock.status == "running"
        )
    )
    extended = (
        ComplaintStage.select()
        .where(
            ComplaintStage.complaint == complaint.id,
            ComplaintStage.number == complaint.stage,
            ComplaintStage.extended_days > 0,
        )
        .exists()
    )
    today = local_date()
    late = extended or any(
        clock.breached
        or clock.at_risk_notified_at is not None
        or today > clock.due_on
        or is_at_risk(clock, today, complaint.nation)
        for clock in clocks_now
    )
    answered = (
        ComplaintStage.select()
        .where(ComplaintStage.complaint == complaint.id, ComplaintStage.responded_at.is_null(False))
        .exists()
    )
    return State(
        status=complaint.status,
        stage=complaint.stage,
        final=complaint.stage >= regime.max_stages,
        respond_running="respond" in running,
        answered=answered,
        referred=complaint.ombudsman_referred_at is not None,
        determined=complaint.ombudsman_determination is not None,
        late=late,
        direct_investigation=bool(regime.direct_investigation),
        awaiting_sign_off=ResponseDraft.select()
        .where(
            ResponseDraft.complaint == complaint.id,
            ResponseDraft.stage == complaint.stage,
            ResponseDraft.status == "awaiting",
        )
        .exists(),
    )


def _rule(step: str) -> Rule:
    rule = RULE_FOR.get(step)
    if rule is None:
        raise ValueError(f"no such step: {step}")
    return rule


def may_ever(actor: Actor, step: str) -> bool:
    """Whether the actor's role can take this step on some complaint (a read-only token never can)."""
    return actor.can_write and actor.has_role(*_rule(step).who)


def require_role(actor: Actor, step: str) -> None:
    """Raise NotAllowed when the actor's role can never take the step, before anything is read."""
    if not may_ever(actor, step):
        raise NotAllowed(f"complaint.{step}")


def _acts_for(actor: Actor, complaint: Complaint, rule: Rule) -> bool:
    """Whether the actor may take one of the rule's steps on this complaint (role and relationship)."""
    if not actor.can_write:
        return False
    if actor.has_role(*(rule.who & STAFF)):
        return True
    return can_act_for(actor, complaint.resident_id)  # type: ignore[attr-defined]


def require_step(actor: Actor, complaint: Complaint, step: str, state: State | None = None) -> None:
    """Check that the table lets the actor take ``step`` on the complaint now.

    Raises NotAllowed for a role that can never take it (or may see the case but not act on it),
    NotFound when the actor may not see the complaint, and Conflict(<code>) when the complaint's state
    does not allow the step now.
    """
    rule = _rule(step)
    require_role(actor, step)
    if not actor.has_role(*STAFF):
        if not can_view_case(actor, complaint.resident_id):  # type: ignore[attr-defined]
            raise NotFound("complaint", complaint.id)
        if not _acts_for(actor, complaint, rule):
            raise NotAllowed(f"complaint.{step}")
    elif not restricted.may_see_complaint(actor, complaint):
        # A complaint that names them, or a need-to-know case they are not on the list for: not there.
        raise NotFound("complaint", complaint.id)
    state = state or state_of(complaint)
    for need in rule.needs:
        if not need.holds(state):
            raise Conflict(need.code, status=state.status)


def available_steps(actor: Actor, complaint: Complaint) -> list[Rule]:
    """The steps the actor may take on the complaint now, in the table's order (none for a read-only token)."""
    if not actor.can_write or not restricted.may_see_complaint(actor, complaint):
        return []
    state = state_of(complaint)
    found = []
    for rule in RULES:
        if not actor.has_role(*rule.who) or not _acts_for(actor, complaint, rule):
            continue
        if all(need.holds(state) for need in rule.needs):
            found.append(rule)
    return found


def resident_steps(complaint: Complaint) -> list[str]:
    """The steps open to the resident (and a consenting advocate) now: what they are told they can do."""
    state = state_of(complaint)
    return [rule.step for rule in RULES if "resident" in rule.who and all(need.holds(state) for need in rule.needs)]
