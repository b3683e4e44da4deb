"""Staff sharing in the API: champions, meetings, staff briefings, the lessons bulletin, training and success stories.

Staff only: residents, advocates and panel members see none of it, nor do their tokens. A staff briefing is about
a complaint, so it follows the complaint's case: hidden from whoever the case is hidden from, except the briefed
person's own briefing, whose complaint then reads as null (they see the summary, not the case).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.file_uploads import Upload
from strawberry.types import Info

from backend.complaints.models import Complaint
from backend.errors import DomainError, Invalid
from backend.lessons import briefings, bulletins, champions, meetings, stories, training
from backend.lessons.briefings import BriefingPart
from backend.lessons.models import (
    ActionStatus,
    ActionType,
    AgendaItem,
    Bulletin,
    BulletinLesson,
    Champion,
    ImprovementAction,
    Lesson,
    LessonStatus,
    Meeting,
    MeetingAttendee,
    MeetingKind,
    StaffBriefing,
    StoryLink,
    StoryMedia,
    SuccessStory,
    TrainingAttendee,
    TrainingRecord,
)
from schema.access import HIDDEN_CASE, MANAGER_ROLES, SELF, STAFF_ACCESS, reach, staff
from schema.access import STAFF_ROLES as STAFF
from schema.context import Context
from schema.engine.access import only_for
from schema.engine.declare import Access, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id, reference_id
from schema.error_texts import CONFLICT, INVALID, N_, NOT_ALLOWED_BECAUSE
from schema.errors import argument_error

mutations = Mutations()


def _lesson_column(column: str) -> Any:
    """SQL: a column of the lesson a row's ``lesson`` key names (null when none)."""

    def sql(alias: Any) -> Any:
        return Lesson.select(getattr(Lesson, column)).where(Lesson.id == alias.lesson)

    return sql


def _action_title(alias: Any) -> Any:
    return ImprovementAction.select(ImprovementAction.title).where(ImprovementAction.id == alias.action)


def _key(name: str) -> Any:
    return lambda alias: getattr(alias, name)


# The flat fields came before the relations; kept so older clients keep working (the engine has no deprecation).
KEPT = "Kept for older clients: ask for the relation instead."


def _lesson_members() -> list[Any]:
    return [
        ToOne("lesson", "The lesson, if any."),
        Computed("lesson_id", f"The lesson, if any, by id. {KEPT}", kind="id", sql=_key("lesson")),
        Computed(
            "lesson_reference",
            f"The lesson's reference, LS-YYYY-NNNN. {KEPT}",
            kind="string",
            sql=_lesson_column("reference"),
        ),
        Computed("lesson_title", f"The lesson's title. {KEPT}", kind="string", sql=_lesson_column("title")),
    ]


def _action_members() -> list[Any]:
    return [
        ToOne("action", "The improvement action, if any.", target="ImprovementAction"),
        Computed("action_id", f"The improvement action, if any, by id. {KEPT}", kind="id", sql=_key("action")),
        Computed("action_title", f"The improvement action's title. {KEPT}", kind="string", sql=_action_title),
    ]


