"""The evidence the system's own data gives for a self-assessment's rows: one function per figure, over a period.

:data:`EVIDENCE` maps a row (its checklist and number: ``("code", "6.2")``, ``("learning", "8")``) to a
:class:`Source`: what the figure is, in English for the API's readers, and the function that counts it. Every figure
is a SQL aggregate over the assessment's period (UK days; stored times are UTC, bounded by ``Period.start`` and
``Period.end``) and says where in the console it is shown. The figures count every case, hidden ones too, as the
monthly QA does: they are the organisation's, and name nobody. docs/reports.md defines each.

On time is judged as the regulator's measures judge it, on the statutory calendar (``backend.reports.annual``):
acknowledged within 5 working days of the stage opening (6.2, 6.11), and responded to within the Code's timescales
in force when the complaint was received, with an extension only when it was told in time with the Ombudsman's
details (6.3, 6.14, as TSM CH02), for complaints about homes in England, which the Code governs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from peewee import JOIN, Case, fn

from backend.accounts.models import User
from backend.cocreation.models import Change, ChangeContact, ChangeNotice, Digest, DigestStatus, NoticeKind
from backend.complaints.models import (
    Complaint,
    ComplaintStage,
    ComplaintStatus,
    Contact,
    ContactKind,
    NamedRole,
    OmbudsmanOrder,
    OutstandingAction,
    Remedy,
    RoleDesignation,
)
from backend.complaints.regimes import published_procedure
from backend.config import current
from backend.lessons import qa
from backend.lessons.models import (
    ActionStatus,
    ActionType,
    AgendaItem,
    Bulletin,
    ImprovementAction,
    Lesson,
    Meeting,
    MeetingKind,
    StaffBriefing,
)
from backend.reports import annual
from backend.reports.models import Checklist, SectorEvent, SectorEventAttendee, SectorEventKind
from backend.reports.periods import Period

SHARE, COUNT, PRESENT, NONE = "share", "count", "present", "none"
#: The nation whose procedure the public "how to complain" page is checked for: the Code is England's.
CODE_NATION = "england"
SECTOR_PAGE = "/console/reports/self-assessment/sector-learning"


@dataclass(frozen=True)
class Figure:
    """A figure: ``met`` of ``due`` (a share), ``met`` alone (a count, or 1/0 for present), or nothing yet."""

    code: str
    kind: str
    met: int | None
    due: int | None
    link: str

    def as_json(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def percent(self) -> float | None:
        """A share as a percentage; None for other kinds, or when nothing was due."""
        if self.kind != SHARE or not self.due:
            return None
        return 100.0 * (self.met or 0) / self.due


@dataclass(frozen=True)
class Source:
    """What a figure shows, in English, and the function that counts it over a period."""

    code: str
    description: str
    compute: Callable[[Period], Figure]


def _share(query: Any, condition: Any) -> tuple[int, int]:
    """How many rows of ``query`` meet ``condition``, and how many rows there are, in one statement."""
    row = query.select(
        fn.COUNT(fn.DISTINCT(query.model._meta.primary_key)),
        fn.COALESCE(fn.SUM(Case(None, [(condition, 1)], 0)), 0),
    ).tuples()
    due, met = row.get()
    return int(met), int(due)


# --- Complaint stages ----------------------------------------------------------------------------------------------


def acknowledged_in_time(number: int, code: str) -> Callable[[Period], Figure]:
    """Stages acknowledged in the period, and those acknowledged in time (Code 6.2, 6.11)."""

    def compute(period: Period) -> Figure:
        share = annual.acknowledged_on_time(period, number)
        return Figure(code, SHARE, share.numerator, share.denominator, "/console/reports/annual")

    return compute


def responded_in_time(number: int, code: str) -> Callable[[Period], Figure]:
    """Stages responded to in the period, and those responded to in time (Code 6.3, 6.14)."""

    def compute(period: Period) -> Figure:
        share = annual.response_times(period, number).in_time
        link = f"/console/reports/tsm/complaints?period={period.code}&list=late&stage={number}"
        return Figure(code, SHARE, share.numerator, share.denominator, link)

    return compute


def extensions_with_ombudsman(number: int, code: str) -> Callable[[Period], Figure]:
    """Extensions told to residents in the period, and those told with the Ombudsman's details (Code 6.5, 6.16)."""

    def compute(period: Period) -> Figure:
        query = ComplaintStage.select().where(
            ComplaintStage.number == number,
            ComplaintStage.extended_days > 0,
            ComplaintStage.extension_told_on >= period.first,
            ComplaintStage.extension_told_on <= period.last,
        )
        met, due = _share(query, ComplaintStage.extension_ombudsman_details_given == True)  # noqa: E712
        return Figure(code, SHARE, met, due, "/console/complaints")

    return compute


