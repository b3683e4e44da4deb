"""Changes ("you said, we did"): staff record what the landlord changed, why and when, in each language, link it to
the themes, lessons, improvement actions and contacts behind it, and a manager publishes it.

Each service checks first, then writes the change, its audit entry and (for a published change) its outbox event in
one transaction. The contacts behind a change are for staff only: the public read only how many there are and how
many of them were complaints (:func:`contact_figures`), never which. A contact whose case is hidden from a member of
staff is "not found" to them, and a link they can't see is never touched by what they do.

How a change moves (status, percentage, milestones) is :mod:`backend.cocreation.progress`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from peewee import Case, IntegrityError, fn

from backend import config
from backend.audit.services import field_changes, record_audit
from backend.cocreation.models import (
    Change,
    ChangeAction,
    ChangeContact,
    ChangeLesson,
    ChangeReferenceCounter,
    ChangeStatus,
    ChangeTheme,
    ChangeUpdate,
)
from backend.complaints import restricted
from backend.complaints.models import Contact, ContactKind, ServiceArea
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, NotAllowed, NotFound, Problems, gather
from backend.events.services import record_event
from backend.lessons.models import ImprovementAction, Lesson, Theme
from backend.names import has_hidden_characters
from backend.text import clean
from backend.timeutil import local_date, utcnow

TITLE_MAX = 200
TEXT_MAX = 5_000
EASY_READ_MAX = 1_000
NOTE_MAX = 1_000
LINKS_MAX = 200
REFERENCE_ATTEMPTS = 5
REFERENCE_PATTERN = re.compile(r"^CH-(\d{4})-(\d+)$")
MANAGERS = ("manager", "admin")
#: What staff may give when they record or edit a change.
CHANGE_FIELDS = ("title", "what", "why", "easy_read", "service_area_id", "changed_on")
#: The texts and their limits; the title is one line.
TEXTS = {"title": TITLE_MAX, "what": TEXT_MAX, "why": TEXT_MAX, "easy_read": EASY_READ_MAX}
#: The texts an English version of which a change needs before it is published.
NEEDED_TO_PUBLISH = ("title", "what", "why")


def require_staff(actor: Actor, action: str) -> None:
    """Raise NotAllowed(``action``) unless a member of staff who may write is acting."""
    if not actor.can_write or actor.user_id is None or not actor.has_role(*STAFF_ROLES):
        raise NotAllowed(action)


def require_manager(actor: Actor, action: str) -> None:
    """Raise NotAllowed(``action``) unless a manager (or admin) who may write is acting."""
    if not actor.can_write or actor.user_id is None or not actor.has_role(*MANAGERS):
        raise NotAllowed(action)


def get_change(change_id: int) -> Change:
    """The change; raise NotFound("change") when there is none."""
    change = Change.get_or_none(Change.id == change_id) if 0 < change_id < 2**63 else None
    if change is None:
        raise NotFound("change", change_id)
    return change


def staff_change(actor: Actor, change_id: int, action: str) -> Change:
    """The change, for a member of staff who may write; raise NotAllowed, then NotFound."""
    require_staff(actor, action)
    return get_change(change_id)


def texts(
    problems: Problems, name: str, value: Any, maximum: int, line: bool = False, english: bool = False
) -> dict[str, str]:
    """Text by language code, each cleaned; a language given blank has none. Records, at ``(name, locale)``:
    ``language`` "unsupported" (not a language the landlord writes in), "too_long", "hidden_characters" (``line``),
    and with ``english`` "english_required" when there is no English."""
    if value is None:
        value = {}
    if not isinstance(value, Mapping):
        problems.add(name, "invalid", at=(name,), about="change")
        return {}
    enabled = config.current().enabled_locales
    cleaned: dict[str, str] = {}
    for locale, given in value.items():
        if locale not in enabled:
            problems.add("language", "unsupported", at=(name, str(locale)), about="change")
            continue
        text = clean(given if isinstance(given, str) else None)
        if len(text) > maximum:
            problems.add(name, "too_long", at=(name, locale), maximum=maximum, about="change")
        elif line and has_hidden_characters(text):
            problems.add(name, "hidden_characters", at=(name, locale), about="change")
        if text:
            cleaned[locale] = text
    if english and not cleaned.get("en"):
        problems.add(name, "english_required", at=(name, "en"), about="change")
    return cleaned


def _day(problems: Problems, name: str, value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    raw = clean(value if isinstance(value, str) else None)
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        problems.add(name, "invalid", about="change")
        return None


def _check_values(problems: Problems, values: Mapping[str, Any], creating: bool) -> dict[str, Any]:
    checked: dict[str, Any] = {}
    for name in sorted(set(values) - set(CHANGE_FIELDS)):
        problems.add(name, "unknown_field")
    for name, maximum in TEXTS.items():
        if name in values or (creating and name == "title"):
            checked[name] = texts(
                problems, name, values.get(name), maximum, line=name == "title", english=name == "title"
            )
    if "service_area_id" in values:
        area_id = values["service_area_id"]
        if area_id is not None and not ServiceArea.select().where(ServiceArea.id == area_id).exists():
            problems.add("service_area_id", "not_found", about="change")
        checked["service_area"] = area_id
    if "changed_on" in values:
        checked["changed_on"] = _day(problems, "changed_on", values["changed_on"])
    return checked


def snapshot(change: Change) -> dict[str, Any]:
    """The change's fields as the audit trail records them."""
    return {
        "title": change.title,
        "what": change.what,
        "why": change.why,
        "easy_read": change.easy_read,
        "service_area_id": change.service_area_id,  # type: ignore[attr-defined]
        "changed_on": change.changed_on.isoformat() if change.changed_on else None,
        "status": change.status,
        "percent": change.percent,
    }