CHAMPION = Resource(
    name="Champion",
    plural="champions",
    model=Champion,
    description="A team's lessons-learnt champion, from the day appointed to the day ended.",
    members=[
        Column("team", "The team."),
        Column("appointed_on", "The first day."),
        Column("ended_on"),
        Column("responsibilities", "What they do as champion."),
        Column("updated_at", "When it last changed."),
        ToOne("person", "The member of staff."),
    ],
    access=STAFF_ACCESS,
    default_order=("team", "-appointedOn", "id"),
)
MEETING = Resource(
    name="Meeting",
    plural="meetings",
    model=Meeting,
    description="A meeting where lessons and actions were discussed (self-assessment items 10, 11 and 14).",
    members=[
        Column("kind", "What kind of meeting it was."),
        Column("title", "Its title."),
        Column("held_on", "The day it was held."),
        Column("team", "The team."),
        Column("minutes", "Its minutes."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
        ToOne("recorded_by", "Who recorded it."),
        ToMany("attendees", "Who came.", target="MeetingAttendee"),
        ToMany("agenda", "Its agenda, in order.", target="AgendaItem"),
    ],
    access=STAFF_ACCESS,
    search=("title",),
    default_order=("-heldOn", "-id"),
)
MEETING_ATTENDEE = Resource(
    name="MeetingAttendee",
    plural="meetingAttendees",
    model=MeetingAttendee,
    description="Someone at a meeting: a member of staff, or a guest by name.",
    members=[
        Column("name", "A guest's name; empty for a member of staff."),
        ToOne("person", "The member of staff, if not a guest."),
        ToOne("meeting", "The meeting."),
    ],
    access=STAFF_ACCESS,
)
AGENDA_ITEM = Resource(
    name="AgendaItem",
    plural="agendaItems",
    model=AgendaItem,
    description="An item of a meeting's agenda, with its notes and the lesson or action it discussed.",
    members=[
        Column("updated_at", "When it last changed."),
        Column("position", "Its place on the agenda, from 1."),
        Column("title", "Its title."),
        Column("notes", "Notes."),
        *_lesson_members(),
        *_action_members(),
        ToOne("meeting", "The meeting."),
    ],
    access=STAFF_ACCESS,
    default_order=("position", "id"),
)
STAFF_BRIEFING = Resource(
    name="StaffBriefing",
    plural="staffBriefings",
    model=StaffBriefing,
    description="A member of staff involved in a complaint told its outcome and the lessons drawn, and when they "
    "acknowledged it (self-assessment item 6).",
    members=[
        Column("summary"),
        Column("sent_at", "When it was sent."),
        Column("acknowledged_at"),
        Column("updated_at", "When it last changed."),
        ToOne("person", "The member of staff."),
        ToOne("sent_by", "Who sent it."),
        ToOne("complaint", "The complaint; null for the person briefed when its case is hidden from them."),
    ],
    # Their own briefing, always; anyone else's only when its case is not hidden from the viewer.
    access=staff(
        Access(
            where={"or": [{"person": SELF}, {"not": reach("complaint.contact", HIDDEN_CASE)}]},
            aggregate=True,
        )
    ),
    default_order=("-sentAt", "-id"),
)
BULLETIN = Resource(
    name="Bulletin",
    plural="bulletins",
    model=Bulletin,
    description="An internal lessons bulletin: the lessons closed in a period, sent to all staff.",
    members=[
        Column("updated_at", "When it last changed."),
        Column("title", "Its title."),
        Column("period_start", "The first day of its period."),
        Column("period_end", "The last day of its period."),
        Column("introduction", "Its introduction."),
        Column("created_at", "When it was recorded."),
        Column("sent_at", "When it was sent to staff; null: a draft."),
        ToOne("created_by", "Who assembled it."),
        ToMany("lessons", "The lessons it holds.", target="BulletinLesson"),
    ],
    access=STAFF_ACCESS,
    default_order=("-createdAt", "-id"),
)
BULLETIN_LESSON = Resource(
    name="BulletinLesson",
    plural="bulletinLessons",
    model=BulletinLesson,
    description="A lesson in a bulletin: its title and early lesson, never personal data.",
    members=[
        *_lesson_members(),
        Computed(
            "lesson_early_lesson",
            "The lesson as first seen.",
            kind="string",
            sql=_lesson_column("early_lesson"),
            filterable=False,
            sortable=False,
        ),
        ToOne("bulletin", "The bulletin."),
    ],
    access=STAFF_ACCESS,
)
TRAINING_RECORD = Resource(
    name="TrainingRecord",
    plural="trainingRecords",
    model=TrainingRecord,
    description="Training delivered because of lessons, linked to the staff-training action it carries out.",
    members=[
        Column("title", "Its title."),
        Column("delivered_on", "The day it was delivered."),
        Column("audience"),
        Column("attendees", "How many attended."),
        Column("notes", "Notes."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
        *_action_members(),
        ToOne("recorded_by", "Who recorded it."),
        ToMany("people", "The members of staff named as attending.", target="TrainingAttendee"),
    ],
    access=STAFF_ACCESS,
    default_order=("-deliveredOn", "-id"),
)
TRAINING_ATTENDEE = Resource(
    name="TrainingAttendee",
    plural="trainingAttendees",
    model=TrainingAttendee,
    description="A member of staff named as attending training.",
    members=[ToOne("person", "The member of staff."), ToOne("record", "The training.", target="TrainingRecord")],
    access=STAFF_ACCESS,
)
SUCCESS_STORY = Resource(
    name="SuccessStory",
    plural="successStories",
    model=SuccessStory,
    description="A success story: what changed because of lessons and actions, drafted by staff, approved by a "
    "manager. Not shown to residents.",
    members=[
        Column("title", "Its title."),
        Column("story", "The story."),
        Column("before_figure", "The figure before."),
        Column("after_figure", "The figure after."),
        Column("status", "Where it is between draft and approval."),
        Column("return_reason", "Why it was last returned; empty when never."),
        Column("approved_at", "When a manager approved it."),
        Column("created_at", "When it was recorded."),
        Column("updated_at", "When it last changed."),
        ToOne("drafted_by", "Who wrote it."),
        ToOne("approved_by", "The manager who approved it."),
        ToMany("media", "Its images and video links.", target="StoryMedia"),
        ToMany("links", "The lessons and actions it came from.", target="StoryLink"),
    ],
    access=STAFF_ACCESS,
    default_order=("-updatedAt", "-id"),
)
STORY_MEDIA = Resource(
    name="StoryMedia",
    plural="storyMedia",
    model=StoryMedia,
    description="An image (uploaded or linked) or a video link of a success story, with its text alternative.",
    members=[
        Column("url", "The link; empty for an uploaded image."),
        Column("file_name", "An uploaded image's file name."),
        Column("media_type", "An uploaded image's media type."),
        Column("size", "An uploaded image's size in bytes."),
        Column("alt_text"),
        Column("added_at", "When it was added."),
        ToOne("story", "The story.", target="SuccessStory"),
    ],
    access=STAFF_ACCESS,
)
STORY_LINK = Resource(
    name="StoryLink",
    plural="storyLinks",
    model=StoryLink,
    description="A lesson or action a success story came from.",
    members=[*_lesson_members(), *_action_members(), ToOne("story", "The story.", target="SuccessStory")],
    access=STAFF_ACCESS,
)

RESOURCES = [
    CHAMPION,
    MEETING,
    MEETING_ATTENDEE,
    AGENDA_ITEM,
    STAFF_BRIEFING,
    BULLETIN,
    BULLETIN_LESSON,
    TRAINING_RECORD,
    TRAINING_ATTENDEE,
    SUCCESS_STORY,
    STORY_MEDIA,
    STORY_LINK,
]


def _optional(raw: strawberry.ID | None) -> int | None:
    return reference_id(raw) if raw not in (None, "") else None


def _ids(raw: list[strawberry.ID]) -> list[int]:
    return [reference_id(item) for item in raw]


# --- Champions ----------------------------------------------------------------------------------------------------


@strawberry.input(description="Name a member of staff a lessons-learnt champion for a team.")
class ChampionAppointInput:
    person_id: strawberry.ID = strawberry.field(description="An active member of staff.")
    team: str = strawberry.field(description="The team, up to 100 characters.")
    appointed_on: dt.date = strawberry.field(description="The first day.")
    responsibilities: str = strawberry.field(default="", description="What they do, up to 10,000 characters.")


@strawberry.input(description="Set a champion's last day.")
class ChampionEndInput:
    id: strawberry.ID = strawberry.field(description="The champion.")
    ended_on: dt.date = strawberry.field(description="The last day, not before the first.")


@mutations.add("championAppoint", roles=MANAGER_ROLES, payload="ChampionAppointed")
def appoint(context: Context, data: ChampionAppointInput) -> Outcome:
    """Name a team's lessons-learnt champion, from a day. Managers only."""
    champion = champions.appoint_champion(
        context.actor, reference_id(data.person_id), data.team, data.appointed_on, data.responsibilities
    )
    return Outcome(champion.id)


@mutations.add("championEnd", roles=MANAGER_ROLES, payload="ChampionEnded")
def end(context: Context, data: ChampionEndInput) -> Outcome:
    """Set a champion's last day. Managers only."""
    return Outcome(champions.end_champion(context.actor, parse_id(data.id, "champion"), data.ended_on).id)


# --- Meetings -----------------------------------------------------------------------------------------------------


@strawberry.input(description="Record a meeting where lessons and actions were discussed.")
class MeetingCreateInput:
    kind: MeetingKind = strawberry.field(description="What kind of meeting it was.")
    title: str = strawberry.field(description="Its title, up to 200 characters.")
    held_on: dt.date = strawberry.field(description="The day it was held.")
    team: str | None = strawberry.field(default=None, description="The team, if any, up to 100 characters.")
    minutes: str = strawberry.field(default="", description="Its minutes, up to 10,000 characters.")


UNCHANGED = " Kept if not given."
CLEARED = " Null clears it."


@strawberry.input(description="Change a meeting's details and minutes: only the fields given change.")
class MeetingUpdateInput:
    id: strawberry.ID = strawberry.field(description="The meeting.")
    kind: MeetingKind | None = strawberry.field(
        default=strawberry.UNSET, description="What kind of meeting it was." + UNCHANGED
    )
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its title, up to 200 characters." + UNCHANGED
    )
    held_on: dt.date | None = strawberry.field(default=strawberry.UNSET, description="The day it was held." + UNCHANGED)
    team: str | None = strawberry.field(
        default=strawberry.UNSET, description="The team, if any, up to 100 characters." + UNCHANGED + CLEARED
    )
    minutes: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its minutes, up to 10,000 characters." + UNCHANGED + CLEARED
    )


