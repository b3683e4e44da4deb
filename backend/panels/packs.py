"""Evidence packs: what staff put before a review panel, and what its members open.

Staff add items of six kinds (``ItemKind``): a document (a file, checked and stored like every upload), a link, a
survey's results frozen as figures, a lesson as a redacted copy, a snapshot of a saved report's figures, and a
redacted case. What members read is frozen into the item (``content``) when it is added, so a later change to the
lesson, the survey or the case never reaches the pack unseen: staff add the item again to take a new copy.

Every item starts as a draft. A member of staff confirms its redaction (who and when are kept) before members see
it; an item may be withdrawn with a reason at any time, and then members no longer see it. Each time a member
opens an item (:func:`open_item`) a ``PackItemView`` row records who and when.

Every change is audited as ``pack_item`` with the item's id and the review's id, and writes a
``panels.pack_item_*`` outbox event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, BinaryIO
from urllib.parse import urlparse

from backend.accounts.models import User, UserRole
from backend.audit.services import record_audit
from backend.complaints import files
from backend.complaints.case_parties import case_parties, case_references
from backend.complaints.case_view import redacted_case
from backend.complaints.models import Complaint
from backend.complaints.redaction import REFERENCE
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotFound, gather
from backend.events.services import record_event
from backend.lessons.models import ImprovementAction, Lesson, LessonCause, LessonSource, RootCause
from backend.names import has_hidden_characters
from backend.panels import access
from backend.panels.access import visible_item, visible_review
from backend.panels.models import ItemKind, ItemStatus, PackItem, PackItemView, ScrutinyReview
from backend.panels.redaction import redact_for_panel
from backend.redaction import Party, redact_narrative
from backend.reports.models import SavedReport
from backend.reports.saved import rows_of, visible_report
from backend.surveys.models import Survey
from backend.surveys.results import survey_results
from backend.text import clean
from backend.timeutil import utcnow

MAX_TITLE = 200
MAX_NOTE = 5_000
MAX_URL = 2_000
MAX_REASON = 2_000
#: Rows of a saved report frozen into a snapshot: a pack holds figures, not a data dump.
MAX_SNAPSHOT_ROWS = 200
#: Items in one review's pack.
MAX_ITEMS = 500
STAFF_WORD = "[staff member]"
#: Any complaint's reference, e.g. LL-2026-000042.
CASE_REFERENCE = r"(?<![\w-])LL-\d{4}-\d+(?![\w-])"


# --- Checks ------------------------------------------------------------------------------------------------------


def require_staff(actor: Actor, what: str) -> None:
    """Raise NotAllowed unless the actor is staff who may write: only staff build packs."""
    access.require_staff(actor, f"pack_item.{what}")


def _staff_review(actor: Actor, review_id: int, what: str) -> ScrutinyReview:
    require_staff(actor, what)
    return visible_review(actor, review_id)


def _staff_item(actor: Actor, item_id: int, what: str) -> PackItem:
    require_staff(actor, what)
    if not 0 < item_id < 2**63:
        raise NotFound("PackItem", item_id)
    return visible_item(actor, item_id)


def check_line(problems: Any, name: str, value: str | None, limit: int, required: bool = False) -> str:
    """``value`` cleaned, as one line of visible text; its problems recorded under ``name``."""
    text = clean(value or "")
    if required and not text:
        problems.add(name, "required")
    elif len(text) > limit:
        problems.add(name, "too_long", maximum=limit)
    elif has_hidden_characters(text):
        problems.add(name, "hidden_characters")
    return text


def check_text(problems: Any, name: str, value: str | None, limit: int, required: bool = False) -> str:
    """``value`` cleaned; its problems (required, too long) recorded under ``name``."""
    text = clean(value or "")
    if required and not text:
        problems.add(name, "required")
    elif len(text) > limit:
        problems.add(name, "too_long", maximum=limit)
    return text


def check_url(problems: Any, value: str | None) -> str:
    """A web page's address: https:// only, as evidence links are (an http:// page can be changed on the way)."""
    link = clean(value or "")
    parsed = urlparse(link)
    if not link:
        problems.add("url", "required")
    elif len(link) > MAX_URL:
        problems.add("url", "too_long", maximum=MAX_URL)
    elif parsed.scheme != "https" or not parsed.netloc or " " in link:
        problems.add("url", "not_a_link")
    return link


# --- Writing -----------------------------------------------------------------------------------------------------


