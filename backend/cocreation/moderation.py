"""Moderating comments on changes: the queue, the actions, and making a contact of a dissatisfied comment.

The queue holds the comments held for a moderator (personal data found) and those hidden after reports, oldest
first. Each action is recorded as a ``ModerationAction`` with the moderator's reason (required, up to 1,000
characters):

- ``publish`` a held or hidden comment, optionally with edited public words (redacted again before they are kept);
- ``hide`` a published one;
- ``remove`` one for good (held, published or hidden);
- ``restore`` a hidden or removed one to published.

The commenter is told, in their language, when their held comment is published and when a comment of theirs is
removed, with the moderator's reason.

A comment that says the resident is dissatisfied ("my mould is still there") is a complaint under the Housing
Ombudsman's Code (1.2): staff must offer the choice to complain. :func:`make_contact` records it as a contact from that
resident through the same front door staff use for anything a resident tells them (``backend.complaints.intake``),
quoting the comment, links it to the comment, records the offer on both and writes to the resident offering to make a
complaint.
"""

from __future__ import annotations

from backend.audit.services import record_audit
from backend.cocreation.comments import redact_comment
from backend.cocreation.models import Change, ChangeComment, ChangeCommentStatus, ModerationAction
from backend.complaints import intake
from backend.context import Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.text import clean
from backend.timeutil import utcnow
from backend.vocabulary import Vocabulary


class ModerationMove(Vocabulary):
    """What a moderator does to a comment on a change."""

    PUBLISH = "publish", "Publish a held or hidden comment."
    HIDE = "hide", "Hide a published comment until it is looked at again."
    REMOVE = "remove", "Remove a comment for good; its author is told why."
    RESTORE = "restore", "Bring a hidden or removed comment back to published."


REASON_MAX = 1_000
BODY_MAX = 2_000
#: What each action may be taken on, and the status it leaves.
MOVES: dict[str, tuple[frozenset[str], str]] = {
    "publish": (frozenset({ChangeCommentStatus.HELD, ChangeCommentStatus.HIDDEN}), ChangeCommentStatus.PUBLISHED),
    "hide": (frozenset({ChangeCommentStatus.PUBLISHED}), ChangeCommentStatus.HIDDEN),
    "remove": (
        frozenset({ChangeCommentStatus.HELD, ChangeCommentStatus.PUBLISHED, ChangeCommentStatus.HIDDEN}),
        ChangeCommentStatus.REMOVED,
    ),
    "restore": (frozenset({ChangeCommentStatus.HIDDEN, ChangeCommentStatus.REMOVED}), ChangeCommentStatus.PUBLISHED),
}
MAKE_CONTACT = "make_contact"
QUEUE = (ChangeCommentStatus.HELD, ChangeCommentStatus.HIDDEN)


def moderation_queue(actor: Actor, limit: int = 100) -> list[ChangeComment]:
    """The comments waiting for a moderator (held or hidden), oldest first. Raises NotAllowed for non-staff."""
    if not actor.is_staff:
        raise NotAllowed("change_comment.moderate")
    query = ChangeComment.select().where(ChangeComment.status.in_(QUEUE))
    return list(query.order_by(ChangeComment.created_at, ChangeComment.id).limit(limit))


def _comment(comment_id: int) -> ChangeComment:
    comment = ChangeComment.get_or_none(ChangeComment.id == comment_id)
    if comment is None:
        raise NotFound("ChangeComment", comment_id)
    return comment


def _reason(problems: object, reason: str) -> str:
    text = clean(reason)
    if not text:
        problems.add("moderation_reason", "required", at=("reason",))  # type: ignore[attr-defined]
    elif len(text) > REASON_MAX:
        problems.add("moderation_reason", "too_long", at=("reason",), maximum=REASON_MAX)  # type: ignore[attr-defined]
    return text