@strawberry.input(description="Add a member of staff, or a guest by name, to a meeting's attendees.")
class MeetingAttendeeAddInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    person_id: strawberry.ID | None = strawberry.field(default=None, description="An active member of staff.")
    name: str = strawberry.field(default="", description="Or a guest's name, up to 120 characters.")


@strawberry.input(description="Take someone off a meeting's attendees.")
class MeetingAttendeeRemoveInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting; another meeting's answers as none.")
    id: strawberry.ID = strawberry.field(description="The attendee.")


@strawberry.input(description="Add an item at the end of a meeting's agenda.")
class AgendaItemAddInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting.")
    title: str = strawberry.field(description="The item, up to 200 characters.")
    notes: str = strawberry.field(default="", description="What was said, up to 10,000 characters.")
    lesson_id: strawberry.ID | None = strawberry.field(default=None, description="The lesson it discussed, if any.")
    action_id: strawberry.ID | None = strawberry.field(default=None, description="The action it discussed, if any.")


@strawberry.input(description="Take an item off a meeting's agenda.")
class AgendaItemRemoveInput:
    meeting_id: strawberry.ID = strawberry.field(description="The meeting; another meeting's answers as none.")
    id: strawberry.ID = strawberry.field(description="The agenda item.")


def _kind(value: Any) -> str:
    return str(getattr(value, "value", value))


