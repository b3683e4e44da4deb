"""SMART improvement actions: proposed, authorised by a manager, carried out, done with evidence, signed off by
another manager and verified for their effect.

The path (``ActionStatus``): proposed -> authorised -> in progress -> done -> signed off -> verified, or cancelled
with a reason from any step before it is verified. A manager authorises an action only once it is SMART: an owner,
a measure, a target and a due date that is not in the past. Sign-off and verification are each by a manager who is
not the owner (the Ombudsman's self-assessment asks that actions are checked by someone independent of them); sign-off
by a senior manager while some are designated who are still managers. Verifying an action as "not addressed" either
reopens it, with a new due date, or proposes a new action that follows it; the verifier chooses.

Due dates: once authorised, the due date changes only with a manager's authorisation and a reason (``DueDateChange``),
and ``first_due_on`` keeps the first authorised date, against which on-time is always measured.

The lesson's status follows its actions forward (see :func:`follow_actions`): the first authorised action moves an
analysed lesson to "actions agreed", the first started one to "in progress", and once every action that is not
cancelled is done (or beyond) it is "measuring impact". It goes back only when an action is reopened after
verification: a lesson measuring impact is then "in progress" again (:func:`follow_back`). Closing a lesson is left
to a person.

Every change is audited as ``improvement_action`` with the action's id, and its changes carry ``lesson_id`` so the
lesson's history finds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, BinaryIO
from urllib.parse import urlparse

from backend.accounts.models import User, UserRole
from backend.audit.services import field_changes, record_audit
from backend.complaints import files
from backend.complaints.clocks import managers
from backend.context import STAFF_ROLES, SYSTEM, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, gather
from backend.events.services import record_event
from backend.lessons import notices
from backend.lessons.champions import team_key
from backend.lessons.lesson_guards import require_open
from backend.lessons.models import (
    ActionEvidence,
    ActionStatus,
    ActionType,
    Champion,
    DueDateChange,
    Effect,
    ImprovementAction,
    Lesson,
    LessonCause,
    LessonStatus,
    Programme,
)
from backend.names import has_hidden_characters
from backend.text import clean
from backend.timeutil import local_date, utcnow
from backend.vocabulary import Vocabulary

MANAGER_ROLES = ("manager", "admin")
MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_FIGURE = 200
MAX_TEAM = 100
MAX_URL = 2_000
MAX_LINKS = 10
#: Statuses in which the work is still to be done: the overdue sweep follows these.
OPEN = (ActionStatus.AUTHORISED, ActionStatus.IN_PROGRESS)
#: Statuses in which the action has been done (or beyond).
DONE = (ActionStatus.DONE, ActionStatus.SIGNED_OFF, ActionStatus.VERIFIED)
#: Statuses of an action that was authorised (or beyond).
AGREED = (ActionStatus.AUTHORISED, ActionStatus.IN_PROGRESS, *DONE)
#: Fields a proposal gives and an update (while proposed) may change.
EDITABLE = (
    "title",
    "description",
    "measure",
    "baseline",
    "target",
    "owner_id",
    "team",
    "cause_id",
    "action_type",
    "programme_id",
    "due_on",
)
SNAPSHOT = (
    "lesson_id",
    *EDITABLE,
    "status",
    "first_due_on",
    "authorised_by_id",
    "started_at",
    "completed_by_id",
    "evidence",
    "signed_off_by_id",
    "verified_by_id",
    "effect",
    "effect_note",
    "follows_id",
    "cancel_reason",
)


def snapshot(action: ImprovementAction) -> dict[str, Any]:
    return {name: getattr(action, name) for name in SNAPSHOT}


def _audit(actor: Actor, verb: str, action: ImprovementAction, before: dict[str, Any] | None, **extra: Any) -> None:
    """Audit a change to an action; the changes always name the lesson, so the lesson's history finds them."""
    changes = field_changes(before, snapshot(action))
    changes.update({name: {"before": None, "after": value} for name, value in extra.items()})
    changes["lesson_id"] = {"before": action.lesson_id, "after": action.lesson_id}  # type: ignore[attr-defined]
    record_audit(actor, f"improvement_action.{verb}", "improvement_action", action.id, changes)


def is_manager(actor: Actor) -> bool:
    return actor.has_role(*MANAGER_ROLES)


def _require(actor: Actor, allowed: bool, what: str) -> None:
    if not actor.can_write or not allowed:
        raise NotAllowed(f"improvement_action.{what}")


def get_action(action_id: int) -> ImprovementAction:
    """The action; raise ``NotFound("improvement_action")`` when there is none."""
    action = ImprovementAction.get_or_none(ImprovementAction.id == action_id)
    if action is None:
        raise NotFound("improvement_action", action_id)
    return action


