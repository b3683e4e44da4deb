"""Comments on changes in the API: everyone (anonymous readers included) reads the published comments of published
changes, as published (personal data taken out) and with no author but whether the landlord wrote it (``official``);
a resident also reads their own comments, whatever their status; staff read every comment, its words as written,
why it was held and how often it was reported.

Residents post, reply, report and delete their own; staff reply officially, moderate with a reason, and make a
contact of a comment that says the resident is dissatisfied.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from peewee import JOIN, Case, fn

from backend.accounts.models import Nation, User
from backend.cocreation import comments, moderation
from backend.cocreation.models import Change, ChangeComment, ChangeCommentStatus, CommentReport, ModerationAction
from backend.cocreation.moderation import ModerationMove
from schema.access import EVERYONE, SIGNED_IN, STAFF_ACCESS, STAFF_ROLES, each
from schema.context import Context
from schema.engine.declare import Access, Batched, Column, Computed, Resource, ToMany, ToOne
from schema.engine.mutations import ERRORS, Mutations, Outcome, parse_id
from schema.errors import RateLimitedError

mutations = Mutations()
#: Posting and replying may also meet the daily limit, which says when to try again.
LIMITED = (*ERRORS, RateLimitedError)

#: A published comment of a published change: what anyone may read.
PUBLIC = {
    "status": {"eq": ChangeCommentStatus.PUBLISHED.value},
    "changePublished": {"eq": True},
    "parentPublished": {"eq": True},
}
#: ... and, for someone signed in, their own comments whatever their status.
PUBLIC_OR_OWN = {"or": [PUBLIC, {"authorId": {"eq": "$viewer.id"}}]}
PUBLIC_FIELDS = (
    "id",
    "changeId",
    "changeReference",
    "parentId",
    "official",
    "locale",
    "bodyPublic",
    "status",
    "createdAt",
    "replies",
    "mine",
)


def _change_column(column: str) -> Any:
    def sql(alias: Any) -> Any:
        return Change.select(getattr(Change, column)).where(Change.id == alias.change)

    return sql


def _change_published(alias: Any) -> Any:
    return fn.EXISTS(Change.select(Change.id).where(Change.id == alias.change, Change.published_at.is_null(False)))


def _parent_published(alias: Any) -> Any:
    # A reply is public only while the comment it answers is: hiding or removing a comment hides its replies too.
    parent = ChangeComment.alias("parent_comment")
    published = parent.select(parent.id).where(
        parent.id == alias.parent, parent.status == ChangeCommentStatus.PUBLISHED.value
    )
    return alias.parent.is_null() | fn.EXISTS(published)


def _mine(alias: Any, viewer: Any) -> Any:
    # Nobody's comment is an anonymous reader's: "author = NULL" is never true, so the CASE gives false.
    return Case(None, [(alias.author == viewer.get("id"), True)], False)


@strawberry.type(description="What a moderator did to a comment, and why.")
class ModerationStep:
    action: str = strawberry.field(description="publish, hide, remove, restore or make_contact.")
    reason: str = strawberry.field(description="The moderator's reason.")
    moderator_name: str | None = strawberry.field(description="Who did it; null when their account is gone.")
    created_at: dt.datetime = strawberry.field(description="When.")


def _history(request: Any, ids: list[int]) -> dict[int, list[ModerationStep]]:
    rows = (
        ModerationAction.select(ModerationAction, User.display_name)
        .join(User, JOIN.LEFT_OUTER, on=(ModerationAction.moderator == User.id))
        .where(ModerationAction.comment.in_(ids))
        .order_by(ModerationAction.created_at, ModerationAction.id)
    )
    found: dict[int, list[ModerationStep]] = {}
    for row in rows:
        moderator = getattr(row, "user", None)
        step = ModerationStep(
            action=row.action,
            reason=row.reason,
            moderator_name=moderator.display_name if moderator is not None and row.moderator_id else None,  # type: ignore[attr-defined]
            created_at=row.created_at.replace(tzinfo=dt.UTC),
        )
        found.setdefault(row.comment_id, []).append(step)  # type: ignore[attr-defined]
    return found


def _report_reasons(request: Any, ids: list[int]) -> dict[int, list[str]]:
    rows = CommentReport.select(CommentReport.comment, CommentReport.reason).where(
        CommentReport.comment.in_(ids), CommentReport.reason != ""
    )
    found: dict[int, list[str]] = {}
    for row in rows.order_by(CommentReport.id):
        found.setdefault(row.comment_id, []).append(row.reason)  # type: ignore[attr-defined]
    return found


CHANGE_COMMENT = Resource(
    name="ChangeComment",
    plural="changeComments",
    model=ChangeComment,
    description="What a resident said a change meant for them, or the landlord's official reply (one level deep). "
    "Everyone reads published comments of published changes, without their author; residents also read their own.",
    members=[
        Computed("change_id", "The change it is on.", kind="id", sql=lambda alias: alias.change),
        Computed(
            "change_reference", "The change's reference, CH-YYYY-NN.", kind="string", sql=_change_column("reference")
        ),
        Computed(
            "change_published",
            "Whether the change is public.",
            kind="boolean",
            sql=_change_published,
            hidden=True,
            null=False,
        ),
        Computed(
            "parent_published",
            "Whether the comment it replies to is public (true for a comment that is not a reply).",
            kind="boolean",
            sql=_parent_published,
            hidden=True,
            null=False,
        ),
        Computed(
            "parent_id",
            "The comment it replies to; null: a comment, not a reply.",
            kind="id",
            sql=lambda alias: alias.parent,
        ),
        Computed("author_id", "Who wrote it.", kind="id", sql=lambda alias: alias.author, hidden=True),
        Computed(
            "mine",
            "Whether you wrote it.",
            kind="boolean",
            sql=_mine,
            viewer=True,
            null=False,
        ),
        Column("official", "Written by staff for the landlord: shown as an official reply."),
        Column("locale", "The language it was written in, e.g. cy."),
        Column("body_public", "The words as published: personal data taken out."),
        Column("body", "The words as written (staff only)."),
        # A string, not the vocabulary's enum: the panels' accuracy comments have a vocabulary of the same name.
        Column(
            "status", "held (waiting for a moderator), published, hidden (after reports) or removed.", kind="string"
        ),
        Column("held_reason", "Why it waits for a moderator: personal_data or reports (staff only)."),
        Column("reports", "How many people reported it (staff only)."),
        ToOne("author", "Who wrote it (staff only).", target="Person"),
        ToOne("contact", "The contact a moderator made of it (staff only).", target="Contact"),
        Column("complaint_offered_at", "When the resident was offered to complain (staff only)."),
        Batched(
            "moderation_history",
            "What moderators did to it and why, oldest first (staff only).",
            annotation=list[ModerationStep],
            load=_history,
        ),
        Batched(
            "report_reasons",
            "The reasons people gave when they reported it, where they gave one (staff only).",
            annotation=list[str],
            load=_report_reasons,
        ),
        ToMany("replies", "The replies to it, as the reader may see them.", target="ChangeComment", fk="parent"),
        Column("created_at", "When it was written."),
        Column("updated_at", "When it last changed."),
    ],
    access={
        **STAFF_ACCESS,
        **each(EVERYONE - STAFF_ROLES - SIGNED_IN, Access(PUBLIC_FIELDS, where=PUBLIC)),
        **each(SIGNED_IN - STAFF_ROLES, Access(PUBLIC_FIELDS, where=PUBLIC_OR_OWN)),
    },
    default_order=("createdAt", "id"),
)

RESOURCES = [CHANGE_COMMENT]


def _comment(raw: strawberry.ID) -> int:
    return parse_id(raw, "ChangeComment")


@strawberry.input(description="A comment on a published change.")
class ChangeCommentPostInput:
    reference: str = strawberry.field(description="The change's reference, CH-YYYY-NN.")
    body: str = strawberry.field(
        description="What the change meant for you (1 to 2,000 characters). Names, addresses and phone numbers "
        "are taken out before it is public; if any are found a moderator checks it first."
    )
    locale: str | None = strawberry.field(
        default=None, description="The language it is written in, e.g. cy; yours when not given."
    )


@mutations.add("changeCommentPost", roles=SIGNED_IN, payload="ChangeCommentPosted", errors=LIMITED)
def post(context: Context, data: ChangeCommentPostInput) -> Outcome:
    """Comment on a published change (residents, at most 10 a day): published at once, or held for a moderator when
    it holds personal data. The same words sent twice count once."""
    locale = data.locale or context.locale
    return Outcome(comments.post_comment(context.actor, data.reference[:40], data.body, locale).id)


@strawberry.input(description="A reply to a comment.")
class ChangeCommentReplyInput:
    comment_id: strawberry.ID = strawberry.field(description="The comment replied to: a comment, not a reply.")
    body: str = strawberry.field(description="The reply (1 to 2,000 characters).")
    locale: str | None = strawberry.field(
        default=None, description="The language it is written in, e.g. cy; yours when not given."
    )


@mutations.add("changeCommentReply", roles=SIGNED_IN, payload="ChangeCommentReplied", errors=LIMITED)
def reply(context: Context, data: ChangeCommentReplyInput) -> Outcome:
    """Reply to a published comment, one level deep. Staff reply for the landlord: official, published at once."""
    locale = data.locale or context.locale
    return Outcome(comments.reply_to_comment(context.actor, _comment(data.comment_id), data.body, locale).id)


@strawberry.input(description="A report of an unsuitable comment.")
class ChangeCommentReportInput:
    comment_id: strawberry.ID = strawberry.field(description="The published comment reported.")
    reason: str = strawberry.field(default="", description="Why, optionally (up to 200 characters).")


@mutations.add(
    "changeCommentReport",
    roles=SIGNED_IN,
    payload="ChangeCommentReported",
    extra={
        "counted": (bool, "Whether the report counted: false for your own comment or a second report."),
        "why_not": (str | None, "Why it did not count: own or already; null when it counted."),
        "hidden": (bool, "Whether this report hid the comment for a moderator to review."),
    },
)
def report(context: Context, data: ChangeCommentReportInput) -> Outcome:
    """Report a comment as unsuitable; once per person, never your own. Enough reports hide it for review."""
    outcome = comments.report_comment(context.actor, _comment(data.comment_id), data.reason)
    return Outcome(
        outcome.comment.id, {"counted": outcome.counted, "why_not": outcome.why_not, "hidden": outcome.hidden}
    )


@strawberry.input(description="One of your own comments to delete.")
class ChangeCommentDeleteInput:
    comment_id: strawberry.ID = strawberry.field(description="Your comment; any replies to it go with it.")


@strawberry.type(description="A comment that was deleted.")
class ChangeCommentDeleted:
    comment_id: strawberry.ID = strawberry.field(description="The comment that is gone.")


@mutations.add("changeCommentDelete", roles=SIGNED_IN, payload=ChangeCommentDeleted)
def delete(context: Context, data: ChangeCommentDeleteInput) -> ChangeCommentDeleted:
    """Delete your own comment, with any replies to it. Another's comment is not found, as one that is not there."""
    gone = comments.delete_comment(context.actor, _comment(data.comment_id))
    return ChangeCommentDeleted(comment_id=strawberry.ID(str(gone)))


