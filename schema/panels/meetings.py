"""Review meetings, attendance and staff interviews in the API, with the mutations staff run on them.

A panel member sees the meetings of their own panels' reviews (agenda, minutes, time, place), who attended by display
name, and the staff interviewed by job title with the notes: never the interviewee's account, nor who recorded what.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from backend.panels import meetings
from backend.panels.models import PanelAttendance, PanelMeeting, StaffInterview
from schema.access import STAFF_ACCESS
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.declare import Access, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id
from schema.panels.access import OWN_REVIEW
from schema.panels.panels import KEPT, display_name_of, given

mutations = Mutations()

MEETING = Resource(
    name="PanelMeeting",
    plural="panelMeetings",
    model=PanelMeeting,
    description="A meeting of a review: when, how, where, the agenda, the minutes and the papers sent.",
    members=[
        ToOne("review", "The review.", target="ScrutinyReview"),
        Column("starts_at", "When it starts."),
        Column("minutes_long", "How long it is planned to last, in minutes."),
        Column("mode", "in_person, online or hybrid."),
        Column("place", "Where, or how to join online."),
        Column("agenda", "The agenda, as written."),
        Column("minutes", "The minutes, as written."),
        Column("papers_sent_at", "When the papers went to members. Null: not yet."),
        Column("reminded_at", "When members were reminded. Null: not yet."),
        ToOne("created_by", "Who scheduled it (staff only)."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
        ToMany("attendance", "Who came, or sent apologies.", target="PanelAttendance"),
    ],
    access={
        **STAFF_ACCESS,
        "panel_member": Access(
            (
                "review",
                "startsAt",
                "minutesLong",
                "mode",
                "place",
                "agenda",
                "minutes",
                "papersSentAt",
                "createdAt",
                "updatedAt",
                "attendance",
            ),
            where={"review": OWN_REVIEW},
        ),
    },
    default_order=("startsAt", "id"),
)
ATTENDANCE = Resource(
    name="PanelAttendance",
    plural="panelAttendances",
    model=PanelAttendance,
    description="A member at a meeting, with the time they gave.",
    members=[
        ToOne("meeting", "The meeting.", target="PanelMeeting"),
        ToOne("person", "The member (staff only)."),
        Computed("attendee_name", "The member's display name.", kind="string", sql=display_name_of("person")),
        Column("attended", "False: sent apologies."),
        Column("minutes_given", "Time given, in minutes."),
        ToOne("recorded_by", "Who recorded it (staff only)."),
        Column("recorded_at", "When it was recorded."),
    ],
    access={
        **STAFF_ACCESS,
        "panel_member": Access(("meeting", "attendeeName", "attended"), where={"meeting": {"review": OWN_REVIEW}}),
    },
    default_order=("id",),
)
INTERVIEW = Resource(
    name="StaffInterview",
    plural="staffInterviews",
    model=StaffInterview,
    description="A member of staff the panel interviewed for a review, by job title, with the panel's notes.",
    members=[
        ToOne("review", "The review.", target="ScrutinyReview"),
        Column("interviewee_role", "Their job, e.g. Complaints team leader; never a name."),
        ToOne("person", "The member of staff (staff only)."),
        Column("held_on", "The UK day it was held."),
        Column("notes", "The panel's notes."),
        ToOne("recorded_by", "Who recorded it (staff only)."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
    ],
    access={
        **STAFF_ACCESS,
        "panel_member": Access(
            ("review", "intervieweeRole", "heldOn", "notes", "createdAt", "updatedAt"), where={"review": OWN_REVIEW}
        ),
    },
    default_order=("heldOn", "id"),
)

RESOURCES = [MEETING, ATTENDANCE, INTERVIEW]

MEETING_NAMES = ("starts_at", "minutes_long", "mode", "place", "agenda", "minutes")


def _meeting_values(data: Any) -> dict[str, Any]:
    values = given(data, MEETING_NAMES)
    return {name: value for name, value in values.items() if value is not None or name == "starts_at"}


@strawberry.input(description="A meeting of a review. Its members are invited in their language and channel.")
class PanelMeetingScheduleInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    starts_at: dt.datetime = strawberry.field(description="When it starts, not in the past.")
    minutes_long: int = strawberry.field(default=120, description="From 15 to 600.")
    mode: str = strawberry.field(default="in_person", description="in_person, online or hybrid.")
    place: str = strawberry.field(default="", description="Where, or how to join; up to 300 characters.")
    agenda: str = strawberry.field(default="", description="Up to 10,000 characters.")
    minutes: str = strawberry.field(default="", description="Up to 10,000 characters.")


@strawberry.input(description="Change a meeting: only the fields given change. A new time invites members again.")
class PanelMeetingUpdateInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    starts_at: dt.datetime | None = strawberry.field(
        default=strawberry.UNSET, description="Kept as it is when not given."
    )
    minutes_long: int | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    mode: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    place: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    agenda: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    minutes: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)


@strawberry.input(description="A meeting.")
class PanelMeetingInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")


@mutations.add("panelMeetingSchedule", roles=STAFF, payload="PanelMeetingScheduled")
def schedule(context: Context, data: PanelMeetingScheduleInput) -> Outcome:
    """Schedule a meeting of a review and invite the panel's members (staff)."""
    meeting = meetings.schedule_meeting(
        context.actor, parse_id(data.review_id, "scrutiny_review"), _meeting_values(data)
    )
    return Outcome(meeting.id)


