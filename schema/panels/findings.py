"""The panel's findings in the API: every version of its draft, staff's accuracy comments and the panel's decisions,
and sign-off.

Only members write versions (staff asking are refused: the panel's words are its own). Staff comment; members
decide. A panel member sees their own reviews' versions and comments, with members by display name and the staff
who commented never named.
"""

from __future__ import annotations

import strawberry

from backend.panels import findings
from backend.panels.models import AccuracyComment, FindingsVersion
from schema.access import STAFF_ACCESS, STAFF_ROLES
from schema.context import Context
from schema.engine.declare import Access, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import Mutations, Outcome, parse_id
from schema.panels.annotations import CONTRIBUTORS, MEMBER, OWN_REVIEW_ROW, name_of

mutations = Mutations()

FINDINGS_VERSION = Resource(
    name="FindingsVersion",
    plural="findingsVersions",
    model=FindingsVersion,
    description="One version of a panel's findings and recommendations. Never changed: each edit is the next "
    "version; a signed-off version is frozen.",
    members=[
        Computed("review_id", "The review.", kind="id", sql=lambda alias: alias.review),
        ToOne("review", "The review.", target="ScrutinyReview"),
        Column("number", "1 for the first draft, then one more for each edit."),
        Column("summary", "The summary of what the panel found."),
        Column("findings", "The findings in full."),
        Column("recommendations", "The recommendations, in order, as text."),
        Computed("author_name", "The member who wrote it, by display name.", kind="string", sql=name_of("written_by")),
        Column("written_at", "When this version was saved."),
        Column("signed_off_at", "When it was signed off; null: a draft."),
        Column("signed_off_as", "The rule it was signed off under: chair, chair or vice-chair, or a quorum."),
        Computed(
            "signed_off_by_name",
            "The member who signed it off, by display name.",
            kind="string",
            sql=name_of("signed_off_by"),
        ),
        Column("quorum_members", "The members present for a sign-off by quorum, by id (staff only)."),
        ToOne("written_by", "The member who wrote it (staff only).", target="Person"),
        ToOne("signed_off_by", "The member who signed it off (staff only).", target="Person"),
        ToMany("comments", "Staff's comments on its factual accuracy.", target="AccuracyComment"),
        Column("updated_at"),
    ],
    access={
        **STAFF_ACCESS,
        MEMBER: Access(
            (
                "reviewId",
                "review",
                "number",
                "summary",
                "findings",
                "recommendations",
                "authorName",
                "writtenAt",
                "signedOffAt",
                "signedOffAs",
                "signedOffByName",
                "comments",
            ),
            where=OWN_REVIEW_ROW,
        ),
    },
    default_order=("-number",),
)


def _comment_review(alias: object) -> object:
    return FindingsVersion.select(FindingsVersion.review).where(FindingsVersion.id == alias.version)  # type: ignore[attr-defined]


ACCURACY_COMMENT = Resource(
    name="AccuracyComment",
    plural="accuracyComments",
    model=AccuracyComment,
    description="A staff comment on the factual accuracy of a draft; the panel accepts or rejects it.",
    members=[
        ToOne("version", "The version it is about."),
        Computed("review_id", "The review.", kind="id", sql=_comment_review),
        Column("passage", "The words of the draft it is about."),
        Column("comment", "What staff say is not accurate, and why."),
        Column("created_at", "When staff commented."),
        Column("status", "Open, accepted or rejected."),
        Column("decision_note", "The panel's reason, for a rejection."),
        Column("decided_at", "When the panel decided; null: still open."),
        Computed("decided_by_name", "The member who recorded the decision.", kind="string", sql=name_of("decided_by")),
        ToOne("author", "The member of staff who commented (staff only).", target="Person"),
        Column("updated_at"),
    ],
    access={
        **STAFF_ACCESS,
        MEMBER: Access(
            (
                "version",
                "reviewId",
                "passage",
                "comment",
                "createdAt",
                "status",
                "decisionNote",
                "decidedAt",
                "decidedByName",
            ),
            where=OWN_REVIEW_ROW,
        ),
    },
    default_order=("createdAt", "id"),
)

RESOURCES = [FINDINGS_VERSION, ACCURACY_COMMENT]


@strawberry.input(description="The panel's draft, saved as a new version.")
class FindingsDraftSaveInput:
    review_id: strawberry.ID = strawberry.field(description="The review.")
    summary: str = strawberry.field(default="", description="The summary (up to 5,000 characters).")
    findings: str = strawberry.field(default="", description="The findings (up to 50,000 characters).")
    recommendations: list[str] = strawberry.field(
        default_factory=list, description="The recommendations, in order: at most 30, each up to 2,000 characters."
    )


@mutations.add("findingsDraftSave", roles=CONTRIBUTORS, payload="FindingsVersionSaved")
def save(context: Context, data: FindingsDraftSaveInput) -> Outcome:
    """Save the panel's draft as a new version (current members only: staff are refused)."""
    version = findings.save_draft(
        context.actor,
        parse_id(data.review_id, "ScrutinyReview"),
        data.summary,
        data.findings,
        data.recommendations[: findings.RECOMMENDATIONS_MAX + 1],
    )
    return Outcome(version.id)


@strawberry.input(description="Sign off a version, as the panel's terms of reference say.")
class FindingsSignOffInput:
    id: strawberry.ID = strawberry.field(description="The latest version.")
    present: list[strawberry.ID] | None = strawberry.field(
        default=None, description="For a sign-off by quorum: the members present (at most 50)."
    )


@mutations.add("findingsSignOff", roles=CONTRIBUTORS, payload="FindingsVersionSignedOff")
def sign_off(context: Context, data: FindingsSignOffInput) -> Outcome:
    """Sign off the latest version: the chair (or the vice-chair, or a recorded quorum, as the panel's rule says).
    It is frozen, and the landlord's response to each recommendation is due on the clock."""
    present = [parse_id(raw, "person") for raw in (data.present or [])[:50]]
    return Outcome(findings.sign_off(context.actor, parse_id(data.id, "FindingsVersion"), present).id)


@strawberry.input(description="A staff comment on the factual accuracy of a draft version.")
class AccuracyCommentAddInput:
    version_id: strawberry.ID = strawberry.field(description="The draft version.")
    comment: str = strawberry.field(description="The comment (up to 5,000 characters).")
    passage: str = strawberry.field(default="", description="The words it is about (up to 2,000 characters).")


@mutations.add("accuracyCommentAdd", roles=STAFF_ROLES, payload="AccuracyCommentAdded")
def add_comment(context: Context, data: AccuracyCommentAddInput) -> Outcome:
    """Comment on the factual accuracy of a draft version (staff); the panel decides what to do with it."""
    row = findings.add_comment(context.actor, parse_id(data.version_id, "FindingsVersion"), data.comment, data.passage)
    return Outcome(row.id)


@strawberry.input(description="The panel's decision on an accuracy comment.")
class AccuracyCommentDecideInput:
    id: strawberry.ID = strawberry.field(description="The comment, still open.")
    accept: bool = strawberry.field(description="True to accept it, false to reject it.")
    note: str = strawberry.field(default="", description="Why, needed to reject (up to 2,000 characters).")


@mutations.add("accuracyCommentDecide", roles=CONTRIBUTORS, payload="AccuracyCommentDecided")
def decide(context: Context, data: AccuracyCommentDecideInput) -> Outcome:
    """Accept or reject a staff comment on the draft (current members only)."""
    return Outcome(
        findings.decide_comment(context.actor, parse_id(data.id, "AccuracyComment"), data.accept, data.note).id
    )