@strawberry.input(description="A moderator's decision on a comment, with the reason.")
class ChangeCommentModerateInput:
    comment_id: strawberry.ID = strawberry.field(description="The comment.")
    action: ModerationMove = strawberry.field(description="What to do with it.")
    reason: str = strawberry.field(description="Why (1 to 1,000 characters); kept with the comment's history.")
    body_public: str | None = strawberry.field(
        default=None,
        description="Publishing only: the words to publish in place of the redacted ones (up to 2,000 characters); "
        "redacted again before they are kept.",
    )


@mutations.add("changeCommentModerate", roles=STAFF_ROLES, payload="ChangeCommentModerated")
def moderate(context: Context, data: ChangeCommentModerateInput) -> Outcome:
    """Publish, hide, remove or restore a comment, with the reason (staff). The author is told when their held comment
    is published or one of theirs is removed."""
    row = moderation.moderate_comment(
        context.actor, _comment(data.comment_id), str(data.action), data.reason, data.body_public
    )
    return Outcome(row.id)


@strawberry.input(description="A comment that says its author is dissatisfied, to record as a contact from them.")
class ChangeCommentMakeContactInput:
    comment_id: strawberry.ID = strawberry.field(description="The resident's comment.")
    reason: str = strawberry.field(
        description="Why it is a contact, e.g. the dissatisfaction it expresses (1 to 1,000)."
    )
    nation: Nation | None = strawberry.field(
        default=None,
        description="The nation of the home it is about: needed only when the resident has no home on record.",
    )


@mutations.add("changeCommentMakeContact", roles=STAFF_ROLES, payload="ChangeCommentContactMade")
def make_contact(context: Context, data: ChangeCommentMakeContactInput) -> Outcome:
    """Record a comment as a contact from its resident, quoting it, and offer them the choice to make a complaint
    (staff): the resident is written to in their language."""
    via = str(context.extra.get("logged_via") or "api")
    return Outcome(
        moderation.make_contact(
            context.actor, _comment(data.comment_id), data.reason, via, str(data.nation) if data.nation else None
        ).id
    )
