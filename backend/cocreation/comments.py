"""Residents' comments on a published change: post, reply (one level deep), report, delete.

A signed-in resident comments on a published change in their own words (up to 2,000 characters) and language. Before
anything is public the words pass :func:`redact_comment`: the commenter's own name, email address, phone number,
home address and postcode, and whatever else looks personal (``backend.redaction``'s second pass). When redaction
changes anything the comment is held for a moderator (``held_reason`` ``personal_data``) with the redacted words as
its public text; otherwise it is published at once with its words as written. A resident's first comment is not
held for being their first: they sign in to an account the landlord knows, each person may post at most
:data:`DAILY_LIMIT` a day, and reports hide a bad comment within minutes (see docs/cocreation-comments.md).

Staff reply on behalf of the landlord: their replies are ``official`` and published at once (redacted first all the
same: a reply may name the resident it answers). A reply answers a top-level comment of the same change, never
another reply.

Anyone signed in reports a comment once; reporting their own, or again, changes nothing and says so. At
``comment_report_limit`` reports (a setting) the comment is hidden until a moderator looks at it. Visitors who are
not signed in can't report: one person clearing their cookies could otherwise hide anything.

A resident deletes their own comment: it goes, with any replies to it. The audit trail keeps that it was there.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import IntegrityError, fn

from backend.accounts.models import Home, User
from backend.audit.services import record_audit
from backend.cocreation.models import Change, ChangeComment, ChangeCommentStatus, ChangeContact, CommentReport
from backend.complaints.models import Contact, ContactPerson
from backend.config import KNOWN_LOCALES, current
from backend.context import Actor
from backend.db import transaction
from backend.errors import NotAllowed, NotFound, Throttled, gather
from backend.events.services import record_event
from backend.ratelimit.services import hit
from backend.redaction import Party, redact_narrative
from backend.text import clean
from backend.timeutil import utcnow

BODY_MAX = 2_000
REPORT_REASON_MAX = 200
#: Comments and replies one person may post in a day (staff replies are not counted).
DAILY_LIMIT = 10
DAY = 24 * 60 * 60
#: The same words sent again this soon by the same person on the same change are the same comment (a double submit).
DOUBLE_SUBMIT = dt.timedelta(minutes=10)
PERSONAL_DATA = "personal_data"
REPORTS = "reports"
#: Who comments as a resident (advocates and panel members are residents too, speaking for themselves).
COMMENTERS = frozenset({"resident", "advocate", "panel_member"})


#: A reference to a case, whole or in part, in any case ("LL-2026-000042", "ll-2025-8"): no comment names one.
CASE_REFERENCE = re.compile(r"(?<![\w-])LL-\d{2,4}(?:-\d+)?(?![\w-])", re.IGNORECASE)
REFERENCE = "[reference]"
#: A word that starts with a capital letter: runs of two to three of them may be a person's name.
WORD = re.compile(r"[^\W\d_][\w'’-]*")


def _person(user: User) -> Party:
    home = Home.get_or_none(Home.id == user.home_id) if user.home_id else None  # type: ignore[attr-defined]
    return Party(
        role="[name]",
        names=(user.display_name,),
        emails=(user.email,),
        phones=(user.phone,) if user.phone else (),
        addresses=(home.address,) if home is not None else (),
        postcodes=(home.postcode,) if home is not None else (),
    )


def _capitalised_runs(text: str) -> set[str]:
    """Every run of two or three capitalised words in ``text``, in lower case: the names it might hold."""
    runs: set[str] = set()
    words = [(match.group(), match.start(), match.end()) for match in WORD.finditer(text)]
    for i in range(len(words)):
        for size in (2, 3):
            chunk = words[i : i + size]
            if len(chunk) < size or not all(word[0][:1].isupper() for word in chunk):
                continue
            if any(text[a[2] : b[1]].strip() for a, b in zip(chunk, chunk[1:], strict=False)):
                continue  # only words next to each other, with nothing but spaces between
            runs.add(" ".join(word[0] for word in chunk).casefold())
    return runs


def _named_people(text: str) -> list[Party]:
    """Anyone the landlord knows of (an account, or a person who gave their details with a contact) whose whole
    name is in ``text``: one statement per table, however long the text."""
    runs = _capitalised_runs(text)
    if not runs:
        return []
    names = {
        row.display_name for row in User.select(User.display_name).where(fn.LOWER(User.display_name).in_(list(runs)))
    }
    names |= {
        row.name for row in ContactPerson.select(ContactPerson.name).where(fn.LOWER(ContactPerson.name).in_(list(runs)))
    }
    return [Party(role="[name]", names=(name,)) for name in sorted(names) if name]


def redact_comment(text: str, author_id: int | None, change_id: int | None = None) -> str:
    """``text`` with personal data taken out: the author's name, email address, phone number, home address and
    postcode; those of the residents whose contacts are behind the change; the whole name of anyone the landlord
    knows of; case references; and whatever else looks personal (phone numbers, emails, postcodes, titled names,
    long digit runs)."""
    parties: list[Party] = []
    author = User.get_or_none(User.id == author_id) if author_id is not None else None
    if author is not None:
        parties.append(_person(author))
    if change_id is not None:
        behind = (
            User.select()
            .join(Contact, on=(Contact.resident == User.id))
            .join(ChangeContact, on=(ChangeContact.contact == Contact.id))
            .where(ChangeContact.change == change_id)
        )
        parties.extend(_person(user) for user in behind)
    parties.extend(_named_people(text))
    return redact_narrative(CASE_REFERENCE.sub(REFERENCE, text), parties)


def published_change(reference: str) -> Change:
    """The published change with this reference; raise NotFound("Change") for none, or one not published."""
    change = Change.get_or_none(Change.reference == reference, Change.published_at.is_null(False))
    if change is None:
        raise NotFound("Change", reference)
    return change


def _body(problems: object, body: str) -> str:
    text = clean(body)
    if not text:
        problems.add("comment_body", "required", at=("body",))  # type: ignore[attr-defined]
    elif len(text) > BODY_MAX:
        problems.add("comment_body", "too_long", at=("body",), maximum=BODY_MAX)  # type: ignore[attr-defined]
    return text


def _locale(locale: str | None, actor: Actor) -> str:
    if locale in KNOWN_LOCALES:
        return str(locale)
    user = User.get_or_none(User.id == actor.user_id)
    return str(user.locale) if user is not None and user.locale in KNOWN_LOCALES else "en"


def _may_comment(actor: Actor) -> bool:
    return actor.user_id is not None and actor.can_write and actor.has_role(*COMMENTERS) and not actor.is_staff


def _same_again(actor: Actor, change_id: int, parent_id: int | None, text: str) -> ChangeComment | None:
    """The comment these words already made, sent moments ago by the same person: a double submit counts once."""
    query = ChangeComment.select().where(
        ChangeComment.change == change_id,
        ChangeComment.author == actor.user_id,
        ChangeComment.body == text,
        ChangeComment.created_at >= utcnow() - DOUBLE_SUBMIT,
        ChangeComment.parent.is_null() if parent_id is None else ChangeComment.parent == parent_id,
    )
    return query.order_by(ChangeComment.id.desc()).first()


def _create(actor: Actor, change: Change, parent: ChangeComment | None, text: str, locale: str) -> ChangeComment:
    official = actor.is_staff
    author = actor.user_id if not official else (parent.author_id if parent else None)  # type: ignore[attr-defined]
    public = redact_comment(text, author, change.id)
    # Staff replies too: a reply that names someone waits for a moderator like anyone's comment.
    held = public != text
    status = ChangeCommentStatus.HELD if held else ChangeCommentStatus.PUBLISHED
    with transaction():
        now = utcnow()
        row = ChangeComment.create(
            change=change.id,
            parent=parent.id if parent else None,
            author=actor.user_id,
            official=official,
            locale=locale,
            body=text,
            body_public=public,
            status=status,
            held_reason=PERSONAL_DATA if held else "",
            created_at=now,
            updated_at=now,
        )
        record_audit(
            actor,
            "change_comment.posted",
            "change_comment",
            row.id,
            {
                "change_id": {"before": None, "after": change.id},
                "parent_id": {"before": None, "after": parent.id if parent else None},
                "status": {"before": None, "after": str(status)},
                "official": {"before": None, "after": official},
            },
        )
        record_event(
            "cocreation.comment_posted",
            {
                "comment_id": row.id,
                "change_id": change.id,
                "reference": change.reference,
                "status": str(status),
                "official": official,
            },
        )
    return row


def _throttle(actor: Actor) -> None:
    if actor.is_staff:
        return
    wait = hit(f"cocreation.comment:{actor.user_id}", DAILY_LIMIT, DAY)
    if wait is not None:
        raise Throttled(wait)


def post_comment(actor: Actor, reference: str, body: str, locale: str | None = None) -> ChangeComment:
    """Comment on a published change as a signed-in resident and return the comment, published or held.

    The same words sent again within minutes return the first comment. Raises NotAllowed (not signed in as a
    resident, a staff member, or a read-only token), NotFound("Change") for a change that is not there or not
    published, Invalid (``comment_body`` "required" / "too_long", at ``body``), or Throttled past
    :data:`DAILY_LIMIT` a day.
    """
    if not _may_comment(actor):
        raise NotAllowed("change_comment.post")
    change = published_change(reference)
    with gather() as problems:
        text = _body(problems, body)
    again = _same_again(actor, change.id, None, text)
    if again is not None:
        return again
    _throttle(actor)
    return _create(actor, change, None, text, _locale(locale, actor))


def reply_to_comment(actor: Actor, comment_id: int, body: str, locale: str | None = None) -> ChangeComment:
    """Reply to a top-level published comment and return the reply: a resident's is redacted like any comment,
    staff's is official and published at once.

    Raises NotAllowed, NotFound("ChangeComment") for a comment the actor can't see (or none), Invalid
    (``comment_body`` "required" / "too_long"; ``reply_to`` "is_reply", at ``comment_id``, when it is itself a reply:
    threads are one level deep), or Throttled.
    """
    if not (actor.can_write and (actor.is_staff or _may_comment(actor))):
        raise NotAllowed("change_comment.reply")
    parent = visible_comment(actor, comment_id)
    change = Change.get_by_id(parent.change_id)  # type: ignore[attr-defined]
    if change.published_at is None or (parent.status != ChangeCommentStatus.PUBLISHED and not actor.is_staff):
        raise NotFound("ChangeComment", comment_id)
    with gather() as problems:
        if parent.parent_id is not None:  # type: ignore[attr-defined]
            problems.add("reply_to", "is_reply", at=("comment_id",))
        text = _body(problems, body)
    again = _same_again(actor, change.id, parent.id, text)
    if again is not None:
        return again
    _throttle(actor)
    return _create(actor, change, parent, text, _locale(locale, actor))


def visible_comment(actor: Actor, comment_id: int) -> ChangeComment:
    """The comment as the actor may see it: staff any, others a published one of a published change, or their own.

    Raises NotFound("ChangeComment") for any other, as for one that is not there.
    """
    comment = ChangeComment.get_or_none(ChangeComment.id == comment_id)
    if comment is None or actor.is_staff:
        if comment is None:
            raise NotFound("ChangeComment", comment_id)
        return comment
    own = actor.user_id is not None and comment.author_id == actor.user_id  # type: ignore[attr-defined]
    public = (
        comment.status == ChangeCommentStatus.PUBLISHED
        and Change.select().where(Change.id == comment.change_id, Change.published_at.is_null(False)).exists()  # type: ignore[attr-defined]
    )
    if not (own or public):
        raise NotFound("ChangeComment", comment_id)
    return comment


@dataclass(frozen=True)
class ReportOutcome:
    """What a report did: ``counted`` false with ``why_not`` "own" or "already" when it changed nothing."""

    comment: ChangeComment
    counted: bool
    why_not: str | None = None
    hidden: bool = False


def report_comment(actor: Actor, comment_id: int, reason: str = "") -> ReportOutcome:
    """Report a published comment as unsuitable; at ``comment_report_limit`` reports it is hidden for review.

    Reporting your own comment, or one you reported already, changes nothing: the outcome says which. Raises
    NotAllowed (not signed in, or a read-only token), NotFound("ChangeComment") for a comment the actor can't see,
    and Invalid (``report_reason`` "too_long").
    """
    if actor.user_id is None or not actor.can_write:
        raise NotAllowed("change_comment.report")
    comment = visible_comment(actor, comment_id)
    if comment.status != ChangeCommentStatus.PUBLISHED and comment.author_id != actor.user_id:  # type: ignore[attr-defined]
        raise NotFound("ChangeComment", comment_id)
    with gather() as problems:
        why = clean(reason)
        if len(why) > REPORT_REASON_MAX:
            problems.add("report_reason", "too_long", at=("reason",), maximum=REPORT_REASON_MAX)
    if comment.author_id == actor.user_id:  # type: ignore[attr-defined]
        return ReportOutcome(comment, counted=False, why_not="own")
    if (
        CommentReport.select()
        .where(CommentReport.comment == comment.id, CommentReport.reporter == actor.user_id)
        .exists()
    ):
        return ReportOutcome(comment, counted=False, why_not="already")
    limit = current().comment_report_limit
    try:
        with transaction():
            CommentReport.create(comment=comment.id, reporter=actor.user_id, reason=why)
            now = utcnow()
            ChangeComment.update(reports=ChangeComment.reports + 1, updated_at=now).where(
                ChangeComment.id == comment.id
            ).execute()
            # Of two reports at once only one moves it: the update is conditional on it still being published.
            hidden = (
                ChangeComment.update(status=ChangeCommentStatus.HIDDEN, held_reason=REPORTS, updated_at=now)
                .where(
                    ChangeComment.id == comment.id,
                    ChangeComment.status == ChangeCommentStatus.PUBLISHED,
                    ChangeComment.reports >= limit,
                    # The landlord's official reply is not hidden by reports: they reach the moderators' queue.
                    ChangeComment.official == False,  # noqa: E712
                )
                .execute()
            )
            record_audit(actor, "change_comment.reported", "change_comment", comment.id, {})
            record_event("cocreation.comment_reported", {"comment_id": comment.id, "change_id": comment.change_id})  # type: ignore[attr-defined]
            if hidden:
                record_audit(
                    actor,
                    "change_comment.hidden",
                    "change_comment",
                    comment.id,
                    {"status": {"before": "published", "after": "hidden"}},
                )
                record_event("cocreation.comment_hidden", {"comment_id": comment.id, "change_id": comment.change_id})  # type: ignore[attr-defined]
    except IntegrityError:
        # The same person's second report, sent at the same moment as the first: the first counted.
        return ReportOutcome(ChangeComment.get_by_id(comment.id), counted=False, why_not="already")
    return ReportOutcome(ChangeComment.get_by_id(comment.id), counted=True, hidden=bool(hidden))


def delete_comment(actor: Actor, comment_id: int) -> int:
    """Delete the actor's own comment, with any replies to it; return its id.

    Raises NotAllowed (not signed in, or a read-only token) and NotFound("ChangeComment") for a comment that is not
    theirs, as for one that is not there.
    """
    if actor.user_id is None or not actor.can_write:
        raise NotAllowed("change_comment.delete")
    comment = ChangeComment.get_or_none(ChangeComment.id == comment_id, ChangeComment.author == actor.user_id)
    if comment is None:
        raise NotFound("ChangeComment", comment_id)
    with transaction():
        gone = ChangeComment.delete().where(ChangeComment.id == comment.id).execute()
        if not gone:
            raise NotFound("ChangeComment", comment_id)
        record_audit(
            actor,
            "change_comment.deleted",
            "change_comment",
            comment.id,
            {"status": {"before": str(comment.status), "after": None}},
        )
        record_event("cocreation.comment_deleted", {"comment_id": comment.id, "change_id": comment.change_id})  # type: ignore[attr-defined]
    return int(comment.id)
