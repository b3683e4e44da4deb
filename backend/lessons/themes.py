"""Themes: what lessons and contacts are grouped into, named for residents in every enabled language.

Staff create and rename themes and link lessons and contacts to them; every link is a person's confirmed choice
(suggestions come from ``backend.lessons.theme_suggestions``, and nothing is linked automatically). Managers archive
a theme, merge one into another and set the priority score's weights (``backend.lessons.theme_figures``).

Merging moves the merged theme's lesson and contact links to the theme it is merged into and records where it went.
It moves no residents' votes: the residents who voted for the merged theme in an open priority round get their dots
back and are asked to vote again (``backend.cocreation.votes.ask_to_revote``), because the theme they chose is not
the one that now stands; the theme merged into takes its place on the ballot.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from peewee import IntegrityError, fn

from backend import config
from backend.audit.services import field_changes, record_audit
from backend.cocreation import votes
from backend.complaints import restricted
from backend.context import STAFF_ROLES, Actor
from backend.db import transaction
from backend.errors import Conflict, Invalid, NotAllowed, NotFound, Problems, gather
from backend.lessons.lesson_guards import get_lesson, require_open
from backend.lessons.models import ContactTheme, Lesson, LessonTheme, PriorityFactor, PriorityWeight, Theme, ThemeText
from backend.names import has_hidden_characters
from backend.text import clean
from backend.timeutil import utcnow

MAX_NAME = 100
MAX_DESCRIPTION = 10_000
MANAGER_ROLES = ("manager", "admin")
#: The priority score's factors, in the order they are shown.
FACTORS = PriorityFactor.codes()
MAX_WEIGHT = 1000.0


@dataclass(frozen=True)
class TextInput:
    """A theme's resident-facing name and description in one language; both blank: none in that language."""

    locale: str
    name: str = ""
    description: str = ""


def enabled_locales() -> tuple[str, ...]:
    """The languages the landlord serves residents in: a theme needs a name in each to be ready for them."""
    return tuple(config.current().enabled_locales)


def is_ready(theme_id: int) -> bool:
    """Whether the theme has a resident-facing name in every enabled language."""
    named = {
        row.locale
        for row in ThemeText.select(ThemeText.locale, ThemeText.name).where(ThemeText.theme == theme_id)
        if clean(row.name)
    }
    return set(enabled_locales()) <= named


def ready_sql(theme_id: Any) -> Any:
    """SQL: whether the theme (its id column given) has a resident-facing name in every enabled language."""
    wanted = enabled_locales()
    named = ThemeText.select(fn.COUNT(fn.DISTINCT(ThemeText.locale))).where(
        ThemeText.theme == theme_id, ThemeText.locale.in_(wanted), fn.TRIM(ThemeText.name) != ""
    )
    return fn.COALESCE(named, 0) == len(wanted)


