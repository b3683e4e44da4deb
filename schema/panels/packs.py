"""Evidence packs in the API: pack items and their views, and the mutations that build a pack.

Staff see every item and field. A panel member sees only the confirmed items of their own panels' reviews (once
they signed the confidentiality agreement), and of each only its title, kind, note, address, frozen content and
dates: never the complaint, lesson or survey it was taken from, who added or confirmed it, or its file's details.
Anything else is answered as if it were not there. Opening an item in the workspace logs the view
(``backend.panels.packs.open_item``); the API's reads are not views of the evidence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import strawberry
from strawberry.file_uploads import Upload

from backend import config
from backend.errors import Invalid
from backend.panels import packs
from backend.panels.models import PackItem, PackItemView
from backend.reports.models import SavedReport
from schema.access import STAFF_ACCESS, each
from schema.access import STAFF_ROLES as STAFF
from schema.complaints.mutations import uploads
from schema.context import Context
from schema.engine.declare import Access, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.panels.access import OWN_ITEM
from schema.reports.saved_query import run_query

mutations = Mutations()

#: What a member reads of an item.
MEMBER_FIELDS = (
    "id",
    "kind",
    "position",
    "title",
    "note",
    "url",
    "content",
    "takenAt",
    "confirmedAt",
    "updatedAt",
    "reviewId",
    "review",
)


def _key(name: str) -> Any:
    return lambda alias: getattr(alias, name)


PACK_ITEM = Resource(
    name="PackItem",
    plural="packItems",
    model=PackItem,
    description="An item in a review's evidence pack: a document, a link, survey results, a redacted lesson, frozen "
    "figures or a redacted case. Members see it once a member of staff confirmed its redaction.",
    members=[
        Column("kind", "What it is."),
        Column("position", "Its place in the pack, from 1."),
        Column("title", 'Its title as members see it; a case is "Case 1", "Case 2", never its reference.'),
        Column("note", "What it is and why it is in the pack."),
        Column("url", "A web page's address (https://). Empty: not a link."),
        Column("content", "The redacted copy (a case, a lesson) or the frozen figures (a survey, a snapshot)."),
        Column("taken_at", "When the figures or the copy were frozen."),
        Column("status", "Draft (waiting for its redaction to be confirmed), confirmed, or withdrawn."),
        Column("withdrawn_reason", "Why it was taken out of the pack."),
        Column("file_name", "A document's file name. Staff only."),
        Column("media_type", "A document's type. Staff only."),
        Column("size", "A document's size in bytes. Staff only."),
        Column("sha256", "A document's SHA-256 checksum. Staff only."),
        Column("query_name", "The saved report a snapshot was taken from. Staff only."),
        Column("added_at", "When it was added."),
        Column("confirmed_at", "When its redaction was confirmed. Null: a draft."),
        Column("updated_at", "When it last changed."),
        Computed("review_id", "The review whose pack it is in.", kind="id", sql=_key("review")),
        ToOne("review", "The review.", target="ScrutinyReview"),
        ToOne("complaint", "The case it redacts. Staff only.", target="Complaint"),
        ToOne("lesson", "The lesson it copies. Staff only.", target="Lesson"),
        ToOne("survey", "The survey whose results it holds. Staff only.", target="Survey"),
        ToOne("sample", "The case sample that drew it. Staff only.", target="CaseSample"),
        ToOne("request", "The evidence request it answers. Staff only.", target="EvidenceRequest"),
        ToOne("added_by", "Who added it. Staff only.", target="Person"),
        ToOne("confirmed_by", "Who confirmed its redaction. Staff only.", target="Person"),
        ToMany("views", "Each time a member opened it. Staff only.", target="PackItemView"),
    ],
    access={**STAFF_ACCESS, **each({"panel_member"}, Access(MEMBER_FIELDS, where=OWN_ITEM))},
    search=("title",),
    default_order=("position", "id"),
    max_page_size=packs.MAX_ITEMS,  # a whole pack on one page
)
PACK_ITEM_VIEW = Resource(
    name="PackItemView",
    plural="packItemViews",
    model=PackItemView,
    description="One time a panel member opened a pack item. Staff only.",
    members=[
        Column("viewed_at", "When."),
        ToOne("item", "The item.", target="PackItem"),
        ToOne("person", "The member.", target="Person"),
    ],
    access=STAFF_ACCESS,
    default_order=("-viewedAt", "-id"),
)
RESOURCES = [PACK_ITEM, PACK_ITEM_VIEW]


# --- Mutations ---------------------------------------------------------------------------------------------------


@strawberry.input(description="Add a web page to a review's pack, as a draft.")
class PackItemLinkAddInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    title: str = strawberry.field(description="Its title as members will see it (200 characters).")
    url: str = strawberry.field(description="The page's address, https:// (2,000 characters).")
    note: str = strawberry.field(default="", description="What it is and why it is in the pack (5,000 characters).")


@strawberry.input(description="Add a file (a policy, a letter, a leaflet) to a review's pack, as a draft.")
class PackItemDocumentAddInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    title: str = strawberry.field(description="Its title as members will see it (200 characters).")
    file: Upload = strawberry.field(description="The file: checked by content and size like every upload.")
    note: str = strawberry.field(default="", description="What it is and why it is in the pack (5,000 characters).")


@strawberry.input(description="Add a survey's results to a review's pack, frozen as figures now, as a draft.")
class PackItemSurveyAddInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    survey_id: strawberry.ID = strawberry.field(description="The survey.")
    title: str = strawberry.field(default="", description="Its title; empty: the survey's title.")
    note: str = strawberry.field(default="", description="Why it is in the pack (5,000 characters).")


@strawberry.input(description="Add a lesson to a review's pack as a redacted copy taken now, as a draft.")
class PackItemLessonAddInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    lesson_id: strawberry.ID = strawberry.field(description="The lesson.")
    note: str = strawberry.field(default="", description="Why it is in the pack (5,000 characters).")


@strawberry.input(description="Add a saved report's figures to a review's pack, frozen now, as a draft.")
class PackItemSnapshotAddInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    report_id: strawberry.ID = strawberry.field(description="The saved report; it runs as you, with its defaults.")
    title: str = strawberry.field(default="", description="Its title; empty: the report's name.")
    note: str = strawberry.field(default="", description="Why it is in the pack (5,000 characters).")


@strawberry.input(description="A pack item.")
class PackItemInput:
    id: strawberry.ID = strawberry.field(description="The item.")


@strawberry.input(description="Take an item out of the pack, with the reason.")
class PackItemWithdrawInput:
    id: strawberry.ID = strawberry.field(description="The item.")
    reason: str = strawberry.field(description="Why it is taken out (2,000 characters).")


@strawberry.input(description="Move an item to another place in its pack.")
class PackItemMoveInput:
    id: strawberry.ID = strawberry.field(description="The item.")
    position: int = strawberry.field(description="Its new place, from 1; past the end puts it last.")


def _review(raw: strawberry.ID) -> int:
    return parse_id(raw, "ScrutinyReview")


@mutations.add("packItemLinkAdd", roles=STAFF, payload="PackItemLinkAdded")
def add_link(context: Context, data: PackItemLinkAddInput) -> Outcome:
    """Add a web page (https://) to a review's pack, as a draft; members see it once its redaction is confirmed."""
    return Outcome(packs.add_link(context.actor, _review(data.review_id), data.title, data.url, data.note).id)


@mutations.add("packItemDocumentAdd", roles=STAFF, payload="PackItemDocumentAdded")
def add_document(context: Context, data: PackItemDocumentAddInput) -> Outcome:
    """Add a file to a review's pack, as a draft; it is checked by content and size like every upload."""
    found = uploads([data.file])
    if not found:
        raise Invalid("file", "required")
    item = packs.add_document(context.actor, _review(data.review_id), data.title, found[0], data.note)
    return Outcome(item.id)


@mutations.add("packItemSurveyAdd", roles=STAFF, payload="PackItemSurveyAdded")
def add_survey(context: Context, data: PackItemSurveyAddInput) -> Outcome:
    """Add a survey's results, frozen as figures now (free text left out), as a draft."""
    survey_id = parse_id(data.survey_id, "survey")
    return Outcome(packs.add_survey(context.actor, _review(data.review_id), survey_id, data.title, data.note).id)


@mutations.add("packItemLessonAdd", roles=STAFF, payload="PackItemLessonAdded")
def add_lesson(context: Context, data: PackItemLessonAddInput) -> Outcome:
    """Add a lesson as a redacted copy taken now (no member of staff named), as a draft."""
    lesson_id = parse_id(data.lesson_id, "lesson")
    return Outcome(packs.add_lesson(context.actor, _review(data.review_id), lesson_id, data.note).id)


def _runner(context: Context) -> packs.ReportRunner:
    """Runs a saved report as the person taking the snapshot, in their own schema, as the report page does."""
    schema = context.extra["graphql_schema"]._strawberry_schema

    def run(report: SavedReport) -> Mapping[str, Any]:
        outcome = run_query(schema, str(report.query), {}, context, config.current())
        if outcome.code:
            raise Invalid("report", outcome.code)
        return outcome.data or {}

    return run


@mutations.add("packItemSnapshotAdd", roles=STAFF, payload="PackItemSnapshotAdded")
def add_snapshot(context: Context, data: PackItemSnapshotAddInput) -> Outcome:
    """Run a saved report as you and freeze its rows (at most 200) into a draft item, with the time taken."""
    report_id = parse_id(data.report_id, "saved_report")
    item = packs.add_snapshot(
        context.actor, _review(data.review_id), report_id, _runner(context), data.title, data.note
    )
    return Outcome(item.id)


@mutations.add("packItemConfirm", roles=STAFF, payload="PackItemConfirmed")
def confirm(context: Context, data: PackItemInput) -> Outcome:
    """Confirm a draft item's redaction (who and when are kept): members of the review's panel may now see it."""
    return Outcome(packs.confirm_item(context.actor, parse_id(data.id, "PackItem")).id)


@mutations.add("packItemWithdraw", roles=STAFF, payload="PackItemWithdrawn")
def withdraw(context: Context, data: PackItemWithdrawInput) -> Outcome:
    """Take an item out of the pack, with the reason; members no longer see it."""
    return Outcome(packs.withdraw_item(context.actor, parse_id(data.id, "PackItem"), data.reason).id)


@mutations.add("packItemMove", roles=STAFF, payload="PackItemMoved")
def move(context: Context, data: PackItemMoveInput) -> Outcome:
    """Move an item to another place in its pack; the others keep their order."""
    return Outcome(packs.move_item(context.actor, parse_id(data.id, "PackItem"), data.position).id)