def my_teams(actor: Actor, today: dt.date | None = None) -> list[str]:
    """The teams whose actions the viewer follows: the teams they are an active champion of, and their own team."""
    today = today or local_date()
    if actor.user_id is None:
        return []
    teams = [
        row.team
        for row in Champion.select(Champion.team)
        .where(
            Champion.person == actor.user_id,
            Champion.appointed_on <= today,
            (Champion.ended_on.is_null()) | (Champion.ended_on >= today),
        )
        .order_by(Champion.team)
    ]
    user = User.get_or_none(User.id == actor.user_id)
    if user is not None and user.team:
        teams.append(user.team)
    # Team names are typed, so the same team may be spelt differently on actions ("Repairs team", "repairs  team"):
    # every spelling in use that reads the same counts.
    keys = {team_key(team) for team in teams}
    spelt = ImprovementAction.select(ImprovementAction.team).where(ImprovementAction.team.is_null(False)).distinct()
    teams += [str(row.team) for row in spelt if team_key(row.team) in keys]
    return list(dict.fromkeys(teams))


def on_time(action: ImprovementAction) -> bool | None:
    """Whether it was done by its first authorised due date; None until it is done (or if never authorised)."""
    if action.completed_at is None or action.first_due_on is None:
        return None
    return local_date(action.completed_at) <= action.first_due_on


# --- Checking what was typed -------------------------------------------------------------------------------------


def _is_staff(user_id: int) -> bool:
    return (
        User.select()
        .join(UserRole, on=(UserRole.user == User.id))
        .where(User.id == user_id, User.is_active == True, UserRole.role.in_(STAFF_ROLES))  # noqa: E712
        .exists()
    )


def _text(
    values: dict[str, Any], name: str, limit: int, problems: Any, required: bool = False, line: bool = False
) -> None:
    """Clean ``values[name]`` if given; a ``line`` (the title, the team) is one line of visible text."""
    if name not in values:
        return
    text = clean(values[name])
    if required and not text:
        problems.add(name, "required")
    elif len(text) > limit:
        problems.add(name, "too_long", maximum=limit)
    elif line and has_hidden_characters(text):
        problems.add(name, "hidden_characters")
    values[name] = text


def _check(lesson_id: int, values: dict[str, Any], problems: Any, today: dt.date) -> None:
    """Check and tidy the SMART fields given in ``values``, recording every problem."""
    _text(values, "title", MAX_TITLE, problems, required=True, line=True)
    _text(values, "description", MAX_TEXT, problems)
    _text(values, "measure", MAX_TEXT, problems)
    _text(values, "baseline", MAX_FIGURE, problems)
    _text(values, "target", MAX_FIGURE, problems)
    if "team" in values:
        _text(values, "team", MAX_TEAM, problems, line=True)
        values["team"] = values["team"] or None
    if "action_type" in values and values["action_type"] not in ActionType.codes():
        problems.add("action_type", "required" if not values["action_type"] else "unsupported")
    if values.get("owner_id") is not None and not _is_staff(int(values["owner_id"])):
        problems.add("owner_id", "not_staff")
    cause_id = values.get("cause_id")
    if (
        cause_id is not None
        and not LessonCause.select().where(LessonCause.id == cause_id, LessonCause.lesson == lesson_id).exists()
    ):
        problems.add("cause_id", "not_of_lesson")
    programme_id = values.get("programme_id")
    if (
        programme_id is not None
        and not Programme.select().where(Programme.id == programme_id, Programme.archived_at.is_null()).exists()
    ):
        problems.add("programme_id", "not_found")
    due = values.get("due_on")
    if due is not None and due < today:
        problems.add("due_on", "in_past")


def _visible_lesson(lesson_id: int) -> Lesson:
    lesson = Lesson.get_or_none(Lesson.id == lesson_id)
    if lesson is None:
        raise NotFound("lesson", lesson_id)
    return lesson


# --- Proposing and authorising -----------------------------------------------------------------------------------