def moderate_comment(
    actor: Actor, comment_id: int, action: str, reason: str, body_public: str | None = None
) -> ChangeComment:
    """Publish, hide, remove or restore a comment (staff), recording why; return it as it now is.

    ``body_public`` (publish only) replaces the public words, redacted again. The author is told when their held
    comment is published, and when one of theirs is removed. Raises NotAllowed (not staff, or a read-only token),
    NotFound("ChangeComment"), Invalid (``moderation_action`` "unsupported"; ``moderation_reason``
    "required"/"too_long"; ``public_body`` "required"/"too_long"/"not_publishing", each at its input's name) and
    Conflict("comment_state") when the comment is not in a state the action applies to (someone moved it first).
    """
    if not (actor.is_staff and actor.can_write):
        raise NotAllowed("change_comment.moderate")
    comment = _comment(comment_id)
    with gather() as problems:
        if action not in MOVES:
            problems.add("moderation_action", "unsupported", at=("action",))
        why = _reason(problems, reason)
        public = None
        if body_public is not None:
            public = clean(body_public)
            if action != "publish":
                problems.add("public_body", "not_publishing", at=("body_public",))
            elif not public:
                problems.add("public_body", "required", at=("body_public",))
            elif len(public) > BODY_MAX:
                problems.add("public_body", "too_long", at=("body_public",), maximum=BODY_MAX)
    sources, after = MOVES[action]
    before = str(comment.status)
    if before not in sources:
        raise Conflict("comment_state", status=before)
    values: dict[str, object] = {"status": after, "updated_at": utcnow()}
    if public is not None:
        values["body_public"] = redact_comment(public, comment.author_id, comment.change_id)  # type: ignore[attr-defined]
    if after == ChangeCommentStatus.PUBLISHED:
        values["held_reason"] = ""
    with transaction():
        moved = (
            ChangeComment.update(**values)
            .where(ChangeComment.id == comment.id, ChangeComment.status == before)
            .execute()
        )
        if not moved:
            raise Conflict("comment_state", status=str(_comment(comment_id).status))
        ModerationAction.create(comment=comment.id, action=action, reason=why, moderator=actor.user_id)
        record_audit(
            actor,
            f"change_comment.{action}",
            "change_comment",
            comment.id,
            {
                "status": {"before": before, "after": str(after)},
                "public_edited": {"before": None, "after": public is not None},
            },
        )
        payload = {"comment_id": comment.id, "change_id": comment.change_id, "action": action}  # type: ignore[attr-defined]
        record_event("cocreation.comment_moderated", payload)
        author = comment.author_id if not comment.official else None  # type: ignore[attr-defined]
        if author is not None and action == "publish" and before == ChangeCommentStatus.HELD:
            record_event("cocreation.comment_published", {"comment_id": comment.id, "user_id": author})
        if author is not None and action == "remove":
            record_event("cocreation.comment_removed", {"comment_id": comment.id, "user_id": author, "reason": why})
    return _comment(comment_id)


def contact_description(comment: ChangeComment, change: Change) -> str:
    """What the contact says: which change the comment was on, and the comment's words as written."""
    return f"Comment on the change {change.reference} ({comment.created_at:%Y-%m-%d}):\n\n“{comment.body}”"


def make_contact(
    actor: Actor, comment_id: int, reason: str, logged_via: str = "console", nation: str | None = None
) -> ChangeComment:
    """Record a dissatisfied comment as a contact from its author (staff), offer them the choice to complain,
    and return the comment, linked to the contact.

    The contact comes through the portal (where the resident wrote it), received when the comment was written, in the
    comment's language, quoting it, about the resident's home (``nation`` is needed only when they have no home on
    record, as for any contact staff log). The resident is written to in their language offering to make a complaint.
    Raises NotAllowed (not staff, or a read-only token), NotFound("ChangeComment"), Invalid (``moderation_reason``
    "required"/"too_long"), Conflict("contact_made") when the comment has a contact already and
    Conflict("no_resident") when it is staff's own or its author's account is gone; and whatever
    ``intake.submit_contact`` raises.
    """
    if not (actor.is_staff and actor.can_write):
        raise NotAllowed("change_comment.make_contact")
    comment = _comment(comment_id)
    with gather() as problems:
        why = _reason(problems, reason)
    if comment.contact_id is not None:  # type: ignore[attr-defined]
        raise Conflict("contact_made")
    if comment.official or comment.author_id is None:  # type: ignore[attr-defined]
        raise Conflict("no_resident")
    change = Change.get_by_id(comment.change_id)  # type: ignore[attr-defined]
    data = intake.NewContact(
        channel="portal",
        description=contact_description(comment, change),
        resident_id=comment.author_id,  # type: ignore[attr-defined]
        locale=comment.locale,
        received_at=comment.created_at,
        logged_via=logged_via,
        nation=nation,
    )
    with transaction():
        contact = intake.submit_contact(actor, data)
        intake.record_complaint_offer(actor, contact.id)
        now = utcnow()
        linked = (
            ChangeComment.update(contact=contact.id, complaint_offered_at=now, updated_at=now)
            .where(ChangeComment.id == comment.id, ChangeComment.contact.is_null())
            .execute()
        )
        if not linked:
            raise Conflict("contact_made")
        ModerationAction.create(comment=comment.id, action=MAKE_CONTACT, reason=why, moderator=actor.user_id)
        record_audit(
            actor,
            "change_comment.make_contact",
            "change_comment",
            comment.id,
            {"contact_id": {"before": None, "after": contact.id}},
        )
        record_event(
            "cocreation.complaint_offered",
            {"comment_id": comment.id, "user_id": comment.author_id, "contact_id": contact.id},  # type: ignore[attr-defined]
        )
    return _comment(comment_id)


def history(comment_id: int) -> list[ModerationAction]:
    """What moderators did to a comment, oldest first."""
    query = ModerationAction.select().where(ModerationAction.comment == comment_id)
    return list(query.order_by(ModerationAction.created_at, ModerationAction.id))