def _next_position(review_id: int) -> int:
    last = PackItem.select(PackItem.position).where(PackItem.review == review_id).order_by(-PackItem.position).first()
    return (last.position if last else 0) + 1


def _audit(actor: Actor, verb: str, item: PackItem, **changes: Any) -> None:
    review_id = item.review_id  # type: ignore[attr-defined]
    written = {name: {"before": None, "after": value} for name, value in changes.items()}
    written["review_id"] = {"before": review_id, "after": review_id}
    record_audit(actor, f"pack_item.{verb}", "pack_item", item.id, written)
    record_event(f"panels.pack_item_{verb}", {"item_id": item.id, "review_id": review_id, "kind": item.kind})


def _add(actor: Actor, review: ScrutinyReview, kind: str, **values: Any) -> PackItem:
    """Write a draft item at the end of the pack, with its audit entry and event (in the caller's transaction)."""
    if PackItem.select().where(PackItem.review == review.id).count() >= MAX_ITEMS:
        raise Conflict("pack_full")
    # Staff write the title and note for members: staff, members and case references are taken out as saved.
    for name in ("title", "note"):
        if isinstance(values.get(name), str):
            values[name] = redact_for_panel(values[name])
    item = PackItem.create(
        review=review.id,
        kind=kind,
        position=_next_position(review.id),
        status=ItemStatus.DRAFT,
        added_by=actor.user_id,
        added_at=utcnow(),
        **values,
    )
    _audit(actor, "added", item, kind=kind, title=item.title)
    return item


def add_link(actor: Actor, review_id: int, title: str, url: str, note: str = "") -> PackItem:
    """Add a web page to the pack, as a draft (staff).

    Raises NotAllowed, NotFound("ScrutinyReview"), Invalid (``title`` required/too_long/hidden_characters, ``note``
    too_long, ``url`` required/too_long/not_a_link) or Conflict("pack_full").
    """
    review = _staff_review(actor, review_id, "add")
    with gather() as problems:
        cleaned_title = check_line(problems, "title", title, MAX_TITLE, required=True)
        cleaned_note = check_text(problems, "note", note, MAX_NOTE)
        link = check_url(problems, url)
    with transaction():
        return _add(actor, review, ItemKind.LINK, title=cleaned_title, note=cleaned_note, url=link)


def add_document(actor: Actor, review_id: int, title: str, upload: files.Upload, note: str = "") -> PackItem:
    """Add a file (a policy, a letter, a leaflet) to the pack, as a draft (staff).

    The file is checked by content and size like every upload and stored outside the database. Raises NotAllowed,
    NotFound("ScrutinyReview"), Invalid (as :func:`add_link` for the title and note; ``Invalid("attachments",
    ...)`` for a refused file) or Conflict("pack_full").
    """
    review = _staff_review(actor, review_id, "add")
    with gather() as problems:
        cleaned_title = check_line(problems, "title", title, MAX_TITLE, required=True)
        cleaned_note = check_text(problems, "note", note, MAX_NOTE)
    (prepared,) = files.prepare([upload])
    try:
        with transaction():
            return _add(
                actor,
                review,
                ItemKind.DOCUMENT,
                title=cleaned_title,
                note=cleaned_note,
                file_name=prepared.file_name,
                media_type=prepared.kind.media_type,
                size=prepared.stored.size,
                sha256=prepared.stored.sha256,
                storage_key=prepared.stored.key,
            )
    except BaseException:
        files.discard([prepared])
        raise


def _english(text: Any) -> str:
    """A survey's own words in English, else in the first language it has (what a pack freezes)."""
    if isinstance(text, dict):
        return str(text.get("en") or next(iter(text.values()), ""))
    return str(text or "")


def survey_figures(actor: Actor, survey: Survey) -> dict[str, Any]:
    """A survey's results as figures: each question's text and counts per answer. Free text is left out: it is
    residents' own words, which no redaction can promise to clean."""
    questions = []
    for result in survey_results(actor, survey.id):
        if result.question.kind == "text":
            continue
        plain = result.as_dict()
        words = result.question.text if isinstance(result.question.text, dict) else {}
        options = {
            str(option.get("value")): _english(option.get("label"))
            for option in result.question.options or []
            if isinstance(option, dict)
        }
        counts = [{**count, "label": options.get(str(count["value"]), "")} for count in plain["counts"]]
        questions.append(
            {
                "question": str(words.get("en") or next(iter(words.values()), "")),
                "kind": result.question.kind,
                "total": plain["total"],
                "counts": counts,
                "mean": plain["mean"],
            }
        )
    title = survey.title if isinstance(survey.title, dict) else {}
    return {"survey": str(title.get("en") or next(iter(title.values()), "")), "questions": questions}