def propose_action(actor: Actor, lesson_id: int, follows_id: int | None = None, **values: Any) -> ImprovementAction:
    """Propose a SMART action for a lesson; any member of staff may. Return the new action.

    ``values`` are the fields of ``EDITABLE``; only the title and the type are needed to propose. Raises
    NotAllowed, NotFound("lesson"), Invalid naming every problem at once (a past due date, an owner who is not
    active staff, a cause of another lesson), or Conflict: "lesson_archived", "lesson_ended" (cancelled or merged:
    it no longer changes) or "lesson_closed" (it takes no new actions). A lesson still identified may have actions
    proposed while it is analysed; they are authorised once it is analysed (:func:`authorise_action`).
    """
    _require(actor, actor.is_staff, "propose")
    lesson = _visible_lesson(lesson_id)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    values = {name: values.get(name) for name in EDITABLE} | {
        name: values.get(name) or "" for name in ("title", "description", "measure", "baseline", "target")
    }
    with gather() as problems:
        _check(lesson.id, values, problems, local_date())
    require_open(lesson)
    if lesson.status == LessonStatus.CLOSED:
        raise Conflict("lesson_closed")
    with transaction():
        action = ImprovementAction.create(
            lesson=lesson.id,
            **{name.removesuffix("_id"): value for name, value in values.items()},
            follows=follows_id,
            proposed_by=actor.user_id,
        )
        _audit(actor, "proposed", action, None)
    return action


def update_action(actor: Actor, action_id: int, **values: Any) -> ImprovementAction:
    """Change a proposed action's SMART fields; any member of staff may.

    Only the fields in ``values`` change, the rest are kept: a text given as "" and an owner, team, cause, programme
    or due date given as None are cleared; the title and the type cannot be (``title``/``action_type``
    "required"). Raises NotAllowed, NotFound("improvement_action"), Invalid (every problem at once) or
    Conflict("not_proposed") once it is authorised: its due date then changes only through
    :func:`change_due_date`. Returns the action unchanged (and audits nothing) when nothing differs.
    """
    _require(actor, actor.is_staff, "update")
    action = get_action(action_id)
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    with gather() as problems:
        _check(action.lesson_id, values, problems, local_date())  # type: ignore[attr-defined]
    if action.status != ActionStatus.PROPOSED:
        raise Conflict("not_proposed")
    before = snapshot(action)
    with transaction():
        action = get_action(action_id)
        if action.status != ActionStatus.PROPOSED:
            raise Conflict("not_proposed")
        for name, value in values.items():
            setattr(action, name, value)
        if field_changes(before, snapshot(action)):
            action.updated_at = utcnow()
            action.save()
            _audit(actor, "updated", action, before)
    return action


#: Each SMART part authorising needs: its name in "still missing" messages, and the field it is set by.
AUTHORISATION_PARTS = {
    "action_owner": "owner_id",
    "action_measure": "measure",
    "action_target": "target",
    "action_due_on": "due_on",
}


def authorisation_missing(action: ImprovementAction) -> list[str]:
    """The SMART parts an action still lacks before it can be authorised: owner, measure, target and due date."""
    missing = []
    if action.owner_id is None:  # type: ignore[attr-defined]
        missing.append("action_owner")
    if not action.measure.strip():
        missing.append("action_measure")
    if not action.target.strip():
        missing.append("action_target")
    if action.due_on is None:
        missing.append("action_due_on")
    return missing


def authorise_action(actor: Actor, action_id: int) -> ImprovementAction:
    """Authorise a proposed action (a manager): work may start, and its due date becomes the first due date.

    The framework analyses before it acts: the lesson must be analysed (its root causes recorded) or further on.
    Raises NotAllowed for anyone but a manager, NotFound("improvement_action"), or Invalid naming every missing part
    at once: first ``Invalid("authorisation", "incomplete", missing=[...])`` listing them all, then each part
    "required" at the field that sets it (``owner_id``, ``measure``, ``target``, ``due_on``), and
    ``Invalid("due_on", "in_past")`` when its due date has passed. Raises Conflict("already_authorised") for an
    action authorised already (or beyond), Conflict("action_ended") for a cancelled one, and for its lesson
    "lesson_archived", "lesson_ended" (cancelled or merged) or "lesson_not_analysed" (still identified).
    """
    _require(actor, is_manager(actor), "authorise")
    action = get_action(action_id)
    if action.status == ActionStatus.CANCELLED:
        raise Conflict("action_ended")
    if action.status != ActionStatus.PROPOSED:
        raise Conflict("already_authorised")
    with gather() as problems:
        missing = authorisation_missing(action)
        if missing:
            problems.add("authorisation", "incomplete", missing=missing)
        for part in missing:
            problems.add(part, "required", at=(AUTHORISATION_PARTS[part],))
        if action.due_on is not None and action.due_on < local_date():
            problems.add("due_on", "in_past")
    lesson = _visible_lesson(action.lesson_id)  # type: ignore[attr-defined]
    require_open(lesson)
    if lesson.status == LessonStatus.IDENTIFIED:
        raise Conflict("lesson_not_analysed")
    return _move(
        actor,
        action,
        "authorised",
        ActionStatus.PROPOSED,
        status=ActionStatus.AUTHORISED,
        authorised_by=actor.user_id,
        authorised_at=utcnow(),
        first_due_on=action.due_on,
    )