@mutations.add("meetingCreate", roles=STAFF, payload="MeetingCreated")
def create_meeting(context: Context, data: MeetingCreateInput) -> Outcome:
    """Record a meeting: its kind, title, day, team and minutes."""
    made = meetings.create_meeting(context.actor, _kind(data.kind), data.title, data.held_on, data.team, data.minutes)
    return Outcome(made.id)


@mutations.add("meetingUpdate", roles=STAFF, payload="MeetingUpdated")
def update_meeting(context: Context, data: MeetingUpdateInput) -> Outcome:
    """Change a meeting's kind, title, day, team or minutes; what is not given is kept."""
    values: dict[str, Any] = {}
    for name in meetings.FIELDS:
        given = getattr(data, name)
        if given is strawberry.UNSET:
            continue
        if name == "kind":
            values[name] = _kind(given) if given is not None else ""
        elif name in ("title", "minutes"):
            values[name] = given or ""
        else:
            values[name] = given
    return Outcome(meetings.update_meeting(context.actor, parse_id(data.id, "meeting"), **values).id)


@mutations.add("meetingAttendeeAdd", roles=STAFF, payload="MeetingAttendeeAdded", resource="Meeting")
def add_attendee(context: Context, data: MeetingAttendeeAddInput) -> Outcome:
    """Add a member of staff, or a guest by name, to a meeting."""
    attendee = meetings.add_attendee(
        context.actor, parse_id(data.meeting_id, "meeting"), _optional(data.person_id), data.name
    )
    return Outcome(attendee.meeting_id)  # type: ignore[attr-defined]


@mutations.add("meetingAttendeeRemove", roles=STAFF, payload="MeetingAttendeeRemoved", resource="Meeting")
def remove_attendee(context: Context, data: MeetingAttendeeRemoveInput) -> Outcome:
    """Take someone off a meeting's attendees."""
    return Outcome(
        meetings.remove_attendee(context.actor, parse_id(data.meeting_id, "meeting"), parse_id(data.id, "attendee")).id
    )


@mutations.add("agendaItemAdd", roles=STAFF, payload="AgendaItemAdded", resource="Meeting")
def add_agenda_item(context: Context, data: AgendaItemAddInput) -> Outcome:
    """Add an item at the end of a meeting's agenda, with the lesson or action it discussed."""
    item = meetings.add_agenda_item(
        context.actor,
        parse_id(data.meeting_id, "meeting"),
        data.title,
        data.notes,
        _optional(data.lesson_id),
        _optional(data.action_id),
    )
    return Outcome(item.meeting_id)  # type: ignore[attr-defined]


@mutations.add("agendaItemRemove", roles=STAFF, payload="AgendaItemRemoved", resource="Meeting")
def remove_agenda_item(context: Context, data: AgendaItemRemoveInput) -> Outcome:
    """Take an item off a meeting's agenda."""
    return Outcome(
        meetings.remove_agenda_item(
            context.actor, parse_id(data.meeting_id, "meeting"), parse_id(data.id, "agenda_item")
        ).id
    )


# --- Staff briefings ----------------------------------------------------------------------------------------------


@strawberry.input(description="Tell a member of staff involved in a complaint its outcome and the lessons drawn.")
class StaffBriefingSendInput:
    complaint_id: strawberry.ID = strawberry.field(description="The complaint.")
    person_id: strawberry.ID = strawberry.field(description="A member of staff it names, or its handler.")
    summary: str = strawberry.field(description="The outcome and the lessons drawn, up to 10,000 characters.")


@strawberry.input(description="Acknowledge a briefing sent to you.")
class StaffBriefingAcknowledgeInput:
    id: strawberry.ID = strawberry.field(description="Your briefing.")


@mutations.add("staffBriefingSend", roles=STAFF, payload="StaffBriefingSent")
def send_briefing(context: Context, data: StaffBriefingSendInput) -> Outcome:
    """Send a briefing to a member of staff involved in a complaint. Managers and the complaint's handler."""
    briefing = briefings.send_briefing(
        context.actor, parse_id(data.complaint_id, "complaint"), reference_id(data.person_id), data.summary
    )
    return Outcome(briefing.id)


@mutations.add("staffBriefingAcknowledge", roles=STAFF, payload="StaffBriefingAcknowledged")
def acknowledge_briefing(context: Context, data: StaffBriefingAcknowledgeInput) -> Outcome:
    """Acknowledge your own briefing."""
    return Outcome(briefings.acknowledge_briefing(context.actor, parse_id(data.id, "staff_briefing")).id)


# --- Bulletins ----------------------------------------------------------------------------------------------------


@strawberry.input(description="Assemble a bulletin from the lessons closed in a period, as a draft.")
class BulletinCreateInput:
    title: str = strawberry.field(description="Its title, up to 200 characters.")
    period_start: dt.date = strawberry.field(description="The first day of the period.")
    period_end: dt.date = strawberry.field(description="The last day of the period, at most a year later.")
    introduction: str = strawberry.field(default="", description="Its introduction, up to 10,000 characters.")