def _check_staff(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role(*STAFF_ROLES):
        raise NotAllowed(f"theme.{action}")


def _check_manager(actor: Actor, action: str) -> None:
    if not actor.can_write or not actor.has_role(*MANAGER_ROLES):
        raise NotAllowed(f"theme.{action}")


def get_theme(theme_id: int) -> Theme:
    """The theme; raises NotFound when there is none."""
    theme = Theme.get_or_none(Theme.id == theme_id)
    if theme is None:
        raise NotFound("theme", theme_id)
    return theme


def _in_use(theme: Theme) -> None:
    """Raise Conflict("theme_ended") for a theme archived or merged: it takes no new links or texts."""
    if theme.archived_at is not None or theme.merged_into_id is not None:  # type: ignore[attr-defined]
        raise Conflict("theme_ended")


def _line(problems: Problems, field: str, value: str | None, maximum: int, at: tuple | None = None) -> str:
    """One line of visible text, up to ``maximum`` characters; "" when blank."""
    text = clean(value)
    if len(text) > maximum:
        problems.add(field, "too_long", at=at, maximum=maximum)
    elif has_hidden_characters(text):
        problems.add(field, "hidden_characters", at=at)
    return text


def same_name(name: str) -> str:
    """What two theme names are compared by: NFKC (full-width "ＡＰＩ" is "API") and case folded."""
    return unicodedata.normalize("NFKC", name).casefold()


def name_taken(name: str, theme_id: int | None = None) -> bool:
    """Whether another theme has this name, whatever the case or the width of its letters."""
    wanted = same_name(name)
    others = Theme.select(Theme.name).where(Theme.id != (theme_id or 0)).tuples()
    return any(same_name(other) == wanted for (other,) in others.iterator())


def _clean_name(problems: Problems, name: str | None, theme_id: int | None) -> str:
    text = _line(problems, "name", name, MAX_NAME)
    if not text:
        problems.add("name", "required")
    elif name_taken(text, theme_id):
        problems.add("name", "duplicate")
    return text


def _clean_texts(problems: Problems, texts: Sequence[TextInput]) -> dict[str, tuple[str, str] | None]:
    """The texts by locale, each (name, description), or None for a language given blank (it has no text).

    Adds every problem found.
    """
    enabled = enabled_locales()
    cleaned: dict[str, tuple[str, str] | None] = {}
    if len(texts) > len(enabled):
        problems.add("texts", "too_many", maximum=len(enabled))
        return cleaned
    for index, given in enumerate(texts):
        if given.locale not in enabled:
            problems.add("texts", "unsupported", at=("texts", index, "locale"))
            continue
        if given.locale in cleaned:
            problems.add("texts", "duplicate", at=("texts", index, "locale"))
            continue
        name = _line(problems, "texts", given.name, MAX_NAME, at=("texts", index, "name"))
        description = clean(given.description)
        if len(description) > MAX_DESCRIPTION:
            problems.add("texts", "too_long", at=("texts", index, "description"), maximum=MAX_DESCRIPTION)
        if description and not name:  # a description residents would see under no name
            problems.add("texts", "required", at=("texts", index, "name"))
        cleaned[given.locale] = (name, description) if name or description else None
    return cleaned


def _texts_of(theme_id: int) -> dict[str, tuple[str, str]]:
    return {t.locale: (t.name, t.description) for t in ThemeText.select().where(ThemeText.theme == theme_id)}


def _write_texts(theme: Theme, wanted: Mapping[str, tuple[str, str] | None]) -> dict[str, dict]:
    """Make the theme's texts in the enabled languages those ``wanted`` (a language not there, or None, has none);
    return the changes for the audit trail."""
    had = _texts_of(theme.id)
    changes: dict[str, dict] = {}
    now = utcnow()
    for locale in enabled_locales():
        before, after = had.get(locale), wanted.get(locale)
        if before == after:
            continue
        changes[f"text_{locale}"] = {
            "before": list(before) if before else None,
            "after": list(after) if after else None,
        }
        if after is None:
            ThemeText.delete().where(ThemeText.theme == theme.id, ThemeText.locale == locale).execute()
        elif before is None:
            ThemeText.create(theme=theme.id, locale=locale, name=after[0], description=after[1], updated_at=now)
        else:
            ThemeText.update(name=after[0], description=after[1], updated_at=now).where(
                ThemeText.theme == theme.id, ThemeText.locale == locale
            ).execute()
    return changes


def create_theme(actor: Actor, name: str, texts: Sequence[TextInput] = ()) -> Theme:
    """Create a theme with its internal name and its resident-facing texts; return it.

    Raises NotAllowed (not staff, or a read-only token) or Invalid listing every problem at once: ``name``
    "required", "too_long", "hidden_characters" or "duplicate" (another theme has it, whatever the case or the
    width of its letters: names are compared NFKC-normalised and case folded);
    ``texts`` "too_many", and at ``texts[i].locale`` "unsupported" (not an enabled language) or "duplicate",
    at ``texts[i].name`` "too_long", "hidden_characters" or "required" (a description with no name), at
    ``texts[i].description`` "too_long". A theme may start without every language: it is not ready for residents
    until each enabled language has a name.
    """
    _check_staff(actor, "create")
    with gather() as problems:
        clean_name = _clean_name(problems, name, None)
        wanted = _clean_texts(problems, texts)
    try:
        with transaction():
            theme = Theme.create(name=clean_name)
            changes = _write_texts(theme, wanted)
            record_audit(
                actor, "theme.created", "theme", theme.id, {"name": {"before": None, "after": clean_name}, **changes}
            )
    except IntegrityError:  # another person took the name at the same moment
        raise Invalid("name", "duplicate") from None
    return theme


def update_theme(
    actor: Actor, theme_id: int, name: str | None = None, texts: Sequence[TextInput] | None = None
) -> Theme:
    """Rename a theme or change its resident-facing texts: what is not given (None) is kept.

    ``texts`` change only the languages they name: a language given with a name or description gets that text,
    one given with both blank loses its text, and a language left out keeps its text. Raises NotAllowed, NotFound
    (no such theme), Invalid as :func:`create_theme` does (a name given blank: "required"), or
    Conflict("theme_ended") for a theme archived or merged. Audits only what differs.
    """
    _check_staff(actor, "update")
    theme = get_theme(theme_id)
    with gather() as problems:
        clean_name = theme.name if name is None else _clean_name(problems, name, theme.id)
        given = _clean_texts(problems, texts or ())
    _in_use(theme)
    try:
        with transaction():
            changes = field_changes({"name": theme.name}, {"name": clean_name})
            moved = (
                Theme.update(name=clean_name, updated_at=utcnow())
                .where(Theme.id == theme.id, Theme.archived_at.is_null(), Theme.merged_into.is_null())
                .execute()
            )
            if moved != 1:  # archived or merged since it was read
                raise Conflict("theme_ended")
            # Languages not given keep their text.
            changes.update(_write_texts(theme, {**_texts_of(theme.id), **given}))
            if changes:
                record_audit(actor, "theme.updated", "theme", theme.id, changes)
    except IntegrityError:
        raise Invalid("name", "duplicate") from None
    return get_theme(theme.id)


def archive_theme(actor: Actor, theme_id: int) -> Theme:
    """Archive a theme: it keeps its links and figures but takes no new ones and is no longer suggested.

    Managers only. Raises NotAllowed, NotFound, or Conflict("theme_ended") when already archived or merged.
    """
    _check_manager(actor, "archive")
    theme = get_theme(theme_id)
    _in_use(theme)
    with transaction():
        now = utcnow()
        moved = (
            Theme.update(archived_at=now, updated_at=now)
            .where(Theme.id == theme.id, Theme.archived_at.is_null(), Theme.merged_into.is_null())
            .execute()
        )
        if moved != 1:
            raise Conflict("theme_ended")
        record_audit(actor, "theme.archived", "theme", theme.id, {"archived_at": {"before": None, "after": now}})
    return get_theme(theme.id)


def merge_theme(actor: Actor, theme_id: int, into_id: int) -> Theme:
    """Merge a theme into another: move its lesson and contact links there, record where it went, archive it.

        A lesson or contact already linked to both keeps one link. Residents' votes are not moved (see the module's
        docstring). Returns the theme merged (the one acted on: archived, naming where it went in ``merged_into``), as
    merging a lesson returns the lesson that ended. Managers only. Raises NotAllowed, NotFound (the theme merged),
        Invalid("into_id", "same_theme") when both are the same or "theme_not_found" when there is no such theme to
        merge into, or Conflict("theme_ended") when either is archived or merged.
    """
    _check_manager(actor, "merge")
    theme = get_theme(theme_id)
    if into_id == theme.id:
        raise Invalid("into_id", "same_theme")
    target = Theme.get_or_none(Theme.id == into_id)
    if target is None:
        raise Invalid("into_id", "theme_not_found")
    _in_use(theme)
    _in_use(target)
    with transaction():
        now = utcnow()
        moved = (
            Theme.update(merged_into=target.id, archived_at=now, updated_at=now)
            .where(Theme.id == theme.id, Theme.archived_at.is_null(), Theme.merged_into.is_null())
            .execute()
        )
        still = Theme.select().where(Theme.id == target.id, Theme.archived_at.is_null()).exists()
        if moved != 1 or not still:
            raise Conflict("theme_ended")
        lessons = _move_links(LessonTheme, LessonTheme.lesson, theme.id, target.id)
        contacts = _move_links(ContactTheme, ContactTheme.contact, theme.id, target.id)
        Theme.update(updated_at=now).where(Theme.id == target.id).execute()
        # Votes never move: voters in open priority rounds get their dots back and are asked to vote again.
        votes.ask_to_revote(actor, theme.id, target.id)
        record_audit(
            actor,
            "theme.merged",
            "theme",
            theme.id,
            {
                "merged_into_id": {"before": None, "after": target.id},
                "lessons_moved": {"before": None, "after": lessons},
                "contacts_moved": {"before": None, "after": contacts},
            },
        )
        record_audit(
            actor, "theme.merged_in", "theme", target.id, {"merged_from_id": {"before": None, "after": theme.id}}
        )
    return get_theme(theme.id)


def _move_links(model, key, from_id: int, to_id: int) -> int:  # type: ignore[no-untyped-def]
    """Move ``model`` links from one theme to another, dropping those the target already has; return how many."""
    already = model.select(key).where(model.theme == to_id)
    model.delete().where(model.theme == from_id, key.in_(already)).execute()
    return model.update(theme=to_id).where(model.theme == from_id).execute()


def _linkable_theme(theme_id: int) -> Theme:
    theme = Theme.get_or_none(Theme.id == theme_id)
    if theme is None:
        raise Invalid("theme_id", "not_found")
    _in_use(theme)
    return theme


def link_changes(theme: Theme, linked: bool) -> dict[str, dict[str, Any]]:
    """A lesson's theme link or unlink as its history records it: the theme's id and its name at the time."""
    values = {"theme_id": theme.id, "theme": theme.name}
    return {
        name: {"before": None, "after": value} if linked else {"before": value, "after": None}
        for name, value in values.items()
    }


def link_lesson(actor: Actor, lesson_id: int, theme_id: int) -> LessonTheme:
    """Link a lesson to a theme, as the member of staff confirms it; return the link.

    Raises NotAllowed (not staff, or read-only), NotFound (no such lesson), Invalid("theme_id", "not_found"),
    Conflict("lesson_archived") or Conflict("lesson_ended") for a lesson archived, cancelled or merged (it no longer
    changes), Conflict("theme_ended") for an archived or merged theme, or Conflict("already_linked").
    """
    _check_staff(actor, "link")
    lesson = get_lesson(lesson_id)
    theme = _linkable_theme(theme_id)
    require_open(lesson)
    if LessonTheme.select().where(LessonTheme.lesson == lesson.id, LessonTheme.theme == theme.id).exists():
        raise Conflict("already_linked")
    try:
        with transaction():
            link = LessonTheme.create(lesson=lesson.id, theme=theme.id, linked_by=actor.user_id, linked_at=utcnow())
            record_audit(actor, "lesson.theme_linked", "lesson", lesson.id, link_changes(theme, linked=True))
    except IntegrityError:  # linked by someone else at the same moment
        raise Conflict("already_linked") from None
    return link


def unlink_lesson(actor: Actor, lesson_id: int, theme_id: int) -> Lesson:
    """Remove a lesson's link to a theme; return the lesson.

    Raises NotAllowed, NotFound when there is no such lesson or it is not linked to that theme, or
    Conflict("lesson_archived") or Conflict("lesson_ended") for a lesson archived, cancelled or merged.
    """
    _check_staff(actor, "unlink")
    lesson = get_lesson(lesson_id)
    if not LessonTheme.select().where(LessonTheme.lesson == lesson.id, LessonTheme.theme == theme_id).exists():
        raise NotFound("lesson_theme", theme_id)
    require_open(lesson)
    with transaction():
        gone = LessonTheme.delete().where(LessonTheme.lesson == lesson.id, LessonTheme.theme == theme_id).execute()
        if gone != 1:
            raise NotFound("lesson_theme", theme_id)
        theme = Theme.get_by_id(theme_id)
        record_audit(actor, "lesson.theme_unlinked", "lesson", lesson.id, link_changes(theme, linked=False))
    return lesson


def link_contact(actor: Actor, contact_id: int, theme_id: int) -> ContactTheme:
    """Link a contact to a theme, as the member of staff confirms it; return the link.

    A contact whose case is hidden from the actor answers like one that is not there. Raises NotAllowed,
    NotFound (no such contact, or hidden), Invalid("theme_id", "not_found"), Conflict("theme_ended") or
    Conflict("already_linked").
    """
    _check_staff(actor, "link")
    contact = restricted.visible_contact(actor, contact_id)
    theme = _linkable_theme(theme_id)
    if ContactTheme.select().where(ContactTheme.contact == contact.id, ContactTheme.theme == theme.id).exists():
        raise Conflict("already_linked")
    try:
        with transaction():
            link = ContactTheme.create(contact=contact.id, theme=theme.id, linked_by=actor.user_id, linked_at=utcnow())
            record_audit(
                actor, "contact.theme_linked", "contact", contact.id, {"theme_id": {"before": None, "after": theme.id}}
            )
    except IntegrityError:
        raise Conflict("already_linked") from None
    return link


def unlink_contact(actor: Actor, contact_id: int, theme_id: int) -> None:
    """Remove a contact's link to a theme.

    Raises NotAllowed, or NotFound when the contact is not there, is hidden, or is not linked to that theme.
    """
    _check_staff(actor, "unlink")
    contact = restricted.visible_contact(actor, contact_id)
    with transaction():
        gone = ContactTheme.delete().where(ContactTheme.contact == contact.id, ContactTheme.theme == theme_id).execute()
        if gone != 1:
            raise NotFound("contact_theme", theme_id)
        record_audit(
            actor, "contact.theme_unlinked", "contact", contact.id, {"theme_id": {"before": theme_id, "after": None}}
        )


def weights() -> dict[str, float]:
    """The priority score's weights by factor (a factor with no row counts 0)."""
    found = {w.factor: w.weight for w in PriorityWeight.select()}
    return {factor: float(found.get(factor, 0.0)) for factor in FACTORS}


def set_weights(actor: Actor, values: Mapping[str, float]) -> dict[str, float]:
    """Set the priority score's weights, each from 0 to MAX_WEIGHT; factors left out keep theirs. Return them all.

    Managers only. Raises NotAllowed, or Invalid listing every problem: ``weights`` "none_given" (no factor at all,
    most likely a mistake), a factor "unknown_field", a weight "out_of_range" (negative, above the maximum, or not
    a number), or ``weights`` "all_zero" when every weight would be 0 (every theme would score 0, so ordering by
    priority would mean nothing).
    """
    _check_manager(actor, "weights")
    before = weights()
    with gather() as problems:
        if not values:
            problems.add("weights", "none_given")
        for factor, weight in values.items():
            if factor not in FACTORS:
                problems.add(factor, "unknown_field")
            elif not isinstance(weight, int | float) or weight != weight or not 0 <= weight <= MAX_WEIGHT:
                problems.add(factor, "out_of_range", minimum=0, maximum=int(MAX_WEIGHT))
        if not problems.found and all(float(values.get(factor, before.get(factor, 0.0))) == 0 for factor in FACTORS):
            problems.add("weights", "all_zero")
    after = {**before, **{f: float(w) for f, w in values.items()}}
    changes = field_changes(before, after)
    if changes:
        with transaction():
            now = utcnow()
            for factor in changes:
                if (
                    PriorityWeight.update(weight=after[factor], updated_at=now)
                    .where(PriorityWeight.factor == factor)
                    .execute()
                    == 0
                ):
                    PriorityWeight.create(factor=factor, weight=after[factor], updated_at=now)
            record_audit(actor, "priority_weight.updated", "priority_weight", 0, changes)
    return after