def next_reference(year: int) -> str:
    """Inside a transaction: the next reference of the UK year, CH-YYYY-NN (NN grows past 99 when it must).

    The year's counter never goes back, so a reference is never given twice, not even that of a change deleted.
    Two people recording at once take turns on the counter's row; the first of a year may meet another's insert,
    which the unique year refuses (IntegrityError), and :func:`create_change` tries again.
    """
    claimed = (
        ChangeReferenceCounter.update(last=ChangeReferenceCounter.last + 1)
        .where(ChangeReferenceCounter.year == year)
        .execute()
    )
    if claimed:
        number = ChangeReferenceCounter.get_by_id(year).last
    else:
        number = 1
        ChangeReferenceCounter.create(year=year, last=number)
    return f"CH-{year}-{number:02d}"


def create_change(actor: Actor, values: Mapping[str, Any]) -> Change:
    """Record a change, planned and not yet public, with reference CH-YYYY-NN, from ``values`` (see CHANGE_FIELDS:
    texts by language code; the English title is required). Staff only.

    Raises NotAllowed, or Invalid listing every problem: ``title`` "english_required", ``title``/``what``/``why``/
    ``easy_read`` "too_long", ``title`` "hidden_characters", ``language`` "unsupported", ``service_area_id``
    "not_found", ``changed_on`` "invalid", a name not in CHANGE_FIELDS "unknown_field". Conflict("changed") when
    no reference could be taken after several tries.
    """
    require_staff(actor, "change.create")
    with gather() as problems:
        checked = _check_values(problems, values, creating=True)
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction():
                change = Change.create(reference=next_reference(local_date().year), created_by=actor.user_id, **checked)
                after = {"reference": change.reference, **snapshot(change)}
                record_audit(actor, "change.created", "change", change.id, field_changes(None, after))
            return change
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise Conflict("changed") from None
    raise AssertionError("unreachable")  # pragma: no cover


def update_change(actor: Actor, change_id: int, values: Mapping[str, Any]) -> Change:
    """Change a change's texts, service area or day: only the fields given (a text given replaces every language
    of it). Staff only; a published change may be corrected, and the audit trail keeps what it said before.

    Raises NotAllowed, NotFound("change"), or Invalid as :func:`create_change`. Returns the change unchanged when
    nothing differs.
    """
    change = staff_change(actor, change_id, "change.update")
    with gather() as problems:
        checked = _check_values(problems, values, creating=False)
    before = snapshot(change)
    for name, value in checked.items():
        setattr(change, name, value)
    changes = field_changes(before, snapshot(change))
    if not changes:
        return get_change(change_id)
    with transaction():
        Change.update(**checked, updated_at=utcnow()).where(Change.id == change.id).execute()
        record_audit(actor, "change.updated", "change", change.id, changes)
    return get_change(change_id)


# Links.


def _themes(problems: Problems, ids: Sequence[int]) -> list[int]:
    found = {
        row.id
        for row in Theme.select(Theme.id).where(
            Theme.id.in_(list(ids)), Theme.archived_at.is_null(), Theme.merged_into.is_null()
        )
    }
    for index, theme_id in enumerate(ids):
        if theme_id not in found:
            problems.add("theme_ids", "not_found", at=("theme_ids", index), about="change")
    return [i for i in dict.fromkeys(ids) if i in found]


