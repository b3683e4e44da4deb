"""Panels, memberships, reviews, meetings, attendance, interviews and the work programme through real GraphQL text,
as staff, as a member of the panel, as a member of another panel, and anonymously."""

from __future__ import annotations

import datetime as dt
from typing import Any

from backend.panels.models import PanelMembership, ScrutinyReview
from backend.timeutil import local_date, utcnow
from tests import factories

PROBLEMS = "__typename ... on Problem { code message } ... on ValidationError { field problems { field code message } }"
PANEL_CREATE = (
    "mutation ($input: PanelCreateInput!) { panelCreate(input: $input) { "
    "... on PanelCreated { panel { id name quorum } } " + PROBLEMS + " } }"
)
MEMBERSHIP_ADD = (
    "mutation ($input: PanelMembershipAddInput!) { panelMembershipAdd(input: $input) { "
    "... on PanelMembershipAdded { panelMembership { id role memberName } } " + PROBLEMS + " } }"
)
REVIEW_CREATE = (
    "mutation ($input: ScrutinyReviewCreateInput!) { scrutinyReviewCreate(input: $input) { "
    "... on ScrutinyReviewCreated { scrutinyReview { id reference status } } " + PROBLEMS + " } }"
)
MEETING_SCHEDULE = (
    "mutation ($input: PanelMeetingScheduleInput!) { panelMeetingSchedule(input: $input) { "
    "... on PanelMeetingScheduled { panelMeeting { id mode agenda } } " + PROBLEMS + " } }"
)
INTERVIEW_ADD = (
    "mutation ($input: StaffInterviewAddInput!) { staffInterviewAdd(input: $input) { "
    "... on StaffInterviewAdded { staffInterview { id intervieweeRole } } " + PROBLEMS + " } }"
)
WORK_ADD = (
    "mutation ($input: WorkProgrammeItemAddInput!) { workProgrammeItemAdd(input: $input) { "
    "... on WorkProgrammeItemAdded { workProgrammeItem { id topic source } } " + PROBLEMS + " } }"
)
REVIEW = (
    "query ($id: ID!) { scrutinyReview(id: $id) { reference topic scope panel { name memberships { "
    "memberName role } } meetings { agenda minutes } interviews { intervieweeRole notes } } }"
)
MEMBER_VIEW = "{ panels { nodes { name } } scrutinyReviews { nodes { reference } } }"