def stage_two_by_someone_else(period: Period) -> Figure:
    """Stage 2 responses in the period, and those whose handler was not stage 1's (Code 6.13)."""
    first = ComplaintStage.alias()
    query = (
        ComplaintStage.select()
        .join(
            first,
            JOIN.LEFT_OUTER,
            on=(first.complaint == ComplaintStage.complaint) & (first.number == 1),
        )
        .where(
            ComplaintStage.number == 2,
            ComplaintStage.responded_at >= period.start,
            ComplaintStage.responded_at < period.end,
        )
    )
    other = ComplaintStage.handler.is_null(False) & (
        first.handler.is_null() | (first.handler != ComplaintStage.handler)
    )
    met, due = _share(query, other)
    return Figure("stage2_other_handler", SHARE, met, due, "/console/complaints")


def refusals_with_reasons(stage: int | None, code: str) -> Callable[[Period], Figure]:
    """Complaints refused in the period (at ``stage``, or any), and those with a ground and reasons (Code 2.1, 5.11)."""

    def compute(period: Period) -> Figure:
        query = Complaint.select().where(
            Complaint.status == ComplaintStatus.REFUSED.value,
            Complaint.refused_at >= period.start,
            Complaint.refused_at < period.end,
        )
        if stage is not None:
            query = query.where(Complaint.stage == stage)
        reasoned = Complaint.refusal_ground.is_null(False) & (fn.TRIM(fn.COALESCE(Complaint.refusal_reasons, "")) != "")
        met, due = _share(query, reasoned)
        return Figure(code, SHARE, met, due, "/console/complaints")

    return compute


def complaint_channels(period: Period) -> Figure:
    """How many different channels complaints received in the period came through (Code 3.1)."""
    count = (
        Contact.select(fn.COUNT(fn.DISTINCT(Contact.channel)))
        .join(Complaint, on=(Complaint.contact == Contact.id))
        .where(Contact.received_at >= period.start, Contact.received_at < period.end)
        .scalar()
    )
    return Figure("complaint_channels", COUNT, int(count or 0), None, "/console/complaints")


def service_requests(period: Period) -> Figure:
    """Service requests received in the period, recorded as such (Code 1.4)."""
    count = (
        Contact.select()
        .where(
            Contact.kind == ContactKind.SERVICE_REQUEST.value,
            Contact.received_at >= period.start,
            Contact.received_at < period.end,
        )
        .count()
    )
    return Figure("service_requests", COUNT, count, None, "/console/service-requests")


def how_to_complain(with_policy: bool, code: str) -> Callable[[Period], Figure]:
    """Whether the public "how to complain" page is published from England's procedure (and links the policy)."""

    def compute(period: Period) -> Figure:
        published = published_procedure(CODE_NATION) is not None
        if with_policy:
            published = published and bool(current().complaints_policy_url)
        return Figure(code, PRESENT, int(published), None, "/how-to-complain")

    return compute


def named_role(role: str, code: str) -> Callable[[Period], Figure]:
    """People named to a complaints role on the period's last day (Code 4.1, 9.4, 9.5)."""

    def compute(period: Period) -> Figure:
        count = (
            RoleDesignation.select()
            .join(User, on=(User.id == RoleDesignation.person))
            .where(
                RoleDesignation.role == role,
                RoleDesignation.starts_on <= period.last,
                RoleDesignation.ends_on.is_null() | (RoleDesignation.ends_on >= period.last),
            )
            .count()
        )
        return Figure(code, COUNT, count, None, "/console/roles")

    return compute