@strawberry.input(description="Send a draft bulletin to every active member of staff.")
class BulletinSendInput:
    id: strawberry.ID = strawberry.field(description="The bulletin, not yet sent.")


@mutations.add("bulletinCreate", roles=MANAGER_ROLES, payload="BulletinCreated")
def create_bulletin(context: Context, data: BulletinCreateInput) -> Outcome:
    """Assemble a bulletin from the lessons closed in a period. Managers only."""
    bulletin = bulletins.create_bulletin(
        context.actor, data.title, data.period_start, data.period_end, data.introduction
    )
    return Outcome(bulletin.id)


@mutations.add("bulletinSend", roles=MANAGER_ROLES, payload="BulletinSent")
def send_bulletin(context: Context, data: BulletinSendInput) -> Outcome:
    """Send a bulletin to every active member of staff, one message each; only the first send goes out."""
    return Outcome(bulletins.send_bulletin(context.actor, parse_id(data.id, "bulletin")).id)


# --- Training -----------------------------------------------------------------------------------------------------


@strawberry.input(description="Record training delivered.")
class TrainingRecordCreateInput:
    title: str = strawberry.field(description="What was delivered, up to 200 characters.")
    delivered_on: dt.date = strawberry.field(description="The day, not in the future.")
    audience: str = strawberry.field(default="", description="Who it was for, up to 200 characters.")
    attendees: int = strawberry.field(default=0, description="How many attended, 0 to 100,000.")
    notes: str = strawberry.field(default="", description="Notes, up to 10,000 characters.")
    action_id: strawberry.ID | None = strawberry.field(
        default=None, description="The staff-training improvement action it carries out, if any."
    )
    people: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Up to 200 members of staff who attended, if named."
    )


@mutations.add("trainingRecordCreate", roles=STAFF, payload="TrainingRecordCreated")
def record_training(context: Context, data: TrainingRecordCreateInput) -> Outcome:
    """Record training delivered, linked to the training action it carries out."""
    record = training.record_training(
        context.actor,
        data.title,
        data.delivered_on,
        data.audience,
        data.attendees,
        data.notes,
        _optional(data.action_id),
        _ids(data.people),
    )
    return Outcome(record.id)


# --- Success stories ----------------------------------------------------------------------------------------------


@strawberry.input(description="Draft a success story.")
class SuccessStoryDraftInput:
    title: str = strawberry.field(description="Its title, up to 200 characters.")
    story: str = strawberry.field(description="The story, up to 10,000 characters.")
    before_figure: str = strawberry.field(default="", description="The figure before, up to 200 characters.")
    after_figure: str = strawberry.field(default="", description="The figure after, up to 200 characters.")
    lesson_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="The lessons behind it.")
    action_ids: list[strawberry.ID] = strawberry.field(default_factory=list, description="The actions behind it.")


@strawberry.input(description="Change a draft or returned success story of yours: only the fields given change.")
class SuccessStoryUpdateInput:
    id: strawberry.ID = strawberry.field(description="The story.")
    title: str | None = strawberry.field(
        default=strawberry.UNSET, description="Its title, up to 200 characters." + UNCHANGED
    )
    story: str | None = strawberry.field(
        default=strawberry.UNSET, description="The story, up to 10,000 characters." + UNCHANGED
    )
    before_figure: str | None = strawberry.field(
        default=strawberry.UNSET, description="The figure before, up to 200 characters." + UNCHANGED + CLEARED
    )
    after_figure: str | None = strawberry.field(
        default=strawberry.UNSET, description="The figure after, up to 200 characters." + UNCHANGED + CLEARED
    )
    lesson_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The lessons behind it: replaces them all (empty or null: none). Kept if not given.",
    )
    action_ids: list[strawberry.ID] | None = strawberry.field(
        default=strawberry.UNSET,
        description="The actions behind it: replaces them all (empty or null: none). Kept if not given.",
    )


@strawberry.input(description="Add an image or a video link to a success story, with its text alternative.")
class StoryMediaAddInput:
    story_id: strawberry.ID = strawberry.field(description="Your draft or returned story.")
    alt_text: str = strawberry.field(description="What it shows, for people who cannot see it; up to 300 characters.")
    url: str = strawberry.field(default="", description="An https link to a video or image; or send a file.")
    file: Upload | None = strawberry.field(
        default=None, description="An image (multipart request), no larger than the attachment size limit."
    )


@strawberry.input(description="Act on a success story.")
class SuccessStoryInput:
    id: strawberry.ID = strawberry.field(description="The story.")


@strawberry.input(description="Return a submitted success story to its author.")
class SuccessStoryReturnInput:
    id: strawberry.ID = strawberry.field(description="The story, submitted.")
    reason: str = strawberry.field(description="Why, up to 10,000 characters.")


@mutations.add("successStoryDraft", roles=STAFF, payload="SuccessStoryDrafted")
def draft_story(context: Context, data: SuccessStoryDraftInput) -> Outcome:
    """Draft a success story, linked to the lessons and actions behind it."""
    made = stories.draft_story(
        context.actor,
        data.title,
        data.story,
        data.before_figure,
        data.after_figure,
        _ids(data.lesson_ids),
        _ids(data.action_ids),
    )
    return Outcome(made.id)