def add_survey(actor: Actor, review_id: int, survey_id: int, title: str = "", note: str = "") -> PackItem:
    """Add a survey's results to the pack, frozen as figures today, as a draft (staff).

    Raises NotAllowed, NotFound("ScrutinyReview" | "survey"), Invalid or Conflict("pack_full").
    """
    review = _staff_review(actor, review_id, "add")
    survey = Survey.get_or_none(Survey.id == survey_id) if 0 < survey_id < 2**63 else None
    if survey is None:
        raise NotFound("survey", survey_id)
    content = survey_figures(actor, survey)
    with gather() as problems:
        cleaned_title = check_line(problems, "title", title or content["survey"][:MAX_TITLE], MAX_TITLE, required=True)
        cleaned_note = check_text(problems, "note", note, MAX_NOTE)
    with transaction():
        return _add(
            actor,
            review,
            ItemKind.SURVEY,
            title=cleaned_title,
            note=cleaned_note,
            survey=survey.id,
            content=content,
            taken_at=utcnow(),
        )


# --- A lesson's redacted copy ------------------------------------------------------------------------------------


def _person_party(role: str, user: User | None) -> Party | None:
    if user is None:
        return None
    return Party(
        role=role, names=(user.display_name,), emails=(user.email,), phones=(user.phone,) if user.phone else ()
    )


def _linked_complaints(lesson: Lesson) -> list[Complaint]:
    """The complaints the lesson came from, directly or through one of their contacts."""
    direct = LessonSource.select(LessonSource.complaint).where(
        LessonSource.lesson == lesson.id, LessonSource.complaint.is_null(False)
    )
    contacts = LessonSource.select(LessonSource.contact).where(
        LessonSource.lesson == lesson.id, LessonSource.contact.is_null(False)
    )
    return list(Complaint.select().where(Complaint.id.in_(direct) | Complaint.contact.in_(contacts)).limit(50))


def lesson_parties(lesson: Lesson) -> list[Party]:
    """Everyone a lesson's words might name: every party of the cases it came from (residents, staff, contractors),
    the staff who captured, own and follow it or its actions, and every member of staff (their names turn up in
    lessons written by colleagues)."""
    parties: list[Party] = []
    for complaint in _linked_complaints(lesson):
        parties += case_parties(complaint)
    ids = {lesson.identified_by_id, lesson.owner_id, lesson.champion_id}  # type: ignore[attr-defined]
    for action in ImprovementAction.select().where(ImprovementAction.lesson == lesson.id):
        ids |= {action.owner_id, action.proposed_by_id, action.authorised_by_id, action.completed_by_id}  # type: ignore[attr-defined]
    staff = UserRole.select(UserRole.user).where(UserRole.role.in_(STAFF_ROLES))
    people = User.select().where(User.id.in_([i for i in ids if i]) | User.id.in_(staff))
    return parties + [party for user in people if (party := _person_party(STAFF_WORD, user)) is not None]


def lesson_references(lesson: Lesson) -> re.Pattern[str]:
    """The references that lead back to the lesson's cases (theirs, their contacts', their homes'), and any case
    reference at all."""
    known = {reference for complaint in _linked_complaints(lesson) for reference in case_references(complaint)}
    sources = [re.escape(reference) for reference in sorted(known, key=len, reverse=True)]
    return re.compile("|".join([*(rf"(?i:(?<!\w){source}(?!\w))" for source in sources), CASE_REFERENCE]))