def _due_and_done(model: Any, code: str, link: str, done: Any) -> Callable[[Period], Figure]:
    def compute(period: Period) -> Figure:
        query = model.select().where(model.due_on >= period.first, model.due_on <= period.last)
        met, due = _share(query, done)
        return Figure(code, SHARE, met, due, link)

    return compute


def orders_complied(period: Period) -> Figure:
    """Ombudsman orders due in the period, and those complied with by their due date (Code 9.7)."""
    query = OmbudsmanOrder.select().where(OmbudsmanOrder.due_on >= period.first, OmbudsmanOrder.due_on <= period.last)
    done = OmbudsmanOrder.complied_on.is_null(False) & (OmbudsmanOrder.complied_on <= OmbudsmanOrder.due_on)
    met, due = _share(query, done)
    return Figure("orders_complied", SHARE, met, due, "/console/complaints")


# --- Learning ------------------------------------------------------------------------------------------------------


def _as_month(period: Period) -> qa.Month:
    return qa.Month(period.first, period.last, period.start, period.end)


def upheld_with_lesson(period: Period) -> Figure:
    """Upheld complaints given their final answer in the period, and those with a lesson or a recorded decision."""
    query = qa.complaints_due(_as_month(period))
    met, due = _share(Complaint.select().where(Complaint.id.in_(query)), qa.complaint_transferred())
    return Figure("upheld_with_lesson", SHARE, met, due, "/console/lessons/upheld")


def _count(code: str, link: str, query: Callable[[Period], Any]) -> Callable[[Period], Figure]:
    def compute(period: Period) -> Figure:
        return Figure(code, COUNT, query(period).count(), None, link)

    return compute


def _lessons_identified(period: Period) -> Any:
    return Lesson.select().where(Lesson.identified_on >= period.first, Lesson.identified_on <= period.last)


def _actions_authorised(period: Period) -> Any:
    return ImprovementAction.select().where(
        ImprovementAction.authorised_at >= period.start, ImprovementAction.authorised_at < period.end
    )


def _actions_of_types(*types: str) -> Callable[[Period], Any]:
    def query(period: Period) -> Any:
        return ImprovementAction.select().where(
            ImprovementAction.action_type.in_(list(types)),
            ImprovementAction.status != ActionStatus.CANCELLED.value,
            ImprovementAction.proposed_at >= period.start,
            ImprovementAction.proposed_at < period.end,
        )

    return query


def actions_due_completed(period: Period) -> Figure:
    """Actions due in the period (not cancelled), and those completed (learning item 4)."""
    query = ImprovementAction.select().where(
        ImprovementAction.due_on >= period.first,
        ImprovementAction.due_on <= period.last,
        ImprovementAction.status != ActionStatus.CANCELLED.value,
    )
    met, due = _share(query, ImprovementAction.completed_at.is_null(False))
    return Figure("actions_due_completed", SHARE, met, due, "/console/lessons/actions")


def actions_overdue(period: Period) -> Figure:
    """Actions open and past due at the period's end, as the monthly QA counts them (learning item 5)."""
    count = qa.overdue_at_end(_as_month(period)).count()
    return Figure("actions_overdue", COUNT, count, None, "/console/lessons/actions")


def briefings_acknowledged(period: Period) -> Figure:
    """Staff briefings on complaint outcomes sent in the period, and those acknowledged (learning item 6)."""
    query = StaffBriefing.select().where(StaffBriefing.sent_at >= period.start, StaffBriefing.sent_at < period.end)
    met, due = _share(query, StaffBriefing.acknowledged_at.is_null(False))
    return Figure("briefings_acknowledged", SHARE, met, due, "/console/lessons/briefings")


def _bulletins_sent(period: Period) -> Any:
    return Bulletin.select().where(Bulletin.sent_at >= period.start, Bulletin.sent_at < period.end)