@mutations.add("successStoryUpdate", roles=STAFF, payload="SuccessStoryUpdated")
def update_story(context: Context, data: SuccessStoryUpdateInput) -> Outcome:
    """Change a draft or returned story of yours or its links; what is not given is kept."""
    values: dict[str, Any] = {}
    for name in stories.UPDATABLE:
        given = getattr(data, name)
        if given is strawberry.UNSET:
            continue
        values[name] = _ids(given or []) if name.endswith("_ids") else given or ""
    return Outcome(stories.update_story(context.actor, parse_id(data.id, "success_story"), **values).id)


@mutations.add("storyMediaAdd", roles=STAFF, payload="StoryMediaAdded", resource="SuccessStory")
def add_media(context: Context, data: StoryMediaAddInput) -> Outcome:
    """Add an image (uploaded, checked by content and size) or a video or image link to your story."""
    upload: Any = data.file
    stream = getattr(upload, "stream", None) if upload is not None else None
    if upload is not None and (stream is None or not hasattr(stream, "read")):
        raise Invalid("attachments", "not_a_file")
    name = str(getattr(upload, "filename", "") or "image") if upload is not None else ""
    if upload is not None and getattr(upload, "filename", None) == "":
        stream = None  # an empty file field: no file chosen
    media = stories.add_media(
        context.actor, parse_id(data.story_id, "success_story"), data.alt_text, data.url, name, stream
    )
    return Outcome(media.story_id)  # type: ignore[attr-defined]


@mutations.add("successStorySubmit", roles=STAFF, payload="SuccessStorySubmitted")
def submit_story(context: Context, data: SuccessStoryInput) -> Outcome:
    """Send your story to managers for approval."""
    return Outcome(stories.submit_story(context.actor, parse_id(data.id, "success_story")).id)


@mutations.add("successStoryApprove", roles=MANAGER_ROLES, payload="SuccessStoryApproved")
def approve_story(context: Context, data: SuccessStoryInput) -> Outcome:
    """Approve a submitted story. A manager who did not write it."""
    return Outcome(stories.approve_story(context.actor, parse_id(data.id, "success_story")).id)


@mutations.add("successStoryReturn", roles=MANAGER_ROLES, payload="SuccessStoryReturned")
def return_story(context: Context, data: SuccessStoryReturnInput) -> Outcome:
    """Return a submitted story to its author with the reason. A manager who did not write it."""
    return Outcome(stories.return_story(context.actor, parse_id(data.id, "success_story"), data.reason).id)


# --- Plain queries ------------------------------------------------------------------------------------------------


@strawberry.type(description="A lesson of a team the viewer champions.")
class TeamLesson:
    id: strawberry.ID = strawberry.field(description="The lesson.")
    reference: str = strawberry.field(description="Its reference, LS-YYYY-NNNN.")
    title: str = strawberry.field(description="Its title.")
    status: LessonStatus = strawberry.field(description="Where it is in its life.")
    team: str = strawberry.field(description="Its team.")
    identified_on: dt.date = strawberry.field(description="The day it was identified.")


@strawberry.type(description="An improvement action of a team the viewer champions.")
class TeamAction:
    id: strawberry.ID = strawberry.field(description="The action.")
    lesson_id: strawberry.ID = strawberry.field(description="The lesson it comes from.")
    title: str = strawberry.field(description="What will be done, in a line.")
    status: ActionStatus = strawberry.field(description="Where it is on its path to done.")
    team: str = strawberry.field(description="The team that does it.")
    due_on: dt.date | None = strawberry.field(description="The day it is due; null: not set.")


@strawberry.type(description="The teams the viewer champions today, and their lessons and actions.")
class MyTeam:
    teams: list[str] = strawberry.field(description="The teams, by name; empty when the viewer champions none.")
    lessons: list[TeamLesson] = strawberry.field(
        description="Their lessons not archived, newest first, up to 200: a bounded list, not a connection."
    )
    actions: list[TeamAction] = strawberry.field(
        description="Their improvement actions, soonest due first, up to 200: a bounded list, not a connection."
    )


@strawberry.type(description="Someone who may be briefed about a complaint.")
class BriefablePerson:
    id: strawberry.ID = strawberry.field(description="The member of staff.")
    display_name: str = strawberry.field(description="Their name.")
    part: BriefingPart = strawberry.field(description="Why they may be briefed.")


@strawberry.type(description="What a briefing about a complaint starts from.")
class StaffBriefingDraft:
    summary: str = strawberry.field(description="The outcome, what is being put right and the lessons drawn.")
    people: list[BriefablePerson] = strawberry.field(description="The staff the complaint names, then its handler.")


@strawberry.type(description="A lesson a bulletin for a period would hold.")
class BulletinPreviewLesson:
    reference: str = strawberry.field(description="Its reference, LS-YYYY-NNNN.")
    title: str = strawberry.field(description="Its title.")
    early_lesson: str = strawberry.field(description="The lesson as first seen.")


