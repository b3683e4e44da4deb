"""Self-assessments against the Complaint Handling Code: the seeded Code, the path from draft to published, and the
figures the system's own data gives, each checked against data built by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend import records
from backend.complaints.models import Clock, Complaint, ComplaintStage, RoleDesignation
from backend.errors import Conflict, Invalid, NotAllowed
from backend.lessons.models import AgendaItem, Meeting
from backend.reports import evidence, sector, self_assessment
from backend.reports.models import CodeProvision, SelfAssessment, SelfAssessmentItem
from backend.reports.periods import parse_period, regulator_year
from backend.reports.provisions import PROVISION_SPEC
from tests.factories import (
    actor_of,
    make_complaint,
    make_improvement_action,
    make_ombudsman_order,
    make_sector_event,
    make_self_assessment,
    make_staff,
    make_user,
)

YEAR = regulator_year(2024)  # 1 April 2024 to 31 March 2025
IN_YEAR = dt.datetime(2024, 6, 3, 10)


def item(assessment: Any, number: str, checklist: str = "code") -> Any:
    return SelfAssessmentItem.get(
        SelfAssessmentItem.assessment == assessment.id,
        SelfAssessmentItem.number == number,
        SelfAssessmentItem.checklist == checklist,
    )


# --- The seeded Code ------------------------------------------------------------------------------------------------


def test_seeded_code_has_every_section_with_its_provisions() -> None:
    code = CodeProvision.select().where(CodeProvision.checklist == "code", CodeProvision.edition == "2024")
    sections = {row.section: row.section_title for row in code}
    assert sorted(sections) == list(range(1, 10))
    numbers = {row.number for row in code}
    # The first and last of each section, as the Code numbers them.
    assert {"1.1", "1.6", "2.5", "3.7", "4.3", "5.15", "6.20", "7.4", "8.5", "9.8"} <= numbers
    assert len(numbers) == 6 + 5 + 7 + 3 + 15 + 20 + 4 + 5 + 8
    assert all(row.effective_on == dt.date(2024, 4, 1) and row.requirement for row in code)


def test_seeded_code_marks_must_and_should() -> None:
    by_number = {row.number: row.obligation for row in CodeProvision.select().where(CodeProvision.checklist == "code")}
    assert by_number["6.2"] == "must"
    assert by_number["8.4"] == "should"


def test_seeded_learning_checklist_has_sixteen_items() -> None:
    learning = CodeProvision.select().where(CodeProvision.checklist == "learning")
    assert sorted(int(row.number) for row in learning) == list(range(1, 17))


# --- Admins keep the Code up to date -------------------------------------------------------------------------------


def test_admin_adds_a_provision_of_a_new_edition_and_retires_an_old_one() -> None:
    admin = actor_of(make_user("admin"))
    old = make_self_assessment()
    retired = CodeProvision.get(CodeProvision.checklist == "code", CodeProvision.number == "6.20")
    records.archive_record(admin, PROVISION_SPEC, retired.id)
    added = records.create_record(
        admin,
        PROVISION_SPEC,
        {
            "checklist": "code",
            "edition": "2026",
            "effective_on": dt.date(2026, 4, 1),
            "number": "6.21",
            "section": 6,
            "section_title": "Complaint stages",
            "requirement": "Landlords must do something new.",
            "obligation": "must",
            "position": 621,
        },
    )
    new = make_self_assessment()
    assert item(old, "6.20").requirement == retired.requirement  # the old assessment keeps its row
    numbers = {row.number for row in new.items if row.checklist == "code"}
    assert "6.20" not in numbers and added.number in numbers


@pytest.mark.parametrize(("number", "section", "field"), [("6", 6, "number"), ("6.2", 5, "section")])
def test_provision_number_and_section_must_agree(number: str, section: int, field: str) -> None:
    admin = actor_of(make_user("admin"))
    values = {
        "edition": "2026",
        "effective_on": dt.date(2026, 4, 1),
        "number": number,
        "section": section,
        "section_title": "Stages",
        "requirement": "Landlords must.",
    }
    with pytest.raises(Invalid) as raised:
        records.create_record(admin, PROVISION_SPEC, values)
    assert raised.value.field == field


def test_a_manager_cannot_edit_the_code() -> None:
    with pytest.raises(NotAllowed):
        records.create_record(actor_of(make_user("manager")), PROVISION_SPEC, {"number": "6.21"})


# --- From draft to published ---------------------------------------------------------------------------------------


def test_start_copies_every_provision_in_use() -> None:
    assessment = make_self_assessment(trigger="annual")
    in_use = CodeProvision.select().where(CodeProvision.retired_at.is_null()).count()
    assert SelfAssessmentItem.select().where(SelfAssessmentItem.assessment == assessment.id).count() == in_use
    assert assessment.period == "2024/25" and assessment.status == "draft"


def test_an_annual_assessment_covers_a_regulators_year_once() -> None:
    manager = actor_of(make_user("manager"))
    with pytest.raises(Invalid) as raised:
        self_assessment.start_assessment(manager, "2024-06", "annual")
    assert (raised.value.field, raised.value.code) == ("period", "not_a_year")
    self_assessment.start_assessment(manager, "2024/25", "annual")
    with pytest.raises(Conflict):
        self_assessment.start_assessment(manager, "2024/25", "annual")


def test_a_merger_assessment_says_what_led_to_it() -> None:
    with pytest.raises(Invalid) as raised:
        self_assessment.start_assessment(actor_of(make_user("manager")), "2024/25-Q2", "merger", " ")
    assert (raised.value.field, raised.value.code) == ("context", "required")


def test_explanation_is_required_when_it_does_not_comply() -> None:
    manager = make_user("manager")
    row = item(make_self_assessment(manager), "5.9")
    with pytest.raises(Invalid) as raised:
        self_assessment.update_item(actor_of(manager), row.id, False, "We do not agree intervals.")
    assert (raised.value.field, raised.value.code) == ("explanation", "required")
    action = make_improvement_action()
    saved = self_assessment.update_item(
        actor_of(manager), row.id, False, "", "Update intervals go live in May.", action.id,
        [{"label": "Project plan", "url": "https://intranet.example.org/plan"}],
    )  # fmt: skip
    assert (saved.complies, saved.action_id, saved.links[0]["label"]) == (False, action.id, "Project plan")


def test_links_must_be_safe_addresses() -> None:
    manager = make_user("manager")
    row = item(make_self_assessment(manager), "3.4")
    with pytest.raises(Invalid) as raised:
        self_assessment.update_item(
            actor_of(manager), row.id, True, links=[{"label": "Policy", "url": "javascript:alert(1)"}]
        )
    assert raised.value.at == ("links", 0, "url")


def test_staff_read_but_cannot_fill_in() -> None:
    row = item(make_self_assessment(), "6.2")
    with pytest.raises(NotAllowed):
        self_assessment.update_item(actor_of(make_staff()), row.id, True)
    with pytest.raises(NotAllowed):
        self_assessment.start_assessment(actor_of(make_staff()), "2024/25", "annual")


def test_who_started_it_cannot_approve_it() -> None:
    manager = make_user("manager")
    assessment = make_self_assessment(manager)
    with pytest.raises(NotAllowed) as raised:
        self_assessment.approve_assessment(actor_of(manager), assessment.id)
    assert raised.value.code == "own_assessment"
    approved = self_assessment.approve_assessment(actor_of(make_user("admin")), assessment.id)
    assert approved.status == "approved" and approved.approved_at is not None


def test_published_assessment_is_frozen() -> None:
    manager, other = make_user("manager"), make_user("manager")
    assessment = make_self_assessment(manager)
    row = item(assessment, "6.2")
    self_assessment.approve_assessment(actor_of(other), assessment.id)
    with pytest.raises(Conflict):
        self_assessment.update_item(actor_of(manager), row.id, True)
    published = self_assessment.publish_assessment(actor_of(other), assessment.id, dt.date(2025, 5, 20))
    assert (published.status, published.governing_body_approved_on) == ("published", dt.date(2025, 5, 20))
    for attempt in (
        lambda: self_assessment.update_item(actor_of(manager), row.id, True),
        lambda: self_assessment.reopen_assessment(actor_of(other), assessment.id),
        lambda: self_assessment.approve_assessment(actor_of(other), assessment.id),
        lambda: self_assessment.publish_assessment(actor_of(other), assessment.id, dt.date(2025, 5, 21)),
    ):
        with pytest.raises(Conflict):
            attempt()
    assert SelfAssessment.get_by_id(assessment.id).governing_body_approved_on == dt.date(2025, 5, 20)


@pytest.mark.parametrize(
    ("day", "code"), [(None, "required"), (dt.date(2024, 3, 31), "before_period"), (dt.date(2999, 1, 1), "future")]
)
def test_publishing_needs_the_governing_bodys_approval_day(day: dt.date | None, code: str) -> None:
    assessment = make_self_assessment()
    self_assessment.approve_assessment(actor_of(make_user("manager")), assessment.id)
    with pytest.raises(Invalid) as raised:
        self_assessment.publish_assessment(actor_of(make_user("manager")), assessment.id, day)
    assert (raised.value.field, raised.value.code) == ("governing_body_approved_on", code)


def test_a_draft_cannot_be_published() -> None:
    with pytest.raises(Conflict):
        self_assessment.publish_assessment(
            actor_of(make_user("manager")), make_self_assessment().id, dt.date(2025, 5, 1)
        )


def test_approval_keeps_the_figures_and_reopening_lets_them_move() -> None:
    assessment = make_self_assessment()
    acknowledged(IN_YEAR, in_time=True)
    manager = actor_of(make_user("manager"))
    self_assessment.approve_assessment(manager, assessment.id)
    kept = item(assessment, "6.2").figure
    assert (kept["met"], kept["due"]) == (1, 1)
    acknowledged(IN_YEAR, in_time=False)  # a later record does not change the approved figure
    assert self_assessment.item_figure(item(assessment, "6.2")).due == 1
    self_assessment.reopen_assessment(manager, assessment.id)
    assert self_assessment.item_figure(item(assessment, "6.2")).due == 2


# --- The figures, on data built by hand ----------------------------------------------------------------------------


def acknowledged(at: dt.datetime, in_time: bool, stage: int = 1) -> Any:
    """A complaint whose stage ``stage`` was acknowledged at ``at``, a day after it opened (in time) or four weeks
    after (late), its clock met in time or not."""
    opened = at - dt.timedelta(days=1 if in_time else 28)
    complaint = make_complaint(received_at=opened)
    ComplaintStage.update(opened_at=opened).where(ComplaintStage.complaint == complaint.id).execute()
    if stage == 2:
        ComplaintStage.create(complaint=complaint.id, number=2, opened_at=opened)
        Clock.create(
            complaint=complaint.id, stage=2, kind="acknowledge", started_on=at.date(), due_on=at.date(),
            original_due_on=at.date(),
        )  # fmt: skip
    ComplaintStage.update(acknowledged_at=at).where(
        ComplaintStage.complaint == complaint.id, ComplaintStage.number == stage
    ).execute()
    Clock.update(status="met", met_at=at, breached=not in_time).where(
        Clock.complaint == complaint.id, Clock.stage == stage, Clock.kind == "acknowledge"
    ).execute()
    return complaint


def test_stage_one_acknowledged_in_time_counts_the_period_only() -> None:
    acknowledged(IN_YEAR, in_time=True)
    acknowledged(IN_YEAR, in_time=True)
    acknowledged(IN_YEAR, in_time=False)
    acknowledged(dt.datetime(2025, 4, 1, 9), in_time=True)  # next year: 1 April, UK time
    acknowledged(dt.datetime(2024, 3, 31, 22, 30), in_time=True)  # 31 March 23:30 BST: the year before
    acknowledged(IN_YEAR, in_time=True, stage=2)  # another stage
    figure = evidence.figure_for("code", "6.2", YEAR)
    assert (figure.kind, figure.met, figure.due) == ("share", 2, 3)
    assert figure.percent == pytest.approx(66.667, abs=0.01)
    assert figure.link == "/console/reports/annual"
    assert (evidence.figure_for("code", "6.11", YEAR).met, evidence.figure_for("code", "6.11", YEAR).due) == (1, 1)


def test_a_share_with_nothing_due_has_no_percent() -> None:
    figure = evidence.figure_for("code", "6.2", parse_period("2001/02"))
    assert (figure.met, figure.due, figure.percent) == (0, 0, None)


def test_stage_two_handled_by_someone_else() -> None:
    first, second = make_staff(), make_staff()
    for stage_two_handler in (second, first):
        complaint = make_complaint(received_at=IN_YEAR)
        ComplaintStage.update(handler=first.id).where(ComplaintStage.complaint == complaint.id).execute()
        ComplaintStage.create(
            complaint=complaint.id, number=2, opened_at=IN_YEAR, handler=stage_two_handler.id,
            responded_at=IN_YEAR + dt.timedelta(days=20),
        )  # fmt: skip
    figure = evidence.figure_for("code", "6.13", YEAR)
    assert (figure.met, figure.due) == (1, 2)


def test_refusals_with_a_ground_and_reasons() -> None:
    for reasons in ("It happened in 2019.", "  "):
        complaint = make_complaint(received_at=IN_YEAR)
        Complaint.update(
            status="refused", refused_at=IN_YEAR, refusal_ground="over_twelve_months", refusal_reasons=reasons
        ).where(Complaint.id == complaint.id).execute()
    figure = evidence.figure_for("code", "2.1", YEAR)
    assert (figure.met, figure.due) == (1, 2)
    assert evidence.figure_for("code", "5.11", YEAR).due == 0  # none refused at stage 2


def test_ombudsman_orders_complied_with_by_their_due_date() -> None:
    for complied in (dt.date(2024, 7, 1), dt.date(2024, 9, 1), None):
        order = make_ombudsman_order()
        order.due_on, order.complied_on = dt.date(2024, 8, 1), complied
        order.save()
    figure = evidence.figure_for("code", "9.7", YEAR)
    assert (figure.met, figure.due) == (1, 3)


def test_named_complaints_officer_on_the_periods_last_day() -> None:
    RoleDesignation.create(role="complaints_officer", person=make_staff().id, starts_on=dt.date(2024, 1, 1))
    RoleDesignation.create(
        role="complaints_officer", person=make_staff().id, starts_on=dt.date(2024, 1, 1), ends_on=dt.date(2024, 9, 1)
    )
    assert evidence.figure_for("code", "4.1", YEAR).met == 1


def test_network_meeting_attendance_rate() -> None:
    manager, person = actor_of(make_user("manager")), make_staff()
    for day, attended in ((dt.date(2024, 5, 1), True), (dt.date(2024, 9, 1), True), (dt.date(2024, 12, 1), False)):
        sector.record_event(
            manager, "network_meeting", "Complaints network", day, attendees=[person.id] if attended else []
        )
    sector.record_event(manager, "benchmark", "Benchmarking club", dt.date(2024, 6, 1), attendees=[person.id])
    make_sector_event(held_on=dt.date(2024, 10, 1), expected=False)  # not expected: left out
    make_sector_event(held_on=dt.date(2025, 5, 1))  # another year
    figure = evidence.figure_for("learning", "8", YEAR)
    assert (figure.met, figure.due) == (2, 3)
    assert figure.link == evidence.SECTOR_PAGE


def test_team_meetings_with_complaints_on_the_agenda() -> None:
    with_agenda = Meeting.create(kind="team", title="Repairs team", held_on=dt.date(2024, 5, 2))
    AgendaItem.create(meeting=with_agenda.id, title="Complaints this month")
    Meeting.create(kind="team", title="No agenda", held_on=dt.date(2024, 5, 9))
    Meeting.create(kind="management", title="Managers", held_on=dt.date(2024, 5, 9))
    assert evidence.figure_for("learning", "10", YEAR).met == 1


def test_item_thirteen_has_no_evidence_yet() -> None:
    assert evidence.figure_for("learning", "13", YEAR).kind == "none"


def test_item_twelve_counts_complainants_told_of_an_improvement() -> None:
    figure = evidence.figure_for("learning", "12", YEAR)
    assert (figure.kind, figure.met) == ("count", 0)


def test_a_provision_without_a_function_has_no_figure() -> None:
    assert evidence.figure_for("code", "5.8", YEAR) is None


def test_at_least_six_provisions_are_evidenced() -> None:
    assert len([key for key in evidence.EVIDENCE if key[0] == "code"]) >= 6


def test_sector_event_attendees_must_be_staff() -> None:
    with pytest.raises(Invalid) as raised:
        sector.record_event(
            actor_of(make_user("manager")), "network_meeting", "Network", dt.date(2024, 5, 1),
            attendees=[make_user().id],
        )  # fmt: skip
    assert raised.value.at == ("attendee_ids", 0)