def run(browser: Any, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = browser.graphql(query, variables).get_json()
    assert "errors" not in body, body
    return body["data"]


def test_staff_build_a_panel_and_a_review(browser, signed_in) -> None:
    staff = signed_in("staff")
    panel = run(browser, PANEL_CREATE, {"input": {"name": "Residents' Panel", "quorum": 4}})["panelCreate"]["panel"]
    person = factories.make_user("resident", "panel_member")
    added = run(
        browser,
        MEMBERSHIP_ADD,
        {"input": {"panelId": panel["id"], "personId": str(person.id), "startedOn": "2026-01-05", "role": "chair"}},
    )["panelMembershipAdd"]["panelMembership"]
    assert (added["role"], added["memberName"]) == ("chair", person.display_name)
    review = run(browser, REVIEW_CREATE, {"input": {"panelId": panel["id"], "topic": "Complaints"}})[
        "scrutinyReviewCreate"
    ]["scrutinyReview"]
    assert review["reference"] == f"SR-{local_date().year}-01" and review["status"] == "planned"
    starts = (utcnow() + dt.timedelta(days=5)).replace(tzinfo=dt.UTC).isoformat()
    meeting = run(
        browser,
        MEETING_SCHEDULE,
        {"input": {"reviewId": review["id"], "startsAt": starts, "mode": "online", "agenda": "1. Welcome"}},
    )["panelMeetingSchedule"]
    assert meeting["panelMeeting"]["mode"] == "online", meeting
    interview = run(
        browser,
        INTERVIEW_ADD,
        {
            "input": {
                "reviewId": review["id"],
                "intervieweeRole": "Team leader",
                "heldOn": local_date().isoformat(),
                "personId": str(staff.id),
            }
        },
    )["staffInterviewAdd"]
    assert interview["staffInterview"]["intervieweeRole"] == "Team leader"
    work = run(browser, WORK_ADD, {"input": {"panelId": panel["id"], "topic": "Repairs", "source": "votes"}})
    assert work["workProgrammeItemAdd"]["workProgrammeItem"]["source"] == "votes"


def test_bad_input_comes_back_as_problems(browser, signed_in) -> None:
    signed_in("staff")
    panel = factories.make_panel()
    result = run(
        browser,
        MEMBERSHIP_ADD,
        {
            "input": {
                "panelId": str(panel.id),
                "personId": str(factories.make_user("resident").id),
                "startedOn": "2026-01-05",
                "role": "king",
            }
        },
    )["panelMembershipAdd"]
    assert result["__typename"] == "ValidationError"
    assert {(p["field"], p["code"]) for p in result["problems"]} == {
        ("personId", "not_panel_member"),
        ("role", "unsupported"),
    } or {p["code"] for p in result["problems"]} == {"not_panel_member", "unsupported"}
    assert all(p["message"] for p in result["problems"])


def test_member_cannot_create(browser, signed_in) -> None:
    signed_in("resident", "panel_member")
    body = browser.graphql(PANEL_CREATE, {"input": {"name": "Mine"}}).get_json()
    result = (body.get("data") or {}).get("panelCreate")
    assert result is None or result["__typename"] == "NotAllowedError"


def _panel_with_review() -> tuple[Any, Any, Any]:
    panel = factories.make_panel()
    staff = factories.make_staff()
    factories.make_panel_support(panel, staff)
    chair = factories.make_panel_membership(panel, role="chair")
    review = factories.make_scrutiny_review(panel, scope="Stage 1 and 2")
    factories.make_panel_meeting(review, agenda="1. Figures", minutes="We met.")
    interview = factories.make_staff_interview(review)
    interview.person = staff
    interview.notes = "Explained the letters."
    interview.save()
    return panel, chair, review


def test_member_sees_their_review_without_staff(browser) -> None:
    panel, chair, review = _panel_with_review()
    other = factories.make_panel_membership(panel)
    browser.sign_in(chair.person.email)
    data = run(browser, REVIEW, {"id": str(review.id)})["scrutinyReview"]
    assert data["scope"] == "Stage 1 and 2"
    names = {m["memberName"] for m in data["panel"]["memberships"]}
    assert names == {chair.person.display_name, other.person.display_name}
    assert data["meetings"] == [{"agenda": "1. Figures", "minutes": "We met."}]
    assert data["interviews"] == [{"intervieweeRole": "Complaints team leader", "notes": "Explained the letters."}]


def test_member_cannot_ask_for_staff_fields(browser) -> None:
    _panel, chair, review = _panel_with_review()
    browser.sign_in(chair.person.email)
    for query in (
        "query ($id: ID!) { scrutinyReview(id: $id) { interviews { person { id } } } }",
        "query ($id: ID!) { scrutinyReview(id: $id) { createdBy { id } } }",
        "query ($id: ID!) { scrutinyReview(id: $id) { panel { support { duty } } } }",
        "query ($id: ID!) { scrutinyReview(id: $id) { panel { seniorLead { id } } } }",
        "query ($id: ID!) { scrutinyReview(id: $id) { panel { memberships { conflicts } } } }",
    ):
        body = browser.graphql(query, {"id": str(review.id)}).get_json()
        assert body.get("errors"), query
    assert "panelSupports" in str(browser.graphql("{ panelSupports { nodes { duty } } }").get_json()["errors"])


def test_other_panels_review_is_not_found_for_a_member(browser) -> None:
    _panel, _chair, review = _panel_with_review()
    outsider = factories.make_panel_membership()  # of another panel
    browser.sign_in(outsider.person.email)
    assert run(browser, REVIEW, {"id": str(review.id)})["scrutinyReview"] is None
    assert run(browser, REVIEW, {"id": "999999"})["scrutinyReview"] is None
    data = run(browser, MEMBER_VIEW)
    assert [p["name"] for p in data["panels"]["nodes"]] == [outsider.panel.name]
    assert data["scrutinyReviews"]["nodes"] == []


def test_a_member_who_left_sees_nothing(browser) -> None:
    panel, _chair, review = _panel_with_review()
    left = factories.make_panel_membership(
        panel, started_on=local_date() - dt.timedelta(days=90), ended_on=local_date() - dt.timedelta(days=1)
    )
    browser.sign_in(left.person.email)
    assert run(browser, REVIEW, {"id": str(review.id)})["scrutinyReview"] is None


def test_staff_see_everything(browser, signed_in) -> None:
    _panel, _chair, review = _panel_with_review()
    signed_in("staff")
    data = run(
        browser,
        "query ($id: ID!) { scrutinyReview(id: $id) { interviews { person { id } } "
        "panel { support { duty } memberships { conflicts person { id } } } } }",
        {"id": str(review.id)},
    )["scrutinyReview"]
    assert data["panel"]["support"] == [{"duty": "Panel officer"}]


def test_anonymous_sees_no_panels(browser) -> None:
    _panel_with_review()
    body = browser.graphql(MEMBER_VIEW).get_json()
    assert body.get("errors") or not any((body.get("data") or {}).values())


def test_makeup_query_for_staff(browser, signed_in) -> None:
    panel, _chair, _review = _panel_with_review()
    signed_in("staff")
    data = run(
        browser,
        "query ($id: ID!) { panelMakeup(panelId: $id) { dimension panelTotal groups { group panel residents } } }",
        {"id": str(panel.id)},
    )
    assert [d["dimension"] for d in data["panelMakeup"]] == ["age_band", "tenure", "area", "language", "disability"]
    assert all(d["panelTotal"] is None for d in data["panelMakeup"])


def test_review_moves_and_follow_up_through_the_api(browser, signed_in) -> None:
    signed_in("staff")
    review = factories.make_scrutiny_review(status="planned")
    move = (
        "mutation ($input: ScrutinyReviewMoveInput!) { scrutinyReviewMove(input: $input) { "
        "... on ScrutinyReviewMoved { scrutinyReview { status } } " + PROBLEMS + " } }"
    )
    moved = run(browser, move, {"input": {"id": str(review.id), "status": "gathering"}})["scrutinyReviewMove"]
    assert moved["scrutinyReview"]["status"] == "gathering"
    refused = run(browser, move, {"input": {"id": str(review.id), "status": "published"}})["scrutinyReviewMove"]
    assert refused["__typename"] == "ConflictError" and refused["message"]
    due = (
        "mutation ($input: ScrutinyReviewInput!) { scrutinyReviewFollowUpDueSet(input: $input) { "
        "... on ScrutinyReviewFollowUpDueSet { scrutinyReview { followUpDueOn } } " + PROBLEMS + " } }"
    )
    assert run(browser, due, {"input": {"id": str(review.id)}})["scrutinyReviewFollowUpDueSet"]["scrutinyReview"][
        "followUpDueOn"
    ]
    assert ScrutinyReview.get_by_id(review.id).follow_up_due_on is not None
    assert PanelMembership.select().count() == 0