@strawberry.type(description="Training delivered in a period: for SPSO indicator 3.")
class TrainingCount:
    sessions: int = strawberry.field(description="The training sessions delivered.")
    attendees: int = strawberry.field(description="Their attendees in all.")


@strawberry.type(description="A lesson to choose from, for links and agenda items.")
class LessonChoice:
    id: strawberry.ID = strawberry.field(description="The lesson.")
    reference: str = strawberry.field(description="Its reference, LS-YYYY-NNNN.")
    title: str = strawberry.field(description="Its title.")


@strawberry.type(description="An improvement action to choose from, for links, agenda items and training.")
class ActionChoice:
    id: strawberry.ID = strawberry.field(description="The action.")
    title: str = strawberry.field(description="What will be done, in a line.")
    action_type: ActionType = strawberry.field(description="What it changes.")


@strawberry.type(description="The lessons and actions staff may link to, newest first.")
class SharingChoices:
    lessons: list[LessonChoice] = strawberry.field(description="Lessons not archived, up to 200.")
    actions: list[ActionChoice] = strawberry.field(description="Improvement actions not cancelled, up to 200.")
    teams: list[str] = strawberry.field(
        description="The team names already in use (staff accounts' and champions' teams), one spelling each, "
        "to choose from rather than retype."
    )


DateArg = Annotated[dt.date, strawberry.argument(description="A UK day.")]


@only_for(STAFF)
@strawberry.type
class SharingQuery:
    @strawberry.field(description="The teams the viewer champions and their lessons and actions. Staff only.")
    def my_team(self, info: Info[Context, None]) -> MyTeam:
        actor = info.context.actor
        return MyTeam(
            teams=champions.champion_teams(actor.user_id),
            lessons=[
                TeamLesson(
                    id=strawberry.ID(str(x.id)),
                    reference=x.reference,
                    title=x.title,
                    status=LessonStatus.of(x.status),
                    team=x.team or "",
                    identified_on=x.identified_on,
                )
                for x in champions.team_lessons(actor)
            ],
            actions=[
                TeamAction(
                    id=strawberry.ID(str(x.id)),
                    lesson_id=strawberry.ID(str(x.lesson_id)),  # type: ignore[attr-defined]
                    title=x.title,
                    status=ActionStatus.of(x.status),
                    team=x.team or "",
                    due_on=x.due_on,
                )
                for x in champions.team_actions(actor)
            ],
        )

    @strawberry.field(description="The lessons and actions to choose from in sharing forms. Staff only.")
    def sharing_choices(self, info: Info[Context, None]) -> SharingChoices:
        lessons = Lesson.select().where(Lesson.archived_at.is_null()).order_by(Lesson.id.desc()).limit(200)
        actions = (
            ImprovementAction.select()
            .where(ImprovementAction.status != "cancelled")
            .order_by(ImprovementAction.id.desc())
            .limit(200)
        )
        return SharingChoices(
            lessons=[LessonChoice(id=strawberry.ID(str(x.id)), reference=x.reference, title=x.title) for x in lessons],
            actions=[
                ActionChoice(id=strawberry.ID(str(x.id)), title=x.title, action_type=ActionType.of(x.action_type))
                for x in actions
            ],
            teams=champions.known_teams(),
        )

    @strawberry.field(
        description="A briefing's summary to start from, in the viewer's language, and who may be briefed. Null "
        "unless the viewer is a manager or the complaint's handler and may see it. Staff only."
    )
    def staff_briefing_draft(
        self,
        info: Info[Context, None],
        complaint_id: Annotated[strawberry.ID, strawberry.argument(description="The complaint.")],
    ) -> StaffBriefingDraft | None:
        actor = info.context.actor
        try:
            cid = parse_id(complaint_id, "complaint")
            summary = briefings.draft_summary(actor, cid, info.context.locale)
        except DomainError:
            return None
        people = briefings.briefable(Complaint.get_by_id(cid))
        return StaffBriefingDraft(
            summary=summary,
            people=[
                BriefablePerson(id=strawberry.ID(str(p.person.id)), display_name=p.person.display_name, part=p.part)
                for p in people
            ],
        )

    @strawberry.field(
        description="Training delivered between two UK days, inclusive (SPSO indicator 3). Staff only. A period "
        "that ends before it starts is refused: an error with `extensions.code` `BAD_USER_INPUT`, "
        "`extensions.reason` `before_start` and `extensions.field` `end`."
    )
    def training_count(self, info: Info[Context, None], start: DateArg, end: DateArg) -> TrainingCount:
        try:
            sessions, attendees = training.training_counts(start, end)
        except Invalid as error:
            raise argument_error(error, info.context) from None
        return TrainingCount(sessions=sessions, attendees=attendees)