def _move(
    actor: Actor, action: ImprovementAction, verb: str, expected: str | tuple[str, ...], **changes: Any
) -> ImprovementAction:
    """Move the action on, if it is still in ``expected``: of two people acting at once only the first wins.
    Audits the change and lets the lesson's status follow."""
    before = snapshot(action)
    expected = (expected,) if isinstance(expected, str) else expected
    with transaction():
        moved = (
            ImprovementAction.update(**changes, updated_at=utcnow())
            .where(ImprovementAction.id == action.id, ImprovementAction.status.in_(expected))
            .execute()
        )
        if moved != 1:
            raise Conflict("action_changed")
        action = get_action(action.id)
        _audit(actor, verb, action, before)
        follow_actions(actor, action.lesson_id)  # type: ignore[attr-defined]
    return action


# --- Doing the work ----------------------------------------------------------------------------------------------


def _owner_or_manager(actor: Actor, action: ImprovementAction) -> bool:
    return is_manager(actor) or (actor.is_staff and actor.user_id == action.owner_id)  # type: ignore[attr-defined]


def start_action(actor: Actor, action_id: int) -> ImprovementAction:
    """Record that work on an authorised action started (its owner or a manager).

    Raises NotAllowed, NotFound("improvement_action") or Conflict("not_authorised").
    """
    _require(actor, actor.is_staff, "start")
    action = get_action(action_id)
    _require(actor, _owner_or_manager(actor, action), "start")
    if action.status != ActionStatus.AUTHORISED:
        raise Conflict("not_authorised")
    return _move(
        actor, action, "started", ActionStatus.AUTHORISED, status=ActionStatus.IN_PROGRESS, started_at=utcnow()
    )


def _check_links(links: Sequence[str], problems: Any) -> list[str]:
    """The links given, cleaned, blank ones left out; each problem at the link's place in ``links`` as sent.

    Only https:// addresses are taken: staff open these links from the action's page, and an http:// one can be
    read or changed on the way.
    """
    given = [(index, clean(link)) for index, link in enumerate(links) if clean(link)]
    if len(given) > MAX_LINKS:
        problems.add("links", "too_many", maximum=MAX_LINKS)
    for index, link in given:
        parsed = urlparse(link)
        if len(link) > MAX_URL:
            problems.add("links", "too_long", at=("links", index), maximum=MAX_URL)
        elif parsed.scheme != "https" or not parsed.netloc or " " in link:
            problems.add("links", "not_a_link", at=("links", index))
    return [link for _index, link in given][:MAX_LINKS]


def _store_evidence(
    actor: Actor, action: ImprovementAction, text: str, links: list[str], prepared: Sequence[files.Prepared]
) -> list[ActionEvidence]:
    rows = []
    if text:
        rows.append(ActionEvidence.create(action=action.id, text=text, added_by=actor.user_id))
    for link in links:
        rows.append(ActionEvidence.create(action=action.id, url=link, added_by=actor.user_id))
    for item in prepared:
        rows.append(
            ActionEvidence.create(
                action=action.id,
                file_name=item.file_name,
                media_type=item.kind.media_type,
                size=item.stored.size,
                sha256=item.stored.sha256,
                storage_key=item.stored.key,
                added_by=actor.user_id,
            )
        )
    for row in rows:
        _audit(actor, "evidence_added", action, snapshot(action), evidence=row.text[:200] or row.url or row.file_name)
    return rows


def _gather_evidence(text: str, links: Sequence[str], problems: Any) -> tuple[str, list[str]]:
    cleaned = clean(text)
    if len(cleaned) > MAX_TEXT:
        problems.add("evidence_text", "too_long", at=("text",), maximum=MAX_TEXT)
    return cleaned, _check_links(links, problems)


def add_evidence(
    actor: Actor, action_id: int, text: str = "", links: Sequence[str] = (), uploads: Sequence[files.Upload] = ()
) -> list[ActionEvidence]:
    """Add evidence (text, links, files) to an action before it is signed off (its owner or a manager).

    Files are checked by content and size like every upload, and stored outside the database. Raises NotAllowed,
    NotFound("improvement_action"), Invalid (every problem at once; ``Invalid("evidence", "none_given")`` at ``text``
    when nothing is given; ``links`` "not_a_link" (not https://) or "too_long" at ``links[i]``, "too_many";
    ``Invalid("attachments", ...)`` for a refused file) or Conflict("not_authorised" | "evidence_closed").
    """
    _require(actor, actor.is_staff, "add_evidence")
    action = get_action(action_id)
    _require(actor, _owner_or_manager(actor, action), "add_evidence")
    with gather() as problems:
        cleaned, found_links = _gather_evidence(text, links, problems)
        if not cleaned and not found_links and not uploads:
            problems.add("evidence", "none_given", at=("text",))
    if action.status == ActionStatus.PROPOSED:
        raise Conflict("not_authorised")
    if action.status not in (*OPEN, ActionStatus.DONE):
        raise Conflict("evidence_closed")
    prepared = files.prepare(uploads)
    try:
        with transaction():
            return _store_evidence(actor, action, cleaned, found_links, prepared)
    except BaseException:
        files.discard(prepared)
        raise