def _day(value: dt.date | dt.datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


def redacted_lesson(lesson: Lesson) -> dict[str, Any]:
    """A lesson as members read it: what happened, its impact, its causes and its actions with their status and
    dates, every narrative field redacted and no member of staff named."""
    parties = lesson_parties(lesson)
    references = lesson_references(lesson)

    def red(text: str | None) -> str:
        return redact_narrative(references.sub(REFERENCE, text or ""), parties)

    causes = []
    for cause in (
        LessonCause.select(LessonCause, RootCause)
        .join(RootCause)
        .where(LessonCause.lesson == lesson.id)
        .order_by(LessonCause.id)
    ):
        causes.append({"cause": cause.root_cause.name, "contributing": cause.contributing, "detail": red(cause.detail)})
    actions = []
    for action in (
        ImprovementAction.select().where(ImprovementAction.lesson == lesson.id).order_by(ImprovementAction.id)
    ):
        actions.append(
            {
                "title": red(action.title),
                "description": red(action.description),
                "measure": red(action.measure),
                "target": red(action.target),
                "status": action.status,
                "dueOn": _day(action.due_on),
                "completedOn": _day(action.completed_at),
                "effect": action.effect,
            }
        )
    return {
        "title": red(lesson.title),
        "status": lesson.status,
        "identifiedOn": _day(lesson.identified_on),
        "whatHappened": red(lesson.event_summary or lesson.early_lesson),
        "laterFindings": red(lesson.later_findings),
        "actionsTaken": red(lesson.actions_taken),
        "impact": {"business": lesson.business_impact, "residents": lesson.resident_impact},
        "rootCauses": causes,
        "actions": actions,
    }


def add_lesson(actor: Actor, review_id: int, lesson_id: int, note: str = "") -> PackItem:
    """Add a lesson to the pack as a redacted copy taken now, as a draft (staff).

    Raises NotAllowed, NotFound("ScrutinyReview" | "lesson"), Invalid or Conflict("pack_full").
    """
    review = _staff_review(actor, review_id, "add")
    lesson = Lesson.get_or_none(Lesson.id == lesson_id) if 0 < lesson_id < 2**63 else None
    if lesson is None:
        raise NotFound("lesson", lesson_id)
    with gather() as problems:
        cleaned_note = check_text(problems, "note", note, MAX_NOTE)
    content = redacted_lesson(lesson)
    with transaction():
        return _add(
            actor,
            review,
            ItemKind.LESSON,
            title=content["title"][:MAX_TITLE] or "-",
            note=cleaned_note,
            lesson=lesson.id,
            content=content,
            taken_at=utcnow(),
        )


# --- Snapshots and cases -----------------------------------------------------------------------------------------

#: Runs a saved report's query as the person taking the snapshot: the result's data, or Invalid("report", code).
ReportRunner = Callable[[SavedReport], Mapping[str, Any]]


def add_snapshot(
    actor: Actor, review_id: int, report_id: int, run: ReportRunner, title: str = "", note: str = ""
) -> PackItem:
    """Add a saved report's figures, frozen now, to the pack, as a draft (staff).

    The API runs the report's query as ``actor`` (``run``), so the snapshot holds only what they may see. Raises
    NotAllowed, NotFound("ScrutinyReview" | "saved_report"), Invalid (``run``'s, or as :func:`add_link`) or
    Conflict("pack_full").
    """
    review = _staff_review(actor, review_id, "add")
    report = visible_report(actor, report_id)
    with gather() as problems:
        cleaned_title = check_line(problems, "title", title or report.name, MAX_TITLE, required=True)
        cleaned_note = check_text(problems, "note", note, MAX_NOTE)
    data = run(report)
    columns = [str(column) for column in report.columns or []]
    rows, more = rows_of(data, report.rows_path, columns, MAX_SNAPSHOT_ROWS)
    taken = utcnow()
    content = {"report": report.name, "columns": columns, "rows": rows, "more": more, "takenAt": taken.isoformat()}
    with transaction():
        return _add(
            actor,
            review,
            ItemKind.SNAPSHOT,
            title=cleaned_title,
            note=cleaned_note,
            content=content,
            query_name=report.name[:100],
            taken_at=taken,
        )


def case_copy(complaint_id: int, label: str) -> dict[str, Any]:
    """The case's redacted copy known by ``label``, as members read it (see ``backend.complaints.case_view``)."""
    return dict(redacted_case(complaint_id, label).as_dict())


def add_case(
    actor: Actor, review_id: int, complaint_id: int, label: str, sample_id: int | None = None, note: str = ""
) -> PackItem:
    """Add a case's redacted copy to the pack under ``label`` ("Case 3"), never its reference, as a draft (staff).

    Used by the sampling service, in its transaction. Raises NotAllowed, NotFound("ScrutinyReview") or
    Conflict("pack_full").
    """
    review = _staff_review(actor, review_id, "add")
    content = case_copy(complaint_id, label)
    return _add(
        actor,
        review,
        ItemKind.CASE,
        title=label,
        note=note,
        complaint=complaint_id,
        sample=sample_id,
        content=content,
        taken_at=utcnow(),
    )


# --- Confirming, withdrawing, ordering ---------------------------------------------------------------------------


def confirm_item(actor: Actor, item_id: int) -> PackItem:
    """Record that a member of staff checked the item's redaction: members may now see it.

    Raises NotAllowed, NotFound("PackItem") or Conflict("not_draft") (of two people confirming at once, the
    second gets it).
    """
    item = _staff_item(actor, item_id, "confirm")
    now = utcnow()
    with transaction():
        moved = (
            PackItem.update(status=ItemStatus.CONFIRMED, confirmed_by=actor.user_id, confirmed_at=now, updated_at=now)
            .where(PackItem.id == item.id, PackItem.status == ItemStatus.DRAFT)
            .execute()
        )
        if moved != 1:
            raise Conflict("not_draft")
        item = PackItem.get_by_id(item.id)
        _audit(actor, "confirmed", item, status=ItemStatus.CONFIRMED)
        return item


def withdraw_item(actor: Actor, item_id: int, reason: str) -> PackItem:
    """Take an item out of the pack, with the reason; members no longer see it.

    Raises NotAllowed, NotFound("PackItem"), Invalid("reason", "required" | "too_long") or
    Conflict("item_withdrawn").
    """
    item = _staff_item(actor, item_id, "withdraw")
    with gather() as problems:
        cleaned = check_text(problems, "reason", reason, MAX_REASON, required=True)
    with transaction():
        moved = (
            PackItem.update(status=ItemStatus.WITHDRAWN, withdrawn_reason=cleaned, updated_at=utcnow())
            .where(PackItem.id == item.id, PackItem.status != ItemStatus.WITHDRAWN)
            .execute()
        )
        if moved != 1:
            raise Conflict("item_withdrawn")
        item = PackItem.get_by_id(item.id)
        _audit(actor, "withdrawn", item, reason=cleaned)
        return item


def move_item(actor: Actor, item_id: int, position: int) -> PackItem:
    """Move an item to ``position`` (from 1; past the end puts it last), the others keeping their order.

    Raises NotAllowed or NotFound("PackItem").
    """
    item = _staff_item(actor, item_id, "order")
    review_id = item.review_id  # type: ignore[attr-defined]
    ids = [
        row.id
        for row in PackItem.select(PackItem.id)
        .where(PackItem.review == review_id, PackItem.id != item.id)
        .order_by(PackItem.position, PackItem.id)
    ]
    ids.insert(max(0, min(position - 1, len(ids))), item.id)
    order_items(actor, review_id, ids)
    return PackItem.get_by_id(item.id)


def order_items(actor: Actor, review_id: int, item_ids: Sequence[int]) -> list[PackItem]:
    """Put the pack's items in the order given (every item of the review, each once).

    Raises NotAllowed, NotFound("ScrutinyReview") or Invalid("items", "not_the_pack").
    """
    review = _staff_review(actor, review_id, "order")
    current = {row.id for row in PackItem.select(PackItem.id).where(PackItem.review == review.id)}
    if len(item_ids) != len(current) or set(item_ids) != current:
        raise Invalid("items", "not_the_pack")
    with transaction():
        for position, item_id in enumerate(item_ids, start=1):
            PackItem.update(position=position, updated_at=utcnow()).where(PackItem.id == item_id).execute()
        record_audit(
            actor,
            "pack_item.ordered",
            "scrutiny_review",
            review.id,
            {"items": {"before": None, "after": list(item_ids)}},
        )
        record_event("panels.pack_ordered", {"review_id": review.id})
    return list(PackItem.select().where(PackItem.review == review.id).order_by(PackItem.position, PackItem.id))


# --- Members opening items ---------------------------------------------------------------------------------------


def open_item(actor: Actor, item_id: int) -> PackItem:
    """The item, for staff or a member who may see it; a member's view is logged (``PackItemView``).

    Raises NotFound("PackItem") alike for an item that is not there and one the actor may not see.
    """
    if not 0 < item_id < 2**63:
        raise NotFound("PackItem", item_id)
    item = visible_item(actor, item_id)
    if not actor.is_staff and actor.user_id is not None:
        with transaction():
            PackItemView.create(item=item.id, person=actor.user_id, viewed_at=utcnow())
    return item


def open_item_file(actor: Actor, item_id: int) -> tuple[PackItem, BinaryIO]:
    """A document item's file and its bytes, for staff or a member who may see it; a member's view is logged.

    Raises NotFound("PackItem") alike for an item that is not there, not a file, or not the actor's to see.
    """
    item = open_item(actor, item_id)
    if not item.storage_key:
        raise NotFound("PackItem", item_id)
    try:
        return item, files.open_stored(str(item.storage_key), item.size, item.sha256)
    except FileNotFoundError:
        raise NotFound("PackItem", item_id) from None
