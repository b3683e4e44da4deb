"""Issue 13's "done when" through real GraphQL, each person signed in as themselves, with the clock under the test's
control: an upheld complaint becomes a lesson with its root cause and theme; an action is proposed and authorised,
goes overdue and is escalated, is done late with evidence, signed off by another manager and verified; the month's
QA report shows each step; and the member of staff involved in the complaint is briefed and acknowledges it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.complaints.models import Complaint
from backend.events.models import OutboxEvent
from backend.lessons.action_messages import ACTION_EVENTS
from backend.lessons.escalation import sweep_actions
from backend.lessons.models import RootCause
from backend.notifications.sending import send_delivery
from backend.notifications.services import plan_deliveries
from tests import factories

START = dt.datetime(2026, 3, 2, 10)  # a Monday in March, UK time = UTC
MONTH = "2026-03"
PROBLEM = "... on Problem { message } ... on ValidationError { problems { field code message } }"

UPHELD = "query { upheldComplaintsWithoutLesson(first: 100, offset: 0) { nodes { id } } }"
THEME_CREATE = f"""
mutation ($input: ThemeCreateInput!) {{ themeCreate(input: $input) {{
  __typename ... on ThemeCreated {{ theme {{ id }} }} {PROBLEM} }} }}
"""
LESSON_CREATE = f"""
mutation ($input: LessonCreateInput!) {{ lessonCreate(input: $input) {{
  __typename ... on LessonCreated {{ lesson {{ id reference }} }} {PROBLEM} }} }}
"""
CAUSE_ADD = f"""
mutation ($input: LessonCauseAddInput!) {{ lessonCauseAdd(input: $input) {{
  __typename ... on LessonCauseAdded {{ lessonCause {{ id }} }} {PROBLEM} }} }}
"""
THEME_LINK = f"""
mutation ($input: LessonThemeInput!) {{ lessonThemeLink(input: $input) {{ __typename {PROBLEM} }} }}
"""
STATUS_SET = f"""
mutation ($input: LessonStatusSetInput!) {{ lessonStatusSet(input: $input) {{ __typename {PROBLEM} }} }}
"""
PROPOSE = f"""
mutation ($input: ImprovementActionProposeInput!) {{ improvementActionPropose(input: $input) {{
  __typename ... on ImprovementActionProposed {{ improvementAction {{ id }} }} {PROBLEM} }} }}
"""
AUTHORISE = f"""
mutation ($input: ImprovementActionInput!) {{ improvementActionAuthorise(input: $input) {{ __typename {PROBLEM} }} }}
"""
START_ACTION = f"""
mutation ($input: ImprovementActionInput!) {{ improvementActionStart(input: $input) {{ __typename {PROBLEM} }} }}
"""
COMPLETE = f"""
mutation ($input: ImprovementActionEvidenceInput!) {{ improvementActionComplete(input: $input) {{
  __typename {PROBLEM} }} }}
"""
SIGN_OFF = f"""
mutation ($input: ImprovementActionSignOffInput!) {{ improvementActionSignOff(input: $input) {{ __typename {PROBLEM} }} }}
"""
VERIFY = f"""
mutation ($input: ImprovementActionVerifyInput!) {{ improvementActionVerify(input: $input) {{
  __typename {PROBLEM} }} }}
"""
QA_COMPUTE = f"""
mutation ($input: QaMonthInput!) {{ qaReportCompute(input: $input) {{
  __typename
  ... on QaReportComputed {{ qaReport {{
    transferMet transferDue smartMet smartDue onTimeMet onTimeDue overdueCount effectiveMet effectiveDue
    failing {{ transferComplaints smart onTime overdue effective }}
  }} }}
  {PROBLEM} }} }}