def open_evidence_file(actor: Actor, evidence_id: int) -> tuple[ActionEvidence, BinaryIO]:
    """An evidence file and its bytes, for staff.

    Raises NotFound alike for evidence that is not there, that is not a file, and for anyone who is not staff.
    """
    if not actor.is_staff or not 0 < evidence_id < 2**63:
        raise NotFound("action_evidence", evidence_id)
    row = ActionEvidence.get_or_none(ActionEvidence.id == evidence_id, ActionEvidence.storage_key.is_null(False))
    if row is None:
        raise NotFound("action_evidence", evidence_id)
    try:
        return row, files.open_stored(str(row.storage_key), row.size, row.sha256)
    except FileNotFoundError:
        raise NotFound("action_evidence", evidence_id) from None


def complete_action(
    actor: Actor, action_id: int, text: str = "", links: Sequence[str] = (), uploads: Sequence[files.Upload] = ()
) -> ImprovementAction:
    """Record an action in progress as done, with its evidence (its owner or a manager).

    At least one piece of evidence is needed: given here (text, links, files) or added before. Raises NotAllowed,
    NotFound("improvement_action"), Invalid (every problem at once, as :func:`add_evidence`; ``Invalid("evidence",
    "none_given")`` at ``text``) or Conflict("not_started").
    """
    _require(actor, actor.is_staff, "complete")
    action = get_action(action_id)
    _require(actor, _owner_or_manager(actor, action), "complete")
    with gather() as problems:
        cleaned, found_links = _gather_evidence(text, links, problems)
        had = ActionEvidence.select().where(ActionEvidence.action == action.id).exists()
        if not (cleaned or found_links or uploads or had):
            problems.add("evidence", "none_given", at=("text",))
    if action.status != ActionStatus.IN_PROGRESS:
        raise Conflict("not_started")
    prepared = files.prepare(uploads)
    try:
        with transaction():
            _store_evidence(actor, action, cleaned, found_links, prepared)
            done = _move(
                actor,
                action,
                "completed",
                ActionStatus.IN_PROGRESS,
                status=ActionStatus.DONE,
                completed_by=actor.user_id,
                completed_at=utcnow(),
                evidence=cleaned or action.evidence,
            )
            notices.tell_done(done, actor.user_id)  # the people who sign it off (self-assessment item 16)
            return done
    except BaseException:
        files.discard(prepared)
        raise


# --- Sign-off and verification -----------------------------------------------------------------------------------


def sign_off_action(actor: Actor, action_id: int, resident_message: str = "") -> ImprovementAction:
    """Sign off a done action: a senior manager who is not its owner (any manager while no designated senior
    manager is still a manager).

    ``resident_message``, when given, is what the residents whose complaints fed the lesson are told changed
    because they complained (self-assessment item 12): written for them, as internal titles never go to residents.
    Raises NotAllowed for anyone who is not a manager, or a manager who is not a senior manager while some are
    designated, and NotAllowed with ``code`` "own_action" for its owner; NotFound("improvement_action");
    Invalid("resident_message", "too_long"); or Conflict("not_done").
    """
    _require(actor, is_manager(actor), "sign_off")
    action = get_action(action_id)
    if actor.user_id == action.owner_id:  # type: ignore[attr-defined]
        raise NotAllowed("improvement_action.sign_off", code="own_action")  # four eyes: another manager signs off
    seniors = notices.senior_manager_ids()
    _require(actor, not seniors or actor.user_id in seniors, "sign_off")
    message = clean(resident_message or "")
    with gather() as problems:
        if len(message) > notices.MAX_RESIDENT_MESSAGE:
            problems.add("resident_message", "too_long", maximum=notices.MAX_RESIDENT_MESSAGE)
    if action.status != ActionStatus.DONE:
        raise Conflict("not_done")
    with transaction():
        signed = _move(
            actor,
            action,
            "signed_off",
            ActionStatus.DONE,
            status=ActionStatus.SIGNED_OFF,
            signed_off_by=actor.user_id,
            signed_off_at=utcnow(),
        )
        if message:
            notices.tell_complainants(actor, signed, message)
        return signed