def _lessons(problems: Problems, references: Sequence[str]) -> list[int]:
    wanted = [clean(r).upper() for r in references]
    found = {
        row.reference: row.id for row in Lesson.select(Lesson.id, Lesson.reference).where(Lesson.reference.in_(wanted))
    }
    for index, reference in enumerate(wanted):
        if reference not in found:
            problems.add("lesson_references", "not_found", at=("lesson_references", index), about="change")
    return list(dict.fromkeys(found[r] for r in wanted if r in found))


def _actions(problems: Problems, ids: Sequence[int]) -> list[int]:
    found = {
        row.id for row in ImprovementAction.select(ImprovementAction.id).where(ImprovementAction.id.in_(list(ids)))
    }
    for index, action_id in enumerate(ids):
        if action_id not in found:
            problems.add("action_ids", "not_found", at=("action_ids", index), about="change")
    return [i for i in dict.fromkeys(ids) if i in found]


def _contacts(problems: Problems, actor: Actor, references: Sequence[str]) -> list[int]:
    """The contacts by reference; one whose case is hidden from the actor is "not found", as one that isn't there."""
    wanted = [clean(r).upper() for r in references]
    hidden = restricted.hidden_contacts(actor.user_id)
    found = {
        row.reference: row.id
        for row in Contact.select(Contact.id, Contact.reference).where(
            Contact.reference.in_(wanted), Contact.id.not_in(hidden)
        )
    }
    for index, reference in enumerate(wanted):
        if reference not in found:
            problems.add("contact_references", "not_found", at=("contact_references", index), about="change")
    return list(dict.fromkeys(found[r] for r in wanted if r in found))


def _replace(model: Any, key: str, change: Change, wanted: Iterable[int], keep: Any = None, **extra: Any) -> dict:
    """Make the change's links of ``model`` (by its foreign key ``key``) those ``wanted``; return the audit changes.

    ``keep`` is a query of ids the actor can't see: links to them are left as they are, and not reported.
    """
    column = getattr(model, key)
    query = model.select(column).where(model.change == change.id)
    if keep is not None:
        query = query.where(column.not_in(keep))
    had = [getattr(row, f"{key}_id") for row in query]
    wanted = list(wanted)
    gone = [i for i in had if i not in wanted]
    new = [i for i in wanted if i not in had]
    if gone:
        model.delete().where(model.change == change.id, column.in_(gone)).execute()
    for target in new:
        model.create(change=change.id, **{key: target}, **extra)
    if not gone and not new:
        return {}
    return {f"{key}_ids": {"before": sorted(had), "after": sorted(wanted)}}


def set_links(
    actor: Actor,
    change_id: int,
    theme_ids: Sequence[int] | None = None,
    lesson_references: Sequence[str] | None = None,
    action_ids: Sequence[int] | None = None,
    contact_references: Sequence[str] | None = None,
) -> Change:
    """Make the change's themes, lessons, improvement actions or contacts those given: each list given replaces
    that kind of link, one not given (None) is kept. Staff only.

    Themes are given by id (archived or merged ones can't be linked), lessons by reference (LS-YYYY-NNNN), actions
    by id and contacts by reference (LL-...). A contact whose case is hidden from the actor is "not found", and the
    links to such contacts stay as they are whatever the list says.

    Raises NotAllowed, NotFound("change"), or Invalid listing every problem: ``theme_ids[i]``,
    ``lesson_references[i]``, ``action_ids[i]``, ``contact_references[i]`` "not_found"; any list "too_many".
    Returns the change unchanged when nothing differs.
    """
    change = staff_change(actor, change_id, "change.link")
    with gather() as problems:
        given: dict[str, Any] = {
            "theme_ids": theme_ids,
            "lesson_references": lesson_references,
            "action_ids": action_ids,
            "contact_references": contact_references,
        }
        for name, value in given.items():
            if value is not None and len(value) > LINKS_MAX:
                problems.add(name, "too_many", maximum=LINKS_MAX, about="change")
                given[name] = None
        themes = _themes(problems, given["theme_ids"]) if given["theme_ids"] is not None else None
        lessons = _lessons(problems, given["lesson_references"]) if given["lesson_references"] is not None else None
        actions = _actions(problems, given["action_ids"]) if given["action_ids"] is not None else None
        contacts = (
            _contacts(problems, actor, given["contact_references"]) if given["contact_references"] is not None else None
        )
    with transaction():
        changes: dict[str, Any] = {}
        if themes is not None:
            changes.update(_replace(ChangeTheme, "theme", change, themes))
        if lessons is not None:
            changes.update(_replace(ChangeLesson, "lesson", change, lessons))
        if actions is not None:
            changes.update(_replace(ChangeAction, "action", change, actions))
        if contacts is not None:
            hidden = restricted.hidden_contacts(actor.user_id)
            changes.update(_replace(ChangeContact, "contact", change, contacts, keep=hidden, linked_by=actor.user_id))
        if changes:
            Change.update(updated_at=utcnow()).where(Change.id == change.id).execute()
            record_audit(actor, "change.linked", "change", change.id, changes)
    return get_change(change_id)