@only_for(MANAGER_ROLES)
@strawberry.type
class BulletinsQuery:
    @strawberry.field(
        description="The lessons closed in a period that a bulletin would hold, in the order they closed. Bounded by "
        "the period, so a list, not a connection. Managers only. A period that ends before it starts, or is longer "
        "than 366 days, is refused as bulletinCreate refuses it: an error with `extensions.code` `BAD_USER_INPUT`, "
        "`extensions.reason` `before_start` or `too_long`, and `extensions.field` `periodEnd`."
    )
    def bulletin_preview(
        self, info: Info[Context, None], period_start: DateArg, period_end: DateArg
    ) -> list[BulletinPreviewLesson]:
        try:
            found = bulletins.preview_lessons(period_start, period_end)
        except Invalid as error:
            raise argument_error(error, info.context) from None
        return [BulletinPreviewLesson(reference=x.reference, title=x.title, early_lesson=x.early_lesson) for x in found]


QUERIES = [SharingQuery, BulletinsQuery]


# The words of this module's refusals.
INVALID.update(
    {
        ("team", "required"): N_("Give the team."),
        ("team", "too_long"): N_("The team's name must be at most %(maximum)s characters long."),
        ("appointed_on", "required"): N_("Give the first day."),
        ("appointed_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("ended_on", "required"): N_("Give the last day."),
        ("ended_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("ended_on", "before_start"): N_("The last day can't be before the first day."),
        ("responsibilities", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("title", "required"): N_("Give a title."),
        ("title", "too_long"): N_("The title must be at most %(maximum)s characters long."),
        ("held_on", "required"): N_("Give the day of the meeting."),
        ("held_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("minutes", "too_long"): N_("Keep the minutes to %(maximum)s characters or fewer."),
        ("name", "attendee_required"): N_("Choose a member of staff or give a guest's name."),
        ("name", "with_person"): N_("Choose a member of staff or give a guest's name, not both."),
        ("notes", "too_long"): N_("Keep the notes to %(maximum)s characters or fewer."),
        ("lesson", "not_found"): N_("There is no such lesson."),
        ("action", "not_found"): N_("There is no such improvement action."),
        ("person", "not_involved"): N_("Choose someone the complaint names, or its handler."),
        ("summary", "required"): N_("Say what the outcome was and the lessons drawn."),
        ("summary", "too_long"): N_("Keep the summary to %(maximum)s characters or fewer."),
        ("introduction", "too_long"): N_("Keep the introduction to %(maximum)s characters or fewer."),
        ("period_start", "required"): N_("Give the first day of the period."),
        ("period_start", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("period_end", "required"): N_("Give the last day of the period."),
        ("period_end", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("period_end", "before_start"): N_("The period can't end before it starts."),
        ("period_end", "too_long"): N_("The period can be at most %(maximum)s days long."),
        ("period_end", "no_closed_lessons"): N_("No lesson was closed in this period, so there is nothing to send."),
        ("delivered_on", "required"): N_("Give the day it was delivered."),
        ("delivered_on", "invalid"): N_("Enter a real date, for example 2026-12-29."),
        ("delivered_on", "in_future"): N_("The day it was delivered can't be in the future."),
        ("audience", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("attendees", "out_of_range"): N_("Give a number from %(minimum)s to %(maximum)s."),
        ("attendees", "fewer_than_named"): N_("The number attending can't be fewer than the %(named)s people named."),
        ("action", "not_training"): N_("Choose a staff-training improvement action."),
        ("people", "too_many"): N_("Name at most %(maximum)s people."),
        ("people", "not_staff"): N_("Choose active members of staff."),
        ("story", "required"): N_("Tell the story."),
        ("story", "too_long"): N_("Keep the story to %(maximum)s characters or fewer."),
        ("before_figure", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("after_figure", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("lessons", "not_found"): N_("There is no such lesson."),
        ("lessons", "too_many"): N_("Link at most %(maximum)s lessons and actions."),
        ("actions", "not_found"): N_("There is no such improvement action."),
        ("alt_text", "required"): N_("Say what it shows, for people who cannot see it."),
        ("alt_text", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
        ("url", "media_required"): N_("Choose an image to upload or give a link."),
        ("url", "with_file"): N_("Upload an image or give a link, not both."),
        ("url", "invalid"): N_("Give a link that starts with https://."),
        ("url", "too_long"): N_("The link must be at most %(maximum)s characters long."),
        ("image", "not_image"): N_("Upload a picture: a JPEG, PNG, GIF or WebP image."),
        ("reason", "too_long"): N_("Keep this to %(maximum)s characters or fewer."),
    }
)
CONFLICT.update(
    {
        "already_champion": N_("They are already a champion of this team."),
        "already_ended": N_("This champion's last day is already set."),
        "already_attending": N_("They are already on the list of attendees."),
        "briefing_acknowledged": N_("You have already acknowledged this briefing."),
        "already_sent": N_("This bulletin has already been sent."),
        "too_many": N_("There are already %(maximum)s: remove one first."),
        "story_not_editable": N_("This story has been submitted or approved, so it cannot change."),
        "story_not_submitted": N_("This story is not waiting for approval."),
    }
)
NOT_ALLOWED_BECAUSE.update(
    {
        "own_story": N_("You wrote this story, so you can't approve or return it: another manager must do it."),
    }
)