class NextStep(Vocabulary):
    """What the verifier chooses for an action that did not address the problem."""

    REOPEN = "reopen", "Reopen the action: it goes back in progress."
    FOLLOW_UP = "follow_up", "Propose a new action that follows it."


NEXT_STEPS = NextStep.codes()


def verify_action(
    actor: Actor,
    action_id: int,
    effect: str,
    note: str,
    next_step: str | None = None,
    due_on: dt.date | None = None,
) -> ImprovementAction:
    """Record whether a signed-off action addressed the problem (a manager who is not its owner, as for sign-off);
    return the action verified.

    For "not addressed" the verifier chooses the next step: ``"reopen"`` puts the action back in progress with a new
    due date (``due_on``, needed, not in the past; recorded as a due-date change with the note as its reason, and
    the lesson goes back to "in progress" if it was measuring impact), ``"follow_up"`` verifies it and proposes a
    new action that follows it (same lesson, owner, measure and type; its due date to be agreed). Raises NotAllowed
    (``improvement_action.verify``: not a manager, or the owner), NotFound("improvement_action"), Invalid (every
    problem at once) or Conflict("not_done") for an action not done, Conflict("not_signed_off") for one done but
    not signed off.
    """
    _require(actor, is_manager(actor), "verify")
    action = get_action(action_id)
    _require(actor, actor.user_id != action.owner_id, "verify")  # type: ignore[attr-defined]
    reopening = effect == Effect.NOT_ADDRESSED and next_step == NextStep.REOPEN
    with gather() as problems:
        if effect not in Effect.codes():
            problems.add("effect", "required" if not effect else "unsupported")
        cleaned = clean(note)
        if not cleaned:
            problems.add("effect_note", "required", at=("note",))
        elif len(cleaned) > MAX_TEXT:
            problems.add("effect_note", "too_long", at=("note",), maximum=MAX_TEXT)
        if effect == Effect.NOT_ADDRESSED and next_step not in NEXT_STEPS:
            problems.add("next_step", "required")
        if reopening and due_on is None:
            problems.add("due_on", "reopen_required")
        elif reopening and due_on is not None and due_on < local_date():
            problems.add("due_on", "in_past")
    if action.status == ActionStatus.DONE:
        raise Conflict("not_signed_off")
    if action.status != ActionStatus.SIGNED_OFF:
        raise Conflict("not_done")
    verdict = {"effect": effect, "effect_note": cleaned, "verified_by": actor.user_id, "verified_at": utcnow()}
    if reopening:
        return _reopen(actor, action, verdict, due_on)  # type: ignore[arg-type]
    with transaction():
        verified = _move(actor, action, "verified", ActionStatus.SIGNED_OFF, status=ActionStatus.VERIFIED, **verdict)
        if effect == Effect.NOT_ADDRESSED:
            _follow_up(actor, verified)
    return verified


def _reopen(actor: Actor, action: ImprovementAction, verdict: dict[str, Any], due_on: dt.date) -> ImprovementAction:
    """Put a signed-off action back in progress with a new due date, recorded as a due-date change with the
    verifier's note as the reason; its earlier completion and sign-off stay in the audit trail (and on its page).
    The lesson goes back to "in progress" if it was measuring impact."""
    reopen = {
        "completed_at": None,
        "completed_by": None,
        "signed_off_at": None,
        "signed_off_by": None,
        "due_on": due_on,
        "due_soon_notified_at": None,
        "overdue_notified_at": None,
        "overdue_escalated_at": None,
    }
    with transaction():
        reopened = _move(
            actor, action, "reopened", ActionStatus.SIGNED_OFF, status=ActionStatus.IN_PROGRESS, **verdict, **reopen
        )
        if due_on != action.due_on:
            DueDateChange.create(
                action=action.id,
                from_date=action.due_on,
                to_date=due_on,
                reason=verdict["effect_note"],
                authorised_by=actor.user_id,
            )
        follow_back(actor, action.lesson_id)  # type: ignore[attr-defined]
    return reopened


def _follow_up(actor: Actor, action: ImprovementAction) -> ImprovementAction:
    """Propose a new action following one that did not address the problem, from its SMART fields."""
    follow = ImprovementAction.create(
        lesson=action.lesson_id,  # type: ignore[attr-defined]
        title=action.title,
        description=action.description,
        measure=action.measure,
        baseline=action.baseline,
        target=action.target,
        owner=action.owner_id,  # type: ignore[attr-defined]
        team=action.team,
        cause=action.cause_id,  # type: ignore[attr-defined]
        action_type=action.action_type,
        programme=action.programme_id,  # type: ignore[attr-defined]
        follows=action.id,
        proposed_by=actor.user_id,
    )
    _audit(actor, "proposed", follow, None)
    return follow