# Publishing.


def publish_change(actor: Actor, change_id: int) -> ChangeUpdate:
    """Make a change public: it needs an English title, what and why, and at least one theme or lesson. Managers
    only. Writes the update "published" (the first of its timeline) and records ``cocreation.change_published``
    and ``cocreation.change_moved`` {change_id, update_id}, and ``cocreation.change_implemented`` too when it is
    implemented already. Returns that update.

    Raises NotAllowed, NotFound("change"), Invalid listing what is missing: ``what``/``why`` at ``(name, "en")``
    "english_required", ``links`` "theme_or_lesson_required"; or Conflict("already_published") (also when two
    managers publish at once: the second finds it published).
    """
    require_manager(actor, "change.publish")
    change = get_change(change_id)
    if change.published_at is not None:
        raise Conflict("already_published")
    with gather() as problems:
        for name in NEEDED_TO_PUBLISH:
            if not clean((getattr(change, name) or {}).get("en")):
                problems.add(name, "english_required", at=(name, "en"), about="change")
        linked = (
            ChangeTheme.select().where(ChangeTheme.change == change.id).exists()
            or ChangeLesson.select().where(ChangeLesson.change == change.id).exists()
        )
        if not linked:
            problems.add("links", "theme_or_lesson_required", about="change")
    now = utcnow()
    with transaction():
        published = (
            Change.update(published_at=now, updated_at=now)
            .where(Change.id == change.id, Change.published_at.is_null())
            .execute()
        )
        if not published:
            raise Conflict("already_published")
        update = ChangeUpdate.create(
            change=change.id,
            kind="published",
            status=change.status,
            percent=change.percent,
            created_by=actor.user_id,
            created_at=now,
        )
        record_audit(actor, "change.published", "change", change.id, {"published_at": {"before": None, "after": now}})
        payload = {"change_id": change.id, "update_id": update.id}
        record_event("cocreation.change_published", payload)
        # Publishing is a move its followers hear of, and a change published once implemented has been implemented
        # as far as its complainants know: they are told now, as for a move to implemented.
        record_event("cocreation.change_moved", payload)
        if change.status in (ChangeStatus.IMPLEMENTED, ChangeStatus.CONFIRMED):
            record_event("cocreation.change_implemented", payload)
    return update


# Figures for the public.


#: Public counts below this are not given: a change behind one or two complaints would point at those who made them.
SMALLEST_COUNT = 5


def _at_least_smallest(count: Any) -> Any:
    return Case(None, [(count < SMALLEST_COUNT, None)], count)


def _contacts_behind(change_id: Any) -> Any:
    return ChangeContact.select(fn.COUNT(ChangeContact.id)).where(ChangeContact.change == change_id)


def _complaints_behind(change_id: Any) -> Any:
    return (
        ChangeContact.select(fn.COUNT(ChangeContact.id))
        .join(Contact, on=(ChangeContact.contact == Contact.id))
        .where(ChangeContact.change == change_id, Contact.kind == ContactKind.COMPLAINT)
    )


def contact_count_sql(change_id: Any) -> Any:
    """SQL: how many contacts are linked to the change (its id column given); NULL when fewer than SMALLEST_COUNT."""
    return _at_least_smallest(_contacts_behind(change_id))


def complaint_count_sql(change_id: Any) -> Any:
    """SQL: how many of the contacts linked to the change were complaints; NULL when fewer than SMALLEST_COUNT."""
    return _at_least_smallest(_complaints_behind(change_id))


def contact_figures(change_id: int) -> tuple[int, int]:
    """How many contacts are behind the change, and how many of them were complaints: never which."""
    contacts = Change.select(_contacts_behind(Change.id)).where(Change.id == change_id).scalar() or 0
    complaints = Change.select(_complaints_behind(Change.id)).where(Change.id == change_id).scalar() or 0
    return int(contacts), int(complaints)