@mutations.add("panelMeetingUpdate", roles=STAFF, payload="PanelMeetingUpdated")
def update(context: Context, data: PanelMeetingUpdateInput) -> Outcome:
    """Change a meeting's time, place, agenda or minutes (staff)."""
    values = _meeting_values(data)
    if values.get("starts_at") is None:
        values.pop("starts_at", None)
    return Outcome(meetings.update_meeting(context.actor, parse_id(data.id, "panel_meeting"), values).id)


@mutations.add("panelMeetingPapersSent", roles=STAFF, payload="PanelMeetingPapersSent")
def papers_sent(context: Context, data: PanelMeetingInput) -> Outcome:
    """Record that a meeting's papers went out, by post and in large print where members asked (staff)."""
    return Outcome(meetings.mark_papers_sent(context.actor, parse_id(data.id, "panel_meeting")).id)


@strawberry.input(description="A member at a meeting.")
class PanelAttendanceRecordInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    person_id: strawberry.ID = strawberry.field(description="A member of the panel on the meeting's day.")
    attended: bool = strawberry.field(default=True, description="False: sent apologies.")
    minutes_given: int = strawberry.field(default=0, description="From 0 to 1,440, travel and reading included.")


@strawberry.input(description="An attendance record to take off a meeting.")
class PanelAttendanceRemoveInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    id: strawberry.ID = strawberry.field(description="The record to act on.")


@mutations.add("panelAttendanceRecord", roles=STAFF, payload="PanelAttendanceRecorded")
def record_attendance(context: Context, data: PanelAttendanceRecordInput) -> Outcome:
    """Record that a member came to a meeting, or sent apologies (staff)."""
    row = meetings.record_attendance(
        context.actor,
        parse_id(data.meeting_id, "panel_meeting"),
        reference_id(data.person_id),
        data.attended,
        data.minutes_given,
    )
    return Outcome(row.id)


@mutations.add("panelAttendanceRemove", roles=STAFF, payload="PanelAttendanceRemoved", resource="PanelMeeting")
def remove_attendance(context: Context, data: PanelAttendanceRemoveInput) -> Outcome:
    """Take an attendance record off a meeting to correct it (staff); the payload holds the meeting."""
    meeting = meetings.remove_attendance(
        context.actor, parse_id(data.meeting_id, "panel_meeting"), parse_id(data.id, "panel_attendance")
    )
    return Outcome(meeting.id)


@strawberry.input(description="A member of staff the panel interviewed.")
class StaffInterviewAddInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    interviewee_role: str = strawberry.field(description="Their job, up to 120 characters; never a name.")
    held_on: dt.date = strawberry.field(description="Not in the future.")
    person_id: strawberry.ID | None = strawberry.field(default=None, description="The member of staff, if known.")
    notes: str = strawberry.field(default="", description="Up to 10,000 characters.")


@strawberry.input(description="Change an interview's record: only the fields given change.")
class StaffInterviewUpdateInput:
    id: strawberry.ID = strawberry.field(description="The record to act on.")
    interviewee_role: str | None = strawberry.field(
        default=strawberry.UNSET, description="Kept as it is when not given."
    )
    held_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description=KEPT)
    person_id: strawberry.ID | None = strawberry.field(default=strawberry.UNSET, description="Null clears it.")
    notes: str | None = strawberry.field(default=strawberry.UNSET, description=KEPT)


def _interview_values(data: Any) -> dict[str, Any]:
    values = given(data, ("interviewee_role", "held_on", "person_id", "notes"))
    if values.get("person_id") is not None:
        values["person_id"] = reference_id(values["person_id"])
    for name in ("interviewee_role", "held_on", "notes"):
        if name in values and values[name] is None:
            values.pop(name)
    return values


@mutations.add("staffInterviewAdd", roles=STAFF, payload="StaffInterviewAdded")
def add_interview(context: Context, data: StaffInterviewAddInput) -> Outcome:
    """Record a member of staff the panel interviewed for a review, with the notes (staff)."""
    row = meetings.add_interview(context.actor, parse_id(data.review_id, "scrutiny_review"), _interview_values(data))
    return Outcome(row.id)


@mutations.add("staffInterviewUpdate", roles=STAFF, payload="StaffInterviewUpdated")
def update_interview(context: Context, data: StaffInterviewUpdateInput) -> Outcome:
    """Change an interview's record (staff)."""
    row = meetings.update_interview(context.actor, parse_id(data.id, "staff_interview"), _interview_values(data))
    return Outcome(row.id)