def record_residents_not_addressed(action_id: int, note: str, due_on: dt.date) -> ImprovementAction | None:
    """Record, as the system, that residents said the change this action carried out did not fix the problem;
    return the action, or None when there is nothing to record (no such action, or one proposed or cancelled).

    A signed-off or verified action goes back in progress with the effect "not addressed", the note, and the new
    due date ``due_on`` (recorded as a due-date change with the note as its reason); the lesson goes back to "in
    progress" if it was measuring impact. An authorised, started or done action keeps its step and gets the effect
    noted. Either way the owner (every manager, if it has none) is told (``lessons.action_not_fixed``) and the
    change is audited. Runs inside the caller's transaction.
    """
    action = ImprovementAction.get_or_none(ImprovementAction.id == action_id)
    if action is None or action.status in (ActionStatus.PROPOSED, ActionStatus.CANCELLED):
        return None
    verdict = {"effect": Effect.NOT_ADDRESSED, "effect_note": note[:MAX_TEXT]}
    with transaction():
        if action.status in (ActionStatus.SIGNED_OFF, ActionStatus.VERIFIED):
            reopen = {
                "completed_at": None,
                "completed_by": None,
                "signed_off_at": None,
                "signed_off_by": None,
                "verified_at": utcnow(),
                "verified_by": None,
                "due_on": due_on,
                "due_soon_notified_at": None,
                "overdue_notified_at": None,
                "overdue_escalated_at": None,
            }
            expected = (ActionStatus.SIGNED_OFF, ActionStatus.VERIFIED)
            recorded = _move(
                SYSTEM, action, "reopened_by_residents", expected, status=ActionStatus.IN_PROGRESS, **verdict, **reopen
            )
            if due_on != action.due_on:
                DueDateChange.create(action=action.id, from_date=action.due_on, to_date=due_on, reason=note)
            follow_back(SYSTEM, action.lesson_id)  # type: ignore[attr-defined]
        else:
            recorded = _move(SYSTEM, action, "not_addressed_by_residents", action.status, **verdict)
        _tell_not_fixed(recorded)
    return recorded


def _tell_not_fixed(action: ImprovementAction) -> None:
    """Tell the action's owner (every manager while it has no active owner) that residents said it did not work."""
    owner = User.get_or_none(User.id == action.owner_id) if action.owner_id else None  # type: ignore[attr-defined]
    people = [owner.id] if owner is not None and owner.is_active else [user.id for user in managers()]
    lesson = Lesson.get_by_id(action.lesson_id)  # type: ignore[attr-defined]
    for person in dict.fromkeys(people):
        record_event(
            "lessons.action_not_fixed",
            {
                "recipient_id": person,
                "action_id": action.id,
                "lesson_id": lesson.id,
                "reference": lesson.reference,
                "title": action.title[:200],
                "due_on": action.due_on.isoformat() if action.due_on else None,
            },
        )


# --- Due dates and cancelling ------------------------------------------------------------------------------------


def change_due_date(actor: Actor, action_id: int, to_date: dt.date | None, reason: str) -> DueDateChange:
    """Move an authorised action's due date, with the reason (a manager authorises it); return the change.

    ``first_due_on`` keeps the first authorised date. The owner is told again as the new date nears and passes.
    Raises NotAllowed, NotFound("improvement_action"), Invalid (every problem at once: the date missing, in the
    past or unchanged; the reason missing or too long) or Conflict("not_open").
    """
    _require(actor, is_manager(actor), "change_due_date")
    action = get_action(action_id)
    with gather() as problems:
        cleaned = clean(reason)
        if not cleaned:
            problems.add("reason", "required")
        elif len(cleaned) > MAX_TEXT:
            problems.add("reason", "too_long", maximum=MAX_TEXT)
        if to_date is None:
            problems.add("to_date", "required")
        elif to_date < local_date():
            problems.add("to_date", "in_past")
        elif to_date == action.due_on:
            problems.add("to_date", "unchanged")
    if action.status not in OPEN:
        raise Conflict("not_open")
    before = snapshot(action)
    with transaction():
        moved = (
            ImprovementAction.update(
                due_on=to_date,
                due_soon_notified_at=None,
                overdue_notified_at=None,
                overdue_escalated_at=None,
                updated_at=utcnow(),
            )
            .where(ImprovementAction.id == action.id, ImprovementAction.status.in_(OPEN))
            .execute()
        )
        if moved != 1:
            raise Conflict("not_open")
        change = DueDateChange.create(
            action=action.id, from_date=action.due_on, to_date=to_date, reason=cleaned, authorised_by=actor.user_id
        )
        action = get_action(action.id)
        _audit(actor, "due_date_changed", action, before, reason=cleaned)
    return change