"""
LESSON = """
query ($id: ID!) { lesson(id: $id) {
  themes { theme { id } }
  actions { id status overdue lesson { id } cause { id } owner { id } }
} }
"""
DELIVERIES = """
query ($to: ID!) { deliveries(where: {recipientUserId: {eq: $to}}, first: 100) { nodes { subject } } }
"""
NAME_STAFF = f"""
mutation ($input: ComplaintStaffNameInput!) {{ complaintStaffName(input: $input) {{ __typename {PROBLEM} }} }}
"""
BRIEF = f"""
mutation ($input: StaffBriefingSendInput!) {{ staffBriefingSend(input: $input) {{
  __typename ... on StaffBriefingSent {{ staffBriefing {{ id }} }} {PROBLEM} }} }}
"""
ACKNOWLEDGE = f"""
mutation ($input: StaffBriefingAcknowledgeInput!) {{ staffBriefingAcknowledge(input: $input) {{
  __typename ... on StaffBriefingAcknowledged {{ staffBriefing {{ acknowledgedAt }} }} {PROBLEM} }} }}
"""


class People:
    """Each person signs in for their own part, so the API checks each one's rights."""

    def __init__(self, browser: Any) -> None:
        self.browser = browser

    def as_(self, user: Any) -> People:
        self.browser.sign_out()
        assert self.browser.sign_in(user.email).status_code == 302
        return self

    def run(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = self.browser.graphql(query, variables).get_json()
        assert not body.get("errors"), body
        return body["data"]

    def act(self, query: str, values: dict[str, Any], done: str) -> dict[str, Any]:
        (result,) = self.run(query, {"input": values}).values()
        assert result["__typename"] == done, result
        return result


def deliver_lesson_action_events() -> None:
    for event in OutboxEvent.select().where(OutboxEvent.name.in_([spec.name for spec in ACTION_EVENTS.specs])):
        for delivery_id in plan_deliveries(event):
            send_delivery(delivery_id)


def test_done_when_an_upheld_complaint_leads_to_a_verified_reported_action_and_a_briefing(
    browser: Any, clock_at: Any
) -> None:
    clock_at(START)
    handler, involved = factories.make_staff(), factories.make_staff()
    authoriser, checker = factories.make_user("manager"), factories.make_user("manager")
    handler.manager = authoriser.id
    handler.save()
    complaint = factories.responded_complaint(handler)  # its response upholds a point and records the cause
    Complaint.update(status="closed", closed_at=START).where(Complaint.id == complaint.id).execute()
    people = People(browser)

    # 1. The handler finds it among the upheld complaints without a lesson, captures one, its cause and theme.
    people.as_(handler)
    assert {"id": str(complaint.id)} in people.run(UPHELD)["upheldComplaintsWithoutLesson"]["nodes"]
    theme_id = people.act(THEME_CREATE, {"name": "Repairs appointments"}, "ThemeCreated")["theme"]["id"]
    lesson = people.act(
        LESSON_CREATE,
        {
            "title": "Appointments booked without the contractor's diary",
            "sources": [{"kind": "complaint", "complaintId": str(complaint.id)}],
            "earlyLesson": "Two appointments were missed.",
        },
        "LessonCreated",
    )["lesson"]
    assert {"id": str(complaint.id)} not in people.run(UPHELD)["upheldComplaintsWithoutLesson"]["nodes"]
    cause_id = people.act(
        CAUSE_ADD,
        {"lessonId": lesson["id"], "rootCauseId": str(RootCause.select().first().id), "detail": "No diary check."},
        "LessonCauseAdded",
    )["lessonCause"]["id"]
    people.act(THEME_LINK, {"lessonId": lesson["id"], "themeId": theme_id}, "LessonThemeLinked")
    people.act(STATUS_SET, {"id": lesson["id"], "status": "analysed"}, "LessonStatusSet")

    # 2. They propose a SMART action; a manager authorises it; they start it.
    due = START.date() + dt.timedelta(days=3)
    action_id = people.act(
        PROPOSE,
        {
            "lessonId": lesson["id"],
            "title": "Check the contractor's diary before booking",
            "actionType": "service_provision",
            "measure": "Missed appointments a month",
            "baseline": "20",
            "target": "5",
            "ownerId": str(handler.id),
            "causeId": cause_id,
            "dueOn": due.isoformat(),
        },
        "ImprovementActionProposed",
    )["improvementAction"]["id"]
    people.as_(authoriser).act(AUTHORISE, {"id": action_id}, "ImprovementActionAuthorised")
    people.as_(handler).act(START_ACTION, {"id": action_id}, "ImprovementActionStarted")

    # 3. Ten days on it is overdue; the sweep escalates it to the owner's line manager, and the QA counts it overdue.
    clock_at(START + dt.timedelta(days=10))
    sweep_actions()
    deliver_lesson_action_events()
    people.as_(authoriser)
    (found,) = people.run(LESSON, {"id": lesson["id"]})["lesson"]["actions"]
    assert found == {
        "id": action_id,
        "status": "in_progress",
        "overdue": True,
        "lesson": {"id": lesson["id"]},
        "cause": {"id": cause_id},
        "owner": {"id": str(handler.id)},
    }
    told = people.run(DELIVERIES, {"to": str(authoriser.id)})["deliveries"]["nodes"]
    assert any("Check the contractor's diary before booking" in d["subject"] for d in told), told
    report = people.act(QA_COMPUTE, {"month": MONTH}, "QaReportComputed")["qaReport"]
    assert (report["failing"]["overdue"], report["overdueCount"]) == ([action_id], 1)

    # 4. The owner records it done, late, with evidence; another manager signs it off and verifies it.
    clock_at(START + dt.timedelta(days=11))
    people.as_(handler).act(
        COMPLETE, {"id": action_id, "text": "Bookings now check the diary."}, "ImprovementActionCompleted"
    )
    change = "We now check the contractor's diary before we book a repair."
    people.as_(checker).act(SIGN_OFF, {"id": action_id, "residentMessage": change}, "ImprovementActionSignedOff")
    # The resident whose complaint led to it is told what changed (self-assessment item 12).
    told_resident = OutboxEvent.get(OutboxEvent.name == "lessons.improvement_made")
    assert (told_resident.payload["complaint_id"], told_resident.payload["change"]) == (complaint.id, change)
    people.act(VERIFY, {"id": action_id, "effect": "addressed", "note": "Down to 3."}, "ImprovementActionVerified")

    # 5. The month's QA shows each step: transferred, SMART, done late (not on time), no longer overdue, effective.
    report = people.as_(authoriser).act(QA_COMPUTE, {"month": MONTH}, "QaReportComputed")["qaReport"]
    assert report == {
        "transferMet": 1,
        "transferDue": 1,
        "smartMet": 1,
        "smartDue": 1,
        "onTimeMet": 0,
        "onTimeDue": 1,
        "overdueCount": 0,
        "effectiveMet": 1,
        "effectiveDue": 1,
        "failing": {"transferComplaints": [], "smart": [], "onTime": [action_id], "overdue": [], "effective": []},
    }

    # The member of staff involved is named on the complaint, briefed on the outcome, and acknowledges it.
    people.act(
        NAME_STAFF, {"id": str(complaint.id), "personId": str(involved.id), "part": "involved"}, "ComplaintStaffNamed"
    )
    briefing_id = people.act(
        BRIEF,
        {
            "complaintId": str(complaint.id),
            "personId": str(involved.id),
            "summary": "Upheld: appointments were missed. Bookings now check the contractor's diary.",
        },
        "StaffBriefingSent",
    )["staffBriefing"]["id"]
    acknowledged = people.as_(involved).act(ACKNOWLEDGE, {"id": briefing_id}, "StaffBriefingAcknowledged")
    assert acknowledged["staffBriefing"]["acknowledgedAt"] is not None
