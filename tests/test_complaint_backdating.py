"""Backdating: an escalation request or an extension recorded as happening on an earlier day needs a reason, never
goes before the previous step, and goes back at most 5 working days unless a manager records it. Clocks run from
the real date. A refusal names every missing part and changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from backend.audit.models import AuditEvent
from backend.complaints import journey
from backend.complaints.models import Clock, ComplaintStage
from backend.errors import Invalid
from tests import factories
from tests.factories import actor_of

MONDAY = dt.datetime(2026, 3, 2, 10)  # Mon 2 March 2026, GMT
WEDNESDAY_AFTER = dt.datetime(2026, 3, 11, 10)  # Wed 11 March 2026


def problems(error: Invalid) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.problems}


def test_an_extension_told_yesterday_needs_a_reason(clock_at: Any) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    clock_at(WEDNESDAY_AFTER)
    with pytest.raises(Invalid) as refused:
        journey.extend_complaint(actor_of(handler), complaint.id, 2, "Surveyor", dt.date(2026, 3, 10), True)
    assert problems(refused.value) == {("backdate_reason", "required")}
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 0
    journey.extend_complaint(
        actor_of(handler), complaint.id, 2, "Surveyor", dt.date(2026, 3, 10), True, backdate_reason="Told by phone."
    )
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id)
    assert (stage.extension_told_on, stage.extension_backdate_reason) == (dt.date(2026, 3, 10), "Told by phone.")


def test_an_extension_dated_today_needs_no_reason(clock_at: Any) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    journey.extend_complaint(actor_of(handler), complaint.id, 2, "Surveyor", MONDAY.date(), True)
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extension_backdate_reason is None


def test_beyond_five_working_days_a_handler_is_refused_naming_every_missing_part(clock_at: Any) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    clock_at(WEDNESDAY_AFTER)
    with pytest.raises(Invalid) as refused:
        journey.extend_complaint(actor_of(handler), complaint.id, 2, "Surveyor", dt.date(2026, 3, 3), False)
    assert problems(refused.value) == {
        ("backdate_reason", "required"),
        ("told_on", "backdate_needs_manager"),
        ("ombudsman_details_given", "required"),
    }
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 0
    # Five working days back (Wednesday 4 March) is the most a handler may go.
    journey.extend_complaint(
        actor_of(handler), complaint.id, 1, "Surveyor", dt.date(2026, 3, 4), True, backdate_reason="By letter."
    )


def test_a_manager_backdates_further_themselves(clock_at: Any) -> None:
    clock_at(MONDAY)
    handler = factories.make_staff()
    complaint = factories.acknowledged_complaint(handler)
    clock_at(WEDNESDAY_AFTER)
    manager = factories.make_user("manager")
    journey.extend_complaint(
        actor_of(manager), complaint.id, 2, "Surveyor", dt.date(2026, 3, 3), True, backdate_reason="Found the note."
    )
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id)
    assert stage.extension_backdate_reason == "Found the note."
    audit = AuditEvent.get(AuditEvent.action == "complaint.extension_recorded")
    assert audit.changes["extension_backdate_reason"]["after"] == "Found the note."


def _answered_on_monday(clock_at: Any) -> Any:
    clock_at(MONDAY)
    complaint = factories.responded_complaint()
    clock_at(WEDNESDAY_AFTER)
    return complaint


def test_an_escalation_request_is_backdated_with_a_reason_and_its_clocks_start_then(clock_at: Any) -> None:
    complaint = _answered_on_monday(clock_at)
    staff = factories.make_staff()
    asked = dt.datetime(2026, 3, 6, 9, tzinfo=dt.UTC)  # Friday: 3 working days back
    with pytest.raises(Invalid) as refused:
        journey.escalate_complaint(actor_of(staff), complaint.id, requested_at=asked)
    assert problems(refused.value) == {("backdate_reason", "required")}
    assert ComplaintStage.select().where(ComplaintStage.complaint == complaint.id).count() == 1
    journey.escalate_complaint(actor_of(staff), complaint.id, requested_at=asked, backdate_reason="Phoned on Friday.")
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id, ComplaintStage.number == 2)
    assert stage.escalation_backdate_reason == "Phoned on Friday."
    acknowledge = Clock.get(Clock.complaint == complaint.id, Clock.stage == 2, Clock.kind == "acknowledge")
    assert acknowledge.started_on == dt.date(2026, 3, 6)
    assert AuditEvent.select().where(AuditEvent.action == "complaint.escalation_backdated").count() == 1


def test_an_escalation_request_further_back_needs_a_manager_and_never_precedes_the_answer(clock_at: Any) -> None:
    complaint = _answered_on_monday(clock_at)
    staff = factories.make_staff()
    asked = dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC)  # Tuesday: 6 working days back
    with pytest.raises(Invalid) as refused:
        journey.escalate_complaint(actor_of(staff), complaint.id, requested_at=asked, backdate_reason="Phoned.")
    assert problems(refused.value) == {("requested_at", "backdate_needs_manager")}
    before_answer = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    manager = factories.make_user("manager")
    with pytest.raises(Invalid) as refused:
        journey.escalate_complaint(actor_of(manager), complaint.id, requested_at=before_answer)
    assert ("requested_at", "before_response") in problems(refused.value)
    assert ("backdate_reason", "required") in problems(refused.value)
    journey.escalate_complaint(actor_of(manager), complaint.id, requested_at=asked, backdate_reason="Phoned.")
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id, ComplaintStage.number == 2).opened_at == (
        asked.replace(tzinfo=None)
    )


def test_the_console_asks_for_the_reason_and_names_the_manager_limit(browser, signed_in, clock_at: Any) -> None:
    clock_at(MONDAY)
    complaint = factories.acknowledged_complaint()
    clock_at(WEDNESDAY_AFTER)
    signed_in("staff")
    url = f"/console/complaints/{complaint.id}/extend"
    sent = browser.submit(
        url,
        {
            "extend-days": "2",
            "extend-reason": "Surveyor",
            "extend-told_on": "2026-03-03",
            "extend-ombudsman_details_given": "y",
        },
        page=f"/console/complaints/{complaint.id}",
    )
    page = sent.get_data(as_text=True)
    assert sent.status_code == 400
    assert "Give the reason this is dated before today." in page
    assert "at most 5 working days back. Further back needs a manager" in page
    assert ComplaintStage.get(ComplaintStage.complaint == complaint.id).extended_days == 0
    sent = browser.submit(
        url,
        {
            "extend-days": "2",
            "extend-reason": "Surveyor",
            "extend-told_on": "2026-03-10",
            "extend-ombudsman_details_given": "y",
            "extend-backdate_reason": "Told on the phone yesterday.",
        },
        page=f"/console/complaints/{complaint.id}",
    )
    assert sent.status_code == 302
    stage = ComplaintStage.get(ComplaintStage.complaint == complaint.id)
    assert stage.extension_backdate_reason == "Told on the phone yesterday."