def cancel_action(actor: Actor, action_id: int, reason: str) -> ImprovementAction:
    """Cancel an action that is not yet verified, with the reason: a manager, or its proposer while proposed.

    Raises NotAllowed, NotFound("improvement_action"), Invalid("cancel_reason", "required" | "too_long") or
    Conflict("action_ended") for an action verified or cancelled already.
    """
    _require(actor, actor.is_staff, "cancel")
    action = get_action(action_id)
    own_proposal = action.status == ActionStatus.PROPOSED and action.proposed_by_id == actor.user_id  # type: ignore[attr-defined]
    _require(actor, is_manager(actor) or own_proposal, "cancel")
    with gather() as problems:
        cleaned = clean(reason)
        if not cleaned:
            problems.add("cancel_reason", "required", at=("reason",))
        elif len(cleaned) > MAX_TEXT:
            problems.add("cancel_reason", "too_long", at=("reason",), maximum=MAX_TEXT)
    still = tuple(code for code in ActionStatus.codes() if code not in (ActionStatus.VERIFIED, ActionStatus.CANCELLED))
    if action.status not in still:
        raise Conflict("action_ended")
    return _move(actor, action, "cancelled", still, status=ActionStatus.CANCELLED, cancel_reason=cleaned)


# --- The lesson follows its actions ------------------------------------------------------------------------------

#: The lesson statuses its actions may move it through, in order. A lesson still "identified" waits for a person
#: to record its analysis; a closed, cancelled or merged one never moves.
FOLLOWING = (
    LessonStatus.ANALYSED,
    LessonStatus.ACTIONS_AGREED,
    LessonStatus.IN_PROGRESS,
    LessonStatus.MEASURING_IMPACT,
)


def lesson_status_for(statuses: Sequence[str]) -> str | None:
    """The furthest status the lesson's actions (not cancelled) justify; None when they justify none."""
    live = [status for status in statuses if status != ActionStatus.CANCELLED]
    if live and all(status in DONE for status in live):
        return LessonStatus.MEASURING_IMPACT
    if any(status in (ActionStatus.IN_PROGRESS, *DONE) for status in live):
        return LessonStatus.IN_PROGRESS
    if any(status in AGREED for status in live):
        return LessonStatus.ACTIONS_AGREED
    return None


def _justified(lesson_id: int) -> str | None:
    """The status the lesson's actions justify now (see :func:`lesson_status_for`)."""
    statuses = [
        row.status
        for row in ImprovementAction.select(ImprovementAction.status).where(ImprovementAction.lesson == lesson_id)
    ]
    return lesson_status_for(statuses)


def _move_lesson(actor: Actor, lesson: Lesson, target: str) -> str | None:
    """Move the lesson to ``target`` unless someone moved it meanwhile, and audit the move; return it, if made."""
    moved = (
        Lesson.update(status=target, updated_at=utcnow())
        .where(Lesson.id == lesson.id, Lesson.status == lesson.status)
        .execute()
    )
    if moved != 1:
        return None
    record_audit(
        actor,
        "lesson.status_followed_actions",
        "lesson",
        lesson.id,
        {"status": {"before": lesson.status, "after": target}},
    )
    return target


def follow_actions(actor: Actor, lesson_id: int) -> str | None:
    """Move the lesson's status forward to what its actions justify (never back); return the new status, if any.

    Runs inside the caller's transaction, and audits the move on the lesson.
    """
    lesson = Lesson.get_or_none(Lesson.id == lesson_id)
    if lesson is None or lesson.status not in FOLLOWING:
        return None
    target = _justified(lesson_id)
    if target is None or FOLLOWING.index(target) <= FOLLOWING.index(lesson.status):
        return None
    return _move_lesson(actor, lesson, target)


def follow_back(actor: Actor, lesson_id: int) -> str | None:
    """Move a lesson measuring impact back to "in progress" when one of its actions is reopened; return the new
    status, if any. Runs inside the caller's transaction, and audits the move on the lesson."""
    lesson = Lesson.get_or_none(Lesson.id == lesson_id)
    if lesson is None or lesson.status != LessonStatus.MEASURING_IMPACT:
        return None
    target = _justified(lesson_id)
    if target is None or target == LessonStatus.MEASURING_IMPACT:
        return None
    return _move_lesson(actor, lesson, target)