def _meetings(*kinds: str) -> Callable[[Period], Any]:
    """Meetings of ``kinds`` held in the period with at least one agenda item."""

    def query(period: Period) -> Any:
        agenda = AgendaItem.select(AgendaItem.id).where(AgendaItem.meeting == Meeting.id)
        return Meeting.select().where(
            Meeting.kind.in_(list(kinds)),
            Meeting.held_on >= period.first,
            Meeting.held_on <= period.last,
            fn.EXISTS(agenda),
        )

    return query


def network_attendance(period: Period) -> Figure:
    """Network meetings the landlord was expected at in the period, and those at least one of its staff attended."""
    attended = SectorEventAttendee.select(SectorEventAttendee.id).where(SectorEventAttendee.event == SectorEvent.id)
    query = SectorEvent.select().where(
        SectorEvent.kind == SectorEventKind.NETWORK_MEETING.value,
        SectorEvent.expected == True,  # noqa: E712
        SectorEvent.held_on >= period.first,
        SectorEvent.held_on <= period.last,
    )
    met, due = _share(query, fn.EXISTS(attended))
    return Figure("network_attendance", SHARE, met, due, SECTOR_PAGE)


def actions_signed_off(period: Period) -> Figure:
    """Actions completed in the period, and those signed off (learning item 16)."""
    query = ImprovementAction.select().where(
        ImprovementAction.completed_at >= period.start, ImprovementAction.completed_at < period.end
    )
    met, due = _share(query, ImprovementAction.signed_off_at.is_null(False))
    return Figure("actions_signed_off", SHARE, met, due, "/console/lessons/actions")


def told_of_improvement(period: Period) -> Figure:
    """Complaints behind a change implemented in the period, and those whose complainant was told "your complaint
    helped change this" (learning item 12)."""
    complained = Complaint.select(Complaint.id).where(Complaint.contact == ChangeContact.contact)
    told = ChangeNotice.select(ChangeNotice.id).where(
        ChangeNotice.kind == NoticeKind.COMPLAINT_HELPED.value, ChangeNotice.contact == ChangeContact.contact
    )
    query = (
        ChangeContact.select()
        .join(Change)
        .where(Change.implemented_at >= period.start, Change.implemented_at < period.end, fn.EXISTS(complained))
    )
    met, due = _share(query, fn.EXISTS(told))
    return Figure("told_of_improvement", SHARE, met, due, "/console/co-creation/changes")


def _quarters_in(period: Period) -> list[tuple[int, int]]:
    """The calendar quarters (year, 1 to 4) that end within the period."""
    quarters: list[tuple[int, int]] = []
    year, quarter = period.first.year, (period.first.month - 1) // 3 + 1
    while True:
        last_month = quarter * 3
        last_day = (dt.date(year + (last_month == 12), last_month % 12 + 1, 1)) - dt.timedelta(days=1)
        if last_day > period.last:
            return quarters
        if last_day >= period.first:
            quarters.append((year, quarter))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)


def quarterly_publication(period: Period) -> Figure:
    """The quarters ending in the period, and those whose "you said, we did" digest is published (learning item
    13: outcomes, trends and actions published at least quarterly)."""
    quarters = _quarters_in(period)
    published = {
        (digest.year, digest.quarter)
        for digest in Digest.select(Digest.year, Digest.quarter).where(Digest.status == DigestStatus.PUBLISHED.value)
    }
    met = len([quarter for quarter in quarters if quarter in published])
    return Figure("quarterly_publication", SHARE, met, len(quarters), "/console/co-creation/digests")


# --- The registry --------------------------------------------------------------------------------------------------

CODE, LEARNING = Checklist.CODE.value, Checklist.LEARNING.value
_ACK1 = Source(
    "stage1_acknowledged_in_time",
    "Stage 1 complaints acknowledged in the period, and the share acknowledged within the clock's working days.",
    acknowledged_in_time(1, "stage1_acknowledged_in_time"),
)
_UPHELD = Source(
    "upheld_with_lesson",
    "Upheld complaints given their final answer in the period, and the share with "
    "a lesson or a recorded decision of no wider lesson.",
    upheld_with_lesson,
)
_BULLETINS = Source(
    "bulletins_sent",
    "Lessons bulletins sent to staff in the period.",
    _count("bulletins_sent", "/console/lessons/bulletins", _bulletins_sent),
)

#: Each row the system's data evidences, by (checklist, number).
EVIDENCE: dict[tuple[str, str], Source] = {
    (CODE, "1.4"): Source(
        "service_requests", "Service requests received in the period, recorded as such.", service_requests
    ),
    (CODE, "2.1"): Source(
        "refusals_with_reasons",
        "Complaints refused in the period, and the share with a ground and written reasons.",
        refusals_with_reasons(None, "refusals_with_reasons"),
    ),
    (CODE, "3.1"): Source(
        "complaint_channels",
        "How many different channels complaints received in the period came through.",
        complaint_channels,
    ),
    (CODE, "3.4"): Source(
        "policy_published",
        'Whether the public "how to complain" page is published from the procedure and links the complaints policy.',
        how_to_complain(True, "policy_published"),
    ),
    (CODE, "3.7"): Source(
        "ombudsman_published",
        'Whether the public "how to complain" page, with the Ombudsman\'s details, is published.',
        how_to_complain(False, "ombudsman_published"),
    ),
    (CODE, "4.1"): Source(
        "complaints_officer",
        "People named complaints officer on the period's last day.",
        named_role(NamedRole.COMPLAINTS_OFFICER.value, "complaints_officer"),
    ),
    (CODE, "5.11"): Source(
        "escalations_refused_with_reasons",
        "Escalations refused at stage 2 in the period, and the share with a ground and written reasons.",
        refusals_with_reasons(2, "escalations_refused_with_reasons"),
    ),
    (CODE, "6.2"): _ACK1,
    (CODE, "6.3"): Source(
        "stage1_responded_in_time",
        "Stage 1 responses issued in the period, and the share issued by the clock's due date.",
        responded_in_time(1, "stage1_responded_in_time"),
    ),
    (CODE, "6.5"): Source(
        "stage1_extensions_with_ombudsman",
        "Stage 1 extensions told to residents in the period, and the share told with the Ombudsman's details.",
        extensions_with_ombudsman(1, "stage1_extensions_with_ombudsman"),
    ),
    (CODE, "6.6"): Source(
        "outstanding_actions_done",
        "Outstanding actions due in the period, and the share done.",
        _due_and_done(
            OutstandingAction,
            "outstanding_actions_done",
            "/console/complaints",
            OutstandingAction.completed_at.is_null(False),
        ),
    ),
    (CODE, "6.11"): Source(
        "stage2_acknowledged_in_time",
        "Stage 2 escalations acknowledged in the period, and the share acknowledged within the clock's working days.",
        acknowledged_in_time(2, "stage2_acknowledged_in_time"),
    ),
    (CODE, "6.13"): Source(
        "stage2_other_handler",
        "Stage 2 responses issued in the period, and the share handled by someone other than stage 1's handler.",
        stage_two_by_someone_else,
    ),
    (CODE, "6.14"): Source(
        "stage2_responded_in_time",
        "Stage 2 responses issued in the period, and the share issued by the clock's due date.",
        responded_in_time(2, "stage2_responded_in_time"),
    ),
    (CODE, "6.16"): Source(
        "stage2_extensions_with_ombudsman",
        "Stage 2 extensions told to residents in the period, and the share told with the Ombudsman's details.",
        extensions_with_ombudsman(2, "stage2_extensions_with_ombudsman"),
    ),
    (CODE, "7.3"): Source(
        "remedies_done",
        "Remedies due in the period, and the share done.",
        _due_and_done(Remedy, "remedies_done", "/console/complaints", Remedy.completed_at.is_null(False)),
    ),
    (CODE, "9.1"): _UPHELD,
    (CODE, "9.3"): _BULLETINS,
    (CODE, "9.4"): Source(
        "senior_lead",
        "People named senior lead for complaints on the period's last day.",
        named_role(NamedRole.SENIOR_LEAD.value, "senior_lead"),
    ),
    (CODE, "9.5"): Source(
        "mrc",
        "People named Member Responsible for Complaints on the period's last day.",
        named_role(NamedRole.MRC.value, "mrc"),
    ),
    (CODE, "9.7"): Source(
        "orders_complied",
        "Ombudsman orders due in the period, and the share complied with by their due date.",
        orders_complied,
    ),
    (LEARNING, "1"): _UPHELD,
    (LEARNING, "2"): Source(
        "lessons_identified",
        "Lessons identified in the period.",
        _count("lessons_identified", "/console/lessons", _lessons_identified),
    ),
    (LEARNING, "3"): Source(
        "actions_authorised",
        "Improvement actions authorised by a manager in the period.",
        _count("actions_authorised", "/console/lessons/themes", _actions_authorised),
    ),
    (LEARNING, "4"): Source(
        "actions_due_completed",
        "Improvement actions due in the period, and the share completed.",
        actions_due_completed,
    ),
    (LEARNING, "5"): Source(
        "actions_overdue", "Improvement actions open and past due at the period's end.", actions_overdue
    ),
    (LEARNING, "6"): Source(
        "briefings_acknowledged",
        "Staff briefings on complaint outcomes sent in the period, and the share acknowledged.",
        briefings_acknowledged,
    ),
    (LEARNING, "7"): _BULLETINS,
    (LEARNING, "8"): Source(
        "network_attendance",
        "Complaint-handling network meetings expected in the period, and "
        "the share attended by at least one member of staff.",
        network_attendance,
    ),
    (LEARNING, "9"): Source(
        "practice_actions",
        "Improvement actions proposed in the period that change working practice, service provision or staff training.",
        _count(
            "practice_actions",
            "/console/lessons/actions",
            _actions_of_types(
                ActionType.WORKING_PRACTICE.value, ActionType.SERVICE_PROVISION.value, ActionType.STAFF_TRAINING.value
            ),
        ),
    ),
    (LEARNING, "10"): Source(
        "team_meetings",
        "Team meetings held in the period with complaints on the agenda.",
        _count("team_meetings", "/console/lessons/meetings", _meetings(MeetingKind.TEAM.value)),
    ),
    (LEARNING, "11"): Source(
        "management_meetings",
        "Management team meetings held in the period with complaints on the agenda.",
        _count("management_meetings", "/console/lessons/meetings", _meetings(MeetingKind.MANAGEMENT.value)),
    ),
    (LEARNING, "12"): Source(
        "told_of_improvement",
        "Complaints behind changes implemented in the period, and the share whose complainant was told the "
        "complaint helped change something.",
        told_of_improvement,
    ),
    (LEARNING, "13"): Source(
        "quarterly_publication",
        'Quarters ending in the period, and the share with a published quarterly "you said, we did" digest.',
        quarterly_publication,
    ),
    (LEARNING, "14"): Source(
        "senior_meetings",
        "Senior management and governance meetings held in the period with complaints on the agenda.",
        _count(
            "senior_meetings",
            "/console/lessons/meetings",
            _meetings(MeetingKind.SENIOR_MANAGEMENT.value, MeetingKind.GOVERNANCE_GROUP.value),
        ),
    ),
    (LEARNING, "15"): Source(
        "complaint_handling_actions",
        "Improvement actions proposed in the period that change how complaints are handled.",
        _count(
            "complaint_handling_actions",
            "/console/lessons/actions",
            _actions_of_types(ActionType.COMPLAINT_HANDLING.value),
        ),
    ),
    (LEARNING, "16"): Source(
        "actions_signed_off",
        "Improvement actions completed in the period, and the share signed off.",
        actions_signed_off,
    ),
}


def figure_for(checklist: str, number: str, period: Period) -> Figure | None:
    """The figure the system's data gives for a row over ``period``; None when no function evidences it."""
    source = EVIDENCE.get((checklist, number))
    return source.compute(period) if source is not None else None


def figure_from(stored: dict[str, Any] | None) -> Figure | None:
    """A figure as an approved assessment kept it; None when it kept none."""
    if not stored:
        return None
    return Figure(
        code=str(stored.get("code") or ""),
        kind=str(stored.get("kind") or NONE),
        met=stored.get("met"),
        due=stored.get("due"),
        link=str(stored.get("link") or ""),
    )
